import type { PermissionKey } from './permissions.js';
import { CompiledPattern, type Miss, type RequestFacts, type RequestPattern } from './request-pattern.js';
import { type CompiledTemplate, compileTemplate, isTemplate, TemplateError } from './stub-template.js';

export { containsJson } from './request-pattern.js';

/**
 * Stubs (issue 17, WireMock's level in issue 33): canned answers for any Marketo path, in memory like fault rules. A
 * stub matches on method, path glob, query, headers, the caller's client id and the body (a JSON subset, and
 * `bodyPatterns`: equalTo, contains, matches, equalToJson, matchesJsonPath), and answers with a status, headers and a
 * JSON or text body — templated from the request when `template` is set — or, given `responses`, with each in turn.
 * `priority`, `times` and scenarios (`scenarioName`, `requiredScenarioState`, `newScenarioState`) are WireMock's.
 */
export interface StubResponse {
  /** HTTP status (default 200). */
  status?: number;
  headers?: Record<string, string>;
  /** A JSON body… */
  body?: unknown;
  /** …or a text body (e.g. a bulk export's CSV file); `content-type` defaults to text/plain. */
  text?: string;
  /** Header values, the text and every text in the body are Handlebars templates (src/domain/stub-template.ts). */
  template?: boolean;
}

/** What a stub matches (src/domain/request-pattern.ts): a path glob always, and any of the other parts. */
export interface StubMatch extends RequestPattern {
  path: string;
}

export interface StubInput {
  id?: string;
  match: StubMatch;
  /** One answer… */
  respond?: StubResponse;
  /** …or answers in turn. */
  responses?: StubResponse[];
  /** After the last of `responses`: answer it again (default), or let the call go on as if this stub did not exist. */
  whenDone?: 'repeat-last' | 'fall-through';
  /** The permissions a real route would need (any one, in any workspace); without them the caller gets 603. */
  permissions?: PermissionKey[];
  /** false: answer without an access token (no 601/602, no permission check). Default true. */
  authenticate?: boolean;
  /** 1 is the highest; default 5. Among stubs of one priority, the newest answers. */
  priority?: number;
  /** Answer this many calls, then let the next go on as if this stub did not exist. */
  times?: number;
  /** A scenario: a named state, "Started" at first and after every reset, that stubs require and set. */
  scenarioName?: string;
  /** Only while the scenario is in this state. */
  requiredScenarioState?: string;
  /** The scenario's state once this stub has answered. */
  newScenarioState?: string;
}

export type StubSource = 'seed' | 'file' | 'admin';

export interface Stub extends StubInput {
  id: string;
  source: StubSource;
  /** Calls this stub answered. */
  hits: number;
}

export const DEFAULT_PRIORITY = 5;
export const SCENARIO_START = 'Started';

/*
 * Bounds (issue 33; README "Decisions"): a stub is at most STUB_MAX_BYTES as JSON, and holds at most
 * STUB_HELD_MAX_BYTES counting what its matchers and templates compile to (`heldBytes`: a regular expression or a
 * template may hold many times its text); the stubs of a subscription hold at most STUBS_MAX_BYTES and are at most
 * STUBS_MAX_COUNT together. Past them a new stub is refused (400 naming the bound).
 */
export const STUB_MAX_BYTES = 1024 * 1024;
export const STUB_HELD_MAX_BYTES = 8 * 1024 * 1024;
export const STUBS_MAX_BYTES = 64 * 1024 * 1024;
export const STUBS_MAX_COUNT = 10_000;

/** A response's templates, compiled once: its header values, its text, and its body with each text a template. */
export interface ResponseTemplates {
  headers: Record<string, CompiledTemplate | string>;
  text: CompiledTemplate | undefined;
  body: unknown;
  /** What they hold compiled, about (CompiledTemplate.bytes). */
  bytes: number;
}

/** The body with each text that uses the template language replaced by its compiled template. */
export class TemplateLeaf {
  constructor(readonly template: CompiledTemplate) {}
}

