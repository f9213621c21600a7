import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import type { FamilyRouteOptions } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import {
  type ActivityTypeRepository,
  approvedVersion,
  type CustomAttribute,
  type CustomTypeVersion,
  type StoredActivityType,
} from './activity-types-repository.js';
import { activityApiName, CUSTOM_DATA_TYPES, customTypesEnvelope, wireCustomType } from './activity-type-wire.js';

/**
 * The write half of the Custom Activity Type API (activities.md "Custom Activity Types"; 8 operations, Read-Write
 * Activity Metadata): a type is created as a draft, every change goes into its draft, approval makes the draft the
 * version Add Custom Activities accepts. Each answers the type as it now stands (its draft when it has one).
 */

const WRITE: readonly PermissionKey[] = ['read-write-activity-metadata'];
const tags = ['Marketo: Activities'];

/** "Maximum Custom Activities: 10; Maximum attributes per Custom Activity: 20" (activities.md). */
const MAX_TYPES = 10;
const MAX_ATTRIBUTES = 20;

/** "Display names accept alphanumeric characters, spaces, and underscores and must contain at least one letter." */
const DISPLAY_NAME = /^[A-Za-z0-9 _]*[A-Za-z][A-Za-z0-9 _]*$/;

const attributeInput = z.object({
  apiName: activityApiName,
  name: z.string().trim().min(1).max(255),
  dataType: z.enum(CUSTOM_DATA_TYPES).default('string'),
  description: z.string().max(2000).optional(),
  isPrimary: z.boolean().optional(),
});
const primaryInput = attributeInput.omit({ isPrimary: true });
const typeFields = {
  name: z.string().trim().min(1).max(255),
  description: z.string().max(2000).optional(),
  triggerName: z.string().trim().min(1).max(255),
  filterName: z.string().trim().min(1).max(255),
  primaryAttribute: primaryInput,
};
const createBody = z.object({ apiName: activityApiName, ...typeFields }).meta({
  example: {
    apiName: 'attendConference',
    name: 'Attend Conference',
    description: 'Attend the conference',
    triggerName: 'Attends Conference',
    filterName: 'Attended Conference',
    primaryAttribute: { apiName: 'conferenceName', name: 'Conference Name', description: 'Name of the conference' },
  },
});
const updateBody = z.object({
  name: typeFields.name.optional(),
  description: typeFields.description,
  triggerName: typeFields.triggerName.optional(),
  filterName: typeFields.filterName.optional(),
  primaryAttribute: primaryInput.partial().optional(),
});
const attributesBody = z.object({
  attributes: z
    .array(attributeInput)
    .min(1)
    .max(MAX_ATTRIBUTES + 1),
});
const attributeUpdatesBody = z.object({
  attributes: z
    .array(attributeInput.partial().extend({ apiName: activityApiName }))
    .min(1)
    .max(MAX_ATTRIBUTES + 1),
});
const attributeNamesBody = z.object({
  attributes: z
    .array(z.object({ apiName: z.string().min(1) }))
    .min(1)
    .max(MAX_ATTRIBUTES + 1),
});
const apiNameParams = z.object({ apiName: z.string().min(1) });

const invalid = (message: string): never => {
  throw new MarketoError('1003', message);
};

