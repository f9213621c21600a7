import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createFields,
  createFieldsBody,
  fieldNameParams,
  fieldNamed,
  fieldsPage,
  fieldsPageQuery,
  fieldStatusEnvelope,
  SCHEMA_FIELD_CREATE,
  SCHEMA_FIELD_READ,
  schemaFieldEnvelope,
  type SchemaFieldStore,
  updateField,
  updateFieldBody,
} from '../../engines/objects/schema-fields.js';
import type { FamilyRouteOptions } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import type { LeadFieldRepository } from './lead-fields-repository.js';

/**
 * The lead schema field API (leads.md "Fields"): browse and read every lead field's metadata, create custom fields
 * (up to 100 a call), update a field's metadata. A created field is a custom lead field like any: describe, filters
 * and syncs know it at once.
 */

/** "You can create up to 100 custom fields with this endpoint" (leads.md "Create Fields"). */
const MAX_CREATED = 100;
const tags = ['Marketo: Leads'];
const createBody = createFieldsBody(MAX_CREATED);

function storeOf(repo: LeadFieldRepository): SchemaFieldStore {
  return {
    fields: () => repo.fields(),
    create: (field) => repo.createFromApi(field),
    update: (name, changes) => repo.updateFromApi(name, changes),
  };
}

export const leadSchemaFieldRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<LeadFieldRepository>> = async (
  app,
  { repo },
) => {
  app.get(
    '/rest/v1/leads/schema/fields.json',
    {
      config: { permissions: SCHEMA_FIELD_READ },
      schema: {
        tags,
        summary: 'Get Lead Fields',
        querystring: fieldsPageQuery,
        response: { 200: schemaFieldEnvelope },
      },
    },
    async (request) => fieldsPage(request, repo(request).fields(), request.query),
  );

  app.get(
    '/rest/v1/leads/schema/fields/:fieldApiName.json',
    {
      config: { permissions: SCHEMA_FIELD_READ },
      schema: {
        tags,
        summary: 'Get Lead Field by Name',
        params: fieldNameParams,
        response: { 200: schemaFieldEnvelope },
      },
    },
    async (request) =>
      successEnvelope(request.marketoRequestId(), [fieldNamed(repo(request).fields(), request.params.fieldApiName)]),
  );

  app.post(
    '/rest/v1/leads/schema/fields.json',
    {
      config: { permissions: SCHEMA_FIELD_CREATE },
      schema: {
        tags,
        summary: 'Create Lead Fields',
        description: 'Up to 100 custom fields; each is skipped with its reason or created.',
        body: createBody,
        response: { 200: fieldStatusEnvelope },
      },
    },
    async (request) => {
      const fields = repo(request);
      const results = request.ctx.transaction(() => createFields(storeOf(fields), request.body.input));
      return successEnvelope(request.marketoRequestId(), results);
    },
  );

  app.post(
    '/rest/v1/leads/schema/fields/:fieldApiName.json',
    {
      config: { permissions: SCHEMA_FIELD_READ },
      schema: {
        tags,
        summary: 'Update Lead Field',
        params: fieldNameParams,
        body: updateFieldBody,
        response: { 200: fieldStatusEnvelope },
      },
    },
    async (request) => {
      const fields = repo(request);
      const results = request.ctx.transaction(() =>
        updateField(storeOf(fields), request.params.fieldApiName, request.body.input[0]!),
      );
      return successEnvelope(request.marketoRequestId(), results);
    },
  );
};
