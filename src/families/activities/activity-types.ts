import { MAX_RECORD_ID } from '../../domain/record-ids.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CUSTOM_ACTIVITY_TYPE_ID_BASE } from './activity-type-catalog.js';
import { ConflictError, MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { problemResponses } from '../../http/problem.js';
import {
  ActivityTypeRepository,
  approvedVersion,
  type CustomActivityTypeInput,
  type StoredActivityType,
} from './activity-types-repository.js';
import {
  activityApiName,
  activityTypeSchema,
  customActivityTypeSchema,
  customAttribute,
  customTypesEnvelope,
  duplicateAttribute,
  wireCustomType,
  wireType,
} from './activity-type-wire.js';
import { customActivityTypeWriteRoutes } from './custom-activity-types.js';
import { migrations } from './migrations.js';

/**
 * Activity types: Marketo's standard ones (built into every subscription) and the custom types the Custom Activity
 * Type API (custom-activity-types.ts), a seed or the admin plane declares, each with an approved version and a draft
 * (activities.md "Custom Activity Types").
 */

const READ: readonly PermissionKey[] = ['read-only-activity', 'read-write-activity'];
const READ_METADATA: readonly PermissionKey[] = ['read-only-activity-metadata', 'read-write-activity-metadata'];
const tags = ['Marketo: Activities'];

/** Marketo's limit on a custom activity type's secondary attributes (error-codes.md 1028: "max 20"). */
export const MAX_CUSTOM_ATTRIBUTES = 20;

const versionInput = z.strictObject({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(2000).optional(),
  triggerName: z.string().trim().min(1).max(255).optional(),
  filterName: z.string().trim().min(1).max(255).optional(),
  primaryAttribute: customAttribute,
  attributes: z.array(customAttribute).max(MAX_CUSTOM_ATTRIBUTES).default([]),
});
const customActivityTypeInput = versionInput.extend({
  id: z
    .number()
    .int()
    .min(CUSTOM_ACTIVITY_TYPE_ID_BASE)
    .max(MAX_RECORD_ID)
    .optional()
    .describe('Kept from a snapshot; else the next'),
  apiName: activityApiName,
  state: z.enum(['approved', 'draft']).default('approved').describe('draft: never approved (the API made it)'),
  draft: versionInput.optional().describe('A draft beside the approved version'),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  updatedAt: z.iso.datetime({ offset: true }).optional(),
});
type CustomActivityTypeItem = z.output<typeof customActivityTypeInput>;

const apiNameParams = z.object({ apiName: z.string() });
const describeQuery = z.object({
  // marketorestpython sends Python's True as "True".
  draft: z
    .preprocess((value) => (typeof value === 'string' ? value.toLowerCase() : value), z.enum(['true', 'false']))
    .optional()
    .describe('true: the draft version (activities.md "Describe types")'),
});
const typesEnvelope = envelopeOf(activityTypeSchema);
const customTypeList = z.object({ items: z.array(customActivityTypeSchema) });

function versionOf(item: z.output<typeof versionInput>): Omit<CustomActivityTypeInput, 'apiName'> {
  return {
    name: item.name,
    ...(item.description !== undefined ? { description: item.description } : {}),
    ...(item.triggerName !== undefined ? { triggerName: item.triggerName } : {}),
    ...(item.filterName !== undefined ? { filterName: item.filterName } : {}),
    primaryAttribute: item.primaryAttribute,
    attributes: item.attributes,
  };
}

/** A seed's or the admin plane's type, checked as the API checks it; a problem is thrown as its message. */
function declareType(types: ActivityTypeRepository, item: CustomActivityTypeItem, at?: number): StoredActivityType {
  for (const version of [item, ...(item.draft ? [item.draft] : [])]) {
    const duplicate = duplicateAttribute(versionOf(version));
    if (duplicate) throw new ConflictError(`Two attributes have the API name "${duplicate}"`);
  }
  if (types.findByApiName(item.apiName)) {
    throw new ConflictError(`An activity type with the API name "${item.apiName}" already exists`);
  }
  if (item.state === 'draft' && item.draft) throw new ConflictError('A type never approved has no second draft');
  const createdAt = item.createdAt !== undefined ? Date.parse(item.createdAt) : (at ?? undefined);
  const updatedAt = item.updatedAt !== undefined ? Date.parse(item.updatedAt) : createdAt;
  return types.createCustom(
    { apiName: item.apiName, ...versionOf(item) },
    {
      id: item.id,
      approved: item.state === 'approved',
      ...(item.draft ? { draft: versionOf(item.draft) } : {}),
      ...(createdAt !== undefined ? { createdAt } : {}),
      ...(updatedAt !== undefined ? { updatedAt } : {}),
    },
  );
}

function itemOf(type: StoredActivityType): CustomActivityTypeItem {
  const base = (type.approved ? approvedVersion(type) : type.draft)!;
  return {
    id: type.id,
    apiName: type.apiName!,
    state: type.approved ? 'approved' : 'draft',
    ...base,
    primaryAttribute: base.primaryAttribute!,
    ...(type.approved && type.draft
      ? { draft: { ...type.draft, primaryAttribute: type.draft.primaryAttribute! } }
      : {}),
    createdAt: new Date(type.createdAt).toISOString(),
    updatedAt: new Date(type.updatedAt).toISOString(),
  } as CustomActivityTypeItem;
}

const activityTypeRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ActivityTypeRepository>> = async (app, { repo }) => {
  app.get(
    '/rest/v1/activities/types.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Activity Types',
        description: "Marketo's standard activity types and the subscription's custom ones.",
        response: { 200: typesEnvelope },
      },
    },
    async (request) => successEnvelope(request.marketoRequestId(), repo(request).list().map(wireType)),
  );

  app.get(
    '/rest/v1/activities/external/types.json',
    {
      config: { permissions: READ_METADATA },
      schema: {
        tags,
        summary: 'Get Custom Activity Types',
        response: { 200: customTypesEnvelope },
      },
    },
    async (request) =>
      successEnvelope(
        request.marketoRequestId(),
        repo(request)
          .custom()
          .map((type) => wireCustomType(type)),
      ),
  );

  app.get(
    '/rest/v1/activities/external/type/:apiName/describe.json',
    {
      config: { permissions: READ_METADATA },
      schema: {
        tags,
        summary: 'Describe Custom Activity Type',
        description: 'The approved version; draft=true for the draft (activities.md "Describe types").',
        params: apiNameParams,
        querystring: describeQuery,
        response: { 200: customTypesEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const type = types.findByApiName(request.params.apiName);
      if (!type || type.builtIn) throw new MarketoError('1013', marketoMessage('1013'));
      const version = request.query.draft === 'true' || !type.approved ? 'draft' : 'approved';
      if (version === 'draft' && !type.draft) {
        throw new MarketoError('1013', formatMessage(DETAIL_MESSAGES.activityTypeNoDraft, type.apiName!));
      }
      return successEnvelope(request.marketoRequestId(), [wireCustomType(type, version)]);
    },
  );

  await customActivityTypeWriteRoutes(app, { repo });
};

const adminRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ActivityTypeRepository>> = async (app, { repo }) => {
  const adminTags = ['Admin: Activity types'];
  app.get(
    '/activity-types',
    {
      schema: {
        tags: adminTags,
        summary: 'List custom activity types',
        response: { 200: customTypeList, 401: problemResponses[401] },
      },
    },
    async (request) => ({
      items: repo(request)
        .custom()
        .map((type) => wireCustomType(type)),
    }),
  );

  app.post(
    '/activity-types',
    {
      schema: {
        tags: adminTags,
        summary: 'Declare a custom activity type (approved at once, unless state is draft)',
        body: customActivityTypeInput,
        response: { 201: customActivityTypeSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const types = repo(request);
      const input = request.body;
      if (input.id !== undefined && (types.find(input.id) || types.custom().some((type) => type.id === input.id))) {
        throw new ConflictError(`An activity type with id ${input.id} already exists`);
      }
      return reply.code(201).send(wireCustomType(declareType(types, input)));
    },
  );
};

/** Standard and custom activity types. */
export const activityTypes = defineFamily({
  key: 'activityTypes',
  tables: ['activity_types'],
  // The folder's migrations (activity_types and activities), declared by its first family.
  migrations,
  wireFormat: 'lead-database',
  repository: ({ db, clock }) => new ActivityTypeRepository(db, clock),
  seed: {
    item: customActivityTypeInput,
    load(repo, items, { fail, unique, now }) {
      items.forEach((item, i) => {
        for (const [path, version] of [
          ['', item],
          ['.draft', item.draft],
        ] as const) {
          const duplicate = version && duplicateAttribute(versionOf(version));
          if (duplicate) fail(`[${i}]${path}.attributes`, `two attributes have the API name "${duplicate}"`);
        }
        if (item.state === 'draft' && item.draft) fail(`[${i}].draft`, 'a type never approved has no second draft');
        // One millisecond apart, so they keep their order.
        unique(`[${i}]`, () => declareType(repo, item, now + i));
      });
    },
    snapshot: (repo) => repo.custom().map(itemOf),
    example: [
      {
        apiName: 'webinarAttended',
        name: 'Attended webinar',
        triggerName: 'Attends webinar',
        filterName: 'Attended webinar',
        primaryAttribute: { apiName: 'webinarId', name: 'Webinar ID', dataType: 'integer' },
        attributes: [{ apiName: 'minutes', name: 'Minutes watched', dataType: 'integer' }],
        draft: {
          name: 'Attended webinar',
          primaryAttribute: { apiName: 'webinarId', name: 'Webinar ID', dataType: 'integer' },
          attributes: [{ apiName: 'minutes', name: 'Minutes watched', dataType: 'integer', description: 'Rounded' }],
        },
      },
    ],
  },
  builtIns: { rows: { activity_types: 'built_in = 1' }, ensure: (repo) => repo.ensureStandard() },
  // The list is kept in memory; a reset or a rolled-back load may have changed the rows behind it.
  reset: (repo) => repo.invalidate(),
  marketoRoutes: activityTypeRoutes,
  adminRoutes,
});
