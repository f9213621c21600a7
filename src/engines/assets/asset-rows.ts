import type { Clock } from '../../clock.js';
import { type Database, prepareOnUse } from '../../storage/database.js';
import type { AssetType, VersionStatus } from './approval.js';
import { shownVersionJoin, versionCleanupTrigger } from './version-store.js';

/**
 * The row every versioned asset has, whatever its type: a name, a description, its place (a folder or a program, so a
 * workspace) and type-specific metadata (JSON), beside its versions in the approval machine. One table per type, of
 * this one shape (made by `assetRowsSql` in the family's migration), and one repository class for all of them: an
 * asset family adds its type with a table name and a type name.
 */
export function assetRowsSql(table: string, type: AssetType): string {
  return `
CREATE TABLE ${table} (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL COLLATE NOCASE,
  description TEXT NOT NULL DEFAULT '',
  -- A folder holding assets cannot be deleted (RESTRICT; the API answers 709); a program's assets go with it.
  folder_id INTEGER REFERENCES asset_folders (id) ON DELETE RESTRICT,
  program_id INTEGER REFERENCES asset_programs (id) ON DELETE CASCADE,
  -- The folder's or program's workspace, kept beside it for the visibility filter and the workspace delete guard.
  workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
  meta TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((folder_id IS NULL) <> (program_id IS NULL))
);
CREATE INDEX ${table}_by_workspace ON ${table} (workspace_id, id);
CREATE INDEX ${table}_by_folder ON ${table} (folder_id) WHERE folder_id IS NOT NULL;
CREATE INDEX ${table}_by_program ON ${table} (program_id) WHERE program_id IS NOT NULL;
-- Names are unique in their folder or program (CreateEmailTemplateRequest: "unique under the parent folder").
CREATE UNIQUE INDEX ${table}_by_place_name ON ${table} (ifnull(folder_id, 0), ifnull(program_id, 0), name);
CREATE INDEX ${table}_by_name ON ${table} (name);
${versionCleanupTrigger(table, type)}`;
}

/** Where an asset sits: a folder or a program, and so a workspace. */
export interface AssetRowPlace {
  folderId: number | null;
  programId: number | null;
  workspaceId: number;
}

export interface AssetRow<Meta> extends AssetRowPlace {
  id: number;
  name: string;
  description: string;
  workspaceName: string;
  /** The folder's or program's name (a workspace's zone shows the workspace's name). */
  folderName: string;
  meta: Meta;
  createdAt: number;
  updatedAt: number;
}

/** An asset row with the version a browse shows: its status, record fields and time. */
export interface BrowsedRow<Meta, Fields> extends AssetRow<Meta> {
  status: VersionStatus;
  fields: Fields;
  versionUpdatedAt: number;
}

export interface AssetBrowse {
  workspaceIds: readonly number[];
  status?: VersionStatus | undefined;
  folderId?: number | undefined;
  programId?: number | undefined;
  earliest?: number | undefined;
  latest?: number | undefined;
  offset: number;
  limit: number;
}

/** The v2 filter (`…/filter`): one workspace, narrowed, sorted, a page of it and how many match. */
export interface AssetFilter {
  workspaceId: number;
  folderId?: number | undefined;
  programId?: number | undefined;
  /** The versions shown: of these statuses (approved first when an asset has both); none: approved, else draft. */
  statuses?: readonly VersionStatus[] | undefined;
  /** A part of the name, any case. */
  nameContains?: string | undefined;
  createdFrom?: number | undefined;
  createdTo?: number | undefined;
  modifiedFrom?: number | undefined;
  modifiedTo?: number | undefined;
  /** A record field of the shown version equal to a value (`$.template` = 10). */
  field?: { path: string; value: string | number } | undefined;
  sortKey: 'id' | 'name' | 'createdAt' | 'modifiedAt';
  descending: boolean;
  offset: number;
  limit: number;
}

