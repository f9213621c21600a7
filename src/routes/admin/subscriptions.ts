import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { SeedError } from '../../domain/seed.js';
import { deletedResponse, problemResponses } from '../../http/problem.js';
import { DEMO_SERVICE_NAME } from '../../lifecycle.js';
import type { Subscriptions } from '../../subscriptions.js';

const tags = ['Admin: Subscriptions'];

const munchkinId = z
  .string()
  .regex(/^[0-9]{3}-[A-Z]{3}-[0-9]{3}$/, 'three digits, three capital letters, three digits (123-ABC-456)');

const subscriptionSchema = z
  .object({
    munchkinId: z.string(),
    baseUrl: z.string().describe('Where its planes are: `${baseUrl}/identity`, `/rest`, `/bulk`, `/admin` …'),
    root: z.boolean().describe('The server’s root subscription, also at `/`; it cannot be deleted'),
  })
  .meta({ id: 'Subscription' });

const createdSchema = subscriptionSchema
  .extend({
    demo: z
      .object({ clientId: z.string(), clientSecret: z.string() })
      .optional()
      .describe('The demo service a subscription without a seed gets, as a first start does'),
  })
  .meta({ id: 'CreatedSubscription' });

const createBody = z
  .strictObject({
    munchkinId: munchkinId.optional().describe('A free one when absent'),
    seed: z.record(z.string(), z.unknown()).optional().describe('A seed document (as SEED_FILE holds)'),
  })
  .nullish()
  .meta({ example: { munchkinId: '123-ABC-456' } });

const subscriptionList = z.object({ items: z.array(subscriptionSchema) });
const munchkinParams = z.object({ munchkinId: z.string() });

/**
 * POST, GET, DELETE /admin/subscriptions (issue 32): the server's subscriptions, each at its own Munchkin id. Only on
 * the root subscription's admin plane: another subscription's admin plane cannot reach its neighbours (404).
 */
export const subscriptionRoutes: FastifyPluginAsyncZod<{ subscriptions: Subscriptions }> = async (
  app,
  { subscriptions },
) => {
  const fromRoot = (request: FastifyRequest) => {
    if (request.ctx !== subscriptions.root) throw new NotFoundError('Route', `${request.method} ${request.url}`);
  };
  const baseUrlOf = (request: FastifyRequest, id: string) => `${request.protocol}://${request.host}/${id}`;
  const view = (request: FastifyRequest, ctx: AppContext) => ({
    munchkinId: ctx.munchkinId,
    baseUrl: baseUrlOf(request, ctx.munchkinId),
    root: ctx === subscriptions.root,
  });

  app.get(
    '/subscriptions',
    {
      schema: {
        tags,
        summary: "The server's subscriptions, the root first",
        response: { 200: subscriptionList, ...problemResponses },
      },
    },
    async (request) => {
      fromRoot(request);
      return {
        items: subscriptions.list().map(({ munchkinId: id }) => view(request, subscriptions.find(id)!)),
      };
    },
  );

  app.post(
    '/subscriptions',
    {
      schema: {
        tags,
        summary: 'A new subscription, in memory: its seed, or the demo service',
        description: 'Its planes answer under its base URL; it shares nothing with the others.',
        body: createBody,
        response: { 201: createdSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      fromRoot(request);
      let created: AppContext;
      try {
        created = subscriptions.create({ munchkinId: request.body?.munchkinId, seed: request.body?.seed });
      } catch (error) {
        if (!(error instanceof SeedError)) throw error;
        throw new InvalidInputError(
          'The seed does not load',
          error.problems.map((problem) => ({ path: `body.seed.${problem.path}`, message: problem.message })),
        );
      }
      const demo = request.body?.seed === undefined ? created.repos.services.findByName(DEMO_SERVICE_NAME) : undefined;
      return reply.code(201).send({
        ...view(request, created),
        ...(demo ? { demo: { clientId: demo.clientId, clientSecret: demo.clientSecret } } : {}),
      });
    },
  );

  app.delete(
    '/subscriptions/:munchkinId',
    {
      schema: {
        tags,
        summary: 'Removes a subscription and all it holds (not the root)',
        params: munchkinParams,
        response: { 204: deletedResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      fromRoot(request);
      subscriptions.delete(request.params.munchkinId);
      return reply.code(204).send(null);
    },
  );
};
