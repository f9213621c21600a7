import type { Clock } from '../../clock.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { CustomFieldType } from '../../engines/objects/fields.js';
import {
  type NewSchemaField,
  type SchemaField,
  type SchemaFieldChanges,
  schemaFieldOf,
} from '../../engines/objects/schema-fields.js';
import {
  CUSTOM_FIELD_ID_BASE,
  isStandardFieldName,
  type LeadField,
  type LeadFieldCatalog,
  leadFieldCatalog,
  SEARCHABLE_CUSTOM_TYPES,
  STANDARD_FIELDS,
} from './lead-field-catalog.js';
import { type Database, prepareOnUse } from '../../storage/database.js';

/** A custom lead field: its type, and the metadata the schema field API shows and changes. */
export interface CustomLeadField {
  name: string;
  displayName: string;
  dataType: CustomFieldType;
  length?: number;
  description?: string;
  isHidden?: boolean;
  isHtmlEncodingInEmail?: boolean;
  isSensitive?: boolean;
  /** Created through the schema field API (not the admin plane or a seed). */
  isApiCreated?: boolean;
}

/** What the schema field API may change of a standard field (leads.md "Update Field"). */
export interface StandardFieldSettings {
  name: string;
  description?: string;
  isHtmlEncodingInEmail?: boolean;
  isSensitive?: boolean;
}

interface FieldRow {
  name: string;
  display_name: string;
  data_type: CustomFieldType;
  length: number | null;
  description: string | null;
  is_hidden: number;
  is_html_encoding: number | null;
  is_sensitive: number;
  is_api_created: number;
}

interface SettingsRow {
  name: string;
  description: string | null;
  is_html_encoding: number | null;
  is_sensitive: number | null;
}

const DEFAULT_STRING_LENGTH = 255;
const FIELD_COLUMNS =
  'name, display_name, data_type, length, description, is_hidden, is_html_encoding, is_sensitive, is_api_created';

function toCustomField(row: FieldRow): CustomLeadField {
  return {
    name: row.name,
    displayName: row.display_name,
    dataType: row.data_type,
    ...(row.length !== null ? { length: row.length } : {}),
    ...(row.description !== null ? { description: row.description } : {}),
    ...(row.is_hidden === 1 ? { isHidden: true } : {}),
    ...(row.is_html_encoding !== null ? { isHtmlEncodingInEmail: row.is_html_encoding === 1 } : {}),
    ...(row.is_sensitive === 1 ? { isSensitive: true } : {}),
    ...(row.is_api_created === 1 ? { isApiCreated: true } : {}),
  };
}

function toSettings(row: SettingsRow): StandardFieldSettings {
  return {
    name: row.name,
    ...(row.description !== null ? { description: row.description } : {}),
    ...(row.is_html_encoding !== null ? { isHtmlEncodingInEmail: row.is_html_encoding === 1 } : {}),
    ...(row.is_sensitive !== null ? { isSensitive: row.is_sensitive === 1 } : {}),
  };
}

const flag = (value: boolean | undefined): number | null => (value === undefined ? null : value ? 1 : 0);

/** Custom lead fields and standard fields' settings; the catalog (standard + custom) is rebuilt only when they change. */
export class LeadFieldRepository {
  private readonly selectAll;
  private readonly selectByName;
  private readonly insert;
  private readonly updateRow;
  private readonly deleteRow;
  private readonly clearValues;
  private readonly selectSettings;
  private readonly lastCreated;
  private readonly upsertSettings;
  private cached: LeadFieldCatalog | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.selectAll = prepareOnUse<[], FieldRow>(
      db,
      `SELECT ${FIELD_COLUMNS} FROM lead_fields ORDER BY created_at, name`,
    );
    this.selectByName = prepareOnUse<[string], FieldRow>(db, `SELECT ${FIELD_COLUMNS} FROM lead_fields WHERE name = ?`);
    this.insert = prepareOnUse<Record<string, unknown>>(
      db,
      `INSERT INTO lead_fields (${FIELD_COLUMNS}, created_at) VALUES
       (@name, @displayName, @dataType, @length, @description, @isHidden, @isHtmlEncoding, @isSensitive, @isApiCreated,
        @createdAt)`,
    );
    this.updateRow = prepareOnUse<Record<string, unknown>>(
      db,
      `UPDATE lead_fields SET display_name = @displayName, description = @description, is_hidden = @isHidden,
       is_html_encoding = @isHtmlEncoding, is_sensitive = @isSensitive WHERE name = @name`,
    );
    this.deleteRow = prepareOnUse<[string]>(db, 'DELETE FROM lead_fields WHERE name = ?');
    // Values of a dropped field leave the leads with it. Names are API names ([A-Za-z][A-Za-z0-9_]*): path-safe.
    this.clearValues = prepareOnUse<[{ name: string }]>(
      db,
      "UPDATE leads SET fields = json_remove(fields, '$.' || @name) WHERE json_type(fields, '$.' || @name) IS NOT NULL",
    );
    this.lastCreated = prepareOnUse<[], { at: number | null }>(db, 'SELECT max(created_at) AS at FROM lead_fields');
    this.selectSettings = prepareOnUse<[], SettingsRow>(
      db,
      'SELECT name, description, is_html_encoding, is_sensitive FROM lead_field_settings ORDER BY name',
    );
    this.upsertSettings = prepareOnUse<Record<string, unknown>>(
      db,
      `INSERT INTO lead_field_settings (name, description, is_html_encoding, is_sensitive)
       VALUES (@name, @description, @isHtmlEncoding, @isSensitive)
       ON CONFLICT (name) DO UPDATE SET description = excluded.description,
         is_html_encoding = excluded.is_html_encoding, is_sensitive = excluded.is_sensitive`,
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
    this.load(input, this.nextCreatedAt());
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
    this.insert.run({
      name: field.name,
      displayName: field.displayName,
      dataType: field.dataType,
      length,
      description: field.description ?? null,
      isHidden: field.isHidden ? 1 : 0,
      isHtmlEncoding: flag(field.isHtmlEncodingInEmail),
      isSensitive: field.isSensitive ? 1 : 0,
      isApiCreated: field.isApiCreated ? 1 : 0,
      createdAt,
    });
    this.cached = undefined;
  }

