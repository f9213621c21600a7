import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WEB_SERVICE_API, type WriteOrigin } from '../../domain/activity-log.js';
import { formatDatetime, parseUserManagementDatetime } from '../../domain/datetime.js';
import { ConflictError, InvalidInputError, MarketoError, NotFoundError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { requestIdValue, seedId } from '../../domain/record-ids.js';
import { MAX_BATCH } from '../../domain/results.js';
import { defineJob, type JobStepContext, type Jobs } from '../../engines/jobs/kinds.js';
import { MARKETING_ACTIVITIES } from '../../engines/assets/places.js';
import { defineFamily, type FamilyRouteOptions, type SeedLoadContext } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import { commaList, envelopeOf } from '../../http/marketo-schemas.js';
import { problemResponses } from '../../http/problem.js';
import type { PortName, Ports } from '../../ports.js';
import {
  type FlowEnvironment,
  flowSchema,
  isRequestable,
  leadsInReach,
  requestActivity,
  runFlow,
  runFlowFor,
} from './flow.js';
import { rulesRecord } from './smart-list-records.js';
import { declarationOf, declaredSmartList, EMPTY_RULES, qualifiedLeads, rulesOfDeclared } from './smart-list-rules.js';
import { smartLists } from './smart-lists.js';
import { migrations } from './migrations.js';
import { smartCampaignAssetRoutes } from './asset-routes.js';
import { type Campaign, type CampaignMembership, CampaignRepository } from './repository.js';
import { keyedAfter, readableLead, tokenPage, updatedWithin } from '../../http/reads.js';

const READ: readonly PermissionKey[] = ['read-only-campaign', 'read-write-campaign'];
const EXECUTE: readonly PermissionKey[] = ['execute-campaign'];
const tags = ['Marketo: Campaigns'];

/**
 * Decisions (issue 26, README "Campaigns"), in one place:
 * - a campaign is visible to the reads where the caller holds Read-Only or Read-Write Campaign in its workspace;
 *   elsewhere it is unknown (1013);
 * - Request and Schedule need Execute Campaign in the campaign's workspace: an unknown campaign is 1013, one in a
 *   workspace where the caller lacks it 603;
 * - a requested lead the campaign cannot act on (unknown, or in a partition its workspace does not see) is skipped
 *   silently, as Marketo does: the call still answers the campaign's id;
 * - Request Campaign runs the flow before answering (Marketo queues it and runs it within seconds): the next read
 *   shows what the flow did; a Wait step hands the rest of the flow to a job on the clock;
 * - Schedule Campaign runs the batch flow over the smart list when the clock reaches runAt (default now + 5
 *   minutes); a runAt in the past or more than two years ahead is 1042. cloneToProgramName is refused (1003): the
 *   fake does not clone a program from a schedule.
 */

/** ≤ 100 leads and ≤ 100 tokens per Request Campaign (smart-campaigns.md). */
const MAX_REQUEST_LEADS = 100;
const MAX_TOKENS = 100;
/** Schedule Campaign's runAt: default five minutes on, at most two years on (smart-campaigns.md; error 1042). */
const DEFAULT_RUN_DELAY_MS = 5 * 60_000;
const MAX_RUN_AHEAD_MS = 2 * 366 * 24 * 3_600_000;
/** Leads a scheduled run takes per step of its job (a step stays a few milliseconds). */
const RUN_CHUNK = 200;

const campaignSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().optional(),
    type: z.enum(['batch', 'trigger']),
    programName: z.string().optional(),
    programId: z.number().int().optional(),
    workspaceName: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    active: z.boolean().optional(),
  })
  .meta({
    id: 'Campaign',
    example: {
      id: 1001,
      name: 'Welcome',
      description: '',
      type: 'trigger',
      programName: 'Onboarding',
      programId: 1002,
      workspaceName: 'Default',
      createdAt: '2026-12-01T09:30:00Z',
      updatedAt: '2026-12-01T09:30:00Z',
      active: true,
    },
  });
const campaignEnvelope = envelopeOf(campaignSchema);
const idEnvelope = envelopeOf(z.object({ id: z.number().int() }));

