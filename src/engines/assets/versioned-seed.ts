import type { SeedLoadContext } from '../../family.js';
import type { ApprovalMachine, Version, VersionStatus } from './approval.js';
import { insertSeedRow, iso, rowSnapshot } from './asset-records.js';
import type { AssetRows } from './asset-rows.js';
import { seedPlaces } from './seed-places.js';
import type { PlacementRule } from './versioned.js';

/** A seed's version of an asset: its times (the row's creation when absent) and what its family keeps. */
interface VersionSeedTimes {
  createdAt?: string | undefined;
  updatedAt?: string | undefined;
}

/** A seed item of a versioned asset: the row's part, an approved version, a draft or both. */
interface VersionedSeedItem<V extends VersionSeedTimes> {
  id?: number | undefined;
  name: string;
  description?: string | undefined;
  folder?: number | string | undefined;
  program?: string | undefined;
  createdAt?: string | undefined;
  updatedAt?: string | undefined;
  approved?: V | undefined;
  draft?: V | undefined;
}

/** What a versioned asset family's repository offers its seed part: its rows and its approval machine. */
interface VersionedRepository<Fields, Content> {
  rows: AssetRows<Record<string, never>, unknown>;
  machine: ApprovalMachine<Fields, Content>;
}

/** Where a seed version is read: the item, its path in the seed, its status, and when the version was made. */
export interface SeedVersionAt<Item> {
  item: Item;
  status: VersionStatus;
  path: string;
  createdAt: number;
  context: SeedLoadContext;
}

export interface VersionedSeedSpec<Item, V, Fields, Content> {
  places: PlacementRule;
  /** The asset as the load's errors name it: 'a snippet'. */
  noun: string;
  /** A seed version's fields and content; it may fail the load, naming `${path}.${status}…`. */
  version(seed: V, at: SeedVersionAt<Item>): { fields: Fields; content: Content };
  /** A version back to its seed, without its times (the part adds them). */
  seedOf(version: Version<Fields, Content>): object;
  /** What a snapshot's item holds beside its row and versions (a landing page template's templateType). */
  itemOf?(versions: { approved?: Version<Fields, Content>; draft?: Version<Fields, Content> }): object;
}

/**
 * The seed part every versioned asset family shares (templates, snippets, fragments, forms …): each item a row in its
 * place and one or two versions on the approval machine; a snapshot writes them back so that loading it reproduces
 * every row and version. A family says only how a version's fields and content read from its seed and back.
 */
export function versionedSeed<Item extends VersionedSeedItem<V>, V extends VersionSeedTimes, Fields, Content>(
  spec: VersionedSeedSpec<Item, V, Fields, Content>,
) {
  return {
    // Generic in the repository, so that the family's own repository type is what defineFamily infers.
    load<R extends VersionedRepository<Fields, Content>>(
      repo: R,
      items: readonly Item[],
      context: SeedLoadContext,
    ): void {
      const placeOf = seedPlaces(context, spec.places);
      items.forEach((item, i) => {
        const path = `[${i}]`;
        if (!item.approved && !item.draft) context.fail(path, `${spec.noun} has an approved version, a draft or both`);
        const place = placeOf(item, path);
        const row = insertSeedRow(repo.rows, item, place, context, path);
        for (const status of ['approved', 'draft'] as const) {
          const seed = item[status];
          if (!seed) continue;
          const createdAt = context.time(seed.createdAt, row.createdAt);
          const { fields, content } = spec.version(seed, { item, status, path, createdAt, context });
          repo.machine.restore(row.id, {
            status,
            fields,
            content,
            createdAt,
            updatedAt: context.time(seed.updatedAt, createdAt),
          });
        }
      });
    },
    snapshot<R extends VersionedRepository<Fields, Content>>(repo: R): Item[] {
      const seedOf = (version: Version<Fields, Content>) => ({
        ...spec.seedOf(version),
        createdAt: iso(version.createdAt),
        updatedAt: iso(version.updatedAt),
      });
      return repo.rows.all().map((row) => {
        const versions = repo.machine.versions(row.id);
        return {
          ...rowSnapshot(row),
          ...spec.itemOf?.(versions),
          ...(versions.approved ? { approved: seedOf(versions.approved) } : {}),
          ...(versions.draft ? { draft: seedOf(versions.draft) } : {}),
        } as unknown as Item;
      });
    },
  };
}
