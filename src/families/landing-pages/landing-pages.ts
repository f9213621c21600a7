import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatAssetDatetime } from '../../domain/datetime.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage } from '../../domain/marketo-codes.js';
import { requestIdValue, seedId } from '../../domain/record-ids.js';
import type { Version, VersionStatus } from '../../engines/assets/approval.js';
import {
  assetDescription,
  assetName,
  assetUrl,
  insertSeedRow,
  iso,
  rowSnapshot,
  seedTime,
} from '../../engines/assets/asset-records.js';
import type { AssetRow } from '../../engines/assets/asset-rows.js';
import { booleanParam, folderRef, formBody, objectParam, writeParams } from '../../engines/assets/params.js';
import { businessRule, notFound, READ, scopeOf, WRITE } from '../../engines/assets/scope.js';
import { placeSeed, seedPlaces } from '../../engines/assets/seed-places.js';
import {
  cloneDraft,
  folderValue,
  folderValueSchema,
  idParams,
  idResultEnvelope,
  insertDraft,
  type PlacementRule,
  placeFor,
  registerApprovalRoutes,
  registerBrowse,
  registerGetById,
  registerGetByName,
  segmentationFor,
  renameAsset,
  statusParam,
  visibleRow,
  writableRow,
} from '../../engines/assets/versioned.js';
import { defineFamily, type FamilyRouteOptions, type SeedLoadContext } from '../../family.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import {
  contentFromTemplate,
  FORM,
  type LandingPageContent,
  type LandingPageFields,
  LandingPageRepository,
  LP_TEMPLATE,
  type LpSection,
  type LpVariable,
  renderPage,
  SECTION_TYPES,
  SNIPPET,
  type TemplateType,
} from './repositories.js';
import { landingPageTemplates } from './templates.js';

const tags = ['Marketo: Landing Pages'];

/** Landing pages sit in programs or Design Studio folders (landing-pages.md: "folder … Folder or Program"). */
export const LANDING_PAGE_PLACES: PlacementRule = { what: 'Landing pages', programs: true, trees: ['Design Studio'] };

const landingPageSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    folder: folderValueSchema,
    workspace: z.string(),
    status: z.enum(['approved', 'draft']),
    template: z.number().int(),
    title: z.string(),
    keywords: z.string(),
    robots: z.string(),
    customHeadHTML: z.string(),
    facebookOgTags: z.string(),
    formPrefill: z.boolean(),
    mobileEnabled: z.boolean(),
    URL: z.string(),
    computedUrl: z.string(),
  })
  .meta({ id: 'LandingPage' });
const landingPageEnvelope = envelopeOf(landingPageSchema);

const sectionContent = z.union([
  z.string(),
  z.object({ content: z.string(), contentType: z.string(), contentUrl: z.string().optional() }),
]);
const sectionSchema = z.object({
  id: z.string(),
  type: z.enum([...SECTION_TYPES, 'DynamicContent']),
  index: z.number().int(),
  content: sectionContent,
  formattingOptions: z.record(z.string(), z.string()),
  followupType: z.enum(['url', 'lp', 'formDefined']).optional(),
  followupValue: z.string().optional(),
});
const contentEnvelope = envelopeOf(sectionSchema);
const variableSchema = z.object({ id: z.string(), type: z.string(), value: z.string() });
const variablesEnvelope = envelopeOf(variableSchema);
const dynamicEnvelope = envelopeOf(
  z.object({
    createdAt: z.string(),
    updatedAt: z.string(),
    segmentation: z.number().int(),
    segments: z.array(
      z.object({ segmentId: z.number().int(), segmentName: z.string(), type: z.string(), content: z.string() }),
    ),
  }),
);
const fullContentEnvelope = envelopeOf(z.object({ id: z.number().int(), content: z.string() }));

