import { z } from 'zod';
import { seedId } from '../../domain/record-ids.js';
import {
  initialStatus,
  MAX_TOKEN_NAME,
  PROGRAM_TYPES,
  type ProgramType,
  programType,
  TOKEN_TYPES,
  tokenValueProblem,
} from './rules.js';
import type { SeedLoadContext, SnapshotContext } from '../../family.js';
import { MARKETING_ACTIVITIES, TREES } from '../../engines/assets/places.js';
import { type AssetRepository, type FolderRow, isTreeRoot, isZone } from './repository.js';

/**
 * The assets family's part of a seed and a snapshot: items of six kinds. A hand-written seed places folders,
 * programs and tokens by the Marketo path of their parent (`/Marketing Activities/<workspace>/…`), so it reads like
 * the tree; a snapshot places them by id, which names one place whatever the names hold ("/", a workspace "A/B"
 * beside a workspace "A" holding a folder "B", a folder and a program of one name). Both forms load.
 */

const time = z.iso.datetime({ offset: true }).optional();
const programTypeName = z.string().refine((value) => programType(value) !== undefined, 'must be a program type');
const id = seedId;
const folderRef = z
  .union([id, z.string().min(1)])
  .describe('The folder: its id, or its path (/Marketing Activities/<workspace>/…)');

/**
 * A built-in folder and its id (snapshots keep them across a restore): a tree root (`tree`), or a workspace's zone
 * (`tree` and `workspace`). Seeds written before 0.2 name it by `path` instead.
 */
const rootFolderItem = z
  .strictObject({
    kind: z.literal('rootFolder'),
    tree: z.enum(TREES).optional(),
    workspace: z.string().min(1).optional().describe("The zone's workspace; absent for the tree's root"),
    path: z.string().optional().describe('Older form: /Marketing Activities or /Marketing Activities/<workspace>'),
    id,
  })
  .refine((item) => (item.tree === undefined) !== (item.path === undefined), 'give tree (and workspace) or path')
  .refine((item) => item.workspace === undefined || item.tree !== undefined, 'workspace goes with tree');
const folderItem = z.strictObject({
  kind: z.literal('folder'),
  id: id.optional(),
  name: z.string().trim().min(1).max(255),
  parent: folderRef,
  description: z.string().nullable().optional(),
  isArchive: z.boolean().optional(),
  createdAt: time,
  updatedAt: time,
});
const programItem = z.strictObject({
  kind: z.literal('program'),
  id: id.optional(),
  name: z.string().trim().min(1).max(255),
  folder: folderRef,
  type: programTypeName,
  channel: z.string().min(1),
  description: z.string().optional(),
  status: z.enum(['', 'locked', 'unlocked', 'on', 'off']).optional(),
  tags: z.array(z.object({ tagType: z.string(), tagValue: z.string() })).optional(),
  costs: z.array(z.object({ startDate: z.string(), cost: z.number().int(), note: z.string().optional() })).optional(),
  createdAt: time,
  updatedAt: time,
});
/** A My Token: on a folder (`folder`: id or path; older seeds also name a program's path here) or a program. */
const tokenItem = z
  .strictObject({
    kind: z.literal('token'),
    folder: folderRef.optional(),
    program: z
      .union([id, z.string().min(1)])
      .optional()
      .describe('The program: its id or its name'),
    name: z.string().trim().min(1).max(MAX_TOKEN_NAME),
    type: z.enum(TOKEN_TYPES),
    value: z.string(),
  })
  .refine((item) => (item.folder === undefined) !== (item.program === undefined), 'give folder or program');
/**
 * A channel: its type as programs name it ("Event") or as channel records do ("event", "program"…); its statuses
 * after "Not in Program", which every channel starts with (given or not). A channel named as a standard one
 * replaces it.
 */
const channelItem = z.strictObject({
  kind: z.literal('channel'),
  id: id.optional(),
  name: z.string().min(1),
  applicableProgramType: programTypeName,
  progressionStatuses: z
    .array(
      z.object({
        name: z.string().min(1),
        step: z.number().int(),
        success: z.boolean().default(false),
        hidden: z.boolean().default(false),
        description: z.string().nullable().default(null),
      }),
    )
    .default([]),
});
const tagTypeItem = z.strictObject({
  kind: z.literal('tagType'),
  tagType: z.string().min(1),
  applicableProgramTypes: z.array(z.enum(PROGRAM_TYPES)).min(1),
  required: z.boolean().default(false),
  allowableValues: z.array(z.string()).default([]),
});

