import type { Clock } from '../../clock.js';
import {
  type ActivityType,
  type ActivityTypeAttribute,
  CUSTOM_ACTIVITY_TYPE_ID_BASE,
  STANDARD_ACTIVITY_TYPES,
} from './activity-type-catalog.js';
import { type Database, prepareOnUse } from '../../storage/database.js';

interface TypeRow {
  id: number;
  api_name: string | null;
  name: string;
  description: string;
  primary_attribute: string | null;
  attributes: string;
  built_in: number;
  created_at: number;
  trigger_name: string | null;
  filter_name: string | null;
  draft: string | null;
  approved: number;
  updated_at: number | null;
}

/** A custom attribute: its API name is its key. */
export type CustomAttribute = ActivityTypeAttribute & { apiName: string };

/** One version of a custom activity type (the approved one, or the draft). */
export interface CustomTypeVersion {
  name: string;
  description?: string;
  triggerName?: string;
  filterName?: string;
  /** Absent only in a draft whose primary attribute was demoted and not yet replaced. */
  primaryAttribute?: CustomAttribute;
  attributes: CustomAttribute[];
}

/** A custom activity type as the seed and the admin plane declare it (approved at once). */
export interface CustomActivityTypeInput extends CustomTypeVersion {
  apiName: string;
  primaryAttribute: CustomAttribute;
}

/** The standard types as one JSON array of [id, name, primary attribute JSON | null, attributes JSON] rows. */
const STANDARD_ROWS = JSON.stringify(
  STANDARD_ACTIVITY_TYPES.map((type) => [
    type.id,
    type.name,
    type.primaryAttribute ? JSON.stringify(type.primaryAttribute) : null,
    JSON.stringify(type.attributes),
  ]),
);

/**
 * A type as stored: Marketo's fields (the approved version's, for a custom type), whether it is built in, since when
 * it exists, and a custom type's trigger and filter names, draft, and whether it was ever approved.
 */
export type StoredActivityType = ActivityType & {
  builtIn: boolean;
  createdAt: number;
  updatedAt: number;
  triggerName?: string;
  filterName?: string;
  /** False while a custom type was never approved: no activity may be of it, and only its draft is real. */
  approved: boolean;
  draft?: CustomTypeVersion;
};

function toType(row: TypeRow): StoredActivityType {
  return {
    id: row.id,
    ...(row.api_name !== null ? { apiName: row.api_name } : {}),
    name: row.name,
    description: row.description,
    ...(row.primary_attribute !== null
      ? { primaryAttribute: JSON.parse(row.primary_attribute) as ActivityTypeAttribute }
      : {}),
    attributes: JSON.parse(row.attributes) as ActivityTypeAttribute[],
    builtIn: row.built_in === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at ?? row.created_at,
    ...(row.trigger_name !== null ? { triggerName: row.trigger_name } : {}),
    ...(row.filter_name !== null ? { filterName: row.filter_name } : {}),
    approved: row.approved === 1,
    ...(row.draft !== null ? { draft: JSON.parse(row.draft) as CustomTypeVersion } : {}),
  };
}

/** The approved version of a custom type, as its columns hold it. */
export function approvedVersion(type: StoredActivityType): CustomTypeVersion {
  return {
    name: type.name,
    ...(type.description ? { description: type.description } : {}),
    ...(type.triggerName !== undefined ? { triggerName: type.triggerName } : {}),
    ...(type.filterName !== undefined ? { filterName: type.filterName } : {}),
    ...(type.primaryAttribute ? { primaryAttribute: type.primaryAttribute as CustomAttribute } : {}),
    attributes: type.attributes as CustomAttribute[],
  };
}

const COLUMNS = `id, api_name, name, description, primary_attribute, attributes, built_in, created_at, trigger_name,
  filter_name, draft, approved, updated_at`;

