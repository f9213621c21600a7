import { STATUS_CODES } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { pathGlob } from '../../domain/glob.js';
import { isMarketoCode } from '../../domain/marketo-codes.js';
import { resetToBaseline } from '../../lifecycle.js';
import { problemResponses } from '../../http/problem.js';

const tags = ['Admin: Test harness'];

const decisionSchema = z.object({
  required: z.array(z.string()),
  workspaces: z.array(z.number().int()),
  allowed: z.boolean(),
  reason: z.string(),
});

export const journalEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    method: z.string(),
    path: z.string(),
    query: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    status: z.number().int(),
    marketoCode: z.string().optional(),
    clientId: z.string().optional(),
    userId: z.number().int().optional(),
    decision: decisionSchema.optional(),
    faultId: z.string().optional(),
    stubId: z.string().optional().describe('The stub that answered'),
    unmatched: z.literal(true).optional().describe('No route or stub served the call (605 or 610)'),
    headers: z
      .record(z.string(), z.union([z.string(), z.array(z.string())]))
      .optional()
      .describe('The request headers, lower-case names; Authorization kept to its scheme, cookies redacted'),
    outcomes: z
      .record(z.string(), z.number().int())
      .optional()
      .describe('How many records of the answer’s result had each status'),
    body: z.unknown().optional().describe('The request body, secrets redacted (a string when cut)'),
    durationMs: z.number(),
    truncated: z
      .literal(true)
      .optional()
      .describe('Query and body were over 64 KiB, or the headers over 16 KiB: they were cut'),
  })
  .meta({ id: 'JournalEntry' });

const clockSchema = z.object({
  now: z.string().describe('The instance time, ISO 8601'),
  offsetSeconds: z.number().int().describe('How far the clock stands from real time'),
  mode: z.enum(['real', 'offset', 'frozen']),
});

const CLOCK_SHAPES =
  'give exactly one of {"advanceSeconds": <seconds, within 10 years>}, {"set": "<ISO 8601 date-time>"} or ' +
  '{"mode": "real" | "frozen"}';

const clockChange = z
  .union(
    [
      z.strictObject({
        advanceSeconds: z
          .number()
          .finite()
          .min(-10 * 365 * 24 * 3600)
          .max(10 * 365 * 24 * 3600),
      }),
      z.strictObject({ set: z.iso.datetime({ offset: true }).describe('ISO 8601 date-time') }),
      z.strictObject({ mode: z.enum(['real', 'frozen']).describe('real: back to real time; frozen: stop the clock') }),
    ],
    // Which of the three shapes was meant is not known: say what the three are (issue 23, item 19).
    { error: CLOCK_SHAPES },
  )
  .meta({ example: { advanceSeconds: 3600 } });

const faultMatch = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
  path: pathGlob
    .startsWith('/')
    .optional()
    .describe('Glob: * within a segment, ** across segments, e.g. /rest/v1/leads*'),
  clientId: z.string().min(1).optional(),
});

const faultRespond = z.union([
  z.strictObject({
    marketoError: z.strictObject({
      code: z
        .string()
        .refine(isMarketoCode, 'a code Marketo answers with (error-codes.md), such as 606, 611, 615 or 1029'),
      message: z.string().max(500).optional(),
    }),
  }),
  z.strictObject({
    httpStatus: z
      .number()
      .int()
      .min(200)
      .max(599)
      .refine((status) => STATUS_CODES[status] !== undefined, 'an HTTP status (RFC 9110 and the registered ones)'),
    body: z.unknown().optional(),
  }),
  z.strictObject({ delayMs: z.number().int().min(0).max(60_000) }),
  z
    .strictObject({ failJob: z.strictObject({ message: z.string().min(1).max(1000).optional() }) })
    .describe(
      'The call is answered as usual; the job it enqueues (bulk extract enqueue) fails when it begins processing',
    ),
]);

