import { RE2JS } from 're2js';
import { pathTooDeep } from './depth.js';
import { compileJsonPath, type JsonPath, JsonPathError, selectJsonPath } from './json-path.js';

/**
 * The request matchers of stubs and of `verify` (issue 33), as WireMock names them: a header, a query parameter or
 * the body `equalTo`, `contains`, `matches` (a regular expression, the whole value), `doesNotMatch`, `absent`; the
 * body also `equalToJson` (ignoring array order and extra members when asked) and `matchesJsonPath`.
 *
 * Costs are known before a stub is taken: regular expressions run on RE2's linear-time engine (re2js), which has no
 * backreferences or lookaround — a pattern that needs them could backtrack and is refused at creation; JSONPath is
 * our subset (json-path.ts); and a JSON comparison counts its steps against MATCH_STEPS_MAX, a comparison that would
 * take more being a miss that says so.
 */

export type ValueMatcher =
  | { equalTo: string; caseInsensitive?: boolean }
  | { contains: string }
  | { matches: string }
  | { doesNotMatch: string }
  | { absent: true };

/** A header or query parameter: a text is `equalTo` it (the stubs of issue 17 gave texts). */
export type ValuePattern = string | ValueMatcher;

export interface JsonEquality {
  /** A JSON value, or a text holding one. */
  equalToJson: unknown;
  ignoreArrayOrder?: boolean;
  /** Members the expected object does not name, and array items past the expected ones, are allowed. */
  ignoreExtraElements?: boolean;
}

/** What the value a JSON path selects is matched against (any one selected value matching is enough). */
export type JsonPathMatcher = { expression: string } & (ValueMatcher | JsonEquality | Record<never, never>);

export type BodyPattern =
  Exclude<ValueMatcher, { absent: true }> | JsonEquality | { matchesJsonPath: string | JsonPathMatcher };

/** The longest regular expression taken, and the largest program it may compile to (RE2 instructions). */
export const PATTERN_MAX_LENGTH = 1000;
export const PATTERN_PROGRAM_MAX = 2000;

/**
 * What a compiled regular expression holds, about: measured with re2js 2.10 (`abc` 3.9 KB, `.{100}` 9.8 KB,
 * `[a-z]{1000}` 78 KB). Counted in its stub's bytes, so that the stubs' bound holds for what they compile to:
 * `a{1000}` is 7 characters of JSON and 78 KB compiled.
 */
export const regexBytes = (regex: RE2JS) => 4096 + 80 * regex.programSize();
/** What one JSON comparison (equalToJson) may cost, in values compared. */
export const MATCH_STEPS_MAX = 1_000_000;

/** A matcher that cannot be taken: the message says why. */
export class MatcherError extends Error {}

class OverBudget extends Error {}

/** The work one evaluation of a stub or a verify filter may do. */
export interface Budget {
  steps: number;
}

export const newBudget = (): Budget => ({ steps: MATCH_STEPS_MAX });

function spend(budget: Budget, steps = 1): void {
  budget.steps -= steps;
  if (budget.steps < 0) throw new OverBudget();
}

/** A compiled matcher: whether a value (undefined: absent) passes, and what it expects, for near misses. */
export interface CompiledValue {
  test(value: string | undefined, budget: Budget): boolean;
  expected: string;
  /** What it holds in memory past its JSON, about (a regular expression's compiled program). */
  bytes?: number;
}

function compileRegex(pattern: string): RE2JS {
  if (pattern.length > PATTERN_MAX_LENGTH) throw new MatcherError(`at most ${PATTERN_MAX_LENGTH} characters`);
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern);
  } catch (error) {
    // RE2 refuses what would need backtracking (backreferences, lookaround) with a syntax error naming it.
    throw new MatcherError(
      `${(error as Error).message.replace(/^error parsing regexp: /, '')} (RE2 syntax, run in linear time: no ` +
        'backreferences or lookaround)',
    );
  }
  if (regex.programSize() > PATTERN_PROGRAM_MAX) {
    throw new MatcherError(
      `compiles to ${regex.programSize()} instructions, more than ${PATTERN_PROGRAM_MAX} (a large repeat count?)`,
    );
  }
  return regex;
}

const shown = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);

