import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage } from '../../domain/marketo-codes.js';
import type { AssetRef, Version, VersionStatus } from '../../engines/assets/approval.js';
import { assetDescription, assetName } from '../../engines/assets/asset-records.js';
import type { AssetRow, AssetRows } from '../../engines/assets/asset-rows.js';
import { businessRule, scopeOf } from '../../engines/assets/scope.js';
import {
  editorContextSchema,
  placeOfAppData,
  registerV2Routes,
  usedByItem,
  v2AppData,
  v2Common,
  v2DataInput,
  v2DataSchema,
  v2Id,
  v2RecordShape,
} from '../../engines/assets/v2.js';
import { visibleRow } from '../../engines/assets/versioned.js';
import type { FamilyRouteOptions } from '../../family.js';
import { contentOf, type EmailContent, type HeaderField, renderHtml, renderText } from './content.js';
import { defaultEmailFields } from './emails.js';
import { FRAGMENT_PLACES } from './fragments.js';
import {
  EMAIL,
  type EmailDesigner,
  type EmailRepository,
  type EmailVersionFields,
  FRAGMENT,
  type FragmentContent,
  type FragmentFields,
  SNIPPET,
  TEMPLATE,
  type TemplateContent,
  type TemplateFields,
  templateFieldsOf,
} from './repositories.js';
import { EMAIL_PLACES, TEMPLATE_PLACES } from './support.js';

/**
 * The v2 Asset API of the emails folder (issue 29): Emails (New), Email Templates (New) and Fragments (New), each
 * the eleven operations of src/engines/assets/v2.ts over the same rows and approval machine as v1, so that an email
 * or a template made through either API is the one the other shows. What v2 sets that v1 has no field for is kept
 * beside v1's fields (an email's `designer` settings, a text version of its own); README "Decisions" (Asset API v2).
 */

type Row = AssetRow<unknown>;

/** "Sending, the addresses": the checks v1 makes when an email is approved, here on what v2 takes. */
const address = z.string().trim().min(1).max(255);
const optionalText = z.string().max(255).optional();
/** EmailResponse.preHeader: "max 1024 characters". */
const MAX_PREHEADER = 1024;

const appDataInput = z.object({
  editorType: z.string().min(1).optional(),
  folderId: v2Id.optional(),
  workspaceId: v2Id.optional(),
});
const emailAppDataInput = appDataInput.extend({ programId: v2Id.optional() });
const headersShape = {
  fromEmail: optionalText,
  fromName: optionalText,
  replyEmail: optionalText,
  preheader: z.string().max(MAX_PREHEADER).optional(),
  ccEmails: z.array(address).max(20).optional(),
};
const emailSettingsInput = z.object({
  brandedDomain: z.string().max(255).optional(),
  dedicatedIp: z.string().max(64).optional(),
  enableUrlTracking: z.boolean().optional(),
  isOperational: z.boolean().optional(),
  isTextOnly: z.boolean().optional(),
  isWebPageView: z.boolean().optional(),
});
const createEmailBody = z.object({
  name: assetName,
  description: assetDescription.optional(),
  appData: emailAppDataInput,
  data: v2DataInput.optional(),
  headers: z.object({ subject: z.string().max(255), ...headersShape }),
  editorContext: editorContextSchema.optional(),
  settings: emailSettingsInput.optional(),
  templateId: v2Id.optional().describe("When given, the template's content replaces any `data` sent"),
});
const updateEmailBody = z
  .object({
    name: assetName.optional(),
    description: assetDescription.optional(),
    data: v2DataInput.optional(),
    headers: z.object({ subject: z.string().max(255).optional(), ...headersShape }).optional(),
    editorContext: editorContextSchema.optional(),
    settings: emailSettingsInput.optional(),
    templateId: v2Id.optional(),
  })
  .optional();

