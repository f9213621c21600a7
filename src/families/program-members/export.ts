import type {
  ExportColumnSql,
  ExportRead,
  ProgramMemberExport,
  ProgramMemberExportQuery,
} from '../../domain/bulk-export.js';
import type { ObjectField } from '../../engines/objects/fields.js';
import type { FamilyInfra } from '../../family.js';
import { type PreparedStatement, prepareOnUse } from '../../storage/database.js';
import { delimitedChunkSql } from '../../storage/delimited.js';
import { PROGRAM_MEMBER_FIELDS } from './program-member-fields.js';

/**
 * Program members as a bulk export file shows them (the `programMemberExport` port,
 * bulk-program-member-extract.md): the memberships of the asked programs, in id order, each with the asked program
 * member fields and the fields of its lead ("LeadCustom, LeadProgram, MemberCustom, ProgramMember" field types),
 * SQLite writing the lines (src/storage/delimited.ts). A read scans a bounded run of membership ids, matching or not,
 * so a step of an export stays short however few members its programs have.
 *
 * Decisions (README "Program members"): the fake keeps no engagement streams, so every member's isExhausted is
 * false and its nurtureCadence empty (an isExhausted true or nurtureCadence filter finds none); attendanceLikelihood,
 * registrationLikelihood, waitlistPriority and trackName are empty (null in the file). A name that is both a program
 * member field and a lead field (createdAt, updatedAt) is the program member's.
 */

/** Memberships one read scans at most (in id order, of any program, matching or not). */
export const PROGRAM_MEMBER_EXPORT_SCAN = 1000;

const ISO = (column: string) => `strftime('%Y-%m-%dT%H:%M:%SZ', ${column} / 1000, 'unixepoch')`;
const BOOLEAN = (column: string) => `CASE ${column} WHEN 1 THEN 'true' ELSE 'false' END`;

/** The standard program member fields as columns of the membership row `m` (`:programNames`: each program's name). */
const MEMBER_COLUMNS: Readonly<Record<string, ExportColumnSql>> = {
  acquiredBy: { expression: BOOLEAN('m.acquired_by'), plain: true },
  attendanceLikelihood: { expression: 'NULL', plain: true },
  createdAt: { expression: ISO('m.created_at'), plain: true },
  isExhausted: { expression: "'false'", plain: true },
  leadId: { expression: 'm.lead_id', plain: true },
  membershipDate: { expression: ISO('m.membership_date'), plain: true },
  nurtureCadence: { expression: 'NULL', plain: true },
  program: { expression: "json_extract(:programNames, '$.p' || m.program_id)" },
  programId: { expression: 'm.program_id', plain: true },
  reachedSuccess: { expression: BOOLEAN('m.reached_success'), plain: true },
  reachedSuccessDate: { expression: ISO('m.reached_success_at'), plain: true },
  registrationLikelihood: { expression: 'NULL', plain: true },
  statusName: { expression: 'm.status_name' },
  statusReason: { expression: 'm.status_reason' },
  trackName: { expression: 'NULL', plain: true },
  updatedAt: { expression: ISO('m.updated_at'), plain: true },
  waitlistPriority: { expression: 'NULL', plain: true },
};

/** Custom program member field names are API names ([A-Za-z][A-Za-z0-9_]*): a JSON path literal needs no escaping. */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The statement shapes kept: one per column list, separator and scope, the most recently used last. */
const KEPT_LAYOUTS = 32;

type Chunk = PreparedStatement<Record<string, unknown>, { text: string | null; records: number }>;

export class ProgramMemberExportReader implements ProgramMemberExport {
  private readonly maxId;
  private readonly scanEnd;
  private readonly layouts = new Map<string, Chunk>();

  constructor(
    private readonly infra: FamilyInfra,
    /** The custom program member fields (the schema field API's). */
    private readonly customFields: () => readonly ObjectField[],
  ) {
    this.maxId = prepareOnUse<[], { id: number | null }>(infra.db, 'SELECT max(id) AS id FROM program_members');
    this.scanEnd = prepareOnUse<[number, number], { id: number }>(
      infra.db,
      `SELECT id FROM program_members WHERE id > ? AND id <= ? ORDER BY id LIMIT 1 OFFSET ${PROGRAM_MEMBER_EXPORT_SCAN - 1}`,
    );
  }

