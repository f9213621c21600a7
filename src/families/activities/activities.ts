import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decimalId, seedActivityId, seedId } from '../../domain/record-ids.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ActivityAttribute, NewActivity } from '../../domain/activity-log.js';
import { decodePosition, encodePosition, type LogPosition } from './positions.js';
import { MarketoError, NotFoundError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage, reason } from '../../domain/marketo-codes.js';
import type { Reason } from '../../domain/results.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { defineFamily, type FamilyRouteOptions, type SeedLoadContext } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import { commaList, envelopeOf, recordResultOf } from '../../http/marketo-schemas.js';
import { problemResponses } from '../../http/problem.js';
import { type ActivityPage, ActivityRepository, type ActivityRow } from './repository.js';
import { activityTypes } from './activity-types.js';
import type { ActivityTypeRepository } from './activity-types-repository.js';
import { ACTIVITY, ACTIVITY_DATES, isActivityDate } from '../../domain/activity-log.js';
import { ActivityExportReader } from './export.js';

/**
 * The activity log on the Marketo plane (activities.md, paging-tokens.md; marketo-reference.md §6.2): date tokens,
 * Get Lead Activities, Get Lead Changes and Get Deleted Leads. Every lead write records its activities through the
 * ActivityRecorder port (src/domain/activity-log.ts) that this family's repository implements.
 */

const READ: readonly PermissionKey[] = ['read-only-activity', 'read-write-activity'];
const WRITE: readonly PermissionKey[] = ['read-write-activity'];
/** Add Custom Activities takes at most 300 records, as every lead-database batch call (error-codes.md). */
const MAX_CUSTOM_ACTIVITIES = 300;
/** "attributes > 65536 bytes" fails with 1049 Failed to Create Activity (error-codes.md). */
const MAX_ATTRIBUTE_BYTES = 65_536;
const tags = ['Marketo: Activities'];

/** Limits of Get Lead Activities (activities.md; marketo-reference.md §6.2). */
const MAX_TYPE_IDS = 10;
const MAX_LEAD_IDS = 30;
const MAX_BATCH = 300;

const idList = commaList(z.string());

const pagingTokenQuery = z.object({
  sinceDatetime: z.string().describe('ISO 8601 date-time (or date); activities at or after it'),
});
const pagingTokenEnvelope = z.object({
  requestId: z.string(),
  success: z.boolean(),
  nextPageToken: z.string().optional(),
  errors: z.array(z.object({ code: z.string(), message: z.string() })).optional(),
});

const activitiesQuery = z.object({
  nextPageToken: z.string().optional().describe('Required: a date token or the nextPageToken of a previous read'),
  activityTypeIds: idList.optional().describe(`Required: up to ${MAX_TYPE_IDS} activity type ids`),
  leadIds: idList.optional().describe(`Up to ${MAX_LEAD_IDS} lead ids`),
  assetIds: idList.optional().describe('Primary attribute value ids (assets)'),
  listId: z.string().optional().describe('Static list id'),
  batchSize: z.string().optional().describe(`1–${MAX_BATCH}, default ${MAX_BATCH}`),
});

const leadChangesQuery = z.object({
  nextPageToken: z.string().optional().describe('Required'),
  fields: idList.optional().describe('Required: REST API names of the fields whose changes are wanted'),
  leadIds: idList.optional().describe(`Up to ${MAX_LEAD_IDS} lead ids`),
  listId: z.string().optional(),
  batchSize: z.string().optional(),
});

const deletedLeadsQuery = z.object({
  nextPageToken: z.string().optional().describe('Required'),
  batchSize: z.string().optional(),
});

const attributeSchema = z.object({
  name: z.string(),
  apiName: z.string().optional().describe("A custom activity type's attributes carry their API name too"),
  value: z.unknown(),
});
const activitySchema = z
  .object({
    id: z.number().int(),
    marketoGUID: z.string(),
    leadId: z.number().int(),
    activityDate: z.string(),
    activityTypeId: z.number().int(),
    campaignId: z.number().int().optional(),
    primaryAttributeValueId: z.number().int().optional(),
    primaryAttributeValue: z.string().nullable().optional(),
    attributes: z.array(attributeSchema),
  })
  .meta({ id: 'Activity' });
