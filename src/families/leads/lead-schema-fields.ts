import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { schemaFieldRoutes } from '../../engines/objects/schema-fields.js';
import type { FamilyRouteOptions } from '../../family.js';
import type { LeadFieldRepository } from './lead-fields-repository.js';

/**
 * The lead schema field API (leads.md "Fields"): browse and read every lead field's metadata, create custom fields
 * ("You can create up to 100 custom fields with this endpoint"), update a field's metadata. A created field is a
 * custom lead field like any: describe, filters and syncs know it at once.
 */
export const leadSchemaFieldRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<LeadFieldRepository>> = async (
  app,
  { repo },
) => {
  await schemaFieldRoutes({
    path: '/rest/v1/leads/schema/fields',
    tag: 'Marketo: Leads',
    object: 'Lead',
    maxCreated: 100,
    store: (request) => repo(request).store(),
  })(app, {});
};
