import { z } from 'zod';
import { ACTIVITY, type NewActivity, type WriteOrigin } from '../../domain/activity-log.js';
import type { Lead } from '../../domain/model.js';
import { seedId } from '../../domain/record-ids.js';
import { coerceFieldValue } from '../../engines/objects/fields.js';
import type { PortName, Ports } from '../../ports.js';
import type { Campaign, CampaignRepository } from './repository.js';

/**
 * A campaign's flow as data (Marketo's API cannot write one: a seed or the admin plane declares it), and the runner
 * that does what it says to each lead, recording the activity Marketo records for each step, stamped with the
 * campaign's id. The steps Marketo names: Change Data Value, Add to List, Remove from List, Change Program Status,
 * Interesting Moment, Wait, Request Campaign.
 */

const MAX_WAIT_MINUTES = 60 * 24 * 365;
/**
 * Memory stays bounded whatever a flow and a request hold (decision): a step's text is at most 2,000 characters and a
 * token's value at most 10,000 (MAX_TOKEN_VALUE, campaigns.ts), so a text with every token filled in stays under
 * 2,000 / 8 × 10,000 characters.
 */
const MAX_STEP_TEXT = 2000;

export const flowStep = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('changeDataValue'),
    attribute: z.string().min(1).describe('A lead field by REST API name'),
    value: z
      .union([z.string().max(MAX_STEP_TEXT), z.number(), z.boolean(), z.null()])
      .describe('May hold {{my.token}}s'),
  }),
  z.strictObject({ type: z.literal('addToList'), listId: seedId }),
  z.strictObject({ type: z.literal('removeFromList'), listId: seedId }),
  z.strictObject({
    type: z.literal('changeProgramStatus'),
    programId: seedId.optional().describe("The campaign's program when absent"),
    status: z.string().min(1).max(255),
  }),
  z.strictObject({
    type: z.literal('interestingMoment'),
    momentType: z.enum(['Web', 'Email', 'Milestone']).default('Milestone'),
    description: z.string().min(1).max(MAX_STEP_TEXT).describe('May hold {{my.token}}s'),
  }),
  z.strictObject({ type: z.literal('wait'), minutes: z.number().int().min(1).max(MAX_WAIT_MINUTES) }),
  z.strictObject({ type: z.literal('requestCampaign'), campaignId: seedId }),
]);
export type FlowStep = z.infer<typeof flowStep>;
export const flowSchema = z.array(flowStep).max(100);

/** `{{my.name}}` → value: the request's tokens over the program's My Tokens (smart-campaigns.md). */
export type Tokens = ReadonlyMap<string, string>;
/** A token as a call gives it (`{"name":"{{my.message}}","value":…}`); a run keeps these, the program's are read as it runs. */
export interface RequestedToken {
  name: string;
  value: string;
}

export interface FlowEnvironment {
  repo: CampaignRepository;
  port<K extends PortName>(name: K): Ports[K];
  origin: WriteOrigin;
  /** Schedules the rest of the flow for these leads after a Wait (a job on the clock). */
  resumeLater(resume: {
    campaignId: number;
    leadIds: number[];
    step: number;
    minutes: number;
    requested: readonly RequestedToken[];
  }): void;
}

/** Request Campaign nests: past this depth a flow's Request Campaign step does nothing (a loop guard; decision). */
const MAX_REQUEST_DEPTH = 5;

/** The tokens a run of `campaign` sees: its program's My Tokens, overridden by the request's. */
function tokensFor(
  env: Pick<FlowEnvironment, 'port'>,
  campaign: Campaign,
  requested: readonly RequestedToken[],
): Map<string, string> {
  const tokens = new Map<string, string>();
  if (campaign.programId !== null) {
    for (const [name, value] of env.port('assetPlaces').tokensOf(campaign.programId)) tokens.set(name, value);
  }
  for (const token of requested) tokens.set(tokenName(token.name), token.value);
  return tokens;
}

/** A token's name as the map keys it: `{{my.Message}}` and `my.Message` are `message`. */
function tokenName(name: string): string {
  return name
    .trim()
    .replace(/^\{\{\s*/, '')
    .replace(/\s*\}\}$/, '')
    .replace(/^my\./i, '')
    .toLowerCase();
}

function substitute(text: string, tokens: Tokens): string {
  return text.replace(/\{\{\s*my\.([^}]+?)\s*\}\}/gi, (whole, name: string) => tokens.get(name.toLowerCase()) ?? whole);
}

/** Request Campaign (47), recorded when a lead is requested into a campaign (by the API or a flow step). */
export function requestActivity(campaign: Campaign, lead: Lead, source: string, byCampaignId: number | null) {
  return {
    leadId: lead.id,
    partitionId: lead.partitionId,
    typeId: ACTIVITY.requestCampaign,
    primaryAttributeValueId: campaign.id,
    primaryAttributeValue: campaign.name,
    attributes: [{ name: 'Source', value: source }],
    campaignId: byCampaignId ?? campaign.id,
  } satisfies NewActivity;
}

/** The leads of `leadIds` the campaign may act on (those in its workspace's partitions), as they are now, in order. */
export function leadsInReach(
  env: Pick<FlowEnvironment, 'repo' | 'port'>,
  campaign: Campaign,
  leadIds: readonly number[],
): Lead[] {
  const leads = env.port('leads');
  const partitions = env.repo.partitionsOf(campaign.workspaceId);
  return leadIds.flatMap((id) => {
    const lead = leads.find(id);
    return lead && partitions.has(lead.partitionId) ? [lead] : [];
  });
}

