import Handlebars from 'handlebars';
import { compileJsonPath, type JsonPath, JsonPathError, selectJsonPath } from './json-path.js';

/**
 * Templated stub answers (issue 33): Handlebars syntax, as WireMock's response templates use, parsed by the
 * handlebars library and run here, over its syntax tree. Handlebars' own `compile` turns a template into JavaScript
 * source and runs it (`new Function`); this interpreter never makes code, reads own members only (no prototype, no
 * `constructor`, no `__proto__`), knows only the helpers below, and counts what it does: a template is refused at
 * creation when it uses anything else, nests `each` more than twice or is longer than TEMPLATE_MAX_LENGTH, and a run
 * stops (the stub answers 611, see src/http/stubs.ts) past TEMPLATE_OUTPUT_MAX characters or TEMPLATE_STEPS_MAX steps.
 *
 * The language: `{{request.path}}`, `{{request.pathSegments.[3]}}`, `{{request.query.name}}`,
 * `{{request.headers.x-name}}` (lower case), `{{request.body.input.[0].email}}`, `{{request.method}}`,
 * `{{request.url}}`, `{{caller.clientId}}`, `{{caller.user.email}}`, `{{caller.user.id}}`, `{{caller.workspace}}`,
 * `{{caller.workspaces}}`, `{{now}}` (the fake's clock, ISO 8601); blocks `{{#if}}`, `{{#unless}}`, `{{#each}}` (with
 * `@index`, `@key`, `@first`, `@last`, `as |item i|`), `{{#with}}`, `{{else}}`; helpers `json`, `jsonPath value
 * '$.a'`, `default value fallback`, `eq a b`, `number text`, `size value`, `upper`, `lower`, used inline or as
 * `(subexpressions)`. Nothing is HTML-escaped. A value that is an object or an array is written as JSON.
 */

export const TEMPLATE_MAX_LENGTH = 64 * 1024;
export const TEMPLATE_OUTPUT_MAX = 1024 * 1024;
export const TEMPLATE_STEPS_MAX = 200_000;
const EACH_NESTING_MAX = 2;

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type Expression = hbs.AST.Expression;

export class TemplateError extends Error {}

/** A run that went past its bounds. */
export class TemplateOverrun extends Error {}

type Helper = (args: unknown[], template: CompiledTemplate, run: Run) => unknown;

/*
 * What a helper's own work costs, in steps: the texts it makes or reads count by length (a `json` of a 1 MiB body is
 * 32,768 steps), the nodes a jsonPath looks at one each. Without it, a helper inside a nested `each` ran unbounded
 * work per step (a 1 MiB body: 45 s of one call's time).
 */
const CHARACTERS_PER_STEP = 32;
const textCost = (run: Run, text: string) => step(run, Math.ceil(text.length / CHARACTERS_PER_STEP));

const HELPERS: Record<string, { arity: [number, number]; fn: Helper }> = {
  json: {
    arity: [1, 1],
    fn: ([value], _template, run) => {
      const text = value === undefined ? 'null' : JSON.stringify(value);
      textCost(run, text);
      return text;
    },
  },
  default: {
    arity: [2, 2],
    fn: ([value, fallback]) => (value === undefined || value === null || value === '' ? fallback : value),
  },
  // Texts, numbers and booleans by their text ("42" eq 42); objects and arrays only as the same value.
  eq: {
    arity: [2, 2],
    fn: ([a, b], _template, run) => {
      if (a === b) return true;
      if (a === undefined || b === undefined || isContainer(a) || isContainer(b)) return false;
      const [left, right] = [String(a), String(b)];
      textCost(run, left);
      return left === right;
    },
  },
  number: {
    arity: [1, 1],
    fn: ([value], _template, run) => {
      if (typeof value === 'number') return value;
      if (typeof value === 'string') textCost(run, value);
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      return Number.isFinite(number) ? number : value;
    },
  },
  size: {
    arity: [1, 1],
    fn: ([value], _template, run) => {
      if (typeof value === 'string' || Array.isArray(value)) return value.length;
      if (!isContainer(value)) return 0;
      const keys = Object.keys(value);
      step(run, keys.length);
      return keys.length;
    },
  },
  upper: { arity: [1, 1], fn: ([value], _t, run) => (typeof value === 'string' ? cased(run, value, 'upper') : value) },
  lower: { arity: [1, 1], fn: ([value], _t, run) => (typeof value === 'string' ? cased(run, value, 'lower') : value) },
  jsonPath: {
    arity: [2, 2],
    fn: ([value, expression], template, run) => {
      const path = template.paths.get(expression as string);
      return path ? selectJsonPath(path, value, (work) => step(run, work))[0] : undefined;
    },
  },
  now: { arity: [0, 0], fn: (_args, _template, run) => run.now },
};

