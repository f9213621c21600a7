import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../src/app.js';
import { type AdjustableClock, frozenClock } from '../src/clock.js';
import { type Config, testConfig } from '../src/config.js';
import type { SeedInput } from '../src/seed.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestInstance {
  app: FastifyInstance;
  clock: AdjustableClock;
}

/** A fresh in-memory instance with a frozen clock. */
export async function newInstance(config: Partial<Config> = {}): Promise<TestInstance> {
  const clock = frozenClock();
  const app = await buildApp({ config: testConfig(config), clock });
  return { app, clock };
}

/** A fresh in-memory instance whose log lines (JSON) are kept in `lines`, at `level` (info by default). */
export async function newLoggedInstance(
  level: Config['LOG_LEVEL'] = 'info',
): Promise<TestInstance & { lines: string[] }> {
  const lines: string[] = [];
  const clock = frozenClock();
  const app = await buildApp({
    config: testConfig({ LOG_LEVEL: level }),
    clock,
    logStream: { write: (line) => lines.push(line) },
  });
  return { app, clock, lines };
}

/** What answers an injected request: an app, or a started fake (whose inject addresses its own subscription). */
export interface Injects {
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

export async function call(
  app: Injects,
  method: InjectOptions['method'],
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
  });
}

export interface Provisioned {
  roleId: number;
  userId: number;
  serviceId: number;
  email: string;
  clientId: string;
  clientSecret: string;
}

let counter = 0;

/**
 * Sets up what a Marketo admin would: a role with `permissions`, an API-only user holding it in each of
 * `workspaceIds`, and a custom service owned by the user. Goes through the admin plane like a user would.
 */
