import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ACTIVITY } from '../../domain/activity-log.js';
import {
  ACTIVITY_EXPORT_COLUMNS,
  type ActivityExportColumn,
  type FieldSeparator,
  type LogCursor,
  type TimeWindow,
} from '../../domain/bulk-export.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey, PermissionObject } from '../../domain/permissions.js';
import type { PortName, Ports } from '../../ports.js';
import { type FileFormat, FORMATS } from './file-format.js';
import type { EntityName, ExportDefinition } from './registry.js';

/**
 * What can be exported, one entry per entity: its paths, the permission Adobe's spec names for its operations, how a
 * create request becomes a job's definition, and how the job reads its records, a chunk at a time, through the port of
 * the family that owns them. Leads and activities are here, program members and custom objects in their own modules;
 * the list of them is registry.ts. What every entity's create shares is here too.
 */

/** Ports, as a route (`request.ctx`) or a job's step has them. */
export interface PortAccess {
  port<K extends PortName>(name: K): Ports[K];
  findPort<K extends PortName>(name: K): Ports[K] | undefined;
}

/** A filter's date range as stored: ISO 8601 with milliseconds, so the definition reads back exactly. */
export const storedWindow = z.strictObject({ startAt: z.iso.datetime(), endAt: z.iso.datetime() });

export const leadsDefinition = z.strictObject({
  entity: z.literal('leads'),
  filter: z.union([
    z.strictObject({ createdAt: storedWindow }),
    z.strictObject({ updatedAt: storedWindow }),
    z.strictObject({ staticListId: z.number().int().positive() }),
    z.strictObject({ smartListId: z.number().int().positive() }),
  ]),
});

export const activitiesDefinition = z.strictObject({
  entity: z.literal('activities'),
  createdAt: storedWindow,
  activityTypeIds: z.array(z.number().int().positive()).nullable(),
  primaryAttributeValueIds: z.array(z.number().int()).nullable(),
});

/** What a create request defines. */
export interface DefinedExport {
  definition: ExportDefinition;
  format: FileFormat;
  /** The exported fields, as the entity names them, in file order. */
  columns: string[];
  /** Their header names (columnHeaderNames applied). */
  headers: string[];
}

/** One read of the job's records: its lines of the file, how many, and the cursor to go on from (null: all read). */
export interface EntityRead {
  text: string;
  records: number;
  next: unknown;
}

export interface ExportEntity {
  name: EntityName;
  /** Where its operations live: `${path}/export/create.json` … (`:apiName` in it is a path parameter). */
  path: string;
  /** Its path's parameters (custom objects' apiName), or none. */
  pathParams?: z.ZodObject;
  /** Whether a job of the entity is the one this request's path names (custom objects: of its apiName). */
  addresses?(definition: ExportDefinition, request: FastifyRequest): boolean;
  /**
   * The port its records are read through. While no registered family provides it, every operation of the entity
   * answers 610 (README, "Decisions").
   */
  port: PortName;
  /** The word in Adobe's operation summaries: "Create Export Lead Job". */
  noun: string;
  tag: string;
  permissions: readonly PermissionKey[];
  /** The object whose partitions a caller may read, for BULK_EXTRACT_SCOPE=partitions; null: not partitioned. */
  scopeObject: PermissionObject | null;
  /** The create request, as the OpenAPI document shows it (checked again, with Marketo's codes, by `define`). */
  body: z.ZodType;
  /** A create request as a job definition; a MarketoError names what is wrong. */
  define(body: CreateBody, request: FastifyRequest): DefinedExport;
  /**
   * When the job begins processing: where its reads start (the cursor, JSON), holding the records as they are now;
   * or why it fails.
   */
  begin(definition: ExportDefinition, ports: PortAccess): { cursor: unknown } | { fail: string };
  /** The next rows after `cursor`. */
  read(job: ReadContext, cursor: unknown, ports: PortAccess): EntityRead;
}

