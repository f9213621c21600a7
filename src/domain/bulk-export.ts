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

/** A column of a chunk of a file as SQL (src/storage/delimited.ts): its expression; `plain`: never needs quotes. */
export interface ExportColumnSql {
  expression: string;
  plain?: boolean;
}

export interface LeadExport {
  /** The highest lead id now (0 with no leads): an export's leads end there. */
  lastId(): number;
  /**
   * The SQL that reads these lead fields (as the catalog spells them) out of the row of `leads` named `alias`,
   * written as this port's own files write them: for another family's export that joins its rows to their leads (a
   * program member export's lead fields, bulk-program-member-extract.md).
   */
  fieldColumns(fields: readonly string[], alias: string): ExportColumnSql[];
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

/** What a program member or custom object export asks of its rows, as the lead export does. */
export interface RecordExportQuery {
  /** Columns by name, each as the port's `field` spells it, in file order. */
  fields: readonly string[];
  separator: FieldSeparator;
  /** Records up to this id only: the last one when the export began processing. */
  lastId: number;
}

/**
 * Program members as a bulk export reads them (bulk-program-member-extract.md): the members of some programs, the
 * other filters ANDed with them.
 */
export interface ProgramMemberExportQuery extends RecordExportQuery {
  programIds: readonly number[];
  isExhausted: boolean | null;
  nurtureCadence: 'paused' | 'normal' | null;
  /** Members in one of these statuses (default or user-defined names, without regard to case); null: any. */
  statusNames: readonly string[] | null;
  /** Members changed within it; null: any. */
  updatedAt: TimeWindow | null;
  /** The partitions whose leads' memberships are exported; null: every partition. */
  partitionIds: readonly number[] | null;
}

/** The `programMemberExport` port (the program members family). */
export interface ProgramMemberExport {
  /**
   * The column a field name stands for, as the file's header spells it: a program member field (Describe Program
   * Member) or a lead field (Describe Lead2), without regard to case; undefined for neither.
   */
  field(name: string): string | undefined;
  /**
   * A column's header when columnHeaderNames does not rename it: bulk-program-member-extract.md's file names the
   * standard program member fields by their display names ("Member Date", "Status"), the others by their names.
   */
  header(column: string): string;
  /** Whether a program of this id exists. */
  programExists(id: number): boolean;
  /** The status names of the program's channel ("Not in Program" first); none for no program. */
  statuses(programId: number): readonly string[];
  /** The highest membership id now (0 with none). */
  lastId(): number;
  /** Memberships of the query after `afterId`, in id order, a bounded scan at a time (`next` null: all read). */
  rows(query: ProgramMemberExportQuery, afterId: number): ExportRead<number>;
}

/** A custom object type as its export needs it. */
export interface CustomObjectExportType {
  /** Its API name as its describe spells it. */
  apiName: string;
  /** The column a field name stands for (describe's field names, without regard to case); undefined: no such field. */
  field(name: string): string | undefined;
}

export interface CustomObjectExportQuery extends RecordExportQuery {
  apiName: string;
}

/**
 * The `customObjectExport` port (the custom objects family): the records of one approved type that are linked to a
 * lead (bulk-custom-object-extract.md: "first-level Marketo custom object records that are linked directly to a lead").
 */
export interface CustomObjectExport {
  /** Whether custom objects are on in this subscription (1026 when off). */
  enabled(): boolean;
  /** The approved type of this API name (without regard to case); undefined when there is none. */
  type(apiName: string): CustomObjectExportType | undefined;
  /** The highest record id now (0 with none), every type together. */
  lastId(): number;
  /** The type's records updated within the window after `afterId`, in id order, a bounded scan at a time. */
  windowRows(query: CustomObjectExportQuery & { window: TimeWindow }, afterId: number): ExportRead<number>;
  /** The type's records linked to these leads, in record id order. */
  rowsOfLeads(query: CustomObjectExportQuery, leadIds: readonly number[]): ExportRead<never>;
}
