import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { seedId } from '../../domain/record-ids.js';
import type { Clock } from '../../clock.js';
import { formatAssetDatetime } from '../../domain/datetime.js';
import { placeNameSql } from '../../engines/assets/asset-rows.js';
import { placeSeed, seedPlaces } from '../../engines/assets/seed-places.js';
import type { PlacementRule } from '../../engines/assets/versioned.js';
import { TREES, type AssetSegmentation, type AssetSegmentations } from '../../engines/assets/places.js';
import { pagingShape } from '../../engines/assets/params.js';
import { canSee, READ, scopeOf } from '../../engines/assets/scope.js';
import { idParams, statusParam, versionedRecordShape } from '../../engines/assets/versioned.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import { type Database, prepareOnUse } from '../../storage/database.js';
import { migrations } from './migrations.js';

/**
 * Segmentations (dynamic-content.md "Segmentation"): each a list of segments, "Default" last for the leads in no
 * other. Seeded (their rules are not modelled: every lead is in Default, so rendered dynamic content shows the
 * Default variation), listed by Get Segmentations and Get Segments, and offered to the asset families that vary
 * content by them through the `segmentations` port.
 */

interface SegmentationRow {
  id: number;
  name: string;
  description: string;
  folder_id: number | null;
  program_id: number | null;
  workspace_id: number;
  workspace_name: string;
  folder_name: string;
  status: 'approved' | 'draft';
  created_at: number;
  updated_at: number;
}

interface SegmentRow {
  id: number;
  segmentation_id: number;
  name: string;
  position: number;
  created_at: number;
  updated_at: number;
}

export class SegmentationRepository {
  private readonly s;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    const columns = `s.id, s.name, s.description, s.folder_id, s.program_id, s.workspace_id, w.name AS workspace_name,
      ${placeNameSql('p', 'f', 'w')} AS folder_name, s.status,
      s.created_at, s.updated_at
      FROM segmentations s JOIN workspaces w ON w.id = s.workspace_id
      LEFT JOIN asset_folders f ON f.id = s.folder_id LEFT JOIN asset_programs p ON p.id = s.program_id`;
    this.s = {
      find: prepareOnUse<[number], SegmentationRow>(db, `SELECT ${columns} WHERE s.id = ?`),
      browse: prepareOnUse<
        { workspaces: string; status: string | null; limit: number; offset: number },
        SegmentationRow
      >(
        db,
        `SELECT ${columns} WHERE s.workspace_id IN (SELECT value FROM json_each(@workspaces))
           AND (@status IS NULL OR s.status = @status)
         ORDER BY s.id LIMIT @limit OFFSET @offset`,
      ),
      all: prepareOnUse<[], SegmentationRow>(db, `SELECT ${columns} ORDER BY s.id`),
      segments: prepareOnUse<[number], SegmentRow>(
        db,
        'SELECT * FROM segments WHERE segmentation_id = ? ORDER BY position, id',
      ),
      insert: prepareOnUse<
        [number | null, string, string, number | null, number | null, number, string, number, number],
        { id: number }
      >(
        db,
        `INSERT INTO segmentations
           (id, name, description, folder_id, program_id, workspace_id, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ),
      insertSegment: prepareOnUse<[number | null, number, string, number, number, number]>(
        db,
        `INSERT INTO segments (id, segmentation_id, name, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  find(id: number): SegmentationRow | undefined {
    return this.s.find.get(id);
  }

  browse(workspaceIds: readonly number[], status: string | undefined, limit: number, offset: number) {
    return this.s.browse.all({ workspaces: JSON.stringify(workspaceIds), status: status ?? null, limit, offset });
  }

  all(): SegmentationRow[] {
    return this.s.all.all();
  }

  segments(id: number): SegmentRow[] {
    return this.s.segments.all(id);
  }

  insert(row: {
    id: number | null;
    name: string;
    description: string;
    folderId: number | null;
    programId: number | null;
    workspaceId: number;
    status: 'approved' | 'draft';
    createdAt: number;
    updatedAt: number;
  }): number {
    return this.s.insert.get(
      row.id,
      row.name,
      row.description,
      row.folderId,
      row.programId,
      row.workspaceId,
      row.status,
      row.createdAt,
      row.updatedAt,
    )!.id;
  }

  insertSegment(segmentationId: number, segment: { id: number | null; name: string; at: number }, position: number) {
    this.s.insertSegment.run(segment.id, segmentationId, segment.name, position, segment.at, segment.at);
  }

  now(): number {
    return this.clock.now();
  }

  /** The `segmentations` port. */
  port(): AssetSegmentations {
    return {
      segmentation: (id): AssetSegmentation | undefined => {
        const row = this.find(id);
        return (
          row && {
            id: row.id,
            name: row.name,
            workspaceId: row.workspace_id,
            segments: this.segments(row.id).map((segment) => ({ id: segment.id, name: segment.name })),
          }
        );
      },
    };
  }
}

const tags = ['Marketo: Segmentations'];
const url = (pod: string, code: string, id: number) => `https://app-${pod}.marketo.com/#${code}${id}A1`;

const segmentationSchema = z.object(versionedRecordShape).meta({ id: 'Segmentation' });
const segmentSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.null(),
    createdAt: z.string(),
    updatedAt: z.string(),
    url: z.string(),
    status: z.enum(['approved', 'draft']),
    segmentationId: z.number().int(),
  })
  .meta({ id: 'Segment' });

const routes: FastifyPluginAsyncZod<FamilyRouteOptions<SegmentationRepository>> = async (app, { repo }) => {
  app.get(
    '/rest/asset/v1/segmentation.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Segmentations',
        description: 'Segmentations of the workspaces the caller can read; `status`, `offset`, `maxReturn`.',
        querystring: z.object({ status: statusParam, ...pagingShape }),
        response: { 200: envelopeOf(segmentationSchema) },
      },
    },
    async (request) => {
      const pod = request.ctx.config.POD;
      const { status, maxReturn, offset } = request.query;
      const rows = repo(request).browse(request.access.workspaces('read', 'assets'), status, maxReturn, offset);
      return assetEnvelope(
        request.marketoRequestId(),
        rows.map((row) => ({
          id: row.id,
          name: row.name,
          description: row.description,
          createdAt: formatAssetDatetime(row.created_at),
          updatedAt: formatAssetDatetime(row.updated_at),
          url: url(pod, 'SG', row.id),
          folder:
            row.program_id !== null
              ? { type: 'Program' as const, value: row.program_id, folderName: row.folder_name }
              : { type: 'Folder' as const, value: row.folder_id!, folderName: row.folder_name },
          status: row.status,
          workspace: row.workspace_name,
        })),
      );
    },
  );

  app.get(
    '/rest/asset/v1/segmentation/:id/segments.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Segments',
        description: "The segmentation's segments in order, Default last.",
        params: idParams,
        querystring: z.object({ status: statusParam, ...pagingShape }),
        response: { 200: envelopeOf(segmentSchema) },
      },
    },
    async (request) => {
      const segmentations = repo(request);
      const row = segmentations.find(request.params.id);
      const { status, offset, maxReturn } = request.query;
      if (!row || !canSee(scopeOf(request), row.workspace_id) || (status !== undefined && row.status !== status)) {
        return assetEnvelope(request.marketoRequestId(), []);
      }
      const pod = request.ctx.config.POD;
      return assetEnvelope(
        request.marketoRequestId(),
        segmentations
          .segments(row.id)
          .slice(offset, offset + maxReturn)
          .map((segment) => ({
            id: segment.id,
            name: segment.name,
            description: null,
            createdAt: formatAssetDatetime(segment.created_at),
            updatedAt: formatAssetDatetime(segment.updated_at),
            url: url(pod, 'SL', segment.id),
            status: row.status,
            segmentationId: row.id,
          })),
      );
    },
  );
};

