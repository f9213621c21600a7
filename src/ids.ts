import { randomFillSync, randomUUID } from 'node:crypto';
import { customAlphabet } from 'nanoid';

/** Id and secret generation, injected so tests can make it predictable. */
export interface Ids {
  uuid(): string;
  /** The uuid part of an access token (`<uuid>:<pod>`); uuid() when not given. */
  accessToken?(): string;
  clientId(): string;
  clientSecret(): string;
}

// LaunchPoint client ids are UUIDs; secrets are 32 alphanumerics (about 190 bits here).
const alphanumeric = customAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 32);

const tokenBytes = Buffer.alloc(16);

/**
 * A version 7 UUID (RFC 9562): 48 bits of milliseconds, then 74 random bits. Time-ordered, so each new token lands
 * at the end of the token index instead of on a random page of it, which a batch of new tokens writes once.
 */
function timeOrderedUuid(): string {
  randomFillSync(tokenBytes);
  tokenBytes.writeUIntBE(Date.now(), 0, 6);
  tokenBytes[6] = (tokenBytes[6]! & 0x0f) | 0x70;
  tokenBytes[8] = (tokenBytes[8]! & 0x3f) | 0x80;
  const hex = tokenBytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const randomIds: Ids = {
  uuid: () => randomUUID(),
  accessToken: timeOrderedUuid,
  clientId: () => randomUUID(),
  clientSecret: () => alphanumeric(),
};

/** Deterministic ids for tests: uuid-shaped, counting up. */
export function sequentialIds(): Ids {
  let counter = 0;
  const next = () => (++counter).toString(16).padStart(12, '0');
  const uuid = () => `00000000-0000-4000-8000-${next()}`;
  return {
    uuid,
    accessToken: uuid,
    clientId: () => `00000000-0000-4000-a000-${next()}`,
    clientSecret: () => `secret${next()}`.padEnd(32, 'x'),
  };
}
