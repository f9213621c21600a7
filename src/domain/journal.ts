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
  /** The stub that answered (issue 17). */
  stubId?: string;
  /** No route or stub served the call: it was answered 610 (an unknown path) or 605 (a known path, another verb). */
  unmatched?: true;
  /** The request headers (lower-case names), the credentials of Authorization and Cookie redacted. */
  headers?: Record<string, string | string[]>;
  /** Per-record outcomes of a Marketo answer: how many records of `result` had each status (`created: 2, skipped: 1`). */
  outcomes?: Record<string, number>;
  /**
   * The request body as received (JSON, a form body as its fields, a text body as text), client_secret and
   * access_token redacted (`redactBodyText`); a string when it was cut to fit the entry (`truncated`).
   */
  body?: unknown;
  durationMs: number;
  /** The query and body were longer than an entry keeps (ENTRY_QUERY_MAX_BYTES): they were cut. */
  truncated?: true;
}

/** One GET /admin/requests answer: `stoppedEarly` when more matched than one answer holds. */
export interface JournalPage {
  items: JournalEntry[];
  stoppedEarly?: true;
}

/*
 * Journal bounds (decision of issue 11, bodies added by issue 17): an entry keeps at most 64 KiB of query and body
 * together (a form POST's body joins its query in the form tunnel), the query first, longer values and bodies cut and
 * the entry marked `truncated: true`; the
 * journal holds at most JOURNAL_MAX_BYTES besides JOURNAL_LIMIT entries, dropping the oldest first; one
 * GET /admin/requests answer holds at most 8 MiB and says `stoppedEarly: true` when it stopped before `limit`.
 */
export const ENTRY_QUERY_MAX_BYTES = 64 * 1024;
export const ANSWER_MAX_BYTES = 8 * 1024 * 1024;
/** What an entry costs besides its URL: the record, its rendered form, a decision (measured to be under this). */
const ENTRY_OVERHEAD_BYTES = 1024;

export interface JournalFilter {
  method?: string;
  clientId?: string;
  /** The Marketo code of the answer (`marketoCode`). */
  code?: string;
  stubId?: string;
  path?: string;
  decision?: 'allowed' | 'denied';
  /** Only calls that no route or stub served. */
  unmatched?: boolean;
  since?: number;
  limit?: number;
}

const SECRET_PARAMS = new Set(['client_secret', 'access_token']);

/** Queries are data: kept in objects without a prototype, so `constructor` or `__proto__` is a name like any other. */
function emptyQuery(): Record<string, string | string[]> {
  return Object.create(null) as Record<string, string | string[]>;
}

export function redactQuery(query: Record<string, unknown>): Record<string, string | string[]> {
  const redacted = emptyQuery();
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

type Optional = 'marketoCode' | 'clientId' | 'userId' | 'decision' | 'faultId' | 'stubId' | 'outcomes' | 'unmatched';

/**
 * What is kept per request: the URL as received and the time as a number. The entry's path, redacted query and ISO
 * time are worked out when someone reads the journal, so recording costs next to nothing on the request path.
 * Every property is always present (undefined when absent), so that all records share one object shape.
 */
export type JournalRecord = Omit<JournalEntry, 'id' | 'at' | 'path' | 'query' | 'body' | 'headers' | Optional> & {
  [K in Optional]: JournalEntry[K] | undefined;
} & {
  atMs: number;
  url: string;
  /** Set by the journal for a query longer than an entry keeps: the cut query (`url` is then the path alone). */
  cutQuery?: Record<string, string | string[]>;
  /** The body as JSON text (undefined: no body); parsed and redacted only when the journal is read. */
  bodyText: string | undefined;
  /** Set by the journal when the body was cut to fit the entry. */
  bodyCut?: true;
  /** The request's headers as Node parsed them (kept as they are; redacted when read). */
  headers: Record<string, string | string[] | undefined> | undefined;
  /** Set by the journal when the headers were over ENTRY_HEADERS_MAX_BYTES and cut. */
  headersCut?: true;
};

/** What an entry keeps of the headers: Node's own limit for a request's headers (16 KiB); past it they are cut. */
export const ENTRY_HEADERS_MAX_BYTES = 16 * 1024;

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * Headers as an entry shows them: the credentials of Authorization kept to their scheme, cookies redacted, and the
 * fake's own `x-fake-marketo-*` headers left out.
 */
function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const redacted = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of Object.entries(headers)) {
    // The fake's own headers (the form tunnel's secret) are not the client's.
    if (value === undefined || name.startsWith('x-fake-marketo-')) continue;
    if (!CREDENTIAL_HEADERS.has(name)) {
      redacted[name] = value;
      continue;
    }
    const redact = (text: string) => (name === 'cookie' ? REDACTED : `${text.split(' ', 1)[0]} ${REDACTED}`);
    redacted[name] = Array.isArray(value) ? value.map(redact) : redact(value);
  }
  return redacted;
}

