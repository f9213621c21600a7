import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatAssetDatetime } from '../../domain/datetime.js';
import { DETAIL_MESSAGES } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { requestIdValue } from '../../domain/record-ids.js';
import { booleanParam, datetimeParam, folderRef, pagingShape } from '../../engines/assets/params.js';
import { businessRule, canSee, notFound, READ, scopeOf } from '../../engines/assets/scope.js';
import type { FamilyRouteOptions } from '../../family.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import type { Campaign, CampaignRepository } from './repository.js';

const tags = ['Marketo: Smart Campaigns'];

/**
 * Smart campaigns on the Asset API side (`/rest/asset/v1/smartCampaign…`): browse, by id, by name, activate,
 * deactivate; records in smart-campaigns.md's shape. Decisions (README "Campaigns"): a campaign's smart list and flow
 * are numbered as the campaign (smartListId, flowId); status is Active/Inactive for a trigger campaign, Never Run or
 * Single Run (it has run for a lead) for a batch one; activating a batch campaign, or one whose trigger is not
 * requestable and has no flow, is 709.
 */

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
const browseQuery = z.object({
  folder: folderRef.optional(),
  earliestUpdatedAt: datetimeParam,
  latestUpdatedAt: datetimeParam,
  isActive: booleanParam.optional(),
  ...pagingShape,
});
const byNameQuery = z.object({ name: z.string().min(1) });

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
    smartListId: campaign.id,
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
        ...(q.folder?.type === 'Folder' ? { folderId: q.folder.id } : {}),
        ...(q.folder?.type === 'Program' ? { programId: q.folder.id } : {}),
        ...(q.earliestUpdatedAt !== undefined ? { earliest: q.earliestUpdatedAt } : {}),
        ...(q.latestUpdatedAt !== undefined ? { latest: q.latestUpdatedAt } : {}),
        ...(q.isActive !== undefined ? { active: q.isActive } : {}),
        offset: q.offset,
        limit: q.maxReturn,
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
};
