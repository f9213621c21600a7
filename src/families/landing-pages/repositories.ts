import type { Clock } from '../../clock.js';
import { ApprovalMachine, type AssetKind, type AssetRef } from '../../engines/assets/approval.js';
import { AssetRows } from '../../engines/assets/asset-rows.js';
import { classesOf, type HtmlElement, innerHtml, parseElements, splice } from '../../engines/assets/html.js';
import { SqliteVersionStore } from '../../engines/assets/version-store.js';
import type { Database } from '../../storage/database.js';

/**
 * Landing page templates and landing pages (landing-page-templates.md, landing-pages.md), each an asset row and an
 * approval machine: a page uses its template and the snippets and forms of its sections, so it is approved only when
 * they are, and they cannot be unapproved or deleted while an approved page uses them.
 */

export const LP_TEMPLATE = 'Landing Page Template';
export const LANDING_PAGE = 'Landing Page';
export const SNIPPET = 'Snippet';
export const FORM = 'Form';

// Templates ---------------------------------------------------------------------------------------------------------

export type TemplateType = 'guided' | 'freeForm';

export interface LpTemplateFields {
  templateType: TemplateType;
  enableMunchkin: boolean;
}
export interface LpTemplateContent {
  html: string;
}

/** Decision (README): a template is approved when its HTML is a whole document (<html>…</html>). */
export const lpTemplateKind: AssetKind<LpTemplateFields, LpTemplateContent> = {
  type: LP_TEMPLATE,
  approvalProblems: ({ content }) => {
    if (content.html.trim() === '') return ['its HTML is empty'];
    return /<html[\s>]/i.test(content.html) && /<\/html\s*>/i.test(content.html)
      ? []
      : ['its HTML is not a whole document (<html>…</html>)'];
  },
  uses: () => [],
};

export class LpTemplateRepository {
  readonly rows: AssetRows<Record<string, never>, LpTemplateFields>;
  readonly machine: ApprovalMachine<LpTemplateFields, LpTemplateContent>;

  constructor(db: Database, clock: Clock) {
    this.rows = new AssetRows(db, clock, 'landing_page_templates', LP_TEMPLATE);
    this.machine = new ApprovalMachine(lpTemplateKind, new SqliteVersionStore(db), clock);
  }
}

// Landing pages -----------------------------------------------------------------------------------------------------

/** The section types of Get Landing Page Content (LandingPageContentResponse). */
export const SECTION_TYPES = ['RichText', 'HTML', 'Form', 'Image', 'Rectangle', 'Snippet', 'Video'] as const;
export type SectionType = (typeof SECTION_TYPES)[number];

export interface LpDynamic {
  segmentationId: number;
  createdAt: number;
  updatedAt: number;
  /** By segment id: that segment's content (the section's own value is the Default segment's). */
  segments: { segmentId: number; segmentName: string; content: string }[];
}

export interface LpSection {
  id: string;
  type: SectionType;
  index: number;
  /** HTML for RichText and HTML, an id for Form and Snippet, a URL for Image and Video, empty for Rectangle. */
  value: string;
  /** The CSS properties of a free-form section (left, top, width, …) as given. */
  formatting: Record<string, string>;
  followupType?: 'url' | 'lp' | 'formDefined';
  followupValue?: string;
  dynamic?: LpDynamic;
}

export type VariableType = 'String' | 'Color' | 'Boolean' | 'Number' | 'List' | 'HTML' | 'Image';

export interface LpVariable {
  id: string;
  type: VariableType;
  value: string;
}

export interface LandingPageFields {
  template: number;
  title: string;
  keywords: string;
  robots: string;
  customHeadHTML: string;
  facebookOgTags: string;
  metaTagsDescription: string;
  styleOverRide: string;
  formPrefill: boolean;
  mobileEnabled: boolean;
  urlPageName: string;
}

export interface LandingPageContent {
  sections: LpSection[];
  variables: LpVariable[];
}

/** A page uses its template, and the snippets and forms its sections name. */
export function landingPageUses({
  fields,
  content,
}: {
  fields: LandingPageFields;
  content: LandingPageContent;
}): AssetRef[] {
  const uses: AssetRef[] = [{ type: LP_TEMPLATE, id: fields.template }];
  for (const section of content.sections) {
    const id = Number(section.value);
    if ((section.type === 'Snippet' || section.type === 'Form') && Number.isInteger(id) && id > 0) {
      uses.push({ type: section.type === 'Snippet' ? SNIPPET : FORM, id });
    }
  }
  return uses;
}

/** A page has no rules of its own: what it uses must be approved (the machine checks). */
export const landingPageKind: AssetKind<LandingPageFields, LandingPageContent> = {
  type: LANDING_PAGE,
  approvalProblems: () => [],
  uses: landingPageUses,
};

export class LandingPageRepository {
  readonly rows: AssetRows<Record<string, never>, LandingPageFields>;
  readonly machine: ApprovalMachine<LandingPageFields, LandingPageContent>;

  constructor(
    db: Database,
    clock: Clock,
    readonly templates: LpTemplateRepository,
  ) {
    this.rows = new AssetRows(db, clock, 'landing_pages', LANDING_PAGE);
    this.machine = new ApprovalMachine(landingPageKind, new SqliteVersionStore(db), clock);
  }
}

