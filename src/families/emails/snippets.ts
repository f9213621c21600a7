import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestIdValue, seedId } from '../../domain/record-ids.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage } from '../../domain/marketo-codes.js';
import { formatAssetDatetime } from '../../domain/datetime.js';
import type { VersionStatus } from '../../engines/assets/approval.js';
import type { AssetRow } from '../../engines/assets/asset-rows.js';
import { textOf } from '../../engines/assets/html.js';
import type { AssetSegmentation } from '../../engines/assets/places.js';
import { folderRef, formBody, pagingShape, writeParams } from '../../engines/assets/params.js';
import { businessRule, READ, scopeOf, WRITE } from '../../engines/assets/scope.js';
import {
  cloneDraft,
  insertDraft,
  renameAsset,
  folderValue,
  idParams,
  idResultEnvelope,
  placeFor,
  registerApprovalRoutes,
  registerGetById,
  versionedRecordShape,
  statusParam,
  visibleRow,
  writableRow,
} from '../../engines/assets/versioned.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import type { Variation } from './content.js';
import { type SnippetContent, SnippetRepository } from './repositories.js';
import { assetUrl, iso, seedTime, SNIPPET_PLACES } from './support.js';
import { placeSeed } from '../../engines/assets/seed-places.js';
import { versionedSeed } from '../../engines/assets/versioned-seed.js';
import { assetDescription, assetName } from './templates.js';

const tags = ['Marketo: Snippets'];

const snippetSchema = z
  .object({
    ...versionedRecordShape,
  })
  .meta({ id: 'Snippet' });
const snippetEnvelope = envelopeOf(snippetSchema);
const contentEnvelope = envelopeOf(z.object({ type: z.enum(['HTML', 'Text', 'DynamicContent']), content: z.string() }));
const dynamicEnvelope = envelopeOf(
  z.object({
    id: z.number().int(),
    segmentation: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    content: z.array(
      z.object({
        id: z.string(),
        segmentId: z.number().int(),
        segmentName: z.string(),
        type: z.enum(['HTML', 'Text']),
        content: z.string(),
      }),
    ),
  }),
);

const statusQuery = z.object({ status: statusParam });
const browseQuery = z.object({ status: statusParam, ...pagingShape });
const createParams = z.object({ name: assetName, folder: folderRef, description: assetDescription.optional() });
const updateParams = z.object({ name: assetName.optional(), description: assetDescription.optional() });
const contentTypeParam = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? ({ html: 'HTML', text: 'Text', dynamiccontent: 'DynamicContent' }[value.toLowerCase()] ?? value)
      : value,
  z.enum(['HTML', 'Text', 'DynamicContent']),
);
const contentParams = z.object({
  type: contentTypeParam,
  content: z.string().describe('HTML or text; for DynamicContent, the id of the segmentation'),
});
const dynamicParams = z.object({
  type: z.preprocess(
    (value) => (typeof value === 'string' ? ({ html: 'HTML', text: 'Text' }[value.toLowerCase()] ?? value) : value),
    z.enum(['HTML', 'Text']),
  ),
  value: z.string(),
});
const segmentParams = z.object({ id: requestIdValue, segmentId: requestIdValue });
const cloneParams = z.object({ name: assetName, folder: folderRef, description: assetDescription.optional() });

type Row = AssetRow<Record<string, never>>;

/** The segmentation a dynamic section varies by: 702 when there is none the caller can see. */
export function segmentationFor(request: FastifyRequest, id: number): AssetSegmentation {
  const segmentation = request.ctx.findPort('segmentations')?.segmentation(id);
  if (!segmentation || !scopeOf(request).readable.has(segmentation.workspaceId)) {
    throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, 'Segmentation', id));
  }
  return segmentation;
}

const segmentationIdParam = (value: string): number => {
  const id = Number(value.trim());
  if (!Number.isInteger(id) || id <= 0) {
    throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidParameter, 'content', value));
  }
  return id;
};

