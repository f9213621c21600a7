import type { Clock } from '../../clock.js';
import type { LeadValue } from '../../domain/model.js';
import { type Database, prepareOnUse } from '../../storage/database.js';

/** A program member row. */
export interface ProgramMember {
  /** The membership's id: the order memberships were made in (a bulk export reads them by it). */
  id: number;
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

/** A membership's values, without its id (a new one is given on insert, unless a seed names it). */
export type MemberValues = Omit<ProgramMember, 'id'> & { id?: number };

interface MemberRow {
  id: number;
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
  id: row.id,
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
      all: prepareOnUse<[], MemberRow>(db, 'SELECT * FROM program_members ORDER BY id'),
      // A null id: the next one (AUTOINCREMENT).
      insert: prepareOnUse<
        [
          number | null,
          number,
          number,
          string,
          number,
          string | null,
          number,
          number | null,
          number,
          string,
          number,
          number,
          number,
        ]
      >(
        db,
        `INSERT INTO program_members (id, program_id, lead_id, status_name, status_step, status_reason,
           reached_success, reached_success_at, acquired_by, custom_fields, membership_date, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: prepareOnUse<[string, number, string | null, number, number | null, string, number, number, number]>(
        db,
        `UPDATE program_members SET status_name = ?, status_step = ?, status_reason = ?, reached_success = ?,
           reached_success_at = ?, custom_fields = ?, updated_at = ?
         WHERE program_id = ? AND lead_id = ?`,
      ),
      delete: prepareOnUse<[number, number]>(db, 'DELETE FROM program_members WHERE program_id = ? AND lead_id = ?'),
      // A merge: a membership of the loser goes to the winner (keeping its id and dates).
      moveMember: prepareOnUse<[number, number]>(db, 'UPDATE program_members SET lead_id = ? WHERE id = ?'),
      deleteById: prepareOnUse<[number]>(db, 'DELETE FROM program_members WHERE id = ?'),
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

  /** A new member, or a snapshot's member back as it was (its id kept). */
  insert(member: MemberValues): void {
    this.s.insert.run(
      member.id ?? null,
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

  /** Writes a member's values, updated at `at` (the clock's now when absent). */
  update(member: MemberValues, at?: number): void {
    this.s.update.run(
      member.statusName,
      member.statusStep,
      member.statusReason,
      member.reachedSuccess ? 1 : 0,
      member.reachedSuccessAt,
      JSON.stringify(member.customFields),
      at ?? this.clock.now(),
      member.programId,
      member.leadId,
    );
  }

  delete(programId: number, leadId: number): void {
    this.s.delete.run(programId, leadId);
  }

  /**
   * A merge (leadMerging, before the loser goes): the loser's memberships become the winner's, as "the other record
   * is deleted, its field values, activities, and program memberships merged into this winning record"
   * (nation.marketo.com, "Understanding Merges in Marketo"). Decision (README "Program members"): in a program where
   * both are members the winner keeps the status further along the progression (the loser's when it is), success
   * once either reached it, and its own membership date; no activity is written (the loser's history moves too).
   */
  mergeMembers(loserId: number, winnerId: number): void {
    for (const lost of this.ofLead(loserId)) {
      const kept = this.find(lost.programId, winnerId);
      if (!kept) {
        this.s.moveMember.run(winnerId, lost.id);
        continue;
      }
      this.s.deleteById.run(lost.id);
      const further = lost.statusStep > kept.statusStep ? lost : kept;
      const successAt = [kept.reachedSuccessAt, lost.reachedSuccessAt].filter((at): at is number => at !== null);
      this.update({
        ...kept,
        statusName: further.statusName,
        statusStep: further.statusStep,
        statusReason: further.statusReason,
        reachedSuccess: kept.reachedSuccess || lost.reachedSuccess,
        reachedSuccessAt: successAt.length > 0 ? Math.min(...successAt) : null,
        customFields: { ...lost.customFields, ...kept.customFields },
      });
    }
  }

  now(): number {
    return this.clock.now();
  }
}
