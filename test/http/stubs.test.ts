import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import {
  accessToken,
  call,
  expectProblem,
  failingPaths,
  makeTempDir,
  newInstance,
  provisionService,
  type Provisioned,
} from '../helpers.js';

let app: FastifyInstance;
let service: Provisioned;
let token: string;
const auth = () => ({ authorization: `Bearer ${token}` });

const LISTS = { requestId: 'a#1', success: true, result: [{ id: 1001, name: 'Webinar attendees' }] };

async function addStub(stub: unknown) {
  const response = await call(app, 'POST', '/admin/stubs', stub);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; shadows: string[]; source: string; hits: number };
}

beforeEach(async () => {
  ({ app } = await newInstance());
  service = await provisionService(app, { permissions: ['read-write-lead'] });
  token = await accessToken(app, service);
});

describe('stubs on an unknown path', () => {
  it('answers 610 without a stub, and the stub once one is added', async () => {
    const before = await call(app, 'GET', '/rest/v1/gizmoLists.json', undefined, auth());
    expect(before.json()).toMatchObject({ success: false, errors: [{ code: '610' }] });
    const stub = await addStub({
      match: { method: 'GET', path: '/rest/v1/gizmoLists.json' },
      respond: { body: LISTS },
    });
    expect(stub).toMatchObject({ id: 'stub-1', source: 'admin', hits: 0, shadows: [] });
    const after = await call(app, 'GET', '/rest/v1/gizmoLists.json', undefined, auth());
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual(LISTS);
    expect((await call(app, 'GET', '/admin/stubs')).json().items[0]).toMatchObject({ id: 'stub-1', hits: 1 });
  });

  it('still needs an access token (601), unless the stub says authenticate: false', async () => {
    await addStub({ match: { path: '/rest/v1/gizmoLists.json' }, respond: { body: LISTS } });
    const anonymous = await call(app, 'GET', '/rest/v1/gizmoLists.json');
    expect(anonymous.json()).toMatchObject({ success: false, errors: [{ code: '601' }] });
    await addStub({ match: { path: '/rest/v1/open.json' }, respond: { body: { ok: true } }, authenticate: false });
    expect((await call(app, 'GET', '/rest/v1/open.json')).json()).toEqual({ ok: true });
  });

  it('checks the permissions it declares: 603 in the path’s wire format', async () => {
    await addStub({
      match: { path: '/rest/asset/v1/programs.json' },
      respond: { body: { success: true } },
      permissions: ['read-only-assets'],
    });
    await addStub({
      match: { path: '/rest/v1/gizmoLists.json' },
      respond: { body: LISTS },
      permissions: ['read-only-lead'],
    });
    const asset = await call(app, 'GET', '/rest/asset/v1/programs.json', undefined, auth());
    expect(asset.json()).toMatchObject({ success: false, errors: [{ code: '603' }], warnings: [] });
    // read-write-lead implies read-only-lead.
    expect((await call(app, 'GET', '/rest/v1/gizmoLists.json', undefined, auth())).json()).toEqual(LISTS);
    const journal = (await call(app, 'GET', '/admin/requests?path=/rest/asset/**')).json().items;
    expect(journal[0]).toMatchObject({ marketoCode: '603', decision: { allowed: false } });
  });

  it('matches on query, client id and a JSON body subset; the newest matching stub wins', async () => {
    await addStub({
      match: { path: '/rest/v1/gizmoList/*/gizmos.json' },
      respond: { body: { which: 'any' } },
    });
    await addStub({
      match: { method: 'POST', path: '/rest/v1/gizmoList/*/gizmos.json', body: { input: [{ id: 7 }] } },
      respond: { body: { which: 'lead 7' } },
    });
    await addStub({
      match: {
        path: '/rest/v1/gizmoList/*/gizmos.json',
        query: { batchSize: '5' },
        clientId: 'someone-else',
      },
      respond: { body: { which: 'other client' } },
    });
    const post = (body: unknown, url = '/rest/v1/gizmoList/12/gizmos.json') =>
      call(app, 'POST', url, body, auth());
    expect((await post({ input: [{ id: 7 }] })).json()).toEqual({ which: 'lead 7' });
    expect((await post({ input: [{ id: 8 }] })).json()).toEqual({ which: 'any' });
    expect(
      (await post({ input: [{ id: 7 }] }, '/rest/v1/gizmoList/12/gizmos.json?batchSize=5')).json(),
    ).toEqual({
      which: 'lead 7',
    });
    expect(
      (await call(app, 'GET', '/rest/v1/gizmoList/12/gizmos.json?batchSize=5', undefined, auth())).json(),
    ).toEqual({
      which: 'any',
    });
  });

  it('answers a text body with its status and headers (a bulk export file)', async () => {
    await addStub({
      match: { method: 'GET', path: '/bulk/v1/leads/export/*/file.json' },
      respond: { status: 200, headers: { 'content-type': 'text/csv', 'x-stub': 'yes' }, text: 'id,email\n1,a@b.c\n' },
    });
    const file = await call(app, 'GET', '/bulk/v1/leads/export/abc/file.json', undefined, auth());
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv');
    expect(file.headers['x-stub']).toBe('yes');
    expect(file.body).toBe('id,email\n1,a@b.c\n');
  });

  it('answers in the User Management format on /userservice (603 → HTTP 403, an unmatched path 610 → 404)', async () => {
    await addStub({
      match: { method: 'GET', path: '/userservice/management/v1/users/allusers.json' },
      respond: { body: [{ userid: 'a@b.c' }] },
      permissions: ['access-user-management-api'],
    });
    const denied = await call(app, 'GET', '/userservice/management/v1/users/allusers.json', undefined, auth());
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({ errors: [{ code: 603, message: 'Access denied' }] });
    const unknown = await call(app, 'GET', '/userservice/management/v1/roles.json', undefined, auth());
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ errors: [{ code: 610, message: 'Requested resource not found' }] });
  });

  it('gives the concurrency slot back when a stubbed call is refused (603) or answered', async () => {
    await call(app, 'PUT', '/admin/limits', { enabled: true, concurrency: 1 });
    await addStub({
      match: { path: '/rest/v1/programs.json' },
      respond: { body: {} },
      permissions: ['read-only-assets'],
    });
    for (let i = 0; i < 3; i++) {
      const answer = await call(app, 'GET', '/rest/v1/programs.json', undefined, auth());
      expect(answer.json()).toMatchObject({ errors: [{ code: '603' }] });
    }
    expect((await call(app, 'GET', '/admin/limits')).json().counters.inFlight).toBe(0);
  });

  it('a wrong verb on a real path is still 605 and an unmatched stubbed family 610', async () => {
    await addStub({ match: { method: 'GET', path: '/rest/v1/gizmoLists.json' }, respond: { body: LISTS } });
    const wrongVerb = await call(app, 'DELETE', '/rest/v1/leads/describe.json', undefined, auth());
    expect(wrongVerb.json()).toMatchObject({ errors: [{ code: '605' }] });
    const unmatched = await call(app, 'POST', '/rest/v1/gizmoLists.json', {}, auth());
    expect(unmatched.json()).toMatchObject({ errors: [{ code: '610' }] });
  });
});

