import { z } from 'zod';
import { seedId } from '../../domain/record-ids.js';
import type { Version, VersionStatus } from '../../engines/assets/approval.js';
import { placeSeed, seedPlaces } from '../../engines/assets/seed-places.js';
import type { PlacementRule } from '../../engines/assets/versioned.js';
import { defineFamily, type SeedLoadContext } from '../../family.js';
import { type FragmentContent, type FragmentFields, FragmentRepository } from './repositories.js';
import { iso, insertSeedRow, rowSnapshot, seedTime } from './support.js';
import { assetDescription, assetName } from './templates.js';

/**
 * Fragments (issue 29): the new email designer's reusable blocks (fragments.md: "reusable content assets that can be
 * referenced by other assets, such as emails"), an asset type of the emails folder on the approval machine. Only the
 * v2 Asset API serves them (`/rest/asset/v2/fragment/…`, registered with the emails family's v2 routes, v2.ts).
 */

/** FragmentAppData names a folder or a workspace, no program: Design Studio folders. */
export const FRAGMENT_PLACES: PlacementRule = { what: 'Fragments', programs: false, trees: ['Design Studio'] };

const versionSeed = z.strictObject({
  fragmentType: z.string().min(1),
  fragmentSubType: z.string().nullable().optional(),
  supportedChannels: z.array(z.string().min(1)).min(1),
  editorType: z.string().nullable().optional(),
  html: z.string(),
  text: z.string().nullable().optional(),
  dynamicContent: z.record(z.string(), z.unknown()).nullable().optional(),
  createdAt: seedTime,
  updatedAt: seedTime,
});
const fragmentSeed = z.strictObject({
  id: seedId.optional(),
  name: assetName,
  description: assetDescription.optional(),
  ...placeSeed,
  createdAt: seedTime,
  updatedAt: seedTime,
  approved: versionSeed.optional().describe('The approved version'),
  draft: versionSeed.optional().describe('The draft (beside an approved version, or alone)'),
});
type FragmentSeed = z.infer<typeof fragmentSeed>;
type VersionSeed = z.infer<typeof versionSeed>;

function versionOf(
  status: VersionStatus,
  seed: VersionSeed,
  context: SeedLoadContext,
  created: number,
): Version<FragmentFields, FragmentContent> {
  const createdAt = context.time(seed.createdAt, created);
  return {
    status,
    fields: {
      fragmentType: seed.fragmentType,
      fragmentSubType: seed.fragmentSubType ?? null,
      supportedChannels: seed.supportedChannels,
      editorType: seed.editorType ?? null,
    },
    content: { html: seed.html, text: seed.text ?? null, dynamicContent: seed.dynamicContent ?? null },
    createdAt,
    updatedAt: context.time(seed.updatedAt, createdAt),
  };
}

function seedOf({ fields, content, createdAt, updatedAt }: Version<FragmentFields, FragmentContent>): VersionSeed {
  return {
    ...fields,
    html: content.html,
    text: content.text,
    dynamicContent: content.dynamicContent,
    createdAt: iso(createdAt),
    updatedAt: iso(updatedAt),
  };
}

export const fragments = defineFamily({
  key: 'fragments',
  tables: ['fragments'],
  wireFormat: 'asset',
  repository: ({ db, clock }) => new FragmentRepository(db, clock),
  seed: {
    item: fragmentSeed as z.ZodType<FragmentSeed>,
    load(repo, items, context) {
      const placeOf = seedPlaces(context, FRAGMENT_PLACES);
      items.forEach((item, i) => {
        const path = `[${i}]`;
        if (!item.approved && !item.draft) context.fail(path, 'a fragment has an approved version, a draft or both');
        const place = placeOf(item, path);
        const { id, createdAt } = insertSeedRow(repo.rows, item, place, context, path);
        if (item.approved) repo.machine.restore(id, versionOf('approved', item.approved, context, createdAt));
        if (item.draft) repo.machine.restore(id, versionOf('draft', item.draft, context, createdAt));
      });
    },
    snapshot: (repo) =>
      repo.rows.all().map((row): FragmentSeed => {
        const { approved, draft } = repo.machine.versions(row.id);
        return {
          ...rowSnapshot(row),
          ...(approved ? { approved: seedOf(approved) } : {}),
          ...(draft ? { draft: seedOf(draft) } : {}),
        };
      }),
    example: [
      {
        id: 850,
        name: 'Hero banner',
        folder: '/Design Studio/Contract',
        description: 'Reusable hero block',
        approved: {
          fragmentType: 'email',
          supportedChannels: ['email'],
          html: '<div class="hero"><h1>{{my.Host}}</h1></div>',
        },
      },
    ],
  },
});
