import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdjustableClock } from '../../../src/clock.js';
import { SCAN_WINDOW } from '../../../src/families/activities/repository.js';
import {
  accessToken,
  call,
  newInstance,
  newSeededInstance,
  type Provisioned,
  provisionService,
} from '../../helpers.js';
import { bearer, buildSubscription, REQUEST_ID, seedLeads, type Subscription } from '../../support/subscription.js';

/**
 * The activity log (issue 13; activities.md, paging-tokens.md; marketo-reference.md §6.2): every lead write records
 * its activities, read back through date tokens, Get Lead Activities, Get Lead Changes and Get Deleted Leads.
 * The "reader" holds Read-Only Activity in workspace A (partitions P1 and P2) only.
 */

let sub: Subscription;
let clock: AdjustableClock;
let reader: string;
let readerService: Provisioned;
const extra: FastifyInstance[] = [];

beforeEach(async () => {
  const instance = await newInstance();
  clock = instance.clock;
  sub = await buildSubscription(instance.app);
  readerService = await provisionService(sub.app, {
    permissions: ['read-only-activity'],
    workspaceIds: [sub.workspaces.A],
  });
  reader = await accessToken(sub.app, readerService);
});

afterEach(async () => {
  await sub.app.close();
  for (const app of extra.splice(0)) await app.close();
});

async function get(url: string, token = reader) {
  const response = await call(sub.app, 'GET', url, undefined, bearer(token));
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return response.json();
}

async function write(method: 'POST' | 'DELETE', url: string, payload: unknown) {
  const response = await call(sub.app, method, url, payload, bearer(sub.admin.token));
  const body = response.json();
  expect(body.success, response.body).toBe(true);
  return body;
}

async function dateToken(since = '2026-01-01T00:00:00Z'): Promise<string> {
  const body = await get(`/rest/v1/activities/pagingtoken.json?sinceDatetime=${encodeURIComponent(since)}`);
  return body.nextPageToken;
}

async function activities(typeIds: string, token?: string, extraQuery = '') {
  return get(
    `/rest/v1/activities.json?nextPageToken=${token ?? (await dateToken())}&activityTypeIds=${typeIds}${extraQuery}`,
  );
}

function attribute(activity: { attributes: { name: string; value: unknown }[] }, name: string): unknown {
  return activity.attributes.find((a) => a.name === name)?.value;
}

