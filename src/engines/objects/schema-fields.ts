import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage, type RecordCode, reason } from '../../domain/marketo-codes.js';
import { decodePageToken, encodePageToken, queryDigest } from '../../domain/paging.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { MAX_BATCH, type Reason } from '../../domain/results.js';
import { successEnvelope } from '../../http/envelope.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import type { ObjectField } from './fields.js';

/**
 * The schema field APIs (`/rest/v1/{leads,companies,opportunities,namedaccounts,programs/members}/schema/fields…`):
 * a field's metadata as Adobe's LeadField gives it (leads.md "Fields", companies.md "Fields"), browsed with paging or
 * read by API name. The reads are shared here; the lead and program member families add create and update.
 */

/** "Read-Write Schema Standard Field, Read-Write Schema Custom Field" (swagger-mapi.json, every read). */
export const SCHEMA_FIELD_READ: readonly PermissionKey[] = [
  'read-write-schema-standard-field',
  'read-write-schema-custom-field',
];
/** Creating a field takes the custom one ("Read-Write Schema Custom Field", createLeadFieldUsingPOST). */
export const SCHEMA_FIELD_CREATE: readonly PermissionKey[] = ['read-write-schema-custom-field'];

export const schemaFieldSchema = z
  .object({
    displayName: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    dataType: z.string(),
    length: z.number().int().optional(),
    isHidden: z.boolean(),
    isHtmlEncodingInEmail: z.boolean(),
    isSensitive: z.boolean(),
    isCustom: z.boolean(),
    isApiCreated: z.boolean(),
  })
  .meta({
    id: 'LeadField',
    example: {
      displayName: 'Industry',
      name: 'industry',
      description: null,
      dataType: 'string',
      length: 255,
      isHidden: false,
      isHtmlEncodingInEmail: true,
      isSensitive: false,
      isCustom: false,
      isApiCreated: false,
    },
  });
export type SchemaField = z.infer<typeof schemaFieldSchema>;
export const schemaFieldEnvelope = envelopeOf(schemaFieldSchema);

/** Types whose values Marketo HTML-encodes in emails by default: text ones (the doc's examples; numbers are not). */
const TEXT_TYPES: ReadonlySet<string> = new Set(['string', 'text', 'email', 'phone', 'url']);

/** A catalog field's schema metadata, with what the catalog does not hold taken as Marketo's defaults. */
export function schemaFieldOf(field: ObjectField, extra: Partial<SchemaField> = {}): SchemaField {
  return {
    displayName: field.displayName,
    name: field.name,
    description: null,
    dataType: field.dataType,
    ...(field.length !== undefined ? { length: field.length } : {}),
    isHidden: false,
    isHtmlEncodingInEmail: TEXT_TYPES.has(field.dataType),
    isSensitive: false,
    isCustom: field.custom,
    isApiCreated: false,
    ...extra,
  };
}

export const fieldsPageQuery = z.object({
  batchSize: z.coerce.number().int().min(1).max(MAX_BATCH).default(MAX_BATCH),
  nextPageToken: z.string().optional(),
});
export const fieldNameParams = z.object({ fieldApiName: z.string().min(1) });

/** A page of fields: `batchSize` from the token's place (Get Lead Fields pages with nextPageToken). */
export function fieldsPage(
  request: FastifyRequest,
  fields: readonly SchemaField[],
  query: z.infer<typeof fieldsPageQuery>,
) {
  const now = request.ctx.clock.now();
  const digest = queryDigest(['schema-fields', request.url.split('?')[0], query.batchSize]);
  const from = query.nextPageToken ? decodePageToken(query.nextPageToken, digest, now) : 0;
  const page = fields.slice(from, from + query.batchSize);
  const more = from + query.batchSize < fields.length;
  return successEnvelope(
    request.marketoRequestId(),
    page,
    more ? { moreResult: true, nextPageToken: encodePageToken(from + query.batchSize, digest, now) } : {},
  );
}

/** One field by API name (case-insensitive, as the catalog finds names); an unknown one is 1006. */
export function fieldNamed(fields: readonly SchemaField[], name: string): SchemaField {
  const wanted = name.toLowerCase();
  const field = fields.find((candidate) => candidate.name.toLowerCase() === wanted);
  if (!field) throw new MarketoError('1006', marketoMessage('1006', name));
  return field;
}