const campaignsQuery = z.object({
  id: commaList(requestIdValue).optional().describe('Campaign ids, comma-separated'),
  name: commaList(z.string()).optional().describe('Campaign names, comma-separated'),
  programName: commaList(z.string()).optional().describe('Program names, comma-separated'),
  workspaceName: commaList(z.string()).optional().describe('Workspace names, comma-separated'),
  isTriggerable: z
    .enum(['true', 'false'])
    .optional()
    .describe('Only active trigger campaigns listening to Campaign is Requested (true), or the others'),
  batchSize: z.coerce.number().int().min(1).max(MAX_BATCH).default(MAX_BATCH),
  nextPageToken: z.string().optional(),
});
const campaignParams = z.object({ campaignId: requestIdValue });
/** A token's value: at most 10,000 characters (decision; flow.ts bounds what a filled-in text can grow to). */
const MAX_TOKEN_VALUE = 10_000;
const token = z.object({ name: z.string().min(1).max(100), value: z.string().max(MAX_TOKEN_VALUE) });
const triggerBody = z
  .object({
    input: z.object({
      leads: z.array(z.object({ id: requestIdValue })).min(1),
      tokens: z.array(token).optional(),
    }),
  })
  .meta({
    example: {
      input: { leads: [{ id: 40 }], tokens: [{ name: '{{my.message}}', value: 'Hello' }] },
    },
  });
const scheduleBody = z
  .object({
    input: z
      .object({
        runAt: z
          .string()
          .optional()
          .describe('ISO 8601 with an offset: 2026-03-28T18:05:00Z, or +0000 as smart-campaigns.md writes it'),
        tokens: z.array(token).optional(),
        cloneToProgramName: z.string().min(1).optional(),
      })
      .optional(),
  })
  .meta({ example: { input: { runAt: '2026-12-01T10:00:00Z', tokens: [{ name: '{{my.message}}', value: 'Hi' }] } } })
  .nullish();

const leadParams = z.object({ leadId: requestIdValue });
const membershipQuery = z.object({
  earliestUpdatedAt: z.iso.datetime({ offset: true }).optional(),
  latestUpdatedAt: z.iso.datetime({ offset: true }).optional(),
  batchSize: z.coerce.number().int().min(1).max(MAX_BATCH).default(MAX_BATCH),
  nextPageToken: z.string().optional(),
});
const membershipEnvelope = envelopeOf(
  z
    .object({ smartCampaignId: z.number().int(), createdAt: z.string(), updatedAt: z.string() })
    .meta({ id: 'SmartCampaignMembership' }),
);

function campaignRecord(campaign: Campaign): z.infer<typeof campaignSchema> {
  return {
    id: campaign.id,
    name: campaign.name,
    description: campaign.description,
    type: campaign.type,
    ...(campaign.programId !== null ? { programName: campaign.programName!, programId: campaign.programId } : {}),
    workspaceName: campaign.workspaceName,
    createdAt: formatDatetime(campaign.createdAt),
    updatedAt: formatDatetime(campaign.updatedAt),
    active: campaign.active,
  };
}

const notFound = (): MarketoError => new MarketoError('1013', marketoMessage('1013'));

function readableWorkspaces(request: FastifyRequest): Set<number> {
  return new Set(READ.flatMap((key) => request.access.workspacesHolding(key)));
}

/** A campaign Request or Schedule may run: 1013 when unknown, 603 without Execute Campaign in its workspace. */
function executableCampaign(request: FastifyRequest, repo: CampaignRepository, id: number): Campaign {
  const campaign = repo.find(id);
  if (!campaign) throw notFound();
  if (!request.access.workspacesHolding('execute-campaign').includes(campaign.workspaceId))
    throw new MarketoError('603', marketoMessage('603'));
  return campaign;
}

function originOf(request: FastifyRequest): WriteOrigin {
  return { requestId: request.marketoRequestId(), user: request.principal?.user.email ?? '' };
}

/** A run's requested tokens, as the call gave them (the program's My Tokens are read when the run goes on). */
const requestedTokens = z.array(token).max(MAX_TOKENS);

