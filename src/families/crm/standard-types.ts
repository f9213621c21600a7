import type { ObjectField } from '../../engines/objects/fields.js';
import {
  BUILT_IN_TYPE_TIME,
  objectFields,
  type ObjectTypeSpec,
  systemFields,
} from '../../engines/objects/object-type.js';

/**
 * The CRM objects' standard types, as their describe calls show them (companies.md, sales-persons.md,
 * opportunities.md, opportunity-roles.md, named-accounts.md; the fields of list-of-standard-fields.md that lead
 * records take from their company). Custom fields are added by crm-fields.ts.
 */

export type CrmObject = 'company' | 'salesPerson' | 'opportunity' | 'opportunityRole' | 'namedAccount';

/** An object's standard type and the table holding its records (where a dropped custom field's values go from). */
export interface CrmStandardType {
  spec: Omit<ObjectTypeSpec, 'fields'> & { fields: readonly ObjectField[] };
  table: string;
}

const at = { typeId: 0, createdAt: BUILT_IN_TYPE_TIME, updatedAt: BUILT_IN_TYPE_TIME };

/**
 * The company fields a lead linked to a company reads from it ("Leads linked to a company record inherit values
 * from that record as though the values existed on the lead record", companies.md), in the lead catalog's names.
 */
export const COMPANY_LEAD_FIELDS = [
  'company',
  'site',
  'billingStreet',
  'billingCity',
  'billingState',
  'billingCountry',
  'billingPostalCode',
  'website',
  'mainPhone',
  'annualRevenue',
  'numberOfEmployees',
  'industry',
  'sicCode',
] as const;

