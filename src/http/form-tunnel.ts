import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MarketoRouteTable } from './marketo-routes.js';
import { FORM_TUNNEL_PREFIX, TUNNEL_HEADER, TUNNELLED_METHODS, UNSUPPORTED_METHOD_PREFIX } from './normalise.js';
import { authenticate } from './authenticate.js';
import { sendMarketoFailure, wireFormatOf } from './wire-formats.js';

type FormBody = Record<string, string | string[] | undefined>;

/** Headers that describe the outer request's framing, not the re-dispatched one. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'expect', 'host', 'keep-alive']);

function appendAll(params: URLSearchParams, body: FormBody, skip: string): void {
  for (const [key, value] of Object.entries(body)) {
    if (key === skip || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  }
}

/**
 * A form POST to a write that takes JSON: 612 (error-codes.md: "add Content-Type: application/json"), after the token
 * is checked as for any call (601/602 first), and recorded in the journal as the POST it is, with its client id.
 */
function refuseFormWrite(request: FastifyRequest, reply: FastifyReply, path: string): FastifyReply {
  const unauthenticated = authenticate(request.ctx.config)(request);
  request.tunnelAnswered = true;
  if (unauthenticated) return sendMarketoFailure(request, reply, unauthenticated.code, unauthenticated.message);
  request.log.info(
    { path, marketoCode: '612' },
    `a form-encoded POST to ${path}, which takes JSON: 612 (send Content-Type: application/json, or _method=GET for a query)`,
  );
  return sendMarketoFailure(request, reply, '612', 'Invalid Content Type');
}

/** Answers a parsed form POST with the call it stands for, run again through the whole pipeline. */
export type Redispatch = (request: FastifyRequest, reply: FastifyReply, rawUrl: string) => Promise<FastifyReply>;

/** The verb a form body names in `_method` (the first, when repeated), upper-cased. */
function bodyMethod(body: FormBody): string | undefined {
  return (Array.isArray(body._method) ? body._method[0] : body._method)?.toUpperCase();
}

/** Whether a form body asks for the tunnel: a `_method` other than POST, or the legacy `access_token` field. */
export function formBodyNeedsTunnel(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  const method = bodyMethod(body as FormBody);
  return (method !== undefined && method !== 'POST') || (body as FormBody).access_token !== undefined;
}

/**
 * The form tunnel: a form POST is the query or the delete its `_method` names (in the query or the body), its
 * parameters joining the query, dispatched again through the whole pipeline. Without `_method` (or with
 * `_method=POST`), a form POST is a write in the wrong format outside the Asset API: 612 Invalid Content Type, as
 * Marketo answers a body the operation does not take. Asset form POSTs skip it unless their
 * body needs it (normalise.ts `PostsDirectly`); `redispatch` serves those too.
 */
export function registerFormTunnel(
  app: FastifyInstance,
  routes: MarketoRouteTable,
  tunnelSecret: string,
  /** The path prefix that addresses the request's subscription (`/123-ABC-456`, or empty): the call stays its own. */
  subscriptionPrefix: (request: FastifyRequest) => string = () => '',
): Redispatch {
  /** Answers `request` (a form POST to `rawUrl`, body parsed) with the call it stands for, run again in full. */
  async function redispatch(request: FastifyRequest, reply: FastifyReply, rawUrl: string): Promise<FastifyReply> {
    const queryStart = rawUrl.indexOf('?');
    const path = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
    const params = new URLSearchParams(queryStart < 0 ? '' : rawUrl.slice(queryStart + 1));
    const body = (request.body ?? {}) as FormBody;
    const declared = params.get('_method')?.toUpperCase() ?? bodyMethod(body);
    if (declared !== undefined && !TUNNELLED_METHODS.has(declared)) {
      request.tunnelAnswered = true;
      return sendMarketoFailure(request, reply, '605', 'HTTP Method not supported');
    }
    // On the Asset API a form POST is a create or an update (assets.md: bodies are form-encoded); only `_method=GET`
    // makes it a query there. Decision (README): accepted although Adobe says the Asset API stopped taking `_method`
    // in 2020 (node-marketo-rest still sends it), a deliberate leniency.
    const method = declared ?? 'POST';
    // Elsewhere a write takes JSON: a form body is a query or a delete only when `_method` says so, else Marketo's
    // 612 (issue 23, item 15: `curl -d '{"input":[…]}'` sends a form body, which was read as the path's GET, so
    // Add to List answered success and added nothing).
    // An operation that takes no body (Enqueue and Cancel Export Job) is that POST whatever the form holds:
    // node-marketo-rest enqueues with a form body `_method=POST`, which Marketo takes. Its parameters join the query.
    const bodiless = method === 'POST' && routes.takesNoBody('POST', path);
    if (method === 'POST' && !bodiless && wireFormatOf(path).name !== 'asset') {
      return refuseFormWrite(request, reply, path);
    }
    params.delete('_method');

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !FRAMING_HEADERS.has(name)) headers[name] = value;
    }
    headers[TUNNEL_HEADER] = tunnelSecret;

    let payload: string | undefined;
    if (method === 'POST' && !bodiless) {
      const form = new URLSearchParams();
      appendAll(form, body, '_method');
      payload = form.toString();
    } else {
      appendAll(params, body, '_method');
      delete headers['content-type'];
    }
    const query = params.toString();
    const inner = await app.inject({
      method: method as 'GET',
      url: `${subscriptionPrefix(request)}${path}${query ? `?${query}` : ''}`,
      headers,
      ...(payload !== undefined ? { payload } : {}),
    });
    for (const name of ['content-type', 'cache-control', 'pragma', 'retry-after']) {
      const value = inner.headers[name];
      if (value !== undefined) reply.header(name, value);
    }
    return reply.code(inner.statusCode).send(inner.rawPayload);
  }

  app.post(`${FORM_TUNNEL_PREFIX}/*`, { schema: { hide: true } }, async (request, reply) =>
    redispatch(request, reply, request.url.slice(FORM_TUNNEL_PREFIX.length)),
  );

  app.all(`${UNSUPPORTED_METHOD_PREFIX}/*`, { schema: { hide: true } }, async (request, reply) =>
    sendMarketoFailure(request, reply, '605', 'HTTP Method not supported'),
  );
  return redispatch;
}
