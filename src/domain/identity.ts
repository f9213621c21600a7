import { hash, timingSafeEqual } from 'node:crypto';
import type { AccessToken, Service, User } from './model.js';
import { OAuthError } from './errors.js';

/** Who is calling the Marketo plane: the custom service and its API-only user. */
export interface Principal {
  service: Service;
  user: User;
  token: AccessToken;
}

export interface IdentityResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
}

/** A fixed-length digest of a secret, so secrets of any length compare in constant time. */
function secretDigest(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

/** Compares secrets in constant time, whatever their lengths (the admin token's length is the user's choice). */
export function secretsMatch(given: string, expected: string): boolean {
  return timingSafeEqual(secretDigest(given), secretDigest(expected));
}

/**
 * Compares a client secret with the service's (as UTF-8 bytes) in constant time for secrets of its length. A
 * LaunchPoint secret's length is no secret (32 characters), and two hashes were a tenth of what a first token cost.
 */
export function clientSecretMatches(given: string, expected: Buffer): boolean {
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

/**
 * Checks a client id and secret the way Marketo's identity service (Spring Security OAuth2) does:
 * credentials before the grant type, each failure with its own status and body (marketo-reference.md §1.3).
 */
export function authenticateClient<C extends { secret: Buffer }>(
  findClient: (clientId: string) => C | undefined,
  params: { client_id?: string; client_secret?: string; grant_type?: string },
): C {
  if (!params.client_id) {
    throw new OAuthError(401, 'unauthorized', 'Full authentication is required to access this resource');
  }
  const client = findClient(params.client_id);
  if (!client) throw new OAuthError(401, 'unauthorized', `No client with requested id: ${params.client_id}`);
  if (!clientSecretMatches(params.client_secret ?? '', client.secret)) {
    throw new OAuthError(401, 'invalid_client', 'Bad client credentials');
  }
  if (!params.grant_type) throw new OAuthError(400, 'invalid_request', 'Missing grant type');
  if (params.grant_type !== 'client_credentials') {
    throw new OAuthError(400, 'unsupported_grant_type', `Unsupported grant type: ${params.grant_type}`);
  }
  return client;
}

/**
 * Seconds the token has left, as Marketo reports them: a fresh one-hour token shows 3599
 * (authentication.md example and live recordings), counting down to 0 in its last second.
 */
export function remainingSeconds(token: AccessToken, now: number): number {
  const lifetime = Math.floor((token.expiresAt - token.issuedAt) / 1000) - 1;
  // Clamped, so a clock moved back before the issue time never shows more than a fresh token.
  return Math.min(lifetime, Math.max(0, Math.floor((token.expiresAt - now - 1) / 1000)));
}

export function identityResponse(token: AccessToken, owner: User, now: number): IdentityResponse {
  return {
    access_token: token.token,
    token_type: 'bearer',
    expires_in: remainingSeconds(token, now),
    scope: owner.email,
  };
}