describe('stubs on a real route, faults and sequences', () => {
  it('a stub overrides a real route, is flagged as shadowing it, and journalled as stubbed', async () => {
    const stub = await addStub({
      match: { method: 'GET', path: '/rest/v1/leads/describe.json' },
      respond: { body: { requestId: 'x#1', success: true, result: [] } },
    });
    expect(stub.shadows).toEqual(['GET /rest/v1/leads/describe.json']);
    const answer = await call(app, 'GET', '/rest/v1/leads/describe.json', undefined, auth());
    expect(answer.json()).toEqual({ requestId: 'x#1', success: true, result: [] });
    const [entry] = (await call(app, 'GET', '/admin/requests?stubId=stub-1')).json().items;
    expect(entry).toMatchObject({ path: '/rest/v1/leads/describe.json', stubId: 'stub-1', status: 200 });
    // Removed: the real route answers again.
    expect((await call(app, 'DELETE', '/admin/stubs/stub-1')).statusCode).toBe(204);
    const real = await call(app, 'GET', '/rest/v1/leads/describe.json', undefined, auth());
    expect(real.json().result.length).toBeGreaterThan(0);
  });

  it('a stub on a real route without permissions uses the route’s (603 for a caller without them)', async () => {
    await addStub({ match: { path: '/rest/v1/leads/describe.json' }, respond: { body: { stubbed: true } } });
    const weak = await provisionService(app, { permissions: ['read-only-assets'] });
    const weakToken = await accessToken(app, weak);
    const denied = await call(app, 'GET', '/rest/v1/leads/describe.json', undefined, {
      authorization: `Bearer ${weakToken}`,
    });
    expect(denied.json()).toMatchObject({ errors: [{ code: '603' }] });
  });

  it('a stub with authenticate: false answers a real route without a token; the real route still wants one', async () => {
    await addStub({
      match: { method: 'GET', path: '/rest/v1/leads/describe.json', query: { open: '1' } },
      respond: { body: { open: true } },
      authenticate: false,
    });
    expect((await call(app, 'GET', '/rest/v1/leads/describe.json?open=1')).json()).toEqual({ open: true });
    const closed = await call(app, 'GET', '/rest/v1/leads/describe.json');
    expect(closed.json()).toMatchObject({ success: false, errors: [{ code: '601' }] });
  });

  it('a fault goes before a stub', async () => {
    await addStub({ match: { path: '/rest/v1/gizmoLists.json' }, respond: { body: LISTS } });
    await call(app, 'POST', '/admin/faults', {
      match: { path: '/rest/v1/gizmoLists.json' },
      respond: { marketoError: { code: '606' } },
      times: 1,
    });
    expect((await call(app, 'GET', '/rest/v1/gizmoLists.json', undefined, auth())).json()).toMatchObject({
      errors: [{ code: '606' }],
    });
    expect((await call(app, 'GET', '/rest/v1/gizmoLists.json', undefined, auth())).json()).toEqual(LISTS);
  });

  it('answers a sequence in turn, then repeats the last', async () => {
    const status = (s: string) => ({ body: { success: true, result: [{ exportId: 'e1', status: s }] } });
    await addStub({
      match: { path: '/bulk/v1/leads/export/e1/status.json' },
      responses: [status('Queued'), status('Processing'), status('Completed')],
    });
    const seen = [];
    for (let i = 0; i < 4; i++) {
      seen.push(
        (await call(app, 'GET', '/bulk/v1/leads/export/e1/status.json', undefined, auth())).json().result[0].status,
      );
    }
    expect(seen).toEqual(['Queued', 'Processing', 'Completed', 'Completed']);
  });

  it('falls through to the real route (or 610) once a fall-through sequence is done', async () => {
    await addStub({
      match: { path: '/rest/v1/leads/describe.json' },
      responses: [{ body: { first: true } }],
      whenDone: 'fall-through',
    });
    expect((await call(app, 'GET', '/rest/v1/leads/describe.json', undefined, auth())).json()).toEqual({ first: true });
    const real = await call(app, 'GET', '/rest/v1/leads/describe.json', undefined, auth());
    expect(real.json()).toMatchObject({ success: true });
    expect(real.json().result.length).toBeGreaterThan(0);
  });

  it('holds and releases the concurrency slot on a stubbed unknown path', async () => {
    await call(app, 'PUT', '/admin/limits', { enabled: true, concurrency: 1 });
    await addStub({ match: { path: '/rest/v1/gizmoLists.json' }, respond: { body: LISTS } });
    for (let i = 0; i < 3; i++) {
      expect((await call(app, 'GET', '/rest/v1/gizmoLists.json', undefined, auth())).json()).toEqual(LISTS);
    }
    expect((await call(app, 'GET', '/admin/limits')).json().counters.inFlight).toBe(0);
  });
});

