import {
  ancestor,
  type HtmlElement,
  innerHtml,
  isContainer,
  isModule,
  outerHtml,
  parseElements,
  sectionTypeOf,
  splice,
  textOf,
  variablesOf,
} from '../../engines/assets/html.js';

/**
 * An email's content, per version (the approval machine keeps one per status): its HTML document, which holds its
 * structure (sections, modules), and the values of its sections, dynamic content and variables. Everything is stored
 * as given; rendering substitutes values into the document's element ranges and fills tokens, nothing else.
 */

export type HeaderType = 'Text' | 'DynamicContent';
/** Subject, from name, from address, reply-to: `{"type":"Text","value":"…"}` (EmailHeaderField). */
export interface HeaderField {
  type: HeaderType;
  value: string;
}

export interface CcField {
  attributeId: string;
  objectName: string;
  displayName: string;
  apiName: string | null;
}

/** The record fields of an email version (what a browse shows beside the asset row). */
export interface EmailFields {
  subject: HeaderField | null;
  fromName: HeaderField | null;
  fromEmail: HeaderField | null;
  replyEmail: HeaderField | null;
  operational: boolean;
  textOnly: boolean;
  webView: boolean;
  publishToMSI: boolean;
  autoCopyToText: boolean;
  isOpenTrackingDisabled: boolean;
  preHeader: string | null;
  ccFields: CcField[] | null;
}

export type SectionType = 'Text' | 'Snippet' | 'DynamicContent' | 'Image' | 'Video';

export interface Section {
  htmlId: string;
  contentType: SectionType;
  /** Text: its HTML; DynamicContent: the Default segment's HTML. */
  html: string;
  /** Text: its text version; null when it follows the HTML. */
  text: string | null;
  snippetId?: number;
  dynamicContentId?: string;
  /** Image and Video sections: their properties (src, altText, style …). */
  properties?: Record<string, string>;
}

export interface Variation {
  segmentId: number;
  segmentName: string;
  /** HTML, Text, Image …, as Update Email Dynamic Content Section sets it. */
  type: string;
  content: string;
}

/** A section or header that varies by the segments of a segmentation. */
export interface DynamicContent {
  id: string;
  segmentationId: number;
  /** What segments without a variation of their own get: the section's or header's content before it varied. */
  default: string;
  createdAt: number;
  updatedAt: number;
  variations: Variation[];
}

export interface Variable {
  name: string;
  value: string;
  /** Set for a module's own (mktoModuleScope) variable. */
  moduleId?: string;
}

export interface EmailContent {
  html: string;
  sections: Section[];
  dynamicContent: DynamicContent[];
  variables: Variable[];
  moduleNames: Record<string, string>;
  /** The counter behind dynamic content ids. */
  nextDynamicId: number;
  /** A text version of its own, set through v2 (`data.text.body`); absent or null: made from the sections. */
  text?: string | null;
}

// Reading a document ------------------------------------------------------------------------------------------------

interface Structure {
  elements: HtmlElement[];
  sections: { element: HtmlElement; type: Exclude<SectionType, 'DynamicContent'>; moduleId: string | undefined }[];
  modules: { element: HtmlElement; containerId: string | undefined; index: number }[];
}

function structureOf(html: string): Structure {
  const elements = parseElements(html);
  const modules: Structure['modules'] = [];
  const countInContainer = new Map<HtmlElement | undefined, number>();
  for (const element of elements) {
    if (!isModule(element) || ancestor(element, isModule)) continue;
    const container = ancestor(element, isContainer);
    const index = countInContainer.get(container) ?? 0;
    countInContainer.set(container, index + 1);
    modules.push({ element, containerId: container?.attrs.id, index });
  }
  const sections: Structure['sections'] = [];
  for (const element of elements) {
    const type = sectionTypeOf(element);
    if (!type || ancestor(element, (candidate) => sectionTypeOf(candidate) !== undefined)) continue;
    sections.push({ element, type, moduleId: ancestor(element, isModule)?.attrs.id });
  }
  return { elements, sections, modules };
}

