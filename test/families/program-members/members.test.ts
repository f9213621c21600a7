import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, newSeededInstance, tokenFor } from '../../helpers.js';
import { bearer, REQUEST_ID } from '../../support/subscription.js';
import type { SeedInput } from '../../../src/seed.js';

/**
 * Program members (issue 26): statuses from the program's channel (Webinar: Invited, Registered, No Show,
 * Attended, Attended On-demand), the reads, data, delete and the superseded routes. The writer holds Read-Write
 * Lead in Default (partition Default); lead 3 is in EMEA, which it cannot see.
 */
const SEED = {
  partitions: [{ name: 'EMEA' }],
  workspaces: [{ name: 'Europe', partitions: ['EMEA'] }],
  roles: [
    { name: 'Writer', permissions: ['read-write-lead', 'read-only-activity'] },
    { name: 'Reader', permissions: ['read-only-lead', 'read-only-assets'] },
    { name: 'Nothing', permissions: ['read-only-activity'] },
  ],
  users: [
    { email: 'writer@example.com', roles: [{ role: 'Writer', workspace: 'Default' }] },
    { email: 'reader@example.com', roles: [{ role: 'Reader', workspace: 'Default' }] },
    { email: 'none@example.com', roles: [{ role: 'Nothing', workspace: '*' }] },
  ],
  services: [
    { name: 'Writer', user: 'writer@example.com', clientId: 'writer-client', clientSecret: 'writer-secret' },
    { name: 'Reader', user: 'reader@example.com', clientId: 'reader-client', clientSecret: 'reader-secret' },
    { name: 'Nothing', user: 'none@example.com', clientId: 'none-client', clientSecret: 'none-secret' },
  ],
  leads: [
    { id: 1, email: 'ann@example.com', firstName: 'Ann' },
    { id: 2, email: 'bob@example.com', firstName: 'Bob' },
    { id: 3, email: 'eve@example.com', partition: 'EMEA' },
  ],
  assets: [
    {
      kind: 'program',
      id: 2001,
      name: 'Webinar 2026',
      folder: '/Marketing Activities/Default',
      type: 'Event with Webinar',
      channel: 'Webinar',
    },
  ],
  programMemberFields: [{ name: 'registrationCode', displayName: 'Registration Code', dataType: 'string' }],
  programMembers: [
    { program: 'Webinar 2026', leadId: 2, status: 'Invited', customFields: { registrationCode: 'B-2' } },
  ],
} as unknown as SeedInput;

const P = 2001;
let app: FastifyInstance;
const tokens: Record<'writer' | 'reader' | 'none', string> = { writer: '', reader: '', none: '' };

async function fresh(): Promise<void> {
  if (app) await app.close();
  ({ app } = await newSeededInstance(SEED));
  for (const who of ['writer', 'reader', 'none'] as const) {
    tokens[who] = await tokenFor(app, { clientId: `${who}-client`, clientSecret: `${who}-secret` });
  }
}
beforeAll(fresh);
afterAll(async () => {
  await app.close();
});

