import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Stubs } from '../../src/domain/stubs.js';
import { call, expectProblem, newSeededInstance, tokenFor } from '../helpers.js';

/**
 * Issue 33: stubs at WireMock's level, through the admin plane and the Marketo plane, on paths no family serves
 * (gizmos). One seeded instance for the file; every test starts from a reset (no stubs, scenarios Started, an empty
 * journal).
 */

const GIZMO = { clientId: 'gizmo-client', clientSecret: 'gizmo-secret-0000000000000000000' };
const ASSETS = { clientId: 'assets-client', clientSecret: 'assets-secret-000000000000000000' };

const seed = {
  workspaces: [{ name: 'Europe' }],
  roles: [
    { name: 'Gizmos', permissions: ['read-write-lead' as const] },
    { name: 'Assets', permissions: ['read-only-assets' as const] },
  ],
  users: [
    { email: 'gizmo@example.com', roles: [{ role: 'Gizmos', workspace: 'Europe' }] },
    { email: 'assets@example.com', roles: [{ role: 'Assets', workspace: 'Default' }] },
  ],
  services: [
    { name: 'Gizmo Service', user: 'gizmo@example.com', ...GIZMO },
    { name: 'Assets Service', user: 'assets@example.com', ...ASSETS },
  ],
};

let app: FastifyInstance;
let token: string;
const auth = (bearer = token) => ({ authorization: `Bearer ${bearer}` });

async function addStub(stub: unknown) {
  const response = await call(app, 'POST', '/admin/stubs', stub);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string };
}

async function refused(stub: unknown) {
  return expectProblem(await call(app, 'POST', '/admin/stubs', stub), 400);
}

const get = (url: string, headers: Record<string, string> = auth()) => call(app, 'GET', url, undefined, headers);
const post = (url: string, body: unknown, headers: Record<string, string> = auth()) =>
  call(app, 'POST', url, body, headers);

beforeAll(async () => {
  ({ app } = await newSeededInstance(seed));
});

afterAll(async () => {
  await app.close();
});

beforeEach(async () => {
  expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
  token = await tokenFor(app, GIZMO);
});

