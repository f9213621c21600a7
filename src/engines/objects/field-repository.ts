import type { Clock } from '../../clock.js';
import { NotFoundError } from '../../domain/errors.js';
import { type Database, prepareOnUse } from '../../storage/database.js';
import { customCatalogField, CUSTOM_FIELD_TYPES, type CustomFieldType, type ObjectField } from './fields.js';
import { type NewSchemaField, type SchemaField, type SchemaFieldChanges, schemaFieldOf } from './schema-fields.js';

/** The two tables of an object's fields (its migration runs this): custom fields, standard fields' metadata. */
export function fieldTablesSql(fields: string, settings: string): string {
  return `
CREATE TABLE ${fields} (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  display_name TEXT NOT NULL,
  data_type TEXT NOT NULL CHECK (data_type IN (${CUSTOM_FIELD_TYPES.map((type) => `'${type}'`).join(', ')})),
  length INTEGER,
  description TEXT,
  is_hidden INTEGER NOT NULL DEFAULT 0,
  is_html_encoding INTEGER,
  is_sensitive INTEGER NOT NULL DEFAULT 0,
  is_api_created INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE ${settings} (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  description TEXT,
  is_html_encoding INTEGER,
  is_sensitive INTEGER
) WITHOUT ROWID;
`;
}

/**
 * An object's custom fields and its standard fields' metadata, over two tables of one layout (the leads' lead_fields
 * and lead_field_settings; the program members' own): what the schema field API lists, creates and updates, and
 * what a seed declares. The object's family builds its catalog from `list()`.
 */

