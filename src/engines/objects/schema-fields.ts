import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { marketoMessage } from '../../domain/marketo-codes.js';
import { decodePageToken, encodePageToken, queryDigest } from '../../domain/paging.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { MAX_BATCH } from '../../domain/results.js';
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