describe('matchers on headers, query and body', () => {
  it('matches headers (any case in the stub) with equalTo, matches and absent', async () => {
    await addStub({
      match: { path: '/rest/v1/gizmos.json', headers: { 'X-Tenant': 'acme', 'x-trace': { matches: '[0-9a-f]{8}' } } },
      respond: { body: { which: 'acme traced' } },
    });
    await addStub({
      match: { path: '/rest/v1/gizmos.json', headers: { 'x-tenant': { absent: true } } },
      respond: { body: { which: 'no tenant' } },
    });
    expect(
      (await get('/rest/v1/gizmos.json', { ...auth(), 'x-tenant': 'acme', 'x-trace': 'deadbeef' })).json(),
    ).toEqual({
      which: 'acme traced',
    });
    // A regular expression matches the whole value.
    const partial = await get('/rest/v1/gizmos.json', { ...auth(), 'x-tenant': 'acme', 'x-trace': 'deadbeef-1' });
    expect(partial.json().errors[0].code).toBe('610');
    expect((await get('/rest/v1/gizmos.json')).json()).toEqual({ which: 'no tenant' });
  });

  it('matches query parameters: a text (as before), contains, matches, doesNotMatch, absent; repeated ones by any value', async () => {
    await addStub({
      match: {
        path: '/rest/v1/gizmos.json',
        query: {
          filterType: 'email',
          filterValues: { contains: '@example.com' },
          batchSize: { matches: '[1-9][0-9]?' },
          fields: { doesNotMatch: '.*secret.*' },
          nextPageToken: { absent: true },
        },
      },
      respond: { body: { which: 'query' } },
    });
    const url = '/rest/v1/gizmos.json?filterType=email&filterValues=a@example.com,b@x.org&batchSize=50&fields=id';
    expect((await get(url)).json()).toEqual({ which: 'query' });
    expect((await get(`${url}&nextPageToken=abc`)).json().errors[0].code).toBe('610');
    expect((await get(url.replace('batchSize=50', 'batchSize=500'))).json().errors[0].code).toBe('610');
    expect((await get(url.replace('fields=id', 'fields=secretField'))).json().errors[0].code).toBe('610');
    await addStub({ match: { path: '/rest/v1/gizmoTags.json', query: { tag: 'b' } }, respond: { body: { tag: 'b' } } });
    expect((await get('/rest/v1/gizmoTags.json?tag=a&tag=b')).json()).toEqual({ tag: 'b' });
  });

  it('matches the body as text: equalTo, contains, matches (a JSON body as compact JSON)', async () => {
    await addStub({
      match: { method: 'POST', path: '/rest/v1/gizmos.json', bodyPatterns: [{ equalTo: '{"action":"createOnly"}' }] },
      respond: { body: { which: 'equalTo' } },
    });
    await addStub({
      match: { method: 'POST', path: '/rest/v1/gizmos.json', bodyPatterns: [{ contains: '"dedupeBy":"name"' }] },
      respond: { body: { which: 'contains' } },
    });
    await addStub({
      match: { method: 'POST', path: '/rest/v1/gizmos.json', bodyPatterns: [{ matches: '.*"name":"G[0-9]+".*' }] },
      respond: { body: { which: 'matches' } },
    });
    expect((await post('/rest/v1/gizmos.json', { action: 'createOnly' })).json()).toEqual({ which: 'equalTo' });
    expect((await post('/rest/v1/gizmos.json', { dedupeBy: 'name', input: [] })).json()).toEqual({ which: 'contains' });
    expect((await post('/rest/v1/gizmos.json', { input: [{ name: 'G42' }] })).json()).toEqual({ which: 'matches' });
    expect((await post('/rest/v1/gizmos.json', { input: [{ name: 'X' }] })).json().errors[0].code).toBe('610');
  });

  it('equalToJson: exact by default, ignoring array order and extra elements when asked; a text holding JSON too', async () => {
    const input = [{ id: 1 }, { id: 2 }];
    await addStub({
      id: 'exact',
      match: {
        method: 'POST',
        path: '/rest/v1/gizmos.json',
        bodyPatterns: [{ equalToJson: '{"input":[{"id":1},{"id":2}]}' }],
      },
      respond: { body: { which: 'exact' } },
    });
    await addStub({
      id: 'loose',
      priority: 6,
      match: {
        method: 'POST',
        path: '/rest/v1/gizmos.json',
        bodyPatterns: [{ equalToJson: { input }, ignoreArrayOrder: true, ignoreExtraElements: true }],
      },
      respond: { body: { which: 'loose' } },
    });
    expect((await post('/rest/v1/gizmos.json', { input })).json()).toEqual({ which: 'exact' });
    const reordered = { input: [{ id: 3 }, { id: 2, name: 'b' }, { id: 1 }], action: 'createOnly' };
    expect((await post('/rest/v1/gizmos.json', reordered)).json()).toEqual({ which: 'loose' });
    // Each expected item needs an item of its own: two expected items cannot share one.
    expect((await post('/rest/v1/gizmos.json', { input: [{ id: 1 }, { id: 1 }] })).json().errors[0].code).toBe('610');
  });

  it('matchesJsonPath: a path that selects something, a filter, and a sub-matcher on the selected values', async () => {
    await addStub({
      match: {
        method: 'POST',
        path: '/rest/v1/gizmos.json',
        bodyPatterns: [
          { matchesJsonPath: '$.input[0].email' },
          { matchesJsonPath: "$.input[?(@.tier == 'gold')]" },
          { matchesJsonPath: { expression: '$..email', matches: '.*@acme\\.com' } },
          { matchesJsonPath: { expression: '$.lookupField', equalTo: 'email' } },
        ],
      },
      respond: { body: { which: 'json path' } },
    });
    const body = {
      lookupField: 'email',
      input: [{ email: 'ann@x.org' }, { email: 'bob@acme.com', tier: 'gold' }],
    };
    expect((await post('/rest/v1/gizmos.json', body)).json()).toEqual({ which: 'json path' });
    const silver = { ...body, input: [{ email: 'ann@x.org' }, { email: 'bob@acme.com', tier: 'silver' }] };
    expect((await post('/rest/v1/gizmos.json', silver)).json().errors[0].code).toBe('610');
    // Members are own members only: no prototype behind a path.
    await addStub({
      match: {
        method: 'POST',
        path: '/rest/v1/gizmoProtos.json',
        bodyPatterns: [{ matchesJsonPath: '$.constructor' }],
      },
      respond: { body: { which: 'prototype' } },
    });
    expect((await post('/rest/v1/gizmoProtos.json', { a: 1 })).json().errors[0].code).toBe('610');
  });

  it('refuses at creation what would be slow or is not the language, naming the place (problem+json, 400)', async () => {
    const paths = async (stub: unknown) => (await refused(stub)).errors!.map((error) => [error.path, error.message]);
    expect(
      await paths({ match: { path: '/rest/v1/gizmos.json', headers: { 'x-a': { matches: '(a+)\\1' } } }, respond: {} }),
    ).toEqual([
      ['body.match.headers.x-a', expect.stringMatching(/invalid escape sequence.*RE2 syntax, run in linear time/)],
    ]);
    expect(
      await paths({ match: { path: '/rest/v1/gizmos.json', query: { q: { matches: '(?=a)a' } } }, respond: {} }),
    ).toEqual([['body.match.query.q', expect.stringMatching(/Perl syntax.*no backreferences or lookaround/)]]);
    expect(
      await paths({
        match: {
          path: '/rest/v1/gizmos.json',
          bodyPatterns: [{ equalTo: 'x' }, { matchesJsonPath: '$.a[?(@.b > 1)]' }],
        },
        respond: {},
      }),
    ).toEqual([
      ['body.match.bodyPatterns.1', expect.stringMatching(/^matchesJsonPath: a filter compares with == or != only/)],
    ]);
    expect(
      await paths({
        match: { path: '/rest/v1/gizmos.json', bodyPatterns: [{ equalToJson: '{not json' }] },
        respond: {},
      }),
    ).toEqual([['body.match.bodyPatterns.0', expect.stringMatching(/equalToJson: a text must hold JSON/)]]);
    expect(
      await paths({ match: { path: '/rest/v1/gizmos.json', bodyPatterns: [{ startsWith: 'x' }] }, respond: {} }),
    ).toContainEqual(['body.match.bodyPatterns.0', 'Unrecognized key: "startsWith"']);
    expect(
      await paths({
        match: { path: '/rest/v1/gizmos.json', headers: { 'x-a': { matches: 'a'.repeat(1001) } } },
        respond: {},
      }),
    ).toEqual([['body.match.headers.x-a', 'at most 1000 characters']]);
  });
});

