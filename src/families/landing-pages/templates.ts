import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { seedId } from '../../domain/record-ids.js';
import { formatAssetDatetime } from '../../domain/datetime.js';
import type { VersionStatus } from '../../engines/assets/approval.js';
import { assetDescription, assetName, assetUrl, seedTime } from '../../engines/assets/asset-records.js';
import type { AssetRow } from '../../engines/assets/asset-rows.js';
import { booleanParam, folderRef, formBody, writeParams } from '../../engines/assets/params.js';
import { READ, scopeOf, WRITE } from '../../engines/assets/scope.js';
import { placeSeed } from '../../engines/assets/seed-places.js';
import { versionedSeed } from '../../engines/assets/versioned-seed.js';
import {
  cloneDraft,
  folderValue,
  idParams,
  idResultEnvelope,
  insertDraft,
  type PlacementRule,
  placeFor,
  registerApprovalRoutes,
  registerBrowse,
  registerGetById,
  registerGetByName,
  renameAsset,
  statusParam,
  versionedRecordShape,
  visibleRow,
  writableRow,
} from '../../engines/assets/versioned.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import { migrations } from './migrations.js';
import { type LpTemplateContent, type LpTemplateFields, LpTemplateRepository } from './repositories.js';

const tags = ['Marketo: Landing Page Templates'];

/** Landing page templates live in Design Studio folders; the spec's Folder lets a program hold them too. */
export const LP_TEMPLATE_PLACES: PlacementRule = {
  what: 'Landing page templates',
  programs: true,
  trees: ['Design Studio'],
};

const templateType = z.enum(['guided', 'freeForm']);

export const lpTemplateSchema = z
  .object({
    ...versionedRecordShape,
    templateType,
    enableMunchkin: z.boolean(),
  })
  .meta({ id: 'LpTemplate' });
const templateEnvelope = envelopeOf(lpTemplateSchema);
const contentEnvelope = envelopeOf(
  z.object({
    id: z.number().int(),
    status: z.enum(['approved', 'draft']),
    content: z.string(),
    templateType,
    enableMunchkin: z.boolean(),
  }),
);

const statusQuery = z.object({ status: statusParam });
const createParams = z.object({
  name: assetName,
  folder: folderRef,
  description: assetDescription.optional(),
  // "Defaults to freeForm" (CreateLpTemplateRequest); "Defaults to true".
  templateType: templateType.default('freeForm'),
  enableMunchkin: booleanParam.default(true),
});
const updateParams = z.object({
  name: assetName.optional(),
  description: assetDescription.optional(),
  enableMunchkin: booleanParam.optional(),
});
const contentParams = z.object({
  content: z.string().describe('The HTML document (a multipart file part or a field)'),
});
const cloneParams = z.object({ name: assetName, folder: folderRef, description: assetDescription.optional() });

type Row = AssetRow<Record<string, never>>;

function templateRecord(
  pod: string,
  row: Row,
  version: { status: VersionStatus; fields: LpTemplateFields; updatedAt: number },
) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: formatAssetDatetime(row.createdAt),
    updatedAt: formatAssetDatetime(Math.max(row.updatedAt, version.updatedAt)),
    url: `${assetUrl(pod, 'LT', row.id)}B2`,
    folder: folderValue(row),
    status: version.status,
    workspace: row.workspaceName,
    templateType: version.fields.templateType,
    enableMunchkin: version.fields.enableMunchkin,
  };
}

const templateRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<LpTemplateRepository>> = async (app, { repo }) => {
  const shownRecord = (request: FastifyRequest, row: Row | undefined, status?: VersionStatus) => {
    const version = row && repo(request).machine.shown(row.id, status);
    return version ? [templateRecord(request.ctx.config.POD, row!, version)] : [];
  };

  registerBrowse(app, {
    path: 'landingPageTemplates',
    tags,
    summary: 'Get Landing Page Templates',
    envelope: templateEnvelope,
    rows: (request) => repo(request).rows,
    record: (request, row) => templateRecord(request.ctx.config.POD, row, { ...row, updatedAt: row.versionUpdatedAt }),
  });

  registerGetByName(app, {
    path: 'landingPageTemplate',
    tags,
    summary: 'Get Landing Page Template by Name',
    envelope: templateEnvelope,
    rows: (request) => repo(request).rows,
    records: shownRecord,
  });

  registerGetById(app, {
    path: 'landingPageTemplate',
    tags,
    summary: 'Get Landing Page Template by Id',
    envelope: templateEnvelope,
    rows: (request) => repo(request).rows,
    records: shownRecord,
  });

  app.post(
    '/rest/asset/v1/landingPageTemplates.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Create Landing Page Template',
        description:
          'Form parameters `name`, `folder`, `description`, `templateType` (guided or freeForm, the default), ' +
          '`enableMunchkin` (default true): an empty draft; its HTML comes with Update Landing Page Template Content.',
        body: formBody(createParams),
        response: { 200: templateEnvelope },
      },
    },
    async (request) => {
      const templates = repo(request);
      const input = writeParams(createParams, request);
      const place = placeFor(request.ctx.port('assetPlaces'), scopeOf(request), input.folder, LP_TEMPLATE_PLACES);
      const id = insertDraft(
        request,
        templates,
        { name: input.name, description: input.description ?? '', place },
        {
          fields: { templateType: input.templateType, enableMunchkin: input.enableMunchkin },
          content: { html: '' },
        },
      );
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, templates.rows.find(id)));
    },
  );

  app.post(
    '/rest/asset/v1/landingPageTemplate/:id.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Landing Page Template Metadata',
        description:
          '`name` and `description` are the asset’s (no draft is made); `enableMunchkin` goes in the draft, made ' +
          'from the approved version when there is none.',
        params: idParams,
        body: formBody(updateParams),
        response: { 200: templateEnvelope },
      },
    },
    async (request) => {
      const templates = repo(request);
      const input = writeParams(updateParams, request);
      const row = writableRow(templates.rows, scopeOf(request), request.params.id);
      request.ctx.transaction(() => {
        renameAsset(templates.rows, row, input);
        const munchkin = input.enableMunchkin;
        if (munchkin !== undefined) {
          templates.machine.edit(row.id, ({ fields, content }) => ({
            fields: { ...fields, enableMunchkin: munchkin },
            content,
          }));
        }
      });
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, templates.rows.find(row.id)));
    },
  );

  app.get(
    '/rest/asset/v1/landingPageTemplate/:id/content.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Landing Page Template Content',
        description: 'The HTML as stored, of the version `status` names (else approved, else draft).',
        params: idParams,
        querystring: statusQuery,
        response: { 200: contentEnvelope },
      },
    },
    async (request) => {
      const templates = repo(request);
      const row = visibleRow(templates.rows, scopeOf(request), request.params.id);
      const version = row && templates.machine.shown(row.id, request.query.status);
      return assetEnvelope(
        request.marketoRequestId(),
        version ? [{ id: row!.id, status: version.status, content: version.content.html, ...version.fields }] : [],
      );
    },
  );

  app.post(
    '/rest/asset/v1/landingPageTemplate/:id/content.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Landing Page Template Content',
        description:
          '`content` (multipart/form-data, or a form field): replaces the HTML of the draft, made from the approved ' +
          'version when there is none; stored byte for byte.',
        params: idParams,
        body: formBody(contentParams),
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const templates = repo(request);
      const input = writeParams(contentParams, request);
      const row = writableRow(templates.rows, scopeOf(request), request.params.id);
      request.ctx.transaction(() =>
        templates.machine.edit(row.id, ({ fields }) => ({ fields, content: { html: input.content } })),
      );
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
    },
  );

  app.post(
    '/rest/asset/v1/landingPageTemplate/:id/clone.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Clone Landing Page Template',
        description:
          'Form parameters `name`, `folder`, `description`: the approved version, else the draft, as a draft.',
        params: idParams,
        body: formBody(cloneParams),
        response: { 200: templateEnvelope },
      },
    },
    async (request) => {
      const templates = repo(request);
      const input = writeParams(cloneParams, request);
      const id = cloneDraft(request, templates, LP_TEMPLATE_PLACES, request.params.id, input);
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, templates.rows.find(id)));
    },
  );

  registerApprovalRoutes(app, {
    path: 'landingPageTemplate',
    tags,
    label: 'Landing Page Template',
    rows: (request) => repo(request).rows,
    machine: (request) => repo(request).machine,
    answer: {
      schema: lpTemplateSchema,
      record: (request, id) => shownRecord(request, repo(request).rows.find(id))[0],
    },
  });
};

// Seed --------------------------------------------------------------------------------------------------------------

const versionSeed = z.strictObject({
  content: z.string(),
  enableMunchkin: z.boolean().optional(),
  createdAt: seedTime,
  updatedAt: seedTime,
});
const templateSeed = z.strictObject({
  id: seedId.optional(),
  name: assetName,
  description: assetDescription.optional(),
  ...placeSeed,
  templateType: templateType.optional().describe('freeForm when absent'),
  createdAt: seedTime,
  updatedAt: seedTime,
  approved: versionSeed.optional().describe('The approved version'),
  draft: versionSeed.optional().describe('The draft (beside an approved version, or alone)'),
});
type TemplateSeed = z.infer<typeof templateSeed>;

const templateSeedPart = versionedSeed<TemplateSeed, z.infer<typeof versionSeed>, LpTemplateFields, LpTemplateContent>({
  places: LP_TEMPLATE_PLACES,
  noun: 'a template',
  version: (seed, { item }) => ({
    fields: { templateType: item.templateType ?? 'freeForm', enableMunchkin: seed.enableMunchkin ?? true },
    content: { html: seed.content },
  }),
  seedOf: ({ fields, content }) => ({ content: content.html, enableMunchkin: fields.enableMunchkin }),
  itemOf: ({ approved, draft }) => ({ templateType: (approved ?? draft)!.fields.templateType }),
});

/** Landing page templates: guided (editable elements and variables) or free-form HTML documents. */
export const landingPageTemplates = defineFamily({
  key: 'landingPageTemplates',
  tables: ['landing_page_templates'],
  wireFormat: 'asset',
  migrations,
  repository: ({ db, clock }) => new LpTemplateRepository(db, clock),
  seed: {
    item: templateSeed as z.ZodType<TemplateSeed>,
    load: templateSeedPart.load,
    snapshot: templateSeedPart.snapshot,
    example: [
      {
        id: 720,
        name: 'Event page',
        folder: '/Design Studio/Contract',
        templateType: 'guided',
        approved: {
          content:
            '<html><head><meta class="mktoString" id="headline" mktoName="Headline" default="Join us"></head>' +
            '<body><h1>${headline}</h1><div class="mktoText" id="intro" mktoName="Intro"><p>Welcome</p></div>' +
            '</body></html>',
        },
      },
    ],
  },
  marketoRoutes: templateRoutes,
});
