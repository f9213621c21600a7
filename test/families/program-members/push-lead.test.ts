import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, newSeededInstance, tokenFor } from '../../helpers.js';
import { bearer, REQUEST_ID } from '../../support/subscription.js';
import type { SeedInput } from '../../../src/seed.js';

/** Push Lead (POST /rest/v1/leads/push.json): upsert leads, then members of the program at a status (issue 26). */
const SEED = {
  roles: [
    { name: 'Writer', permissions: ['read-write-lead', 'read-only-activity'] },
    { name: 'Reader', permissions: ['read-only-lead'] },
  ],
  users: [
    { email: 'writer@example.com', roles: [{ role: 'Writer', workspace: 'Default' }] },
    { email: 'reader@example.com', roles: [{ role: 'Reader', workspace: 'Default' }] },
  ],
  services: [
    { name: 'Writer', user: 'writer@example.com', clientId: 'writer-client', clientSecret: 'writer-secret' },
    { name: 'Reader', user: 'reader@example.com', clientId: 'reader-client', clientSecret: 'reader-secret' },
  ],
  leads: [{ id: 1, email: 'ann@example.com', firstName: 'Ann' }],
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
} as unknown as SeedInput;

let app: FastifyInstance;
let writer: string;
let reader: string;
beforeAll(async () => {
  ({ app } = await newSeededInstance(SEED));
  writer = await tokenFor(app, { clientId: 'writer-client', clientSecret: 'writer-secret' });
  reader = await tokenFor(app, { clientId: 'reader-client', clientSecret: 'reader-secret' });
});
afterAll(async () => {
  await app.close();
});

async function as(token: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const response = await call(app, method, url, payload, bearer(token));
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const error = (code: string) => ({
  requestId: expect.stringMatching(REQUEST_ID),
  success: false,
  errors: [{ code, message: expect.any(String) }],
});
const push = (body: unknown, token = writer) => as(token, 'POST', '/rest/v1/leads/push.json', body);

describe('POST /rest/v1/leads/push.json', () => {
  it('upserts the leads (always createOrUpdate) and adds them to the program at the status, with source and reason', async () => {
    const answer = await push({
      programName: 'webinar 2026',
      programStatus: 'Registered',
      source: 'Webinar form',
      reason: 'Signed up',
      input: [
        { email: 'ann@example.com', lastName: 'Lee', mktToken: 'id:123-ABC-456&token:_mch-x' },
        { email: 'new@example.com', firstName: 'Nia' },
      ],
    });
    expect(answer).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      result: [
        { id: 1, status: 'updated' },
        { id: expect.any(Number), status: 'created' },
      ],
    });
    const created = answer.result[1].id;
    const found = await as(writer, 'GET', `/rest/v1/leads.json?filterType=email&filterValues=new@example.com`);
    expect(found.result).toEqual([expect.objectContaining({ id: created, firstName: 'Nia' })]);
    const members = await as(
      writer,
      'GET',
      `/rest/v1/programs/2001/members.json?filterType=leadId&filterValues=1,${created}`,
    );
    expect(members.result.map((m: { leadId: number; statusName: string }) => [m.leadId, m.statusName])).toEqual([
      [1, 'Registered'],
      [created, 'Registered'],
    ]);
    // The activities of a sync (13 for Ann's lastName, 12 for the new lead) and 104 with the source and reason.
    const token = (await as(writer, 'GET', '/rest/v1/activities/pagingtoken.json?sinceDatetime=2000-01-01T00:00:00Z'))
      .nextPageToken;
    const logged = (
      await as(
        writer,
        'GET',
        `/rest/v1/activities.json?nextPageToken=${token}&activityTypeIds=12,13,104&leadIds=1,${created}`,
      )
    ).result;
    expect(logged.map((a: { leadId: number; activityTypeId: number }) => [a.leadId, a.activityTypeId])).toEqual([
      [1, 13],
      [created, 12],
      [1, 104],
      [created, 104],
    ]);
    expect(logged[2].attributes).toEqual(
      expect.arrayContaining([
        { name: 'New Status', value: 'Registered' },
        { name: 'Reason', value: 'Signed up' },
        { name: 'Source', value: 'Webinar form' },
      ]),
    );
  });

  it("without programStatus the lead joins at the channel's first status; a bad record is skipped, the rest go on", async () => {
    const answer = await push({
      programName: 'Webinar 2026',
      input: [{ email: 'third@example.com' }, { email: 'x@example.com', nope: 1 }],
    });
    expect(answer.result[0]).toEqual({ id: expect.any(Number), status: 'created' });
    expect(answer.result[1]).toEqual({ status: 'skipped', reasons: [expect.objectContaining({ code: '1006' })] });
    const members = await as(
      writer,
      'GET',
      `/rest/v1/programs/2001/members.json?filterType=leadId&filterValues=${answer.result[0].id}`,
    );
    expect(members.result).toEqual([expect.objectContaining({ statusName: 'Invited' })]);
  });

  it('an unknown program 1013; a status not of its channel 1003; bad input; Read-Only Lead 603; nothing changes', async () => {
    const input = [{ email: 'nobody@example.com' }];
    expect(await push({ programName: 'Nope', input })).toEqual(error('1013'));
    expect(await push({ programName: 'Webinar 2026', programStatus: 'Engaged', input })).toEqual(error('1003'));
    expect(await push({ programName: 'Webinar 2026', input: [] })).toEqual(error('1003'));
    expect(await push({ input })).toEqual(error('701'));
    expect(await push({ programName: 'Webinar 2026', input }, reader)).toEqual(error('603'));
    const found = await as(writer, 'GET', '/rest/v1/leads.json?filterType=email&filterValues=nobody@example.com');
    expect(found.result).toEqual([]);
  });
});
