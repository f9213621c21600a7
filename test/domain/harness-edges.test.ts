import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { frozenClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { compileGlob } from '../../src/domain/glob.js';
import { call, makeTempDir, newInstance, newSeededInstance, tokenUrl } from '../helpers.js';
import { bearer, REQUEST_ID } from '../support/subscription.js';

/** Edges a second review found in the harness: each is a user-visible promise of issue 4. */

const apps: FastifyInstance[] = [];
const dirs: { remove(): void }[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  for (const dir of dirs.splice(0)) dir.remove();
});

const track = <T extends FastifyInstance>(app: T) => (apps.push(app), app);

async function token(app: FastifyInstance, credentials: { clientId: string; clientSecret: string }) {
  const response = await call(app, 'GET', tokenUrl(credentials));
  expect(response.statusCode, response.body).toBe(200);
  return response.json().access_token as string;
}

describe('reset keeps the credentials it started with', () => {
  it('seed services given no credentials get the same generated ones back after every reset', async () => {
    const { app } = await newSeededInstance({
      roles: [{ name: 'R', permissions: ['read-only-lead'] }],
      users: [{ email: 'u@example.com', roles: [{ role: 'R', workspace: 'Default' }] }],
      services: [{ name: 'Generated', user: 'u@example.com' }],
    });
    track(app);
    const before = (await call(app, 'GET', '/admin/services/1')).json();
    await call(app, 'POST', '/admin/reset');
    const after = (await call(app, 'GET', '/admin/services/1')).json();
    expect(after.clientId).toBe(before.clientId);
    expect(after.clientSecret).toBe(before.clientSecret);
    expect(await token(app, after)).toMatch(/:ab$/);
  });

  it('a restarted database without a seed resets to the demo provisioning, with the same demo credentials each time', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const config = testConfig({ DATABASE_PATH: join(dir.path, 'fm.sqlite') });
    const first = await buildApp({
      config,
      clock: frozenClock(),
      seed: {
        roles: [{ name: 'R', permissions: ['read-only-lead'] }],
        users: [{ email: 'u@example.com', roles: [{ role: 'R', workspace: 'Default' }] }],
        services: [{ name: 'Seeded', user: 'u@example.com', clientId: 'seeded-client', clientSecret: 'seeded-secret' }],
      },
    });
    await first.close();
    const app = track(await buildApp({ config, clock: frozenClock(), provisionDemo: true }));
    expect((await call(app, 'GET', '/admin/services')).json().items.map((s: { name: string }) => s.name)).toEqual([
      'Seeded',
    ]);
    await call(app, 'POST', '/admin/reset');
    const demo = (await call(app, 'GET', '/admin/services')).json().items;
    expect(demo.map((s: { name: string }) => s.name)).toEqual(['Demo Service']);
    const credentials = (await call(app, 'GET', `/admin/services/${demo[0].id}`)).json();
    await call(app, 'POST', '/admin/reset');
    const again = (await call(app, 'GET', `/admin/services/${demo[0].id}`)).json();
    expect([again.clientId, again.clientSecret]).toEqual([credentials.clientId, credentials.clientSecret]);
  });
});

describe('snapshots that load back', () => {
  it('a renamed built-in workspace and partition survive the round trip', async () => {
    const { app } = await newInstance();
    track(app);
    expect((await call(app, 'PATCH', '/admin/workspaces/1', { name: 'Main' })).statusCode).toBe(200);
    expect((await call(app, 'PATCH', '/admin/partitions/1', { name: 'Main leads' })).statusCode).toBe(200);
    const snapshot = (await call(app, 'GET', '/admin/snapshot')).json();
    const copy = track(await buildApp({ config: testConfig(), clock: frozenClock(), seed: snapshot }));
    expect((await call(copy, 'GET', '/admin/snapshot')).json()).toEqual(snapshot);
    expect((await call(copy, 'GET', '/admin/workspaces/1')).json()).toMatchObject({ name: 'Main', partitionIds: [1] });
  });

  it('a workspace may not be named "*", which stands for all workspaces', async () => {
    const { app } = await newInstance();
    track(app);
    const response = await call(app, 'POST', '/admin/workspaces', { name: '*' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].path).toBe('body.name');
  });

  it("a deleted lead's id is not handed out again after a reload (Marketo never reuses lead ids)", async () => {
    const { app } = await newSeededInstance({
      roles: [{ name: 'R', permissions: ['read-write-lead'] }],
      users: [{ email: 'u@example.com', roles: [{ role: 'R', workspace: 'Default' }] }],
      services: [{ name: 'S', user: 'u@example.com', clientId: 'client-s1', clientSecret: 'secret-s1' }],
      leads: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
    });
    track(app);
    const t = await token(app, { clientId: 'client-s1', clientSecret: 'secret-s1' });
    await call(app, 'POST', '/rest/v1/leads/delete.json', { input: [{ id: 2 }] }, bearer(t));
    const snapshot = (await call(app, 'GET', '/admin/snapshot')).json();
    expect(snapshot.lastIds.leads).toBe(2);
    const copy = track(await buildApp({ config: testConfig(), clock: frozenClock(), seed: snapshot }));
    const t2 = await token(copy, { clientId: 'client-s1', clientSecret: 'secret-s1' });
    const created = await call(
      copy,
      'POST',
      '/rest/v1/leads.json',
      { input: [{ email: 'c@example.com' }] },
      bearer(t2),
    );
    expect(created.json().result).toEqual([{ id: 3, status: 'created' }]);
  });
});