/** The two read routes of an object's schema fields, under `path` (`/rest/v1/companies/schema/fields`). */
export function schemaFieldReadRoutes(options: {
  path: string;
  tag: string;
  object: string;
  fieldsOf(request: FastifyRequest): readonly SchemaField[];
  guard?(request: FastifyRequest): void;
}): FastifyPluginAsyncZod {
  const tags = [options.tag];
  const guard = options.guard ?? (() => {});
  return async (app) => {
    app.get(
      `${options.path}.json`,
      {
        config: { permissions: SCHEMA_FIELD_READ },
        schema: {
          tags,
          summary: `Get ${options.object} Fields`,
          querystring: fieldsPageQuery,
          response: { 200: schemaFieldEnvelope },
        },
      },
      async (request) => {
        guard(request);
        return fieldsPage(request, options.fieldsOf(request), request.query);
      },
    );
    app.get(
      `${options.path}/:fieldApiName.json`,
      {
        config: { permissions: SCHEMA_FIELD_READ },
        schema: {
          tags,
          summary: `Get ${options.object} Field by Name`,
          params: fieldNameParams,
          response: { 200: schemaFieldEnvelope },
        },
      },
      async (request) => {
        guard(request);
        const field = fieldNamed(options.fieldsOf(request), request.params.fieldApiName);
        return successEnvelope(request.marketoRequestId(), [field]);
      },
    );
  };
}

/**
 * The write half, for the objects that have one (leads, program members): create custom fields, update a field's
 * metadata. Per field a result `{name, status}` (Adobe's LeadFieldStatus), skipped ones with their reasons.
 */

/** createLeadFieldUsingPOST's data types (Adobe's CreateLeadField). */
export const CREATE_FIELD_TYPES = [
  'boolean',
  'currency',
  'date',
  'datetime',
  'email',
  'float',
  'integer',
  'percent',
  'phone',
  'score',
  'string',
  'url',
] as const;

const createFieldInput = z.object({
  displayName: z.string(),
  name: z.string(),
  description: z.string().max(2000).optional(),
  dataType: z.enum(CREATE_FIELD_TYPES),
  isHidden: z.boolean().optional(),
  isHtmlEncodingInEmail: z.boolean().optional(),
  isSensitive: z.boolean().optional(),
});
export type NewSchemaField = z.infer<typeof createFieldInput>;

const updateFieldInput = z.object({
  displayName: z.string().optional(),
  description: z.string().max(2000).optional(),
  isHidden: z.boolean().optional(),
  isHtmlEncodingInEmail: z.boolean().optional(),
  isSensitive: z.boolean().optional(),
});
export type SchemaFieldChanges = z.infer<typeof updateFieldInput>;

export const createFieldsBody = (max: number) =>
  z.object({ input: z.array(createFieldInput).min(1).max(max) }).meta({
    example: {
      input: [{ displayName: 'Acme Access Code', name: 'acmeAccessCode', description: 'Acme', dataType: 'string' }],
    },
  });
/** "Single lead field for input" (UpdateLeadFieldRequest). */
export const updateFieldBody = z
  .object({ input: z.array(updateFieldInput).length(1) })
  .meta({ example: { input: [{ displayName: 'Acme Access Code', isHtmlEncodingInEmail: true }] } });

export const fieldStatusEnvelope = envelopeOf(
  z
    .object({
      name: z.string(),
      status: z.enum(['created', 'updated', 'skipped']),
      reasons: z.array(z.object({ code: z.string(), message: z.string() })).optional(),
    })
    .meta({ id: 'LeadFieldStatus' }),
);
export type FieldStatus =
  { name: string; status: 'created' | 'updated' } | { name: string; status: 'skipped'; reasons: Reason[] };

/** What the write routes need of an object's fields. */
export interface SchemaFieldStore {
  /** Every field, standard and custom, with its metadata. */
  fields(): readonly SchemaField[];
  /** Stores a custom field (checked), created through the API. */
  create(field: NewSchemaField): void;
  /** Stores a field's new metadata (checked). */
  update(name: string, changes: SchemaFieldChanges): void;
  /** How many custom fields the object takes at most (program members: 20), if it has a limit. */
  maxCustom?: number;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,49}$/;
/** "The displayName must be unique and cannot contain special characters" (leads.md): letters, digits, spaces, _. */
const DISPLAY_NAME = /^[A-Za-z0-9 _]{1,255}$/;

const skippedField = (name: string, code: RecordCode, message?: string): FieldStatus => ({
  name,
  status: 'skipped',
  reasons: [reason(code, message)],
});

