import { z } from 'zod';
import type { ExportRead, ProgramMemberExport, ProgramMemberExportQuery } from '../../../src/domain/bulk-export.js';
import { defineFamily } from '../../../src/family.js';
import { type Database, prepareOnUse } from '../../../src/storage/database.js';
import { delimitedChunkSql } from '../../../src/storage/delimited.js';

/**
 * A test-only family that provides the `programMemberExport` port, so that the program member export routes are
 * tested end to end before the program members family (issue "campaigns and program members") provides it: its own
 * table of memberships, seeded, read the way a real provider reads (SQLite writes the lines, src/storage/delimited.ts),
 * with the lead fields of each member's lead. The real family replaces it and keeps these tests.
 */

const ISO = (column: string) => `strftime('%Y-%m-%dT%H:%M:%SZ', ${column} / 1000, 'unixepoch')`;

/** Program member fields (Describe Program Member's names) and the lead fields this provider reads. */
const COLUMNS: Readonly<Record<string, { expression: string; plain?: boolean }>> = {
  leadId: { expression: 'm.lead_id', plain: true },
  programId: { expression: 'm.program_id', plain: true },
  statusName: { expression: 'm.status_name' },
  isExhausted: { expression: "CASE m.is_exhausted WHEN 1 THEN 'true' ELSE 'false' END", plain: true },
  nurtureCadence: { expression: 'm.nurture_cadence' },
  membershipDate: { expression: ISO('m.membership_date'), plain: true },
  updatedAt: { expression: ISO('m.updated_at'), plain: true },
  email: { expression: 'l.email' },
  firstName: { expression: "json_extract(l.fields, '$.firstName')" },
  lastName: { expression: "json_extract(l.fields, '$.lastName')" },
};

/** Memberships one read scans at most (matching or not). */
const SCAN = 2;

class TestProgramMembers implements ProgramMemberExport {
  private readonly maxId;
  private readonly scanEnd;
  private readonly programs;

  constructor(private readonly db: Database) {
    this.maxId = prepareOnUse<[], { id: number | null }>(db, 'SELECT max(id) AS id FROM test_program_members');
    this.scanEnd = prepareOnUse<[number, number], { id: number }>(
      db,
      `SELECT id FROM test_program_members WHERE id > ? AND id <= ? ORDER BY id LIMIT 1 OFFSET ${SCAN - 1}`,
    );
    this.programs = prepareOnUse<[number], { n: number }>(
      db,
      'SELECT count(*) AS n FROM test_program_members WHERE program_id = ?',
    );
  }

  field(name: string): string | undefined {
    return Object.keys(COLUMNS).find((column) => column.toLowerCase() === name.toLowerCase());
  }

  /** In this provider a program exists while it has members, or is program 1000 (an empty one). */
  programExists(id: number): boolean {
    return id === 1000 || this.programs.get(id)!.n > 0;
  }

  lastId(): number {
    return this.maxId.get()?.id ?? 0;
  }

  rows(query: ProgramMemberExportQuery, afterId: number): ExportRead<number> {
    const columns = query.fields.map((name) => COLUMNS[name]!);
    const statement = prepareOnUse<Record<string, unknown>, { text: string | null; records: number }>(
      this.db,
      delimitedChunkSql(
        columns,
        query.separator,
        `FROM test_program_members m JOIN leads l ON l.id = m.lead_id
         WHERE m.id > :after AND m.id <= :through
           AND m.program_id IN (SELECT value FROM json_each(:programs))
           AND (:exhausted IS NULL OR m.is_exhausted = :exhausted)
           AND (:cadence IS NULL OR m.nurture_cadence = :cadence)
           AND (:statuses IS NULL OR lower(m.status_name) IN (SELECT lower(value) FROM json_each(:statuses)))
           AND (:start IS NULL OR m.updated_at BETWEEN :start AND :end)
           AND (:partitions IS NULL OR l.partition_id IN (SELECT value FROM json_each(:partitions)))`,
        ['m.id'],
      ),
    );
    const end = this.scanEnd.get(afterId, query.lastId)?.id;
    const chunk = statement.get({
      after: afterId,
      through: end ?? query.lastId,
      programs: JSON.stringify(query.programIds),
      exhausted: query.isExhausted === null ? null : Number(query.isExhausted),
      cadence: query.nurtureCadence,
      statuses: query.statusNames && JSON.stringify(query.statusNames),
      start: query.updatedAt?.startAt ?? null,
      end: query.updatedAt?.endAt ?? null,
      partitions: query.partitionIds && JSON.stringify(query.partitionIds),
    })!;
    return {
      text: chunk.text ?? '',
      records: chunk.records,
      next: end !== undefined && end < query.lastId ? end : null,
    };
  }
}

const memberSeed = z.strictObject({
  id: z.number().int().positive(),
  programId: z.number().int().positive(),
  leadId: z.number().int().positive(),
  statusName: z.string(),
  isExhausted: z.boolean().default(false),
  nurtureCadence: z.enum(['paused', 'normal']).default('normal'),
  membershipDate: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
type MemberSeed = z.infer<typeof memberSeed>;

interface Repo {
  db: Database;
  reader: TestProgramMembers;
}

export const testProgramMembers = defineFamily({
  key: 'testProgramMembers',
  tables: ['test_program_members'],
  migrations: [
    {
      name: 'testProgramMembers/001_members',
      sql: `CREATE TABLE test_program_members (
        id INTEGER PRIMARY KEY,
        program_id INTEGER NOT NULL,
        lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
        status_name TEXT NOT NULL,
        is_exhausted INTEGER NOT NULL,
        nurture_cadence TEXT NOT NULL,
        membership_date INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      )`,
    },
  ],
  repository: ({ db }): Repo => ({ db, reader: new TestProgramMembers(db) }),
  provides: (repo) => ({ programMemberExport: repo.reader }),
  seed: {
    item: memberSeed,
    load({ db }, items: readonly MemberSeed[]) {
      const insert = db.prepare(
        `INSERT INTO test_program_members
         (id, program_id, lead_id, status_name, is_exhausted, nurture_cadence, membership_date, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const m of items) {
        insert.run(
          m.id,
          m.programId,
          m.leadId,
          m.statusName,
          Number(m.isExhausted),
          m.nurtureCadence,
          Date.parse(m.membershipDate),
          Date.parse(m.updatedAt),
        );
      }
    },
    *snapshot({ db }) {
      const rows = db
        .prepare(
          `SELECT id, program_id, lead_id, status_name, is_exhausted, nurture_cadence, membership_date, updated_at
           FROM test_program_members ORDER BY id`,
        )
        .all() as Record<string, number | string>[];
      for (const row of rows) {
        yield {
          id: row.id as number,
          programId: row.program_id as number,
          leadId: row.lead_id as number,
          statusName: row.status_name as string,
          isExhausted: row.is_exhausted === 1,
          nurtureCadence: row.nurture_cadence as 'paused' | 'normal',
          membershipDate: new Date(row.membership_date as number).toISOString(),
          updatedAt: new Date(row.updated_at as number).toISOString(),
        };
      }
    },
    example: [],
  },
});
