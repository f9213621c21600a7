import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Marketo from 'node-marketo-rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeMarketo, startFakeMarketo } from '../../src/start.js';
import { makeTempDir } from '../helpers.js';

/**
 * Issue 33 over a real port: stubs on a path no family serves (gizmos) loaded from a stubs directory, called by
 * node-marketo-rest and with marketorestpython's request shapes (jepcastelein/marketo-rest-python at 3d8985a,
 * helper/http_lib.py: GET with `Authorization: Bearer` and `Accept-Encoding: gzip`; POST with a JSON body and
 * `Content-type: application/json; charset=utf-8`), then verified with the stubs' matchers.
 */

const dir = makeTempDir('fake-marketo-stubs-');
let fake: FakeMarketo;

const seed = {
  roles: [{ name: 'Gizmos', permissions: ['read-write-lead' as const] }],
  users: [{ email: 'gizmo@example.com', roles: [{ role: 'Gizmos', workspace: 'Default' }] }],
  services: [
    { name: 'Gizmo Service', user: 'gizmo@example.com', clientId: 'gizmo-client', clientSecret: 'gizmo-secret-1' },
  ],
};

beforeAll(async () => {
  writeFileSync(
    join(dir.path, 'a-gizmos.yaml'),
    [
      'id: gizmo-by-name',
      'match:',
      '  method: GET',
      '  path: /rest/v1/gizmos.json',
      '  query: { filterType: name }',
      'respond:',
      '  template: true',
      '  body: { success: true, result: [{ name: "{{request.query.filterValues}}", by: "{{caller.user.email}}" }] }',
      'permissions: [read-only-lead]',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir.path, 'b-sync.json'),
    JSON.stringify([
      {
        id: 'gizmo-sync',
        match: {
          method: 'POST',
          path: '/rest/v1/gizmos.json',
          headers: { 'content-type': { contains: 'application/json' } },
          bodyPatterns: [{ matchesJsonPath: { expression: '$.action', equalTo: 'createOrUpdate' } }],
        },
        respond: {
          template: true,
          body: { success: true, result: [{ seq: 0, id: 1, status: "{{jsonPath request.body '$.input[0].status'}}" }] },
        },
        permissions: ['read-write-lead'],
      },
    ]),
  );
  fake = await startFakeMarketo({ seed, stubsDir: dir.path });
});

afterAll(async () => {
  if (fake) await fake.close();
  dir.remove();
});

async function pythonToken(): Promise<string> {
  const query = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: 'gizmo-client',
    client_secret: 'gizmo-secret-1',
  });
  const answer = await fetch(`${fake.url}/identity/oauth/token?${query}`, { headers: { 'Accept-Encoding': 'gzip' } });
  return ((await answer.json()) as { access_token: string }).access_token;
}