const isContainer = (value: unknown): value is object => value !== null && typeof value === 'object';

function cased(run: Run, text: string, to: 'upper' | 'lower'): string {
  textCost(run, text);
  return to === 'upper' ? text.toUpperCase() : text.toLowerCase();
}

const BLOCKS = new Set(['if', 'unless', 'each', 'with']);

export interface CompiledTemplate {
  source: string;
  program: Program;
  /** A template that is one `{{expression}}` and nothing else: its value is kept as it is (a number, an array). */
  single: boolean;
  /** The JSON paths its jsonPath helpers name, compiled. */
  paths: Map<string, JsonPath>;
  /** What it holds in memory, about: its text and its syntax tree. */
  bytes: number;
}

/**
 * What a node of the handlebars syntax tree holds, about, with its place in the source (measured with handlebars
 * 4.7: 1 KB of dense template, about 120 nodes, held 54 KB). Counted in the stub's bytes, as its regexes are.
 */
const NODE_BYTES = 512;

const where = (node: Node) => (node.loc ? ` (line ${node.loc.start.line}, column ${node.loc.start.column + 1})` : '');

/** What checking a template finds besides its errors: the JSON paths it names, and how many nodes it has. */
interface Found {
  paths: Map<string, JsonPath>;
  nodes: number;
}

function check(node: Node, found: Found, eachDepth: number, subDepth = 0): void {
  found.nodes++;
  switch (node.type) {
    case 'Program':
      for (const statement of (node as Program).body) check(statement, found, eachDepth);
      return;
    case 'ContentStatement':
    case 'CommentStatement':
    case 'PathExpression':
    case 'StringLiteral':
    case 'NumberLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
    case 'UndefinedLiteral':
      return;
    case 'MustacheStatement':
    case 'SubExpression': {
      const call = node as hbs.AST.MustacheStatement | hbs.AST.SubExpression;
      if (call.hash && call.hash.pairs.length > 0) throw new TemplateError(`no name=value arguments${where(node)}`);
      if (subDepth > 8) throw new TemplateError(`subexpressions nested too deep${where(node)}`);
      const name = call.path.type === 'PathExpression' ? (call.path as hbs.AST.PathExpression).original : undefined;
      const helper = name !== undefined ? HELPERS[name] : undefined;
      if (call.params.length > 0 || node.type === 'SubExpression') {
        if (!helper) {
          throw new TemplateError(
            `unknown helper ${JSON.stringify(name ?? '')}${where(node)}; the helpers are ${Object.keys(HELPERS).join(', ')}`,
          );
        }
      }
      if (helper && (call.params.length < helper.arity[0] || call.params.length > helper.arity[1])) {
        throw new TemplateError(
          `${name} takes ${helper.arity[0]}${helper.arity[1] > helper.arity[0] ? `-${helper.arity[1]}` : ''} argument(s)${where(node)}`,
        );
      }
      if (name === 'jsonPath') {
        const expression = call.params[1]!;
        if (expression.type !== 'StringLiteral') {
          throw new TemplateError(`jsonPath takes its expression as a quoted text${where(node)}`);
        }
        const text = (expression as hbs.AST.StringLiteral).value;
        try {
          found.paths.set(text, compileJsonPath(text));
        } catch (error) {
          if (error instanceof JsonPathError)
            throw new TemplateError(`jsonPath ${text}: ${error.message}${where(node)}`);
          throw error;
        }
      }
      for (const param of call.params) check(param, found, eachDepth, subDepth + 1);
      return;
    }
    case 'BlockStatement': {
      const block = node as hbs.AST.BlockStatement;
      const name = block.path.type === 'PathExpression' ? block.path.original : '';
      if (!BLOCKS.has(name)) {
        throw new TemplateError(`unknown block {{#${name}}}${where(node)}; the blocks are if, unless, each, with`);
      }
      if (block.params.length !== 1) throw new TemplateError(`{{#${name}}} takes one argument${where(node)}`);
      if (block.hash && block.hash.pairs.length > 0) throw new TemplateError(`no name=value arguments${where(node)}`);
      const depth = name === 'each' ? eachDepth + 1 : eachDepth;
      if (depth > EACH_NESTING_MAX) {
        throw new TemplateError(`{{#each}} nested more than ${EACH_NESTING_MAX} deep${where(node)}`);
      }
      check(block.params[0]!, found, eachDepth, 1);
      if (block.program) check(block.program, found, depth);
      if (block.inverse) check(block.inverse, found, eachDepth);
      return;
    }
    default:
      throw new TemplateError(
        `${node.type.replace(/Statement$/, '').toLowerCase()}s are not part of the template language${where(node)}`,
      );
  }
}