export async function provisionService(
  app: FastifyInstance,
  options: { permissions: string[]; workspaceIds?: number[]; adminToken?: string },
): Promise<Provisioned> {
  const n = ++counter;
  const headers: Record<string, string> = options.adminToken ? { authorization: `Bearer ${options.adminToken}` } : {};
  const expectCreated = (response: LightMyRequestResponse) => {
    if (response.statusCode !== 201) throw new Error(`provisioning failed: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const role = expectCreated(
    await call(app, 'POST', '/admin/roles', { name: `Role ${n}`, permissionSets: options.permissions }, headers),
  );
  const email = `api-user-${n}@example.com`;
  const user = expectCreated(
    await call(
      app,
      'POST',
      '/admin/users',
      {
        email,
        firstName: 'Api',
        lastName: `User ${n}`,
        apiOnly: true,
        roles: (options.workspaceIds ?? [1]).map((workspaceId) => ({ roleId: role.id, workspaceId })),
      },
      headers,
    ),
  );
  const service = expectCreated(
    await call(app, 'POST', '/admin/services', { name: `Service ${n}`, apiOnlyUserId: user.id }, headers),
  );
  return {
    roleId: role.id,
    userId: user.id,
    serviceId: service.id,
    email,
    clientId: service.clientId,
    clientSecret: service.clientSecret,
  };
}

export function tokenUrl(service: { clientId: string; clientSecret: string }): string {
  const params = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: service.clientId,
    client_secret: service.clientSecret,
  });
  return `/identity/oauth/token?${params}`;
}

/** An access token for the service, from the identity endpoint. */
export async function accessToken(app: FastifyInstance, service: Provisioned): Promise<string> {
  const response = await call(app, 'GET', tokenUrl(service));
  if (response.statusCode !== 200) throw new Error(`token failed: ${response.statusCode} ${response.body}`);
  return response.json().access_token;
}

/** RFC 9457 problem details, as the admin plane answers errors. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

/**
 * Asserts an admin-plane error: the status, `application/problem+json`, and `{type, title, status, detail}`.
 * Returns the body for further checks.
 */
export function expectProblem(response: LightMyRequestResponse, status: number): ProblemBody {
  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json() as ProblemBody;
  expect(body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
  return body;
}

/** The paths named in a problem's `errors`. */
export function failingPaths(problem: ProblemBody): string[] {
  return (problem.errors ?? []).map((error) => error.path);
}

/** Everything the admin plane lists, to check that a refused request changed nothing. */
export async function adminState(
  app: FastifyInstance,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const [key, url] of [
    ['workspaces', '/admin/workspaces'],
    ['partitions', '/admin/partitions'],
    ['roles', '/admin/roles?limit=1000'],
    ['users', '/admin/users'],
    ['services', '/admin/services'],
  ] as const) {
    const response = await call(app, 'GET', url, undefined, headers);
    if (response.statusCode !== 200) throw new Error(`GET ${url} failed: ${response.statusCode} ${response.body}`);
    state[key] = response.json();
  }
  return state;
}

/** A fresh in-memory instance started from `seed`, with a frozen clock (at `clockAt`, default 2026-01-15T12:00Z). */
export async function newSeededInstance(
  seed: SeedInput,
  config: Partial<Config> = {},
  clockAt?: string,
): Promise<TestInstance> {
  const clock = frozenClock(clockAt);
  const app = await buildApp({ config: testConfig(config), clock, seed });
  return { app, clock };
}

/** An access token for any client id and secret (e.g. a seeded service's fixed credentials). */
export async function tokenFor(app: Injects, credentials: { clientId: string; clientSecret: string }): Promise<string> {
  const response = await call(app, 'GET', tokenUrl(credentials));
  if (response.statusCode !== 200) throw new Error(`token failed: ${response.statusCode} ${response.body}`);
  return response.json().access_token;
}

/** The request journal (GET /admin/requests), newest first. */
export async function journalEntries(app: FastifyInstance, query = ''): Promise<Record<string, unknown>[]> {
  const response = await call(app, 'GET', `/admin/requests${query ? `?${query}` : ''}`);
  if (response.statusCode !== 200) throw new Error(`journal failed: ${response.statusCode} ${response.body}`);
  return response.json().items;
}

/** A temporary directory; call `remove` when done. */
export function makeTempDir(prefix = 'fake-marketo-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The fixed credentials of the services in `sampleSeed()`. */
export const SAMPLE_CREDENTIALS = {
  reader: { clientId: 'reader-client-id', clientSecret: 'reader-client-secret' },
  writer: { clientId: 'writer-client-id', clientSecret: 'writer-client-secret' },
} as const;

/**
 * A small whole subscription in seed form: partitions EMEA and APAC beside Default; workspaces Europe (EMEA) and
 * Asia (APAC) beside Default; a "Lead Reader" (read-only-lead) granted in Europe and a "Lead Writer"
 * (read-write-lead) granted in all workspaces ("*"); a standard user; two services with fixed credentials; custom
 * fields `tier` (string) and `seats` (integer); leads ann (Default), eve (EMEA) and ken (APAC).
 */
export function sampleSeed(): SeedInput {
  return {
    partitions: [{ name: 'EMEA', description: 'European leads' }, { name: 'APAC' }],
    workspaces: [
      { name: 'Europe', description: 'EU marketing', partitions: ['EMEA'] },
      { name: 'Asia', partitions: ['APAC'] },
    ],
    roles: [
      { name: 'Lead Reader', description: 'Reads leads', permissions: ['read-only-lead'] },
      { name: 'Lead Writer', permissions: ['read-write-lead', 'read-only-activity'] },
    ],
    users: [
      {
        email: 'reader@example.com',
        firstName: 'Rita',
        lastName: 'Reader',
        roles: [{ role: 'Lead Reader', workspace: 'Europe' }],
      },
      { email: 'writer@example.com', firstName: 'Will', roles: [{ role: 'Lead Writer', workspace: '*' }] },
      { email: 'marketer@example.com', apiOnly: false, roles: [{ role: 'Lead Reader', workspace: 'Default' }] },
    ],
    services: [
      { name: 'Reader Service', user: 'reader@example.com', ...SAMPLE_CREDENTIALS.reader },
      { name: 'Writer Service', description: 'CI pipeline', user: 'writer@example.com', ...SAMPLE_CREDENTIALS.writer },
    ],
    leadFields: [
      { name: 'tier', displayName: 'Tier', dataType: 'string', length: 20 },
      { name: 'seats', displayName: 'Seats', dataType: 'integer' },
    ],
    leads: [
      { email: 'ann@example.com', firstName: 'Ann', tier: 'Gold', seats: 5 },
      { email: 'eve@example.com', firstName: 'Eve', partition: 'EMEA', tier: 'Silver' },
      { email: 'ken@example.com', firstName: 'Ken', partition: 'APAC', seats: 2 },
    ],
  };
}

/** The named keys of a document (the ones a test owns), to compare whole without the keys other families add. */
export function pick<T extends object>(document: T, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, (document as Record<string, unknown>)[key]]));
}
