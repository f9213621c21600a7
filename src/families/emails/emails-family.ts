import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { seedId } from '../../domain/record-ids.js';
import type { Version, VersionStatus } from '../../engines/assets/approval.js';
import { defineFamily, type FamilyRouteOptions, type SeedLoadContext } from '../../family.js';
import { contentOf, editorVersion, type EmailContent, type HeaderField, type Section } from './content.js';
import { defaultEmailFields, emailRoutes } from './emails.js';
import { EmailRepository, type EmailVersionFields } from './repositories.js';
import { fragments } from './fragments.js';
import { snippets } from './snippets.js';
import { v2Routes } from './v2.js';
import { EMAIL_PLACES, iso, insertSeedRow, rowSnapshot, seedTime } from './support.js';
import { placeSeed, seedPlaces } from '../../engines/assets/seed-places.js';
import { assetDescription, assetName, emailTemplates } from './templates.js';

/**
 * Emails (issue 28): every v1 Asset API email operation (emails.ts), their versions on the approval machine, and the
 * outbox of samples (GET and DELETE /admin/outbox). In a seed an email names its place, its template (by id or name)
 * and its versions: the settings and headers, and either sections by htmlId over the template's HTML, its own
 * `html`, or the whole `content` as a snapshot writes it.
 */

const header = z
  .union([z.string(), z.strictObject({ type: z.enum(['Text', 'DynamicContent']), value: z.string() })])
  .nullable();
const sectionSchema = z.strictObject({
  htmlId: z.string(),
  contentType: z.enum(['Text', 'Snippet', 'DynamicContent', 'Image', 'Video']),
  html: z.string(),
  text: z.string().nullable(),
  snippetId: seedId.optional(),
  dynamicContentId: z.string().optional(),
  properties: z.record(z.string(), z.string()).optional(),
});
const contentSchema = z.strictObject({
  html: z.string(),
  sections: z.array(sectionSchema),
  dynamicContent: z.array(
    z.strictObject({
      id: z.string(),
      segmentationId: z.number().int(),
      default: z.string(),
      createdAt: z.number(),
      updatedAt: z.number(),
      variations: z.array(
        z.strictObject({ segmentId: z.number().int(), segmentName: z.string(), type: z.string(), content: z.string() }),
      ),
    }),
  ),
  variables: z.array(z.strictObject({ name: z.string(), value: z.string(), moduleId: z.string().optional() })),
  moduleNames: z.record(z.string(), z.string()),
  nextDynamicId: z.number().int(),
  text: z.string().nullable().optional(),
});
/** What the v2 API sets on an email that v1 has no field for (repositories.ts, EmailDesigner). */
const designerSchema = z.strictObject({
  ccEmails: z.array(z.string()),
  enableUrlTracking: z.boolean(),
  brandedDomain: z.string().nullable(),
  dedicatedIp: z.string().nullable(),
  editorType: z.string().nullable(),
  dynamicContent: z.record(z.string(), z.unknown()).nullable(),
});
const versionSeed = z.strictObject({
  template: z.number().int().positive().nullable().optional().describe('Overrides the email’s template'),
  subject: header.optional(),
  fromName: header.optional(),
  fromEmail: header.optional(),
  replyEmail: header.optional(),
  operational: z.boolean().optional(),
  textOnly: z.boolean().optional(),
  webView: z.boolean().optional(),
  publishToMSI: z.boolean().optional(),
  autoCopyToText: z.boolean().optional(),
  isOpenTrackingDisabled: z.boolean().optional(),
  preHeader: z.string().max(1024).nullable().optional(),
  ccFields: z
    .array(
      z.strictObject({
        attributeId: z.string(),
        objectName: z.string(),
        displayName: z.string(),
        apiName: z.string().nullable(),
      }),
    )
    .nullable()
    .optional(),
  html: z.string().optional().describe('The email’s own HTML (else its template’s)'),
  sections: z
    .record(
      z.string(),
      z.union([
        z.string(),
        z.strictObject({ html: z.string(), text: z.string().optional() }),
        z.strictObject({ snippet: seedId }),
      ]),
    )
    .optional()
    .describe('By htmlId: its HTML, {html, text}, or {snippet: id}'),
  content: contentSchema.optional().describe('The whole content, as a snapshot writes it'),
  designer: designerSchema.optional().describe('Settings the v2 API set'),
  createdAt: seedTime,
  updatedAt: seedTime,
});
const emailSeed = z.strictObject({
  id: seedId.optional(),
  name: assetName,
  description: assetDescription.optional(),
  ...placeSeed,
  template: z
    .union([z.number().int().positive(), z.string().min(1)])
    .nullable()
    .optional(),
  createdAt: seedTime,
  updatedAt: seedTime,
  approved: versionSeed.optional(),
  draft: versionSeed.optional(),
});
type EmailSeed = z.infer<typeof emailSeed>;
type VersionSeed = z.infer<typeof versionSeed>;

