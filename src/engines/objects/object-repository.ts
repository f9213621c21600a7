import type { Clock } from '../../clock.js';
import type { Ids } from '../../ids.js';
import { type Database, type PreparedStatement, prepareOnUse, transactionRunner } from '../../storage/database.js';
import type { FieldValue } from './object-type.js';

/**
 * The object engine's storage: one table per family, its records' fields as one JSON object beside indexed key
 * columns. Every table of the engine has this layout (the family's migration creates it):
 *
 *   id INTEGER PRIMARY KEY AUTOINCREMENT
 *   type_id INTEGER NOT NULL          -- tables of several types (custom objects); a foreign key to the types
 *   marketo_guid TEXT NOT NULL UNIQUE -- types named by marketoGUID
 *   partition_id INTEGER NOT NULL     -- partition-scoped families; REFERENCES partitions (id) ON DELETE RESTRICT
 *   dedupe_key TEXT NOT NULL          -- the dedupe fields' values (object-type.ts dedupeKey); UNIQUE with type_id
 *                                     -- (typed) or partition_id (scoped: one key per partition, as leads' emails)
 *   fields TEXT NOT NULL              -- every other field by REST API name
 *   created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
 *   <link columns>                    -- ids the family links the record to (a lead, an opportunity), indexed
 *
 * and the table says which of the optional columns it has.
 */
export interface ObjectTable {
  name: string;
  /** A type_id column: the table holds several types' records (custom objects). */
  typed?: boolean;
  /** A marketo_guid column: records are named by marketoGUID. */
  guid: boolean;
  /** A partition_id column: records are partition-scoped. */
  partitioned?: boolean;
  /** Columns the family fills when it links a record to others (object-rules.ts `link`), in order. */
  linkColumns?: readonly string[];
  /** Fields whose value one of the link columns holds, so that filters on them use its index. */
  fieldColumns?: Readonly<Record<string, string>>;
}

export interface ObjectRecord {
  id: number;
  typeId: number;
  marketoGUID: string | null;
  partitionId: number | null;
  /** Every field but the system ones (the id field, createdAt, updatedAt), by REST API name; no nulls. */
  fields: Record<string, FieldValue>;
  createdAt: number;
  updatedAt: number;
}

/** A value of a link column. */
export type LinkValue = string | number | null;

/** How a filter's values are looked up: a column of the layout, a link column, or a field in the JSON. */
export type ObjectColumn =
  | { kind: 'id' }
  | { kind: 'guid' }
  | { kind: 'dedupe' }
  | { kind: 'link'; column: string }
  | { kind: 'json'; field: string; numeric: boolean };

export interface ObjectFilter {
  typeId: number;
  column: ObjectColumn;
  values: readonly FieldValue[];
  /** Partition-scoped tables: only records in these partitions are seen. */
  partitionIds?: readonly number[];
}

/** A new record's values. */
export interface NewObject {
  typeId: number;
  partitionId: number | null;
  dedupeKey: string;
  fields: Record<string, FieldValue>;
  links: readonly LinkValue[];
}

/** A record as a seed or snapshot gives it: its id, GUID and times kept. */
export interface LoadedObject extends NewObject {
  id: number | null;
  marketoGUID: string | null;
  createdAt: number;
  updatedAt: number;
}

type Row = [
  id: number,
  typeId: number,
  guid: string | null,
  partitionId: number | null,
  fields: string,
  createdAt: number,
  updatedAt: number,
];

function toRecord(row: Row): ObjectRecord {
  return {
    id: row[0],
    typeId: row[1],
    marketoGUID: row[2],
    partitionId: row[3],
    fields: JSON.parse(row[4]) as Record<string, FieldValue>,
    createdAt: row[5],
    updatedAt: row[6],
  };
}

