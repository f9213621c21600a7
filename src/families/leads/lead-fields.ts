import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CUSTOM_FIELD_TYPES } from '../../engines/objects/fields.js';
import { isStandardFieldName, STANDARD_FIELDS } from './lead-field-catalog.js';
import { leadSchemaFieldRoutes } from './lead-schema-fields.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { deletedResponse, problemResponses } from '../../http/problem.js';
import { type CustomLeadField, LeadFieldRepository } from './lead-fields-repository.js';
import { migrations } from './migrations.js';

const leadFieldSchema = z
  .object({
    name: z.string().describe('REST API name'),
    displayName: z.string(),
    dataType: z.enum(CUSTOM_FIELD_TYPES),
    length: z.number().int().optional(),
  })
  .meta({ id: 'CustomLeadField' });

/** The schema field API's metadata of a field (leads.md "Fields"), as a seed and a snapshot carry it. */
const metadata = {
  description: z.string().max(2000).optional(),
  isHtmlEncodingInEmail: z.boolean().optional(),
  isSensitive: z.boolean().optional(),
};

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

/**
 * A seed item: a custom field (name, displayName, dataType, with its metadata), or a standard field's metadata alone
 * (name and description, isHtmlEncodingInEmail, isSensitive: what the schema field API may change of it).
 */
const leadFieldItem = leadFieldInput
  .partial({ displayName: true, dataType: true })
  .extend({
    ...metadata,
    isHidden: z.boolean().optional(),
    isApiCreated: z.boolean().optional().describe('Created through the schema field API'),
  })
  .superRefine((item, issues) => {
    const custom = item.displayName !== undefined || item.dataType !== undefined;
    if (!custom) {
      for (const key of ['length', 'isHidden', 'isApiCreated'] as const) {
        if (item[key] !== undefined)
          issues.addIssue({ code: 'custom', path: [key], message: 'only a custom field has it' });
      }
      return;
    }
    for (const key of ['displayName', 'dataType'] as const) {
      if (item[key] === undefined) issues.addIssue({ code: 'custom', path: [key], message: 'a custom field needs it' });
    }
  });
type LeadFieldItem = z.output<typeof leadFieldItem>;

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
    async (request) => ({
      items: repo(request)
        .list()
        .map(({ name, displayName, dataType, length }) => ({
          name,
          displayName,
          dataType,
          ...(length !== undefined ? { length } : {}),
        })),
    }),
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
    async (request, reply) => {
      const { name, displayName, dataType, length } = repo(request).create(request.body);
      return reply.code(201).send({ name, displayName, dataType, ...(length !== undefined ? { length } : {}) });
    },
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
  tables: ['lead_fields', 'lead_field_settings'],
  // The folder's migrations (leads, lead_fields and lead_field_settings), declared by its first family.
  migrations,
  repository: ({ db, clock }) => new LeadFieldRepository(db, clock),
  seed: {
    item: leadFieldItem,
    load(repo, items, { now, fail, unique }) {
      items.forEach((field, i) => {
        if (field.dataType === undefined) {
          const standard = STANDARD_FIELDS.find((f) => f.name.toLowerCase() === field.name.toLowerCase());
          if (!standard)
            fail(`[${i}].name`, `"${field.name}" is not a standard lead field: give its displayName and dataType`);
          unique(`[${i}]`, () => repo.loadSettings({ ...field, name: standard!.name }));
          return;
        }
        if (isStandardFieldName(field.name)) fail(`[${i}].name`, `"${field.name}" is a standard lead field`);
        if (field.length !== undefined && !hasLength(field.dataType)) {
          fail(`[${i}].length`, 'only string and email fields have a length');
        }
        // One millisecond apart, so describe lists them in seed order.
        unique(`[${i}]`, () => repo.load(field as LeadFieldItem & CustomLeadField, now + i));
      });
    },
    snapshot: (repo) => [...repo.list(), ...repo.settings()],
    example: [
      { name: 'industryTier', displayName: 'Industry tier', dataType: 'string', length: 40 },
      { name: 'score2', displayName: 'Second score', dataType: 'integer', description: 'A second opinion' },
      { name: 'email', description: 'Where we write', isSensitive: true },
    ],
  },
  // The catalog is cached in memory; a reset or a rolled-back load may have changed the rows behind it.
  reset: (repo) => repo.invalidate(),
  adminRoutes: leadFieldRoutes,
  wireFormat: 'lead-database',
  marketoRoutes: leadSchemaFieldRoutes,
});