const statusQuery = z.object({ status: statusParam });
const metaText = z.string().max(2000);
const metadataShape = {
  title: metaText.optional(),
  keywords: metaText.optional(),
  robots: metaText.optional(),
  customHeadHTML: z.string().max(65536).optional(),
  facebookOgTags: z.string().max(65536).optional(),
  metaTagsDescription: metaText.optional(),
  styleOverRide: z.string().max(65536).optional(),
  mobileEnabled: booleanParam.optional(),
  urlPageName: z
    .string()
    .regex(/^[A-Za-z0-9._~-]+$/, 'letters, digits and . _ ~ - only')
    .max(255)
    .optional(),
};
const createParams = z.object({
  name: assetName,
  folder: folderRef,
  template: requestIdValue,
  description: assetDescription.optional(),
  // The spec's CreateLandingPageRequest says prefillForm, the docs' example formPrefill: both are read.
  prefillForm: booleanParam.optional(),
  formPrefill: booleanParam.optional(),
  workspace: z.string().optional(),
  ...metadataShape,
});
const updateParams = z.object({
  name: assetName.optional(),
  description: assetDescription.optional(),
  ...metadataShape,
});
const cloneParams = z.object({
  name: assetName,
  folder: folderRef,
  description: assetDescription.optional(),
  template: requestIdValue.optional(),
});
const formattingShape = {
  backgroundColor: z.string().max(255).optional(),
  borderColor: z.string().max(255).optional(),
  borderStyle: z.string().max(255).optional(),
  borderWidth: z.string().max(255).optional(),
  height: z.string().max(255).optional(),
  left: z.string().max(255).optional(),
  opacity: z.string().max(255).optional(),
  top: z.string().max(255).optional(),
  width: z.string().max(255).optional(),
  zIndex: z.string().max(255).optional(),
  hideDesktop: booleanParam.optional(),
  hideMobile: booleanParam.optional(),
  imageOpenNewWindow: z.string().max(255).optional(),
  linkUrl: z.string().max(2048).optional(),
};
const sectionTypeParam = (types: readonly string[]) =>
  z.preprocess(
    (value) =>
      typeof value === 'string' ? (types.find((type) => type.toLowerCase() === value.toLowerCase()) ?? value) : value,
    z.enum(types as [string, ...string[]]),
  );
/** Add takes the types the docs list for it; Update takes DynamicContent too (UpdateLandingPageContentRequest). */
const ADD_TYPES = ['Image', 'Form', 'Rectangle', 'Snippet', 'RichText', 'HTML'] as const;
const addSectionParams = z.object({
  contentId: z.string().trim().min(1).max(255),
  type: sectionTypeParam(ADD_TYPES),
  value: z.string().max(1_048_576).optional(),
  index: z.coerce.number().int().min(0).optional(),
  ...formattingShape,
});
const updateSectionParams = z.object({
  type: sectionTypeParam([...ADD_TYPES, 'DynamicContent']),
  value: z.string().max(1_048_576).optional(),
  index: z.coerce.number().int().min(0).optional(),
  ...formattingShape,
});
const sectionParams = z.object({ id: requestIdValue, contentId: z.string().min(1) });
const dynamicUpdateParams = z.object({ segment: z.string().min(1), value: z.string().max(1_048_576) });
const variableParams = z.object({ id: requestIdValue, variableId: z.string().min(1) });
const variableValue = z.object({ value: z.string().max(65536) });
const segmentationParam = objectParam(z.array(z.object({ segmentationId: requestIdValue, segmentId: requestIdValue })));
const fullContentQuery = z.object({
  status: statusParam,
  leadId: requestIdValue.optional(),
  segmentation: segmentationParam.optional(),
});

type Row = AssetRow<Record<string, never>>;

/** "URL path of the page. Derived from the name field if unset": the name, its other characters as dashes. */
const pageNameOf = (name: string) => name.replace(/[^A-Za-z0-9._~-]+/g, '-');

function pageRecord(
  pod: string,
  row: Row,
  version: { status: VersionStatus; fields: LandingPageFields; updatedAt: number },
) {
  const { fields } = version;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: formatAssetDatetime(row.createdAt),
    updatedAt: formatAssetDatetime(Math.max(row.updatedAt, version.updatedAt)),
    folder: folderValue(row),
    workspace: row.workspaceName,
    status: version.status,
    template: fields.template,
    title: fields.title,
    keywords: fields.keywords,
    robots: fields.robots,
    customHeadHTML: fields.customHeadHTML,
    facebookOgTags: fields.facebookOgTags,
    formPrefill: fields.formPrefill,
    mobileEnabled: fields.mobileEnabled,
    // Decision (README): the fake has no munchkin id; the page's address is under the pod's host.
    URL: `https://app-${pod}.marketo.com/lp/${fields.urlPageName}.html`,
    computedUrl: `${assetUrl(pod, 'LP', row.id)}B2`,
  };
}