describe('GET /rest/v1/activities/types.json', () => {
  it("lists Marketo's standard types with their real ids, names and attributes", async () => {
    const body = await get('/rest/v1/activities/types.json');
    expect(body).toMatchObject({ requestId: expect.stringMatching(REQUEST_ID), success: true });
    const byId = new Map(body.result.map((type: { id: number }) => [type.id, type]));
    for (const [id, name] of [
      [1, 'Visit Webpage'],
      [2, 'Fill Out Form'],
      [12, 'New Lead'],
      [13, 'Change Data Value'],
      [22, 'Change Score'],
      [24, 'Add to List'],
      [25, 'Remove from List'],
      [32, 'Merge Leads'],
      [37, 'Delete Lead'],
      [46, 'Interesting Moment'],
      [47, 'Request Campaign'],
      [100, 'Change Lead Partition'],
      [104, 'Change Status in Progression'],
      [113, 'Add to Nurture'],
      [123, 'Change Program Member Data'],
    ] as const) {
      expect(byId.get(id), `type ${id}`).toMatchObject({ id, name });
    }
    expect(byId.get(13)).toMatchObject({
      primaryAttribute: { name: 'Attribute Name', dataType: 'integer' },
      attributes: expect.arrayContaining([
        { name: 'New Value', dataType: 'string' },
        { name: 'Old Value', dataType: 'string' },
        { name: 'Reason', dataType: 'string' },
        { name: 'Source', dataType: 'string' },
      ]),
    });
  });

  it('needs Read-Only or Read-Write Activity: a caller with lead permissions only gets 603', async () => {
    const response = await call(sub.app, 'GET', '/rest/v1/activities/types.json', undefined, bearer(sub.caller.token));
    expect(response.json()).toMatchObject({ success: false, errors: [{ code: '603', message: 'Access denied' }] });
  });

  it('lists custom types declared on the admin plane, with their API names', async () => {
    const created = await call(sub.app, 'POST', '/admin/activity-types', {
      apiName: 'webinarAttended',
      name: 'Attended webinar',
      primaryAttribute: { apiName: 'webinarId', name: 'Webinar ID', dataType: 'integer' },
      attributes: [{ apiName: 'minutes', name: 'Minutes', dataType: 'integer' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ id: 100001, apiName: 'webinarAttended', status: 'approved' });
    const body = await get('/rest/v1/activities/types.json');
    expect(body.result.at(-1)).toEqual({
      id: 100001,
      apiName: 'webinarAttended',
      name: 'Attended webinar',
      description: '',
      primaryAttribute: { apiName: 'webinarId', name: 'Webinar ID', dataType: 'integer' },
      attributes: [{ apiName: 'minutes', name: 'Minutes', dataType: 'integer' }],
    });
  });

  it('a custom type that clashes or has too many attributes is refused (409/400) and nothing is added', async () => {
    const type = {
      apiName: 'visit',
      name: 'Visit',
      primaryAttribute: { apiName: 'placeId', name: 'Place', dataType: 'integer' },
    };
    expect((await call(sub.app, 'POST', '/admin/activity-types', type)).statusCode).toBe(201);
    expect((await call(sub.app, 'POST', '/admin/activity-types', type)).statusCode).toBe(409);
    const attributes = Array.from({ length: 21 }, (_, i) => ({ apiName: `a${i}`, name: `A${i}`, dataType: 'string' }));
    const tooMany = await call(sub.app, 'POST', '/admin/activity-types', { ...type, apiName: 'other', attributes });
    expect(tooMany.statusCode).toBe(400);
    expect((await call(sub.app, 'GET', '/admin/activity-types')).json().items).toHaveLength(1);
  });
});

describe('GET /rest/v1/activities/pagingtoken.json', () => {
  it('returns a date token; a missing sinceDatetime is 701, a malformed one 1003', async () => {
    const body = await get('/rest/v1/activities/pagingtoken.json?sinceDatetime=2026-01-01T00:00:00-08:00');
    expect(body).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      nextPageToken: expect.stringMatching(/^[A-Z2-7]+$/),
    });
    expect(await get('/rest/v1/activities/pagingtoken.json')).toMatchObject({
      success: false,
      errors: [{ code: '701', message: 'sinceDatetime cannot be blank' }],
    });
    expect(await get('/rest/v1/activities/pagingtoken.json?sinceDatetime=yesterday')).toMatchObject({
      success: false,
      errors: [{ code: '1003', message: "Invalid value for parameter 'sinceDatetime': 'yesterday'" }],
    });
  });
});