const leadChangeSchema = z
  .object({
    id: z.number().int(),
    marketoGUID: z.string(),
    leadId: z.number().int(),
    activityDate: z.string(),
    activityTypeId: z.number().int(),
    fields: z
      .array(
        z.object({
          id: z.number().int(),
          name: z.string(),
          newValue: z.string().nullable(),
          oldValue: z.string().nullable(),
        }),
      )
      .optional(),
    attributes: z.array(attributeSchema),
  })
  .meta({ id: 'LeadChange' });
const activityEnvelope = envelopeOf(activitySchema);
const leadChangeEnvelope = envelopeOf(leadChangeSchema);

const externalBody = z.object({
  input: z
    .array(z.record(z.string(), z.unknown()))
    .min(1)
    .max(MAX_CUSTOM_ACTIVITIES)
    .describe(
      '{leadId, activityDate, activityTypeId, apiName?, primaryAttributeValue, attributes: [{apiName, value}]}',
    ),
});
const addedResultSchema = recordResultOf(['added', 'skipped'])
  .extend({ marketoGUID: z.string().optional() })
  .meta({ id: 'CustomActivityResult' });
const addedEnvelope = envelopeOf(addedResultSchema);
type AddedResult = { id: number; marketoGUID: string; status: 'added' } | { status: 'skipped'; reasons: Reason[] };

const attributeValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const adminActivityBody = z.strictObject({
  leadId: z.number().int().positive(),
  activityTypeId: z.number().int().positive().describe('Any standard or custom type'),
  primaryAttributeValueId: z.number().int().optional(),
  primaryAttributeValue: z.string().optional(),
  campaignId: z.number().int().optional(),
  attributes: z
    .array(z.strictObject({ name: z.string().min(1), value: attributeValue }))
    .max(100)
    .default([]),
});

/** Decision (issue 13): a missing required parameter is response-level 701 "<name> cannot be blank". */
const required = (name: string) => new MarketoError('701', marketoMessage('701', name));

/**
 * Ids of a list parameter. Decision (issue 13): more than 10 type ids, more than 30 lead ids (or a batchSize over
 * 300, below) is response-level 1003 naming the parameter; so is a value that is not an id.
 */
function ids(name: string, values: readonly string[] | undefined, max: number): number[] | undefined {
  if (values === undefined || values.length === 0) return undefined;
  if (values.length > max) throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.tooManyValues, name, max));
  return values.map((value) => {
    const id = decimalId(value.trim());
    if (id === undefined || id < 0) {
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidParameter, name, value));
    }
    return id;
  });
}

function batchSizeOf(value: string | undefined): number {
  if (value === undefined || value === '') return MAX_BATCH;
  const size = Number(value);
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_BATCH) {
    throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidParameter, 'batchSize', value));
  }
  return size;
}

function positionOf(token: string | undefined): LogPosition {
  if (token === undefined || token === '') throw required('nextPageToken');
  return decodePosition(token);
}

/**
 * Marketo's announced rule: "Beginning 2026-12-30, calls to the Get Lead Activities and Get Lead Changes endpoints
 * which include the listId parameter will fail (error code 1003) if the target lists contain 10,000 or more leads"
 * (swagger-mapi.json; migration.md names 2026-09-30 — the later date is applied, on the fake's clock).
 */
export const LIST_FILTER_LIMIT = { members: 10_000, from: Date.UTC(2026, 11, 30) } as const;

/**
 * The `listId` filter as lead ids. Decision (issue 15, README "Static lists"): a list unknown, or in a workspace
 * where the caller holds no activity permission, is a response-level 1013; `listId` beside `leadIds` keeps the
 * leads in both.
 */
