import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { type AdjustableClock, frozenClock } from '../../../src/clock.js';
import { type Config, testConfig } from '../../../src/config.js';
import { FAMILIES } from '../../../src/families.js';
import type { AnyFamily } from '../../../src/family.js';
import type { PortName } from '../../../src/ports.js';
import type { SeedInput } from '../../../src/seed.js';
import type { Database } from '../../../src/storage/database.js';
import { call, tokenFor } from '../../helpers.js';

/** Bulk import tests: a subscription to import into, multipart bodies built as clients build them, the clock. */

export const T0 = '2026-03-02T10:00:00.000Z';
export const T0_MS = Date.parse(T0);

export const CREDENTIALS = {
  importer: { clientId: 'importer-client', clientSecret: 'importer-secret' },
  other: { clientId: 'other-client', clientSecret: 'other-secret' },
  local: { clientId: 'local-client', clientSecret: 'local-secret' },
  reader: { clientId: 'reader-client', clientSecret: 'reader-secret' },
  objects: { clientId: 'objects-client', clientSecret: 'objects-secret' },
} as const;
export type Who = keyof typeof CREDENTIALS;

export const LIST = { audience: 1001, euro: 1002 } as const;
export const LEAD = { ann: 11, eve: 12, twinA: 13, twinB: 14 } as const;

/**
 * Partitions Default and EMEA (workspace Europe); `importer` and `other` hold Read-Write Lead and Read-Only Activity
 * in every workspace, `local` only in Default, `reader` only Read-Only Lead, `objects` only Read-Write Custom Object;
 * custom fields seats (integer) and tier;
 * leads ann (Default), eve (EMEA) and two leads with one email; lists Audience (Default) and Euro (Europe).
 */
export function importSeed(): SeedInput {
  const service = (name: Who, user: string) => ({ name, user, ...CREDENTIALS[name] });
  return {
    partitions: [{ name: 'EMEA' }],
    workspaces: [{ name: 'Europe', partitions: ['EMEA'] }],
    roles: [
      { name: 'Importer', permissions: ['read-write-lead', 'read-only-activity'] },
      { name: 'Reader', permissions: ['read-only-lead'] },
      { name: 'Object importer', permissions: ['read-write-custom-object'] },
    ],
    users: [
      { email: 'importer@example.com', roles: [{ role: 'Importer', workspace: '*' }] },
      { email: 'other@example.com', roles: [{ role: 'Importer', workspace: '*' }] },
      { email: 'local@example.com', roles: [{ role: 'Importer', workspace: 'Default' }] },
      { email: 'reader@example.com', roles: [{ role: 'Reader', workspace: '*' }] },
      { email: 'objects@example.com', roles: [{ role: 'Object importer', workspace: '*' }] },
    ],
    services: [
      service('importer', 'importer@example.com'),
      service('other', 'other@example.com'),
      service('local', 'local@example.com'),
      service('reader', 'reader@example.com'),
      service('objects', 'objects@example.com'),
    ],
    leadFields: [
      { name: 'seats', displayName: 'Seats', dataType: 'integer' },
      { name: 'tier', displayName: 'Tier', dataType: 'string' },
    ],
    leads: [
      { id: LEAD.ann, email: 'ann@example.com', firstName: 'Ann', seats: 5, tier: 'Gold' },
      { id: LEAD.eve, email: 'eve@example.com', firstName: 'Eve', partition: 'EMEA' },
      { id: LEAD.twinA, email: 'twin@example.com' },
      { id: LEAD.twinB, email: 'twin@example.com' },
    ],
    lists: [
      { id: LIST.audience, name: 'Audience', workspace: 'Default' },
      { id: LIST.euro, name: 'Euro', workspace: 'Europe' },
    ],
  };
}

export interface Importing {
  app: FastifyInstance;
  clock: AdjustableClock;
  /** The Authorization header of a service (a token per call: a test may move the clock past a token's hour). */
  auth(who?: Who): Promise<Record<string, string>>;
  /** A Marketo call as `who`; HTTP 200 asserted unless `status` says otherwise. */
  marketo(method: 'GET' | 'POST', url: string, options?: MarketoCall): Promise<LightMyRequestResponse>;
  /** POST /bulk/v1/leads.json with a CSV (or any) file in a plain multipart body; the batch id when Queued. */
  submit(file: string | Buffer, query?: string, who?: Who): Promise<number>;
  status(batchId: number, who?: Who): Promise<Record<string, unknown>>;
  /** Runs the import to its end: the clock past its queue time and its start, then every step. */
  finish(): Promise<void>;
  lead(email: string, fields?: string): Promise<Record<string, unknown>[]>;
}