describe('priorities and times', () => {
  it('the highest priority (lowest number) answers, the newest of one priority first', async () => {
    await addStub({
      id: 'high-old',
      priority: 1,
      match: { path: '/rest/v1/gizmos.json' },
      respond: { body: { n: 1 } },
    });
    await addStub({ id: 'default-new', match: { path: '/rest/v1/gizmos.json' }, respond: { body: { n: 2 } } });
    await addStub({
      id: 'high-new',
      priority: 1,
      match: { path: '/rest/v1/gizmos.json' },
      respond: { body: { n: 3 } },
    });
    expect((await get('/rest/v1/gizmos.json')).json()).toEqual({ n: 3 });
    const listed = (await call(app, 'GET', '/admin/stubs')).json().items.map((stub: { id: string }) => stub.id);
    expect(listed).toEqual(['high-new', 'high-old', 'default-new']);
  });

  it('times: answers N calls, then the call goes on as if the stub were not there', async () => {
    await addStub({ id: 'fallback', match: { path: '/rest/v1/gizmos.json' }, respond: { body: { n: 'fallback' } } });
    await addStub({
      id: 'twice',
      times: 2,
      match: { path: '/rest/v1/gizmos.json' },
      respond: { body: { n: 'twice' } },
    });
    await addStub({ id: 'once', times: 1, match: { path: '/rest/v1/gizmoOnce.json' }, respond: { body: { n: 1 } } });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await get('/rest/v1/gizmos.json')).json().n);
    expect(answers).toEqual(['twice', 'twice', 'fallback']);
    expect((await get('/rest/v1/gizmoOnce.json')).json()).toEqual({ n: 1 });
    expect((await get('/rest/v1/gizmoOnce.json')).json().errors[0].code).toBe('610');
    const [unmatched] = (await call(app, 'GET', '/admin/requests/unmatched')).json().items;
    expect(unmatched.nearMisses[0]).toEqual({
      stubId: 'once',
      misses: [{ part: 'times', expected: 'at most 1 answer(s)', actual: 'answered 1' }],
    });
  });
});

