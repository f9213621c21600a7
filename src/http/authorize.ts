import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { MarketoError } from '../domain/errors.js';
import { logsEveryRequest } from './journal.js';

/**
 * The one place that answers 603: the route's declared permissions, held in at least one workspace
 * (all of them where the route says `requireAll`). Leaves `request.access` for record-level scoping.
 */
export function authorize(ctx: AppContext) {
  return (request: FastifyRequest): void => {
    const principal = request.principal!;
    const config = request.routeOptions.config;
    const caller = ctx.access.caller(principal.user.id);
    const { decision, first } = caller.decide(config, config.permissions ?? [], config.requireAll);
    request.decision = decision;
    request.access = caller.context;
    if (!decision.allowed) {
      // Once per caller and route until their access changes (a client retrying would flood the log); every
      // denial is in the journal, and in the log at debug.
      if (first || logsEveryRequest(request)) {
        request.log.info(
          { clientId: principal.service.clientId, userId: principal.user.id, decision },
          `access denied: ${decision.reason}`,
        );
      }
      throw new MarketoError('603', 'Access denied');
    }
  };
}
