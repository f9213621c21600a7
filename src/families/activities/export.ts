import { ACTIVITY } from '../../domain/activity-log.js';
import type {
  ActivityExport,
  ActivityExportColumn,
  ActivityExportQuery,
  ExportRead,
  LogCursor,
} from '../../domain/bulk-export.js';
import { type Database, type PreparedStatement, prepareOnUse } from '../../storage/database.js';
import { delimitedChunkSql } from '../../storage/delimited.js';

/**
 * The activity log as a bulk export file shows it (the `activityExport` port): SQLite builds each line, the
 * `attributes` column included (a JSON object of the activity's attributes by name, bulk-activity-extract.md), and a
 * chunk comes back as one string (src/storage/delimited.ts). Each read walks at most ACTIVITY_EXPORT_SCAN entries of
 * the log's position index.
 */

/** Log entries one read walks at most (in position order, matching or not). */
export const ACTIVITY_EXPORT_SCAN = 1000;

/** Each column, and whether its values can never need quotes (ids, dates, actionResult). */
const COLUMN_SQL: Record<ActivityExportColumn, { expression: string; plain?: true }> = {
  marketoGUID: { expression: 'a.id', plain: true },
  leadId: { expression: 'a.lead_id', plain: true },
  activityDate: { expression: "strftime('%Y-%m-%dT%H:%M:%SZ', a.activity_date / 1000, 'unixepoch')", plain: true },
  activityTypeId: { expression: 'a.type_id', plain: true },
  campaignId: { expression: 'a.campaign_id', plain: true },
  primaryAttributeValueId: { expression: 'a.primary_value_id', plain: true },
  primaryAttributeValue: { expression: 'a.primary_value' },
  // The stored form is [{name, value}]; the file's is {"name": value}. json() keeps each value JSON (true stays true).
  attributes: {
    expression: `coalesce((SELECT json_group_object(j.value ->> 'name', json(j.value -> 'value'))
      FROM json_each(a.attributes) AS j), '{}')`,
  },
  // Every activity the fake records is of an action that happened ("succeeded", "skipped" or "failed").
  actionResult: { expression: "'succeeded'", plain: true },
};

/** Past the highest id SQLite hands out: the end of a window's last position. */
const LAST_ID = Number.MAX_SAFE_INTEGER;

const KEPT_LAYOUTS = 32;

type Chunk = PreparedStatement<Record<string, unknown>, { text: string | null; records: number }>;

export class ActivityExportReader implements ActivityExport {
  private readonly maxId;
  private readonly scanEnd;
  private readonly layouts = new Map<string, Chunk>();

  constructor(
    private readonly db: Database,
    private readonly types: { find(id: number): unknown },
  ) {
    this.maxId = prepareOnUse<[], { id: number | null }>(db, 'SELECT max(id) AS id FROM activities');
    this.scanEnd = prepareOnUse<[number, number, number], [number, number]>(
      db,
      `SELECT activity_date, id FROM activities WHERE (activity_date, id) > (?, ?) AND activity_date <= ?
       ORDER BY activity_date, id LIMIT 1 OFFSET ${ACTIVITY_EXPORT_SCAN - 1}`,
      { raw: true },
    );
  }

  lastId(): number {
    return this.maxId.get()?.id ?? 0;
  }

  typeExists(id: number): boolean {
    return this.types.find(id) !== undefined;
  }

  rows(query: ActivityExportQuery, after: LogCursor | null): ExportRead<LogCursor> {
    const from = after ?? { date: query.window.startAt, id: 0 };
    const end = this.scanEnd.get(from.date, from.id, query.window.endAt);
    const through = end ? { date: end[0], id: end[1] } : { date: query.window.endAt, id: LAST_ID };
    const chunk = this.statement(query).get({
      date: from.date,
      id: from.id,
      throughDate: through.date,
      throughId: through.id,
      lastId: query.lastId,
      partitions: JSON.stringify(query.partitionIds ?? []),
      types: JSON.stringify(query.typeIds ?? []),
      values: JSON.stringify(query.primaryAttributeValueIds ?? []),
    })!;
    return { text: chunk.text ?? '', records: chunk.records, next: end ? through : null };
  }

  /** One statement per column list and filter combination, the most recently used last. */
  private statement(query: ActivityExportQuery) {
    const byType = query.typeIds !== null;
    const byValue = query.primaryAttributeValueIds !== null;
    const scoped = query.partitionIds !== null;
    const key = `${query.separator}:${query.columns.join(',')}:${byType}:${byValue}:${scoped}`;
    let statement = this.layouts.get(key);
    if (statement) {
      this.layouts.delete(key);
    } else {
      const conditions = [
        '(a.activity_date, a.id) > (:date, :id)',
        '(a.activity_date, a.id) <= (:throughDate, :throughId)',
        'a.id <= :lastId',
        // Delete Lead is not exported (bulk-activity-extract.md: use Get Deleted Leads).
        byType
          ? `a.type_id IN (SELECT value FROM json_each(:types)) AND a.type_id <> ${ACTIVITY.deleteLead}`
          : `a.type_id <> ${ACTIVITY.deleteLead}`,
      ];
      // BULK_EXTRACT_SCOPE=partitions: the creator's partitions only; else no condition a row.
      if (scoped) conditions.push('a.partition_id IN (SELECT value FROM json_each(:partitions))');
      if (byValue) conditions.push('a.primary_value_id IN (SELECT value FROM json_each(:values))');
      statement = prepareOnUse(
        this.db,
        delimitedChunkSql(
          query.columns.map((column) => COLUMN_SQL[column]),
          query.separator,
          `FROM activities AS a WHERE ${conditions.join(' AND ')}`,
          ['a.activity_date', 'a.id'],
        ),
      ) as Chunk;
      if (this.layouts.size >= KEPT_LAYOUTS) this.layouts.delete(this.layouts.keys().next().value!);
    }
    this.layouts.set(key, statement);
    return statement;
  }
}
