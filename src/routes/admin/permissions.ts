import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PERMISSIONS } from '../../domain/permissions.js';
import { problemResponses } from '../../http/problem.js';

const permissionSchema = z
  .object({
    key: z.string().describe('Stable key used in role permissionSets'),
    name: z.string().describe('Marketo display name'),
    group: z
      .enum(['Access API', 'Access Admin'])
      .describe('Only Access API permissions grant API access (and an Access Admin one with apiScope, on that API)'),
    description: z.string(),
    implies: z.array(z.string()).optional(),
    apiScope: z
      .enum(['user-management'])
      .optional()
      .describe('An Access Admin permission that also counts on the calls of this API (Access Users: /userservice)'),
  })
  .meta({ id: 'Permission' });

const permissionList = z.array(permissionSchema);

export const permissionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/permissions',
    {
      schema: {
        tags: ['Admin: Roles'],
        summary: 'The permission catalog',
        response: { 200: permissionList, 401: problemResponses[401] },
      },
    },
    async () => [...PERMISSIONS],
  );
};