/** The most rows a page reads: 300 and one more to tell whether more follow (written into the SQL, as for leads). */
export const MAX_PAGE_ROWS = 301;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** The SQL of each statement over a table of the engine's layout (exported: the bench's minimal route runs it too). */
export function objectSql(table: ObjectTable) {
  const links = table.linkColumns ?? [];
  for (const name of [table.name, ...links, ...Object.values(table.fieldColumns ?? {})]) {
    if (!IDENTIFIER.test(name)) throw new Error(`object table ${table.name}: "${name}" is not a plain identifier`);
  }
  const t = table.name;
  const columns = [
    'id',
    table.typed ? 'type_id' : '0',
    table.guid ? 'marketo_guid' : 'NULL',
    table.partitioned ? 'partition_id' : 'NULL',
    'fields',
    'created_at',
    'updated_at',
  ].join(', ');
  const typeCondition = table.typed ? 'type_id = @typeId' : '@typeId = @typeId';
  const select = (where: string) => `SELECT ${columns} FROM ${t} WHERE ${where} AND ${typeCondition}`;
  const inserted = [
    ...(table.typed ? ['type_id'] : []),
    ...(table.guid ? ['marketo_guid'] : []),
    ...(table.partitioned ? ['partition_id'] : []),
    'dedupe_key',
    'fields',
    'created_at',
    'updated_at',
    ...links,
  ];
  const params = [
    ...(table.typed ? ['@typeId'] : []),
    ...(table.guid ? ['@guid'] : []),
    ...(table.partitioned ? ['@partitionId'] : []),
    '@dedupeKey',
    '@fields',
    '@createdAt',
    '@updatedAt',
    ...links.map((_, i) => `@link${i}`),
  ];
  const linkSets = links.map((column, i) => `, ${column} = @link${i}`).join('');
  const values = 'SELECT value FROM json_each(@values)';
  return {
    selectById: select('id = @value'),
    selectByGuid: select(table.guid ? 'marketo_guid = @value' : '0'),
    selectByKey: select('dedupe_key = @value'),
    selectByKeyIn: select(
      table.partitioned ? 'dedupe_key = @value AND partition_id IN (SELECT value FROM json_each(@partitions))' : '0',
    ),
    // No RETURNING: SQLite runs it as a trigger, so each insert would open a statement journal — in memory until
    // one outgrows 64 KiB, then (the connection holds its file exclusively) a temporary file kept open, which every
    // later statement journal is written to. The new id is the statement's last insert rowid.
    insert: `INSERT INTO ${t} (${inserted.join(', ')}) VALUES (${params.join(', ')})`,
    load: `INSERT INTO ${t} (id, ${inserted.join(', ')}) VALUES (@id, ${params.join(', ')})`,
    update: `UPDATE ${t} SET dedupe_key = @dedupeKey, fields = @fields, updated_at = @updatedAt${linkSets} WHERE id = @id`,
    delete: `DELETE FROM ${t} WHERE id = ?`,
    selectAll: `SELECT ${columns} FROM ${t} ORDER BY id`,
    count: `SELECT count(*) AS n FROM ${t} WHERE ${typeCondition}`,
    /** A page of a filter over one kind of column (`@values` a JSON array; `@path` for fields in the JSON). */
    page(column: ObjectColumn): string {
      const condition = {
        id: () => `id IN (${values})`,
        guid: () => `marketo_guid IN (${values})`,
        dedupe: () => `dedupe_key IN (${values})`,
        link: () => `${(column as { column: string }).column} IN (${values})`,
        // Text matches without regard to case, as lead filters do.
        json: () =>
          (column as { numeric: boolean }).numeric
            ? `json_extract(fields, @path) IN (${values})`
            : `lower(json_extract(fields, @path)) IN (SELECT lower(value) FROM json_each(@values))`,
      }[column.kind]();
      const scoped = table.partitioned ? ' AND partition_id IN (SELECT value FROM json_each(@partitions))' : '';
      return `SELECT ${columns} FROM ${t}
         WHERE ${condition} AND ${typeCondition}${scoped} AND id > @after ORDER BY id LIMIT ${MAX_PAGE_ROWS}`;
    },
  };
}

