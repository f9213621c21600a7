import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatAssetDatetime } from '../../domain/datetime.js';
import { booleanParam } from '../../engines/assets/params.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import type { SmartList } from './smart-list-repository.js';

/**
 * Smart list records as the Asset API answers them (smart-lists.md; swagger-asset.json's SmartListResponse and
 * SmartListResponseWithRules): shared by the smart list routes and Get Smart List by Smart Campaign Id.
 */

const conditionRecord = z.object({
  activityAttributeId: z.number().int(),
  activityAttributeName: z.string(),
  operator: z.string(),
  values: z.array(z.string()),
  isPrimary: z.boolean(),
});
const filterRecord = z.object({
  id: z.number().int(),
  name: z.string(),
  ruleTypeId: z.number().int(),
  ruleType: z.string(),
  operator: z.string(),
  conditions: z.array(conditionRecord),
});
export const rulesRecord = z
  .object({
    filterMatchType: z.enum(['all', 'any', 'advanced']),
    ruleLogic: z.string().optional(),
    triggers: z.array(z.string()),
    filters: z.array(filterRecord),
  })
  .meta({ id: 'SmartListRules' });

const smartListShape = {
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  url: z.string(),
  folder: z.object({ id: z.number().int(), type: z.enum(['Folder', 'Program']) }),
  workspace: z.string(),
};
const example = {
  id: 4363,
  name: 'Smart List Test 01',
  description: '',
  createdAt: '2026-12-01T09:30:00Z+0000',
  updatedAt: '2026-12-01T09:30:00Z+0000',
  url: 'https://app-ab39.marketo.com/#SL4363A1',
  folder: { id: 1041, type: 'Program' },
  workspace: 'Default',
};
export const smartListSchema = z.object(smartListShape).meta({ id: 'SmartListResponse', example });
export const smartListWithRulesSchema = z.object({ ...smartListShape, rules: rulesRecord.optional() }).meta({
  id: 'SmartListResponseWithRules',
  example: {
    ...example,
    rules: {
      filterMatchType: 'all',
      triggers: [],
      filters: [
        {
          id: 1,
          name: 'Member of List',
          ruleTypeId: 0,
          ruleType: 'Member of List',
          operator: 'in',
          conditions: [
            {
              activityAttributeId: 0,
              activityAttributeName: 'Member of List',
              operator: 'in',
              values: ['Webinar attendees'],
              isPrimary: true,
            },
          ],
        },
      ],
    },
  },
});
export const smartListEnvelope = envelopeOf(smartListSchema);
export const smartListWithRulesEnvelope = envelopeOf(smartListWithRulesSchema);

export const includeRulesQuery = z.object({
  includeRules: booleanParam.optional().describe('true: the record carries its rules (default false)'),
});

/** A smart list's page in the Marketo UI: `#SL<id>A1` (smart-lists.md's answers). */
function smartListUrl(pod: string, id: number): string {
  return `https://app-${pod}.marketo.com/#SL${id}A1`;
}

export function smartListRecord(request: FastifyRequest, list: SmartList): z.infer<typeof smartListSchema> {
  return {
    id: list.id,
    name: list.name,
    description: list.description,
    createdAt: formatAssetDatetime(list.createdAt),
    updatedAt: formatAssetDatetime(list.updatedAt),
    url: smartListUrl(request.ctx.config.POD, list.id),
    folder:
      list.programId !== null
        ? { id: list.programId, type: 'Program' as const }
        : { id: list.folderId!, type: 'Folder' as const },
    workspace: list.workspaceName,
  };
}

export function smartListRecordWithRules(
  request: FastifyRequest,
  list: SmartList,
  includeRules: boolean | undefined,
): z.infer<typeof smartListWithRulesSchema> {
  return { ...smartListRecord(request, list), ...(includeRules ? { rules: list.rules } : {}) };
}
