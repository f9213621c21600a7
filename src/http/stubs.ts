import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MarketoError } from '../domain/errors.js';
import type { Stub, StubResponse } from '../domain/stubs.js';
import type { Judgement } from './marketo-gate.js';

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

/** The stub's answer: its status, headers, and a JSON or text body; a Marketo error code in the body is journalled. */
export function sendStubResponse(request: FastifyRequest, reply: FastifyReply, stub: Stub, response: StubResponse) {
  request.stubId = stub.id;
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
