import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { compileGlob } from '../../domain/glob.js';
import { stubInputSchema } from '../../domain/stub-schema.js';
import type { Stub } from '../../domain/stubs.js';
import type { MarketoRouteTable } from '../../http/marketo-routes.js';
import { problemResponses } from '../../http/problem.js';

const tags = ['Admin: Test harness'];

const stubSchema = z
  .looseObject({
    id: z.string(),
    source: z.enum(['seed', 'admin']).describe('seed: restored by every reset; admin: removed by a reset'),
    hits: z.number().int().describe('Calls this stub answered'),
    shadows: z
      .array(z.string())
      .describe('Real routes ("GET /rest/v1/leads.json") this stub answers in place of (README "Decisions")'),
  })
  .meta({ id: 'Stub' });

const stubList = z.object({ items: z.array(stubSchema) });
const stubIdParams = z.object({ id: z.string() });
const noContent = z.null();

/**
 * The real routes a stub answers in place of: each route whose path, with its parameters filled in, the stub's glob
 * matches (with the same method, when the stub names one). A decision of issue 17: a stub may shadow a real route; it
 * is listed here so a test that did not mean to can see it.
 */
function shadowed(routes: MarketoRouteTable, stub: Stub): string[] {
  const matches = compileGlob(stub.match.path);
  return routes
    .list()
    .filter(
      ({ method, url }) =>
        (!stub.match.method || stub.match.method === method) && matches(url.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, '1')),
    )
    .map(({ method, url }) => `${method} ${url}`);
}

/** GET/POST/DELETE /admin/stubs: canned answers for any Marketo path (src/domain/stubs.ts). */
export const stubRoutes: FastifyPluginAsyncZod<{ marketoRoutes: MarketoRouteTable }> = async (
  app,
  { marketoRoutes },
) => {
  const view = (stub: Stub) => ({ ...stub, shadows: shadowed(marketoRoutes, stub) });

  app.get(
    '/stubs',
    {
      schema: {
        tags,
        summary: 'The stubs, newest first (the first that matches answers)',
        response: { 200: stubList, 401: problemResponses[401] },
      },
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) => ({ items: request.ctx.harness.stubs.list().map(view) }),
  );

  app.post(
    '/stubs',
    {
      schema: {
        tags,
        summary: 'Add a stub: match a Marketo call (method, path glob, query, client id, body) and answer it',
        body: stubInputSchema,
        response: { 201: stubSchema, ...problemResponses },
      },
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request, reply) => {
      const stub = request.ctx.harness.stubs.add(request.body, 'admin');
      if (!stub) {
        throw new InvalidInputError(`A stub with id ${request.body.id} already exists`, [
          { path: 'body.id', message: 'already taken' },
        ]);
      }
      return reply.code(201).send(view(stub));
    },
  );

  app.delete(
    '/stubs',
    {
      schema: {
        tags,
        summary: 'Remove every stub (the seed’s come back on reset)',
        response: { 204: noContent, 401: problemResponses[401] },
      },
    },
    async (request, reply) => {
      request.ctx.harness.stubs.clear();
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/stubs/:id',
    {
      schema: {
        tags,
        summary: 'Remove one stub',
        params: stubIdParams,
        response: { 204: noContent, ...problemResponses },
      },
    },
    async (request, reply) => {
      if (!request.ctx.harness.stubs.remove(request.params.id)) throw new NotFoundError('Stub', request.params.id);
      return reply.code(204).send(null);
    },
  );
};
