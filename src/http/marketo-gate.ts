import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { authenticate } from './authenticate.js';
import { authorize } from './authorize.js';
import { injectFaults } from './faults.js';
import { enforceLimits } from './limits.js';

/**
 * The Marketo plane's one onRequest hook: authenticate (601/602), limits (606/615/607), injected faults, then
 * authorize (603). Faults come after the limits, so a delayed call holds its concurrency slot, and before
 * authorization, so an injected answer does not depend on the caller's permissions. One hook rather than four:
 * it runs on every call.
 */
export function marketoGate(ctx: AppContext) {
  const authenticateCall = authenticate(ctx);
  const admit = enforceLimits(ctx);
  const fault = injectFaults(ctx, (request) => request.principal?.service.clientId);
  const authorizeCall = authorize(ctx);
  const { faults } = ctx.harness;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    authenticateCall(request);
    admit(request);
    if (!faults.empty) {
      await fault(request, reply);
      if (reply.sent) return reply;
    }
    authorizeCall(request);
    return undefined;
  };
}
