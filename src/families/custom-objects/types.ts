import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatDatetime } from '../../domain/datetime.js';
import { ConflictError, InvalidInputError, MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import type { FieldDataType } from '../../engines/objects/fields.js';
import type { ObjectEnv } from '../../engines/objects/object-rules.js';
import { describeField, describeOf, relationshipSchema } from '../../engines/objects/object-schemas.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import { commaList, envelopeOf } from '../../http/marketo-schemas.js';
import { problemResponses } from '../../http/problem.js';
import { requireMetadataApi } from './settings.js';
import {
  approvalProblem,
  checkApiName,
  checkNewField,
  FIELD_DATA_TYPES,
  type LinkTargets,
  MAX_TYPES,
  objectTypeOf,
  type StoredType,
  stateOf,
  type TypeField,
  typeFieldSchema,
  type TypeState,
  type TypeVersion,
} from './type-model.js';
import { CustomObjectTypeRepository } from './type-repository.js';

/**
 * The Custom Object Type API (custom-objects.md "Custom Object Types"; 12 operations under
 * `/rest/v1/customobjects/schema…`, Read-Only/Read-Write Custom Object Type): types are created and changed as drafts,
 * approved into the version records use, and their drafts discarded. Types are also declared in a seed or on the
 * admin plane (approved at once). Every call answers 616 while the metadata API is off, 1026 while custom objects are.
 */

const READ: readonly PermissionKey[] = ['read-only-custom-object-type', 'read-write-custom-object-type'];
const WRITE: readonly PermissionKey[] = ['read-write-custom-object-type'];
const tags = ['Marketo: Custom Object Types'];

/** What a link field may name (linkableObjects.json): Lead's and Company's fields, approved types without links. */
export function linkTargets(env: Pick<ObjectEnv, 'port' | 'repo'>): LinkTargets {
  return {
    fieldType({ name, field }): FieldDataType | undefined {
      const lower = name.toLowerCase();
      if (lower === 'lead') return env.port('leads').catalog().find(field)?.dataType;
      if (lower === 'company') return field.toLowerCase() === 'id' ? 'integer' : undefined;
      const target = env.repo(customObjectTypes).byName(name)?.approved;
      // "A custom object cannot link to another custom object that has an existing link field."
      if (!target || target.fields.some((other) => other.dataType === 'link')) return undefined;
      if (field === 'marketoGUID') return 'string';
      const key = target.fields.find(
        (other) => other.isDedupeField && other.name.toLowerCase() === field.toLowerCase(),
      );
      return key?.dataType as FieldDataType | undefined;
    },
  };
}

const versionInput = z.strictObject({
  displayName: z.string().trim().min(1).max(255),
  pluralName: z.string().max(255).optional(),
  description: z.string().max(2000).optional(),
  showInLeadDetail: z.boolean().default(false),
  fields: z.array(typeFieldSchema).default([]),
});

/** A type in a seed (and on the admin plane): its approved version (or, with state draft, its only draft). */
const typeItem = versionInput
  .extend({
    id: z.number().int().positive().optional().describe('Kept from a snapshot'),
    apiName: z.string(),
    state: z.enum(['approved', 'draft']).default('approved'),
    draft: versionInput.optional().describe('A draft beside the approved version (state approvedWithDraft)'),
    createdAt: z.iso.datetime({ offset: true }).optional(),
    updatedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .meta({
    example: {
      apiName: 'car',
      displayName: 'Car',
      fields: [
        { name: 'vin', displayName: 'VIN', dataType: 'string', isDedupeField: true },
        { name: 'leadId', displayName: 'Lead ID', dataType: 'link', relatedTo: { name: 'lead', field: 'id' } },
      ],
    },
  });
type TypeItem = z.output<typeof typeItem>;

/**
 * A version checked field by field, as the API adds them (1003/1028 thrown). A draft beside an approved version keeps
 * the approved dedupe and link fields as they are, as the API would.
 */
function buildVersion(
  input: z.output<typeof versionInput>,
  apiName: string,
  approved: TypeVersion | undefined,
  links: LinkTargets,
): TypeVersion {
  const version: TypeVersion = { ...withoutFields(input), fields: [] };
  for (const field of input.fields) {
    const before = approved?.fields.find((other) => other.name === field.name);
    if (before) {
      if (JSON.stringify(before) !== JSON.stringify(field) && (before.isDedupeField || before.dataType === 'link')) {
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.approvedFieldChange, field.name, apiName));
      }
      version.fields.push(field);
      continue;
    }
    checkNewField(field, version, approved, apiName, links);
    version.fields.push(field);
  }
  const dropped = approved?.fields.find(
    (field) =>
      (field.isDedupeField || field.dataType === 'link') && !version.fields.some((kept) => kept.name === field.name),
  );
  if (dropped)
    throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.keyFieldAfterApproval, dropped.name, apiName));
  return version;
}