export interface MarketoCall {
  who?: Who;
  headers?: Record<string, string>;
  payload?: string | Buffer;
  status?: number;
}

export async function importing(
  options: {
    config?: Partial<Config>;
    db?: Database;
    seed?: SeedInput;
    clock?: AdjustableClock;
    families?: readonly AnyFamily[];
  } = {},
): Promise<Importing> {
  const clock = options.clock ?? frozenClock(T0);
  const app = await buildApp({
    config: testConfig(options.config),
    clock,
    seed: options.seed ?? importSeed(),
    ...(options.db ? { db: options.db } : {}),
    ...(options.families ? { families: options.families } : {}),
  });
  // A database handed in is the test's: it goes with the instance.
  const db = options.db;
  if (db) app.addHook('onClose', async () => db.close());
  const auth = async (who: Who = 'importer') => ({ authorization: `Bearer ${await tokenFor(app, CREDENTIALS[who])}` });
  const marketo = async (method: 'GET' | 'POST', url: string, call: MarketoCall = {}) => {
    const response = await app.inject({
      method,
      url,
      headers: { ...(await auth(call.who)), ...call.headers },
      ...(call.payload !== undefined ? { payload: call.payload } : {}),
    });
    expect(response.statusCode, response.body).toBe(call.status ?? 200);
    return response;
  };
  const submit = async (file: string | Buffer, query = 'format=csv', who: Who = 'importer') => {
    const form = multipartForm([{ name: 'file', filename: 'leads.csv', contentType: 'text/csv', data: file }]);
    const response = await marketo('POST', `/bulk/v1/leads.json?${query}`, { who, ...form });
    expect(response.json(), response.body).toMatchObject({ success: true, result: [{ status: 'Queued' }] });
    return response.json().result[0].batchId as number;
  };
  const status = async (batchId: number, who: Who = 'importer') => {
    const body = (await marketo('GET', `/bulk/v1/leads/batch/${batchId}.json`, { who })).json();
    return body.success ? body.result[0] : body.errors[0];
  };
  const finish = async () => {
    clock.advance(2);
    await app.ctx.jobs.drain();
  };
  const lead = async (email: string, fields = 'id,email,firstName,seats,tier,leadPartitionId') => {
    const url = `/rest/v1/leads.json?filterType=email&filterValues=${encodeURIComponent(email)}&fields=${fields}`;
    return (await marketo('GET', url)).json().result;
  };
  return { app, clock, auth, marketo, submit, status, finish, lead };
}

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: string | Buffer;
}

/** A multipart/form-data body and its Content-Type, parts as given, CRLF framing. */
export function multipartForm(parts: readonly FormPart[], boundary = 'fake-marketo-test-boundary') {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
    const type = part.contentType !== undefined ? `\r\nContent-Type: ${part.contentType}` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.concat(chunks) };
}

/** The activities of these types since T0, as a user reads them (Read-Only Activity). */
export async function activitiesSince(env: Importing, typeIds: string): Promise<Record<string, unknown>[]> {
  const since = new Date(T0_MS - 3600_000).toISOString();
  const token = (await env.marketo('GET', `/rest/v1/activities/pagingtoken.json?sinceDatetime=${since}`)).json()
    .nextPageToken as string;
  const found: Record<string, unknown>[] = [];
  for (let next: string | undefined = token; next !== undefined;) {
    const page: { result?: Record<string, unknown>[]; moreResult?: boolean; nextPageToken?: string } = (
      await env.marketo('GET', `/rest/v1/activities.json?activityTypeIds=${typeIds}&nextPageToken=${next}`)
    ).json();
    found.push(...(page.result ?? []));
    next = page.moreResult ? page.nextPageToken : undefined;
  }
  return found;
}

/** A Marketo call's error, when it failed. */
export const failure = (response: LightMyRequestResponse) => {
  const body = response.json();
  expect(body, response.body).toMatchObject({ success: false });
  return body.errors[0] as { code: string; message: string };
};

export { call };

/** The registry's families, none of them providing these ports: a build without what they offer. */
export function familiesWithout(ports: readonly PortName[]): readonly AnyFamily[] {
  return FAMILIES.map((family: AnyFamily): AnyFamily => {
    const provides = family.provides;
    if (!provides) return family;
    return {
      ...family,
      provides: (repo, infra) =>
        Object.fromEntries(Object.entries(provides(repo, infra)).filter(([name]) => !ports.includes(name as PortName))),
    };
  });
}