export const assetItem = z.discriminatedUnion('kind', [
  rootFolderItem,
  folderItem,
  programItem,
  tokenItem,
  channelItem,
  tagTypeItem,
]);
export type AssetItem = z.infer<typeof assetItem>;

const ORDER: AssetItem['kind'][] = ['rootFolder', 'channel', 'tagType', 'folder', 'program', 'token'];

/** Paths as a hand-written seed names places: each may name more than one (then the seed must use ids). */
class Paths<T> {
  private readonly byPath = new Map<string, T[]>();

  add(path: string, place: T): void {
    const key = path.toLowerCase();
    const list = this.byPath.get(key);
    if (list) list.push(place);
    else this.byPath.set(key, [place]);
  }

  /** The places at `path` (as written, else without trailing slashes, as a hand-written path may end). */
  find(path: string): T[] {
    return this.byPath.get(path.toLowerCase()) ?? this.byPath.get(path.replace(/\/+$/, '').toLowerCase()) ?? [];
  }
}

export function loadAssets(repo: AssetRepository, items: readonly AssetItem[], context: SeedLoadContext): void {
  const { fail, unique } = context;
  const displaced = restoreRootIds(repo, items, context);
  const folderPaths = new Paths<FolderRow>();
  for (const row of repo.allFolders()) folderPaths.add(repo.folderPath(row), row);
  const programPaths = new Paths<number>();

  const folderOf = (ref: number | string, where: string): FolderRow => {
    if (typeof ref === 'number') {
      const row = repo.folder(ref);
      if (!row) fail(where, `no folder ${ref} (a folder comes after the folder it is in)`);
      return row!;
    }
    const found = folderPaths.find(ref);
    if (found.length === 0) {
      fail(where, programPaths.find(ref).length > 0 ? `"${ref}" is a program, not a folder` : `no folder at "${ref}"`);
    }
    if (found.length > 1) fail(where, `"${ref}" names ${found.length} folders: name the folder by its id`);
    return found[0]!;
  };
  /** A tree root holds only the workspaces' zones (as the API's 709 says). */
  const belowTreeRoot = (folder: FolderRow, ref: number | string, where: string): FolderRow => {
    if (isTreeRoot(folder)) fail(where, `${JSON.stringify(ref)} holds only the workspaces' folders`);
    return folder;
  };
  const tokenOwner = (item: Extract<AssetItem, { kind: 'token' }>, where: string) => {
    if (item.program !== undefined) {
      const program = typeof item.program === 'number' ? repo.program(item.program) : repo.programByName(item.program);
      if (!program) fail(`${where}.program`, `no program ${JSON.stringify(item.program)}`);
      return { folderId: null, programId: program!.id };
    }
    const ref = item.folder!;
    if (typeof ref === 'string') {
      // Seeds written before 0.2 name a program's tokens by the program's path too.
      const folders = folderPaths.find(ref);
      const programs = programPaths.find(ref);
      if (folders.length + programs.length > 1) {
        fail(`${where}.folder`, `"${ref}" names ${folders.length + programs.length} places: use folder or program ids`);
      }
      if (programs.length === 1) return { folderId: null, programId: programs[0]! };
    }
    const folder = belowTreeRoot(folderOf(ref, `${where}.folder`), ref, `${where}.folder`);
    return { folderId: folder.id, programId: null };
  };

  const indexed = items.map((item, i) => ({ item, i }));
  for (const kind of ORDER) {
    for (const { item, i } of indexed) {
      if (item.kind !== kind) continue;
      const path = `[${i}]`;
      switch (item.kind) {
        case 'rootFolder':
          break;
        case 'channel': {
          const standard = repo.channelByName(item.name);
          if (standard?.built_in === 1) repo.deleteChannel(standard.id);
          // Channels are named, never referenced by id: an id a standard channel holds (one added to the catalog
          // after the snapshot was taken) gives way to the next one.
          const idTaken = item.id !== undefined && repo.channelById(item.id)?.built_in === 1;
          unique(path, () =>
            repo.insertChannel({
              id: idTaken ? null : (item.id ?? null),
              name: item.name,
              applicableProgramType: programType(item.applicableProgramType) as ProgramType,
              progressionStatuses: item.progressionStatuses,
            }),
          );
          break;
        }
        case 'tagType':
          unique(path, () =>
            repo.insertTagType({
              tagType: item.tagType,
              applicableProgramTypes: item.applicableProgramTypes.join(','),
              required: item.required,
              allowableValues: item.allowableValues,
            }),
          );
          break;
        case 'folder': {
          const parent = belowTreeRoot(folderOf(item.parent, `${path}.parent`), item.parent, `${path}.parent`);
          const created = context.time(item.createdAt);
          const folderId = unique(path, () =>
            repo.insertFolder({
              id: item.id ?? null,
              workspaceId: parent.workspace_id,
              parentId: parent.id,
              tree: parent.tree,
              name: item.name,
              description: item.description ?? null,
              isArchive: item.isArchive ?? false,
              createdAt: created,
              updatedAt: context.time(item.updatedAt, created),
            }),
          );
          const row = repo.folder(folderId)!;
          folderPaths.add(repo.folderPath(row), row);
          break;
        }
        case 'program': {
          const folder = belowTreeRoot(folderOf(item.folder, `${path}.folder`), item.folder, `${path}.folder`);
          if (folder.tree !== MARKETING_ACTIVITIES) fail(`${path}.folder`, 'programs live in Marketing Activities');
          const type = programType(item.type) as ProgramType;
          const channel = repo.channelByName(item.channel);
          if (!channel) fail(`${path}.channel`, `no channel named "${item.channel}"`);
          const created = context.time(item.createdAt);
          const programId = unique(path, () =>
            repo.insertProgram({
              id: item.id ?? null,
              folderId: folder.id,
              workspaceId: folder.workspace_id,
              name: item.name,
              description: item.description ?? '',
              type,
              channel: channel!.name,
              status: item.status ?? initialStatus(type),
              tags: JSON.stringify(item.tags ?? []),
              costs: JSON.stringify(item.costs ?? []),
              createdAt: created,
              updatedAt: context.time(item.updatedAt, created),
            }),
          );
          programPaths.add(`${repo.folderPath(folder)}/${item.name}`, programId);
          break;
        }
        case 'token': {
          const owner = tokenOwner(item, path);
          const problem = tokenValueProblem(item.type, item.value);
          if (problem) fail(`${path}.value`, problem);
          unique(path, () => repo.upsertToken(owner, { name: item.name, type: item.type, value: item.value }));
          break;
        }
      }
    }
  }
  for (const folderId of displaced) repo.renumberFolder(folderId, repo.nextFolderId());
}