const faultInput = z
  .strictObject({
    match: faultMatch.default({}),
    respond: faultRespond,
    times: z.number().int().min(1).optional().describe('Only the next N matching calls'),
    probability: z.number().gt(0).max(1).optional().describe('Chance that a matching call is hit'),
    seed: z.number().int().optional().describe('Seed of the rule’s random draws (default 1), so runs repeat'),
  })
  .meta({
    example: {
      match: { method: 'POST', path: '/rest/v1/leads.json' },
      respond: { marketoError: { code: '606' } },
      times: 1,
    },
  });

const faultSchema = z
  .object({
    id: z.string(),
    match: z.object({ method: z.string().optional(), path: z.string().optional(), clientId: z.string().optional() }),
    respond: faultRespond,
    times: z.number().int().optional(),
    probability: z.number().optional(),
    seed: z.number().int().optional(),
    remaining: z.number().int().nullable().describe('Calls still to be hit; null = no limit'),
    hits: z.number().int(),
  })
  .meta({ id: 'FaultRule' });

const limitSettings = z.object({
  enabled: z.boolean(),
  rate: z.object({ calls: z.number().int().min(1), windowSeconds: z.number().int().min(1) }),
  concurrency: z.number().int().min(1),
  dailyQuota: z.number().int().min(1),
});

const limitsSchema = limitSettings
  .extend({
    counters: z.object({ windowCalls: z.number().int(), inFlight: z.number().int(), dailyCalls: z.number().int() }),
  })
  .meta({ id: 'Limits' });

const limitsChange = z.strictObject({
  enabled: z.boolean().optional(),
  rate: limitSettings.shape.rate.partial().optional(),
  concurrency: limitSettings.shape.concurrency.optional(),
  dailyQuota: limitSettings.shape.dailyQuota.optional(),
});

/** The journal's conditions, as GET /admin/requests and POST /admin/requests/verify take them. */
export const journalFilterFields = {
  method: z.string().optional(),
  clientId: z.string().optional(),
  code: z.string().optional().describe('The Marketo code of the answer, e.g. 603'),
  stubId: z.string().optional(),
  path: pathGlob.optional().describe('Glob: * within a segment, ** across'),
  decision: z.enum(['allowed', 'denied']).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
};

const journalQuery = z.object({
  ...journalFilterFields,
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
});

const journalList = z.object({
  items: z.array(journalEntrySchema),
  stoppedEarly: z
    .literal(true)
    .optional()
    .describe('More entries matched than one answer holds (8 MiB): ask again with since= or a smaller limit'),
});

const faultList = z.object({ items: z.array(faultSchema) });

const faultIdParams = z.object({ id: z.string() });

const resetResponse = z.null().describe('Reset');

const noContent = z.null();

