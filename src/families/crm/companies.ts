import { reason } from '../../domain/marketo-codes.js';
import { objectFamily } from '../../engines/objects/object-family.js';
import { dedupeKey } from '../../engines/objects/object-type.js';
import { crmTypes } from './crm-fields.js';
import { refuseWhileCrmSyncs } from './crm-sync.js';
import { COMPANY_LEAD_FIELDS, STANDARD_TYPES } from './standard-types.js';

const COMPANY_FIELD_NAMES: ReadonlySet<string> = new Set(COMPANY_LEAD_FIELDS);

/**
 * Companies (companies.md): named by id, deduplicated by externalCompanyId, which links leads to them; a linked
 * lead reads its company fields from the company (the `companies` port). Partition-blind, as every CRM object
 * (decision: Marketo documents partitions for persons only). A company that leads still name cannot be deleted
 * (1022 Object in use; decision: "You cannot remove a lead from a company unless you add the lead to a different
 * company", so Marketo leaves no lead without its company).
 */
export const companies = objectFamily({
  key: 'companies',
  table: { name: 'companies', guid: false },
  path: '/rest/v1/companies',
  tag: 'Marketo: Companies',
  summaries: {
    query: 'Get Companies',
    sync: 'Sync Companies',
    delete: 'Delete Companies',
    describe: 'Describe Companies',
  },
  permissions: { read: ['read-only-company', 'read-write-company'], write: ['read-write-company'] },
  types: crmTypes('company'),
  guard: refuseWhileCrmSyncs,
  hooks: {
    beforeDelete: (record, env) =>
      env.port('leads').isLinked('externalCompanyId', String(record.fields.externalCompanyId))
        ? reason('1022')
        : undefined,
  },
  schemaFields: { object: 'Company' },
  record: {
    schemaId: 'Company',
    standardFields: STANDARD_TYPES.company.spec.fields,
    example: { seq: 0, id: 3433, externalCompanyId: '19UYA31581L000000', company: 'Google' },
  },
  example: [
    { externalCompanyId: 'acme-001', company: 'Acme', industry: 'Manufacturing', numberOfEmployees: 120, tier: 'gold' },
    { id: 3433, externalCompanyId: 'globex-002', company: 'Globex', annualRevenue: 1604.47 },
  ],
  provides: (repo) => ({
    companies: {
      fieldNames: COMPANY_FIELD_NAMES,
      byExternalId: (externalCompanyId) => repo.findByKey(0, dedupeKey([externalCompanyId]))?.fields,
      has: (id) => repo.find(0, id) !== undefined,
    },
  }),
});