describe('writes record their activities', () => {
  it('a created lead writes New Lead (12) only, with the API attributes; no Change Data Value', async () => {
    const before = await dateToken();
    const [id] = await seedLeads(sub, 'Default', [{ email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' }]);
    const body = await activities('12,13', before);
    expect(body.result).toEqual([
      {
        id: expect.any(Number),
        marketoGUID: expect.any(String),
        leadId: id,
        activityDate: '2026-01-15T12:00:00Z',
        activityTypeId: 12,
        primaryAttributeValueId: id,
        primaryAttributeValue: 'Ann Lee',
        attributes: [
          { name: 'Source Type', value: 'Web service API' },
          { name: 'API Method Name', value: 'syncLead' },
          { name: 'Modifying User', value: sub.admin.email },
          { name: 'Request Id', value: expect.stringMatching(REQUEST_ID) },
        ],
      },
    ]);
    expect(body.result[0].marketoGUID).toBe(String(body.result[0].id));
    expect(body).toMatchObject({ success: true, moreResult: false, nextPageToken: expect.any(String) });
  });

  it('an update writes one Change Data Value (13) per field whose value changed, with old and new value', async () => {
    const [id] = await seedLeads(sub, 'Default', [{ email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' }]);
    clock.advance(60);
    const since = await dateToken('2026-01-15T12:01:00Z');
    await write('POST', '/rest/v1/leads.json', {
      input: [{ email: 'ann@example.com', firstName: 'Anne', lastName: 'Lee', title: 'CTO' }],
    });
    const body = await activities('12,13', since);
    expect(body.result.map((a: { primaryAttributeValue: string }) => a.primaryAttributeValue)).toEqual([
      'First Name',
      'Job Title',
    ]);
    const [firstName, title] = body.result;
    expect(firstName).toMatchObject({ leadId: id, activityTypeId: 13, activityDate: '2026-01-15T12:01:00Z' });
    expect(attribute(firstName, 'Old Value')).toBe('Ann');
    expect(attribute(firstName, 'New Value')).toBe('Anne');
    expect(attribute(firstName, 'Reason')).toBe('Web service API');
    expect(attribute(firstName, 'Source')).toBe('Web service API');
    expect(attribute(title, 'Old Value')).toBeNull();
    expect(attribute(title, 'New Value')).toBe('CTO');
  });

  it('a delete writes Delete Lead (37), read by Get Deleted Leads; it is pruned after 14 days on the fake clock', async () => {
    const [id] = await seedLeads(sub, 'Default', [{ email: 'gone@example.com' }]);
    const token = await dateToken();
    await write('POST', '/rest/v1/leads/delete.json', { input: [{ id }] });
    const deleted = await get(`/rest/v1/activities/deletedleads.json?nextPageToken=${token}`);
    expect(deleted.result).toEqual([
      expect.objectContaining({ leadId: id, activityTypeId: 37, primaryAttributeValue: 'gone@example.com' }),
    ]);
    clock.advance(14 * 24 * 3600 - 1);
    // Tokens last an hour: a new one, fourteen days on.
    reader = await accessToken(sub.app, readerService);
    expect((await get(`/rest/v1/activities/deletedleads.json?nextPageToken=${token}`)).result).toHaveLength(1);
    clock.advance(2);
    reader = await accessToken(sub.app, readerService);
    expect((await get(`/rest/v1/activities/deletedleads.json?nextPageToken=${token}`)).result).toEqual([]);
    expect((await activities('37', token)).result).toEqual([]);
  });

  it('the legacy delete forms (DELETE /rest/v1/leads.json, ?id=) write 37 like the spec path', async () => {
    const [a, b] = await seedLeads(sub, 'Default', [{ email: 'a@example.com' }, { email: 'b@example.com' }]);
    const token = await dateToken();
    await write('DELETE', `/rest/v1/leads.json?id=${a}`, undefined);
    await write('POST', '/rest/v1/leads.json?_method=DELETE', { input: [{ id: b }] });
    const deleted = await get(`/rest/v1/activities/deletedleads.json?nextPageToken=${token}`);
    expect(deleted.result.map((x: { leadId: number }) => x.leadId)).toEqual([a, b]);
  });

  it('a partition move writes Change Lead Partition (100): new partition as primary attribute, old one as attribute', async () => {
    const [id] = await seedLeads(sub, 'Default', [{ email: 'mover@example.com' }]);
    const token = await dateToken();
    await write('POST', '/rest/v1/leads/partitions.json', { input: [{ id, partitionName: 'P2' }] });
    const body = await activities('100', token);
    expect(body.result).toEqual([
      expect.objectContaining({
        leadId: id,
        activityTypeId: 100,
        primaryAttributeValueId: sub.partitions.P2,
        primaryAttributeValue: 'P2',
      }),
    ]);
    expect(attribute(body.result[0], 'Old Partition ID')).toBe(1);
  });

  it('a skipped record writes nothing', async () => {
    const token = await dateToken();
    await write('POST', '/rest/v1/leads.json', { action: 'updateOnly', input: [{ email: 'nobody@example.com' }] });
    expect((await activities('12,13', token)).result).toEqual([]);
  });
});

describe('visibility', () => {
  it('activities of leads in partitions the caller cannot read are absent, as the leads are (deleted ones too)', async () => {
    const token = await dateToken();
    const [visible] = await seedLeads(sub, 'P2', [{ email: 'seen@example.com' }]);
    const [hidden] = await seedLeads(sub, 'P3', [{ email: 'hidden@example.com' }]);
    await write('POST', '/rest/v1/leads/delete.json', { input: [{ id: hidden }] });
    const body = await activities('12,37', token);
    expect(body.result.map((a: { leadId: number }) => a.leadId)).toEqual([visible]);
    expect((await get(`/rest/v1/activities/deletedleads.json?nextPageToken=${token}`)).result).toEqual([]);
  });
});

describe('GET /rest/v1/activities.json paging', () => {
  it('pages by nextPageToken with moreResult; the last page names the end of the log, and later writes follow it', async () => {
    const token = await dateToken();
    const ids = await seedLeads(
      sub,
      'Default',
      Array.from({ length: 5 }, (_, i) => ({ email: `p${i}@example.com` })),
    );
    const first = await activities('12', token, '&batchSize=2');
    expect(first).toMatchObject({ moreResult: true, nextPageToken: expect.any(String) });
    const second = await activities('12', first.nextPageToken, '&batchSize=2');
    const third = await activities('12', second.nextPageToken, '&batchSize=2');
    expect(third.moreResult).toBe(false);
    const seen = [...first.result, ...second.result, ...third.result].map((a: { leadId: number }) => a.leadId);
    expect(seen).toEqual(ids);
    // The token of the last page is a position: nothing more now, the next run sees only what came after.
    const end = await activities('12', third.nextPageToken);
    expect(end).toMatchObject({ result: [], moreResult: false });
    const [later] = await seedLeads(sub, 'Default', [{ email: 'later@example.com' }]);
    expect((await activities('12', third.nextPageToken)).result.map((a: { leadId: number }) => a.leadId)).toEqual([
      later,
    ]);
  });

  it('the same token serves every group of type ids (clients loop over groups of 10)', async () => {
    const token = await dateToken();
    await seedLeads(sub, 'Default', [{ email: 'x@example.com', firstName: 'X' }]);
    await write('POST', '/rest/v1/leads.json', { input: [{ email: 'x@example.com', firstName: 'Y' }] });
    expect(
      (await activities('1,2,3,6,7,8,9,10,11,12', token)).result.map(
        (a: { activityTypeId: number }) => a.activityTypeId,
      ),
    ).toEqual([12]);
    expect(
      (await activities('13,22,24,25,32,37,46,47,100,104', token)).result.map(
        (a: { activityTypeId: number }) => a.activityTypeId,
      ),
    ).toEqual([13]);
  });

  it('is also a POST with _method=GET and a form body (what clients send for long id lists)', async () => {
    const token = await dateToken();
    const [a] = await seedLeads(sub, 'Default', [{ email: 'a@example.com' }]);
    const response = await call(
      sub.app,
      'POST',
      '/rest/v1/activities.json?_method=GET',
      `nextPageToken=${token}&activityTypeIds=12,13&leadIds=${a}`,
      { ...bearer(reader), 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(response.json().result.map((x: { leadId: number }) => x.leadId)).toEqual([a]);
  });

  it('filters by leadIds', async () => {
    const token = await dateToken();
    const [a, b] = await seedLeads(sub, 'Default', [{ email: 'a@example.com' }, { email: 'b@example.com' }]);
    expect((await activities('12', token, `&leadIds=${b}`)).result.map((x: { leadId: number }) => x.leadId)).toEqual([
      b,
    ]);
    expect((await activities('12', token, `&leadIds=${a},${b}`)).result).toHaveLength(2);
  });

  it('filters by assetIds (the primary attribute value id)', async () => {
    const [lead] = await seedLeads(sub, 'Default', [{ email: 'web@example.com' }]);
    const token = await dateToken();
    for (const page of [7, 8, 7]) {
      const added = await call(sub.app, 'POST', '/admin/activities', {
        leadId: lead,
        activityTypeId: 1,
        primaryAttributeValueId: page,
        primaryAttributeValue: `page ${page}`,
      });
      expect(added.statusCode).toBe(201);
    }
    const body = await activities('1', token, '&assetIds=7');
    expect(body.result.map((a: { primaryAttributeValueId: number }) => a.primaryAttributeValueId)).toEqual([7, 7]);
    const tooMany = Array.from({ length: 301 }, (_, i) => i).join(',');
    expect((await activities('1', token, `&assetIds=${tooMany}`)).errors).toEqual([
      { code: '1003', message: "Parameter 'assetIds' takes at most 300 values" },
    ]);
  });

  it('a read looks at a bounded window of the log: a sparse type gives a short page with moreResult true', async () => {
    const filler = Array.from({ length: SCAN_WINDOW + 5 }, (_, i) => ({
      leadId: 1,
      activityDate: new Date(Date.UTC(2026, 0, 2) + i).toISOString(),
      activityTypeId: 1,
    }));
    const { app } = await newSeededInstance({
      roles: [{ name: 'Reader', permissions: ['read-only-activity'] }],
      users: [{ email: 'r@example.com', apiOnly: true, roles: [{ role: 'Reader', workspace: 'Default' }] }],
      services: [{ name: 'r', user: 'r@example.com', clientId: 'reader-client', clientSecret: 'reader-secret' }],
      activities: [...filler, { leadId: 1, activityDate: '2026-01-03T00:00:00Z', activityTypeId: 46 }],
    });
    extra.push(app);
    const token = (
      await call(
        app,
        'GET',
        '/identity/oauth/token?grant_type=client_credentials&client_id=reader-client&client_secret=reader-secret',
      )
    ).json().access_token as string;
    const read = async (pageToken: string) =>
      (
        await call(
          app,
          'GET',
          `/rest/v1/activities.json?nextPageToken=${pageToken}&activityTypeIds=46`,
          undefined,
          bearer(token),
        )
      ).json();
    const since = (
      await call(app, 'GET', '/rest/v1/activities/pagingtoken.json?sinceDatetime=2026-01-01', undefined, bearer(token))
    ).json().nextPageToken;
    const first = await read(since);
    expect(first).toMatchObject({ success: true, result: [], moreResult: true });
    const second = await read(first.nextPageToken);
    expect(second).toMatchObject({ result: [expect.objectContaining({ activityTypeId: 46 })], moreResult: false });
  });

  it('tokens survive a restart: a snapshot loaded into a new instance answers the same token the same way', async () => {
    const token = await dateToken();
    await seedLeads(sub, 'P2', [{ email: 'a@example.com' }, { email: 'b@example.com' }]);
    const page = await activities('12', token, '&batchSize=1');
    const snapshot = (await call(sub.app, 'GET', '/admin/snapshot')).json();
    const { app } = await newSeededInstance(snapshot);
    extra.push(app);
    const restored = await call(
      app,
      'GET',
      `/rest/v1/activities.json?nextPageToken=${page.nextPageToken}&activityTypeIds=12`,
      undefined,
      bearer(await tokenOf(app, snapshot)),
    );
    expect(restored.json().result).toEqual((await activities('12', page.nextPageToken)).result);
    expect(restored.json().result).toHaveLength(1);
  });
});

/** A token for the snapshot's reader service (the one with Read-Only Activity). */
async function tokenOf(app: FastifyInstance, snapshot: { services: { clientId: string; clientSecret: string }[] }) {
  const service = snapshot.services.at(-1)!;
  const response = await call(
    app,
    'GET',
    `/identity/oauth/token?grant_type=client_credentials&client_id=${service.clientId}&client_secret=${service.clientSecret}`,
  );
  return response.json().access_token as string;
}

describe('bad input gets a Marketo error and changes nothing', () => {
  it.each([
    [
      'activityTypeIds missing',
      '/rest/v1/activities.json?nextPageToken=TOKEN',
      '701',
      'activityTypeIds cannot be blank',
    ],
    ['nextPageToken missing', '/rest/v1/activities.json?activityTypeIds=12', '701', 'nextPageToken cannot be blank'],
    [
      'more than 10 type ids',
      '/rest/v1/activities.json?nextPageToken=TOKEN&activityTypeIds=1,2,3,6,7,8,9,10,11,12,13',
      '1003',
      "Parameter 'activityTypeIds' takes at most 10 values",
    ],
    [
      'more than 30 lead ids',
      `/rest/v1/activities.json?nextPageToken=TOKEN&activityTypeIds=12&leadIds=${Array.from({ length: 31 }, (_, i) => i + 1).join(',')}`,
      '1003',
      "Parameter 'leadIds' takes at most 30 values",
    ],
    [
      'batchSize over 300',
      '/rest/v1/activities.json?nextPageToken=TOKEN&activityTypeIds=12&batchSize=301',
      '1003',
      "Invalid value for parameter 'batchSize': '301'",
    ],
    [
      'a type id that is not a number',
      '/rest/v1/activities.json?nextPageToken=TOKEN&activityTypeIds=twelve',
      '1003',
      "Invalid value for parameter 'activityTypeIds': 'twelve'",
    ],
    [
      'a malformed token',
      '/rest/v1/activities.json?nextPageToken=not-a-token&activityTypeIds=12',
      '1003',
      'Invalid nextPageToken',
    ],
    [
      'a token that decodes to something else',
      '/rest/v1/activities.json?nextPageToken=MFRGG&activityTypeIds=12',
      '1003',
      'Invalid nextPageToken',
    ],
    [
      'a listId (no list exists yet)',
      '/rest/v1/activities.json?nextPageToken=TOKEN&activityTypeIds=12&listId=5',
      '1013',
      'Object not found',
    ],
    [
      'leadchanges without fields',
      '/rest/v1/activities/leadchanges.json?nextPageToken=TOKEN',
      '701',
      'fields cannot be blank',
    ],
    [
      'leadchanges with an unknown field',
      '/rest/v1/activities/leadchanges.json?nextPageToken=TOKEN&fields=nope',
      '1006',
      "Field 'nope' not found",
    ],
    ['deletedleads without a token', '/rest/v1/activities/deletedleads.json', '701', 'nextPageToken cannot be blank'],
  ])('%s', async (_case, url, code, message) => {
    await seedLeads(sub, 'Default', [{ email: 'a@example.com' }]);
    const before = (await call(sub.app, 'GET', '/admin/snapshot')).json();
    const body = await get(url.replace('TOKEN', await dateToken()));
    expect(body).toEqual({ requestId: expect.stringMatching(REQUEST_ID), success: false, errors: [{ code, message }] });
    expect((await call(sub.app, 'GET', '/admin/snapshot')).json()).toEqual(before);
  });

  it('each activity read is 603 for a caller with lead permissions only', async () => {
    const token = await dateToken();
    for (const url of [
      `/rest/v1/activities/pagingtoken.json?sinceDatetime=2026-01-01`,
      `/rest/v1/activities.json?nextPageToken=${token}&activityTypeIds=12`,
      `/rest/v1/activities/leadchanges.json?nextPageToken=${token}&fields=email`,
      `/rest/v1/activities/deletedleads.json?nextPageToken=${token}`,
    ]) {
      expect((await get(url, sub.caller.token)).errors, url).toEqual([{ code: '603', message: 'Access denied' }]);
    }
  });
});

describe('GET /rest/v1/activities/leadchanges.json', () => {
  it('returns New Lead and Change Data Value activities, the latter only for the fields asked, with fields[]', async () => {
    const token = await dateToken();
    const [id] = await seedLeads(sub, 'Default', [{ email: 'c@example.com', firstName: 'C' }]);
    await write('POST', '/rest/v1/leads.json', { input: [{ email: 'c@example.com', firstName: 'Cee', title: 'Dr' }] });
    const body = await get(`/rest/v1/activities/leadchanges.json?nextPageToken=${token}&fields=FirstName`);
    expect(body.result).toEqual([
      expect.objectContaining({ leadId: id, activityTypeId: 12 }),
      {
        id: expect.any(Number),
        marketoGUID: expect.any(String),
        leadId: id,
        activityDate: '2026-01-15T12:00:00Z',
        activityTypeId: 13,
        fields: [{ id: expect.any(Number), name: 'firstName', newValue: 'Cee', oldValue: 'C' }],
        attributes: expect.arrayContaining([{ name: 'Reason', value: 'Web service API' }]),
      },
    ]);
    expect(body.result[0]).not.toHaveProperty('fields');
    expect(body).toMatchObject({ moreResult: false, nextPageToken: expect.any(String) });
  });
});

describe('custom activity type metadata', () => {
  it('external/types.json and describe.json list declared types; an unknown API name is 1013; 603 without metadata permission', async () => {
    await call(sub.app, 'POST', '/admin/activity-types', {
      apiName: 'demoBooked',
      name: 'Booked a demo',
      primaryAttribute: { apiName: 'demoId', name: 'Demo', dataType: 'integer' },
    });
    const service = await provisionService(sub.app, { permissions: ['read-only-activity-metadata'] });
    const meta = await accessToken(sub.app, service);
    expect((await get('/rest/v1/activities/external/types.json', meta)).result).toEqual([
      expect.objectContaining({ id: 100001, apiName: 'demoBooked', status: 'approved' }),
    ]);
    expect((await get('/rest/v1/activities/external/type/demoBooked/describe.json', meta)).result).toEqual([
      expect.objectContaining({
        apiName: 'demoBooked',
        primaryAttribute: { apiName: 'demoId', name: 'Demo', dataType: 'integer' },
      }),
    ]);
    expect((await get('/rest/v1/activities/external/type/nope/describe.json', meta)).errors).toEqual([
      { code: '1013', message: 'Object not found' },
    ]);
    expect((await get('/rest/v1/activities/external/types.json')).errors).toEqual([
      { code: '603', message: 'Access denied' },
    ]);
  });
});

describe('activities in the seed, the snapshot and reset', () => {
  it('a seeded history is read back, streamed out by GET /admin/snapshot in chunks, and emptied by reset', async () => {
    const history = Array.from({ length: 3000 }, (_, i) => ({
      leadId: 1 + (i % 7),
      activityDate: new Date(Date.UTC(2026, 0, 2) + i * 1000).toISOString(),
      activityTypeId: i % 2 === 0 ? 1 : 10,
      primaryAttributeValueId: i,
      primaryAttributeValue: `page ${i}`,
      attributes: [{ name: 'Webpage URL', value: `/p/${i}` }],
    }));
    const { app } = await newSeededInstance({ activities: history });
    extra.push(app);
    const response = await call(app, 'GET', '/admin/snapshot');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    // Several 64 KiB chunks: the document is written as it is read.
    expect(response.body.length).toBeGreaterThan(3 * 64 * 1024);
    const snapshot = response.json();
    expect(snapshot.activities).toHaveLength(3000);
    expect(snapshot.activities[2999]).toEqual({
      id: 3000,
      leadId: 1 + (2999 % 7),
      partition: 'Default',
      activityDate: history[2999]!.activityDate,
      activityTypeId: 10,
      primaryAttributeValueId: 2999,
      primaryAttributeValue: 'page 2999',
      attributes: [{ name: 'Webpage URL', value: '/p/2999' }],
    });
    const restored = await newSeededInstance(snapshot);
    extra.push(restored.app);
    expect((await call(restored.app, 'GET', '/admin/snapshot')).json()).toEqual(snapshot);

    expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
    expect((await call(app, 'GET', '/admin/snapshot')).json().activities).toHaveLength(3000);
    expect((await call(restored.app, 'POST', '/admin/reset')).statusCode).toBe(204);
  });

  it('a seed naming an unknown partition or activity type is refused with its path', async () => {
    await expect(
      newSeededInstance({ activities: [{ leadId: 1, activityDate: '2026-01-01T00:00:00Z', activityTypeId: 99999 }] }),
    ).rejects.toThrow('activities[0].activityTypeId: no such activity type');
    await expect(
      newSeededInstance({
        activities: [{ leadId: 1, partition: 'Nowhere', activityDate: '2026-01-01T00:00:00Z', activityTypeId: 1 }],
      }),
    ).rejects.toThrow('activities[0].partition: no partition named "Nowhere"');
    // A date no paging token reaches (paging-tokens.md) is refused, as Add Custom Activities refuses it.
    for (const activityDate of ['1969-07-20T20:17:00Z', '+010000-01-01T00:00:00Z']) {
      await expect(newSeededInstance({ activities: [{ leadId: 1, activityDate, activityTypeId: 1 }] })).rejects.toThrow(
        'activities[0].activityDate: must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z',
      );
    }
  });
});

describe('POST /rest/v1/activities/external.json (Add Custom Activities)', () => {
  let writer: string;
  beforeEach(async () => {
    const created = await call(sub.app, 'POST', '/admin/activity-types', {
      apiName: 'webinarAttended',
      name: 'Attended webinar',
      primaryAttribute: { apiName: 'webinarId', name: 'Webinar ID', dataType: 'string' },
      attributes: [{ apiName: 'minutes', name: 'Minutes watched', dataType: 'integer' }],
    });
    expect(created.statusCode).toBe(201);
    const service = await provisionService(sub.app, {
      permissions: ['read-write-activity'],
      workspaceIds: [sub.workspaces.A],
    });
    writer = await accessToken(sub.app, service);
  });

  async function add(input: unknown[], token = writer) {
    const response = await call(sub.app, 'POST', '/rest/v1/activities/external.json', { input }, bearer(token));
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  it('adds activities of a declared type for visible leads; per-record results and reasons, in input order', async () => {
    const [seen] = await seedLeads(sub, 'P2', [{ email: 'seen@example.com' }]);
    const [hidden] = await seedLeads(sub, 'P3', [{ email: 'hidden@example.com' }]);
    const token = await dateToken();
    const activity = {
      leadId: seen,
      activityDate: '2026-01-15T12:00:00Z',
      activityTypeId: 100001,
      apiName: 'webinarAttended',
      primaryAttributeValue: 'Spring launch',
      attributes: [{ apiName: 'minutes', value: 42 }],
    };
    const body = await add([
      activity,
      { ...activity, leadId: hidden },
      { ...activity, leadId: 999999 },
      { ...activity, activityTypeId: 1 },
      { ...activity, activityTypeId: 123456 },
      { ...activity, attributes: [{ apiName: 'nope', value: 1 }] },
      { ...activity, activityDate: 'soon' },
      { ...activity, attributes: [{ apiName: 'minutes', value: 'x'.repeat(70_000) }] },
    ]);
    expect(body.result).toEqual([
      { id: expect.any(Number), marketoGUID: expect.any(String), status: 'added' },
      { status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
      { status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
      { status: 'skipped', reasons: [{ code: '1003', message: "Invalid value for parameter 'activityTypeId': '1'" }] },
      {
        status: 'skipped',
        reasons: [{ code: '1003', message: "Invalid value for parameter 'activityTypeId': '123456'" }],
      },
      {
        status: 'skipped',
        reasons: [{ code: '1003', message: "Attribute 'nope' is not declared by activity type 'webinarAttended'" }],
      },
      { status: 'skipped', reasons: [{ code: '1003', message: "Invalid value for parameter 'activityDate': 'soon'" }] },
      // "attributes > 65536 bytes" (error-codes.md 1049).
      { status: 'skipped', reasons: [{ code: '1049', message: 'Failed to Create Activity' }] },
    ]);
    const read = await activities('100001', token);
    expect(read.result).toEqual([
      {
        id: body.result[0].id,
        marketoGUID: String(body.result[0].id),
        leadId: seen,
        activityDate: '2026-01-15T12:00:00Z',
        activityTypeId: 100001,
        primaryAttributeValue: 'Spring launch',
        attributes: [{ name: 'Minutes watched', apiName: 'minutes', value: 42 }],
      },
    ]);
  });

  // paging-tokens.md: a date token selects the activities at or after sinceDatetime; an activity no token reaches,
  // or whose activityDate cannot be written back (year 10000 and later), is refused (1003) rather than kept.
  it('refuses activity dates no paging token can address (before 1970, year 10000 on) with 1003; the edges are kept', async () => {
    const [lead] = await seedLeads(sub, 'P2', [{ email: 'dates@example.com' }]);
    const at = (activityDate: string) => ({
      leadId: lead,
      activityDate,
      activityTypeId: 100001,
      primaryAttributeValue: activityDate,
    });
    const body = await add([
      at('1969-12-31T23:59:59Z'),
      at('+010000-01-01T00:00:00Z'),
      at('1970-01-01T00:00:00Z'),
      at('9999-12-31T23:59:59Z'),
    ]);
    const invalid = (value: string) => ({
      status: 'skipped',
      reasons: [{ code: '1003', message: `Invalid value for parameter 'activityDate': '${value}'` }],
    });
    expect(body.result).toEqual([
      invalid('1969-12-31T23:59:59Z'),
      invalid('+010000-01-01T00:00:00Z'),
      expect.objectContaining({ status: 'added' }),
      expect.objectContaining({ status: 'added' }),
    ]);
    const read = await activities('100001', await dateToken('1970-01-01T00:00:00Z'));
    expect(read.result.map((a: { activityDate: string }) => a.activityDate)).toEqual([
      '1970-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
    ]);
  });

  it('a date token before 1970 is accepted by the reads and starts at the beginning of the log', async () => {
    const [lead] = await seedLeads(sub, 'P2', [{ email: 'early@example.com' }]);
    expect(
      (
        await add([
          { leadId: lead, activityDate: '1970-01-01T00:00:00Z', activityTypeId: 100001, primaryAttributeValue: 'x' },
        ])
      ).result[0].status,
    ).toBe('added');
    const token = await dateToken('1969-12-31T00:00:00Z');
    const read = await get(`/rest/v1/activities.json?activityTypeIds=100001&nextPageToken=${token}`);
    expect(read).toMatchObject({ success: true, result: [{ leadId: lead, activityDate: '1970-01-01T00:00:00Z' }] });
  });

  it('needs Read-Write Activity: a reader gets 603 and nothing is added', async () => {
    const [lead] = await seedLeads(sub, 'Default', [{ email: 'r@example.com' }]);
    const token = await dateToken();
    const body = await add(
      [{ leadId: lead, activityDate: '2026-01-15T12:00:00Z', activityTypeId: 100001, primaryAttributeValue: 'x' }],
      reader,
    );
    expect(body).toMatchObject({ success: false, errors: [{ code: '603', message: 'Access denied' }] });
    expect((await activities('100001', token)).result).toEqual([]);
  });

  it('an empty or missing input is a response-level error and adds nothing', async () => {
    const token = await dateToken();
    for (const payload of [{}, { input: [] }]) {
      const response = await call(sub.app, 'POST', '/rest/v1/activities/external.json', payload, bearer(writer));
      expect(response.json()).toMatchObject({
        success: false,
        errors: [{ code: expect.stringMatching(/^(701|1003)$/) }],
      });
    }
    expect((await activities('100001', token)).result).toEqual([]);
  });
});

describe('POST /admin/activities', () => {
  it('adds an activity of any standard type for a lead at the current time; unknown lead or type is 404', async () => {
    const [lead] = await seedLeads(sub, 'Default', [{ email: 'web@example.com' }]);
    const token = await dateToken();
    const created = await call(sub.app, 'POST', '/admin/activities', {
      leadId: lead,
      activityTypeId: 1,
      primaryAttributeValueId: 12,
      primaryAttributeValue: 'pricing.html',
      attributes: [{ name: 'Webpage URL', value: '/pricing.html' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ leadId: lead, activityTypeId: 1, activityDate: '2026-01-15T12:00:00Z' });
    expect((await activities('1', token)).result).toEqual([created.json()]);
    expect((await call(sub.app, 'POST', '/admin/activities', { leadId: 999999, activityTypeId: 1 })).statusCode).toBe(
      404,
    );
    expect((await call(sub.app, 'POST', '/admin/activities', { leadId: lead, activityTypeId: 99999 })).statusCode).toBe(
      404,
    );
    expect((await call(sub.app, 'POST', '/admin/activities', { leadId: 'x', activityTypeId: 1 })).statusCode).toBe(400);
    expect((await activities('1', token)).result).toHaveLength(1);
  });
});
