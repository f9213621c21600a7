import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { LeastPrivilegeError, startFakeMarketo } from '../../../src/index.js';
import type { SeedInput } from '../../../src/seed.js';
import { call, expectProblem, failingPaths, newSeededInstance, type TestInstance, tokenFor } from '../../helpers.js';

/**
 * The least-privilege report (issue 31): GET /admin/users/{id}/least-privilege, GET /admin/services/{id}/least-privilege
 * (JSON, or ?format=seed YAML), GET and DELETE /admin/least-privilege, and LEAST_PRIVILEGE_CHECK=fail.
 */

const CI = { clientId: 'ci-client-id', clientSecret: 'ci-client-secret' };
const NIGHTLY = { clientId: 'nightly-client-id', clientSecret: 'nightly-client-secret' };

/** sync@example.com holds Read-Write Lead and Read-Only Assets in Americas; two services act for it. */
function seed(): SeedInput {
  return {
    partitions: [{ name: 'Americas Leads' }],
    workspaces: [{ name: 'Americas', partitions: ['Americas Leads'] }],
    roles: [{ name: 'Lead Writer', permissions: ['read-write-lead', 'read-only-assets'] }],
    users: [
      { email: 'sync@example.com', firstName: 'Sync', roles: [{ role: 'Lead Writer', workspace: 'Americas' }] },
      { email: 'person@example.com', apiOnly: false },
    ],
    services: [
      { name: 'CI', user: 'sync@example.com', ...CI },
      { name: 'Nightly', user: 'sync@example.com', ...NIGHTLY },
    ],
    leads: [{ email: 'ann@example.com', partition: 'Americas Leads' }],
  };
}

const READ_LEADS = '/rest/v1/leads.json?filterType=email&filterValues=ann@example.com';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function ids(app: FastifyInstance) {
  const users = (await call(app, 'GET', '/admin/users')).json().items as { id: number; email: string }[];
  const services = (await call(app, 'GET', '/admin/services')).json().items as { id: number; name: string }[];
  const user = (email: string) => users.find((u) => u.email === email)!.id;
  const service = (name: string) => services.find((s) => s.name === name)!.id;
  return {
    sync: user('sync@example.com'),
    person: user('person@example.com'),
    ci: service('CI'),
    nightly: service('Nightly'),
  };
}

/** The calls of a small suite: CI reads leads, and tries a folder (denied); Nightly reads leads once. */
async function runSuite(app: FastifyInstance): Promise<void> {
  const ci = bearer(await tokenFor(app, CI));
  for (let i = 0; i < 3; i++) expect((await call(app, 'GET', READ_LEADS, undefined, ci)).json().success).toBe(true);
  const denied = await call(app, 'POST', '/rest/asset/v1/folders.json', 'name=X&parent={"id":1,"type":"Folder"}', {
    ...ci,
    'content-type': 'application/x-www-form-urlencoded',
  });
  expect(denied.json().errors).toEqual([{ code: '603', message: 'Access denied' }]);
  const nightly = bearer(await tokenFor(app, NIGHTLY));
  expect((await call(app, 'GET', READ_LEADS, undefined, nightly)).json().success).toBe(true);
}

