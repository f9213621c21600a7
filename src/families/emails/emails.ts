import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestIdValue } from '../../domain/record-ids.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import { formatAssetDatetime } from '../../domain/datetime.js';
import type { VersionStatus } from '../../engines/assets/approval.js';
import type { AssetRow } from '../../engines/assets/asset-rows.js';
import {
  booleanParam,
  datetimeParam,
  folderRef,
  formBody,
  objectParam,
  pagingShape,
  parseObjectParam,
  writeParams,
} from '../../engines/assets/params.js';
import { businessRule, canSee, READ, scopeOf, WRITE } from '../../engines/assets/scope.js';
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
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import type { FamilyRouteOptions } from '../../family.js';
import {
  contentItems,
  contentOf,
  type DynamicContent,
  type EmailContent,
  type HeaderField,
  deleteModule,
  insertModule,
  moduleHtml,
  moduleIds,
  rearrangeModules,
  renderHtml,
  renderText,
  type Section,
} from './content.js';
import { type EmailRepository, type EmailVersionFields, TEMPLATE } from './repositories.js';
import { segmentationFor } from './snippets.js';
import { assetUrl, EMAIL_PLACES } from './support.js';
import { assetDescription, assetName } from './templates.js';
import { fillTokens, type TokenSources } from './tokens.js';

const tags = ['Marketo: Emails'];

const headerSchema = z.object({ type: z.enum(['Text', 'DynamicContent']), value: z.string() }).nullable();
const emailSchema = z
  .object({
    ...versionedRecordShape,
    subject: headerSchema,
    fromName: headerSchema,
    fromEmail: headerSchema,
    replyEmail: headerSchema,
    operational: z.boolean(),
    textOnly: z.boolean(),
    publishToMSI: z.boolean(),
    webView: z.boolean(),
    template: z.number().int().nullable(),
    isOpenTrackingDisabled: z.boolean(),
    version: z.union([z.literal(1), z.literal(2)]),
    autoCopyToText: z.boolean(),
    ccFields: z
      .array(
        z.object({
          attributeId: z.string(),
          objectName: z.string(),
          displayName: z.string(),
          apiName: z.string().nullable(),
        }),
      )
      .nullable(),
    preHeader: z.string().nullable(),
  })
  .meta({ id: 'Email' });
const emailEnvelope = envelopeOf(emailSchema);
const contentItemEnvelope = envelopeOf(
  z.object({
    htmlId: z.string(),
    contentType: z.string(),
    value: z.unknown().optional(),
    index: z.number().int().optional(),
    parentHtmlId: z.string().optional(),
    isLocked: z.boolean().optional(),
  }),
);
const dynamicEnvelope = envelopeOf(
  z.object({
    id: z.string(),
    segmentation: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    content: z.array(
      z.object({
        id: z.string(),
        segmentId: z.number().int(),
        segmentName: z.string(),
        type: z.string(),
        content: z.string(),
      }),
    ),
  }),
);
const variableSchema = z.object({
  name: z.string(),
  value: z.string(),
  moduleScope: z.boolean(),
  moduleId: z.string().optional(),
});
const variableEnvelope = envelopeOf(variableSchema);
const fullContentEnvelope = envelopeOf(
  z.object({ id: z.number().int(), status: z.enum(['approved', 'draft']), content: z.string() }),
);
const sampleEnvelope = envelopeOf(z.object({ service: z.literal('sendTestEmail'), result: z.boolean() }));
const ccFieldsEnvelope = envelopeOf(
  z.object({ attributeId: z.string(), objectName: z.string(), displayName: z.string(), apiName: z.string() }),
);
const usedByEnvelope = envelopeOf(
  z.object({
    id: z.number().int(),
    name: z.string(),
    type: z.string(),
    status: z.enum(['approved', 'draft']),
    updatedAt: z.string(),
  }),
);

