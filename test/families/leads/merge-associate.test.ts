import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessToken, call, newInstance, provisionService } from '../../helpers.js';
import { bearer, buildSubscription, REQUEST_ID, seedLeads, type Subscription } from '../../support/subscription.js';

/**
 * Merge Leads and Associate Lead (leads.md; issue 13 decisions, README "Activity log"). The caller writes leads in
 * workspace A (P1, P2) and reads them in B (P3); the admin service writes everywhere.
 */

let sub: Subscription;
let historian: string;

beforeEach(async () => {
  const { app } = await newInstance();
  sub = await buildSubscription(app);
  const service = await provisionService(sub.app, { permissions: ['read-only-activity'], workspaceIds: [0] });
  historian = await accessToken(sub.app, service);
});

afterEach(async () => {
  await sub.app.close();
});

async function post(url: string, token = sub.caller.token, payload: unknown = {}) {
  const response = await call(sub.app, 'POST', url, payload, bearer(token));
  expect(response.statusCode).toBe(200);
  return response.json();
}

async function lead(id: number, fields = 'email,firstName,lastName,title,cookies') {
  return (
    await call(sub.app, 'GET', `/rest/v1/lead/${id}.json?fields=${fields}`, undefined, bearer(sub.admin.token))
  ).json().result[0];
}

async function activitiesOf(leadId: number, typeIds: string) {
  const token = (
    await call(
      sub.app,
      'GET',
      '/rest/v1/activities/pagingtoken.json?sinceDatetime=2026-01-01',
      undefined,
      bearer(historian),
    )
  ).json().nextPageToken;
  return (
    await call(
      sub.app,
      'GET',
      `/rest/v1/activities.json?nextPageToken=${token}&activityTypeIds=${typeIds}&leadIds=${leadId}`,
      undefined,
      bearer(historian),
    )
  ).json().result as { activityTypeId: number; leadId: number; attributes: { name: string; value: unknown }[] }[];
}

async function snapshot() {
  return (await call(sub.app, 'GET', '/admin/snapshot')).json();
}