/**
 * Built-in folders (the tree roots and the zones) first take the ids the seed gives them: through negative ids, so
 * that two may swap; one holding an id the seed gives another, and named nowhere (a snapshot older than the tree
 * roots), takes a free id once the folders are loaded: returned, negative. The zones follow their tree root
 * (foreign keys deferred to the load's commit).
 */
function restoreRootIds(repo: AssetRepository, items: readonly AssetItem[], context: SeedLoadContext): number[] {
  const { fail, unique } = context;
  repo.deferForeignKeys();
  const builtIn = repo.allFolders().filter((row) => isTreeRoot(row) || isZone(row));
  const byPath = new Map(builtIn.map((row) => [repo.folderPath(row).toLowerCase(), row]));
  const rootOf = (item: Extract<AssetItem, { kind: 'rootFolder' }>): FolderRow | undefined => {
    if (item.path !== undefined) return byPath.get(item.path.replace(/\/+$/, '').toLowerCase());
    return builtIn.find(
      (row) =>
        row.tree === item.tree &&
        (item.workspace === undefined
          ? isTreeRoot(row)
          : isZone(row) && row.workspace_name.toLowerCase() === item.workspace.toLowerCase()),
    );
  };
  const moves: { from: number; to: number; path: string }[] = [];
  items.forEach((item, i) => {
    if (item.kind !== 'rootFolder') return;
    const root = rootOf(item);
    if (!root) {
      const named = item.path ?? `/${item.tree}${item.workspace === undefined ? '' : ` (workspace ${item.workspace})`}`;
      fail(item.path !== undefined ? `[${i}].path` : `[${i}]`, `no root folder ${JSON.stringify(named)}`);
    }
    if (moves.some((move) => move.from === root!.id)) fail(`[${i}]`, 'this root folder is named twice');
    if (moves.some((move) => move.to === item.id)) fail(`[${i}].id`, `id ${item.id} is given twice`);
    moves.push({ from: root!.id, to: item.id, path: `[${i}]` });
  });
  for (const move of moves) repo.renumberFolder(move.from, -move.from);
  const displaced: number[] = [];
  for (const move of moves) {
    if (repo.folder(move.to)) {
      repo.renumberFolder(move.to, -move.to);
      displaced.push(-move.to);
    }
    unique(move.path, () => repo.renumberFolder(-move.from, move.to));
  }
  return displaced;
}