interface Raw {
  id: number;
  name: string;
  description: string;
  folder_id: number | null;
  program_id: number | null;
  workspace_id: number;
  workspace_name: string;
  folder_name: string;
  meta: string;
  created_at: number;
  updated_at: number;
}

interface BrowsedRaw extends Raw {
  status: VersionStatus;
  fields: string;
  version_updated_at: number;
}

/**
 * The name an asset's place shows, in SQL over its program `p`, folder `f` and workspace `w`: the program's, else the
 * folder's, a workspace's zone showing the workspace's name (`/Design Studio/Default` is "Default").
 */
export function placeNameSql(p: string, f: string, w: string): string {
  return `coalesce(${p}.name, CASE WHEN ${f}.parent_id IS NOT NULL AND ${f}.folder_type = 'Zone' THEN ${w}.name ELSE ${f}.name END)`;
}

const SELECTED = `a.id, a.name, a.description, a.folder_id, a.program_id, a.workspace_id, w.name AS workspace_name,
  ${placeNameSql('p', 'f', 'w')} AS folder_name, a.meta, a.created_at,
  a.updated_at`;

const joined = (table: string) => `FROM ${table} a JOIN workspaces w ON w.id = a.workspace_id
  LEFT JOIN asset_folders f ON f.id = a.folder_id LEFT JOIN asset_programs p ON p.id = a.program_id`;

function columns(table: string): string {
  return `${SELECTED} ${joined(table)}`;
}

/** The SQL of one asset row by id (shared with the benchmark's hand-written route). */
export const findAssetSql = (table: string): string => `SELECT ${columns(table)} WHERE a.id = ?`;

/**
 * The SQL of a browse page of `table`: shared with the benchmark's hand-written route. `+a.workspace_id` keeps
 * SQLite off the workspace index, so that rows are read in id order and the scan stops at the page's end.
 */
export function browseAssetsSql(table: string, type: AssetType): string {
  // CROSS JOIN keeps the asset rows the outer loop, in id order: SQLite would otherwise scan the type's versions and
  // sort every visible asset for each page.
  return `SELECT ${SELECTED}, v.status, v.fields, v.updated_at AS version_updated_at
  FROM ${table} a CROSS JOIN asset_versions v ON ${shownVersionJoin(type, 'a')}
  JOIN workspaces w ON w.id = a.workspace_id
  LEFT JOIN asset_folders f ON f.id = a.folder_id LEFT JOIN asset_programs p ON p.id = a.program_id
  WHERE +a.workspace_id IN (SELECT value FROM json_each(@workspaces))
    AND (@folder IS NULL OR a.folder_id = @folder)
    AND (@program IS NULL OR a.program_id = @program)
    AND (@earliest IS NULL OR max(a.updated_at, v.updated_at) >= @earliest)
    AND (@latest IS NULL OR max(a.updated_at, v.updated_at) <= @latest)
  ORDER BY a.id LIMIT @limit OFFSET @offset`;
}

