import type { FastifyContextConfig, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { AppContext } from '../context.js';
import { authenticate, tokenMayBeInBody } from './authenticate.js';
import { authorize } from './authorize.js';
import { injectFaults } from './faults.js';
import { enforceLimits } from './limits.js';
import { directFormPosts } from './normalise.js';

/**
 * The Marketo plane's one onRequest hook, set on each route with the route's config: authenticate (601/602),
 * limits (606/615/607), injected faults, then authorize (603). When a stub could answer the call, the same steps run
 * once its body is read, with the stub chosen after the faults (src/http/stubs.ts). Faults come after the limits, so a delayed call
 * holds its concurrency slot, and before authorization, so an injected answer does not depend on the caller's
 * permissions. One hook rather than four, in callback style, with no promise unless a fault rule is set: it runs on
 * every call.
 */
export function marketoGate(ctx: AppContext) {
  const authenticateCall = authenticate(ctx);
  const admit = enforceLimits(ctx);
  const fault = injectFaults(ctx, (request) => request.principal?.service.clientId);
  const authorizeCall = authorize(ctx);
  const { faults, stubs } = ctx.harness;
  const acceptQueryToken = ctx.config.ACCESS_TOKEN_QUERY === 'accept';
  return (config: FastifyContextConfig) => {
    const authorizeThenContinue = (request: FastifyRequest, done: HookHandlerDoneFunction): void => {
      done(authorizeCall(request, config));
    };
    return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
      // A form POST sent straight to its route: every step waits for the body, whose `_method` may make it another
      // call (form-tunnel.ts); then, as for a stub, the steps run from preValidation (src/http/stubs.ts).
      if (directFormPosts.has(request.raw)) {
        request.formPending = true;
        return done();
      }
      // A stub may answer, or the token may be a field of the multipart form: every step waits for the body, which a
      // stub may match on (src/http/stubs.ts).
      if (
        (!stubs.empty && stubs.mayMatch(request.method, request.url.split('?')[0]!)) ||
        (config.tokenInBody === true && tokenMayBeInBody(request, acceptQueryToken))
      ) {
        request.stubPending = true;
        return done();
      }
      const unauthenticated = authenticateCall(request);
      if (unauthenticated) return done(unauthenticated);
      try {
        admit(request);
      } catch (error) {
        return done(error as Error);
      }
      if (faults.empty) return authorizeThenContinue(request, done);
      fault(request, reply).then(
        // An injected answer has been sent: the request goes no further.
        () => (reply.sent ? undefined : authorizeThenContinue(request, done)),
        (error: Error) => done(error),
      );
    };
  };
}
