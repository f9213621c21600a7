import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { clientCredential } from '../../domain/seed.js';
import { z } from 'zod';
import { deletedResponse, problemResponses } from '../../http/problem.js';
import { descriptionSchema, idParams, nameSchema } from '../../http/schemas.js';
import { identityResponseSchema, tokenResponseFor } from '../identity.js';

const serviceSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  service: z.literal('Custom'),
  apiOnlyUserId: z.number().int(),
  clientId: z.string(),
  createdAt: z.string(),
});

const serviceDetails = serviceSummary
  .extend({ clientSecret: z.string().describe('Shown by "View Details"') })
  .meta({ id: 'Service' });

/** Fixed credentials follow the seed's rule (README, "Seed file"): one rule wherever a client id is given. */
const credential = clientCredential;

const serviceInput = z
  .strictObject({
    name: nameSchema,
    description: descriptionSchema.optional(),
    apiOnlyUserId: z.number().int().positive().describe('The API-only user that owns the service'),
    clientId: credential.optional().describe('Fixed client id (for CI); generated when absent'),
    clientSecret: credential.optional().describe('Fixed client secret (for CI); generated when absent'),
  })
  .meta({
    example: { name: 'CRM sync', apiOnlyUserId: 1, clientId: 'ci-client-id', clientSecret: 'ci-client-secret' },
  });

const tags = ['Admin: LaunchPoint'];

const serviceList = z.object({ items: z.array(serviceSummary) });

export const serviceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/services',
    {
      schema: {
        tags,
        summary: 'List custom services (secrets only in View Details)',
        response: { 200: serviceList, 401: problemResponses[401] },
      },
    },
    async (request) => ({
      items: request.ctx.repos.services.list().map(({ clientSecret: _secret, ...summary }) => summary),
    }),
  );

  app.post(
    '/services',
    {
      schema: {
        tags,
        summary: 'Create a LaunchPoint custom service owned by an API-only user',
        body: serviceInput,
        response: { 201: serviceDetails, ...problemResponses },
      },
    },
    async (request, reply) => reply.code(201).send(request.ctx.repos.services.create(request.body)),
  );

  app.get(
    '/services/:id',
    {
      schema: {
        tags,
        summary: 'View Details: the service with its client id and secret',
        params: idParams,
        response: { 200: serviceDetails, ...problemResponses },
      },
    },
    async (request) => request.ctx.repos.services.get(request.params.id),
  );

  app.delete(
    '/services/:id',
    {
      schema: {
        tags,
        summary: 'Delete a custom service; its tokens stop working',
        params: idParams,
        response: { 204: deletedResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      request.ctx.repos.services.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/services/:id/token',
    {
      schema: {
        tags,
        summary: 'Get Token: what the identity endpoint answers for this service',
        params: idParams,
        response: { 200: identityResponseSchema, ...problemResponses },
      },
    },
    async (request) =>
      tokenResponseFor(request.ctx, () => ({ service: request.ctx.repos.services.get(request.params.id) })),
  );
};
