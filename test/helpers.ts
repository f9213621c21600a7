import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
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
