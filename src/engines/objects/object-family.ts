import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { CoreEventHandlers } from '../../domain/core-events.js';
import { MarketoError } from '../../domain/errors.js';
import { MAX_RECORD_ID, seedId } from '../../domain/record-ids.js';
import { marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey, PermissionObject } from '../../domain/permissions.js';
import { MAX_BATCH, type RecordStatus } from '../../domain/results.js';
import {
  defineFamily,
  type Family,
  type FamilyInfra,
  type FamilyRouteOptions,
  type SeedLoadContext,
  type SnapshotContext,
} from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import type { JobKinds } from '../jobs/kinds.js';
import type { Ports } from '../../ports.js';
import type { Migration } from '../../storage/migrations.js';
import { coerceFieldValue, type ObjectField } from './fields.js';
import { type ObjectRecord, ObjectRepository, type ObjectTable } from './object-repository.js';
import {
  deleteObjects,
  type ObjectCall,
  type ObjectEnv,
  type LinkResult,
  type ObjectHooks,
  queryObjects,
  type SyncAction,
  syncObjects,
} from './object-rules.js';
import {
  deleteBody,
  describeEnvelope,
  describeOf,
  queryBody,
  queryParams,
  recordSchemaOf,
  resultSchemaOf,
  syncBodyOf,
} from './object-schemas.js';
import { schemaFieldOf, schemaFieldReadRoutes } from './schema-fields.js';
import { dedupeKey, type FieldValue, type ObjectType, SYSTEM_FIELDS } from './object-type.js';

/**
 * The object engine: a family of Marketo's object APIs (marketo-reference.md §6.3) is one call of `objectFamily`
 * with its type, path, permissions and table, plus a migration. The engine gives it describe, query (GET, and
 * POST `_method=GET` with a JSON body for compound keys), sync and delete routes with exact zod schemas, the
 * repository over its table, and its seed and snapshot parts. docs/architecture.md shows a family built on it.
 */

/** The types a family serves: one fixed type, or types known at run time (custom objects, by path). */
export interface ObjectTypes {
  /** The type a call is about; a type the call names that does not exist is the family's response-level error. */
  ofRequest(request: FastifyRequest): ObjectType;
  /** The type of a seed item, or why there is none. */
  ofSeed(item: Readonly<Record<string, unknown>>, env: ObjectEnv): ObjectType | string;
  /** A record's type as its snapshot item names it (`type`), for families of several types. */
  nameOf?(typeId: number, repo: SnapshotContext['repo']): string;
}

/** A family of one type known when the module loads. */
export function oneType(type: ObjectType): ObjectTypes {
  return { ofRequest: () => type, ofSeed: () => type };
}

export interface ObjectFamilyConfig<K extends string> {
  /** The seed/snapshot key and plugin name ('companies'). */
  key: K;
  /** The family's own table, in the engine's layout (object-repository.ts); its migration is the family's. */
  table: ObjectTable;
  migrations?: readonly Migration[];
  /**
   * Where its routes are: `<path>.json` (query, sync), `<path>/describe.json`, `<path>/delete.json`. A path with a
   * parameter (`/rest/v1/customobjects/:customObjectName`) declares it in `params`.
   */
  path: string;
  params?: z.ZodObject;
  /** OpenAPI: the tag and each operation's summary, as Adobe's spec names them. */
  tag: string;
  summaries: { query: string; sync: string; delete: string; describe?: string };
  /**
   * Other spellings of `path` that Adobe's documents show (endpoint-reference.md writes named account lists in lower
   * case): the same operations are served there too.
   */
  aliases?: readonly string[];
  /** As Adobe's spec requires them for reads (query, describe) and writes (sync, delete). */
  permissions: { read: readonly PermissionKey[]; write: readonly PermissionKey[] };
  /**
   * A partition-scoped family names the object whose partitions the caller may read and write
   * (`request.access.partitions(mode, object)`); records then carry a partition and seeds name it. Unset: every
   * caller holding the permission sees every record (decision per family, README "Decisions").
   */
  partitionScope?: PermissionObject;
  types: ObjectTypes;
  /** The sync actions the family takes (named account lists: createOnly, updateOnly) and its default. */
  actions?: readonly [SyncAction, ...SyncAction[]];
  defaultAction?: SyncAction;
  hooks?: ObjectHooks;
  /** Runs before every call: a switched-off API answers its code (native CRM sync: 1018 on writes). */
  guard?(request: FastifyRequest, mode: 'read' | 'write'): void;
  /** The OpenAPI component of a record (its standard fields, `seq` and the id field); examples for the docs. */
  record: { schemaId: string; standardFields: readonly ObjectField[]; example?: object };
  /** Seed items a user would write, for the contract test and the docs. */
  example: readonly unknown[];
  /**
   * Serve the read half of the schema field API under `<path>/schema/fields` (companies, opportunities, named
   * accounts), naming the object as Adobe's summaries do ("Get Company Fields").
   */
  schemaFields?: { object: string };
  /** Ports the family offers the others (src/ports.ts), over its repository. */
  provides?(repo: ObjectRepository, infra: FamilyInfra): Partial<Ports>;
  /** Routes the family adds beside the engine's (named account list members, the custom object list…). */
  extraRoutes?: FastifyPluginAsyncZod<FamilyRouteOptions<ObjectRepository>>;
  /** Reactions to core events (a lead merge, a partition deleted), over the family's repository. */
  onCoreEvents?(repo: ObjectRepository): CoreEventHandlers;
  /** Timed work on the fake's clock (src/engines/jobs/): the family's job kinds, stepped with its repository. */
  jobs?: JobKinds<ObjectRepository>;
  /**
   * Runs after a Sync call creates a record, in the call's transaction (a job scheduled for the record commits with
   * it). Not for seeds (a snapshot brings its jobs back in its `jobs` part) nor for an update.
   */
  created?(record: ObjectRecord, ctx: AppContext): void;
}