describe('GET /admin/users/{id}/least-privilege', () => {
  let instance: TestInstance;
  let app: FastifyInstance;

  beforeAll(async () => {
    instance = await newSeededInstance(seed());
    app = instance.app;
    // A suite that resets before each test: the report sees both halves.
    await runSuite(app);
    expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
    instance.clock.advance(60);
    await runSuite(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers what the calls needed per workspace: Read-Only Lead where only reads happened; the rest unused', async () => {
    const { sync } = await ids(app);
    const response = await call(app, 'GET', `/admin/users/${sync}/least-privilege`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      observedCalls: 10,
      deniedCalls: 2,
      workspaces: [
        {
          workspaceId: 2,
          workspaceName: 'Americas',
          held: ['read-only-assets', 'read-write-lead'],
          needed: ['read-only-lead'],
          unused: ['read-only-assets', 'read-write-lead'],
          denied: [
            {
              operation: 'POST /rest/asset/v1/folders.json',
              service: 'CI',
              missing: ['read-write-assets'],
              calls: 2,
              firstSeen: '2026-01-15T12:00:00.000Z',
              lastSeen: '2026-01-15T12:01:00.000Z',
            },
          ],
          operations: [
            {
              operation: 'GET /rest/v1/leads.json',
              service: 'CI',
              calls: 6,
              // Read-Write Lead implies Read-Only Lead: either of the route's permissions allowed the calls.
              allowedBy: ['read-only-lead', 'read-write-lead'],
              firstSeen: '2026-01-15T12:00:00.000Z',
              lastSeen: '2026-01-15T12:01:00.000Z',
            },
            {
              operation: 'GET /rest/v1/leads.json',
              service: 'Nightly',
              calls: 2,
              allowedBy: ['read-only-lead', 'read-write-lead'],
              firstSeen: '2026-01-15T12:00:00.000Z',
              lastSeen: '2026-01-15T12:01:00.000Z',
            },
          ],
        },
      ],
      role: {
        name: 'Least privilege: sync@example.com',
        description: expect.stringContaining('sync@example.com'),
        roleType: 'user-defined',
        permissionSets: ['read-only-lead'],
      },
      droppedEntries: 0,
    });
  });

  it('its role is a body POST /admin/roles takes', async () => {
    const { sync } = await ids(app);
    const { role } = (await call(app, 'GET', `/admin/users/${sync}/least-privilege`)).json();
    const created = await call(app, 'POST', '/admin/roles', role);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: role.name, permissionSets: ['read-only-lead'] });
    // Administering roles is no API call: the report is the same.
    expect((await call(app, 'GET', `/admin/users/${sync}/least-privilege`)).json().observedCalls).toBe(10);
  });

  it('?format=seed: a YAML fragment that, pasted into the seed, runs the same suite with exactly that role', async () => {
    const { sync } = await ids(app);
    const response = await call(app, 'GET', `/admin/users/${sync}/least-privilege?format=seed`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/yaml; charset=utf-8');
    expect(response.body).toMatch(/^# Least privilege for sync@example\.com, from 10 call\(s\)/);
    const fragment = parseYaml(response.body) as { roles: unknown[]; users: { email: string }[] };
    expect(fragment).toEqual({
      roles: [
        {
          name: 'Least privilege: sync@example.com',
          description: expect.any(String),
          permissions: ['read-only-lead'],
        },
      ],
      users: [
        {
          email: 'sync@example.com',
          firstName: 'Sync',
          apiOnly: true,
          roles: [{ role: 'Least privilege: sync@example.com', workspace: 'Americas' }],
        },
      ],
    });
    // The user's seed entry replaced by the fragment's, its roles added: the suite passes as before.
    const base = seed();
    const pasted: SeedInput = {
      ...base,
      roles: [...base.roles!, ...fragment.roles],
      users: [...fragment.users, ...base.users!.filter((user) => user.email !== 'sync@example.com')],
    } as SeedInput;
    const narrowed = await newSeededInstance(pasted, { LEAST_PRIVILEGE_CHECK: 'fail' });
    try {
      await runSuite(narrowed.app);
      const { sync: again } = await ids(narrowed.app);
      const report = (await call(narrowed.app, 'GET', `/admin/users/${again}/least-privilege`)).json();
      expect(report.workspaces[0]).toMatchObject({ held: ['read-only-lead'], needed: ['read-only-lead'], unused: [] });
    } finally {
      await narrowed.app.close();
    }
  });

  it('404 for a user that does not exist; 400 for a standard user, a bad id or format; nothing changes', async () => {
    const { person } = await ids(app);
    const before = (await call(app, 'GET', '/admin/least-privilege')).json();
    expect(expectProblem(await call(app, 'GET', '/admin/users/999/least-privilege'), 404).detail).toBe(
      'User 999 does not exist',
    );
    const standard = expectProblem(await call(app, 'GET', `/admin/users/${person}/least-privilege`), 400);
    expect(standard.detail).toMatch(/not an API-only user/);
    expect(failingPaths(expectProblem(await call(app, 'GET', '/admin/users/abc/least-privilege'), 400))).toEqual([
      'params.id',
    ]);
    const format = expectProblem(await call(app, 'GET', '/admin/users/1/least-privilege?format=xml'), 400);
    expect(failingPaths(format)).toEqual(['querystring.format']);
    expect((await call(app, 'GET', '/admin/least-privilege')).json()).toEqual(before);
  });
});

