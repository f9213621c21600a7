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
}

/** A custom activity type as the seed and the admin plane declare it. */
export interface CustomActivityTypeInput {
  apiName: string;
  name: string;
  description?: string;
  primaryAttribute: ActivityTypeAttribute & { apiName: string };
  attributes: (ActivityTypeAttribute & { apiName: string })[];
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

/** A type as stored: Marketo's fields, and whether it is built in and since when it exists. */
export type StoredActivityType = ActivityType & { builtIn: boolean; createdAt: number };

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
  };
}

/** Standard (built-in) and custom activity types; the list is kept in memory until a type changes. */
export class ActivityTypeRepository {
  private readonly selectAll;
  private readonly insertStandard;
  private readonly insertCustom;
  private readonly nextCustomId;
  private cached: StoredActivityType[] | undefined;
  private byId: Map<number, StoredActivityType> | undefined;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.selectAll = prepareOnUse<[], TypeRow>(
      db,
      `SELECT id, api_name, name, description, primary_attribute, attributes, built_in, created_at
       FROM activity_types ORDER BY id`,
    );
    const insert = (conflict: string) =>
      prepareOnUse<[number, string | null, string, string, string | null, string, number, number]>(
        db,
        `INSERT ${conflict} INTO activity_types
         (id, api_name, name, description, primary_attribute, attributes, built_in, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
    this.insertStandard = prepareOnUse<[string]>(
      db,
      `INSERT OR IGNORE INTO activity_types
       (id, api_name, name, description, primary_attribute, attributes, built_in, created_at)
       SELECT value ->> '$[0]', NULL, value ->> '$[1]', '', value ->> '$[2]', value ->> '$[3]', 1, 0
       FROM json_each(?)`,
    );
    // A clash (id or API name) is an error the seed reports at its path.
    this.insertCustom = insert('');
    this.nextCustomId = prepareOnUse<[], { id: number }>(
      db,
      `SELECT max(${CUSTOM_ACTIVITY_TYPE_ID_BASE - 1}, coalesce(max(id), 0)) + 1 AS id FROM activity_types`,
    );
  }

  /** Marketo's standard types, added where missing (at start and after a reset), in one statement. */
  ensureStandard(): void {
    this.insertStandard.run(STANDARD_ROWS);
    this.invalidate();
  }

  list(): readonly StoredActivityType[] {
    return (this.cached ??= this.selectAll.all().map(toType));
  }

  find(id: number): StoredActivityType | undefined {
    this.byId ??= new Map(this.list().map((type) => [type.id, type]));
    return this.byId.get(id);
  }

  findByApiName(apiName: string): StoredActivityType | undefined {
    const wanted = apiName.toLowerCase();
    return this.list().find((type) => type.apiName?.toLowerCase() === wanted);
  }

  custom(): StoredActivityType[] {
    return this.list().filter((type) => !type.builtIn);
  }

  /** Declares a custom type (checked by the caller); its id is given (a seed) or the next from 100001. */
  createCustom(input: CustomActivityTypeInput, id?: number, createdAt = this.clock.now()): StoredActivityType {
    const typeId = id ?? this.nextCustomId.get()!.id;
    this.insertCustom.run(
      typeId,
      input.apiName,
      input.name,
      input.description ?? '',
      JSON.stringify(input.primaryAttribute),
      JSON.stringify(input.attributes),
      0,
      createdAt,
    );
    this.invalidate();
    return this.find(typeId)!;
  }

  invalidate(): void {
    this.cached = undefined;
    this.byId = undefined;
  }
}