describe('POST /rest/v1/leads/{id}/merge.json', () => {
  it('the winner keeps its values, takes the first loser’s where empty; losers go, their activities move, one 32', async () => {
    const [winner, first, second] = await seedLeads(sub, 'Default', [
      { email: 'win@example.com', firstName: 'Win' },
      { email: 'first@example.com', firstName: 'First', lastName: 'Loser', title: 'CTO' },
      { email: 'second@example.com', lastName: 'Second', title: 'CEO' },
    ]);
    const body = await post(`/rest/v1/leads/${winner}/merge.json?leadIds=${first},${second}`);
    expect(body).toEqual({ requestId: expect.stringMatching(REQUEST_ID), success: true });
    expect(await lead(winner!)).toEqual({
      id: winner,
      email: 'win@example.com',
      firstName: 'Win',
      lastName: 'Loser',
      title: 'CTO',
      cookies: null,
    });
    expect(await lead(first!)).toBeUndefined();
    expect(await lead(second!)).toBeUndefined();
    const history = await activitiesOf(winner!, '12,32,37');
    // The three New Leads, now all on the winner; no Delete Lead for the losers; one Merge Leads.
    expect(history.map((a) => [a.activityTypeId, a.leadId])).toEqual([
      [12, winner],
      [12, winner],
      [12, winner],
      [32, winner],
    ]);
    expect(history[3]!.attributes).toContainEqual({ name: 'Merge IDs', value: `${first},${second}` });
  });

  it('takes the losers from the query with no body at all (marketorestpython sends none)', async () => {
    const [winner, loser] = await seedLeads(sub, 'Default', [{ email: 'w@example.com' }, { email: 'l@example.com' }]);
    const response = await sub.app.inject({
      method: 'POST',
      url: `/rest/v1/leads/${winner}/merge.json?leadIds=${loser}&mergeInCRM=false`,
      headers: bearer(sub.caller.token),
    });
    expect(response.json()).toEqual({ requestId: expect.stringMatching(REQUEST_ID), success: true });
    expect(await lead(loser!)).toBeUndefined();
  });

  it('also takes a single loser as ?leadId=', async () => {
    const [winner, loser] = await seedLeads(sub, 'Default', [{ email: 'w@example.com' }, { email: 'l@example.com' }]);
    expect((await post(`/rest/v1/leads/${winner}/merge.json?leadId=${loser}`)).success).toBe(true);
    expect(await lead(loser!)).toBeUndefined();
  });

  it.each([
    ['an unknown loser', (w: number) => `/rest/v1/leads/${w}/merge.json?leadIds=999999`, '1004', 'Lead not found'],
    [
      'an unknown winner',
      (_w: number, l: number) => `/rest/v1/leads/999999/merge.json?leadId=${l}`,
      '1004',
      'Lead not found',
    ],
    ['no loser', (w: number) => `/rest/v1/leads/${w}/merge.json`, '701', 'leadIds cannot be blank'],
    [
      'the winner among the losers',
      (w: number, l: number) => `/rest/v1/leads/${w}/merge.json?leadIds=${l},${w}`,
      '1003',
      expect.stringContaining("'leadIds'"),
    ],
  ])('%s is a response-level error and changes nothing', async (_case, url, code, message) => {
    const [winner, loser] = await seedLeads(sub, 'Default', [{ email: 'w@example.com' }, { email: 'l@example.com' }]);
    const before = await snapshot();
    expect(await post(url(winner!, loser!))).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: false,
      errors: [{ code, message }],
    });
    expect(await snapshot()).toEqual(before);
  });

  it('a lead the caller may only read is 1008 (response level), an invisible one 1004; nothing changes', async () => {
    const [winner] = await seedLeads(sub, 'Default', [{ email: 'w@example.com' }]);
    const [readOnly] = await seedLeads(sub, 'P3', [{ email: 'r@example.com' }]);
    const [invisible] = await seedLeads(sub, 'P4', [{ email: 'i@example.com' }]);
    const before = await snapshot();
    expect((await post(`/rest/v1/leads/${winner}/merge.json?leadId=${readOnly}`)).errors).toEqual([
      { code: '1008', message: "Access denied to partition 'P3'" },
    ]);
    expect((await post(`/rest/v1/leads/${winner}/merge.json?leadId=${invisible}`)).errors).toEqual([
      { code: '1004', message: 'Lead not found' },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('needs Read-Write Lead (603)', async () => {
    const [winner, loser] = await seedLeads(sub, 'Default', [{ email: 'w@example.com' }, { email: 'l@example.com' }]);
    expect((await post(`/rest/v1/leads/${winner}/merge.json?leadId=${loser}`, historian)).errors).toEqual([
      { code: '603', message: 'Access denied' },
    ]);
  });
});

describe('POST /rest/v1/leads/{id}/associate.json', () => {
  const cookie = 'id:123-ABC-456&token:_mch-example.com-1700000000000-12345';

  it('stores the Munchkin cookie on the lead, where filterType=cookies finds it', async () => {
    const [id] = await seedLeads(sub, 'Default', [{ email: 'c@example.com' }]);
    const body = await post(`/rest/v1/leads/${id}/associate.json?cookie=${encodeURIComponent(cookie)}`);
    expect(body).toEqual({ requestId: expect.stringMatching(REQUEST_ID), success: true });
    expect((await lead(id!)).cookies).toBe(cookie);
    const found = await call(
      sub.app,
      'GET',
      `/rest/v1/leads.json?filterType=cookies&filterValues=${encodeURIComponent(cookie)}`,
      undefined,
      bearer(sub.caller.token),
    );
    expect(found.json().result.map((l: { id: number }) => l.id)).toEqual([id]);
  });

  it.each([
    ['a malformed cookie', 'not-a-cookie', '1012', "Invalid cookie value 'not-a-cookie'"],
    ['an unknown lead', cookie, '1004', 'Lead not found'],
  ])('%s is a response-level error and changes nothing', async (name, value, code, message) => {
    const [id] = await seedLeads(sub, 'Default', [{ email: 'c@example.com' }]);
    const before = await snapshot();
    const target = name === 'an unknown lead' ? 999999 : id;
    expect((await post(`/rest/v1/leads/${target}/associate.json?cookie=${encodeURIComponent(value)}`)).errors).toEqual([
      { code, message },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('a missing cookie is 701; Read-Write Lead is needed (603)', async () => {
    const [id] = await seedLeads(sub, 'Default', [{ email: 'c@example.com' }]);
    expect((await post(`/rest/v1/leads/${id}/associate.json`)).errors).toEqual([
      { code: '701', message: 'cookie cannot be blank' },
    ]);
    expect(
      (await post(`/rest/v1/leads/${id}/associate.json?cookie=${encodeURIComponent(cookie)}`, historian)).errors,
    ).toEqual([{ code: '603', message: 'Access denied' }]);
  });

  it('the cookie survives a snapshot and a reload (the seed accepts it, though Sync Leads may not set it)', async () => {
    const [id] = await seedLeads(sub, 'Default', [{ email: 'c@example.com' }]);
    await post(`/rest/v1/leads/${id}/associate.json?cookie=${encodeURIComponent(cookie)}`);
    const sync = await post('/rest/v1/leads.json', sub.admin.token, {
      input: [{ email: 'c@example.com', cookies: 'x' }],
    });
    expect(sync.result[0]).toMatchObject({ status: 'skipped', reasons: [{ code: '1003' }] });
    expect((await snapshot()).leads[0]).toMatchObject({ id, cookies: cookie });
  });
});