/**
 * Runs `campaign`'s flow from step `from` for each lead (leads outside the campaign's workspace are skipped), within
 * the caller's transaction; a Wait hands the remaining steps to a job due when the wait ends.
 */
export function runFlow(
  env: FlowEnvironment,
  campaign: Campaign,
  leadIds: readonly number[],
  from: number,
  requested: readonly RequestedToken[],
  depth = 0,
): void {
  runFlowFor(env, campaign, leadsInReach(env, campaign, leadIds), from, requested, depth);
}

/**
 * runFlow for leads already found in the campaign's reach (leadsInReach): each step in turn for all of them, its
 * activities recorded together at the end, in step order.
 */
export function runFlowFor(
  env: FlowEnvironment,
  campaign: Campaign,
  leads: readonly Lead[],
  from: number,
  requested: readonly RequestedToken[],
  depth = 0,
): void {
  if (leads.length === 0) return;
  const tokens = tokensFor(env, campaign, requested);
  if (from === 0) env.repo.touchMembers(campaign.id, leads.map((lead) => lead.id));
  let current = leads;
  const logged: NewActivity[] = [];
  const record = (activity: NewActivity) => logged.push({ ...activity, campaignId: campaign.id });
  for (let index = from; index < campaign.flow.length && current.length > 0; index++) {
    const step = campaign.flow[index]!;
    if (step.type === 'wait') {
      env.resumeLater({
        campaignId: campaign.id,
        leadIds: current.map((lead) => lead.id),
        step: index + 1,
        minutes: step.minutes,
        requested,
      });
      break;
    }
    current = current.map(stepFor(env, campaign, step, tokens, record, depth));
  }
  if (logged.length > 0) env.port('activityLog').record(logged);
}

/** What does no step to a lead: a field or list that is not there, a value its field cannot hold. */
const unchanged = (lead: Lead): Lead => lead;

/**
 * One step as a function of a lead, answering the lead as it is after the step. What does not depend on the lead
 * (the field or list the step names, its value with the run's tokens filled in) is looked up once per step.
 */
function stepFor(
  env: FlowEnvironment,
  campaign: Campaign,
  step: Exclude<FlowStep, { type: 'wait' }>,
  tokens: Tokens,
  record: (activity: NewActivity) => void,
  depth: number,
): (lead: Lead) => Lead {
  switch (step.type) {
    case 'changeDataValue': {
      const leads = env.port('leads');
      const field = leads.catalog().find(step.attribute);
      if (!field || field.readOnly) return unchanged;
      const raw = typeof step.value === 'string' ? substitute(step.value, tokens) : step.value;
      const coerced = coerceFieldValue(field, raw);
      // A value its field cannot hold changes nothing (Marketo's flow step leaves the field as it was).
      if (!coerced.ok) return unchanged;
      const values = { [field.name]: coerced.value };
      const reason = `Smart campaign: ${campaign.name}`;
      return (lead) => {
        const changed = leads.changeFields(lead, values, env.origin, reason);
        changed.activities.forEach(record);
        return changed.lead;
      };
    }
    case 'addToList':
    case 'removeFromList': {
      const lists = env.port('staticLists');
      const list = lists.find(step.listId);
      if (!list) return unchanged;
      const adding = step.type === 'addToList';
      return (lead) => {
        // Only a lead whose membership changes records Add to List (24) or Remove from List (25).
        const changed = adding ? lists.add(list.id, lead.id) : lists.remove(list.id, lead.id);
        if (changed) {
          record({
            leadId: lead.id,
            partitionId: lead.partitionId,
            typeId: adding ? ACTIVITY.addToList : ACTIVITY.removeFromList,
            primaryAttributeValueId: list.id,
            primaryAttributeValue: list.name,
            attributes: [],
          });
        }
        return lead;
      };
    }
    case 'changeProgramStatus': {
      const programId = step.programId ?? campaign.programId;
      if (programId === null) return unchanged;
      const places = env.port('assetPlaces');
      const program = places.program(programId);
      const progression = places.progressionOf(programId);
      if (!program || !progression) return unchanged;
      const statusName = substitute(step.status, tokens);
      const reason = `Changed by Smart Campaign ${campaign.name}`;
      return (lead) => {
        env
          .port('programMembers')
          .changeStatus({ program, progression, lead, statusName, reason, campaignId: campaign.id }, record);
        return lead;
      };
    }
    case 'interestingMoment': {
      const description = substitute(step.description, tokens);
      return (lead) => {
        record({
          leadId: lead.id,
          partitionId: lead.partitionId,
          typeId: ACTIVITY.interestingMoment,
          primaryAttributeValueId: null,
          primaryAttributeValue: null,
          attributes: [
            { name: 'Type', value: step.momentType },
            { name: 'Description', value: description },
            { name: 'Source', value: 'Smart Campaign' },
          ],
        });
        return lead;
      };
    }
    case 'requestCampaign': {
      const target = env.repo.find(step.campaignId);
      // Only an active requestable trigger campaign runs when requested (smart-campaigns.md).
      if (!target || !isRequestable(target) || depth >= MAX_REQUEST_DEPTH) return unchanged;
      return (lead) => {
        record(requestActivity(target, lead, 'Marketo Flow Action', campaign.id));
        runFlow(env, target, [lead.id], 0, [], depth + 1);
        return env.port('leads').find(lead.id) ?? lead;
      };
    }
  }
}

/** A trigger campaign that is active and listens to "Campaign is Requested" (source Web Service API). */
export function isRequestable(campaign: Campaign): boolean {
  return campaign.type === 'trigger' && campaign.active && campaign.requestable;
}