/** Prepared statements over one family's table; the layout's optional columns decide the SQL. */
export class ObjectRepository {
  private readonly sql;
  private readonly selectById;
  private readonly selectByGuid;
  private readonly selectByKey;
  private readonly selectByKeyIn;
  private readonly insertRow;
  private readonly loadRow;
  private readonly updateRow;
  private readonly deleteRow;
  private readonly selectAll;
  private readonly countOfType;
  private readonly pages = new Map<string, PreparedStatement<Record<string, unknown>, Row>>();
  private readonly relinks = new Map<string, PreparedStatement<Record<string, unknown>>>();
  private readonly linkNames: readonly string[];
  private inTransaction: (<T>(work: () => T) => T) | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: Ids,
    readonly table: ObjectTable,
  ) {
    const sql = (this.sql = objectSql(table));
    const select = (text: string) => prepareOnUse<Record<string, unknown>, Row>(db, text, { raw: true });
    this.selectById = select(sql.selectById);
    this.selectByGuid = select(sql.selectByGuid);
    this.selectByKey = select(sql.selectByKey);
    this.selectByKeyIn = select(sql.selectByKeyIn);
    this.insertRow = prepareOnUse<Record<string, unknown>>(db, sql.insert);
    this.loadRow = prepareOnUse<Record<string, unknown>>(db, sql.load);
    this.updateRow = prepareOnUse<Record<string, unknown>>(db, sql.update);
    this.deleteRow = prepareOnUse<[number]>(db, sql.delete);
    this.selectAll = prepareOnUse<[], Row>(db, sql.selectAll, { raw: true });
    this.countOfType = prepareOnUse<Record<string, unknown>, { n: number }>(db, sql.count);
    this.linkNames = (table.linkColumns ?? []).map((_, i) => `link${i}`);
  }

  find(typeId: number, id: number): ObjectRecord | undefined {
    const row = this.selectById.get({ typeId, value: id });
    return row && toRecord(row);
  }

  findByGuid(typeId: number, guid: string): ObjectRecord | undefined {
    const row = this.selectByGuid.get({ typeId, value: guid });
    return row && toRecord(row);
  }

  findByKey(typeId: number, key: string): ObjectRecord | undefined {
    const row = this.selectByKey.get({ typeId, value: key });
    return row && toRecord(row);
  }

  /** A partition-scoped table's records with the key, in the given partitions (one per partition at most). */
  findByKeyIn(typeId: number, key: string, partitionIds: readonly number[]): ObjectRecord[] {
    return this.selectByKeyIn.all({ typeId, value: key, partitions: JSON.stringify(partitionIds) }).map(toRecord);
  }

  /** Records matching the filter, in id order, after `afterId`; at most `limit` (≤ MAX_PAGE_ROWS). */
  page(filter: ObjectFilter, afterId: number, limit: number): ObjectRecord[] {
    if (limit > MAX_PAGE_ROWS) throw new RangeError(`a page holds at most ${MAX_PAGE_ROWS} records`);
    const params: Record<string, unknown> = {
      typeId: filter.typeId,
      values: JSON.stringify(filter.values),
      after: afterId,
    };
    if (filter.column.kind === 'json') params.path = `$.${filter.column.field}`;
    if (this.table.partitioned) params.partitions = JSON.stringify(filter.partitionIds ?? []);
    const rows = this.pageStatement(filter).all(params);
    if (rows.length > limit) rows.length = limit;
    return rows.map(toRecord);
  }

  /** One statement per kind of lookup, prepared on first use: a family has a handful. */
  private pageStatement(filter: ObjectFilter): PreparedStatement<Record<string, unknown>, Row> {
    const { column } = filter;
    const key =
      column.kind === 'link'
        ? `link:${column.column}`
        : column.kind === 'json'
          ? `json:${column.numeric}`
          : column.kind;
    let statement = this.pages.get(key);
    if (!statement) {
      statement = prepareOnUse<Record<string, unknown>, Row>(this.db, this.sql.page(column), { raw: true });
      this.pages.set(key, statement);
    }
    return statement;
  }

  /** Inserts a record; answers it as stored (no second read: its columns are the ones just written). */
  insert(record: NewObject): ObjectRecord {
    const now = this.clock.now();
    const guid = this.table.guid ? this.ids.uuid() : null;
    const { typeId, partitionId, fields } = record;
    const params: Record<string, unknown> = {
      typeId,
      guid,
      partitionId,
      dedupeKey: record.dedupeKey,
      fields: JSON.stringify(fields),
      createdAt: now,
      updatedAt: now,
    };
    this.addLinks(params, record.links);
    const id = Number(this.insertRow.run(params).lastInsertRowid);
    return { id, typeId, marketoGUID: guid, partitionId, fields, createdAt: now, updatedAt: now };
  }

  /** Writes a record's new key, fields and links over `existing`; answers it as stored. */
  update(existing: ObjectRecord, record: NewObject): ObjectRecord {
    const updatedAt = this.clock.now();
    const params: Record<string, unknown> = {
      id: existing.id,
      dedupeKey: record.dedupeKey,
      fields: JSON.stringify(record.fields),
      updatedAt,
    };
    this.addLinks(params, record.links);
    this.updateRow.run(params);
    const { id, typeId, marketoGUID, partitionId, createdAt } = existing;
    return { id, typeId, marketoGUID, partitionId, fields: record.fields, createdAt, updatedAt };
  }

  /**
   * Moves a record to another value of one of its link columns (a lead merge's winner), with the key and fields that
   * go with it; the other link columns are kept.
   */
  relink(
    existing: ObjectRecord,
    column: string,
    value: LinkValue,
    change: { dedupeKey: string; fields: Record<string, FieldValue> },
  ): ObjectRecord {
    if (!(this.table.linkColumns ?? []).includes(column)) {
      throw new Error(`object table ${this.table.name} has no link column "${column}"`);
    }
    let statement = this.relinks.get(column);
    if (!statement) {
      // The column is one of the table's link columns, checked as identifiers by objectSql.
      statement = prepareOnUse<Record<string, unknown>>(
        this.db,
        `UPDATE ${this.table.name} SET dedupe_key = @dedupeKey, fields = @fields, updated_at = @updatedAt,
           ${column} = @value WHERE id = @id`,
      );
      this.relinks.set(column, statement);
    }
    const updatedAt = this.clock.now();
    statement.run({
      id: existing.id,
      value,
      dedupeKey: change.dedupeKey,
      fields: JSON.stringify(change.fields),
      updatedAt,
    });
    return { ...existing, fields: change.fields, updatedAt };
  }

  delete(id: number): void {
    this.deleteRow.run(id);
  }

  /** How many records a type has (custom objects: what a type's delete takes with it). */
  count(typeId: number): number {
    return this.countOfType.get({ typeId })!.n;
  }

  /** Runs `work` in one transaction, through one wrapper made on first use (routes use ctx.transaction). */
  transaction<T>(work: () => T): T {
    this.inTransaction ??= transactionRunner(this.db);
    return this.inTransaction(work);
  }

  /** Every record in id order, for a snapshot. */
  all(): ObjectRecord[] {
    return this.selectAll.all().map(toRecord);
  }

  /** Inserts a record as a seed gives it; returns its id. */
  load(record: LoadedObject): number {
    const params: Record<string, unknown> = {
      id: record.id,
      typeId: record.typeId,
      guid: this.table.guid ? (record.marketoGUID ?? this.ids.uuid()) : null,
      partitionId: record.partitionId,
      dedupeKey: record.dedupeKey,
      fields: JSON.stringify(record.fields),
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    };
    this.addLinks(params, record.links);
    return Number(this.loadRow.run(params).lastInsertRowid);
  }

  /** The link columns' parameters (`@link0`…), added to a statement's named parameters. */
  private addLinks(params: Record<string, unknown>, links: readonly LinkValue[]): void {
    for (let i = 0; i < this.linkNames.length; i++) params[this.linkNames[i]!] = links[i] ?? null;
  }
}