describe('/admin/stubs input', () => {
  it.each([
    ['no respond', { match: { path: '/rest/v1/gizmoLists.json' } }, 'body.respond'],
    ['both', { match: { path: '/rest/v1/x.json' }, respond: {}, responses: [{}] }, 'body.respond'],
    ['not a Marketo path', { match: { path: '/admin/x' }, respond: {} }, 'body.match.path'],
    ['unknown permission', { match: { path: '/rest/x' }, respond: {}, permissions: ['nope'] }, 'body.permissions.0'],
    [
      'admin permission',
      { match: { path: '/rest/x' }, respond: {}, permissions: ['access-users'] },
      'body.permissions.0',
    ],
    ['body and text', { match: { path: '/rest/x' }, respond: { body: 1, text: 'a' } }, 'body.respond'],
    ['bad header', { match: { path: '/rest/x' }, respond: { headers: { 'a b': 'c' } } }, 'body.respond.headers.a b'],
    [
      'framing header',
      { match: { path: '/rest/x' }, respond: { headers: { 'Content-Length': '1' } } },
      'body.respond.headers.Content-Length',
    ],
    ['status', { match: { path: '/rest/x' }, respond: { status: 99 } }, 'body.respond.status'],
    ['whenDone alone', { match: { path: '/rest/x' }, respond: {}, whenDone: 'fall-through' }, 'body.whenDone'],
    [
      'no auth but permissions',
      { match: { path: '/rest/x' }, respond: {}, authenticate: false, permissions: ['read-only-lead'] },
      'body.permissions',
    ],
    ['extra key', { match: { path: '/rest/x' }, respond: {}, extra: 1 }, 'body'],
  ])('%s → 400, nothing stored', async (_name, body, path) => {
    const problem = expectProblem(await call(app, 'POST', '/admin/stubs', body), 400);
    expect(failingPaths(problem).join(' ')).toContain(path);
    expect((await call(app, 'GET', '/admin/stubs')).json().items).toEqual([]);
  });

  it('refuses a body too deep, bad JSON and a taken id with 400', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 80; i++) deep = [deep];
    expectProblem(
      await call(app, 'POST', '/admin/stubs', { match: { path: '/rest/x' }, respond: { body: deep } }),
      400,
    );
    const badJson = await app.inject({
      method: 'POST',
      url: '/admin/stubs',
      headers: { 'content-type': 'application/json' },
      payload: '{"match":',
    });
    expectProblem(badJson, 400);
    await addStub({ id: 'lists', match: { path: '/rest/x' }, respond: {} });
    expectProblem(
      await call(app, 'POST', '/admin/stubs', { id: 'lists', match: { path: '/rest/y' }, respond: {} }),
      400,
    );
    expect((await call(app, 'GET', '/admin/stubs')).json().items).toHaveLength(1);
    expect((await call(app, 'DELETE', '/admin/stubs/nope')).statusCode).toBe(404);
  });
});

