import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../domain/errors.js';
import { secretsMatch } from '../domain/identity.js';

const ADMIN_PREFIXES = ['/admin/', '/data/foundation/'];

function isAdminPath(url: string): boolean {
  return url === '/admin' || ADMIN_PREFIXES.some((prefix) => url.startsWith(prefix));
}

/** onRequest hook: when ADMIN_TOKEN is set, every admin-plane call, known route or not, must bear it. */
export function adminGuard(adminToken: string | undefined) {
  return async (request: FastifyRequest): Promise<void> => {
    // The matched route's pattern too, so no spelling of a path reaches an admin route unguarded.
    if (adminToken === undefined || !(isAdminPath(request.url) || isAdminPath(request.routeOptions.url ?? ''))) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !secretsMatch(match[1]!.trim(), adminToken)) throw new UnauthorizedError();
  };
}
