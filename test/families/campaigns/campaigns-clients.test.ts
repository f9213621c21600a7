import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import Marketo from 'node-marketo-rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { frozenClock } from '../../../src/clock.js';
import { testConfig } from '../../../src/config.js';
import type { SeedInput } from '../../../src/seed.js';

/**
 * Campaigns, program members and Push Lead driven over a real port with the request shapes of two real clients
 * (issue 26).
 *
 * node-marketo-rest 0.7.8 (node_modules/node-marketo-rest/lib/api/campaign.js):
 * - campaign.getCampaigns(options): GET campaigns.json with the options (and `_method=GET`) as restler `data`, a
 *   form body on a GET; the fake reads a GET's query, not its body, so only the unfiltered call is checked;
 * - campaign.request(id, leads, tokens): POST campaigns/{id}/trigger.json, JSON body
 *   {"input":{"leads":[…],"tokens":[…]},"_method":"POST"}.
 *
 * marketorestpython (jepcastelein/marketo-rest-python, marketorestpython/client.py and helper/http_lib.py at 3d8985a):
 * `Authorization: Bearer` on every call, and
 * - get_multiple_campaigns: POST campaigns.json?_method=GET&name=…&batchSize=… with a form body `id=1&id=2`
 *   (`application/x-www-form-urlencoded; charset=utf-8`), looping on nextPageToken (added to the query);
 * - request_campaign: POST campaigns/{id}/trigger.json, JSON {"input":{"leads":[{"id"}],"tokens":[{"name":"{{k}}",…}]}};
 * - schedule_campaign: POST campaigns/{id}/schedule.json, JSON {"input":{runAt, tokens}}, or with no body at all
 *   (requests' `json=None`) and `Content-type: application/json; charset=utf-8`;
 * - change_lead_program_status: POST leads/programs/{id}/status.json, JSON {"status", "input":[{"id"}]};
 * - sync_program_member_data: POST programs/{id}/members.json, JSON {"input":[{"leadId", field…}]};
 * - get_multiple_leads_by_program_id: POST leads/programs/{id}.json?_method=GET, form body `fields=a&fields=b&batchSize=n`;
 * - push_lead: POST leads/push.json, JSON {"input", "programName", "programStatus", "source", "reason"…}.
 */

const RUNNER = { clientId: 'campaign-runner-client', clientSecret: 'campaign-runner-secret' };
const PROGRAM = 3001;

const SEED = {
  roles: [
    {
      name: 'Runner',
      permissions: ['execute-campaign', 'read-only-campaign', 'read-write-lead', 'read-only-activity'],
    },
  ],
  users: [{ email: 'runner@example.com', roles: [{ role: 'Runner', workspace: 'Default' }] }],
  services: [{ name: 'Runner', user: 'runner@example.com', ...RUNNER }],
  leadFields: [],
  leads: [
    { id: 1, email: 'ann@example.com' },
    { id: 2, email: 'bob@example.com' },
    { id: 3, email: 'cy@example.com' },
  ],
  assets: [
    {
      kind: 'program',
      id: PROGRAM,
      name: 'Summit',
      folder: '/Marketing Activities/Default',
      type: 'Event',
      channel: 'Tradeshow',
    },
    { kind: 'token', program: 'Summit', name: 'Message', type: 'text', value: 'See you there' },
  ],
  programMemberFields: [{ name: 'registrationCode', displayName: 'Registration Code', dataType: 'string' }],
  campaigns: [
    {
      id: 4001,
      name: 'Set middle name',
      type: 'trigger',
      program: 'Summit',
      active: true,
      flow: [
        { type: 'changeDataValue', attribute: 'middleName', value: '{{my.Message}}' },
        { type: 'changeProgramStatus', status: 'Registered' },
      ],
    },
    {
      id: 4002,
      name: 'Batch title',
      type: 'batch',
      program: 'Summit',
      smartList: { leadIds: [3] },
      flow: [{ type: 'changeDataValue', attribute: 'title', value: '{{my.Message}}' }],
    },
    { id: 4003, name: 'Other', type: 'trigger', program: 'Summit' },
  ],
} as unknown as SeedInput;

let app: FastifyInstance;
let baseUrl: string;
let traffic: { method: string; url: string; contentType: string | undefined }[];

function recordTraffic(server: Server) {
  const sent: typeof traffic = [];
  server.prependListener('request', (request: IncomingMessage) => {
    sent.push({ method: request.method ?? '', url: request.url ?? '', contentType: request.headers['content-type'] });
  });
  return sent;
}
const restCalls = () => traffic.filter((sent) => sent.url.startsWith('/rest/'));

beforeAll(async () => {
  app = await buildApp({ config: testConfig(), clock: frozenClock(), seed: SEED });
  traffic = recordTraffic(app.server);
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  if (app) await app.close();
});
beforeEach(() => {
  traffic.length = 0;
});

function nodeClient(): Marketo {
  return new Marketo({
    endpoint: `${baseUrl}/rest`,
    identity: `${baseUrl}/identity`,
    ...RUNNER,
    retry: { maxRetries: 1, initialDelay: 50, maxDelay: 100 },
  });
}

async function token(): Promise<string> {
  const query = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: RUNNER.clientId,
    client_secret: RUNNER.clientSecret,
  });
  return ((await (await fetch(`${baseUrl}/identity/oauth/token?${query}`)).json()) as { access_token: string })
    .access_token;
}

interface Body {
  success: boolean;
  result?: Record<string, unknown>[];
  nextPageToken?: string;
  errors?: { code: string }[];
}

