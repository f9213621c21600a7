import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { seedId } from '../../domain/record-ids.js';
import type { VersionStatus } from '../../engines/assets/approval.js';
import type { AssetRow } from '../../engines/assets/asset-rows.js';
import { folderRef, formBody, pagingShape, writeParams } from '../../engines/assets/params.js';
import { READ, scopeOf, WRITE } from '../../engines/assets/scope.js';
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
import { formatAssetDatetime } from '../../domain/datetime.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import { migrations } from './migrations.js';
import { type TemplateContent, type TemplateFields, templateFieldsOf, TemplateRepository } from './repositories.js';
import { assetUrl, seedTime, TEMPLATE_PLACES } from './support.js';
import { placeSeed } from '../../engines/assets/seed-places.js';
import { versionedSeed } from '../../engines/assets/versioned-seed.js';

const tags = ['Marketo: Email Templates'];

export { assetDescription, assetName } from '../../engines/assets/asset-records.js';
import { assetDescription, assetName } from '../../engines/assets/asset-records.js';

const templateSchema = z
  .object({
    ...versionedRecordShape,
    version: z.union([z.literal(1), z.literal(2)]),
  })
  .meta({
    id: 'EmailTemplate',
    example: {
      id: 1022,
      name: 'Sample Email Template',
      description: 'Create email template using API',
      createdAt: '2026-06-23T23:13:34Z+0000',
      updatedAt: '2026-06-23T23:13:34Z+0000',
      url: 'https://app-ab39.marketo.com/#ET1022B2',
      folder: { type: 'Folder', value: 15, folderName: 'Templates' },
      status: 'draft',
      workspace: 'Default',
      version: 1,
    },
  });
const templateEnvelope = envelopeOf(templateSchema);
const templateContentEnvelope = envelopeOf(
  z.object({ id: z.number().int(), status: z.enum(['approved', 'draft']), content: z.string() }),
);

const statusQuery = z.object({ status: statusParam });
const browseQuery = z.object({ status: statusParam, ...pagingShape });
const byNameQuery = z.object({ name: z.string().min(1), status: statusParam });
const createParams = z.object({
  name: assetName,
  folder: folderRef,
  content: z.string().describe('The HTML document (a multipart file part)'),
  description: assetDescription.optional(),
});
const updateParams = z.object({ name: assetName.optional(), description: assetDescription.optional() });
const contentParams = z.object({ content: z.string().describe('The HTML document (a multipart file part)') });
const cloneParams = z.object({ name: assetName, folder: folderRef, description: assetDescription.optional() });

type Row = AssetRow<Record<string, never>>;

export function templateRecord(
  pod: string,
  row: Row,
  version: { status: VersionStatus; fields: TemplateFields; updatedAt: number },
) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: formatAssetDatetime(row.createdAt),
    updatedAt: formatAssetDatetime(Math.max(row.updatedAt, version.updatedAt)),
    url: assetUrl(pod, 'ET', row.id) + 'B2',
    folder: folderValue(row),
    status: version.status,
    workspace: row.workspaceName,
    version: version.fields.version,
  };
}

const templateRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<TemplateRepository>> = async (app, { repo }) => {
  const pod = (request: FastifyRequest) => request.ctx.config.POD;
  /** The record of the version a read shows, or none (unknown, unseen, or no version of that status). */
  const shownRecord = (request: FastifyRequest, row: Row | undefined, status?: VersionStatus) => {
    if (!row) return [];
    const version = repo(request).machine.shown(row.id, status);
    return version ? [templateRecord(pod(request), row, version)] : [];
  };

  app.get(
    '/rest/asset/v1/emailTemplates.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Email Templates',
        description:
          'Templates of the workspaces the caller can read, by id. Without `status`, each template once: its ' +
          'approved version if it has one, else its draft; `status=draft` or `approved` lists those versions.',
        querystring: browseQuery,
        response: { 200: templateEnvelope },
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
        rows.map((row) => templateRecord(pod(request), row, { ...row, updatedAt: row.versionUpdatedAt })),
      );
    },
  );

  app.get(
    '/rest/asset/v1/emailTemplate/byName.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Email Template by Name',
        querystring: byNameQuery,
        response: { 200: templateEnvelope },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const rows = repo(request)
        .rows.byName(request.query.name)
        .filter((row) => scope.readable.has(row.workspaceId));
      return assetEnvelope(
        request.marketoRequestId(),
        rows.flatMap((row) => shownRecord(request, row, request.query.status)),
      );
    },
  );

  registerGetById(app, {
    path: 'emailTemplate',
    tags,
    summary: 'Get Email Template by Id',
    envelope: templateEnvelope,
    rows: (request) => repo(request).rows,
    records: shownRecord,
  });

  app.post(
    '/rest/asset/v1/emailTemplates.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Create Email Template',
        description:
          'multipart/form-data: `name`, `folder` ({"id":…,"type":"Folder"|"Program"}), `content` (the HTML file, ' +
          'stored byte for byte), `description`. A draft; marketorestpython sends name and folder in the query.',
        body: formBody(createParams),
        response: { 200: templateEnvelope },
      },
    },
    async (request) => {
      const templates = repo(request);
      const input = writeParams(createParams, request);
      const place = placeFor(request.ctx.port('assetPlaces'), scopeOf(request), input.folder, TEMPLATE_PLACES);
      const id = insertDraft(
        request,
        templates,
        { name: input.name, description: input.description ?? '', place },
        { fields: templateFieldsOf(input.content), content: { html: input.content } },
      );
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, templates.rows.find(id)));
    },
  );

  app.post(
    '/rest/asset/v1/emailTemplate/:id.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Email Template Metadata',
        description: 'Form parameters `name`, `description`: the asset’s, not a version’s (no draft is made).',
        params: idParams,
        body: formBody(updateParams),
        response: { 200: templateEnvelope },
      },
    },
    async (request) => {
      const templates = repo(request);
      const input = writeParams(updateParams, request);
      const row = writableRow(templates.rows, scopeOf(request), request.params.id);
      request.ctx.transaction(() => renameAsset(templates.rows, row, input));
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, templates.rows.find(row.id)));
    },
  );

  const getContent = async (
    request: FastifyRequest<{ Params: { id: number }; Querystring: { status?: VersionStatus } }>,
  ) => {
    const templates = repo(request);
    const row = visibleRow(templates.rows, scopeOf(request), request.params.id);
    const version = row && templates.machine.shown(row.id, request.query.status);
    return assetEnvelope(
      request.marketoRequestId(),
      version ? [{ id: row!.id, status: version.status, content: version.content.html }] : [],
    );
  };
  const contentSchema = {
    tags,
    params: idParams,
    querystring: statusQuery,
    response: { 200: templateContentEnvelope },
  };
  app.get(
    '/rest/asset/v1/emailTemplate/:id/content',
    {
      config: { permissions: READ },
      schema: { ...contentSchema, summary: 'Get Email Template Content by Id', description: 'The HTML as stored.' },
    },
    getContent,
  );
  app.get(
    '/rest/asset/v1/emailTemplate/:id/content.json',
    {
      config: { permissions: READ },
      schema: {
        ...contentSchema,
        summary: 'Get Email Template Content by Id (with .json)',
        description: 'The path Blackbird and Smartling call; the spec names it without `.json`.',
      },
    },
    getContent,
  );

  app.post(
    '/rest/asset/v1/emailTemplate/:id/content.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Email Template Content',
        description:
          'multipart/form-data `content`: replaces the HTML of the draft, made from the approved version when there ' +
          'is none (email-templates.md).',
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
        templates.machine.edit(row.id, () => ({
          fields: templateFieldsOf(input.content),
          content: { html: input.content },
        })),
      );
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
    },
  );

  app.post(
    '/rest/asset/v1/emailTemplate/:id/clone.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Clone Email Template',
        description:
          'Form parameters `name`, `folder`, `description`. The approved version is cloned, else the draft; the ' +
          'clone is a draft.',
        params: idParams,
        body: formBody(cloneParams),
        response: { 200: templateEnvelope },
      },
    },
    async (request) => {
      const templates = repo(request);
      const input = writeParams(cloneParams, request);
      const id = cloneDraft(request, templates, TEMPLATE_PLACES, request.params.id, input);
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, templates.rows.find(id)));
    },
  );

  registerApprovalRoutes(app, {
    path: 'emailTemplate',
    tags,
    label: 'Email Template',
    rows: (request) => repo(request).rows,
    machine: (request) => repo(request).machine,
    answer: {
      schema: templateSchema,
      record: (request, id) => shownRecord(request, repo(request).rows.find(id))[0],
    },
  });
};

// Seed --------------------------------------------------------------------------------------------------------------

const versionSeed = z.strictObject({
  content: z.string(),
  text: z.string().optional().describe('A text version (set through v2)'),
  editorType: z.string().optional().describe('The new email designer’s editor (set through v2)'),
  createdAt: seedTime,
  updatedAt: seedTime,
});
const templateSeed = z.strictObject({
  id: seedId.optional(),
  name: assetName,
  description: assetDescription.optional(),
  ...placeSeed,
  createdAt: seedTime,
  updatedAt: seedTime,
  approved: versionSeed.optional().describe('The approved version'),
  draft: versionSeed.optional().describe('The draft (beside an approved version, or alone)'),
});
type TemplateSeed = z.infer<typeof templateSeed>;

const templateSeedPart = versionedSeed<TemplateSeed, z.infer<typeof versionSeed>, TemplateFields, TemplateContent>({
  places: TEMPLATE_PLACES,
  noun: 'a template',
  version: (seed) => ({
    fields: {
      ...templateFieldsOf(seed.content),
      ...(seed.editorType !== undefined ? { editorType: seed.editorType } : {}),
    },
    content: { html: seed.content, ...(seed.text !== undefined ? { text: seed.text } : {}) },
  }),
  seedOf: ({ fields, content }) => ({
    content: content.html,
    ...(typeof content.text === 'string' ? { text: content.text } : {}),
    ...(typeof fields.editorType === 'string' ? { editorType: fields.editorType } : {}),
  }),
});

/** Email templates (v1 Asset API), each an HTML document with an approved version, a draft or both. */
export const emailTemplates = defineFamily({
  key: 'emailTemplates',
  tables: ['email_templates'],
  wireFormat: 'asset',
  migrations,
  repository: ({ db, clock }) => new TemplateRepository(db, clock),
  seed: {
    item: templateSeed as z.ZodType<TemplateSeed>,
    load: templateSeedPart.load,
    snapshot: templateSeedPart.snapshot,
    example: [
      {
        id: 700,
        name: 'Newsletter',
        folder: '/Design Studio/Contract',
        description: 'Monthly',
        approved: {
          content:
            '<html><body><div class="mktEditable" id="body"><p>Hello {{lead.First Name:default=there}}</p></div>' +
            '<div class="mktEditable" id="footer">{{my.Host}}</div></body></html>',
        },
      },
    ],
  },
  marketoRoutes: templateRoutes,
});