const statusQuery = z.object({ status: statusParam });
const browseQuery = z.object({
  status: statusParam,
  folder: folderRef.optional(),
  earliestUpdatedAt: datetimeParam,
  latestUpdatedAt: datetimeParam,
  ...pagingShape,
});
const byNameQuery = z.object({ name: z.string().min(1), status: statusParam, folder: folderRef.optional() });
/** The documented limit of a preheader (EmailResponse.preHeader: "max 1024 characters"). */
const MAX_PREHEADER = 1024;
const createParams = z.object({
  name: assetName,
  folder: folderRef,
  template: requestIdValue.pipe(z.number().positive()),
  description: assetDescription.optional(),
  subject: z.string().optional(),
  fromName: z.string().optional(),
  fromEmail: z.string().optional(),
  replyEmail: z.string().optional(),
  operational: booleanParam.optional(),
  isOpenTrackingDisabled: booleanParam.optional(),
  textOnly: booleanParam.optional(),
  autoCopyToText: booleanParam.optional(),
});
const updateParams = z.object({
  name: assetName.optional(),
  description: assetDescription.optional(),
  preHeader: z.string().max(MAX_PREHEADER).optional(),
  operational: booleanParam.optional(),
  published: booleanParam.optional(),
  textOnly: booleanParam.optional(),
  webView: booleanParam.optional(),
  autoCopyToText: booleanParam.optional(),
});
/** `{"type":"Text","value":"…"}` (JSON, or a Python repr); a bare text is a Text value. */
const headerParam = objectParam(
  z.union([
    z.object({ type: z.enum(['Text', 'DynamicContent']), value: z.coerce.string() }),
    z.string().transform((value) => ({ type: 'Text' as const, value })),
  ]),
);
const headersParams = z.object({
  subject: headerParam.optional(),
  fromName: headerParam.optional(),
  fromEmail: headerParam.optional(),
  replyTO: headerParam.optional(),
  replyEmail: headerParam.optional(),
  isOpenTrackingDisabled: booleanParam.optional(),
});
const sectionParams = z.object({
  type: z.preprocess(
    (value) =>
      typeof value === 'string'
        ? ({ text: 'Text', snippet: 'Snippet', dynamiccontent: 'DynamicContent' }[value.toLowerCase()] ?? value)
        : value,
    z.enum(['Text', 'Snippet', 'DynamicContent']),
  ),
  value: z.string(),
  textValue: z.string().optional(),
});
const sectionPath = z.object({ id: requestIdValue, htmlId: z.string().min(1) });
const dynamicPath = z.object({ id: requestIdValue, contentId: z.string().min(1) });
const dynamicParams = z.object({
  segment: z.string().min(1).describe('Name of the segment'),
  type: z.string().min(1).describe('HTML, Text, Image …'),
  value: z.string().optional(),
  externalUrl: z.string().optional(),
});
const modulePath = z.object({ id: requestIdValue, moduleId: z.string().min(1) });
const addModuleParams = z.object({ name: z.string().min(1), index: z.coerce.number().int().min(0) });
const nameParams = z.object({ name: z.string().min(1) });
const positionsParams = z.object({
  positions: objectParam(z.array(z.object({ index: z.coerce.number().int().min(0), moduleId: z.string().min(1) }))),
});
const variablePath = z.object({ id: requestIdValue, name: z.string().min(1) });
const variableParams = z.object({ value: z.string(), moduleId: z.string().optional() });
const cloneParams = z.object({
  name: assetName,
  folder: folderRef,
  description: assetDescription.optional(),
  operational: booleanParam.optional(),
});
const sampleParams = z.object({
  emailAddress: z
    .string()
    .trim()
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address'),
  leadId: requestIdValue.pipe(z.number().positive()).optional(),
  textOnly: booleanParam.optional(),
});
const fullContentQuery = z.object({
  status: statusParam,
  leadId: requestIdValue.pipe(z.number().positive()).optional(),
  type: z
    .preprocess(
      (value) => (typeof value === 'string' ? ({ html: 'HTML', text: 'Text' }[value.toLowerCase()] ?? value) : value),
      z.enum(['HTML', 'Text']),
    )
    .default('HTML'),
});
const fullContentParams = z.object({ content: z.string().describe('The HTML document (a multipart file part)') });
const usedByQuery = z.object({ ...pagingShape });

type Row = AssetRow<Record<string, never>>;

export const defaultEmailFields = (): Omit<EmailVersionFields, 'template' | 'version'> => ({
  subject: { type: 'Text', value: '' },
  fromName: null,
  fromEmail: null,
  replyEmail: null,
  operational: false,
  textOnly: false,
  webView: false,
  publishToMSI: false,
  autoCopyToText: true,
  isOpenTrackingDisabled: false,
  preHeader: null,
  ccFields: null,
});

export function emailRecord(
  pod: string,
  row: Row,
  version: { status: VersionStatus; fields: EmailVersionFields; updatedAt: number },
) {
  const { fields } = version;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: formatAssetDatetime(row.createdAt),
    updatedAt: formatAssetDatetime(Math.max(row.updatedAt, version.updatedAt)),
    url: `${assetUrl(pod, 'EM', row.id)}A1LA1`,
    subject: fields.subject,
    fromName: fields.fromName,
    fromEmail: fields.fromEmail,
    replyEmail: fields.replyEmail,
    folder: folderValue(row),
    operational: fields.operational,
    textOnly: fields.textOnly,
    publishToMSI: fields.publishToMSI,
    webView: fields.webView,
    status: version.status,
    template: fields.template,
    workspace: row.workspaceName,
    isOpenTrackingDisabled: fields.isOpenTrackingDisabled,
    version: fields.version,
    autoCopyToText: fields.autoCopyToText,
    ccFields: fields.ccFields,
    preHeader: fields.preHeader,
  };
}

/** Dynamic content ids, as Marketo's look (base64 of a key, `RVMtMTY2Ng==`), unique in the email. */
function dynamicId(emailId: number, n: number): string {
  return Buffer.from(`ES-${emailId}-${n}`).toString('base64');
}

