import type { FastifyContextConfig, FastifyRequest } from 'fastify';
import { MarketoError } from '../domain/errors.js';
import { logsEveryRequest } from './journal.js';
import { recordDecision } from './least-privilege.js';
import { apiScopeOf } from './wire-formats.js';

/**
 * The one place that answers 603: the route's declared permissions, held in at least one workspace
 * (all of them where the route says `requireAll`), returning the error to answer with. Only Access API permissions
 * count, and on the User Management API's paths also Access Users (src/domain/permissions.ts). Leaves
 * `request.access` for record-level scoping. `config` is the route's config, given when the gate is set on the route (reading it
 * through request.routeOptions builds an object per call).
 */
export function authorize(request: FastifyRequest, config: FastifyContextConfig): MarketoError | undefined {
  const principal = request.principal!;
  const caller = request.ctx.access.caller(principal.user.id);
  // Known after the first call (no object made per call): the decision stands until the caller's access changes.
  const known = caller.decided(config);
  const decision = known ?? caller.decide(config, config.permissions ?? [], config.requireAll, apiScopeOf(request.url));
  request.decision = decision;
  request.access = caller.context;
  recordDecision(request, config, decision);
  if (!decision.allowed) {
    // Once per caller and route until their access changes (a client retrying would flood the log); every
    // denial is in the journal, and in the log at debug.
    if (!known || logsEveryRequest(request)) {
      request.log.info(
        { clientId: principal.service.clientId, userId: principal.user.id, decision },
        `access denied: ${decision.reason}`,
      );
    }
    return ACCESS_DENIED;
  }
  return undefined;
}

const ACCESS_DENIED = new MarketoError('603', 'Access denied');