/** Compiles templates one by one, refusing as soon as they would hold more than a stub may (not once all are made). */
class TemplateCompiler {
  bytes = 0;

  compile(text: string): CompiledTemplate {
    const template = compileTemplate(text);
    this.bytes += template.bytes;
    if (this.bytes > STUB_HELD_MAX_BYTES) {
      throw new TemplateError(`the templates would hold more than ${STUB_HELD_MAX_BYTES} bytes compiled`);
    }
    return template;
  }

  body(value: unknown): unknown {
    if (typeof value === 'string') return isTemplate(value) ? new TemplateLeaf(this.compile(value)) : value;
    if (Array.isArray(value)) return value.map((item) => this.body(item));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        Object.defineProperty(out, key, { value: this.body(item), enumerable: true, writable: true });
      }
      return out;
    }
    return value;
  }
}

/** The templates of a response (TemplateError when one cannot be taken); undefined when it is not templated. */
export function compileResponseTemplates(response: StubResponse): ResponseTemplates | undefined {
  if (!response.template) return undefined;
  const compiler = new TemplateCompiler();
  const headers: Record<string, CompiledTemplate | string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    headers[name] = isTemplate(value) ? compiler.compile(value) : value;
  }
  const text = response.text !== undefined ? compiler.compile(response.text) : undefined;
  const body = compiler.body(response.body);
  return { headers, text, body, bytes: compiler.bytes };
}

interface ActiveStub {
  stub: Stub;
  pattern: CompiledPattern;
  templates: Map<StubResponse, ResponseTemplates>;
  priority: number;
  /** Order of adding: the newest of a priority answers. */
  order: number;
  bytes: number;
}

/** A stub refused: why, and where in it. */
export interface StubRefusal {
  path: string;
  message: string;
}

/** One stub's near miss: the parts of it the call failed. */
export interface NearMiss {
  stubId: string;
  misses: Miss[];
}

export class Stubs {
  // Priority first (1 highest), then newest first: the first that matches answers (README "Decisions").
  private stubs: ActiveStub[] = [];
  private lastId = 0;
  private order = 0;
  private bytes = 0;
  private scenarioStates = new Map<string, string>();

  /** Adds a stub (its matchers and templates compiled); an id given must be new, and the bounds kept. */
  add(input: StubInput, source: StubSource): Stub | StubRefusal {
    if (input.id !== undefined && this.stubs.some((active) => active.stub.id === input.id)) {
      return { path: 'id', message: `A stub with id ${input.id} already exists` };
    }
    const bytes = Buffer.byteLength(JSON.stringify(input));
    if (bytes > STUB_MAX_BYTES) return { path: '', message: `A stub is at most ${STUB_MAX_BYTES} bytes as JSON` };
    if (this.stubs.length >= STUBS_MAX_COUNT) return { path: '', message: `At most ${STUBS_MAX_COUNT} stubs` };
    const pattern = new CompiledPattern(input.match);
    const templates = new Map<StubResponse, ResponseTemplates>();
    let id = input.id;
    while (id === undefined || this.stubs.some((active) => active.stub.id === id)) id = `stub-${++this.lastId}`;
    const stub: Stub = { ...structuredClone(input), id, source, hits: 0 };
    const overHeld = {
      path: '',
      message: `A stub holds at most ${STUB_HELD_MAX_BYTES} bytes with its matchers and templates compiled`,
    };
    let held = bytes + pattern.compiledBytes;
    if (held > STUB_HELD_MAX_BYTES) return overHeld;
    for (const response of stub.respond ? [stub.respond] : (stub.responses ?? [])) {
      let compiled: ResponseTemplates | undefined;
      try {
        compiled = compileResponseTemplates(response);
      } catch (error) {
        if (error instanceof TemplateError) return { path: 'respond.template', message: error.message };
        throw error;
      }
      if (!compiled) continue;
      templates.set(response, compiled);
      held += compiled.bytes;
      if (held > STUB_HELD_MAX_BYTES) return overHeld;
    }
    if (this.bytes + held > STUBS_MAX_BYTES) {
      return {
        path: '',
        message: `The stubs hold at most ${STUBS_MAX_BYTES} bytes in all, their matchers and templates compiled`,
      };
    }
    const active: ActiveStub = {
      stub,
      pattern,
      templates,
      priority: input.priority ?? DEFAULT_PRIORITY,
      order: ++this.order,
      bytes: held,
    };
    const at = this.stubs.findIndex((other) => other.priority >= active.priority);
    this.stubs.splice(at < 0 ? this.stubs.length : at, 0, active);
    this.bytes += held;
    if (stub.scenarioName !== undefined && !this.scenarioStates.has(stub.scenarioName)) {
      this.scenarioStates.set(stub.scenarioName, SCENARIO_START);
    }
    return { ...stub };
  }

