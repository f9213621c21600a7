import type { JournalRecord } from '../../src/domain/journal.js';

/** A journal record of a POST to `url` with `bodyText`, everything else empty: for tests of the Journal itself. */
export function journalRecord(url: string, bodyText: string | undefined): JournalRecord {
  return {
    atMs: 0,
    url,
    method: 'POST',
    status: 200,
    marketoCode: undefined,
    clientId: undefined,
    userId: undefined,
    decision: undefined,
    faultId: undefined,
    stubId: undefined,
    unmatched: undefined,
    headers: undefined,
    outcomes: undefined,
    durationMs: 1,
    bodyText,
  };
}
