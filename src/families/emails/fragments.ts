import { z } from 'zod';
import { seedId } from '../../domain/record-ids.js';
import { placeSeed } from '../../engines/assets/seed-places.js';
import { versionedSeed } from '../../engines/assets/versioned-seed.js';
import type { PlacementRule } from '../../engines/assets/versioned.js';
import { defineFamily } from '../../family.js';
import { type FragmentContent, type FragmentFields, FragmentRepository } from './repositories.js';
import { seedTime } from './support.js';
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

const fragmentSeedPart = versionedSeed<FragmentSeed, VersionSeed, FragmentFields, FragmentContent>({
  places: FRAGMENT_PLACES,
  noun: 'a fragment',
  version: (seed) => ({
    fields: {
      fragmentType: seed.fragmentType,
      fragmentSubType: seed.fragmentSubType ?? null,
      supportedChannels: seed.supportedChannels,
      editorType: seed.editorType ?? null,
    },
    content: { html: seed.html, text: seed.text ?? null, dynamicContent: seed.dynamicContent ?? null },
  }),
  seedOf: ({ fields, content }) => ({
    ...fields,
    html: content.html,
    text: content.text,
    dynamicContent: content.dynamicContent,
  }),
});

export const fragments = defineFamily({
  key: 'fragments',
  tables: ['fragments'],
  wireFormat: 'asset',
  repository: ({ db, clock }) => new FragmentRepository(db, clock),
  seed: {
    item: fragmentSeed as z.ZodType<FragmentSeed>,
    load: fragmentSeedPart.load,
    snapshot: fragmentSeedPart.snapshot,
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