  /** The program member field of that name (standard, then custom), without regard to case. */
  private memberField(name: string): ObjectField | undefined {
    const wanted = name.toLowerCase();
    const byName = (field: ObjectField) => field.name.toLowerCase() === wanted;
    return PROGRAM_MEMBER_FIELDS.find(byName) ?? this.customFields().find(byName);
  }

  field(name: string): string | undefined {
    return this.memberField(name)?.name ?? this.infra.port('leads').catalog().find(name)?.name;
  }

  header(column: string): string {
    // The doc's file names the standard program member fields by their display names ("Member Date", "Status",
    // "Lead Id", "Success"), and lead fields and custom program member fields by their API names.
    return PROGRAM_MEMBER_FIELDS.find((field) => field.name === column)?.displayName ?? column;
  }

  programExists(id: number): boolean {
    return this.infra.port('assetPlaces').program(id) !== undefined;
  }

  statuses(programId: number): readonly string[] {
    return (this.infra.port('assetPlaces').progressionOf(programId) ?? []).map((status) => status.name);
  }

  lastId(): number {
    return this.maxId.get()?.id ?? 0;
  }

  rows(query: ProgramMemberExportQuery, afterId: number): ExportRead<number> {
    const places = this.infra.port('assetPlaces');
    const programNames: Record<string, string> = {};
    for (const id of query.programIds) {
      const program = places.program(id);
      if (program) programNames[`p${id}`] = program.name;
    }
    const end = this.scanEnd.get(afterId, query.lastId)?.id;
    const chunk = this.layout(query).get({
      after: afterId,
      through: end ?? query.lastId,
      programs: JSON.stringify(query.programIds),
      programNames: JSON.stringify(programNames),
      exhausted: query.isExhausted === null ? null : Number(query.isExhausted),
      cadence: query.nurtureCadence,
      statuses: query.statusNames && JSON.stringify(query.statusNames),
      start: query.updatedAt?.startAt ?? null,
      end: query.updatedAt?.endAt ?? null,
      partitions: JSON.stringify(query.partitionIds ?? []),
    })!;
    return {
      text: chunk.text ?? '',
      records: chunk.records,
      next: end !== undefined && end < query.lastId ? end : null,
    };
  }

  /** The statement of a column list: program member fields from the row `m`, lead fields from its lead `l`. */
  private layout({ fields, separator, partitionIds }: ProgramMemberExportQuery): Chunk {
    const scoped = partitionIds !== null;
    const key = `${separator}:${scoped}:${fields.join(',')}`;
    let statement = this.layouts.get(key);
    if (statement) {
      this.layouts.delete(key);
      this.layouts.set(key, statement);
      return statement;
    }
    const leadFields = fields.filter((name) => !this.memberField(name));
    const leadColumns = this.infra.port('leadExport').fieldColumns(leadFields, 'l');
    const columns = fields.map((name): ExportColumnSql => {
      const field = this.memberField(name);
      if (!field) return leadColumns[leadFields.indexOf(name)]!;
      const standard = MEMBER_COLUMNS[field.name];
      if (standard) return standard;
      if (!FIELD_NAME.test(field.name)) throw new Error(`"${name}" is not a program member field`);
      const path = `'$.${field.name}'`;
      return field.dataType === 'boolean'
        ? {
            expression: `CASE json_type(m.custom_fields, ${path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END`,
            plain: true,
          }
        : { expression: `json_extract(m.custom_fields, ${path})` };
    });
    statement = prepareOnUse<Record<string, unknown>, { text: string | null; records: number }>(
      this.infra.db,
      delimitedChunkSql(
        columns,
        separator,
        `FROM program_members m JOIN leads l ON l.id = m.lead_id
         WHERE m.id > :after AND m.id <= :through
           AND m.program_id IN (SELECT value FROM json_each(:programs))
           AND (:exhausted IS NULL OR :exhausted = 0)
           AND :cadence IS NULL
           AND (:statuses IS NULL OR lower(m.status_name) IN (SELECT lower(value) FROM json_each(:statuses)))
           AND (:start IS NULL OR m.updated_at BETWEEN :start AND :end)
           ${scoped ? 'AND l.partition_id IN (SELECT value FROM json_each(:partitions))' : ''}`,
        ['m.id'],
      ),
    );
    if (this.layouts.size >= KEPT_LAYOUTS) this.layouts.delete(this.layouts.keys().next().value!);
    this.layouts.set(key, statement);
    return statement;
  }
}