/** The bytes of a request's headers, names and values; counted once per recorded request. */
function headerBytes(headers: Record<string, string | string[] | undefined>): number {
  let bytes = 0;
  for (const name in headers) {
    const value = headers[name];
    bytes +=
      name.length + (typeof value === 'string' ? value.length : Array.isArray(value) ? value.join('').length : 0);
  }
  return bytes;
}

/** The headers within ENTRY_HEADERS_MAX_BYTES, those past it left out (a request sent without a socket may be longer). */
function cutHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const cut = Object.create(null) as Record<string, string | string[]>;
  let left = ENTRY_HEADERS_MAX_BYTES;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join('') : value;
    if (name.length + text.length > left) break;
    left -= name.length + text.length;
    cut[name] = Array.isArray(value) ? value.map((item) => flat(item)) : flat(value);
  }
  return cut;
}

/**
 * How many records of a Marketo answer's `result` had each status: only answers whose records carry one (writes), so a
 * read of 300 leads costs one look at its first record.
 */
export function recordOutcomes(payload: unknown): Record<string, number> | undefined {
  const result = (payload as { result?: unknown } | null)?.result;
  if (!Array.isArray(result) || typeof (result[0] as { status?: unknown } | undefined)?.status !== 'string') {
    return undefined;
  }
  const counts: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const item of result as { status?: unknown }[]) {
    const status = typeof item?.status === 'string' ? item.status : 'none';
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

/*
 * Secrets in a body (issue 23, item 8): the value of every key named client_secret or access_token (any case), at any
 * depth and whatever the value is (a string, a number, an object, an array). A text body (text/plain, e.g. a token
 * request sent with the wrong content type) is searched as text: its form pairs (`client_secret=…`, the name decoded)
 * and its JSON members (`"client_secret": …`). A body too long for its entry is redacted before it is cut.
 */
const REDACTED = '[redacted]';

function isSecretName(name: string): boolean {
  return SECRET_PARAMS.has(name.toLowerCase());
}

/** `name=value` pairs of a form-encoded text, split at `&` and line ends. */
const FORM_PAIR = /(^|[&\r\n])([^=&\r\n]*)=([^&\r\n]*)/g;

function formName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).trim();
  } catch {
    return raw.trim();
  }
}

/** The end of the JSON string that starts at `start` (a `"`): the index after its closing quote, or the text's end. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x5c) i++;
    else if (char === 0x22) return i + 1;
  }
  return text.length;
}

/** The end of the JSON value that starts at `start` (or of as much of it as the text holds). */
function endOfValue(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return endOfString(text, start);
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const char = text[i];
      if (char === '"') i = endOfString(text, i) - 1;
      else if (char === '{' || char === '[') depth++;
      else if ((char === '}' || char === ']') && --depth === 0) return i + 1;
    }
    return text.length;
  }
  let i = start;
  while (i < text.length && !',}] \t\r\n'.includes(text[i]!)) i++;
  return i;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  return i;
}

