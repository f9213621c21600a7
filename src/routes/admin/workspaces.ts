import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deletedResponse, problemResponses } from '../../http/problem.js';
import { descriptionSchema, idParams, nameSchema } from '../../http/schemas.js';

const workspaceSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    partitionIds: z.array(z.number().int()).describe('Lead partitions visible in this workspace'),
  })
  .meta({ id: 'Workspace' });

const workspaceInput = z
  .strictObject({
    // "*" stands for all workspaces in seed files and snapshots.
    name: nameSchema.refine((name) => name !== '*', 'must not be "*" (it stands for all workspaces)'),
    description: descriptionSchema.optional(),
    partitionIds: z.array(z.number().int().positive()).optional(),
  })
  .meta({ example: { name: 'LATAM', description: 'Latin America', partitionIds: [1, 2] } });

const tags = ['Admin: Workspaces & Partitions'];

const workspaceList = z.object({ items: z.array(workspaceSchema) });

const workspacePatch = workspaceInput.partial();

export const workspaceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/workspaces',
    {
      schema: {
        tags,
        summary: 'List workspaces',
        response: { 200: workspaceList, 401: problemResponses[401] },
      },
    },
    async (request) => ({ items: request.ctx.repos.workspaces.list() }),
  );

  app.post(
    '/workspaces',
    {
      schema: {
        tags,
        summary: 'Create a workspace',
        body: workspaceInput,
        response: { 201: workspaceSchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.code(201).send(request.ctx.repos.workspaces.create(request.body)),
  );

  app.get(
    '/workspaces/:id',
    {
      schema: {
        tags,
        summary: 'Get a workspace',
        params: idParams,
        response: { 200: workspaceSchema, ...problemResponses },
      },
    },
    async (request) => request.ctx.repos.workspaces.get(request.params.id),
  );

  app.patch(
    '/workspaces/:id',
    {
      schema: {
        tags,
        summary: 'Change a workspace; partitionIds replaces the attached partitions',
        params: idParams,
        body: workspacePatch,
        response: { 200: workspaceSchema, ...problemResponses },
      },
    },
    async (request) => request.ctx.repos.workspaces.update(request.params.id, request.body),
  );

  app.delete(
    '/workspaces/:id',
    {
      schema: {
        tags,
        summary: 'Delete a workspace (not Default, not while roles are granted in it)',
        params: idParams,
        response: { 204: deletedResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      request.ctx.repos.workspaces.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );
};
