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