const resumePayload = z.object({
  campaignId: z.number().int(),
  leadIds: z.array(z.number().int()).max(1000),
  step: z.number().int().min(0),
  tokens: requestedTokens,
  user: z.string(),
});
const runPayload = z.object({
  campaignId: z.number().int(),
  tokens: requestedTokens,
  afterLeadId: z.number().int().min(0),
  user: z.string(),
});

interface StepPorts {
  port<K extends PortName>(name: K): Ports[K];
  jobs: Jobs;
}

/** The flow's environment in a request or a job step; a Wait schedules the rest at `now` + its minutes. */
function environment(repo: CampaignRepository, ports: StepPorts, origin: WriteOrigin, now: number): FlowEnvironment {
  return {
    repo,
    port: (name) => ports.port(name),
    origin,
    resumeLater: ({ campaignId, leadIds, step, minutes, requested }) => {
      ports.jobs.schedule(flowResumeJob, {
        state: 'Waiting',
        dueAt: now + minutes * 60_000,
        payload: { campaignId, leadIds, step, tokens: [...requested], user: origin.user },
      });
    },
  };
}

/** The rest of a flow after a Wait, for the leads that reached it. */
const flowResumeJob = defineJob({
  payload: resumePayload,
  step(job, context: JobStepContext<CampaignRepository>) {
    const campaign = context.repo.find(job.payload.campaignId);
    if (campaign) {
      const env = environment(context.repo, context, { requestId: '', user: job.payload.user }, job.dueAt);
      runFlow(env, campaign, job.payload.leadIds, job.payload.step, job.payload.tokens);
    }
    return { state: 'Completed', dueAt: null };
  },
});

/** A batch campaign's scheduled run: its smart list's leads, a chunk per step, from runAt on. */
const scheduledRunJob = defineJob({
  payload: runPayload,
  step(job, context: JobStepContext<CampaignRepository>) {
    const campaign = context.repo.find(job.payload.campaignId);
    if (!campaign) return { state: 'Completed', dueAt: null };
    const qualified = smartListLeads(context, context.repo, campaign).filter((id) => id > job.payload.afterLeadId);
    const chunk = qualified.slice(0, RUN_CHUNK);
    const env = environment(context.repo, context, { requestId: '', user: job.payload.user }, job.dueAt);
    runFlow(env, campaign, chunk, 0, job.payload.tokens);
    if (qualified.length > RUN_CHUNK) {
      return { state: 'Running', dueAt: job.dueAt, payload: { ...job.payload, afterLeadId: chunk.at(-1)! } };
    }
    return { state: 'Completed', dueAt: null };
  },
});

/**
 * The leads a batch campaign's smart list qualifies, in id order: its own smart list's rules (the data Get Smart List
 * by Smart Campaign Id reads), evaluated where the fake can (smart-list-rules.ts); rules it cannot evaluate qualify
 * nobody.
 */
function smartListLeads(ports: Pick<StepPorts, 'port'>, repo: CampaignRepository, campaign: Campaign): number[] {
  return qualifiedLeads(ports, repo.smartLists.ofCampaign(campaign.id)?.rules ?? EMPTY_RULES) ?? [];
}

const campaignRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<CampaignRepository>> = async (app, { repo }) => {
  app.get(
    '/rest/v1/campaigns.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Campaigns',
        description: 'Campaigns in workspaces where the caller holds Read-Only or Read-Write Campaign; token paging.',
        querystring: campaignsQuery,
        response: { 200: campaignEnvelope },
      },
    },
    async (request) => {
      const { id, name, programName, workspaceName, isTriggerable, batchSize } = request.query;
      const filter = {
        workspaceIds: [...readableWorkspaces(request)],
        ...(id ? { ids: id } : {}),
        ...(name ? { names: name } : {}),
        ...(programName ? { programNames: programName } : {}),
        ...(workspaceName ? { workspaceNames: workspaceName } : {}),
        ...(isTriggerable !== undefined ? { triggerable: isTriggerable === 'true' } : {}),
      };
      return tokenPage(
        request,
        request.query,
        ['campaigns', id, name, programName, workspaceName, isTriggerable, batchSize],
        (afterId, limit) => repo(request).page(filter, afterId, limit),
        (campaign) => campaign.id,
        campaignRecord,
      );
    },
  );

  app.get(
    '/rest/v1/campaigns/:campaignId.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Campaign By Id',
        description: 'An unknown campaign, or one in a workspace the caller cannot read, is 1013.',
        params: campaignParams,
        response: { 200: campaignEnvelope },
      },
    },
    async (request) => {
      const campaign = repo(request).find(request.params.campaignId);
      if (!campaign || !readableWorkspaces(request).has(campaign.workspaceId)) throw notFound();
      return successEnvelope(request.marketoRequestId(), [campaignRecord(campaign)]);
    },
  );

  app.get(
    '/rest/v1/leads/:leadId/smartCampaignMembership.json',
    {
      config: { permissions: ['read-only-assets'] },
      schema: {
        tags,
        summary: 'Get Smart Campaigns by Lead Id',
        description:
          'The campaigns that ran for the lead, in workspaces where the caller holds Read-Only Assets; ' +
          'earliestUpdatedAt/latestUpdatedAt bound updatedAt; an unseen lead is 1004.',
        params: leadParams,
        querystring: membershipQuery,
        response: { 200: membershipEnvelope },
      },
    },
    async (request) => {
      const lead = readableLead(request, request.params.leadId);
      const { earliestUpdatedAt, latestUpdatedAt } = request.query;
      const within = updatedWithin(request.query);
      const workspaces = new Set(request.access.workspacesHolding('read-only-assets'));
      const memberships = repo(request)
        .membershipsOf(lead.id)
        .filter((m) => within(m.updatedAt) && workspaces.has(m.workspaceId));
      const keyOf = (m: CampaignMembership) => m.campaignId;
      return tokenPage(
        request,
        request.query,
        ['smartCampaignMembership', lead.id, earliestUpdatedAt, latestUpdatedAt, request.query.batchSize],
        keyedAfter(memberships, keyOf),
        keyOf,
        (m) => ({
          smartCampaignId: m.campaignId,
          createdAt: formatDatetime(m.createdAt),
          updatedAt: formatDatetime(m.updatedAt),
        }),
      );
    },
  );

  app.post(
    '/rest/v1/campaigns/:campaignId/trigger.json',
    {
      config: { permissions: EXECUTE },
      schema: {
        tags,
        summary: 'Request Campaign',
        description:
          'Runs an active trigger campaign listening to Campaign is Requested for up to 100 leads, with up to 100 ' +
          'tokens over its program My Tokens; a batch or inactive campaign is 1003.',
        params: campaignParams,
        body: triggerBody,
        response: { 200: idEnvelope },
      },
    },
    async (request) => {
      const { ctx } = request;
      const campaigns = repo(request);
      const campaign = executableCampaign(request, campaigns, request.params.campaignId);
      const { leads, tokens = [] } = request.body.input;
      if (leads.length > MAX_REQUEST_LEADS)
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.tooManyCampaignItems, 'leads', MAX_REQUEST_LEADS));
      if (tokens.length > MAX_TOKENS)
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.tooManyCampaignItems, 'tokens', MAX_TOKENS));
      if (campaign.type === 'batch')
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.batchCampaign, campaign.id));
      if (!isRequestable(campaign))
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.campaignNotTriggerable, campaign.id));
      ctx.transaction(() => {
        const env = environment(
          campaigns,
          { port: (name) => ctx.port(name), jobs: ctx.jobs },
          originOf(request),
          ctx.clock.now(),
        );
        const requested = leadsInReach(env, campaign, [...new Set(leads.map((lead) => lead.id))]);
        if (requested.length === 0) return;
        ctx.port('activityLog').record(requested.map((lead) => requestActivity(campaign, lead, WEB_SERVICE_API, null)));
        runFlowFor(env, campaign, requested, 0, tokens);
      });
      return successEnvelope(request.marketoRequestId(), [{ id: campaign.id }]);
    },
  );

  app.post(
    '/rest/v1/campaigns/:campaignId/schedule.json',
    {
      config: { permissions: EXECUTE },
      schema: {
        tags,
        summary: 'Schedule Campaign',
        description:
          'Runs a batch campaign over its smart list at runAt (default in five minutes; past or beyond two years is ' +
          '1042), with tokens over its program My Tokens.',
        params: campaignParams,
        body: scheduleBody,
        response: { 200: idEnvelope },
      },
    },
    async (request) => {
      const { ctx } = request;
      const campaign = executableCampaign(request, repo(request), request.params.campaignId);
      const input = request.body?.input ?? {};
      const tokens = input.tokens ?? [];
      if (tokens.length > MAX_TOKENS)
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.tooManyCampaignItems, 'tokens', MAX_TOKENS));
      if (campaign.type === 'trigger')
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.notBatchCampaign, campaign.id));
      if (input.cloneToProgramName !== undefined)
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.cloneNotSupported));
      const now = ctx.clock.now();
      const runAt = input.runAt !== undefined ? parseUserManagementDatetime(input.runAt) : now + DEFAULT_RUN_DELAY_MS;
      if (runAt === undefined)
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidParameter, 'runAt', input.runAt!));
      if (runAt < now || runAt > now + MAX_RUN_AHEAD_MS)
        throw new MarketoError('1042', DETAIL_MESSAGES.runAtOutOfRange);
      ctx.jobs.schedule(scheduledRunJob, {
        state: 'Scheduled',
        dueAt: runAt,
        payload: {
          campaignId: campaign.id,
          tokens,
          afterLeadId: 0,
          user: originOf(request).user,
        },
      });
      return successEnvelope(request.marketoRequestId(), [{ id: campaign.id }]);
    },
  );
};

