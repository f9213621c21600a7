import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isStandardFieldName } from './lead-field-catalog.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { deletedResponse, problemResponses } from '../../http/problem.js';
import { LeadFieldRepository } from './lead-fields-repository.js';
import { migrations } from './migrations.js';

const leadFieldSchema = z
  .object({
    name: z.string().describe('REST API name'),
    displayName: z.string(),
    dataType: z.enum(['string', 'email', 'integer', 'float', 'boolean', 'date', 'datetime']),
    length: z.number().int().optional(),
  })
  .meta({ id: 'CustomLeadField' });

/** A custom field's REST API name; the same rule on the admin plane and in a seed. */
const fieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/, 'must start with a letter and hold only letters, digits and _ (max 50)');

const leadFieldInput = z.strictObject({
  name: fieldName,
  displayName: z.string().trim().min(1).max(255),
  dataType: leadFieldSchema.shape.dataType,
  length: z.number().int().min(1).max(65535).optional().describe('string and email only; default 255'),
});

const hasLength = (dataType: string): boolean => dataType === 'string' || dataType === 'email';

const createLeadFieldBody = leadFieldInput
  .refine((input) => input.length === undefined || hasLength(input.dataType), {
    path: ['length'],
    message: 'only string and email fields have a length',
  })
  .meta({ example: { name: 'tier', displayName: 'Tier', dataType: 'string', length: 20 } });

const leadFieldNameParams = z.object({ name: z.string() });

const tags = ['Admin: Lead fields'];

const leadFieldList = z.object({ items: z.array(leadFieldSchema) });

const leadFieldRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<LeadFieldRepository>> = async (app, { repo }) => {
  app.get(
    '/lead-fields',
    {
      schema: {
        tags,
        summary: 'List custom lead fields',
        response: { 200: leadFieldList, 401: problemResponses[401] },
      },
    },
    async (request) => ({ items: repo(request).list() }),
  );

  app.post(
    '/lead-fields',
    {
      schema: {
        tags,
        summary: 'Declare a custom lead field; it appears in describe and can be filtered on',
        body: createLeadFieldBody,
        response: { 201: leadFieldSchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.code(201).send(repo(request).create(request.body)),
  );

  app.delete(
    '/lead-fields/:name',
    {
      schema: {
        tags,
        summary: 'Delete a custom lead field and its values',
        params: leadFieldNameParams,
        response: { 204: deletedResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      repo(request).delete(request.params.name);
      return reply.code(204).send(null);
    },
  );
};

/** Custom lead fields: declared on the admin plane or in a seed (`leadFields`), shown by describe. */
export const leadFields = defineFamily({
  key: 'leadFields',
  tables: ['lead_fields'],
  // The folder's migrations (both tables: leads and lead_fields), declared by its first family.
  migrations,
  repository: ({ db, clock }) => new LeadFieldRepository(db, clock),
  seed: {
    item: leadFieldInput,
    load(repo, items, { now, fail, unique }) {
      items.forEach((field, i) => {
        if (isStandardFieldName(field.name)) fail(`[${i}].name`, `"${field.name}" is a standard lead field`);
        if (field.length !== undefined && !hasLength(field.dataType)) {
          fail(`[${i}].length`, 'only string and email fields have a length');
        }
        // One millisecond apart, so describe lists them in seed order.
        unique(`[${i}]`, () => repo.load(field, now + i));
      });
    },
    snapshot: (repo) => repo.list(),
    example: [
      { name: 'industryTier', displayName: 'Industry tier', dataType: 'string', length: 40 },
      { name: 'score2', displayName: 'Second score', dataType: 'integer' },
    ],
  },
  // The catalog is cached in memory; a reset or a rolled-back load may have changed the rows behind it.
  reset: (repo) => repo.invalidate(),
  adminRoutes: leadFieldRoutes,
});
