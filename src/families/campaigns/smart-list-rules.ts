import { z } from 'zod';
import { seedId } from '../../domain/record-ids.js';
import type { PortName, Ports } from '../../ports.js';

/**
 * A smart list's rules as stored data, in the shape Get Smart List by Id (`includeRules=true`) reads them back
 * (smart-lists.md; swagger-asset.json's SmartListRules, SmartListFilters, SmartListConditions): the rule logic
 * (`filterMatchType`, with `ruleLogic` for Advanced), the triggers and the filters with their conditions. Marketo's
 * API cannot write rules: a seed or the admin plane declares them. The fake evaluates two filters (below) for a
 * batch campaign's scheduled run; any other filter is kept and read back, and qualifies nobody.
 */

/** Bounds on what a declaration may hold (memory stays bounded whatever a seed or the admin plane sends). */
const MAX_TEXT = 255;
const MAX_VALUES = 1000;
const text = z.string().min(1).max(MAX_TEXT);

export const conditionSchema = z.strictObject({
  activityAttributeId: z.number().int().default(0),
  activityAttributeName: text,
  operator: text,
  values: z.array(z.string().max(MAX_TEXT)).max(MAX_VALUES),
  isPrimary: z.boolean().optional().describe('The first condition when absent'),
});

/** A filter as a seed writes it: Marketo's fields, or `values` for its primary condition. */
export const filterSeedSchema = z.strictObject({
  id: seedId.optional().describe('Its position in the list (1, 2 …) when absent, as Advanced rule logic numbers it'),
  name: text.describe('"Member of List", "Id", "Visited Web Page" …'),
  ruleTypeId: z.number().int().default(0),
  ruleType: text.optional().describe("The filter's name when absent"),
  operator: text.describe('"in", "is", "occurs" …'),
  values: z
    .array(z.string().max(MAX_TEXT))
    .max(MAX_VALUES)
    .optional()
    .describe('Shorthand: the primary condition, named as the filter, with the filter’s operator'),
  conditions: z.array(conditionSchema).max(20).optional(),
});

const matchType = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(z.enum(['all', 'any', 'advanced']));

/** The rules as a seed or the admin plane declares them. */
export const rulesSeedSchema = z.strictObject({
  filterMatchType: matchType.default('all'),
  ruleLogic: z
    .string()
    .min(1)
    .max(MAX_TEXT)
    .optional()
    .describe('Advanced rule logic over the filters’ numbers: "1 and (2 or 3)"'),
  triggers: z.array(text).max(20).default([]).describe('Trigger names: "Campaign is Requested"'),
  filters: z.array(filterSeedSchema).max(100).default([]),
});
export type RulesSeed = z.input<typeof rulesSeedSchema>;

/** The stored rules: every filter complete, as they are read back. */
export interface SmartListFilter {
  id: number;
  name: string;
  ruleTypeId: number;
  ruleType: string;
  operator: string;
  conditions: {
    activityAttributeId: number;
    activityAttributeName: string;
    operator: string;
    values: string[];
    isPrimary: boolean;
  }[];
}
export interface SmartListRules {
  filterMatchType: 'all' | 'any' | 'advanced';
  ruleLogic?: string;
  triggers: string[];
  filters: SmartListFilter[];
}

export const EMPTY_RULES: SmartListRules = { filterMatchType: 'all', triggers: [], filters: [] };

/** The declared rules, complete: filter ids by position, the primary condition marked. */
export function rulesOf(seed: z.output<typeof rulesSeedSchema>): SmartListRules {
  return {
    filterMatchType: seed.filterMatchType,
    ...(seed.filterMatchType === 'advanced' && seed.ruleLogic !== undefined ? { ruleLogic: seed.ruleLogic } : {}),
    triggers: seed.triggers,
    filters: seed.filters.map((filter, index) => {
      const given = filter.conditions ?? [];
      const shorthand =
        filter.values !== undefined
          ? [
              {
                activityAttributeId: 0,
                activityAttributeName: filter.name,
                operator: filter.operator,
                values: filter.values,
              },
            ]
          : [];
      const conditions = [...shorthand, ...given];
      const primary = conditions.findIndex((condition) => 'isPrimary' in condition && condition.isPrimary === true);
      return {
        id: filter.id ?? index + 1,
        name: filter.name,
        ruleTypeId: filter.ruleTypeId,
        ruleType: filter.ruleType ?? filter.name,
        operator: filter.operator,
        conditions: conditions.map((condition, at) => ({
          activityAttributeId: condition.activityAttributeId,
          activityAttributeName: condition.activityAttributeName,
          operator: condition.operator,
          values: condition.values,
          isPrimary: primary === -1 ? at === 0 : at === primary,
        })),
      };
    }),
  };
}

/**
 * The smart list a campaign declared before smart lists were assets (`{"memberOfList": 100, "leadIds": [3]}`), as
 * rules: a Member of List filter and an Id filter, matched by Any (either qualifies, as the declaration meant).
 */
export const legacySmartListSchema = z.strictObject({
  memberOfList: seedId.optional().describe('Leads in this static list'),
  leadIds: z.array(seedId).max(MAX_VALUES).optional().describe('These leads'),
});

