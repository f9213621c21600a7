import type { Clock } from '../../clock.js';
import { type ProgramType, progressionOf, type ProgressionStatus, STANDARD_CHANNELS, type TokenType } from './rules.js';
import { type Database, type PreparedStatement, prepareOnUse } from '../../storage/database.js';
import { type ForeignKey, schemaOf } from '../../storage/schema.js';
import { FOLDER_CONTENT_TYPES, TREES, type Tree } from '../../engines/assets/places.js';
import { DEFAULT_WORKSPACE_ID } from '../../domain/model.js';

export interface FolderRow {
  id: number;
  workspace_id: number;
  workspace_name: string;
  parent_id: number | null;
  tree: Tree;
  name: string;
  description: string | null;
  folder_type: string;
  is_system: number;
  is_archive: number;
  created_at: number;
  updated_at: number;
}

export interface ProgramRow {
  id: number;
  folder_id: number;
  folder_name: string;
  workspace_id: number;
  workspace_name: string;
  name: string;
  description: string;
  type: ProgramType;
  channel: string;
  status: string;
  tags: string;
  costs: string;
  start_date: string | null;
  end_date: string | null;
  created_at: number;
  updated_at: number;
}

export interface TokenRow {
  name: string;
  type: TokenType;
  value: string;
}

export interface ChannelRow {
  id: number;
  name: string;
  applicable_program_type: string;
  progression_statuses: string;
  built_in: number;
  created_at: number;
  updated_at: number;
}

export interface TagTypeRow {
  name: string;
  applicable_program_types: string;
  required: number;
  allowable_values: string;
}

/** The filters of a program browse; ids are JSON arrays (bound once, read with json_each). */
export interface ProgramFilter {
  workspaces: string;
  ids: string | null;
  folders: string | null;
  earliest: number | null;
  latest: number | null;
  status: string | null;
  limit: number;
  offset: number;
}

export interface NewProgram {
  id?: number | null;
  folderId: number;
  workspaceId: number;
  name: string;
  description: string;
  type: ProgramType;
  channel: string;
  status: string;
  tags: string;
  costs: string;
  createdAt: number;
  updatedAt: number;
}

export interface TokenOwner {
  folderId: number | null;
  programId: number | null;
}

const FOLDER_COLUMNS = `f.id, f.workspace_id, w.name AS workspace_name, f.parent_id, f.tree, f.name, f.description,
  f.folder_type, f.is_system, f.is_archive, f.created_at, f.updated_at
  FROM asset_folders f JOIN workspaces w ON w.id = f.workspace_id`;

/** A program's folder name: a zone shows its workspace's name (as Marketo's zone folders do). */
export const PROGRAM_COLUMNS = `p.id, p.folder_id,
  CASE WHEN f.folder_type = 'Zone' THEN w.name ELSE f.name END AS folder_name, p.workspace_id,
  w.name AS workspace_name, p.name, p.description, p.type, p.channel, p.status, p.tags, p.costs, p.start_date,
  p.end_date, p.created_at, p.updated_at
  FROM asset_programs p JOIN asset_folders f ON f.id = p.folder_id JOIN workspaces w ON w.id = p.workspace_id`;

/**
 * The SQL of a program browse page: shared with the benchmark's hand-written route. `+p.workspace_id` keeps SQLite
 * off the workspace index: programs are read in id order and the scan stops at the page's end, where the index made
 * it collect and sort every visible program for each page (3–5× slower for 2,000 programs).
 */
export const BROWSE_PROGRAMS_SQL = `SELECT ${PROGRAM_COLUMNS}
  WHERE +p.workspace_id IN (SELECT value FROM json_each(@workspaces))
    AND (@ids IS NULL OR p.id IN (SELECT value FROM json_each(@ids)))
    AND (@folders IS NULL OR p.folder_id IN (SELECT value FROM json_each(@folders)))
    AND (@earliest IS NULL OR p.updated_at >= @earliest)
    AND (@latest IS NULL OR p.updated_at <= @latest)
    AND (@status IS NULL OR p.status = @status)
  ORDER BY p.id LIMIT @limit OFFSET @offset`;

