import { type FieldDataType, FieldCatalog, type ObjectField } from '../../engines/objects/fields.js';

/**
 * The lead field catalog: Marketo's standard fields (the common subset) plus custom fields declared
 * through the admin plane. Names are the REST API names; describe/describe2 answer from this catalog.
 */

export type LeadField = ObjectField;
export type LeadFieldCatalog = FieldCatalog;

type Standard = [
  name: string,
  displayName: string,
  dataType: FieldDataType,
  options?: { length?: number; readOnly?: boolean; searchable?: boolean },
];

const STANDARD: Standard[] = [
  ['id', 'Id', 'integer', { readOnly: true, searchable: true }],
  ['email', 'Email Address', 'email', { length: 255, searchable: true }],
  ['firstName', 'First Name', 'string', { length: 255 }],
  ['lastName', 'Last Name', 'string', { length: 255 }],
  ['middleName', 'Middle Name', 'string', { length: 255 }],
  ['salutation', 'Salutation', 'string', { length: 255 }],
  ['title', 'Job Title', 'string', { length: 255 }],
  ['company', 'Company Name', 'string', { length: 255 }],
  ['department', 'Department', 'string', { length: 255 }],
  ['phone', 'Phone Number', 'phone', { length: 255 }],
  ['mobilePhone', 'Mobile Phone Number', 'phone', { length: 255 }],
  ['fax', 'Fax Number', 'phone', { length: 255 }],
  ['address', 'Address', 'text', { length: 65535 }],
  ['city', 'City', 'string', { length: 255 }],
  ['state', 'State', 'string', { length: 255 }],
  ['postalCode', 'Postal Code', 'string', { length: 255 }],
  ['country', 'Country', 'string', { length: 255 }],
  ['website', 'Website', 'url', { length: 255 }],
  ['industry', 'Industry', 'string', { length: 255 }],
  ['annualRevenue', 'Annual Revenue', 'currency'],
  ['numberOfEmployees', 'Num Employees', 'integer'],
  ['rating', 'Lead Rating', 'string', { length: 255 }],
  ['leadSource', 'Lead Source', 'string', { length: 255 }],
  ['leadStatus', 'Lead Status', 'string', { length: 255 }],
  ['leadScore', 'Lead Score', 'integer'],
  ['dateOfBirth', 'Date of Birth', 'date'],
  ['unsubscribed', 'Unsubscribed', 'boolean'],
  ['unsubscribedReason', 'Unsubscribed Reason', 'text', { length: 65535 }],
  ['emailInvalid', 'Email Invalid', 'boolean'],
  ['doNotCall', 'Do Not Call', 'boolean'],
  ['doNotCallReason', 'Do Not Call Reason', 'string', { length: 255 }],
  ['externalCompanyId', 'External Company Id', 'string', { length: 100 }],
  ['externalSalesPersonId', 'External Sales Person Id', 'string', { length: 100 }],
  ['sfdcLeadId', 'SFDC Lead ID', 'string', { length: 18, searchable: true }],
  ['sfdcContactId', 'SFDC Contact ID', 'string', { length: 18, searchable: true }],
  ['sfdcAccountId', 'SFDC Account ID', 'string', { length: 18, searchable: true }],
  ['sfdcLeadOwnerId', 'SFDC Lead Owner ID', 'string', { length: 18, searchable: true }],
  ['sfdcOpptyId', 'SFDC Oppty ID', 'string', { length: 18, searchable: true }],
  ['facebookId', 'Facebook Id', 'string', { length: 255, searchable: true }],
  ['linkedInId', 'LinkedIn Id', 'string', { length: 255, searchable: true }],
  ['twitterId', 'Twitter Id', 'string', { length: 255, searchable: true }],
  ['leadPartitionId', 'Lead Partition Id', 'integer', { readOnly: true, searchable: true }],
  ['createdAt', 'Created At', 'datetime', { readOnly: true }],
  ['updatedAt', 'Updated At', 'datetime', { readOnly: true }],
  // Set by Associate Lead (the Munchkin cookie, leads.md); last so that the ids above keep their numbers.
  ['cookies', 'Cookies', 'string', { length: 255, readOnly: true, searchable: true }],
  // The company fields of list-of-standard-fields.md the catalog lacked: a lead linked to a company reads them (and
  // company, website, industry, annualRevenue, numberOfEmployees) from it (issue 27). Last, so ids stay.
  ['site', 'Site', 'string', { length: 255 }],
  ['billingStreet', 'Billing Address', 'text', { length: 65535 }],
  ['billingCity', 'Billing City', 'string', { length: 255 }],
  ['billingState', 'Billing State', 'string', { length: 255 }],
  ['billingCountry', 'Billing Country', 'string', { length: 255 }],
  ['billingPostalCode', 'Billing Postal Code', 'string', { length: 255 }],
  ['mainPhone', 'Main Phone', 'phone', { length: 255 }],
  ['sicCode', 'SIC Code', 'string', { length: 40 }],
];

export const STANDARD_FIELDS: readonly LeadField[] = STANDARD.map(([name, displayName, dataType, options], index) => ({
  id: index + 1,
  name,
  displayName,
  dataType,
  ...(options?.length !== undefined ? { length: options.length } : {}),
  readOnly: options?.readOnly ?? false,
  searchable: options?.searchable ?? false,
  custom: false,
}));

const STANDARD_BY_NAME = new Map(STANDARD_FIELDS.map((field) => [field.name.toLowerCase(), field]));

/** Keys a seed lead uses for itself, so no custom field may take them. */
const SEED_LEAD_KEYS = new Set(['partition']);

/** A standard field's name, or one the seed/snapshot form reserves: no custom field may take it. */
export function isStandardFieldName(name: string): boolean {
  return STANDARD_BY_NAME.has(name.toLowerCase()) || SEED_LEAD_KEYS.has(name.toLowerCase());
}

/** Custom fields of these types can be filtered on (getLeadsByFilterUsingGET). */
export const SEARCHABLE_CUSTOM_TYPES: ReadonlySet<FieldDataType> = new Set(['string', 'email', 'integer']);

/** Marketo's default fields for lead reads, in the order real responses show them (marketo-reference.md §6.1). */
export const DEFAULT_READ_FIELDS = ['id', 'firstName', 'lastName', 'email', 'updatedAt', 'createdAt'] as const;

/** The lead catalog: the standard fields, then the custom ones; a read without `fields` returns DEFAULT_READ_FIELDS. */
export function leadFieldCatalog(custom: readonly LeadField[]): LeadFieldCatalog {
  return new FieldCatalog([...STANDARD_FIELDS, ...custom], DEFAULT_READ_FIELDS);
}
