import type { FastifyContextConfig, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { AppContext } from '../context.js';
import { authenticate } from './authenticate.js';
import { authorize } from './authorize.js';

/**
 * Access is judged when the request arrives, before its body; the handler acts on access as it stands when it runs.
 * When the caller's access changed while the body arrived (a service or user deleted, a role's permissions replaced,
 * a reset), the call is judged again: a token that no longer exists answers 601, a permission no longer held 603,
 * and the journal records that final decision. Decision of issue 11 ("a request whose access changed while its body
 * arrived"). While nothing changed, the check is one lookup: the cache hands out the same caller object until any
 * access change empties it.
 */
export function judgeAgainInHandler(ctx: AppContext) {
  const authenticateCall = authenticate(ctx);
  const authorizeCall = authorize(ctx);
  return (config: FastifyContextConfig, handler: RouteHandlerMethod): RouteHandlerMethod =>
    function judgedHandler(this: unknown, request: FastifyRequest, reply: FastifyReply) {
      const principal = request.principal;
      if (!principal || !ctx.access.isCurrent(principal.user.id, request.access)) {
        const denied = authenticateCall(request) ?? authorizeCall(request, config);
        if (denied) throw denied;
      }
      return (handler as (this: unknown, request: FastifyRequest, reply: FastifyReply) => unknown).call(
        this,
        request,
        reply,
      );
    } as RouteHandlerMethod;
}
