import type { Clock } from '../../clock.js';
import type { FieldCatalog } from '../../engines/objects/fields.js';
import type { ObjectType } from '../../engines/objects/object-type.js';
import { type Database, type PreparedStatement, prepareOnUse } from '../../storage/database.js';
import { type LinkTargets, objectTypeOf, type StoredType, type TypeVersion } from './type-model.js';

interface TypeRow {
  id: number;
  api_name: string;
  approved: string | null;
  draft: string | null;
  created_at: number;
  updated_at: number;
}

const toType = (row: TypeRow): StoredType => ({
  id: row.id,
  apiName: row.api_name,
  approved: row.approved === null ? undefined : (JSON.parse(row.approved) as TypeVersion),
  draft: row.draft === null ? undefined : (JSON.parse(row.draft) as TypeVersion),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const json = (version: TypeVersion | undefined) => (version === undefined ? null : JSON.stringify(version));

/** Custom object types, kept in memory until one changes; their records' types built once per approved version. */
export class CustomObjectTypeRepository {
  private readonly selectAll;
  private readonly insertRow;
  private readonly updateDraft;
  private readonly updateApproved;
  private readonly deleteRow;
  private readonly clearValues;
  private cached: StoredType[] | undefined;
  /** Records' types by type id, with the lead catalog they were built against (a link's type comes from it). */
  private readonly recordTypes = new Map<number, { type: ObjectType; catalog: FieldCatalog; at: number }>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.selectAll = prepareOnUse<[], TypeRow>(
      db,
      'SELECT id, api_name, approved, draft, created_at, updated_at FROM custom_object_types ORDER BY id',
    );
    this.insertRow = prepareOnUse<
      [number | null, string, string | null, string | null, number, number],
      { id: number }
    >(
      db,
      `INSERT INTO custom_object_types (id, api_name, approved, draft, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    this.updateDraft = prepareOnUse<[string | null, number, number]>(
      db,
      'UPDATE custom_object_types SET draft = ?, updated_at = ? WHERE id = ?',
    );
    this.updateApproved = prepareOnUse<[string, number, number]>(
      db,
      'UPDATE custom_object_types SET approved = ?, draft = NULL, updated_at = ? WHERE id = ?',
    );
    this.deleteRow = prepareOnUse<[number]>(db, 'DELETE FROM custom_object_types WHERE id = ?');
    // Field names are API names ([A-Za-z][A-Za-z0-9_]*): path-safe.
    this.clearValues = prepareOnUse<{ typeId: number; name: string }>(
      db,
      `UPDATE custom_objects SET fields = json_remove(fields, '$.' || @name)
       WHERE type_id = @typeId AND json_type(fields, '$.' || @name) IS NOT NULL`,
    ) as PreparedStatement<{ typeId: number; name: string }>;
  }

  list(): readonly StoredType[] {
    return (this.cached ??= this.selectAll.all().map(toType));
  }

  /** A type by API name, without regard to case. */
  byName(apiName: string): StoredType | undefined {
    const wanted = apiName.toLowerCase();
    return this.list().find((type) => type.apiName.toLowerCase() === wanted);
  }

  byId(id: number): StoredType | undefined {
    return this.list().find((type) => type.id === id);
  }

  insert(type: {
    id?: number | undefined;
    apiName: string;
    approved?: TypeVersion | undefined;
    draft?: TypeVersion | undefined;
    createdAt?: number;
    updatedAt?: number;
  }): StoredType {
    const now = this.clock.now();
    const created = type.createdAt ?? now;
    const { id } = this.insertRow.get(
      type.id ?? null,
      type.apiName,
      json(type.approved),
      json(type.draft),
      created,
      type.updatedAt ?? created,
    )!;
    this.invalidate();
    return this.byId(id)!;
  }

  saveDraft(id: number, draft: TypeVersion | undefined): void {
    this.updateDraft.run(json(draft), this.clock.now(), id);
    this.invalidate();
  }

  /** The draft becomes the approved version; the values of fields it no longer has leave the records. */
  approve(type: StoredType): void {
    const draft = type.draft!;
    this.db.transaction(() => {
      this.updateApproved.run(JSON.stringify(draft), this.clock.now(), type.id);
      for (const field of type.approved?.fields ?? []) {
        if (!draft.fields.some((kept) => kept.name === field.name))
          this.clearValues.run({ typeId: type.id, name: field.name });
      }
    })();
    this.invalidate();
  }

  /** Deletes a type and, through the foreign key, its records. */
  delete(id: number): void {
    this.deleteRow.run(id);
    this.invalidate();
  }

  /** The records' type of an approved type (undefined for a draft-only one), rebuilt when the type changes. */
  recordType(type: StoredType, leadCatalog: FieldCatalog, links: LinkTargets): ObjectType | undefined {
    if (!type.approved) return undefined;
    const known = this.recordTypes.get(type.id);
    if (known && known.catalog === leadCatalog && known.at === type.updatedAt) return known.type;
    const built = objectTypeOf(type, type.approved, links);
    this.recordTypes.set(type.id, { type: built, catalog: leadCatalog, at: type.updatedAt });
    return built;
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  invalidate(): void {
    this.cached = undefined;
    this.recordTypes.clear();
  }
}
