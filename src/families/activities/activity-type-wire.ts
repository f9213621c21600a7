import { z } from 'zod';
import { formatDatetime } from '../../domain/datetime.js';
import { LINKABLE_DATA_TYPES } from '../../engines/objects/fields.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { approvedVersion, type CustomTypeVersion, type StoredActivityType } from './activity-types-repository.js';

/** Activity types as the API answers them, and the shapes of custom types' attributes (shared by reads and writes). */

const attributeSchema = z.object({
  name: z.string(),
  apiName: z.string().optional(),
  dataType: z.string(),
  description: z.string().optional(),
});
export const activityTypeSchema = z
  .object({
    id: z.number().int(),
    apiName: z.string().optional(),
    name: z.string(),
    description: z.string(),
    primaryAttribute: attributeSchema.optional(),
    attributes: z.array(attributeSchema),
  })
  .meta({ id: 'ActivityType' });
export const customActivityTypeSchema = activityTypeSchema
  .extend({
    triggerName: z.string().optional(),
    filterName: z.string().optional(),
    status: z.enum(['draft', 'approved', 'approved with draft']),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'CustomActivityType' });

/** The data types of a custom activity type's attributes (Adobe's CustomActivityTypeAttribute). */
export const CUSTOM_DATA_TYPES = LINKABLE_DATA_TYPES;

/** "API Name: alphanumeric characters, with a maximum length of 255" (activities.md "Create type"), and _ (ours). */
export const activityApiName = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*$/, 'letters, digits and _, at least one letter');
export const customAttribute = z.strictObject({
  apiName: activityApiName,
  name: z.string().trim().min(1).max(255),
  dataType: z.enum(CUSTOM_DATA_TYPES),
  description: z.string().max(2000).optional(),
});
export const customTypesEnvelope = envelopeOf(customActivityTypeSchema);

export function wireType(type: StoredActivityType): z.infer<typeof activityTypeSchema> {
  return {
    id: type.id,
    ...(type.apiName !== undefined ? { apiName: type.apiName } : {}),
    name: type.name,
    description: type.description,
    ...(type.primaryAttribute ? { primaryAttribute: type.primaryAttribute } : {}),
    attributes: type.attributes,
  };
}

/** A custom type's status: "draft" until approved, "approved with draft" while a draft stands beside it. */
function statusOf(type: StoredActivityType): z.infer<typeof customActivityTypeSchema>['status'] {
  if (!type.approved) return 'draft';
  return type.draft ? 'approved with draft' : 'approved';
}

/** A custom type as the API answers it: its approved version, or its draft (never approved, or asked for). */
export function wireCustomType(
  type: StoredActivityType,
  version: 'approved' | 'draft' = type.approved ? 'approved' : 'draft',
): z.infer<typeof customActivityTypeSchema> {
  const shown = version === 'draft' ? type.draft! : approvedVersion(type);
  return {
    id: type.id,
    apiName: type.apiName!,
    name: shown.name,
    description: shown.description ?? '',
    ...(shown.triggerName !== undefined ? { triggerName: shown.triggerName } : {}),
    ...(shown.filterName !== undefined ? { filterName: shown.filterName } : {}),
    ...(shown.primaryAttribute ? { primaryAttribute: shown.primaryAttribute } : {}),
    attributes: shown.attributes,
    status: statusOf(type),
    createdAt: formatDatetime(type.createdAt),
    updatedAt: formatDatetime(type.updatedAt),
  };
}

/** Attribute API names must differ from each other and from the primary attribute's. */
export function duplicateAttribute(version: CustomTypeVersion): string | undefined {
  const seen = new Set<string>();
  for (const attribute of [...(version.primaryAttribute ? [version.primaryAttribute] : []), ...version.attributes]) {
    const key = attribute.apiName.toLowerCase();
    if (seen.has(key)) return attribute.apiName;
    seen.add(key);
  }
  return undefined;
}