describe('the journal for verification', () => {
  it('keeps the request body (secrets redacted), the Marketo code and the stub id, and filters on them', async () => {
    await addStub({
      id: 'add-to-list',
      match: { method: 'POST', path: '/rest/v1/gizmoList/*/gizmos.json' },
      respond: { body: { requestId: 'a#1', success: false, errors: [{ code: '1004', message: 'Lead not found' }] } },
    });
    await call(
      app,
      'POST',
      '/rest/v1/gizmoList/12/gizmos.json',
      { input: [{ id: 7 }], access_token: 'leak' },
      auth(),
    );
    await call(app, 'GET', '/rest/v1/leads/describe.json', undefined, auth());
    const filtered = async (query: string) =>
      (await call(app, 'GET', `/admin/requests?${query}`)).json().items as Record<string, unknown>[];
    const [entry] = await filtered('stubId=add-to-list');
    expect(entry).toMatchObject({
      method: 'POST',
      path: '/rest/v1/gizmoList/12/gizmos.json',
      stubId: 'add-to-list',
      marketoCode: '1004',
      clientId: service.clientId,
      body: { input: [{ id: 7 }], access_token: '[redacted]' },
    });
    expect(await filtered('code=1004')).toHaveLength(1);
    expect(await filtered('method=post')).toHaveLength(1);
    expect((await filtered('method=GET')).map((e) => e.path)).toContain('/rest/v1/leads/describe.json');
    expect(await filtered(`clientId=${service.clientId}&path=/rest/v1/gizmoList/**`)).toHaveLength(1);
    expect(await filtered('code=603')).toHaveLength(0);
    // The identity call's form body is kept without its secret.
    const form = await app.inject({
      method: 'POST',
      url: '/identity/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${service.clientId}&client_secret=${service.clientSecret}`,
    });
    expect(form.statusCode).toBe(200);
    const [identity] = await filtered('path=/identity/**');
    expect(JSON.stringify(identity)).not.toContain(service.clientSecret);
    expect(identity!.body).toMatchObject({ client_secret: '[redacted]' });
  });

  it('counts the per-record outcomes of an answer, stubbed or real', async () => {
    await addStub({
      match: { method: 'POST', path: '/rest/v1/gizmoList/*/gizmos.json' },
      respond: {
        body: {
          requestId: 'a#1',
          success: true,
          result: [
            { id: 1, status: 'added' },
            { id: 2, status: 'added' },
            { id: 3, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
          ],
        },
      },
    });
    await call(
      app,
      'POST',
      '/rest/v1/gizmoList/12/gizmos.json',
      { input: [{ id: 1 }, { id: 2 }, { id: 3 }] },
      auth(),
    );
    const sync = await call(
      app,
      'POST',
      '/rest/v1/leads.json',
      { input: [{ email: 'a@example.com' }, { email: 'b@example.com' }, { email: 'a@example.com' }] },
      auth(),
    );
    expect(sync.json().success).toBe(true);
    await call(app, 'GET', '/rest/v1/leads/describe.json', undefined, auth());
    const [read, write, stubbed] = (await call(app, 'GET', '/admin/requests?limit=3')).json().items;
    expect(read.outcomes).toBeUndefined();
    // The third record names the lead the first created, in the same batch.
    expect(sync.json().result.map((item: { status: string }) => item.status)).toEqual([
      'created',
      'created',
      'updated',
    ]);
    expect(write.outcomes).toEqual({ created: 2, updated: 1 });
    expect(stubbed.outcomes).toEqual({ added: 2, skipped: 1 });
  });

  it('bounds a body with the query in the entry’s 64 KiB, cut and marked truncated', async () => {
    await addStub({
      match: { path: '/rest/v1/gizmoList/*/gizmos.json' },
      respond: { body: { ok: true } },
    });
    const big = 'x'.repeat(200 * 1024);
    const sent = await call(
      app,
      'POST',
      '/rest/v1/gizmoList/12/gizmos.json',
      { input: [{ id: 7 }], note: big, client_secret: 'oops' },
      auth(),
    );
    expect(sent.json()).toEqual({ ok: true });
    const [entry] = (await call(app, 'GET', '/admin/requests?limit=1')).json().items;
    expect(entry.truncated).toBe(true);
    expect(typeof entry.body).toBe('string');
    expect(Buffer.byteLength(entry.body)).toBeLessThanOrEqual(64 * 1024);
    expect(entry.body.startsWith('{"input":[{"id":7}]')).toBe(true);
  });
});

describe('stubs live in memory', () => {
  it('an admin-added stub does not survive a restart on a file database; a seed’s comes back', async () => {
    const dir = makeTempDir();
    try {
      const config = testConfig({ DATABASE_PATH: join(dir.path, 'fake.sqlite') });
      const seed = {
        stubs: [{ id: 'from-seed', match: { path: '/rest/v1/gizmoLists.json' }, respond: { body: {} } }],
      };
      const first = await buildApp({ config, seed });
      await call(first, 'POST', '/admin/stubs', { id: 'added', match: { path: '/rest/x' }, respond: {} });
      expect((await call(first, 'GET', '/admin/stubs')).json().items).toHaveLength(2);
      await first.close();
      const second = await buildApp({ config, seed });
      const ids = (await call(second, 'GET', '/admin/stubs')).json().items.map((stub: { id: string }) => stub.id);
      await second.close();
      expect(ids).toEqual(['from-seed']);
    } finally {
      dir.remove();
    }
  });
});
