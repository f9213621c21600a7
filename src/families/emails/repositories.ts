import type { Clock } from '../../clock.js';
import { ApprovalMachine, type AssetKind, type AssetRef, type Version } from '../../engines/assets/approval.js';
import { AssetRows } from '../../engines/assets/asset-rows.js';
import { textOf } from '../../engines/assets/html.js';
import { SqliteVersionStore } from '../../engines/assets/version-store.js';
import type { Database } from '../../storage/database.js';
import type { EmailContent, EmailFields, HeaderField, Variation } from './content.js';
import { editorVersion, hasEditableSection } from './content.js';
import { Outbox } from './outbox.js';

/**
 * The three asset types of the emails folder, each an asset row (src/engines/assets/asset-rows.ts) and an approval
 * machine with its own rules: what a template, a snippet and an email need to be approved, and what each uses.
 */

export const TEMPLATE = 'Email Template';
export const SNIPPET = 'Snippet';
export const EMAIL = 'Email';
export const FRAGMENT = 'Fragment';

// Email templates ---------------------------------------------------------------------------------------------------

/** A template version's record fields: its editor version (1 or 2), read from its HTML. */
export interface TemplateFields {
  version: 1 | 2;
  /** The new email designer's editor, when a v2 call named one (appData.editorType). */
  editorType?: string | null;
}
export interface TemplateContent {
  html: string;
  /** A text version set through v2 (`data.text.body`); absent or null: none. */
  text?: string | null;
}

/** Email templates are HTML documents "with at least one editable section" (email-templates.md). */
export const templateKind: AssetKind<TemplateFields, TemplateContent> = {
  type: TEMPLATE,
  approvalProblems: ({ content }) => {
    if (content.html.trim() === '') return ['its HTML is empty'];
    const problems: string[] = [];
    if (!/<html[\s>]/i.test(content.html) || !/<\/html\s*>/i.test(content.html)) {
      problems.push('its HTML is not a whole document (<html>…</html>)');
    }
    if (!hasEditableSection(content.html)) {
      problems.push('its HTML has no editable section (an element with class mktEditable, mktoText or mktoModule)');
    }
    if (/<script[\s>]/i.test(content.html)) problems.push('its HTML holds a <script> element');
    return problems;
  },
  uses: () => [],
};

export const templateFieldsOf = (html: string): TemplateFields => ({ version: editorVersion(html) });

export class TemplateRepository {
  readonly rows: AssetRows<Record<string, never>, TemplateFields>;
  readonly machine: ApprovalMachine<TemplateFields, TemplateContent>;

  constructor(db: Database, clock: Clock) {
    this.rows = new AssetRows(db, clock, 'email_templates', TEMPLATE);
    this.machine = new ApprovalMachine(templateKind, new SqliteVersionStore(db), clock);
  }
}

// Snippets ----------------------------------------------------------------------------------------------------------

export interface SnippetDynamic {
  segmentationId: number;
  createdAt: number;
  updatedAt: number;
  variations: Variation[];
}

export interface SnippetContent {
  /** HTML content, or the Default segment's when dynamic. */
  html: string | null;
  text: string | null;
  dynamic: SnippetDynamic | null;
}

export const snippetKind: AssetKind<Record<string, never>, SnippetContent> = {
  type: SNIPPET,
  // Decision (README): a snippet needs content (HTML or dynamic content) to be approved.
  approvalProblems: ({ content }) =>
    content.dynamic === null && (content.html === null || content.html.trim() === '') ? ['it has no content'] : [],
  uses: () => [],
};

export class SnippetRepository {
  readonly rows: AssetRows<Record<string, never>, Record<string, never>>;
  readonly machine: ApprovalMachine<Record<string, never>, SnippetContent>;

  constructor(db: Database, clock: Clock) {
    this.rows = new AssetRows(db, clock, 'snippets', SNIPPET);
    this.machine = new ApprovalMachine(snippetKind, new SqliteVersionStore(db), clock);
  }

  /** A snippet as an email shows it: its approved version, else its draft. */
  rendered(id: number): { html: string; text: string } | undefined {
    const version = this.machine.shown(id);
    if (!version) return undefined;
    const html = version.content.html ?? '';
    return { html, text: version.content.text ?? textOf(html) };
  }
}

