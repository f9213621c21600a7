import type { FastifyReply, FastifyRequest } from 'fastify';
import { MAX_JSON_DEPTH, pathTooDeep } from '../domain/depth.js';
import type { MarketoError } from '../domain/errors.js';
import type { RequestFacts } from '../domain/request-pattern.js';
import { type ResponseTemplates, type Stub, type StubResponse, TemplateLeaf } from '../domain/stubs.js';
import { renderTemplate, type TemplateScope, TemplateOverrun, textOf } from '../domain/stub-template.js';
import type { Judgement } from './marketo-gate.js';
import { sendMarketoFailure } from './wire-formats.js';

/**
 * Stubs on the Marketo plane (issue 17). The precedence (README "Decisions"): injected faults first, then stubs, then
 * real routes, then 610. A stub is chosen once the body is parsed (it may match on the body) and the token looked at;
 * the gate (marketo-gate.ts) then runs its steps with the stub's judgement, and answers with the stub's next response
 * after the faults.
 */

/** The stub that answers: the newest candidate that needs no token or got a good one, and names this client or none. */
export function chooseStub(
  candidates: readonly Stub[],
  request: FastifyRequest,
  unauthenticated: MarketoError | undefined,
): Stub | undefined {
  const clientId = request.principal?.service.clientId;
  return candidates.find(
    (candidate) =>
      (candidate.authenticate === false || !unauthenticated) &&
      (candidate.match.clientId === undefined || candidate.match.clientId === clientId),
  );
}

const NO_TOKEN_NEEDED: Judgement = { requiresToken: false, access: undefined };
const NO_PERMISSION_NEEDED: Judgement = { requiresToken: true, access: undefined };
// One judgement per stub with its own permissions: authorization keeps a caller's decision per judged object, so a
// new object per call would add a decision per call.
const ownPermissions = new WeakMap<Stub, Judgement>();

/**
 * What the gate checks before a stub answers: a token unless the stub says `authenticate: false` (then no permission
 * either); the stub's own permissions, else the real route's; on an unknown path, a stub without permissions checks
 * none.
 */
export function stubJudgement(stub: Stub, route: Judgement | undefined): Judgement {
  if (stub.authenticate === false) return NO_TOKEN_NEEDED;
  if (!stub.permissions) return route ?? NO_PERMISSION_NEEDED;
  let judgement = ownPermissions.get(stub);
  if (!judgement)
    ownPermissions.set(stub, (judgement = { requiresToken: true, access: { permissions: stub.permissions } }));
  return judgement;
}

/** A call as the stubs' matchers see it, at the gate: the client id is checked once the token is read. */
export function requestFacts(request: FastifyRequest): RequestFacts {
  return {
    method: request.method,
    path: request.url.split('?')[0]!,
    query: request.query as Record<string, unknown> | undefined,
    headers: request.headers,
    body: request.body,
    clientId: request.principal?.service.clientId,
  };
}

/**
 * What a template sees (README, "Templated answers"): the request — method, url, path, its segments, query,
 * headers (lower-case names), body as parsed — and the caller: client id, API user, and the workspaces in which the
 * permissions the call was checked against are held (every workspace the user has a role in when none were checked).
 */
function templateScope(request: FastifyRequest): TemplateScope {
  const path = request.url.split('?')[0]!;
  const principal = request.principal;
  let caller: unknown = null;
  if (principal) {
    const { workspaces, users } = request.ctx.repos;
    const ids = request.decision?.allowed
      ? request.decision.workspaces
      : [...users.permissionsByWorkspace(principal.user.id).keys()];
    const names = workspaces
      .list()
      .filter((workspace) => ids.includes(workspace.id))
      .map((workspace) => workspace.name);
    caller = {
      clientId: principal.service.clientId,
      service: principal.service.name,
      user: { id: principal.user.id, email: principal.user.email },
      workspace: names[0] ?? null,
      workspaces: names,
    };
  }
  return {
    request: {
      method: request.method,
      url: request.url,
      path,
      pathSegments: path.split('/').filter((segment) => segment !== ''),
      query: { ...(request.query as object) },
      headers: { ...request.headers },
      body: request.body,
    },
    caller,
    now: new Date(request.ctx.clock.now()).toISOString(),
  };
}

/** The body's templates run, the rest kept; every template of one answer shares its bounds. */
function renderBody(value: unknown, scope: TemplateScope, run: { steps: number; length: number }): unknown {
  if (value instanceof TemplateLeaf) {
    const rendered = renderTemplate(value.template, scope, run);
    return value.template.single ? (rendered === undefined ? null : rendered) : rendered;
  }
  if (Array.isArray(value)) return value.map((item) => renderBody(item, scope, run));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, { value: renderBody(item, scope, run), enumerable: true, writable: true });
    }
    return out;
  }
  return value;
}

// What Node sends in a header: a rendered value is cut at a line break or other control character.
const UNSENDABLE = /[^\t\x20-\x7e\x80-\xff][\s\S]*$/;

/** The answer with its templates run; a TemplateOverrun when a run went past its bounds. */
function rendered(request: FastifyRequest, response: StubResponse, templates: ResponseTemplates): StubResponse {
  // A template writes and walks the body recursively: one nested past any client's data would overflow the stack.
  if (pathTooDeep(request.body) !== undefined) {
    throw new TemplateOverrun(`the request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  const scope = templateScope(request);
  const run = { steps: 0, length: 0 };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(templates.headers)) {
    headers[name] =
      typeof value === 'string' ? value : textOf(renderTemplate(value, scope, run)).replace(UNSENDABLE, '');
  }
  return {
    ...(response.status !== undefined ? { status: response.status } : {}),
    headers,
    ...(templates.text ? { text: textOf(renderTemplate(templates.text, scope, run)) } : {}),
    ...(response.body !== undefined ? { body: renderBody(templates.body, scope, run) } : {}),
  };
}

/**
 * The stub's answer: its status, headers, and a JSON or text body, its templates run; a Marketo error code in the
 * body is journalled. A template run past its bounds answers Marketo's 611 in the path's format, with a warning that
 * names the stub (a decision of issue 33: the stub could not give its answer, so the fake says it failed).
 */
export function sendStubResponse(
  request: FastifyRequest,
  reply: FastifyReply,
  stub: Stub,
  given: StubResponse,
  templates?: ResponseTemplates,
) {
  request.stubId = stub.id;
  let response = given;
  if (templates) {
    try {
      response = rendered(request, given, templates);
    } catch (error) {
      if (!(error instanceof TemplateOverrun)) throw error;
      request.log.warn({ stubId: stub.id }, `stub ${stub.id}: its template stopped: ${error.message}`);
      reply.header('x-fake-marketo-template-error', error.message);
      return sendMarketoFailure(request, reply, '611', 'System error');
    }
  }
  const headers = response.headers ?? {};
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  reply.code(response.status ?? 200).headers(headers);
  if (response.text !== undefined) {
    if (!hasType) reply.type('text/plain; charset=utf-8');
    return reply.send(response.text);
  }
  if (response.body === undefined) return reply.send('');
  const errors = (response.body as { errors?: { code?: unknown }[] } | null)?.errors;
  if (Array.isArray(errors) && errors[0]?.code !== undefined) request.marketoCode = String(errors[0].code);
  if (!hasType) reply.type('application/json');
  // What the stub says, not what a route's response schema allows.
  return reply.serializer((payload) => JSON.stringify(payload)).send(response.body);
}