/** What a read needs of the job. */
export interface ReadContext {
  definition: ExportDefinition;
  columns: readonly string[];
  partitionIds: readonly number[] | null;
  separator: FieldSeparator;
}

/** A create body, as its schema parsed it. */
export interface CreateBody {
  fields?: string[] | null | undefined;
  format?: string | null | undefined;
  columnHeaderNames?: Record<string, string> | null | undefined;
  filter?: Record<string, unknown> | null | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// What every entity's create shares.

export const invalid = (name: string, value: unknown) =>
  new MarketoError(
    '1003',
    formatMessage(DETAIL_MESSAGES.invalidParameter, name, typeof value === 'string' ? value : JSON.stringify(value)),
  );

/** "Max Time Span for Date Range Filter (createdAt or updatedAt): 31 days" (bulk-extract.md). */
export const MAX_RANGE_MS = 31 * 24 * 3600 * 1000;

export const dateRange = z
  .object({
    startAt: z.string().optional().describe('ISO 8601 date-time: the low watermark (included)'),
    endAt: z.string().optional().describe('ISO 8601 date-time: the high watermark (included)'),
  })
  .describe('At most 31 days');

/** null reads as absent: marketorestpython sends `"fields": null` for an activity export without fields. */
export const commonBody = {
  fields: z.array(z.string()).nullish(),
  format: z.string().nullish().describe('CSV (the default), TSV or SSV'),
  columnHeaderNames: z
    .record(z.string(), z.string())
    .nullish()
    .describe('Header names by field: {"firstName": "First Name"}'),
};

export function parseFormat(format: string | null | undefined): FileFormat {
  if (format === undefined || format === null) return 'CSV';
  const upper = format.toUpperCase();
  if (!(FORMATS as readonly string[]).includes(upper)) throw invalid('format', format);
  return upper as FileFormat;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A filter's range. Decision (README): both ends are included; a datetime is ISO 8601 with a time and an offset
 * (Marketo asks for it "without milliseconds"; they are accepted).
 */
export function parseWindow(name: string, value: unknown): TimeWindow {
  if (value === null || typeof value !== 'object') throw invalid(`filter.${name}`, value);
  const { startAt, endAt } = value as { startAt?: unknown; endAt?: unknown };
  const edge = (key: string, raw: unknown): number => {
    if (raw === undefined || raw === null || raw === '')
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportRequired, `filter.${name}.${key}`));
    const ms = typeof raw === 'string' && DATE_TIME.test(raw) ? Date.parse(raw) : Number.NaN;
    if (Number.isNaN(ms)) throw invalid(`filter.${name}.${key}`, raw);
    return ms;
  };
  const window = { startAt: edge('startAt', startAt), endAt: edge('endAt', endAt) };
  if (window.endAt < window.startAt)
    throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportRangeReversed, name));
  if (window.endAt - window.startAt > MAX_RANGE_MS)
    throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportRangeTooLong, name));
  return window;
}

export const stored = (window: TimeWindow) => ({
  startAt: new Date(window.startAt).toISOString(),
  endAt: new Date(window.endAt).toISOString(),
});
export const windowOf = (window: { startAt: string; endAt: string }): TimeWindow => ({
  startAt: Date.parse(window.startAt),
  endAt: Date.parse(window.endAt),
});

/** The filter's keys that are set, each one of `allowed` (else 1003). */
export function filterKeys(filter: Record<string, unknown> | null | undefined, allowed: readonly string[]): string[] {
  const keys = Object.keys(filter ?? {}).filter((key) => filter![key] !== undefined && filter![key] !== null);
  for (const key of keys) {
    if (!allowed.includes(key))
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportUnknownFilter, key, allowed.join(', ')));
  }
  return keys;
}

