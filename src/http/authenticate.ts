import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { MarketoError } from '../domain/errors.js';
import { USER_MANAGEMENT, wireFormatOf } from './wire-formats.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function firstString(value: unknown): string | undefined {
  return typeof value === 'string'
    ? value
    : Array.isArray(value) && typeof value[0] === 'string'
      ? value[0]
      : undefined;
}

function tokenOf(request: FastifyRequest, acceptQueryToken: boolean): string | undefined {
  const header = request.headers.authorization;
  if (header) return BEARER.exec(header)?.[1];
  // The User Management API takes the token in the header only, whatever ACCESS_TOKEN_QUERY says
  // (user-management.md: "You cannot pass the access token as a query-string parameter").
  if (!acceptQueryToken || wireFormatOf(request.url) === USER_MANAGEMENT) return undefined;
  // The legacy ?access_token= (or form field, which the form tunnel moves into the query).
  const query = request.query as Record<string, unknown> | undefined;
  return firstString(query?.access_token) ?? bodyToken(request);
}

/** A multipart form's `access_token` field, on a route that takes one (config.tokenInBody), once its body is read. */
function bodyToken(request: FastifyRequest): string | undefined {
  if (request.routeOptions.config?.tokenInBody !== true) return undefined;
  const body = request.body as Record<string, unknown> | undefined;
  return body && typeof body === 'object' ? firstString(body.access_token) : undefined;
}

/** Whether the gate must wait for the body to find the caller's token (a form field of a tokenInBody route). */
export function tokenMayBeInBody(request: FastifyRequest, acceptQueryToken: boolean): boolean {
  if (!acceptQueryToken || request.headers.authorization !== undefined) return false;
  if (firstString((request.query as Record<string, unknown> | undefined)?.access_token) !== undefined) return false;
  return (
    request.routeOptions.config?.tokenInBody === true &&
    request.headers['content-type']?.startsWith('multipart/') === true
  );
}

/**
 * Marketo-plane authentication: a missing, unknown or revoked token is 601, an expired one 602
 * (error-codes.md), returned as the error to answer with. Since 2026-08-31 Marketo ignores ?access_token=
 * (ACCESS_TOKEN_QUERY=reject).
 */
export function authenticate(config: Config) {
  const acceptQueryToken = config.ACCESS_TOKEN_QUERY === 'accept';
  return (request: FastifyRequest): MarketoError | undefined => {
    const value = tokenOf(request, acceptQueryToken);
    // The subscription the call is addressed to knows its tokens, and its clock says whether one has expired.
    const { access, clock } = request.ctx;
    const principal = value === undefined ? undefined : access.principal(value);
    if (!principal) {
      if (value === undefined) logIgnoredQueryToken(request, acceptQueryToken);
      return INVALID_TOKEN;
    }
    if (principal.token.expiresAt <= clock.now()) return EXPIRED_TOKEN;
    request.principal = principal;
    return undefined;
  };
}

/**
 * A 601 for a token sent in ?access_token= that is not read says why in the log (issue 23, item 19): the answer is
 * Marketo's "Access token invalid", whether or not the token is valid. The token itself is not logged.
 */
function logIgnoredQueryToken(request: FastifyRequest, acceptQueryToken: boolean): void {
  if (request.headers.authorization) return;
  const query = request.query as Record<string, unknown> | undefined;
  if (query?.access_token === undefined) return;
  const path = request.url.split('?')[0];
  const message = acceptQueryToken
    ? '?access_token= ignored: the User Management API takes the token in the Authorization header only'
    : '?access_token= ignored: ACCESS_TOKEN_QUERY=reject (Marketo stopped reading it on 2026-08-31); send ' +
      '"Authorization: Bearer <token>", or set ACCESS_TOKEN_QUERY=accept';
  request.log.info({ path, marketoCode: '601' }, message);
}

// The same answer every time: one error each, returned rather than thrown (a throw walks the stack).
const INVALID_TOKEN = new MarketoError('601', 'Access token invalid');
const EXPIRED_TOKEN = new MarketoError('602', 'Access token expired');