/** A campaign as a seed or the admin plane declares it: where it sits, what listens, whom it takes, what it does. */
const campaignSeed = z.strictObject({
  id: seedId.optional(),
  name: z.string().trim().min(1).max(255),
  description: z.string().max(2000).optional(),
  type: z.enum(['batch', 'trigger']),
  program: z
    .union([seedId, z.string().min(1)])
    .optional()
    .describe('Its program: id or name'),
  folder: z
    .union([seedId, z.string().min(1)])
    .optional()
    .describe('Or its Marketing Activities folder: id or path'),
  active: z.boolean().default(false),
  requestable: z
    .boolean()
    .default(true)
    .describe('A trigger campaign listens to "Campaign is Requested", source Web Service API'),
  smartList: declaredSmartList
    .default({})
    .describe('Its smart list: rules as Get Smart List by Id reads them, or {"memberOfList", "leadIds"}'),
  smartListId: seedId.optional().describe("Its smart list's id (snapshots keep it)"),
  flow: flowSchema.default([]),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  updatedAt: z.iso.datetime({ offset: true }).optional(),
  members: z
    .array(
      z.strictObject({
        leadId: seedId,
        createdAt: z.iso.datetime({ offset: true }).optional(),
        updatedAt: z.iso.datetime({ offset: true }).optional(),
      }),
    )
    .optional()
    .describe('The leads it has run for (Get Smart Campaigns by Lead Id)'),
});
type CampaignSeed = z.infer<typeof campaignSeed>;

type Placement = { workspaceId: number; programId?: number; folderId?: number };

/** Where a campaign goes; `problem` names why not (a seed's fail, the admin plane's 400). */
function placementOf(
  places: Ports['assetPlaces'],
  item: Pick<CampaignSeed, 'program' | 'folder'>,
  problem: (path: string, message: string) => never,
): Placement {
  if ((item.program === undefined) === (item.folder === undefined))
    problem('program', 'a campaign sits in exactly one program or folder');
  if (item.program !== undefined) {
    const program =
      typeof item.program === 'number' ? places.program(item.program) : places.programByName(item.program);
    if (!program) problem('program', `no program ${JSON.stringify(item.program)}`);
    return { workspaceId: program!.workspaceId, programId: program!.id };
  }
  const folder =
    typeof item.folder === 'number'
      ? places.folder(item.folder)
      : places.folderPaths().get(String(item.folder).replace(/\/+$/, '').toLowerCase());
  if (!folder || folder.treeRoot || folder.tree !== MARKETING_ACTIVITIES)
    problem('folder', `no Marketing Activities folder ${JSON.stringify(item.folder)}`);
  return { workspaceId: folder!.workspaceId, folderId: folder!.id };
}