/** The member name a JSON string spells (escapes decoded), or undefined when it is cut or malformed. */
function jsonName(literal: string): string | undefined {
  try {
    const name: unknown = JSON.parse(literal);
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

const SECRET_LITERAL_MAX = 2 + 6 * 'client_secret'.length;

/** JSON (or JSON cut short) with the value of every secret member replaced; one pass over the text. */
export function redactJsonText(text: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '"') continue;
    const end = endOfString(text, i);
    const colon = skipSpace(text, end);
    // A secret's name is 12 or 13 characters, each at most a 6-character escape: longer names need no decoding.
    if (text[colon] === ':' && end - i <= SECRET_LITERAL_MAX) {
      const name = jsonName(text.slice(i, end));
      if (name !== undefined && isSecretName(name)) {
        const valueStart = skipSpace(text, colon + 1);
        out += `${text.slice(copied, valueStart)}"${REDACTED}"`;
        copied = endOfValue(text, valueStart);
        i = copied - 1;
        continue;
      }
    }
    i = end - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** A text body with the secrets of its form pairs and of its JSON members replaced. */
export function redactText(text: string): string {
  const pairs = text.includes('=')
    ? text.replace(FORM_PAIR, (pair, start: string, name: string) =>
        isSecretName(formName(name)) ? `${start}${name}=${REDACTED}` : pair,
      )
    : text;
  return pairs.includes('"') ? redactJsonText(pairs) : pairs;
}

/**
 * A body's JSON text with its secrets redacted: a text body (a JSON string) searched as text, anything else member by
 * member, in one pass over the text (no recursion, however deep the body).
 */
function redactBodyText(text: string): string {
  return text.startsWith('"') ? JSON.stringify(redactText(JSON.parse(text) as string)) : redactJsonText(text);
}

function bodyOf(record: JournalRecord): unknown {
  // A cut body was redacted before it was cut (Journal.cutBody), and is no longer JSON.
  return record.bodyCut ? record.bodyText : JSON.parse(redactBodyText(record.bodyText!));
}

/** The query as sent (before validation adds defaults), repeated keys as arrays. */
function rawQuery(url: string): Record<string, string | string[]> {
  const query = emptyQuery();
  const start = url.indexOf('?');
  if (start < 0) return query;
  for (const [key, value] of new URLSearchParams(url.slice(start + 1))) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

function toEntry(id: number, record: JournalRecord): JournalEntry {
  const { atMs, url, method, status, marketoCode, clientId, userId, decision, faultId, stubId, durationMs } = record;
  const queryStart = url.indexOf('?');
  return {
    id,
    at: new Date(atMs).toISOString(),
    path: queryStart < 0 ? url : url.slice(0, queryStart),
    query: redactQuery(record.cutQuery ?? rawQuery(url)),
    method,
    status,
    ...(marketoCode !== undefined ? { marketoCode } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
    ...(userId !== undefined ? { userId } : {}),
    ...(decision !== undefined ? { decision } : {}),
    ...(faultId !== undefined ? { faultId } : {}),
    ...(stubId !== undefined ? { stubId } : {}),
    ...(record.outcomes !== undefined ? { outcomes: record.outcomes } : {}),
    ...(record.unmatched ? { unmatched: true as const } : {}),
    ...(record.headers !== undefined ? { headers: redactHeaders(record.headers) } : {}),
    ...(record.bodyText !== undefined ? { body: bodyOf(record) } : {}),
    durationMs,
    ...(record.cutQuery || record.bodyCut || record.headersCut ? { truncated: true as const } : {}),
  };
}

/** The longest start of `text` that is at most `bytes` long in UTF-8, never half a character. */
function cutUtf8(text: string, bytes: number): string {
  if (bytes <= 0) return '';
  let cut = text.length > bytes ? text.slice(0, bytes) : text;
  while (Buffer.byteLength(cut) > bytes)
    cut = cut.slice(0, -Math.max(1, Math.floor((Buffer.byteLength(cut) - bytes) / 3)));
  const last = cut.charCodeAt(cut.length - 1);
  return flat(last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut);
}

/**
 * A copy of `text` that holds no reference to a longer string: V8 keeps the whole of a string alive for a slice of it,
 * so 64 KiB cut from a 1 MB query would otherwise keep the megabyte.
 */
function flat(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** The query with keys and values cut to `budget` UTF-8 bytes in all; pairs past the budget are left out. */
function cutQuery(url: string, budget: number): Record<string, string | string[]> {
  const cut = emptyQuery();
  let left = budget;
  for (const [key, values] of Object.entries(rawQuery(url))) {
    if (left <= 0) break;
    const name = cutUtf8(key, left);
    left -= Buffer.byteLength(name);
    const kept: string[] = [];
    for (const value of Array.isArray(values) ? values : [values]) {
      const part = cutUtf8(value, left);
      kept.push(part);
      left -= Buffer.byteLength(part);
      if (left <= 0) break;
    }
    cut[name] = kept.length === 1 ? kept[0]! : kept;
  }
  return cut;
}

/**
 * The request journal: a ring bounded in entries and in bytes, the oldest entries dropped first. Kept in columns, one
 * array per field growing up to the capacity, rather than an object per entry: a recorded request leaves no new object
 * here but its URL (and body text), so a full ring of a busy instance costs the garbage collector next to nothing to
 * age and keep. An entry's id is its position in the order of recording (the newest is `lastId`).
 */
export class Journal {
  private atMs: number[] = [];
  private url: (string | undefined)[] = [];
  private method: string[] = [];
  private status: number[] = [];
  private marketoCode: (string | undefined)[] = [];
  private clientId: (string | undefined)[] = [];
  private userId: (number | undefined)[] = [];
  private decision: (Decision | undefined)[] = [];
  private faultId: (string | undefined)[] = [];
  private stubId: (string | undefined)[] = [];
  private unmatched: boolean[] = [];
  private headers: (Record<string, string | string[] | undefined> | undefined)[] = [];
  private headersCut: boolean[] = [];
  private outcomes: (Record<string, number> | undefined)[] = [];
  private bodyText: (string | undefined)[] = [];
  private durationMs: number[] = [];
  private cutQuery: (Record<string, string | string[]> | undefined)[] = [];
  private bodyCut: boolean[] = [];
  /** What each entry is counted as against JOURNAL_MAX_BYTES (and an answer's 8 MiB). */
  private bytesOf: number[] = [];
  /** The entry as GET /admin/requests shows it, made on its first read. */
  private entries: (JournalEntry | undefined)[] = [];
  private next = 0;
  private count = 0;
  private lastId = 0;
  private bytes = 0;

  constructor(
    private capacity: number,
    private readonly maxBytes: number = Number.POSITIVE_INFINITY,
  ) {}

  record(record: JournalRecord): void {
    // Only a long URL can hold more than an entry keeps (a character is at least one byte).
    if (record.url.length > ENTRY_QUERY_MAX_BYTES / 3) this.cut(record);
    const bodyLength = record.bodyText?.length ?? 0;
    // Only then can query and body together be over what an entry keeps.
    if (bodyLength > 0 && (record.url.length + bodyLength) * 3 > ENTRY_QUERY_MAX_BYTES) this.cutBody(record);
    let headersBytes = record.headers ? headerBytes(record.headers) : 0;
    if (headersBytes > ENTRY_HEADERS_MAX_BYTES) {
      record.headers = cutHeaders(record.headers!);
      record.headersCut = true;
      headersBytes = headerBytes(record.headers);
    }
    const bytes =
      2 * headersBytes +
      2 * record.url.length +
      (record.cutQuery ? 2 * ENTRY_QUERY_MAX_BYTES : 0) +
      2 * (record.bodyText?.length ?? 0) +
      ENTRY_OVERHEAD_BYTES;
    while (this.count > 0 && (this.count === this.capacity || this.bytes + bytes > this.maxBytes)) this.dropOldest();
    const at = this.next;
    this.atMs[at] = record.atMs;
    this.url[at] = record.url;
    this.method[at] = record.method;
    this.status[at] = record.status;
    this.marketoCode[at] = record.marketoCode;
    this.clientId[at] = record.clientId;
    this.userId[at] = record.userId;
    this.decision[at] = record.decision;
    this.faultId[at] = record.faultId;
    this.stubId[at] = record.stubId;
    this.unmatched[at] = record.unmatched === true;
    this.headers[at] = record.headers;
    this.headersCut[at] = record.headersCut === true;
    this.outcomes[at] = record.outcomes;
    this.bodyText[at] = record.bodyText;
    this.durationMs[at] = record.durationMs;
    this.cutQuery[at] = record.cutQuery;
    this.bodyCut[at] = record.bodyCut === true;
    this.bytesOf[at] = bytes;
    this.entries[at] = undefined;
    this.lastId++;
    this.bytes += bytes;
    this.next = (at + 1) % this.capacity;
    this.count++;
  }

  /** Newest first, at most `limit` entries and ANSWER_MAX_BYTES. */
  list(filter: JournalFilter = {}): JournalPage {
    const path = filter.path ? compileGlob(filter.path) : undefined;
    const limit = filter.limit ?? 100;
    const method = filter.method?.toUpperCase();
    const found: JournalEntry[] = [];
    let bytes = 0;
    for (let i = 1; i <= this.count && found.length < limit; i++) {
      const at = (this.next - i + this.capacity) % this.capacity;
      const entry = (this.entries[at] ??= toEntry(this.lastId - i + 1, this.recordAt(at)));
      if (method !== undefined && entry.method !== method) continue;
      if (filter.clientId !== undefined && entry.clientId !== filter.clientId) continue;
      if (filter.code !== undefined && entry.marketoCode !== filter.code) continue;
      if (filter.stubId !== undefined && entry.stubId !== filter.stubId) continue;
      if (filter.unmatched !== undefined && (entry.unmatched === true) !== filter.unmatched) continue;
      if (path && !path(entry.path)) continue;
      if (
        filter.decision &&
        (entry.decision === undefined || entry.decision.allowed !== (filter.decision === 'allowed'))
      ) {
        continue;
      }
      if (filter.since !== undefined && this.atMs[at]! < filter.since) continue;
      if (bytes + this.bytesOf[at]! > ANSWER_MAX_BYTES) return { items: found, stoppedEarly: true };
      bytes += this.bytesOf[at]!;
      found.push(entry);
    }
    return { items: found };
  }

  get size(): number {
    return this.count;
  }

  /** What the kept entries are counted as, in bytes. */
  get sizeInBytes(): number {
    return this.bytes;
  }

  clear(): void {
    for (const column of [
      'atMs',
      'url',
      'method',
      'status',
      'marketoCode',
      'clientId',
      'userId',
      'decision',
      'faultId',
      'stubId',
      'unmatched',
      'headers',
      'headersCut',
      'outcomes',
      'bodyText',
      'durationMs',
      'cutQuery',
      'bodyCut',
      'bytesOf',
      'entries',
    ] as const) {
      this[column] = [];
    }
    this.next = 0;
    this.count = 0;
    this.bytes = 0;
  }

  /** The record kept at a position, as it was recorded (cut where it was too long). */
  private recordAt(at: number): JournalRecord {
    return {
      atMs: this.atMs[at]!,
      url: this.url[at]!,
      method: this.method[at]!,
      status: this.status[at]!,
      marketoCode: this.marketoCode[at],
      clientId: this.clientId[at],
      userId: this.userId[at],
      decision: this.decision[at],
      faultId: this.faultId[at],
      stubId: this.stubId[at],
      unmatched: this.unmatched[at] ? true : undefined,
      headers: this.headers[at],
      ...(this.headersCut[at] ? { headersCut: true as const } : {}),
      outcomes: this.outcomes[at],
      bodyText: this.bodyText[at],
      durationMs: this.durationMs[at]!,
      ...(this.cutQuery[at] ? { cutQuery: this.cutQuery[at] } : {}),
      ...(this.bodyCut[at] ? { bodyCut: true as const } : {}),
    };
  }

  private dropOldest(): void {
    const at = (this.next - this.count + this.capacity) % this.capacity;
    this.bytes -= this.bytesOf[at]!;
    // What may be large goes now, whether or not the position is written again soon.
    this.url[at] = undefined;
    this.bodyText[at] = undefined;
    this.headers[at] = undefined;
    this.cutQuery[at] = undefined;
    this.outcomes[at] = undefined;
    this.entries[at] = undefined;
    this.count--;
  }

  /** Keeps the body within what the query leaves of ENTRY_QUERY_MAX_BYTES. */
  private cutBody(record: JournalRecord): void {
    const queryBytes = record.cutQuery ? ENTRY_QUERY_MAX_BYTES : Buffer.byteLength(record.url);
    const budget = Math.max(0, ENTRY_QUERY_MAX_BYTES - queryBytes);
    if (Buffer.byteLength(record.bodyText!) <= budget) return;
    // Cut text is no longer JSON: its secrets go first, whatever their values are.
    record.bodyText = cutUtf8(redactBodyText(record.bodyText!), budget);
    record.bodyCut = true;
  }

  /** Keeps at most ENTRY_QUERY_MAX_BYTES of the record's query, when it is longer. */
  private cut(record: JournalRecord): void {
    const queryStart = record.url.indexOf('?');
    if (queryStart < 0 && record.url.length <= ENTRY_QUERY_MAX_BYTES) return;
    const query = queryStart < 0 ? '' : record.url.slice(queryStart + 1);
    let size = 0;
    for (const [key, value] of new URLSearchParams(query)) size += Buffer.byteLength(key) + Buffer.byteLength(value);
    const path = queryStart < 0 ? record.url : record.url.slice(0, queryStart);
    if (size <= ENTRY_QUERY_MAX_BYTES && path.length <= ENTRY_QUERY_MAX_BYTES) return;
    record.cutQuery = cutQuery(record.url, ENTRY_QUERY_MAX_BYTES);
    record.url = cutUtf8(path, ENTRY_QUERY_MAX_BYTES);
  }
}