export function compileValue(pattern: ValuePattern): CompiledValue {
  if (typeof pattern === 'string') return compileValue({ equalTo: pattern });
  if ('absent' in pattern) return { expected: 'absent', test: (value) => value === undefined };
  if ('equalTo' in pattern) {
    const wanted = pattern.caseInsensitive ? pattern.equalTo.toLowerCase() : pattern.equalTo;
    return {
      expected: `equalTo ${shown(pattern.equalTo)}${pattern.caseInsensitive ? ' (any case)' : ''}`,
      test: (value) => value !== undefined && (pattern.caseInsensitive ? value.toLowerCase() : value) === wanted,
    };
  }
  if ('contains' in pattern) {
    return {
      expected: `contains ${shown(pattern.contains)}`,
      test: (value, budget) => value !== undefined && scanned(value, budget) && value.includes(pattern.contains),
    };
  }
  if ('matches' in pattern) {
    const regex = compileRegex(pattern.matches);
    return {
      expected: `matches /${pattern.matches}/`,
      bytes: regexBytes(regex),
      test: (value, budget) => value !== undefined && scanned(value, budget) && regex.matches(value),
    };
  }
  const regex = compileRegex(pattern.doesNotMatch);
  return {
    expected: `doesNotMatch /${pattern.doesNotMatch}/`,
    bytes: regexBytes(regex),
    test: (value, budget) => value !== undefined && scanned(value, budget) && !regex.matches(value),
  };
}

/** A text about to be searched (linear in its length) is paid for by its length: true once paid. */
const CHARACTERS_PER_STEP = 32;
function scanned(text: string, budget: Budget): true {
  spend(budget, Math.ceil(text.length / CHARACTERS_PER_STEP));
  return true;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

interface JsonOptions {
  ignoreArrayOrder: boolean;
  ignoreExtraElements: boolean;
}

/** Whether `actual` equals `expected` as JSON, under the options; counts its steps. */
function jsonEqual(expected: unknown, actual: unknown, options: JsonOptions, budget: Budget): boolean {
  spend(budget);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    if (actual.length < expected.length || (!options.ignoreExtraElements && actual.length !== expected.length)) {
      return false;
    }
    if (!options.ignoreArrayOrder) return expected.every((item, i) => jsonEqual(item, actual[i], options, budget));
    return unorderedMatch(expected, actual, options, budget);
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return false;
    const keys = Object.keys(expected);
    if (!options.ignoreExtraElements && Object.keys(actual).length !== keys.length) return false;
    return keys.every((key) => Object.hasOwn(actual, key) && jsonEqual(expected[key], actual[key], options, budget));
  }
  return expected === actual;
}

/**
 * Each expected item paired with a different actual item (a bipartite matching, Kuhn's augmenting paths), each pair
 * compared at most once.
 */
function unorderedMatch(expected: unknown[], actual: unknown[], options: JsonOptions, budget: Budget): boolean {
  spend(budget, expected.length * actual.length);
  const fits = new Map<number, boolean>();
  const fit = (e: number, a: number): boolean => {
    const key = e * actual.length + a;
    let known = fits.get(key);
    if (known === undefined) fits.set(key, (known = jsonEqual(expected[e], actual[a], options, budget)));
    return known;
  };
  const owner = new Int32Array(actual.length).fill(-1);
  for (let e = 0; e < expected.length; e++) {
    const visited = new Uint8Array(actual.length);
    const place = (item: number): boolean => {
      for (let a = 0; a < actual.length; a++) {
        if (visited[a] || !fit(item, a)) continue;
        visited[a] = 1;
        spend(budget);
        if (owner[a] === -1 || place(owner[a]!)) {
          owner[a] = item;
          return true;
        }
      }
      return false;
    };
    if (!place(e)) return false;
  }
  return true;
}

/** A text given to equalToJson holds the JSON value; anything else is the value itself. */
function expectedJson(pattern: JsonEquality): unknown {
  if (typeof pattern.equalToJson !== 'string') return pattern.equalToJson;
  try {
    return JSON.parse(pattern.equalToJson) as unknown;
  } catch (error) {
    throw new MatcherError(`equalToJson: a text must hold JSON (${(error as Error).message})`);
  }
}

/**
 * A call's body as the body matchers read it, each form worked out once for all the matchers of all the stubs a call
 * is held against: as parsed (JSON, form fields) or text, as text and as JSON.
 */
export class BodyView {
  private text_: string | undefined | null = null;
  private json_: { value: unknown } | undefined;
  private tooDeep_: boolean | undefined;

  constructor(readonly value: unknown) {}

  /** A text body as it is, any other as compact JSON (a form body: its fields as JSON); undefined: no body. */
  get text(): string | undefined {
    if (this.text_ === null) {
      this.text_ =
        this.value === undefined || this.value === null
          ? undefined
          : typeof this.value === 'string'
            ? this.value
            : JSON.stringify(this.value);
    }
    return this.text_;
  }

