import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES } from '../../domain/marketo-codes.js';
import { fromBase32, toBase32 } from '../../domain/paging.js';

/**
 * A position in the log: activities strictly after (date, id), in (activity date, id) order. Decision (issue 13,
 * README "Activity log"): a date token is the position (time, 0), so it selects the activities at or after that
 * time; a read's nextPageToken is the position of the last activity it looked at. Neither expires nor depends on
 * the query: the same token serves every group of type ids, activities, lead changes and deleted leads, and a
 * restart. A malformed token is response-level 1003.
 */
export interface LogPosition {
  date: number;
  id: number;
}

const TOKEN = /^([0-9]+)\.([0-9]+)$/;

/** Base32 like Marketo's tokens (paging-tokens.md: "GIYDAOBN…"), of `<date ms>.<id>`. */
export function encodePosition(position: LogPosition): string {
  return toBase32(`${position.date}.${position.id}`);
}

/** The position a token names; 1003 when it is not one of ours. */
export function decodePosition(token: string): LogPosition {
  // Tokens are short; a long one is not ours (and is not decoded).
  if (token.length > 64) throw invalidToken();
  const match = TOKEN.exec(fromBase32(token) ?? '');
  const date = Number(match?.[1]);
  const id = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(date) || !Number.isSafeInteger(id)) throw invalidToken();
  return { date, id };
}

const invalidToken = () => new MarketoError('1003', DETAIL_MESSAGES.invalidPageToken);
