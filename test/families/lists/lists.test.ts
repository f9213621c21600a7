import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lists } from '../../../src/families/lists/lists.js';
import { call, newInstance } from '../../helpers.js';
import { bearer, buildSubscription, REQUEST_ID, seedLeads, type Subscription } from '../../support/subscription.js';

let sub: Subscription;
/** Lists: L1 in workspace A (caller Read-Write Lead), L2 in B (caller Read-Only Lead), L3 in C (nothing). */
let L: { L1: number; L2: number; L3: number };
/** Leads: a1 and a2 in P1 (workspace A), b in P3 (workspace B), c in P4 (workspace C). */
let leads: { a1: number; a2: number; b: number; c: number };

beforeEach(async () => {
  const { app } = await newInstance();
  sub = await buildSubscription(app);
  const repo = sub.app.ctx.repo(lists);
  L = {
    L1: repo.insert({ workspaceId: sub.workspaces.A, name: 'Newsletter' }),
    L2: repo.insert({ workspaceId: sub.workspaces.B, name: 'Webinar' }),
    L3: repo.insert({ workspaceId: sub.workspaces.C, name: 'Hidden' }),
  };
  const [a1, a2] = await seedLeads(sub, 'Default', [{ email: 'a1@example.com' }, { email: 'a2@example.com' }]);
  const [b] = await seedLeads(sub, 'P3', [{ email: 'b@example.com' }]);
  const [c] = await seedLeads(sub, 'P4', [{ email: 'c@example.com' }]);
  leads = { a1: a1!, a2: a2!, b: b!, c: c! };
});

afterEach(async () => {
  await sub.app.close();
});

async function as(token: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) {
  const response = await call(sub.app, method, url, payload, bearer(token));
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const caller = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
  as(sub.caller.token, method, url, payload);
const admin = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
  as(sub.admin.token, method, url, payload);

/** A token with only Read-Only Activity (everywhere): no permission any list route takes, but it reads the log. */
async function noPermissionToken(): Promise<string> {
  const { provisionService, accessToken } = await import('../../helpers.js');
  const service = await provisionService(sub.app, { permissions: ['read-only-activity'], workspaceIds: [0] });
  return accessToken(sub.app, service);
}

/** A date token from before any activity, for `token`'s reads of the log. */
async function startToken(token: string): Promise<string> {
  return (await as(token, 'GET', '/rest/v1/activities/pagingtoken.json?sinceDatetime=2000-01-01T00:00:00Z'))
    .nextPageToken;
}

const members = (listId: number) => sub.app.ctx.repo(lists).leadIds(listId);
const error = (code: string) => ({ success: false, errors: [expect.objectContaining({ code })] });

describe('GET /rest/v1/lists.json', () => {
  it('shows lists of workspaces where the caller holds a lead permission, with filters and paging', async () => {
    const all = await caller('GET', '/rest/v1/lists.json');
    expect(all).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      result: [
        expect.objectContaining({ id: L.L1, name: 'Newsletter', workspaceName: 'A' }),
        expect.objectContaining({ id: L.L2, name: 'Webinar', workspaceName: 'B' }),
      ],
    });
    expect((await caller('GET', '/rest/v1/lists.json?name=webinar')).result.map((l: { id: number }) => l.id)).toEqual([
      L.L2,
    ]);
    expect((await caller('GET', `/rest/v1/lists.json?id=${L.L1},${L.L3}`)).result).toHaveLength(1);
    expect((await caller('GET', '/rest/v1/lists.json?workspaceName=B')).result).toHaveLength(1);
    expect((await caller('GET', '/rest/v1/lists.json?programName=Anything')).result).toEqual([]);
    expect((await admin('GET', '/rest/v1/lists.json')).result).toHaveLength(3);

    const first = await admin('GET', '/rest/v1/lists.json?batchSize=2');
    expect(first).toMatchObject({ moreResult: true, nextPageToken: expect.any(String) });
    expect(first.result).toHaveLength(2);
    const second = await admin('GET', `/rest/v1/lists.json?batchSize=2&nextPageToken=${first.nextPageToken}`);
    expect(second.result.map((l: { id: number }) => l.id)).toEqual([L.L3]);
    expect(second).not.toHaveProperty('moreResult');
  });

  it('bad input is 1003; no permission is 603', async () => {
    expect(await caller('GET', '/rest/v1/lists.json?batchSize=301')).toMatchObject(error('1003'));
    expect(await caller('GET', '/rest/v1/lists.json?nextPageToken=nope')).toMatchObject(error('1003'));
    expect(await as(await noPermissionToken(), 'GET', '/rest/v1/lists.json')).toMatchObject(error('603'));
  });
});