/** A template compiled, or a TemplateError naming the line and column of what is wrong. */
export function compileTemplate(source: string): CompiledTemplate {
  if (source.length > TEMPLATE_MAX_LENGTH) throw new TemplateError(`at most ${TEMPLATE_MAX_LENGTH} characters`);
  let program: Program;
  try {
    program = Handlebars.parse(source);
  } catch (error) {
    throw new TemplateError((error as Error).message.replace(/\n/g, ' '));
  }
  const found: Found = { paths: new Map(), nodes: 0 };
  check(program, found, 0);
  const single = program.body.length === 1 && program.body[0]!.type === 'MustacheStatement';
  return { source, program, single, paths: found.paths, bytes: 2 * source.length + NODE_BYTES * found.nodes };
}

/** A text that uses the template language at all (others need no compiling). */
export const isTemplate = (text: string) => text.includes('{{');

interface Frame {
  value: unknown;
  data: Record<string, unknown>;
  params: Record<string, unknown>;
}

interface Run {
  root: unknown;
  now: string;
  steps: number;
  length: number;
}

function step(run: Run, steps = 1): void {
  run.steps += steps;
  if (run.steps > TEMPLATE_STEPS_MAX) throw new TemplateOverrun(`more than ${TEMPLATE_STEPS_MAX} steps`);
}

/** An own member of an object, an item of an array, nothing else. */
function member(value: unknown, name: string): unknown {
  if (Array.isArray(value)) return /^(0|[1-9][0-9]*)$/.test(name) ? value[Number(name)] : undefined;
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, name)) {
    return (value as Record<string, unknown>)[name];
  }
  return undefined;
}

function lookup(path: hbs.AST.PathExpression, frames: Frame[], run: Run): unknown {
  const frame = frames[Math.max(0, frames.length - 1 - path.depth)]!;
  let parts = path.parts;
  let value: unknown;
  if (path.data) {
    const [name, ...rest] = parts;
    value = name === 'root' ? run.root : member(frame.data, name!);
    parts = rest;
  } else if (
    parts.length > 0 &&
    path.depth === 0 &&
    frames.some((candidate) => Object.hasOwn(candidate.params, parts[0]!))
  ) {
    const owner = [...frames].reverse().find((candidate) => Object.hasOwn(candidate.params, parts[0]!))!;
    value = owner.params[parts[0]!];
    parts = parts.slice(1);
  } else {
    value = frame.value;
  }
  for (const part of parts) {
    step(run);
    value = member(value, part);
    if (value === undefined) return undefined;
  }
  return value;
}

function evaluate(expression: Expression, frames: Frame[], run: Run, template: CompiledTemplate): unknown {
  step(run);
  switch (expression.type) {
    case 'StringLiteral':
    case 'NumberLiteral':
    case 'BooleanLiteral':
      return (expression as hbs.AST.StringLiteral).value;
    case 'NullLiteral':
      return null;
    case 'UndefinedLiteral':
      return undefined;
    case 'SubExpression':
      return call(expression as hbs.AST.SubExpression, frames, run, template);
    default: {
      const path = expression as hbs.AST.PathExpression;
      const helper = HELPERS[path.original];
      if (helper && helper.arity[0] === 0 && path.depth === 0 && !path.data) return helper.fn([], template, run);
      return lookup(path, frames, run);
    }
  }
}

