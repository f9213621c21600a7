import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { marketoMessage } from '../../domain/marketo-codes.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { problemResponses } from '../../http/problem.js';
import { type Database, prepareOnUse } from '../../storage/database.js';
import { migrations } from './migrations.js';

/**
 * What the subscription has of custom objects: "The action could not be carried out, because the instance does not
 * have custom objects integration enabled" (1026), and "The appropriate Marketo subscription type is required to
 * access the Custom Object Metadata API" (616) (error-codes.md). Both are on unless a seed or the admin plane turns
 * them off.
 */

export interface CustomObjectSwitches {
  enabled: boolean;
  metadataApi: boolean;
}

export class CustomObjectSettingsRepository {
  private readonly selectRow;
  private readonly upsert;

  constructor(db: Database) {
    this.selectRow = prepareOnUse<[], { enabled: number; metadata_api: number }>(
      db,
      'SELECT enabled, metadata_api FROM custom_object_settings',
    );
    this.upsert = prepareOnUse<[number, number]>(
      db,
      `INSERT INTO custom_object_settings (id, enabled, metadata_api) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, metadata_api = excluded.metadata_api`,
    );
  }

  get(): CustomObjectSwitches {
    return this.stored() ?? { enabled: true, metadataApi: true };
  }

  /** The switches as set, or undefined while nothing has set them. */
  stored(): CustomObjectSwitches | undefined {
    const row = this.selectRow.get();
    return row && { enabled: row.enabled === 1, metadataApi: row.metadata_api === 1 };
  }

  set(switches: CustomObjectSwitches): void {
    this.upsert.run(switches.enabled ? 1 : 0, switches.metadataApi ? 1 : 0);
  }
}

/** Custom object records and the list of types: 1026 while custom objects are off. */
export function requireCustomObjects(request: FastifyRequest): void {
  if (!request.ctx.repo(customObjectSettings).get().enabled) throw new MarketoError('1026', marketoMessage('1026'));
}

/** The Custom Object Type API: 616 while the metadata API is off (1026 first when custom objects are). */
export function requireMetadataApi(request: FastifyRequest): void {
  requireCustomObjects(request);
  if (!request.ctx.repo(customObjectSettings).get().metadataApi) throw new MarketoError('616', marketoMessage('616'));
}

const switchesSchema = z
  .strictObject({
    enabled: z.boolean().describe('Custom objects (off: 1026)'),
    metadataApi: z.boolean().describe('The Custom Object Type API (off: 616)'),
  })
  .meta({ id: 'CustomObjectSwitches', example: { enabled: true, metadataApi: false } });

const adminRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<CustomObjectSettingsRepository>> = async (
  app,
  { repo },
) => {
  const tags = ['Admin: Custom objects'];
  app.get(
    '/custom-objects',
    {
      schema: {
        tags,
        summary: 'Whether custom objects and their metadata API are on',
        response: { 200: switchesSchema, 401: problemResponses[401] },
      },
    },
    async (request) => repo(request).get(),
  );
  app.put(
    '/custom-objects',
    {
      schema: {
        tags,
        summary: 'Turn custom objects (1026 when off) or their metadata API (616 when off) on or off',
        body: switchesSchema,
        response: { 200: switchesSchema, ...problemResponses },
      },
    },
    async (request) => {
      const settings = repo(request);
      settings.set(request.body);
      return settings.get();
    },
  );
};

/** The custom object switches: at most one item, `{enabled, metadataApi}`, in a seed. */
export const customObjectSettings = defineFamily({
  key: 'customObjectSettings',
  tables: ['custom_object_settings'],
  // The folder's migrations, declared by its first family.
  migrations,
  repository: ({ db }) => new CustomObjectSettingsRepository(db),
  seed: {
    item: switchesSchema,
    load(repo, items, { fail }) {
      if (items.length > 1) fail('[1]', 'the custom object switches are one setting: give at most one item');
      if (items[0]) repo.set(items[0]);
    },
    snapshot: (repo) => {
      const switches = repo.stored();
      return switches ? [switches] : [];
    },
    example: [{ enabled: true, metadataApi: false }],
  },
  adminRoutes,
});
