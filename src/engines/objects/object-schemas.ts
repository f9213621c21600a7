import { z } from 'zod';
import { MAX_BATCH, RECORD_STATUSES, type RecordStatus } from '../../domain/results.js';
import { commaList, envelopeOf, reasonSchema } from '../../http/marketo-schemas.js';
import type { FieldDataType, ObjectField } from './fields.js';
import type { IdField, ObjectType } from './object-type.js';

/**
 * The zod schemas of the object APIs, declared exactly (OpenAPI and response checks read them): request bodies and
 * queries shared by every family, and per family the record, result and describe shapes built from its fields.
 */

/** A field value in a record's wire form (nulls are left out). */
export const fieldValueSchema = z.union([z.string(), z.number(), z.boolean()]);

// A standard field's value in a record, one schema per kind shared by every field of it (schemas made at start-up are
// a large part of the CLI's cold start, issue 32).
const optionalValue = {
  integer: z.number().int().optional(),
  number: z.number().optional(),
  boolean: z.boolean().optional(),
  string: z.string().optional(),
};

function optionalValueSchemaOf(dataType: FieldDataType) {
  switch (dataType) {
    case 'integer':
    case 'score':
      return optionalValue.integer;
    case 'float':
    case 'currency':
    case 'percent':
      return optionalValue.number;
    case 'boolean':
      return optionalValue.boolean;
    default:
      return optionalValue.string;
  }
}

/**
 * Both shapes' types are erased to z.ZodType: the union of id and GUID shapes tells the compiler less than the
 * schema does, and responses are checked against the schema in tests.
 *
 * A record as queries answer it: `seq`, the id field, then any of the standard fields (each optional: `fields`
 * chooses), and custom fields by name. A family of types known only at run time (custom objects) names none.
 */
export function recordSchemaOf(
  id: string,
  idField: IdField,
  standard: readonly ObjectField[],
  example?: object,
): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const field of standard) {
    if (field.name === idField) continue;
    shape[field.name] = optionalValueSchemaOf(field.dataType);
  }
  return z
    .object({
      seq: z.number().int().describe("The record's place in the page"),
      ...(idField === 'id' ? { id: z.number().int() } : { marketoGUID: z.string() }),
      ...shape,
    })
    .catchall(fieldValueSchema)
    .meta({ id, ...(example ? { example } : {}) });
}

const recordStatus = z.enum(RECORD_STATUSES);

/** A write's result per record: `seq`, the id field of the record written, the status, and reasons when skipped. */
export function resultSchemaOf<const S extends readonly [RecordStatus, ...RecordStatus[]]>(
  id: string,
  idField: IdField,
  statuses: S,
): z.ZodType {
  return z
    .object({
      seq: z.number().int().describe("The record's index in the input"),
      ...(idField === 'id' ? { id: z.number().int().optional() } : { marketoGUID: z.string().optional() }),
      status: recordStatus.extract(statuses),
      reasons: z.array(reasonSchema).optional(),
    })
    .meta({ id });
}

/** A field as a describe shows it (lead-database.md), for the object engine and the custom object type API. */
export const describeField = z
  .object({
    name: z.string(),
    displayName: z.string(),
    description: z.string().optional(),
    dataType: z.string(),
    length: z.number().int().optional(),
    updateable: z.boolean(),
    crmManaged: z.boolean(),
  })
  .meta({ id: 'ObjectField' });

export const relationshipSchema = z
  .object({
    field: z.string(),
    type: z.enum(['parent', 'child']),
    relatedTo: z.object({ name: z.string(), field: z.string() }),
  })
  .meta({ id: 'ObjectRelation' });

/** describe.json's one result (lead-database.md "Describe"; Adobe's ObjectMetaData). */
export const describeSchema = z
  .object({
    name: z.string(),
    displayName: z.string(),
    description: z.string().optional(),
    pluralName: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    idField: z.string(),
    dedupeFields: z.array(z.string()),
    searchableFields: z.array(z.array(z.string())),
    fields: z.array(describeField),
    relationships: z.array(relationshipSchema).optional(),
  })
  .meta({ id: 'ObjectMetaData' });
export const describeEnvelope = envelopeOf(describeSchema);

/** What describe answers for a type. */
export function describeOf(type: ObjectType, crmManaged = false): z.infer<typeof describeSchema> {
  const { spec } = type;
  return {
    name: spec.name,
    displayName: spec.displayName,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...(spec.pluralName !== undefined ? { pluralName: spec.pluralName } : {}),
    createdAt: new Date(spec.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    updatedAt: new Date(spec.updatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    idField: spec.idField,
    dedupeFields: type.dedupeFields.map((field) => field.name),
    searchableFields: type.searchableSets.map((set) => set.map((field) => field.name)),
    fields: type.catalog.fields.map((field) => ({
      name: field.name,
      displayName: field.displayName,
      dataType: field.dataType,
      ...(field.length !== undefined ? { length: field.length } : {}),
      updateable: !field.readOnly,
      crmManaged,
    })),
    ...(spec.relationships ? { relationships: [...spec.relationships] } : {}),
  };
}

/** One input record: any fields by name (each checked against the type, record by record). */
// An object of any keys (catchall), not z.record: the same check, at a third of the cost on a 300-record sync.
const inputRecord = z.object({}).catchall(z.unknown());

export const keyModeSchema = z.enum(['dedupeFields', 'idField']);

/** Sync's body (SyncCompanyRequest, SyncCustomObjectRequest …), for the actions a family allows. */
export function syncBodyOf<const A extends readonly [string, ...string[]]>(actions: A, defaultAction: A[number]) {
  return z.object({
    action: z.enum(actions).default(defaultAction as never),
    dedupeBy: keyModeSchema.default('dedupeFields'),
    input: z.array(inputRecord).min(1).max(MAX_BATCH),
  });
}

/** Delete's body (DeleteCompanyRequest …). */
export const deleteBody = z.object({
  deleteBy: keyModeSchema.default('dedupeFields'),
  input: z.array(inputRecord).min(1).max(MAX_BATCH),
});

/** A query's parameters, in the query string (GET, or a form POST `_method=GET`). */
export const queryParams = z.object({
  filterType: z.string().min(1).optional().describe('A searchable field (describe), idField or dedupeFields'),
  filterValues: commaList(z.string()).optional().describe('Comma-separated values of filterType'),
  fields: commaList(z.string()).optional().describe('Comma-separated field names'),
  batchSize: z.coerce.number().int().min(1).max(MAX_BATCH).optional(),
  nextPageToken: z.string().optional(),
});

/**
 * A query's JSON body, POST `_method=GET` (lead-database.md "Compound Keys"; Adobe's LookupCustomObjectRequest): a
 * compound key's values as key objects in `input`.
 */
export const queryBody = z
  .object({
    filterType: z.string().min(1).optional(),
    fields: z.union([z.array(z.string()), commaList(z.string())]).optional(),
    input: z.array(z.unknown()).optional(),
    filterValues: commaList(z.string()).optional(),
    batchSize: z.coerce.number().int().min(1).max(MAX_BATCH).optional(),
    nextPageToken: z.string().optional(),
  })
  .nullish();