const createTemplateBody = z.object({
  name: assetName,
  description: assetDescription.optional(),
  appData: appDataInput,
  data: v2DataInput.optional(),
  editorContext: editorContextSchema.optional().describe('Accepted; a template record has none to show'),
});
const updateTemplateBody = z
  .object({
    name: assetName.optional(),
    description: assetDescription.optional(),
    data: v2DataInput.optional(),
    editorContext: editorContextSchema.optional().describe('Accepted; a template record has none to show'),
  })
  .optional();

const fragmentSettingsInput = z.object({
  fragmentType: z.string().trim().min(1),
  fragmentSubType: z.string().min(1).optional(),
  supportedChannels: z.array(z.string().trim().min(1)).min(1),
});
const createFragmentBody = z.object({
  name: assetName,
  description: assetDescription.optional(),
  appData: appDataInput,
  data: v2DataInput.optional(),
  editorContext: editorContextSchema.optional(),
  settings: fragmentSettingsInput,
});
const updateFragmentBody = z
  .object({
    name: assetName.optional(),
    description: assetDescription.optional(),
    data: v2DataInput.optional(),
    editorContext: editorContextSchema.optional(),
    settings: fragmentSettingsInput.partial().optional(),
  })
  .optional();

// Records ----------------------------------------------------------------------------------------------------------

const appDataSchema = z.object({
  editorType: z.string().optional(),
  workspaceId: z.string(),
  folderId: z.string().optional(),
});
const emailSummarySchema = z
  .object({
    ...v2RecordShape,
    headers: z.object({
      subject: z.string(),
      fromName: z.string().optional(),
      fromEmail: z.string().optional(),
      replyEmail: z.string().optional(),
      preheader: z.string().optional(),
      ccEmails: z.array(z.string()),
    }),
    settings: z.object({
      isOperational: z.boolean(),
      isWebPageView: z.boolean(),
      isTextOnly: z.boolean(),
      disableOpenTracking: z.boolean(),
      enableUrlTracking: z.boolean(),
    }),
    appData: appDataSchema.extend({ programId: z.string().optional(), programName: z.string().optional() }),
    templateId: z.string().optional(),
    editorContext: editorContextSchema.optional(),
  })
  .meta({ id: 'EmailV2' });
const emailDetailSchema = emailSummarySchema.extend({ data: v2DataSchema }).meta({ id: 'EmailV2Detail' });
const templateSummarySchema = z
  .object({ ...v2RecordShape, version: z.union([z.literal(1), z.literal(2)]), appData: appDataSchema })
  .meta({ id: 'EmailTemplateV2' });
const templateDetailSchema = templateSummarySchema.extend({ data: v2DataSchema }).meta({ id: 'EmailTemplateV2Detail' });
const fragmentSummarySchema = z
  .object({
    ...v2RecordShape,
    settings: z.object({
      fragmentType: z.string(),
      fragmentSubType: z.string().optional(),
      supportedChannels: z.array(z.string()),
    }),
    appData: appDataSchema,
    editorContext: editorContextSchema.optional(),
  })
  .meta({ id: 'FragmentV2' });
const fragmentDetailSchema = fragmentSummarySchema.extend({ data: v2DataSchema }).meta({ id: 'FragmentV2Detail' });

const headerValue = (field: HeaderField | null) => (field === null ? undefined : field.value);
const defined = <T extends Record<string, unknown>>(record: T) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== null)) as T;

const NO_DESIGNER: EmailDesigner = {
  ccEmails: [],
  enableUrlTracking: true,
  brandedDomain: null,
  dedicatedIp: null,
  editorType: null,
  dynamicContent: null,
};

