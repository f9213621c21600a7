import type { ExportRead, LeadExport, LeadExportQuery, LeadWindowQuery } from '../../domain/bulk-export.js';
import type { FieldCatalog } from '../../engines/objects/fields.js';
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
const ROW_COLUMNS: Readonly<Record<string, { expression: string; plain?: true }>> = {
  id: { expression: 'id', plain: true },
  email: { expression: 'email' },
  leadPartitionId: { expression: 'partition_id', plain: true },
  createdAt: { expression: ISO('created_at'), plain: true },
  updatedAt: { expression: ISO('updated_at'), plain: true },
};

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
      const row = ROW_COLUMNS[field.name];
      if (row) {
        kinds.push(field.name);
        return row;
      }
      // Standard and custom field names are [A-Za-z][A-Za-z0-9_]*: a plain JSON path, bound.
      paths[`p${i}`] = `$.${field.name}`;
      if (field.dataType === 'boolean') {
        kinds.push('boolean');
        // JSON true reads as 1 in SQL: written as JSON writes it.
        return {
          expression: `CASE json_type(fields, :p${i}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END`,
          plain: true,
        };
      }
      kinds.push('json');
      return { expression: `json_extract(fields, :p${i})` };
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
