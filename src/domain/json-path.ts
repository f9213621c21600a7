/**
 * The JSONPath of stub matchers and templates (issue 33): a small subset, written here rather than taken from a
 * library, because it must never evaluate code and must cost a known amount. jsonpath-plus (the library at hand) runs
 * filter expressions through its own JavaScript evaluator unless `eval: false`, which refuses every filter, and its
 * recursive descent repeated (`$..a..b`) visits the same nodes again for each `..`.
 *
 * The subset: `$` (the root), then steps — `.name`, `['name']` or `["name"]`, `[n]` (n < 0 counts from the end), `.*`
 * or `[*]` (every member or item), `..name` and `..*` (at any depth), and filters `[?(@.a.b)]` (the relative path
 * exists), `[?(@.a == 'x')]` and `[?(@.a != 1)]` (a string, number, true, false or null; `@` alone is the item).
 * Each step maps a set of nodes to a set of nodes, each node at most once, so an expression of s steps costs
 * O(s × nodes of the document). Names are own members only: `$.constructor` is a member named constructor or nothing.
 */

type Literal = string | number | boolean | null;

type Step =
  | { kind: 'member'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'descend'; name: string | undefined }
  | { kind: 'filter'; path: RelativeStep[]; op: '==' | '!=' | undefined; value: Literal };

type RelativeStep = { kind: 'member'; name: string } | { kind: 'index'; index: number };

export interface JsonPath {
  expression: string;
  steps: Step[];
}

/** The longest expression taken, and the most steps. */
export const JSON_PATH_MAX_LENGTH = 500;
export const JSON_PATH_MAX_STEPS = 32;

export class JsonPathError extends Error {}

const NAME = /^[A-Za-z_$][A-Za-z0-9_$-]*/;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/;

function quoted(text: string, at: number): { value: string; end: number } {
  const quote = text[at]!;
  let value = '';
  for (let i = at + 1; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length) {
      value += text[++i];
      continue;
    }
    if (char === quote) return { value, end: i + 1 };
    value += char;
  }
  throw new JsonPathError(`an unclosed ${quote} at character ${at + 1}`);
}

