import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FamilyRouteOptions } from '../../family.js';
import { customObjectImportRoutes } from './custom-object-routes.js';
import { leadImportRoutes } from './lead-routes.js';
import { refuseOtherBodies } from './multipart-form.js';
import { programMemberImportRoutes } from './program-member-routes.js';
import type { ImportRepository } from './repository.js';

/** Bulk import's routes (bulk-import.md): leads, custom objects and program members, over the plane's multipart parser. */
export const bulkImportRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ImportRepository>> = async (app, options) => {
  refuseOtherBodies(app);
  await leadImportRoutes(app, options);
  await customObjectImportRoutes(app, options);
  await programMemberImportRoutes(app, options);
};
