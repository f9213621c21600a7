import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteOptions } from '../../context.js';
import { deletedResponse, problemResponses } from '../../http/problem.js';

const leadFieldSchema = z
  .object({
    name: z.string().describe('REST API name'),
    displayName: z.string(),
    dataType: z.enum(['string', 'email', 'integer', 'float', 'boolean', 'date', 'datetime']),
    length: z.number().int().optional(),
  })
  .meta({ id: 'CustomLeadField' });

const leadFieldInput = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/, 'must start with a letter and hold only letters, digits and _ (max 50)'),
  displayName: z.string().trim().min(1).max(255),
  dataType: leadFieldSchema.shape.dataType,
  length: z.number().int().min(1).max(65535).optional().describe('string and email only; default 255'),
});

const createLeadFieldBody = leadFieldInput
  .refine((input) => input.length === undefined || input.dataType === 'string' || input.dataType === 'email', {
    path: ['length'],
    message: 'only string and email fields have a length',
  })
  .meta({ example: { name: 'tier', displayName: 'Tier', dataType: 'string', length: 20 } });

const leadFieldNameParams = z.object({ name: z.string() });

const tags = ['Admin: Lead fields'];

const leadFieldList = z.object({ items: z.array(leadFieldSchema) });

export const leadFieldRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  const { leadFields } = ctx.repos;

  app.get(
    '/lead-fields',
    {
      schema: {
        tags,
        summary: 'List custom lead fields',
        response: { 200: leadFieldList, 401: problemResponses[401] },
      },
    },
    async () => ({ items: leadFields.list() }),
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
    async (request, reply) => reply.code(201).send(leadFields.create(request.body)),
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
      leadFields.delete(request.params.name);
      return reply.code(204).send(null);
    },
  );
};
