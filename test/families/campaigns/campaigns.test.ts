import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { buildApp } from '../../../src/app.js';
import { frozenClock } from '../../../src/clock.js';
import { testConfig } from '../../../src/config.js';
import { MIGRATIONS } from '../../../src/families.js';
import { openDatabase } from '../../../src/storage/database.js';
import { call, makeTempDir, newSeededInstance, tokenFor } from '../../helpers.js';
import { bearer, REQUEST_ID } from '../../support/subscription.js';
import type { SeedInput } from '../../../src/seed.js';

/**
 * Campaigns (issue 26): the lead database's campaign reads, Request Campaign and Schedule Campaign, and the flows
 * they run, on the fake's clock. Workspace Default sees partition Default; Europe sees EMEA.
 */
export const CAMPAIGN_SEED = {
  partitions: [{ name: 'EMEA' }],
  workspaces: [{ name: 'Europe', partitions: ['EMEA'] }],
  roles: [
    {
      name: 'Runner',
      permissions: [
        'execute-campaign',
        'read-only-campaign',
        'read-write-lead',
        'read-only-activity',
        'read-only-assets',
      ],
    },
    { name: 'Reader', permissions: ['read-only-activity'] },
    { name: 'Activator', permissions: ['activate-campaign', 'deactivate-campaign'] },
  ],
  users: [
    { email: 'runner@example.com', roles: [{ role: 'Runner', workspace: 'Default' }] },
    { email: 'reader@example.com', roles: [{ role: 'Reader', workspace: '*' }] },
    { email: 'activator@example.com', roles: [{ role: 'Activator', workspace: 'Default' }] },
  ],
  services: [
    { name: 'Runner', user: 'runner@example.com', clientId: 'runner-id', clientSecret: 'runner-secret' },
    { name: 'Reader', user: 'reader@example.com', clientId: 'reader-id', clientSecret: 'reader-secret' },
    { name: 'Activator', user: 'activator@example.com', clientId: 'activator-id', clientSecret: 'activator-secret' },
  ],
  leads: [
    { id: 1, email: 'ann@example.com', firstName: 'Ann' },
    { id: 2, email: 'bob@example.com', firstName: 'Bob' },
    { id: 3, email: 'eve@example.com', partition: 'EMEA' },
  ],
  assets: [
    {
      kind: 'program',
      name: 'Webinar 2026',
      folder: '/Marketing Activities/Default',
      type: 'Event with Webinar',
      channel: 'Webinar',
    },
    { kind: 'token', program: 'Webinar 2026', name: 'Greeting', type: 'text', value: 'Hello' },
  ],
  lists: [{ id: 100, name: 'Attendees' }],
  campaigns: [
    {
      id: 1001,
      name: 'Register',
      type: 'trigger',
      program: 'Webinar 2026',
      active: true,
      flow: [
        { type: 'changeDataValue', attribute: 'middleName', value: '{{my.Greeting}}' },
        { type: 'addToList', listId: 100 },
        { type: 'changeProgramStatus', status: 'Registered' },
        { type: 'interestingMoment', momentType: 'Web', description: 'Registered: {{my.Greeting}}' },
        { type: 'wait', minutes: 60 },
        { type: 'changeProgramStatus', status: 'Attended' },
      ],
    },
    { id: 1002, name: 'Paused', type: 'trigger', program: 'Webinar 2026', active: false },
    {
      id: 1003,
      name: 'Nightly',
      type: 'batch',
      program: 'Webinar 2026',
      smartList: { memberOfList: 100, leadIds: [3] },
      flow: [
        { type: 'changeDataValue', attribute: 'title', value: 'Nightly {{my.Greeting}}' },
        { type: 'removeFromList', listId: 100 },
      ],
    },
    { id: 1004, name: 'Elsewhere', type: 'trigger', folder: '/Marketing Activities/Europe', active: true },
    {
      id: 1005,
      name: 'Chain',
      type: 'trigger',
      program: 'Webinar 2026',
      active: true,
      flow: [{ type: 'requestCampaign', campaignId: 1001 }],
    },
  ],
} as unknown as SeedInput;

let app: FastifyInstance;
let runner: string;
let reader: string;

async function fresh(): Promise<void> {
  if (app) await app.close();
  ({ app } = await newSeededInstance(CAMPAIGN_SEED));
  runner = await tokenFor(app, { clientId: 'runner-id', clientSecret: 'runner-secret' });
  reader = await tokenFor(app, { clientId: 'reader-id', clientSecret: 'reader-secret' });
}

