import type { Clock } from '../../clock.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { CustomFieldType } from '../../engines/objects/fields.js';
import {
  CUSTOM_FIELD_ID_BASE,
  isStandardFieldName,
  type LeadField,
  type LeadFieldCatalog,
  leadFieldCatalog,
  SEARCHABLE_CUSTOM_TYPES,
} from './lead-field-catalog.js';
import { type Database, prepareOnUse } from '../../storage/database.js';

export interface CustomLeadField {
  name: string;
  displayName: string;
  dataType: CustomFieldType;
  length?: number;
}

interface FieldRow {
  name: string;
  display_name: string;
  data_type: CustomFieldType;
  length: number | null;
}

const DEFAULT_STRING_LENGTH = 255;

function toCustomField(row: FieldRow): CustomLeadField {
  return {
    name: row.name,
    displayName: row.display_name,
    dataType: row.data_type,
    ...(row.length !== null ? { length: row.length } : {}),
  };
}

/** Custom lead fields; the catalog (standard + custom) is rebuilt only when they change. */
export class LeadFieldRepository {
  private readonly selectAll;
  private readonly selectByName;
  private readonly insert;
  private readonly deleteRow;
  private readonly clearValues;
  private cached: LeadFieldCatalog | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.selectAll = prepareOnUse<[], FieldRow>(
      db,
      'SELECT name, display_name, data_type, length FROM lead_fields ORDER BY created_at, name',
    );
    this.selectByName = prepareOnUse<[string], FieldRow>(
      db,
      'SELECT name, display_name, data_type, length FROM lead_fields WHERE name = ?',
    );
    this.insert = prepareOnUse<[string, string, string, number | null, number]>(
      db,
      'INSERT INTO lead_fields (name, display_name, data_type, length, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.deleteRow = prepareOnUse<[string]>(db, 'DELETE FROM lead_fields WHERE name = ?');
    // Values of a dropped field leave the leads with it. Names are API names ([A-Za-z][A-Za-z0-9_]*): path-safe.
    this.clearValues = prepareOnUse<[{ name: string }]>(
      db,
      "UPDATE leads SET fields = json_remove(fields, '$.' || @name) WHERE json_type(fields, '$.' || @name) IS NOT NULL",
    );
  }

  list(): CustomLeadField[] {
    return this.selectAll.all().map(toCustomField);
  }

  get(name: string): CustomLeadField {
    const row = this.selectByName.get(name);
    if (!row) throw new NotFoundError('Lead field', name);
    return toCustomField(row);
  }

  create(input: CustomLeadField): CustomLeadField {
    if (isStandardFieldName(input.name) || this.selectByName.get(input.name)) {
      throw new ConflictError(`A lead field named "${input.name}" already exists`);
    }
    this.load(input, this.clock.now());
    return this.get(input.name);
  }

  delete(name: string): void {
    const field = this.get(name);
    this.db.transaction(() => {
      this.deleteRow.run(field.name);
      this.clearValues.run({ name: field.name });
    })();
    this.cached = undefined;
  }

  /** Inserts a field (checked by the caller), created at `createdAt` (its describe order); strings default to 255. */
  load(field: CustomLeadField, createdAt: number): void {
    const length =
      field.length ?? (field.dataType === 'string' || field.dataType === 'email' ? DEFAULT_STRING_LENGTH : null);
    this.insert.run(field.name, field.displayName, field.dataType, length, createdAt);
    this.cached = undefined;
  }

  /** Forget the cached catalog (after fields change outside this repository). */
  invalidate(): void {
    this.cached = undefined;
  }

  /** Standard and custom fields, as describe shows them. */
  catalog(): LeadFieldCatalog {
    if (!this.cached) {
      const custom: LeadField[] = this.list().map((field, index) => ({
        id: CUSTOM_FIELD_ID_BASE + index,
        name: field.name,
        displayName: field.displayName,
        dataType: field.dataType,
        ...(field.length !== undefined ? { length: field.length } : {}),
        readOnly: false,
        searchable: SEARCHABLE_CUSTOM_TYPES.has(field.dataType),
        custom: true,
      }));
      this.cached = leadFieldCatalog(custom);
    }
    return this.cached;
  }
}