function emailSummary(row: Row, version: Version<EmailVersionFields, unknown>, statuses: VersionStatus[]) {
  const { fields } = version;
  const designer = fields.designer ?? NO_DESIGNER;
  return {
    ...v2Common(row, version, statuses),
    headers: {
      subject: headerValue(fields.subject) ?? '',
      ...defined({
        fromName: headerValue(fields.fromName),
        fromEmail: headerValue(fields.fromEmail),
        replyEmail: headerValue(fields.replyEmail),
        preheader: fields.preHeader ?? undefined,
      }),
      ccEmails: designer.ccEmails,
    },
    settings: {
      isOperational: fields.operational,
      isWebPageView: fields.webView,
      isTextOnly: fields.textOnly,
      disableOpenTracking: fields.isOpenTrackingDisabled,
      enableUrlTracking: designer.enableUrlTracking,
    },
    appData: {
      ...defined({ editorType: designer.editorType ?? undefined }),
      ...v2AppData(row),
      ...(row.programId !== null ? { programId: String(row.programId), programName: row.folderName } : {}),
    },
    ...(fields.template !== null ? { templateId: String(fields.template) } : {}),
    ...(designer.dynamicContent !== null ? { editorContext: { dynamicContent: designer.dynamicContent } } : {}),
  };
}

function textData(text: string | null | undefined) {
  return typeof text === 'string' ? { text: { body: text, syncFromHtml: false } } : {};
}

/** The draft change a v2 write of `data` makes to an email: its own HTML (and text) from now on. */
function withData(
  content: EmailContent,
  data: z.infer<typeof v2DataInput> | undefined,
  asset: string,
): { content: EmailContent; unlinked: boolean } {
  let next = content;
  let unlinked = false;
  if (data?.html !== undefined) {
    if (content.dynamicContent.length > 0) throw businessRule(DETAIL_MESSAGES.fullContentDynamic, asset);
    if (/<script[\s>]/i.test(data.html.body)) throw businessRule(DETAIL_MESSAGES.scriptInHtml, asset);
    next = contentOf(data.html.body);
    unlinked = true;
  }
  if (data?.text !== undefined) {
    // syncFromHtml: the text follows the HTML's sections again.
    next = { ...next, text: data.text.syncFromHtml === true ? null : (data.text.body ?? next.text ?? null) };
  } else if (unlinked && content.text !== undefined) {
    next = { ...next, text: content.text };
  }
  return { content: next, unlinked };
}

function designerWith(
  current: EmailDesigner | undefined,
  input: {
    settings?: z.infer<typeof emailSettingsInput> | undefined;
    ccEmails?: string[] | undefined;
    editorType?: string | undefined;
    editorContext?: z.infer<typeof editorContextSchema> | undefined;
  },
): EmailDesigner | undefined {
  const changed =
    input.settings?.brandedDomain !== undefined ||
    input.settings?.dedicatedIp !== undefined ||
    input.settings?.enableUrlTracking !== undefined ||
    input.ccEmails !== undefined ||
    input.editorType !== undefined ||
    input.editorContext?.dynamicContent !== undefined;
  if (!changed) return current;
  const base = current ?? NO_DESIGNER;
  return {
    ccEmails: input.ccEmails ?? base.ccEmails,
    enableUrlTracking: input.settings?.enableUrlTracking ?? base.enableUrlTracking,
    brandedDomain: input.settings?.brandedDomain ?? base.brandedDomain,
    dedicatedIp: input.settings?.dedicatedIp ?? base.dedicatedIp,
    editorType: input.editorType ?? base.editorType,
    dynamicContent: input.editorContext?.dynamicContent ?? base.dynamicContent,
  };
}

const text = (value: string | undefined, fallback: HeaderField | null): HeaderField | null =>
  value === undefined ? fallback : { type: 'Text', value };

