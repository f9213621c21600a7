import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatAssetDatetime } from '../../domain/datetime.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { requestIdValue } from '../../domain/record-ids.js';
import {
  booleanParam,
  folderRef,
  formBody,
  placedBrowseFilter,
  placedBrowseQuery,
  writeParams,
} from '../../engines/assets/params.js';
import { MARKETING_ACTIVITIES } from '../../engines/assets/places.js';
import {
  type AssetScope,
  assertWritable,
  businessRule,
  canSee,
  notFound,
  READ,
  scopeOf,
  WRITE,
} from '../../engines/assets/scope.js';
import { type PlacementRule, placeFor } from '../../engines/assets/versioned.js';
import type { FamilyRouteOptions } from '../../family.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import type { Campaign, CampaignRepository } from './repository.js';
import { includeRulesQuery, smartListRecordWithRules, smartListWithRulesEnvelope } from './smart-list-records.js';
import { EMPTY_RULES } from './smart-list-rules.js';

const tags = ['Marketo: Smart Campaigns'];

/**
 * Smart campaigns on the Asset API side (`/rest/asset/v1/smartCampaign…`): browse, by id, by name, create, update,
 * clone, delete, activate, deactivate, and the campaign's smart list; records in smart-campaigns.md's shape.
 * Decisions (README "Campaigns"): a campaign's smart list is a smart list of its own (smartListId, a smart list id as
 * smart-campaigns.md's answers show), its flow is numbered as the campaign (flowId); status is Active/Inactive for a
 * trigger campaign, Never Run or Single Run (it has run for a lead) for a batch one; activating a batch campaign, or
 * one whose trigger is not requestable and has no flow, is 709. Create makes a batch campaign with an empty smart
 * list and no flow (smart-campaigns.md's answer: type batch, Never Run); clone copies the type, the trigger, the
 * flow and the smart list's rules, inactive; names are unique in a folder or program (709); an active campaign is
 * deactivated before it is deleted (709).
 */

/** Where smart campaigns go: a Marketing Activities folder or a program (create's and clone's `folder`). */
const CAMPAIGN_PLACES: PlacementRule = { what: 'smart campaigns', programs: true, trees: [MARKETING_ACTIVITIES] };

const smartCampaignSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    type: z.enum(['batch', 'trigger']),
    isSystem: z.boolean(),
    isActive: z.boolean(),
    isRequestable: z.boolean(),
    recurrence: z.object({ weekdayOnly: z.boolean() }),
    qualificationRuleType: z.enum(['once', 'any', 'interval']),
    isCommunicationLimitEnabled: z.boolean(),
    smartListId: z.number().int(),
    flowId: z.number().int(),
    parentProgramId: z.number().int().optional(),
    folder: z.object({ id: z.number().int(), type: z.enum(['Folder', 'Program']) }),
    createdAt: z.string(),
    updatedAt: z.string(),
    workspace: z.string(),
    computedUrl: z.string(),
    status: z.enum(['Inactive', 'Active', 'Never Run', 'Single Run']),
  })
  .meta({
    id: 'SmartCampaignResponse',
    example: {
      id: 1076,
      name: 'Register',
      description: '',
      type: 'trigger',
      isSystem: false,
      isActive: true,
      isRequestable: true,
      recurrence: { weekdayOnly: false },
      qualificationRuleType: 'once',
      isCommunicationLimitEnabled: false,
      smartListId: 1076,
      flowId: 1076,
      parentProgramId: 1002,
      folder: { id: 1002, type: 'Program' },
      createdAt: '2026-12-01T09:30:00Z+0000',
      updatedAt: '2026-12-01T09:30:00Z+0000',
      workspace: 'Default',
      computedUrl: 'https://app-ab39.marketo.com/#SC1076A1',
      status: 'Active',
    },
  });