// Template syntax ---------------------------------------------------------------------------------------------------

/** The elements of a guided template that make a page's sections (create-a-guided-landing-page-template). */
const SECTION_CLASSES: Record<string, SectionType> = {
  mktoText: 'RichText',
  mktoImg: 'Image',
  mktoForm: 'Form',
  mktoSnippet: 'Snippet',
  mktoVideo: 'Video',
};
const VARIABLE_CLASSES: Record<string, VariableType> = {
  mktoString: 'String',
  mktoColor: 'Color',
  mktoBoolean: 'Boolean',
  mktoNumber: 'Number',
  mktoList: 'List',
  mktoHTML: 'HTML',
  mktoImg: 'Image',
};

function sectionTypeOf(element: HtmlElement): SectionType | undefined {
  if (!element.attrs.id || element.tag === 'meta') return undefined;
  for (const name of classesOf(element)) {
    const type = SECTION_CLASSES[name];
    if (type) return type;
  }
  return undefined;
}

/**
 * What a page made from a template starts with: a guided template's editable elements as sections (their HTML as
 * the RichText sections' content) and its variables at their defaults; a free-form template gives none
 * (landing-pages.md: "Free-form pages do not include predefined sections").
 */
export function contentFromTemplate(templateType: TemplateType, html: string): LandingPageContent {
  if (templateType === 'freeForm') return { sections: [], variables: [] };
  const elements = parseElements(html);
  const sections: LpSection[] = [];
  for (const element of elements) {
    const type = sectionTypeOf(element);
    if (!type) continue;
    const value = type === 'RichText' ? innerHtml(html, element) : (element.attrs.src ?? '');
    sections.push({ id: element.attrs.id!, type, index: sections.length, value, formatting: {} });
  }
  const variables: LpVariable[] = [];
  for (const element of elements) {
    if (element.tag !== 'meta' || !element.attrs.id) continue;
    const type = classesOf(element)
      .map((name) => VARIABLE_CLASSES[name])
      .find(Boolean);
    if (type) variables.push({ id: element.attrs.id, type, value: element.attrs.default ?? '' });
  }
  return { sections, variables };
}

/** The HTML a section puts on the page (its Default segment's when dynamic). */
function sectionHtml(section: LpSection, segmentId: number | undefined): string {
  const value =
    (segmentId !== undefined && section.dynamic?.segments.find((s) => s.segmentId === segmentId)?.content) ||
    section.value;
  switch (section.type) {
    case 'RichText':
    case 'HTML':
      return value;
    case 'Image':
      return value === '' ? '' : `<img src="${value.replace(/"/g, '&quot;')}">`;
    case 'Form':
      return `<form class="mktoForm" data-formid="${value}"></form>`;
    case 'Snippet':
      return `<div class="mktoSnippet" data-snippetid="${value}"></div>`;
    case 'Video':
      return value === '' ? '' : `<iframe src="${value.replace(/"/g, '&quot;')}"></iframe>`;
    case 'Rectangle':
      return '';
  }
}

/**
 * Get Landing Page Full Content: the template's HTML with the page's sections in place (a guided page's in their
 * elements, a free-form page's in `<div id="mktoContent">`, in index order) and `${variable}` references filled.
 * Text only: nothing is executed or fetched.
 */
export function renderPage(
  templateType: TemplateType,
  templateHtml: string,
  content: LandingPageContent,
  segments: ReadonlyMap<number, number> = new Map(),
): string {
  const segmentOf = (section: LpSection) =>
    section.dynamic ? segments.get(section.dynamic.segmentationId) : undefined;
  const ordered = [...content.sections].sort((a, b) => a.index - b.index);
  let html = templateHtml;
  const elements = parseElements(html);
  if (templateType === 'guided') {
    const byId = new Map(ordered.map((section) => [section.id, section]));
    const changes = elements.flatMap((element) => {
      const section = element.attrs.id !== undefined ? byId.get(element.attrs.id) : undefined;
      if (!section || !sectionTypeOf(element)) return [];
      byId.delete(section.id);
      return [{ start: element.openEnd, end: element.closeStart, text: sectionHtml(section, segmentOf(section)) }];
    });
    html = splice(html, changes);
  } else {
    const body = ordered
      .map((section) => `<div id="${section.id}">${sectionHtml(section, segmentOf(section))}</div>`)
      .join('');
    const container = elements.find((element) => element.attrs.id === 'mktoContent');
    const bodyElement = elements.find((element) => element.tag === 'body');
    const wrapped = `<div id="mktoContent">${body}</div>`;
    if (container) html = splice(html, [{ start: container.openEnd, end: container.closeStart, text: body }]);
    else if (bodyElement)
      html = splice(html, [{ start: bodyElement.closeStart, end: bodyElement.closeStart, text: wrapped }]);
    else html += wrapped;
  }
  const values = new Map(content.variables.map((variable) => [variable.id, variable.value]));
  return html.replace(/\$\{([^}]+)\}/g, (whole, name: string) => values.get(name) ?? whole);
}
