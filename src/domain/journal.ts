import type { Decision } from './access.js';
import { compileGlob } from './glob.js';

export interface JournalEntry {
  id: number;
  at: string;
  method: string;
  path: string;
  /** Query parameters, client_secret and access_token redacted. */
  query: Record<string, string | string[]>;
  status: number;
  marketoCode?: string;
  clientId?: string;
  userId?: number;
  decision?: Decision;
  faultId?: string;
  durationMs: number;
}

export interface JournalFilter {
  clientId?: string;
  path?: string;
  decision?: 'allowed' | 'denied';
  since?: number;
  limit?: number;
}

const SECRET_PARAMS = new Set(['client_secret', 'access_token']);

export function redactQuery(query: Record<string, unknown>): Record<string, string | string[]> {
  const redacted: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    redacted[key] = SECRET_PARAMS.has(key.toLowerCase())
      ? '[redacted]'
      : Array.isArray(value)
        ? value.map(String)
        : String(value);
  }
  return redacted;
}

/** A URL for the log: parameter names are decoded before deciding what is secret (`client%5Fsecret` too). */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const pairs = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const rawKey = pair.split('=', 1)[0]!;
      let key = rawKey;
      try {
        key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      } catch {
        // A malformed escape stays as sent.
      }
      return SECRET_PARAMS.has(key.toLowerCase()) ? `${rawKey}=[redacted]` : pair;
    });
  return `${url.slice(0, start)}?${pairs.join('&')}`;
}

type Optional = 'marketoCode' | 'clientId' | 'userId' | 'decision' | 'faultId';

/**
 * What is kept per request: the URL as received and the time as a number. The entry's path, redacted query and ISO
 * time are worked out when someone reads the journal, so recording costs next to nothing on the request path.
 * Every property is always present (undefined when absent), so that all records share one object shape.
 */
export type JournalRecord = Omit<JournalEntry, 'id' | 'at' | 'path' | 'query' | Optional> & {
  [K in Optional]: JournalEntry[K] | undefined;
} & {
  atMs: number;
  url: string;
};

/** The query as sent (before validation adds defaults), repeated keys as arrays. */
function rawQuery(url: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  const start = url.indexOf('?');
  if (start < 0) return query;
  for (const [key, value] of new URLSearchParams(url.slice(start + 1))) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

function toEntry(id: number, record: JournalRecord): JournalEntry {
  const { atMs, url, method, status, marketoCode, clientId, userId, decision, faultId, durationMs } = record;
  const queryStart = url.indexOf('?');
  return {
    id,
    at: new Date(atMs).toISOString(),
    path: queryStart < 0 ? url : url.slice(0, queryStart),
    query: redactQuery(rawQuery(url)),
    method,
    status,
    ...(marketoCode !== undefined ? { marketoCode } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
    ...(userId !== undefined ? { userId } : {}),
    ...(decision !== undefined ? { decision } : {}),
    ...(faultId !== undefined ? { faultId } : {}),
    durationMs,
  };
}

interface Slot {
  id: number;
  record: JournalRecord;
  entry?: JournalEntry;
}

/** The request journal: a bounded ring, the oldest entries dropped first. */
export class Journal {
  private slots: (Slot | undefined)[];
  private next = 0;
  private count = 0;
  private lastId = 0;

  constructor(private capacity: number) {
    this.slots = new Array(capacity);
  }

  record(record: JournalRecord): void {
    this.slots[this.next] = { id: ++this.lastId, record };
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Newest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const path = filter.path ? compileGlob(filter.path) : undefined;
    const limit = filter.limit ?? 100;
    const found: JournalEntry[] = [];
    for (let i = 1; i <= this.count && found.length < limit; i++) {
      const slot = this.slots[(this.next - i + this.capacity) % this.capacity]!;
      const entry = (slot.entry ??= toEntry(slot.id, slot.record));
      if (filter.clientId !== undefined && entry.clientId !== filter.clientId) continue;
      if (path && !path(entry.path)) continue;
      if (
        filter.decision &&
        (entry.decision === undefined || entry.decision.allowed !== (filter.decision === 'allowed'))
      ) {
        continue;
      }
      if (filter.since !== undefined && slot.record.atMs < filter.since) continue;
      found.push(entry);
    }
    return found;
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.slots = new Array(this.capacity);
    this.next = 0;
    this.count = 0;
  }
}
