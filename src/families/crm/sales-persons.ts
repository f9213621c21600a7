import { reason } from '../../domain/marketo-codes.js';
import { objectFamily } from '../../engines/objects/object-family.js';
import { crmTypes } from './crm-fields.js';
import { refuseWhileCrmSyncs } from './crm-sync.js';
import { STANDARD_TYPES } from './standard-types.js';

/**
 * Sales persons (sales-persons.md): named by id, deduplicated by externalSalesPersonId, which leads, companies and
 * opportunities name them by. Partition-blind: Marketo documents partitions for persons only ("each lead belongs to
 * one partition", custom-services.md), so every caller with the permission sees every sales person (decision).
 */
export const salesPersons = objectFamily({
  key: 'salesPersons',
  table: { name: 'sales_persons', guid: false },
  path: '/rest/v1/salespersons',
  tag: 'Marketo: Sales Persons',
  summaries: {
    query: 'Get SalesPersons',
    sync: 'Sync SalesPersons',
    delete: 'Delete SalesPersons',
    describe: 'Describe SalesPersons',
  },
  permissions: { read: ['read-only-sales-person', 'read-write-sales-person'], write: ['read-write-sales-person'] },
  types: crmTypes('salesPerson'),
  guard: refuseWhileCrmSyncs,
  hooks: {
    // "You cannot delete a Sales Person that is in use … associated with active Leads" (sales-persons.md).
    beforeDelete: (record, env) =>
      env.port('leads').isLinked('externalSalesPersonId', String(record.fields.externalSalesPersonId))
        ? reason('1022')
        : undefined,
  },
  record: {
    schemaId: 'SalesPerson',
    standardFields: STANDARD_TYPES.salesPerson.spec.fields,
    example: { seq: 0, id: 53453, externalSalesPersonId: 'sam@test.com', email: 'sam@test.com' },
  },
  example: [
    { externalSalesPersonId: 'sam@example.com', email: 'sam@example.com', firstName: 'Sam', lastName: 'Sanosin' },
    { id: 900, externalSalesPersonId: 'dana@example.com', email: 'dana@example.com', firstName: 'Dana' },
  ],
});
