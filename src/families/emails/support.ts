import type { PlacementRule } from '../../engines/assets/versioned.js';

/** What the three families of the emails folder share: where their assets go, and their seed parts' places. */

/** Emails sit in programs or Design Studio folders (a Marketing Activities folder holds programs, not emails). */
export const EMAIL_PLACES: PlacementRule = { what: 'Emails', programs: true, trees: ['Design Studio'] };
/** Templates and snippets live in Design Studio; the spec lets a program hold them too. */
export const TEMPLATE_PLACES: PlacementRule = { what: 'Email templates', programs: true, trees: ['Design Studio'] };
export const SNIPPET_PLACES: PlacementRule = { what: 'Snippets', programs: true, trees: ['Design Studio'] };

export { assetUrl, insertSeedRow, iso, placeOfRow, rowSnapshot, seedTime } from '../../engines/assets/asset-records.js';
