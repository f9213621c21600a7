import { z } from 'zod';
import type { SeedLoadContext } from '../../family.js';
import type { AssetRow, AssetRowPlace, AssetRows } from './asset-rows.js';

/** What every versioned asset family's records and seed parts share: names, UI links, seed rows and their times. */

/** Names as the Asset API takes them; descriptions as other assets' (folders, programs). */
export const assetName = z.string().trim().min(1).max(255);
export const assetDescription = z.string().max(2000);

/** An asset's page in the Marketo UI, as records carry it (`#EM2212A1LA1`, `#ET1022B2`, `#SN13B2`). */
export function assetUrl(pod: string, code: string, id: number): string {
  return `https://app-${pod}.marketo.com/#${code}${id}`;
}

export const seedTime = z.iso.datetime({ offset: true }).optional();

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
