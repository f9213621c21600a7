import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  RouteHandlerMethod,
} from 'fastify';
import type { Config } from '../config.js';
import { MarketoError } from '../domain/errors.js';
import type { Stub } from '../domain/stubs.js';
import { authenticate, tokenMayBeInBody } from './authenticate.js';
import { authorize } from './authorize.js';
import { answerNotFound } from './error-handler.js';
import { injectFaults } from './faults.js';
import { formBodyNeedsTunnel, type Redispatch } from './form-tunnel.js';
import { enforceLimits } from './limits.js';
import type { MarketoRouteTable } from './marketo-routes.js';
import { directFormPosts } from './normalise.js';
import { chooseStub, requestFacts, sendStubResponse, stubJudgement } from './stubs.js';

/**
 * What the gate checks of a call once it knows who calls: whether a missing, unknown or expired token stops it
 * (601/602), and the permissions to hold (603), none when `access` is undefined. A route's judgement is its config;
 * a stub's is its own (src/http/stubs.ts).
 */
export interface Judgement {
  readonly requiresToken: boolean;
  readonly access: FastifyContextConfig | undefined;
}

/**
 * Picks the judgement once the token has been read (a stub matches on the client id): a judgement, the error to answer
 * with, or null when it answered the call itself (605/610).
 */
type Choose = (unauthenticated: MarketoError | undefined) => Judgement | MarketoError | null;

/** The steps that run: all of them as the call arrives; authentication and authorization when it is judged again. */
type Steps = 'arrival' | 'again';

/** `done()` goes on, `done(error)` answers with the error in the path's wire format. */
type Done = (error?: Error) => void;

const NO_STUBS: readonly Stub[] = [];

const pathOf = (request: FastifyRequest): string => request.url.split('?')[0]!;

/**
 * The Marketo plane's gate, the one place its sequence is written: authenticate (601/602) → limits (606/615/607) →
 * injected faults → authorize (603). Faults come after the limits, so a delayed call holds its concurrency slot, and
 * before authorization, so an injected answer does not depend on the caller's permissions. The variations are
 * parameters of that one sequence, not copies of it:
 * - deferred: when a stub could answer the call, or a form POST went straight to its route (normalise.ts), every step
 *   waits for the body (preValidation), which a stub may match on and whose `_method` may make it another call;
 * - stubs: the stub is chosen once the token is read, checked with its own judgement, and its answer taken after the
 *   faults (a sequence may have run out meanwhile: then as if it had not been there);
 * - judged again: the handler acts on access as it stands when it runs, so a call whose access changed while its
 *   body arrived is authenticated and authorized again (no second limit or fault).
 * Callback style, with no promise unless a fault rule is set: it runs on every call. Every step reads the state of the
 * subscription the call is addressed to from `request.ctx` (tokens, limits, faults, stubs, access); what is set here
 * at registration is the same for every subscription (the settings, the route table).
 */
