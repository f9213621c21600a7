import type { Clock } from '../../clock.js';
import type { LeadValue } from '../../domain/model.js';
import { type Database, prepareOnUse } from '../../storage/database.js';

/** A program member row. */
export interface ProgramMember {
  programId: number;
  leadId: number;
  statusName: string;
  statusStep: number;
  statusReason: string | null;
  reachedSuccess: boolean;
  reachedSuccessAt: number | null;
  acquiredBy: boolean;
  customFields: Record<string, LeadValue>;
  membershipDate: number;
  createdAt: number;
  updatedAt: number;
}

interface MemberRow {
  program_id: number;
  lead_id: number;
  status_name: string;
  status_step: number;
  status_reason: string | null;
  reached_success: number;
  reached_success_at: number | null;
  acquired_by: number;
  custom_fields: string;
  membership_date: number;
  created_at: number;
  updated_at: number;
}

/** What a query of one program's members filters on (a filterType and its values, updatedAt bounds, paging). */
export interface MemberFilter {
  programId: number;
  partitionIds: readonly number[];
  leadIds?: readonly number[];
  statusNames?: readonly string[];
  reachedSuccess?: boolean;
  /** A custom field and the values it must hold. */
  custom?: { name: string; values: readonly LeadValue[] };
  updatedFrom?: number;
  updatedTo?: number;
  afterLeadId: number;
  limit: number;
}

const memberOf = (row: MemberRow): ProgramMember => ({
  programId: row.program_id,
  leadId: row.lead_id,
  statusName: row.status_name,
  statusStep: row.status_step,
  statusReason: row.status_reason,
  reachedSuccess: row.reached_success === 1,
  reachedSuccessAt: row.reached_success_at,
  acquiredBy: row.acquired_by === 1,
  customFields: JSON.parse(row.custom_fields) as Record<string, LeadValue>,
  membershipDate: row.membership_date,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const json = (values: readonly unknown[] | undefined): string | null => (values ? JSON.stringify(values) : null);

/** Program members (issue 26): every statement over program_members. */
export class ProgramMemberRepository {
  private readonly s;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.s = {
      find: prepareOnUse<[number, number], MemberRow>(
        db,
        'SELECT * FROM program_members WHERE program_id = ? AND lead_id = ?',
      ),
      // Members of leads in the caller's partitions, in lead id order, by the filter's one condition.
      page: prepareOnUse<
        {
          program: number;
          partitions: string;
          leads: string | null;
          statuses: string | null;
          success: number | null;
          customName: string | null;
          customValues: string | null;
          from: number | null;
          to: number | null;
          after: number;
          limit: number;
        },
        MemberRow
      >(
        db,
        `SELECT m.* FROM program_members m JOIN leads l ON l.id = m.lead_id
         WHERE m.program_id = :program AND m.lead_id > :after
           AND l.partition_id IN (SELECT value FROM json_each(:partitions))
           AND (:leads IS NULL OR m.lead_id IN (SELECT value FROM json_each(:leads)))
           AND (:statuses IS NULL OR lower(m.status_name) IN (SELECT lower(value) FROM json_each(:statuses)))
           AND (:success IS NULL OR m.reached_success = :success)
           AND (:customName IS NULL OR json_extract(m.custom_fields, '$.' || :customName)
                IN (SELECT value FROM json_each(:customValues)))
           AND (:from IS NULL OR m.updated_at >= :from)
           AND (:to IS NULL OR m.updated_at <= :to)
         ORDER BY m.lead_id LIMIT :limit`,
      ),
      ofLead: prepareOnUse<[number], MemberRow>(
        db,
        'SELECT * FROM program_members WHERE lead_id = ? ORDER BY program_id',
      ),
      all: prepareOnUse<[], MemberRow>(db, 'SELECT * FROM program_members ORDER BY program_id, lead_id'),
      insert: prepareOnUse<
        [number, number, string, number, string | null, number, number | null, number, string, number, number, number]
      >(
        db,
        `INSERT INTO program_members (program_id, lead_id, status_name, status_step, status_reason, reached_success,
           reached_success_at, acquired_by, custom_fields, membership_date, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: prepareOnUse<[string, number, string | null, number, number | null, string, number, number, number]>(
        db,
        `UPDATE program_members SET status_name = ?, status_step = ?, status_reason = ?, reached_success = ?,
           reached_success_at = ?, custom_fields = ?, updated_at = ?
         WHERE program_id = ? AND lead_id = ?`,
      ),
      delete: prepareOnUse<[number, number]>(db, 'DELETE FROM program_members WHERE program_id = ? AND lead_id = ?'),
      // A merge: the loser's memberships go to the winner, where the winner is not a member already.
      moveMembers: prepareOnUse<[number, number]>(
        db,
        'UPDATE OR IGNORE program_members SET lead_id = ? WHERE lead_id = ?',
      ),
      dropMembers: prepareOnUse<[number]>(db, 'DELETE FROM program_members WHERE lead_id = ?'),
    };
  }

  find(programId: number, leadId: number): ProgramMember | undefined {
    const row = this.s.find.get(programId, leadId);
    return row && memberOf(row);
  }

  page(filter: MemberFilter): ProgramMember[] {
    return this.s.page
      .all({
        program: filter.programId,
        partitions: JSON.stringify(filter.partitionIds),
        leads: json(filter.leadIds),
        statuses: json(filter.statusNames),
        success: filter.reachedSuccess === undefined ? null : filter.reachedSuccess ? 1 : 0,
        customName: filter.custom ? filter.custom.name : null,
        customValues: filter.custom ? JSON.stringify(filter.custom.values) : null,
        from: filter.updatedFrom ?? null,
        to: filter.updatedTo ?? null,
        after: filter.afterLeadId,
        limit: filter.limit,
      })
      .map(memberOf);
  }

  ofLead(leadId: number): ProgramMember[] {
    return this.s.ofLead.all(leadId).map(memberOf);
  }

  all(): ProgramMember[] {
    return this.s.all.all().map(memberOf);
  }

  /** A new member, or a snapshot's member back as it was. */
  insert(member: ProgramMember): void {
    this.s.insert.run(
      member.programId,
      member.leadId,
      member.statusName,
      member.statusStep,
      member.statusReason,
      member.reachedSuccess ? 1 : 0,
      member.reachedSuccessAt,
      member.acquiredBy ? 1 : 0,
      JSON.stringify(member.customFields),
      member.membershipDate,
      member.createdAt,
      member.updatedAt,
    );
  }

  update(member: ProgramMember): void {
    this.s.update.run(
      member.statusName,
      member.statusStep,
      member.statusReason,
      member.reachedSuccess ? 1 : 0,
      member.reachedSuccessAt,
      JSON.stringify(member.customFields),
      this.clock.now(),
      member.programId,
      member.leadId,
    );
  }

  delete(programId: number, leadId: number): void {
    this.s.delete.run(programId, leadId);
  }

  moveMembers(fromLeadId: number, toLeadId: number): void {
    this.s.moveMembers.run(toLeadId, fromLeadId);
    this.s.dropMembers.run(fromLeadId);
  }

  now(): number {
    return this.clock.now();
  }
}
