import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage } from '../../domain/marketo-codes.js';
import { type FieldDataType, LINKABLE_DATA_TYPES, type ObjectField } from '../../engines/objects/fields.js';
import { objectFields, ObjectType, type Relationship, systemFields } from '../../engines/objects/object-type.js';

/**
 * Custom object types (custom-objects.md "Custom Object Types"): an approved version, which records use, and a draft,
 * which every change goes into until it is approved. The rules of a version are here, the same for the Custom Object
 * Type API, the admin plane and a seed.
 */

/** Get Custom Object Type Field Data Types (custom-objects.md "List Field Data Types"), in its order. */
export const FIELD_DATA_TYPES = LINKABLE_DATA_TYPES;
export type CustomFieldDataType = (typeof FIELD_DATA_TYPES)[number];

export const relatedToSchema = z.strictObject({
  name: z.string().min(1).describe('lead, company, or the API name of an approved custom object type'),
  field: z.string().min(1).describe('The link field of that object'),
});

export const typeFieldSchema = z.strictObject({
  name: z.string(),
  displayName: z.string(),
  description: z.string().optional(),
  dataType: z.enum(FIELD_DATA_TYPES),
  isDedupeField: z.boolean().default(false),
  relatedTo: relatedToSchema.optional(),
});
export type TypeField = z.output<typeof typeFieldSchema>;

export interface TypeVersion {
  displayName: string;
  pluralName?: string;
  description?: string;
  showInLeadDetail: boolean;
  fields: TypeField[];
}

export interface StoredType {
  id: number;
  apiName: string;
  approved: TypeVersion | undefined;
  draft: TypeVersion | undefined;
  createdAt: number;
  updatedAt: number;
}

export type TypeState = 'draft' | 'approved' | 'approvedWithDraft';

export function stateOf(type: StoredType): TypeState {
  if (!type.approved) return 'draft';
  return type.draft ? 'approvedWithDraft' : 'approved';
}

/** "The maximum number of custom object types is 10" (custom-objects.md). */
export const MAX_TYPES = 10;
/** "The maximum number of custom object fields is 50 per type"; "after approval, a maximum of 20 additional fields". */
export const MAX_FIELDS = 50;
export const MAX_FIELDS_ADDED_AFTER_APPROVAL = 20;
/** "At least one dedupe field is required. A maximum of three dedupe fields is allowed." */
export const MAX_DEDUPE_FIELDS = 3;

/** API names: "alphanumeric characters and the underscore character", starting with a letter (ours). */
const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,49}$/;

/**
 * Field names a record's seed item and wire form keep for themselves: the system fields, and the keys of the
 * engine's seed items (id, type). No custom object field may take them.
 */
const RESERVED_FIELD_NAMES = new Set(['marketoguid', 'createdat', 'updatedat', 'id', 'type', 'seq']);

const invalid = (message: string): never => {
  throw new MarketoError('1003', message);
};

export function checkApiName(name: string, what: string): void {
  if (!API_NAME.test(name)) invalid(formatMessage(DETAIL_MESSAGES.invalidApiName, what, name));
}

/** What a link field may name: Lead and Company, and approved custom object types without link fields of their own. */
export interface LinkTargets {
  /** The data type of the target field, or undefined when the object or the field is not linkable. */
  fieldType(relatedTo: { name: string; field: string }): FieldDataType | undefined;
}

/**
 * Checks one field about to join `version` (addField, a seed, the admin plane); `approved` is the type's approved
 * version, whose dedupe and link fields are fixed ("Once a custom object type is approved, you cannot add or remove
 * a link field; add or remove a dedupe field"). Throws 1003 (1028 for the field limits), naming what is wrong.
 */