/** A custom field: its type, and the metadata the schema field API shows and changes. */
export interface CustomField {
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

function toCustomField(row: FieldRow): CustomField {
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

export class SchemaFieldRepository {
  private readonly selectAll;
  private readonly selectByName;
  private readonly insert;
  private readonly updateRow;
  private readonly selectSettings;
  private readonly lastCreated;
  private readonly upsertSettings;
  private readonly label: string;

  constructor(
    protected readonly db: Database,
    protected readonly clock: Clock,
    /** The tables, and what an admin-plane 404 calls a field ("Lead field"). */
    tables: { fields: string; settings: string; label: string },
    /** The object's standard fields, in describe order. */
    private readonly standard: readonly ObjectField[],
  ) {
    const { fields, settings } = tables;
    this.label = tables.label;
    this.selectAll = prepareOnUse<[], FieldRow>(db, `SELECT ${FIELD_COLUMNS} FROM ${fields} ORDER BY created_at, name`);
    this.selectByName = prepareOnUse<[string], FieldRow>(db, `SELECT ${FIELD_COLUMNS} FROM ${fields} WHERE name = ?`);
    this.insert = prepareOnUse<Record<string, unknown>>(
      db,
      `INSERT INTO ${fields} (${FIELD_COLUMNS}, created_at) VALUES
       (@name, @displayName, @dataType, @length, @description, @isHidden, @isHtmlEncoding, @isSensitive, @isApiCreated,
        @createdAt)`,
    );
    this.updateRow = prepareOnUse<Record<string, unknown>>(
      db,
      `UPDATE ${fields} SET display_name = @displayName, description = @description, is_hidden = @isHidden,
       is_html_encoding = @isHtmlEncoding, is_sensitive = @isSensitive WHERE name = @name`,
    );
    this.lastCreated = prepareOnUse<[], { at: number | null }>(db, `SELECT max(created_at) AS at FROM ${fields}`);
    this.selectSettings = prepareOnUse<[], SettingsRow>(
      db,
      `SELECT name, description, is_html_encoding, is_sensitive FROM ${settings} ORDER BY name`,
    );
    this.upsertSettings = prepareOnUse<Record<string, unknown>>(
      db,
      `INSERT INTO ${settings} (name, description, is_html_encoding, is_sensitive)
       VALUES (@name, @description, @isHtmlEncoding, @isSensitive)
       ON CONFLICT (name) DO UPDATE SET description = excluded.description,
         is_html_encoding = excluded.is_html_encoding, is_sensitive = excluded.is_sensitive`,
    );
  }

  /** Told after every change to the fields (a family's cached catalog goes). */
  protected changed(): void {}

  list(): CustomField[] {
    return this.selectAll.all().map(toCustomField);
  }

  get(name: string): CustomField {
    const row = this.selectByName.get(name);
    if (!row) throw new NotFoundError(this.label, name);
    return toCustomField(row);
  }

  /** A custom field by name, if there is one. */
  protected find(name: string): CustomField | undefined {
    const row = this.selectByName.get(name);
    return row && toCustomField(row);
  }

  /** Inserts a field (checked by the caller), created at `createdAt` (its describe order); strings default to 255. */
  load(field: CustomField, createdAt: number): void {
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
    this.changed();
  }

  /** Now, or just after the latest field when the clock stands still: describe lists fields in creation order. */
  protected nextCreatedAt(): number {
    return Math.max(this.clock.now(), (this.lastCreated.get()?.at ?? -Infinity) + 1);
  }

  /** Standard fields whose metadata was changed. */
  settings(): StandardFieldSettings[] {
    return this.selectSettings.all().map(toSettings);
  }

  /** The standard field a name names (without regard to case), if any. */
  standardField(name: string): ObjectField | undefined {
    return this.standard.find((field) => field.name.toLowerCase() === name.toLowerCase());
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

  /** The custom fields as catalog fields, after the standard ones. */
  customFields(searchable: (dataType: CustomFieldType) => boolean): ObjectField[] {
    return this.list().map((field, index) => customCatalogField(field, index, searchable(field.dataType)));
  }

  /** Every field with its metadata, standard then custom (Get Lead Fields). */
  fields(): SchemaField[] {
    const settings = new Map(this.settings().map((s) => [s.name.toLowerCase(), s]));
    const custom = this.list();
    const customAsFields = this.customFields(() => false);
    return [
      ...this.standard.map((field) => {
        const own = settings.get(field.name.toLowerCase());
        return schemaFieldOf(field, {
          ...(own?.description !== undefined ? { description: own.description } : {}),
          ...(own?.isHtmlEncodingInEmail !== undefined ? { isHtmlEncodingInEmail: own.isHtmlEncodingInEmail } : {}),
          ...(own?.isSensitive !== undefined ? { isSensitive: own.isSensitive } : {}),
        });
      }),
      ...custom.map((own, i) =>
        schemaFieldOf(customAsFields[i]!, {
          ...(own.description !== undefined ? { description: own.description } : {}),
          ...(own.isHtmlEncodingInEmail !== undefined ? { isHtmlEncodingInEmail: own.isHtmlEncodingInEmail } : {}),
          isSensitive: own.isSensitive ?? false,
          isHidden: own.isHidden ?? false,
          isApiCreated: own.isApiCreated ?? false,
        }),
      ),
    ];
  }

  /** Create Lead Fields (and Program Member Fields): a custom field, created by the API. */
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

  /** Update a field (checked by the caller): a custom field's row, or a standard field's settings. */
  updateFromApi(name: string, changes: SchemaFieldChanges): void {
    const field = this.find(name);
    if (field) {
      this.updateRow.run({
        name: field.name,
        displayName: changes.displayName ?? field.displayName,
        description: changes.description ?? field.description ?? null,
        isHidden: (changes.isHidden ?? field.isHidden) ? 1 : 0,
        isHtmlEncoding: flag(changes.isHtmlEncodingInEmail ?? field.isHtmlEncodingInEmail),
        isSensitive: (changes.isSensitive ?? field.isSensitive) ? 1 : 0,
      });
      this.changed();
      return;
    }
    const standard = this.standardField(name)!;
    const current = this.settings().find((s) => s.name === standard.name) ?? { name: standard.name };
    this.loadSettings({
      ...current,
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.isHtmlEncodingInEmail !== undefined ? { isHtmlEncodingInEmail: changes.isHtmlEncodingInEmail } : {}),
      ...(changes.isSensitive !== undefined ? { isSensitive: changes.isSensitive } : {}),
    });
  }

  /** The schema field API's view of this object (createFields, updateField in schema-fields.ts). */
  store(maxCustom?: number) {
    return {
      fields: () => this.fields(),
      create: (field: NewSchemaField) => this.createFromApi(field),
      update: (name: string, changes: SchemaFieldChanges) => this.updateFromApi(name, changes),
      ...(maxCustom !== undefined ? { maxCustom } : {}),
    };
  }
}