function sectionRecord(pod: string, section: LpSection) {
  const reference = section.type === 'Form' || section.type === 'Snippet';
  const code = section.type === 'Form' ? 'FO' : 'SN';
  return {
    id: section.id,
    type: section.dynamic ? ('DynamicContent' as const) : section.type,
    index: section.index,
    // landing-pages.md: a Form section's content is {content: id, contentType, contentUrl}; a dynamic section's, the
    // id of its dynamic content (here the section's id).
    content: section.dynamic
      ? section.id
      : reference
        ? {
            content: section.value,
            contentType: section.type,
            contentUrl: `${assetUrl(pod, code, Number(section.value))}B2`,
          }
        : section.value,
    formattingOptions: section.formatting,
    ...(section.followupType ? { followupType: section.followupType } : {}),
    ...(section.followupValue !== undefined ? { followupValue: section.followupValue } : {}),
  };
}

const FORMATTING_KEYS = Object.keys(formattingShape) as (keyof typeof formattingShape)[];
function formattingOf(input: Partial<Record<keyof typeof formattingShape, string | boolean>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of FORMATTING_KEYS) if (input[key] !== undefined) out[key] = String(input[key]);
  return out;
}

/** A variable's value, checked against its type: a Color is #rgb or #rrggbb, a Boolean true or false, a Number a number. */
function checkedVariable(variable: LpVariable, value: string): string {
  const ok =
    variable.type === 'Color'
      ? /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(value)
      : variable.type === 'Boolean'
        ? value === 'true' || value === 'false'
        : variable.type === 'Number'
          ? value.trim() !== '' && Number.isFinite(Number(value))
          : true;
  if (!ok) throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidParameter, 'value', value));
  return variable.type === 'Color' ? value.toUpperCase() : value;
}

const landingPageRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<LandingPageRepository>> = async (app, { repo }) => {
  const pod = (request: FastifyRequest) => request.ctx.config.POD;
  const shownRecord = (request: FastifyRequest, row: Row | undefined, status?: VersionStatus) => {
    const version = row && repo(request).machine.shown(row.id, status);
    return version ? [pageRecord(pod(request), row!, version)] : [];
  };
  /** The page a read names and the version it shows, or none. */
  const shown = (request: FastifyRequest, id: number, status?: VersionStatus) => {
    const pages = repo(request);
    const row = visibleRow(pages.rows, scopeOf(request), id);
    const version = row && pages.machine.shown(row.id, status);
    return version ? { row: row!, version } : undefined;
  };
  /** A template a page is made from: one the caller can read (else 702), and its shown version. */
  const templateFor = (request: FastifyRequest, id: number) => {
    const templates = repo(request).templates;
    const scope = scopeOf(request);
    const row = visibleRow(templates.rows, scope, id) ?? notFound(scope, LP_TEMPLATE, id, undefined);
    return { row, version: templates.machine.shown(row.id)! };
  };
  /** A section's Snippet or Form id: an asset that exists (702 when not). */
  const checkReference = (request: FastifyRequest, type: string, value: string | undefined) => {
    if (type !== 'Snippet' && type !== 'Form') return value ?? '';
    const id = Number(value);
    const asset = { type: type === 'Snippet' ? SNIPPET : FORM, id };
    if (!Number.isInteger(id) || id <= 0 || !repo(request).machine.exists(asset)) {
      throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, asset.type, value ?? ''));
    }
    return String(id);
  };
  const sectionOf = (content: LandingPageContent, pageId: number, contentId: string) => {
    const section = content.sections.find((candidate) => candidate.id === contentId);
    if (!section) {
      throw new MarketoError(
        '702',
        formatMessage(DETAIL_MESSAGES.sectionNotFound, contentId, `Landing Page ${pageId}`),
      );
    }
    return section;
  };

  registerBrowse(app, {
    path: 'landingPages',
    tags,
    summary: 'Get Landing Pages',
    envelope: landingPageEnvelope,
    rows: (request) => repo(request).rows,
    record: (request, row) => pageRecord(pod(request), row, { ...row, updatedAt: row.versionUpdatedAt }),
  });

  registerGetByName(app, {
    path: 'landingPage',
    tags,
    summary: 'Get Landing Page by Name',
    envelope: landingPageEnvelope,
    rows: (request) => repo(request).rows,
    records: shownRecord,
  });

  registerGetById(app, {
    path: 'landingPage',
    tags,
    summary: 'Get Landing Page by Id',
    envelope: landingPageEnvelope,
    rows: (request) => repo(request).rows,
    records: shownRecord,
  });

  app.post(
    '/rest/asset/v1/landingPages.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Create Landing Page',
        description:
          'Form parameters `name`, `folder`, `template` (a template the caller can read) and the metadata: a draft ' +
          "whose sections and variables are the guided template's editable elements; a free-form page has none.",
        body: formBody(createParams),
        response: { 200: landingPageEnvelope },
      },
    },
    async (request) => {
      const pages = repo(request);
      const input = writeParams(createParams, request);
      const place = placeFor(request.ctx.port('assetPlaces'), scopeOf(request), input.folder, LANDING_PAGE_PLACES);
      const template = templateFor(request, input.template);
      const id = insertDraft(
        request,
        pages,
        { name: input.name, description: input.description ?? '', place },
        {
          fields: {
            template: template.row.id,
            title: input.title ?? '',
            keywords: input.keywords ?? '',
            // The docs' example answers "index, nofollow" for a page created without robots.
            robots: input.robots ?? 'index, nofollow',
            customHeadHTML: input.customHeadHTML ?? '',
            facebookOgTags: input.facebookOgTags ?? '',
            metaTagsDescription: input.metaTagsDescription ?? '',
            styleOverRide: input.styleOverRide ?? '',
            formPrefill: input.formPrefill ?? input.prefillForm ?? false,
            mobileEnabled: input.mobileEnabled ?? false,
            urlPageName: input.urlPageName ?? pageNameOf(input.name),
          },
          content: contentFromTemplate(template.version.fields.templateType, template.version.content.html),
        },
      );
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, pages.rows.find(id)));
    },
  );

  app.post(
    '/rest/asset/v1/landingPage/:id.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Landing Page Metadata',
        description:
          '`name` and `description` are the asset’s (no draft is made); the page properties (title, keywords, ' +
          'robots, head HTML, …) go in the draft, made from the approved version when there is none.',
        params: idParams,
        body: formBody(updateParams),
        response: { 200: landingPageEnvelope },
      },
    },
    async (request) => {
      const pages = repo(request);
      const { name, description, ...properties } = writeParams(updateParams, request);
      const row = writableRow(pages.rows, scopeOf(request), request.params.id);
      const changed = Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined));
      request.ctx.transaction(() => {
        renameAsset(pages.rows, row, { name, description });
        if (Object.keys(changed).length > 0) {
          pages.machine.edit(row.id, ({ fields, content }) => ({ fields: { ...fields, ...changed }, content }));
        }
      });
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, pages.rows.find(row.id)));
    },
  );

  app.get(
    '/rest/asset/v1/landingPage/:id/content.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Landing Page Content',
        description: 'The sections of the version `status` names, by index.',
        params: idParams,
        querystring: statusQuery,
        response: { 200: contentEnvelope },
      },
    },
    async (request) => {
      const found = shown(request, request.params.id, request.query.status);
      const sections = found ? [...found.version.content.sections].sort((a, b) => a.index - b.index) : [];
      return assetEnvelope(
        request.marketoRequestId(),
        sections.map((section) => sectionRecord(pod(request), section)),
      );
    },
  );

  app.post(
    '/rest/asset/v1/landingPage/:id/content.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Add Landing Page Content Section',
        description:
          '`contentId`, `type` (Image, Form, Rectangle, Snippet, RichText, HTML), `value` (HTML, a form or snippet ' +
          'id, an image URL), `index` and formatting: a section of the draft. 709 when the id is taken.',
        params: idParams,
        body: formBody(addSectionParams),
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const pages = repo(request);
      const input = writeParams(addSectionParams, request);
      const row = writableRow(pages.rows, scopeOf(request), request.params.id);
      const value = checkReference(request, input.type, input.value);
      request.ctx.transaction(() =>
        pages.machine.edit(row.id, ({ fields, content }) => {
          if (content.sections.some((section) => section.id === input.contentId)) {
            throw businessRule(DETAIL_MESSAGES.duplicateSection, input.contentId, `Landing Page ${row.id}`);
          }
          const section: LpSection = {
            id: input.contentId,
            type: input.type as LpSection['type'],
            index: input.index ?? content.sections.length,
            value,
            formatting: formattingOf(input),
          };
          return { fields, content: { ...content, sections: [...content.sections, section] } };
        }),
      );
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
    },
  );

  app.post(
    '/rest/asset/v1/landingPage/:id/content/:contentId.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Landing Page Content Section',
        description:
          '`type`, `value`, `index` and formatting of one section of the draft; `type=DynamicContent` with a ' +
          'segmentation id makes it dynamic, each segment starting from its content.',
        params: sectionParams,
        body: formBody(updateSectionParams),
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const pages = repo(request);
      const input = writeParams(updateSectionParams, request);
      const row = writableRow(pages.rows, scopeOf(request), request.params.id);
      const current = sectionOf(pages.machine.latest(row.id)!.content, row.id, request.params.contentId);
      let section: LpSection;
      if (input.type === 'DynamicContent') {
        const segmentationId = Number(input.value);
        if (!Number.isInteger(segmentationId) || segmentationId <= 0) {
          throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidParameter, 'value', input.value ?? ''));
        }
        const segmentation = segmentationFor(request, segmentationId);
        const now = request.ctx.clock.now();
        section = {
          ...current,
          dynamic:
            current.dynamic?.segmentationId === segmentation.id
              ? current.dynamic
              : {
                  segmentationId: segmentation.id,
                  createdAt: now,
                  updatedAt: now,
                  segments: segmentation.segments.map((segment) => ({
                    segmentId: segment.id,
                    segmentName: segment.name,
                    content: current.value,
                  })),
                },
        };
      } else {
        const rest: LpSection = { ...current };
        delete rest.dynamic;
        section = {
          ...rest,
          type: input.type as LpSection['type'],
          value: input.value !== undefined ? checkReference(request, input.type, input.value) : current.value,
          formatting: { ...current.formatting, ...formattingOf(input) },
        };
      }
      if (input.index !== undefined) section.index = input.index;
      request.ctx.transaction(() =>
        pages.machine.edit(row.id, ({ fields, content }) => ({
          fields,
          content: {
            ...content,
            sections: content.sections.map((candidate) => (candidate.id === section.id ? section : candidate)),
          },
        })),
      );
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
    },
  );

  app.post(
    '/rest/asset/v1/landingPage/:id/content/:contentId/delete.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Delete Landing Page Content Section',
        description: 'The section goes from the draft (made from the approved version when there is none).',
        params: sectionParams,
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const pages = repo(request);
      const row = writableRow(pages.rows, scopeOf(request), request.params.id);
      sectionOf(pages.machine.latest(row.id)!.content, row.id, request.params.contentId);
      request.ctx.transaction(() =>
        pages.machine.edit(row.id, ({ fields, content }) => ({
          fields,
          content: {
            ...content,
            sections: content.sections.filter((section) => section.id !== request.params.contentId),
          },
        })),
      );
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
    },
  );

  app.get(
    '/rest/asset/v1/landingPage/:id/dynamicContent/:contentId.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Landing Page Dynamic Content',
        description: "A dynamic section's segmentation and each segment's content (`contentId`: the section's id).",
        params: sectionParams,
        querystring: statusQuery,
        response: { 200: dynamicEnvelope },
      },
    },
    async (request) => {
      const found = shown(request, request.params.id, request.query.status);
      if (!found) return assetEnvelope(request.marketoRequestId(), []);
      const section = sectionOf(found.version.content, found.row.id, request.params.contentId);
      if (!section.dynamic) throw businessRule(DETAIL_MESSAGES.notDynamic, `Section ${section.id}`);
      const { dynamic } = section;
      return assetEnvelope(request.marketoRequestId(), [
        {
          createdAt: formatAssetDatetime(dynamic.createdAt),
          updatedAt: formatAssetDatetime(dynamic.updatedAt),
          segmentation: dynamic.segmentationId,
          segments: dynamic.segments.map((segment) => ({ ...segment, type: section.type })),
        },
      ]);
    },
  );

  app.post(
    '/rest/asset/v1/landingPage/:id/dynamicContent/:contentId.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Landing Page Dynamic Content Section',
        description: '`segment` (its name) and `value`: that segment’s content, in the draft.',
        params: sectionParams,
        body: formBody(dynamicUpdateParams),
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const pages = repo(request);
      const input = writeParams(dynamicUpdateParams, request);
      const row = writableRow(pages.rows, scopeOf(request), request.params.id);
      const section = sectionOf(pages.machine.latest(row.id)!.content, row.id, request.params.contentId);
      if (!section.dynamic) throw businessRule(DETAIL_MESSAGES.notDynamic, `Section ${section.id}`);
      const segment = section.dynamic.segments.find(
        (candidate) => candidate.segmentName.toLowerCase() === input.segment.toLowerCase(),
      );
      if (!segment) {
        throw new MarketoError(
          '702',
          formatMessage(DETAIL_MESSAGES.segmentNotInSegmentation, input.segment, section.dynamic.segmentationId),
        );
      }
      const now = request.ctx.clock.now();
      request.ctx.transaction(() =>
        pages.machine.edit(row.id, ({ fields, content }) => ({
          fields,
          content: {
            ...content,
            sections: content.sections.map((candidate) =>
              candidate.id !== section.id || !candidate.dynamic
                ? candidate
                : {
                    ...candidate,
                    dynamic: {
                      ...candidate.dynamic,
                      updatedAt: now,
                      segments: candidate.dynamic.segments.map((s) =>
                        s.segmentId === segment.segmentId ? { ...s, content: input.value } : s,
                      ),
                    },
                  },
            ),
          },
        })),
      );
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
    },
  );

  app.get(
    '/rest/asset/v1/landingPage/:id/variables.json',
    {
      // Decision (test/adobe-permissions.test.ts): Adobe states none; it reads a page as Get Landing Page Content.
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Landing Page Variables',
        description: "A guided page's variables (the template's mktoString, mktoColor, mktoBoolean … meta tags).",
        params: idParams,
        querystring: statusQuery,
        response: { 200: variablesEnvelope },
      },
    },
    async (request) => {
      const found = shown(request, request.params.id, request.query.status);
      return assetEnvelope(request.marketoRequestId(), found ? found.version.content.variables : []);
    },
  );

  app.post(
    '/rest/asset/v1/landingPage/:id/variable/:variableId.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Landing Page Variable',
        description: '`value` (query or form): the variable’s value in the draft, checked against its type.',
        params: variableParams,
        body: formBody(variableValue),
        response: { 200: variablesEnvelope },
      },
    },
    async (request) => {
      const pages = repo(request);
      const input = writeParams(variableValue, request);
      const row = writableRow(pages.rows, scopeOf(request), request.params.id);
      const variable = pages.machine.latest(row.id)!.content.variables.find((v) => v.id === request.params.variableId);
      if (!variable) {
        throw new MarketoError(
          '702',
          formatMessage(DETAIL_MESSAGES.sectionNotFound, request.params.variableId, `Landing Page ${row.id}`),
        );
      }
      const updated = { ...variable, value: checkedVariable(variable, input.value) };
      request.ctx.transaction(() =>
        pages.machine.edit(row.id, ({ fields, content }) => ({
          fields,
          content: { ...content, variables: content.variables.map((v) => (v.id === updated.id ? updated : v)) },
        })),
      );
      return assetEnvelope(request.marketoRequestId(), [updated]);
    },
  );

  app.get(
    '/rest/asset/v1/landingPage/:id/fullContent.json',
    {
      config: {
        permissions: READ,
        permissionsWhen: { parameter: 'leadId', permissions: ['read-only-lead', 'read-write-lead'] },
      },
      schema: {
        tags,
        summary: 'Get Landing Page Full Content',
        description:
          "The page as served: its template's HTML with the sections in place and the variables filled; " +
          '`segmentation` ([{"segmentationId":…,"segmentId":…}]) picks the dynamic sections’ segments; `leadId` ' +
          'names a lead the caller can read (702 otherwise).',
        params: idParams,
        querystring: fullContentQuery,
        response: { 200: fullContentEnvelope },
      },
    },
    async (request) => {
      const { status, leadId, segmentation } = request.query;
      const found = shown(request, request.params.id, status);
      if (!found) return assetEnvelope(request.marketoRequestId(), []);
      if (leadId !== undefined && !request.ctx.port('leads').find(leadId)) {
        throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, 'Lead', leadId));
      }
      const template = repo(request).templates.machine.shown(found.version.fields.template);
      const templateType: TemplateType = template?.fields.templateType ?? 'freeForm';
      const html = renderPage(
        templateType,
        template?.content.html ?? '',
        found.version.content,
        new Map((segmentation ?? []).map((pick) => [pick.segmentationId, pick.segmentId])),
      );
      return assetEnvelope(request.marketoRequestId(), [{ id: found.row.id, content: html }]);
    },
  );

  app.post(
    '/rest/asset/v1/landingPage/:id/clone.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Clone Landing Page',
        description:
          'Form parameters `name`, `folder`, `template`, `description`: the approved version, else the draft, as a ' +
          'new draft (its URL page name from the new name).',
        params: idParams,
        body: formBody(cloneParams),
        response: { 200: landingPageEnvelope },
      },
    },
    async (request) => {
      const pages = repo(request);
      const input = writeParams(cloneParams, request);
      const template = input.template !== undefined ? templateFor(request, input.template).row.id : undefined;
      const id = cloneDraft(request, pages, LANDING_PAGE_PLACES, request.params.id, input, (fields) => ({
        ...fields,
        template: template ?? fields.template,
        urlPageName: pageNameOf(input.name),
      }));
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, pages.rows.find(id)));
    },
  );

  registerApprovalRoutes(app, {
    path: 'landingPage',
    tags,
    label: 'Landing Page',
    rows: (request) => repo(request).rows,
    machine: (request) => repo(request).machine,
  });
};