  /** The body as JSON: parsed already, or a text that holds JSON (else undefined). */
  get json(): unknown {
    if (!this.json_) {
      let value: unknown = this.value;
      if (typeof value === 'string') {
        try {
          value = JSON.parse(value) as unknown;
        } catch {
          value = undefined;
        }
      }
      this.json_ = { value };
    }
    return this.json_.value;
  }

  /**
   * Whether the body, as JSON, nests deeper than MAX_JSON_DEPTH: then no matcher compares it, since writing it as
   * text or walking it recursively would overflow the stack (a client's 20,000 levels are 40 KB).
   */
  get tooDeep(): boolean {
    if (this.tooDeep_ === undefined) this.tooDeep_ = pathTooDeep(this.json) !== undefined;
    return this.tooDeep_;
  }
}

/** A compiled body matcher. */
export interface CompiledBody {
  test(body: BodyView, budget: Budget): boolean;
  expected: string;
  /** As CompiledValue's. */
  bytes?: number;
}

function compileJsonEquality(pattern: JsonEquality): (value: unknown, budget: Budget) => boolean {
  const expected = expectedJson(pattern);
  const options = {
    ignoreArrayOrder: pattern.ignoreArrayOrder === true,
    ignoreExtraElements: pattern.ignoreExtraElements === true,
  };
  return (value, budget) => jsonEqual(expected, value, options, budget);
}

function jsonEqualityName(pattern: JsonEquality): string {
  const options = [
    pattern.ignoreArrayOrder ? 'any array order' : '',
    pattern.ignoreExtraElements ? 'extra elements allowed' : '',
  ].filter(Boolean);
  const text = JSON.stringify(expectedJson(pattern));
  return `equalToJson ${text.length > 200 ? `${text.slice(0, 200)}…` : text}${options.length ? ` (${options.join(', ')})` : ''}`;
}

/** The values a JSON path selects in the body, the selection paid for as it goes. */
const select = (path: JsonPath, body: BodyView, budget: Budget) =>
  selectJsonPath(path, body.json, (work) => spend(budget, work));

function compileJsonPathMatcher(spec: string | JsonPathMatcher): CompiledBody {
  const expression = typeof spec === 'string' ? spec : spec.expression;
  let path: JsonPath;
  try {
    path = compileJsonPath(expression);
  } catch (error) {
    if (error instanceof JsonPathError) throw new MatcherError(`matchesJsonPath: ${error.message}`);
    throw error;
  }
  const rest = typeof spec === 'string' ? {} : (({ expression: _, ...others }) => others)(spec);
  if (Object.keys(rest).length === 0) {
    return {
      expected: `matchesJsonPath ${expression}`,
      test: (body, budget) => select(path, body, budget).length > 0,
    };
  }
  if ('equalToJson' in rest) {
    const equal = compileJsonEquality(rest as JsonEquality);
    return {
      expected: `matchesJsonPath ${expression} ${jsonEqualityName(rest as JsonEquality)}`,
      test: (body, budget) => select(path, body, budget).some((value) => equal(value, budget)),
    };
  }
  const value = compileValue(rest as ValueMatcher);
  return {
    expected: `matchesJsonPath ${expression} ${value.expected}`,
    ...(value.bytes ? { bytes: value.bytes } : {}),
    test: (body, budget) =>
      select(path, body, budget).some((found) =>
        value.test(typeof found === 'string' ? found : JSON.stringify(found), budget),
      ),
  };
}

export function compileBody(pattern: BodyPattern): CompiledBody {
  if ('matchesJsonPath' in pattern) return compileJsonPathMatcher(pattern.matchesJsonPath);
  if ('equalToJson' in pattern) {
    const equal = compileJsonEquality(pattern);
    return { expected: jsonEqualityName(pattern), test: (body, budget) => equal(body.json, budget) };
  }
  const value = compileValue(pattern);
  return { ...value, test: (body, budget) => value.test(body.text, budget) };
}

/** Runs a test within the budget: over it, a miss that says so rather than a slow answer. */
export function withinBudget(test: () => boolean): boolean | 'over budget' {
  try {
    return test();
  } catch (error) {
    if (error instanceof OverBudget) return 'over budget';
    throw error;
  }
}

/** The values of a header or a query parameter as text (repeated ones as several). */
export function valuesOf(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** Whether a parameter's or a header's values pass: any one of them (absent: none given). */
export function testValues(matcher: CompiledValue, values: string[] | undefined, budget: Budget): boolean {
  if (values === undefined || values.length === 0) return matcher.test(undefined, budget);
  return values.some((value) => matcher.test(value, budget));
}

export { shown as shownText };