export function marketoGate(config: Config, routeTable: MarketoRouteTable, redispatch: Redispatch) {
  const authenticateCall = authenticate(config);
  const acceptQueryToken = config.ACCESS_TOKEN_QUERY === 'accept';
  const fault = injectFaults((request) => request.principal?.service.clientId);

  const authorizeFor = (request: FastifyRequest, judgement: Judgement): MarketoError | undefined =>
    judgement.access && authorize(request, judgement.access);

  /** The sequence. `done` is not called once an injected fault or `judge` has answered the call. */
  function pass(
    request: FastifyRequest,
    reply: FastifyReply,
    judge: Judgement | Choose,
    steps: Steps,
    done: Done,
  ): void {
    const unauthenticated = authenticateCall(request);
    const judgement = typeof judge === 'function' ? judge(unauthenticated) : judge;
    if (judgement === null) return;
    if (judgement instanceof MarketoError) return done(judgement);
    if (unauthenticated && judgement.requiresToken) return done(unauthenticated);
    if (steps === 'again') return done(authorizeFor(request, judgement));
    try {
      enforceLimits(request);
    } catch (error) {
      return done(error as Error);
    }
    if (request.ctx.harness.faults.empty) return done(authorizeFor(request, judgement));
    fault(request, reply).then(
      // An injected answer has been sent: the request goes no further.
      () => (reply.sent ? undefined : done(authorizeFor(request, judgement))),
      done,
    );
  }

  /**
   * The sequence once the body is read, a stub answering if one matches; `route` is undefined on the plane's
   * catch-all routes (unknown paths), which answer 605/610 without a stub.
   */
  function passWithStubs(request: FastifyRequest, reply: FastifyReply, route: Judgement | undefined, done: Done) {
    const { stubs } = request.ctx.harness;
    const candidates = stubs.empty ? NO_STUBS : stubs.candidates(requestFacts(request));
    let stub: Stub | undefined;
    const choose: Choose = (unauthenticated) => {
      stub = candidates.length > 0 ? chooseStub(candidates, request, unauthenticated) : undefined;
      if (stub) return stubJudgement(stub, route);
      if (route) return route;
      // A stub that wanted a token it did not get answers as Marketo would; else the path is unknown.
      if (unauthenticated && candidates.some((candidate) => candidate.authenticate !== false)) return unauthenticated;
      answerNotFound(request, reply, routeTable);
      return null;
    };
    pass(request, reply, choose, 'arrival', (error) => {
      if (error || !stub) return done(error);
      const taken = stubs.take(stub.id);
      if (taken) return void sendStubResponse(request, reply, stub, taken.response, taken.templates);
      // The stub's sequence ran out while a fault delayed this call: as if it had not been there.
      if (!route) return void answerNotFound(request, reply, routeTable);
      pass(request, reply, route, 'again', done);
    });
  }

  return {
    /** The gate's hooks on one Marketo route, with the route's config (its permissions) at hand. */
    route(config: FastifyContextConfig) {
      const judgement: Judgement = { requiresToken: true, access: config };
      return {
        onRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
          // A form POST sent straight to its route: the steps wait for the body, whose `_method` may make it another
          // call (form-tunnel.ts).
          if (directFormPosts.has(request.raw)) {
            request.formPending = true;
            return done();
          }
          // A stub may answer, or the token may be a field of the multipart form: the steps wait for the body,
          // which a stub may match on and which may hold the token.
          const { stubs } = request.ctx.harness;
          if (
            (!stubs.empty && stubs.mayMatch(request.method, pathOf(request))) ||
            (config.tokenInBody === true && tokenMayBeInBody(request, acceptQueryToken))
          ) {
            request.stubPending = true;
            return done();
          }
          pass(request, reply, judgement, 'arrival', done);
        },

        /** A no-op unless the steps were deferred to the body; then a form body may still take the tunnel. */
        preValidation(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
          if (request.formPending) {
            request.formPending = false;
            if (formBodyNeedsTunnel(request.body)) {
              request.redispatched = true;
              redispatch(request, reply, request.url).then(
                () => undefined,
                (error: Error) => done(error),
              );
              return;
            }
          } else if (!request.stubPending) {
            return done();
          }
          request.stubPending = false;
          passWithStubs(request, reply, judgement, done);
        },

        /**
         * Access is judged when the request arrives, before its body; when it changed while the body arrived (a
         * service or user deleted, a role's permissions replaced, a reset), the call is judged again: a token that no
         * longer exists answers 601, a permission no longer held 603, and the journal records that final decision.
         * Decision of issue 11 ("a request whose access changed while its body arrived"). While nothing changed, the
         * check is one lookup: the cache hands out the same caller object until any access change empties it.
         */
        handler(handler: RouteHandlerMethod): RouteHandlerMethod {
          return function judgedHandler(this: unknown, request: FastifyRequest, reply: FastifyReply) {
            const principal = request.principal;
            if (!principal || !request.ctx.access.isCurrent(principal.user.id, request.access)) {
              let denied: Error | undefined;
              // Without limits or faults, the sequence ends before this line.
              pass(request, reply, judgement, 'again', (error) => (denied = error));
              if (denied) throw denied;
            }
            return (handler as (this: unknown, request: FastifyRequest, reply: FastifyReply) => unknown).call(
              this,
              request,
              reply,
            );
          } as RouteHandlerMethod;
        },
      };
    },

    /** The catch-all routes of the plane (`/rest/*`, `/bulk/*`, `/userservice/*`): a stub, else 605 or 610. */
    registerCatchAll(marketo: FastifyInstance) {
      for (const prefix of ['/rest', '/bulk', '/userservice']) {
        marketo.route({
          method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
          url: `${prefix}/*`,
          // Not a Marketo route: not in the route table (605 vs 610), the OpenAPI document, or the gate.
          config: { catchAll: true },
          schema: { hide: true },
          // A known path asked with another verb is 605 at once; an endpoint the fake does not serve waits for its
          // body, which the journal records (issue 23, item 18).
          onRequest: (request, reply, done) => {
            const { stubs } = request.ctx.harness;
            if (!stubs.empty && stubs.mayMatch(request.method, pathOf(request))) return done();
            if (routeTable.methodsFor(pathOf(request)).size > 0) return void answerNotFound(request, reply, routeTable);
            request.unserved = true;
            done();
          },
          // Without a route, the sequence answers the call itself (a stub, 601, 605/610) or fails it. An unserved
          // endpoint is 610 whatever the token; a good one names the caller in the journal and the log.
          handler: (request, reply) => {
            if (!request.unserved) return passWithStubs(request, reply, undefined, (error) => void reply.send(error));
            authenticateCall(request);
            return answerNotFound(request, reply, routeTable);
          },
        });
      }
    },
  };
}
