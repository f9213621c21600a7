import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../domain/errors.js';
import { secretsMatch } from '../domain/identity.js';

/** onRequest hook for the admin plane: when ADMIN_TOKEN is set, every call must bear it. */
export function adminGuard(adminToken: string | undefined) {
  return async (request: FastifyRequest): Promise<void> => {
    if (adminToken === undefined) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !secretsMatch(match[1]!.trim(), adminToken)) throw new UnauthorizedError();
  };
}