/** A call as marketorestpython's HttpLib.post sends it: JSON (`json=`), a form (`nojsondumps`), or no body. */
async function python(path: string, body: { json?: unknown; form?: string } = {}): Promise<Body> {
  const headers: Record<string, string> = { authorization: `Bearer ${await token()}` };
  let payload: string | undefined;
  if (body.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    payload = body.form;
  } else {
    headers['content-type'] = 'application/json; charset=utf-8';
    if (body.json !== undefined) payload = JSON.stringify(body.json);
  }
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: payload });
  expect(response.status).toBe(200);
  return (await response.json()) as Body;
}

async function leadField(id: number, field: string): Promise<unknown> {
  const response = await fetch(`${baseUrl}/rest/v1/lead/${id}.json?fields=${field}`, {
    headers: { authorization: `Bearer ${await token()}` },
  });
  return ((await response.json()) as Body).result![0]![field];
}

describe('node-marketo-rest', () => {
  it('campaign.getCampaigns: a GET (its options ride in a form body that a GET does not read) lists the campaigns', async () => {
    const all = (await nodeClient().campaign.getCampaigns({})) as Body;
    expect(all).toMatchObject({ success: true });
    expect(all.result!.map((c) => c.id)).toEqual([4001, 4002, 4003]);
    expect(all.result![0]).toEqual(
      expect.objectContaining({ id: 4001, type: 'trigger', programName: 'Summit', programId: PROGRAM, active: true }),
    );
    expect(restCalls().map((call) => [call.method, call.url.split('?')[0]])).toEqual([
      ['GET', '/rest/v1/campaigns.json'],
    ]);
  });

  it("campaign.request runs the flow; cog-marketo's check of the lead's middleName passes at once", async () => {
    const answer = (await nodeClient().campaign.request(
      4001,
      [{ id: 1 }],
      [{ name: '{{my.Message}}', value: 'From node' }],
    )) as Body;
    expect(answer).toMatchObject({ success: true, result: [{ id: 4001 }] });
    expect(await leadField(1, 'middleName')).toBe('From node');
    await expect(nodeClient().campaign.request(4003, [{ id: 1 }])).rejects.toMatchObject({
      errors: [expect.objectContaining({ code: '1003' })],
    });
  });
});

describe('marketorestpython', () => {
  it('get_multiple_campaigns: POST with _method=GET in the query and ids in a form body, then the next page', async () => {
    const first = await python('/rest/v1/campaigns.json?_method=GET&batchSize=1', { form: 'id=4001&id=4002' });
    expect(first.result!.map((c) => c.id)).toEqual([4001]);
    const second = await python(
      `/rest/v1/campaigns.json?_method=GET&batchSize=1&nextPageToken=${first.nextPageToken}`,
      {
        form: 'id=4001&id=4002',
      },
    );
    expect(second.result!.map((c) => c.id)).toEqual([4002]);
  });

  it('request_campaign with tokens {"my.Message": …} sent as "{{my.Message}}"', async () => {
    const answer = await python('/rest/v1/campaigns/4001/trigger.json', {
      json: { input: { leads: [{ id: 2 }], tokens: [{ name: '{{my.Message}}', value: 'From python' }] } },
    });
    expect(answer.success).toBe(true);
    expect(await leadField(2, 'middleName')).toBe('From python');
  });

  it('schedule_campaign with no body runs in five minutes; with a runAt at that time', async () => {
    expect(await python('/rest/v1/campaigns/4002/schedule.json')).toMatchObject({
      success: true,
      result: [{ id: 4002 }],
    });
    expect(await leadField(3, 'title')).toBeNull();
    await fetch(`${baseUrl}/admin/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 300 }),
    });
    expect(await leadField(3, 'title')).toBe('See you there');
    // smart-campaigns.md writes runAt with a +0000 offset.
    const soon = await python('/rest/v1/campaigns/4002/schedule.json', {
      json: { input: { runAt: '2026-01-15T13:00:00+0000' } },
    });
    expect(soon).toMatchObject({ success: true });
    const runAt = '2099-01-01T00:00:00+0000';
    expect(await python('/rest/v1/campaigns/4002/schedule.json', { json: { input: { runAt } } })).toMatchObject({
      success: false,
      errors: [{ code: '1042' }],
    });
  });

  it('change_lead_program_status, sync_program_member_data, get_multiple_leads_by_program_id, push_lead', async () => {
    const status = await python(`/rest/v1/leads/programs/${PROGRAM}/status.json`, {
      json: { status: 'Attended', input: [{ id: 1 }] },
    });
    expect(status.result).toEqual([{ id: 1, status: 'updated' }]);
    const data = await python(`/rest/v1/programs/${PROGRAM}/members.json`, {
      json: { input: [{ leadId: 1, registrationCode: 'R-1' }] },
    });
    expect(data.result).toEqual([{ seq: 0, leadId: 1, status: 'updated' }]);
    const pushed = await python('/rest/v1/leads/push.json', {
      json: {
        input: [{ email: 'dee@example.com', firstName: 'Dee' }],
        programName: 'Summit',
        programStatus: 'Registered',
        source: 'Python',
        reason: 'Test',
      },
    });
    expect(pushed.result).toEqual([{ id: expect.any(Number), status: 'created' }]);
    const byProgram = await python(`/rest/v1/leads/programs/${PROGRAM}.json?_method=GET`, {
      form: 'fields=email&fields=firstName&batchSize=300',
    });
    expect(
      byProgram.result!.map((lead) => [
        lead.email,
        (lead.membership as { progressionStatus: string }).progressionStatus,
      ]),
    ).toEqual([
      ['ann@example.com', 'Attended'],
      ['bob@example.com', 'Registered'],
      ['dee@example.com', 'Registered'],
    ]);
  });
});