  /** In the order they are tried. */
  list(): Stub[] {
    return this.stubs.map((active) => ({ ...active.stub }));
  }

  get(id: string): Stub | undefined {
    const active = this.stubs.find((candidate) => candidate.stub.id === id);
    return active && { ...active.stub };
  }

  /** The stubs as a seed lists them, oldest first (so loading them again keeps their precedence). */
  toSeed(filter: (stub: Stub) => boolean = () => true): StubInput[] {
    return this.stubs
      .filter(({ stub }) => filter(stub))
      .sort((a, b) => a.order - b.order)
      .map(({ stub }) => inputOf(stub));
  }

  remove(id: string): boolean {
    const removed = this.stubs.find((active) => active.stub.id === id);
    if (!removed) return false;
    this.stubs = this.stubs.filter((active) => active !== removed);
    this.bytes -= removed.bytes;
    // A scenario goes with the last stub that names it (WireMock drops it so too): else adding and removing stubs
    // of new scenario names would grow the states without a bound.
    const scenario = removed.stub.scenarioName;
    if (scenario !== undefined && !this.stubs.some((active) => active.stub.scenarioName === scenario)) {
      this.scenarioStates.delete(scenario);
    }
    return true;
  }

  /** Marks stubs as written to the stubs directory (POST /admin/stubs/save): they are the directory's now. */
  markSaved(ids: readonly string[]): void {
    for (const active of this.stubs) if (ids.includes(active.stub.id)) active.stub.source = 'file';
  }

  /** Removes every stub and every scenario's state; `initial` (oldest first, with their sources) are added back. */
  clear(initial: readonly { input: StubInput; source: StubSource }[] = []): StubRefusal[] {
    this.stubs = [];
    this.lastId = 0;
    this.order = 0;
    this.bytes = 0;
    this.scenarioStates.clear();
    const refused: StubRefusal[] = [];
    for (const { input, source } of initial) {
      const added = this.add(input, source);
      if (isRefusal(added)) refused.push(added);
    }
    return refused;
  }

  get empty(): boolean {
    return this.stubs.length === 0;
  }

  /** Whether some live stub could answer this method and path (before the body and the caller are known). */
  mayMatch(method: string, path: string): boolean {
    return this.stubs.some((active) => this.live(active) && active.pattern.matchesRoute(method, path));
  }

  /** The live stubs that match the call apart from its caller's client id, in the order they are tried. */
  candidates(facts: RequestFacts): Stub[] {
    const found: Stub[] = [];
    for (const active of this.stubs) {
      if (!this.live(active) || !active.pattern.matchesRoute(facts.method, facts.path)) continue;
      if (active.pattern.matches(facts, 'clientId')) found.push(active.stub);
    }
    return found;
  }

  /** The stub's next answer (counting the call, moving its scenario on), or undefined when it is no longer live. */
  take(id: string): { response: StubResponse; templates: ResponseTemplates | undefined } | undefined {
    const active = this.stubs.find((candidate) => candidate.stub.id === id);
    if (!active || !this.live(active)) return undefined;
    const { stub } = active;
    const response = stub.respond ?? stub.responses![Math.min(stub.hits, stub.responses!.length - 1)]!;
    stub.hits++;
    if (stub.scenarioName !== undefined && stub.newScenarioState !== undefined) {
      this.scenarioStates.set(stub.scenarioName, stub.newScenarioState);
    }
    return { response, templates: active.templates.get(response) };
  }

