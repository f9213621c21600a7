import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import Marketo from 'node-marketo-rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { frozenClock } from '../../../src/clock.js';
import { testConfig } from '../../../src/config.js';
import type { SeedInput } from '../../../src/seed.js';

/**
 * cog-marketo's "Adding Marketo Lead to a Smart Campaign" scenario (run-crank/cog-marketo 9359b27,
 * test/scenarios/Smart Campaign.crank.yml), over a real port with node-marketo-rest, as its steps call Marketo
 * (src/client/mixins/lead-aware.ts, smart-campaign-aware.ts; src/steps/smart-campaign-add-lead.ts):
 * 1. create or update the lead: lead.partitions(), then lead.createOrUpdate([lead], {lookupField: 'email',
 *    partitionName});
 * 2. "the middleName field on marketo lead … should be Not Testing": findLeadByField: lead.describe(), then
 *    lead.find('email', [email], {fields: every REST field name});
 * 3. "add the … lead to smart campaign Dev - QA - Set Field value": getCampaigns — 31 parallel
 *    campaign.getSmartCampaigns({maxReturn: 200, offset: i * 200}), errors swallowed — exactly one campaign of that
 *    name without regard to case, then findLeadByField and campaign.request(String(id), [the lead as found]);
 * 4. the same for "Dev - QA - Set Different Field value";
 * 5. "the middleName field … should be Testing" within 60 s (failAfter: 60): here at once, as Request Campaign runs
 *    the flow before answering;
 * 6. delete the lead: _connection.postJson('/v1/leads.json', {input: [{id}]}, {query: {_method: 'DELETE'}}).
 */

const COG = { clientId: 'cog-client', clientSecret: 'cog-secret' };

const SEED = {
  roles: [{ name: 'Cog', permissions: ['read-write-lead', 'read-only-assets', 'execute-campaign'] }],
  users: [{ email: 'cog@example.com', roles: [{ role: 'Cog', workspace: 'Default' }] }],
  services: [{ name: 'Cog', user: 'cog@example.com', ...COG }],
  assets: [
    {
      kind: 'program',
      name: 'Dev - QA',
      folder: '/Marketing Activities/Default',
      type: 'Default',
      channel: 'Content',
    },
  ],
  campaigns: [
    {
      name: 'Dev - QA - Set Field value',
      type: 'trigger',
      program: 'Dev - QA',
      active: true,
      flow: [{ type: 'changeDataValue', attribute: 'middleName', value: 'Testing' }],
    },
    {
      name: 'Dev - QA - Set Different Field value',
      type: 'trigger',
      program: 'Dev - QA',
      active: true,
      flow: [{ type: 'changeDataValue', attribute: 'title', value: 'Tested' }],
    },
  ],
} as unknown as SeedInput;

let app: FastifyInstance;
let client: Marketo;

beforeAll(async () => {
  app = await buildApp({ config: testConfig(), clock: frozenClock(), seed: SEED });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  client = new Marketo({
    endpoint: `${baseUrl}/rest`,
    identity: `${baseUrl}/identity`,
    ...COG,
    retry: { maxRetries: 1, initialDelay: 50, maxDelay: 100 },
  });
});
afterAll(async () => {
  if (app) await app.close();
});

type Row = Record<string, unknown>;

/** cog's LeadAwareMixin.createOrUpdateLead (partition 1). */
async function createOrUpdateLead(lead: Row) {
  const partitions = await client.lead.partitions();
  const partition = (partitions.result as { id: number; name: string }[]).find((option) => option.id === 1);
  return client.lead.createOrUpdate([lead], { lookupField: 'email', partitionName: partition?.name ?? 'Default' });
}

/** cog's LeadAwareMixin.findLeadByField, for a subscription of fewer than 7,000 characters of field names. */
async function findLeadByField(field: string, value: string) {
  const fields = await client.lead.describe();
  const names = (fields.result as { rest?: { name: string } }[]).filter((f) => f.rest).map((f) => f.rest!.name);
  expect(names.join(',').length).toBeLessThan(7000);
  return client.lead.find(field, [value], { fields: names });
}

/** cog's SmartCampaignAwareMixin.getCampaigns: 31 pages asked at once, failures swallowed, sorted by name. */
async function getCampaigns() {
  const result: Row[] = [];
  await Promise.all(
    Array.from({ length: 31 }, async (_, i) => {
      try {
        const response = await client.campaign.getSmartCampaigns({ maxReturn: 200, offset: i * 200 });
        if (response.result) result.push(...response.result);
      } catch {
        // cog resolves with the error and goes on.
      }
    }),
  );
  return result.sort((a, b) => String(a.name).toLowerCase().localeCompare(String(b.name).toLowerCase()));
}

/** cog's AddLeadToSmartCampaignStep for one lead by email: the campaign by name, then Request Campaign. */
async function addLeadToSmartCampaign(email: string, campaignName: string) {
  const campaigns = await getCampaigns();
  const matching = campaigns.filter((c) => String(c.name).toLowerCase() === campaignName.toLowerCase());
  expect(matching, `campaigns named ${campaignName}`).toHaveLength(1);
  const found = await findLeadByField('email', email);
  const lead = found.result![0]!;
  expect(Object.keys(lead).length).toBeGreaterThan(0);
  // The lead as found, every field with it: Marketo reads its id.
  return client.campaign.request(String(matching[0]!.id) as unknown as number, [lead as { id: number }]);
}

describe("cog-marketo's Smart Campaign scenario", () => {
  it('request a campaign, then the lead’s middleName is what the flow set', async () => {
    const test = { email: 'mktosc@thisisjust.atomatest.com', middlename: 'Not Testing', lastname: 'Severano' };
    expect(
      await createOrUpdateLead({
        email: test.email,
        middleName: test.middlename,
        lastName: test.lastname,
        firstName: 'Howie',
      }),
    ).toMatchObject({ success: true, result: [{ status: 'created' }] });
    const before = (await findLeadByField('email', test.email)).result![0]!;
    expect(before).toMatchObject({ lastName: 'Severano', middleName: 'Not Testing' });

    expect(await addLeadToSmartCampaign(test.email, 'Dev - QA - Set Field value')).toMatchObject({ success: true });
    expect(await addLeadToSmartCampaign(test.email, 'dev - qa - set different field value')).toMatchObject({
      success: true,
    });

    const after = (await findLeadByField('email', test.email)).result![0]!;
    expect(after).toMatchObject({ middleName: 'Testing', title: 'Tested', lastName: 'Severano' });

    const deleted = await client._connection.postJson(
      '/v1/leads.json',
      { input: [{ id: after.id }] },
      { query: { _method: 'DELETE' } },
    );
    expect(deleted).toMatchObject({ success: true, result: [{ id: after.id, status: 'deleted' }] });
    expect((await findLeadByField('email', test.email)).result).toEqual([]);
  });
});