async function as(who: keyof typeof tokens, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const response = await call(app, method, url, payload, bearer(tokens[who]));
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const write = (method: 'GET' | 'POST', url: string, payload?: unknown) => as('writer', method, url, payload);
const error = (code: string) => ({
  requestId: expect.stringMatching(REQUEST_ID),
  success: false,
  errors: [{ code, message: expect.any(String) }],
});
const members = async (query = 'filterType=leadId&filterValues=1,2,3') =>
  (await write('GET', `/rest/v1/programs/${P}/members.json?${query}`)).result;
const progressions = async (leadId: number) => {
  const token = (await write('GET', '/rest/v1/activities/pagingtoken.json?sinceDatetime=2000-01-01T00:00:00Z'))
    .nextPageToken;
  const page = await write(
    'GET',
    `/rest/v1/activities.json?nextPageToken=${token}&activityTypeIds=104&leadIds=${leadId}`,
  );
  return ((page.result ?? []) as { attributes: { name: string; value: unknown }[] }[]).map((a) =>
    Object.fromEntries(a.attributes.filter((x) => x.name.endsWith('Status')).map((x) => [x.name, x.value])),
  );
};

describe('Describe Program Member', () => {
  it.each(['/rest/v1/programs/members/describe.json', '/rest/v1/program/members/describe.json'])(
    '%s: dedupe fields, searchable fields and every field, custom ones included (program-members.md)',
    async (path) => {
      const [described] = (await as('reader', 'GET', path)).result;
      expect(described).toMatchObject({
        name: 'API Program Membership',
        dedupeFields: ['leadId', 'programId'],
        searchableFields: [['leadId'], ['reachedSuccess'], ['statusName'], ['registrationCode']],
      });
      expect(described.fields).toContainEqual(
        expect.objectContaining({ name: 'statusName', dataType: 'string', updateable: false, crmManaged: false }),
      );
      expect(described.fields).toContainEqual(expect.objectContaining({ name: 'registrationCode', updateable: true }));
      expect(await as('none', 'GET', path)).toEqual(error('603'));
    },
  );
});

describe('Sync Program Member Status', () => {
  beforeEach(fresh);

  it('makes leads members at a status of the channel, moves them forward, writes 104 old → new', async () => {
    const url = `/rest/v1/programs/${P}/members/status.json`;
    const first = await write('POST', url, { statusName: 'registered', input: [{ leadId: 1 }, { leadId: 2 }] });
    expect(first).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      result: [
        { seq: 0, leadId: 1, status: 'updated' },
        { seq: 1, leadId: 2, status: 'updated' },
      ],
    });
    expect(await members()).toEqual([
      {
        seq: 0,
        leadId: 1,
        reachedSuccess: false,
        programId: P,
        acquiredBy: false,
        membershipDate: expect.stringMatching(/Z$/),
        statusName: 'Registered',
      },
      expect.objectContaining({ seq: 1, leadId: 2, statusName: 'Registered' }),
    ]);
    await write('POST', url, { statusName: 'Attended', input: [{ leadId: 1 }] });
    expect(
      (await members('filterType=reachedSuccess&filterValues=true')).map((m: { leadId: number }) => m.leadId),
    ).toEqual([1]);
    // Backwards is refused (a later step only); the same status again changes nothing.
    const back = await write('POST', url, { statusName: 'Registered', input: [{ leadId: 1 }, { leadId: 1 }] });
    expect(back.result).toEqual([
      { seq: 0, leadId: 1, status: 'skipped', reasons: [{ code: '1003', message: expect.stringContaining('before') }] },
      { seq: 1, leadId: 1, status: 'skipped', reasons: [expect.objectContaining({ code: '1036' })] },
    ]);
    await write('POST', url, { statusName: 'Attended', input: [{ leadId: 1 }] });
    expect(await progressions(1)).toEqual([
      { 'Old Status': 'Not in Program', 'New Status': 'Registered' },
      { 'Old Status': 'Registered', 'New Status': 'Attended' },
    ]);
    expect(await progressions(2)).toEqual([{ 'Old Status': 'Invited', 'New Status': 'Registered' }]);
  });

  it('a status not of the channel (or "Not in Program") is 1003 and changes nothing; unknown leads 1004', async () => {
    const url = `/rest/v1/programs/${P}/members/status.json`;
    expect(await write('POST', url, { statusName: 'Engaged', input: [{ leadId: 1 }] })).toEqual(error('1003'));
    expect(await write('POST', url, { statusName: 'Not in Program', input: [{ leadId: 1 }] })).toEqual(error('1003'));
    const skipped = await write('POST', url, { statusName: 'Invited', input: [{ leadId: 3 }, { leadId: 99 }] });
    expect(skipped.result.map((r: { reasons: { code: string }[] }) => r.reasons[0]!.code)).toEqual(['1004', '1004']);
    expect((await members()).map((m: { leadId: number }) => m.leadId)).toEqual([2]);
  });

  it('unknown program 1013; bad input 1003/701; Read-Only Lead or nothing 603', async () => {
    const body = { statusName: 'Invited', input: [{ leadId: 1 }] };
    expect(await write('POST', '/rest/v1/programs/9999/members/status.json', body)).toEqual(error('1013'));
    expect(await write('POST', `/rest/v1/programs/${P}/members/status.json`, { input: [{ leadId: 1 }] })).toMatchObject(
      { success: false },
    );
    expect(await as('reader', 'POST', `/rest/v1/programs/${P}/members/status.json`, body)).toEqual(error('603'));
    expect(await as('none', 'POST', `/rest/v1/programs/${P}/members/status.json`, body)).toEqual(error('603'));
  });
});