describe('scenarios', () => {
  const scenarioStubs = [
    {
      id: 'queued',
      scenarioName: 'export',
      requiredScenarioState: 'Started',
      newScenarioState: 'Processing',
      match: { method: 'POST', path: '/bulk/v1/gizmos/export/*/enqueue.json' },
      respond: { body: { success: true, result: [{ status: 'Queued' }] } },
    },
    {
      id: 'processing',
      scenarioName: 'export',
      requiredScenarioState: 'Processing',
      newScenarioState: 'Completed',
      match: { path: '/bulk/v1/gizmos/export/*/status.json' },
      respond: { body: { success: true, result: [{ status: 'Processing' }] } },
    },
    {
      id: 'completed',
      scenarioName: 'export',
      requiredScenarioState: 'Completed',
      match: { path: '/bulk/v1/gizmos/export/*/status.json' },
      respond: { body: { success: true, result: [{ status: 'Completed' }] } },
    },
  ];
  const status = async () => (await get('/bulk/v1/gizmos/export/7/status.json')).json();

  it('stubs answer in the state they require and move the scenario on; reset returns it to Started', async () => {
    for (const stub of scenarioStubs) await addStub(stub);
    expect((await status()).errors[0].code).toBe('610');
    expect((await post('/bulk/v1/gizmos/export/7/enqueue.json', {})).json().result[0].status).toBe('Queued');
    expect((await status()).result[0].status).toBe('Processing');
    expect((await status()).result[0].status).toBe('Completed');
    expect((await status()).result[0].status).toBe('Completed');
    expect((await call(app, 'GET', '/admin/scenarios')).json()).toEqual({
      items: [{ name: 'export', state: 'Completed', states: ['Started', 'Processing', 'Completed'] }],
    });
    // The near miss of the first status call names the scenario's state.
    const unmatched = (await call(app, 'GET', '/admin/requests/unmatched')).json().items;
    expect(unmatched).toHaveLength(1);
    // Held against the stubs as they stand now: the scenario is Completed, so 'completed' would answer it now.
    expect(unmatched[0].nearMisses.slice(0, 2)).toEqual([
      { stubId: 'completed', misses: [] },
      {
        stubId: 'processing',
        misses: [{ part: 'scenario', expected: 'export in state "Processing"', actual: '"Completed"' }],
      },
    ]);
    await call(app, 'POST', '/admin/reset');
    for (const stub of scenarioStubs) await addStub(stub);
    expect((await call(app, 'GET', '/admin/scenarios')).json().items[0].state).toBe('Started');
  });

  it('PUT /admin/scenarios/{name}/state sets a state; an unknown scenario is 404, a bad body 400', async () => {
    for (const stub of scenarioStubs) await addStub(stub);
    const put = await call(app, 'PUT', '/admin/scenarios/export/state', { state: 'Completed' });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ name: 'export', state: 'Completed' });
    expect((await status()).result[0].status).toBe('Completed');
    expectProblem(await call(app, 'PUT', '/admin/scenarios/nope/state', { state: 'x' }), 404);
    expectProblem(await call(app, 'PUT', '/admin/scenarios/export/state', { state: '' }), 400);
    expect(
      (await refused({ requiredScenarioState: 'x', match: { path: '/rest/v1/gizmos.json' }, respond: {} })).errors,
    ).toEqual([{ path: 'body.scenarioName', message: 'a scenario state needs a scenarioName' }]);
  });

  it('a scenario goes with the last stub that names it (as WireMock drops it), so adding and removing stubs holds no more', async () => {
    const named = (id: string, scenarioName: string) => ({
      id,
      scenarioName,
      match: { path: '/rest/v1/gizmos.json' },
      respond: { body: {} },
    });
    for (let i = 0; i < 3; i++) {
      await addStub(named(`passing-${i}`, `passing scenario ${i}`));
      expect((await call(app, 'DELETE', `/admin/stubs/passing-${i}`)).statusCode).toBe(204);
    }
    expect((await call(app, 'GET', '/admin/scenarios')).json()).toEqual({ items: [] });
    expectProblem(await call(app, 'PUT', '/admin/scenarios/passing%20scenario%200/state', { state: 'x' }), 404);
    // While another stub names it, the scenario and its state stay.
    await addStub(named('first', 'shared'));
    await addStub(named('second', 'shared'));
    expect((await call(app, 'PUT', '/admin/scenarios/shared/state', { state: 'Halfway' })).statusCode).toBe(200);
    expect((await call(app, 'DELETE', '/admin/stubs/first')).statusCode).toBe(204);
    expect((await call(app, 'GET', '/admin/scenarios')).json()).toEqual({
      items: [{ name: 'shared', state: 'Halfway', states: ['Started'] }],
    });
  });
});