/** Email Editor 2.0 syntax (modules, mktoText …) makes a version 2 template; mktEditable alone, version 1. */
export function editorVersion(html: string): 1 | 2 {
  return /class\s*=\s*["'][^"']*\bmkto(Text|Img|Snippet|Video|Module|Container)\b/i.test(html) ? 2 : 1;
}

/** Does a document have at least one editable section (a template's approval rule, email-templates.md)? */
export function hasEditableSection(html: string): boolean {
  const structure = structureOf(html);
  return structure.sections.length > 0 || structure.modules.length > 0;
}

function propertiesOf(html: string, element: HtmlElement): Record<string, string> {
  // An mktoImg is the img itself or a div holding one.
  const img = element.tag === 'img' ? element : parseElements(outerHtml(html, element)).find((e) => e.tag === 'img');
  const attrs = img?.attrs ?? element.attrs;
  const properties: Record<string, string> = {};
  for (const [name, key] of [
    ['src', 'src'],
    ['alt', 'altText'],
    ['style', 'style'],
    ['width', 'width'],
    ['height', 'height'],
  ] as const) {
    if (attrs[name] !== undefined) properties[key] = attrs[name]!;
  }
  return properties;
}

function defaultSection(html: string, found: Structure['sections'][number]): Section {
  const { element, type } = found;
  const htmlId = element.attrs.id!;
  if (type === 'Snippet') {
    const id = Number(element.attrs.mktodefaultsnippetid);
    return {
      htmlId,
      contentType: 'Snippet',
      html: innerHtml(html, element),
      text: null,
      ...(id > 0 ? { snippetId: id } : {}),
    };
  }
  if (type === 'Image' || type === 'Video') {
    return { htmlId, contentType: type, html: '', text: null, properties: propertiesOf(html, element) };
  }
  return { htmlId, contentType: 'Text', html: innerHtml(html, element).trim(), text: null };
}

/**
 * The sections, variables and module names of `html`, keeping the values `previous` has for the same ids (after a
 * module is added, moved or removed, or a document replaced): new sections take their content from the document.
 */
export function contentOf(html: string, previous?: EmailContent): EmailContent {
  const structure = structureOf(html);
  const known = new Map((previous?.sections ?? []).map((section) => [section.htmlId, section]));
  const sections = structure.sections.map((found) => known.get(found.element.attrs.id!) ?? defaultSection(html, found));
  const definitions = variablesOf(structure.elements);
  const values = new Map((previous?.variables ?? []).map((v) => [`${v.moduleId ?? ''}\u0000${v.name}`, v.value]));
  const variables: Variable[] = [];
  for (const definition of definitions.filter((d) => !d.moduleScope)) {
    variables.push({ name: definition.name, value: values.get(`\u0000${definition.name}`) ?? definition.value });
  }
  for (const module of structure.modules) {
    const moduleId = module.element.attrs.id!;
    // A module has the module-scoped variables its HTML uses.
    const used = outerHtml(html, module.element);
    for (const definition of definitions.filter((d) => d.moduleScope && used.includes(`\${${d.name}}`))) {
      const value = values.get(`${moduleId}\u0000${definition.name}`) ?? definition.value;
      variables.push({ name: definition.name, value, moduleId });
    }
  }
  const moduleIds = new Set(structure.modules.map((module) => module.element.attrs.id!));
  const dynamicIds = new Set(sections.flatMap((section) => section.dynamicContentId ?? []));
  return {
    html,
    sections,
    // Dynamic content of the headers is kept; a section's goes with the section.
    dynamicContent: (previous?.dynamicContent ?? []).filter(
      (dynamic) => dynamicIds.has(dynamic.id) || !previous?.sections.some((s) => s.dynamicContentId === dynamic.id),
    ),
    variables,
    moduleNames: Object.fromEntries(
      Object.entries(previous?.moduleNames ?? {}).filter(([moduleId]) => moduleIds.has(moduleId)),
    ),
    nextDynamicId: previous?.nextDynamicId ?? 1,
  };
}

// Get Email Content ---------------------------------------------------------------------------------------------------

/** A section's text version: its own, else its HTML as text. */
export const sectionText = (section: Section): string => section.text ?? textOf(section.html);

export interface ContentItem {
  htmlId: string;
  contentType: string;
  value?: unknown;
  index?: number;
  parentHtmlId?: string;
  isLocked?: boolean;
}

/** Get Email Content's items: modules and sections in document order (email.md "Query Content"). */
export function contentItems(content: EmailContent, version: 1 | 2): ContentItem[] {
  const structure = structureOf(content.html);
  const byId = new Map(content.sections.map((section) => [section.htmlId, section]));
  const items: { at: number; item: ContentItem }[] = [];
  const extra = (moduleId: string | undefined) => ({
    ...(moduleId !== undefined ? { parentHtmlId: moduleId } : {}),
    ...(version === 2 ? { isLocked: false } : {}),
  });
  for (const module of structure.modules) {
    items.push({
      at: module.element.start,
      item: {
        htmlId: module.element.attrs.id!,
        contentType: 'Module',
        index: module.index,
        ...(module.containerId !== undefined ? { parentHtmlId: module.containerId } : {}),
        isLocked: false,
      },
    });
  }
  for (const found of structure.sections) {
    const section = byId.get(found.element.attrs.id!);
    if (!section) continue;
    const value =
      section.contentType === 'Text'
        ? [
            { type: 'HTML', value: section.html },
            { type: 'Text', value: sectionText(section) },
          ]
        : section.contentType === 'Snippet'
          ? section.snippetId !== undefined
            ? String(section.snippetId)
            : null
          : section.contentType === 'DynamicContent'
            ? section.dynamicContentId!
            : (section.properties ?? {});
    items.push({
      at: found.element.start,
      item: { htmlId: section.htmlId, value, contentType: section.contentType, ...extra(found.moduleId) },
    });
  }
  return items.sort((a, b) => a.at - b.at).map(({ item }) => item);
}

// Modules -----------------------------------------------------------------------------------------------------------

const UUID_SUFFIX = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A module's HTML with every id in it given `suffix` (an added module's ids are its template's plus a UUID). */
function withSuffix(moduleHtml: string, suffix: string): { html: string; renamed: Map<string, string> } {
  const renamed = new Map<string, string>();
  const changes = parseElements(moduleHtml)
    .filter((element) => element.attrs.id)
    .map((element) => {
      const open = moduleHtml.slice(element.start, element.openEnd);
      const id = element.attrs.id!;
      const next = id.replace(UUID_SUFFIX, '') + suffix;
      renamed.set(id, next);
      const text = open.replace(
        /(\sid\s*=\s*)(["']?)([^"'\s>]*)\2/i,
        (_, before, quote) => `${before}${quote}${next}${quote}`,
      );
      return { start: element.start, end: element.openEnd, text };
    });
  return { html: splice(moduleHtml, changes), renamed };
}

export function moduleIds(content: EmailContent): string[] {
  return structureOf(content.html).modules.map((module) => module.element.attrs.id!);
}

function findModule(html: string, moduleId: string) {
  return structureOf(html).modules.find((module) => module.element.attrs.id === moduleId);
}

/** The email without module `moduleId`; undefined when it has no such module. */
export function deleteModule(content: EmailContent, moduleId: string): EmailContent | undefined {
  const module = findModule(content.html, moduleId);
  if (!module) return undefined;
  const html = splice(content.html, [{ start: module.element.start, end: module.element.end, text: '' }]);
  return contentOf(html, content);
}

/**
 * The email with a copy of a module inserted: `source` is the module's HTML (the template's, for Add Email Module;
 * the email's own, for Duplicate), placed at `index` among the container's modules (appended past the last).
 */
export function insertModule(
  content: EmailContent,
  source: { html: string; copyValuesFrom?: EmailContent },
  options: { index: number; name: string; suffix: string },
): EmailContent | 'noContainer' {
  const structure = structureOf(content.html);
  const container = structure.elements.find(isContainer);
  if (!container) return 'noContainer';
  const inContainer = structure.modules.filter((module) => module.containerId === container.attrs.id);
  const { html: copy, renamed } = withSuffix(source.html, options.suffix);
  const at = inContainer[options.index]?.element.start ?? container.closeStart;
  const html = splice(content.html, [{ start: at, end: at, text: `${copy}\n` }]);
  const next = contentOf(html, content);
  const newModuleId = renamed.values().next().value!;
  next.moduleNames[newModuleId] = options.name;
  if (source.copyValuesFrom) {
    const old = new Map(source.copyValuesFrom.sections.map((section) => [section.htmlId, section]));
    next.sections = next.sections.map((section) => {
      const from = [...renamed].find(([, to]) => to === section.htmlId)?.[0];
      const value = from !== undefined ? old.get(from) : undefined;
      return value ? { ...value, htmlId: section.htmlId } : section;
    });
    const oldModuleId = [...renamed.keys()][0]!;
    next.variables = next.variables.map((variable) =>
      variable.moduleId === newModuleId
        ? {
            ...variable,
            value:
              source.copyValuesFrom!.variables.find((v) => v.moduleId === oldModuleId && v.name === variable.name)
                ?.value ?? variable.value,
          }
        : variable,
    );
  }
  return next;
}

export function moduleHtml(html: string, moduleId: string): string | undefined {
  const module = findModule(html, moduleId);
  return module && outerHtml(html, module.element);
}

/** The email with its container's modules in the order given; undefined unless `order` names each exactly once. */
export function rearrangeModules(content: EmailContent, order: readonly string[]): EmailContent | undefined {
  const structure = structureOf(content.html);
  const modules = structure.modules;
  const ids = modules.map((module) => module.element.attrs.id!);
  if (order.length !== ids.length || new Set(order).size !== order.length || !order.every((id) => ids.includes(id))) {
    return undefined;
  }
  if (modules.length === 0) return content;
  const first = modules[0]!.element.start;
  const last = modules.at(-1)!.element.end;
  const byId = new Map(modules.map((module) => [module.element.attrs.id!, outerHtml(content.html, module.element)]));
  const html = splice(content.html, [{ start: first, end: last, text: order.map((id) => byId.get(id)!).join('\n') }]);
  return contentOf(html, content);
}

// Rendering ---------------------------------------------------------------------------------------------------------

export interface RenderContext {
  /** The HTML and text of snippet `id` as an email shows it (its approved version), if it exists. */
  snippet(id: number): { html: string; text: string } | undefined;
  /** Fills `{{my.…}}` and `{{lead.…}}` tokens. */
  tokens(text: string): string;
}

/** The email's document with its section values and variables in place, tokens filled. */
export function renderHtml(content: EmailContent, context: RenderContext): string {
  const structure = structureOf(content.html);
  const byId = new Map(content.sections.map((section) => [section.htmlId, section]));
  const sectionChanges = structure.sections.flatMap(({ element }) => {
    const section = byId.get(element.attrs.id!);
    if (!section || section.contentType === 'Image' || section.contentType === 'Video') return [];
    const html =
      section.contentType === 'Snippet'
        ? section.snippetId !== undefined
          ? (context.snippet(section.snippetId)?.html ?? '')
          : section.html
        : section.html;
    return [{ start: element.openEnd, end: element.closeStart, text: html }];
  });
  let html = splice(content.html, sectionChanges);
  // A module's own variables inside it, then the email's everywhere.
  const local = content.variables.filter((variable) => variable.moduleId !== undefined);
  if (local.length > 0) {
    const modules = structureOf(html).modules;
    html = splice(
      html,
      modules.map(({ element }) => ({
        start: element.start,
        end: element.end,
        text: fillVariables(
          outerHtml(html, element),
          local.filter((variable) => variable.moduleId === element.attrs.id),
        ),
      })),
    );
  }
  html = fillVariables(
    html,
    content.variables.filter((variable) => variable.moduleId === undefined),
  );
  return context.tokens(html);
}

function fillVariables(html: string, variables: readonly Variable[]): string {
  if (variables.length === 0) return html;
  const values = new Map(variables.map((variable) => [variable.name, variable.value]));
  return html.replace(/\$\{([^}\s]+)\}/g, (whole, name: string) => values.get(name) ?? whole);
}

/** The email's text version: its own text if it has one, else each section's text in document order, tokens filled. */
export function renderText(content: EmailContent, context: RenderContext): string {
  if (typeof content.text === 'string') return context.tokens(content.text);
  const parts = content.sections.flatMap((section) => {
    if (section.contentType === 'Text' || section.contentType === 'DynamicContent') return [sectionText(section)];
    if (section.contentType === 'Snippet' && section.snippetId !== undefined) {
      return [context.snippet(section.snippetId)?.text ?? ''];
    }
    return [];
  });
  return context.tokens(
    fillVariables(
      parts.filter((part) => part !== '').join('\n\n'),
      content.variables.filter((variable) => variable.moduleId === undefined),
    ),
  );
}
