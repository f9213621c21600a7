import { MAX_JSON_DEPTH } from './depth.js';
import { compileGlob } from './glob.js';
import {
  type BodyPattern,
  BodyView,
  type Budget,
  type CompiledBody,
  type CompiledValue,
  compileBody,
  compileValue,
  newBudget,
  shownText,
  testValues,
  type ValuePattern,
  valuesOf,
  withinBudget,
} from './matchers.js';

/**
 * What a stub matches and what `verify` looks for (issue 33): one shape, one evaluation, so that a stub's near miss
 * and a failed verification name the same parts. Every part given must hold; a part not given matches anything.
 */
export interface RequestPattern {
  method?: string;
  /** Glob: `*` within a segment, `**` across segments. */
  path?: string;
  /** Each parameter: a text it must equal, or a matcher; repeated parameters: any one value. */
  query?: Record<string, ValuePattern>;
  /** Each header (any case): a text it must equal, or a matcher. */
  headers?: Record<string, ValuePattern>;
  clientId?: string;
  /** A JSON subset the body must contain (issue 17): objects as subsets, arrays item by item. */
  body?: unknown;
  /** Body matchers, all of which must hold (WireMock's bodyPatterns). */
  bodyPatterns?: BodyPattern[];
}

/** A call as a matcher sees it: at the gate (the request) or later (a journal entry). */
export interface RequestFacts {
  method: string;
  path: string;
  query: Record<string, unknown> | undefined;
  headers: Record<string, unknown> | undefined;
  /** The body as parsed (JSON, form fields) or text; undefined when there was none. */
  body: unknown;
  clientId: string | undefined;
  /** The journal kept only the start of the body: a body matcher's miss may be the cut's. */
  bodyCut?: boolean;
}

/** One part of a pattern a call failed: which, what it wanted, what the call had. */
export interface Miss {
  part: string;
  expected: string;
  actual?: string;
}

/** Whether `actual` holds everything `expected` says: objects as subsets, arrays item by item, the rest by equality. */
export function containsJson(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return actual === expected;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, index) => containsJson(actual[index], item))
    );
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
  return Object.entries(expected).every(
    ([key, value]) => Object.hasOwn(actual, key) && containsJson((actual as Record<string, unknown>)[key], value),
  );
}

interface Part {
  name: string;
  expected: string;
  /** What its compiled matcher holds in memory, about (CompiledValue.bytes). */
  bytes?: number;
  /** undefined: passes; otherwise what the call had (for the near miss). */
  check(facts: RequestFacts, budget: Budget): { actual?: string } | undefined;
}

const describeValues = (values: string[] | undefined) =>
  values === undefined ? 'absent' : values.map((value) => shownText(value)).join(', ');

function valuePart(name: string, matcher: CompiledValue, read: (facts: RequestFacts) => string[] | undefined): Part {
  return {
    name,
    expected: matcher.expected,
    ...(matcher.bytes ? { bytes: matcher.bytes } : {}),
    check(facts, budget) {
      const values = read(facts);
      const passed = withinBudget(() => testValues(matcher, values, budget));
      if (passed === true) return undefined;
      return { actual: passed === 'over budget' ? 'not compared: over the matching budget' : describeValues(values) };
    },
  };
}

// One view of a call's body for every body matcher it is held against (its text and JSON worked out once).
const bodyViews = new WeakMap<RequestFacts, BodyView>();

function bodyView(facts: RequestFacts): BodyView {
  let view = bodyViews.get(facts);
  if (!view) bodyViews.set(facts, (view = new BodyView(facts.body)));
  return view;
}

const TOO_DEEP = `not compared: nested deeper than ${MAX_JSON_DEPTH} levels`;

function bodyDescription(facts: RequestFacts): string {
  if (facts.body === undefined) return 'no body';
  if (bodyView(facts).tooDeep) return TOO_DEEP;
  return `${shownText(bodyView(facts).text ?? String(facts.body))}${facts.bodyCut ? ' (cut by the journal)' : ''}`;
}

function bodyPart(index: number, matcher: CompiledBody): Part {
  return {
    name: `bodyPatterns[${index}]`,
    expected: matcher.expected,
    ...(matcher.bytes ? { bytes: matcher.bytes } : {}),
    check(facts, budget) {
      const view = bodyView(facts);
      if (view.tooDeep) return { actual: TOO_DEEP };
      const passed = withinBudget(() => matcher.test(view, budget));
      if (passed === true) return undefined;
      return { actual: passed === 'over budget' ? 'not compared: over the matching budget' : bodyDescription(facts) };
    },
  };
}

