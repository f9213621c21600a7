import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, newInstance } from '../../helpers.js';
import { bearer, buildSubscription, REQUEST_ID, seedLeads, type Subscription } from '../../support/subscription.js';

let sub: Subscription;

beforeEach(async () => {
  const { app } = await newInstance();
  sub = await buildSubscription(app);
});

afterEach(async () => {
  await sub.app.close();
});

async function asCaller(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) {
  const response = await call(sub.app, method, url, payload, bearer(sub.caller.token));
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return response.json();
}

async function sync(body: Record<string, unknown>) {
  return asCaller('POST', '/rest/v1/leads.json', body);
}

async function leadById(id: number, fields?: string) {
  const body = await call(
    sub.app,
    'GET',
    `/rest/v1/lead/${id}.json${fields ? `?fields=${fields}` : ''}`,
    undefined,
    bearer(sub.admin.token),
  );
  return body.json().result[0];
}

describe('Sync Leads POST /rest/v1/leads.json', () => {
  it('createOrUpdate (the default) creates, then updates by email, results in input order', async () => {
    const first = await sync({ input: [{ email: 'ann@example.com', firstName: 'Ann' }, { email: 'bob@example.com' }] });
    expect(first).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      result: [
        { id: expect.any(Number), status: 'created' },
        { id: expect.any(Number), status: 'created' },
      ],
      success: true,
    });
    // Lead-database envelopes omit empty errors and warnings (marketo-reference.md §2.2).
    expect(first).not.toHaveProperty('errors');
    expect(first).not.toHaveProperty('warnings');

    const second = await sync({
      input: [{ email: 'BOB@example.com', lastName: 'Builder' }, { email: 'cy@example.com' }],
    });
    expect(second.result).toEqual([
      { id: first.result[1].id, status: 'updated' },
      { id: expect.any(Number), status: 'created' },
    ]);
    const bob = await leadById(first.result[1].id);
    expect(bob).toMatchObject({ email: 'BOB@example.com', lastName: 'Builder', firstName: null });
  });

  it('createOnly skips an existing lead with 1005 and no id', async () => {
    await sync({ input: [{ email: 'ann@example.com' }] });
    const body = await sync({
      action: 'createOnly',
      input: [{ email: 'ann@example.com' }, { email: 'new@example.com' }],
    });
    expect(body.result).toEqual([
      { status: 'skipped', reasons: [{ code: '1005', message: 'Lead already exists' }] },
      { id: expect.any(Number), status: 'created' },
    ]);
  });

  it('updateOnly skips an unknown lead with 1004 and updates a known one, also by id', async () => {
    const created = await sync({ input: [{ email: 'ann@example.com' }] });
    const id = created.result[0].id;
    const byEmail = await sync({
      action: 'updateOnly',
      input: [
        { email: 'nobody@example.com', firstName: 'X' },
        { email: 'ann@example.com', firstName: 'Ann' },
      ],
    });
    expect(byEmail.result).toEqual([
      { status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
      { id, status: 'updated' },
    ]);
    const byId = await sync({ action: 'updateOnly', lookupField: 'id', input: [{ id, title: 'CEO' }] });
    expect(byId.result).toEqual([{ id, status: 'updated' }]);
    expect(await leadById(id, 'firstName,title')).toEqual({ id, firstName: 'Ann', title: 'CEO' });
    expect(
      (await sync({ action: 'updateOnly', lookupField: 'id', input: [{ title: 'x' }] })).result[0].reasons[0].code,
    ).toBe('1002');
  });

  it('an update that changes the email moves the lead to its new email; one that keeps it leaves it there', async () => {
    const id = (await sync({ input: [{ email: 'ann@example.com' }] })).result[0].id;
    const byEmail = async (email: string) =>
      (await asCaller('GET', `/rest/v1/leads.json?filterType=email&filterValues=${email}&fields=id,title`)).result;
    await sync({ action: 'updateOnly', input: [{ email: 'ann@example.com', title: 'CTO' }] });
    expect(await byEmail('ann@example.com')).toEqual([{ id, title: 'CTO' }]);
    await sync({ action: 'updateOnly', lookupField: 'id', input: [{ id, email: 'ann.b@example.com' }] });
    expect(await byEmail('ann.b@example.com')).toEqual([{ id, title: 'CTO' }]);
    expect(await byEmail('ann@example.com')).toEqual([]);
    expect(await leadById(id, 'email,title')).toEqual({ id, email: 'ann.b@example.com', title: 'CTO' });
  });

  it('createDuplicate always creates; then a lookup matching two leads is 1007', async () => {
    const body = await sync({
      action: 'createDuplicate',
      input: [{ email: 'twin@example.com' }, { email: 'twin@example.com' }],
    });
    expect(body.result.map((row: { status: string }) => row.status)).toEqual(['created', 'created']);
    const again = await sync({ input: [{ email: 'twin@example.com', firstName: 'T' }] });
    expect(again.result).toEqual([
      { status: 'skipped', reasons: [{ code: '1007', message: 'Multiple leads match the lookup criteria' }] },
    ]);
  });

  it('skips bad records with 1003 (bad value, id outside updateOnly, read-only field) and 1006 (unknown field)', async () => {
    const body = await sync({
      input: [
        { email: 'not-an-email' },
        { email: 'ok@example.com', numberOfEmployees: 'many' },
        { email: 'ok2@example.com', unknownField: 'x' },
        { id: 5, email: 'ok3@example.com' },
        { email: 'ok4@example.com', updatedAt: '2020-01-01T00:00:00Z' },
        { email: 'fine@example.com', numberOfEmployees: '12', unsubscribed: 'true' },
      ],
    });
    expect(body.result).toEqual([
      {
        status: 'skipped',
        reasons: [{ code: '1003', message: "Invalid value for field 'email' and value 'not-an-email'" }],
      },
      {
        status: 'skipped',
        reasons: [{ code: '1003', message: "Invalid value for field 'numberOfEmployees' and value 'many'" }],
      },
      { status: 'skipped', reasons: [{ code: '1006', message: "Field 'unknownField' not found" }] },
      { status: 'skipped', reasons: [{ code: '1003', message: expect.stringContaining("'id'") }] },
      { status: 'skipped', reasons: [{ code: '1003', message: expect.stringContaining('updatedAt') }] },
      { id: expect.any(Number), status: 'created' },
    ]);
    expect(await leadById(body.result[5].id, 'numberOfEmployees,unsubscribed')).toMatchObject({
      numberOfEmployees: 12,
      unsubscribed: true,
    });
    const all = await asCaller('GET', '/rest/v1/leads.json?filterType=leadPartitionId&filterValues=1');
    expect(all.result).toHaveLength(1);
  });

  it('partitionName puts new leads in that partition', async () => {
    const body = await sync({ partitionName: 'P2', input: [{ email: 'p2@example.com' }] });
    expect(await leadById(body.result[0].id, 'leadPartitionId')).toMatchObject({ leadPartitionId: sub.partitions.P2 });
  });

  it('writing into a read-only (P3) or invisible (P4) partition is skipped with 1008', async () => {
    const [inP3] = await seedLeads(sub, 'P3', [{ email: 'p3@example.com' }]);
    const body = await sync({
      input: [{ email: 'p3@example.com', firstName: 'Changed' }],
    });
    expect(body.result).toEqual([
      { status: 'skipped', reasons: [{ code: '1008', message: "Access denied to partition 'P3'" }] },
    ]);
    expect((await leadById(inP3!, 'firstName')).firstName).toBeNull();

    for (const partitionName of ['P3', 'P4']) {
      const denied = await sync({ partitionName, input: [{ email: `new-${partitionName}@example.com` }] });
      expect(denied.result).toEqual([
        { status: 'skipped', reasons: [{ code: '1008', message: `Access denied to partition '${partitionName}'` }] },
      ]);
    }
    // A mistyped partition says it does not exist (issue 23, item 19), and creates nothing.
    const mistyped = await sync({ partitionName: 'Nope', input: [{ email: 'new-nope@example.com' }] });
    expect(mistyped.result).toEqual([
      { status: 'skipped', reasons: [{ code: '1008', message: "Partition 'Nope' does not exist" }] },
    ]);
    const p4 = await call(
      sub.app,
      'GET',
      '/rest/v1/leads.json?filterType=email&filterValues=new-P4@example.com',
      undefined,
      bearer(sub.admin.token),
    );
    expect(p4.json().result).toEqual([]);
  });

  it('a lead in P4 is invisible to the caller, so the same email is created anew in its own partition', async () => {
    const [hidden] = await seedLeads(sub, 'P4', [{ email: 'shared@example.com', firstName: 'Hidden' }]);
    const body = await sync({ input: [{ email: 'shared@example.com', firstName: 'Mine' }] });
    expect(body.result).toEqual([{ id: expect.any(Number), status: 'created' }]);
    expect(body.result[0].id).not.toBe(hidden);
    expect((await leadById(hidden!, 'firstName')).firstName).toBe('Hidden');
  });

  it('updating a lead that lives in another partition than partitionName is 1010', async () => {
    await sync({ input: [{ email: 'p1@example.com' }] });
    const body = await sync({ partitionName: 'P2', input: [{ email: 'p1@example.com', firstName: 'X' }] });
    expect(body.result).toEqual([
      { status: 'skipped', reasons: [{ code: '1010', message: 'Partition update not allowed' }] },
    ]);
  });

  it('without partitionName, a caller who can write several partitions but not Default gets 1009', async () => {
    const P5 = (await call(sub.app, 'POST', '/admin/partitions', { name: 'P5' })).json().id;
    const P6 = (await call(sub.app, 'POST', '/admin/partitions', { name: 'P6' })).json().id;
    const D = (await call(sub.app, 'POST', '/admin/workspaces', { name: 'D', partitionIds: [P5, P6] })).json().id;
    const { provisionService, accessToken } = await import('../../helpers.js');
    const service = await provisionService(sub.app, { permissions: ['read-write-lead'], workspaceIds: [D] });
    const token = await accessToken(sub.app, service);
    const response = await call(
      sub.app,
      'POST',
      '/rest/v1/leads.json',
      { input: [{ email: 'x@example.com' }] },
      bearer(token),
    );
    expect(response.json().result).toEqual([
      { status: 'skipped', reasons: [{ code: '1009', message: 'Partition name must be specified' }] },
    ]);
    const named = await call(
      sub.app,
      'POST',
      '/rest/v1/leads.json',
      { partitionName: 'P6', input: [{ email: 'x@example.com' }] },
      bearer(token),
    );
    expect(named.json().result[0].status).toBe('created');
  });

  it('answers response-level errors for a bad request: 701 no input, 1003 over 300 records, 1011 bad lookupField', async () => {
    expect(await sync({})).toMatchObject({
      success: false,
      errors: [{ code: '701', message: 'input cannot be blank' }],
    });
    const tooMany = await sync({ input: Array.from({ length: 301 }, (_, i) => ({ email: `l${i}@example.com` })) });
    expect(tooMany).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    expect(await sync({ lookupField: 'firstName', input: [{ firstName: 'A' }] })).toMatchObject({
      success: false,
      errors: [{ code: '1011', message: "Field 'firstName' not supported" }],
    });
    expect(await sync({ action: 'upsert', input: [{ email: 'a@example.com' }] })).toMatchObject({
      success: false,
      errors: [{ code: '1003' }],
    });
    const none = await asCaller('GET', '/rest/v1/leads.json?filterType=leadPartitionId&filterValues=1,2');
    expect(none.result).toEqual([]);
  });

  it('takes a full batch of 300 records', async () => {
    const body = await sync({ input: Array.from({ length: 300 }, (_, i) => ({ email: `bulk${i}@example.com` })) });
    expect(body.result).toHaveLength(300);
    expect(body.result.every((row: { status: string }) => row.status === 'created')).toBe(true);
  });
});

