import type { Clock } from '../../clock.js';
import type { ActivityAttribute, ActivityRecorder, ChangedField, NewActivity } from '../../domain/activity-log.js';
import type { LogPosition } from './positions.js';
import { type Database, type PreparedStatement, prepareOnUse } from '../../storage/database.js';
import { ACTIVITY } from '../../domain/activity-log.js';

/**
 * The activity log: recording (the ActivityRecorder port), paging reads and the seed/snapshot rows. Reads build
 * each record's JSON in SQLite (json_object), so a page of 300 makes no JavaScript object per activity.
 */

/** How much of the log one read looks at, at most (see `page`). */
export const SCAN_WINDOW = 10_000;
/** A page of 300 and one more, to tell whether more follow; written into the SQL (a bound LIMIT re-prepares). */
const MAX_PAGE_ROWS = 301;
/** Activities a snapshot reads at a time (each at most ~64 KiB of attributes). */
const SNAPSHOT_ROWS = 256;
/** Delete Lead activities are pruned after 14 days (marketo-reference.md §6.2), on the fake's clock. */
export const DELETED_LEAD_RETENTION_MS = 14 * 24 * 3600 * 1000;

export type ActivityReadKind = 'activities' | 'leadChanges';

export interface ActivityQuery {
  kind: ActivityReadKind;
  after: LogPosition;
  typeIds: readonly number[];
  partitionIds: readonly number[];
  /** Only these leads' activities (the leadIds and listId filters); [] matches none. */
  leadIds?: readonly number[];
  assetIds?: readonly number[];
  /** Get Lead Changes: REST names of the fields whose changes are wanted. */
  fields?: readonly string[];
  batchSize: number;
}

export interface ActivityPage {
  /** Each record as JSON text, in log order. */
  records: string[];
  next: LogPosition;
  more: boolean;
}

/** An activity row as the seed and snapshot hold it. */
export interface ActivityRow {
  id: number;
  activityDate: number;
  leadId: number;
  partitionId: number;
  typeId: number;
  campaignId: number | null;
  primaryAttributeValueId: number | null;
  primaryAttributeValue: string | null;
  attributes: ActivityAttribute[];
  field: ChangedField | null;
}

type RawRow = [
  id: number,
  activityDate: number,
  leadId: number,
  partitionId: number,
  typeId: number,
  campaignId: number | null,
  primaryValueId: number | null,
  primaryValue: string | null,
  attributes: string,
  fields: string | null,
];

const COLUMNS =
  'id, activity_date, lead_id, partition_id, type_id, campaign_id, primary_value_id, primary_value, attributes, fields';

