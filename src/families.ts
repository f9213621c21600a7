import type { AnyFamily } from './family.js';
import { leadFields } from './routes/admin/lead-fields.js';
import { assets } from './routes/rest/assets.js';
import { activities } from './routes/rest/activities.js';
import { activityTypes } from './routes/rest/activity-types.js';
import { leads } from './routes/rest/leads.js';
import { lists } from './routes/rest/lists.js';

/**
 * The resource families, in dependency order (a family's seed may name rows of those before it). Adding a family is
 * one line here; the composition root, the context, the seed document, reset and snapshot iterate this list.
 */
export const FAMILIES = [
  leadFields,
  leads,
  activityTypes,
  activities,
  assets,
  lists,
] as const satisfies readonly AnyFamily[];