/** Reset, snapshot, request journal, clock, faults and limits: the controls that make the fake a test tool. */
export const harnessRoutes: FastifyPluginAsyncZod<{ seedSchema: AppContext['seedSchema'] }> = async (
  app,
  { seedSchema },
) => {
  const clockState = ({ clock }: AppContext) => ({
    now: new Date(clock.now()).toISOString(),
    offsetSeconds: clock.offsetSeconds(),
    mode: clock.mode,
  });

  app.post(
    '/reset',
    {
      schema: {
        tags,
        summary: 'Back to the seed state: data, tokens, journal, counters, faults, stubs (the seed’s) and clock',
        response: { 204: resetResponse, 401: problemResponses[401] },
      },
    },
    async (request, reply) => {
      resetToBaseline(request.ctx);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/snapshot',
    {
      schema: {
        tags,
        summary: 'The current state as a seed document; starting from it reproduces the state',
        response: { 200: seedSchema, 401: problemResponses[401] },
      },
    },
    // Streamed: the document is written as it is read (a snapshot of millions of activities is no one string), from
    // a copy of the database made before the first chunk, so it is of one point in time.
    async (request, reply) => {
      const chunks = request.ctx.repos.subscription.snapshotJson();
      // The copy is made here: if it fails, the answer is an error, not a broken stream.
      const first = await chunks.next();
      async function* document() {
        try {
          if (!first.done) yield first.value;
          yield* chunks;
        } finally {
          await chunks.return(undefined);
        }
      }
      const stream = Readable.from(document());
      // A client that goes away before the first read: the copy is removed all the same.
      stream.once('close', () => void chunks.return(undefined));
      return reply.type('application/json; charset=utf-8').send(stream);
    },
  );

  app.get(
    '/requests',
    {
      schema: {
        tags,
        summary: 'The request journal, newest first; secrets redacted',
        querystring: journalQuery,
        response: { 200: journalList, ...problemResponses },
      },
      // Queries are recorded as sent, `__proto__` included, which a schema-built copy would lose: written as is.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) => {
      const { since, ...filter } = request.query;
      return request.ctx.harness.journal.list({ ...filter, ...(since ? { since: Date.parse(since) } : {}) });
    },
  );

  app.delete(
    '/requests',
    {
      schema: { tags, summary: 'Clear the journal', response: { 204: noContent, 401: problemResponses[401] } },
    },
    async (request, reply) => {
      request.ctx.harness.journal.clear();
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/clock',
    { schema: { tags, summary: 'The instance clock', response: { 200: clockSchema, 401: problemResponses[401] } } },
    async (request) => clockState(request.ctx),
  );

  app.post(
    '/clock',
    {
      schema: {
        tags,
        summary: 'Move the clock: {advanceSeconds}, {set} or {mode}; it keeps ticking from where it was put',
        body: clockChange,
        response: { 200: clockSchema, ...problemResponses },
      },
    },
    async (request) => {
      const change = request.body;
      if ('advanceSeconds' in change) request.ctx.clock.advance(change.advanceSeconds);
      else if ('set' in change) request.ctx.clock.set(Date.parse(change.set));
      else if (change.mode === 'real') request.ctx.clock.real();
      else request.ctx.clock.freeze();
      // A job whose time the clock passed is in its next state by the next call.
      request.ctx.jobs.clockMoved();
      return clockState(request.ctx);
    },
  );

  app.get(
    '/faults',
    {
      schema: {
        tags,
        summary: 'The fault rules',
        response: { 200: faultList, 401: problemResponses[401] },
      },
    },
    async (request) => ({ items: request.ctx.harness.faults.list() }),
  );

  app.post(
    '/faults',
    {
      schema: {
        tags,
        summary: 'Add a fault rule: match calls, answer with a Marketo error, an HTTP status, or a delay',
        body: faultInput,
        response: { 201: faultSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { match, ...rest } = request.body;
      if (
        !match.method &&
        !match.path &&
        !match.clientId &&
        rest.times === undefined &&
        rest.probability === undefined
      ) {
        throw new InvalidInputError('A rule that matches every call forever needs a match, times or probability', [
          { path: 'body.match', message: 'give method, path or clientId (or times/probability)' },
        ]);
      }
      return reply.code(201).send(request.ctx.harness.faults.add({ match, ...rest }));
    },
  );

  app.delete(
    '/faults',
    { schema: { tags, summary: 'Remove every fault rule', response: { 204: noContent, 401: problemResponses[401] } } },
    async (request, reply) => {
      request.ctx.harness.faults.clear();
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/faults/:id',
    {
      schema: {
        tags,
        summary: 'Remove one fault rule',
        params: faultIdParams,
        response: { 204: noContent, ...problemResponses },
      },
    },
    async (request, reply) => {
      if (!request.ctx.harness.faults.remove(request.params.id))
        throw new NotFoundError('Fault rule', request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/limits',
    {
      schema: {
        tags,
        summary: 'Rate limit, concurrency and daily quota settings, with the current counters',
        response: { 200: limitsSchema, 401: problemResponses[401] },
      },
    },
    async (request) => request.ctx.harness.limits.current(),
  );

  app.put(
    '/limits',
    {
      schema: {
        tags,
        summary: 'Change the limits (any of enabled, rate, concurrency, dailyQuota)',
        body: limitsChange,
        response: { 200: limitsSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { rate, ...rest } = request.body;
      const current = request.ctx.harness.limits.current();
      request.ctx.harness.limits.update({ ...rest, ...(rate ? { rate: { ...current.rate, ...rate } } : {}) });
      return request.ctx.harness.limits.current();
    },
  );
};