const INSERT = `INSERT INTO activities (activity_date, lead_id, partition_id, type_id, campaign_id, primary_value_id,
  primary_value, attributes, field_name, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Marketo's activityDate: ISO 8601 in UTC, to the second. */
const ACTIVITY_DATE = "strftime('%Y-%m-%dT%H:%M:%SZ', a.activity_date / 1000, 'unixepoch')";

/**
 * One record as Marketo shows it. Absent values are left out rather than null (campaignId, a custom activity's
 * primaryAttributeValueId, the fields of a New Lead); '$.-' names nothing, so json_remove leaves the record as is.
 */
function recordJson(kind: ActivityReadKind): string {
  const record = `json_object('id', a.id, 'marketoGUID', CAST(a.id AS TEXT), 'leadId', a.lead_id,
    'activityDate', ${ACTIVITY_DATE}, 'activityTypeId', a.type_id, 'campaignId', a.campaign_id,
    ${kind === 'leadChanges' ? "'fields', json(a.fields)," : "'primaryAttributeValueId', a.primary_value_id, 'primaryAttributeValue', a.primary_value,"}
    'attributes', json(a.attributes))`;
  const absent =
    kind === 'leadChanges'
      ? "CASE WHEN a.fields IS NULL THEN '$.fields' ELSE '$.-' END"
      : "CASE WHEN a.primary_value_id IS NULL THEN '$.primaryAttributeValueId' ELSE '$.-' END";
  return `json_remove(${record}, CASE WHEN a.campaign_id IS NULL THEN '$.campaignId' ELSE '$.-' END, ${absent})`;
}

interface PageParams {
  date: number;
  id: number;
  types: string;
  partitions: string;
  cutoff: number;
  leads?: string;
  assets?: string;
  fields?: string;
}

/**
 * The page query for one combination of filters. The inner SELECT walks the position index from the token's
 * position, at most SCAN_WINDOW entries; the outer one keeps the activities that match, in that order, and stops
 * at 301. A read therefore costs at most a window, however rare the asked types are.
 */
function pageSql(kind: ActivityReadKind, leads: boolean, assets: boolean): string {
  const conditions = [
    'a.type_id IN (SELECT value FROM json_each(:types))',
    'a.partition_id IN (SELECT value FROM json_each(:partitions))',
    `(a.type_id <> ${ACTIVITY.deleteLead} OR a.activity_date >= :cutoff)`,
  ];
  if (leads) conditions.push('a.lead_id IN (SELECT value FROM json_each(:leads))');
  if (assets) conditions.push('a.primary_value_id IN (SELECT value FROM json_each(:assets))');
  if (kind === 'leadChanges') {
    conditions.push(
      `(a.type_id <> ${ACTIVITY.changeDataValue} OR a.field_name IN (SELECT value FROM json_each(:fields)))`,
    );
  }
  return `SELECT ${recordJson(kind)} AS record, a.activity_date AS date, a.id AS id
    FROM (SELECT id AS wid FROM activities WHERE (activity_date, id) > (:date, :id)
          ORDER BY activity_date, id LIMIT ${SCAN_WINDOW}) AS w
    CROSS JOIN activities AS a ON a.id = w.wid
    WHERE ${conditions.join(' AND ')}
    LIMIT ${MAX_PAGE_ROWS}`;
}

export class ActivityRepository implements ActivityRecorder {
  private readonly insertRow;
  private readonly reassignRows;
  private readonly windowEnd;
  private readonly lastPosition;
  private readonly countAll;
  private readonly lastInsertId;
  private readonly selectJson;
  private readonly pages = new Map<string, PreparedStatement<PageParams, [string, number, number]>>();
  private seeding: { maxId: PreparedStatement; selectChunk: PreparedStatement; insert: PreparedStatement } | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.insertRow = prepareOnUse<
      [
        number,
        number,
        number,
        number,
        number | null,
        number | null,
        string | null,
        string,
        string | null,
        string | null,
      ]
    >(db, INSERT);
    this.reassignRows = prepareOnUse<[number, number]>(db, 'UPDATE activities SET lead_id = ? WHERE lead_id = ?');
    this.windowEnd = prepareOnUse<[number, number], [number, number]>(
      db,
      `SELECT activity_date, id FROM activities WHERE (activity_date, id) > (?, ?)
       ORDER BY activity_date, id LIMIT 1 OFFSET ${SCAN_WINDOW - 1}`,
      { raw: true },
    );
    this.lastPosition = prepareOnUse<[], [number, number]>(
      db,
      'SELECT activity_date, id FROM activities ORDER BY activity_date DESC, id DESC LIMIT 1',
      { raw: true },
    );
    this.selectJson = prepareOnUse<[number], [string]>(
      db,
      `SELECT ${recordJson('activities')} FROM activities AS a WHERE a.id = ?`,
      { raw: true },
    );
    this.lastInsertId = prepareOnUse<[], { id: number }>(db, 'SELECT last_insert_rowid() AS id');
    this.countAll = prepareOnUse<[], { n: number }>(db, 'SELECT count(*) AS n FROM activities');
  }

  /** Adds activities at the clock's time; callers run it inside their write's transaction. */
  record(activities: readonly NewActivity[]): void {
    const now = this.clock.now();
    for (const activity of activities) {
      this.insertRow.run(
        activity.activityDate ?? now,
        activity.leadId,
        activity.partitionId,
        activity.typeId,
        activity.campaignId ?? null,
        activity.primaryAttributeValueId,
        activity.primaryAttributeValue,
        JSON.stringify(activity.attributes),
        activity.field?.name ?? null,
        activity.field ? JSON.stringify([activity.field]) : null,
      );
    }
  }

  /** Adds one activity and returns its id (the admin plane's and Add Custom Activities' answer). */
  add(activity: NewActivity): number {
    this.record([activity]);
    return Number(this.lastInsertId.get()!.id);
  }

  /** One activity as Get Lead Activities shows it (JSON text), whoever may read it. */
  findJson(id: number): string | undefined {
    return this.selectJson.get(id)?.[0];
  }

  reassign(fromLeadId: number, toLeadId: number): void {
    this.reassignRows.run(toLeadId, fromLeadId);
  }

  count(): number {
    return this.countAll.get()!.n;
  }

  /**
   * A page of the log after `query.after`. Marketo "can return fewer than 300 activity items while setting
   * moreResult to true" and "always returns nextPageToken" (activities.md): when a window holds fewer matches than
   * the batch, the page ends at the window and says more follow; at the end of the log, the token names the last
   * activity, so the next run sees only what came after.
   */
  page(query: ActivityQuery): ActivityPage {
    // An empty list of leads (a list without members) matches nothing, rather than every lead.
    const leads = query.leadIds !== undefined;
    const assets = query.assetIds !== undefined && query.assetIds.length > 0;
    const key = `${query.kind}:${leads}:${assets}`;
    let statement = this.pages.get(key);
    if (!statement) {
      statement = prepareOnUse<PageParams, [string, number, number]>(this.db, pageSql(query.kind, leads, assets), {
        raw: true,
      });
      this.pages.set(key, statement);
    }
    const params: PageParams = {
      date: query.after.date,
      id: query.after.id,
      types: JSON.stringify(query.typeIds),
      partitions: JSON.stringify(query.partitionIds),
      cutoff: this.clock.now() - DELETED_LEAD_RETENTION_MS,
    };
    if (leads) params.leads = JSON.stringify(query.leadIds);
    if (assets) params.assets = JSON.stringify(query.assetIds);
    if (query.kind === 'leadChanges') params.fields = JSON.stringify(query.fields ?? []);
    const rows = statement.all(params);
    if (rows.length > query.batchSize) {
      const last = rows[query.batchSize - 1]!;
      return {
        records: rows.slice(0, query.batchSize).map((row) => row[0]),
        next: { date: last[1], id: last[2] },
        more: true,
      };
    }
    const records = rows.map((row) => row[0]);
    const windowEnd = this.windowEnd.get(query.after.date, query.after.id);
    if (windowEnd) return { records, next: { date: windowEnd[0], id: windowEnd[1] }, more: true };
    const last = this.lastPosition.get();
    const next = last && isAfter(last, query.after) ? { date: last[0], id: last[1] } : query.after;
    return { records, next, more: false };
  }

  /**
   * Every activity in id order, for a snapshot: read SNAPSHOT_ROWS at a time (no SQLite iterator stays open while
   * the response is written), up to the last activity when the snapshot began.
   */
  *all(): Generator<ActivityRow> {
    const statements = this.seedStatements();
    const lastId = (statements.maxId.get() as { id: number | null }).id ?? 0;
    let after = 0;
    while (after < lastId) {
      const rows = statements.selectChunk.all(after, lastId) as RawRow[];
      if (rows.length === 0) return;
      for (const row of rows) yield toActivityRow(row);
      after = rows.at(-1)![0];
    }
  }

  /** Inserts an activity as a seed gives it: its id (or the next one) and date kept. */
  load(row: Omit<ActivityRow, 'id'> & { id: number | null }): void {
    this.seedStatements().insert.run(
      row.id,
      row.activityDate,
      row.leadId,
      row.partitionId,
      row.typeId,
      row.campaignId,
      row.primaryAttributeValueId,
      row.primaryAttributeValue,
      JSON.stringify(row.attributes),
      row.field?.name ?? null,
      row.field ? JSON.stringify([row.field]) : null,
    );
  }

  private seedStatements() {
    return (this.seeding ??= {
      maxId: prepareOnUse(this.db, 'SELECT max(id) AS id FROM activities'),
      selectChunk: prepareOnUse(
        this.db,
        `SELECT ${COLUMNS} FROM activities WHERE id > ? AND id <= ? ORDER BY id LIMIT ${SNAPSHOT_ROWS}`,
        { raw: true },
      ),
      insert: prepareOnUse(
        this.db,
        `INSERT INTO activities (id, activity_date, lead_id, partition_id, type_id, campaign_id, primary_value_id,
         primary_value, attributes, field_name, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    });
  }
}

function isAfter(row: [number, number], position: LogPosition): boolean {
  return row[0] > position.date || (row[0] === position.date && row[1] > position.id);
}

function toActivityRow(row: RawRow): ActivityRow {
  return {
    id: row[0],
    activityDate: row[1],
    leadId: row[2],
    partitionId: row[3],
    typeId: row[4],
    campaignId: row[5],
    primaryAttributeValueId: row[6],
    primaryAttributeValue: row[7],
    attributes: JSON.parse(row[8]) as ActivityAttribute[],
    field: row[9] === null ? null : (JSON.parse(row[9]) as ChangedField[])[0]!,
  };
}
