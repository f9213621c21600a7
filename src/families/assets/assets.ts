import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  initialStatus,
  MAX_TOKEN_NAME,
  PROGRAM_TYPES,
  type ProgramType,
  programType,
  TOKEN_TYPES,
  tokenValueProblem,
} from './rules.js';
import { defineFamily, type FamilyRouteOptions, type SeedLoadContext, type SnapshotContext } from '../../family.js';
import type { AssetFolder, AssetPlace, AssetPlaces, AssetProgram, AssetToken } from '../../engines/assets/places.js';
import { migrations } from './migrations.js';
import { AssetRepository, type FolderRow, type ProgramRow } from './repository.js';
import { folderRoutes } from './folders.js';
import { programRoutes } from './programs.js';
import { MARKETING_ACTIVITIES } from '../../engines/assets/places.js';

/**
 * Assets that live in workspaces: folders (each workspace's root folders are built in), programs, My Tokens, and the
 * channel and tag type catalogs. In a seed, `assets` lists items of five kinds; folders and programs are placed by
 * the Marketo path of their parent (`/Marketing Activities/<workspace>/…`), so a seed reads like the tree.
 */

const time = z.iso.datetime({ offset: true }).optional();
const programTypeName = z.string().refine((value) => programType(value) !== undefined, 'must be a program type');

