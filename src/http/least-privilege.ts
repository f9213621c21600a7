import type { FastifyContextConfig, FastifyRequest } from 'fastify';
import type { Decision } from '../domain/access.js';
import type { PermissionKey } from '../domain/permissions.js';

/**
 * The authorize step's one call into the least-privilege ledger (issue 31): this decision, for the caller's user and
 * service on this route. Costs three lookups once the (route, decision, service) is known; the operation and what
 * allowed the call are worked out the first time only.
 */
export function recordDecision(request: FastifyRequest, config: FastifyContextConfig, decision: Decision): void {
  const principal = request.principal!;
  // The route's own config (Fastify's, with its method and URL): the same object on every call of the route.
  const route = request.routeOptions.config;
  // The plane's catch-all routes (stubs on unknown paths) serve many paths: those are named by their path.
  const byPath = route.catchAll === true;
  request.ctx.harness.ledger.observe(
    byPath ? undefined : route,
    decision,
    principal.service.id,
    request.receivedAt ?? request.ctx.clock.now(),
    () => ({
      user: principal.user.email,
      service: principal.service.name,
      operation: `${request.method} ${byPath ? request.url.split('?')[0]! : route.url}`,
      requirement: { permissions: config.permissions ?? [], requireAll: config.requireAll === true },
      workspaces: decision.workspaces,
      workspacesHolding: (key) => request.access.workspacesHolding(key as PermissionKey),
    }),
  );
}
