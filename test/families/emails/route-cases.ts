import type { CREDENTIALS } from './fixture.js';

/**
 * The route cases of the asset families' route tests (emails, landing pages, forms): each route, the caller without
 * its permission, a bad input and its code, a whole input so that the missing asset is the only problem.
 */

export type Who = keyof typeof CREDENTIALS;
export interface RouteCase {
  method: 'GET' | 'POST';
  /** With the id of an existing asset in `{id}`. */
  path: string;
  /** Who lacks its permission: a read without any asset permission, a write with Read-Only, an approval without Approve. */
  denied: Who;
  /** A bad input: the query or form, and the code it answers. */
  bad: { query?: string; form?: Record<string, string>; code: string };
  /** A whole input, so that the missing asset is the only problem. */
  valid?: Record<string, string>;
  write: boolean;
}

export const read = (path: string, bad: RouteCase['bad'] = { query: 'status=bogus', code: '1003' }): RouteCase => ({
  method: 'GET',
  path,
  denied: 'leadOnly',
  bad,
  write: false,
});
export const write = (path: string, bad: RouteCase['bad'], valid?: Record<string, string>): RouteCase => ({
  method: 'POST',
  path,
  denied: 'reader',
  bad,
  ...(valid ? { valid } : {}),
  write: true,
});
export const approve = (path: string): RouteCase => ({
  method: 'POST',
  path,
  denied: 'writer',
  bad: { code: '1003' },
  write: true,
});

/**
 * A route of the v2 Asset API (`/rest/asset/v2/…`): JSON bodies and the `x-app-type` header. `bad` is a bad input (a
 * query, a body, or an id in the path) and its code; `valid` a whole body, so that the missing asset is the only
 * problem; `missing` what naming a missing asset answers (a read finds nothing; a write is 702, a create into a
 * missing folder 710).
 */
export interface JsonRouteCase {
  method: 'GET' | 'POST';
  /** With the id of an existing asset in `{id}` (and `{missing}` for a body naming one). */
  path: string;
  denied: Who;
  bad: { query?: string; json?: unknown; id?: string; code: string };
  /** The body naming the asset to find: `{id}` in it is replaced by the id tried. */
  valid?: unknown;
  missing: 'nothing' | '702' | '710';
  write: boolean;
}

export const jsonRead = (
  path: string,
  bad: JsonRouteCase['bad'],
  valid?: unknown,
  method: 'GET' | 'POST' = 'GET',
): JsonRouteCase => ({
  method,
  path,
  denied: 'leadOnly',
  bad,
  ...(valid ? { valid } : {}),
  missing: 'nothing',
  write: false,
});
export const jsonWrite = (
  path: string,
  bad: JsonRouteCase['bad'],
  valid?: unknown,
  missing: '702' | '710' = '702',
): JsonRouteCase => ({
  method: 'POST',
  path,
  denied: 'reader',
  bad,
  ...(valid ? { valid } : {}),
  missing,
  write: true,
});
