import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import type { AppContext } from '../context.js';
import type { Stub, StubResponse } from '../domain/stubs.js';
import { authenticate } from './authenticate.js';
import { authorize } from './authorize.js';
import { injectFaults } from './faults.js';
import { enforceLimits } from './limits.js';
import { answerNotFound } from './error-handler.js';
import type { MarketoRouteTable } from './marketo-routes.js';

/** The stub's answer: its status, headers, and a JSON or text body; a Marketo error code in the body is journalled. */
function sendStubResponse(request: FastifyRequest, reply: FastifyReply, stub: Stub, response: StubResponse) {
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

/**
 * Stubs on the Marketo plane (issue 17). The precedence (README "Decisions"): injected faults first, then stubs, then
 * real routes, then 610. A stub is chosen once the body is parsed (it may match on the body): on a real route from a
 * preValidation hook, which the gate defers to when some stub could match the path; on an unknown path from the
 * plane's catch-all route. Both run the gate's steps with the stub's own settings: authentication unless the stub says
 * `authenticate: false`, limits, faults, then the stub's permissions (else the route's).
 */
export function stubGate(ctx: AppContext, routeTable: MarketoRouteTable) {
  const { stubs } = ctx.harness;
  const authenticateCall = authenticate(ctx);
  const admit = enforceLimits(ctx);
  const fault = injectFaults(ctx, (request) => request.principal?.service.clientId);
  const authorizeCall = authorize(ctx);

  /**
   * Answers the call with a stub, or — when none matches — lets a real route go on (returns true) or answers 605/610.
   * Marketo errors are thrown, for the error handler to answer in the path's wire format.
   */
  async function gate(request: FastifyRequest, reply: FastifyReply, route?: FastifyContextConfig): Promise<boolean> {
    const path = request.url.split('?')[0]!;
    const candidates = stubs.candidates(request.method, path, request.query, request.body);
    const unauthenticated = authenticateCall(request);
    const clientId = request.principal?.service.clientId;
    const stub = candidates.find(
      (candidate) =>
        (candidate.authenticate === false || !unauthenticated) &&
        (candidate.match.clientId === undefined || candidate.match.clientId === clientId),
    );
    if (!stub) {
      if (!route) {
        // A stub that wanted a token it did not get answers as Marketo would; else the path is unknown.
        if (unauthenticated && candidates.some((candidate) => candidate.authenticate !== false)) throw unauthenticated;
        answerNotFound(request, reply, routeTable);
        return false;
      }
      if (unauthenticated) throw unauthenticated;
      admit(request);
      await fault(request, reply);
      if (reply.sent) return false;
      const denied = authorizeCall(request, route);
      if (denied) throw denied;
      return true;
    }
    admit(request);
    await fault(request, reply);
    if (reply.sent) return false;
    if (stub.authenticate !== false) {
      // The stub's permissions, else the real route's; a stub on an unknown path without permissions checks none.
      const permissions = stub.permissions ?? route?.permissions;
      if (permissions) {
        const denied = authorizeCall(
          request,
          stub.permissions ? { permissions } : { permissions, requireAll: route?.requireAll },
        );
        if (denied) throw denied;
      }
    }
    const response = stubs.take(stub.id);
    if (response) {
      await sendStubResponse(request, reply, stub, response);
      return false;
    }
    // The stub's sequence ran out while a fault delayed this call: as if it had not been there.
    if (!route) {
      answerNotFound(request, reply, routeTable);
      return false;
    }
    const denied = authorizeCall(request, route);
    if (denied) throw denied;
    return true;
  }

  return {
    /** preValidation on each real route: a no-op unless the gate deferred this call to the stubs. */
    forRoute(config: FastifyContextConfig) {
      return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
        if (!request.stubPending) return done();
        request.stubPending = false;
        gate(request, reply, config).then(
          (goOn) => (goOn ? done() : undefined),
          (error: Error) => done(error),
        );
      };
    },
    /** The catch-all routes of the plane (`/rest/*`, `/bulk/*`, `/userservice/*`): a stub, else 605 or 610. */
    register(marketo: FastifyInstance) {
      for (const prefix of ['/rest', '/bulk', '/userservice']) {
        marketo.route({
          method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
          url: `${prefix}/*`,
          // Not a Marketo route: not in the route table (605 vs 610), the OpenAPI document, or the gate.
          config: { catchAll: true },
          schema: { hide: true },
          // Zero cost without stubs: the answer the not-found handler would give, before the body is read.
          onRequest: (request, reply, done) => {
            if (!stubs.empty && stubs.mayMatch(request.method, request.url.split('?')[0]!)) return done();
            answerNotFound(request, reply, routeTable);
          },
          handler: async (request, reply) => {
            await gate(request, reply);
            return reply;
          },
        });
      }
    },
  };
}
