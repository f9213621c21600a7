import { z } from 'zod';
import { customObjectsDefinition, customObjectsEntity } from './custom-objects.js';
import { activitiesDefinition, activitiesEntity, type ExportEntity, leadsDefinition, leadsEntity } from './entities.js';
import { programMembersDefinition, programMembersEntity } from './program-members.js';

/** A job's definition: which records of which entity; the columns and format are beside it in the payload. */
export const exportDefinition = z.discriminatedUnion('entity', [
  leadsDefinition,
  activitiesDefinition,
  programMembersDefinition,
  customObjectsDefinition,
]);
export type ExportDefinition = z.infer<typeof exportDefinition>;
export type EntityName = ExportDefinition['entity'];

/**
 * The entities served, each one entry (bulk-lead-extract.md, bulk-activity-extract.md,
 * bulk-program-member-extract.md, bulk-custom-object-extract.md). One queue and one daily quota hold them all.
 */
export const ENTITIES: readonly ExportEntity[] = [
  leadsEntity,
  activitiesEntity,
  programMembersEntity,
  customObjectsEntity,
];

export function entityNamed(name: EntityName): ExportEntity {
  return ENTITIES.find((entity) => entity.name === name)!;
}