  /** Now, or just after the latest field when the clock stands still: describe lists fields in creation order. */
  private nextCreatedAt(): number {
    return Math.max(this.clock.now(), (this.lastCreated.get()?.at ?? -Infinity) + 1);
  }

  /** Standard fields whose metadata was changed. */
  settings(): StandardFieldSettings[] {
    return this.selectSettings.all().map(toSettings);
  }

  /** Stores a standard field's settings (the caller checked the name). */
  loadSettings(settings: StandardFieldSettings): void {
    this.upsertSettings.run({
      name: settings.name,
      description: settings.description ?? null,
      isHtmlEncoding: flag(settings.isHtmlEncodingInEmail),
      isSensitive: flag(settings.isSensitive),
    });
  }

  /** Every lead field with its metadata, standard then custom (Get Lead Fields). */
  fields(): SchemaField[] {
    const settings = new Map(this.settings().map((s) => [s.name.toLowerCase(), s]));
    const custom = new Map(this.list().map((field) => [field.name.toLowerCase(), field]));
    return this.catalog().fields.map((field) => {
      const own = field.custom ? custom.get(field.name.toLowerCase()) : settings.get(field.name.toLowerCase());
      return schemaFieldOf(field, {
        ...(own?.description !== undefined ? { description: own.description } : {}),
        ...(own?.isHtmlEncodingInEmail !== undefined ? { isHtmlEncodingInEmail: own.isHtmlEncodingInEmail } : {}),
        ...(own?.isSensitive !== undefined ? { isSensitive: own.isSensitive } : {}),
        ...(field.custom ? { isHidden: (own as CustomLeadField).isHidden ?? false } : {}),
        ...(field.custom ? { isApiCreated: (own as CustomLeadField).isApiCreated ?? false } : {}),
      });
    });
  }

  /** Create Lead Fields: a custom field, created by the API. */
  createFromApi(field: NewSchemaField): void {
    this.load(
      {
        name: field.name,
        displayName: field.displayName,
        dataType: field.dataType,
        ...(field.description !== undefined ? { description: field.description } : {}),
        ...(field.isHidden !== undefined ? { isHidden: field.isHidden } : {}),
        ...(field.isHtmlEncodingInEmail !== undefined ? { isHtmlEncodingInEmail: field.isHtmlEncodingInEmail } : {}),
        ...(field.isSensitive !== undefined ? { isSensitive: field.isSensitive } : {}),
        isApiCreated: true,
      },
      this.nextCreatedAt(),
    );
  }

  /** Update Lead Field (checked by the caller): a custom field's row, or a standard field's settings. */
  updateFromApi(name: string, changes: SchemaFieldChanges): void {
    const row = this.selectByName.get(name);
    if (row) {
      const field = toCustomField(row);
      this.updateRow.run({
        name: row.name,
        displayName: changes.displayName ?? field.displayName,
        description: changes.description ?? field.description ?? null,
        isHidden: (changes.isHidden ?? field.isHidden) ? 1 : 0,
        isHtmlEncoding: flag(changes.isHtmlEncodingInEmail ?? field.isHtmlEncodingInEmail),
        isSensitive: (changes.isSensitive ?? field.isSensitive) ? 1 : 0,
      });
      this.cached = undefined;
      return;
    }
    const standard = STANDARD_FIELDS.find((field) => field.name.toLowerCase() === name.toLowerCase())!;
    const current = this.settings().find((s) => s.name === standard.name) ?? { name: standard.name };
    this.loadSettings({
      ...current,
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.isHtmlEncodingInEmail !== undefined ? { isHtmlEncodingInEmail: changes.isHtmlEncodingInEmail } : {}),
      ...(changes.isSensitive !== undefined ? { isSensitive: changes.isSensitive } : {}),
    });
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