// Seed --------------------------------------------------------------------------------------------------------------

const sectionSeed = z.strictObject({
  id: z.string().min(1),
  type: z.enum(SECTION_TYPES),
  index: z.number().int().min(0).optional(),
  value: z.string().default(''),
  formatting: z.record(z.string(), z.string()).optional(),
  followupType: z.enum(['url', 'lp', 'formDefined']).optional(),
  followupValue: z.string().optional(),
  dynamic: z
    .strictObject({
      segmentationId: z.number().int().positive(),
      createdAt: seedTime,
      updatedAt: seedTime,
      segments: z.array(
        z.strictObject({ segmentId: z.number().int().positive(), segmentName: z.string(), content: z.string() }),
      ),
    })
    .optional(),
});
const versionSeed = z.strictObject({
  title: z.string().optional(),
  keywords: z.string().optional(),
  robots: z.string().optional(),
  customHeadHTML: z.string().optional(),
  facebookOgTags: z.string().optional(),
  metaTagsDescription: z.string().optional(),
  styleOverRide: z.string().optional(),
  formPrefill: z.boolean().optional(),
  mobileEnabled: z.boolean().optional(),
  urlPageName: z.string().optional(),
  sections: z.array(sectionSeed).optional().describe("The page's sections (a guided template's when absent)"),
  variables: z
    .record(z.string(), z.string())
    .optional()
    .describe("Variable values by id (the template's defaults otherwise)"),
  createdAt: seedTime,
  updatedAt: seedTime,
});
const pageSeed = z.strictObject({
  id: seedId.optional(),
  name: assetName,
  description: assetDescription.optional(),
  ...placeSeed,
  template: z.union([seedId, z.string().min(1)]).describe('A landing page template, by id or name'),
  createdAt: seedTime,
  updatedAt: seedTime,
  approved: versionSeed.optional(),
  draft: versionSeed.optional(),
});
type PageSeed = z.infer<typeof pageSeed>;
type VersionSeed = z.infer<typeof versionSeed>;