describe('templated answers', () => {
  it('fills body and headers from path segments, query, JSON body fields and the caller', async () => {
    await addStub({
      match: { method: 'POST', path: '/rest/v1/gizmos/*/parts.json' },
      respond: {
        template: true,
        headers: { 'x-gizmo': '{{request.pathSegments.[3]}}', 'x-caller': '{{caller.user.email}}' },
        body: {
          requestId: 'tpl#1',
          success: true,
          result: [
            {
              gizmoId: '{{number request.pathSegments.[3]}}',
              name: 'Part of {{request.query.owner}}',
              first: '{{request.body.input.[0].name}}',
              count: '{{size request.body.input}}',
              echo: '{{request.body.input}}',
              email: "{{jsonPath request.body '$.input[1].email'}}",
              names: '{{#each request.body.input}}{{name}}{{#unless @last}},{{/unless}}{{/each}}',
              workspace: '{{caller.workspace}}',
              clientId: '{{caller.clientId}}',
              at: '{{now}}',
              missing: '{{request.query.nope}}',
              fallback: "{{default request.query.nope 'none'}}",
            },
          ],
        },
      },
      permissions: ['read-write-lead'],
    });
    const input = [{ name: 'bolt' }, { name: 'nut', email: 'n@acme.com' }];
    const answer = await post('/rest/v1/gizmos/42/parts.json?owner=Acme', { input });
    expect(answer.headers['x-gizmo']).toBe('42');
    expect(answer.headers['x-caller']).toBe('gizmo@example.com');
    expect(answer.json()).toEqual({
      requestId: 'tpl#1',
      success: true,
      result: [
        {
          gizmoId: 42,
          name: 'Part of Acme',
          first: 'bolt',
          count: 2,
          echo: input,
          email: 'n@acme.com',
          names: 'bolt,nut',
          workspace: 'Europe',
          clientId: GIZMO.clientId,
          at: '2026-01-15T12:00:00.000Z',
          missing: null,
          fallback: 'none',
        },
      ],
    });
  });

  it('templates a text body; no prototype is reachable, and nothing is evaluated', async () => {
    await addStub({
      match: { path: '/bulk/v1/gizmos/export/*/file.json' },
      respond: {
        template: true,
        text: 'id,owner\n{{request.pathSegments.[4]}},{{request.query.owner}}|{{request.constructor}}|{{request.__proto__}}|{{request.query.constructor.name}}|{{json request.query}}\n',
        headers: { 'content-type': 'text/csv' },
      },
    });
    const answer = await get('/bulk/v1/gizmos/export/9/file.json?owner=Acme');
    expect(answer.headers['content-type']).toBe('text/csv');
    expect(answer.body).toBe('id,owner\n9,Acme||||{"owner":"Acme"}\n');
  });

  it('refuses at creation a template that is not the language: unknown helpers, partials, deep each, bad syntax', async () => {
    const problem = async (text: string) =>
      (await refused({ match: { path: '/rest/v1/gizmos.json' }, respond: { template: true, text } })).errors;
    expect(await problem('{{lookup request "a"}}')).toEqual([
      { path: 'body.respond.template', message: expect.stringMatching(/unknown helper "lookup" \(line 1, column 1\)/) },
    ]);
    expect(await problem('hi {{> header}}')).toEqual([
      {
        path: 'body.respond.template',
        message: expect.stringMatching(/partials are not part of the template language/),
      },
    ]);
    expect(await problem('{{#each a}}{{#each b}}{{#each c}}x{{/each}}{{/each}}{{/each}}')).toEqual([
      { path: 'body.respond.template', message: expect.stringMatching(/nested more than 2 deep/) },
    ]);
    expect(await problem('{{#if a}}x')).toEqual([
      { path: 'body.respond.template', message: expect.stringMatching(/^a template: Parse error on line 1/) },
    ]);
    expect(await problem("{{jsonPath request.body '$.a[?(@.b > 1)]'}}")).toEqual([
      {
        path: 'body.respond.template',
        message: expect.stringMatching(/jsonPath \$\.a\[\?\(@\.b > 1\)\]: a filter compares with == or != only/),
      },
    ]);
    // Without template: true, braces are text.
    await addStub({ match: { path: '/rest/v1/gizmos.json' }, respond: { text: '{{> header}}' } });
    expect((await get('/rest/v1/gizmos.json')).body).toBe('{{> header}}');
  });

  it('a run past its bounds answers 611 in the path’s format, saying why in a header', async () => {
    await addStub({
      id: 'big',
      match: { method: 'POST', path: '/rest/v1/gizmos.json' },
      respond: { template: true, text: `{{#each request.body.input}}${'x'.repeat(2000)}{{/each}}` },
    });
    const small = await post('/rest/v1/gizmos.json', { input: [1, 2] });
    expect(small.body).toHaveLength(4000);
    const big = await post('/rest/v1/gizmos.json', { input: Array.from({ length: 1000 }, (_, i) => i) });
    expect(big.statusCode).toBe(200);
    expect(big.json()).toMatchObject({ success: false, errors: [{ code: '611', message: 'System error' }] });
    expect(big.headers['x-fake-marketo-template-error']).toBe('more than 1048576 characters');
    const [entry] = (await call(app, 'GET', '/admin/requests?limit=1')).json().items;
    expect(entry).toMatchObject({ stubId: 'big', marketoCode: '611' });
  });
});

