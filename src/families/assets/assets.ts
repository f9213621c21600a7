import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import type { AssetFolder, AssetPlace, AssetPlaces, AssetProgram, AssetToken } from '../../engines/assets/places.js';
import { migrations } from './migrations.js';
import { NOT_IN_PROGRAM, type ProgressionStatus } from './rules.js';
import { AssetRepository, folderName, type FolderRow, isTreeRoot, type ProgramRow } from './repository.js';
import { folderRoutes } from './folders.js';
import { programRoutes } from './programs.js';
import { assetItem, assetSeedExample, loadAssets, snapshotAssets } from './seed.js';

/**
 * Assets that live in workspaces: folders (the two tree roots and each workspace's zones are built in), programs, My
 * Tokens, and the channel and tag type catalogs. The seed and snapshot part is in seed.ts.
 */

const assetRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<AssetRepository>> = async (app, options) => {
  await app.register(folderRoutes, options);
  await app.register(programRoutes, options);
};

const placedFolder = (row: FolderRow): AssetFolder => ({
  id: row.id,
  name: folderName(row),
  tree: row.tree,
  workspaceId: row.workspace_id,
  workspaceName: row.workspace_name,
  treeRoot: isTreeRoot(row),
});

const placedProgram = (row: ProgramRow): AssetProgram => ({
  id: row.id,
  name: row.name,
  workspaceId: row.workspace_id,
  workspaceName: row.workspace_name,
});

const strip = (tokens: readonly AssetToken[]): AssetToken[] =>
  tokens.map(({ name, type, value }) => ({ name, type, value }));

/** The tokens an asset in a folder or program sees (the `assetTokens` port); none when the place is gone. */
function tokensFor(repo: AssetRepository, place: AssetPlace): AssetToken[] {
  if ('programId' in place) {
    const program = repo.program(place.programId);
    return program ? strip(repo.tokensWithInherited({ folderId: null, programId: program.id }, program.folder_id)) : [];
  }
  return repo.folder(place.folderId)
    ? strip(repo.tokensWithInherited({ folderId: place.folderId, programId: null }, place.folderId))
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
    progressionOf: (programId) => {
      const program = repo.program(programId);
      const channel = program && repo.channelByName(program.channel);
      if (!program) return undefined;
      // A program keeps its channel's name; a channel gone from the catalog leaves "Not in Program" alone.
      const statuses = channel ? (JSON.parse(channel.progression_statuses) as ProgressionStatus[]) : [NOT_IN_PROGRAM];
      return statuses.map(({ name, step, success }) => ({ name, step, success }));
    },
    tokensOf: (programId) =>
      new Map(repo.tokensOf({ folderId: null, programId }).map((token) => [token.name.toLowerCase(), token.value])),
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
  seed: { item: assetItem, load: loadAssets, snapshot: snapshotAssets, example: assetSeedExample },
  builtIns: {
    // The two tree roots, each workspace's zones and the standard channels.
    rows: { asset_folders: "folder_type = 'Zone'", asset_channels: 'built_in = 1' },
    ensure: (repo) => repo.ensureBuiltIns(),
  },
  onCoreEvents: (repo) => ({
    workspaceCreated: (workspace) => repo.addRoots(workspace.id),
    // Empty root folders go with their workspace; anything in them keeps it (the delete guard answers 409).
    workspaceDeleting: (workspaceId) => repo.removeEmptyRoots(workspaceId),
  }),
  marketoRoutes: assetRoutes,
});