describe('GET /admin/services/{id}/least-privilege', () => {
  let instance: TestInstance;

  beforeAll(async () => {
    instance = await newSeededInstance(seed());
    await runSuite(instance.app);
  });

  afterAll(async () => {
    await instance.app.close();
  });

  it("counts that service's calls only, against its owner's grants", async () => {
    const { ci, nightly } = await ids(instance.app);
    const ciReport = (await call(instance.app, 'GET', `/admin/services/${ci}/least-privilege`)).json();
    expect(ciReport).toMatchObject({
      observedCalls: 4,
      deniedCalls: 1,
      workspaces: [{ workspaceName: 'Americas', needed: ['read-only-lead'], operations: [{ calls: 3 }] }],
      role: { name: 'Least privilege: CI', permissionSets: ['read-only-lead'] },
    });
    const nightlyReport = (await call(instance.app, 'GET', `/admin/services/${nightly}/least-privilege`)).json();
    expect(nightlyReport).toMatchObject({
      observedCalls: 1,
      deniedCalls: 0,
      workspaces: [{ needed: ['read-only-lead'], denied: [], operations: [{ calls: 1 }] }],
    });
  });

  it('?format=seed names the owning user', async () => {
    const { nightly } = await ids(instance.app);
    const response = await call(instance.app, 'GET', `/admin/services/${nightly}/least-privilege?format=seed`);
    expect(response.headers['content-type']).toBe('application/yaml; charset=utf-8');
    expect(parseYaml(response.body)).toMatchObject({
      roles: [{ name: 'Least privilege: Nightly', permissions: ['read-only-lead'] }],
      users: [{ email: 'sync@example.com', roles: [{ role: 'Least privilege: Nightly', workspace: 'Americas' }] }],
    });
  });

  it('404 for a service that does not exist; 400 for a bad id or format', async () => {
    expect(expectProblem(await call(instance.app, 'GET', '/admin/services/999/least-privilege'), 404).detail).toBe(
      'Service 999 does not exist',
    );
    expect(
      failingPaths(expectProblem(await call(instance.app, 'GET', '/admin/services/0/least-privilege'), 400)),
    ).toEqual(['params.id']);
    const { ci } = await ids(instance.app);
    const format = await call(instance.app, 'GET', `/admin/services/${ci}/least-privilege?format=`);
    expect(failingPaths(expectProblem(format, 400))).toEqual(['querystring.format']);
  });
});

describe('a route that needs all of its permissions (the User Management API)', () => {
  it('needs Access User Management Api and Access Users, each held where it allowed the call', async () => {
    const { app } = await newSeededInstance({
      roles: [{ name: 'Admin API', permissions: ['access-user-management-api', 'access-users', 'read-only-lead'] }],
      users: [{ email: 'admin-api@example.com', roles: [{ role: 'Admin API', workspace: 'Default' }] }],
      services: [{ name: 'Provisioner', user: 'admin-api@example.com', ...CI }],
    });
    try {
      const token = bearer(await tokenFor(app, CI));
      const users = await call(app, 'GET', '/userservice/management/v1/users/allusers.json', undefined, token);
      expect(users.statusCode).toBe(200);
      const { items } = (await call(app, 'GET', '/admin/users')).json() as { items: { id: number }[] };
      const report = (await call(app, 'GET', `/admin/users/${items[0]!.id}/least-privilege`)).json();
      expect(report.workspaces).toEqual([
        expect.objectContaining({
          workspaceName: 'Default',
          needed: ['access-user-management-api', 'access-users'],
          unused: ['read-only-lead'],
          operations: [
            expect.objectContaining({
              operation: 'GET /userservice/management/v1/users/allusers.json',
              allowedBy: ['access-user-management-api', 'access-users'],
            }),
          ],
        }),
      ]);
    } finally {
      await app.close();
    }
  });
});