describe('GET /rest/v1/lists/{id}.json', () => {
  it('answers a visible list; unknown or in an unseen workspace is 1013; bad id 1003; no permission 603', async () => {
    expect((await caller('GET', `/rest/v1/lists/${L.L2}.json`)).result).toEqual([
      expect.objectContaining({ id: L.L2, name: 'Webinar', workspaceName: 'B' }),
    ]);
    expect(await caller('GET', `/rest/v1/lists/${L.L3}.json`)).toMatchObject(error('1013'));
    expect(await caller('GET', '/rest/v1/lists/999999.json')).toMatchObject(error('1013'));
    expect(await caller('GET', '/rest/v1/lists/abc.json')).toMatchObject(error('1003'));
    expect(await as(await noPermissionToken(), 'GET', `/rest/v1/lists/${L.L1}.json`)).toMatchObject(error('603'));
  });
});

describe('membership: add, remove, ismember, leads of a list', () => {
  it('adds by query and by body: added, 1004 for unseen leads, 1036 for a repeat; records 24', async () => {
    const added = await caller('POST', `/rest/v1/lists/${L.L1}/leads.json?id=${leads.a1}&id=${leads.c}`);
    expect(added.result).toEqual([
      { id: leads.a1, status: 'added' },
      { id: leads.c, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
    ]);
    const body = await caller('POST', `/rest/v1/lists/${L.L1}/leads.json`, {
      input: [{ id: leads.a2 }, { id: leads.a2 }, { id: 999999 }, { id: leads.a1 }],
    });
    expect(body.result).toEqual([
      { id: leads.a2, status: 'added' },
      { id: leads.a2, status: 'skipped', reasons: [{ code: '1036', message: 'Duplicate object found in input' }] },
      { id: 999999, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
      { id: leads.a1, status: 'added' },
    ]);
    expect(members(L.L1)).toEqual([leads.a1, leads.a2]);

    const token = await startToken(await noPermissionToken());
    const log = await as(
      await noPermissionToken(),
      'GET',
      `/rest/v1/activities.json?activityTypeIds=24&nextPageToken=${token}`,
    );
    expect(log.result).toEqual([
      expect.objectContaining({ leadId: leads.a1, activityTypeId: 24, primaryAttributeValueId: L.L1 }),
      expect.objectContaining({ leadId: leads.a2, activityTypeId: 24, primaryAttributeValue: 'Newsletter' }),
    ]);
  });

  it('removes (DELETE and _method=DELETE): removed, 1015 when not in the list; records 25', async () => {
    await caller('POST', `/rest/v1/lists/${L.L1}/leads.json?id=${leads.a1},${leads.a2}`);
    const removed = await caller('DELETE', `/rest/v1/lists/${L.L1}/leads.json?id=${leads.a1}`);
    expect(removed.result).toEqual([{ id: leads.a1, status: 'removed' }]);
    const again = await caller('POST', `/rest/v1/lists/${L.L1}/leads.json?_method=DELETE`, {
      input: [{ id: leads.a1 }, { id: leads.a2 }],
    });
    expect(again.result).toEqual([
      { id: leads.a1, status: 'skipped', reasons: [{ code: '1015', message: 'Lead not in list' }] },
      { id: leads.a2, status: 'removed' },
    ]);
    expect(members(L.L1)).toEqual([]);
    const token = await startToken(await noPermissionToken());
    const log = await as(
      await noPermissionToken(),
      'GET',
      `/rest/v1/activities.json?activityTypeIds=25&nextPageToken=${token}`,
    );
    expect(log.result.map((a: { leadId: number }) => a.leadId)).toEqual([leads.a1, leads.a2]);
  });

  it('writes to a list in a workspace without Read-Write Lead are 603; unknown list 1013; no ids 701', async () => {
    expect(await caller('POST', `/rest/v1/lists/${L.L2}/leads.json?id=${leads.b}`)).toMatchObject(error('603'));
    expect(await caller('DELETE', `/rest/v1/lists/${L.L3}/leads.json?id=${leads.a1}`)).toMatchObject(error('603'));
    expect(await caller('GET', `/rest/v1/lists/${L.L2}/leads/ismember.json?id=${leads.b}`)).toMatchObject(error('603'));
    expect(await caller('POST', `/rest/v1/lists/999999/leads.json?id=${leads.a1}`)).toMatchObject(error('1013'));
    expect(await caller('POST', `/rest/v1/lists/${L.L1}/leads.json`)).toMatchObject(error('701'));
    expect(await caller('POST', `/rest/v1/lists/${L.L1}/leads.json?id=x`)).toMatchObject(error('1003'));
    const none = await noPermissionToken();
    expect(await as(none, 'POST', `/rest/v1/lists/${L.L1}/leads.json?id=1`)).toMatchObject(error('603'));
    expect(await as(none, 'DELETE', `/rest/v1/lists/${L.L1}/leads.json?id=1`)).toMatchObject(error('603'));
    expect(members(L.L2)).toEqual([]);
  });

  it('ismember answers memberof / notmemberof / 1004', async () => {
    await caller('POST', `/rest/v1/lists/${L.L1}/leads.json?id=${leads.a1}`);
    const answer = await caller(
      'GET',
      `/rest/v1/lists/${L.L1}/leads/ismember.json?id=${leads.a1},${leads.a2},${leads.c}`,
    );
    expect(answer.result).toEqual([
      { id: leads.a1, status: 'memberof' },
      { id: leads.a2, status: 'notmemberof' },
      { id: leads.c, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
    ]);
    expect(await caller('GET', `/rest/v1/lists/${L.L1}/leads/ismember.json`)).toMatchObject(error('701'));
    expect(await caller('GET', `/rest/v1/lists/999999/leads/ismember.json?id=1`)).toMatchObject(error('1013'));
    expect(await as(await noPermissionToken(), 'GET', `/rest/v1/lists/${L.L1}/leads/ismember.json?id=1`)).toMatchObject(
      error('603'),
    );
  });

  it('leads of a list page, leave out unseen partitions, on both paths; deleting a lead removes it', async () => {
    await admin('POST', `/rest/v1/lists/${L.L2}/leads.json?id=${leads.a1},${leads.a2},${leads.b},${leads.c}`);
    const seen = await caller('GET', `/rest/v1/lists/${L.L2}/leads.json?fields=email`);
    expect(seen.result.map((l: { id: number }) => l.id)).toEqual([leads.a1, leads.a2, leads.b]);
    const first = await caller('GET', `/rest/v1/list/${L.L2}/leads.json?batchSize=2`);
    expect(first).toMatchObject({ moreResult: true });
    const rest = await caller(
      'GET',
      `/rest/v1/list/${L.L2}/leads.json?batchSize=2&nextPageToken=${first.nextPageToken}`,
    );
    expect(rest.result.map((l: { id: number }) => l.id)).toEqual([leads.b]);
    expect(await caller('GET', `/rest/v1/lists/${L.L3}/leads.json`)).toMatchObject(error('1013'));
    expect(await caller('GET', `/rest/v1/lists/${L.L2}/leads.json?batchSize=0`)).toMatchObject(error('1003'));
    expect(await as(await noPermissionToken(), 'GET', `/rest/v1/list/${L.L2}/leads.json`)).toMatchObject(error('603'));

    await admin('POST', '/rest/v1/leads/delete.json', { input: [{ id: leads.a1 }] });
    expect(members(L.L2)).toEqual([leads.a2, leads.b, leads.c]);
  });
});

// Issue 23, item 15: `curl -d '{"input":[…]}'` sends its JSON as a form body (no Content-Type given). The form tunnel
// read it as the path's GET: Add to List answered success with the list's members and added nothing, and the journal
// recorded a GET. Marketo answers a body the operation does not take with 612 Invalid Content Type.
describe('a JSON body sent as a form (curl -d without a Content-Type)', () => {
  const curlD = (token: string | undefined, url: string, json: unknown) =>
    call(sub.app, 'POST', url, JSON.stringify(json), {
      ...(token ? bearer(token) : {}),
      'content-type': 'application/x-www-form-urlencoded',
    });

  it('Add to List is 612 and adds nothing; the journal records the POST, its client id and its body', async () => {
    const answer = await curlD(sub.caller.token, `/rest/v1/lists/${L.L1}/leads.json`, { input: [{ id: leads.a1 }] });
    expect(answer.json()).toEqual({
      requestId: expect.any(String),
      success: false,
      errors: [{ code: '612', message: 'Invalid Content Type' }],
    });
    expect(members(L.L1)).toEqual([]);
    const [entry] = (await call(sub.app, 'GET', '/admin/requests?limit=1')).json().items;
    expect(entry).toMatchObject({
      method: 'POST',
      path: `/rest/v1/lists/${L.L1}/leads.json`,
      marketoCode: '612',
      clientId: sub.caller.clientId,
      body: { [JSON.stringify({ input: [{ id: leads.a1 }] })]: '' },
    });
  });

  it('Sync Leads is 612 (was 701 filterType cannot be blank), and creates nothing', async () => {
    const answer = await curlD(sub.caller.token, '/rest/v1/leads.json', { input: [{ email: 'curl@example.com' }] });
    expect(answer.json().errors).toEqual([{ code: '612', message: 'Invalid Content Type' }]);
    const found = await caller('GET', '/rest/v1/leads.json?filterType=email&filterValues=curl@example.com');
    expect(found.result).toEqual([]);
  });

  it('a token is checked first (601), and _method=GET or DELETE still tunnels the form as that call', async () => {
    expect((await curlD(undefined, '/rest/v1/leads.json', { input: [] })).json().errors[0].code).toBe('601');
    const form = (token: string, url: string, body: string) =>
      call(sub.app, 'POST', url, body, { ...bearer(token), 'content-type': 'application/x-www-form-urlencoded' });
    await caller('POST', `/rest/v1/lists/${L.L1}/leads.json`, { input: [{ id: leads.a1 }, { id: leads.a2 }] });
    const read = await form(sub.caller.token, `/rest/v1/lists/${L.L1}/leads.json`, '_method=GET&fields=email');
    expect(read.json().result.map((lead: { id: number }) => lead.id)).toEqual([leads.a1, leads.a2]);
    const removed = await form(sub.caller.token, `/rest/v1/lists/${L.L1}/leads.json?id=${leads.a2}`, '_method=DELETE');
    expect(removed.json()).toMatchObject({ success: true, result: [{ id: leads.a2, status: 'removed' }] });
    expect(members(L.L1)).toEqual([leads.a1]);
    // `_method=POST` names the write itself: still a form body the write does not take.
    const posted = await form(sub.caller.token, `/rest/v1/lists/${L.L1}/leads.json?id=${leads.a2}`, '_method=POST');
    expect(posted.json().errors).toEqual([{ code: '612', message: 'Invalid Content Type' }]);
    expect(members(L.L1)).toEqual([leads.a1]);
  });
});

describe('Get Leads by List pages over the partitions the caller can see (issue 23, item 12)', () => {
  it('a caller who sees none of 2,000 members gets an empty page without the members being read one by one', async () => {
    // 2,000 leads in P4 (workspace C, where the caller holds nothing), created 250 at a time.
    const all: number[] = [];
    for (let batch = 0; batch < 8; batch++) {
      const input = Array.from({ length: 250 }, (_, i) => ({ email: `hidden-${batch}-${i}@example.com` }));
      all.push(...(await seedLeads(sub, 'P4', input)));
    }
    const repo = sub.app.ctx.repo(lists);
    for (const id of all) repo.add(L.L2, id);
    const find = vi.spyOn(sub.app.ctx.port('leads'), 'find');
    try {
      const empty = await caller('GET', `/rest/v1/lists/${L.L2}/leads.json`);
      expect(empty.result).toEqual([]);
      expect(empty.moreResult).toBeUndefined();
      // Only the leads of the page are read.
      expect(find.mock.calls.length).toBeLessThanOrEqual(1);
      await admin('POST', `/rest/v1/lists/${L.L2}/leads.json?id=${leads.a1},${leads.b}`);
      find.mockClear();
      const page = await caller('GET', `/rest/v1/lists/${L.L2}/leads.json?batchSize=1&fields=email`);
      expect(page).toMatchObject({ moreResult: true, result: [{ id: leads.a1, email: 'a1@example.com' }] });
      const next = await caller(
        'GET',
        `/rest/v1/lists/${L.L2}/leads.json?batchSize=1&fields=email&nextPageToken=${page.nextPageToken}`,
      );
      expect(next.result).toEqual([{ id: leads.b, email: 'b@example.com' }]);
      expect(next.moreResult).toBeUndefined();
      expect(find.mock.calls.length).toBeLessThanOrEqual(6);
    } finally {
      find.mockRestore();
    }
  });
});

describe('GET /rest/v1/leads/{id}/listMembership.json', () => {
  it('needs Read-Only Assets; lists of unreadable workspaces left out; unseen lead 1004', async () => {
    await admin('POST', `/rest/v1/lists/${L.L1}/leads.json?id=${leads.a1}`);
    await admin('POST', `/rest/v1/lists/${L.L3}/leads.json?id=${leads.a1}`);
    expect(await caller('GET', `/rest/v1/leads/${leads.a1}/listMembership.json`)).toMatchObject(error('603'));

    const { provisionService, accessToken } = await import('../../helpers.js');
    const service = await provisionService(sub.app, {
      permissions: ['read-only-assets', 'read-only-lead'],
      workspaceIds: [sub.workspaces.A],
    });
    const token = await accessToken(sub.app, service);
    const answer = await as(token, 'GET', `/rest/v1/leads/${leads.a1}/listMembership.json`);
    expect(answer.result).toEqual([expect.objectContaining({ id: L.L1, name: 'Newsletter' })]);
    expect(await as(token, 'GET', `/rest/v1/leads/${leads.c}/listMembership.json`)).toMatchObject(error('1004'));
    expect(await as(token, 'GET', '/rest/v1/leads/x/listMembership.json')).toMatchObject(error('1003'));
  });
});

describe('the activity log filtered by listId', () => {
  /** A token reading activities (and leads) in workspace A only. */
  async function activityReader(): Promise<string> {
    const { provisionService, accessToken } = await import('../../helpers.js');
    const service = await provisionService(sub.app, {
      permissions: ['read-only-activity'],
      workspaceIds: [sub.workspaces.A],
    });
    return accessToken(sub.app, service);
  }

  it('keeps the activities of the list’s current members; beside leadIds, the leads in both', async () => {
    await admin('POST', `/rest/v1/lists/${L.L1}/leads.json?id=${leads.a1}`);
    const token = await activityReader();
    const since = await startToken(token);
    const page = await as(
      token,
      'GET',
      `/rest/v1/activities.json?activityTypeIds=12,24&listId=${L.L1}&nextPageToken=${since}`,
    );
    expect(page.success).toBe(true);
    expect(page.result.map((a: { leadId: number; activityTypeId: number }) => [a.leadId, a.activityTypeId])).toEqual([
      [leads.a1, 12],
      [leads.a1, 24],
    ]);
    const both = await as(
      token,
      'GET',
      `/rest/v1/activities.json?activityTypeIds=12&listId=${L.L1}&leadIds=${leads.a2}&nextPageToken=${since}`,
    );
    expect(both.result).toEqual([]);
    const changes = await as(
      token,
      'GET',
      `/rest/v1/activities/leadchanges.json?fields=email&listId=${L.L1}&nextPageToken=${since}`,
    );
    expect(changes.result.map((a: { leadId: number }) => a.leadId)).toEqual([leads.a1]);
  });

  it('an empty list matches no activity (not every activity)', async () => {
    const token = await activityReader();
    const since = await startToken(token);
    const page = await as(
      token,
      'GET',
      `/rest/v1/activities.json?activityTypeIds=12&listId=${L.L1}&nextPageToken=${since}`,
    );
    expect(page).toMatchObject({ success: true, result: [], nextPageToken: expect.any(String) });
  });

  it('an unknown list, or one in a workspace without an activity permission, is 1013; a bad id is 1003', async () => {
    const token = await activityReader();
    const since = await startToken(token);
    const path = (listId: string) =>
      `/rest/v1/activities.json?activityTypeIds=12&listId=${listId}&nextPageToken=${since}`;
    expect(await as(token, 'GET', path('999999'))).toMatchObject(error('1013'));
    expect(await as(token, 'GET', path(String(L.L3)))).toMatchObject(error('1013'));
    expect(await as(token, 'GET', path('abc'))).toMatchObject(error('1003'));
    expect(
      await as(token, 'GET', `/rest/v1/activities/leadchanges.json?fields=email&listId=999999&nextPageToken=${since}`),
    ).toMatchObject(error('1013'));
  });
});

describe('listId edge cases', () => {
  it('an empty listId is no filter, as an empty leadIds is', async () => {
    const token = await noPermissionToken();
    const since = await startToken(token);
    const page = await as(token, 'GET', `/rest/v1/activities.json?activityTypeIds=12&listId=&nextPageToken=${since}`);
    expect(page.result.map((a: { leadId: number }) => a.leadId)).toEqual([leads.a1, leads.a2, leads.b, leads.c]);
  });

  it('an app built without the lists family answers listId with 1013, not a system error', async () => {
    const { buildApp } = await import('../../../src/app.js');
    const { testConfig } = await import('../../../src/config.js');
    const { FAMILIES } = await import('../../../src/families.js');
    const { provisionService, accessToken } = await import('../../helpers.js');
    const app = await buildApp({ config: testConfig(), families: FAMILIES.filter((family) => family.key !== 'lists') });
    const service = await provisionService(app, { permissions: ['read-only-activity'], workspaceIds: [0] });
    const token = await accessToken(app, service);
    const since = (
      await call(
        app,
        'GET',
        '/rest/v1/activities/pagingtoken.json?sinceDatetime=2000-01-01T00:00:00Z',
        undefined,
        bearer(token),
      )
    ).json().nextPageToken;
    const answer = await call(
      app,
      'GET',
      `/rest/v1/activities.json?activityTypeIds=12&listId=5&nextPageToken=${since}`,
      undefined,
      bearer(token),
    );
    expect(answer.json()).toMatchObject(error('1013'));
    await app.close();
  });
});

describe('Marketo’s rule from 2026-12-30: listId on a list of 10,000 or more leads is a response-level 1003', () => {
  it('applies on the fake’s clock, at 10,000 members and not at 9,999, to both activity reads', async () => {
    const { newSeededInstance, tokenFor } = await import('../../helpers.js');
    const credentials = { clientId: 'big-list-reader', clientSecret: 'big-list-secret' };
    const ids = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const { app, clock } = await newSeededInstance(
      {
        roles: [{ name: 'Activity reader', permissions: ['read-only-activity'] }],
        users: [{ email: 'reader@example.com', roles: [{ role: 'Activity reader', workspace: 'Default' }] }],
        services: [{ name: 'Reader', user: 'reader@example.com', ...credentials }],
        leads: ids.map((id) => ({ id, email: `lead${id}@example.com` })),
        lists: [
          { id: 1, name: 'Ten thousand', leads: ids },
          { id: 2, name: 'One short', leads: ids.slice(1) },
        ],
      },
      {},
      '2026-12-29T23:59:59Z',
    );
    const token = await tokenFor(app, credentials);
    const read = async (path: string) =>
      (await call(app, 'GET', path, undefined, { authorization: `Bearer ${token}` })).json();
    const since = (await read('/rest/v1/activities/pagingtoken.json?sinceDatetime=2000-01-01T00:00:00Z')).nextPageToken;
    const activities = (listId: number) =>
      read(`/rest/v1/activities.json?activityTypeIds=12&listId=${listId}&nextPageToken=${since}`);
    const changes = (listId: number) =>
      read(`/rest/v1/activities/leadchanges.json?fields=email&listId=${listId}&nextPageToken=${since}`);

    // The day before, a large list is still read.
    expect(await activities(1)).toMatchObject({ success: true });
    clock.set(Date.parse('2026-12-30T00:00:00Z'));
    for (const answer of [await activities(1), await changes(1)]) {
      expect(answer).toEqual({
        requestId: expect.any(String),
        success: false,
        errors: [{ code: '1003', message: 'Static list 1 has 10000 or more leads: filter by leadIds instead' }],
      });
    }
    expect(await activities(2)).toMatchObject({ success: true });
    expect(await changes(2)).toMatchObject({ success: true });
    await app.close();
  });
});

describe('merging leads moves list memberships to the winner', () => {
  it('the loser’s lists become the winner’s; a list both are in keeps the winner once', async () => {
    await admin('POST', `/rest/v1/lists/${L.L1}/leads.json?id=${leads.a1}&id=${leads.a2}`);
    await admin('POST', `/rest/v1/lists/${L.L2}/leads.json?id=${leads.a2}`);
    const merged = await admin('POST', `/rest/v1/leads/${leads.a1}/merge.json?leadIds=${leads.a2}`);
    expect(merged.success).toBe(true);
    expect(members(L.L1)).toEqual([leads.a1]);
    expect(members(L.L2)).toEqual([leads.a1]);
  });

  it('a refused merge moves nothing', async () => {
    await admin('POST', `/rest/v1/lists/${L.L2}/leads.json?id=${leads.a2}`);
    // The caller cannot write lead c (workspace C): the whole merge is refused.
    const refused = await caller('POST', `/rest/v1/leads/${leads.a1}/merge.json?leadIds=${leads.a2},${leads.c}`);
    expect(refused.success).toBe(false);
    expect(members(L.L2)).toEqual([leads.a2]);
  });
});