function listMembers(
  request: FastifyRequest,
  listIdText: string | undefined,
  leadIds: readonly number[] | undefined,
): readonly number[] | undefined {
  // An empty listId is no filter, as an empty leadIds is.
  if (listIdText === undefined || listIdText.trim() === '') return leadIds;
  const listId = Number(listIdText);
  if (!/^\d+$/.test(listIdText.trim()) || !Number.isSafeInteger(listId))
    throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidParameter, 'listId', listIdText));
  const { ctx } = request;
  // An app built without the lists family knows no list.
  const lists = ctx.findPort('staticLists');
  const workspaceId = lists?.workspaceOf(listId);
  if (!lists || workspaceId === undefined || !request.access.workspaces('read', 'activity').includes(workspaceId))
    throw new MarketoError('1013', marketoMessage('1013'));
  if (ctx.clock.now() >= LIST_FILTER_LIMIT.from && lists.count(listId) >= LIST_FILTER_LIMIT.members) {
    throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.listTooLarge, listId, LIST_FILTER_LIMIT.members));
  }
  const members = lists.leadIds(listId);
  if (leadIds === undefined) return members;
  const asked = new Set(leadIds);
  return members.filter((id) => asked.has(id));
}

/**
 * The envelope as text around records SQLite built as JSON: a page of 300 then costs no object per activity. The
 * string is sent as it is (a JSON string is not serialized again).
 */
function sendPage(request: FastifyRequest, reply: FastifyReply, page: ActivityPage): FastifyReply {
  const requestId = JSON.stringify(request.marketoRequestId());
  const body =
    `{"requestId":${requestId},"result":[${page.records.join(',')}],"success":true,` +
    `"nextPageToken":${JSON.stringify(encodePosition(page.next))},"moreResult":${page.more}}`;
  return reply.type('application/json; charset=utf-8').send(body);
}

const activityRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ActivityRepository>> = async (app, { repo }) => {
  app.get(
    '/rest/v1/activities/pagingtoken.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Paging Token',
        description: 'A date token: reads with it return the activities at or after sinceDatetime.',
        querystring: pagingTokenQuery,
        response: { 200: pagingTokenEnvelope },
      },
    },
    async (request) => {
      const since = Date.parse(request.query.sinceDatetime);
      if (Number.isNaN(since)) {
        throw new MarketoError(
          '1003',
          formatMessage(DETAIL_MESSAGES.invalidParameter, 'sinceDatetime', request.query.sinceDatetime),
        );
      }
      return {
        requestId: request.marketoRequestId(),
        success: true,
        // No activity is dated before 1970 (ACTIVITY_DATES): an earlier time selects from the start of the log.
        nextPageToken: encodePosition({ date: Math.max(since, ACTIVITY_DATES.first), id: 0 }),
      };
    },
  );

  app.get(
    '/rest/v1/activities.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Lead Activities',
        description:
          'Always returns nextPageToken; may return fewer than batchSize activities with moreResult true. ' +
          'Activities of leads in partitions the caller cannot read are absent.',
        querystring: activitiesQuery,
        response: { 200: activityEnvelope },
      },
    },
    async (request, reply) => {
      const activities = repo(request);
      const query = request.query;
      const after = positionOf(query.nextPageToken);
      const typeIds = ids('activityTypeIds', query.activityTypeIds, MAX_TYPE_IDS);
      if (!typeIds) throw required('activityTypeIds');
      const leadIds = ids('leadIds', query.leadIds, MAX_LEAD_IDS);
      const assetIds = ids('assetIds', query.assetIds, MAX_BATCH);
      const batchSize = batchSizeOf(query.batchSize);
      const members = listMembers(request, query.listId, leadIds);
      const page = activities.page({
        kind: 'activities',
        after,
        typeIds,
        // Visibility (README, Decisions): an activity carries its lead's partition at the time; it is seen by callers
        // holding an activity permission in a workspace that sees that partition.
        partitionIds: [...request.access.partitions('read', 'activity')],
        ...(members ? { leadIds: members } : {}),
        ...(assetIds ? { assetIds } : {}),
        batchSize,
      });
      return sendPage(request, reply, page);
    },
  );

  app.get(
    '/rest/v1/activities/leadchanges.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Lead Changes',
        description: 'New Lead and Change Data Value activities; Change Data Value only for the fields asked.',
        querystring: leadChangesQuery,
        response: { 200: leadChangeEnvelope },
      },
    },
    async (request, reply) => {
      const activities = repo(request);
      const query = request.query;
      const after = positionOf(query.nextPageToken);
      if (!query.fields || query.fields.length === 0) throw required('fields');
      const catalog = request.ctx.port('leads').catalog();
      const fields = query.fields.map((name) => {
        const field = catalog.find(name);
        if (!field) throw new MarketoError('1006', marketoMessage('1006', name));
        return field.name;
      });
      const leadIds = ids('leadIds', query.leadIds, MAX_LEAD_IDS);
      const batchSize = batchSizeOf(query.batchSize);
      const members = listMembers(request, query.listId, leadIds);
      const page = activities.page({
        kind: 'leadChanges',
        after,
        typeIds: [ACTIVITY.newLead, ACTIVITY.changeDataValue],
        partitionIds: [...request.access.partitions('read', 'activity')],
        ...(members ? { leadIds: members } : {}),
        fields,
        batchSize,
      });
      return sendPage(request, reply, page);
    },
  );

  app.get(
    '/rest/v1/activities/deletedleads.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Deleted Leads',
        description: 'Delete Lead activities of the last 14 days (on the instance clock).',
        querystring: deletedLeadsQuery,
        response: { 200: activityEnvelope },
      },
    },
    async (request, reply) => {
      const activities = repo(request);
      const after = positionOf(request.query.nextPageToken);
      const batchSize = batchSizeOf(request.query.batchSize);
      const page = activities.page({
        kind: 'activities',
        after,
        typeIds: [ACTIVITY.deleteLead],
        partitionIds: [...request.access.partitions('read', 'activity')],
        batchSize,
      });
      return sendPage(request, reply, page);
    },
  );
};

