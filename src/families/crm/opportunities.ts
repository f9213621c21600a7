import { MarketoError } from '../../domain/errors.js';
import { marketoMessage, reason } from '../../domain/marketo-codes.js';
import { objectFamily } from '../../engines/objects/object-family.js';
import { dedupeKey, type FieldValue } from '../../engines/objects/object-type.js';
import { crmTypes } from './crm-fields.js';
import { refuseWhileCrmSyncs } from './crm-sync.js';
import { salesPersons } from './sales-persons.js';
import { STANDARD_TYPES } from './standard-types.js';

/**
 * Opportunities and opportunity roles (opportunities.md, opportunity-roles.md). Adobe's spec asks "Read-Only
 * Opportunity, Read-Write Named Opportunity" [sic]: the catalog's Read-Write Opportunity is that permission
 * (test/adobe-permissions.test.ts reads the typo so). Partition-blind, as every CRM object (decision).
 */

const READ = ['read-only-opportunity', 'read-write-opportunity'] as const;
const WRITE = ['read-write-opportunity'] as const;

export const opportunities = objectFamily({
  key: 'opportunities',
  table: { name: 'opportunities', guid: true },
  path: '/rest/v1/opportunities',
  tag: 'Marketo: Opportunities',
  summaries: {
    query: 'Get Opportunities',
    sync: 'Sync Opportunities',
    delete: 'Delete Opportunities',
    describe: 'Describe Opportunity',
  },
  permissions: { read: READ, write: WRITE },
  types: crmTypes('opportunity'),
  guard: refuseWhileCrmSyncs,
  hooks: {
    // "A Sync Opportunities call was made with a non-existent ExternalSalesPersonID value" (error-codes.md 718):
    // response-level, so the whole call is refused and nothing of it written.
    link: (values, env) => {
      const salesPerson = values.externalSalesPersonId;
      if (typeof salesPerson === 'string' && !env.repo(salesPersons).findByKey(0, dedupeKey([salesPerson]))) {
        throw new MarketoError('718', marketoMessage('718'));
      }
      return { links: [] };
    },
  },
  schemaFields: { object: 'Opportunity' },
  record: {
    schemaId: 'Opportunity',
    standardFields: STANDARD_TYPES.opportunity.spec.fields,
    example: {
      seq: 0,
      marketoGUID: 'dff23271-f996-47d7-984f-f2676861b5fa',
      externalOpportunityId: '19UYA31581L000000',
      name: 'Chairs',
      amount: 1604.47,
    },
  },
  example: [
    { externalOpportunityId: 'opp-1', name: 'Chairs', amount: 1604.47, stage: 'Prospecting', seats: 12 },
    { externalOpportunityId: 'opp-2', name: 'Desks', externalSalesPersonId: 'sam@example.com' },
  ],
});

/**
 * Opportunity roles: a lead's role in an opportunity, deduplicated by the compound key externalOpportunityId, leadId,
 * role. "For record creation to succeed, the opportunity and lead referenced by the ID fields must exist": an
 * unknown opportunity is skipped with 1013, an unknown lead with 1004. Any lead is seen, whatever its partition, as
 * the custom object handler sees every person (decision).
 */
export const opportunityRoles = objectFamily({
  key: 'opportunityRoles',
  table: {
    name: 'opportunity_roles',
    guid: true,
    linkColumns: ['opportunity_id', 'lead_id'],
    fieldColumns: { leadId: 'lead_id' },
  },
  path: '/rest/v1/opportunities/roles',
  tag: 'Marketo: Opportunities',
  summaries: {
    query: 'Get Opportunity Roles',
    sync: 'Sync Opportunity Roles',
    delete: 'Delete Opportunity Roles',
    describe: 'Describe Opportunity Role',
  },
  permissions: { read: READ, write: WRITE },
  types: crmTypes('opportunityRole'),
  guard: refuseWhileCrmSyncs,
  hooks: {
    link: (values, env) => {
      const opportunity = env.repo(opportunities).findByKey(0, dedupeKey([values.externalOpportunityId ?? null]));
      if (!opportunity) return { reason: reason('1013') };
      const lead = typeof values.leadId === 'number' ? env.port('leads').find(values.leadId) : undefined;
      if (!lead) return { reason: reason('1004') };
      return { links: [opportunity.id, lead.id] };
    },
  },
  onCoreEvents: (repo) => ({
    // A merge gives the loser's roles to the winner before the loser goes (else the lead_id cascade would delete
    // them): "its field values, activities, and program memberships merged into this winning record"
    // (nation.marketo.com, "Understanding Merges in Marketo"), as a CRM merge keeps a contact's roles. Decision
    // (README "CRM objects"): a role the winner already holds on the same opportunity goes with the loser.
    leadMerging(loserId, winnerId) {
      const byLoser = { typeId: 0, column: { kind: 'link', column: 'lead_id' }, values: [loserId] } as const;
      const keyFields = STANDARD_TYPES.opportunityRole.spec.dedupeFields;
      // Each role leaves the loser as it is read, so every page starts from the first.
      for (let page = repo.page(byLoser, 0, 300); page.length > 0; page = repo.page(byLoser, 0, 300)) {
        for (const role of page) {
          const fields: Record<string, FieldValue> = { ...role.fields, leadId: winnerId };
          const key = dedupeKey(keyFields.map((name) => fields[name] ?? null));
          if (repo.findByKey(0, key)) repo.delete(role.id);
          else repo.relink(role, 'lead_id', winnerId, { dedupeKey: key, fields });
        }
      }
    },
  }),
  record: {
    schemaId: 'OpportunityRole',
    standardFields: STANDARD_TYPES.opportunityRole.spec.fields,
    example: {
      seq: 0,
      marketoGUID: 'dff23271-f996-47d7-984f-f2676861b5fb',
      externalOpportunityId: '19UYA31581L000000',
      leadId: 456783,
      role: 'Technical Buyer',
      isPrimary: false,
    },
  },
  example: [{ externalOpportunityId: 'opp-1', leadId: 40, role: 'Technical Buyer', isPrimary: true }],
});
