import { formatDatetime } from '../../domain/datetime.js';
import { decimalId } from '../../domain/record-ids.js';

/**
 * Fields of Marketo's object APIs (leads, companies, opportunities, custom objects…): their data types, a catalog
 * that finds them by name without regard to case, and how an input value becomes a stored one. Each object family
 * lists its own fields; describe, filters, reads and syncs answer from its catalog.
 */

/** The types a custom lead field may have: the seven of the admin plane, and the rest of createLeadFieldUsingPOST's. */
export const CUSTOM_FIELD_TYPES = [
  'string',
  'email',
  'integer',
  'float',
  'boolean',
  'date',
  'datetime',
  'currency',
  'phone',
  'url',
  'percent',
  'score',
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
/** What a field holds. */
export type FieldDataType = CustomFieldType | 'text';

/**
 * The data types of custom object fields and of custom activity attributes, in Marketo's order (custom-objects.md
 * "List Field Data Types"; Adobe's CustomActivityTypeAttribute): `link` names another object's field.
 */
export const LINKABLE_DATA_TYPES = [
  'string',
  'boolean',
  'integer',
  'float',
  'link',
  'email',
  'currency',
  'date',
  'datetime',
  'phone',
  'text',
] as const;

/** A declared custom field as its object's catalog holds it, numbered after the standard fields. */
export function customCatalogField(
  field: { name: string; displayName: string; dataType: CustomFieldType; length?: number | undefined },
  index: number,
  searchable: boolean,
): ObjectField {
  return {
    id: CUSTOM_FIELD_ID_BASE + index,
    name: field.name,
    displayName: field.displayName,
    dataType: field.dataType,
    ...(field.length !== undefined ? { length: field.length } : {}),
    readOnly: false,
    searchable,
    custom: true,
  };
}

/** Custom fields get ids after the standard ones, like Marketo's describe. */
export const CUSTOM_FIELD_ID_BASE = 10000;

export interface ObjectField {
  id: number;
  name: string;
  displayName: string;
  dataType: FieldDataType;
  length?: number;
  /** Not writable through a sync. */
  readOnly: boolean;
  /** Usable as filterType and lookupField. */
  searchable: boolean;
  custom: boolean;
}

/** A catalog of standard plus custom fields, case-insensitive by name. */
export class FieldCatalog {
  private readonly byName: Map<string, ObjectField>;

  constructor(
    readonly fields: readonly ObjectField[],
    /** The names a read returns when none are asked for, in their order. */
    private readonly defaultReadNames: readonly string[],
  ) {
    this.byName = new Map(fields.map((field) => [field.name.toLowerCase(), field]));
  }

  find(name: string): ObjectField | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The fields a read returns when none are asked for: looked up once per catalog, not per call. */
  get defaultReadFields(): readonly ObjectField[] {
    return (this.defaults ??= this.defaultReadNames.map((name) => this.find(name)!));
  }

  private defaults: readonly ObjectField[] | undefined;

  searchable(): ObjectField[] {
    return this.fields.filter((field) => field.searchable);
  }
}

export type Coerced = { ok: true; value: string | number | boolean | null } | { ok: false };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Decimal notation only: "0x1", "0b1", " 1" and "Infinity" are not numbers (as src/domain/record-ids.ts has it for ids). */
const DECIMAL_NUMBER = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

function asNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && DECIMAL_NUMBER.test(raw) && Number.isFinite(Number(raw))) return Number(raw);
  return undefined;
}

/** A JSON integer or decimal digits, as an id is (integer fields hold ids and links: "1e0" names no record). */
function asInteger(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
  return typeof raw === 'string' ? decimalId(raw) : undefined;
}

/**
 * A value as stored for `field`, or not ok when the input cannot be one (record-level 1003).
 * null and "" clear the field, as Marketo writes them as null.
 */
export function coerceFieldValue(field: ObjectField, raw: unknown): Coerced {
  if (raw === null || raw === '') return { ok: true, value: null };
  switch (field.dataType) {
    case 'integer':
    case 'score': {
      const n = asInteger(raw);
      return n !== undefined ? { ok: true, value: n } : { ok: false };
    }
    case 'float':
    case 'currency':
    case 'percent': {
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
