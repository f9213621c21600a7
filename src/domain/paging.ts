import { MarketoError } from './errors.js';
import { DETAIL_MESSAGES } from './marketo-codes.js';

/**
 * Position paging tokens. Marketo's are opaque base32 strings (paging-tokens.md); ours encode the last id
 * seen, a digest of the query they belong to, and when they were issued.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Base32 (RFC 4648 alphabet, no padding), as Marketo's tokens look ("GIYDAOBN…"). */
export function toBase32(text: string): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** The text a base32 token holds; undefined when it is not base32. */
export function fromBase32(token: string): string | undefined {
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of token.replace(/=+$/, '')) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) return undefined;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A short, stable digest (FNV-1a) of the query a token belongs to. */
export function queryDigest(parts: readonly unknown[]): string {
  let hash = 0x811c9dc5;
  const text = JSON.stringify(parts);
  // By UTF-16 unit: a string iterator made a string per character, on every filter call.
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

export function encodePageToken(afterId: number, digest: string, issuedAtMs: number): string {
  return toBase32(`${afterId}:${digest}:${Math.floor(issuedAtMs / 1000)}`);
}

/**
 * How long a position token stays usable. Adobe documents no lifetime [UNCONFIRMED]; a day lets tests see
 * an expired token by moving the clock, without ever cutting a real paging loop short.
 */
export const PAGE_TOKEN_TTL_MS = 24 * 3600 * 1000;

/** The last id seen; 1003 when the token is not ours, belongs to another query, or has expired. */
export function decodePageToken(token: string, digest: string, now: number): number {
  const [after, tokenDigest, issuedAtSeconds] = (fromBase32(token) ?? '').split(':');
  const afterId = Number(after);
  if (tokenDigest !== digest || !Number.isSafeInteger(afterId) || afterId < 0) {
    throw new MarketoError('1003', DETAIL_MESSAGES.invalidPageToken);
  }
  if (now - Number(issuedAtSeconds) * 1000 > PAGE_TOKEN_TTL_MS)
    throw new MarketoError('1003', DETAIL_MESSAGES.expiredPageToken);
  return afterId;
}