function withoutFields(input: z.output<typeof versionInput>): Omit<TypeVersion, 'fields'> {
  return {
    displayName: input.displayName,
    ...(input.pluralName !== undefined ? { pluralName: input.pluralName } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    showInLeadDetail: input.showInLeadDetail,
  };
}

/** Declares a type from a seed item or the admin plane: every rule of the API, approved unless state is draft. */
function declare(types: CustomObjectTypeRepository, item: TypeItem, links: LinkTargets, at?: number): StoredType {
  checkApiName(item.apiName, 'custom object type');
  if (types.byName(item.apiName)) throw new MarketoError('1017', marketoMessage('1017'));
  if (types.list().length >= MAX_TYPES)
    throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.tooManyTypes, MAX_TYPES));
  const base = buildVersion(item, item.apiName, undefined, links);
  if (item.state === 'draft') {
    if (item.draft) throw new MarketoError('1003', 'A draft-only type has no second draft');
    return types.insert({ id: item.id, apiName: item.apiName, draft: base, ...times(item, at) });
  }
  const problem = approvalProblem(base, links);
  if (problem) throw new MarketoError('709', problem);
  const draft = item.draft && buildVersion(item.draft, item.apiName, base, links);
  return types.insert({ id: item.id, apiName: item.apiName, approved: base, draft, ...times(item, at) });
}

function times(item: TypeItem, at: number | undefined): { createdAt?: number; updatedAt?: number } {
  const created = item.createdAt !== undefined ? Date.parse(item.createdAt) : at;
  const updated = item.updatedAt !== undefined ? Date.parse(item.updatedAt) : created;
  return {
    ...(created !== undefined ? { createdAt: created } : {}),
    ...(updated !== undefined ? { updatedAt: updated } : {}),
  };
}

function itemOf(type: StoredType): TypeItem {
  const base = (type.approved ?? type.draft)!;
  return {
    id: type.id,
    apiName: type.apiName,
    state: type.approved ? 'approved' : 'draft',
    ...base,
    ...(type.approved && type.draft ? { draft: type.draft } : {}),
    createdAt: new Date(type.createdAt).toISOString(),
    updatedAt: new Date(type.updatedAt).toISOString(),
  };
}

/** A type as the schema API describes it (custom-objects.md "Describe Type"); a never-approved draft has no times. */
const typeDescribeSchema = z
  .object({
    state: z.enum(['draft', 'approved', 'approvedWithDraft']),
    version: z.enum(['draft', 'approved']),
    displayName: z.string(),
    description: z.string().optional(),
    pluralName: z.string().optional(),
    apiName: z.string(),
    showInLeadDetail: z.boolean(),
    idField: z.string().nullable(),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
    dedupeFields: z.array(z.string()),
    searchableFields: z.array(z.array(z.string())),
    relationships: z.array(relationshipSchema),
    fields: z.array(describeField),
  })
  .meta({ id: 'CustomObjectTypeMetadata' });
const typeDescribeEnvelope = envelopeOf(typeDescribeSchema);

function describeType(
  type: StoredType,
  which: 'draft' | 'approved',
  links: LinkTargets,
): z.infer<typeof typeDescribeSchema> {
  const version = (which === 'draft' ? type.draft : type.approved)!;
  const described = describeOf(objectTypeOf(type, version, links));
  const neverApproved = !type.approved;
  return {
    state: stateOf(type),
    version: which,
    displayName: version.displayName,
    ...(version.description !== undefined ? { description: version.description } : {}),
    ...(version.pluralName !== undefined ? { pluralName: version.pluralName } : {}),
    apiName: type.apiName,
    showInLeadDetail: version.showInLeadDetail,
    // As the doc's describe of a just-created draft shows: no id field and no times until approved.
    idField: neverApproved ? null : 'marketoGUID',
    createdAt: neverApproved ? null : formatDatetime(type.createdAt),
    updatedAt: neverApproved ? null : formatDatetime(type.updatedAt),
    dedupeFields: described.dedupeFields,
    searchableFields:
      described.searchableFields.length > 1 || described.dedupeFields.length > 0 ? described.searchableFields : [[]],
    relationships: described.relationships ?? [],
    fields: described.fields.map((field, i) => {
      const own = version.fields[i - 3];
      return own?.description !== undefined ? { ...field, description: own.description } : field;
    }),
  };
}