/** Each segment's HTML and text: its own variation, else the Default content (the snippet's HTML and text). */
function dynamicItems(snippetId: number, content: SnippetContent, segmentation: AssetSegmentation | undefined) {
  const dynamic = content.dynamic!;
  const segments = segmentation?.segments ?? [];
  const variation = (segmentId: number, type: 'HTML' | 'Text') =>
    dynamic.variations.find((v: Variation) => v.segmentId === segmentId && v.type === type)?.content;
  return segments.flatMap((segment) => {
    const id = Buffer.from(`${snippetId}:${segment.id}`).toString('base64');
    const html = variation(segment.id, 'HTML') ?? content.html ?? '';
    const text =
      variation(segment.id, 'Text') ??
      (variation(segment.id, 'HTML') !== undefined ? textOf(html) : (content.text ?? textOf(html)));
    return [
      { id, segmentId: segment.id, segmentName: segment.name, type: 'HTML' as const, content: html },
      { id, segmentId: segment.id, segmentName: segment.name, type: 'Text' as const, content: text },
    ];
  });
}

const snippetRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<SnippetRepository>> = async (app, { repo }) => {
  const record = (request: FastifyRequest, row: Row, version: { status: VersionStatus; updatedAt: number }) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: formatAssetDatetime(row.createdAt),
    updatedAt: formatAssetDatetime(Math.max(row.updatedAt, version.updatedAt)),
    url: `${assetUrl(request.ctx.config.POD, 'SN', row.id)}B2`,
    folder: folderValue(row),
    status: version.status,
    workspace: row.workspaceName,
  });
  const shownRecord = (request: FastifyRequest, row: Row | undefined, status?: VersionStatus) => {
    const version = row && repo(request).machine.shown(row.id, status);
    return version ? [record(request, row!, version)] : [];
  };
  /** The snippet a read names and the version it shows, or none. */
  const shown = (request: FastifyRequest, id: number, status?: VersionStatus) => {
    const snippets = repo(request);
    const row = visibleRow(snippets.rows, scopeOf(request), id);
    const version = row && snippets.machine.shown(row.id, status);
    return version ? { row: row!, version } : undefined;
  };

  app.get(
    '/rest/asset/v1/snippets.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Snippets',
        description:
          'Snippets of the workspaces the caller can read, by id: without `status` each once (approved version, ' +
          'else draft); `status=approved|draft` lists those versions.',
        querystring: browseQuery,
        response: { 200: snippetEnvelope },
      },
    },
    async (request) => {
      const { status, offset, maxReturn } = request.query;
      const rows = repo(request).rows.browse({
        workspaceIds: request.access.workspaces('read', 'assets'),
        status,
        offset,
        limit: maxReturn,
      });
      return assetEnvelope(
        request.marketoRequestId(),
        rows.map((row) => record(request, row, { status: row.status, updatedAt: row.versionUpdatedAt })),
      );
    },
  );

  registerGetById(app, {
    path: 'snippet',
    tags,
    summary: 'Get Snippet by Id',
    envelope: snippetEnvelope,
    rows: (request) => repo(request).rows,
    records: shownRecord,
  });

  app.post(
    '/rest/asset/v1/snippets.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Create Snippet',
        description: 'Form parameters `name`, `folder`, `description`: an empty draft (content comes next).',
        body: formBody(createParams),
        response: { 200: snippetEnvelope },
      },
    },
    async (request) => {
      const snippets = repo(request);
      const input = writeParams(createParams, request);
      const place = placeFor(request.ctx.port('assetPlaces'), scopeOf(request), input.folder, SNIPPET_PLACES);
      const id = insertDraft(
        request,
        snippets,
        { name: input.name, description: input.description ?? '', place },
        { fields: {}, content: { html: null, text: null, dynamic: null } },
      );
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, snippets.rows.find(id)));
    },
  );

  app.post(
    '/rest/asset/v1/snippet/:id.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Snippet Metadata',
        description: 'Form parameters `name`, `description` (the asset’s: no draft is made).',
        params: idParams,
        body: formBody(updateParams),
        response: { 200: snippetEnvelope },
      },
    },
    async (request) => {
      const snippets = repo(request);
      const input = writeParams(updateParams, request);
      const row = writableRow(snippets.rows, scopeOf(request), request.params.id);
      request.ctx.transaction(() => renameAsset(snippets.rows, row, input));
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, snippets.rows.find(row.id)));
    },
  );

  app.get(
    '/rest/asset/v1/snippet/:id/content.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Snippet Content',
        description: 'HTML (or DynamicContent: the segmentation id) and, when set, Text, as stored.',
        params: idParams,
        querystring: statusQuery,
        response: { 200: contentEnvelope },
      },
    },
    async (request) => {
      const found = shown(request, request.params.id, request.query.status);
      if (!found) return assetEnvelope(request.marketoRequestId(), []);
      const { content } = found.version;
      const items: { type: 'HTML' | 'Text' | 'DynamicContent'; content: string }[] = [];
      if (content.dynamic) items.push({ type: 'DynamicContent', content: String(content.dynamic.segmentationId) });
      else if (content.html !== null) items.push({ type: 'HTML', content: content.html });
      if (content.text !== null) items.push({ type: 'Text', content: content.text });
      // A snippet made and not yet filled has an empty HTML section.
      if (items.length === 0) items.push({ type: 'HTML', content: '' });
      return assetEnvelope(request.marketoRequestId(), items);
    },
  );

  app.post(
    '/rest/asset/v1/snippet/:id/content.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Snippet Content',
        description:
          '`type` HTML, Text or DynamicContent and `content` (for DynamicContent, a segmentation id), in the form ' +
          'body or the query: changes the draft (made from the approved version when there is none).',
        params: idParams,
        body: formBody(contentParams),
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const snippets = repo(request);
      const input = writeParams(contentParams, request);
      const row = writableRow(snippets.rows, scopeOf(request), request.params.id);
      const segmentation =
        input.type === 'DynamicContent' ? segmentationFor(request, segmentationIdParam(input.content)) : undefined;
      const now = request.ctx.clock.now();
      request.ctx.transaction(() =>
        snippets.machine.edit(row.id, ({ fields, content }) => ({
          fields,
          content:
            input.type === 'HTML'
              ? { ...content, html: input.content }
              : input.type === 'Text'
                ? { ...content, text: input.content }
                : {
                    ...content,
                    dynamic:
                      content.dynamic?.segmentationId === segmentation!.id
                        ? content.dynamic
                        : { segmentationId: segmentation!.id, createdAt: now, updatedAt: now, variations: [] },
                  },
        })),
      );
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
    },
  );

  app.get(
    '/rest/asset/v1/snippet/:id/dynamicContent.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Dynamic Content',
        description: "Each segment's HTML and Text (the Default content where a segment has none of its own).",
        params: idParams,
        querystring: statusQuery,
        response: { 200: dynamicEnvelope },
      },
    },
    async (request) => {
      const found = shown(request, request.params.id, request.query.status);
      if (!found) return assetEnvelope(request.marketoRequestId(), []);
      const { content } = found.version;
      if (!content.dynamic) throw businessRule(DETAIL_MESSAGES.notDynamic, `Snippet ${found.row.id}`);
      const segmentation = request.ctx.findPort('segmentations')?.segmentation(content.dynamic.segmentationId);
      return assetEnvelope(request.marketoRequestId(), [
        {
          id: found.row.id,
          segmentation: content.dynamic.segmentationId,
          createdAt: formatAssetDatetime(content.dynamic.createdAt),
          updatedAt: formatAssetDatetime(content.dynamic.updatedAt),
          content: dynamicItems(found.row.id, content, segmentation),
        },
      ]);
    },
  );

  app.post(
    '/rest/asset/v1/snippet/:id/dynamicContent/:segmentId.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Snippet Dynamic Content',
        description: '`type` HTML or Text and `value`: the content of one segment, in the draft.',
        params: segmentParams,
        body: formBody(dynamicParams),
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const snippets = repo(request);
      const input = writeParams(dynamicParams, request);
      const row = writableRow(snippets.rows, scopeOf(request), request.params.id);
      const latest = snippets.machine.latest(row.id)!;
      const dynamic = latest.content.dynamic;
      if (!dynamic) throw businessRule(DETAIL_MESSAGES.notDynamic, `Snippet ${row.id}`);
      const segment = segmentationFor(request, dynamic.segmentationId).segments.find(
        (candidate) => candidate.id === request.params.segmentId,
      );
      if (!segment) {
        throw new MarketoError(
          '702',
          formatMessage(DETAIL_MESSAGES.segmentNotInSegmentation, request.params.segmentId, dynamic.segmentationId),
        );
      }
      const now = request.ctx.clock.now();
      request.ctx.transaction(() =>
        snippets.machine.edit(row.id, ({ fields, content }) => ({
          fields,
          content: {
            ...content,
            dynamic: {
              ...content.dynamic!,
              updatedAt: now,
              variations: [
                ...content.dynamic!.variations.filter((v) => !(v.segmentId === segment.id && v.type === input.type)),
                { segmentId: segment.id, segmentName: segment.name, type: input.type, content: input.value },
              ],
            },
          },
        })),
      );
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
    },
  );

  app.post(
    '/rest/asset/v1/snippet/:id/clone.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Clone Snippet',
        description:
          'Form parameters `name`, `folder`, `description`: the approved version, else the draft, as a new draft.',
        params: idParams,
        body: formBody(cloneParams),
        response: { 200: snippetEnvelope },
      },
    },
    async (request) => {
      const snippets = repo(request);
      const input = writeParams(cloneParams, request);
      const id = cloneDraft(request, snippets, SNIPPET_PLACES, request.params.id, input);
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, snippets.rows.find(id)));
    },
  );

  registerApprovalRoutes(app, {
    path: 'snippet',
    tags,
    label: 'Snippet',
    rows: (request) => repo(request).rows,
    machine: (request) => repo(request).machine,
    answer: { schema: snippetSchema, record: (request, id) => shownRecord(request, repo(request).rows.find(id))[0] },
  });
};