/** The family's part of a snapshot: every place named by id. */
export function snapshotAssets(repo: AssetRepository, _context: SnapshotContext): AssetItem[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const items: AssetItem[] = [];
  for (const row of repo.allChannels()) {
    if (row.built_in === 1) continue;
    items.push({
      kind: 'channel',
      id: row.id,
      name: row.name,
      applicableProgramType: row.applicable_program_type as ProgramType,
      progressionStatuses: JSON.parse(row.progression_statuses),
    });
  }
  for (const row of repo.allTagTypes()) {
    items.push({
      kind: 'tagType',
      tagType: row.name,
      applicableProgramTypes: row.applicable_program_types.split(',') as ProgramType[],
      required: row.required === 1,
      allowableValues: JSON.parse(row.allowable_values),
    });
  }
  const folders = repo.allFolders();
  const byId = new Map(folders.map((row) => [row.id, row]));
  for (const row of folders) {
    if (isTreeRoot(row)) items.push({ kind: 'rootFolder', tree: row.tree, id: row.id });
    else if (isZone(row)) items.push({ kind: 'rootFolder', tree: row.tree, workspace: row.workspace_name, id: row.id });
  }
  // Parents before children: by depth in the tree, then by id.
  const depth = (row: FolderRow): number => (row.parent_id === null ? 0 : 1 + depth(byId.get(row.parent_id)!));
  const userFolders = folders
    .filter((row) => !isTreeRoot(row) && !isZone(row))
    .sort((a, b) => depth(a) - depth(b) || a.id - b.id);
  for (const row of userFolders) {
    items.push({
      kind: 'folder',
      id: row.id,
      name: row.name,
      parent: row.parent_id!,
      description: row.description,
      isArchive: row.is_archive === 1,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    });
  }
  for (const row of repo.allPrograms()) {
    items.push({
      kind: 'program',
      id: row.id,
      name: row.name,
      folder: row.folder_id,
      type: row.type,
      channel: row.channel,
      description: row.description,
      status: row.status as '',
      tags: JSON.parse(row.tags),
      costs: JSON.parse(row.costs),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    });
  }
  for (const token of repo.allTokens()) {
    items.push({
      kind: 'token',
      ...(token.folder_id !== null ? { folder: token.folder_id } : { program: token.program_id! }),
      name: token.name,
      type: token.type,
      value: token.value,
    });
  }
  return items;
}

export const assetSeedExample: z.input<typeof assetItem>[] = [
  {
    kind: 'channel',
    name: 'Field Event',
    applicableProgramType: 'event',
    progressionStatuses: [
      { name: 'Registered', step: 10 },
      { name: 'Attended', step: 20, success: true },
    ],
  },
  { kind: 'tagType', tagType: 'Region', applicableProgramTypes: ['Default', 'Event'], allowableValues: ['EU'] },
  { kind: 'folder', name: 'Webinars', parent: '/Marketing Activities/Contract', description: 'All webinars' },
  { kind: 'folder', id: 500, name: '2026', parent: '/Marketing Activities/Contract/Webinars' },
  {
    kind: 'program',
    name: 'Spring Launch',
    folder: '/Marketing Activities/Contract/Webinars/2026',
    type: 'Event',
    channel: 'Field Event',
    tags: [{ tagType: 'Region', tagValue: 'EU' }],
    createdAt: '2026-03-01T09:00:00Z',
  },
  { kind: 'token', folder: '/Marketing Activities/Contract/Webinars', name: 'Host', type: 'text', value: 'Ada' },
  { kind: 'token', program: 'Spring Launch', name: 'Date', type: 'date', value: '2026-04-01' },
  { kind: 'token', folder: 500, name: 'Year', type: 'number', value: '2026' },
];