/**
 * Which version a `state` asks for (decision, README): draft → the draft, approved → the approved version,
 * approvedWithDraft → the draft of a type that has both; none → the approved version, else the draft
 * ("If an approved version exists, the endpoint returns it. Otherwise, it returns the draft version").
 */
function versionFor(type: StoredType, state: TypeState | undefined): 'draft' | 'approved' | undefined {
  switch (state) {
    case 'draft':
      return type.draft ? 'draft' : undefined;
    case 'approved':
      return type.approved ? 'approved' : undefined;
    case 'approvedWithDraft':
      return type.approved && type.draft ? 'draft' : undefined;
    default:
      return type.approved ? 'approved' : 'draft';
  }
}

const emptyEnvelope = envelopeOf(z.never()).meta({ id: 'ResponseOfCustomObjectType' });
const done = (request: FastifyRequest) => successEnvelope(request.marketoRequestId(), []);

const apiNameParams = z.object({ apiName: z.string().min(1) });
const stateQuery = z.object({ state: z.enum(['draft', 'approved', 'approvedWithDraft']).optional() });
const listQuery = stateQuery.extend({ names: commaList(z.string()).optional().describe('API names, comma-separated') });
const syncTypeBody = z
  .object({
    action: z.enum(['createOnly', 'updateOnly', 'createOrUpdate']).default('createOrUpdate'),
    apiName: z.string().min(1),
    displayName: z.string().trim().min(1).max(255).optional(),
    pluralName: z.string().max(255).optional(),
    description: z.string().max(2000).optional(),
    showInLeadDetail: z.boolean().optional(),
  })
  .meta({
    example: {
      action: 'createOnly',
      displayName: 'Transaction',
      apiName: 'transaction',
      description: 'Commerce happens',
    },
  });