const time = z.iso.datetime({ offset: true }).optional();
/** Where a seed puts a segmentation: any folder below a workspace, or a program. */
const SEGMENTATION_PLACES: PlacementRule = { what: 'Segmentations', programs: true, trees: TREES };
const segmentationSeed = z.strictObject({
  id: seedId.optional(),
  name: z.string().trim().min(1).max(255),
  description: z.string().optional(),
  ...placeSeed,
  status: z.enum(['approved', 'draft']).optional(),
  createdAt: time,
  updatedAt: time,
  segments: z
    .array(z.union([z.string().min(1), z.strictObject({ id: seedId, name: z.string().min(1) })]))
    .describe('Segment names (or {id, name}), in order; "Default" is added last unless named'),
});
type SegmentationSeed = z.infer<typeof segmentationSeed>;

export const segmentations = defineFamily({
  key: 'segmentations',
  tables: ['segmentations', 'segments'],
  wireFormat: 'asset',
  migrations,
  repository: ({ db, clock }) => new SegmentationRepository(db, clock),
  provides: (repo) => ({ segmentations: repo.port() }),
  seed: {
    item: segmentationSeed as z.ZodType<SegmentationSeed>,
    load(repo, items, context) {
      const placeOf = seedPlaces(context, SEGMENTATION_PLACES);
      items.forEach((item, i) => {
        const path = `[${i}]`;
        const place = placeOf(item, path);
        const createdAt = context.time(item.createdAt);
        const id = context.unique(path, () =>
          repo.insert({
            id: item.id ?? null,
            name: item.name,
            description: item.description ?? '',
            ...place,
            status: item.status ?? 'approved',
            createdAt,
            updatedAt: context.time(item.updatedAt, createdAt),
          }),
        );
        const segments = item.segments.map((segment) =>
          typeof segment === 'string' ? { id: null, name: segment } : segment,
        );
        if (!segments.some((segment) => segment.name.toLowerCase() === 'default')) {
          segments.push({ id: null, name: 'Default' });
        }
        segments.forEach((segment, position) =>
          context.unique(`${path}.segments[${position}]`, () =>
            repo.insertSegment(id, { ...segment, at: createdAt }, position),
          ),
        );
      });
    },
    snapshot: (repo) =>
      repo.all().map((row): SegmentationSeed => ({
        id: row.id,
        name: row.name,
        ...(row.description ? { description: row.description } : {}),
        ...(row.program_id !== null ? { program: row.folder_name } : { folder: row.folder_id! }),
        status: row.status,
        createdAt: new Date(row.created_at).toISOString(),
        updatedAt: new Date(row.updated_at).toISOString(),
        segments: repo.segments(row.id).map((segment) => ({ id: segment.id, name: segment.name })),
      })),
    example: [{ id: 1001, name: 'Region', folder: '/Design Studio/Contract', segments: ['Europe', 'Americas'] }],
  },
  marketoRoutes: routes,
});
