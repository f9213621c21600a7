import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { call, expectProblem } from './helpers.js';

/**
 * Issue 32: many subscriptions in one server, each at its own Munchkin id, isolated as moto isolates accounts. The
 * root subscription stays at `/` (and answers at its own id too); others are made with POST /admin/subscriptions.
 */

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function server(config: Parameters<typeof testConfig>[0] = {}) {
  const app = await buildApp({ config: testConfig(config), provisionDemo: true });
  apps.push(app);
  return app;
}

interface Created {
  munchkinId: string;
  baseUrl: string;
  root: boolean;
  demo: { clientId: string; clientSecret: string };
}

async function subscription(app: FastifyInstance, body: Record<string, unknown> = {}): Promise<Created> {
  const response = await call(app, 'POST', '/admin/subscriptions', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Created;
}

const tokenPath = (prefix: string, demo: { clientId: string; clientSecret: string }) =>
  `${prefix}/identity/oauth/token?grant_type=client_credentials&client_id=${demo.clientId}&client_secret=${demo.clientSecret}`;

async function token(app: FastifyInstance, prefix: string, demo: { clientId: string; clientSecret: string }) {
  const response = await call(app, 'GET', tokenPath(prefix, demo));
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { access_token: string }).access_token;
}

const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

describe('POST, GET, DELETE /admin/subscriptions', () => {
  it('makes a subscription at a free or given Munchkin id, lists it after the root, and removes it', async () => {
    const app = await server();
    const free = await subscription(app);
    expect(free.munchkinId).toMatch(/^[0-9]{3}-[A-Z]{3}-[0-9]{3}$/);
    expect(free.baseUrl).toBe(`http://localhost:80/${free.munchkinId}`);
    expect(free.root).toBe(false);
    expect(free.demo.clientId).toBeTruthy();
    const named = await subscription(app, { munchkinId: '123-ABC-456' });
    expect(named.munchkinId).toBe('123-ABC-456');
    const list = (await call(app, 'GET', '/admin/subscriptions')).json() as { items: { munchkinId: string }[] };
    expect(list.items.map((item) => item.munchkinId)).toEqual(['000-AAA-000', free.munchkinId, '123-ABC-456']);
    expect((await call(app, 'DELETE', '/admin/subscriptions/123-ABC-456')).statusCode).toBe(204);
    const after = (await call(app, 'GET', '/admin/subscriptions')).json() as { items: { munchkinId: string }[] };
    expect(after.items.map((item) => item.munchkinId)).toEqual(['000-AAA-000', free.munchkinId]);
    // Its paths are gone with it.
    expectProblem(await call(app, 'GET', tokenPath('/123-ABC-456', named.demo)), 404);
  });

  it('refuses a taken id (409), a malformed one or a bad seed (400), the root or an unknown one on delete', async () => {
    const app = await server();
    await subscription(app, { munchkinId: '123-ABC-456' });
    expectProblem(await call(app, 'POST', '/admin/subscriptions', { munchkinId: '123-ABC-456' }), 409);
    expectProblem(await call(app, 'POST', '/admin/subscriptions', { munchkinId: '000-AAA-000' }), 409);
    const malformed = expectProblem(
      await call(app, 'POST', '/admin/subscriptions', { munchkinId: '123-abc-456' }),
      400,
    );
    expect(JSON.stringify(malformed)).toContain('munchkinId');
    const badSeed = expectProblem(
      await call(app, 'POST', '/admin/subscriptions', { seed: { users: [{ email: 'not an address' }] } }),
      400,
    );
    expect(JSON.stringify(badSeed)).toContain('body.seed.users');
    expectProblem(await call(app, 'DELETE', '/admin/subscriptions/000-AAA-000'), 409);
    expectProblem(await call(app, 'DELETE', '/admin/subscriptions/999-ZZZ-999'), 404);
    const list = (await call(app, 'GET', '/admin/subscriptions')).json() as { items: unknown[] };
    expect(list.items).toHaveLength(2);
  });

  it('a subscription’s own admin plane cannot reach the others (404), and ADMIN_TOKEN guards them all', async () => {
    const app = await server({ ADMIN_TOKEN: 'admin-token-123' });
    const admin = bearer('admin-token-123');
    expect((await call(app, 'POST', '/admin/subscriptions', {})).statusCode).toBe(401);
    const created = (await call(app, 'POST', '/admin/subscriptions', {}, admin)).json() as Created;
    expect((await call(app, 'GET', `/${created.munchkinId}/admin/roles`)).statusCode).toBe(401);
    expect((await call(app, 'GET', `/${created.munchkinId}/admin/roles`, undefined, admin)).statusCode).toBe(200);
    expectProblem(await call(app, 'GET', `/${created.munchkinId}/admin/subscriptions`, undefined, admin), 404);
    expectProblem(
      await call(app, 'DELETE', `/${created.munchkinId}/admin/subscriptions/000-AAA-000`, undefined, admin),
      404,
    );
  });
});

