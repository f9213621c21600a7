/**
 * Marketo's template syntax, read from an HTML document as text: the editable sections, modules and variables of email
 * templates ("mktEditable" for Email Editor 1.0; mktoText, mktoImg, mktoSnippet, mktoVideo, mktoModule and the
 * mktoString/mktoColor… meta variables of Email Editor 2.0, email-template-syntax), and landing page templates after
 * them. A tolerant tag scanner, not a browser: HTML is never executed, fetched or rewritten beyond the element ranges
 * a change names; everything else is kept byte for byte.
 */

export interface HtmlElement {
  tag: string;
  attrs: Readonly<Record<string, string>>;
  /** Offsets in the document: the open tag, its end, the close tag's start, and the element's end. */
  start: number;
  openEnd: number;
  closeStart: number;
  end: number;
  parent: HtmlElement | undefined;
}

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);
const TAG =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>|<\?[^>]*>|<\/([A-Za-z][\w:-]*)[^>]*>|<([A-Za-z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTR = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;

function parseAttributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const match of text.matchAll(ATTR)) {
    const name = match[1]!.toLowerCase();
    if (!(name in attrs)) attrs[name] = match[2] ?? match[3] ?? match[4] ?? '';
  }
  return attrs;
}

/** Every element of the document in the order its open tag appears, closed where the document closes it. */
export function parseElements(html: string): HtmlElement[] {
  const elements: HtmlElement[] = [];
  const open: HtmlElement[] = [];
  const close = (element: HtmlElement, closeStart: number, end: number) => {
    element.closeStart = closeStart;
    element.end = end;
  };
  TAG.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = TAG.exec(html)) !== null) {
    const [text, closing, opening, attrText] = match;
    if (closing !== undefined) {
      const name = closing.toLowerCase();
      let at = open.length - 1;
      while (at >= 0 && open[at]!.tag !== name) at--;
      if (at < 0) continue;
      // Elements left open inside it end where it ends.
      for (const element of open.splice(at)) close(element, match.index, match.index + text.length);
      continue;
    }
    if (opening === undefined) continue;
    const tag = opening.toLowerCase();
    const element: HtmlElement = {
      tag,
      attrs: parseAttributes(attrText ?? ''),
      start: match.index,
      openEnd: match.index + text.length,
      closeStart: match.index + text.length,
      end: match.index + text.length,
      parent: open.at(-1),
    };
    elements.push(element);
    if (VOID.has(tag) || /\/\s*$/.test(attrText ?? '')) continue;
    if (RAW_TEXT.has(tag)) {
      const endTag = new RegExp(`</${tag}\\s*>`, 'ig');
      endTag.lastIndex = element.openEnd;
      const found = endTag.exec(html);
      close(element, found ? found.index : html.length, found ? found.index + found[0].length : html.length);
      TAG.lastIndex = element.end;
      continue;
    }
    open.push(element);
  }
  for (const element of open) close(element, html.length, html.length);
  return elements;
}

export function classesOf(element: HtmlElement): string[] {
  return (element.attrs.class ?? '').split(/\s+/).filter(Boolean);
}

export function hasClass(element: HtmlElement, name: string): boolean {
  return classesOf(element).includes(name);
}

export const innerHtml = (html: string, element: HtmlElement): string =>
  html.slice(element.openEnd, element.closeStart);
export const outerHtml = (html: string, element: HtmlElement): string => html.slice(element.start, element.end);

/** The kinds of editable section, as Get Email Content names them (`contentType`). */
export type SectionType = 'Text' | 'Snippet' | 'Image' | 'Video';

const SECTION_CLASSES: Record<string, SectionType> = {
  mktEditable: 'Text',
  mktoText: 'Text',
  mktoSnippet: 'Snippet',
  mktoImg: 'Image',
  mktoVideo: 'Video',
};

export function sectionTypeOf(element: HtmlElement): SectionType | undefined {
  if (!element.attrs.id) return undefined;
  for (const name of classesOf(element)) {
    const type = SECTION_CLASSES[name];
    if (type) return type;
  }
  return undefined;
}

export const isModule = (element: HtmlElement): boolean => hasClass(element, 'mktoModule') && !!element.attrs.id;
export const isContainer = (element: HtmlElement): boolean => hasClass(element, 'mktoContainer');

/** The nearest enclosing element that `test` accepts. */
export function ancestor(element: HtmlElement, test: (candidate: HtmlElement) => boolean): HtmlElement | undefined {
  for (let at = element.parent; at; at = at.parent) if (test(at)) return at;
  return undefined;
}

/** Email Editor 2.0 variables: `<meta class="mktoString" id="…" mktoName="…" default="…">` (and Color, Number …). */
const VARIABLE_CLASSES = ['mktoString', 'mktoColor', 'mktoNumber', 'mktoBoolean', 'mktoList', 'mktoHTML', 'mktoImg'];

export interface VariableDefinition {
  name: string;
  value: string;
  /** Declared with mktoModuleScope="true": each module has its own value. */
  moduleScope: boolean;
}

export function variablesOf(elements: readonly HtmlElement[]): VariableDefinition[] {
  return elements
    .filter(
      (element) => element.tag === 'meta' && element.attrs.id && VARIABLE_CLASSES.some((c) => hasClass(element, c)),
    )
    .map((element) => ({
      name: element.attrs.id!,
      value: element.attrs.default ?? '',
      moduleScope: (element.attrs.mktomodulescope ?? '').toLowerCase() === 'true',
    }));
}

/** Replaces ranges of a document (none overlapping), keeping every other byte. */
export function splice(html: string, changes: readonly { start: number; end: number; text: string }[]): string {
  const sorted = [...changes].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const change of sorted) {
    out += html.slice(at, change.start) + change.text;
    at = change.end;
  }
  return out + html.slice(at);
}

/** Text of an HTML fragment: tags dropped, the common entities read, blank runs shortened (for text versions). */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