/** The v2 filter's FROM and WHERE over `table` (shared by its page and its count). */
function filterFromSql(table: string, type: AssetType): string {
  const quoted = type.replace(/'/g, "''");
  return `FROM ${table} a JOIN asset_versions v ON v.asset_type = '${quoted}' AND v.asset_id = a.id AND v.status = (
    SELECT min(x.status) FROM asset_versions x WHERE x.asset_type = '${quoted}' AND x.asset_id = a.id
      AND (@statuses IS NULL OR x.status IN (SELECT value FROM json_each(@statuses))))
  JOIN workspaces w ON w.id = a.workspace_id
  LEFT JOIN asset_folders f ON f.id = a.folder_id LEFT JOIN asset_programs p ON p.id = a.program_id
  WHERE a.workspace_id = @workspace
    AND (@folder IS NULL OR a.folder_id = @folder)
    AND (@program IS NULL OR a.program_id = @program)
    AND (@name IS NULL OR instr(lower(a.name), lower(@name)) > 0)
    AND (@createdFrom IS NULL OR a.created_at >= @createdFrom)
    AND (@createdTo IS NULL OR a.created_at <= @createdTo)
    AND (@modifiedFrom IS NULL OR max(a.updated_at, v.updated_at) >= @modifiedFrom)
    AND (@modifiedTo IS NULL OR max(a.updated_at, v.updated_at) <= @modifiedTo)
    AND (@fieldPath IS NULL OR json_extract(v.fields, @fieldPath) = @fieldValue)`;
}

const FILTER_SORT = `CASE @sortKey WHEN 'name' THEN lower(a.name) WHEN 'createdAt' THEN a.created_at
  WHEN 'modifiedAt' THEN max(a.updated_at, v.updated_at) ELSE a.id END`;

interface FilterParams {
  workspace: number;
  folder: number | null;
  program: number | null;
  statuses: string | null;
  name: string | null;
  createdFrom: number | null;
  createdTo: number | null;
  modifiedFrom: number | null;
  modifiedTo: number | null;
  fieldPath: string | null;
  fieldValue: string | number | null;
}

const toRow = <Meta>(raw: Raw): AssetRow<Meta> => ({
  id: raw.id,
  name: raw.name,
  description: raw.description,
  folderId: raw.folder_id,
  programId: raw.program_id,
  workspaceId: raw.workspace_id,
  workspaceName: raw.workspace_name,
  folderName: raw.folder_name,
  meta: JSON.parse(raw.meta) as Meta,
  createdAt: raw.created_at,
  updatedAt: raw.updated_at,
});

// One object per row, in one shape: a spread of toRow's object made two per row and cost a browse page of 200 about
// 0.5 ms of copying and collection (issue 28's profile).
const toBrowsedRow = <Meta, Fields>(raw: BrowsedRaw): BrowsedRow<Meta, Fields> => ({
  id: raw.id,
  name: raw.name,
  description: raw.description,
  folderId: raw.folder_id,
  programId: raw.program_id,
  workspaceId: raw.workspace_id,
  workspaceName: raw.workspace_name,
  folderName: raw.folder_name,
  meta: JSON.parse(raw.meta) as Meta,
  createdAt: raw.created_at,
  updatedAt: raw.updated_at,
  status: raw.status,
  fields: JSON.parse(raw.fields) as Fields,
  versionUpdatedAt: raw.version_updated_at,
});

/** Every statement on one type's asset rows. */
export class AssetRows<Meta, Fields> {
  private readonly s;

  constructor(
    db: Database,
    private readonly clock: Clock,
    readonly table: string,
    readonly type: AssetType,
  ) {
    const prepare = <P extends unknown[] | object = unknown[], R = unknown>(sql: string) => prepareOnUse<P, R>(db, sql);
    this.s = {
      find: prepare<[number], Raw>(findAssetSql(table)),
      byName: prepare<[string], Raw>(`SELECT ${columns(table)} WHERE a.name = ? ORDER BY a.id`),
      all: prepare<[], Raw>(`SELECT ${columns(table)} ORDER BY a.id`),
      browse: prepare<
        {
          workspaces: string;
          status: string | null;
          folder: number | null;
          program: number | null;
          earliest: number | null;
          latest: number | null;
          limit: number;
          offset: number;
        },
        BrowsedRaw
      >(browseAssetsSql(table, type)),
      filter: prepare<FilterParams & { sortKey: string; descending: number; limit: number; offset: number }, BrowsedRaw>(
        `SELECT ${SELECTED}, v.status, v.fields, v.updated_at AS version_updated_at ${filterFromSql(table, type)}
         ORDER BY CASE WHEN @descending = 0 THEN ${FILTER_SORT} END ASC,
           CASE WHEN @descending = 1 THEN ${FILTER_SORT} END DESC, a.id
         LIMIT @limit OFFSET @offset`,
      ),
      filterCount: prepare<FilterParams, { n: number }>(`SELECT count(*) AS n ${filterFromSql(table, type)}`),
      nameInPlace: prepare<[number, number, string], { id: number }>(
        `SELECT id FROM ${table} WHERE ifnull(folder_id, 0) = ? AND ifnull(program_id, 0) = ? AND name = ?`,
      ),
      insert: prepare<
        [number | null, string, string, number | null, number | null, number, string, number, number],
        { id: number }
      >(
        `INSERT INTO ${table} (id, name, description, folder_id, program_id, workspace_id, meta, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ),
      update: prepare<[string, string, string, number, number]>(
        `UPDATE ${table} SET name = ?, description = ?, meta = ?, updated_at = ? WHERE id = ?`,
      ),
      delete: prepare<[number]>(`DELETE FROM ${table} WHERE id = ?`),
    };
  }

  find(id: number): AssetRow<Meta> | undefined {
    const raw = this.s.find.get(id);
    return raw && toRow<Meta>(raw);
  }

  /** Assets of that name (any case), in id order: one per folder or program at most. */
  byName(name: string): AssetRow<Meta>[] {
    return this.s.byName.all(name).map((raw) => toRow<Meta>(raw));
  }

  all(): AssetRow<Meta>[] {
    return this.s.all.all().map((raw) => toRow<Meta>(raw));
  }

  browse(filter: AssetBrowse): BrowsedRow<Meta, Fields>[] {
    return this.s.browse
      .all({
        workspaces: JSON.stringify(filter.workspaceIds),
        status: filter.status ?? null,
        folder: filter.folderId ?? null,
        program: filter.programId ?? null,
        earliest: filter.earliest ?? null,
        latest: filter.latest ?? null,
        limit: filter.limit,
        offset: filter.offset,
      })
      .map((raw) => toBrowsedRow<Meta, Fields>(raw));
  }

  /** A page of the v2 filter's matches, in its order, and how many match in all. */
  filter(filter: AssetFilter): { total: number; rows: BrowsedRow<Meta, Fields>[] } {
    const params: FilterParams = {
      workspace: filter.workspaceId,
      folder: filter.folderId ?? null,
      program: filter.programId ?? null,
      statuses: filter.statuses && filter.statuses.length > 0 ? JSON.stringify(filter.statuses) : null,
      name: filter.nameContains ?? null,
      createdFrom: filter.createdFrom ?? null,
      createdTo: filter.createdTo ?? null,
      modifiedFrom: filter.modifiedFrom ?? null,
      modifiedTo: filter.modifiedTo ?? null,
      fieldPath: filter.field?.path ?? null,
      fieldValue: filter.field?.value ?? null,
    };
    const rows = this.s.filter
      .all({
        ...params,
        sortKey: filter.sortKey,
        descending: filter.descending ? 1 : 0,
        limit: filter.limit,
        offset: filter.offset,
      })
      .map((raw) => toBrowsedRow<Meta, Fields>(raw));
    return { total: this.s.filterCount.get(params)!.n, rows };
  }

  /** The id of the asset of that name in the place, if any (names compare without regard to case). */
  nameInPlace(place: AssetRowPlace, name: string): number | undefined {
    return this.s.nameInPlace.get(place.folderId ?? 0, place.programId ?? 0, name)?.id;
  }

  insert(row: {
    id?: number | null;
    name: string;
    description: string;
    place: AssetRowPlace;
    meta: Meta;
    createdAt?: number;
    updatedAt?: number;
  }): number {
    const now = this.clock.now();
    const createdAt = row.createdAt ?? now;
    return this.s.insert.get(
      row.id ?? null,
      row.name,
      row.description,
      row.place.folderId,
      row.place.programId,
      row.place.workspaceId,
      JSON.stringify(row.meta),
      createdAt,
      row.updatedAt ?? createdAt,
    )!.id;
  }

  update(id: number, change: { name: string; description: string; meta: Meta }): void {
    this.s.update.run(change.name, change.description, JSON.stringify(change.meta), this.clock.now(), id);
  }

  delete(id: number): void {
    this.s.delete.run(id);
  }
}