const smartCampaignEnvelope = envelopeOf(smartCampaignSchema);
const idEnvelope = envelopeOf(z.object({ id: z.number().int() }));

const idParams = z.object({ id: requestIdValue });
const browseQuery = placedBrowseQuery.extend({ isActive: booleanParam.optional() });
const byNameQuery = z.object({ name: z.string().min(1) });
const createParams = z.object({
  name: z.string().trim().min(1).max(255),
  folder: folderRef,
  description: z.string().max(2000).optional(),
});
const updateParams = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(2000).optional(),
});

function smartCampaignRecord(request: FastifyRequest, repo: CampaignRepository, campaign: Campaign) {
  const status =
    campaign.type === 'trigger'
      ? campaign.active
        ? ('Active' as const)
        : ('Inactive' as const)
      : repo.hasRun(campaign.id)
        ? ('Single Run' as const)
        : ('Never Run' as const);
  return {
    id: campaign.id,
    name: campaign.name,
    description: campaign.description,
    type: campaign.type,
    isSystem: false,
    isActive: campaign.active,
    isRequestable: campaign.type === 'trigger' && campaign.requestable,
    recurrence: { weekdayOnly: false },
    qualificationRuleType: 'once' as const,
    isCommunicationLimitEnabled: false,
    smartListId: repo.smartLists.ofCampaign(campaign.id)!.id,
    flowId: campaign.id,
    ...(campaign.programId !== null ? { parentProgramId: campaign.programId } : {}),
    folder:
      campaign.programId !== null
        ? { id: campaign.programId, type: 'Program' as const }
        : { id: campaign.folderId!, type: 'Folder' as const },
    createdAt: formatAssetDatetime(campaign.createdAt),
    updatedAt: formatAssetDatetime(campaign.updatedAt),
    workspace: campaign.workspaceName,
    computedUrl: `https://app-${request.ctx.config.POD}.marketo.com/#SC${campaign.id}A1`,
    status,
  };
}