const addFieldBody = z.object({ input: z.array(typeFieldSchema).min(1).max(50) });
const deleteFieldBody = z.object({
  input: z
    .array(z.object({ name: z.string().min(1) }))
    .min(1)
    .max(50),
});
// The spec's UpdateCustomObjectTypeFieldRequest, flat: an unknown key or no change at all is refused rather than
// saved as a draft that changes nothing.
const updateFieldBody = z
  .strictObject({
    name: z.string().optional(),
    displayName: z.string().trim().min(1).max(255).optional(),
    description: z.string().max(2000).optional(),
    dataType: z.enum(FIELD_DATA_TYPES).optional(),
    isDedupeField: z.boolean().optional(),
    relatedTo: typeFieldSchema.shape.relatedTo,
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'names no change')
  .meta({ example: { displayName: 'Very Long Title', dataType: 'text' } });
const fieldParams = apiNameParams.extend({ fieldApiName: z.string().min(1) });
const dataTypesEnvelope = envelopeOf(z.enum(FIELD_DATA_TYPES));
const linkableEnvelope = envelopeOf(
  z
    .object({
      name: z.string(),
      displayName: z.string(),
      fields: z.array(z.object({ name: z.string(), displayName: z.string(), dataType: z.string() })),
    })
    .meta({ id: 'ObjectLinkableObject' }),
);
const dependentEnvelope = envelopeOf(
  z.object({
    assetType: z.string(),
    assetId: z.number().int(),
    assetName: z.string(),
    usedFields: z.array(z.string()).optional(),
  }),
);

/** The type a path names, or 1013. */
function typeNamed(types: CustomObjectTypeRepository, apiName: string): StoredType {
  const type = types.byName(apiName);
  if (!type) throw new MarketoError('1013', formatMessage(DETAIL_MESSAGES.unknownCustomObject, apiName));
  return type;
}

/** Why a type may not go: another type (its approved version or its draft) links to it. */
function linkedFrom(types: CustomObjectTypeRepository, type: StoredType): string | undefined {
  const wanted = type.apiName.toLowerCase();
  return types
    .list()
    .find(
      (other) =>
        other.id !== type.id &&
        [other.approved, other.draft].some((v) => v?.fields.some((f) => f.relatedTo?.name.toLowerCase() === wanted)),
    )?.apiName;
}

const schemaRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<CustomObjectTypeRepository>> = async (app, { repo }) => {
  const base = '/rest/v1/customobjects/schema';
  const guard = { preHandler: async (request: FastifyRequest) => requireMetadataApi(request) };

  app.get(
    `${base}.json`,
    {
      ...guard,
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'List Custom Object Types',
        querystring: listQuery,
        response: { 200: typeDescribeEnvelope },
      },
    },
    async (request) => {
      const links = linkTargets(request.ctx);
      const wanted = request.query.names?.map((name) => name.toLowerCase());
      const result = repo(request)
        .list()
        .filter((type) => !wanted || wanted.includes(type.apiName.toLowerCase()))
        .flatMap((type) => {
          const which = versionFor(type, request.query.state);
          return which ? [describeType(type, which, links)] : [];
        });
      return successEnvelope(request.marketoRequestId(), result);
    },
  );

  app.get(
    `${base}/:apiName/describe.json`,
    {
      ...guard,
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Describe Custom Object Type',
        params: apiNameParams,
        querystring: stateQuery,
        response: { 200: typeDescribeEnvelope },
      },
    },
    async (request) => {
      const type = typeNamed(repo(request), request.params.apiName);
      const which = versionFor(type, request.query.state);
      if (!which)
        throw new MarketoError(
          '1013',
          formatMessage(DETAIL_MESSAGES.noVersion, type.apiName, request.query.state ?? ''),
        );
      return successEnvelope(request.marketoRequestId(), [describeType(type, which, linkTargets(request.ctx))]);
    },
  );

  app.post(
    `${base}.json`,
    {
      ...guard,
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Sync Custom Object Type',
        description: 'Creates a type as a draft, or changes its draft; approve to publish.',
        body: syncTypeBody,
        response: { 200: emptyEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const { action, apiName, ...changes } = request.body;
      const existing = types.byName(apiName);
      if (existing && action === 'createOnly') throw new MarketoError('1017', marketoMessage('1017'));
      if (!existing && action === 'updateOnly') {
        throw new MarketoError('1013', formatMessage(DETAIL_MESSAGES.unknownCustomObject, apiName));
      }
      if (!existing) {
        if (changes.displayName === undefined) throw new MarketoError('701', marketoMessage('701', 'displayName'));
        declare(
          types,
          {
            ...changes,
            displayName: changes.displayName,
            apiName,
            state: 'draft',
            showInLeadDetail: changes.showInLeadDetail ?? false,
            fields: [],
          },
          linkTargets(request.ctx),
        );
        return done(request);
      }
      const current = (existing.draft ?? existing.approved)!;
      if (
        existing.approved &&
        changes.displayName !== undefined &&
        changes.displayName !== existing.approved.displayName
      ) {
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.approvedNameChange, existing.apiName));
      }
      const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      types.saveDraft(existing.id, { ...current, ...defined });
      return done(request);
    },
  );

  app.post(
    `${base}/:apiName/addField.json`,
    {
      ...guard,
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Add Custom Object Type Fields',
        params: apiNameParams,
        body: addFieldBody,
        response: { 200: emptyEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const type = typeNamed(types, request.params.apiName);
      const links = linkTargets(request.ctx);
      const draft: TypeVersion = structuredClone((type.draft ?? type.approved)!);
      for (const field of request.body.input) {
        checkNewField(field, draft, type.approved, type.apiName, links);
        draft.fields.push(field);
      }
      types.saveDraft(type.id, draft);
      return done(request);
    },
  );

  app.post(
    `${base}/:apiName/:fieldApiName/updateField.json`,
    {
      ...guard,
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Custom Object Type Field',
        params: fieldParams,
        body: updateFieldBody,
        response: { 200: emptyEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const type = typeNamed(types, request.params.apiName);
      const draft: TypeVersion = structuredClone((type.draft ?? type.approved)!);
      const wanted = request.params.fieldApiName.toLowerCase();
      const index = draft.fields.findIndex((field) => field.name.toLowerCase() === wanted);
      if (index < 0) throw new MarketoError('1006', marketoMessage('1006', request.params.fieldApiName));
      const field = draft.fields[index]!;
      const { name, ...changes } = request.body;
      if (name !== undefined && name !== field.name) {
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.approvedFieldChange, field.name, type.apiName));
      }
      const updated: TypeField = {
        ...field,
        ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
      };
      if (updated.dataType !== 'link') delete updated.relatedTo;
      const inApproved = type.approved?.fields.some((other) => other.name === field.name);
      const keyChange =
        updated.dataType !== field.dataType ||
        updated.isDedupeField !== field.isDedupeField ||
        JSON.stringify(updated.relatedTo) !== JSON.stringify(field.relatedTo);
      if (inApproved && keyChange) {
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.approvedFieldChange, field.name, type.apiName));
      }
      // Checked as though added anew to the draft without it.
      const others: TypeVersion = { ...draft, fields: draft.fields.filter((_, i) => i !== index) };
      checkNewField(updated, others, inApproved ? undefined : type.approved, type.apiName, linkTargets(request.ctx));
      draft.fields[index] = updated;
      types.saveDraft(type.id, draft);
      return done(request);
    },
  );

  app.post(
    `${base}/:apiName/deleteField.json`,
    {
      ...guard,
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Delete Custom Object Type Fields',
        params: apiNameParams,
        body: deleteFieldBody,
        response: { 200: emptyEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const type = typeNamed(types, request.params.apiName);
      const draft: TypeVersion = structuredClone((type.draft ?? type.approved)!);
      for (const { name } of request.body.input) {
        const index = draft.fields.findIndex((field) => field.name.toLowerCase() === name.toLowerCase());
        if (index < 0) throw new MarketoError('1006', marketoMessage('1006', name));
        const field = draft.fields[index]!;
        const approved = type.approved?.fields.find((other) => other.name === field.name);
        if (approved && (approved.isDedupeField || approved.dataType === 'link')) {
          throw new MarketoError(
            '1003',
            formatMessage(DETAIL_MESSAGES.keyFieldAfterApproval, field.name, type.apiName),
          );
        }
        draft.fields.splice(index, 1);
      }
      types.saveDraft(type.id, draft);
      return done(request);
    },
  );

  app.post(
    `${base}/:apiName/approve.json`,
    {
      ...guard,
      config: { permissions: WRITE },
      schema: { tags, summary: 'Approve Custom Object Type', params: apiNameParams, response: { 200: emptyEnvelope } },
    },
    async (request) => {
      const types = repo(request);
      const type = typeNamed(types, request.params.apiName);
      // "You can approve a type only when it is in draft state and satisfies the documented validation rules."
      if (!type.draft) throw new MarketoError('709', formatMessage(DETAIL_MESSAGES.noDraft, type.apiName));
      const problem = approvalProblem(type.draft, linkTargets(request.ctx));
      if (problem) throw new MarketoError('709', problem);
      types.approve(type);
      return done(request);
    },
  );

  app.post(
    `${base}/:apiName/discardDraft.json`,
    {
      ...guard,
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Discard Custom Object Type Draft',
        params: apiNameParams,
        response: { 200: emptyEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const type = typeNamed(types, request.params.apiName);
      if (!type.draft) throw new MarketoError('1048', marketoMessage('1048'));
      if (type.approved) {
        types.saveDraft(type.id, undefined);
        return done(request);
      }
      // A type never approved is only its draft: discarding it leaves nothing (decision, README).
      const user = linkedFrom(types, type);
      if (user) throw new MarketoError('709', formatMessage(DETAIL_MESSAGES.typeLinkedFrom, type.apiName, user));
      types.delete(type.id);
      return done(request);
    },
  );

  app.post(
    `${base}/:apiName/delete.json`,
    {
      ...guard,
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Delete Custom Object Type',
        description: 'Its records go with it; a type another type links to cannot go (709).',
        params: apiNameParams,
        response: { 200: emptyEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const type = typeNamed(types, request.params.apiName);
      const user = linkedFrom(types, type);
      if (user) throw new MarketoError('709', formatMessage(DETAIL_MESSAGES.typeLinkedFrom, type.apiName, user));
      types.delete(type.id);
      return done(request);
    },
  );

  app.get(
    `${base}/fieldDataTypes.json`,
    {
      ...guard,
      config: { permissions: READ },
      schema: { tags, summary: 'Get Custom Object Type Field Data Types', response: { 200: dataTypesEnvelope } },
    },
    async (request) => successEnvelope(request.marketoRequestId(), [...FIELD_DATA_TYPES]),
  );

  app.get(
    `${base}/linkableObjects.json`,
    {
      ...guard,
      config: { permissions: READ },
      schema: { tags, summary: 'Get Custom Object Linkable Objects', response: { 200: linkableEnvelope } },
    },
    async (request) => {
      const leads = request.ctx.port('leads').catalog();
      const approved = repo(request)
        .list()
        .filter((type) => type.approved && !type.approved.fields.some((field) => field.dataType === 'link'));
      return successEnvelope(request.marketoRequestId(), [
        {
          name: 'lead',
          displayName: 'Lead',
          fields: leads
            .searchable()
            .map((field) => ({ name: field.name, displayName: field.displayName, dataType: field.dataType })),
        },
        { name: 'company', displayName: 'Company', fields: [{ name: 'id', displayName: 'Id', dataType: 'integer' }] },
        ...approved.map((type) => ({
          name: type.apiName,
          displayName: type.approved!.displayName,
          fields: [
            { name: 'marketoGUID', displayName: 'Marketo GUID', dataType: 'string' },
            ...type
              .approved!.fields.filter((field) => field.isDedupeField)
              .map((field) => ({ name: field.name, displayName: field.displayName, dataType: field.dataType })),
          ],
        })),
      ]);
    },
  );

  app.get(
    `${base}/:apiName/dependentAssets.json`,
    {
      ...guard,
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Custom Object Dependent Assets',
        description: 'No smart campaign or list of the fake uses a custom object: always empty for a known type.',
        params: apiNameParams,
        response: { 200: dependentEnvelope },
      },
    },
    async (request) => {
      typeNamed(repo(request), request.params.apiName);
      return successEnvelope(request.marketoRequestId(), []);
    },
  );
};

const adminRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<CustomObjectTypeRepository>> = async (app, { repo }) => {
  const adminTags = ['Admin: Custom objects'];
  app.get(
    '/custom-object-types',
    {
      schema: {
        tags: adminTags,
        summary: 'List custom object types, in seed form',
        response: { 200: z.object({ items: z.array(typeItem) }), 401: problemResponses[401] },
      },
    },
    async (request) => ({ items: repo(request).list().map(itemOf) }),
  );
  app.post(
    '/custom-object-types',
    {
      schema: {
        tags: adminTags,
        summary: 'Declare a custom object type (approved at once, unless state is draft)',
        body: typeItem,
        response: { 201: typeItem, ...problemResponses },
      },
    },
    async (request, reply) => {
      try {
        return reply.code(201).send(itemOf(declare(repo(request), request.body, linkTargets(request.ctx))));
      } catch (error) {
        // The API's rules, answered as the admin plane answers: 409 for a name taken, 400 for the rest.
        if (error instanceof MarketoError) {
          throw error.code === '1017' ? new ConflictError(error.message) : new InvalidInputError(error.message);
        }
        throw error;
      }
    },
  );
};

/** Custom object types: the Custom Object Type API and their seed and admin-plane declarations. */
export const customObjectTypes = defineFamily({
  key: 'customObjectTypes',
  tables: ['custom_object_types'],
  wireFormat: 'lead-database',
  repository: ({ db, clock }) => new CustomObjectTypeRepository(db, clock),
  seed: {
    item: typeItem,
    load(repo, items, context) {
      const links = linkTargets(context);
      items.forEach((item, i) => {
        try {
          context.unique(`[${i}]`, () => declare(repo, item, links, context.now));
        } catch (error) {
          if (error instanceof MarketoError) context.fail(`[${i}]`, error.message);
          throw error;
        }
      });
    },
    snapshot: (repo) => repo.list().map(itemOf),
    example: [
      {
        apiName: 'car_c',
        displayName: 'Car',
        description: 'Car owner',
        fields: [
          { name: 'vin', displayName: 'VIN', dataType: 'string', isDedupeField: true },
          { name: 'leadId', displayName: 'Lead ID', dataType: 'link', relatedTo: { name: 'lead', field: 'id' } },
          { name: 'year', displayName: 'Year', dataType: 'integer' },
        ],
        draft: {
          displayName: 'Car',
          fields: [
            { name: 'vin', displayName: 'VIN', dataType: 'string', isDedupeField: true },
            { name: 'leadId', displayName: 'Lead ID', dataType: 'link', relatedTo: { name: 'lead', field: 'id' } },
            { name: 'year', displayName: 'Year', dataType: 'integer' },
            { name: 'colour', displayName: 'Colour', dataType: 'string' },
          ],
        },
      },
    ],
  },
  reset: (repo) => repo.invalidate(),
  marketoRoutes: schemaRoutes,
  adminRoutes,
});