function relativePath(text: string): RelativeStep[] {
  const steps: RelativeStep[] = [];
  let rest = text;
  while (rest.length > 0) {
    const name = rest.startsWith('.') ? NAME.exec(rest.slice(1)) : null;
    if (name) {
      steps.push({ kind: 'member', name: name[0] });
      rest = rest.slice(1 + name[0].length);
      continue;
    }
    const index = /^\[(-?[0-9]+)\]/.exec(rest);
    if (index) {
      steps.push({ kind: 'index', index: Number(index[1]) });
      rest = rest.slice(index[0].length);
      continue;
    }
    const member = /^\[(['"])/.exec(rest);
    if (member) {
      const { value, end } = quoted(rest, 1);
      if (rest[end] !== ']') throw new JsonPathError(`a ] after ['${value}'] in a filter`);
      steps.push({ kind: 'member', name: value });
      rest = rest.slice(end + 1);
      continue;
    }
    throw new JsonPathError(`a filter's path: @ then .name, ['name'] or [n] steps, not "${rest}"`);
  }
  return steps;
}

function literal(text: string): Literal {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (text.startsWith("'") || text.startsWith('"')) {
    const { value, end } = quoted(text, 0);
    if (end !== text.length) throw new JsonPathError(`one value after the operator, not "${text}"`);
    return value;
  }
  const number = NUMBER.exec(text);
  if (number && number[0] === text) return Number(text);
  throw new JsonPathError(`a string, number, true, false or null to compare with, not "${text}"`);
}

/** `?(@… op value)`, from after `[?(` to before `)]`. */
function filterStep(body: string): Step {
  if (/^@[^'"]*[<>]/.test(body.trim())) {
    throw new JsonPathError("a filter compares with == or != only, as [?(@.tier == 'gold')]");
  }
  const comparison = /^(@[^=!]*?)\s*(==|!=)\s*(.+)$/.exec(body.trim());
  const left = (comparison ? comparison[1]! : body).trim();
  if (!left.startsWith('@')) throw new JsonPathError(`a filter starts with @, as [?(@.email == 'x')]`);
  return {
    kind: 'filter',
    path: relativePath(left.slice(1)),
    op: comparison ? (comparison[2] as '==' | '!=') : undefined,
    value: comparison ? literal(comparison[3]!.trim()) : null,
  };
}

/** The end of a `[?( … )]` filter: the `)]` outside quotes. */
function filterEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const char = text[i]!;
    if (char === "'" || char === '"') i = quoted(text, i).end - 1;
    else if (char === ')' && text[i + 1] === ']') return i;
  }
  throw new JsonPathError('an unclosed filter: [?( … )]');
}

/** The expression compiled, or a JsonPathError saying what is wrong. */
export function compileJsonPath(expression: string): JsonPath {
  if (expression.length > JSON_PATH_MAX_LENGTH) {
    throw new JsonPathError(`at most ${JSON_PATH_MAX_LENGTH} characters`);
  }
  if (!expression.startsWith('$')) throw new JsonPathError('starts with $ (the body), as $.input[0].email');
  const steps: Step[] = [];
  let at = 1;
  while (at < expression.length) {
    const rest = expression.slice(at);
    if (rest.startsWith('..')) {
      const after = rest.slice(2);
      if (after.startsWith('*')) {
        steps.push({ kind: 'descend', name: undefined });
        at += 3;
        continue;
      }
      const name = NAME.exec(after);
      if (!name) throw new JsonPathError(`a name or * after .. at character ${at + 3}`);
      steps.push({ kind: 'descend', name: name[0] });
      at += 2 + name[0].length;
    } else if (rest.startsWith('.*') || rest.startsWith('[*]')) {
      steps.push({ kind: 'wildcard' });
      at += rest.startsWith('.*') ? 2 : 3;
    } else if (rest.startsWith('.')) {
      const name = NAME.exec(rest.slice(1));
      if (!name) throw new JsonPathError(`a name after . at character ${at + 2} (['a name'] for others)`);
      steps.push({ kind: 'member', name: name[0] });
      at += 1 + name[0].length;
    } else if (rest.startsWith('[?(')) {
      const end = filterEnd(expression, at + 3);
      steps.push(filterStep(expression.slice(at + 3, end)));
      at = end + 2;
    } else if (rest.startsWith("['") || rest.startsWith('["')) {
      const { value, end } = quoted(expression, at + 1);
      if (expression[end] !== ']') throw new JsonPathError(`a ] at character ${end + 1}`);
      steps.push({ kind: 'member', name: value });
      at = end + 1;
    } else {
      const index = /^\[(-?[0-9]{1,9})\]/.exec(rest);
      if (!index) {
        throw new JsonPathError(
          `"${rest.slice(0, 20)}" at character ${at + 1}: steps are .name, ['name'], [n], [*], .*, ..name, ..* and ` +
            `[?(@.path == value)]`,
        );
      }
      steps.push({ kind: 'index', index: Number(index[1]) });
      at += index[0].length;
    }
    if (steps.length > JSON_PATH_MAX_STEPS) throw new JsonPathError(`at most ${JSON_PATH_MAX_STEPS} steps`);
  }
  return { expression, steps };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function child(node: unknown, step: RelativeStep): unknown {
  if (step.kind === 'member') return isObject(node) && Object.hasOwn(node, step.name) ? node[step.name] : undefined;
  if (!Array.isArray(node)) return undefined;
  return node[step.index < 0 ? node.length + step.index : step.index];
}

function children(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  return isObject(node) ? Object.values(node) : [];
}

function keep(step: Extract<Step, { kind: 'filter' }>, item: unknown): boolean {
  let value: unknown = item;
  for (const part of step.path) {
    value = child(value, part);
    if (value === undefined) return false;
  }
  if (step.op === undefined) return true;
  return step.op === '==' ? value === step.value : value !== step.value;
}

/**
 * Every node at `path` in `document` (document order); none when nothing is there. `spend` is told the work done as
 * it is done (the nodes looked at), so that a caller's budget stops a selection that grows too costly.
 */
export function selectJsonPath(path: JsonPath, document: unknown, spend: (work: number) => void = () => {}): unknown[] {
  let nodes: unknown[] = document === undefined ? [] : [document];
  for (const step of path.steps) {
    const next: unknown[] = [];
    spend(nodes.length);
    switch (step.kind) {
      case 'member':
      case 'index':
        for (const node of nodes) {
          const value = child(node, step);
          if (value !== undefined) next.push(value);
        }
        break;
      case 'wildcard':
        for (const node of nodes) {
          const items = children(node);
          spend(items.length);
          for (const item of items) next.push(item);
        }
        break;
      case 'filter':
        for (const node of nodes) {
          const items = children(node);
          spend(items.length * (step.path.length + 1));
          for (const item of items) if (keep(step, item)) next.push(item);
        }
        break;
      case 'descend': {
        // Each container is walked once, however many of the nodes it sits below.
        const seen = new Set<unknown>();
        const stack = nodes.slice().reverse();
        while (stack.length > 0) {
          const node = stack.pop();
          if (node === null || typeof node !== 'object' || seen.has(node)) continue;
          seen.add(node);
          const items = children(node);
          spend(items.length + 1);
          if (step.name === undefined) for (const item of items) next.push(item);
          else if (isObject(node) && Object.hasOwn(node, step.name)) next.push(node[step.name]);
          for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
        }
        break;
      }
    }
    nodes = next;
  }
  return nodes;
}