/** Header names: the field's own name, or its columnHeaderNames entry (whose key must name an exported field). */
export function headersOf(
  columns: readonly string[],
  names: Record<string, string> | null | undefined,
  canonical: (name: string) => string | undefined,
  /** A column's header when not renamed (its name when absent). */
  header: (column: string, index: number) => string = (column) => column,
): string[] {
  const renamed = new Map<string, string>();
  for (const [key, header] of Object.entries(names ?? {})) {
    const column = canonical(key);
    if (column === undefined || !columns.includes(column))
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportHeaderNotAField, key));
    renamed.set(column, header);
  }
  return columns.map((column, i) => renamed.get(column) ?? header(column, i));
}

/** The visible partitions for the job, or null for all (BULK_EXTRACT_SCOPE, README). */
export function scopeOf(request: FastifyRequest, object: PermissionObject | null): number[] | null {
  if (request.ctx.config.BULK_EXTRACT_SCOPE === 'all' || object === null) return null;
  return [...request.access.partitions('read', object)].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------------------------
// Leads (bulk-lead-extract.md).

const LEAD_FILTERS = ['createdAt', 'updatedAt', 'staticListId', 'staticListName', 'smartListId', 'smartListName'];

/** Static list members a read takes (then the owning family's port reads their records). */
const LIST_MEMBERS_PER_READ = 1000;

/** Where reads by id go on: the last record when processing began, and the last one read. */
export const idCursor = z.strictObject({ lastId: z.number().int(), after: z.number().int() });
const listCursor = z.strictObject({ after: z.number().int() });

/** The next members of a static list after `after`, and the member to go on from (null: the list is read). */
export function listMembers(
  ports: PortAccess,
  listId: number,
  after: number,
): { members: number[]; next: number | null } {
  const members = ports.port('staticLists').members(listId, after, LIST_MEMBERS_PER_READ);
  return { members, next: members.length < LIST_MEMBERS_PER_READ ? null : members.at(-1)! };
}

/** The filters that select leads by a list, as the lead and custom object exports take them. */
export const listFilters = {
  staticListId: z.number().int().optional(),
  staticListName: z.string().optional(),
  smartListId: z.number().int().optional(),
  smartListName: z.string().optional(),
};

const leadsBody = z
  .object({
    ...commonBody,
    fields: commonBody.fields.describe('Required: REST API names of lead fields, in file order'),
    filter: z
      .looseObject({
        createdAt: dateRange.optional(),
        updatedAt: dateRange.optional(),
        ...listFilters,
      })
      .nullish()
      .describe('Required: exactly one of the filters'),
  })
  .optional();

export function staticList(
  request: FastifyRequest,
  key: string,
  value: unknown,
  scoped = request.ctx.config.BULK_EXTRACT_SCOPE === 'partitions',
): number {
  const lists = request.ctx.findPort('staticLists');
  let found: { id: number; workspaceId: number } | undefined;
  if (key === 'staticListId') {
    const id = value as number;
    const workspaceId = lists?.workspaceOf(id);
    found = workspaceId === undefined ? undefined : { id, workspaceId };
  } else {
    found = lists?.byName(value as string);
  }
  // With BULK_EXTRACT_SCOPE=partitions a list is found where the caller reads leads, as the lists family decides.
  const hidden =
    found !== undefined && scoped && !request.access.workspaces('read', 'lead').includes(found.workspaceId);
  if (!found || hidden) throw new MarketoError('1013', formatMessage(DETAIL_MESSAGES.listNotFound, String(value)));
  return found.id;
}

/**
 * A lead export's smart list (`smartListId` or `smartListName`): one whose rules the fake evaluates (the smartLists
 * port: Member of List and Id filters, matched by All or Any), else 1035; unknown, or with BULK_EXTRACT_SCOPE=partitions
 * in a workspace where the caller does not read leads, 1013.
 */
function smartList(request: FastifyRequest, key: string, value: unknown): number {
  const lists = request.ctx.findPort('smartLists');
  // No smart lists family: this subscription has no smart list filter (bulk-extract.md's 1035).
  if (!lists) throw new MarketoError('1035', DETAIL_MESSAGES.unsupportedFilter);
  const found = key === 'smartListId' ? lists.find(value as number) : lists.byName(value as string);
  const hidden =
    found !== undefined &&
    request.ctx.config.BULK_EXTRACT_SCOPE === 'partitions' &&
    !request.access.workspaces('read', 'lead').includes(found.workspaceId);
  if (!found || hidden) throw new MarketoError('1013', formatMessage(DETAIL_MESSAGES.smartListNotFound, String(value)));
  if (lists.members(found.id, 0, 1) === undefined)
    throw new MarketoError('1035', formatMessage(DETAIL_MESSAGES.smartListNotEvaluated, found.id));
  return found.id;
}

export const leadsEntity: ExportEntity = {
  name: 'leads',
  path: '/bulk/v1/leads',
  noun: 'Lead',
  tag: 'Marketo: Bulk Export Leads',
  port: 'leadExport',
  permissions: ['read-only-lead'],
  scopeObject: 'lead',
  body: leadsBody,
  define(body, request) {
    const format = parseFormat(body.format);
    if (!body.fields || body.fields.length === 0)
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportRequired, 'fields'));
    const catalog = request.ctx.port('leads').catalog();
    const columns: string[] = [];
    for (const name of body.fields) {
      const field = catalog.find(name);
      if (!field) throw new MarketoError('1006', marketoMessage('1006', name));
      if (!columns.includes(field.name)) columns.push(field.name);
    }
    const headers = headersOf(columns, body.columnHeaderNames, (name) => catalog.find(name)?.name);
    const keys = filterKeys(body.filter, LEAD_FILTERS);
    // "Only one filter type may be specified per export job" (bulk-lead-extract.md).
    if (keys.length === 0)
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportFilterRequired, LEAD_FILTERS.join(', ')));
    if (keys.length > 1)
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportOneFilter, keys.join(', ')));
    const [key] = keys as [string];
    const value = body.filter![key];
    let filter: z.infer<typeof leadsDefinition>['filter'];
    switch (key) {
      case 'createdAt':
        filter = { createdAt: stored(parseWindow(key, value)) };
        break;
      case 'updatedAt': {
        const window = parseWindow(key, value);
        // "Bulk Lead Extract filters for UpdatedAt and Smart List are unavailable for some subscription types"
        // (bulk-extract.md); tap-marketo probes for it with a one-second job.
        if (request.ctx.config.BULK_EXTRACT_UPDATED_AT_FILTER === 'unsupported')
          throw new MarketoError('1035', DETAIL_MESSAGES.unsupportedFilter);
        filter = { updatedAt: stored(window) };
        break;
      }
      case 'staticListId':
      case 'staticListName':
        filter = { staticListId: staticList(request, key, value) };
        break;
      default:
        filter = { smartListId: smartList(request, key, value) };
    }
    return { definition: { entity: 'leads', filter }, format, columns, headers };
  },
  begin(definition, ports) {
    if (definition.entity !== 'leads') throw new Error('not a lead export');
    if ('staticListId' in definition.filter) {
      // "members of the static list at the time that the job begins processing" (bulk-lead-extract.md).
      if (ports.findPort('staticLists')?.workspaceOf(definition.filter.staticListId) === undefined)
        return { fail: formatMessage(DETAIL_MESSAGES.listNotFound, definition.filter.staticListId) };
      return { cursor: { after: 0 } };
    }
    if ('smartListId' in definition.filter) {
      // The smart list deleted (or its rules changed to ones the fake does not evaluate) before processing began.
      if (ports.findPort('smartLists')?.members(definition.filter.smartListId, 0, 1) === undefined)
        return { fail: formatMessage(DETAIL_MESSAGES.smartListNotFound, definition.filter.smartListId) };
      return { cursor: { after: 0 } };
    }
    return { cursor: { lastId: ports.port('leadExport').lastId(), after: 0 } };
  },
  read(job, cursor, ports) {
    const { definition } = job;
    if (definition.entity !== 'leads') throw new Error('not a lead export');
    const leads = ports.port('leadExport');
    const query = { fields: job.columns, partitionIds: job.partitionIds, separator: job.separator };
    if ('staticListId' in definition.filter) {
      const { after } = listCursor.parse(cursor);
      const { members, next } = listMembers(ports, definition.filter.staticListId, after);
      const { text, records } = leads.rowsOf(query, members);
      return { text, records, next: next === null ? null : { after: next } };
    }
    if ('smartListId' in definition.filter) {
      // The leads its rules qualify as each chunk is read (as a static list's members are read a chunk at a time).
      const { after } = listCursor.parse(cursor);
      const members =
        ports.findPort('smartLists')?.members(definition.filter.smartListId, after, LIST_MEMBERS_PER_READ) ?? [];
      const { text, records } = leads.rowsOf(query, members);
      return {
        text,
        records,
        next: members.length < LIST_MEMBERS_PER_READ ? null : { after: members.at(-1)! },
      };
    }
    const { lastId, after } = idCursor.parse(cursor);
    const [column, window] =
      'createdAt' in definition.filter
        ? (['createdAt', definition.filter.createdAt] as const)
        : (['updatedAt', definition.filter.updatedAt] as const);
    const read = leads.windowRows({ ...query, column, window: windowOf(window), lastId }, after);
    return { text: read.text, records: read.records, next: read.next === null ? null : { lastId, after: read.next } };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Activities (bulk-activity-extract.md).

const ACTIVITY_FILTERS = ['createdAt', 'activityTypeIds', 'primaryAttributeValueIds', 'primaryAttributeValues'];

/** "By default, the following fields are returned" (bulk-activity-extract.md); actionResult only when asked. */
const DEFAULT_ACTIVITY_COLUMNS = ACTIVITY_EXPORT_COLUMNS.filter((column) => column !== 'actionResult');

/** "A maximum of 50 ids may be specified" (bulk-activity-extract.md). */
const MAX_PRIMARY_VALUE_IDS = 50;

/**
 * The activity types whose primary attribute values can be filtered on, by asset group; `activityTypeIds` must hold
 * types of one group only (bulk-activity-extract.md, "primaryAttributeValueIds options").
 */
const PRIMARY_VALUE_GROUPS: Readonly<Record<string, readonly number[]>> = {
  'Attribute Name (Change Data Value 13, Change Score 22)': [13, 22],
  'Marketing Program (Change Status in Progression 104)': [104],
  'Static List (Add to List 24, Remove from List 25)': [24, 25],
  'Web Form (Fill Out Form 2)': [2],
};

const activityCursor = z.strictObject({
  lastId: z.number().int(),
  after: z.strictObject({ date: z.number().int(), id: z.number().int() }).nullable(),
});

const activitiesBody = z
  .object({
    ...commonBody,
    fields: commonBody.fields.describe(`Optional: some of ${ACTIVITY_EXPORT_COLUMNS.join(', ')}`),
    filter: z
      .looseObject({
        createdAt: dateRange.optional().describe('Required, at most 31 days'),
        activityTypeIds: z.array(z.number().int()).optional(),
        primaryAttributeValueIds: z.array(z.number().int()).optional(),
        primaryAttributeValues: z.array(z.string()).optional(),
      })
      .nullish()
      .describe('Required: createdAt, and optionally activityTypeIds and primaryAttributeValueIds'),
  })
  .optional();

const activityColumn = (name: string): ActivityExportColumn | undefined =>
  ACTIVITY_EXPORT_COLUMNS.find((column) => column.toLowerCase() === name.toLowerCase());

export const activitiesEntity: ExportEntity = {
  name: 'activities',
  path: '/bulk/v1/activities',
  noun: 'Activity',
  tag: 'Marketo: Bulk Export Activities',
  port: 'activityExport',
  permissions: ['read-only-activity'],
  scopeObject: 'activity',
  body: activitiesBody,
  define(body, request) {
    const format = parseFormat(body.format);
    let columns: string[] = [...DEFAULT_ACTIVITY_COLUMNS];
    if (body.fields && body.fields.length > 0) {
      columns = [];
      for (const name of body.fields) {
        const column = activityColumn(name);
        if (!column) throw new MarketoError('1006', marketoMessage('1006', name));
        if (!columns.includes(column)) columns.push(column);
      }
    }
    const headers = headersOf(columns, body.columnHeaderNames, activityColumn);
    const keys = filterKeys(body.filter, ACTIVITY_FILTERS);
    const filter = body.filter ?? {};
    // "createdAt, which is always required" (bulk-activity-extract.md).
    if (!keys.includes('createdAt'))
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportRequired, 'filter.createdAt'));
    const window = parseWindow('createdAt', filter.createdAt);
    if (keys.includes('primaryAttributeValues')) {
      throw new MarketoError(
        '1003',
        formatMessage(DETAIL_MESSAGES.exportFilterNotServed, 'primaryAttributeValues', 'primaryAttributeValueIds'),
      );
    }
    const exports = request.ctx.port('activityExport');
    const typeIds = (filter.activityTypeIds as number[] | undefined) ?? [];
    for (const id of typeIds) {
      if (id === ACTIVITY.deleteLead) throw new MarketoError('1003', DETAIL_MESSAGES.exportDeleteLead);
      if (!exports.typeExists(id)) throw invalid('filter.activityTypeIds', id);
    }
    const valueIds = (filter.primaryAttributeValueIds as number[] | undefined) ?? [];
    if (valueIds.length > MAX_PRIMARY_VALUE_IDS) {
      throw new MarketoError(
        '1003',
        formatMessage(DETAIL_MESSAGES.tooManyValues, 'primaryAttributeValueIds', MAX_PRIMARY_VALUE_IDS),
      );
    }
    if (valueIds.length > 0) {
      // "the activityTypeIds filter must be present and only contain activity ids that match the corresponding asset
      // group" (bulk-activity-extract.md).
      const oneGroup = Object.values(PRIMARY_VALUE_GROUPS).some(
        (group) => typeIds.length > 0 && typeIds.every((id) => group.includes(id)),
      );
      if (!oneGroup) {
        throw new MarketoError(
          '1003',
          formatMessage(DETAIL_MESSAGES.exportPrimaryNeedsTypes, Object.keys(PRIMARY_VALUE_GROUPS).join('; ')),
        );
      }
    }
    return {
      definition: {
        entity: 'activities',
        createdAt: stored(window),
        activityTypeIds: typeIds.length > 0 ? [...new Set(typeIds)] : null,
        primaryAttributeValueIds: valueIds.length > 0 ? [...new Set(valueIds)] : null,
      },
      format,
      columns,
      headers,
    };
  },
  begin(definition, ports) {
    if (definition.entity !== 'activities') throw new Error('not an activity export');
    return { cursor: { lastId: ports.port('activityExport').lastId(), after: null } };
  },
  read(job, cursor, ports) {
    const { definition } = job;
    if (definition.entity !== 'activities') throw new Error('not an activity export');
    const { lastId, after } = activityCursor.parse(cursor);
    const read = ports.port('activityExport').rows(
      {
        columns: job.columns as ActivityExportColumn[],
        window: windowOf(definition.createdAt),
        typeIds: definition.activityTypeIds,
        primaryAttributeValueIds: definition.primaryAttributeValueIds,
        partitionIds: job.partitionIds,
        lastId,
        separator: job.separator,
      },
      after as LogCursor | null,
    );
    return { text: read.text, records: read.records, next: read.next === null ? null : { lastId, after: read.next } };
  },
};