/** The v2 routes of emails, email templates and fragments; the emails family registers them. */
export const v2Routes: FastifyPluginAsyncZod<FamilyRouteOptions<EmailRepository>> = async (app, { repo }) => {
  /** What each type of the emails folder is, for usedBy's users. */
  const rowsOf = (request: FastifyRequest, type: string): AssetRows<unknown, unknown> | undefined => {
    const emails = repo(request);
    return (
      {
        [EMAIL]: emails.rows,
        [TEMPLATE]: emails.templates.rows,
        [SNIPPET]: emails.snippets.rows,
        [FRAGMENT]: emails.fragments.rows,
      } as Record<string, AssetRows<unknown, unknown>>
    )[type];
  };
  const user = (request: FastifyRequest, ref: AssetRef) => usedByItem(ref, rowsOf(request, ref.type), scopeOf(request));
  /** The email's HTML and text with its sections in place, snippets embedded, tokens left as written. */
  const dataOf = (request: FastifyRequest, content: EmailContent) => {
    const context = { snippet: (id: number) => repo(request).snippets.rendered(id), tokens: (value: string) => value };
    return {
      html: { body: renderHtml(content, context) },
      text: { body: renderText(content, context), syncFromHtml: typeof content.text !== 'string' },
    };
  };
  /** The template an email is made from: one the caller can read (702 else). */
  const templateFor = (request: FastifyRequest, id: number) => {
    const templates = repo(request).templates;
    const row = visibleRow(templates.rows, scopeOf(request), id);
    if (!row) throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, TEMPLATE, id));
    return { id: row.id, version: templates.machine.shown(row.id)! };
  };

  registerV2Routes(app, {
    segment: 'email',
    label: 'Email',
    plural: 'Emails',
    tags: ['Marketo: Emails v2'],
    ui: { access: 'Access Email', edit: 'Edit Email', approve: 'Approve Email', delete: 'Delete Email' },
    placement: EMAIL_PLACES,
    rows: (request) => repo(request).rows,
    machine: (request) => repo(request).machine,
    summarySchema: emailSummarySchema,
    detailSchema: emailDetailSchema,
    summary: (_request, row, version, statuses) => emailSummary(row, version, statuses),
    detail: (request, row, version, statuses) => ({
      ...emailSummary(row, version, statuses),
      data: dataOf(request, version.content),
    }),
    create: {
      body: createEmailBody,
      description:
        '`name`, `appData` (folderId, programId or workspaceId: its Design Studio folder), `headers` (subject ' +
        'required), `settings`, `data` (the HTML and text; the email’s own), `templateId` (its content replaces ' +
        '`data`), `editorContext`. A draft, the same email v1 shows.',
      place: (request, input) => placeOfAppData(request, input.appData, EMAIL_PLACES),
      version: (request, input) => {
        const defaults = defaultEmailFields();
        const template = input.templateId !== undefined ? templateFor(request, input.templateId) : undefined;
        const made = template
          ? { content: contentOf(template.version.content.html), unlinked: false }
          : withData(contentOf(''), input.data ?? { html: { body: '' } }, `Email '${input.name}'`);
        const html = made.content;
        const fields: EmailVersionFields = {
          ...defaults,
          subject: { type: 'Text', value: input.headers.subject },
          fromName: text(input.headers.fromName, null),
          fromEmail: text(input.headers.fromEmail, null),
          replyEmail: text(input.headers.replyEmail, null),
          preHeader: input.headers.preheader ?? null,
          operational: input.settings?.isOperational ?? defaults.operational,
          textOnly: input.settings?.isTextOnly ?? defaults.textOnly,
          webView: input.settings?.isWebPageView ?? defaults.webView,
          template: template ? template.id : null,
          version: template ? template.version.fields.version : templateFieldsOf(html.html).version,
        };
        const designer = designerWith(undefined, {
          settings: input.settings,
          ccEmails: input.headers.ccEmails,
          editorType: input.appData.editorType,
          editorContext: input.editorContext,
        });
        return { fields: designer ? { ...fields, designer } : fields, content: html };
      },
    },
    update: {
      body: updateEmailBody,
      description:
        '`name` and `description` are the asset’s; `headers`, `settings`, `data`, `editorContext` and ' +
        '`templateId` (its content replaces the email’s and `data`) change the draft, made from the approved ' +
        'version. `data.html` makes the HTML the email’s own (unlinked from its template; 709 with dynamic content).',
      rename: (input) => ({ name: input?.name, description: input?.description }),
      edit: (request, row, input) => {
        if (!input) return undefined;
        const changes = [input.data, input.headers, input.settings, input.editorContext, input.templateId];
        if (changes.every((value) => value === undefined)) return undefined;
        const template = input.templateId !== undefined ? templateFor(request, input.templateId) : undefined;
        return ({ fields, content }) => {
          const made = template
            ? { content: contentOf(template.version.content.html), unlinked: false }
            : withData(content, input.data, `Email ${row.id}`);
          const headers = input.headers;
          const designer = designerWith(fields.designer, {
            settings: input.settings,
            ccEmails: headers?.ccEmails,
            editorContext: input.editorContext,
          });
          const next: EmailVersionFields = {
            ...fields,
            subject: text(headers?.subject, fields.subject),
            fromName: text(headers?.fromName, fields.fromName),
            fromEmail: text(headers?.fromEmail, fields.fromEmail),
            replyEmail: text(headers?.replyEmail, fields.replyEmail),
            preHeader: headers?.preheader ?? fields.preHeader,
            operational: input.settings?.isOperational ?? fields.operational,
            textOnly: input.settings?.isTextOnly ?? fields.textOnly,
            webView: input.settings?.isWebPageView ?? fields.webView,
            template: template ? template.id : made.unlinked ? null : fields.template,
            version: template
              ? template.version.fields.version
              : made.unlinked
                ? templateFieldsOf(made.content.html).version
                : fields.version,
          };
          return { fields: designer ? { ...next, designer } : next, content: made.content };
        };
      },
    },
    filterField: { name: 'templateId', schema: v2Id.optional(), path: '$.template' },
    user,
  });

  const templateSummary = (row: Row, version: Version<TemplateFields, unknown>, statuses: VersionStatus[]) => ({
    ...v2Common(row, version, statuses),
    version: version.fields.version,
    appData: { ...defined({ editorType: version.fields.editorType ?? undefined }), ...v2AppData(row) },
  });
  const templateContentOf = (data: z.infer<typeof v2DataInput> | undefined, current: TemplateContent) => {
    const html = data?.html?.body ?? current.html;
    const textBody =
      data?.text === undefined
        ? current.text
        : data.text.syncFromHtml === true
          ? null
          : (data.text.body ?? current.text ?? null);
    return textBody === undefined || textBody === null ? { html } : { html, text: textBody };
  };

  registerV2Routes(app, {
    segment: 'emailtemplate',
    label: 'Email Template',
    plural: 'Email Templates',
    tags: ['Marketo: Email Templates v2'],
    ui: {
      access: 'Access Email Template',
      edit: 'Edit Email Template',
      approve: 'Approve Email Template',
      delete: 'Delete Email Template',
    },
    placement: TEMPLATE_PLACES,
    rows: (request) => repo(request).templates.rows,
    machine: (request) => repo(request).templates.machine,
    summarySchema: templateSummarySchema,
    detailSchema: templateDetailSchema,
    summary: (_request, row, version, statuses) => templateSummary(row, version, statuses),
    detail: (_request, row, version, statuses) => ({
      ...templateSummary(row, version, statuses),
      data: { html: { body: version.content.html }, ...textData(version.content.text) },
    }),
    create: {
      body: createTemplateBody,
      description:
        '`name`, `appData` (folderId or workspaceId: its Design Studio folder), `data.html.body` (the HTML, as ' +
        'stored), `data.text.body`. A draft, the same template v1 shows; approval needs a whole document with an ' +
        'editable section.',
      place: (request, input) => placeOfAppData(request, input.appData, TEMPLATE_PLACES),
      version: (_request, input) => {
        const content = templateContentOf(input.data, { html: '' });
        const fields = templateFieldsOf(content.html);
        return {
          fields: input.appData.editorType !== undefined ? { ...fields, editorType: input.appData.editorType } : fields,
          content,
        };
      },
    },
    update: {
      body: updateTemplateBody,
      description:
        '`name` and `description` are the asset’s; `data` replaces the HTML (and text) of the draft, made from the ' +
        'approved version.',
      rename: (input) => ({ name: input?.name, description: input?.description }),
      edit: (_request, _row, input) => {
        if (input?.data === undefined) return undefined;
        return ({ fields, content }) => {
          const next = templateContentOf(input.data, content);
          return { fields: { ...fields, ...templateFieldsOf(next.html) }, content: next };
        };
      },
    },
    user,
  });

  const fragmentSummary = (row: Row, version: Version<FragmentFields, unknown>, statuses: VersionStatus[]) => {
    const content = version.content as FragmentContent | undefined;
    return {
      ...v2Common(row, version, statuses),
      settings: {
        fragmentType: version.fields.fragmentType,
        ...defined({ fragmentSubType: version.fields.fragmentSubType ?? undefined }),
        supportedChannels: version.fields.supportedChannels,
      },
      appData: { ...defined({ editorType: version.fields.editorType ?? undefined }), ...v2AppData(row) },
      ...(content?.dynamicContent ? { editorContext: { dynamicContent: content.dynamicContent } } : {}),
    };
  };
  const fragmentContentOf = (
    input: { data?: z.infer<typeof v2DataInput> | undefined; editorContext?: z.infer<typeof editorContextSchema> },
    current: FragmentContent,
  ): FragmentContent => ({
    html: input.data?.html?.body ?? current.html,
    text:
      input.data?.text === undefined
        ? current.text
        : input.data.text.syncFromHtml === true
          ? null
          : (input.data.text.body ?? current.text),
    dynamicContent: input.editorContext?.dynamicContent ?? current.dynamicContent,
  });

  registerV2Routes(app, {
    segment: 'fragment',
    label: 'Fragment',
    plural: 'Fragments',
    tags: ['Marketo: Fragments v2'],
    ui: { access: 'Access Snippet', edit: 'Edit Snippet', approve: 'Approve Snippet', delete: 'Delete Snippet' },
    placement: FRAGMENT_PLACES,
    rows: (request) => repo(request).fragments.rows,
    machine: (request) => repo(request).fragments.machine,
    summarySchema: fragmentSummarySchema,
    detailSchema: fragmentDetailSchema,
    // A browse row carries no content: the filter's items show no editorContext (Get by Id does).
    summary: (_request, row, version, statuses) => fragmentSummary(row, version, statuses),
    detail: (_request, row, version, statuses) => ({
      ...fragmentSummary(row, version, statuses),
      data: { html: { body: version.content.html }, ...textData(version.content.text) },
    }),
    create: {
      body: createFragmentBody,
      description:
        '`name`, `appData` (folderId or workspaceId: its Design Studio folder), `settings` (fragmentType and ' +
        'supportedChannels required), `data`, `editorContext`. A draft; approval needs HTML.',
      place: (request, input) => placeOfAppData(request, input.appData, FRAGMENT_PLACES),
      version: (_request, input) => ({
        fields: {
          fragmentType: input.settings.fragmentType,
          fragmentSubType: input.settings.fragmentSubType ?? null,
          supportedChannels: input.settings.supportedChannels,
          editorType: input.appData.editorType ?? null,
        },
        content: fragmentContentOf(input, { html: '', text: null, dynamicContent: null }),
      }),
    },
    update: {
      body: updateFragmentBody,
      description:
        '`name` and `description` are the asset’s; `settings`, `data` and `editorContext` change the draft, made ' +
        'from the approved version.',
      rename: (input) => ({ name: input?.name, description: input?.description }),
      edit: (_request, _row, input) => {
        if (!input || (input.data === undefined && input.settings === undefined && input.editorContext === undefined))
          return undefined;
        return ({ fields, content }) => ({
          fields: {
            ...fields,
            ...(input.settings?.fragmentType !== undefined ? { fragmentType: input.settings.fragmentType } : {}),
            ...(input.settings?.fragmentSubType !== undefined
              ? { fragmentSubType: input.settings.fragmentSubType }
              : {}),
            ...(input.settings?.supportedChannels !== undefined
              ? { supportedChannels: input.settings.supportedChannels }
              : {}),
          },
          content: fragmentContentOf(input, content),
        });
      },
    },
    filterField: { name: 'fragmentType', schema: z.string().min(1).optional(), path: '$.fragmentType' },
    user,
  });
};
