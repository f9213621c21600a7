import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../src/app.js';
import { type AdjustableClock, frozenClock } from '../src/clock.js';
import { type Config, testConfig } from '../src/config.js';

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

export async function call(
  app: FastifyInstance,
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