/** A workspace's built-in root folder and its id: snapshots keep root folders' ids across a restore. */
const rootFolderItem = z.strictObject({
  kind: z.literal('rootFolder'),
  path: z.string().describe('/Marketing Activities/<workspace> or /Design Studio/<workspace>'),
  id: z.number().int().positive(),
});
const folderItem = z.strictObject({
  kind: z.literal('folder'),
  id: z.number().int().positive().optional(),
  name: z.string().trim().min(1).max(255),
  parent: z.string().describe('Path of the parent folder: /Marketing Activities/<workspace>/…'),
  description: z.string().nullable().optional(),
  isArchive: z.boolean().optional(),
  createdAt: time,
  updatedAt: time,
});
const programItem = z.strictObject({
  kind: z.literal('program'),
  id: z.number().int().positive().optional(),
  name: z.string().trim().min(1).max(255),
  folder: z.string().describe('Path of its folder'),
  type: programTypeName,
  channel: z.string().min(1),
  description: z.string().optional(),
  status: z.enum(['', 'locked', 'unlocked', 'on', 'off']).optional(),
  tags: z.array(z.object({ tagType: z.string(), tagValue: z.string() })).optional(),
  costs: z.array(z.object({ startDate: z.string(), cost: z.number().int(), note: z.string().optional() })).optional(),
  createdAt: time,
  updatedAt: time,
});
const tokenItem = z.strictObject({
  kind: z.literal('token'),
  folder: z.string().describe('Path of the folder or program that holds it'),
  name: z.string().trim().min(1).max(MAX_TOKEN_NAME),
  type: z.enum(TOKEN_TYPES),
  value: z.string(),
});
const channelItem = z.strictObject({
  kind: z.literal('channel'),
  id: z.number().int().positive().optional(),
  name: z.string().min(1),
  applicableProgramType: z.enum(PROGRAM_TYPES),
  progressionStatuses: z
    .array(
      z.object({
        name: z.string(),
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

const assetItem = z.discriminatedUnion('kind', [
  rootFolderItem,
  folderItem,
  programItem,
  tokenItem,
  channelItem,
  tagTypeItem,
]);
type AssetItem = z.infer<typeof assetItem>;

const ORDER: AssetItem['kind'][] = ['rootFolder', 'channel', 'tagType', 'folder', 'program', 'token'];

function loadAssets(repo: AssetRepository, items: readonly AssetItem[], context: SeedLoadContext): void {
  const { fail, unique } = context;
  // Root folders first take the ids the seed gives them (through negative ids, so that two may swap).
  const roots = new Map(
    repo
      .allFolders()
      .filter((row) => row.parent_id === null)
      .map((row) => [repo.folderPath(row).toLowerCase(), row]),
  );
  const moves: { from: number; to: number; path: string }[] = [];
  items.forEach((item, i) => {
    if (item.kind !== 'rootFolder') return;
    const root = roots.get(item.path.replace(/\/+$/, '').toLowerCase());
    if (!root) fail(`[${i}].path`, `no root folder at "${item.path}" (/Marketing Activities/<workspace> …)`);
    if (moves.some((move) => move.from === root!.id)) fail(`[${i}].path`, `"${item.path}" is named twice`);
    moves.push({ from: root!.id, to: item.id, path: `[${i}]` });
  });
  for (const move of moves) repo.renumberFolder(move.from, -move.from);
  for (const move of moves) unique(move.path, () => repo.renumberFolder(-move.from, move.to));
  // What a path names: every folder (roots included) and, as they are loaded, programs.
  const places = new Map<string, { kind: 'folder'; row: FolderRow } | { kind: 'program'; id: number }>();
  for (const row of repo.allFolders()) places.set(repo.folderPath(row).toLowerCase(), { kind: 'folder', row });
  const folderAt = (path: string, where: string): FolderRow => {
    const place = places.get(path.replace(/\/+$/, '').toLowerCase());
    if (!place) fail(where, `no folder at "${path}"`);
    if (place!.kind !== 'folder') fail(where, `"${path}" is a program, not a folder`);
    return (place as { row: FolderRow }).row;
  };
  const indexed = items.map((item, i) => ({ item, i }));
  for (const kind of ORDER) {
    for (const { item, i } of indexed) {
      if (item.kind !== kind) continue;
      const path = `[${i}]`;
      switch (item.kind) {
        case 'rootFolder':
          break;
        case 'channel':
          unique(path, () => repo.insertChannel(item));
          break;
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
          const parent = folderAt(item.parent, `${path}.parent`);
          const created = context.time(item.createdAt);
          const id = unique(path, () =>
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
          const row = repo.folder(id)!;
          places.set(repo.folderPath(row).toLowerCase(), { kind: 'folder', row });
          break;
        }
        case 'program': {
          const folder = folderAt(item.folder, `${path}.folder`);
          if (folder.tree !== MARKETING_ACTIVITIES) fail(`${path}.folder`, 'programs live in Marketing Activities');
          const type = programType(item.type) as ProgramType;
          const channel = repo.channelByName(item.channel);
          if (!channel) fail(`${path}.channel`, `no channel named "${item.channel}"`);
          const created = context.time(item.createdAt);
          const id = unique(path, () =>
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
          places.set(`${repo.folderPath(folder)}/${item.name}`.toLowerCase(), { kind: 'program', id });
          break;
        }
        case 'token': {
          const place = places.get(item.folder.replace(/\/+$/, '').toLowerCase());
          if (!place) fail(`${path}.folder`, `no folder or program at "${item.folder}"`);
          const problem = tokenValueProblem(item.type, item.value);
          if (problem) fail(`${path}.value`, problem);
          const owner =
            place!.kind === 'folder'
              ? { folderId: place!.row.id, programId: null }
              : { folderId: null, programId: place!.id };
          unique(path, () => repo.upsertToken(owner, { name: item.name, type: item.type, value: item.value }));
          break;
        }
      }
    }
  }
}

function snapshotAssets(repo: AssetRepository, _context: SnapshotContext): AssetItem[] {
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
  const paths = new Map(folders.map((row) => [row.id, repo.folderPath(row)]));
  for (const row of folders) {
    if (row.parent_id === null) items.push({ kind: 'rootFolder', path: paths.get(row.id)!, id: row.id });
  }
  // Parents before children: by depth in the tree, then by id.
  const depth = (row: FolderRow): number => (row.parent_id === null ? 0 : 1 + depth(byId.get(row.parent_id)!));
  const userFolders = folders
    .filter((row) => row.parent_id !== null)
    .sort((a, b) => depth(a) - depth(b) || a.id - b.id);
  for (const row of userFolders) {
    items.push({
      kind: 'folder',
      id: row.id,
      name: row.name,
      parent: paths.get(row.parent_id!)!,
      description: row.description,
      isArchive: row.is_archive === 1,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    });
  }
  const programPaths = new Map<number, string>();
  for (const row of repo.allPrograms()) {
    const folderPath = paths.get(row.folder_id)!;
    programPaths.set(row.id, `${folderPath}/${row.name}`);
    items.push({
      kind: 'program',
      id: row.id,
      name: row.name,
      folder: folderPath,
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
      folder: token.folder_id !== null ? paths.get(token.folder_id)! : programPaths.get(token.program_id!)!,
      name: token.name,
      type: token.type,
      value: token.value,
    });
  }
  return items;
}

const assetRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<AssetRepository>> = async (app, options) => {
  await app.register(folderRoutes, options);
  await app.register(programRoutes, options);
};

const placedFolder = (row: FolderRow): AssetFolder => ({
  id: row.id,
  name: row.parent_id === null ? row.workspace_name : row.name,
  parentId: row.parent_id,
  tree: row.tree,
  workspaceId: row.workspace_id,
  workspaceName: row.workspace_name,
});

const placedProgram = (row: ProgramRow): AssetProgram => ({
  id: row.id,
  name: row.name,
  workspaceId: row.workspace_id,
  workspaceName: row.workspace_name,
});

/** The tokens an asset in a folder or program sees (the `assetTokens` port); none when the place is gone. */
function tokensFor(repo: AssetRepository, place: AssetPlace): AssetToken[] {
  if ('programId' in place) {
    const program = repo.program(place.programId);
    return program ? repo.tokensWithInherited({ folderId: null, programId: program.id }, program.folder_id) : [];
  }
  return repo.folder(place.folderId)
    ? repo.tokensWithInherited({ folderId: place.folderId, programId: null }, place.folderId)
    : [];
}

/** Folders and programs as the other asset families place their assets in them (the `assetPlaces` port). */
function assetPlacesOf(repo: AssetRepository): AssetPlaces {
  return {
    folder: (id) => {
      const row = repo.folder(id);
      return row && placedFolder(row);
    },
    program: (id) => {
      const row = repo.program(id);
      return row && placedProgram(row);
    },
    programByName: (name) => {
      const row = repo.programByName(name);
      return row && placedProgram(row);
    },
    folderPaths: () => new Map(repo.allFolders().map((row) => [repo.folderPath(row).toLowerCase(), placedFolder(row)])),
  };
}

/** Folders, programs and tokens (Asset API), scoped by the workspace each lives in. */
export const assets = defineFamily({
  key: 'assets',
  // asset_versions, asset_version_contents and asset_uses hold the approval machine's state (src/engines/assets/version-store.ts): declared
  // here, so that they exist before any versioned asset family's tables; written, seeded and snapshotted by each of
  // those families through the machine.
  tables: [
    'asset_folders',
    'asset_programs',
    'asset_tokens',
    'asset_channels',
    'asset_tag_types',
    'asset_versions',
    'asset_version_contents',
    'asset_uses',
  ],
  wireFormat: 'asset',
  migrations,
  repository: ({ db, clock }) => new AssetRepository(db, clock),
  provides: (repo) => ({
    assetPlaces: assetPlacesOf(repo),
    assetTokens: { tokensFor: (place) => tokensFor(repo, place) },
  }),
  seed: {
    item: assetItem,
    load: loadAssets,
    snapshot: snapshotAssets,
    example: [
      { kind: 'channel', name: 'Field Event', applicableProgramType: 'Event' },
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
      {
        kind: 'token',
        folder: '/Marketing Activities/Contract/Webinars/2026/Spring Launch',
        name: 'Date',
        type: 'date',
        value: '2026-04-01',
      },
    ],
  },
  builtIns: {
    // Each workspace's root folders and the standard channels.
    rows: { asset_folders: 'parent_id IS NULL', asset_channels: 'built_in = 1' },
    ensure: (repo) => repo.ensureBuiltIns(),
  },
  onCoreEvents: (repo) => ({
    workspaceCreated: (workspace) => repo.addRoots(workspace.id),
    // Empty root folders go with their workspace; anything in them keeps it (the delete guard answers 409).
    workspaceDeleting: (workspaceId) => repo.removeEmptyRoots(workspaceId),
  }),
  marketoRoutes: assetRoutes,
});
