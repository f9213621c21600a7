import { describe, expect, it } from 'vitest';
import { ENTRY_QUERY_MAX_BYTES, Journal } from '../../src/domain/journal.js';
import { journalRecord } from '../support/journal.js';

const record = journalRecord;

describe('request bodies in the journal (issue 17)', () => {
  it('count against JOURNAL_MAX_BYTES: big bodies push the oldest entries out', () => {
    const journal = new Journal(1000, 1024 * 1024);
    const body = JSON.stringify({ note: 'x'.repeat(60 * 1024) });
    for (let i = 0; i < 20; i++) journal.record(record(`/rest/v1/leads.json?i=${i}`, body));
    expect(journal.sizeInBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(journal.size).toBeLessThan(20);
    expect(journal.list().items[0]!.query).toEqual({ i: '19' });
  });

  it('share the entry’s 64 KiB with the query: a long query leaves less for the body', () => {
    const journal = new Journal(10);
    const query = `q=${'y'.repeat(40 * 1024)}`;
    journal.record(record(`/rest/v1/leads.json?${query}`, JSON.stringify({ note: 'z'.repeat(40 * 1024) })));
    const [entry] = journal.list().items;
    expect(entry!.truncated).toBe(true);
    const bytes = Buffer.byteLength(String(entry!.body)) + Buffer.byteLength(`/rest/v1/leads.json?${query}`);
    expect(bytes).toBeLessThanOrEqual(ENTRY_QUERY_MAX_BYTES);
  });

  it('redacts secrets at any depth, and in a cut body', () => {
    const journal = new Journal(10);
    journal.record(
      record('/identity/oauth/token', JSON.stringify({ a: [{ Client_Secret: 's1' }], access_token: 't' })),
    );
    expect(journal.list().items[0]!.body).toEqual({ a: [{ Client_Secret: '[redacted]' }], access_token: '[redacted]' });
    const long = JSON.stringify({ client_secret: 'hidden-value', pad: 'p'.repeat(70 * 1024) });
    journal.record(record('/identity/oauth/token', long));
    const cut = journal.list().items[0]!;
    expect(cut.truncated).toBe(true);
    expect(String(cut.body)).not.toContain('hidden-value');
    expect(String(cut.body).startsWith('{"client_secret":"[redacted]"')).toBe(true);
  });
});
