import type { JournalEntry, JournalFilter } from './journal.js';
import { compileGlob } from './glob.js';

/** How many matching requests a `verify` expects: exactly N, or a range. */
export type ExpectedCount = number | { atLeast?: number; atMost?: number };

type Criterion = { name: string; wanted: string; test: (entry: JournalEntry) => boolean };

/** The filter's conditions one by one, so a near miss can say which of them it failed. */
function criteria(filter: JournalFilter): Criterion[] {
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

/**
 * WireMock's `verify`, simply: the requests in `entries` (the journal, newest first) that match `filter`, when their
 * number is as expected; otherwise an Error saying what was expected, what was found, and the requests that came
 * closest (those failing the fewest of the filter's conditions, with the conditions they failed).
 */
export function verifyRequests(
  entries: readonly JournalEntry[],
  filter: JournalFilter,
  expected: ExpectedCount = { atLeast: 1 },
): JournalEntry[] {
  const conditions = criteria(filter);
  const since = filter.since;
  const inTime = since === undefined ? entries : entries.filter((entry) => Date.parse(entry.at) >= since);
  const scored = inTime.map((entry) => ({ entry, failed: conditions.filter((condition) => !condition.test(entry)) }));
  const matching = scored.filter((item) => item.failed.length === 0).map((item) => item.entry);
  if (countMatches(expected, matching.length)) return matching;
  const wanted = conditions.map((condition) => `${condition.name}=${condition.wanted}`).join(', ') || 'any request';
  const lines = [
    `fake-marketo: expected ${describeCount(expected)} request(s) matching ${wanted}; found ${matching.length}.`,
  ];
  const close = scored
    .filter((item) => item.failed.length > 0 && item.failed.length < conditions.length)
    .sort((a, b) => a.failed.length - b.failed.length)
    .slice(0, 5);
  if (matching.length > 0) lines.push('Matching:', ...matching.slice(0, 5).map((entry) => `  ${describeEntry(entry)}`));
  if (close.length > 0) {
    lines.push(
      'Closest:',
      ...close.map(
        (item) =>
          `  ${describeEntry(item.entry)}: differs in ${item.failed.map((condition) => condition.name).join(', ')}`,
      ),
    );
  } else if (matching.length === 0) {
    lines.push(
      inTime.length === 0
        ? 'The journal holds no requests.'
        : `Nothing came close; the latest: ${inTime.slice(0, 3).map(describeEntry).join('; ')}`,
    );
  }
  throw new Error(lines.join('\n'));
}