// Seed --------------------------------------------------------------------------------------------------------------

const variationSeed = z.strictObject({
  segmentId: z.number().int().positive(),
  segmentName: z.string(),
  type: z.string(),
  content: z.string(),
});
const versionSeed = z.strictObject({
  html: z.string().nullable().optional(),
  text: z.string().nullable().optional(),
  dynamic: z
    .strictObject({
      segmentationId: z.number().int().positive(),
      createdAt: seedTime,
      updatedAt: seedTime,
      variations: z.array(variationSeed).default([]),
    })
    .nullable()
    .optional(),
  createdAt: seedTime,
  updatedAt: seedTime,
});
const snippetSeed = z.strictObject({
  id: seedId.optional(),
  name: assetName,
  description: assetDescription.optional(),
  ...placeSeed,
  createdAt: seedTime,
  updatedAt: seedTime,
  approved: versionSeed.optional(),
  draft: versionSeed.optional(),
});
type SnippetSeed = z.infer<typeof snippetSeed>;

const snippetSeedPart = versionedSeed<SnippetSeed, z.infer<typeof versionSeed>, Record<string, never>, SnippetContent>({
  places: SNIPPET_PLACES,
  noun: 'a snippet',
  version: (seed, { status, path, createdAt, context }) => {
    const dynamic = seed.dynamic ?? null;
    if (dynamic && !context.port('segmentations').segmentation(dynamic.segmentationId)) {
      context.fail(`${path}.${status}.dynamic.segmentationId`, `no segmentation ${dynamic.segmentationId}`);
    }
    return {
      fields: {},
      content: {
        html: seed.html ?? null,
        text: seed.text ?? null,
        dynamic: dynamic && {
          segmentationId: dynamic.segmentationId,
          createdAt: context.time(dynamic.createdAt, createdAt),
          updatedAt: context.time(dynamic.updatedAt, createdAt),
          variations: dynamic.variations,
        },
      },
    };
  },
  seedOf: ({ content }) => ({
    html: content.html,
    text: content.text,
    dynamic: content.dynamic && {
      ...content.dynamic,
      createdAt: iso(content.dynamic.createdAt),
      updatedAt: iso(content.dynamic.updatedAt),
    },
  }),
});

/** Snippets: reusable HTML (and text, or dynamic content by segment) that emails embed. */
export const snippets = defineFamily({
  key: 'snippets',
  tables: ['snippets'],
  wireFormat: 'asset',
  repository: ({ db, clock }) => new SnippetRepository(db, clock),
  seed: {
    item: snippetSeed as z.ZodType<SnippetSeed>,
    load: snippetSeedPart.load,
    snapshot: snippetSeedPart.snapshot,
    example: [
      {
        id: 800,
        name: 'Signature',
        folder: '/Design Studio/Contract',
        approved: { html: '<p>Kind regards, {{my.Host}}</p>', text: 'Kind regards' },
      },
      {
        name: 'Regional offer',
        folder: '/Design Studio/Contract',
        draft: {
          html: '<p>Offer</p>',
          dynamic: {
            segmentationId: 1001,
            variations: [{ segmentId: 1, segmentName: 'Europe', type: 'HTML', content: '<p>EU offer</p>' }],
          },
        },
      },
    ],
  },
  marketoRoutes: snippetRoutes,
});