/** A section (or header) made to vary by a segmentation, starting from `defaultContent`. */
function addDynamic(
  content: EmailContent,
  emailId: number,
  segmentationId: number,
  defaultContent: string,
  now: number,
): { content: EmailContent; id: string } {
  const id = dynamicId(emailId, content.nextDynamicId);
  const dynamic: DynamicContent = {
    id,
    segmentationId,
    default: defaultContent,
    createdAt: now,
    updatedAt: now,
    variations: [],
  };
  return {
    content: {
      ...content,
      dynamicContent: [...content.dynamicContent, dynamic],
      nextDynamicId: content.nextDynamicId + 1,
    },
    id,
  };
}

/** The email routes; the emails family (emails-family.ts) registers them with the template used-by route. */
export const emailRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<EmailRepository>> = async (app, { repo }) => {
  const pod = (request: FastifyRequest) => request.ctx.config.POD;
  const shownRecord = (request: FastifyRequest, row: Row | undefined, status?: VersionStatus) => {
    const version = row && repo(request).machine.shown(row.id, status);
    return version ? [emailRecord(pod(request), row!, version)] : [];
  };
  const shown = (request: FastifyRequest, id: number, status?: VersionStatus) => {
    const emails = repo(request);
    const row = visibleRow(emails.rows, scopeOf(request), id);
    const version = row && emails.machine.shown(row.id, status);
    return version ? { row: row!, version } : undefined;
  };
  /** The email a write names (702, 603), and an edit of its draft in one transaction. */
  const editEmail = (
    request: FastifyRequest,
    id: number,
    change: (
      current: { fields: EmailVersionFields; content: EmailContent },
      row: Row,
    ) => {
      fields: EmailVersionFields;
      content: EmailContent;
    },
  ) => {
    const emails = repo(request);
    const row = writableRow(emails.rows, scopeOf(request), id);
    request.ctx.transaction(() => emails.machine.edit(row.id, (current) => change(current, row)));
    return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
  };

  app.get(
    '/rest/asset/v1/emails.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Emails',
        description:
          'Emails of the workspaces the caller can read, by id: without `status` each once (its approved version ' +
          'if any, else its draft), with `status=approved|draft` those versions; `folder` ({"id":…,"type":' +
          '"Folder"|"Program"}) keeps those directly in it; `earliestUpdatedAt`/`latestUpdatedAt`; `offset`/' +
          '`maxReturn` (≤ 200), past the last "No assets found for the given search criteria.".',
        querystring: browseQuery,
        response: { 200: emailEnvelope },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = repo(request).rows.browse({
        workspaceIds: request.access.workspaces('read', 'assets'),
        status: q.status,
        ...(q.folder?.type === 'Folder' ? { folderId: q.folder.id } : {}),
        ...(q.folder?.type === 'Program' ? { programId: q.folder.id } : {}),
        earliest: q.earliestUpdatedAt,
        latest: q.latestUpdatedAt,
        offset: q.offset,
        limit: q.maxReturn,
      });
      const at = pod(request);
      return assetEnvelope(
        request.marketoRequestId(),
        rows.map((row) =>
          emailRecord(at, row, { status: row.status, fields: row.fields, updatedAt: row.versionUpdatedAt }),
        ),
      );
    },
  );

  app.get(
    '/rest/asset/v1/email/byName.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Email by Name',
        description: 'Emails of that name (any case) the caller can read, optionally in `folder` only.',
        querystring: byNameQuery,
        response: { 200: emailEnvelope },
      },
    },
    async (request) => {
      const { name, status, folder } = request.query;
      const scope = scopeOf(request);
      const rows = repo(request)
        .rows.byName(name)
        .filter((row) => canSee(scope, row.workspaceId))
        .filter(
          (row) => !folder || (folder.type === 'Program' ? row.programId === folder.id : row.folderId === folder.id),
        );
      return assetEnvelope(
        request.marketoRequestId(),
        rows.flatMap((row) => shownRecord(request, row, status)),
      );
    },
  );

  app.get(
    '/rest/asset/v1/email/ccFields.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Email CC Fields',
        description:
          'The lead fields an email can be CC’d to: every lead field of type email but Email Address itself ' +
          '(README "Decisions": there is no Admin setting to enable them one by one).',
        response: { 200: ccFieldsEnvelope },
      },
    },
    async (request) => {
      const fields = request.ctx
        .port('leads')
        .catalog()
        .fields.filter((field) => field.dataType === 'email' && field.name !== 'email');
      return assetEnvelope(
        request.marketoRequestId(),
        fields.map((field) => ({
          attributeId: String(field.id),
          objectName: 'lead',
          displayName: field.displayName,
          apiName: field.name,
        })),
      );
    },
  );

  registerGetById(app, {
    path: 'email',
    tags,
    summary: 'Get Email By Id',
    envelope: emailEnvelope,
    rows: (request) => repo(request).rows,
    records: shownRecord,
  });

  app.post(
    '/rest/asset/v1/emails.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Create Email',
        description:
          'Form parameters `name`, `folder` (a program or a Design Studio folder), `template` (its editable ' +
          'sections become the email’s), `description`, `subject`, `fromName`, `fromEmail`, `replyEmail`, ' +
          '`operational`, `isOpenTrackingDisabled`, `textOnly`, `autoCopyToText`. A draft.',
        body: formBody(createParams),
        response: { 200: emailEnvelope },
      },
    },
    async (request) => {
      const emails = repo(request);
      const input = writeParams(createParams, request);
      const scope = scopeOf(request);
      const place = placeFor(request.ctx.port('assetPlaces'), scope, input.folder, EMAIL_PLACES);
      const template = visibleRow(emails.templates.rows, scope, input.template);
      if (!template) {
        throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, TEMPLATE, input.template));
      }
      const templateVersion = emails.templates.machine.shown(template.id)!;
      const text = (value: string | undefined): HeaderField | null =>
        value === undefined ? null : { type: 'Text', value };
      const defaults = defaultEmailFields();
      const fields: EmailVersionFields = {
        ...defaults,
        subject: text(input.subject) ?? defaults.subject,
        fromName: text(input.fromName),
        fromEmail: text(input.fromEmail),
        replyEmail: text(input.replyEmail),
        operational: input.operational ?? false,
        isOpenTrackingDisabled: input.isOpenTrackingDisabled ?? false,
        textOnly: input.textOnly ?? false,
        autoCopyToText: input.autoCopyToText ?? defaults.autoCopyToText,
        template: template.id,
        version: templateVersion.fields.version,
      };
      const id = insertDraft(
        request,
        emails,
        { name: input.name, description: input.description ?? '', place },
        { fields, content: contentOf(templateVersion.content.html) },
      );
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, emails.rows.find(id)));
    },
  );

  app.post(
    '/rest/asset/v1/email/:id.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Email Metadata',
        description:
          '`name` and `description` are the asset’s; `preHeader` (≤ 1024), `operational`, `published`, ' +
          '`textOnly`, `webView`, `autoCopyToText` are settings of the draft (made from the approved version).',
        params: idParams,
        body: formBody(updateParams),
        response: { 200: emailEnvelope },
      },
    },
    async (request) => {
      const emails = repo(request);
      const input = writeParams(updateParams, request);
      const row = writableRow(emails.rows, scopeOf(request), request.params.id);
      const settings = {
        ...(input.preHeader !== undefined ? { preHeader: input.preHeader } : {}),
        ...(input.operational !== undefined ? { operational: input.operational } : {}),
        ...(input.published !== undefined ? { publishToMSI: input.published } : {}),
        ...(input.textOnly !== undefined ? { textOnly: input.textOnly } : {}),
        ...(input.webView !== undefined ? { webView: input.webView } : {}),
        ...(input.autoCopyToText !== undefined ? { autoCopyToText: input.autoCopyToText } : {}),
      };
      request.ctx.transaction(() => {
        renameAsset(emails.rows, row, input);
        if (Object.keys(settings).length > 0) {
          emails.machine.edit(row.id, ({ fields, content }) => ({ fields: { ...fields, ...settings }, content }));
        }
      });
      // The record shows the version the edit changed: the draft after a settings change.
      return assetEnvelope(
        request.marketoRequestId(),
        shownRecord(request, emails.rows.find(row.id), Object.keys(settings).length > 0 ? 'draft' : undefined),
      );
    },
  );

  app.get(
    '/rest/asset/v1/email/:id/content.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Email Content',
        description:
          'Editable sections and modules in document order: Text (HTML and text), Snippet, DynamicContent, Image.',
        params: idParams,
        querystring: statusQuery,
        response: { 200: contentItemEnvelope },
      },
    },
    async (request) => {
      const found = shown(request, request.params.id, request.query.status);
      return assetEnvelope(
        request.marketoRequestId(),
        found ? contentItems(found.version.content, found.version.fields.version) : [],
      );
    },
  );

  app.post(
    '/rest/asset/v1/email/:id/content.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Email Content',
        description:
          '`subject`, `fromName`, `fromEmail`, `replyTO` as {"type":"Text"|"DynamicContent","value":…} (for ' +
          'DynamicContent the segmentation id), and `isOpenTrackingDisabled`; in the draft.',
        params: idParams,
        body: formBody(headersParams),
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const input = writeParams(headersParams, request);
      const now = request.ctx.clock.now();
      const headers = {
        subject: input.subject,
        fromName: input.fromName,
        fromEmail: input.fromEmail,
        replyEmail: input.replyTO ?? input.replyEmail,
      };
      const segmentations = new Map(
        Object.values(headers)
          .filter((header) => header?.type === 'DynamicContent')
          .map((header) => {
            const id = Number(header!.value);
            if (!Number.isInteger(id) || id <= 0) {
              throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidParameter, 'value', header!.value));
            }
            return [id, segmentationFor(request, id)] as const;
          }),
      );
      if (
        Object.values(headers).every((header) => header === undefined) &&
        input.isOpenTrackingDisabled === undefined
      ) {
        throw new MarketoError('701', marketoMessage('701', 'subject'));
      }
      return editEmail(request, request.params.id, ({ fields, content }, row) => {
        let next = { fields: { ...fields }, content };
        for (const [key, header] of Object.entries(headers) as [keyof typeof headers, HeaderField | undefined][]) {
          if (!header) continue;
          if (header.type === 'Text') {
            next.fields[key] = header;
            continue;
          }
          const before = fields[key];
          const added = addDynamic(
            next.content,
            row.id,
            segmentations.get(Number(header.value))!.id,
            before?.type === 'Text' ? before.value : '',
            now,
          );
          next = {
            fields: { ...next.fields, [key]: { type: 'DynamicContent', value: added.id } },
            content: added.content,
          };
        }
        if (input.isOpenTrackingDisabled !== undefined)
          next.fields.isOpenTrackingDisabled = input.isOpenTrackingDisabled;
        return next;
      });
    },
  );

  app.post(
    '/rest/asset/v1/email/:id/content/:htmlId.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Email Content Section',
        description:
          '`type` Text (`value` the HTML, `textValue` the text), Snippet (`value` a snippet id) or DynamicContent ' +
          '(`value` a segmentation id, or {"segmentation":…,"default":…}); in the draft.',
        params: sectionPath,
        body: formBody(sectionParams),
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const emails = repo(request);
      const input = writeParams(sectionParams, request);
      const { htmlId } = request.params;
      const scope = scopeOf(request);
      let change: (
        section: Section,
        content: EmailContent,
        emailId: number,
      ) => { section: Section; content: EmailContent };
      if (input.type === 'Text') {
        change = (section, content) => ({
          section: { htmlId: section.htmlId, contentType: 'Text', html: input.value, text: input.textValue ?? null },
          content,
        });
      } else if (input.type === 'Snippet') {
        const snippetId = Number(input.value);
        const snippet = Number.isInteger(snippetId) ? visibleRow(emails.snippets.rows, scope, snippetId) : undefined;
        if (!snippet)
          throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, 'Snippet', input.value));
        change = (section, content) => ({
          section: { htmlId: section.htmlId, contentType: 'Snippet', html: '', text: null, snippetId: snippet.id },
          content,
        });
      } else {
        const given = parseObjectParam(input.value);
        const segmentationId = Number(
          given && typeof given === 'object' ? (given as { segmentation?: unknown }).segmentation : input.value,
        );
        if (!Number.isInteger(segmentationId) || segmentationId <= 0) {
          throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidParameter, 'value', input.value));
        }
        const segmentation = segmentationFor(request, segmentationId);
        const explicitDefault =
          given && typeof given === 'object' ? (given as { default?: unknown }).default : undefined;
        const now = request.ctx.clock.now();
        change = (section, content, emailId) => {
          const html = typeof explicitDefault === 'string' ? explicitDefault : section.html;
          const added = addDynamic(content, emailId, segmentation.id, html, now);
          return {
            section: {
              htmlId: section.htmlId,
              contentType: 'DynamicContent',
              html,
              text: null,
              dynamicContentId: added.id,
            },
            content: added.content,
          };
        };
      }
      return editEmail(request, request.params.id, ({ fields, content }, row) => {
        const at = content.sections.findIndex((section) => section.htmlId === htmlId);
        if (at < 0)
          throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.sectionNotFound, htmlId, `Email ${row.id}`));
        const changed = change(content.sections[at]!, content, row.id);
        const sections = [...changed.content.sections];
        sections[at] = changed.section;
        return { fields, content: { ...changed.content, sections } };
      });
    },
  );

  const dynamicOf = (content: EmailContent, contentId: string, emailId: number): DynamicContent => {
    const dynamic = content.dynamicContent.find((candidate) => candidate.id === contentId);
    if (!dynamic) {
      throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.sectionNotFound, contentId, `Email ${emailId}`));
    }
    return dynamic;
  };

  app.get(
    '/rest/asset/v1/email/:id/dynamicContent/:contentId.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Email Dynamic Content',
        description: "Each segment's content: its own variation, else the section's Default content.",
        params: dynamicPath,
        querystring: statusQuery,
        response: { 200: dynamicEnvelope },
      },
    },
    async (request) => {
      const found = shown(request, request.params.id, request.query.status);
      if (!found) return assetEnvelope(request.marketoRequestId(), []);
      const dynamic = dynamicOf(found.version.content, request.params.contentId, found.row.id);
      const segments = request.ctx.findPort('segmentations')?.segmentation(dynamic.segmentationId)?.segments ?? [];
      return assetEnvelope(request.marketoRequestId(), [
        {
          id: dynamic.id,
          segmentation: dynamic.segmentationId,
          createdAt: formatAssetDatetime(dynamic.createdAt),
          updatedAt: formatAssetDatetime(dynamic.updatedAt),
          content: segments.map((segment) => {
            const own = dynamic.variations.find((variation) => variation.segmentId === segment.id);
            return {
              id: Buffer.from(`${dynamic.id}:${segment.id}`).toString('base64'),
              segmentId: segment.id,
              segmentName: segment.name,
              type: own?.type ?? 'HTML',
              content: own?.content ?? dynamic.default,
            };
          }),
        },
      ]);
    },
  );

  app.post(
    '/rest/asset/v1/email/:id/dynamicContent/:contentId.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Email Dynamic Content Section',
        description:
          '`segment` (its name), `type` (HTML, Text, Image …) and `value`: one segment’s content, in the draft.',
        params: dynamicPath,
        body: formBody(dynamicParams),
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const input = writeParams(dynamicParams, request);
      const emails = repo(request);
      const row = writableRow(emails.rows, scopeOf(request), request.params.id);
      const dynamic = dynamicOf(emails.machine.latest(row.id)!.content, request.params.contentId, row.id);
      const segment = segmentationFor(request, dynamic.segmentationId).segments.find(
        (candidate) => candidate.name.toLowerCase() === input.segment.toLowerCase(),
      );
      if (!segment) {
        throw new MarketoError(
          '702',
          formatMessage(DETAIL_MESSAGES.segmentNotInSegmentation, input.segment, dynamic.segmentationId),
        );
      }
      const value = input.value ?? input.externalUrl;
      if (value === undefined) throw new MarketoError('701', marketoMessage('701', 'value'));
      const now = request.ctx.clock.now();
      return editEmail(request, row.id, ({ fields, content }) => ({
        fields,
        content: {
          ...content,
          dynamicContent: content.dynamicContent.map((candidate) =>
            candidate.id !== dynamic.id
              ? candidate
              : {
                  ...candidate,
                  updatedAt: now,
                  variations: [
                    ...candidate.variations.filter((variation) => variation.segmentId !== segment.id),
                    { segmentId: segment.id, segmentName: segment.name, type: input.type, content: value },
                  ],
                },
          ),
        },
      }));
    },
  );

  // Modules ----------------------------------------------------------------------------------------------------------

  const moduleChange = (
    request: FastifyRequest,
    id: number,
    change: (content: EmailContent, row: Row) => EmailContent | undefined | 'noContainer',
    missing: string,
  ) =>
    editEmail(request, id, ({ fields, content }, row) => {
      const next = change(content, row);
      if (next === 'noContainer') throw businessRule(DETAIL_MESSAGES.noModuleContainer, `Email ${row.id}`);
      if (next === undefined)
        throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.sectionNotFound, missing, `Email ${row.id}`));
      return { fields, content: next };
    });
  const moduleSchema = (summary: string, description: string, body?: z.ZodObject) => ({
    tags,
    summary,
    description,
    params: modulePath,
    ...(body ? { body: formBody(body) } : {}),
    response: { 200: idResultEnvelope },
  });

  app.post(
    '/rest/asset/v1/email/:id/content/:moduleId/add.json',
    {
      config: { permissions: WRITE },
      schema: moduleSchema(
        'Add Email Module',
        'A copy of the template’s module `moduleId`, named `name`, at `index` (appended past the last); its ids ' +
          'are the template’s plus a UUID.',
        addModuleParams,
      ),
    },
    async (request) => {
      const emails = repo(request);
      const input = writeParams(addModuleParams, request);
      const { moduleId } = request.params;
      return moduleChange(
        request,
        request.params.id,
        (content, row) => {
          const templateId = emails.machine.latest(row.id)!.fields.template;
          const template = templateId !== null ? emails.templates.machine.shown(templateId) : undefined;
          const source = template && moduleHtml(template.content.html, moduleId);
          if (!source) return undefined;
          return insertModule(
            content,
            { html: source },
            { index: input.index, name: input.name, suffix: request.ctx.ids.uuid() },
          );
        },
        moduleId,
      );
    },
  );

  app.post(
    '/rest/asset/v1/email/:id/content/:moduleId/delete.json',
    { config: { permissions: WRITE }, schema: moduleSchema('Delete Module', 'The module and its sections go.') },
    async (request) =>
      moduleChange(
        request,
        request.params.id,
        (content) => deleteModule(content, request.params.moduleId),
        request.params.moduleId,
      ),
  );

  app.post(
    '/rest/asset/v1/email/:id/content/:moduleId/duplicate.json',
    {
      config: { permissions: WRITE },
      schema: moduleSchema(
        'Duplicate Email Module',
        'A copy named `name`, with its content, right below it.',
        nameParams,
      ),
    },
    async (request) => {
      const input = writeParams(nameParams, request);
      const { moduleId } = request.params;
      return moduleChange(
        request,
        request.params.id,
        (content) => {
          const source = moduleHtml(content.html, moduleId);
          if (!source) return undefined;
          const index = moduleIds(content).indexOf(moduleId) + 1;
          return insertModule(
            content,
            { html: source, copyValuesFrom: content },
            { index, name: input.name, suffix: request.ctx.ids.uuid() },
          );
        },
        moduleId,
      );
    },
  );

  app.post(
    '/rest/asset/v1/email/:id/content/:moduleId/rename.json',
    {
      config: { permissions: WRITE },
      schema: moduleSchema('Rename Email Module', 'Its name becomes `name`.', nameParams),
    },
    async (request) => {
      const input = writeParams(nameParams, request);
      const { moduleId } = request.params;
      return moduleChange(
        request,
        request.params.id,
        (content) =>
          moduleIds(content).includes(moduleId)
            ? { ...content, moduleNames: { ...content.moduleNames, [moduleId]: input.name } }
            : undefined,
        moduleId,
      );
    },
  );

  app.post(
    '/rest/asset/v1/email/:id/content/rearrange.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Rearrange Email Modules',
        description: '`positions`: [{"index":0,"moduleId":"…"}, …], naming every module once.',
        params: idParams,
        body: formBody(positionsParams),
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const input = writeParams(positionsParams, request);
      const order = [...input.positions].sort((a, b) => a.index - b.index).map((position) => position.moduleId);
      return editEmail(request, request.params.id, ({ fields, content }, row) => {
        const next = rearrangeModules(content, order);
        if (!next)
          throw businessRule(DETAIL_MESSAGES.badModulePositions, `Email ${row.id}`, moduleIds(content).join(', '));
        return { fields, content: next };
      });
    },
  );

  // Variables --------------------------------------------------------------------------------------------------------

  const variableRecord = (variable: EmailContent['variables'][number]) => ({
    name: variable.name,
    value: variable.value,
    moduleScope: variable.moduleId !== undefined,
    ...(variable.moduleId !== undefined ? { moduleId: variable.moduleId } : {}),
  });

  app.get(
    '/rest/asset/v1/email/:id/variables.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Email Variables',
        description: 'The email’s variables (mktoString, mktoColor … meta elements), then each module’s own.',
        params: idParams,
        response: { 200: variableEnvelope },
      },
    },
    async (request) => {
      const found = shown(request, request.params.id);
      return assetEnvelope(
        request.marketoRequestId(),
        found ? found.version.content.variables.map(variableRecord) : [],
      );
    },
  );

  app.post(
    '/rest/asset/v1/email/:id/variable/:name.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Email Variable',
        description: '`value`, and `moduleId` for a module’s own variable; in the draft.',
        params: variablePath,
        body: formBody(variableParams),
        response: { 200: variableEnvelope },
      },
    },
    async (request) => {
      const input = writeParams(variableParams, request);
      const { name } = request.params;
      let updated: EmailContent['variables'][number] | undefined;
      editEmail(request, request.params.id, ({ fields, content }, row) => {
        const at = content.variables.findIndex(
          (variable) => variable.name === name && variable.moduleId === (input.moduleId || undefined),
        );
        if (at < 0) {
          throw new MarketoError(
            '702',
            formatMessage(
              DETAIL_MESSAGES.sectionNotFound,
              input.moduleId ? `${input.moduleId}.${name}` : name,
              `Email ${row.id}`,
            ),
          );
        }
        const variables = [...content.variables];
        updated = { ...variables[at]!, value: input.value };
        variables[at] = updated;
        return { fields, content: { ...content, variables } };
      });
      return assetEnvelope(request.marketoRequestId(), [variableRecord(updated!)]);
    },
  );

  // Full content, clone, send sample ---------------------------------------------------------------------------------

  /** The email rendered as sent: sections and variables in place, snippets embedded, tokens filled. */
  const render = (request: FastifyRequest, row: Row, content: EmailContent, leadId: number | undefined) => {
    const emails = repo(request);
    const my = request.ctx
      .port('assetTokens')
      .tokensFor(row.programId !== null ? { programId: row.programId } : { folderId: row.folderId! });
    let lead: TokenSources['lead'];
    if (leadId !== undefined) {
      const leads = request.ctx.port('leads');
      const found = leads.find(leadId);
      if (!found) throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, 'Lead', leadId));
      lead = { lead: found, catalog: leads.catalog() };
    }
    const tokens = (text: string) => fillTokens(text, { my, lead });
    const context = { snippet: (id: number) => emails.snippets.rendered(id), tokens };
    const header = (field: HeaderField | null) => {
      if (!field) return '';
      if (field.type === 'Text') return tokens(field.value);
      return tokens(content.dynamicContent.find((dynamic) => dynamic.id === field.value)?.default ?? '');
    };
    return { html: () => renderHtml(content, context), text: () => renderText(content, context), header };
  };

  app.get(
    '/rest/asset/v1/email/:id/fullContent.json',
    {
      config: {
        permissions: READ,
        permissionsWhen: { parameter: 'leadId', permissions: ['read-only-lead', 'read-write-lead'] },
      },
      schema: {
        tags,
        summary: 'Get Email Full Content',
        description:
          'The email as sent (`type` HTML or Text), of `status` (default: approved if approved, else the draft); ' +
          'with `leadId`, as that lead would get it (tokens filled; needs Read-Only Lead where the lead is). ' +
          'Dynamic content shows its Default content: segment rules are not modelled.',
        params: idParams,
        querystring: fullContentQuery,
        response: { 200: fullContentEnvelope },
      },
    },
    async (request) => {
      const { status, leadId, type } = request.query;
      const found = shown(request, request.params.id, status);
      if (!found) return assetEnvelope(request.marketoRequestId(), []);
      if (leadId !== undefined) {
        const lead = request.ctx.port('leads').find(leadId);
        if (lead && !request.access.canRead(lead.partitionId, 'lead'))
          throw new MarketoError('603', marketoMessage('603'));
      }
      const rendered = render(request, found.row, found.version.content, leadId);
      return assetEnvelope(request.marketoRequestId(), [
        {
          id: found.row.id,
          status: found.version.status,
          content: type === 'Text' ? rendered.text() : rendered.html(),
        },
      ]);
    },
  );

  app.post(
    '/rest/asset/v1/email/:id/fullContent.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Email Full Content',
        description:
          'multipart/form-data `content`: the email’s whole HTML, stored as given, its sections read from it. Only ' +
          'for an email no longer linked to its template and without dynamic content; no <script> (email.md).',
        params: idParams,
        body: formBody(fullContentParams),
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const input = writeParams(fullContentParams, request);
      return editEmail(request, request.params.id, ({ fields, content }, row) => {
        if (fields.template !== null)
          throw businessRule(DETAIL_MESSAGES.linkedToTemplate, `Email ${row.id}`, fields.template);
        if (content.dynamicContent.length > 0)
          throw businessRule(DETAIL_MESSAGES.fullContentDynamic, `Email ${row.id}`);
        if (/<script[\s>]/i.test(input.content)) throw businessRule(DETAIL_MESSAGES.scriptInHtml, `Email ${row.id}`);
        return { fields, content: contentOf(input.content) };
      });
    },
  );

  app.post(
    '/rest/asset/v1/email/:id/clone.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Clone Email',
        description:
          '`name`, `folder`, `description`, `operational`: the approved version, else the draft, as a new draft.',
        params: idParams,
        body: formBody(cloneParams),
        response: { 200: emailEnvelope },
      },
    },
    async (request) => {
      const emails = repo(request);
      const input = writeParams(cloneParams, request);
      const id = cloneDraft(request, emails, EMAIL_PLACES, request.params.id, input, (fields) => ({
        ...fields,
        ...(input.operational !== undefined ? { operational: input.operational } : {}),
      }));
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, emails.rows.find(id)));
    },
  );

  app.post(
    '/rest/asset/v1/email/:id/sendSample.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Send Sample Email',
        description:
          '`emailAddress`, `leadId` (tokens as that lead), `textOnly`. Nothing leaves the machine: the rendered ' +
          'message (its draft if it has one, else its approved version) goes to GET /admin/outbox.',
        params: idParams,
        body: formBody(sampleParams),
        response: { 200: sampleEnvelope },
      },
    },
    async (request) => {
      const emails = repo(request);
      const input = writeParams(sampleParams, request);
      const row = writableRow(emails.rows, scopeOf(request), request.params.id);
      const version = emails.machine.latest(row.id)!;
      const rendered = render(request, row, version.content, input.leadId);
      const textOnly = input.textOnly ?? false;
      emails.outbox.add({
        sentAt: request.ctx.clock.now(),
        emailId: row.id,
        emailName: row.name,
        status: version.status,
        to: input.emailAddress,
        from: { name: rendered.header(version.fields.fromName), email: rendered.header(version.fields.fromEmail) },
        replyTo: rendered.header(version.fields.replyEmail),
        subject: rendered.header(version.fields.subject),
        html: textOnly ? null : rendered.html(),
        text: rendered.text(),
        leadId: input.leadId ?? null,
        kind: 'sample',
      });
      return assetEnvelope(request.marketoRequestId(), [{ service: 'sendTestEmail' as const, result: true }]);
    },
  );

  registerApprovalRoutes(app, {
    path: 'email',
    tags,
    label: 'Email',
    rows: (request) => repo(request).rows,
    machine: (request) => repo(request).machine,
  });

  // An email template's users are emails: the route lives here, where both are known.
  app.get(
    '/rest/asset/v1/emailTemplates/:id/usedBy.json',
    {
      config: { permissions: READ },
      schema: {
        tags: ['Marketo: Email Templates'],
        summary: 'Get Email Template Used By',
        description: 'The emails made from the template (any of their versions), by id; `offset`, `maxReturn`.',
        params: idParams,
        querystring: usedByQuery,
        response: { 200: usedByEnvelope },
      },
    },
    async (request) => {
      const emails = repo(request);
      const scope = scopeOf(request);
      const template = visibleRow(emails.templates.rows, scope, request.params.id);
      if (!template) return assetEnvelope(request.marketoRequestId(), []);
      const { offset, maxReturn } = request.query;
      const users = emails.templates.machine
        .usedBy(template.id)
        .filter((use) => use.user.type === 'Email')
        .map((use) => emails.rows.find(use.user.id))
        .filter((row): row is Row => row !== undefined && canSee(scope, row.workspaceId))
        .sort((a, b) => a.id - b.id);
      return assetEnvelope(
        request.marketoRequestId(),
        users.slice(offset, offset + maxReturn).map((row) => {
          const version = emails.machine.shown(row.id)!;
          return {
            id: row.id,
            name: row.name,
            type: 'Email',
            status: version.status,
            updatedAt: formatAssetDatetime(Math.max(row.updatedAt, version.updatedAt)),
          };
        }),
      );
    },
  );
};
