import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../domain/errors.js';
import { secretsMatch } from '../domain/identity.js';

const ADMIN_PREFIXES = ['/admin/', '/data/foundation/'];

function isAdminPath(url: string): boolean {
  return url === '/admin' || ADMIN_PREFIXES.some((prefix) => url.startsWith(prefix));
}

/**
 * Part of the onRequest hook: when ADMIN_TOKEN is set, every admin-plane call, known route or not, must bear it.
 * Returns the error to answer with, if any.
 */
export function adminGuard(adminToken: string | undefined) {
  return (request: FastifyRequest): UnauthorizedError | undefined => {
    // The matched route's pattern too, so no spelling of a path reaches an admin route unguarded.
    if (adminToken === undefined || !(isAdminPath(request.url) || isAdminPath(request.routeOptions.url ?? ''))) {
      return undefined;
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    return match && secretsMatch(match[1]!.trim(), adminToken) ? undefined : new UnauthorizedError();
  };
}