describe('Get Lead by Id GET /rest/v1/lead/{id}.json', () => {
  it("returns Marketo's default fields in order, empty ones as null", async () => {
    const [id] = await seedLeads(sub, 'Default', [{ email: 'ann@example.com', firstName: 'Ann', company: 'Acme' }]);
    const body = await asCaller('GET', `/rest/v1/lead/${id}.json`);
    expect(body.result).toEqual([
      {
        id,
        firstName: 'Ann',
        lastName: null,
        email: 'ann@example.com',
        updatedAt: '2026-01-15T12:00:00Z',
        createdAt: '2026-01-15T12:00:00Z',
      },
    ]);
    expect(Object.keys(body.result[0])).toEqual(['id', 'firstName', 'lastName', 'email', 'updatedAt', 'createdAt']);
  });

  it('returns the asked fields (comma-joined or repeated), id always first', async () => {
    const [id] = await seedLeads(sub, 'P2', [{ email: 'ann@example.com', company: 'Acme' }]);
    const joined = await asCaller('GET', `/rest/v1/lead/${id}.json?fields=company,leadPartitionId,city`);
    expect(joined.result).toEqual([{ id, company: 'Acme', leadPartitionId: sub.partitions.P2, city: null }]);
    const repeated = await asCaller(
      'GET',
      `/rest/v1/lead/${id}.json?fields=company&fields=leadPartitionId&fields=city`,
    );
    expect(repeated.result).toEqual(joined.result);
  });

  it('a lead in a partition the caller cannot see, or no lead, is an empty result', async () => {
    const [hidden] = await seedLeads(sub, 'P4', [{ email: 'hidden@example.com' }]);
    expect((await asCaller('GET', `/rest/v1/lead/${hidden}.json`)).result).toEqual([]);
    expect((await asCaller('GET', '/rest/v1/lead/999999.json')).result).toEqual([]);
    const [readable] = await seedLeads(sub, 'P3', [{ email: 'readable@example.com' }]);
    expect((await asCaller('GET', `/rest/v1/lead/${readable}.json`)).result).toHaveLength(1);
  });

  it('an unknown field is 1006 and a non-numeric id 1003', async () => {
    const [id] = await seedLeads(sub, 'Default', [{ email: 'ann@example.com' }]);
    expect(await asCaller('GET', `/rest/v1/lead/${id}.json?fields=email,shoeSize`)).toMatchObject({
      success: false,
      errors: [{ code: '1006', message: "Field 'shoeSize' not found" }],
    });
    expect(await asCaller('GET', '/rest/v1/lead/abc.json')).toMatchObject({
      success: false,
      errors: [{ code: '1003' }],
    });
  });
});