/** Create Lead Fields (and Program Member Fields): each new field checked against the others, in input order. */
export function createFields(store: SchemaFieldStore, input: readonly NewSchemaField[]): FieldStatus[] {
  return input.map((field) => {
    const existing = store.fields();
    if (!FIELD_NAME.test(field.name)) {
      return skippedField(field.name, '1003', formatMessage(DETAIL_MESSAGES.invalidApiName, 'field', field.name));
    }
    if (!DISPLAY_NAME.test(field.displayName)) {
      return skippedField(field.name, '1003', formatMessage(DETAIL_MESSAGES.invalidDisplayName, field.displayName));
    }
    const taken = existing.find(
      (other) =>
        other.name.toLowerCase() === field.name.toLowerCase() ||
        other.displayName.toLowerCase() === field.displayName.toLowerCase(),
    );
    if (taken) return skippedField(field.name, '1017');
    if (store.maxCustom !== undefined && existing.filter((other) => other.isCustom).length >= store.maxCustom) {
      return skippedField(field.name, '1028', formatMessage(DETAIL_MESSAGES.tooManyCustomFields, store.maxCustom));
    }
    store.create(field);
    return { name: field.name, status: 'created' };
  });
}

/**
 * Update Lead Field (leads.md "Update Field"): a standard field's description, isHtmlEncodingInEmail and isSensitive;
 * a custom field's displayName too, and isHidden when the API created it. Anything else skips the field with 1003.
 */
export function updateField(store: SchemaFieldStore, name: string, changes: SchemaFieldChanges): FieldStatus[] {
  const field = store.fields().find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
  if (!field) return [skippedField(name, '1006', marketoMessage('1006', name))];
  const refused = (attribute: string) =>
    skippedField(field.name, '1003', formatMessage(DETAIL_MESSAGES.fieldAttributeNotUpdateable, attribute, field.name));
  if (!field.isCustom && changes.displayName !== undefined && changes.displayName !== field.displayName) {
    return [refused('displayName')];
  }
  if (
    changes.isHidden !== undefined &&
    changes.isHidden !== field.isHidden &&
    !(field.isCustom && field.isApiCreated)
  ) {
    return [refused('isHidden')];
  }
  if (changes.displayName !== undefined && !DISPLAY_NAME.test(changes.displayName)) {
    return [skippedField(field.name, '1003', formatMessage(DETAIL_MESSAGES.invalidDisplayName, changes.displayName))];
  }
  const clash = store
    .fields()
    .find((other) => other !== field && other.displayName.toLowerCase() === changes.displayName?.toLowerCase());
  if (clash) return [skippedField(field.name, '1017')];
  store.update(field.name, changes);
  return [{ name: field.name, status: 'updated' }];
}

/** All four routes of an object whose fields the API creates and updates (leads, program members), under `path`. */
export function schemaFieldRoutes(options: {
  path: string;
  tag: string;
  object: string;
  /** How many fields one create takes (leads 100; program members 20). */
  maxCreated: number;
  store(request: FastifyRequest): SchemaFieldStore;
}): FastifyPluginAsyncZod {
  const tags = [options.tag];
  const createBody = createFieldsBody(options.maxCreated);
  const reads = schemaFieldReadRoutes({
    path: options.path,
    tag: options.tag,
    object: options.object,
    fieldsOf: (request) => options.store(request).fields(),
  });
  return async (app) => {
    await reads(app, {});
    app.post(
      `${options.path}.json`,
      {
        config: { permissions: SCHEMA_FIELD_CREATE },
        schema: {
          tags,
          summary: `Create ${options.object} Fields`,
          description: `Up to ${options.maxCreated} custom fields; each is skipped with its reason or created.`,
          body: createBody,
          response: { 200: fieldStatusEnvelope },
        },
      },
      async (request) => {
        const results = request.ctx.transaction(() => createFields(options.store(request), request.body.input));
        return successEnvelope(request.marketoRequestId(), results);
      },
    );
    app.post(
      `${options.path}/:fieldApiName.json`,
      {
        config: { permissions: SCHEMA_FIELD_READ },
        schema: {
          tags,
          summary: `Update ${options.object} Field`,
          params: fieldNameParams,
          body: updateFieldBody,
          response: { 200: fieldStatusEnvelope },
        },
      },
      async (request) => {
        const results = request.ctx.transaction(() =>
          updateField(options.store(request), request.params.fieldApiName, request.body.input[0]!),
        );
        return successEnvelope(request.marketoRequestId(), results);
      },
    );
  };
}