function attributeOf(input: z.infer<typeof primaryInput>): CustomAttribute {
  return {
    apiName: input.apiName,
    name: input.name,
    dataType: input.dataType,
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
}

/** The custom type a path names, or 1013. */
function typeNamed(types: ActivityTypeRepository, apiName: string): StoredActivityType {
  const type = types.findByApiName(apiName);
  if (!type || type.builtIn) throw new MarketoError('1013', marketoMessage('1013'));
  return type;
}

/** The version changes go into: the draft, or a copy of the approved version. */
const draftOf = (type: StoredActivityType): CustomTypeVersion => structuredClone(type.draft ?? approvedVersion(type));

/** Trigger and filter names are unique among custom types ("Provide a unique, human-readable name"). */
function checkNames(types: ActivityTypeRepository, version: CustomTypeVersion, self: number | undefined): void {
  if (!DISPLAY_NAME.test(version.name)) invalid(formatMessage(DETAIL_MESSAGES.invalidActivityTypeName, version.name));
  for (const key of ['triggerName', 'filterName'] as const) {
    const wanted = version[key]?.toLowerCase();
    if (wanted === undefined) continue;
    const other = types
      .custom()
      .find(
        (type) =>
          type.id !== self && [approvedVersion(type), type.draft].some((v) => v?.[key]?.toLowerCase() === wanted),
      );
    if (other) invalid(formatMessage(DETAIL_MESSAGES.triggerOrFilterTaken, key, version[key]!));
  }
}

function checkAttributes(version: CustomTypeVersion, apiName: string): void {
  const seen = new Set<string>();
  for (const attribute of [...(version.primaryAttribute ? [version.primaryAttribute] : []), ...version.attributes]) {
    const key = attribute.apiName.toLowerCase();
    if (seen.has(key)) invalid(formatMessage(DETAIL_MESSAGES.duplicateAttribute, attribute.apiName, apiName));
    seen.add(key);
  }
  if (version.attributes.length > MAX_ATTRIBUTES) {
    throw new MarketoError('1028', formatMessage(DETAIL_MESSAGES.tooManyAttributes, MAX_ATTRIBUTES));
  }
}

const answer = (request: { marketoRequestId(): string }, types: ActivityTypeRepository, apiName: string) => {
  const type = types.findByApiName(apiName)!;
  return successEnvelope(request.marketoRequestId(), [wireCustomType(type, type.draft ? 'draft' : 'approved')]);
};

export const customActivityTypeWriteRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ActivityTypeRepository>> = async (
  app,
  { repo },
) => {
  const base = '/rest/v1/activities/external/type';

  app.post(
    `${base}.json`,
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Create Custom Activity Type',
        body: createBody,
        response: { 200: customTypesEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const { apiName, primaryAttribute, ...rest } = request.body;
      if (types.findByApiName(apiName)) throw new MarketoError('1017', marketoMessage('1017'));
      if (types.custom().length >= MAX_TYPES) throw new MarketoError('1027', marketoMessage('1027'));
      const version: CustomTypeVersion = { ...rest, primaryAttribute: attributeOf(primaryAttribute), attributes: [] };
      if (version.description === undefined) delete version.description;
      checkNames(types, version, undefined);
      types.createCustom({ apiName, ...version, primaryAttribute: version.primaryAttribute! }, { approved: false });
      return answer(request, types, apiName);
    },
  );

  app.post(
    `${base}/:apiName.json`,
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Custom Activity Type',
        params: apiNameParams,
        body: updateBody,
        response: { 200: customTypesEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const type = typeNamed(types, request.params.apiName);
      const draft = draftOf(type);
      const { primaryAttribute, ...changes } = request.body;
      const next: CustomTypeVersion = {
        ...draft,
        ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
        ...(primaryAttribute
          ? {
              primaryAttribute: attributeOf({
                ...(draft.primaryAttribute ?? { apiName: '', name: '', dataType: 'string' }),
                ...Object.fromEntries(Object.entries(primaryAttribute).filter(([, value]) => value !== undefined)),
              } as z.infer<typeof primaryInput>),
            }
          : {}),
      };
      // "After a custom activity type is approved and in use, the preceding fields cannot be changed."
      if (type.approved && types.inUse(type.id)) {
        const live = approvedVersion(type);
        for (const key of ['name', 'triggerName', 'filterName'] as const) {
          if (next[key] !== live[key]) invalid(formatMessage(DETAIL_MESSAGES.activityTypeInUse, type.apiName!, key));
        }
        if (JSON.stringify(next.primaryAttribute) !== JSON.stringify(live.primaryAttribute)) {
          invalid(formatMessage(DETAIL_MESSAGES.activityTypeInUse, type.apiName!, 'primaryAttribute'));
        }
      }
      checkNames(types, next, type.id);
      checkAttributes(next, type.apiName!);
      types.saveDraft(type.id, next);
      return answer(request, types, type.apiName!);
    },
  );

  app.post(
    `${base}/:apiName/attributes/create.json`,
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Create Custom Activity Type Attributes',
        params: apiNameParams,
        body: attributesBody,
        response: { 200: customTypesEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const type = typeNamed(types, request.params.apiName);
      const draft = draftOf(type);
      for (const { isPrimary, ...input } of request.body.attributes) {
        const attribute = attributeOf(input);
        if (isPrimary) {
          // "Before changing the primary attribute of an activity type, demote the existing primary attribute."
          if (draft.primaryAttribute) invalid(formatMessage(DETAIL_MESSAGES.primaryAttributeExists, type.apiName!));
          draft.primaryAttribute = attribute;
        } else {
          draft.attributes.push(attribute);
        }
        checkAttributes(draft, type.apiName!);
      }
      types.saveDraft(type.id, draft);
      return answer(request, types, type.apiName!);
    },
  );

  app.post(
    `${base}/:apiName/attributes/update.json`,
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Custom Activity Type Attributes',
        params: apiNameParams,
        body: attributeUpdatesBody,
        response: { 200: customTypesEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const type = typeNamed(types, request.params.apiName);
      const draft = draftOf(type);
      for (const { isPrimary, ...change } of request.body.attributes) {
        const key = change.apiName.toLowerCase();
        const primary = draft.primaryAttribute?.apiName.toLowerCase() === key;
        const index = draft.attributes.findIndex((attribute) => attribute.apiName.toLowerCase() === key);
        const current = primary ? draft.primaryAttribute : draft.attributes[index];
        // "The attribute apiName is the primary key and must already exist."
        if (!current) invalid(formatMessage(DETAIL_MESSAGES.unknownAttribute, change.apiName, type.apiName!));
        const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
        const updated = attributeOf({ ...current!, ...defined, apiName: current!.apiName } as z.infer<
          typeof primaryInput
        >);
        if (primary && isPrimary === false) {
          draft.primaryAttribute = undefined;
          draft.attributes.push(updated);
        } else if (!primary && isPrimary === true) {
          if (draft.primaryAttribute) invalid(formatMessage(DETAIL_MESSAGES.primaryAttributeExists, type.apiName!));
          draft.attributes.splice(index, 1);
          draft.primaryAttribute = updated;
        } else if (primary) {
          draft.primaryAttribute = updated;
        } else {
          draft.attributes[index] = updated;
        }
      }
      checkAttributes(draft, type.apiName!);
      types.saveDraft(type.id, draft);
      return answer(request, types, type.apiName!);
    },
  );

  app.post(
    `${base}/:apiName/attributes/delete.json`,
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Delete Custom Activity Type Attributes',
        params: apiNameParams,
        body: attributeNamesBody,
        response: { 200: customTypesEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const type = typeNamed(types, request.params.apiName);
      const draft = draftOf(type);
      for (const { apiName } of request.body.attributes) {
        const key = apiName.toLowerCase();
        if (draft.primaryAttribute?.apiName.toLowerCase() === key) {
          invalid(formatMessage(DETAIL_MESSAGES.primaryAttributeDelete, apiName));
        }
        const index = draft.attributes.findIndex((attribute) => attribute.apiName.toLowerCase() === key);
        if (index < 0) invalid(formatMessage(DETAIL_MESSAGES.unknownAttribute, apiName, type.apiName!));
        draft.attributes.splice(index, 1);
      }
      types.saveDraft(type.id, draft);
      return answer(request, types, type.apiName!);
    },
  );

  app.post(
    `${base}/:apiName/approve.json`,
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Approve Custom Activity Type',
        params: apiNameParams,
        response: { 200: customTypesEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const type = typeNamed(types, request.params.apiName);
      if (!type.draft) throw new MarketoError('709', formatMessage(DETAIL_MESSAGES.activityTypeNoDraft, type.apiName!));
      if (!type.draft.primaryAttribute) {
        throw new MarketoError('709', formatMessage(DETAIL_MESSAGES.noPrimaryAttribute, type.apiName!));
      }
      types.approve(type);
      return answer(request, types, type.apiName!);
    },
  );

  app.post(
    `${base}/:apiName/discardDraft.json`,
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Discard Custom Activity Type Draft',
        params: apiNameParams,
        description: 'A type never approved is only its draft: discarding it deletes the type (decision).',
        response: { 200: customTypesEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const type = typeNamed(types, request.params.apiName);
      if (!type.draft) throw new MarketoError('709', formatMessage(DETAIL_MESSAGES.activityTypeNoDraft, type.apiName!));
      if (!type.approved) {
        types.delete(type.id);
        return successEnvelope(request.marketoRequestId(), [wireCustomType(type, 'draft')]);
      }
      types.saveDraft(type.id, undefined);
      return answer(request, types, type.apiName!);
    },
  );

  app.post(
    `${base}/:apiName/delete.json`,
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Delete Custom Activity Type',
        params: apiNameParams,
        description: 'Its activities stay in the log, and the id they name is not given out again.',
        response: { 200: customTypesEnvelope },
      },
    },
    async (request) => {
      const types = repo(request);
      const type = typeNamed(types, request.params.apiName);
      types.delete(type.id);
      return successEnvelope(request.marketoRequestId(), [wireCustomType(type)]);
    },
  );
};