describe('the permission gate, the plane’s format and the journal', () => {
  it('a stub with permissions answers 603 to a caller without them (the asset format on /rest/asset), and the journal carries the decision', async () => {
    await addStub({
      match: { path: '/rest/asset/v1/gizmos.json', headers: { 'x-tenant': 'acme' } },
      respond: {
        template: true,
        body: { success: true, errors: [], warnings: [], result: [{ by: '{{caller.user.email}}' }] },
      },
      permissions: ['read-only-assets'],
    });
    const denied = await get('/rest/asset/v1/gizmos.json', { ...auth(), 'x-tenant': 'acme' });
    expect(denied.json()).toEqual({
      requestId: expect.any(String),
      success: false,
      errors: [{ code: '603', message: 'Access denied' }],
      warnings: [],
    });
    const assetsToken = await tokenFor(app, ASSETS);
    const allowed = await get('/rest/asset/v1/gizmos.json', { ...auth(assetsToken), 'x-tenant': 'acme' });
    expect(allowed.json().result).toEqual([{ by: 'assets@example.com' }]);
    const [ok, no] = (await call(app, 'GET', '/admin/requests?path=/rest/asset/**')).json().items;
    expect(no).toMatchObject({ marketoCode: '603', decision: { allowed: false, required: ['Read-Only Assets'] } });
    expect(no.stubId).toBeUndefined();
    expect(ok).toMatchObject({ stubId: expect.any(String), decision: { allowed: true, workspaces: [1] } });
    expect(ok.headers).toMatchObject({ 'x-tenant': 'acme', authorization: 'Bearer [redacted]' });
  });

  it('on /userservice a stub answers in the User Management format; 603 is HTTP 403 there', async () => {
    await addStub({
      match: { path: '/userservice/management/v1/gizmos.json' },
      respond: { body: { ok: true } },
      permissions: ['access-user-management-api'],
    });
    const denied = await get('/userservice/management/v1/gizmos.json');
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({ errors: [{ code: 603, message: 'Access denied' }] });
  });
});

describe('GET /admin/requests/unmatched', () => {
  it('lists the calls no route or stub served, with their body, and for each the closest stubs and why they missed', async () => {
    await addStub({
      id: 'by-header',
      match: { method: 'POST', path: '/rest/v1/gizmos.json', headers: { 'x-tenant': 'acme' } },
      respond: { body: { ok: 1 } },
    });
    await addStub({
      id: 'by-body',
      match: { method: 'POST', path: '/rest/v1/gizmos.json', bodyPatterns: [{ matchesJsonPath: '$.input[0].email' }] },
      respond: { body: { ok: 2 } },
    });
    await addStub({ id: 'far', match: { method: 'GET', path: '/rest/v1/other/*.json' }, respond: { body: { ok: 3 } } });
    // The newest, and one miss only — its path: still not as close as the call's own path's stubs.
    await addStub({
      id: 'elsewhere',
      match: { method: 'POST', path: '/rest/v1/elsewhere.json' },
      respond: { body: { ok: 4 } },
    });
    // Served: by a stub, and by a real route — neither is listed.
    expect((await post('/rest/v1/gizmos.json', { input: [{ email: 'a@b.c' }] })).json()).toEqual({ ok: 2 });
    expect((await get('/rest/v1/leads/describe.json')).json().success).toBe(true);
    const body = { input: [{ name: 'no email' }], client_secret: 'hidden' };
    expect(
      (await post('/rest/v1/gizmos.json?dedupeBy=name', body, { ...auth(), 'x-tenant': 'globex' })).json().errors[0]
        .code,
    ).toBe('610');
    // A known path asked with another verb (605) was not served either.
    expect((await call(app, 'DELETE', '/rest/v1/leads/describe.json', undefined, auth())).json().errors[0].code).toBe(
      '605',
    );
    const response = await call(app, 'GET', '/admin/requests/unmatched');
    expect(response.statusCode).toBe(200);
    const [wrongVerb, gizmo, ...rest] = response.json().items;
    expect(rest).toEqual([]);
    expect(wrongVerb).toMatchObject({
      method: 'DELETE',
      path: '/rest/v1/leads/describe.json',
      marketoCode: '605',
      unmatched: true,
    });
    expect(gizmo).toMatchObject({
      method: 'POST',
      path: '/rest/v1/gizmos.json',
      query: { dedupeBy: 'name' },
      marketoCode: '610',
      clientId: GIZMO.clientId,
      unmatched: true,
      body: { input: [{ name: 'no email' }], client_secret: '[redacted]' },
      headers: expect.objectContaining({ 'x-tenant': 'globex' }),
    });
    expect(gizmo.nearMisses).toEqual([
      {
        stubId: 'by-body',
        misses: [
          {
            part: 'bodyPatterns[0]',
            expected: 'matchesJsonPath $.input[0].email',
            actual: '"{\\"input\\":[{\\"name\\":\\"no email\\"}],\\"client_secret\\":\\"[redacted]\\"}"',
          },
        ],
      },
      { stubId: 'by-header', misses: [{ part: 'headers.x-tenant', expected: 'equalTo "acme"', actual: '"globex"' }] },
      {
        stubId: 'elsewhere',
        misses: [{ part: 'path', expected: '/rest/v1/elsewhere.json', actual: '/rest/v1/gizmos.json' }],
      },
    ]);
    // The stub missing both method and path comes last of all.
    const wider = (await call(app, 'GET', '/admin/requests/unmatched?nearMisses=4')).json().items[1];
    expect(wider.nearMisses.map((miss: { stubId: string }) => miss.stubId)).toEqual([
      'by-body',
      'by-header',
      'elsewhere',
      'far',
    ]);
    expect((await call(app, 'GET', '/admin/requests?limit=10')).json().items).toHaveLength(5);
    expectProblem(await call(app, 'GET', '/admin/requests/unmatched?limit=0'), 400);
    expectProblem(await call(app, 'GET', '/admin/requests/unmatched?nearMisses=21'), 400);
  });
});