function loadPages(repo: LandingPageRepository, items: readonly PageSeed[], context: SeedLoadContext): void {
  const placeOf = seedPlaces(context, LANDING_PAGE_PLACES);
  items.forEach((item, i) => {
    const path = `[${i}]`;
    if (!item.approved && !item.draft) context.fail(path, 'a landing page has an approved version, a draft or both');
    const place = placeOf(item, path);
    const templateRow =
      typeof item.template === 'number'
        ? repo.templates.rows.find(item.template)
        : repo.templates.rows.byName(item.template)[0];
    if (!templateRow) context.fail(`${path}.template`, `no landing page template ${JSON.stringify(item.template)}`);
    const template = repo.templates.machine.shown(templateRow!.id)!;
    const { id, createdAt } = insertSeedRow(repo.rows, item, place, context, path);
    for (const status of ['approved', 'draft'] as const) {
      const seed = item[status];
      if (!seed) continue;
      const fromTemplate = contentFromTemplate(template.fields.templateType, template.content.html);
      const variables = fromTemplate.variables.map((variable) => ({
        ...variable,
        value: seed.variables?.[variable.id] ?? variable.value,
      }));
      for (const name of Object.keys(seed.variables ?? {})) {
        if (!variables.some((variable) => variable.id === name)) {
          context.fail(`${path}.${status}.variables.${name}`, `the template has no variable "${name}"`);
        }
      }
      const sections: LpSection[] =
        seed.sections?.map((section, at) => ({
          id: section.id,
          type: section.type,
          index: section.index ?? at,
          value: section.value,
          formatting: section.formatting ?? {},
          ...(section.followupType ? { followupType: section.followupType } : {}),
          ...(section.followupValue !== undefined ? { followupValue: section.followupValue } : {}),
          ...(section.dynamic
            ? {
                dynamic: {
                  segmentationId: section.dynamic.segmentationId,
                  createdAt: context.time(section.dynamic.createdAt, createdAt),
                  updatedAt: context.time(section.dynamic.updatedAt, createdAt),
                  segments: section.dynamic.segments,
                },
              }
            : {}),
        })) ?? fromTemplate.sections;
      const at = context.time(seed.createdAt, createdAt);
      repo.machine.restore(id, {
        status,
        fields: fieldsOf(seed, templateRow!.id, item.name),
        content: { sections, variables },
        createdAt: at,
        updatedAt: context.time(seed.updatedAt, at),
      });
    }
  });
}

