import type { Clock } from '../../clock.js';
import { ConflictError } from '../../domain/errors.js';
import { type CustomField, SchemaFieldRepository } from '../../engines/objects/field-repository.js';
import {
  isStandardFieldName,
  type LeadFieldCatalog,
  leadFieldCatalog,
  SEARCHABLE_CUSTOM_TYPES,
  STANDARD_FIELDS,
} from './lead-field-catalog.js';
import { type Database, prepareOnUse } from '../../storage/database.js';

export type { CustomField as CustomLeadField, StandardFieldSettings } from '../../engines/objects/field-repository.js';

/** Custom lead fields and standard fields' settings; the catalog (standard + custom) is rebuilt only when they change. */
export class LeadFieldRepository extends SchemaFieldRepository {
  private readonly deleteRow;
  private readonly clearValues;
  private cached: LeadFieldCatalog | undefined;

  constructor(db: Database, clock: Clock) {
    super(db, clock, { fields: 'lead_fields', settings: 'lead_field_settings', label: 'Lead field' }, STANDARD_FIELDS);
    this.deleteRow = prepareOnUse<[string]>(db, 'DELETE FROM lead_fields WHERE name = ?');
    // Values of a dropped field leave the leads with it. Names are API names ([A-Za-z][A-Za-z0-9_]*): path-safe.
    this.clearValues = prepareOnUse<[{ name: string }]>(
      db,
      "UPDATE leads SET fields = json_remove(fields, '$.' || @name) WHERE json_type(fields, '$.' || @name) IS NOT NULL",
    );
  }

  protected override changed(): void {
    this.cached = undefined;
  }

  /** Declares a custom field on the admin plane; a name taken (standard or custom) is a conflict. */
  create(input: CustomField): CustomField {
    if (isStandardFieldName(input.name) || this.find(input.name)) {
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
    this.changed();
  }

  /** Forget the cached catalog (after fields change outside this repository). */
  invalidate(): void {
    this.changed();
  }

  /** Standard and custom fields, as describe shows them. */
  catalog(): LeadFieldCatalog {
    return (this.cached ??= leadFieldCatalog(this.customFields((dataType) => SEARCHABLE_CUSTOM_TYPES.has(dataType))));
  }
}
