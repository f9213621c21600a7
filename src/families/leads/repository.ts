import type { Clock } from '../../clock.js';
import type { Statement } from 'better-sqlite3';
import { type Database, type PreparedStatement, prepareOnUse, transactionRunner } from '../../storage/database.js';

import type { LeadColumn, LeadFilter, LeadStore } from './rules.js';
import type { Lead, LeadValue } from '../../domain/model.js';

export type { Lead, LeadColumn, LeadFilter, LeadValue };

/**
 * A lead row as an array, in LEAD_COLUMNS order: lead statements return raw rows, which cost less than an
 * object per row with a property per column (the largest part of a lookup by id).
 */
export type LeadRow = [
  id: number,
  partitionId: number,
  email: string | null,
  fields: string,
  createdAt: number,
  updatedAt: number,
];

export const LEAD_COLUMNS = 'id, partition_id, email, fields, created_at, updated_at';

export function toLead(row: LeadRow): Lead {
  return {
    id: row[0],
    partitionId: row[1],
    email: row[2],
    fields: JSON.parse(row[3]) as Record<string, LeadValue>,
    createdAt: row[4],
    updatedAt: row[5],
  };
}

const COLUMN_CONDITION: Record<LeadColumn, string> = {
  id: 'id IN (SELECT value FROM json_each(:values))',
  // The email column is COLLATE NOCASE, so this match ignores case, as Marketo's does.
  email: 'email IN (SELECT value FROM json_each(:values))',
  partition: 'partition_id IN (SELECT value FROM json_each(:values))',
  'json-text': 'lower(json_extract(fields, :path)) IN (SELECT lower(value) FROM json_each(:values))',
  'json-number': 'json_extract(fields, :path) IN (SELECT value FROM json_each(:values))',
};

/** Sync and filter calls take at most 300 values (lead-database.md). */
const MAX_BOUND_VALUES = 300;

/**
 * Id and email lookups bind their values one by one, into placeholder lists padded (by repeating the last value) to
 * 1, 2, 4 … 256 or 300 places, values and partitions alike: at most 10 × 10 shapes per column. Of those, the
 * statements of the most recently used KEPT_KEY_STATEMENTS shapes are kept, so memory stays bounded however callers
 * vary their filters and partitions (issue 11), and the usual handful of values keeps its prepared statement.
 */
const KEPT_KEY_STATEMENTS = 64;

function paddedLength(n: number): number {
  return n <= 1 ? 1 : Math.min(MAX_BOUND_VALUES, 2 ** Math.ceil(Math.log2(n)));
}

/** `values` then `more`, each padded to its list's length by repeating its last item, then `last`. */
function boundParams(values: readonly (string | number)[], more: readonly number[], last: number): (string | number)[] {
  const params: (string | number)[] = [...values];
  for (let i = values.length, n = paddedLength(values.length); i < n; i++) params.push(values[values.length - 1]!);
  for (const item of more) params.push(item);
  for (let i = more.length, n = paddedLength(more.length); i < n; i++) params.push(more[more.length - 1]!);
  params.push(last);
  return params;
}

/**
 * The most rows a page reads: a batch of 300 and one more to tell whether more follow. Written into the SQL, because
 * SQLite re-prepares a statement each time a LIMIT parameter is bound (the limit may change its plan), which cost
 * more than a lookup by email.
 */
export const MAX_PAGE_ROWS = 301;

const VISIBLE = 'partition_id IN (SELECT value FROM json_each(:partitions))';
// `+` keeps SQLite from choosing the partition index over the selective id/email ones.
const VISIBLE_UNINDEXED = '+partition_id IN (SELECT value FROM json_each(:partitions))';

interface FilterParams {
  values: string;
  partitions: string;
  path?: string;
}

