import { type FieldDataType, FieldCatalog, type ObjectField } from './fields.js';

/**
 * An object type of Marketo's object APIs (companies, opportunities, roles, named accounts, sales persons, custom
 * objects…) as the object engine serves it: what describe shows, its key fields, and its field catalog
 * (marketo-reference.md §6.3; lead-database.md "Describe").
 */

/** A field value as stored and answered. */
export type FieldValue = string | number | boolean | null;

/** The field that names a record: an integer id (companies, sales persons) or a GUID (the others). */
export type IdField = 'id' | 'marketoGUID';

/** A link from one of the type's fields to another object (custom objects' `relationships`). */
export interface Relationship {
  field: string;
  type: 'parent' | 'child';
  relatedTo: { name: string; field: string };
}

export interface ObjectTypeSpec {
  /** The record's type in a table of several types (custom objects: the type's id); 0 in a table of one type. */
  typeId: number;
  /** describe's `name` ("Company", "opportunityRole", "car"). */
  name: string;
  displayName: string;
  description?: string;
  pluralName?: string;
  idField: IdField;
  /** The fields that name a record for `dedupeBy: dedupeFields`, in order (a compound key has several). */
  dedupeFields: readonly string[];
  /**
   * What describe lists as searchable, in its order: each entry a field set usable as `filterType` (a compound
   * set only through POST `_method=GET` with `input`). The id and dedupe sets are added when missing.
   */
  searchableFields: readonly (readonly string[])[];
  /** Every field, system ones included (the id field, createdAt, updatedAt), standard then custom. */
  fields: readonly ObjectField[];
  relationships?: readonly Relationship[];
  /** What a query returns without `fields`, when not the id field, the dedupe fields, updatedAt and createdAt. */
  defaultFields?: readonly string[];
  /** Fields a create must give a value (opportunities: name). */
  requiredOnCreate?: readonly string[];
  /** Fields only Marketo sets (named account counts, a list's type): no sync may give them (1003). */
  managedFields?: readonly string[];
  /** What a created record holds in managed fields (named account lists: type "default", updateable true). */
  createDefaults?: Readonly<Record<string, FieldValue>>;
  /** When the type was created and last changed, for describe (epoch ms). */
  createdAt: number;
  updatedAt: number;
}

/** The fields no write may set: the record's id and its times, kept by the engine. */
export const SYSTEM_FIELDS: ReadonlySet<string> = new Set(['id', 'marketoGUID', 'createdAt', 'updatedAt']);

/**
 * When Marketo's built-in object types (companies, opportunities…) were created, as their describe answers: the
 * fake has no such date, so it names one fixed time (decision, README "Decisions").
 */
export const BUILT_IN_TYPE_TIME = Date.parse('2026-01-01T00:00:00Z');

/** An object type with its lookups built once: fields by name, the key fields, the default read fields. */
export class ObjectType {
  readonly typeId: number;
  readonly name: string;
  readonly idField: IdField;
  readonly catalog: FieldCatalog;
  readonly dedupeFields: readonly ObjectField[];
  readonly searchableSets: readonly (readonly ObjectField[])[];
  readonly requiredOnCreate: readonly ObjectField[];
  /** The system fields and the managed ones: never given by a sync. */
  readonly unwritable: ReadonlySet<string>;
  /** What a query returns without `fields`: the id field, the dedupe fields, updatedAt, createdAt (companies.md). */
  readonly defaultFields: readonly ObjectField[];

  constructor(readonly spec: ObjectTypeSpec) {
    this.typeId = spec.typeId;
    this.name = spec.name;
    this.idField = spec.idField;
    this.catalog = new FieldCatalog(spec.fields, []);
    const field = (name: string): ObjectField => {
      const found = this.catalog.find(name);
      if (!found) throw new Error(`object type ${spec.name}: no field ${name}`);
      return found;
    };
    this.dedupeFields = spec.dedupeFields.map(field);
    const sets = spec.searchableFields.map((set) => set.map(field));
    const has = (names: readonly string[]) =>
      sets.some((set) => set.length === names.length && set.every((f, i) => f.name === names[i]));
    if (this.dedupeFields.length > 0 && !has(spec.dedupeFields)) sets.unshift([...this.dedupeFields]);
    if (!has([spec.idField])) sets.push([field(spec.idField)]);
    this.searchableSets = sets;
    this.requiredOnCreate = (spec.requiredOnCreate ?? []).map(field);
    this.unwritable = new Set([...SYSTEM_FIELDS, ...(spec.managedFields ?? []).map((name) => field(name).name)]);
    const defaults = spec.defaultFields
      ? [field(spec.idField), ...spec.defaultFields.map(field)]
      : [field(spec.idField), ...this.dedupeFields, field('updatedAt'), field('createdAt')];
    this.defaultFields = [...new Set(defaults)];
  }

  /** A searchable set of one field, by the field's name (case-insensitive) or an alias (idField, dedupeFields). */
  searchableSet(filterType: string): readonly ObjectField[] | undefined {
    if (filterType === 'idField') return [this.catalog.find(this.idField)!];
    if (filterType === 'dedupeFields') return this.dedupeFields.length > 0 ? this.dedupeFields : undefined;
    const field = this.catalog.find(filterType);
    if (!field) return undefined;
    return this.searchableSets.find((set) => set.length === 1 && set[0] === field);
  }

  /** Is this set the type's dedupe key (so its lookups use the dedupe column)? */
  isDedupeSet(set: readonly ObjectField[]): boolean {
    return set.length === this.dedupeFields.length && set.every((field, i) => field === this.dedupeFields[i]);
  }
}

type FieldRow = [
  name: string,
  displayName: string,
  dataType: FieldDataType,
  options?: { length?: number; updateable?: boolean; custom?: boolean },
];

/**
 * Fields from compact rows, numbered from `firstId`: `updateable: false` (describe's word) is the catalog's
 * `readOnly`, a field given on create and never changed after. Every field is searchable only through the type's
 * searchable sets, so `searchable` here says nothing.
 */
export function objectFields(rows: readonly FieldRow[], firstId = 1): ObjectField[] {
  return rows.map(([name, displayName, dataType, options], index) => ({
    id: firstId + index,
    name,
    displayName,
    dataType,
    ...(options?.length !== undefined ? { length: options.length } : {}),
    readOnly: options?.updateable === false,
    searchable: false,
    custom: options?.custom ?? false,
  }));
}

/** The system fields of a type whose records are named by `idField`, as describe lists them. */
export function systemFields(idField: IdField): FieldRow[] {
  return [
    idField === 'id'
      ? ['id', 'Id', 'integer', { updateable: false }]
      : ['marketoGUID', 'Marketo GUID', 'string', { length: 36, updateable: false }],
    ['createdAt', 'Created At', 'datetime', { updateable: false }],
    ['updatedAt', 'Updated At', 'datetime', { updateable: false }],
  ];
}

/** A dedupe value as the key column holds it: strings match without regard to case (decision, README). */
function keyPart(value: FieldValue): FieldValue {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/** The dedupe key column's text for a record's dedupe values (in the type's dedupe field order). */
export function dedupeKey(values: readonly FieldValue[]): string {
  return JSON.stringify(values.map(keyPart));
}

/**
 * Whether two values make the same part of a dedupe key (`dedupeKey([a]) === dedupeKey([b])`), without building
 * either key when they are alike.
 */
export function sameKeyValue(a: FieldValue, b: FieldValue): boolean {
  return keyPart(a) === keyPart(b) || dedupeKey([a]) === dedupeKey([b]);
}