function fieldsOf(seed: VersionSeed, template: number, name: string): LandingPageFields {
  return {
    template,
    title: seed.title ?? '',
    keywords: seed.keywords ?? '',
    robots: seed.robots ?? 'index, nofollow',
    customHeadHTML: seed.customHeadHTML ?? '',
    facebookOgTags: seed.facebookOgTags ?? '',
    metaTagsDescription: seed.metaTagsDescription ?? '',
    styleOverRide: seed.styleOverRide ?? '',
    formPrefill: seed.formPrefill ?? false,
    mobileEnabled: seed.mobileEnabled ?? false,
    urlPageName: seed.urlPageName ?? pageNameOf(name),
  };
}

function snapshotPages(repo: LandingPageRepository): PageSeed[] {
  return repo.rows.all().map((row): PageSeed => {
    const { approved, draft } = repo.machine.versions(row.id);
    const seedOf = ({ fields, content, createdAt, updatedAt }: Version<LandingPageFields, LandingPageContent>) => {
      const properties: Partial<LandingPageFields> = { ...fields };
      delete properties.template;
      return {
        ...properties,
        sections: content.sections.map(({ dynamic, ...section }) => ({
          ...section,
          ...(dynamic
            ? { dynamic: { ...dynamic, createdAt: iso(dynamic.createdAt), updatedAt: iso(dynamic.updatedAt) } }
            : {}),
        })),
        variables: Object.fromEntries(content.variables.map((variable) => [variable.id, variable.value])),
        createdAt: iso(createdAt),
        updatedAt: iso(updatedAt),
      };
    };
    return {
      ...rowSnapshot(row),
      template: (approved ?? draft)!.fields.template,
      ...(approved ? { approved: seedOf(approved) } : {}),
      ...(draft ? { draft: seedOf(draft) } : {}),
    };
  });
}

/** Landing pages: made from a landing page template, with sections, variables and dynamic content by segment. */
export const landingPages = defineFamily({
  key: 'landingPages',
  tables: ['landing_pages'],
  wireFormat: 'asset',
  repository: ({ db, clock, repo }) => new LandingPageRepository(db, clock, repo(landingPageTemplates)),
  provides: (repo) => ({
    landingPages: {
      page(id) {
        const row = repo.rows.find(id);
        const version = row && repo.machine.shown(row.id);
        if (!row || !version) return undefined;
        return { id: row.id, name: row.name, workspaceId: row.workspaceId, urlPageName: version.fields.urlPageName };
      },
    },
  }),
  seed: {
    item: pageSeed as z.ZodType<PageSeed>,
    load: loadPages,
    snapshot: snapshotPages,
    example: [
      {
        id: 730,
        name: 'Spring event',
        folder: '/Design Studio/Contract',
        template: 'Event page',
        approved: { title: 'Spring event', variables: { headline: 'Spring is here' } },
        draft: { title: 'Spring event, moved' },
      },
    ],
  },
  marketoRoutes: landingPageRoutes,
});
