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

/**
 * The User Management API's datetime, `yyyyMMdd'T'HH:mm:ss.SSS't'+hhmm` (user-management.md), in UTC:
 * `20200205T01:02:23.000t+0000`.
 */
export function formatUserManagementDatetime(epochMs: number): string {
  const date = new Date(epochMs);
  const iso = date.toISOString();
  // Years past 9999 carry a sign and more digits in ISO form: keep what toISOString gives for the date part.
  const day = iso.slice(0, iso.indexOf('T')).replaceAll('-', '');
  return `${day}T${iso.slice(iso.indexOf('T') + 1, -1)}t+0000`;
}

const USER_MANAGEMENT_INPUT =
  /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:(Z)|t?([+-])(\d{2}):?(\d{2}))$/;

/**
 * A datetime the User Management API is sent (`expiresAt`), in epoch ms; undefined when it is not one. Adobe asks for
 * ISO 8601 with an offset (`2020-12-31T23:59:59-05:00`) and shows its own format in an example
 * (`20211231T08:00:00.000t+0000`): both are read.
 */
export function parseUserManagementDatetime(text: string): number | undefined {
  const match = USER_MANAGEMENT_INPUT.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHours, offsetMinutes] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = fields;
  const local = Date.UTC(y, mo - 1, d, h, mi, s, fraction === undefined ? 0 : Number(fraction.padEnd(3, '0')));
  const check = new Date(local);
  // 20210231 or 25:00 roll over into another date: not a datetime.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  if (h > 23 || mi > 59 || s > 59) return undefined;
  if (zulu) return local;
  const offset = (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
  return sign === '+' ? local - offset : local + offset;
}