/** Standard (built-in) and custom activity types; the list is kept in memory until a type changes. */
export class ActivityTypeRepository {
  private readonly selectAll;
  private readonly insertStandard;
  private readonly insertCustom;
  private readonly nextCustomId;
  private readonly updateDraft;
  private readonly updateApproved;
  private readonly deleteRow;
  private readonly anyActivity;
  private cached: StoredActivityType[] | undefined;
  private usable: StoredActivityType[] | undefined;
  private byId: Map<number, StoredActivityType> | undefined;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.selectAll = prepareOnUse<[], TypeRow>(db, `SELECT ${COLUMNS} FROM activity_types ORDER BY id`);
    this.insertStandard = prepareOnUse<[string]>(
      db,
      `INSERT OR IGNORE INTO activity_types
       (id, api_name, name, description, primary_attribute, attributes, built_in, created_at, updated_at)
       SELECT value ->> '$[0]', NULL, value ->> '$[1]', '', value ->> '$[2]', value ->> '$[3]', 1, 0, 0
       FROM json_each(?)`,
    );
    // A clash (id or API name) is an error the seed reports at its path.
    this.insertCustom = prepareOnUse<Record<string, unknown>>(
      db,
      `INSERT INTO activity_types
       (id, api_name, name, description, primary_attribute, attributes, built_in, created_at, trigger_name,
        filter_name, draft, approved, updated_at)
       VALUES (@id, @apiName, @name, @description, @primary, @attributes, 0, @createdAt, @triggerName, @filterName,
        @draft, @approved, @updatedAt)`,
    );
    // The ids of deleted types whose activities stay in the log are not given out again.
    this.nextCustomId = prepareOnUse<[], { id: number }>(
      db,
      `SELECT max(${CUSTOM_ACTIVITY_TYPE_ID_BASE - 1}, coalesce((SELECT max(id) FROM activity_types), 0),
        coalesce((SELECT max(type_id) FROM activities), 0)) + 1 AS id`,
    );
    this.updateDraft = prepareOnUse<[string | null, number, number]>(
      db,
      'UPDATE activity_types SET draft = ?, updated_at = ? WHERE id = ?',
    );
    this.updateApproved = prepareOnUse<Record<string, unknown>>(
      db,
      `UPDATE activity_types SET name = @name, description = @description, primary_attribute = @primary,
       attributes = @attributes, trigger_name = @triggerName, filter_name = @filterName, draft = NULL, approved = 1,
       updated_at = @updatedAt WHERE id = @id`,
    );
    this.deleteRow = prepareOnUse<[number]>(db, 'DELETE FROM activity_types WHERE id = ? AND built_in = 0');
    this.anyActivity = prepareOnUse<[number], unknown>(db, 'SELECT 1 FROM activities WHERE type_id = ? LIMIT 1');
  }

  /** Marketo's standard types, added where missing (at start and after a reset), in one statement. */
  ensureStandard(): void {
    this.insertStandard.run(STANDARD_ROWS);
    this.invalidate();
  }

  /** Every type, custom drafts included. */
  private all(): readonly StoredActivityType[] {
    return (this.cached ??= this.selectAll.all().map(toType));
  }

  /** The types activities may be of: the standard ones and the approved custom ones. */
  list(): readonly StoredActivityType[] {
    return (this.usable ??= this.all().filter((type) => type.approved));
  }

  /** A usable type by id (a custom type never approved is not one). */
  find(id: number): StoredActivityType | undefined {
    this.byId ??= new Map(this.list().map((type) => [type.id, type]));
    return this.byId.get(id);
  }

  /** Any type by API name, a custom draft included. */
  findByApiName(apiName: string): StoredActivityType | undefined {
    const wanted = apiName.toLowerCase();
    return this.all().find((type) => type.apiName?.toLowerCase() === wanted);
  }

  /** Every custom type, drafts included. */
  custom(): StoredActivityType[] {
    return this.all().filter((type) => !type.builtIn);
  }

  /**
   * Declares a custom type (checked by the caller); its id is given (a seed) or the next from 100001. Approved at
   * once unless `approved` is false (the API's create: a first draft); a draft may stand beside an approved version.
   */
  createCustom(
    input: CustomActivityTypeInput,
    options: {
      id?: number | undefined;
      createdAt?: number;
      updatedAt?: number;
      approved?: boolean;
      draft?: CustomTypeVersion;
    } = {},
  ): StoredActivityType {
    const typeId = options.id ?? this.nextCustomId.get()!.id;
    const createdAt = options.createdAt ?? this.clock.now();
    const approved = options.approved ?? true;
    this.insertCustom.run({
      id: typeId,
      apiName: input.apiName,
      ...this.versionParams(input),
      createdAt,
      updatedAt: options.updatedAt ?? createdAt,
      approved: approved ? 1 : 0,
      draft: approved ? (options.draft ? JSON.stringify(options.draft) : null) : JSON.stringify(input),
    });
    this.invalidate();
    return this.findByApiName(input.apiName)!;
  }

  /** Writes a custom type's draft (undefined: no draft). */
  saveDraft(id: number, draft: CustomTypeVersion | undefined): void {
    this.updateDraft.run(draft ? JSON.stringify(draft) : null, this.clock.now(), id);
    this.invalidate();
  }

  /** The draft becomes the approved version. */
  approve(type: StoredActivityType): void {
    this.updateApproved.run({ id: type.id, ...this.versionParams(type.draft!), updatedAt: this.clock.now() });
    this.invalidate();
  }

  /** Deletes a custom type; its activities stay in the log. */
  delete(id: number): void {
    this.deleteRow.run(id);
    this.invalidate();
  }

  /** Whether the log holds an activity of the type ("approved and in use", activities.md). */
  inUse(id: number): boolean {
    return this.anyActivity.get(id) !== undefined;
  }

  invalidate(): void {
    this.cached = undefined;
    this.usable = undefined;
    this.byId = undefined;
  }

  private versionParams(version: CustomTypeVersion): Record<string, unknown> {
    return {
      name: version.name,
      description: version.description ?? '',
      primary: version.primaryAttribute ? JSON.stringify(version.primaryAttribute) : null,
      attributes: JSON.stringify(version.attributes),
      triggerName: version.triggerName ?? null,
      filterName: version.filterName ?? null,
    };
  }
}
