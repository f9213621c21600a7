import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { redactQuery } from '../domain/journal.js';
import { identityClientId } from './faults.js';
import { FORM_TUNNEL_PREFIX } from './normalise.js';
import { planeOf } from './planes.js';

const startedAt = new WeakMap<FastifyRequest, number>();

/** The query as sent (before validation adds defaults), repeated keys as arrays. */
function rawQuery(url: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  const start = url.indexOf('?');
  if (start < 0) return query;
  for (const [key, value] of new URLSearchParams(url.slice(start + 1))) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

/** onRequest hook: remembers when (on the instance's clock) a request arrived. */
export function stampRequest(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    startedAt.set(request, ctx.clock.now());
  };
}

/**
 * One journal entry per identity and Marketo-plane request (the form tunnel's outer request is recorded as the
 * request it dispatches), and the daily usage and error counts behind /stats. Use `onResponse` and
 * `onRequestAbort`; a request is recorded once, an aborted one with status 499.
 */
export function recordRequest(ctx: AppContext) {
  const { journal, usage } = ctx.harness;
  const record = (request: FastifyRequest, status: number, durationMs: number): void => {
    const plane = planeOf(request.url);
    if (plane === 'admin' || request.url.startsWith(FORM_TUNNEL_PREFIX)) return;
    const at = startedAt.get(request);
    if (at === undefined) return;
    startedAt.delete(request);
    const principal = request.principal;
    const query = redactQuery(rawQuery(request.url));
    const clientId = principal?.service.clientId ?? (plane === 'identity' ? identityClientId(request) : undefined);
    journal.record({
      at: new Date(at).toISOString(),
      method: request.method,
      path: request.url.split('?')[0]!,
      query,
      status,
      ...(request.marketoCode !== undefined ? { marketoCode: request.marketoCode } : {}),
      ...(clientId !== undefined ? { clientId } : {}),
      ...(principal ? { userId: principal.user.id } : {}),
      ...(request.decision ? { decision: request.decision } : {}),
      ...(request.faultId ? { faultId: request.faultId } : {}),
      durationMs: Math.round(durationMs * 100) / 100,
    });
    if (plane === 'marketo' && principal) usage.record(at, principal.user.email, request.marketoCode);
  };
  return {
    onResponse: async (request: FastifyRequest, reply: FastifyReply) =>
      record(request, reply.statusCode, reply.elapsedTime),
    onRequestAbort: async (request: FastifyRequest) => record(request, 499, 0),
  };
}
