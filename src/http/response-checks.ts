import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { marketoErrorSchema } from './marketo-schemas.js';
import { type WireFormatName, wireFormatOf } from './wire-formats.js';

/**
 * RESPONSE_CHECKS=fail (the test suite's setting): every JSON answer of the Marketo plane is checked against what its
 * route declares for that status — the schema the OpenAPI document shows — and a failure against its wire format's
 * failure shape. A value of the wrong type, a key the schema does not name, or a status with no schema turns the
 * answer into HTTP 500 with the reason, so the document cannot drift from what is served. Off on the hot path: the
 * plane serializes with JSON.stringify (records are open-ended), and this hook is registered only when asked for.
 * Stubs answer what their author wrote and are not checked.
 */

/** The failure of each wire format, exactly (src/http/wire-formats.ts answers them). */
const FAILURES: Record<WireFormatName, z.ZodType> = {
  'lead-database': z.strictObject({
    requestId: z.string(),
    success: z.literal(false),
    errors: z.array(marketoErrorSchema.strict()).length(1),
  }),
  asset: z.strictObject({
    requestId: z.string(),
    success: z.literal(false),
    errors: z.array(marketoErrorSchema.strict()).length(1),
    warnings: z.array(z.string()),
  }),
  'user-management': z.strictObject({
    errors: z.array(z.strictObject({ code: z.number().int(), message: z.string() })).min(1),
  }),
};

/** Marketo's gateway answers these before any route (error-codes.md): HTTP 413 and 414 with a JSON `error`. */
const HTTP_LEVEL: Record<number, z.ZodType> = {
  413: z.strictObject({ error: z.string() }),
  414: z.strictObject({ error: z.string() }),
};

/** The first key of `sent` that the parsed value dropped (a key the schema does not name), as a path. */
function unexpectedKey(sent: unknown, parsed: unknown, path: string): string | undefined {
  if (Array.isArray(sent) && Array.isArray(parsed)) {
    for (let i = 0; i < sent.length; i++) {
      const found = unexpectedKey(sent[i], parsed[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (sent === null || parsed === null || typeof sent !== 'object' || typeof parsed !== 'object') return undefined;
  for (const key of Object.keys(sent)) {
    if (!Object.hasOwn(parsed, key)) return `${path}.${key}`;
    const found = unexpectedKey(
      (sent as Record<string, unknown>)[key],
      (parsed as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
    if (found) return found;
  }
  return undefined;
}

/** Why the answer does not match what its route declares, or undefined when it does. */
export function responseProblem(schema: z.ZodType | undefined, body: unknown): string | undefined {
  if (!schema) return 'no response schema is declared for this status';
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `${issue.path.join('.') || '(body)'}: ${issue.message}`;
  }
  const extra = unexpectedKey(body, parsed.data, '');
  return extra && `${extra.slice(1)}: a key the response schema does not declare`;
}

type ResponseSchemas = Record<string, z.ZodType | undefined>;

function declaredSchema(request: FastifyRequest, status: number): z.ZodType | undefined {
  const responses = (request.routeOptions.schema as { response?: ResponseSchemas } | undefined)?.response;
  if (!responses) return undefined;
  return responses[String(status)] ?? responses[`${String(status)[0]}xx`] ?? responses.default;
}

function isJson(reply: FastifyReply): boolean {
  const type = reply.getHeader('content-type');
  return typeof type === 'string' && type.startsWith('application/json');
}

/** Registers the check on a plane (the Marketo plane, when RESPONSE_CHECKS is fail). */
export function checkResponses(plane: FastifyInstance): void {
  plane.addHook('onSend', (request, reply, payload, done) => {
    const asIs = request.stubId !== undefined || request.answeredAsIs === true;
    if (asIs || !isJson(reply) || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) {
      return done(null, payload);
    }
    let body: unknown;
    try {
      body = JSON.parse(payload.toString());
    } catch {
      return fail(reply, done, 'the body is not JSON');
    }
    const schema =
      HTTP_LEVEL[reply.statusCode] ??
      (request.marketoCode !== undefined
        ? FAILURES[wireFormatOf(request.url).name]
        : declaredSchema(request, reply.statusCode));
    const problem = responseProblem(schema, body);
    if (problem) return fail(reply, done, problem, request);
    done(null, payload);
  });
}

type Done = (error: null, payload: unknown) => void;

function fail(reply: FastifyReply, done: Done, problem: string, request?: FastifyRequest): void {
  const where = request ? `${request.method} ${request.routeOptions.url ?? request.url} → ${reply.statusCode}` : '';
  const message = `response check failed (RESPONSE_CHECKS=fail): ${where}: ${problem}`;
  reply.code(500).type('text/plain; charset=utf-8');
  done(null, message);
}
