/**
 * What a bulk extract reads of the families that own the records (the `leadExport` and `activityExport` ports,
 * src/ports.ts): the lines of a file, a chunk at a time, each the asked columns as the file shows them. The owning
 * family reads its own tables with prepared statements that write the lines (src/storage/delimited.ts); the
 * bulk-extract family keeps the file.
 */

/** What separates the fields of a line: CSV ',', TSV tab, SSV ';' (src/storage/delimited.ts writes the lines). */
export type FieldSeparator = ',' | '\t' | ';';

/** Epoch milliseconds, both ends included (a filter's `startAt` and `endAt`). */
export interface TimeWindow {
  startAt: number;
  endAt: number;
}

/** One read of an export: the lines found (whole, LF-terminated), how many, and where the next read goes on. */
export interface ExportRead<Cursor> {
  text: string;
  records: number;
  /** Null: nothing more. */
  next: Cursor | null;
}

/** Which leads an export holds. */
export interface LeadExportQuery {
  /** Lead fields by their REST API names, as the catalog spells them, in file order. */
  fields: readonly string[];
  /** Partitions whose leads are exported; null: every partition (bulk extract ignores workspaces by default). */
  partitionIds: readonly number[] | null;
  separator: FieldSeparator;
}

/** Leads created, or last updated, within a window. */
export interface LeadWindowQuery extends LeadExportQuery {
  column: 'createdAt' | 'updatedAt';
  window: TimeWindow;
  /** Leads with ids up to this one only: the last lead when the export began processing. */
  lastId: number;
}

export interface LeadExport {
  /** The highest lead id now (0 with no leads): an export's leads end there. */
  lastId(): number;
  /**
   * Leads of the window after `afterId`, in id order. A read scans a bounded run of ids (matching or not), so it may
   * find none while `next` says more follow.
   */
  windowRows(query: LeadWindowQuery, afterId: number): ExportRead<number>;
  /** These leads (a static list's members), in id order; ids of no lead, or of a partition not asked, are left out. */
  rowsOf(query: LeadExportQuery, leadIds: readonly number[]): ExportRead<never>;
}

/** The columns of an activity export, in the order Marketo's default file has them, and actionResult. */
export const ACTIVITY_EXPORT_COLUMNS = [
  'marketoGUID',
  'leadId',
  'activityDate',
  'activityTypeId',
  'campaignId',
  'primaryAttributeValueId',
  'primaryAttributeValue',
  'attributes',
  'actionResult',
] as const;
export type ActivityExportColumn = (typeof ACTIVITY_EXPORT_COLUMNS)[number];

/** A position in the activity log: activity date, then id. */
export interface LogCursor {
  date: number;
  id: number;
}

export interface ActivityExportQuery {
  columns: readonly ActivityExportColumn[];
  /** Activities dated within it (the `createdAt` filter). */
  window: TimeWindow;
  /** Only these types; null: every type an export may hold. */
  typeIds: readonly number[] | null;
  /** Only activities whose primary attribute value is one of these ids; null: any. */
  primaryAttributeValueIds: readonly number[] | null;
  partitionIds: readonly number[] | null;
  /** Activities with ids up to this one only: the last activity when the export began processing. */
  lastId: number;
  separator: FieldSeparator;
}

export interface ActivityExport {
  /** The highest activity id now (0 with none). */
  lastId(): number;
  /** Whether an activity type of this id exists (standard or custom). */
  typeExists(id: number): boolean;
  /** Activities of the query after `after` (null: from the window's start), in log order, a bounded scan at a time. */
  rows(query: ActivityExportQuery, after: LogCursor | null): ExportRead<LogCursor>;
}
