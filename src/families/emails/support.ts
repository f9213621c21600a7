import { z } from 'zod';
import { seedId } from '../../domain/record-ids.js';
import type { AssetRow, AssetRowPlace, AssetRows } from '../../engines/assets/asset-rows.js';
import type { AssetFolder } from '../../engines/assets/places.js';
import type { PlacementRule } from '../../engines/assets/versioned.js';
import type { SeedLoadContext } from '../../family.js';

/** What the three families of the emails folder share: where their assets go, and their seed parts' places. */

/** Emails sit in programs or Design Studio folders (a Marketing Activities folder holds programs, not emails). */
export const EMAIL_PLACES: PlacementRule = { what: 'Emails', programs: true, trees: ['Design Studio'] };
/** Templates and snippets live in Design Studio; the spec lets a program hold them too. */
export const TEMPLATE_PLACES: PlacementRule = { what: 'Email templates', programs: true, trees: ['Design Studio'] };
export const SNIPPET_PLACES: PlacementRule = { what: 'Snippets', programs: true, trees: ['Design Studio'] };

/** An asset's page in the Marketo UI, as records carry it (`#EM2212A1LA1`, `#ET1022B2`, `#SN13B2`). */
export function assetUrl(pod: string, code: string, id: number): string {
  return `https://app-${pod}.marketo.com/#${code}${id}`;
}

export const seedTime = z.iso.datetime({ offset: true }).optional();

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
    if (!rule.trees.includes(folder!.tree)) {
      context.fail(`${path}.folder`, `${rule.what} go in ${rule.trees.join(' or ')} folders, not ${folder!.tree}`);
    }
    return { folderId: folder!.id, programId: null, workspaceId: folder!.workspaceId };
  };
}

/** A row's place as a snapshot writes it: the folder by id (ids survive a restore), the program by name. */
export function placeOfRow(row: AssetRow<unknown>): { folder: number } | { program: string } {
  return row.programId !== null ? { program: row.folderName } : { folder: row.folderId! };
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** A seed item's asset row: its id if given, name, description, place and times (the load's time when absent). */
export function insertSeedRow(
  rows: AssetRows<Record<string, never>, unknown>,
  item: {
    id?: number | undefined;
    name: string;
    description?: string | undefined;
    createdAt?: string | undefined;
    updatedAt?: string | undefined;
  },
  place: AssetRowPlace,
  context: SeedLoadContext,
  path: string,
): { id: number; createdAt: number } {
  const createdAt = context.time(item.createdAt);
  const id = context.unique(path, () =>
    rows.insert({
      id: item.id ?? null,
      name: item.name,
      description: item.description ?? '',
      place,
      meta: {},
      createdAt,
      updatedAt: context.time(item.updatedAt, createdAt),
    }),
  );
  return { id, createdAt };
}

/** A row as a snapshot writes it, before its versions. */
export function rowSnapshot(row: AssetRow<unknown>) {
  return {
    id: row.id,
    name: row.name,
    ...(row.description ? { description: row.description } : {}),
    ...placeOfRow(row),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
