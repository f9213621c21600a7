import type { Journal, JournalEntry } from './journal.js';
import type { NearMiss, Stubs } from './stubs.js';
import { entryFacts } from './verify.js';

/** A call no route or stub served, with the stubs that came closest and the parts of each it failed. */
export type UnmatchedRequest = JournalEntry & { nearMisses: NearMiss[] };

/**
 * WireMock's `/__admin/requests/unmatched` with its near misses (issue 33): the journal's unmatched calls, newest
 * first, each held against the stubs as they stand now (as WireMock does: a stub added since shows what it would
 * have said), at most `nearMisses` stubs per call.
 */
export function unmatchedRequests(journal: Journal, stubs: Stubs, limit = 100, nearMisses = 3): UnmatchedRequest[] {
  return journal
    .list({ unmatched: true, limit })
    .items.map((entry) => ({ ...entry, nearMisses: stubs.nearMisses(entryFacts(entry), nearMisses) }));
}
