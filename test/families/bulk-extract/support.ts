import { createHash } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { type AdjustableClock, frozenClock } from '../../../src/clock.js';
import { type Config, testConfig } from '../../../src/config.js';
import { MIGRATIONS } from '../../../src/families.js';
import { type AnyFamily, migrationsOf } from '../../../src/family.js';
import type { SeedInput } from '../../../src/seed.js';
import { type Database, openDatabase } from '../../../src/storage/database.js';
import { call, tokenFor } from '../../helpers.js';

/**
 * A subscription for bulk extract tests: leads created through January 2026 (one in a partition the Default workspace
 * does not see, one in December), a static list, activities of several types, and four API users: ann and bob export
 * leads and activities, wes holds Read-Write Lead only, carl holds no lead or activity permission.
 */

/** The fake's clock at the start of every instance: after the leads' and activities' January. */
export const T0 = '2026-02-01T12:00:00Z';

export const JANUARY = { startAt: '2026-01-01T00:00:00Z', endAt: '2026-01-31T23:59:59Z' };

export type Who = 'ann' | 'bob' | 'wes' | 'carl';
const credentials = (who: Who) => ({ clientId: `${who}-client-id`, clientSecret: `${who}-client-secret` });

export const SEED = {
  partitions: [{ name: 'Hidden' }],
  workspaces: [{ name: 'Elsewhere', partitions: ['Hidden'] }],
  roles: [
    { name: 'Extractor', permissions: ['read-only-lead', 'read-only-activity'] },
    { name: 'Lead Writer', permissions: ['read-write-lead'] },
    { name: 'Company Reader', permissions: ['read-only-company', 'read-write-company'] },
  ],
  users: [
    { email: 'ann@example.com', roles: [{ role: 'Extractor', workspace: 'Default' }] },
    { email: 'bob@example.com', roles: [{ role: 'Extractor', workspace: 'Default' }] },
    { email: 'wes@example.com', roles: [{ role: 'Lead Writer', workspace: 'Default' }] },
    { email: 'carl@example.com', roles: [{ role: 'Company Reader', workspace: '*' }] },
  ],
  services: (['ann', 'bob', 'wes', 'carl'] as const).map((who) => ({
    name: who,
    user: `${who}@example.com`,
    ...credentials(who),
  })),
  leadFields: [
    { name: 'vip', displayName: 'VIP', dataType: 'boolean' },
    { name: 'seats', displayName: 'Seats', dataType: 'integer' },
  ],
  leads: [
    {
      id: 1,
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace, Countess',
      vip: true,
      seats: 3,
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-20T10:00:00Z',
    },
    {
      id: 2,
      email: 'grace@example.com',
      firstName: 'Grace "Amazing"',
      lastName: 'Hopper',
      vip: false,
      createdAt: '2026-01-10T00:00:00Z',
      updatedAt: '2026-01-10T00:00:00Z',
    },
    {
      id: 3,
      email: 'hedy@example.com',
      firstName: 'Hedy',
      lastName: 'Lamarr\nKiesler',
      createdAt: '2026-01-31T23:59:59Z',
      updatedAt: '2026-01-31T23:59:59Z',
    },
    {
      id: 4,
      email: 'hidden@example.com',
      firstName: 'Hidden',
      partition: 'Hidden',
      createdAt: '2026-01-15T00:00:00Z',
      updatedAt: '2026-01-15T00:00:00Z',
    },
    {
      id: 5,
      email: 'old@example.com',
      firstName: 'Old',
      createdAt: '2025-12-20T00:00:00Z',
      updatedAt: '2026-01-25T00:00:00Z',
    },
  ],
  lists: [{ name: 'Newsletter', workspace: 'Default', leads: [1, 4, 5] }],
  smartLists: [
    {
      id: 900,
      name: 'Newsletter or Grace',
      folder: '/Marketing Activities/Default',
      rules: {
        filterMatchType: 'any',
        filters: [
          { name: 'Member of List', operator: 'in', values: ['Newsletter'] },
          { name: 'Id', operator: 'is', values: ['2'] },
        ],
      },
    },
    {
      id: 901,
      name: 'Visitors',
      folder: '/Marketing Activities/Default',
      rules: { filters: [{ name: 'Visited Web Page', operator: 'occurs', values: ['Landing Page'] }] },
    },
  ],
  activities: [
    {
      id: 101,
      leadId: 1,
      activityDate: '2026-01-01T00:00:00Z',
      activityTypeId: 12,
      primaryAttributeValueId: 1,
      primaryAttributeValue: 'ada@example.com',
      attributes: [{ name: 'Source Type', value: 'Web service API' }],
    },
    {
      id: 102,
      leadId: 1,
      activityDate: '2026-01-06T09:00:00Z',
      activityTypeId: 1,
      primaryAttributeValueId: 7,
      primaryAttributeValue: 'pricing.html',
      attributes: [
        { name: 'Webpage URL', value: '/pricing.html' },
        { name: 'Query Parameters', value: null },
      ],
    },
    {
      id: 103,
      leadId: 2,
      activityDate: '2026-01-07T09:00:00Z',
      activityTypeId: 2,
      campaignId: 5,
      primaryAttributeValueId: 11,
      primaryAttributeValue: 'Signup Form',
      attributes: [
        { name: 'Client IP Address', value: '10.0.0.1' },
        { name: 'Form Fields', value: 'a,"b"' },
        { name: 'Is Mobile', value: false },
      ],
    },
    {
      id: 104,
      leadId: 2,
      activityDate: '2026-01-08T09:00:00Z',
      activityTypeId: 2,
      primaryAttributeValueId: 12,
      primaryAttributeValue: 'Other Form',
    },
    {
      id: 105,
      leadId: 4,
      partition: 'Hidden',
      activityDate: '2026-01-09T09:00:00Z',
      activityTypeId: 1,
      primaryAttributeValueId: 7,
      primaryAttributeValue: 'pricing.html',
    },
    { id: 106, leadId: 9, activityDate: '2026-01-10T00:00:00Z', activityTypeId: 37, primaryAttributeValueId: 9 },
    { id: 107, leadId: 1, activityDate: '2025-12-01T00:00:00Z', activityTypeId: 1, primaryAttributeValueId: 7 },
  ],
} satisfies SeedInput;

