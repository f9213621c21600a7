import { randomUUID } from 'node:crypto';
import { customAlphabet } from 'nanoid';

/** Id and secret generation, injected so tests can make it predictable. */
export interface Ids {
  uuid(): string;
  clientId(): string;
  clientSecret(): string;
}

// LaunchPoint client ids are UUIDs; secrets are 32 alphanumerics (about 190 bits here).
const alphanumeric = customAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 32);

export const randomIds: Ids = {
  uuid: () => randomUUID(),
  clientId: () => randomUUID(),
  clientSecret: () => alphanumeric(),
};

/** Deterministic ids for tests: uuid-shaped, counting up. */
export function sequentialIds(): Ids {
  let counter = 0;
  const next = () => (++counter).toString(16).padStart(12, '0');
  return {
    uuid: () => `00000000-0000-4000-8000-${next()}`,
    clientId: () => `00000000-0000-4000-a000-${next()}`,
    clientSecret: () => `secret${next()}`.padEnd(32, 'x'),
  };
}
