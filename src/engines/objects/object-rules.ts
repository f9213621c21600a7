import type { AppContext } from '../../context.js';
import { formatDatetime } from '../../domain/datetime.js';
import { MAX_JSON_DEPTH, pathTooDeep } from '../../domain/depth.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage, type RecordCode, reason } from '../../domain/marketo-codes.js';
import { decodePageToken, encodePageToken, queryDigest } from '../../domain/paging.js';
import { DEFAULT_PARTITION_ID } from '../../domain/model.js';
import { MAX_BATCH, type ObjectResult, objectSkipped, type Reason } from '../../domain/results.js';
import { coerceFieldValue, type ObjectField } from './fields.js';
import type { LinkValue, ObjectColumn, ObjectFilter, ObjectRecord, ObjectRepository } from './object-repository.js';
import { dedupeKey, type FieldValue, type ObjectType, sameKeyValue } from './object-type.js';

/**
 * The object APIs' rules (lead-database.md "Query", "Create and Update", "Delete"; marketo-reference.md §6.3):
 * query by a searchable field set, sync with `action` and `dedupeBy`, delete with `deleteBy`; per-record results in
 * input order with `seq`, the type's id field and, when skipped, `reasons`; nothing of a skipped record is written.
 */

export type SyncAction = 'createOnly' | 'updateOnly' | 'createOrUpdate';
export type KeyMode = 'dedupeFields' | 'idField';

/** What a family's hooks may read: other families' ports and its own folder's repositories. */
export type ObjectEnv = Pick<AppContext, 'port' | 'repo'>;

/** A link to other objects checked: a reason to skip the record, or the values of the table's link columns. */
export type LinkResult = { reason: Reason } | { links: readonly LinkValue[] };

/** What a family adds to the shared rules. */
export interface ObjectHooks {
  /**
   * Checks what a record names of other objects (a role's lead and opportunity, a custom object's lead) and gives
   * the link columns' values. Called for every record written, the seed's included.
   */
  link?(values: Readonly<Record<string, FieldValue>>, env: ObjectEnv, type: ObjectType): LinkResult;
  /** Why a record may not be deleted (1022 Object in use), if it may not. */
  beforeDelete?(record: ObjectRecord, env: ObjectEnv): Reason | undefined;
}

/** The caller's partitions, for a partition-scoped family. */
export interface PartitionScope {
  readable: ReadonlySet<number>;
  writable: ReadonlySet<number>;
}

/** Everything one call works with. */
export interface ObjectCall {
  type: ObjectType;
  repo: ObjectRepository;
  hooks: ObjectHooks;
  env: ObjectEnv;
  /** Set for partition-scoped families. */
  scope?: PartitionScope | undefined;
  now: number;
}

/** A record skipped, with its reason; thrown inside one record's work and turned into its result. */
class Skip extends Error {
  constructor(readonly reason: Reason) {
    super(reason.message);
  }
}

const skip = (code: RecordCode, message?: string): never => {
  throw new Skip(reason(code, message));
};