beforeAll(fresh);
afterAll(async () => {
  await app.close();
});

async function as(token: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const response = await call(app, method, url, payload, bearer(token));
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const run = (method: 'GET' | 'POST', url: string, payload?: unknown) => as(runner, method, url, payload);
const error = (code: string) => ({
  requestId: expect.stringMatching(REQUEST_ID),
  success: false,
  errors: [{ code, message: expect.any(String) }],
});
/** Moves the fake's clock on, and takes new access tokens (an hour on, the old ones have expired). */
const advance = async (seconds: number) => {
  const response = await call(app, 'POST', '/admin/clock', { advanceSeconds: seconds });
  expect(response.statusCode, response.body).toBe(200);
  runner = await tokenFor(app, { clientId: 'runner-id', clientSecret: 'runner-secret' });
  reader = await tokenFor(app, { clientId: 'reader-id', clientSecret: 'reader-secret' });
};
const lead = async (id: number) =>
  (await run('GET', `/rest/v1/lead/${id}.json?fields=middleName,title`)).result[0] as Record<string, unknown>;
const member = async (leadId: number) =>
  (await run('GET', `/rest/v1/programs/${await programId()}/members.json?filterType=leadId&filterValues=${leadId}`))
    .result[0];
const programId = async () =>
  (await call(app, 'GET', '/admin/snapshot')).json().assets.find((a: { kind: string }) => a.kind === 'program').id;
const activities = async (leadId: number, typeIds: string) => {
  const token = (await run('GET', '/rest/v1/activities/pagingtoken.json?sinceDatetime=2000-01-01T00:00:00Z'))
    .nextPageToken;
  const page = await run(
    'GET',
    `/rest/v1/activities.json?nextPageToken=${token}&activityTypeIds=${typeIds}&leadIds=${leadId}`,
  );
  return (page.result ?? []) as Record<string, unknown>[];
};

describe('GET /rest/v1/campaigns.json and campaigns/{id}.json', () => {
  it('lists the campaigns of workspaces where the caller holds a campaign permission, in the spec’s Campaign shape', async () => {
    const all = await run('GET', '/rest/v1/campaigns.json');
    expect(all.result.map((c: { id: number }) => c.id)).toEqual([1001, 1002, 1003, 1005]);
    expect(all.result[0]).toEqual({
      id: 1001,
      name: 'Register',
      description: '',
      type: 'trigger',
      programName: 'Webinar 2026',
      programId: await programId(),
      workspaceName: 'Default',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      updatedAt: expect.stringMatching(/Z$/),
      active: true,
    });
    expect(all).not.toHaveProperty('moreResult');
  });

  it('filters by name, programName, workspaceName, id and isTriggerable, and pages with a token', async () => {
    const ids = async (query: string) =>
      (await run('GET', `/rest/v1/campaigns.json?${query}`)).result.map((c: { id: number }) => c.id);
    expect(await ids('name=nightly')).toEqual([1003]);
    expect(await ids('programName=Webinar%202026&isTriggerable=true')).toEqual([1001, 1005]);
    expect(await ids('isTriggerable=false')).toEqual([1002, 1003]);
    expect(await ids('id=1002,1004')).toEqual([1002]);
    expect(await ids('workspaceName=Europe')).toEqual([]);
    const first = await run('GET', '/rest/v1/campaigns.json?batchSize=3');
    expect(first).toMatchObject({ moreResult: true, nextPageToken: expect.any(String) });
    const second = await run('GET', `/rest/v1/campaigns.json?batchSize=3&nextPageToken=${first.nextPageToken}`);
    expect(second.result.map((c: { id: number }) => c.id)).toEqual([1005]);
  });

  it('answers one campaign by id; unknown, or in a workspace the caller cannot read, is 1013 (error-codes.md)', async () => {
    expect((await run('GET', '/rest/v1/campaigns/1003.json')).result).toEqual([
      expect.objectContaining({ id: 1003, type: 'batch', active: false }),
    ]);
    expect(await run('GET', '/rest/v1/campaigns/9999.json')).toEqual(error('1013'));
    expect(await run('GET', '/rest/v1/campaigns/1004.json')).toEqual(error('1013'));
  });

  it('refuses bad input and callers without a campaign permission (603)', async () => {
    expect(await run('GET', '/rest/v1/campaigns.json?batchSize=0')).toEqual(error('1003'));
    expect(await run('GET', '/rest/v1/campaigns.json?isTriggerable=maybe')).toEqual(error('1003'));
    expect(await run('GET', '/rest/v1/campaigns/abc.json')).toEqual(error('1003'));
    expect(await as(reader, 'GET', '/rest/v1/campaigns.json')).toEqual(error('603'));
    expect(await as(reader, 'GET', '/rest/v1/campaigns/1001.json')).toEqual(error('603'));
  });
});

describe('POST /rest/v1/campaigns/{id}/trigger.json (Request Campaign)', () => {
  beforeEach(fresh);

  it('runs the flow for the leads before answering: field, list, program status, moment; the Wait on the clock', async () => {
    const answer = await run('POST', '/rest/v1/campaigns/1001/trigger.json', { input: { leads: [{ id: 1 }] } });
    expect(answer).toEqual({ requestId: expect.stringMatching(REQUEST_ID), success: true, result: [{ id: 1001 }] });
    // cog-marketo's scenario: request the campaign, then the lead's middleName is what the flow set.
    expect(await lead(1)).toMatchObject({ middleName: 'Hello' });
    expect((await run('GET', '/rest/v1/lists/100/leads.json')).result.map((l: { id: number }) => l.id)).toEqual([1]);
    expect(await member(1)).toMatchObject({ leadId: 1, statusName: 'Registered', reachedSuccess: false });
    const logged = await activities(1, '47,13,24,104,46');
    expect(logged.map((a) => [a.activityTypeId, a.campaignId])).toEqual([
      [47, 1001],
      [13, 1001],
      [24, 1001],
      [104, 1001],
      [46, 1001],
    ]);
    expect(logged[3]).toMatchObject({
      primaryAttributeValue: 'Webinar 2026',
      attributes: expect.arrayContaining([
        { name: 'Old Status', value: 'Not in Program' },
        { name: 'New Status', value: 'Registered' },
      ]),
    });
    expect(logged[4]).toMatchObject({
      attributes: expect.arrayContaining([{ name: 'Description', value: 'Registered: Hello' }]),
    });
    // The Wait: 59 minutes on, still Registered; at 60, Attended (a success status of the Webinar channel).
    await advance(59 * 60);
    expect(await member(1)).toMatchObject({ statusName: 'Registered' });
    await advance(60);
    expect(await member(1)).toMatchObject({ statusName: 'Attended', reachedSuccess: true });
  });

  it("the request's tokens override the program's My Tokens", async () => {
    await run('POST', '/rest/v1/campaigns/1001/trigger.json', {
      input: { leads: [{ id: 2 }], tokens: [{ name: '{{my.Greeting}}', value: 'Bienvenue' }] },
    });
    expect(await lead(2)).toMatchObject({ middleName: 'Bienvenue' });
  });

  it('a flow step Request Campaign runs the requested campaign’s flow (activity 47 by the requesting campaign)', async () => {
    await run('POST', '/rest/v1/campaigns/1005/trigger.json', { input: { leads: [{ id: 2 }] } });
    expect(await lead(2)).toMatchObject({ middleName: 'Hello' });
    expect((await activities(2, '47')).map((a) => [a.primaryAttributeValueId, a.campaignId])).toEqual([
      [1005, 1005],
      [1001, 1005],
    ]);
  });

  it('leads the campaign cannot act on are skipped silently: the call answers the campaign, nothing changes', async () => {
    const answer = await run('POST', '/rest/v1/campaigns/1001/trigger.json', {
      input: { leads: [{ id: 3 }, { id: 999 }] },
    });
    expect(answer.result).toEqual([{ id: 1001 }]);
    const admin = (await call(app, 'GET', '/admin/snapshot')).json();
    expect(admin.leads.find((l: { id: number }) => l.id === 3)).not.toHaveProperty('middleName');
    expect(admin.programMembers).toEqual([]);
  });

  it('a batch or inactive campaign is 1003 (smart-campaigns.md); past 100 leads or tokens 1003; nothing runs', async () => {
    const leads = [{ id: 1 }];
    expect(await run('POST', '/rest/v1/campaigns/1003/trigger.json', { input: { leads } })).toEqual(error('1003'));
    expect(await run('POST', '/rest/v1/campaigns/1002/trigger.json', { input: { leads } })).toEqual(error('1003'));
    const many = Array.from({ length: 101 }, (_, i) => ({ id: i + 1 }));
    expect(await run('POST', '/rest/v1/campaigns/1001/trigger.json', { input: { leads: many } })).toEqual(
      error('1003'),
    );
    const tokens = Array.from({ length: 101 }, (_, i) => ({ name: `{{my.t${i}}}`, value: 'x' }));
    expect(await run('POST', '/rest/v1/campaigns/1001/trigger.json', { input: { leads, tokens } })).toEqual(
      error('1003'),
    );
    // A token's value is at most 10,000 characters (memory stays bounded whatever a flow fills in).
    const long = [{ name: '{{my.Greeting}}', value: 'x'.repeat(10_001) }];
    expect(await run('POST', '/rest/v1/campaigns/1001/trigger.json', { input: { leads, tokens: long } })).toEqual(
      error('1003'),
    );
    expect(await lead(1)).toMatchObject({ middleName: null });
  });

  it('unknown campaign 1013; a campaign in a workspace without Execute Campaign 603; bad input; no permission 603', async () => {
    const body = { input: { leads: [{ id: 1 }] } };
    expect(await run('POST', '/rest/v1/campaigns/9999/trigger.json', body)).toEqual(error('1013'));
    expect(await run('POST', '/rest/v1/campaigns/1004/trigger.json', body)).toEqual(error('603'));
    expect(await run('POST', '/rest/v1/campaigns/1001/trigger.json', { input: { leads: [] } })).toEqual(error('1003'));
    expect(await run('POST', '/rest/v1/campaigns/1001/trigger.json', { leads: [{ id: 1 }] })).toMatchObject({
      success: false,
    });
    expect(await as(reader, 'POST', '/rest/v1/campaigns/1001/trigger.json', body)).toEqual(error('603'));
    expect(await lead(1)).toMatchObject({ middleName: null });
  });
});

describe('POST /rest/v1/campaigns/{id}/schedule.json (Schedule Campaign)', () => {
  beforeEach(fresh);

  it('runs the batch flow over its smart list when the clock reaches runAt (default now + 5 minutes)', async () => {
    await run('POST', '/rest/v1/lists/100/leads.json', { input: [{ id: 1 }, { id: 2 }] });
    const answer = await run('POST', '/rest/v1/campaigns/1003/schedule.json', {});
    expect(answer).toEqual({ requestId: expect.stringMatching(REQUEST_ID), success: true, result: [{ id: 1003 }] });
    await advance(4 * 60);
    expect(await lead(1)).toMatchObject({ title: null });
    await advance(60);
    expect(await lead(1)).toMatchObject({ title: 'Nightly Hello' });
    expect(await lead(2)).toMatchObject({ title: 'Nightly Hello' });
    expect((await run('GET', '/rest/v1/lists/100/leads.json')).result).toEqual([]);
    // Lead 3 is in the smart list but in EMEA, which the campaign's workspace does not see.
    const snapshot = (await call(app, 'GET', '/admin/snapshot')).json();
    expect(snapshot.leads.find((l: { id: number }) => l.id === 3)).not.toHaveProperty('title');
    expect((await activities(1, '13,25')).map((a) => [a.activityTypeId, a.campaignId])).toEqual([
      [13, 1003],
      [25, 1003],
    ]);
  });

  it('a runAt and tokens of the call; the scheduled run is in the snapshot until it runs', async () => {
    const clock = (await call(app, 'GET', '/admin/clock')).json();
    const runAt = new Date(Date.parse(clock.now) + 3_600_000).toISOString();
    await run('POST', '/rest/v1/campaigns/1003/schedule.json', {
      input: { runAt, tokens: [{ name: '{{my.Greeting}}', value: 'Hi' }] },
    });
    await run('POST', '/rest/v1/lists/100/leads.json', { input: [{ id: 2 }] });
    expect((await call(app, 'GET', '/admin/snapshot')).json().jobs).toEqual([
      expect.objectContaining({ family: 'campaigns', kind: 'scheduledRun', state: 'Scheduled' }),
    ]);
    await advance(3600);
    expect(await lead(2)).toMatchObject({ title: 'Nightly Hi' });
  });

  it('runAt in the past or beyond two years is 1042; a trigger campaign 1003; cloneToProgramName 1003', async () => {
    expect(
      await run('POST', '/rest/v1/campaigns/1003/schedule.json', { input: { runAt: '2000-01-01T00:00:00Z' } }),
    ).toEqual(error('1042'));
    expect(
      await run('POST', '/rest/v1/campaigns/1003/schedule.json', { input: { runAt: '2099-01-01T00:00:00Z' } }),
    ).toEqual(error('1042'));
    expect(await run('POST', '/rest/v1/campaigns/1001/schedule.json', {})).toEqual(error('1003'));
    expect(
      await run('POST', '/rest/v1/campaigns/1003/schedule.json', { input: { cloneToProgramName: 'Copy' } }),
    ).toEqual(error('1003'));
    expect((await call(app, 'GET', '/admin/snapshot')).json().jobs ?? []).toEqual([]);
  });

  it('unknown campaign 1013; bad runAt 1003; no Execute Campaign 603', async () => {
    expect(await run('POST', '/rest/v1/campaigns/9999/schedule.json', {})).toEqual(error('1013'));
    expect(await run('POST', '/rest/v1/campaigns/1003/schedule.json', { input: { runAt: 'tomorrow' } })).toEqual(
      error('1003'),
    );
    expect(await as(reader, 'POST', '/rest/v1/campaigns/1003/schedule.json', {})).toEqual(error('603'));
  });
});

describe('the admin plane declares campaigns and their flows', () => {
  beforeEach(fresh);

  it('POST /admin/campaigns and PATCH /admin/campaigns/{id}: the next request runs the new flow', async () => {
    const created = await call(app, 'POST', '/admin/campaigns', {
      name: 'Tag',
      type: 'trigger',
      program: 'Webinar 2026',
      active: true,
      flow: [{ type: 'changeDataValue', attribute: 'title', value: 'Tagged' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    await run('POST', `/rest/v1/campaigns/${id}/trigger.json`, { input: { leads: [{ id: 1 }] } });
    expect(await lead(1)).toMatchObject({ title: 'Tagged' });
    const patched = await call(app, 'PATCH', `/admin/campaigns/${id}`, {
      flow: [{ type: 'changeDataValue', attribute: 'title', value: 'Again' }],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    await run('POST', `/rest/v1/campaigns/${id}/trigger.json`, { input: { leads: [{ id: 1 }] } });
    expect(await lead(1)).toMatchObject({ title: 'Again' });
  });

  it('a flow that changes the email and then another field: the lead is found by its new email only, with both', async () => {
    const created = await call(app, 'POST', '/admin/campaigns', {
      name: 'Readdress',
      type: 'trigger',
      program: 'Webinar 2026',
      active: true,
      flow: [
        { type: 'changeDataValue', attribute: 'email', value: 'ann.new@example.com' },
        { type: 'changeDataValue', attribute: 'title', value: 'Moved' },
        { type: 'addToList', listId: 100 },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    await run('POST', `/rest/v1/campaigns/${id}/trigger.json`, { input: { leads: [{ id: 1 }, { id: 1 }] } });
    const byEmail = async (email: string) =>
      (await run('GET', `/rest/v1/leads.json?filterType=email&filterValues=${email}&fields=email,title`)).result;
    expect(await byEmail('ann.new@example.com')).toEqual([{ id: 1, email: 'ann.new@example.com', title: 'Moved' }]);
    expect(await byEmail('ann@example.com')).toEqual([]);
    expect((await activities(1, '13,24')).map((a) => [a.activityTypeId, a.primaryAttributeValue])).toEqual([
      [13, 'Email Address'],
      [13, 'Job Title'],
      [24, 'Attendees'],
    ]);
    // Run again: nothing changes, so no Change Data Value or Add to List is recorded a second time.
    await run('POST', `/rest/v1/campaigns/${id}/trigger.json`, { input: { leads: [{ id: 1 }] } });
    expect(await activities(1, '13,24')).toHaveLength(3);
    expect(await activities(1, '47')).toHaveLength(2);
  });

  it('refuses a campaign in no program or folder, an unknown step, and an unknown campaign (problem+json)', async () => {
    expect((await call(app, 'POST', '/admin/campaigns', { name: 'X', type: 'batch' })).statusCode).toBe(400);
    expect(
      (
        await call(app, 'POST', '/admin/campaigns', {
          name: 'X',
          type: 'batch',
          program: 'Webinar 2026',
          flow: [{ type: 'sendEmail' }],
        })
      ).statusCode,
    ).toBe(400);
    expect((await call(app, 'PATCH', '/admin/campaigns/9999', { active: true })).statusCode).toBe(404);
  });
});

describe('GET /rest/v1/leads/{id}/smartCampaignMembership.json', () => {
  beforeEach(fresh);

  it('lists the campaigns that ran for the lead (first and latest run); unseen lead 1004; bad input; 603', async () => {
    expect((await run('GET', '/rest/v1/leads/1/smartCampaignMembership.json')).result).toEqual([]);
    await run('POST', '/rest/v1/campaigns/1001/trigger.json', { input: { leads: [{ id: 1 }] } });
    await advance(60);
    await run('POST', '/rest/v1/campaigns/1001/trigger.json', { input: { leads: [{ id: 1 }] } });
    const [membership] = (await run('GET', '/rest/v1/leads/1/smartCampaignMembership.json')).result;
    expect(membership).toEqual({
      smartCampaignId: 1001,
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
    expect(Date.parse(membership.updatedAt) - Date.parse(membership.createdAt)).toBe(60_000);
    expect(await run('GET', '/rest/v1/leads/3/smartCampaignMembership.json')).toEqual(error('1004'));
    expect(await run('GET', '/rest/v1/leads/1/smartCampaignMembership.json?batchSize=x')).toEqual(error('1003'));
    expect(await as(reader, 'GET', '/rest/v1/leads/1/smartCampaignMembership.json')).toEqual(error('603'));
  });
});

describe('the Asset API’s smart campaigns', () => {
  beforeEach(fresh);

  it('smartCampaigns.json, by id and by name: smart-campaigns.md’s record, in the caller’s workspaces', async () => {
    const all = await run('GET', '/rest/asset/v1/smartCampaigns.json');
    expect(all).toMatchObject({ success: true, errors: [], warnings: [] });
    expect(all.result.map((c: { id: number }) => c.id)).toEqual([1001, 1002, 1003, 1005]);
    const program = await programId();
    expect(all.result[0]).toEqual({
      id: 1001,
      name: 'Register',
      description: '',
      type: 'trigger',
      isSystem: false,
      isActive: true,
      isRequestable: true,
      recurrence: { weekdayOnly: false },
      qualificationRuleType: 'once',
      isCommunicationLimitEnabled: false,
      // Its own smart list: the first smart list the seed made (smart-campaigns.md's answers number them apart).
      smartListId: 1,
      flowId: 1001,
      parentProgramId: program,
      folder: { id: program, type: 'Program' },
      createdAt: expect.stringMatching(/Z\+0000$/),
      updatedAt: expect.stringMatching(/Z\+0000$/),
      workspace: 'Default',
      computedUrl: expect.stringMatching(/#SC1001A1$/),
      status: 'Active',
    });
    const ids = async (query: string) =>
      ((await run('GET', `/rest/asset/v1/smartCampaigns.json?${query}`)).result ?? []).map((c: { id: number }) => c.id);
    // "Set true to return only active campaigns. Default false" (swagger-asset.json, Get Smart Campaigns).
    expect(await ids('isActive=true')).toEqual([1001, 1005]);
    expect(await ids('isActive=false')).toEqual([1001, 1002, 1003, 1005]);
    expect(await ids('maxReturn=2&offset=2')).toEqual([1003, 1005]);
    expect(await ids(`folder=${encodeURIComponent(JSON.stringify({ id: program, type: 'Program' }))}`)).toHaveLength(4);
    expect((await run('GET', '/rest/asset/v1/smartCampaign/byName.json?name=nightly')).result).toEqual([
      expect.objectContaining({ id: 1003, type: 'batch', status: 'Never Run', isRequestable: false }),
    ]);
    expect((await run('GET', '/rest/asset/v1/smartCampaign/1002.json')).result).toEqual([
      expect.objectContaining({ id: 1002, status: 'Inactive' }),
    ]);
  });

  it('unknown or unseen: "No assets found"; bad input 1003; no asset permission 603', async () => {
    const none = { success: true, errors: [], warnings: ['No assets found for the given search criteria.'] };
    expect(await run('GET', '/rest/asset/v1/smartCampaign/9999.json')).toMatchObject(none);
    expect(await run('GET', '/rest/asset/v1/smartCampaign/1004.json')).toMatchObject(none);
    expect(await run('GET', '/rest/asset/v1/smartCampaign/byName.json')).toMatchObject({ success: false });
    expect(await run('GET', '/rest/asset/v1/smartCampaigns.json?maxReturn=500')).toMatchObject({
      success: false,
      errors: [expect.objectContaining({ code: '1003' })],
    });
    expect(await as(reader, 'GET', '/rest/asset/v1/smartCampaigns.json')).toMatchObject({
      success: false,
      errors: [expect.objectContaining({ code: '603' })],
    });
  });

  it('activate and deactivate (Activate / Deactivate Campaign): Request Campaign follows; batch 709; unknown 702', async () => {
    const activator = await tokenFor(app, { clientId: 'activator-id', clientSecret: 'activator-secret' });
    const post = (path: string) => as(activator, 'POST', path);
    expect(await post('/rest/asset/v1/smartCampaign/1001/deactivate.json')).toMatchObject({
      success: true,
      result: [{ id: 1001 }],
    });
    expect(await run('POST', '/rest/v1/campaigns/1001/trigger.json', { input: { leads: [{ id: 1 }] } })).toEqual(
      error('1003'),
    );
    expect(await post('/rest/asset/v1/smartCampaign/1001/activate.json')).toMatchObject({ success: true });
    expect((await run('POST', '/rest/v1/campaigns/1001/trigger.json', { input: { leads: [{ id: 1 }] } })).success).toBe(
      true,
    );
    const failure = (code: string) => ({ success: false, errors: [expect.objectContaining({ code })] });
    expect(await post('/rest/asset/v1/smartCampaign/1003/activate.json')).toMatchObject(failure('709'));
    expect(await post('/rest/asset/v1/smartCampaign/1002/activate.json')).toMatchObject(failure('709'));
    expect(await post('/rest/asset/v1/smartCampaign/9999/activate.json')).toMatchObject(failure('702'));
    expect(await post('/rest/asset/v1/smartCampaign/1004/deactivate.json')).toMatchObject(failure('603'));
    expect(await post('/rest/asset/v1/smartCampaign/abc/activate.json')).toMatchObject(failure('1003'));
    expect(await run('POST', '/rest/asset/v1/smartCampaign/1001/deactivate.json')).toMatchObject(failure('603'));
  });
});

describe('scheduled runs and Waits survive a restart', () => {
  it('a run the clock passed while the server was stopped runs at start; a Wait resumes after the restart', async () => {
    const dir = makeTempDir();
    try {
      const path = join(dir.path, 'fake.db');
      const firstDb = openDatabase(path, MIGRATIONS);
      const first = await buildApp({
        config: testConfig(),
        db: firstDb,
        clock: frozenClock('2026-01-15T12:00:00Z'),
        seed: CAMPAIGN_SEED,
      });
      const token = await tokenFor(first, { clientId: 'runner-id', clientSecret: 'runner-secret' });
      const post = (url: string, body: unknown) => call(first, 'POST', url, body, bearer(token));
      expect((await post('/rest/v1/campaigns/1003/schedule.json', {})).json().success).toBe(true);
      expect(
        (await post('/rest/v1/campaigns/1001/trigger.json', { input: { leads: [{ id: 2 }] } })).json().success,
      ).toBe(true);
      await first.close();
      if (firstDb.open) firstDb.close();

      // Two hours later: the scheduled run (due at 12:05) and the Wait (due at 13:00) both fell due while stopped.
      const secondDb = openDatabase(path, MIGRATIONS);
      const second = await buildApp({
        config: testConfig(),
        db: secondDb,
        clock: frozenClock('2026-01-15T14:00:00Z'),
      });
      try {
        const snapshot = (await call(second, 'GET', '/admin/snapshot')).json();
        expect(snapshot.leads.find((l: { id: number }) => l.id === 2)).toMatchObject({ title: 'Nightly Hello' });
        expect(snapshot.programMembers).toEqual([
          expect.objectContaining({ leadId: 2, status: 'Attended', reachedSuccess: true }),
        ]);
        expect(snapshot.jobs.map((job: { state: string }) => job.state)).toEqual(['Completed', 'Completed']);
      } finally {
        await second.close();
        if (secondDb.open) secondDb.close();
      }
    } finally {
      dir.remove();
    }
  });
});