describe('Get Program Members', () => {
  it('filters by leadId, statusName and a custom field; asks for fields; pages with a token', async () => {
    await fresh();
    await write('POST', `/rest/v1/programs/${P}/members/status.json`, {
      statusName: 'Registered',
      input: [{ leadId: 1 }],
    });
    expect(
      (await members('filterType=statusName&filterValues=Invited')).map((m: { leadId: number }) => m.leadId),
    ).toEqual([2]);
    expect(
      await members('filterType=registrationCode&filterValues=B-2&fields=registrationCode,program,statusName'),
    ).toEqual([{ seq: 0, leadId: 2, registrationCode: 'B-2', program: 'Webinar 2026', statusName: 'Invited' }]);
    const first = await write(
      'GET',
      `/rest/v1/programs/${P}/members.json?filterType=leadId&filterValues=1,2&batchSize=1`,
    );
    expect(first).toMatchObject({ moreResult: true, result: [expect.objectContaining({ leadId: 1 })] });
    const second = await write(
      'GET',
      `/rest/v1/programs/${P}/members.json?filterType=leadId&filterValues=1,2&batchSize=1&nextPageToken=${first.nextPageToken}`,
    );
    expect(second.result).toEqual([expect.objectContaining({ seq: 0, leadId: 2 })]);
  });

  it('unknown program 1013; a filterType that is not searchable 1003; an unknown field 1006; missing 701; 603', async () => {
    expect(await write('GET', '/rest/v1/programs/9999/members.json?filterType=leadId&filterValues=1')).toEqual(
      error('1013'),
    );
    expect(await write('GET', `/rest/v1/programs/${P}/members.json?filterType=program&filterValues=x`)).toEqual(
      error('1003'),
    );
    expect(
      await write('GET', `/rest/v1/programs/${P}/members.json?filterType=leadId&filterValues=1&fields=nope`),
    ).toEqual(error('1006'));
    expect(await write('GET', `/rest/v1/programs/${P}/members.json?filterValues=1`)).toEqual(error('701'));
    expect(await as('none', 'GET', `/rest/v1/programs/${P}/members.json?filterType=leadId&filterValues=1`)).toEqual(
      error('603'),
    );
  });
});

describe('Sync Program Member Data and Delete Program Members', () => {
  beforeEach(fresh);

  it('sets custom fields (a new member at the first status), refuses standard and unknown fields', async () => {
    const result = (
      await write('POST', `/rest/v1/programs/${P}/members.json`, {
        input: [
          { leadId: 1, registrationCode: 'A-1' },
          { leadId: 2, registrationCode: 'B-3' },
          { leadId: 2, statusName: 'Attended' },
          { leadId: 99, registrationCode: 'Z' },
        ],
      })
    ).result;
    expect(result.map((r: { status: string }) => r.status)).toEqual(['created', 'updated', 'skipped', 'skipped']);
    expect(result[2].reasons[0].code).toBe('1036');
    expect(await members('filterType=leadId&filterValues=1,2&fields=registrationCode,statusName')).toEqual([
      { seq: 0, leadId: 1, registrationCode: 'A-1', statusName: 'Invited' },
      { seq: 1, leadId: 2, registrationCode: 'B-3', statusName: 'Invited' },
    ]);
    const standard = await write('POST', `/rest/v1/programs/${P}/members.json`, {
      input: [
        { leadId: 1, statusName: 'Attended' },
        { leadId: 2, nope: 1 },
      ],
    });
    expect(standard.result.map((r: { reasons: { code: string }[] }) => r.reasons[0]!.code)).toEqual(['1003', '1006']);
    expect(await write('POST', '/rest/v1/programs/9999/members.json', { input: [{ leadId: 1 }] })).toEqual(
      error('1013'),
    );
    expect(await as('reader', 'POST', `/rest/v1/programs/${P}/members.json`, { input: [{ leadId: 1 }] })).toEqual(
      error('603'),
    );
    expect(await write('POST', `/rest/v1/programs/${P}/members.json`, { input: [] })).toEqual(error('1003'));
  });

  it('deletes members (104 to Not in Program); a lead that is no member is skipped with 1013', async () => {
    const answer = await write('POST', `/rest/v1/programs/${P}/members/delete.json`, {
      input: [{ leadId: 2 }, { leadId: 1 }, { leadId: 3 }],
    });
    expect(answer.result).toEqual([
      { seq: 0, leadId: 2, status: 'deleted' },
      { seq: 1, leadId: 1, status: 'skipped', reasons: [expect.objectContaining({ code: '1013' })] },
      { seq: 2, leadId: 3, status: 'skipped', reasons: [expect.objectContaining({ code: '1004' })] },
    ]);
    expect(await members()).toEqual([]);
    expect(await progressions(2)).toEqual([{ 'Old Status': 'Invited', 'New Status': 'Not in Program' }]);
    const body = { input: [{ leadId: 2 }] };
    expect(await write('POST', '/rest/v1/programs/9999/members/delete.json', body)).toEqual(error('1013'));
    expect(await write('POST', `/rest/v1/programs/${P}/members/delete.json`, { input: [{ leadId: 'x' }] })).toEqual(
      error('1003'),
    );
    expect(await as('reader', 'POST', `/rest/v1/programs/${P}/members/delete.json`, body)).toEqual(error('603'));
  });
});