/** An entity's path under /bulk/v1: leads, activities, program members, a custom object type's. */
export type Entity = 'leads' | 'activities' | 'program/members' | `customobjects/${string}`;

export interface Answer {
  requestId: string;
  success: boolean;
  result?: Record<string, unknown>[];
  errors?: { code: string; message: string }[];
  nextPageToken?: string;
}

/** An instance seeded with SEED (or `seed`), its clock frozen at T0, on its own in-memory database (or `db`). */
export async function bulkInstance(
  options: {
    config?: Partial<Config>;
    seed?: Record<string, unknown>;
    db?: Database;
    clock?: AdjustableClock;
    /** The families served (default: the registry). */
    families?: readonly AnyFamily[];
  } = {},
) {
  const db = options.db ?? openDatabase(':memory:', options.families ? migrationsOf(options.families) : MIGRATIONS);
  const clock = options.clock ?? frozenClock(T0);
  const app: FastifyInstance = await buildApp({
    config: testConfig(options.config ?? {}),
    db,
    clock,
    seed: options.seed ?? SEED,
    ...(options.families ? { families: options.families } : {}),
  });
  app.addHook('onClose', async () => db.close());
  await app.ready();

  /** A call as `who` (a token per call: tests move the clock by days). */
  const api = async (
    who: Who,
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> => {
    const authorization = `Bearer ${await tokenFor(app, credentials(who))}`;
    return call(app, method, url, payload, { authorization, ...headers });
  };
  /** A Marketo call's envelope; HTTP 200 whatever it says. */
  const answer = async (who: Who, method: 'GET' | 'POST', url: string, payload?: unknown): Promise<Answer> => {
    const response = await api(who, method, url, payload);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Answer;
  };
  const ok = async (who: Who, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const body = await answer(who, method, url, payload);
    expect(body, JSON.stringify(body)).toMatchObject({ success: true });
    return body.result![0]!;
  };
  const create = async (entity: Entity, body: unknown, who: Who = 'ann') =>
    (await ok(who, 'POST', `/bulk/v1/${entity}/export/create.json`, body)).exportId as string;
  const enqueue = (entity: Entity, id: string, who: Who = 'ann') =>
    ok(who, 'POST', `/bulk/v1/${entity}/export/${id}/enqueue.json`);
  const status = (entity: Entity, id: string, who: Who = 'ann') =>
    ok(who, 'GET', `/bulk/v1/${entity}/export/${id}/status.json`);
  const file = (entity: Entity, id: string, headers: Record<string, string> = {}, who: Who = 'ann') =>
    api(who, 'GET', `/bulk/v1/${entity}/export/${id}/file.json`, undefined, headers);
  /** Created and enqueued; with the default durations the next call finds it Completed. */
  const run = async (entity: Entity, body: unknown, who: Who = 'ann') => {
    const id = await create(entity, body, who);
    await enqueue(entity, id, who);
    return id;
  };
  /** The file of a completed export, as text. */
  const fileText = async (entity: Entity, id: string, who: Who = 'ann') => {
    const response = await file(entity, id, {}, who);
    expect(response.statusCode, response.body).toBe(200);
    return response.body;
  };
  const advance = async (seconds: number) => {
    const response = await call(app, 'POST', '/admin/clock', { advanceSeconds: seconds });
    expect(response.statusCode).toBe(200);
  };
  const jobRows = () =>
    db.prepare('SELECT id, state, due_at, owner_user_id, error FROM jobs ORDER BY id').all() as {
      id: number;
      state: string;
      due_at: number | null;
      owner_user_id: number | null;
      error: string | null;
    }[];
  const chunkRows = () =>
    db.prepare('SELECT job_id, seq, start_byte, length(data) AS bytes FROM bulk_export_chunks ORDER BY 1, 2').all();
  const exportRows = () => db.prepare('SELECT * FROM bulk_exports ORDER BY job_id').all();
  const userId = (who: Who) =>
    (db.prepare('SELECT id FROM users WHERE email = ?').get(`${who}@example.com`) as { id: number }).id;
  /** SQL on the instance's database, for a test that changes rows behind the API's back. */
  const sql = (query: string, ...params: unknown[]): number => db.prepare(query).run(...params).changes;
  return {
    app,
    sql,
    clock,
    api,
    answer,
    create,
    enqueue,
    status,
    file,
    run,
    fileText,
    advance,
    jobRows,
    chunkRows,
    exportRows,
    userId,
  };
}

export type BulkInstance = Awaited<ReturnType<typeof bulkInstance>>;

export const sha256 = (text: string | Buffer) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** A Marketo failure envelope with this code (and message, when given). */
export function failure(code: string, message?: string) {
  return {
    requestId: expect.any(String),
    success: false,
    errors: [message === undefined ? { code, message: expect.any(String) } : { code, message }],
  };
}

/** The status of a job completed at T0 (the default durations), whose file is `file`. */
export function completedAtT0(exportId: string, file: string, records: number) {
  return {
    exportId,
    format: 'CSV',
    status: 'Completed',
    createdAt: T0,
    queuedAt: T0,
    startedAt: T0,
    finishedAt: T0,
    numberOfRecords: records,
    fileSize: Buffer.byteLength(file),
    fileChecksum: sha256(file),
  };
}

/**
 * A job described whole, as a hand-written seed gives one under `bulkExtract:` (`job: {state, owner, payload}`): by
 * default a CSV lead export of id and email created in January, ann's; `payload` adds to it or replaces parts.
 */
export function describedJob(state: string, payload: Record<string, unknown> = {}, owner = 'ann@example.com') {
  return {
    state,
    owner,
    payload: {
      definition: {
        entity: 'leads',
        filter: { createdAt: { startAt: '2026-01-01T00:00:00.000Z', endAt: '2026-01-31T23:59:59.000Z' } },
      },
      format: 'CSV',
      columns: ['id', 'email'],
      headers: ['id', 'email'],
      partitionIds: null,
      ...payload,
    },
  };
}
