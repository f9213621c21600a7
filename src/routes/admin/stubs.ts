import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { compileGlob } from '../../domain/glob.js';
import { requestMatchers, stubInputSchema } from '../../domain/stub-schema.js';
import { isRefusal, type Stub, type StubInput, type StubRefusal } from '../../domain/stubs.js';
import { unmatchedRequests } from '../../domain/unmatched.js';
import { verifyJournal } from '../../domain/verify.js';
import type { MarketoRouteTable } from '../../http/marketo-routes.js';
import { problemResponses } from '../../http/problem.js';
import { writeStubFiles } from '../../stub-files.js';
import { journalEntrySchema, journalFilterFields } from './harness.js';

const tags = ['Admin: Test harness'];

const stubSchema = z
  .looseObject({
    id: z.string(),
    source: z
      .enum(['seed', 'file', 'admin'])
      .describe('seed, file (STUBS_DIR): restored by every reset; admin: removed by a reset'),
    hits: z.number().int().describe('Calls this stub answered'),
    shadows: z
      .array(z.string())
      .describe('Real routes ("GET /rest/v1/leads.json") this stub answers in place of (README "Decisions")'),
  })
  .meta({ id: 'Stub' });

const stubList = z.object({ items: z.array(stubSchema) });
const stubIdParams = z.object({ id: z.string() });
const noContent = z.null();

const missSchema = z.object({
  part: z
    .string()
    .describe('method, path, query.<name>, headers.<name>, clientId, body, bodyPatterns[i], times, scenario'),
  expected: z.string(),
  actual: z.string().optional(),
});

const unmatchedList = z.object({
  items: z.array(
    journalEntrySchema.extend({
      nearMisses: z
        .array(z.object({ stubId: z.string(), misses: z.array(missSchema) }))
        .describe('The stubs that came closest, fewest misses first, each with the parts the call failed'),
    }),
  ),
});

const unmatchedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  nearMisses: z.coerce.number().int().min(0).max(20).default(3).describe('How many closest stubs per call'),
});

const VERIFY_ITEMS_MAX = 100;

const verifyRequest = z
  .strictObject({
    ...journalFilterFields,
    ...requestMatchers,
    count: z
      .union([
        z.number().int().min(0),
        z.strictObject({ atLeast: z.number().int().min(0).optional(), atMost: z.number().int().min(0).optional() }),
      ])
      .optional()
      .describe('How many requests must match: exactly N, or {atLeast, atMost}; default {atLeast: 1}'),
  })
  .meta({
    example: {
      method: 'POST',
      path: '/rest/v1/gizmos.json',
      bodyPatterns: [{ matchesJsonPath: { expression: '$.input[0].email', contains: '@' } }],
      count: 1,
    },
  });

const verifyAnswer = z.object({
  verified: z.boolean().describe('Whether as many requests matched as asked'),
  expected: z.string().describe('What was asked, in words'),
  found: z.number().int().describe('How many requests matched'),
  message: z.string().optional().describe('When not verified: what was expected, what was found, the closest'),
  items: z.array(journalEntrySchema).describe(`The matching requests, newest first (at most ${VERIFY_ITEMS_MAX})`),
  closest: z
    .array(z.object({ entry: journalEntrySchema, misses: z.array(missSchema) }))
    .describe('The requests that failed the fewest conditions (at most 5), with the conditions they failed'),
});

const savedList = z.object({
  items: z.array(z.object({ id: z.string(), file: z.string().describe('The file name in STUBS_DIR') })),
});

const scenarioSchema = z.object({
  name: z.string(),
  state: z.string().describe('"Started" at first and after every reset'),
  states: z.array(z.string()).describe('The states its stubs require or set'),
});
const scenarioList = z.object({ items: z.array(scenarioSchema) });
const scenarioParams = z.object({ name: z.string() });
const scenarioState = z.strictObject({ state: z.string().min(1).max(200) });

/** A refusal of the stubs as a 400 naming where. */
function refused(refusal: StubRefusal): never {
  throw new InvalidInputError(refusal.message, [
    { path: refusal.path ? `body.${refusal.path}` : 'body', message: refusal.message },
  ]);
}

