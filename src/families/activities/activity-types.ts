import { MAX_RECORD_ID } from '../../domain/record-ids.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CUSTOM_ACTIVITY_TYPE_ID_BASE } from './activity-type-catalog.js';
import { ConflictError, MarketoError } from '../../domain/errors.js';
import { marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { problemResponses } from '../../http/problem.js';
import {
  ActivityTypeRepository,
  type CustomActivityTypeInput,
  type StoredActivityType,
} from './activity-types-repository.js';
import { formatDatetime } from '../../domain/datetime.js';
import { migrations } from './migrations.js';

/**
 * Activity types: Marketo's standard ones (built into every subscription) and the custom types a seed or the admin
 * plane declares. Marketo's own create/approve/delete API for custom types is not served (only one client library
 * wraps it); custom types are declared here instead (issue 13).
 */

const READ: readonly PermissionKey[] = ['read-only-activity', 'read-write-activity'];
const READ_METADATA: readonly PermissionKey[] = ['read-only-activity-metadata', 'read-write-activity-metadata'];
const tags = ['Marketo: Activities'];

/** Marketo's limit on a custom activity type's secondary attributes (error-codes.md 1028: "max 20"). */
export const MAX_CUSTOM_ATTRIBUTES = 20;

const attributeSchema = z.object({ name: z.string(), apiName: z.string().optional(), dataType: z.string() });
const activityTypeSchema = z
  .object({
    id: z.number().int(),
    apiName: z.string().optional(),
    name: z.string(),
    description: z.string(),
    primaryAttribute: attributeSchema.optional(),
    attributes: z.array(attributeSchema),
  })
  .meta({ id: 'ActivityType' });
const customActivityTypeSchema = activityTypeSchema
  .extend({ status: z.literal('approved'), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'CustomActivityType' });

/** The data types of a custom activity type's attributes (Adobe's CustomActivityTypeAttribute). */
const CUSTOM_DATA_TYPES = [
  'string',
  'boolean',
  'integer',
  'float',
  'link',
  'email',
  'currency',
  'date',
  'datetime',
  'phone',
  'text',
] as const;

const apiName = z.string().regex(/^[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*$/, 'letters, digits and _, at least one letter');
const customAttribute = z.strictObject({
  apiName,
  name: z.string().trim().min(1).max(255),
  dataType: z.enum(CUSTOM_DATA_TYPES),
});
const customActivityTypeInput = z.strictObject({
  id: z
    .number()
    .int()
    .min(CUSTOM_ACTIVITY_TYPE_ID_BASE)
    .max(MAX_RECORD_ID)
    .optional()
    .describe('Kept from a snapshot; else the next'),
  apiName,
  name: z.string().trim().min(1).max(255),
  description: z.string().max(2000).optional(),
  primaryAttribute: customAttribute,
  attributes: z.array(customAttribute).max(MAX_CUSTOM_ATTRIBUTES).default([]),
});
type CustomActivityTypeItem = z.infer<typeof customActivityTypeInput>;

const apiNameParams = z.object({ apiName: z.string() });
const typesEnvelope = envelopeOf(activityTypeSchema);
const customTypesEnvelope = envelopeOf(customActivityTypeSchema);
const customTypeList = z.object({ items: z.array(customActivityTypeSchema) });

function wireType(type: StoredActivityType): z.infer<typeof activityTypeSchema> {
  return {
    id: type.id,
    ...(type.apiName !== undefined ? { apiName: type.apiName } : {}),
    name: type.name,
    description: type.description,
    ...(type.primaryAttribute ? { primaryAttribute: type.primaryAttribute } : {}),
    attributes: type.attributes,
  };
}

function wireCustomType(type: StoredActivityType): z.infer<typeof customActivityTypeSchema> {
  const at = formatDatetime(type.createdAt);
  return { ...wireType(type), status: 'approved', createdAt: at, updatedAt: at };
}

/** Attribute API names must differ from each other and from the primary attribute's. */
function duplicateAttribute(input: CustomActivityTypeItem): string | undefined {
  const seen = new Set<string>();
  for (const attribute of [input.primaryAttribute, ...input.attributes]) {
    const key = attribute.apiName.toLowerCase();
    if (seen.has(key)) return attribute.apiName;
    seen.add(key);
  }
  return undefined;
}

function toInput(item: CustomActivityTypeItem): CustomActivityTypeInput {
  return {
    apiName: item.apiName,
    name: item.name,
    ...(item.description !== undefined ? { description: item.description } : {}),
    primaryAttribute: item.primaryAttribute,
    attributes: item.attributes,
  };
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
    async (request) => successEnvelope(request.marketoRequestId(), repo(request).custom().map(wireCustomType)),
  );

  app.get(
    '/rest/v1/activities/external/type/:apiName/describe.json',
    {
      config: { permissions: READ_METADATA },
      schema: {
        tags,
        summary: 'Describe Custom Activity Type',
        params: apiNameParams,
        response: { 200: customTypesEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const type = types.findByApiName(request.params.apiName);
      if (!type || type.builtIn) throw new MarketoError('1013', marketoMessage('1013'));
      return successEnvelope(request.marketoRequestId(), [wireCustomType(type)]);
    },
  );
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
    async (request) => ({ items: repo(request).custom().map(wireCustomType) }),
  );

  app.post(
    '/activity-types',
    {
      schema: {
        tags: adminTags,
        summary: 'Declare a custom activity type (approved at once)',
        body: customActivityTypeInput,
        response: { 201: customActivityTypeSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const types = repo(request);
      const input = request.body;
      const duplicate = duplicateAttribute(input);
      if (duplicate) throw new ConflictError(`Two attributes have the API name "${duplicate}"`);
      if (types.findByApiName(input.apiName)) {
        throw new ConflictError(`An activity type with the API name "${input.apiName}" already exists`);
      }
      if (input.id !== undefined && types.find(input.id)) {
        throw new ConflictError(`An activity type with id ${input.id} already exists`);
      }
      return reply.code(201).send(wireCustomType(types.createCustom(toInput(input), input.id)));
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
        const duplicate = duplicateAttribute(item);
        if (duplicate) fail(`[${i}].attributes`, `two attributes have the API name "${duplicate}"`);
        // One millisecond apart, so they keep their order.
        unique(`[${i}]`, () => repo.createCustom(toInput(item), item.id, now + i));
      });
    },
    snapshot: (repo) =>
      repo.custom().map((type) => ({
        id: type.id,
        apiName: type.apiName!,
        name: type.name,
        ...(type.description ? { description: type.description } : {}),
        primaryAttribute: type.primaryAttribute as CustomActivityTypeItem['primaryAttribute'],
        attributes: type.attributes as CustomActivityTypeItem['attributes'],
      })),
    example: [
      {
        apiName: 'webinarAttended',
        name: 'Attended webinar',
        primaryAttribute: { apiName: 'webinarId', name: 'Webinar ID', dataType: 'integer' },
        attributes: [{ apiName: 'minutes', name: 'Minutes watched', dataType: 'integer' }],
      },
    ],
  },
  builtIns: { rows: { activity_types: 'built_in = 1' }, ensure: (repo) => repo.ensureStandard() },
  // The list is kept in memory; a reset or a rolled-back load may have changed the rows behind it.
  reset: (repo) => repo.invalidate(),
  marketoRoutes: activityTypeRoutes,
  adminRoutes,
});
