import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { MarketoError } from '../domain/errors.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function tokenOf(request: FastifyRequest, acceptQueryToken: boolean): string | undefined {
  const header = request.headers.authorization;
  if (header) return BEARER.exec(header)?.[1];
  if (!acceptQueryToken) return undefined;
  // The legacy ?access_token= (or form field, which the form tunnel moves into the query).
  const query = request.query as Record<string, unknown> | undefined;
  const value = query?.access_token;
  return typeof value === 'string'
    ? value
    : Array.isArray(value) && typeof value[0] === 'string'
      ? value[0]
      : undefined;
}

/**
 * Marketo-plane authentication: a missing, unknown or revoked token is 601, an expired one 602
 * (error-codes.md). Since 2026-08-31 Marketo ignores ?access_token= (ACCESS_TOKEN_QUERY=reject).
 */
export function authenticate(ctx: AppContext) {
  const acceptQueryToken = ctx.config.ACCESS_TOKEN_QUERY === 'accept';
  const { services, users } = ctx.repos;
  return async (request: FastifyRequest): Promise<void> => {
    const value = tokenOf(request, acceptQueryToken);
    const token = value === undefined ? undefined : services.findToken(value);
    if (!token) throw new MarketoError('601', 'Access token invalid');
    if (token.expiresAt <= ctx.clock.now()) throw new MarketoError('602', 'Access token expired');
    const service = services.get(token.serviceId);
    request.principal = { service, user: users.get(service.apiOnlyUserId), token };
  };
}