/** One of the two roots, `/Marketing Activities` and `/Design Studio` (folders.md): above every workspace. */
export function isTreeRoot(row: FolderRow): boolean {
  return row.parent_id === null;
}

/** A workspace's root in a tree, `/Marketing Activities/<workspace>` ("Zone"), shown by the workspace's name. */
export function isZone(row: FolderRow): boolean {
  return row.parent_id !== null && row.folder_type === 'Zone';
}

/** The name a folder shows: a zone's is its workspace's. */
export function folderName(row: FolderRow): string {
  return isZone(row) ? row.workspace_name : row.name;
}

interface ContentQuery {
  id: number;
  workspaces: string;
  limit: number;
  offset: number;
}

export interface FolderContent {
  id: number;
  type: string;
}

/** The `UNION ALL` arms listing the other families' assets in a folder or program (FOLDER_CONTENT_TYPES). */
function contentsHeld(keys: readonly ForeignKey[], firstKind: number): string {
  return keys
    .filter((key) => FOLDER_CONTENT_TYPES[key.table] !== undefined)
    .map(
      (key, i) =>
        `UNION ALL SELECT id, '${FOLDER_CONTENT_TYPES[key.table]}', ${firstKind + i} FROM "${key.table}"
         WHERE "${key.column}" = :id`,
    )
    .join('\n');
}

/** The tables of this family that reference a folder. */
const OWN_FOLDER_REFERENCES = new Set(['asset_folders', 'asset_programs', 'asset_tokens']);

/** Folders, programs, tokens, channels and tag types: every statement of the assets family. */
export class AssetRepository {
  private readonly s;

