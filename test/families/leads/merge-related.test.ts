import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SeedInput } from '../../../src/seed.js';
import { call, newSeededInstance, tokenFor } from '../../helpers.js';
import { bearer } from '../../support/subscription.js';

/**
 * What a merge does with what the losing lead holds elsewhere (src/families/program-members, crm, lists): "The first
 * record you select is the target record - this records remains while the other record is deleted, it's field
 * values, activities, and program memberships merged into this winning record" (nation.marketo.com, "Understanding
 * Merges in Marketo"). Without the leadMerging handlers the lead_id cascades would delete them with the loser.
 */

const WINNER = 1;
const LOSER = 2;
const WEBINAR = 3001;
const TRADESHOW = 3002;
const SEED = {
  roles: [
    {
      name: 'Merger',
      permissions: ['read-write-lead', 'read-only-opportunity', 'read-only-activity'],
    },
  ],
  users: [{ email: 'merger@example.com', roles: [{ role: 'Merger', workspace: 'Default' }] }],
  services: [{ name: 'Merger', user: 'merger@example.com', clientId: 'merger-client', clientSecret: 'merger-secret' }],
  leads: [
    { id: WINNER, email: 'win@example.com', firstName: 'Win' },
    { id: LOSER, email: 'lose@example.com', firstName: 'Lose' },
    { id: 3, email: 'other@example.com' },
  ],
  assets: [
    {
      kind: 'program',
      id: WEBINAR,
      name: 'Webinar 2026',
      folder: '/Marketing Activities/Default',
      type: 'Event with Webinar',
      channel: 'Webinar',
    },
    {
      kind: 'program',
      id: TRADESHOW,
      name: 'Tradeshow 2026',
      folder: '/Marketing Activities/Default',
      type: 'Event',
      channel: 'Tradeshow',
    },
  ],
  programMemberFields: [{ name: 'registrationCode', displayName: 'Registration Code', dataType: 'string' }],
  programMembers: [
    // Only the loser is in the webinar; both are in the tradeshow, the loser further along (Attended).
    { program: WEBINAR, leadId: LOSER, status: 'Registered', customFields: { registrationCode: 'L-1' } },
    { program: TRADESHOW, leadId: WINNER, status: 'Invited' },
    { program: TRADESHOW, leadId: LOSER, status: 'Attended' },
  ],
  lists: [{ id: 500, name: 'Newsletter', workspace: 'Default', leads: [LOSER, 3] }],
  opportunities: [{ externalOpportunityId: 'OPP-1', name: 'Deal' }],
  opportunityRoles: [
    { externalOpportunityId: 'OPP-1', leadId: LOSER, role: 'Technical Buyer', isPrimary: false },
    { externalOpportunityId: 'OPP-1', leadId: LOSER, role: 'Decision Maker', isPrimary: true },
    { externalOpportunityId: 'OPP-1', leadId: WINNER, role: 'Decision Maker', isPrimary: false },
  ],
} as unknown as SeedInput;

let app: FastifyInstance;
let token: string;
beforeAll(async () => {
  ({ app } = await newSeededInstance(SEED));
});
afterAll(async () => {
  await app.close();
});
beforeEach(async () => {
  expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
  token = await tokenFor(app, { clientId: 'merger-client', clientSecret: 'merger-secret' });
});

async function get(url: string) {
  const response = await call(app, 'GET', url, undefined, bearer(token));
  expect(response.statusCode).toBe(200);
  return response.json();
}
const members = async (programId: number) =>
  (
    await get(
      `/rest/v1/programs/${programId}/members.json?filterType=leadId&filterValues=${WINNER},${LOSER}` +
        '&fields=statusName,reachedSuccess,registrationCode',
    )
  ).result;
const roles = async () =>
  (
    await get(
      `/rest/v1/opportunities/roles.json?filterType=leadId&filterValues=${WINNER},${LOSER}&fields=leadId,role,isPrimary`,
    )
  ).result.map(({ leadId, role, isPrimary }: Record<string, unknown>) => ({ leadId, role, isPrimary }));
async function merge() {
  const response = await call(app, 'POST', `/rest/v1/leads/${WINNER}/merge.json?leadIds=${LOSER}`, {}, bearer(token));
  expect(response.json()).toMatchObject({ success: true });
}

describe('Merge Leads moves what the loser holds to the winner', () => {
  it('program memberships are merged into the winner (nation.marketo.com “Understanding Merges in Marketo”): moved, or the further status kept where both are members', async () => {
    expect(await members(WEBINAR)).toEqual([
      { seq: 0, leadId: LOSER, statusName: 'Registered', reachedSuccess: false, registrationCode: 'L-1' },
    ]);
    await merge();
    expect(await members(WEBINAR)).toEqual([
      { seq: 0, leadId: WINNER, statusName: 'Registered', reachedSuccess: false, registrationCode: 'L-1' },
    ]);
    expect(await members(TRADESHOW)).toEqual([
      { seq: 0, leadId: WINNER, statusName: 'Attended', reachedSuccess: true, registrationCode: null },
    ]);
  });

  it('opportunity roles go to the winner (decision, README); a role the winner holds already on that opportunity goes with the loser', async () => {
    await merge();
    expect(await roles()).toEqual([
      { leadId: WINNER, role: 'Technical Buyer', isPrimary: false },
      { leadId: WINNER, role: 'Decision Maker', isPrimary: false },
    ]);
  });

  it('static list memberships move too (lists family), and the snapshot after holds the moved rows', async () => {
    await merge();
    const leads = (await get('/rest/v1/lists/500/leads.json?fields=id')).result.map((l: { id: number }) => l.id);
    expect(leads.sort()).toEqual([WINNER, 3]);
    const snapshot = (await call(app, 'GET', '/admin/snapshot')).json();
    expect(
      snapshot.programMembers.map((m: { program: number; leadId: number; status: string }) => [
        m.program,
        m.leadId,
        m.status,
      ]),
    ).toEqual([
      [WEBINAR, WINNER, 'Registered'],
      [TRADESHOW, WINNER, 'Attended'],
    ]);
  });
});