export function rulesOfLegacy(legacy: z.infer<typeof legacySmartListSchema>): SmartListRules {
  const filters: NonNullable<RulesSeed['filters']> = [];
  if (legacy.memberOfList !== undefined)
    filters.push({ name: MEMBER_OF_LIST, operator: 'in', values: [String(legacy.memberOfList)] });
  if (legacy.leadIds !== undefined && legacy.leadIds.length > 0)
    filters.push({ name: LEAD_ID, operator: 'is', values: legacy.leadIds.map(String) });
  return rulesOf(rulesSeedSchema.parse({ filterMatchType: 'any', filters }));
}

/** A campaign's smart list as a seed or the admin plane gives it: rules, or the older shorthand. */
export const declaredSmartList = z.union([legacySmartListSchema, rulesSeedSchema]);
export function rulesOfDeclared(declared: z.output<typeof declaredSmartList>): SmartListRules {
  return 'filters' in declared || 'triggers' in declared || 'filterMatchType' in declared
    ? rulesOf(declared as z.output<typeof rulesSeedSchema>)
    : rulesOfLegacy(declared as z.infer<typeof legacySmartListSchema>);
}

/** Stored rules back to a declaration that reproduces them (snapshots). */
export function declarationOf(rules: SmartListRules): z.output<typeof rulesSeedSchema> {
  return {
    filterMatchType: rules.filterMatchType,
    ...(rules.ruleLogic !== undefined ? { ruleLogic: rules.ruleLogic } : {}),
    triggers: rules.triggers,
    filters: rules.filters.map((filter) => ({
      id: filter.id,
      name: filter.name,
      ruleTypeId: filter.ruleTypeId,
      ruleType: filter.ruleType,
      operator: filter.operator,
      conditions: filter.conditions,
    })),
  };
}

/** The two filters the fake evaluates (decision, README "Smart lists"). */
const MEMBER_OF_LIST = 'Member of List';
const LEAD_ID = 'Id';

interface EvaluationPorts {
  port<K extends PortName>(name: K): Ports[K];
}

function primaryValues(filter: SmartListFilter): string[] {
  return (filter.conditions.find((condition) => condition.isPrimary) ?? filter.conditions[0])?.values ?? [];
}

/** The leads one filter qualifies, or undefined when the fake cannot evaluate it. */
function qualifiedBy(ports: EvaluationPorts, filter: SmartListFilter): Set<number> | undefined {
  const name = filter.name.toLowerCase();
  const operator = filter.operator.toLowerCase();
  if (name === MEMBER_OF_LIST.toLowerCase() && (operator === 'in' || operator === 'is')) {
    const lists = ports.port('staticLists');
    const ids = new Set<number>();
    for (const value of primaryValues(filter)) {
      // A list by name (as Marketo shows it), else by id.
      const list = lists.byName(value) ?? (/^\d+$/.test(value) ? lists.find(Number(value)) : undefined);
      if (list) for (const id of lists.leadIds(list.id)) ids.add(id);
    }
    return ids;
  }
  if (name === LEAD_ID.toLowerCase() && operator === 'is') {
    const leads = ports.port('leads');
    const ids = new Set<number>();
    for (const value of primaryValues(filter)) {
      if (/^\d+$/.test(value) && leads.find(Number(value))) ids.add(Number(value));
    }
    return ids;
  }
  return undefined;
}

/**
 * The leads the rules qualify, in id order; undefined when a filter or the rule logic is one the fake does not
 * evaluate. Rules with no filter qualify nobody (a batch campaign needs a filter to run).
 */
export function qualifiedLeads(ports: EvaluationPorts, rules: SmartListRules): number[] | undefined {
  if (rules.filters.length === 0) return [];
  if (rules.filterMatchType === 'advanced') return undefined;
  let result: Set<number> | undefined;
  for (const filter of rules.filters) {
    const ids = qualifiedBy(ports, filter);
    if (!ids) return undefined;
    if (!result) result = ids;
    else if (rules.filterMatchType === 'any') for (const id of ids) result.add(id);
    else result = new Set([...result].filter((id) => ids.has(id)));
  }
  return [...(result ?? [])].sort((a, b) => a - b);
}

/** The trigger a requestable campaign listens to (smart-campaigns.md: source Web Service API). */
export const CAMPAIGN_IS_REQUESTED = 'Campaign is Requested';

/**
 * A campaign's rules with its "Campaign is Requested" trigger as its `requestable` flag says, so that Get Smart List
 * by Smart Campaign Id shows the trigger Request Campaign listens to.
 */
export function withRequestTrigger(
  rules: SmartListRules,
  campaign: { type: 'batch' | 'trigger'; requestable: boolean },
): SmartListRules {
  const others = rules.triggers.filter((name) => name.toLowerCase() !== CAMPAIGN_IS_REQUESTED.toLowerCase());
  const listens = campaign.type === 'trigger' && campaign.requestable;
  return { ...rules, triggers: listens ? [CAMPAIGN_IS_REQUESTED, ...others] : others };
}
