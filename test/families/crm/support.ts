import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { frozenClock } from '../../../src/clock.js';
import { testConfig } from '../../../src/config.js';
import { sequentialIds } from '../../../src/ids.js';
import type { SeedInput } from '../../../src/seed.js';
import { call, tokenFor } from '../../helpers.js';

/**
 * The CRM families' tests: one seeded instance per file, with a service per permission set the file names, and the
 * request shapes of marketorestpython (jepcastelein/marketo-rest-python at 3d8985a, marketorestpython/client.py and
 * helper/http_lib.py): every call with `Authorization: Bearer`; syncs and deletes POST a JSON body
 * (`application/json; charset=utf-8`) {input, action?, dedupeBy? | deleteBy?}; describes are GETs; get_companies,
 * get_opportunities, get_opportunity_roles and get_sales_persons POST `?_method=GET` (and `&nextPageToken=…` after
 * the first page) with the form body `filterValues=<comma-joined>&filterType=…[&fields=…][&batchSize=…]`
 * (`application/x-www-form-urlencoded; charset=utf-8`), looping while a nextPageToken comes back.
 */

export interface CrmApp {
  app: FastifyInstance;
  /** A token per service, by the service's name in the seed. */
  tokens: Record<string, string>;
}

/** A seeded instance with one API-only user and service per entry of `services` (name → permission keys). */
export async function crmApp(services: Record<string, string[]>, seed: SeedInput = {}): Promise<CrmApp> {
  const entries = Object.entries(services);
  const app = await buildApp({
    config: testConfig(),
    clock: frozenClock('2026-04-01T09:00:00Z'),
    ids: sequentialIds(),
    seed: {
      ...seed,
      roles: [...(seed.roles ?? []), ...entries.map(([name, permissions]) => ({ name, permissions }))],
      users: [
        ...(seed.users ?? []),
        ...entries.map(([name]) => ({ email: `${name}@example.com`, roles: [{ role: name, workspace: '*' }] })),
      ],
      services: [
        ...(seed.services ?? []),
        ...entries.map(([name], i) => ({
          name,
          user: `${name}@example.com`,
          clientId: `crm-client-${i}`,
          clientSecret: `crm-secret-${i}`.padEnd(32, 'x'),
        })),
      ],
    },
  });
  const tokens: Record<string, string> = {};
  for (const [i, [name]] of entries.entries()) {
    tokens[name] = await tokenFor(app, {
      clientId: `crm-client-${i}`,
      clientSecret: `crm-secret-${i}`.padEnd(32, 'x'),
    });
  }
  return { app, tokens };
}

export type Body = Record<string, unknown> & {
  success: boolean;
  result?: Record<string, unknown>[];
  errors?: { code: string; message: string }[];
  moreResult?: boolean;
  nextPageToken?: string;
};

/** A Marketo call with a JSON body (or none); asserts HTTP 200, as Marketo answers errors in the envelope. */
export async function marketo(
  { app }: CrmApp,
  token: string,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
): Promise<Body> {
  const response = await app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Body;
}

/** marketorestpython's get_<object>(filterType, filterValues, fields, batchSize): every page, as it loops. */
export async function pythonQuery(
  { app }: CrmApp,
  token: string,
  path: string,
  filterType: string,
  filterValues: string[],
  options: { fields?: string | string[]; batchSize?: number } = {},
): Promise<{ records: Record<string, unknown>[]; calls: number }> {
  const form = new URLSearchParams([
    ['filterValues', filterValues.join(',')],
    ['filterType', filterType],
  ]);
  for (const field of [options.fields ?? []].flat()) form.append('fields', field);
  if (options.batchSize !== undefined) form.append('batchSize', String(options.batchSize));
  const records: Record<string, unknown>[] = [];
  let nextPageToken: string | undefined;
  let calls = 0;
  for (;;) {
    const query = new URLSearchParams({ _method: 'GET', ...(nextPageToken ? { nextPageToken } : {}) });
    const response = await app.inject({
      method: 'POST',
      url: `${path}?${query}`,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      },
      payload: form.toString(),
    });
    calls++;
    const body = response.json() as Body;
    expect(body.success, response.body).toBe(true);
    records.push(...body.result!);
    if (body.result!.length === 0 || body.nextPageToken === undefined) break;
    nextPageToken = body.nextPageToken;
  }
  return { records, calls };
}

/** The snapshot's part of one family. */
export async function snapshotOf({ app }: CrmApp, key: string): Promise<unknown[]> {
  return (await call(app, 'GET', '/admin/snapshot')).json()[key];
}

export const DENIED = { success: false, errors: [{ code: '603', message: 'Access denied' }] };