const headerOf = (value: z.infer<typeof header> | undefined, fallback: HeaderField | null): HeaderField | null =>
  value === undefined ? fallback : typeof value === 'string' ? { type: 'Text', value } : value;

function loadEmails(repo: EmailRepository, items: readonly EmailSeed[], context: SeedLoadContext): void {
  const placeOf = seedPlaces(context, EMAIL_PLACES);
  items.forEach((item, i) => {
    const path = `[${i}]`;
    if (!item.approved && !item.draft) context.fail(path, 'an email has an approved version, a draft or both');
    const place = placeOf(item, path);
    let templateId: number | null = null;
    if (item.template !== undefined && item.template !== null) {
      const found =
        typeof item.template === 'number'
          ? repo.templates.rows.find(item.template)
          : repo.templates.rows.byName(item.template)[0];
      if (!found) context.fail(`${path}.template`, `no email template ${JSON.stringify(item.template)}`);
      templateId = found!.id;
    }
    const { id, createdAt } = insertSeedRow(repo.rows, item, place, context, path);
    for (const status of ['approved', 'draft'] as const) {
      const seed = item[status];
      if (seed)
        repo.machine.restore(id, versionOf(repo, status, seed, templateId, createdAt, `${path}.${status}`, context));
    }
  });
}

function versionOf(
  repo: EmailRepository,
  status: VersionStatus,
  seed: VersionSeed,
  itemTemplate: number | null,
  created: number,
  path: string,
  context: SeedLoadContext,
): Version<EmailVersionFields, EmailContent> {
  const template = seed.template !== undefined ? seed.template : itemTemplate;
  let content: EmailContent;
  if (seed.content) {
    content = seed.content as EmailContent;
  } else {
    const html = seed.html ?? (template !== null ? repo.templates.machine.shown(template)?.content.html : undefined);
    if (html === undefined) context.fail(path, 'an email without a template needs its own html');
    content = contentOf(html!);
    for (const [htmlId, value] of Object.entries(seed.sections ?? {})) {
      const at = content.sections.findIndex((section) => section.htmlId === htmlId);
      if (at < 0) context.fail(`${path}.sections.${htmlId}`, `the email's HTML has no editable section "${htmlId}"`);
      let section: Section;
      if (typeof value === 'string') section = { htmlId, contentType: 'Text', html: value, text: null };
      else if ('snippet' in value) {
        if (!repo.snippets.rows.find(value.snippet))
          context.fail(`${path}.sections.${htmlId}`, `no snippet ${value.snippet}`);
        section = { htmlId, contentType: 'Snippet', html: '', text: null, snippetId: value.snippet };
      } else section = { htmlId, contentType: 'Text', html: value.html, text: value.text ?? null };
      content.sections[at] = section;
    }
  }
  const defaults = defaultEmailFields();
  const fields: EmailVersionFields = {
    subject: headerOf(seed.subject, defaults.subject),
    fromName: headerOf(seed.fromName, null),
    fromEmail: headerOf(seed.fromEmail, null),
    replyEmail: headerOf(seed.replyEmail, null),
    operational: seed.operational ?? defaults.operational,
    textOnly: seed.textOnly ?? defaults.textOnly,
    webView: seed.webView ?? defaults.webView,
    publishToMSI: seed.publishToMSI ?? defaults.publishToMSI,
    autoCopyToText: seed.autoCopyToText ?? defaults.autoCopyToText,
    isOpenTrackingDisabled: seed.isOpenTrackingDisabled ?? defaults.isOpenTrackingDisabled,
    preHeader: seed.preHeader ?? null,
    ccFields: seed.ccFields ?? null,
    template,
    version: editorVersion(content.html),
    ...(seed.designer ? { designer: seed.designer } : {}),
  };
  const createdAt = context.time(seed.createdAt, created);
  return { status, fields, content, createdAt, updatedAt: context.time(seed.updatedAt, createdAt) };
}

