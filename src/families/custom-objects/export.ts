import type {
  CustomObjectExport,
  CustomObjectExportQuery,
  CustomObjectExportType,
  ExportRead,
  TimeWindow,
} from '../../domain/bulk-export.js';
import { type Database, type PreparedStatement, prepareOnUse } from '../../storage/database.js';
import { delimitedChunkSql } from '../../storage/delimited.js';
import type { CustomObjectSettingsRepository } from './settings.js';
import type { CustomObjectTypeRepository } from './type-repository.js';

/**
 * Custom object records as a bulk export file shows them (the `customObjectExport` port,
 * bulk-custom-object-extract.md): the records of one approved type that are linked to a lead (lead_id), SQLite
 * reading each asked field out of the row and writing the lines (src/storage/delimited.ts). A window read scans a
 * bounded run of ids, so a step of an export stays short however few records its window holds.
 */

/** Records one window read scans at most (in id order, of any type, matching or not). */
export const CUSTOM_OBJECT_EXPORT_SCAN = 1000;

const ISO = (column: string) => `strftime('%Y-%m-%dT%H:%M:%SZ', ${column} / 1000, 'unixepoch')`;

/** The system fields are columns of the row; the type's own fields are in the `fields` JSON. */
const ROW_COLUMNS: Readonly<Record<string, { expression: string; plain: true }>> = {
  marketoGUID: { expression: 'marketo_guid', plain: true },
  createdAt: { expression: ISO('created_at'), plain: true },
  updatedAt: { expression: ISO('updated_at'), plain: true },
};

/** The statement shapes kept: one per column layout and separator, the most recently used last. */
const KEPT_LAYOUTS = 32;

type Chunk = PreparedStatement<Record<string, unknown>, { text: string | null; records: number }>;

interface ExportType extends CustomObjectExportType {
  typeId: number;
  /** The type's fields by name: whether each is a boolean (written as JSON writes it). */
  booleans: ReadonlySet<string>;
}

export class CustomObjectExportReader implements CustomObjectExport {
  private readonly maxId;
  private readonly scanEnd;
  private readonly layouts = new Map<string, { window: Chunk; leads: Chunk }>();

  constructor(
    private readonly db: Database,
    private readonly types: CustomObjectTypeRepository,
    private readonly settings: CustomObjectSettingsRepository,
  ) {
    this.maxId = prepareOnUse<[], { id: number | null }>(db, 'SELECT max(id) AS id FROM custom_objects');
    this.scanEnd = prepareOnUse<[number, number], { id: number }>(
      db,
      `SELECT id FROM custom_objects WHERE id > ? AND id <= ? ORDER BY id LIMIT 1 OFFSET ${CUSTOM_OBJECT_EXPORT_SCAN - 1}`,
    );
  }

  enabled(): boolean {
    return this.settings.get().enabled;
  }

  type(apiName: string): ExportType | undefined {
    const stored = this.types.byName(apiName);
    if (!stored?.approved) return undefined;
    const names = [...Object.keys(ROW_COLUMNS), ...stored.approved.fields.map((field) => field.name)];
    const booleans = new Set(stored.approved.fields.filter((f) => f.dataType === 'boolean').map((f) => f.name));
    return {
      typeId: stored.id,
      apiName: stored.apiName,
      booleans,
      field: (name) => names.find((known) => known.toLowerCase() === name.toLowerCase()),
    };
  }

  lastId(): number {
    return this.maxId.get()?.id ?? 0;
  }

  windowRows(query: CustomObjectExportQuery & { window: TimeWindow }, afterId: number): ExportRead<number> {
    const type = this.type(query.apiName);
    if (!type) return { text: '', records: 0, next: null };
    const { statements, paths } = this.layout(type, query);
    const end = this.scanEnd.get(afterId, query.lastId)?.id;
    const chunk = statements.window.get({
      ...paths,
      typeId: type.typeId,
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

  rowsOfLeads(query: CustomObjectExportQuery, leadIds: readonly number[]): ExportRead<never> {
    const type = this.type(query.apiName);
    if (!type || leadIds.length === 0) return { text: '', records: 0, next: null };
    const { statements, paths } = this.layout(type, query);
    const chunk = statements.leads.get({
      ...paths,
      typeId: type.typeId,
      leads: JSON.stringify(leadIds),
      through: query.lastId,
    })!;
    return { text: chunk.text ?? '', records: chunk.records, next: null };
  }

  /** The statements of a column layout: the SQL depends on each column's kind and the separator; paths are bound. */
  private layout(type: ExportType, { fields, separator }: CustomObjectExportQuery) {
    const kinds: string[] = [];
    const paths: Record<string, string> = {};
    const columns = fields.map((name, i) => {
      const row = ROW_COLUMNS[name];
      if (row) {
        kinds.push(name);
        return row;
      }
      // Field names are API names ([A-Za-z][A-Za-z0-9_]*, custom-objects.md): a plain JSON path, bound.
      paths[`p${i}`] = `$.${name}`;
      if (type.booleans.has(name)) {
        kinds.push('boolean');
        return {
          expression: `CASE json_type(fields, :p${i}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END`,
          plain: true,
        };
      }
      kinds.push('json');
      return { expression: `json_extract(fields, :p${i})` };
    });
    const key = `${separator}:${kinds.join(',')}`;
    let statements = this.layouts.get(key);
    if (statements) {
      this.layouts.delete(key);
    } else {
      const chunk = (where: string, orderBy: string[]): Chunk =>
        prepareOnUse(this.db, delimitedChunkSql(columns, separator, `FROM custom_objects WHERE ${where}`, orderBy));
      statements = {
        // "first-level … records that are linked directly to a lead": a record linked to none is not exported.
        window: chunk(
          `id > :after AND id <= :through AND type_id = :typeId AND lead_id IS NOT NULL
           AND updated_at BETWEEN :start AND :end`,
          ['id'],
        ),
        // "For each lead in the list, the linked custom object records … are written as rows": lead by lead.
        leads: chunk('lead_id IN (SELECT value FROM json_each(:leads)) AND type_id = :typeId AND id <= :through', [
          'lead_id',
          'id',
        ]),
      };
      if (this.layouts.size >= KEPT_LAYOUTS) this.layouts.delete(this.layouts.keys().next().value!);
    }
    this.layouts.set(key, statements);
    return { statements, paths };
  }
}