// Fragments -------------------------------------------------------------------------------------------------------

/** A fragment version's record fields (FragmentSettingsDTO, and the editor a v2 call named). */
export interface FragmentFields {
  fragmentType: string;
  fragmentSubType: string | null;
  supportedChannels: string[];
  editorType: string | null;
}
export interface FragmentContent {
  html: string;
  text: string | null;
  dynamicContent: Record<string, unknown> | null;
}

export const fragmentKind: AssetKind<FragmentFields, FragmentContent> = {
  type: FRAGMENT,
  // Decision (README): like a snippet, a fragment needs content to be approved.
  approvalProblems: ({ content }) => (content.html.trim() === '' ? ['it has no content'] : []),
  uses: () => [],
};

export class FragmentRepository {
  readonly rows: AssetRows<Record<string, never>, FragmentFields>;
  readonly machine: ApprovalMachine<FragmentFields, FragmentContent>;

  constructor(db: Database, clock: Clock) {
    this.rows = new AssetRows(db, clock, 'fragments', FRAGMENT);
    this.machine = new ApprovalMachine(fragmentKind, new SqliteVersionStore(db), clock);
  }
}

// Emails ------------------------------------------------------------------------------------------------------------

/** What the v2 API (the new email designer) sets on an email that v1 has no field for. */
export interface EmailDesigner {
  ccEmails: string[];
  enableUrlTracking: boolean;
  brandedDomain: string | null;
  dedicatedIp: string | null;
  editorType: string | null;
  dynamicContent: Record<string, unknown> | null;
}

/** An email version's record fields, and the template it was made from (null once its HTML is its own). */
export interface EmailVersionFields extends EmailFields {
  template: number | null;
  version: 1 | 2;
  /** Present once a v2 call set one of its settings. */
  designer?: EmailDesigner;
}

const filled = (field: HeaderField | null) => field !== null && field.value.trim() !== '';
const ADDRESS = /^[^\s@]+@[^\s@]+$|\{\{[^}]+\}\}/;

/**
 * email.md "Approve": "The from name, from email, reply to email, and subject must be populated before the email can
 * be approved"; the addresses, when text, must look like addresses (a token stands for one).
 */
export function emailApprovalProblems({ fields }: Version<EmailVersionFields, EmailContent>): string[] {
  const problems: string[] = [];
  for (const [key, label] of [
    ['subject', 'subject'],
    ['fromName', 'from name'],
    ['fromEmail', 'from address'],
    ['replyEmail', 'reply-to address'],
  ] as const) {
    if (!filled(fields[key])) problems.push(`it has no ${label}`);
  }
  for (const [key, label] of [
    ['fromEmail', 'from address'],
    ['replyEmail', 'reply-to address'],
  ] as const) {
    const field = fields[key];
    if (filled(field) && field!.type === 'Text' && !ADDRESS.test(field!.value.trim())) {
      problems.push(`its ${label} '${field!.value}' is not an email address`);
    }
  }
  return problems;
}

/** An email uses its template and the snippets of its sections. */
export function emailUses({ fields, content }: Version<EmailVersionFields, EmailContent>): AssetRef[] {
  const uses: AssetRef[] = fields.template !== null ? [{ type: TEMPLATE, id: fields.template }] : [];
  for (const section of content.sections) {
    if (section.contentType === 'Snippet' && section.snippetId !== undefined) {
      uses.push({ type: SNIPPET, id: section.snippetId });
    }
  }
  return uses;
}

export const emailKind: AssetKind<EmailVersionFields, EmailContent> = {
  type: EMAIL,
  approvalProblems: emailApprovalProblems,
  uses: emailUses,
};

export class EmailRepository {
  readonly rows: AssetRows<Record<string, never>, EmailVersionFields>;
  readonly machine: ApprovalMachine<EmailVersionFields, EmailContent>;
  readonly outbox = new Outbox();

  constructor(
    db: Database,
    clock: Clock,
    readonly templates: TemplateRepository,
    readonly snippets: SnippetRepository,
    readonly fragments: FragmentRepository,
  ) {
    this.rows = new AssetRows(db, clock, 'emails', EMAIL);
    this.machine = new ApprovalMachine(emailKind, new SqliteVersionStore(db), clock);
  }
}
