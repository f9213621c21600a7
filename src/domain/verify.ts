import type { Journal, JournalEntry, JournalFilter } from './journal.js';
import { compileGlob } from './glob.js';
import { newBudget } from './matchers.js';
import { CompiledPattern, type Miss, type RequestFacts, type RequestPattern } from './request-pattern.js';

/** What `verify` looks for: the journal's filter and the stubs' matchers (query, headers, body, bodyPatterns). */
export type VerifyFilter = JournalFilter & Pick<RequestPattern, 'query' | 'headers' | 'body' | 'bodyPatterns'>;

/** A journal entry as the stubs' matchers see a call (its body as the journal kept it, secrets redacted). */
export function entryFacts(entry: JournalEntry): RequestFacts {
  return {
    method: entry.method,
    path: entry.path,
    query: entry.query,
    headers: entry.headers,
    body: entry.body,
    clientId: entry.clientId,
    ...(entry.truncated ? { bodyCut: true } : {}),
  };
}

/** How many matching requests a `verify` expects: exactly N, or a range. */
export type ExpectedCount = number | { atLeast?: number; atMost?: number };

type Criterion = { name: string; wanted: string; test: (entry: JournalEntry) => boolean };

/** The filter's conditions one by one, so a near miss can say which of them it failed. */
function criteria(filter: VerifyFilter): Criterion[] {
  const list: Criterion[] = [];
  if (filter.method !== undefined) {
    const method = filter.method.toUpperCase();
    list.push({ name: 'method', wanted: method, test: (entry) => entry.method === method });
  }
  if (filter.path !== undefined) {
    const path = compileGlob(filter.path);
    list.push({ name: 'path', wanted: filter.path, test: (entry) => path(entry.path) });
  }
  if (filter.clientId !== undefined) {
    list.push({ name: 'clientId', wanted: filter.clientId, test: (entry) => entry.clientId === filter.clientId });
  }
  if (filter.decision !== undefined) {
    const allowed = filter.decision === 'allowed';
    list.push({ name: 'decision', wanted: filter.decision, test: (entry) => entry.decision?.allowed === allowed });
  }
  if (filter.code !== undefined) {
    list.push({ name: 'code', wanted: filter.code, test: (entry) => entry.marketoCode === filter.code });
  }
  if (filter.stubId !== undefined) {
    list.push({ name: 'stubId', wanted: filter.stubId, test: (entry) => entry.stubId === filter.stubId });
  }
  return list;
}

function countMatches(expected: ExpectedCount, found: number): boolean {
  if (typeof expected === 'number') return found === expected;
  return found >= (expected.atLeast ?? 0) && found <= (expected.atMost ?? Number.POSITIVE_INFINITY);
}

function describeCount(expected: ExpectedCount): string {
  if (typeof expected === 'number') return `exactly ${expected}`;
  const parts = [];
  if (expected.atLeast !== undefined) parts.push(`at least ${expected.atLeast}`);
  if (expected.atMost !== undefined) parts.push(`at most ${expected.atMost}`);
  return parts.join(' and ') || 'any number of';
}

function describeEntry(entry: JournalEntry): string {
  const code = entry.marketoCode ? ` → ${entry.marketoCode}` : ` → HTTP ${entry.status}`;
  const who = entry.clientId ? ` (client ${entry.clientId})` : '';
  const stub = entry.stubId ? ` [stub ${entry.stubId}]` : '';
  return `${entry.method} ${entry.path}${code}${who}${stub}`;
}

function describeMiss(miss: Miss): string {
  return miss.actual === undefined ? miss.part : `${miss.part} (wanted ${miss.expected}, got ${miss.actual})`;
}

/** What a verification found: whether the count held, the matching entries, the closest others, and what it says. */
export interface Verification {
  verified: boolean;
  /** What was asked, in words: "exactly 1 request(s) matching path=/rest/v1/leads.json". */
  expected: string;
  /** The matching entries, newest first. */
  matching: JournalEntry[];
  /** The entries that failed the fewest conditions (at most 5), with the conditions they failed. */
  closest: { entry: JournalEntry; misses: Miss[] }[];
  /** The failure as `verify` throws it (expected, found, closest); undefined when verified. */
  message: string | undefined;
}

