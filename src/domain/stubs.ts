import { compileGlob, type PathMatcher } from './glob.js';
import type { PermissionKey } from './permissions.js';

/**
 * Stubs (issue 17): canned answers for any Marketo path, in memory like fault rules. A stub matches on method, path
 * glob, a query subset, the caller's client id and, optionally, a JSON body subset, and answers with a status,
 * headers and a JSON or text body — or, given `responses`, with each in turn (WireMock's scenarios, simply).
 */
export interface StubResponse {
  /** HTTP status (default 200). */
  status?: number;
  headers?: Record<string, string>;
  /** A JSON body… */
  body?: unknown;
  /** …or a text body (e.g. a bulk export's CSV file); `content-type` defaults to text/plain. */
  text?: string;
}

export interface StubMatch {
  method?: string;
  path: string;
  /** Every parameter given here must be in the request's query with this value (other parameters may be there). */
  query?: Record<string, string>;
  clientId?: string;
  /** Every key given here must be in the JSON body with a matching value (objects: a subset; arrays: item by item). */
  body?: unknown;
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
}

export type StubSource = 'seed' | 'admin';

export interface Stub extends StubInput {
  id: string;
  source: StubSource;
  /** Calls this stub answered. */
  hits: number;
}

interface ActiveStub {
  stub: Stub;
  path: PathMatcher;
  method: string | undefined;
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

function queryHas(query: Record<string, unknown> | undefined, expected: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(expected)) {
    const actual = query?.[key];
    if (Array.isArray(actual) ? !actual.map(String).includes(value) : actual === undefined || String(actual) !== value)
      return false;
  }
  return true;
}

export class Stubs {
  // Newest first: the most recently added stub that matches answers (as in WireMock; README "Decisions").
  private stubs: ActiveStub[] = [];
  private lastId = 0;

  /** Adds a stub; an id given must be new. Returns undefined when the id is taken. */
  add(input: StubInput, source: StubSource): Stub | undefined {
    if (input.id !== undefined && this.stubs.some((active) => active.stub.id === input.id)) return undefined;
    let id = input.id;
    while (id === undefined || this.stubs.some((active) => active.stub.id === id)) id = `stub-${++this.lastId}`;
    const stub: Stub = { ...structuredClone(input), id, source, hits: 0 };
    this.stubs.unshift({ stub, path: compileGlob(input.match.path), method: input.match.method?.toUpperCase() });
    return { ...stub };
  }

  /** Newest first. */
  list(): Stub[] {
    return this.stubs.map((active) => ({ ...active.stub }));
  }

  /** The stubs as a seed lists them, oldest first (so loading them again keeps their precedence). */
  toSeed(): StubInput[] {
    return this.stubs
      .map(({ stub }) => {
        const input: StubInput & Partial<Stub> = structuredClone(stub);
        delete input.source;
        delete input.hits;
        return input as StubInput;
      })
      .reverse();
  }

  remove(id: string): boolean {
    const before = this.stubs.length;
    this.stubs = this.stubs.filter((active) => active.stub.id !== id);
    return this.stubs.length < before;
  }

  /** Removes every stub; `seed` (oldest first) are added back as the seed's. */
  clear(seed: readonly StubInput[] = []): void {
    this.stubs = [];
    this.lastId = 0;
    for (const input of seed) this.add(input, 'seed');
  }

  get empty(): boolean {
    return this.stubs.length === 0;
  }

  /** Whether some live stub could answer this method and path (before the body and the caller are known). */
  mayMatch(method: string, path: string): boolean {
    return this.stubs.some(
      (active) => this.live(active) && (!active.method || active.method === method) && active.path(path),
    );
  }

  /** The live stubs that match the call apart from its caller, newest first. */
  candidates(method: string, path: string, query: unknown, body: unknown): Stub[] {
    const found: Stub[] = [];
    for (const active of this.stubs) {
      const { stub } = active;
      if (!this.live(active)) continue;
      if (active.method && active.method !== method) continue;
      if (!active.path(path)) continue;
      if (stub.match.query && !queryHas(query as Record<string, unknown> | undefined, stub.match.query)) continue;
      if (stub.match.body !== undefined && !containsJson(body, stub.match.body)) continue;
      found.push(stub);
    }
    return found;
  }

  /** The stub's next answer (counting the call), or undefined when it has fallen through meanwhile. */
  take(id: string): StubResponse | undefined {
    const active = this.stubs.find((candidate) => candidate.stub.id === id);
    if (!active || !this.live(active)) return undefined;
    const { stub } = active;
    const response = stub.respond ?? stub.responses![Math.min(stub.hits, stub.responses!.length - 1)]!;
    stub.hits++;
    return response;
  }

  /** A stub of `responses` that falls through when done answers no more once each was given. */
  private live({ stub }: ActiveStub): boolean {
    return !(stub.responses && stub.whenDone === 'fall-through' && stub.hits >= stub.responses.length);
  }
}
