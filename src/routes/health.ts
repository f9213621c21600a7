import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VERSION } from '../version.js';

export interface HealthOptions {
  /** Where the data lives: `memory` (gone at exit) or `file`. */
  database: 'memory' | 'file';
}

const healthSchema = z
  .object({
    status: z.literal('ok'),
    version: z.string().meta({ example: VERSION }),
    database: z.enum(['memory', 'file']).describe('memory: a throwaway instance; file: state survives restarts'),
  })
  .meta({ id: 'Health', example: { status: 'ok', version: VERSION, database: 'memory' } });

/**
 * `GET /health` for CI wait loops and container health checks: it answers once the instance is ready, needs no
 * admin token and leaves no journal entry. `GET /` goes to Swagger UI.
 */
export const healthRoutes: FastifyPluginAsyncZod<HealthOptions> = async (app, { database }) => {
  const body = { status: 'ok' as const, version: VERSION, database };
  app.get(
    '/health',
    {
      schema: {
        tags: ['Health'],
        summary: 'Readiness: 200 once the instance answers',
        description: 'No admin token needed; not recorded in the request journal.',
        response: { 200: healthSchema },
      },
    },
    async () => body,
  );
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/docs', 302));
};