describe('Get Leads by Filter Type GET /rest/v1/leads.json', () => {
  it('filters on email (case-insensitive), id, leadPartitionId and sfdcLeadId', async () => {
    const [a, b] = await seedLeads(sub, 'Default', [
      { email: 'ann@example.com', sfdcLeadId: '00Q000000000001' },
      { email: 'bob@example.com' },
    ]);
    const [c] = await seedLeads(sub, 'P2', [{ email: 'cy@example.com' }]);
    const ids = async (query: string) =>
      (await asCaller('GET', `/rest/v1/leads.json?${query}`)).result.map((lead: { id: number }) => lead.id);
    expect(await ids('filterType=email&filterValues=ANN@example.com,cy@example.com')).toEqual([a, c]);
    expect(await ids(`filterType=id&filterValues=${b},${c}`)).toEqual([b, c]);
    expect(await ids(`filterType=leadPartitionId&filterValues=${sub.partitions.P2}`)).toEqual([c]);
    expect(await ids('filterType=sfdcLeadId&filterValues=00Q000000000001')).toEqual([a]);
    expect(await ids('filterType=email&filterValues=nobody@example.com')).toEqual([]);
  });

  it('filters on custom string and integer fields declared through the admin plane', async () => {
    expect(
      (
        await call(sub.app, 'POST', '/admin/lead-fields', {
          name: 'loyaltyTier',
          displayName: 'Loyalty',
          dataType: 'string',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await call(sub.app, 'POST', '/admin/lead-fields', {
          name: 'visits',
          displayName: 'Visits',
          dataType: 'integer',
        })
      ).statusCode,
    ).toBe(201);
    const [gold, silver] = await seedLeads(sub, 'Default', [
      { email: 'g@example.com', loyaltyTier: 'Gold', visits: 7 },
      { email: 's@example.com', loyaltyTier: 'Silver', visits: 3 },
    ]);
    const byTier = await asCaller(
      'GET',
      '/rest/v1/leads.json?filterType=loyaltyTier&filterValues=gold&fields=loyaltyTier,visits',
    );
    expect(byTier.result).toEqual([{ id: gold, loyaltyTier: 'Gold', visits: 7 }]);
    const byVisits = await asCaller('GET', '/rest/v1/leads.json?filterType=visits&filterValues=3,4');
    expect(byVisits.result.map((lead: { id: number }) => lead.id)).toEqual([silver]);
    expect(await asCaller('GET', '/rest/v1/leads.json?filterType=visits&filterValues=three')).toMatchObject({
      success: false,
      errors: [{ code: '1003' }],
    });
  });

  it('an unsupported filterType is 1011 (marketo-reference.md §3.3: firstName is not searchable)', async () => {
    expect(await asCaller('GET', '/rest/v1/leads.json?filterType=firstName&filterValues=Ann')).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: false,
      errors: [{ code: '1011', message: "Field 'firstName' not supported" }],
    });
    expect(await asCaller('GET', '/rest/v1/leads.json?filterValues=Ann')).toMatchObject({
      success: false,
      errors: [{ code: '701', message: 'filterType cannot be blank' }],
    });
  });

  it('pages with batchSize, moreResult and nextPageToken until the last page', async () => {
    const ids = await seedLeads(
      sub,
      'Default',
      Array.from({ length: 7 }, (_, i) => ({ email: `page${i}@example.com` })),
    );
    const seen: number[] = [];
    let url = '/rest/v1/leads.json?filterType=leadPartitionId&filterValues=1&batchSize=3&fields=email';
    let token: string | undefined;
    let pages = 0;
    do {
      const body = await asCaller('GET', token ? `${url}&nextPageToken=${encodeURIComponent(token)}` : url);
      seen.push(...body.result.map((lead: { id: number }) => lead.id));
      token = body.nextPageToken;
      expect(body.moreResult === true).toBe(token !== undefined);
      pages++;
    } while (token && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);

    const first = await asCaller('GET', url);
    url = '/rest/v1/leads.json?filterType=email&filterValues=page0@example.com';
    expect(await asCaller('GET', `${url}&nextPageToken=${first.nextPageToken}`)).toMatchObject({
      success: false,
      errors: [{ code: '1003', message: 'Invalid nextPageToken' }],
    });
  });

  it('never shows leads of a partition the caller cannot see', async () => {
    await seedLeads(sub, 'P4', [{ email: 'hidden@example.com' }]);
    expect(
      (await asCaller('GET', '/rest/v1/leads.json?filterType=email&filterValues=hidden@example.com')).result,
    ).toEqual([]);
    expect(
      (await asCaller('GET', `/rest/v1/leads.json?filterType=leadPartitionId&filterValues=${sub.partitions.P4}`))
        .result,
    ).toEqual([]);
  });

  it('more than 1,000 matches is response-level 1003 (leads.md)', async () => {
    for (let batch = 0; batch < 4; batch++) {
      await seedLeads(
        sub,
        'Default',
        Array.from({ length: 251 }, (_, i) => ({ email: `many${batch}-${i}@example.com` })),
      );
    }
    expect(await asCaller('GET', '/rest/v1/leads.json?filterType=leadPartitionId&filterValues=1')).toMatchObject({
      success: false,
      errors: [{ code: '1003', message: 'Too many results match the filter' }],
    });
  });

  it('is also a POST with _method=GET and a form body (long queries)', async () => {
    const [a] = await seedLeads(sub, 'Default', [{ email: 'ann@example.com' }]);
    for (const [url, form] of [
      ['/rest/v1/leads.json?_method=GET', 'filterType=email&filterValues=ann@example.com'],
      ['/rest/v1/leads.json', '_method=GET&filterType=email&filterValues=ann@example.com'],
    ] as const) {
      const response = await call(sub.app, 'POST', url, form, {
        ...bearer(sub.caller.token),
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(
        response.json().result.map((lead: { id: number }) => lead.id),
        `${url} ${form}`,
      ).toEqual([a]);
    }
    // Without `_method`, a form body is no query: a write in the wrong format, 612 (issue 23, item 15).
    const unmarked = await call(
      sub.app,
      'POST',
      '/rest/v1/leads.json',
      'filterType=email&filterValues=ann@example.com',
      {
        ...bearer(sub.caller.token),
        'content-type': 'application/x-www-form-urlencoded',
      },
    );
    expect(unmarked.json()).toMatchObject({
      success: false,
      errors: [{ code: '612', message: 'Invalid Content Type' }],
    });
  });
});

describe('Lead partitions /rest/v1/leads/partitions.json', () => {
  it('lists only the partitions the caller can read', async () => {
    const body = await asCaller('GET', '/rest/v1/leads/partitions.json');
    expect(body.result).toEqual([
      { id: 1, name: 'Default', description: 'Initial system lead partition' },
      { id: sub.partitions.P2, name: 'P2', description: '' },
      { id: sub.partitions.P3, name: 'P3', description: '' },
    ]);
  });

  it('moves leads between writable partitions; 1008 into or out of others, 1004 for invisible leads', async () => {
    const [inP1] = await seedLeads(sub, 'Default', [{ email: 'a@example.com' }]);
    const [inP3] = await seedLeads(sub, 'P3', [{ email: 'b@example.com' }]);
    const [inP4] = await seedLeads(sub, 'P4', [{ email: 'c@example.com' }]);
    const body = await asCaller('POST', '/rest/v1/leads/partitions.json', {
      input: [
        { id: inP1, partitionName: 'P2' },
        { id: inP1, partitionName: 'P3' },
        { id: inP3, partitionName: 'P2' },
        { id: inP4, partitionName: 'P2' },
        { id: inP1, partitionName: 'Nowhere' },
      ],
    });
    expect(body.result).toEqual([
      { id: inP1, status: 'updated' },
      { id: inP1, status: 'skipped', reasons: [{ code: '1008', message: "Access denied to partition 'P3'" }] },
      { id: inP3, status: 'skipped', reasons: [{ code: '1008', message: "Access denied to partition 'P3'" }] },
      { id: inP4, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
      // A mistyped name: the same code, and it says there is no such partition (issue 23, item 19).
      { id: inP1, status: 'skipped', reasons: [{ code: '1008', message: "Partition 'Nowhere' does not exist" }] },
    ]);
    expect((await leadById(inP1!, 'leadPartitionId')).leadPartitionId).toBe(sub.partitions.P2);
    expect((await leadById(inP3!, 'leadPartitionId')).leadPartitionId).toBe(sub.partitions.P3);
    expect((await leadById(inP4!, 'leadPartitionId')).leadPartitionId).toBe(sub.partitions.P4);
  });
});

describe('Describe /rest/v1/leads/describe.json and describe2.json', () => {
  it('describe lists every field with rest and soap names', async () => {
    const body = await asCaller('GET', '/rest/v1/leads/describe.json');
    const email = body.result.find((field: { rest: { name: string } }) => field.rest.name === 'email');
    expect(email).toEqual({
      id: expect.any(Number),
      displayName: 'Email Address',
      dataType: 'email',
      length: 255,
      rest: { name: 'email', readOnly: false },
      soap: { name: 'Email', readOnly: false },
    });
    const id = body.result.find((field: { rest: { name: string } }) => field.rest.name === 'id');
    expect(id.rest.readOnly).toBe(true);
  });

  it('describe2 shows custom fields, and searchable ones among searchableFields', async () => {
    await call(sub.app, 'POST', '/admin/lead-fields', {
      name: 'tier',
      displayName: 'Tier',
      dataType: 'string',
      length: 40,
    });
    await call(sub.app, 'POST', '/admin/lead-fields', { name: 'vip', displayName: 'VIP', dataType: 'boolean' });
    const body = await asCaller('GET', '/rest/v1/leads/describe2.json');
    expect(body.result).toHaveLength(1);
    const [lead] = body.result;
    expect(lead.name).toBe('API Lead');
    expect(lead.searchableFields).toEqual(expect.arrayContaining([['email'], ['id'], ['leadPartitionId'], ['tier']]));
    expect(lead.searchableFields).not.toContainEqual(['vip']);
    expect(lead.searchableFields).not.toContainEqual(['firstName']);
    expect(lead.fields).toContainEqual({
      name: 'tier',
      displayName: 'Tier',
      dataType: 'string',
      length: 40,
      updateable: true,
      crmManaged: false,
    });
    expect(lead.fields).toContainEqual({
      name: 'vip',
      displayName: 'VIP',
      dataType: 'boolean',
      updateable: true,
      crmManaged: false,
    });
  });

  it('a deleted custom field leaves describe and the leads', async () => {
    await call(sub.app, 'POST', '/admin/lead-fields', { name: 'tier', displayName: 'Tier', dataType: 'string' });
    const [id] = await seedLeads(sub, 'Default', [{ email: 'a@example.com', tier: 'Gold' }]);
    expect((await call(sub.app, 'DELETE', '/admin/lead-fields/tier')).statusCode).toBe(204);
    const describe2 = await asCaller('GET', '/rest/v1/leads/describe2.json');
    expect(describe2.result[0].fields.map((field: { name: string }) => field.name)).not.toContain('tier');
    expect(await asCaller('GET', `/rest/v1/lead/${id}.json?fields=tier`)).toMatchObject({ errors: [{ code: '1006' }] });
    await call(sub.app, 'POST', '/admin/lead-fields', { name: 'tier', displayName: 'Tier', dataType: 'string' });
    expect((await asCaller('GET', `/rest/v1/lead/${id}.json?fields=tier`)).result).toEqual([{ id, tier: null }]);
  });
});

describe('Delete Leads', () => {
  it('POST /rest/v1/leads/delete.json with a body input deletes visible writable leads', async () => {
    const [mine] = await seedLeads(sub, 'Default', [{ email: 'a@example.com' }]);
    const [readOnly] = await seedLeads(sub, 'P3', [{ email: 'b@example.com' }]);
    const [hidden] = await seedLeads(sub, 'P4', [{ email: 'c@example.com' }]);
    const body = await asCaller('POST', '/rest/v1/leads/delete.json', {
      input: [{ id: mine }, { id: readOnly }, { id: hidden }, { id: 987654 }],
    });
    expect(body.result).toEqual([
      { id: mine, status: 'deleted' },
      { id: readOnly, status: 'skipped', reasons: [{ code: '1008', message: "Access denied to partition 'P3'" }] },
      { id: hidden, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
      { id: 987654, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
    ]);
    expect(await leadById(mine!)).toBeUndefined();
    expect(await leadById(readOnly!)).toBeDefined();
    expect(await leadById(hidden!)).toBeDefined();
  });

  it('takes the ids as ?id= when the body is empty', async () => {
    const [a, b] = await seedLeads(sub, 'Default', [{ email: 'a@example.com' }, { email: 'b@example.com' }]);
    const body = await asCaller('POST', `/rest/v1/leads/delete.json?id=${a},${b}`);
    expect(body.result).toEqual([
      { id: a, status: 'deleted' },
      { id: b, status: 'deleted' },
    ]);
    expect(await asCaller('POST', '/rest/v1/leads/delete.json')).toMatchObject({
      success: false,
      errors: [{ code: '701' }],
    });
  });

  it('POST /rest/v1/leads.json?_method=DELETE deletes too (live clients still use it)', async () => {
    const [a] = await seedLeads(sub, 'Default', [{ email: 'a@example.com' }]);
    const body = await asCaller('POST', '/rest/v1/leads.json?_method=DELETE', { input: [{ id: a }] });
    expect(body.result).toEqual([{ id: a, status: 'deleted' }]);
    expect(await leadById(a!)).toBeUndefined();
  });
});