  /** The scenarios the stubs name, with their states. */
  scenarios(): { name: string; state: string; states: string[] }[] {
    return [...this.scenarioStates].map(([name, state]) => {
      const states = new Set([SCENARIO_START]);
      for (const { stub } of [...this.stubs].sort((a, b) => a.order - b.order)) {
        if (stub.scenarioName !== name) continue;
        if (stub.requiredScenarioState !== undefined) states.add(stub.requiredScenarioState);
        if (stub.newScenarioState !== undefined) states.add(stub.newScenarioState);
      }
      return { name, state, states: [...states] };
    });
  }

  /** Sets a scenario's state; false when no stub names the scenario. */
  setScenarioState(name: string, state: string): boolean {
    if (!this.scenarioStates.has(name)) return false;
    this.scenarioStates.set(name, state);
    return true;
  }

  /**
   * The stubs that came closest to answering a call that none answered, at most `limit`: each with the parts of it
   * the call failed, its used-up `times` and a scenario in another state included. Closest first: a stub on the
   * call's path before one on another path, then one of its method, then the fewest misses, then in the order they
   * are tried (a decision of issue 33: as WireMock's distance, the URL weighs most — a stub on another path that
   * misses nothing else is not closer than the call's own stub with a header wrong).
   */
  nearMisses(facts: RequestFacts, limit = 3): NearMiss[] {
    const scored = this.stubs.map((active, index) => {
      const misses = this.missesOf(active, facts);
      const missed = (part: string) => (misses.some((miss) => miss.part === part) ? 1 : 0);
      return { stubId: active.stub.id, misses, path: missed('path'), method: missed('method'), index };
    });
    return scored
      .sort((a, b) => a.path - b.path || a.method - b.method || a.misses.length - b.misses.length || a.index - b.index)
      .slice(0, limit)
      .map(({ stubId, misses }) => ({ stubId, misses }));
  }

  private missesOf(active: ActiveStub, facts: RequestFacts): Miss[] {
    const misses = active.pattern.misses(facts);
    const { stub } = active;
    if (stub.times !== undefined && stub.hits >= stub.times) {
      misses.push({ part: 'times', expected: `at most ${stub.times} answer(s)`, actual: `answered ${stub.hits}` });
    } else if (stub.responses && stub.whenDone === 'fall-through' && stub.hits >= stub.responses.length) {
      misses.push({
        part: 'responses',
        expected: `${stub.responses.length} answer(s), then fall through`,
        actual: `answered ${stub.hits}`,
      });
    }
    if (!this.inState(stub)) {
      misses.push({
        part: 'scenario',
        expected: `${stub.scenarioName} in state ${JSON.stringify(stub.requiredScenarioState)}`,
        actual: JSON.stringify(this.scenarioStates.get(stub.scenarioName!)),
      });
    }
    return misses;
  }

  private inState(stub: Stub): boolean {
    return (
      stub.scenarioName === undefined ||
      stub.requiredScenarioState === undefined ||
      this.scenarioStates.get(stub.scenarioName) === stub.requiredScenarioState
    );
  }

  /** A stub answers while its `times` and a fall-through sequence last, and its scenario is in the state it needs. */
  private live({ stub }: ActiveStub): boolean {
    if (stub.times !== undefined && stub.hits >= stub.times) return false;
    if (stub.responses && stub.whenDone === 'fall-through' && stub.hits >= stub.responses.length) return false;
    return this.inState(stub);
  }
}

/** A stub as it was given: without what the fake keeps of it (source, hits). */
export function inputOf(stub: Stub): StubInput {
  const input: StubInput & Partial<Stub> = structuredClone(stub);
  delete input.source;
  delete input.hits;
  return input as StubInput;
}

export const isRefusal = (added: Stub | StubRefusal): added is StubRefusal => !('hits' in added);