/**
 * WireMock's `verify`: the requests in `entries` (the journal, newest first) that match `filter` — the journal's
 * conditions and the stubs' matchers (a MatcherError for a matcher that cannot be taken) — counted against
 * `expected`; when the count is wrong, a message saying what was expected, what was found, and the requests that came
 * closest (those failing the fewest conditions, with the conditions they failed and, for matchers, what they had).
 */
export function verification(
  entries: readonly JournalEntry[],
  filter: VerifyFilter,
  expected: ExpectedCount = { atLeast: 1 },
): Verification {
  const pattern = new CompiledPattern({
    ...(filter.query ? { query: filter.query } : {}),
    ...(filter.headers ? { headers: filter.headers } : {}),
    ...(filter.body !== undefined ? { body: filter.body } : {}),
    ...(filter.bodyPatterns ? { bodyPatterns: filter.bodyPatterns } : {}),
  });
  const listed = criteria(filter);
  const conditions = [
    ...listed.map((condition) => ({ name: condition.name, wanted: condition.wanted })),
    ...pattern.parts().map((part) => ({ name: part.name, wanted: part.expected })),
  ];
  const since = filter.since;
  const inTime = since === undefined ? entries : entries.filter((entry) => Date.parse(entry.at) >= since);
  // Each entry is held against the matchers with a budget of its own, as each call was against a stub's: with one
  // budget for all, the later entries would be "over budget" once the earlier ones had spent it, whatever they hold.
  const scored = inTime.map((entry) => ({
    entry,
    failed: [
      ...listed
        .filter((condition) => !condition.test(entry))
        .map((condition): Miss => ({ part: condition.name, expected: condition.wanted })),
      ...(pattern.size > 0 ? pattern.misses(entryFacts(entry), {}, newBudget()) : []),
    ],
  }));
  const matching = scored.filter((item) => item.failed.length === 0).map((item) => item.entry);
  const wanted = conditions.map((condition) => `${condition.name}=${condition.wanted}`).join(', ') || 'any request';
  const asked = `${describeCount(expected)} request(s) matching ${wanted}`;
  const close = scored
    .filter((item) => item.failed.length > 0 && item.failed.length < conditions.length)
    .sort((a, b) => a.failed.length - b.failed.length)
    .slice(0, 5);
  const closest = close.map((item) => ({ entry: item.entry, misses: item.failed }));
  if (countMatches(expected, matching.length)) {
    return { verified: true, expected: asked, matching, closest, message: undefined };
  }
  const lines = [`fake-marketo: expected ${asked}; found ${matching.length}.`];
  if (matching.length > 0) lines.push('Matching:', ...matching.slice(0, 5).map((entry) => `  ${describeEntry(entry)}`));
  if (close.length > 0) {
    lines.push(
      'Closest:',
      ...close.map((item) => `  ${describeEntry(item.entry)}: differs in ${item.failed.map(describeMiss).join(', ')}`),
    );
  } else if (matching.length === 0) {
    lines.push(
      inTime.length === 0
        ? 'The journal holds no requests.'
        : `Nothing came close; the latest: ${inTime.slice(0, 3).map(describeEntry).join('; ')}`,
    );
  }
  return { verified: false, expected: asked, matching, closest, message: lines.join('\n') };
}

/** The requests `verification` found when the count held; otherwise an Error with its message. */
export function verifyRequests(
  entries: readonly JournalEntry[],
  filter: VerifyFilter,
  expected?: ExpectedCount,
): JournalEntry[] {
  const result = verification(entries, filter, expected);
  if (!result.verified) throw new Error(result.message);
  return result.matching;
}

/** A verification over everything the journal holds (fake.verify, POST /admin/requests/verify). */
export const verifyJournal = (journal: Journal, filter: VerifyFilter, expected?: ExpectedCount): Verification =>
  verification(journal.list({ limit: journal.size || 1 }).items, filter, expected);
