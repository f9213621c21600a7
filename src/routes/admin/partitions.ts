import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deletedResponse, problemResponses } from '../../http/problem.js';
import { descriptionSchema, idParams, nameSchema } from '../../http/schemas.js';

const partitionSchema = z
  .object({ id: z.number().int(), name: z.string(), description: z.string() })
  .meta({ id: 'Partition' });

const partitionInput = z
  .strictObject({ name: nameSchema, description: descriptionSchema.optional() })
  .meta({ example: { name: 'Mexico', description: 'Leads that live in Mexico' } });

const tags = ['Admin: Workspaces & Partitions'];

const partitionList = z.object({ items: z.array(partitionSchema) });

const partitionPatch = partitionInput.partial();

export const partitionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/partitions',
    {
      schema: {
        tags,
        summary: 'List lead partitions',
        response: { 200: partitionList, 401: problemResponses[401] },
      },
    },
    async (request) => ({ items: request.ctx.repos.partitions.list() }),
  );

  app.post(
    '/partitions',
    {
      schema: {
        tags,
        summary: 'Create a lead partition',
        body: partitionInput,
        response: { 201: partitionSchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.code(201).send(request.ctx.repos.partitions.create(request.body)),
  );

  app.get(
    '/partitions/:id',
    {
      schema: {
        tags,
        summary: 'Get a lead partition',
        params: idParams,
        response: { 200: partitionSchema, ...problemResponses },
      },
    },
    async (request) => request.ctx.repos.partitions.get(request.params.id),
  );

  app.patch(
    '/partitions/:id',
    {
      schema: {
        tags,
        summary: 'Rename or describe a lead partition',
        params: idParams,
        body: partitionPatch,
        response: { 200: partitionSchema, ...problemResponses },
      },
    },
    async (request) => request.ctx.repos.partitions.update(request.params.id, request.body),
  );

  app.delete(
    '/partitions/:id',
    {
      schema: {
        tags,
        summary: 'Delete a lead partition (refused while it holds leads)',
        params: idParams,
        response: { 204: deletedResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      request.ctx.repos.partitions.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );
};