describe('the superseded routes: Get Leads by Program Id, Change Lead Program Status', () => {
  beforeEach(fresh);

  it('GET /rest/v1/leads/programs/{id}.json: member leads with their membership', async () => {
    expect((await as('reader', 'GET', `/rest/v1/leads/programs/${P}.json`)).result).toEqual([
      expect.objectContaining({
        id: 2,
        email: 'bob@example.com',
        membership: expect.objectContaining({ progressionStatus: 'Invited', reachedSuccess: false }),
      }),
    ]);
    expect(await as('reader', 'GET', '/rest/v1/leads/programs/9999.json')).toEqual(error('1013'));
    expect(await as('reader', 'GET', `/rest/v1/leads/programs/${P}.json?batchSize=0`)).toEqual(error('1003'));
    expect(await as('none', 'GET', `/rest/v1/leads/programs/${P}.json`)).toEqual(error('603'));
  });

  it('POST /rest/v1/leads/programs/{id}/status.json: {status, input:[{id}]} → {id, status}', async () => {
    const url = `/rest/v1/leads/programs/${P}/status.json`;
    expect((await write('POST', url, { status: 'Attended', input: [{ id: 2 }, { id: 99 }] })).result).toEqual([
      { id: 2, status: 'updated' },
      { id: 99, status: 'skipped', reasons: [expect.objectContaining({ code: '1004' })] },
    ]);
    expect(await members()).toEqual([
      expect.objectContaining({ leadId: 2, statusName: 'Attended', reachedSuccess: true }),
    ]);
    expect(await write('POST', url, { status: 'Bogus', input: [{ id: 2 }] })).toEqual(error('1003'));
    expect(
      await write('POST', '/rest/v1/leads/programs/9999/status.json', { status: 'Invited', input: [{ id: 2 }] }),
    ).toEqual(error('1013'));
    expect(await as('reader', 'POST', url, { status: 'Invited', input: [{ id: 2 }] })).toEqual(error('603'));
  });
});

describe('GET /rest/v1/leads/{id}/programMembership.json', () => {
  beforeEach(fresh);

  it("the lead's memberships in the spec's Program shape, filtered by program id; unseen lead 1004; 603", async () => {
    expect((await as('reader', 'GET', '/rest/v1/leads/2/programMembership.json')).result).toEqual([
      {
        id: P,
        progressionStatus: 'Invited',
        isExhausted: false,
        acquiredBy: false,
        reachedSuccess: false,
        membershipDate: expect.stringMatching(/Z$/),
        updatedAt: expect.stringMatching(/Z$/),
      },
    ]);
    expect(
      (await as('reader', 'GET', '/rest/v1/leads/2/programMembership.json?filterType=id&filterValues=1')).result,
    ).toEqual([]);
    expect((await as('reader', 'GET', '/rest/v1/leads/1/programMembership.json')).result).toEqual([]);
    expect(await as('reader', 'GET', '/rest/v1/leads/3/programMembership.json')).toEqual(error('1004'));
    expect(await as('reader', 'GET', '/rest/v1/leads/2/programMembership.json?filterType=name')).toEqual(error('1003'));
    expect(await as('writer', 'GET', '/rest/v1/leads/2/programMembership.json')).toEqual(error('603'));
  });
});