/** Add Custom Activities: one record of the input, checked and added, or skipped with its reason. */
function customActivity(
  record: Record<string, unknown>,
  context: {
    findLead(id: number): { id: number; partitionId: number } | undefined;
    visible: ReadonlySet<number>;
    types: ActivityTypeRepository;
  },
): NewActivity | Reason {
  const invalid = (message?: string) => reason('1003', message);
  const leadId = record.leadId;
  if (typeof leadId !== 'number' || !Number.isSafeInteger(leadId)) return invalid(marketoMessage('1002', 'leadId'));
  // Decision (issue 13): an unknown lead, or one in a partition the caller cannot see, is skipped with 1004.
  const lead = context.findLead(leadId);
  if (!lead || !context.visible.has(lead.partitionId)) return reason('1004');
  const typeId = record.activityTypeId;
  const type = typeof typeId === 'number' ? context.types.find(typeId) : undefined;
  // Decision (issue 13): an unknown type, or a standard one (only custom types are added here), is 1003.
  if (!type || type.builtIn)
    return invalid(formatMessage(DETAIL_MESSAGES.invalidParameter, 'activityTypeId', String(typeId)));
  if (record.apiName !== undefined && String(record.apiName).toLowerCase() !== type.apiName?.toLowerCase()) {
    return invalid(formatMessage(DETAIL_MESSAGES.invalidParameter, 'apiName', String(record.apiName)));
  }
  const date = typeof record.activityDate === 'string' ? Date.parse(record.activityDate) : NaN;
  if (!isActivityDate(date))
    return invalid(formatMessage(DETAIL_MESSAGES.invalidParameter, 'activityDate', String(record.activityDate)));
  const primary = record.primaryAttributeValue;
  if (typeof primary !== 'string' && typeof primary !== 'number')
    return invalid(marketoMessage('1002', 'primaryAttributeValue'));
  const given = record.attributes ?? [];
  if (!Array.isArray(given))
    return invalid(formatMessage(DETAIL_MESSAGES.invalidParameter, 'attributes', typeof given));
  const attributes: ActivityAttribute[] = [];
  for (const item of given as unknown[]) {
    const { apiName, name, value } = (item ?? {}) as Record<string, unknown>;
    const key = String(apiName ?? name ?? '').toLowerCase();
    const declared = type.attributes.find((a) => a.apiName?.toLowerCase() === key || a.name.toLowerCase() === key);
    if (!declared)
      return invalid(formatMessage(DETAIL_MESSAGES.unknownAttribute, String(apiName ?? name), type.apiName ?? ''));
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
      return invalid(
        formatMessage(DETAIL_MESSAGES.invalidParameter, declared.apiName ?? declared.name, JSON.stringify(value)),
      );
    }
    attributes.push({ name: declared.name, apiName: declared.apiName!, value: value as ActivityAttribute['value'] });
  }
  if (Buffer.byteLength(JSON.stringify(attributes)) > MAX_ATTRIBUTE_BYTES) return reason('1049');
  return {
    leadId: lead.id,
    partitionId: lead.partitionId,
    typeId: type.id,
    primaryAttributeValueId: null,
    primaryAttributeValue: String(primary),
    attributes,
    activityDate: date,
  };
}

const activityWriteRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ActivityRepository>> = async (app, { repo }) => {
  app.post(
    '/rest/v1/activities/external.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Add Custom Activities',
        description: 'Activities of declared custom types, for existing leads the caller can see; up to 300.',
        body: externalBody,
        response: { 200: addedEnvelope },
      },
    },
    async (request) => {
      const activities = repo(request);
      const leads = request.ctx.port('leads');
      const types = request.ctx.repo(activityTypes);
      const visible = request.access.partitions('write', 'activity');
      const results = request.ctx.transaction(() =>
        request.body.input.map((record): AddedResult => {
          const activity = customActivity(record, { findLead: (id) => leads.find(id), visible, types });
          if ('code' in activity) return { status: 'skipped', reasons: [activity] };
          const id = activities.add(activity);
          return { id, marketoGUID: String(id), status: 'added' };
        }),
      );
      return successEnvelope(request.marketoRequestId(), results);
    },
  );
};

const adminRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ActivityRepository>> = async (app, { repo }) => {
  app.post(
    '/activities',
    {
      schema: {
        tags: ['Admin: Activities'],
        summary: "Add an activity of any type for a lead, at the instance's current time",
        description: 'For the activities the fake never produces itself (Visit Webpage, Fill Out Form, Open Email…).',
        body: adminActivityBody,
        response: { 201: activitySchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const activities = repo(request);
      const leads = request.ctx.port('leads');
      const types = request.ctx.repo(activityTypes);
      const input = request.body;
      const lead = leads.find(input.leadId);
      if (!lead) throw new NotFoundError('Lead', input.leadId);
      if (!types.find(input.activityTypeId)) throw new NotFoundError('Activity type', input.activityTypeId);
      const id = activities.add({
        leadId: lead.id,
        partitionId: lead.partitionId,
        typeId: input.activityTypeId,
        primaryAttributeValueId: input.primaryAttributeValueId ?? null,
        primaryAttributeValue: input.primaryAttributeValue ?? null,
        campaignId: input.campaignId ?? null,
        attributes: input.attributes,
      });
      return reply.code(201).send(JSON.parse(activities.findJson(id)!) as z.infer<typeof activitySchema>);
    },
  );
};

/** An activity in a seed: as Get Lead Activities shows it, with the lead's partition by name (default "Default"). */
const activitySeed = z.strictObject({
  id: seedActivityId.optional(),
  leadId: seedId,
  partition: z.string().default('Default'),
  activityDate: z.string().describe('ISO 8601 date-time'),
  activityTypeId: z.number().int().positive(),
  campaignId: z.number().int().optional(),
  primaryAttributeValueId: z.number().int().optional(),
  primaryAttributeValue: z.string().optional(),
  // A custom activity's attributes carry their type's API names as well (Add Custom Activities stores both).
  attributes: z
    .array(
      z.strictObject({
        name: z.string(),
        apiName: z.string().optional(),
        value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
      }),
    )
    .default([]),
  field: z
    .strictObject({
      id: z.number().int(),
      name: z.string(),
      newValue: z.string().nullable(),
      oldValue: z.string().nullable(),
    })
    .optional()
    .describe('Change Data Value only: the field, as Get Lead Changes shows it'),
});
type ActivitySeed = z.infer<typeof activitySeed>;

function loadActivities(repo: ActivityRepository, items: readonly ActivitySeed[], context: SeedLoadContext): void {
  const types = context.repo(activityTypes);
  items.forEach((item, i) => {
    const path = `[${i}]`;
    const partitionId = context.partitionId(item.partition);
    if (partitionId === undefined) context.fail(`${path}.partition`, `no partition named "${item.partition}"`);
    if (!types.find(item.activityTypeId)) context.fail(`${path}.activityTypeId`, 'no such activity type');
    const date = Date.parse(item.activityDate);
    if (Number.isNaN(date)) context.fail(`${path}.activityDate`, 'must be an ISO 8601 date-time');
    if (!isActivityDate(date)) {
      context.fail(`${path}.activityDate`, 'must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z');
    }
    context.unique(path, () =>
      repo.load({
        id: item.id ?? null,
        activityDate: date,
        leadId: item.leadId,
        partitionId: partitionId!,
        typeId: item.activityTypeId,
        campaignId: item.campaignId ?? null,
        primaryAttributeValueId: item.primaryAttributeValueId ?? null,
        primaryAttributeValue: item.primaryAttributeValue ?? null,
        attributes: item.attributes,
        field: item.field ?? null,
      }),
    );
  });
}

function snapshotItem(row: ActivityRow, partitionName: (id: number) => string): ActivitySeed {
  return {
    id: row.id,
    leadId: row.leadId,
    partition: partitionName(row.partitionId),
    activityDate: new Date(row.activityDate).toISOString(),
    activityTypeId: row.typeId,
    ...(row.campaignId !== null ? { campaignId: row.campaignId } : {}),
    ...(row.primaryAttributeValueId !== null ? { primaryAttributeValueId: row.primaryAttributeValueId } : {}),
    ...(row.primaryAttributeValue !== null ? { primaryAttributeValue: row.primaryAttributeValue } : {}),
    attributes: row.attributes,
    ...(row.field !== null ? { field: row.field } : {}),
  };
}

/** The activity log: recorded by every write, read through paging tokens. */
export const activities = defineFamily({
  key: 'activities',
  tables: ['activities'],
  wireFormat: 'lead-database',
  repository: ({ db, clock }) => new ActivityRepository(db, clock),
  provides: (repo, infra) => ({
    activityLog: repo,
    activityExport: new ActivityExportReader(infra.db, infra.repo(activityTypes)),
  }),
  seed: {
    item: activitySeed,
    load: loadActivities,
    snapshot: function* (repo, { partitionName }) {
      for (const row of repo.all()) yield snapshotItem(row, partitionName);
    },
    example: [
      {
        leadId: 5,
        activityDate: '2026-01-02T03:04:05Z',
        activityTypeId: 1,
        primaryAttributeValueId: 7,
        primaryAttributeValue: 'pricing.html',
        attributes: [{ name: 'Webpage URL', value: '/pricing.html' }],
      },
      {
        id: 90,
        leadId: 5,
        partition: 'Contract',
        activityDate: '2026-01-02T03:05:00.250Z',
        activityTypeId: 13,
        primaryAttributeValueId: 3,
        primaryAttributeValue: 'First Name',
        attributes: [{ name: 'New Value', value: 'Ada' }],
        field: { id: 3, name: 'firstName', newValue: 'Ada', oldValue: null },
      },
    ],
  },
  marketoRoutes: async (app, options) => {
    await activityRoutes(app, options);
    await activityWriteRoutes(app, options);
  },
  adminRoutes,
});