export class LeadRepository implements LeadStore {
  private readonly selectById;
  private readonly insertRow;
  private readonly updateRow;
  private readonly updateFields;
  private readonly updatePartition;
  private readonly deleteRow;
  private inTransaction: (<T>(work: () => T) => T) | undefined;
  private readonly countAll;
  private readonly pageStatements = new Map<LeadColumn, PreparedStatement<FilterParams & { after: number }, LeadRow>>();
  private readonly countStatements = new Map<
    LeadColumn,
    PreparedStatement<FilterParams & { cap: number }, { n: number }>
  >();
  /** Id and email lookups with the values bound one by one, by padded list lengths; the most recently used first. */
  private readonly keyStatements = new Map<string, { page: Statement; count: Statement }>();
  private lastKey: string | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.selectById = prepareOnUse<[number], LeadRow>(db, `SELECT ${LEAD_COLUMNS} FROM leads WHERE id = ?`, {
      raw: true,
    });
    this.insertRow = prepareOnUse<[number, string | null, string, number, number], { id: number }>(
      db,
      'INSERT INTO leads (partition_id, email, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
    );
    this.updateRow = prepareOnUse<[string | null, string, number, number]>(
      db,
      'UPDATE leads SET email = ?, fields = ?, updated_at = ? WHERE id = ?',
    );
    // Without email in its SET list: SQLite rewrites the entry of every index on a column an UPDATE sets, changed or
    // not (leads_by_email: a page more to write for each lead whose email stays).
    this.updateFields = prepareOnUse<[string, number, number]>(
      db,
      'UPDATE leads SET fields = ?, updated_at = ? WHERE id = ?',
    );
    this.updatePartition = prepareOnUse<[number, number, number]>(
      db,
      'UPDATE leads SET partition_id = ?, updated_at = ? WHERE id = ?',
    );
    this.deleteRow = prepareOnUse<[number]>(db, 'DELETE FROM leads WHERE id = ?');
    this.countAll = prepareOnUse<[], { n: number }>(db, 'SELECT count(*) AS n FROM leads');
    for (const column of Object.keys(COLUMN_CONDITION) as LeadColumn[]) {
      const visible = column === 'id' || column === 'email' ? VISIBLE_UNINDEXED : VISIBLE;
      const where = `${COLUMN_CONDITION[column]} AND ${visible}`;
      this.pageStatements.set(
        column,
        prepareOnUse<FilterParams & { after: number }, LeadRow>(
          db,
          `SELECT ${LEAD_COLUMNS} FROM leads WHERE ${where} AND id > :after ORDER BY id LIMIT ${MAX_PAGE_ROWS}`,
          { raw: true },
        ),
      );
      this.countStatements.set(
        column,
        prepareOnUse<FilterParams & { cap: number }, { n: number }>(
          db,
          `SELECT count(*) AS n FROM (SELECT 1 FROM leads WHERE ${where} LIMIT :cap)`,
        ),
      );
    }
  }

  find(id: number): Lead | undefined {
    const row = this.selectById.get(id);
    return row && toLead(row);
  }

  count(): number {
    return this.countAll.get()!.n;
  }

  /** Leads matching the filter, in id order, after `afterId`; at most `limit` (≤ MAX_PAGE_ROWS) of them. */
  page(filter: LeadFilter, afterId: number, limit: number): Lead[] {
    if (limit > MAX_PAGE_ROWS) throw new RangeError(`a page holds at most ${MAX_PAGE_ROWS} leads`);
    const keyed = this.keyStatementsFor(filter);
    const rows = (
      keyed
        ? keyed.page.all(...boundParams(filter.values, filter.partitionIds, afterId))
        : this.pageStatements.get(filter.column)!.all({ ...this.params(filter), after: afterId })
    ) as LeadRow[];
    if (rows.length > limit) rows.length = limit;
    return rows.map(toLead);
  }

  /** How many leads match, counting no further than `cap`. */
  countMatches(filter: LeadFilter, cap: number): number {
    const keyed = this.keyStatementsFor(filter);
    const row = keyed
      ? keyed.count.get(...boundParams(filter.values, filter.partitionIds, cap))
      : this.countStatements.get(filter.column)!.get({ ...this.params(filter), cap });
    return (row as { n: number }).n;
  }

  /**
   * `id IN (?, ?, …)` rather than `IN (SELECT … json_each(…))`: SQLite then looks each value up in the index and
   * sorts only what it found, several times faster for the usual handful of ids or emails.
   */
  private keyStatementsFor(filter: LeadFilter): { page: Statement; count: Statement } | undefined {
    if (filter.column !== 'id' && filter.column !== 'email') return undefined;
    if (filter.values.length === 0 || filter.values.length > MAX_BOUND_VALUES) return undefined;
    if (filter.partitionIds.length === 0 || filter.partitionIds.length > MAX_BOUND_VALUES) return undefined;
    const values = paddedLength(filter.values.length);
    const partitions = paddedLength(filter.partitionIds.length);
    const key = `${filter.column}:${values}:${partitions}`;
    let statements = this.keyStatements.get(key);
    if (statements) {
      // Most recently used last, so the first in the map is the one to drop.
      if (key !== this.lastKey) {
        this.keyStatements.delete(key);
        this.keyStatements.set(key, statements);
      }
    } else {
      const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
      // `+` keeps SQLite from choosing the partition index over the selective id/email ones.
      const where = `${filter.column} IN (${placeholders(values)})
        AND +partition_id IN (${placeholders(partitions)})`;
      statements = {
        page: this.db
          .prepare(`SELECT ${LEAD_COLUMNS} FROM leads WHERE ${where} AND id > ? ORDER BY id LIMIT ${MAX_PAGE_ROWS}`)
          .raw(),
        count: this.db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM leads WHERE ${where} LIMIT ?)`),
      };
      if (this.keyStatements.size >= KEPT_KEY_STATEMENTS) {
        this.keyStatements.delete(this.keyStatements.keys().next().value!);
      }
      this.keyStatements.set(key, statements);
    }
    this.lastKey = key;
    return statements;
  }

  insert(partitionId: number, email: string | null, fields: Record<string, LeadValue>, at = this.clock.now()): Lead {
    const { id } = this.insertRow.get(partitionId, email, JSON.stringify(fields), at, at)!;
    return this.find(id)!;
  }

  update(id: number, email: string | null, fields: Record<string, LeadValue>, at = this.clock.now()): Lead {
    this.updateRow.run(email, JSON.stringify(fields), at, id);
    return this.find(id)!;
  }

  /**
   * update for a lead as it is now, answering it as the row holds it after without reading the row back (a flow's
   * Change Data Value and Sync Leads' updates): `fields` is what the row's JSON reads back as.
   */
  rewrite(lead: Lead, email: string | null, fields: Record<string, LeadValue>, at = this.clock.now()): Lead {
    if (email === lead.email) this.updateFields.run(JSON.stringify(fields), at, lead.id);
    else this.updateRow.run(email, JSON.stringify(fields), at, lead.id);
    return { ...lead, email, fields, updatedAt: at };
  }

  movePartition(id: number, partitionId: number): void {
    this.updatePartition.run(partitionId, this.clock.now(), id);
  }

  delete(id: number): void {
    this.deleteRow.run(id);
  }

  /** Runs `work` in one transaction (Sync Leads' every call), through one wrapper made on first use. */
  transaction<T>(work: () => T): T {
    this.inTransaction ??= transactionRunner(this.db);
    return this.inTransaction(work);
  }

  /** Every lead in id order, for a snapshot. */
  all(): Lead[] {
    return (this.seedStatements().selectAll.all() as LeadRow[]).map(toLead);
  }

  /** Inserts a lead as a seed gives it: its id (or the next one) and times kept. */
  load(lead: Omit<Lead, 'id'> & { id: number | null }): void {
    this.seedStatements().insert.run(
      lead.id,
      lead.partitionId,
      lead.email,
      JSON.stringify(lead.fields),
      lead.createdAt,
      lead.updatedAt,
    );
  }

  private links:
    | {
        linked: PreparedStatement<[string, string], unknown>;
        byEmail: PreparedStatement<[string], LeadRow>;
        byField: PreparedStatement<{ field: string; value: LeadValue }, LeadRow>;
      }
    | undefined;

  /** Prepared on first use: only the CRM and custom object families ask. */
  private linkStatements() {
    return (this.links ??= {
      // Field names are the catalog's REST names ([A-Za-z][A-Za-z0-9_]*): path-safe.
      linked: prepareOnUse<[string, string], unknown>(
        this.db,
        "SELECT 1 FROM leads WHERE lower(json_extract(fields, '$.' || ?)) = lower(?) LIMIT 1",
      ),
      byEmail: prepareOnUse<[string], LeadRow>(
        this.db,
        `SELECT ${LEAD_COLUMNS} FROM leads WHERE email = ? ORDER BY updated_at DESC, id DESC LIMIT 1`,
        { raw: true },
      ),
      byField: prepareOnUse<{ field: string; value: LeadValue }, LeadRow>(
        this.db,
        `SELECT ${LEAD_COLUMNS} FROM leads WHERE json_extract(fields, '$.' || @field) = @value
           OR (json_type(fields, '$.' || @field) = 'text' AND lower(json_extract(fields, '$.' || @field)) = lower(@value))
         ORDER BY updated_at DESC, id DESC LIMIT 1`,
        { raw: true },
      ),
    });
  }

  /** Whether a lead's `field` holds `value`, without regard to case. */
  isLinked(field: string, value: string): boolean {
    return this.linkStatements().linked.get(field, value) !== undefined;
  }

  /** The lead most recently updated whose `field` holds `value` (email and text without regard to case). */
  latestBy(field: string, value: LeadValue): Lead | undefined {
    const { byEmail, byField } = this.linkStatements();
    const row =
      field === 'email'
        ? byEmail.get(String(value))
        : byField.get({ field, value: typeof value === 'boolean' ? Number(value) : value });
    return row && toLead(row);
  }

  private seeding: { selectAll: PreparedStatement; insert: PreparedStatement } | undefined;

  private seedStatements() {
    return (this.seeding ??= {
      selectAll: prepareOnUse(this.db, `SELECT ${LEAD_COLUMNS} FROM leads ORDER BY id`, { raw: true }),
      insert: prepareOnUse(
        this.db,
        'INSERT INTO leads (id, partition_id, email, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
    });
  }

  private params(filter: LeadFilter): FilterParams {
    const params: FilterParams = {
      values: JSON.stringify(filter.values),
      partitions: JSON.stringify(filter.partitionIds),
    };
    if (filter.column === 'json-text' || filter.column === 'json-number') params.path = `$.${filter.field}`;
    return params;
  }
}
