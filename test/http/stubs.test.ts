import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import {
  accessToken,
  call,
  expectProblem,
  failingPaths,
  makeTempDir,
  newInstance,
  newLoggedInstance,
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

// Issue 23, item 18: an endpoint the fake does not serve answered Marketo's 610 and nothing said it was the fake's;
// the journal had neither its body nor its client id.
describe('an endpoint the fake does not serve', () => {
  it('keeps the 610 body, says so in a header and an info log line with the stub to add, and journals body and client', async () => {
    const { app: logged, lines } = await newLoggedInstance();
    try {
      const caller = await provisionService(logged, { permissions: ['read-write-lead'] });
      const headers = { authorization: `Bearer ${await accessToken(logged, caller)}` };
      const sent = { input: [{ name: 'Acme', client_secret: 'hidden' }] };
      const answer = await call(logged, 'POST', '/rest/v1/gizmos.json?dedupeBy=name', sent, headers);
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual({
        requestId: expect.any(String),
        success: false,
        errors: [{ code: '610', message: 'Requested resource not found' }],
      });
      expect(answer.headers['x-fake-marketo-not-served']).toBe('POST /rest/v1/gizmos.json');
      const [entry] = (await call(logged, 'GET', '/admin/requests?limit=1')).json().items;
      expect(entry).toMatchObject({
        method: 'POST',
        path: '/rest/v1/gizmos.json',
        marketoCode: '610',
        clientId: caller.clientId,
        body: { input: [{ name: 'Acme', client_secret: '[redacted]' }] },
      });
      const line = lines.map((text) => JSON.parse(text)).find((item) => /not served by fake-marketo/.test(item.msg));
      expect(line).toMatchObject({ level: 30, path: '/rest/v1/gizmos.json', clientId: caller.clientId });
      // The stub it names answers the call once added.
      const stub = JSON.parse(/add a stub: POST \/admin\/stubs (.*)$/.exec(line.msg)![1]!);
      expect((await call(logged, 'POST', '/admin/stubs', stub)).statusCode).toBe(201);
      const stubbed = await call(logged, 'POST', '/rest/v1/gizmos.json?dedupeBy=name', sent, headers);
      expect(stubbed.json()).toEqual({ success: true, result: [] });
      expect(lines.join('\n')).not.toContain('hidden');
    } finally {
      await logged.close();
    }
  });

  it('is 610 without a token or with a body it cannot parse; a known path with another verb stays 605, unmarked', async () => {
    expect((await call(app, 'GET', '/rest/v1/nope.json')).json().errors[0].code).toBe('610');
    const badJson = await app.inject({
      method: 'POST',
      url: '/rest/v1/nope.json',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload: '{"input":',
    });
    expect(badJson.json().errors).toEqual([{ code: '610', message: 'Requested resource not found' }]);
    expect(badJson.headers['x-fake-marketo-not-served']).toBe('POST /rest/v1/nope.json');
    const text = await call(app, 'POST', '/bulk/v1/nope.json', 'a,b', { ...auth(), 'content-type': 'text/csv' });
    expect(text.json().errors[0].code).toBe('610');
    const wrongVerb = await call(app, 'PUT', '/rest/v1/leads.json', undefined, auth());
    expect(wrongVerb.json().errors[0].code).toBe('605');
    expect(wrongVerb.headers['x-fake-marketo-not-served']).toBeUndefined();
    const [anonymous] = (await call(app, 'GET', '/admin/requests?path=/rest/v1/nope.json&method=GET')).json().items;
    expect(anonymous.clientId).toBeUndefined();
  });
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
    const post = (body: unknown, url = '/rest/v1/gizmoList/12/gizmos.json') => call(app, 'POST', url, body, auth());
    expect((await post({ input: [{ id: 7 }] })).json()).toEqual({ which: 'lead 7' });
    expect((await post({ input: [{ id: 8 }] })).json()).toEqual({ which: 'any' });
    expect((await post({ input: [{ id: 7 }] }, '/rest/v1/gizmoList/12/gizmos.json?batchSize=5')).json()).toEqual({
      which: 'lead 7',
    });
    expect((await call(app, 'GET', '/rest/v1/gizmoList/12/gizmos.json?batchSize=5', undefined, auth())).json()).toEqual(
      {
        which: 'any',
      },
    );
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

  it('a stub that needs no token, run out while a fault delayed the call: the real route answers as without it (601)', async () => {
    await addStub({
      match: { path: '/rest/v1/leads/describe.json' },
      responses: [{ body: { first: true } }],
      whenDone: 'fall-through',
      authenticate: false,
    });
    await call(app, 'POST', '/admin/faults', {
      match: { path: '/rest/v1/leads/describe.json' },
      respond: { delayMs: 50 },
    });
    // Both calls choose the stub before the delay; the first one after it takes its only answer.
    const answers = await Promise.all([1, 2].map(() => call(app, 'GET', '/rest/v1/leads/describe.json')));
    expect(answers.map((answer) => answer.json())).toEqual([
      { first: true },
      expect.objectContaining({ success: false, errors: [{ code: '601', message: 'Access token invalid' }] }),
    ]);
  });

  it('logs a denial by a stub’s own permissions once per caller, as a route’s (a retrying client does not flood it)', async () => {
    const { app: logged, lines } = await newLoggedInstance();
    try {
      app = logged;
      token = await accessToken(app, await provisionService(app, { permissions: ['read-only-assets'] }));
      await addStub({
        match: { path: '/rest/v1/gizmoLists.json' },
        respond: { body: LISTS },
        permissions: ['read-only-lead'],
      });
      for (let i = 0; i < 3; i++) {
        const denied = await call(app, 'GET', '/rest/v1/gizmoLists.json', undefined, auth());
        expect(denied.json()).toMatchObject({ success: false, errors: [{ code: '603' }] });
      }
      const denials = lines.filter((line) => (JSON.parse(line) as { msg: string }).msg.startsWith('access denied'));
      expect(denials).toHaveLength(1);
      expect(denials[0]).toContain('needs Read-Only Lead in at least one workspace');
    } finally {
      await logged.close();
    }
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
    // Node refuses to send these (ERR_INVALID_CHAR): every matching call answered 500 (issue 23, item 9).
    [
      'non-Latin-1 header value',
      { match: { path: '/rest/x' }, respond: { headers: { x: 'Ω' } } },
      'body.respond.headers.x',
    ],
    [
      'control character',
      { match: { path: '/rest/x' }, respond: { headers: { x: 'a\u0001' } } },
      'body.respond.headers.x',
    ],
    ['DEL', { match: { path: '/rest/x' }, respond: { headers: { x: '\u007f' } } }, 'body.respond.headers.x'],
    [
      'bad header in a sequence',
      { match: { path: '/rest/x' }, responses: [{}, { headers: { x: '😀' } }] },
      'body.responses.1.headers.x',
    ],
    ['a glob of more than 16 segments', { match: { path: `/rest${'/*'.repeat(16)}` }, respond: {} }, 'body.match.path'],
    ['a glob too long', { match: { path: `/rest/${'a'.repeat(500)}` }, respond: {} }, 'body.match.path'],
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

  it('takes header values Node can send: Latin-1 text and tabs', async () => {
    await addStub({ match: { path: '/rest/x' }, respond: { headers: { 'x-latin': 'café\tñ' }, body: {} } });
    const response = await call(app, 'GET', '/rest/x', undefined, auth());
    expect(response.statusCode).toBe(200);
    expect(Buffer.from(response.headers['x-latin'] as string, 'latin1').toString('latin1')).toBe('café\tñ');
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
    await call(app, 'POST', '/rest/v1/gizmoList/12/gizmos.json', { input: [{ id: 7 }], access_token: 'leak' }, auth());
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

  // Issue 23, item 7: routed calls were recorded as validated (defaults added, unknown fields dropped, values
  // coerced), stubbed ones as sent, so `verify` saw two different things.
  it('records the body as received, routed or stubbed alike', async () => {
    const sent = {
      input: [{ email: 'raw@example.com', id: undefined, score: '12', notAField: { nested: [1, 'two'] } }],
      extra: true,
    };
    const asSent = JSON.parse(JSON.stringify(sent));
    await addStub({ match: { method: 'POST', path: '/rest/v1/namedAccounts.json' }, respond: { body: {} } });
    await call(app, 'POST', '/rest/v1/namedAccounts.json', sent, auth());
    await call(app, 'POST', '/rest/v1/leads.json', sent, auth());
    await call(
      app,
      'POST',
      '/rest/v1/leads.json',
      { action: 'createOnly', lookupField: 'email', input: [{ email: 'n@example.com', numberOfEmployees: '5' }] },
      auth(),
    );
    // A form body, on a route that validates it (an Asset API create).
    await app.inject({
      method: 'POST',
      url: '/rest/asset/v1/folders.json',
      headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=Raw&parent=%7B%22id%22%3A1%2C%22type%22%3A%22Folder%22%7D&unknown=1',
    });
    const [form, typed, routed, stubbed] = (await call(app, 'GET', '/admin/requests?limit=4')).json().items;
    expect(stubbed).toMatchObject({ path: '/rest/v1/namedAccounts.json', body: asSent });
    expect(routed).toMatchObject({ path: '/rest/v1/leads.json', body: asSent });
    expect(typed.body).toEqual({
      action: 'createOnly',
      lookupField: 'email',
      input: [{ email: 'n@example.com', numberOfEmployees: '5' }],
    });
    expect(form).toMatchObject({
      path: '/rest/asset/v1/folders.json',
      body: { name: 'Raw', parent: '{"id":1,"type":"Folder"}', unknown: '1' },
    });
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
    await call(app, 'POST', '/rest/v1/gizmoList/12/gizmos.json', { input: [{ id: 1 }, { id: 2 }, { id: 3 }] }, auth());
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

describe("README's stubs section", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('#### Stubs'), readme.indexOf('\n### ', readme.indexOf('#### Stubs')));

  // It said static lists and programs were not implemented, and stubbed GET /rest/v1/lists.json (issue 23, item 19).
  it('stubs, in its examples, paths the fake does not serve', async () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const { stubs } = parseYaml(yaml) as { stubs: unknown[] };
    expect(stubs.length).toBeGreaterThan(0);
    for (const stub of stubs) expect((await addStub(stub)).shadows).toEqual([]);
    const code = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
    const [, method, path] = /match: \{ method: '(\w+)', path: '([^']+)' \}/.exec(code)!;
    const [, verifiedPath] = /fake\.verify\(\{ method: '\w+', path: '([^']+)' \}/.exec(code)!;
    expect((await addStub({ match: { method, path }, respond: { body: {} } })).shadows).toEqual([]);
    // The call the code example verifies, as a client sends it (an Asset API form body), and the body it shows.
    const shown = JSON.parse(
      /call\.body; \/\/ (.*)/
        .exec(code)![1]!
        .replace(/(\w+):/g, '"$1":')
        .replace(/'/g, '"'),
    ) as Record<string, string>;
    const sent = await app.inject({
      method: 'POST',
      url: verifiedPath!,
      headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(shown).toString(),
    });
    expect(sent.statusCode).toBe(200);
    const [entry] = (await call(app, 'GET', `/admin/requests?path=${verifiedPath}`)).json().items;
    expect(entry.body).toEqual(shown);
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
