import Marketo from 'node-marketo-rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeMarketo, startFakeMarketo } from '../../src/start.js';

/**
 * Issue 17 end to end: a family the fake does not implement (static lists) stubbed in the seed and in code, called
 * by the real client node-marketo-rest over a real port, then verified from the journal.
 */

let fake: FakeMarketo;

const seed = {
  roles: [{ name: 'Lists', permissions: ['read-write-lead'] }],
  users: [{ email: 'lists@example.com', roles: [{ role: 'Lists', workspace: 'Default' }] }],
  services: [
    { name: 'Lists Service', user: 'lists@example.com', clientId: 'lists-client', clientSecret: 'lists-secret-1' },
  ],
  stubs: [
    {
      id: 'lists',
      match: { method: 'GET' as const, path: '/rest/v1/lists.json' },
      respond: {
        body: { requestId: 'e42b#1', success: true, result: [{ id: 1001, name: 'Webinar attendees' }] },
      },
      permissions: ['read-only-lead' as const],
    },
  ],
};

function client() {
  return new Marketo({
    endpoint: `${fake.url}/rest`,
    identity: `${fake.url}/identity`,
    clientId: 'lists-client',
    clientSecret: 'lists-secret-1',
    retry: { maxRetries: 0 },
  });
}

beforeAll(async () => {
  fake = await startFakeMarketo({ seed });
});

afterAll(async () => {
  if (fake) await fake.close();
});

beforeEach(() => fake.reset());

describe('stubbed static lists through node-marketo-rest', () => {
  it('getLists (list.find) answers from the seed’s stub, through the form tunnel', async () => {
    const lists = await client().list.find({ name: ['Webinar attendees'] });
    expect(lists).toEqual({ requestId: 'e42b#1', success: true, result: [{ id: 1001, name: 'Webinar attendees' }] });
    const [call] = fake.verify({ method: 'GET', path: '/rest/v1/lists.json', stubId: 'lists' }, 1);
    expect(call).toMatchObject({ clientId: 'lists-client', query: { name: 'Webinar attendees' } });
  });

  it('addLeadsToList: a stub added in code answers, and verify sees the body the client sent', async () => {
    fake.stub({
      id: 'add-to-list',
      match: { method: 'POST', path: '/rest/v1/lists/*/leads.json' },
      respond: { body: { requestId: 'a#2', success: true, result: [{ id: 7, status: 'added' }] } },
      permissions: ['read-write-lead'],
    });
    const added = await client().list.addLeadsToList(1001, [7]);
    expect(added.result).toEqual([{ id: 7, status: 'added' }]);
    const [call] = fake.verify({ path: '/rest/v1/lists/1001/leads.json', stubId: 'add-to-list' }, 1);
    expect(call!.body).toEqual({ input: [{ id: 7 }] });
  });

  it('verify fails with a readable message naming what came close', async () => {
    await client().list.find({});
    expect(() => fake.verify({ method: 'POST', path: '/rest/v1/lists.json' }, 1)).toThrow(
      /expected exactly 1 request\(s\) matching method=POST, path=\/rest\/v1\/lists\.json; found 0\.\nClosest:\n {2}GET \/rest\/v1\/lists\.json → HTTP 200 \(client lists-client\) \[stub lists\]: differs in method/,
    );
    expect(() => fake.verify({ path: '/rest/v1/lists.json' }, { atLeast: 2 })).toThrow(/at least 2.*found 1/);
  });

  it('a stub’s permissions apply (603 through the client), and stub() refuses a bad stub with a readable error', async () => {
    fake.stub({ match: { path: '/rest/v1/lists.json' }, respond: { body: {} }, permissions: ['read-only-assets'] });
    await expect(client().list.find({})).rejects.toMatchObject({ errors: [{ code: '603' }] });
    expect(() => fake.stub({ match: { path: '/nope' } } as never)).toThrow(
      /invalid stub:\n {2}- stub\.match\.path: a Marketo path[\s\S]*stub\.respond: give respond or responses/,
    );
  });

  it('reset removes stubs added since and restores the seed’s; the snapshot lists them', async () => {
    fake.stub({ id: 'extra', match: { path: '/rest/v1/programs.json' }, respond: { body: {} } });
    const before = (await fake.inject({ method: 'GET', url: '/admin/snapshot' })).json();
    expect(before.stubs.map((stub: { id: string }) => stub.id)).toEqual(['lists', 'extra']);
    await fake.reset();
    const after = (await fake.inject({ method: 'GET', url: '/admin/stubs' })).json();
    expect(after.items).toMatchObject([{ id: 'lists', source: 'seed', hits: 0 }]);
    // A snapshot with its stubs starts an instance that answers the same.
    const restored = await startFakeMarketo({ seed: before });
    try {
      const ids = (await restored.inject({ method: 'GET', url: '/admin/stubs' })).json().items;
      expect(ids.map((stub: { id: string }) => stub.id)).toEqual(['extra', 'lists']);
    } finally {
      await restored.close();
    }
  });
});

describe('stubs in a seed', () => {
  it('a bad stub or a taken id stops the start with the path inside the document', async () => {
    await expect(
      startFakeMarketo({ seed: { stubs: [{ match: { path: '/rest/x' }, respond: { status: 700 } }] } }),
    ).rejects.toThrow(/stubs\[0\]\.respond\.status/);
    // A header value Node cannot send (issue 23, item 9).
    await expect(
      startFakeMarketo({ seed: { stubs: [{ match: { path: '/rest/x' }, respond: { headers: { x: 'ab\u2028' } } }] } }),
    ).rejects.toThrow(/stubs\[0\]\.respond\.headers\.x/);
    const twice = { id: 'a', match: { path: '/rest/x' }, respond: {} };
    await expect(startFakeMarketo({ seed: { stubs: [twice, twice] } })).rejects.toThrow(
      /stubs\[1\]\.id: id a is taken/,
    );
  });
});