/** Adds a stub through the admin plane or in code; a refusal (a taken id, a bound) throws. */
export function addStub(ctx: AppContext, input: StubInput): Stub {
  const added = ctx.harness.stubs.add(input, 'admin');
  if (isRefusal(added)) refused(added);
  return added;
}

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
      return reply.code(201).send(view(addStub(request.ctx, request.body)));
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
        summary: 'Remove one stub (until the next reset: its file, if any, stays)',
        params: stubIdParams,
        response: { 204: noContent, ...problemResponses },
      },
    },
    async (request, reply) => {
      // Decision (README "Decisions"): until the next reset; a stub file in STUBS_DIR stays (WireMock deletes a
      // persisted mapping's file — ours may hold several stubs, and the directory is the user's).
      if (!request.ctx.harness.stubs.remove(request.params.id)) throw new NotFoundError('Stub', request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/stubs/save',
    {
      schema: {
        tags,
        summary: 'Write the stubs added since the start to STUBS_DIR, one <id>.json each; they come back on reset',
        response: { 200: savedList, ...problemResponses },
      },
    },
    async (request) => {
      const { ctx } = request;
      const dir = ctx.config.STUBS_DIR;
      if (dir === undefined) {
        throw new ConflictError('No stubs directory: start with STUBS_DIR (or startFakeMarketo({ stubsDir }))');
      }
      const added = ctx.harness.stubs.list().filter((stub) => stub.source === 'admin');
      let files: string[];
      try {
        files = writeStubFiles(dir, added);
      } catch (error) {
        throw new ConflictError(`The stubs directory ${dir} cannot be written: ${(error as Error).message}`);
      }
      ctx.harness.stubs.markSaved(added.map((stub) => stub.id));
      ctx.baseline.fileStubs = [
        ...(ctx.baseline.fileStubs ?? []),
        ...ctx.harness.stubs.toSeed((stub) => added.some((saved) => saved.id === stub.id)),
      ];
      return { items: added.map((stub, i) => ({ id: stub.id, file: files[i]! })) };
    },
  );

  app.get(
    '/requests/unmatched',
    {
      schema: {
        tags,
        summary: 'Calls no route or stub served (605, 610), newest first, with the stubs that came closest',
        querystring: unmatchedQuery,
        response: { 200: unmatchedList, ...problemResponses },
      },
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) => ({
      items: unmatchedRequests(
        request.ctx.harness.journal,
        request.ctx.harness.stubs,
        request.query.limit,
        request.query.nearMisses,
      ),
    }),
  );

  app.post(
    '/requests/verify',
    {
      schema: {
        tags,
        summary: 'WireMock’s verify: how many journalled requests match the stubs’ matchers, and the closest others',
        body: verifyRequest,
        response: { 200: verifyAnswer, ...problemResponses },
      },
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    // A count that does not hold is an answer, not an error (README "Decisions"): 200 with verified false.
    async (request) => {
      const { count, since, ...filter } = request.body;
      const result = verifyJournal(
        request.ctx.harness.journal,
        { ...filter, ...(since ? { since: Date.parse(since) } : {}) },
        count,
      );
      return {
        verified: result.verified,
        expected: result.expected,
        found: result.matching.length,
        ...(result.message !== undefined ? { message: result.message } : {}),
        items: result.matching.slice(0, VERIFY_ITEMS_MAX),
        closest: result.closest,
      };
    },
  );

  app.get(
    '/scenarios',
    {
      schema: {
        tags,
        summary: 'The scenarios the stubs name, with their states (reset by POST /admin/reset)',
        response: { 200: scenarioList, 401: problemResponses[401] },
      },
    },
    async (request) => ({ items: request.ctx.harness.stubs.scenarios() }),
  );

  app.put(
    '/scenarios/:name/state',
    {
      schema: {
        tags,
        summary: 'Set a scenario’s state',
        params: scenarioParams,
        body: scenarioState,
        response: { 200: scenarioSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { stubs } = request.ctx.harness;
      if (!stubs.setScenarioState(request.params.name, request.body.state)) {
        throw new NotFoundError('Scenario', request.params.name);
      }
      return stubs.scenarios().find((scenario) => scenario.name === request.params.name)!;
    },
  );
};