describe('POST /admin/requests/verify', () => {
  it('counts the journalled calls that match the stubs’ matchers; a count that does not hold is verified false, naming the closest', async () => {
    await addStub({ match: { method: 'POST', path: '/rest/v1/gizmos.json' }, respond: { body: { success: true } } });
    await post('/rest/v1/gizmos.json?mode=sync', { action: 'createOnly', input: [{ email: 'a@acme.com' }] });
    await post('/rest/v1/gizmos.json?mode=sync', { action: 'updateOnly', input: [{ email: 'b@globex.com' }] });
    const verify = (body: unknown) => call(app, 'POST', '/admin/requests/verify', body);
    const held = await verify({
      method: 'POST',
      path: '/rest/v1/gizmos.json',
      query: { mode: 'sync' },
      headers: { 'Content-Type': { contains: 'json' } },
      bodyPatterns: [{ matchesJsonPath: { expression: '$.input[*].email', matches: '.*@acme\\.com' } }],
      count: 1,
    });
    expect(held.statusCode).toBe(200);
    expect(held.json()).toMatchObject({
      verified: true,
      found: 1,
      items: [{ method: 'POST', body: { action: 'createOnly' }, stubId: expect.any(String) }],
    });
    expect(held.json().message).toBeUndefined();
    const failed = (
      await verify({ path: '/rest/v1/gizmos.json', body: { action: 'deleteOnly' }, count: { atLeast: 1 } })
    ).json();
    expect(failed).toMatchObject({ verified: false, found: 0, items: [] });
    expect(failed.expected).toBe(
      'at least 1 request(s) matching path=/rest/v1/gizmos.json, body=contains the JSON {"action":"deleteOnly"}',
    );
    expect(failed.message).toMatch(
      /^fake-marketo: expected at least 1 request\(s\) .*; found 0\.\nClosest:\n {2}POST \/rest\/v1\/gizmos\.json/,
    );
    expect(failed.closest).toHaveLength(2);
    expect(failed.closest[0].misses).toEqual([
      {
        part: 'body',
        expected: 'contains the JSON {"action":"deleteOnly"}',
        actual: expect.stringContaining('updateOnly'),
      },
    ]);
    // Too many is not verified either.
    expect((await verify({ path: '/rest/v1/gizmos.json', count: 1 })).json()).toMatchObject({
      verified: false,
      found: 2,
    });
    // Bad input: a matcher that could backtrack, an unknown member, a negative count — 400 naming the field.
    expect((await expectProblem(await verify({ headers: { a: { matches: '(a)\\1' } } }), 400)).errors?.[0]?.path).toBe(
      'body.headers.a',
    );
    expect((await expectProblem(await verify({ url: '/rest' }), 400)).errors?.[0]?.path).toBe('body');
    expect((await expectProblem(await verify({ count: -1 }), 400)).errors?.[0]?.path).toBe('body.count');
  });
});