const flowChange = z.strictObject({
  active: z.boolean().optional(),
  requestable: z.boolean().optional(),
  smartList: declaredSmartList.optional(),
  flow: flowSchema.optional(),
});
const adminCampaign = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.enum(['batch', 'trigger']),
  workspace: z.string(),
  programId: z.number().int().nullable(),
  folderId: z.number().int().nullable(),
  active: z.boolean(),
  requestable: z.boolean(),
  smartListId: z.number().int(),
  smartList: rulesRecord,
  flow: flowSchema,
});
const adminParams = z.object({ campaignId: z.coerce.number().int().min(1) });
const adminTags = ['Campaigns'];

function adminRecord(repo: CampaignRepository, campaign: Campaign): z.infer<typeof adminCampaign> {
  const own = repo.smartLists.ofCampaign(campaign.id)!;
  return {
    id: campaign.id,
    name: campaign.name,
    type: campaign.type,
    workspace: campaign.workspaceName,
    programId: campaign.programId,
    folderId: campaign.folderId,
    active: campaign.active,
    requestable: campaign.requestable,
    smartListId: own.id,
    smartList: own.rules,
    flow: campaign.flow,
  };
}

/** The admin plane: declare a campaign, and change what it does (Marketo's API cannot write a flow). */
const campaignAdminRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<CampaignRepository>> = async (app, { repo }) => {
  app.post(
    '/campaigns',
    {
      schema: {
        tags: adminTags,
        summary: 'Declare a smart campaign with its flow (and, for a batch campaign, its smart list)',
        body: campaignSeed,
        response: { 201: adminCampaign, ...problemResponses },
      },
    },
    async (request, reply) => {
      const places = request.ctx.port('assetPlaces');
      const body = request.body;
      const place = placementOf(places, body, (path, message) => {
        throw new InvalidInputError(message, [{ path, message }]);
      });
      const campaigns = repo(request);
      if (body.id !== undefined && campaigns.find(body.id)) throw new ConflictError(`campaign ${body.id} exists`);
      if (body.smartListId !== undefined && campaigns.smartLists.find(body.smartListId))
        throw new ConflictError(`smart list ${body.smartListId} exists`);
      const id = request.ctx.transaction(() =>
        campaigns.create(
          {
            ...place,
            id: body.id ?? null,
            name: body.name,
            ...(body.description !== undefined ? { description: body.description } : {}),
            type: body.type,
            active: body.active,
            requestable: body.requestable,
            flow: body.flow,
          },
          { id: body.smartListId ?? null, rules: rulesOfDeclared(body.smartList) },
        ),
      );
      return reply.code(201).send(adminRecord(campaigns, campaigns.find(id)!));
    },
  );

  app.patch(
    '/campaigns/:campaignId',
    {
      schema: {
        tags: adminTags,
        summary: 'Change what a campaign does: active, requestable, smart list, flow',
        params: adminParams,
        body: flowChange,
        response: { 200: adminCampaign, ...problemResponses },
      },
    },
    async (request) => {
      const campaigns = repo(request);
      const campaign = campaigns.find(request.params.campaignId);
      if (!campaign) throw new NotFoundError('campaign', request.params.campaignId);
      const { smartList, ...change } = request.body;
      request.ctx.transaction(() =>
        campaigns.update(
          campaign.id,
          { ...campaign, ...change },
          smartList !== undefined ? rulesOfDeclared(smartList) : undefined,
        ),
      );
      return adminRecord(campaigns, campaigns.find(campaign.id)!);
    },
  );
};