export const STANDARD_TYPES: Readonly<Record<CrmObject, CrmStandardType>> = {
  company: {
    table: 'companies',
    spec: {
      ...at,
      name: 'Company',
      displayName: 'Company',
      description: 'Company object',
      idField: 'id',
      dedupeFields: ['externalCompanyId'],
      searchableFields: [['externalCompanyId'], ['id'], ['company']],
      fields: objectFields([
        ...systemFields('id'),
        ['externalCompanyId', 'External Company Id', 'string', { length: 100, updateable: false }],
        ['company', 'Company Name', 'string', { length: 255 }],
        ['site', 'Site', 'string', { length: 255 }],
        ['billingStreet', 'Billing Address', 'text', { length: 65535 }],
        ['billingCity', 'Billing City', 'string', { length: 255 }],
        ['billingState', 'Billing State', 'string', { length: 255 }],
        ['billingCountry', 'Billing Country', 'string', { length: 255 }],
        ['billingPostalCode', 'Billing Postal Code', 'string', { length: 255 }],
        ['website', 'Website', 'url', { length: 255 }],
        ['mainPhone', 'Main Phone', 'phone', { length: 255 }],
        ['annualRevenue', 'Annual Revenue', 'currency'],
        ['numberOfEmployees', 'Num Employees', 'integer'],
        ['industry', 'Industry', 'string', { length: 255 }],
        ['sicCode', 'SIC Code', 'string', { length: 40 }],
        ['externalSalesPersonId', 'External Sales Person Id', 'string', { length: 100 }],
      ]),
    },
  },
  salesPerson: {
    table: 'sales_persons',
    spec: {
      ...at,
      name: 'SalesPerson',
      displayName: 'Sales Person',
      idField: 'id',
      dedupeFields: ['externalSalesPersonId'],
      searchableFields: [['email'], ['id'], ['externalSalesPersonId']],
      fields: objectFields([
        ['id', 'Marketo Id', 'integer', { updateable: false }],
        ['createdAt', 'Created At', 'datetime', { updateable: false }],
        ['updatedAt', 'Updated At', 'datetime', { updateable: false }],
        ['email', 'Email', 'string', { length: 255, updateable: false }],
        ['externalSalesPersonId', 'External Sales Person Id', 'string', { length: 255, updateable: false }],
        ['firstName', 'First Name', 'string', { length: 255 }],
        ['lastName', 'Last Name', 'string', { length: 255 }],
        ['phone', 'Phone', 'phone', { length: 255 }],
        ['mobilePhone', 'Mobile Phone', 'phone', { length: 255 }],
        ['fax', 'Fax', 'phone', { length: 255 }],
        ['title', 'Title', 'string', { length: 255 }],
      ]),
    },
  },
  opportunity: {
    table: 'opportunities',
    spec: {
      ...at,
      name: 'opportunity',
      displayName: 'Opportunity',
      idField: 'marketoGUID',
      dedupeFields: ['externalOpportunityId'],
      searchableFields: [['externalOpportunityId'], ['marketoGUID']],
      // "The 'name' field must not be null" (opportunities.md).
      requiredOnCreate: ['name'],
      fields: objectFields([
        ...systemFields('marketoGUID'),
        ['externalOpportunityId', 'External Opportunity Id', 'string', { length: 50, updateable: false }],
        ['name', 'Name', 'string', { length: 255 }],
        ['description', 'Description', 'string', { length: 2000 }],
        ['type', 'Type', 'string', { length: 255 }],
        ['stage', 'Stage', 'string', { length: 255 }],
        ['amount', 'Amount', 'currency'],
        ['expectedRevenue', 'Expected Revenue', 'currency'],
        ['closeDate', 'Close Date', 'date'],
        ['isClosed', 'Closed', 'boolean'],
        ['isWon', 'Won', 'boolean'],
        ['probability', 'Probability', 'integer'],
        ['fiscalQuarter', 'Fiscal Quarter', 'integer'],
        ['fiscalYear', 'Fiscal Year', 'integer'],
        ['forecastCategoryName', 'Forecast Category Name', 'string', { length: 255 }],
        ['leadSource', 'Lead Source', 'string', { length: 255 }],
        ['lastActivityDate', 'Last Activity Date', 'date'],
        ['nextStep', 'Next Step', 'string', { length: 255 }],
        ['source', 'Source', 'string', { length: 255 }],
        ['externalCompanyId', 'External Company Id', 'string', { length: 100 }],
        ['externalSalesPersonId', 'External Sales Person Id', 'string', { length: 100 }],
        ['externalCreatedDate', 'External Created Date', 'datetime'],
      ]),
    },
  },
  opportunityRole: {
    table: 'opportunity_roles',
    spec: {
      ...at,
      name: 'opportunityRole',
      displayName: 'Opportunity Role',
      idField: 'marketoGUID',
      dedupeFields: ['externalOpportunityId', 'leadId', 'role'],
      searchableFields: [
        ['externalOpportunityId', 'leadId', 'role'],
        ['marketoGUID'],
        ['leadId'],
        ['externalOpportunityId'],
      ],
      fields: objectFields([
        ['marketoGUID', 'Marketo GUID', 'string', { length: 36, updateable: false }],
        ['externalOpportunityId', 'External Opportunity Id', 'string', { length: 50, updateable: false }],
        ['leadId', 'Lead Id', 'integer', { updateable: false }],
        ['role', 'Role', 'string', { length: 50, updateable: false }],
        ['isPrimary', 'Is Primary', 'boolean'],
        ['externalCreatedDate', 'External Created Date', 'datetime'],
        ['createdAt', 'Created At', 'datetime', { updateable: false }],
        ['updatedAt', 'Updated At', 'datetime', { updateable: false }],
      ]),
    },
  },
  namedAccount: {
    table: 'named_accounts',
    spec: {
      ...at,
      name: 'Named Account',
      displayName: 'Named Account',
      description: 'Marketo standard account attribute map',
      idField: 'marketoGUID',
      dedupeFields: ['name'],
      searchableFields: [
        ['marketoGUID'],
        ['annualRevenue'],
        ['city'],
        ['country'],
        ['domainName'],
        ['industry'],
        ['logoUrl'],
        ['membershipCount'],
        ['name'],
        ['numberOfEmployees'],
        ['opptyAmount'],
        ['opptyCount'],
        ['score1'],
        ['score2'],
        ['score3'],
        ['score4'],
        ['score5'],
        ['sicCode'],
        ['state'],
      ],
      // Counts the fake does not keep (no lead is linked to a named account through the API, named-accounts.md):
      // never written, so never answered.
      managedFields: ['membershipCount', 'opptyAmount', 'opptyCount'],
      fields: objectFields([
        ...systemFields('marketoGUID'),
        ['name', 'Name', 'string', { length: 255, updateable: false }],
        ['annualRevenue', 'annualRevenue', 'currency'],
        ['city', 'city', 'string', { length: 255 }],
        ['country', 'country', 'string', { length: 255 }],
        ['state', 'state', 'string', { length: 255 }],
        ['domainName', 'Domain Name', 'string', { length: 255 }],
        ['industry', 'Industry', 'string', { length: 255 }],
        ['logoUrl', 'Logo URL', 'string', { length: 255 }],
        ['numberOfEmployees', 'Number of Employees', 'integer'],
        ['sicCode', 'SIC Code', 'string', { length: 40 }],
        ['score1', 'Score 1', 'integer'],
        ['score2', 'Score 2', 'integer'],
        ['score3', 'Score 3', 'integer'],
        ['score4', 'Score 4', 'integer'],
        ['score5', 'Score 5', 'integer'],
        ['membershipCount', 'Membership Count', 'integer', { updateable: false }],
        ['opptyAmount', 'Opportunity Amount', 'currency', { updateable: false }],
        ['opptyCount', 'Opportunity Count', 'integer', { updateable: false }],
      ]),
    },
  },
};
