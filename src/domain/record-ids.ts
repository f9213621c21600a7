import { z } from 'zod';

/**
 * What an id is. Adobe's specs give most ids as int32 (a lead, a static list, a folder, a partition, a user:
 * swagger-mapi.json, swagger-asset.json, swagger-user.json), and an activity's as int64 ("could exceed Int.MAX").
 * A seed's ids stay within those, leaving room for the ids the fake gives out after them (JavaScript numbers are
 * exact only below 2^53: past it, two creates would answer one id). A request's id is a JSON integer or decimal
 * digits: "0x1", "1e0", " 1" and true are not ids (they were read as 1).
 */
export const MAX_RECORD_ID = 2_147_483_647;
/** An activity's id in a seed: at most 2^52, half of what is exact, so the log can grow past it. */
export const MAX_ACTIVITY_ID = 2 ** 52;

/** An id given in a seed (kept, so a snapshot restores it): a positive int32. */
export const seedId = z
  .number()
  .int()
  .positive()
  .max(MAX_RECORD_ID, `ids are at most ${MAX_RECORD_ID} (Marketo's int32)`);

/** An activity's id given in a seed. */
export const seedActivityId = z.number().int().positive().max(MAX_ACTIVITY_ID, `activity ids are at most 2^52`);

const DECIMAL = /^-?[0-9]+$/;

/** An id in a request: a JSON integer, or decimal digits in a path, a query or a form. */
export const requestIdValue = z
  .union([z.number().int(), z.string().regex(DECIMAL).transform(Number)], {
    error: 'must be a whole number in decimal digits',
  })
  .pipe(z.number().refine(Number.isSafeInteger, 'is too large to be an id'));

/** A request's id given as text (an activity filter's values): the number, or undefined when it is not an id. */
export function decimalId(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : undefined;
}