  /**
   * Assets other families keep in folders (static lists…): every foreign key to a folder but the family's own
   * (subfolders, programs, tokens), read from the schema, so a folder holding them is not empty and is not deleted.
   */
  private readonly heldElsewhere: readonly ForeignKey[];
  /** The same for programs (a static list in a program). */
  private readonly heldInPrograms: readonly ForeignKey[];
  private readonly heldCounts: { table: string; count: PreparedStatement<[number], { n: number }> }[];

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    const prepare = <P extends unknown[] | object = unknown[], R = unknown>(sql: string) => prepareOnUse<P, R>(db, sql);
    this.heldElsewhere = schemaOf(db)
      .referencesTo('asset_folders')
      .filter((key) => !OWN_FOLDER_REFERENCES.has(key.table));
    this.heldInPrograms = schemaOf(db)
      .referencesTo('asset_programs')
      .filter((key) => !OWN_FOLDER_REFERENCES.has(key.table));
    this.heldCounts = this.heldElsewhere.map((key) => ({
      table: key.table,
      count: prepare<[number], { n: number }>(`SELECT count(*) AS n FROM "${key.table}" WHERE "${key.column}" = ?`),
    }));
    this.s = {
      // The two tree roots (in the Default workspace), then each workspace's zone below each of them.
      ensureTreeRoots: prepare<[number, number]>(
        `INSERT OR IGNORE INTO asset_folders
           (workspace_id, parent_id, tree, name, description, folder_type, is_system, created_at, updated_at)
         SELECT ${DEFAULT_WORKSPACE_ID}, NULL, t.value, t.value, 'Root node for the ' || t.value || ' app area',
                'Zone', 1, ?, ?
         FROM json_each('${JSON.stringify(TREES)}') t ORDER BY t.key`,
      ),
      ensureZones: prepare<[number, number]>(
        `INSERT OR IGNORE INTO asset_folders
           (workspace_id, parent_id, tree, name, description, folder_type, is_system, created_at, updated_at)
         SELECT w.id, r.id, r.tree, r.tree, NULL, 'Zone', 1, ?, ?
         FROM workspaces w, asset_folders r WHERE r.parent_id IS NULL
         ORDER BY w.id, r.id`,
      ),
      addRoots: prepare<[number, number, number]>(
        `INSERT OR IGNORE INTO asset_folders
           (workspace_id, parent_id, tree, name, description, folder_type, is_system, created_at, updated_at)
         SELECT ?, r.id, r.tree, r.tree, NULL, 'Zone', 1, ?, ? FROM asset_folders r WHERE r.parent_id IS NULL
         ORDER BY r.id`,
      ),
      removeEmptyRoots: prepare<[number]>(
        `DELETE FROM asset_folders WHERE workspace_id = ? AND parent_id IS NOT NULL AND folder_type = 'Zone'
           AND NOT EXISTS (SELECT 1 FROM asset_folders c WHERE c.parent_id = asset_folders.id)
           AND NOT EXISTS (SELECT 1 FROM asset_programs p WHERE p.folder_id = asset_folders.id)
           ${this.heldElsewhere.map((key) => `AND NOT EXISTS (SELECT 1 FROM "${key.table}" x WHERE x."${key.column}" = asset_folders.id)`).join(' ')}`,
      ),
      ensureChannel: prepare<[number, string, string, string, number, number]>(
        `INSERT OR IGNORE INTO asset_channels
           (id, name, applicable_program_type, progression_statuses, built_in, created_at, updated_at)
         VALUES (?, ?, ?, ?, 1, ?, ?)`,
      ),
      // A database made by an earlier release keeps its standard channels' ids and names; their type and statuses
      // follow the catalog.
      refreshChannel: prepare<[string, string, number, string]>(
        `UPDATE asset_channels SET applicable_program_type = ?, progression_statuses = ?
         WHERE id = ? AND name = ? AND built_in = 1`,
      ),
      folder: prepare<[number], FolderRow>(`SELECT ${FOLDER_COLUMNS} WHERE f.id = ?`),
      // The tree roots are above every workspace: in every workspace's tree.
      foldersIn: prepare<[string], FolderRow>(
        `SELECT ${FOLDER_COLUMNS}
         WHERE f.workspace_id IN (SELECT value FROM json_each(?)) OR f.parent_id IS NULL ORDER BY f.id`,
      ),
      allFolders: prepare<[], FolderRow>(`SELECT ${FOLDER_COLUMNS} ORDER BY f.id`),
      ancestors: prepare<[number], { id: number; parent_id: number | null; name: string }>(
        `WITH RECURSIVE chain (id, parent_id, name, depth) AS (
           SELECT id, parent_id, name, 0 FROM asset_folders WHERE id = ?
           UNION ALL
           SELECT f.id, f.parent_id, f.name, c.depth + 1 FROM asset_folders f JOIN chain c ON f.id = c.parent_id)
         SELECT id, parent_id, name FROM chain ORDER BY depth DESC`,
      ),
      childByName: prepare<[number, string], { id: number }>(
        'SELECT id FROM asset_folders WHERE parent_id = ? AND name = ?',
      ),
      insertFolder: prepare<
        [number | null, number, number, string, string, string | null, string, number, number, number],
        { id: number }
      >(
        `INSERT INTO asset_folders
           (id, workspace_id, parent_id, tree, name, description, folder_type, is_archive, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ),
      updateFolder: prepare<[string, string | null, number, number, number]>(
        'UPDATE asset_folders SET name = ?, description = ?, is_archive = ?, updated_at = ? WHERE id = ?',
      ),
      deleteFolder: prepare<[number]>('DELETE FROM asset_folders WHERE id = ?'),
      renumberFolder: prepare<[number, number]>('UPDATE asset_folders SET id = ? WHERE id = ?'),
      reparentFolders: prepare<[number, number]>('UPDATE asset_folders SET parent_id = ? WHERE parent_id = ?'),
      maxFolderId: prepare<[], { id: number | null }>('SELECT max(id) AS id FROM asset_folders'),
      // Subfolders and programs only in the readable workspaces (a tree root holds every workspace's zone), then
      // what the other asset families keep there, each of its own type.
      folderContents: prepare<ContentQuery, FolderContent>(
        `SELECT id, type FROM (
           SELECT id, 'Folder' AS type, 0 AS kind FROM asset_folders
           WHERE parent_id = :id AND workspace_id IN (SELECT value FROM json_each(:workspaces))
           UNION ALL SELECT id, 'Program', 1 FROM asset_programs
           WHERE folder_id = :id AND workspace_id IN (SELECT value FROM json_each(:workspaces))
           ${contentsHeld(this.heldElsewhere, 2)})
         ORDER BY kind, id LIMIT :limit OFFSET :offset`,
      ),
      programContents: prepare<ContentQuery, FolderContent>(
        `SELECT id, type FROM (SELECT NULL AS id, NULL AS type, NULL AS kind WHERE :workspaces IS NULL
           ${contentsHeld(this.heldInPrograms, 0)})
         WHERE id IS NOT NULL ORDER BY kind, id LIMIT :limit OFFSET :offset`,
      ),
      childCounts: prepare<[number, number], { folders: number; programs: number }>(
        `SELECT (SELECT count(*) FROM asset_folders WHERE parent_id = ?) AS folders,
                (SELECT count(*) FROM asset_programs WHERE folder_id = ?) AS programs`,
      ),
      program: prepare<[number], ProgramRow>(`SELECT ${PROGRAM_COLUMNS} WHERE p.id = ?`),
      programByName: prepare<[string], ProgramRow>(`SELECT ${PROGRAM_COLUMNS} WHERE p.name = ?`),
      programsIn: prepare<[string], ProgramRow>(
        `SELECT ${PROGRAM_COLUMNS} WHERE p.workspace_id IN (SELECT value FROM json_each(?)) ORDER BY p.id`,
      ),
      allPrograms: prepare<[], ProgramRow>(`SELECT ${PROGRAM_COLUMNS} ORDER BY p.id`),
      browsePrograms: prepare<ProgramFilter, ProgramRow>(BROWSE_PROGRAMS_SQL),
      programsByTag: prepare<[string, string, string, number, number], ProgramRow>(
        `SELECT ${PROGRAM_COLUMNS}
         WHERE p.workspace_id IN (SELECT value FROM json_each(?))
           AND EXISTS (SELECT 1 FROM json_each(p.tags) t
                       WHERE json_extract(t.value, '$.tagType') = ? COLLATE NOCASE
                         AND json_extract(t.value, '$.tagValue') = ?)
         ORDER BY p.id LIMIT ? OFFSET ?`,
      ),
      insertProgram: prepare<NewProgram & { id: number | null }, { id: number }>(
        `INSERT INTO asset_programs
           (id, folder_id, workspace_id, name, description, type, channel, status, tags, costs, created_at, updated_at)
         VALUES (@id, @folderId, @workspaceId, @name, @description, @type, @channel, @status, @tags, @costs,
                 @createdAt, @updatedAt) RETURNING id`,
      ),
      updateProgram: prepare<[string, string, string, string, string | null, string | null, number, number]>(
        `UPDATE asset_programs SET name = ?, description = ?, tags = ?, costs = ?, start_date = ?, end_date = ?,
           updated_at = ? WHERE id = ?`,
      ),
      setStatus: prepare<[string, number, number]>('UPDATE asset_programs SET status = ?, updated_at = ? WHERE id = ?'),
      deleteProgram: prepare<[number]>('DELETE FROM asset_programs WHERE id = ?'),
      folderTokens: prepare<[number], TokenRow>(
        'SELECT name, type, value FROM asset_tokens WHERE folder_id = ? ORDER BY id',
      ),
      programTokens: prepare<[number], TokenRow>(
        'SELECT name, type, value FROM asset_tokens WHERE program_id = ? ORDER BY id',
      ),
      allTokens: prepare<[], TokenRow & { folder_id: number | null; program_id: number | null }>(
        'SELECT folder_id, program_id, name, type, value FROM asset_tokens ORDER BY id',
      ),
      upsertFolderToken: prepare<[number, string, string, string]>(
        `INSERT INTO asset_tokens (folder_id, name, type, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (folder_id, name) WHERE folder_id IS NOT NULL DO UPDATE SET type = excluded.type,
           value = excluded.value`,
      ),
      upsertProgramToken: prepare<[number, string, string, string]>(
        `INSERT INTO asset_tokens (program_id, name, type, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (program_id, name) WHERE program_id IS NOT NULL DO UPDATE SET type = excluded.type,
           value = excluded.value`,
      ),
      deleteFolderToken: prepare<[number, string, string]>(
        'DELETE FROM asset_tokens WHERE folder_id = ? AND name = ? AND type = ?',
      ),
      deleteProgramToken: prepare<[number, string, string]>(
        'DELETE FROM asset_tokens WHERE program_id = ? AND name = ? AND type = ?',
      ),
      channels: prepare<[number, number], ChannelRow>('SELECT * FROM asset_channels ORDER BY id LIMIT ? OFFSET ?'),
      allChannels: prepare<[], ChannelRow>('SELECT * FROM asset_channels ORDER BY id'),
      channelByName: prepare<[string], ChannelRow>('SELECT * FROM asset_channels WHERE name = ?'),
      channelById: prepare<[number], ChannelRow>('SELECT * FROM asset_channels WHERE id = ?'),
      deleteChannel: prepare<[number]>('DELETE FROM asset_channels WHERE id = ?'),
      insertChannel: prepare<[number | null, string, string, string, number, number]>(
        `INSERT INTO asset_channels (id, name, applicable_program_type, progression_statuses, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      tagTypes: prepare<[number, number], TagTypeRow>('SELECT * FROM asset_tag_types ORDER BY name LIMIT ? OFFSET ?'),
      allTagTypes: prepare<[], TagTypeRow>('SELECT * FROM asset_tag_types ORDER BY name'),
      tagTypeByName: prepare<[string], TagTypeRow>('SELECT * FROM asset_tag_types WHERE name = ?'),
      insertTagType: prepare<[string, string, number, string]>(
        `INSERT INTO asset_tag_types (name, applicable_program_types, required, allowable_values) VALUES (?, ?, ?, ?)`,
      ),
    };
  }

  now(): number {
    return this.clock.now();
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  // Built-in rows ------------------------------------------------------------------------------------------------

  /** Every workspace's root folders and the standard channels, where missing. */
  ensureBuiltIns(): void {
    const now = this.clock.now();
    this.s.ensureTreeRoots.run(now, now);
    this.s.ensureZones.run(now, now);
    for (const channel of STANDARD_CHANNELS) {
      const statuses = JSON.stringify(channel.progressionStatuses);
      this.s.ensureChannel.run(channel.id, channel.name, channel.applicableProgramType, statuses, now, now);
      this.s.refreshChannel.run(channel.applicableProgramType, statuses, channel.id, channel.name);
    }
  }

  addRoots(workspaceId: number): void {
    const now = this.clock.now();
    this.s.addRoots.run(workspaceId, now, now);
  }

  /** The workspace's root folders, when nothing is left in them (what is, keeps the workspace: a 409). */
  removeEmptyRoots(workspaceId: number): void {
    this.s.removeEmptyRoots.run(workspaceId);
  }

  // Folders -------------------------------------------------------------------------------------------------------

  folder(id: number): FolderRow | undefined {
    return this.s.folder.get(id);
  }

  foldersIn(workspaceIds: readonly number[]): FolderRow[] {
    return this.s.foldersIn.all(JSON.stringify(workspaceIds));
  }

  allFolders(): FolderRow[] {
    return this.s.allFolders.all();
  }

  /**
   * The folder's path: `/Marketing Activities` for a tree root, `/Marketing Activities/<workspace>/A/B` below it; a
   * program's is its folder's plus its name.
   */
  folderPath(folder: FolderRow): string {
    if (isTreeRoot(folder)) return `/${folder.tree}`;
    const chain = this.s.ancestors.all(folder.id);
    // The first links are the tree root and the zone, shown by its workspace's name.
    return `/${folder.tree}/${folder.workspace_name}${chain
      .slice(2)
      .map((link) => `/${link.name}`)
      .join('')}`;
  }

  childByName(parentId: number, name: string): number | undefined {
    return this.s.childByName.get(parentId, name)?.id;
  }

  insertFolder(input: {
    id?: number | null;
    workspaceId: number;
    parentId: number;
    tree: Tree;
    name: string;
    description: string | null;
    isArchive?: boolean;
    createdAt?: number;
    updatedAt?: number;
  }): number {
    const now = this.clock.now();
    const created = input.createdAt ?? now;
    return this.s.insertFolder.get(
      input.id ?? null,
      input.workspaceId,
      input.parentId,
      input.tree,
      input.name,
      input.description,
      'Marketing Folder',
      input.isArchive ? 1 : 0,
      created,
      input.updatedAt ?? created,
    )!.id;
  }

  updateFolder(id: number, patch: { name: string; description: string | null; isArchive: boolean }): void {
    this.s.updateFolder.run(patch.name, patch.description, patch.isArchive ? 1 : 0, this.clock.now(), id);
  }

  deleteFolder(id: number): void {
    this.s.deleteFolder.run(id);
  }

  /**
   * Gives a built-in folder another id (a seed restoring a root folder's id, before anything but zones is put in
   * it): the zones below a tree root follow it. The caller defers foreign keys (`deferForeignKeys`) for it.
   */
  renumberFolder(from: number, to: number): void {
    this.s.renumberFolder.run(to, from);
    this.s.reparentFolders.run(to, from);
  }

  /** Checks foreign keys at the end of the transaction (a seed load renumbering root folders), not per statement. */
  deferForeignKeys(): void {
    this.db.pragma('defer_foreign_keys = ON');
  }

  /** An id above every folder's. */
  nextFolderId(): number {
    return (this.s.maxFolderId.get()!.id ?? 0) + 1;
  }

  childCounts(id: number): { folders: number; programs: number } {
    return this.s.childCounts.get(id, id)!;
  }

  /** What other families keep in folder `id`, as "static lists: 2" (empty when nothing). */
  heldAssets(id: number): string[] {
    return this.heldCounts
      .map(({ table, count }) => ({ table, n: count.get(id)!.n }))
      .filter(({ n }) => n > 0)
      .map(({ table, n }) => `${table.replace(/_/g, ' ')}: ${n}`);
  }

  /** What a folder or a program holds, as Get Folder Contents lists it, in the readable workspaces. */
  contents(
    node: { kind: 'Folder' | 'Program'; id: number },
    workspaceIds: readonly number[],
    limit: number,
    offset: number,
  ): FolderContent[] {
    const query = { id: node.id, workspaces: JSON.stringify(workspaceIds), limit, offset };
    return node.kind === 'Folder' ? this.s.folderContents.all(query) : this.s.programContents.all(query);
  }

  // Programs ------------------------------------------------------------------------------------------------------

  program(id: number): ProgramRow | undefined {
    return this.s.program.get(id);
  }

  programByName(name: string): ProgramRow | undefined {
    return this.s.programByName.get(name);
  }

  programsIn(workspaceIds: readonly number[]): ProgramRow[] {
    return this.s.programsIn.all(JSON.stringify(workspaceIds));
  }

  allPrograms(): ProgramRow[] {
    return this.s.allPrograms.all();
  }

  browsePrograms(filter: ProgramFilter): ProgramRow[] {
    return this.s.browsePrograms.all(filter);
  }

  programsByTag(
    workspaceIds: readonly number[],
    tagType: string,
    tagValue: string,
    limit: number,
    offset: number,
  ): ProgramRow[] {
    return this.s.programsByTag.all(JSON.stringify(workspaceIds), tagType, tagValue, limit, offset);
  }

  insertProgram(program: NewProgram): number {
    return this.s.insertProgram.get({ ...program, id: program.id ?? null })!.id;
  }

  updateProgram(
    id: number,
    patch: {
      name: string;
      description: string;
      tags: string;
      costs: string;
      startDate: string | null;
      endDate: string | null;
    },
  ): void {
    this.s.updateProgram.run(
      patch.name,
      patch.description,
      patch.tags,
      patch.costs,
      patch.startDate,
      patch.endDate,
      this.clock.now(),
      id,
    );
  }

  setStatus(id: number, status: string): void {
    this.s.setStatus.run(status, this.clock.now(), id);
  }

  deleteProgram(id: number): void {
    this.s.deleteProgram.run(id);
  }

  // Tokens --------------------------------------------------------------------------------------------------------

  tokensOf(owner: TokenOwner): TokenRow[] {
    return owner.folderId !== null
      ? this.s.folderTokens.all(owner.folderId)
      : this.s.programTokens.all(owner.programId!);
  }

  allTokens() {
    return this.s.allTokens.all();
  }

  /** The ids of a folder and its ancestors, nearest first. */
  ancestorIds(folderId: number): number[] {
    return this.s.ancestors
      .all(folderId)
      .map((link) => link.id)
      .reverse();
  }

  /**
   * Own tokens first (a program's), then those of `folderId` and the folders above it; the nearest of a name wins.
   * Each with the folder or program that holds it (Get Tokens shows its page).
   */
  tokensWithInherited(owner: TokenOwner, folderId: number): (TokenRow & { holder: TokenOwner })[] {
    const seen = new Set<string>();
    const result: (TokenRow & { holder: TokenOwner })[] = [];
    const take = (holder: TokenOwner) => {
      for (const token of this.tokensOf(holder)) {
        const key = token.name.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        result.push({ name: token.name, type: token.type, value: token.value, holder });
      }
    };
    if (owner.programId !== null) take(owner);
    for (const ancestor of this.ancestorIds(folderId)) take({ folderId: ancestor, programId: null });
    return result;
  }

  upsertToken(owner: TokenOwner, token: TokenRow): void {
    if (owner.folderId !== null) this.s.upsertFolderToken.run(owner.folderId, token.name, token.type, token.value);
    else this.s.upsertProgramToken.run(owner.programId!, token.name, token.type, token.value);
  }

  deleteToken(owner: TokenOwner, name: string, type: string): boolean {
    const result =
      owner.folderId !== null
        ? this.s.deleteFolderToken.run(owner.folderId, name, type)
        : this.s.deleteProgramToken.run(owner.programId!, name, type);
    return result.changes > 0;
  }

  // Channels and tag types ----------------------------------------------------------------------------------------

  channels(limit: number, offset: number): ChannelRow[] {
    return this.s.channels.all(limit, offset);
  }

  allChannels(): ChannelRow[] {
    return this.s.allChannels.all();
  }

  channelByName(name: string): ChannelRow | undefined {
    return this.s.channelByName.get(name);
  }

  channelById(id: number): ChannelRow | undefined {
    return this.s.channelById.get(id);
  }

  deleteChannel(id: number): void {
    this.s.deleteChannel.run(id);
  }

  insertChannel(channel: {
    id?: number | null;
    name: string;
    applicableProgramType: ProgramType;
    progressionStatuses: ProgressionStatus[];
  }): void {
    const now = this.clock.now();
    this.s.insertChannel.run(
      channel.id ?? null,
      channel.name,
      channel.applicableProgramType,
      JSON.stringify(progressionOf(channel.progressionStatuses)),
      now,
      now,
    );
  }

  tagTypes(limit: number, offset: number): TagTypeRow[] {
    return this.s.tagTypes.all(limit, offset);
  }

  allTagTypes(): TagTypeRow[] {
    return this.s.allTagTypes.all();
  }

  tagTypeByName(name: string): TagTypeRow | undefined {
    return this.s.tagTypeByName.get(name);
  }

  insertTagType(tagType: {
    tagType: string;
    applicableProgramTypes: string;
    required: boolean;
    allowableValues: string[];
  }): void {
    this.s.insertTagType.run(
      tagType.tagType,
      tagType.applicableProgramTypes,
      tagType.required ? 1 : 0,
      JSON.stringify(tagType.allowableValues),
    );
  }
}
