/**
 * The lead field catalog: Marketo's standard fields (the common subset) plus custom fields declared
 * through the admin plane. Names are the REST API names; describe/describe2 answer from this catalog.
 */

export type CustomFieldType = 'string' | 'email' | 'integer' | 'float' | 'boolean' | 'date' | 'datetime';
export type LeadDataType = CustomFieldType | 'text' | 'phone' | 'url' | 'currency';

export interface LeadField {
  id: number;
  name: string;
  displayName: string;
  dataType: LeadDataType;
  length?: number;
  /** Not writable through Sync Leads. */
  readOnly: boolean;
  /** Usable as filterType and lookupField. */
  searchable: boolean;
  custom: boolean;
}

type Standard = [
  name: string,
  displayName: string,
  dataType: LeadDataType,
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

/** Custom fields get ids after the standard ones, like Marketo's describe. */
export const CUSTOM_FIELD_ID_BASE = 10000;

/** Custom fields of these types can be filtered on (getLeadsByFilterUsingGET). */
export const SEARCHABLE_CUSTOM_TYPES: ReadonlySet<LeadDataType> = new Set(['string', 'email', 'integer']);

/** Marketo's default fields for lead reads, in the order real responses show them (marketo-reference.md §6.1). */
export const DEFAULT_READ_FIELDS = ['id', 'firstName', 'lastName', 'email', 'updatedAt', 'createdAt'] as const;

/** A catalog of standard plus custom fields, case-insensitive by name. */
export class LeadFieldCatalog {
  private readonly byName: Map<string, LeadField>;

  constructor(readonly fields: readonly LeadField[]) {
    this.byName = new Map(fields.map((field) => [field.name.toLowerCase(), field]));
  }

  find(name: string): LeadField | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The fields a read returns when none are asked for: looked up once per catalog, not per call. */
  get defaultReadFields(): readonly LeadField[] {
    return (this.defaults ??= DEFAULT_READ_FIELDS.map((name) => this.find(name)!));
  }

  private defaults: readonly LeadField[] | undefined;

  searchable(): LeadField[] {
    return this.fields.filter((field) => field.searchable);
  }
}

export type Coerced = { ok: true; value: string | number | boolean | null } | { ok: false };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function asNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  return undefined;
}

/** Marketo's lead-database datetime: ISO 8601 without milliseconds, e.g. 2021-11-23T22:57:08Z. */
export function formatDatetime(epochMs: number): string {
  const date = new Date(epochMs);
  const year = date.getUTCFullYear();
  // Years past 9999 carry a sign and more digits; only the milliseconds go.
  if (year < 1000 || year > 9999) return `${date.toISOString().slice(0, -5)}Z`;
  // Put together by hand: toISOString formats through a slow general-purpose path, and every lead read has two dates.
  return `${year}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())}Z`;
}

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * A value as stored for `field`, or not ok when the input cannot be one (record-level 1003).
 * null and "" clear the field, as Marketo writes them as null.
 */
export function coerceFieldValue(field: LeadField, raw: unknown): Coerced {
  if (raw === null || raw === '') return { ok: true, value: null };
  switch (field.dataType) {
    case 'integer': {
      const n = asNumber(raw);
      return n !== undefined && Number.isSafeInteger(n) ? { ok: true, value: n } : { ok: false };
    }
    case 'float':
    case 'currency': {
      const n = asNumber(raw);
      return n !== undefined ? { ok: true, value: n } : { ok: false };
    }
    case 'boolean': {
      if (raw === true || raw === 'true' || raw === 1 || raw === '1') return { ok: true, value: true };
      if (raw === false || raw === 'false' || raw === 0 || raw === '0') return { ok: true, value: false };
      return { ok: false };
    }
    case 'date': {
      if (typeof raw !== 'string' || !DATE.test(raw) || Number.isNaN(Date.parse(raw))) return { ok: false };
      return { ok: true, value: raw };
    }
    case 'datetime': {
      if (typeof raw !== 'string') return { ok: false };
      const ms = Date.parse(raw);
      return Number.isNaN(ms) ? { ok: false } : { ok: true, value: formatDatetime(ms) };
    }
    case 'email': {
      // Marketo accepts ASCII addresses only (leads.md).
      if (typeof raw !== 'string' || !EMAIL.test(raw) || !/^[\x20-\x7e]+$/.test(raw)) return { ok: false };
      return raw.length <= (field.length ?? 255) ? { ok: true, value: raw } : { ok: false };
    }
    default: {
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') return { ok: false };
      const text = String(raw);
      return text.length <= (field.length ?? 255) ? { ok: true, value: text } : { ok: false };
    }
  }
}
