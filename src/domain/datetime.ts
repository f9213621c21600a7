/** Marketo's two datetime formats: the lead database's ISO 8601 without milliseconds, and the Asset API's. */

/** The lead database's datetime: ISO 8601 without milliseconds, e.g. 2021-11-23T22:57:08Z. */
export function formatDatetime(epochMs: number): string {
  const date = new Date(epochMs);
  const year = date.getUTCFullYear();
  // Years past 9999 carry a sign and more digits; only the milliseconds go.
  if (year < 1000 || year > 9999) return `${date.toISOString().slice(0, -5)}Z`;
  // Put together by hand: toISOString formats through a slow general-purpose path, and every lead read has two dates.
  return `${year}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())}Z`;
}

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** Asset datetimes carry a literal `Z+0000`: `2020-08-14T20:43:13Z+0000` (marketo-reference.md §2.2). */
export function formatAssetDatetime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z+0000`;
}