export function checkNewField(
  field: TypeField,
  version: TypeVersion,
  approved: TypeVersion | undefined,
  apiName: string,
  links: LinkTargets,
): void {
  checkApiName(field.name, 'field');
  if (RESERVED_FIELD_NAMES.has(field.name.toLowerCase()))
    invalid(formatMessage(DETAIL_MESSAGES.reservedFieldName, field.name));
  if (field.displayName.trim() === '') invalid(formatMessage(DETAIL_MESSAGES.blankDisplayName, field.name));
  if (version.fields.some((other) => other.name.toLowerCase() === field.name.toLowerCase())) {
    invalid(formatMessage(DETAIL_MESSAGES.duplicateFieldName, field.name, apiName));
  }
  if (version.fields.some((other) => other.displayName.toLowerCase() === field.displayName.toLowerCase())) {
    invalid(formatMessage(DETAIL_MESSAGES.duplicateDisplayName, field.displayName, apiName));
  }
  if (version.fields.length >= MAX_FIELDS)
    throw new MarketoError('1028', formatMessage(DETAIL_MESSAGES.tooManyFields, MAX_FIELDS));
  if (approved && version.fields.length - approved.fields.length >= MAX_FIELDS_ADDED_AFTER_APPROVAL) {
    throw new MarketoError(
      '1028',
      formatMessage(DETAIL_MESSAGES.tooManyFieldsAfterApproval, MAX_FIELDS_ADDED_AFTER_APPROVAL),
    );
  }
  if (field.dataType === 'link') {
    if (!field.relatedTo) invalid(formatMessage(DETAIL_MESSAGES.linkWithoutTarget, field.name));
    if (field.relatedTo!.name.toLowerCase() === apiName.toLowerCase() || !links.fieldType(field.relatedTo!)) {
      invalid(formatMessage(DETAIL_MESSAGES.notLinkable, field.relatedTo!.name, field.relatedTo!.field));
    }
  } else if (field.relatedTo) {
    invalid(formatMessage(DETAIL_MESSAGES.targetWithoutLink, field.name));
  }
  if (approved && (field.isDedupeField || field.dataType === 'link')) {
    invalid(formatMessage(DETAIL_MESSAGES.keyFieldAfterApproval, field.name, apiName));
  }
  if (field.isDedupeField && version.fields.filter((other) => other.isDedupeField).length >= MAX_DEDUPE_FIELDS) {
    invalid(formatMessage(DETAIL_MESSAGES.tooManyDedupeFields, MAX_DEDUPE_FIELDS));
  }
}

/** Why a draft cannot be approved (709), if it cannot: it needs a dedupe field, and its links' targets. */
export function approvalProblem(version: TypeVersion, links: LinkTargets): string | undefined {
  if (!version.fields.some((field) => field.isDedupeField)) return DETAIL_MESSAGES.noDedupeField;
  const broken = version.fields.find((field) => field.relatedTo && !links.fieldType(field.relatedTo));
  return broken && formatMessage(DETAIL_MESSAGES.notLinkable, broken.relatedTo!.name, broken.relatedTo!.field);
}

/** "Lead", "Company" or the custom object's API name, as relationships name what a link field points at. */
function relatedName(name: string): string {
  const lower = name.toLowerCase();
  return lower === 'lead' ? 'Lead' : lower === 'company' ? 'Company' : name;
}

/** A version as the object engine serves its records: marketoGUID, the times, then its fields. */
export function objectTypeOf(type: StoredType, version: TypeVersion, links: LinkTargets): ObjectType {
  const fields: ObjectField[] = [
    ...objectFields(systemFields('marketoGUID')),
    ...version.fields.map((field, index) => ({
      id: 100 + index,
      name: field.name,
      displayName: field.displayName,
      // A link field holds what the field it names holds (the doc's Lead ID link is an integer).
      dataType: field.dataType === 'link' ? (links.fieldType(field.relatedTo!) ?? 'string') : field.dataType,
      ...(field.dataType === 'string' ? { length: 255 } : {}),
      // Dedupe fields name a record: given on create, never changed (describe: updateable false).
      readOnly: field.isDedupeField,
      searchable: field.isDedupeField || field.dataType === 'link',
      custom: true,
    })),
  ];
  const dedupe = version.fields.filter((field) => field.isDedupeField).map((field) => field.name);
  const linkFields = version.fields.filter((field) => field.dataType === 'link');
  const relationships: Relationship[] = linkFields.map((field) => ({
    field: field.name,
    type: 'child',
    relatedTo: { name: relatedName(field.relatedTo!.name), field: field.relatedTo!.field },
  }));
  return new ObjectType({
    typeId: type.id,
    name: type.apiName,
    displayName: version.displayName,
    ...(version.description !== undefined ? { description: version.description } : {}),
    ...(version.pluralName !== undefined ? { pluralName: version.pluralName } : {}),
    idField: 'marketoGUID',
    dedupeFields: dedupe,
    searchableFields: [
      ...(dedupe.length > 0 ? [dedupe] : []),
      ['marketoGUID'],
      ...linkFields.filter((field) => !(dedupe.length === 1 && dedupe[0] === field.name)).map((field) => [field.name]),
    ],
    fields,
    relationships,
    createdAt: type.createdAt,
    updatedAt: type.updatedAt,
  });
}