describe('path globs', () => {
  it.each([
    ['/rest/v1/leads*', '/rest/v1/leads.json', true],
    ['/rest/v1/leads*', '/rest/v1/leads/delete.json', false],
    ['/rest/**', '/rest/v1/leads/delete.json', true],
    ['/rest/**/leads.json', '/rest/leads.json', true],
    ['/rest/**/leads.json', '/rest/v1/leads.json', true],
    ['/rest/*/leads.json', '/rest/v1/x/leads.json', false],
    ['/rest/v1/lead/*.json', '/rest/v1/lead/12.json', true],
    ['/identity/oauth/token', '/identity/oauth/tokens', false],
  ])('%s matches %s: %s', (glob, path, expected) => {
    expect(compileGlob(glob)(path)).toBe(expected);
  });

  it('a pattern full of stars answers at once, even against a long path (no catastrophic backtracking)', async () => {
    const { app } = await newInstance();
    track(app);
    await call(app, 'GET', `/rest/v1/lead/${'1'.repeat(4000)}x.json`);
    const started = Date.now();
    const response = await call(app, 'GET', `/admin/requests?path=/rest/v1/lead/${'*1'.repeat(12)}.jsn`);
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toEqual([]);
    // Generous: the matcher is linear in practice; a regular expression here took minutes.
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('identity faults and journal see a client id sent in a form body', () => {
  it('a clientId fault rule fires on a form POST to the identity endpoint, and the journal names the client', async () => {
    const { app } = await newSeededInstance({
      roles: [{ name: 'R', permissions: ['read-only-lead'] }],
      users: [{ email: 'u@example.com', roles: [{ role: 'R', workspace: 'Default' }] }],
      services: [{ name: 'S', user: 'u@example.com', clientId: 'fixed-client', clientSecret: 'fixed-secret' }],
    });
    track(app);
    await call(app, 'POST', '/admin/faults', { match: { clientId: 'fixed-client' }, respond: { httpStatus: 503 } });
    const response = await call(
      app,
      'POST',
      '/identity/oauth/token',
      'grant_type=client_credentials&client_id=fixed-client&client_secret=fixed-secret',
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(response.statusCode).toBe(503);
    const [entry] = (await call(app, 'GET', '/admin/requests?clientId=fixed-client')).json().items;
    expect(entry).toMatchObject({ method: 'POST', path: '/identity/oauth/token', status: 503, faultId: 'fault-1' });
  });
});

describe('the clock and the limits', () => {
  it('calls made before the clock was moved back leave the rate window', async () => {
    const { app, clock } = await newSeededInstance(
      {
        roles: [{ name: 'R', permissions: ['read-only-lead'] }],
        users: [{ email: 'u@example.com', roles: [{ role: 'R', workspace: 'Default' }] }],
        services: [{ name: 'S', user: 'u@example.com', clientId: 'client-s1', clientSecret: 'secret-s1' }],
      },
      { RATE_LIMITS: 'marketo' },
    );
    track(app);
    await call(app, 'PUT', '/admin/limits', { rate: { calls: 2, windowSeconds: 20 } });
    const t = await token(app, { clientId: 'client-s1', clientSecret: 'secret-s1' });
    const codes = async () =>
      (await call(app, 'GET', '/rest/v1/leads/partitions.json', undefined, bearer(t))).json().errors?.[0]?.code ?? 'ok';
    expect([await codes(), await codes(), await codes()]).toEqual(['ok', 'ok', '606']);
    clock.advance(-600);
    clock.advance(30);
    expect(await codes()).toBe('ok');
  });

  it('a fractional advanceSeconds keeps requestIds in Marketo’s hex format', async () => {
    const { app } = await newInstance();
    track(app);
    const moved = await call(app, 'POST', '/admin/clock', { advanceSeconds: 0.0005 });
    expect(moved.statusCode).toBe(200);
    const response = await call(app, 'GET', '/rest/v1/leads/partitions.json');
    expect(response.json().requestId).toMatch(REQUEST_ID);
  });
});