function call(
  node: hbs.AST.MustacheStatement | hbs.AST.SubExpression,
  frames: Frame[],
  run: Run,
  template: CompiledTemplate,
): unknown {
  const name = node.path.type === 'PathExpression' ? (node.path as hbs.AST.PathExpression).original : '';
  const helper = HELPERS[name];
  if (!helper || (node.params.length === 0 && helper.arity[0] > 0)) return evaluate(node.path, frames, run, template);
  return helper.fn(
    node.params.map((param) => evaluate(param, frames, run, template)),
    template,
    run,
  );
}

/** What a value writes into a text: nothing for none, JSON for objects and arrays. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

function write(out: string[], text: string, run: Run): void {
  run.length += text.length;
  if (run.length > TEMPLATE_OUTPUT_MAX) throw new TemplateOverrun(`more than ${TEMPLATE_OUTPUT_MAX} characters`);
  out.push(text);
}

function renderProgram(
  program: Program | undefined,
  frames: Frame[],
  run: Run,
  template: CompiledTemplate,
  out: string[],
): void {
  if (!program) return;
  for (const statement of program.body) {
    step(run);
    switch (statement.type) {
      case 'ContentStatement':
        write(out, (statement as hbs.AST.ContentStatement).value, run);
        break;
      case 'MustacheStatement':
        write(out, textOf(call(statement as hbs.AST.MustacheStatement, frames, run, template)), run);
        break;
      case 'BlockStatement':
        renderBlock(statement as hbs.AST.BlockStatement, frames, run, template, out);
        break;
      default:
        break;
    }
  }
}

function renderBlock(
  block: hbs.AST.BlockStatement,
  frames: Frame[],
  run: Run,
  template: CompiledTemplate,
  out: string[],
): void {
  const name = (block.path as hbs.AST.PathExpression).original;
  const value = evaluate(block.params[0]!, frames, run, template);
  const current = frames[frames.length - 1]!;
  const names = block.program.blockParams ?? [];
  if (name === 'if' || name === 'unless') {
    const chosen = truthy(value) === (name === 'if') ? block.program : block.inverse;
    return renderProgram(chosen, frames, run, template, out);
  }
  if (name === 'with') {
    if (value === undefined || value === null) return renderProgram(block.inverse, frames, run, template, out);
    const params = names[0] ? { [names[0]]: value } : {};
    return renderProgram(block.program, [...frames, { value, data: current.data, params }], run, template, out);
  }
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : value !== null && typeof value === 'object'
      ? Object.entries(value)
      : [];
  if (entries.length === 0) return renderProgram(block.inverse, frames, run, template, out);
  entries.forEach(([key, item], i) => {
    // Each item is a step, so that an empty body repeated does not go uncounted.
    step(run);
    const data = { index: i, key, first: i === 0, last: i === entries.length - 1 };
    const params: Record<string, unknown> = {};
    if (names[0]) params[names[0]] = item;
    if (names[1]) params[names[1]] = key;
    renderProgram(block.program, [...frames, { value: item, data, params }], run, template, out);
  });
}

/** What a template sees: the request and the caller (src/http/stubs.ts builds it), and the fake's time. */
export interface TemplateScope {
  request: unknown;
  caller: unknown;
  now: string;
}

/** Runs a template: a text, or for a template of one expression its value as it is. Throws TemplateOverrun. */
export function renderTemplate(
  template: CompiledTemplate,
  scope: TemplateScope,
  run?: { steps: number; length: number },
): unknown {
  const state: Run = { root: scope, now: scope.now, steps: run?.steps ?? 0, length: run?.length ?? 0 };
  const frames: Frame[] = [{ value: scope, data: {}, params: {} }];
  try {
    if (template.single) {
      const value = call(template.program.body[0] as hbs.AST.MustacheStatement, frames, state, template);
      state.length += textOf(value).length;
      if (state.length > TEMPLATE_OUTPUT_MAX) throw new TemplateOverrun(`more than ${TEMPLATE_OUTPUT_MAX} characters`);
      return value;
    }
    const out: string[] = [];
    renderProgram(template.program, frames, state, template, out);
    return out.join('');
  } finally {
    if (run) {
      run.steps = state.steps;
      run.length = state.length;
    }
  }
}