describe('bounds', () => {
  it('a stub over 1 MiB is refused, naming the bound (the admin plane’s body limit comes first: 413)', async () => {
    const stubs = new Stubs();
    const big = { match: { path: '/rest/v1/gizmos.json' }, respond: { text: 'x'.repeat(1024 * 1024) } };
    expect(stubs.add(big, 'admin')).toEqual({ path: '', message: 'A stub is at most 1048576 bytes as JSON' });
    expect(stubs.list()).toEqual([]);
    expectProblem(await call(app, 'POST', '/admin/stubs', big), 413);
  });

  it('counts what matchers and templates compile to: a stub over 8 MiB held, or the stubs over 64 MiB, are refused', async () => {
    // 25 characters of JSON each, about 162 KB compiled each (re2js 2.10).
    const heavy = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`x-${i}`, { matches: '[a-z]{990}[a-z]{990}' }]));
    const stubs = new Stubs();
    const tooMuch = { match: { path: '/rest/v1/gizmos.json', headers: heavy(32), query: heavy(32) }, respond: {} };
    expect(JSON.stringify(tooMuch).length).toBeLessThan(4096);
    expect(stubs.add(tooMuch, 'admin')).toEqual({
      path: '',
      message: 'A stub holds at most 8388608 bytes with its matchers and templates compiled',
    });
    const added = [];
    for (let i = 0; i < 14; i++)
      added.push(stubs.add({ match: { path: '/rest/v1/gizmos.json', headers: heavy(32) }, respond: {} }, 'admin'));
    expect(added.slice(0, 12).every((stub) => 'hits' in stub)).toBe(true);
    expect(added.at(-1)).toEqual({
      path: '',
      message: 'The stubs hold at most 67108864 bytes in all, their matchers and templates compiled',
    });
    // Over the admin plane: refused at validation, naming the field; a regular expression compiling too large too.
    const leaves = Array.from({ length: 20_000 }, () => '{{request.path}}');
    expect(
      (await refused({ match: { path: '/rest/v1/gizmos.json' }, respond: { template: true, body: leaves } })).errors,
    ).toEqual([
      {
        path: 'body.respond.template',
        message: 'a template: the templates would hold more than 8388608 bytes compiled',
      },
    ]);
    expect(
      (
        await refused({
          match: { path: '/rest/v1/gizmos.json', headers: { a: { matches: '.{1000}.{1000}.{1000}' } } },
          respond: {},
        })
      ).errors,
    ).toEqual([
      {
        path: 'body.match.headers.a',
        message: 'compiles to 3002 instructions, more than 2000 (a large repeat count?)',
      },
    ]);
    expect((await refused({ match: { path: '/rest/v1/gizmos.json', query: heavy(33) }, respond: {} })).errors).toEqual([
      { path: 'body.match.query', message: 'at most 32 names' },
    ]);
  });

  it('the journal keeps at most 16 KiB of a request’s headers, marking the entry truncated', async () => {
    const headers: Record<string, string> = { ...auth() };
    for (let i = 0; i < 40; i++) headers[`x-big-${i}`] = 'v'.repeat(1000);
    await get('/rest/v1/gizmos.json', headers);
    const [entry] = (await call(app, 'GET', '/admin/requests?limit=1')).json().items;
    expect(entry.truncated).toBe(true);
    const kept = Object.entries(entry.headers as Record<string, string>);
    expect(kept.reduce((sum, [name, value]) => sum + name.length + value.length, 0)).toBeLessThanOrEqual(16 * 1024);
    expect(kept.length).toBeGreaterThan(10);
  });
});

describe('a call body nested deeper than 64 levels (src/domain/depth.ts)', () => {
  // 20,000 levels is 40 KB of JSON, far under the 1 MB body limit; JSON.stringify and the recursive matchers
  // overflow the stack at a few thousand.
  const deep = (levels: number) => `{"input":[{"email":"a@b.c","x":${'['.repeat(levels)}${']'.repeat(levels)}}]}`;
  const send = (payload: string) =>
    app.inject({
      method: 'POST',
      url: '/rest/v1/gizmos.json',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload,
    });

  it('is not compared by body matchers: the call misses them (610) rather than 611', async () => {
    const matchers = [
      { body: { input: [{ email: 'a@b.c' }] } },
      { bodyPatterns: [{ contains: 'a@b.c' }] },
      { bodyPatterns: [{ doesNotMatch: 'nothing' }] },
      { bodyPatterns: [{ equalToJson: { input: [{ email: 'a@b.c' }] }, ignoreExtraElements: true }] },
      { bodyPatterns: [{ matchesJsonPath: { expression: '$.input[0].x', contains: '[' } }] },
    ];
    for (const [i, match] of matchers.entries()) {
      await addStub({ id: `m${i}`, match: { path: '/rest/v1/gizmos.json', ...match }, respond: { body: { i } } });
    }
    const response = await send(deep(20_000));
    expect(response.statusCode).toBe(200);
    expect(response.json().errors).toEqual([{ code: '610', message: 'Requested resource not found' }]);
    // The journal keeps no body it cannot write as JSON: each stub missed on its body part.
    const [entry] = (await call(app, 'GET', '/admin/requests/unmatched?nearMisses=5')).json().items;
    expect(entry.nearMisses.map((miss: { misses: { part: string }[] }) => miss.misses[0]!.part).sort()).toEqual([
      'body',
      'bodyPatterns[0]',
      'bodyPatterns[0]',
      'bodyPatterns[0]',
      'bodyPatterns[0]',
    ]);
    // A body as deep as a client means is compared as before.
    expect((await send(deep(3))).json()).toEqual({ i: 4 });
  });

  it('a templated answer that reads the body answers 611 saying why, not a crash', async () => {
    await addStub({
      id: 'echo',
      match: { method: 'POST', path: '/rest/v1/gizmos.json' },
      respond: { template: true, body: { echoed: '{{request.body}}', email: '{{request.body.input.[0].email}}' } },
    });
    const response = await send(deep(20_000));
    expect(response.json()).toMatchObject({ success: false, errors: [{ code: '611', message: 'System error' }] });
    expect(response.headers['x-fake-marketo-template-error']).toBe('the request body is nested deeper than 64 levels');
    expect((await send(deep(2))).json()).toEqual({ echoed: { input: [{ email: 'a@b.c', x: [[]] }] }, email: 'a@b.c' });
  });
});