describe('the ledger: GET and DELETE /admin/least-privilege', () => {
  it('counts its entries; DELETE clears it (reset does not), and the reports start from no call', async () => {
    const { app } = await newSeededInstance(seed());
    try {
      await runSuite(app);
      expect((await call(app, 'GET', '/admin/least-privilege')).json()).toEqual({
        entries: 3,
        bytes: expect.any(Number),
        maxBytes: 8 * 1024 * 1024,
        droppedEntries: 0,
        droppedCalls: 0,
      });
      await call(app, 'POST', '/admin/reset');
      expect((await call(app, 'GET', '/admin/least-privilege')).json().entries).toBe(3);
      const cleared = await call(app, 'DELETE', '/admin/least-privilege');
      expect(cleared.statusCode).toBe(204);
      expect(cleared.body).toBe('');
      expect((await call(app, 'GET', '/admin/least-privilege')).json()).toMatchObject({ entries: 0, bytes: 0 });
      const { sync } = await ids(app);
      expect((await call(app, 'GET', `/admin/users/${sync}/least-privilege`)).json()).toMatchObject({
        observedCalls: 0,
        workspaces: [{ needed: [], unused: ['read-only-assets', 'read-write-lead'] }],
        role: { permissionSets: [] },
      });
    } finally {
      await app.close();
    }
  });

  it('stays within LEAST_PRIVILEGE_MAX_BYTES whatever the traffic, the oldest dropped first and counted', async () => {
    // A stub answers any path under /rest/v1/custom/: each path is an operation of its own.
    const withStub: SeedInput = {
      ...seed(),
      stubs: [
        {
          match: { method: 'GET', path: '/rest/v1/custom/**' },
          respond: { body: { requestId: 'a#1', success: true, result: [] } },
          permissions: ['read-only-lead'],
        },
      ],
    };
    const { app } = await newSeededInstance(withStub, { LEAST_PRIVILEGE_MAX_BYTES: 64 * 1024 });
    try {
      const ci = bearer(await tokenFor(app, CI));
      for (let i = 0; i < 200; i++) {
        expect((await call(app, 'GET', `/rest/v1/custom/thing${i}.json`, undefined, ci)).json().success).toBe(true);
      }
      const status = (await call(app, 'GET', '/admin/least-privilege')).json();
      expect(status.bytes).toBeLessThanOrEqual(64 * 1024);
      expect(status.droppedEntries).toBeGreaterThan(0);
      expect(status.entries + status.droppedEntries).toBe(200);
      expect(status.droppedCalls).toBe(status.droppedEntries);
      const { sync } = await ids(app);
      const report = (await call(app, 'GET', `/admin/users/${sync}/least-privilege`)).json();
      expect(report.droppedEntries).toBe(status.droppedEntries);
      const operations = report.workspaces[0].operations.map((use: { operation: string }) => use.operation);
      expect(operations).toContain('GET /rest/v1/custom/thing199.json');
      expect(operations).not.toContain('GET /rest/v1/custom/thing0.json');
    } finally {
      await app.close();
    }
  });
});

describe('the admin guard', () => {
  const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

  it('every least-privilege route answers 401 without ADMIN_TOKEN, and works with it', async () => {
    const { app } = await newSeededInstance(seed(), { ADMIN_TOKEN });
    try {
      const auth = bearer(ADMIN_TOKEN);
      const users = (await call(app, 'GET', '/admin/users', undefined, auth)).json().items as { id: number }[];
      const services = (await call(app, 'GET', '/admin/services', undefined, auth)).json().items as { id: number }[];
      const routes: [string, string][] = [
        ['GET', `/admin/users/${users[0]!.id}/least-privilege`],
        ['GET', `/admin/users/${users[0]!.id}/least-privilege?format=seed`],
        ['GET', `/admin/services/${services[0]!.id}/least-privilege`],
        ['GET', '/admin/least-privilege'],
        ['DELETE', '/admin/least-privilege'],
      ];
      for (const [method, url] of routes) {
        expectProblem(await call(app, method as 'GET', url), 401);
        expect((await call(app, method as 'GET', url, undefined, auth)).statusCode, url).toBeLessThan(300);
      }
    } finally {
      await app.close();
    }
  });
});

describe('LEAST_PRIVILEGE_CHECK=fail', () => {
  it('fake.close() rejects naming each integration that holds permissions it never used; closed all the same', async () => {
    const fake = await startFakeMarketo({ seed: seed(), config: { LEAST_PRIVILEGE_CHECK: 'fail' } });
    const ci = bearer(await tokenFor(fake, CI));
    expect((await call(fake, 'GET', READ_LEADS, undefined, ci)).json().success).toBe(true);
    const error = await fake.close().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(LeastPrivilegeError);
    expect((error as LeastPrivilegeError).findings).toEqual([
      'sync@example.com (services CI, Nightly), 1 call(s): in Americas holds read-only-assets, read-write-lead never ' +
        'needed (needed: read-only-lead)',
    ]);
    expect((error as Error).message).toContain('LEAST_PRIVILEGE_CHECK=fail');
    await expect(fetch(`${fake.url}/health`)).rejects.toThrow();
  });

  it('resolves when every permission held was needed; with the check off, it says nothing', async () => {
    const exact: SeedInput = {
      ...seed(),
      roles: [{ name: 'Lead Writer', permissions: ['read-write-lead'] }],
      services: [{ name: 'CI', user: 'sync@example.com', ...CI }],
    };
    const strict = await startFakeMarketo({ seed: exact, config: { LEAST_PRIVILEGE_CHECK: 'fail' } });
    const token = bearer(await tokenFor(strict, CI));
    const write = await call(strict, 'POST', '/rest/v1/leads.json', { input: [{ email: 'new@example.com' }] }, token);
    expect(write.json().success).toBe(true);
    await expect(strict.close()).resolves.toBeUndefined();
    const lax = await startFakeMarketo({ seed: seed() });
    await expect(lax.close()).resolves.toBeUndefined();
  });
});
