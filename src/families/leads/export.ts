import type { ExportRead, ExportValue, LeadExport, LeadExportQuery, LeadWindowQuery } from '../../domain/bulk-export.js';
import type { FieldCatalog } from '../../engines/objects/fields.js';
import { type Database, type PreparedStatement, prepareOnUse } from '../../storage/database.js';

/**
 * Leads as a bulk export file shows them (the `leadExport` port): SQLite reads each asked field out of the row and
 * formats it (dates in ISO 8601, booleans as true/false), and the rows come back as arrays, so a chunk of thousands of
 * leads makes no object per lead. Each read scans a bounded run of ids, so a step of an export stays short however
 * few leads its window holds.
 */

/** Leads one window read scans at most (in id order, matching the window or not). */
export const LEAD_EXPORT_SCAN = 2000;

const ISO = (column: string) => `strftime('%Y-%m-%dT%H:%M:%SZ', ${column} / 1000, 'unixepoch')`;

/** How a column is read: a column of the row, or a JSON field (booleans apart: JSON true reads as 1). */
type ColumnKind = 'id' | 'email' | 'partition' | 'createdAt' | 'updatedAt' | 'json' | 'boolean';

const COLUMN_SQL: Record<Exclude<ColumnKind, 'json' | 'boolean'>, string> = {
  id: 'id',
  email: 'email',
  partition: 'partition_id',
  createdAt: ISO('created_at'),
  updatedAt: ISO('updated_at'),
};

const STANDARD_COLUMNS: Readonly<Record<string, ColumnKind>> = {
  id: 'id',
  email: 'email',
  leadPartitionId: 'partition',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
};

/** The statement shapes kept: one per column layout, the most recently used last (an export reuses its own). */
const KEPT_LAYOUTS = 32;

const VISIBLE = '(:everyPartition OR partition_id IN (SELECT value FROM json_each(:partitions)))';

interface Layout {
  window: Record<'createdAt' | 'updatedAt', PreparedStatement<Record<string, unknown>, ExportValue[]>>;
  ids: PreparedStatement<Record<string, unknown>, ExportValue[]>;
  /** The JSON paths the layout binds, as `p0`, `p1`… */
  paths: Record<string, string>;
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
    const layout = this.layout(query.fields);
    const end = this.scanEnd.get(afterId, query.lastId)?.id;
    const through = end ?? query.lastId;
    const rows = layout.window[query.column].all({
      ...this.visibility(query),
      ...layout.paths,
      after: afterId,
      through,
      start: query.window.startAt,
      end: query.window.endAt,
    });
    return { rows, next: end !== undefined && end < query.lastId ? end : null };
  }

  rowsOf(query: LeadExportQuery, leadIds: readonly number[]): ExportValue[][] {
    if (leadIds.length === 0) return [];
    const layout = this.layout(query.fields);
    return layout.ids.all({ ...this.visibility(query), ...layout.paths, ids: JSON.stringify(leadIds) });
  }

  private visibility(query: LeadExportQuery) {
    return {
      everyPartition: query.partitionIds === null ? 1 : 0,
      partitions: JSON.stringify(query.partitionIds ?? []),
    };
  }

  /** The statements of a column layout: the SQL depends on each column's kind only; JSON paths are bound. */
  private layout(fields: readonly string[]): Layout {
    const catalog = this.catalog();
    const kinds: ColumnKind[] = [];
    const paths: Record<string, string> = {};
    const columns = fields.map((name, i) => {
      const field = catalog.find(name);
      if (!field) throw new Error(`"${name}" is not a lead field`);
      const kind: ColumnKind = STANDARD_COLUMNS[field.name] ?? (field.dataType === 'boolean' ? 'boolean' : 'json');
      kinds.push(kind);
      if (kind !== 'json' && kind !== 'boolean') return COLUMN_SQL[kind];
      // Custom and standard field names are [A-Za-z][A-Za-z0-9_]*: a plain JSON path.
      paths[`p${i}`] = `$.${field.name}`;
      return kind === 'json'
        ? `json_extract(fields, :p${i})`
        : `CASE json_type(fields, :p${i}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END`;
    });
    const key = kinds.join(',');
    let layout = this.layouts.get(key);
    if (layout) {
      this.layouts.delete(key);
    } else {
      const select = `SELECT ${columns.join(', ')} FROM leads`;
      const windowSql = (column: string) =>
        `${select} WHERE id > :after AND id <= :through AND ${column} BETWEEN :start AND :end AND ${VISIBLE}
         ORDER BY id`;
      const raw = { raw: true } as const;
      layout = {
        window: {
          createdAt: prepareOnUse(this.db, windowSql('created_at'), raw),
          updatedAt: prepareOnUse(this.db, windowSql('updated_at'), raw),
        },
        ids: prepareOnUse(
          this.db,
          `${select} WHERE id IN (SELECT value FROM json_each(:ids)) AND ${VISIBLE} ORDER BY id`,
          raw,
        ),
        paths: {},
      };
      if (this.layouts.size >= KEPT_LAYOUTS) this.layouts.delete(this.layouts.keys().next().value!);
    }
    this.layouts.set(key, layout);
    return { ...layout, paths };
  }
}