const SYNC_ACTIONS = ['createOnly', 'updateOnly', 'createOrUpdate'] as const;

/**
 * The keys a seed item may carry beside its fields: its row id and GUID, its times, and (when the family has them)
 * its partition's name and its type's name. No field of a type may take one of them.
 */
export function seedKeysOf(config: Pick<ObjectFamilyConfig<string>, 'partitionScope' | 'table'>): ReadonlySet<string> {
  return new Set([
    'id',
    'marketoGUID',
    'createdAt',
    'updatedAt',
    ...(config.partitionScope ? ['partition'] : []),
    ...(config.table.typed ? ['type'] : []),
  ]);
}

/** An object family: its routes, repository, seed and snapshot parts. */
export function objectFamily<K extends string>(
  config: ObjectFamilyConfig<K>,
): Family<K, ObjectRepository, Record<string, unknown>> {
  const routes = objectRoutes(config);
  const schemaRoutes =
    config.schemaFields &&
    schemaFieldReadRoutes({
      path: `${config.path}/schema/fields`,
      tag: config.tag,
      object: config.schemaFields.object,
      fieldsOf: (request) => config.types.ofRequest(request).catalog.fields.map((field) => schemaFieldOf(field)),
    });
  return defineFamily({
    key: config.key,
    tables: [config.table.name],
    wireFormat: 'lead-database',
    ...(config.migrations ? { migrations: config.migrations } : {}),
    ...(config.provides ? { provides: config.provides } : {}),
    ...(config.onCoreEvents ? { onCoreEvents: config.onCoreEvents } : {}),
    ...(config.jobs ? { jobs: config.jobs } : {}),
    repository: ({ db, clock, ids }) => new ObjectRepository(db, clock, ids, config.table),
    seed: {
      item: z.record(z.string(), z.unknown()),
      load: (repo, items, context) => loadObjects(config, repo, items, context),
      snapshot: (repo, context) => snapshotObjects(config, repo, context),
      example: config.example,
    },
    marketoRoutes: async (app, options) => {
      await routes(app, options);
      if (schemaRoutes) await schemaRoutes(app, {});
      if (config.extraRoutes) await config.extraRoutes(app, options);
    },
  });
}

/** Everything one call of a family works with. */
export function objectCall(
  config: Pick<ObjectFamilyConfig<string>, 'partitionScope' | 'hooks'>,
  request: FastifyRequest,
  repo: ObjectRepository,
  type: ObjectType,
): ObjectCall {
  const object = config.partitionScope;
  return {
    type,
    repo,
    hooks: config.hooks ?? {},
    env: request.ctx,
    scope: object
      ? { readable: request.access.partitions('read', object), writable: request.access.partitions('write', object) }
      : undefined,
    now: request.ctx.clock.now(),
  };
}

