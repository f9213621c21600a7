import { z } from 'zod';
import { seedId } from '../../domain/record-ids.js';
import type { SeedLoadContext } from '../../family.js';
import type { AssetRowPlace } from './asset-rows.js';
import type { AssetFolder } from './places.js';
import type { PlacementRule } from './versioned.js';

/** Where an item of a seed goes: `folder` (an id, or a path as the assets seed names folders) or `program` (name). */
export const placeSeed = {
  folder: z.union([seedId, z.string().min(1)]).optional(),
  program: z.string().min(1).optional(),
};

/** Resolves seed places once per load (folder paths are read once). */
export function seedPlaces(context: SeedLoadContext, rule: PlacementRule) {
  const places = context.port('assetPlaces');
  let byPath: ReadonlyMap<string, AssetFolder> | undefined;
  return (
    item: { folder?: number | string | undefined; program?: string | undefined },
    path: string,
  ): AssetRowPlace => {
    if ((item.folder === undefined) === (item.program === undefined)) {
      context.fail(path, 'an asset sits in a folder or in a program: name one of the two');
    }
    if (item.program !== undefined) {
      const program = places.programByName(item.program);
      if (!program) context.fail(`${path}.program`, `no program named "${item.program}"`);
      if (!rule.programs) context.fail(`${path}.program`, `${rule.what} do not go in programs`);
      return { folderId: null, programId: program!.id, workspaceId: program!.workspaceId };
    }
    const folder =
      typeof item.folder === 'number'
        ? places.folder(item.folder)
        : (byPath ??= places.folderPaths()).get(item.folder!.replace(/\/+$/, '').toLowerCase());
    if (!folder) context.fail(`${path}.folder`, `no folder at ${JSON.stringify(item.folder)}`);
    if (folder!.treeRoot) context.fail(`${path}.folder`, `/${folder!.tree} holds only the workspaces' folders`);
    if (!rule.trees.includes(folder!.tree)) {
      context.fail(`${path}.folder`, `${rule.what} go in ${rule.trees.join(' or ')} folders, not ${folder!.tree}`);
    }
    return { folderId: folder!.id, programId: null, workspaceId: folder!.workspaceId };
  };
}