describe('isolation', () => {
  it('tokens, leads, journal, clock and resets are each subscription’s own; the root answers at / and at its id', async () => {
    const app = await server();
    const a = await subscription(app, { munchkinId: '111-AAA-111' });
    const b = await subscription(app, { munchkinId: '222-BBB-222' });
    const tokenA = await token(app, '/111-AAA-111', a.demo);
    // A's credentials mean nothing in B, and A's token is 601 there and at the root.
    expect((await call(app, 'GET', tokenPath('/222-BBB-222', a.demo))).statusCode).toBe(401);
    for (const prefix of ['/222-BBB-222', '']) {
      const denied = await call(app, 'GET', `${prefix}/rest/v1/leads/partitions.json`, undefined, bearer(tokenA));
      expect(denied.json()).toMatchObject({ success: false, errors: [{ code: '601' }] });
    }
    const synced = await call(
      app,
      'POST',
      '/111-AAA-111/rest/v1/leads.json',
      { input: [{ email: 'only-in-a@example.com' }] },
      bearer(tokenA),
    );
    expect(synced.json()).toMatchObject({ success: true, result: [{ status: 'created' }] });
    const tokenB = await token(app, '/222-BBB-222', b.demo);
    const inB = await call(
      app,
      'GET',
      '/222-BBB-222/rest/v1/leads.json?filterType=email&filterValues=only-in-a@example.com',
      undefined,
      bearer(tokenB),
    );
    expect(inB.json()).toMatchObject({ success: true });
    expect((inB.json() as { result?: unknown[] }).result ?? []).toEqual([]);
    // Each journal holds its own calls.
    const journal = (prefix: string) =>
      call(app, 'GET', `${prefix}/admin/requests`).then((r) => (r.json() as { items: { path: string }[] }).items);
    expect((await journal('/111-AAA-111')).some((entry) => entry.path === '/rest/v1/leads.json')).toBe(true);
    // B's journal has its own query of leads.json, not A's sync.
    const journalOf = (prefix: string) =>
      call(app, 'GET', `${prefix}/admin/requests`).then(
        (r) => (r.json() as { items: { method: string; path: string }[] }).items,
      );
    const posts = (items: { method: string; path: string }[]) =>
      items.filter((entry) => entry.method === 'POST' && entry.path === '/rest/v1/leads.json');
    expect(posts(await journalOf('/111-AAA-111'))).toHaveLength(1);
    expect(posts(await journalOf('/222-BBB-222'))).toEqual([]);
    expect((await journal('')).some((entry) => entry.path === '/rest/v1/leads.json')).toBe(false);
    // Clocks: moving A's moves nothing else.
    const clock = (prefix: string) =>
      call(app, 'GET', `${prefix}/admin/clock`).then((r) => (r.json() as { offsetSeconds: number }).offsetSeconds);
    await call(app, 'POST', '/111-AAA-111/admin/clock', { advanceSeconds: 7200 });
    expect(await clock('/111-AAA-111')).toBe(7200);
    expect(await clock('/222-BBB-222')).toBe(0);
    expect(await clock('')).toBe(0);
    // A reset of B leaves A's lead where it is.
    expect((await call(app, 'POST', '/222-BBB-222/admin/reset')).statusCode).toBe(204);
    const snapshotA = (await call(app, 'GET', '/111-AAA-111/admin/snapshot')).json() as { leads: unknown[] };
    expect(snapshotA.leads).toHaveLength(1);
    // The root at its own id is the root.
    const rootServices = (await call(app, 'GET', '/000-AAA-000/admin/services')).json();
    expect(rootServices).toEqual((await call(app, 'GET', '/admin/services')).json());
  });

  it('faults and stubs of one subscription touch no other', async () => {
    const app = await server();
    const a = await subscription(app, { munchkinId: '111-AAA-111' });
    const b = await subscription(app, { munchkinId: '222-BBB-222' });
    await call(app, 'POST', '/111-AAA-111/admin/faults', {
      match: { path: '/rest/v1/leads/partitions.json' },
      respond: { marketoError: { code: '608' } },
    });
    const tokenA = await token(app, '/111-AAA-111', a.demo);
    const tokenB = await token(app, '/222-BBB-222', b.demo);
    const partitions = (prefix: string, value: string) =>
      call(app, 'GET', `${prefix}/rest/v1/leads/partitions.json`, undefined, bearer(value)).then((r) => r.json());
    expect(await partitions('/111-AAA-111', tokenA)).toMatchObject({ success: false, errors: [{ code: '608' }] });
    expect(await partitions('/222-BBB-222', tokenB)).toMatchObject({ success: true });
    await call(app, 'POST', '/222-BBB-222/admin/stubs', {
      match: { method: 'GET', path: '/rest/v1/campaigns.json' },
      respond: { body: { requestId: 'stub#1', success: true, result: [{ id: 7 }] } },
    });
    const stubbed = await call(app, 'GET', '/222-BBB-222/rest/v1/campaigns.json', undefined, bearer(tokenB));
    expect(stubbed.json()).toMatchObject({ requestId: 'stub#1' });
    const unstubbed = await call(app, 'GET', '/111-AAA-111/rest/v1/campaigns.json', undefined, bearer(tokenA));
    // Get Campaigns is served now (issue 26): A answers from its own state, which holds no campaign 7.
    const own = unstubbed.json();
    expect(own).toMatchObject({ success: true });
    expect(own.requestId).not.toBe('stub#1');
    expect(own.result ?? []).not.toContainEqual(expect.objectContaining({ id: 7 }));
  });

  it('a form POST with _method=GET inside a subscription is that subscription’s call', async () => {
    const app = await server();
    const a = await subscription(app, { munchkinId: '111-AAA-111' });
    const tokenA = await token(app, '/111-AAA-111', a.demo);
    await call(
      app,
      'POST',
      '/111-AAA-111/rest/v1/leads.json',
      { input: [{ email: 'form@example.com' }] },
      bearer(tokenA),
    );
    const response = await app.inject({
      method: 'POST',
      url: '/111-AAA-111/rest/v1/leads.json',
      headers: { ...bearer(tokenA), 'content-type': 'application/x-www-form-urlencoded' },
      payload: '_method=GET&filterType=email&filterValues=form@example.com',
    });
    expect(response.json()).toMatchObject({ success: true, result: [{ email: 'form@example.com' }] });
  });

  it('rate limits count per subscription: A’s 101st call in 20 s is 606, B’s first is served', async () => {
    const app = await server({ RATE_LIMITS: 'marketo' });
    const a = await subscription(app);
    const b = await subscription(app);
    const prefixA = `/${a.munchkinId}`;
    const prefixB = `/${b.munchkinId}`;
    const tokenA = await token(app, prefixA, a.demo);
    const tokenB = await token(app, prefixB, b.demo);
    const partitions = (prefix: string, value: string) =>
      call(app, 'GET', `${prefix}/rest/v1/leads/partitions.json`, undefined, bearer(value)).then((r) => r.json());
    for (let n = 0; n < 100; n++) expect(await partitions(prefixA, tokenA)).toMatchObject({ success: true });
    expect(await partitions(prefixA, tokenA)).toMatchObject({ success: false, errors: [{ code: '606' }] });
    expect(await partitions(prefixB, tokenB)).toMatchObject({ success: true });
  });

  it('the least-privilege ledger and the jobs are each subscription’s own', async () => {
    const app = await server();
    const a = await subscription(app);
    const b = await subscription(app);
    const tokenA = await token(app, `/${a.munchkinId}`, a.demo);
    await call(app, 'GET', `/${a.munchkinId}/rest/v1/leads/partitions.json`, undefined, bearer(tokenA));
    const ledger = (prefix: string) =>
      call(app, 'GET', `${prefix}/admin/least-privilege`).then((r) => (r.json() as { entries: number }).entries);
    expect(await ledger(`/${a.munchkinId}`)).toBe(1);
    expect(await ledger(`/${b.munchkinId}`)).toBe(0);
    expect(await ledger('')).toBe(0);
    // Each subscription's job runner is its own (bulk queues, scheduled runs live there).
    expect(app.subscriptions.find(a.munchkinId)!.jobs).not.toBe(app.subscriptions.find(b.munchkinId)!.jobs);
    expect(app.subscriptions.find(a.munchkinId)!.jobs).not.toBe(app.ctx.jobs);
  });

  it('a Munchkin id no subscription has is 404 naming it', async () => {
    const app = await server();
    const response = await call(app, 'GET', '/999-ZZZ-999/rest/v1/leads.json');
    expect(expectProblem(response, 404).detail).toContain('999-ZZZ-999');
  });
});