export const smartCampaignAssetRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<CampaignRepository>> = async (
  app,
  { repo },
) => {
  const visible = (request: FastifyRequest, campaign: Campaign | undefined) =>
    campaign && canSee(scopeOf(request), campaign.workspaceId)
      ? [smartCampaignRecord(request, repo(request), campaign)]
      : [];

  app.get(
    '/rest/asset/v1/smartCampaigns.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Smart Campaigns',
        description:
          'Campaigns of the workspaces the caller can read, by id; `folder` ({"id":…,"type":"Folder"|"Program"}) ' +
          'keeps those directly in it; `earliestUpdatedAt`/`latestUpdatedAt`, `isActive`; `offset`/`maxReturn`.',
        querystring: browseQuery,
        response: { 200: smartCampaignEnvelope },
      },
    },
    async (request) => {
      const q = request.query;
      const campaigns = repo(request).browse({
        workspaceIds: [...scopeOf(request).readable],
        ...placedBrowseFilter(q),
        // "Set true to return only active campaigns. Default false" (swagger-asset.json): false filters nothing.
        ...(q.isActive === true ? { active: true } : {}),
      });
      return assetEnvelope(
        request.marketoRequestId(),
        campaigns.map((campaign) => smartCampaignRecord(request, repo(request), campaign)),
      );
    },
  );

  app.get(
    '/rest/asset/v1/smartCampaign/byName.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Smart Campaign by Name',
        querystring: byNameQuery,
        response: { 200: smartCampaignEnvelope },
      },
    },
    async (request) =>
      assetEnvelope(request.marketoRequestId(), visible(request, repo(request).byName(request.query.name))),
  );

  app.get(
    '/rest/asset/v1/smartCampaign/:id.json',
    {
      config: { permissions: READ },
      schema: { tags, summary: 'Get Smart Campaign by Id', params: idParams, response: { 200: smartCampaignEnvelope } },
    },
    async (request) =>
      assetEnvelope(request.marketoRequestId(), visible(request, repo(request).find(request.params.id))),
  );

  for (const [action, permission, summary, active] of [
    ['activate', 'activate-campaign', 'Activate Smart Campaign', true],
    ['deactivate', 'deactivate-campaign', 'Deactivate Smart Campaign', false],
  ] as const) {
    const permissions: readonly PermissionKey[] = [permission];
    app.post(
      `/rest/asset/v1/smartCampaign/:id/${action}.json`,
      {
        config: { permissions },
        schema: {
          tags,
          summary,
          description:
            'A trigger campaign of a workspace where the caller holds the permission; a batch campaign is 709, an ' +
            'unknown one 702.',
          params: idParams,
          response: { 200: idEnvelope },
        },
      },
      async (request) => {
        const campaigns = repo(request);
        const campaign = campaigns.find(request.params.id);
        // The per-workspace rule with this route's permission: absent where it is not held.
        const holding = new Set(request.access.workspacesHolding(permission));
        const scope = { readable: holding, writable: holding };
        if (!campaign) notFound(scope, 'Smart campaign', request.params.id, undefined);
        if (!holding.has(campaign!.workspaceId)) notFound(scope, 'Smart campaign', campaign!.id, campaign!.workspaceId);
        if (campaign!.type === 'batch') throw businessRule(DETAIL_MESSAGES.batchCampaignActivation, campaign!.id);
        if (active && campaign!.flow.length === 0) throw businessRule(DETAIL_MESSAGES.emptyFlow, campaign!.id);
        if (campaign!.active !== active) campaigns.update(campaign!.id, { ...campaign!, active });
        return assetEnvelope(request.marketoRequestId(), [{ id: campaign!.id }]);
      },
    );
  }

  /** The campaign a write names: 702 when unknown, 603 where the caller cannot write. */
  const writable = (campaigns: CampaignRepository, scope: AssetScope, id: number): Campaign => {
    const campaign = campaigns.find(id);
    if (!campaign) notFound(scope, 'Smart campaign', id, undefined);
    assertWritable(scope, campaign!.workspaceId);
    return campaign!;
  };
  const assertNameFree = (
    campaigns: CampaignRepository,
    place: { programId: number | null; folderId: number | null },
    name: string,
    except?: number,
  ) => {
    const clash = campaigns.nameInPlace(place, name);
    if (clash !== undefined && clash !== except)
      throw businessRule(DETAIL_MESSAGES.duplicateCampaignName, name, place.programId ?? place.folderId!);
  };

  app.get(
    '/rest/asset/v1/smartCampaign/:id/smartList.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Smart List by Smart Campaign Id',
        description:
          "The campaign's own smart list: what a scheduled run qualifies; `includeRules=true` adds its rules.",
        params: idParams,
        querystring: includeRulesQuery,
        response: { 200: smartListWithRulesEnvelope },
      },
    },
    async (request) => {
      const campaigns = repo(request);
      const campaign = campaigns.find(request.params.id);
      const own =
        campaign && canSee(scopeOf(request), campaign.workspaceId)
          ? campaigns.smartLists.ofCampaign(campaign.id)
          : undefined;
      return assetEnvelope(
        request.marketoRequestId(),
        own ? [smartListRecordWithRules(request, own, request.query.includeRules)] : [],
      );
    },
  );

  app.post(
    '/rest/asset/v1/smartCampaigns.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Create Smart Campaign',
        description:
          'Form parameters `name` (unique in its folder or program), `folder` ({"id":…,"type":"Folder"|"Program"}: ' +
          'a Marketing Activities folder or a program), `description`. A batch campaign with an empty smart list.',
        body: formBody(createParams),
        response: { 200: smartCampaignEnvelope },
      },
    },
    async (request) => {
      const campaigns = repo(request);
      const input = writeParams(createParams, request);
      const place = placeFor(request.ctx.port('assetPlaces'), scopeOf(request), input.folder, CAMPAIGN_PLACES);
      const id = request.ctx.transaction(() => {
        assertNameFree(campaigns, place, input.name);
        return campaigns.create(
          {
            workspaceId: place.workspaceId,
            programId: place.programId,
            folderId: place.folderId,
            name: input.name,
            ...(input.description !== undefined ? { description: input.description } : {}),
            type: 'batch',
            active: false,
            requestable: false,
            flow: [],
          },
          { rules: EMPTY_RULES },
        );
      });
      return assetEnvelope(request.marketoRequestId(), [smartCampaignRecord(request, campaigns, campaigns.find(id)!)]);
    },
  );

  app.post(
    '/rest/asset/v1/smartCampaign/:id.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Smart Campaign',
        description: 'Form parameters `name` (unique in its folder or program), `description`.',
        params: idParams,
        body: formBody(updateParams),
        response: { 200: smartCampaignEnvelope },
      },
    },
    async (request) => {
      const campaigns = repo(request);
      const input = writeParams(updateParams, request);
      const campaign = writable(campaigns, scopeOf(request), request.params.id);
      request.ctx.transaction(() => {
        if (input.name !== undefined) assertNameFree(campaigns, campaign, input.name, campaign.id);
        campaigns.describe(campaign.id, input.name ?? campaign.name, input.description ?? campaign.description);
      });
      return assetEnvelope(request.marketoRequestId(), [
        smartCampaignRecord(request, campaigns, campaigns.find(campaign.id)!),
      ]);
    },
  );

  app.post(
    '/rest/asset/v1/smartCampaign/:id/clone.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Clone Smart Campaign',
        description:
          'Form parameters `name`, `folder` ({"id":…,"type":"Folder"|"Program"}), `description`. The clone has the ' +
          "campaign's type, trigger, flow and smart list rules, and is inactive.",
        params: idParams,
        body: formBody(createParams),
        response: { 200: smartCampaignEnvelope },
      },
    },
    async (request) => {
      const campaigns = repo(request);
      const input = writeParams(createParams, request);
      const scope = scopeOf(request);
      const source = campaigns.find(request.params.id);
      // The campaign cloned must be one the caller can read (else unknown, 702).
      if (!source || !canSee(scope, source.workspaceId))
        throw new MarketoError(
          '702',
          formatMessage(DETAIL_MESSAGES.assetNotFound, 'Smart campaign', request.params.id),
        );
      const place = placeFor(request.ctx.port('assetPlaces'), scope, input.folder, CAMPAIGN_PLACES);
      const id = request.ctx.transaction(() => {
        assertNameFree(campaigns, place, input.name);
        return campaigns.create(
          {
            workspaceId: place.workspaceId,
            programId: place.programId,
            folderId: place.folderId,
            name: input.name,
            description: input.description ?? source.description,
            type: source.type,
            active: false,
            requestable: source.requestable,
            flow: source.flow,
          },
          { rules: campaigns.smartLists.ofCampaign(source.id)?.rules ?? EMPTY_RULES },
        );
      });
      return assetEnvelope(request.marketoRequestId(), [smartCampaignRecord(request, campaigns, campaigns.find(id)!)]);
    },
  );

  app.post(
    '/rest/asset/v1/smartCampaign/:id/delete.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Delete Smart Campaign',
        description:
          'Its smart list and the record of the leads it ran for go with it; an active campaign is 709 (deactivate it).',
        params: idParams,
        response: { 200: idEnvelope },
      },
    },
    async (request) => {
      const campaigns = repo(request);
      const campaign = writable(campaigns, scopeOf(request), request.params.id);
      if (campaign.active) throw businessRule(DETAIL_MESSAGES.activeCampaignDelete, campaign.id);
      campaigns.delete(campaign.id);
      return assetEnvelope(request.marketoRequestId(), [{ id: campaign.id }]);
    },
  );
};