describe('stub files, node-marketo-rest and marketorestpython over a real port', () => {
  it('loads the directory’s stubs at start; node-marketo-rest gets a templated answer; verify takes matchers', async () => {
    await fake.reset();
    const client = new Marketo({
      endpoint: `${fake.url}/rest`,
      identity: `${fake.url}/identity`,
      clientId: 'gizmo-client',
      clientSecret: 'gizmo-secret-1',
      retry: { maxRetries: 0 },
    });
    const answer = await client._connection.get('/v1/gizmos.json', {
      query: { filterType: 'name', filterValues: 'bolt' },
    });
    expect(answer).toEqual({ success: true, result: [{ name: 'bolt', by: 'gizmo@example.com' }] });
    const [call] = fake.verify(
      {
        path: '/rest/v1/gizmos.json',
        stubId: 'gizmo-by-name',
        headers: { authorization: { matches: 'Bearer .*' } },
        query: { filterValues: { contains: 'bo' } },
      },
      1,
    );
    expect(call).toMatchObject({ decision: { allowed: true }, clientId: 'gizmo-client' });
    expect(() => fake.verify({ path: '/rest/v1/gizmos.json', query: { filterValues: 'nut' } }, 1)).toThrow(
      /found 0\.\nClosest:\n {2}GET \/rest\/v1\/gizmos\.json → HTTP 200 \(client gizmo-client\) \[stub gizmo-by-name\]: differs in query\.filterValues \(wanted equalTo "nut", got "bolt"\)/,
    );
  });

  it('answers marketorestpython’s JSON POST from the stub file, and lists its unmatched call with the near miss', async () => {
    await fake.reset();
    const token = await pythonToken();
    const post = (body: unknown) =>
      fetch(`${fake.url}/rest/v1/gizmos.json`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-type': 'application/json; charset=utf-8' },
        // Python's json.dumps: ", " and ": " separators.
        body: JSON.stringify(body).replace(/,/g, ', ').replace(/":/g, '": '),
      }).then((response) => response.json());
    expect(await post({ action: 'createOrUpdate', input: [{ status: 'updated' }] })).toEqual({
      success: true,
      result: [{ seq: 0, id: 1, status: 'updated' }],
    });
    expect(await post({ action: 'createOnly', input: [] })).toMatchObject({ errors: [{ code: '610' }] });
    // A Python test verifies over HTTP: the same matchers, the answer a verdict.
    const verify = (body: unknown) =>
      fetch(`${fake.url}/admin/requests/verify`, {
        method: 'POST',
        headers: { 'Content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
      }).then((response) => response.json());
    expect(
      await verify({
        path: '/rest/v1/gizmos.json',
        bodyPatterns: [{ equalToJson: { input: [{ status: 'updated' }] }, ignoreExtraElements: true }],
        count: 1,
      }),
    ).toMatchObject({ verified: true, found: 1, items: [{ stubId: 'gizmo-sync', clientId: 'gizmo-client' }] });
    expect(await verify({ path: '/rest/v1/gizmos.json', stubId: 'gizmo-sync', count: 2 })).toMatchObject({
      verified: false,
      found: 1,
      message: expect.stringContaining(
        'expected exactly 2 request(s) matching path=/rest/v1/gizmos.json, stubId=gizmo-sync; found 1.',
      ),
    });
    const [unmatched] = fake.unmatched();
    expect(unmatched).toMatchObject({
      method: 'POST',
      body: { action: 'createOnly', input: [] },
      clientId: 'gizmo-client',
    });
    expect(unmatched!.nearMisses[0]).toEqual({
      stubId: 'gizmo-sync',
      misses: [
        {
          part: 'bodyPatterns[0]',
          expected: 'matchesJsonPath $.action equalTo "createOrUpdate"',
          actual: '"{\\"action\\":\\"createOnly\\",\\"input\\":[]}"',
        },
      ],
    });
  });

  it('POST /admin/stubs/save writes added stubs to the directory; reset keeps them, and a new start loads them', async () => {
    await fake.reset();
    fake.stub({ id: 'saved-gizmo', match: { path: '/rest/v1/gizmoSaved.json' }, respond: { body: { saved: true } } });
    const saved = await fake.inject({ method: 'POST', url: '/admin/stubs/save' });
    expect(saved.json()).toEqual({ items: [{ id: 'saved-gizmo', file: 'saved-gizmo.json' }] });
    expect(JSON.parse(readFileSync(join(dir.path, 'saved-gizmo.json'), 'utf8'))).toEqual({
      id: 'saved-gizmo',
      match: { path: '/rest/v1/gizmoSaved.json' },
      respond: { body: { saved: true } },
    });
    await fake.reset();
    const sources = (await fake.inject({ method: 'GET', url: '/admin/stubs' }))
      .json()
      .items.map((stub: { id: string; source: string }) => `${stub.id}:${stub.source}`);
    expect(sources.sort()).toEqual(['gizmo-by-name:file', 'gizmo-sync:file', 'saved-gizmo:file']);
    const again = await startFakeMarketo({ seed, stubsDir: dir.path });
    try {
      expect(again.requests()).toEqual([]);
      const ids = (await again.inject({ method: 'GET', url: '/admin/stubs' }))
        .json()
        .items.map((stub: { id: string }) => stub.id);
      expect(ids.sort()).toEqual(['gizmo-by-name', 'gizmo-sync', 'saved-gizmo']);
    } finally {
      await again.close();
    }
    const noDir = await startFakeMarketo({ seed });
    try {
      expect((await noDir.inject({ method: 'POST', url: '/admin/stubs/save' })).statusCode).toBe(409);
    } finally {
      await noDir.close();
    }
  });

  it('a save that fails part way (409) leaves no file of it behind, so that saving again cannot write a stub twice', async () => {
    const target = makeTempDir('fake-marketo-save-');
    const saving = await startFakeMarketo({ seed, stubsDir: target.path });
    try {
      saving.stub({ id: 'first', match: { path: '/rest/v1/gizmoFirst.json' }, respond: { body: {} } });
      saving.stub({ id: 'second', match: { path: '/rest/v1/gizmoSecond.json' }, respond: { body: {} } });
      // Newest first: 'second' is written, then 'first', whose temporary file cannot be made (a directory is there).
      mkdirSync(join(target.path, '.first.json.tmp'));
      expect((await saving.inject({ method: 'POST', url: '/admin/stubs/save' })).statusCode).toBe(409);
      expect(readdirSync(target.path).filter((name) => name.endsWith('.json'))).toEqual([]);
      rmdirSync(join(target.path, '.first.json.tmp'));
      const saved = await saving.inject({ method: 'POST', url: '/admin/stubs/save' });
      expect(
        saved
          .json()
          .items.map((item: { file: string }) => item.file)
          .sort(),
      ).toEqual(['first.json', 'second.json']);
      expect(readdirSync(target.path).sort()).toEqual(['first.json', 'second.json']);
    } finally {
      await saving.close();
      target.remove();
    }
  });

  it('a bad stub file stops the start, naming the file, the place and the line', async () => {
    const bad = makeTempDir('fake-marketo-bad-stubs-');
    try {
      mkdirSync(join(bad.path, 'nested'));
      writeFileSync(
        join(bad.path, 'broken.yaml'),
        [
          'stubs:',
          '  - match: { path: /rest/v1/gizmos.json }',
          '    respond: {}',
          '  - match:',
          '      path: /nope',
          '    respond: {}',
          '',
        ].join('\n'),
      );
      await expect(startFakeMarketo({ seed, stubsDir: bad.path })).rejects.toThrow(
        `${join(bad.path, 'broken.yaml')}: stubs[1].match.path (line 5, column 13): `,
      );
      writeFileSync(join(bad.path, 'broken.yaml'), 'match: [');
      await expect(startFakeMarketo({ seed, stubsDir: bad.path })).rejects.toThrow(/broken\.yaml: not YAML/);
    } finally {
      bad.remove();
    }
    await expect(startFakeMarketo({ seed, stubsDir: join(dir.path, 'missing') })).rejects.toThrow(
      /cannot be read as a directory \(ENOENT\)/,
    );
  });
});
