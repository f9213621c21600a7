import type {
  ExportColumnSql,
  ExportRead,
  LeadExport,
  LeadExportQuery,
  LeadWindowQuery,
} from '../../domain/bulk-export.js';
import type { FieldCatalog, ObjectField } from '../../engines/objects/fields.js';
import { type Database, type PreparedStatement, prepareOnUse } from '../../storage/database.js';
import { delimitedChunkSql } from '../../storage/delimited.js';

/**
 * Leads as a bulk export file shows them (the `leadExport` port): SQLite reads each asked field out of the row,
 * formats it (dates in ISO 8601, booleans true/false) and writes the lines (src/storage/delimited.ts), so a chunk of a
 * thousand leads comes back as one string. Each read scans a bounded run of ids, so a step of an export stays short
 * however few leads its window holds.
 */

/** Leads one window read scans at most (in id order, matching the window or not). */
export const LEAD_EXPORT_SCAN = 1000;

const ISO = (column: string) => `strftime('%Y-%m-%dT%H:%M:%SZ', ${column} / 1000, 'unixepoch')`;

/**
 * Fields that are columns of the row; the others are read from the `fields` JSON. Ids and dates never need quotes;
 * an email address may (`"a,b"@example.com` is one).
 */
const ROW_COLUMNS: Readonly<Record<string, (table: string) => ExportColumnSql>> = {
  id: (t) => ({ expression: `${t}id`, plain: true }),
  email: (t) => ({ expression: `${t}email` }),
  leadPartitionId: (t) => ({ expression: `${t}partition_id`, plain: true }),
  createdAt: (t) => ({ expression: ISO(`${t}created_at`), plain: true }),
  updatedAt: (t) => ({ expression: ISO(`${t}updated_at`), plain: true }),
};

/**
 * How a lead field is written: a column of the row, or read from its `fields` JSON at `path` (an SQL parameter or
 * literal) — a boolean as JSON writes it (JSON true reads as 1 in SQL).
 */
function fieldColumn(field: ObjectField, table: string, path: string): { column: ExportColumnSql; kind: string } {
  const row = ROW_COLUMNS[field.name];
  if (row) return { column: row(table), kind: field.name };
  if (field.dataType === 'boolean') {
    return {
      column: {
        expression: `CASE json_type(${table}fields, ${path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END`,
        plain: true,
      },
      kind: 'boolean',
    };
  }
  return { column: { expression: `json_extract(${table}fields, ${path})` }, kind: 'json' };
}

/** Standard and custom field names are [A-Za-z][A-Za-z0-9_]*: a JSON path literal of one needs no escaping. */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The partitions condition, when the export has one (BULK_EXTRACT_SCOPE=partitions): none costs nothing a row. */
const visibleSql = (scoped: boolean) =>
  scoped ? ' AND partition_id IN (SELECT value FROM json_each(:partitions))' : '';

/** The statement shapes kept: one per column layout and separator, the most recently used last. */
const KEPT_LAYOUTS = 32;

type Chunk = PreparedStatement<Record<string, unknown>, { text: string | null; records: number }>;

interface Layout {
  window: Record<'createdAt' | 'updatedAt', Chunk>;
  ids: Chunk;
}

export class LeadExportReader implements LeadExport {
  private readonly maxId;
  private readonly scanEnd;
  private readonly layouts = new Map<string, Layout>();

  constructor(
    private readonly db: Database,
    private readonly catalog: () => FieldCatalog,
  ) {
    this.maxId = prepareOnUse<[], { id: number | null }>(db, 'SELECT max(id) AS id FROM leads');
    this.scanEnd = prepareOnUse<[number, number], { id: number }>(
      db,
      `SELECT id FROM leads WHERE id > ? AND id <= ? ORDER BY id LIMIT 1 OFFSET ${LEAD_EXPORT_SCAN - 1}`,
    );
  }

  lastId(): number {
    return this.maxId.get()?.id ?? 0;
  }

  fieldColumns(fields: readonly string[], alias: string): ExportColumnSql[] {
    const catalog = this.catalog();
    return fields.map((name) => {
      const field = catalog.find(name);
      if (!field || !FIELD_NAME.test(field.name)) throw new Error(`"${name}" is not a lead field`);
      return fieldColumn(field, `${alias}.`, `'$.${field.name}'`).column;
    });
  }

  windowRows(query: LeadWindowQuery, afterId: number): ExportRead<number> {
    const { statements, paths } = this.layout(query);
    const end = this.scanEnd.get(afterId, query.lastId)?.id;
    const chunk = statements.window[query.column].get({
      partitions: JSON.stringify(query.partitionIds ?? []),
      ...paths,
      after: afterId,
      through: end ?? query.lastId,
      start: query.window.startAt,
      end: query.window.endAt,
    })!;
    return {
      text: chunk.text ?? '',
      records: chunk.records,
      next: end !== undefined && end < query.lastId ? end : null,
    };
  }

  rowsOf(query: LeadExportQuery, leadIds: readonly number[]): ExportRead<never> {
    if (leadIds.length === 0) return { text: '', records: 0, next: null };
    const { statements, paths } = this.layout(query);
    const chunk = statements.ids.get({
      partitions: JSON.stringify(query.partitionIds ?? []),
      ...paths,
      ids: JSON.stringify(leadIds),
    })!;
    return { text: chunk.text ?? '', records: chunk.records, next: null };
  }

  /**
   * The statements of a column layout: the SQL depends on each column's kind, the separator and whether partitions
   * are asked; JSON paths are bound.
   */
  private layout({ fields, separator, partitionIds }: LeadExportQuery) {
    const catalog = this.catalog();
    const scoped = partitionIds !== null;
    const kinds: string[] = [];
    const paths: Record<string, string> = {};
    const columns = fields.map((name, i) => {
      const field = catalog.find(name);
      if (!field) throw new Error(`"${name}" is not a lead field`);
      // A plain JSON path, bound: the statement's shape depends on the kinds only.
      const { column, kind } = fieldColumn(field, '', `:p${i}`);
      if (!ROW_COLUMNS[field.name]) paths[`p${i}`] = `$.${field.name}`;
      kinds.push(kind);
      return column;
    });
    const key = `${separator}:${scoped}:${kinds.join(',')}`;
    let statements = this.layouts.get(key);
    if (statements) {
      this.layouts.delete(key);
    } else {
      const chunk = (where: string): Chunk =>
        prepareOnUse(this.db, delimitedChunkSql(columns, separator, `FROM leads WHERE ${where}`, ['id']));
      const inWindow = (column: string) =>
        chunk(`id > :after AND id <= :through AND ${column} BETWEEN :start AND :end${visibleSql(scoped)}`);
      statements = {
        window: { createdAt: inWindow('created_at'), updatedAt: inWindow('updated_at') },
        ids: chunk(`id IN (SELECT value FROM json_each(:ids))${visibleSql(scoped)}`),
      };
      if (this.layouts.size >= KEPT_LAYOUTS) this.layouts.delete(this.layouts.keys().next().value!);
    }
    this.layouts.set(key, statements);
    return { statements, paths };
  }
}