function snapshotEmails(repo: EmailRepository): EmailSeed[] {
  return repo.rows.all().map((row): EmailSeed => {
    const { approved, draft } = repo.machine.versions(row.id);
    const seedOf = ({
      fields,
      content,
      createdAt,
      updatedAt,
    }: Version<EmailVersionFields, EmailContent>): VersionSeed => ({
      template: fields.template,
      subject: fields.subject,
      fromName: fields.fromName,
      fromEmail: fields.fromEmail,
      replyEmail: fields.replyEmail,
      operational: fields.operational,
      textOnly: fields.textOnly,
      webView: fields.webView,
      publishToMSI: fields.publishToMSI,
      autoCopyToText: fields.autoCopyToText,
      isOpenTrackingDisabled: fields.isOpenTrackingDisabled,
      preHeader: fields.preHeader,
      ccFields: fields.ccFields,
      content,
      ...(fields.designer ? { designer: fields.designer } : {}),
      createdAt: iso(createdAt),
      updatedAt: iso(updatedAt),
    });
    return {
      ...rowSnapshot(row),
      ...(approved ? { approved: seedOf(approved) } : {}),
      ...(draft ? { draft: seedOf(draft) } : {}),
    };
  });
}

// The outbox ---------------------------------------------------------------------------------------------------------

const outboxMessage = z
  .object({
    id: z.number().int(),
    sentAt: z.string(),
    emailId: z.number().int(),
    emailName: z.string(),
    status: z.enum(['approved', 'draft']),
    to: z.string(),
    from: z.object({ name: z.string(), email: z.string() }),
    replyTo: z.string(),
    subject: z.string(),
    html: z.string().nullable(),
    text: z.string(),
    leadId: z.number().int().nullable(),
    kind: z.literal('sample'),
  })
  .meta({ id: 'OutboxMessage' });

const outboxRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<EmailRepository>> = async (app, { repo }) => {
  const tags = ['Admin: Test harness'];
  app.get(
    '/outbox',
    {
      schema: {
        tags,
        summary: 'What sendSample would have sent',
        description:
          'Newest first: to, from, reply-to, subject, and the rendered HTML and text with {{my.…}} and {{lead.…}} ' +
          'tokens filled. Kept in memory, at most 16 MiB and 1,000 messages (the oldest go first); reset empties it.',
        response: { 200: z.object({ items: z.array(outboxMessage) }) },
      },
    },
    async (request) => ({
      items: repo(request)
        .outbox.list()
        .map((message) => ({ ...message, sentAt: new Date(message.sentAt).toISOString() })),
    }),
  );
  app.delete(
    '/outbox',
    { schema: { tags, summary: 'Empty the outbox', response: { 204: z.null().describe('Emptied') } } },
    async (request, reply) => {
      repo(request).outbox.clear();
      return reply.code(204).send(null);
    },
  );
};

export const emails = defineFamily({
  key: 'emails',
  tables: ['emails'],
  wireFormat: 'asset',
  repository: ({ db, clock, repo }) =>
    new EmailRepository(db, clock, repo(emailTemplates), repo(snippets), repo(fragments)),
  seed: {
    item: emailSeed as z.ZodType<EmailSeed>,
    load: loadEmails,
    snapshot: snapshotEmails,
    example: [
      {
        id: 900,
        name: 'March newsletter',
        folder: '/Design Studio/Contract',
        template: 'Newsletter',
        approved: {
          subject: 'News for {{lead.First Name}}',
          fromName: 'Ada',
          fromEmail: 'ada@example.com',
          replyEmail: 'replies@example.com',
          sections: { body: '<p>Spring is here</p>', footer: { snippet: 800 } },
        },
        draft: {
          subject: 'News, again',
          fromName: 'Ada',
          fromEmail: 'ada@example.com',
          replyEmail: 'replies@example.com',
        },
      },
    ],
  },
  reset: (repo) => repo.outbox.clear(),
  // v1's email routes, and every v2 route of the folder (emails, templates, fragments), which share these repositories.
  marketoRoutes: async (app, options) => {
    await emailRoutes(app, options);
    await v2Routes(app, options);
  },
  adminRoutes: outboxRoutes,
});