/** A rejected value as a message shows it, at most 200 characters of it. */
function shown(raw: unknown): string {
  const text = typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The record's key as a result names it: `{id}` or `{marketoGUID}`. */
function keyOf(type: ObjectType, record: ObjectRecord): { id: number } | { marketoGUID: string } {
  return type.idField === 'id' ? { id: record.id } : { marketoGUID: record.marketoGUID! };
}

/** The record the id field names, if the caller may see it. */
function byIdField(call: ObjectCall, value: FieldValue): ObjectRecord | undefined {
  const { type, repo } = call;
  const found =
    type.idField === 'id' ? repo.find(type.typeId, value as number) : repo.findByGuid(type.typeId, value as string);
  return found && visible(call, found) ? found : undefined;
}

function visible(call: ObjectCall, record: ObjectRecord): boolean {
  return !call.scope || call.scope.readable.has(record.partitionId!);
}

/**
 * The record a dedupe key names, among those the caller may see: in a partition-scoped family one key may be in
 * several partitions (as an email is among leads), and more than one visible is 1007.
 */
function byKey(call: ObjectCall, key: string, partitionIds?: readonly number[]): ObjectRecord | undefined {
  const { type, repo, scope } = call;
  if (!scope) return repo.findByKey(type.typeId, key);
  const found = repo.findByKeyIn(type.typeId, key, partitionIds ?? [...scope.readable]);
  if (found.length > 1) skip('1007');
  return found[0];
}

/** A value as `field` stores it, or the record's 1003. */
function coerced(field: ObjectField, raw: unknown): FieldValue {
  const result = coerceFieldValue(field, raw);
  if (!result.ok) skip('1003', formatMessage(DETAIL_MESSAGES.invalidFieldValue, field.name, shown(raw)));
  return (result as { value: FieldValue }).value;
}

/** A record's key values, from an input object, for a set of fields: 1002 when one is missing or empty. */
function keyValues(fields: readonly ObjectField[], input: Record<string, unknown>, type: ObjectType): FieldValue[] {
  return fields.map((field) => {
    const name = Object.keys(input).find((key) => type.catalog.find(key) === field);
    const raw = name === undefined ? undefined : input[name];
    if (raw === undefined || raw === null || raw === '') skip('1002', marketoMessage('1002', field.name));
    return coerced(field, raw);
  });
}

/**
 * Sync: createOnly, updateOnly or createOrUpdate, by the dedupe fields or the id field, ≤ 300 records. The caller
 * runs it in its transaction: one opened here would be a SAVEPOINT inside the route's, whose sub-journal copies
 * each page the batch changes again (about 400 more writes per 300-record call).
 */
export function syncObjects(
  call: ObjectCall,
  request: { action: SyncAction; dedupeBy: KeyMode; input: readonly unknown[] },
): ObjectResult[] {
  const { action, dedupeBy } = request;
  // The id field is the system's: a record cannot be created by it (lead-database.md "Create and Update").
  if (dedupeBy === 'idField' && action === 'createOnly') {
    throw new MarketoError('1003', DETAIL_MESSAGES.idFieldWithCreateOnly);
  }
  const { type, repo } = call;
  const idField = type.catalog.find(type.idField)!;
  const seen = new Set<string>();

  /** A sync result, its key as the type names records (`{seq, status, id}` or `{seq, status, marketoGUID}`). */
  const resultOf = (seq: number, status: 'created' | 'updated', record: ObjectRecord): ObjectResult =>
    type.idField === 'id' ? { seq, status, id: record.id } : { seq, status, marketoGUID: record.marketoGUID! };

  const syncOne = (raw: unknown, seq: number): ObjectResult => {
    if (!isPlainObject(raw)) return skip('1003');
    const tooDeep = pathTooDeep(raw);
    if (tooDeep) {
      skip('1003', `Invalid value for field '${tooDeep[0]}': nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    // The fields given and their stored values, side by side in input order (a field given twice, in two cases,
    // keeps its first place and its last value): each field is looked up in the catalog once, and no object keyed
    // by name is built (one without a prototype, so that a field named `constructor` is data, is a dictionary, slow
    // to walk, spread and stringify).
    const given: ObjectField[] = [];
    const values: FieldValue[] = [];
    let id: FieldValue | undefined;
    for (const name of Object.keys(raw)) {
      const field = type.catalog.find(name);
      if (!field) return skip('1006', marketoMessage('1006', name));
      if (field === idField) {
        if (dedupeBy !== 'idField') skip('1003', formatMessage(DETAIL_MESSAGES.idFieldOnlyWithIdField, field.name));
        id = coerced(field, raw[name]);
        continue;
      }
      if (type.unwritable.has(field.name)) skip('1003', formatMessage(DETAIL_MESSAGES.readOnlyField, field.name));
      const value = coerced(field, raw[name]);
      const at = given.indexOf(field);
      if (at >= 0) values[at] = value;
      else {
        given.push(field);
        values.push(value);
      }
    }

    let existing: ObjectRecord | undefined;
    let lookup: string;
    if (dedupeBy === 'idField') {
      if (id === undefined || id === null) return skip('1002', marketoMessage('1002', idField.name));
      lookup = `id:${String(id)}`;
      existing = byIdField(call, id);
    } else {
      // Stored values coerce to themselves: the key is made of them as given.
      const parts = type.dedupeFields.map((field) => {
        const at = given.indexOf(field);
        const value = at < 0 ? null : values[at]!;
        if (value === null) skip('1002', marketoMessage('1002', field.name));
        return value;
      });
      lookup = dedupeKey(parts);
      existing = byKey(call, lookup);
    }
    // The same key twice in one call: the later records are skipped (error-codes.md 1036).
    if (seen.has(lookup)) return skip('1036');
    seen.add(lookup);

    if (existing) {
      if (action === 'createOnly') return skip('1017');
      if (call.scope && !call.scope.writable.has(existing.partitionId!)) {
        return skip('1008', marketoMessage('1008', String(existing.partitionId)));
      }
      const fields = { ...existing.fields };
      for (let i = 0; i < given.length; i++) {
        const field = given[i]!;
        const value = values[i]!;
        const name = field.name;
        if (field.readOnly) {
          // Given on create only (describe: updateable false); the same value again is no change.
          if (!sameKeyValue(fields[name] ?? null, value)) {
            skip('1003', formatMessage(DETAIL_MESSAGES.notUpdateableField, field.name));
          }
          continue;
        }
        if (value === null) delete fields[name];
        else fields[name] = value;
      }
      for (const field of type.requiredOnCreate) {
        if (fields[field.name] === undefined) skip('1003', formatMessage(DETAIL_MESSAGES.requiredField, field.name));
      }
      // By the dedupe fields, the key stays the one the record was found by: each dedupe field was given a value,
      // which is now the record's, or is not updateable and the same as the record's (sameKeyValue).
      let key = lookup;
      if (dedupeBy === 'idField') {
        key = dedupeKey(type.dedupeFields.map((field) => fields[field.name] ?? null));
        if (key !== dedupeKey(type.dedupeFields.map((field) => existing!.fields[field.name] ?? null))) {
          const other = byKey(call, key, existing.partitionId === null ? undefined : [existing.partitionId]);
          if (other && other.id !== existing.id) return skip('1017');
        }
      }
      const links = linksOf(call, fields);
      const updated = repo.update(existing, {
        typeId: type.typeId,
        partitionId: existing.partitionId,
        dedupeKey: key,
        fields,
        links,
      });
      return resultOf(seq, 'updated', updated);
    }

    if (action === 'updateOnly' || dedupeBy === 'idField') return skip('1013');
    // A field given null or "" is left out of a new record (a default of the type's stays).
    for (const field of type.requiredOnCreate) {
      const at = given.indexOf(field);
      if (at < 0 || values[at] === null) skip('1002', marketoMessage('1002', field.name));
    }
    const partitionId = call.scope ? partitionForCreate(call.scope) : null;
    const fields: Record<string, FieldValue> = { ...type.spec.createDefaults };
    for (let i = 0; i < given.length; i++) if (values[i] !== null) fields[given[i]!.name] = values[i]!;
    const links = call.hooks.link ? linksOf(call, valuesGiven(given, values)) : [];
    const created = repo.insert({ typeId: type.typeId, partitionId, dedupeKey: lookup, fields, links });
    return resultOf(seq, 'created', created);
  };

  return eachRecord(request.input, syncOne);
}

/** Each record's result; a record's Skip is its skipped result, any other throw ends the call. */
function eachRecord(input: readonly unknown[], one: (raw: unknown, seq: number) => ObjectResult): ObjectResult[] {
  return input.map((raw, seq) => {
    try {
      return one(raw, seq);
    } catch (error) {
      if (error instanceof Skip) return objectSkipped(seq, error.reason);
      throw error;
    }
  });
}

function linksOf(call: ObjectCall, values: Readonly<Record<string, FieldValue>>): readonly LinkValue[] {
  if (!call.hooks.link) return [];
  const linked = call.hooks.link(values, call.env, call.type);
  if ('reason' in linked) throw new Skip(linked.reason);
  return linked.links;
}

/** The values given for a new record, by field name, without the nulls: what a family's link hook reads. */
function valuesGiven(given: readonly ObjectField[], values: readonly FieldValue[]): Record<string, FieldValue> {
  // No prototype: a field named `constructor` is looked up as data.
  const byName = Object.create(null) as Record<string, FieldValue>;
  for (let i = 0; i < given.length; i++) if (values[i] !== null) byName[given[i]!.name] = values[i]!;
  return byName;
}

/**
 * Where a partition-scoped family's new record goes when nothing names one: the Default partition if the caller
 * may write it, else the one partition it may write; more than one is 1009, none 1008 (as Sync Leads decides).
 */
function partitionForCreate(scope: PartitionScope): number {
  if (scope.writable.has(DEFAULT_PARTITION_ID)) return DEFAULT_PARTITION_ID;
  const writable = [...scope.writable];
  if (writable.length === 1) return writable[0]!;
  if (writable.length === 0) return skip('1008', marketoMessage('1008', String(DEFAULT_PARTITION_ID)));
  return skip('1009');
}

/** Delete by the dedupe fields (default) or the id field, ≤ 300 records; the caller runs it in its transaction. */
export function deleteObjects(
  call: ObjectCall,
  request: { deleteBy: KeyMode; input: readonly unknown[] },
): ObjectResult[] {
  const { type, repo, hooks, env } = call;
  const set = request.deleteBy === 'idField' ? [type.catalog.find(type.idField)!] : type.dedupeFields;
  const deleteOne = (raw: unknown, seq: number): ObjectResult => {
    if (!isPlainObject(raw)) return skip('1003');
    for (const name of Object.keys(raw)) {
      if (!type.catalog.find(name)) skip('1006', marketoMessage('1006', name));
    }
    const values = keyValues(set, raw, type);
    const found = request.deleteBy === 'idField' ? byIdField(call, values[0]!) : byKey(call, dedupeKey(values));
    if (!found) return skip('1013');
    if (call.scope && !call.scope.writable.has(found.partitionId!)) {
      return skip('1008', marketoMessage('1008', String(found.partitionId)));
    }
    const refused = hooks.beforeDelete?.(found, env);
    if (refused) throw new Skip(refused);
    repo.delete(found.id);
    return { seq, status: 'deleted', ...keyOf(type, found) };
  };
  return eachRecord(request.input, deleteOne);
}

export interface ObjectQuery {
  filterType: string;
  /** Values of a one-field filterType (GET, or a form body). */
  filterValues?: readonly string[] | undefined;
  /** Key objects (POST `_method=GET` with a JSON body): the only way to query a compound key. */
  input?: readonly unknown[] | undefined;
  fields?: readonly string[] | undefined;
  batchSize: number;
  nextPageToken?: string | undefined;
}

/** A record as a query answers it: `seq` (its place in the page), the id field, the asked fields that have a value. */
export type ObjectWire = Record<string, FieldValue> & { seq: number };

/** The fields a query returns: the asked ones (unknown → 1006) or the type's defaults, the id field first. */
export function readFields(type: ObjectType, asked: readonly string[] | undefined, also: readonly ObjectField[] = []) {
  const idField = type.catalog.find(type.idField)!;
  if (!asked || asked.length === 0) return [...new Set([...type.defaultFields, ...also])];
  const fields: ObjectField[] = [idField];
  for (const name of asked) {
    const field = type.catalog.find(name);
    if (!field) throw new MarketoError('1006', marketoMessage('1006', name));
    if (!fields.includes(field)) fields.push(field);
  }
  return fields;
}

/** A record in wire form: nulls are left out, as Marketo implies them (lead-database.md "Query"). */
export function wireRecord(record: ObjectRecord, fields: readonly ObjectField[], seq: number): ObjectWire {
  const wire = { seq } as ObjectWire;
  for (const field of fields) {
    switch (field.name) {
      case 'id':
        wire.id = record.id;
        break;
      case 'marketoGUID':
        wire.marketoGUID = record.marketoGUID;
        break;
      case 'createdAt':
        wire.createdAt = formatDatetime(record.createdAt);
        break;
      case 'updatedAt':
        wire.updatedAt = formatDatetime(record.updatedAt);
        break;
      default: {
        const value = Object.hasOwn(record.fields, field.name) ? record.fields[field.name] : undefined;
        if (value !== undefined && value !== null) wire[field.name] = value;
      }
    }
  }
  return wire;
}

/** Filter values as the field stores them; an unusable one is 1003 for the whole call. */
function filterValue(field: ObjectField, raw: unknown, filterType: string): FieldValue {
  const result = coerceFieldValue(field, raw);
  if (!result.ok || result.value === null) {
    throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidFilterValue, shown(raw), filterType));
  }
  return result.value;
}

/** How a searchable set is looked up. */
function columnOf(call: ObjectCall, set: readonly ObjectField[]): ObjectColumn {
  const { type, repo } = call;
  if (set.length === 1 && set[0]!.name === type.idField) return { kind: type.idField === 'id' ? 'id' : 'guid' };
  if (type.isDedupeSet(set)) return { kind: 'dedupe' };
  const field = set[0]!;
  const column = repo.table.fieldColumns?.[field.name];
  if (column) return { kind: 'link', column };
  const numeric = field.dataType === 'integer' || field.dataType === 'float' || field.dataType === 'currency';
  return { kind: 'json', field: field.name, numeric };
}

/** Query by filterType (a searchable field, `idField` or `dedupeFields`) with paging. */
export function queryObjects(
  call: ObjectCall,
  query: ObjectQuery,
): { records: ObjectWire[]; moreResult: boolean; nextPageToken?: string } {
  const { type, repo } = call;
  const set = type.searchableSet(query.filterType) ?? compoundSet(type, query.filterType);
  if (!set) throw new MarketoError('1011', marketoMessage('1011', query.filterType));
  let values: FieldValue[];
  if (query.input !== undefined) {
    if (query.input.length === 0) throw new MarketoError('701', marketoMessage('701', 'input'));
    if (query.input.length > MAX_BATCH) {
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.tooManyRecords, MAX_BATCH));
    }
    values = query.input.map((item) => {
      if (!isPlainObject(item)) throw new MarketoError('1003', DETAIL_MESSAGES.keyObjectExpected);
      const parts = set.map((field) => {
        const name = Object.keys(item).find((key) => type.catalog.find(key) === field);
        if (name === undefined) {
          throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.keyFieldMissing, field.name));
        }
        return filterValue(field, item[name], field.name);
      });
      return set.length === 1 && !type.isDedupeSet(set) ? parts[0]! : dedupeKey(parts);
    });
  } else {
    if (set.length > 1)
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.compoundKeyQuery, query.filterType));
    const raw = query.filterValues ?? [];
    if (raw.length === 0) throw new MarketoError('701', marketoMessage('701', 'filterValues'));
    if (raw.length > MAX_BATCH)
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.tooManyRecords, MAX_BATCH));
    values = raw.map((value) => filterValue(set[0]!, value, query.filterType));
    if (type.isDedupeSet(set)) values = values.map((value) => dedupeKey([value]));
  }
  const fields = readFields(type, query.fields, set);
  const filter: ObjectFilter = {
    typeId: type.typeId,
    column: columnOf(call, set),
    values,
    ...(call.scope ? { partitionIds: [...call.scope.readable] } : {}),
  };
  // What a page token belongs to, worked out only for a call that reads or gives one.
  const digest = () =>
    queryDigest([type.typeId, set.map((f) => f.name), values, fields.map((f) => f.name), query.batchSize]);
  const afterId = query.nextPageToken ? decodePageToken(query.nextPageToken, digest(), call.now) : 0;
  const page = repo.page(filter, afterId, query.batchSize + 1);
  const more = page.length > query.batchSize;
  const rows = more ? page.slice(0, query.batchSize) : page;
  return {
    records: rows.map((record, seq) => wireRecord(record, fields, seq)),
    moreResult: more,
    ...(more ? { nextPageToken: encodePageToken(rows.at(-1)!.id, digest(), call.now) } : {}),
  };
}

/** A filterType naming the dedupe fields themselves, comma-joined (a compound key written out). */
function compoundSet(type: ObjectType, filterType: string): readonly ObjectField[] | undefined {
  const names = filterType.split(',').map((name) => type.catalog.find(name.trim()));
  return names.length > 1 && type.isDedupeSet(names as ObjectField[]) ? type.dedupeFields : undefined;
}