/** The header values of a call by lower-case name. */
function headerValues(headers: Record<string, unknown> | undefined, name: string): string[] | undefined {
  return valuesOf(headers?.[name]);
}

function queryValues(query: Record<string, unknown> | undefined, name: string): string[] | undefined {
  return query && Object.hasOwn(query, name) ? valuesOf(query[name]) : undefined;
}

/** A pattern compiled once (its glob, regular expressions, JSON paths); throws a MatcherError for a bad matcher. */
export class CompiledPattern {
  private readonly parts_: Part[] = [];
  readonly method: string | undefined;
  private readonly pathMatches: ((path: string) => boolean) | undefined;

  constructor(readonly pattern: RequestPattern) {
    this.method = pattern.method?.toUpperCase();
    this.pathMatches = pattern.path === undefined ? undefined : compileGlob(pattern.path);
    if (this.method) {
      const method = this.method;
      this.parts_.push({
        name: 'method',
        expected: method,
        check: (facts) => (facts.method === method ? undefined : { actual: facts.method }),
      });
    }
    if (this.pathMatches) {
      const matches = this.pathMatches;
      this.parts_.push({
        name: 'path',
        expected: pattern.path!,
        check: (facts) => (matches(facts.path) ? undefined : { actual: facts.path }),
      });
    }
    for (const [name, value] of Object.entries(pattern.query ?? {})) {
      this.parts_.push(valuePart(`query.${name}`, compileValue(value), (facts) => queryValues(facts.query, name)));
    }
    for (const [name, value] of Object.entries(pattern.headers ?? {})) {
      const lower = name.toLowerCase();
      this.parts_.push(
        valuePart(`headers.${name}`, compileValue(value), (facts) => headerValues(facts.headers, lower)),
      );
    }
    if (pattern.clientId !== undefined) {
      const clientId = pattern.clientId;
      this.parts_.push({
        name: 'clientId',
        expected: clientId,
        check: (facts) => (facts.clientId === clientId ? undefined : { actual: facts.clientId ?? 'none' }),
      });
    }
    if (pattern.body !== undefined) {
      const subset = pattern.body;
      const text = JSON.stringify(subset);
      this.parts_.push({
        name: 'body',
        expected: `contains the JSON ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`,
        check: (facts) =>
          !bodyView(facts).tooDeep && containsJson(facts.body, subset) ? undefined : { actual: bodyDescription(facts) },
      });
    }
    (pattern.bodyPatterns ?? []).forEach((body, i) => this.parts_.push(bodyPart(i, compileBody(body))));
  }

  /** Whether method and path match (all that is known before the body and the token). */
  matchesRoute(method: string, path: string): boolean {
    return (!this.method || this.method === method) && (!this.pathMatches || this.pathMatches(path));
  }

  /**
   * The parts the call fails, in the pattern's order; with `first`, only the first (matching needs no more).
   * `skip` leaves parts out (the gate checks the client id once the token is read).
   */
  misses(facts: RequestFacts, options: { first?: boolean; skip?: string } = {}, budget = newBudget()): Miss[] {
    const found: Miss[] = [];
    for (const part of this.parts_) {
      if (part.name === options.skip) continue;
      const miss = part.check(facts, budget);
      if (!miss) continue;
      found.push({ part: part.name, expected: part.expected, ...miss });
      if (options.first) break;
    }
    return found;
  }

  matches(facts: RequestFacts, skip?: string): boolean {
    return this.misses(facts, { first: true, ...(skip ? { skip } : {}) }).length === 0;
  }

  /** The parts, by name and what each expects. */
  parts(): { name: string; expected: string }[] {
    return this.parts_.map(({ name, expected }) => ({ name, expected }));
  }

  /** What its compiled matchers hold in memory past the pattern's JSON, about (its regular expressions). */
  get compiledBytes(): number {
    return this.parts_.reduce((sum, part) => sum + (part.bytes ?? 0), 0);
  }

  /** How many parts the pattern has (a call failing all of them did not come close). */
  get size(): number {
    return this.parts_.length;
  }
}