function objectRoutes<K extends string>(
  config: ObjectFamilyConfig<K>,
): FastifyPluginAsyncZod<FamilyRouteOptions<ObjectRepository>> {
  const { path, tag, summaries, permissions, types } = config;
  const tags = [tag];
  const recordIdField = config.table.guid ? 'marketoGUID' : 'id';
  // Schemas are built once per process, when the family's module loads.
  const recordEnvelope = envelopeOf(
    recordSchemaOf(config.record.schemaId, recordIdField, config.record.standardFields, config.record.example),
  );
  const syncStatuses: [RecordStatus, ...RecordStatus[]] = ['created', 'updated', 'skipped'];
  const syncEnvelope = envelopeOf(resultSchemaOf(`${config.record.schemaId}SyncResult`, recordIdField, syncStatuses));
  const deleteEnvelope = envelopeOf(
    resultSchemaOf(`${config.record.schemaId}DeleteResult`, recordIdField, ['deleted', 'skipped']),
  );
  const actions = config.actions ?? SYNC_ACTIONS;
  const syncBody = syncBodyOf(
    actions,
    config.defaultAction ?? (actions.includes('createOrUpdate') ? 'createOrUpdate' : actions[0]),
  );
  const params = config.params ? { params: config.params } : {};
  const guard = config.guard ?? (() => {});

  return async (app, { repo }) => {
    for (const base of [path, ...(config.aliases ?? [])]) registerAt(app, repo, base, base !== path);
  };

  function registerAt(
    app: Parameters<FastifyPluginAsyncZod<FamilyRouteOptions<ObjectRepository>>>[0],
    repo: FamilyRouteOptions<ObjectRepository>['repo'],
    base: string,
    alias: boolean,
  ): void {
    const summary = (text: string) => (alias ? `${text} (as endpoint-reference.md spells the path)` : text);
    app.get(
      `${base}.json`,
      {
        config: { permissions: permissions.read },
        schema: {
          tags,
          summary: summary(summaries.query),
          description:
            'filterType: a searchable field (describe), idField or dedupeFields. Also as POST with _method=GET: a ' +
            'form body, or a JSON body whose `input` holds key objects (the only way to query a compound key).',
          ...params,
          querystring: queryParams,
          body: queryBody,
          response: { 200: recordEnvelope },
        },
      },
      async (request) => {
        guard(request, 'read');
        const type = types.ofRequest(request);
        const body = request.body ?? {};
        const query = request.query;
        const input = body.input;
        const filterType = body.filterType ?? query.filterType ?? (input !== undefined ? 'dedupeFields' : undefined);
        if (filterType === undefined) throw new MarketoError('701', marketoMessage('701', 'filterType'));
        const fields = body.fields ?? query.fields;
        const nextPageToken = body.nextPageToken ?? query.nextPageToken;
        const page = queryObjects(objectCall(config, request, repo(request), type), {
          filterType,
          filterValues: body.filterValues ?? query.filterValues,
          input,
          fields,
          batchSize: body.batchSize ?? query.batchSize ?? MAX_BATCH,
          nextPageToken,
        });
        return successEnvelope(
          request.marketoRequestId(),
          page.records,
          page.nextPageToken ? { moreResult: true, nextPageToken: page.nextPageToken } : {},
        );
      },
    );

    app.post(
      `${base}.json`,
      {
        config: { permissions: permissions.write },
        schema: {
          tags,
          summary: summary(summaries.sync),
          description: `action: ${actions.join(', ')}; dedupeBy: dedupeFields (default) or idField; up to 300 records.`,
          ...params,
          body: syncBody,
          response: { 200: syncEnvelope },
        },
      },
      async (request) => {
        guard(request, 'write');
        const type = types.ofRequest(request);
        const { action, dedupeBy, input } = request.body as {
          action: SyncAction;
          dedupeBy: 'dedupeFields' | 'idField';
          input: unknown[];
        };
        const records = repo(request);
        const results = request.ctx.transaction(() => {
          const synced = syncObjects(objectCall(config, request, records, type), { action, dedupeBy, input });
          if (config.created) {
            for (const result of synced) {
              if (result.status !== 'created') continue;
              const record =
                'id' in result
                  ? records.find(type.typeId, result.id)
                  : records.findByGuid(type.typeId, result.marketoGUID);
              config.created(record!, request.ctx);
            }
          }
          return synced;
        });
        return successEnvelope(request.marketoRequestId(), results);
      },
    );

    app.post(
      `${base}/delete.json`,
      {
        config: { permissions: permissions.write },
        schema: {
          tags,
          summary: summary(summaries.delete),
          description: 'deleteBy: dedupeFields (default) or idField; up to 300 records.',
          ...params,
          body: deleteBody,
          response: { 200: deleteEnvelope },
        },
      },
      async (request) => {
        guard(request, 'write');
        const type = types.ofRequest(request);
        const records = repo(request);
        const results = request.ctx.transaction(() =>
          deleteObjects(objectCall(config, request, records, type), request.body),
        );
        return successEnvelope(request.marketoRequestId(), results);
      },
    );

    if (summaries.describe === undefined) return;
    app.get(
      `${base}/describe.json`,
      {
        config: { permissions: permissions.read },
        schema: { tags, summary: summary(summaries.describe), ...params, response: { 200: describeEnvelope } },
      },
      async (request) => {
        guard(request, 'read');
        return successEnvelope(request.marketoRequestId(), [describeOf(types.ofRequest(request))]);
      },
    );
  }
}