/** A campaign's own smart list in seed form (its id kept). */
function ownSmartList(repo: CampaignRepository, campaignId: number): Pick<CampaignSeed, 'smartListId' | 'smartList'> {
  const own = repo.smartLists.ofCampaign(campaignId)!;
  return { smartListId: own.id, smartList: declarationOf(own.rules) };
}

function loadCampaigns(repo: CampaignRepository, items: readonly CampaignSeed[], context: SeedLoadContext): void {
  const places = context.port('assetPlaces');
  const leads = context.port('leads');
  items.forEach((item, i) => {
    const path = `[${i}]`;
    const place = placementOf(places, item, (at, message) => context.fail(`${path}.${at}`, message));
    const createdAt = context.time(item.createdAt);
    const id = context.unique(path, () =>
      repo.create(
        {
          ...place,
          id: item.id ?? null,
          name: item.name,
          ...(item.description !== undefined ? { description: item.description } : {}),
          type: item.type,
          active: item.active,
          requestable: item.requestable,
          flow: item.flow,
          createdAt,
          updatedAt: context.time(item.updatedAt, createdAt),
        },
        { id: item.smartListId ?? null, rules: rulesOfDeclared(item.smartList) },
      ),
    );
    (item.members ?? []).forEach((member, j) => {
      if (!leads.find(member.leadId)) context.fail(`${path}.members[${j}].leadId`, `no lead with id ${member.leadId}`);
      const joined = context.time(member.createdAt);
      context.unique(`${path}.members[${j}]`, () =>
        repo.loadMember(id, {
          leadId: member.leadId,
          createdAt: joined,
          updatedAt: context.time(member.updatedAt, joined),
        }),
      );
    });
  });
}

/** Smart campaigns as the lead database shows them, Request and Schedule, and the flows they run (issue 26). */
export const campaigns = defineFamily({
  key: 'campaigns',
  tables: ['campaigns', 'campaign_members'],
  wireFormat: ['lead-database', 'asset'],
  migrations,
  repository: ({ db, clock, core, repo }) => new CampaignRepository(db, clock, core, repo(smartLists)),
  onCoreEvents: (repo) => ({ leadMerging: (loserId, winnerId) => repo.moveMembers(loserId, winnerId) }),
  jobs: { flowResume: flowResumeJob, scheduledRun: scheduledRunJob },
  seed: {
    item: campaignSeed as unknown as z.ZodType<CampaignSeed>,
    load: loadCampaigns,
    snapshot: (repo) =>
      repo.all().map((campaign): CampaignSeed => ({
        id: campaign.id,
        name: campaign.name,
        ...(campaign.description ? { description: campaign.description } : {}),
        type: campaign.type,
        ...(campaign.programId !== null ? { program: campaign.programId } : { folder: campaign.folderId! }),
        active: campaign.active,
        requestable: campaign.requestable,
        ...ownSmartList(repo, campaign.id),
        flow: campaign.flow,
        createdAt: new Date(campaign.createdAt).toISOString(),
        updatedAt: new Date(campaign.updatedAt).toISOString(),
        members: repo.membersOf(campaign.id).map((member) => ({
          leadId: member.leadId,
          createdAt: new Date(member.createdAt).toISOString(),
          updatedAt: new Date(member.updatedAt).toISOString(),
        })),
      })),
    example: [
      {
        name: 'Welcome',
        type: 'trigger',
        program: 'Spring Launch',
        active: true,
        flow: [
          { type: 'changeDataValue', attribute: 'middleName', value: '{{my.Date}}' },
          { type: 'changeProgramStatus', status: 'Registered' },
          { type: 'wait', minutes: 60 },
          { type: 'interestingMoment', momentType: 'Milestone', description: 'Welcomed' },
        ],
      },
      {
        name: 'Nightly',
        type: 'batch',
        folder: '/Marketing Activities/Contract/Webinars',
        smartList: { leadIds: [40] },
        members: [{ leadId: 40, createdAt: '2026-03-02T00:00:00Z' }],
      },
    ],
  },
  marketoRoutes: async (app, options) => {
    await app.register(campaignRoutes, options);
    await app.register(smartCampaignAssetRoutes, options);
  },
  adminRoutes: campaignAdminRoutes,
});
