import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../../src/app.js';
import { frozenClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { FAMILIES } from '../../src/families.js';
import { defineFamily } from '../../src/family.js';
import type { PermissionKey } from '../../src/domain/permissions.js';
import { accessToken, call, journalEntries, newInstance, newLoggedInstance, provisionService } from '../helpers.js';
import { bearer, buildSubscription, REQUEST_ID, seedLeads } from '../support/subscription.js';

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function instance(config: Parameters<typeof newInstance>[0] = {}) {
  const made = await newInstance(config);
  apps.push(made.app);
  return made;
}

/** Every lead-database operation of this family, with a request that would succeed given the permission. */
const LEAD_OPERATIONS: { method: 'GET' | 'POST'; url: string; payload?: unknown }[] = [
  { method: 'GET', url: '/rest/v1/lead/1.json' },
  { method: 'GET', url: '/rest/v1/leads.json?filterType=email&filterValues=a@example.com' },
  { method: 'POST', url: '/rest/v1/leads.json', payload: { input: [{ email: 'a@example.com' }] } },
  { method: 'POST', url: '/rest/v1/leads/delete.json', payload: { input: [{ id: 1 }] } },
  { method: 'POST', url: '/rest/v1/leads.json?_method=DELETE', payload: { input: [{ id: 1 }] } },
  { method: 'GET', url: '/rest/v1/leads/describe.json' },
  { method: 'GET', url: '/rest/v1/leads/describe2.json' },
  { method: 'GET', url: '/rest/v1/leads/partitions.json' },
  { method: 'POST', url: '/rest/v1/leads/partitions.json', payload: { input: [{ id: 1, partitionName: 'Default' }] } },
];

describe('permission evaluation on the Marketo plane', () => {
  it.each([
    ['no lead permission', ['read-only-company', 'read-write-activity']],
    ['only Access Admin permissions (they never grant API access)', ['access-admin', 'access-users']],
  ])('a service whose user holds %s gets 603 on every lead operation', async (_label, permissions) => {
    const { app } = await instance();
    const service = await provisionService(app, { permissions });
    const token = await accessToken(app, service);
    for (const operation of LEAD_OPERATIONS) {
      const response = await call(app, operation.method, operation.url, operation.payload, bearer(token));
      expect(response.statusCode, operation.url).toBe(200);
      expect(response.json(), operation.url).toEqual({
        requestId: expect.stringMatching(REQUEST_ID),
        success: false,
        errors: [{ code: '603', message: 'Access denied' }],
      });
    }
  });

  it('Read-Only Lead reads but may not write (603 on sync, delete and partition moves)', async () => {
    const { app } = await instance();
    const service = await provisionService(app, { permissions: ['read-only-lead'] });
    const token = await accessToken(app, service);
    for (const operation of LEAD_OPERATIONS) {
      const body = (await call(app, operation.method, operation.url, operation.payload, bearer(token))).json();
      const writes = operation.method === 'POST';
      expect(body.success, operation.url).toBe(!writes);
      if (writes) expect(body.errors).toEqual([{ code: '603', message: 'Access denied' }]);
    }
    expect((await call(app, 'GET', '/rest/v1/leads.json?filterType=id&filterValues=1')).json().errors[0].code).toBe(
      '601',
    );
  });

  it('logs each denial with the permission needed, the workspaces and what the user holds', async () => {
    const { app, lines } = await newLoggedInstance();
    apps.push(app);
    const service = await provisionService(app, { permissions: ['read-only-company'], workspaceIds: [1] });
    const token = await accessToken(app, service);
    await call(app, 'POST', '/rest/v1/leads.json', { input: [{ email: 'a@example.com' }] }, bearer(token));
    const denial = lines.map((line) => JSON.parse(line)).find((entry) => entry.decision?.allowed === false);
    expect(denial).toBeDefined();
    expect(denial.decision.required).toEqual(['Read-Write Lead']);
    expect(denial.msg).toContain('needs Read-Write Lead in at least one workspace');
    expect(denial.msg).toContain('workspace 1: Read-Only Company');
    expect(denial.clientId).toBe(service.clientId);
    expect(lines.join('\n')).not.toContain(service.clientSecret);
  });

  it('a role granted in workspace 0 (AllZones) reaches the partitions of every workspace', async () => {
    const { app } = await instance();
    const sub = await buildSubscription(app);
    const [inP4] = await seedLeads(sub, 'P4', [{ email: 'p4@example.com' }]);
    const everywhere = await provisionService(app, { permissions: ['read-only-lead'], workspaceIds: [0] });
    const token = await accessToken(app, everywhere);
    const body = (await call(app, 'GET', `/rest/v1/lead/${inP4}.json`, undefined, bearer(token))).json();
    expect(body.result).toHaveLength(1);
    const partitions = (await call(app, 'GET', '/rest/v1/leads/partitions.json', undefined, bearer(token))).json();
    expect(partitions.result.map((p: { name: string }) => p.name)).toEqual(['Default', 'P2', 'P3', 'P4']);
  });
});

describe('Access Admin permissions on Marketo routes (only Access Users, only on the User Management API)', () => {
  /** A family of one Marketo route at `url` that declares `permissions`. */
  const familyWith = (url: string, permissions: PermissionKey[]) =>
    defineFamily({
      key: 'declares',
      tables: [],
      wireFormat: url.startsWith('/userservice/') ? 'user-management' : 'lead-database',
      repository: () => ({}),
      marketoRoutes: async (app) => {
        app.get(url, { config: { permissions }, schema: { response: { 200: z.object({}) } } }, async () => ({}));
      },
    });

  it.each([
    ['/rest/v1/declares.json', ['access-users']],
    ['/rest/v1/declares.json', ['read-only-lead', 'access-admin']],
    ['/userservice/management/v1/declares.json', ['access-user-management-api', 'access-admin']],
    ['/userservice/management/v1/declares.json', ['access-workspaces']],
  ] as [string, PermissionKey[]][])('a route at %s declaring %j stops the start', async (url, permissions) => {
    await expect(
      buildApp({ config: testConfig(), families: [...FAMILIES, familyWith(url, permissions)] }),
    ).rejects.toThrow(`Marketo route GET ${url} declares`);
  });

  it('Access Users on a User Management API route is accepted, and counts there', async () => {
    const url = '/userservice/management/v1/declares.json';
    const app = await buildApp({
      config: testConfig(),
      clock: frozenClock(),
      families: [...FAMILIES, familyWith(url, ['access-users'])],
    });
    apps.push(app);
    const service = await provisionService(app, { permissions: ['access-users'] });
    expect((await call(app, 'GET', url, undefined, bearer(await accessToken(app, service)))).statusCode).toBe(200);
  });
});

describe('authentication', () => {
  it('no token, or an unknown one, is 601; HTTP 200 with success:false and the code as a string', async () => {
    const { app } = await instance();
    for (const headers of [{}, { authorization: 'Bearer not-a-token:ab' }, { authorization: 'Basic abc' }] as Record<
      string,
      string
    >[]) {
      const response = await call(app, 'GET', '/rest/v1/leads/partitions.json', undefined, headers);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({
        requestId: expect.stringMatching(REQUEST_ID),
        success: false,
        errors: [{ code: '601', message: 'Access token invalid' }],
      });
    }
  });

  it('a token is 602 once its 3600 s are up, and works up to then', async () => {
    const { app, clock } = await instance();
    const service = await provisionService(app, { permissions: ['read-only-lead'] });
    const token = await accessToken(app, service);
    clock.advance(3599);
    expect((await call(app, 'GET', '/rest/v1/leads/partitions.json', undefined, bearer(token))).json().success).toBe(
      true,
    );
    clock.advance(1);
    expect((await call(app, 'GET', '/rest/v1/leads/partitions.json', undefined, bearer(token))).json().errors).toEqual([
      { code: '602', message: 'Access token expired' },
    ]);
    const fresh = await accessToken(app, service);
    expect(fresh).not.toBe(token);
    expect((await call(app, 'GET', '/rest/v1/leads/partitions.json', undefined, bearer(fresh))).json().success).toBe(
      true,
    );
    // The old token stays recognisably expired, not unknown.
    expect(
      (await call(app, 'GET', '/rest/v1/leads/partitions.json', undefined, bearer(token))).json().errors[0].code,
    ).toBe('602');
  });

  it('a deleted service’s token is 601', async () => {
    const { app } = await instance();
    const service = await provisionService(app, { permissions: ['read-only-lead'] });
    const token = await accessToken(app, service);
    expect((await call(app, 'DELETE', `/admin/services/${service.serviceId}`)).statusCode).toBe(204);
    expect(
      (await call(app, 'GET', '/rest/v1/leads/partitions.json', undefined, bearer(token))).json().errors[0].code,
    ).toBe('601');
  });

  it('says in the log why a valid ?access_token= is 601 under ACCESS_TOKEN_QUERY=reject (issue 23, item 19)', async () => {
    const { app, lines } = await newLoggedInstance();
    apps.push(app);
    const service = await provisionService(app, { permissions: ['read-only-lead'] });
    const token = await accessToken(app, service);
    const answer = await call(app, 'GET', `/rest/v1/leads/partitions.json?access_token=${encodeURIComponent(token)}`);
    expect(answer.json().errors).toEqual([{ code: '601', message: 'Access token invalid' }]);
    const [line] = lines.map((text) => JSON.parse(text)).filter((entry) => /access_token= ignored/.test(entry.msg));
    expect(line).toMatchObject({ level: 30, path: '/rest/v1/leads/partitions.json', marketoCode: '601' });
    expect(line.msg).toContain('ACCESS_TOKEN_QUERY=reject');
    expect(lines.join('\n')).not.toContain(token);
    // A call without any token is not one that needs explaining.
    const before = lines.length;
    await call(app, 'GET', '/rest/v1/leads/partitions.json');
    expect(lines.slice(before).join('\n')).not.toContain('access_token= ignored');
  });

  it('rejects ?access_token= by default (removed by Marketo on 2026-08-31) and accepts it when configured', async () => {
    const strict = (await instance()).app;
    const service = await provisionService(strict, { permissions: ['read-only-lead'] });
    const token = await accessToken(strict, service);
    const url = `/rest/v1/leads/partitions.json?access_token=${encodeURIComponent(token)}`;
    expect((await call(strict, 'GET', url)).json().errors[0].code).toBe('601');

    const lenient = (await instance({ ACCESS_TOKEN_QUERY: 'accept' })).app;
    const legacy = await provisionService(lenient, { permissions: ['read-only-lead'] });
    const legacyToken = await accessToken(lenient, legacy);
    const query = await call(
      lenient,
      'GET',
      `/rest/v1/leads/partitions.json?access_token=${encodeURIComponent(legacyToken)}`,
    );
    expect(query.json().success).toBe(true);
    // The form-field variant (curl -F access_token=…) of the legacy transport.
    const form = await call(
      lenient,
      'POST',
      '/rest/v1/leads.json',
      `_method=GET&filterType=email&filterValues=a@example.com&access_token=${encodeURIComponent(legacyToken)}`,
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(form.json()).toMatchObject({ success: true, result: [] });
  });
});

describe('wire format and request normalisation', () => {
  async function withReader() {
    const { app } = await instance();
    const service = await provisionService(app, { permissions: ['read-write-lead'] });
    return { app, headers: bearer(await accessToken(app, service)) };
  }

  it('unknown path is 610, a known path with the wrong verb 605', async () => {
    const { app, headers } = await withReader();
    expect((await call(app, 'GET', '/rest/v1/nothing.json', undefined, headers)).json().errors).toEqual([
      { code: '610', message: 'Requested resource not found' },
    ]);
    expect((await call(app, 'GET', '/rest/v1/leads/delete.json', undefined, headers)).json().errors).toEqual([
      { code: '605', message: 'HTTP Method not supported' },
    ]);
    expect((await call(app, 'PUT', '/rest/v1/leads.json', {}, headers)).json().errors[0].code).toBe('605');
  });

  it('HEAD is no Marketo operation (Adobe lists none): 605 on a Marketo path, 404 on the admin plane', async () => {
    const { app, headers } = await withReader();
    const head = await call(app, 'HEAD', '/rest/v1/lead/1.json', undefined, headers);
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe(''); // a HEAD answer has no body: the journal shows what it was
    const [entry] = await journalEntries(app, '?path=/rest/v1/lead/1.json');
    expect(entry).toMatchObject({ method: 'HEAD', path: '/rest/v1/lead/1.json', marketoCode: '605' });
    const admin = await call(app, 'HEAD', '/admin/workspaces');
    expect(admin.statusCode).toBe(404);
  });

  it('malformed JSON is 609 and a wrong content type 612, changing nothing', async () => {
    const { app, headers } = await withReader();
    const bad = await call(app, 'POST', '/rest/v1/leads.json', '{"input": [', {
      ...headers,
      'content-type': 'application/json',
    });
    expect(bad.statusCode).toBe(200);
    expect(bad.json().errors).toEqual([{ code: '609', message: 'Invalid JSON' }]);
    const text = await call(app, 'POST', '/rest/v1/leads.json', 'input=1', {
      ...headers,
      'content-type': 'text/plain',
    });
    expect(text.json().errors).toEqual([{ code: '612', message: 'Invalid Content Type' }]);
    const leads = await call(
      app,
      'GET',
      '/rest/v1/leads.json?filterType=leadPartitionId&filterValues=1',
      undefined,
      headers,
    );
    expect(leads.json().result).toEqual([]);
  });

  it('a body over 1 MB is HTTP 413 and a URI over 8 KB HTTP 414 (error-codes.md)', async () => {
    const { app, headers } = await withReader();
    const big = { input: [{ email: 'a@example.com', address: 'x'.repeat(1024 * 1024) }] };
    const tooLarge = await call(app, 'POST', '/rest/v1/leads.json', big, headers);
    expect(tooLarge.statusCode).toBe(413);
    const longUrl = `/rest/v1/leads.json?filterType=email&filterValues=${'a'.repeat(8 * 1024)}`;
    expect((await call(app, 'GET', longUrl, undefined, headers)).statusCode).toBe(414);
    // The documented way around 414: POST with _method=GET and the query in a form body.
    const values = Array.from({ length: 300 }, (_, i) => `someone-with-a-long-address-${i}@example.com`).join(',');
    expect(values.length).toBeGreaterThan(8 * 1024);
    const tunnelled = await call(
      app,
      'POST',
      '/rest/v1/leads.json?_method=GET',
      `filterType=email&filterValues=${values}`,
      {
        ...headers,
        'content-type': 'application/x-www-form-urlencoded',
      },
    );
    expect(tunnelled.statusCode).toBe(200);
    expect(tunnelled.json()).toMatchObject({ success: true, result: [] });
  });

  it('resolves /rest/../bulk-style dot segments and double slashes before routing', async () => {
    const { app, headers } = await withReader();
    for (const url of ['/rest/v1/../v1/leads/partitions.json', '/rest//v1/leads/partitions.json']) {
      const body = (await call(app, 'GET', url, undefined, headers)).json();
      expect(body.success, url).toBe(true);
      expect(body.result[0].name).toBe('Default');
    }
  });

  it('tolerates a body on GET', async () => {
    const { app, headers } = await withReader();
    const response = await call(app, 'GET', '/rest/v1/leads/partitions.json', { ignored: true }, headers);
    expect(response.json().success).toBe(true);
  });

  it('answers every Marketo response as application/json with a requestId', async () => {
    const { app, headers } = await withReader();
    for (const [method, url] of [
      ['GET', '/rest/v1/leads/describe2.json'],
      ['GET', '/rest/v1/nothing.json'],
      ['POST', '/rest/v1/leads.json'],
    ] as const) {
      const response = await call(app, method, url, method === 'POST' ? {} : undefined, headers);
      expect(response.headers['content-type'], url).toMatch(/^application\/json/);
      expect(response.json().requestId, url).toMatch(REQUEST_ID);
    }
  });
});

const SPEC_PATH = fileURLToPath(new URL('../../../shared/marketo-specs/swagger-mapi.json', import.meta.url));

/** Adobe's "Required Permissions:" text, normalised to catalog display names. */
function specPermissions(description: string): string[] {
  const text = /Required Permissions:\s*([^\n<]*)/.exec(description)?.[1] ?? '';
  return (
    text
      .split(/,| or /)
      // Adobe's spelling slips: "Read-Only Asset", "Read-Write Named Opportunity" on the opportunity operations, and
      // "Read-Only Campaigns" on the campaign operations.
      .map((name) =>
        name
          .trim()
          .replace(/^Read-Only Asset$/, 'Read-Only Assets')
          .replace(/^Read-Write Named Opportunity$/, 'Read-Write Opportunity')
          .replace(/^Read-(Only|Write) Campaigns$/, 'Read-$1 Campaign'),
      )
      .filter((name) => name !== '' && name !== 'None')
      .sort()
  );
}

describe.skipIf(!existsSync(SPEC_PATH))("x-marketo-permissions matches Adobe's specs", () => {
  it('every Marketo operation in the OpenAPI document lists the permissions its spec operation requires', async () => {
    const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
    const app = await buildApp();
    apps.push(app);
    const openapi = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    let compared = 0;
    for (const [path, operations] of Object.entries<Record<string, { 'x-marketo-permissions'?: string[] }>>(
      openapi.paths,
    )) {
      if (!path.startsWith('/rest/') && !path.startsWith('/bulk/')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation['x-marketo-permissions'], `${method} ${path}`).toBeDefined();
        const adobe = spec.paths[path]?.[method];
        if (!adobe) continue; // e.g. the legacy DELETE /rest/v1/leads.json, absent from the spec
        expect([...operation['x-marketo-permissions']!].sort(), `${method} ${path}`).toEqual(
          specPermissions(adobe.description),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(8);
  });
});