function loadObjects<K extends string>(
  config: ObjectFamilyConfig<K>,
  repo: ObjectRepository,
  items: readonly Record<string, unknown>[],
  context: SeedLoadContext,
): void {
  const { fail } = context;
  const seedKeys = seedKeysOf(config);
  items.forEach((item, i) => {
    const path = `[${i}]`;
    const type = config.types.ofSeed(item, context);
    if (typeof type === 'string') fail(`${path}.type`, type);
    const objectType = type as ObjectType;
    const { id, marketoGUID, createdAt, updatedAt, partition } = item;
    if (id !== undefined && !seedId.safeParse(id).success) {
      fail(`${path}.id`, `must be a positive integer, at most ${MAX_RECORD_ID} (Marketo's int32)`);
    }
    if (marketoGUID !== undefined && (!config.table.guid || typeof marketoGUID !== 'string' || marketoGUID === '')) {
      fail(`${path}.marketoGUID`, config.table.guid ? 'must be a GUID string' : 'this type is named by id');
    }
    const time = (value: unknown, key: string, fallback?: number): number => {
      if (value !== undefined && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
        fail(`${path}.${key}`, 'must be an ISO 8601 date-time');
      }
      return context.time(value as string | undefined, fallback);
    };
    let partitionId: number | null = null;
    if (config.partitionScope) {
      const name = partition ?? 'Default';
      const found = typeof name === 'string' ? context.partitionId(name) : undefined;
      if (found === undefined) fail(`${path}.partition`, `no partition named ${JSON.stringify(name)}`);
      partitionId = found!;
    } else if (partition !== undefined) {
      fail(`${path}.partition`, 'this type is not partition-scoped');
    }
    const fields: Record<string, FieldValue> = { ...objectType.spec.createDefaults };
    for (const [key, raw] of Object.entries(item)) {
      if (seedKeys.has(key)) continue;
      const field = objectType.catalog.find(key);
      if (!field || SYSTEM_FIELDS.has(field.name)) fail(`${path}.${key}`, `no field "${key}" of ${objectType.name}`);
      const coerced = coerceFieldValue(field!, raw);
      if (!coerced.ok) fail(`${path}.${key}`, `invalid ${field!.dataType} value ${JSON.stringify(raw)}`);
      if (coerced.ok && coerced.value !== null) fields[field!.name] = coerced.value;
    }
    const keyParts = objectType.dedupeFields.map((field) => {
      if (fields[field.name] === undefined) fail(`${path}.${field.name}`, 'is a dedupe field: give it a value');
      return fields[field.name]!;
    });
    for (const field of objectType.requiredOnCreate) {
      if (fields[field.name] === undefined) fail(`${path}.${field.name}`, 'is required');
    }
    let links: readonly (string | number | null)[] = [];
    if (config.hooks?.link) {
      let linked: LinkResult;
      try {
        linked = config.hooks.link(fields, context, objectType);
      } catch (error) {
        // A link refused for the whole call (Sync Opportunities' 718) is the item's problem in a seed.
        if (error instanceof MarketoError) fail(path, error.message);
        throw error;
      }
      if ('reason' in linked) fail(path, linked.reason.message);
      else links = linked.links;
    }
    const created = time(createdAt, 'createdAt');
    context.unique(path, () =>
      repo.load({
        id: (id as number | undefined) ?? null,
        marketoGUID: (marketoGUID as string | undefined) ?? null,
        typeId: objectType.typeId,
        partitionId,
        dedupeKey: dedupeKey(keyParts),
        fields,
        links,
        createdAt: created,
        updatedAt: time(updatedAt, 'updatedAt', created),
      }),
    );
  });
}

function snapshotObjects<K extends string>(
  config: ObjectFamilyConfig<K>,
  repo: ObjectRepository,
  context: SnapshotContext,
): Record<string, unknown>[] {
  return repo.all().map((record: ObjectRecord) => ({
    ...(config.types.nameOf ? { type: config.types.nameOf(record.typeId, context.repo) } : {}),
    id: record.id,
    ...(record.marketoGUID !== null ? { marketoGUID: record.marketoGUID } : {}),
    ...(record.partitionId !== null ? { partition: context.partitionName(record.partitionId) } : {}),
    ...record.fields,
    // With milliseconds: a snapshot reproduces the rows exactly.
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
  }));
}
