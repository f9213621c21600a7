import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { redactUrl } from '../domain/journal.js';
import { identityClientId } from './faults.js';
import { FORM_TUNNEL_PREFIX } from './normalise.js';
import { planeOf } from './planes.js';

/** Whether the log is set to show every request (debug or trace). */
export function logsEveryRequest(request: FastifyRequest): boolean {
  return request.log.level === 'debug' || request.log.level === 'trace';
}

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  try {
    return JSON.stringify(body);
  } catch {
    return undefined;
  }
}

/** Part of the onRequest hook, once `request.ctx` is set: remembers when (on its subscription's clock) a request arrived. */
export function stampRequest(request: FastifyRequest): void {
  request.receivedAt = request.ctx.clock.now();
}

/**
 * One journal entry per identity and Marketo-plane request (the form tunnel's outer request is recorded as the
 * request it dispatches), with its body as received (`preValidation`), and the daily usage and error counts behind /stats. Use `onResponse` and
 * `onRequestAbort`; a request is recorded once, an aborted one with status 499.
 */
export function recordRequest() {
  const record = (request: FastifyRequest, status: number, durationMs: number): void => {
    // Every request at debug; at info only denials and failures are logged (the journal keeps every call).
    if (logsEveryRequest(request)) {
      request.log.debug(
        { method: request.method, url: redactUrl(request.url), status, marketoCode: request.marketoCode, durationMs },
        'request completed',
      );
    }
    const plane = planeOf(request.url);
    const tunnelled = request.url.startsWith(FORM_TUNNEL_PREFIX);
    if (plane === 'admin' || (tunnelled && !request.tunnelAnswered) || request.redispatched) return;
    const at = request.receivedAt;
    if (at === undefined) return;
    request.receivedAt = undefined;
    // A stamped request was addressed to a subscription: its journal and usage counts are that subscription's.
    const { journal, usage } = request.ctx.harness;
    const principal = request.principal;
    const clientId = principal?.service.clientId ?? (plane === 'identity' ? identityClientId(request) : undefined);
    journal.record({
      atMs: at,
      url: tunnelled ? request.url.slice(FORM_TUNNEL_PREFIX.length) : request.url,
      method: request.method,
      status,
      marketoCode: request.marketoCode,
      clientId,
      userId: principal?.user.id,
      decision: request.decision,
      faultId: request.faultId || undefined,
      stubId: request.stubId,
      unmatched: request.notServed,
      headers: request.headers,
      outcomes: request.outcomes,
      // As received (not as validated), as text now (a handler's objects may change later); parsed and redacted
      // only when the journal is read.
      // A multipart form is read after the root's preValidation (by the plane's parser or a route's own): its body
      // as read then.
      bodyText: bodyText(request.receivedBody ?? request.body),
      durationMs: Math.round(durationMs * 100) / 100,
    });
    if (plane === 'marketo' && principal) usage.record(at, principal.user.email, request.marketoCode);
  };
  return {
    /** Root preValidation (it runs before every route's own): keeps the body as parsed, before validation. */
    preValidation: (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
      request.receivedBody = request.body;
      done();
    },
    onResponse: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      record(request, reply.statusCode, reply.elapsedTime);
      done();
    },
    onRequestAbort: (request: FastifyRequest, done: HookHandlerDoneFunction) => {
      record(request, 499, 0);
      done();
    },
  };
}
