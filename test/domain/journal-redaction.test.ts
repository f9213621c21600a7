import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_QUERY_MAX_BYTES, Journal } from '../../src/domain/journal.js';
import { call, journalEntries, newInstance } from '../helpers.js';
import { journalRecord } from '../support/journal.js';

/**
 * Secrets in the journal (issue 23, item 8): the value of a key named client_secret or access_token is redacted at
 * any depth, whatever the value (string, number, object, array), the content type (a JSON body, a text/plain body
 * holding a form or JSON) and the size (bodies cut to fit their entry).
 */

/** Every generated secret holds this mark (strings) or is this number: neither appears anywhere else. */
const MARK = 'Sécret·Mark';
const MARK_NUMBER = 80319903178;

/** The two secret names, in any case. */
const secretName = fc
  .tuple(fc.constantFrom('client_secret', 'access_token'), fc.array(fc.boolean(), { minLength: 13, maxLength: 13 }))
  .map(([name, upper]) => [...name].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join(''));

const plain = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
const secretValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 8 }).map((text) => `${text}${MARK}${text}`),
  fc.constant(MARK_NUMBER),
  fc.constant(-MARK_NUMBER / 1000),
  fc.array(fc.oneof(plain, fc.constant(MARK)), { maxLength: 3 }).map((items) => [...items, MARK]),
  fc.dictionary(fc.string({ maxLength: 6 }), plain, { maxKeys: 3 }).map((object) => ({ ...object, [MARK]: MARK })),
  fc.constant({ deeper: [{ [MARK]: [MARK_NUMBER] }] }),
);

/** A JSON tree (objects keep key order) with secrets under some of its keys, at any depth. */
const { tree } = fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small' },
    fc
      .array(fc.tuple(fc.oneof(fc.string({ maxLength: 8 }), secretName), tie('node')), { maxLength: 4 })
      .map((pairs) => pairs),
    fc.array(tie('node'), { maxLength: 3 }),
  ),
  node: fc.oneof({ depthSize: 'small' }, plain, tie('tree')),
}));

/** Turns the generated pairs into objects, a secret's value put under each secret name. */
function materialise(value: unknown, secrets: unknown[]): unknown {
  if (!Array.isArray(value)) return value;
  if (value.every((item) => Array.isArray(item) && item.length === 2 && typeof item[0] === 'string')) {
    const object: Record<string, unknown> = {};
    for (const [key, item] of value as [string, unknown][]) {
      const secret = /^(client_secret|access_token)$/i.test(key);
      object[key] = secret
        ? (secrets[Object.keys(object).length % secrets.length] ?? MARK)
        : materialise(item, secrets);
    }
    return object;
  }
  return value.map((item) => materialise(item, secrets));
}

const body = fc
  .record({
    shape: tree,
    secrets: fc.array(secretValue, { minLength: 1, maxLength: 4 }),
    top: secretName,
    pad: fc.constantFrom(0, 70 * 1024, 200 * 1024),
    unicodePad: fc.boolean(),
  })
  .map(({ shape, secrets, top, pad, unicodePad }) => ({
    [top]: secrets[0],
    nested: materialise(shape, secrets),
    ...(pad > 0 ? { pad: (unicodePad ? 'é' : 'p').repeat(pad) } : {}),
  }));

function leaks(text: string): boolean {
  return text.includes(MARK) || text.includes(String(MARK_NUMBER)) || text.includes(String(MARK_NUMBER / 1000));
}

const record = (bodyText: string) => journalRecord('/rest/v1/leads.json', bodyText);

/** A form body's pair, its name spelled as clients may: any case, `_` escaped, `+` or `%20` around it. */
const formSecretName = fc
  .tuple(secretName, fc.boolean(), fc.constantFrom('', '+', '%20'))
  .map(([name, escape, space]) => `${space}${escape ? name.replace('_', '%5F') : name}`);

const formBody = fc
  .record({
    before: fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 3 }),
    name: formSecretName,
    value: fc.string({ maxLength: 8 }),
    after: fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 3 }),
    separator: fc.constantFrom('&', '\n', '\r\n'),
  })
  .map(({ before, name, value, after, separator }) => {
    const encode = (pairs: [string, string][]) => pairs.map((pair) => new URLSearchParams([pair]).toString());
    const secret = `${name}=${encodeURIComponent(`${value}${MARK}`)}`;
    return [...encode(before), secret, ...encode(after)].join(separator);
  });

describe('the journal redacts secrets by key (property-based)', () => {
  it('at any depth, whatever the value, in bodies kept whole and in bodies cut to fit their entry', () => {
    fc.assert(
      fc.property(body, (value) => {
        const journal = new Journal(4);
        journal.record(record(JSON.stringify(value)));
        const [entry] = journal.list().items;
        const shown = JSON.stringify(entry!.body);
        expect(leaks(shown), shown.slice(0, 400)).toBe(false);
        if (entry!.truncated) {
          expect(Buffer.byteLength(String(entry!.body))).toBeLessThanOrEqual(ENTRY_QUERY_MAX_BYTES);
        } else {
          // Nothing else is changed: the body is the one sent, but its secrets.
          expect(entry!.body).toEqual(JSON.parse(JSON.stringify(value, redactingReplacer)));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('in a text body: its form pairs (name decoded) and its JSON members', () => {
    fc.assert(
      fc.property(formBody, fc.boolean(), (text, long) => {
        const journal = new Journal(4);
        const sent = long ? `${text}&pad=${'x'.repeat(70 * 1024)}` : text;
        journal.record(record(JSON.stringify(sent)));
        const shown = String(journal.list().items[0]!.body);
        expect(leaks(shown), shown.slice(0, 200)).toBe(false);
      }),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(body, (value) => {
        const journal = new Journal(4);
        journal.record(record(JSON.stringify(JSON.stringify(value))));
        expect(leaks(String(journal.list().items[0]!.body))).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('under a name spelled with JSON escapes', () => {
    const journal = new Journal(4);
    journal.record(record(JSON.stringify(`{"client\\u005fsecret": {"a": "${MARK}"}, "b": 1}`)));
    journal.record(record(`{"\\u0061ccess_token": [${MARK_NUMBER}], "b": 1}`));
    const [second, first] = journal.list().items;
    expect(second!.body).toEqual({ access_token: '[redacted]', b: 1 });
    expect(first!.body).toBe('{"client\\u005fsecret": "[redacted]", "b": 1}');
  });

  it('leaves bodies without secrets as they were sent', () => {
    const journal = new Journal(4);
    const sent = { input: [{ email: 'a=b&client_secret', note: '"client_secret": 1' }], client_secrets: 2 };
    journal.record(record(JSON.stringify(sent)));
    expect(journal.list().items[0]!.body).toEqual(sent);
  });
});

/** The expected journal body: every secret key's value replaced. */
function redactingReplacer(key: string, value: unknown): unknown {
  return /^(client_secret|access_token)$/i.test(key) ? '[redacted]' : value;
}

describe('the journal redacts secrets of calls as sent (HTTP)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await newInstance());
  });
  afterAll(() => app.close());

  it('a text/plain token request carrying client_secret=… (issue 23, item 8)', async () => {
    const response = await call(
      app,
      'POST',
      '/identity/oauth/token',
      `grant_type=client_credentials&client_id=someone&client_secret=${encodeURIComponent(MARK)}`,
      { 'content-type': 'text/plain' },
    );
    expect(response.statusCode).toBe(400);
    const [entry] = await journalEntries(app, 'path=/identity/oauth/token');
    expect(entry!.body).toBe('grant_type=client_credentials&client_id=someone&client_secret=[redacted]');
  });

  // As received (issue 23, item 7): validation once dropped the unknown keys, so what the journal showed was small.
  it('JSON bodies of any size, secrets of any kind, recorded as sent', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        await call(app, 'DELETE', '/admin/requests');
        await call(app, 'POST', '/identity/oauth/token', value, { 'content-type': 'application/json' });
        const [entry] = await journalEntries(app);
        expect(entry!.path).toBe('/identity/oauth/token');
        expect(leaks(JSON.stringify(entry!.body))).toBe(false);
        if (!entry!.truncated) expect(entry!.body).toEqual(JSON.parse(JSON.stringify(value, redactingReplacer)));
        else expect(String(entry!.body).startsWith('{"')).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('text bodies of any size holding JSON, secrets of any kind', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        await call(app, 'DELETE', '/admin/requests');
        const sent = JSON.stringify(value);
        await call(app, 'POST', '/identity/oauth/token', sent, { 'content-type': 'text/plain' });
        const [entry] = await journalEntries(app);
        expect(entry!.path).toBe('/identity/oauth/token');
        expect(typeof entry!.body).toBe('string');
        expect(leaks(String(entry!.body))).toBe(false);
        expect(entry!.truncated).toBe(Buffer.byteLength(JSON.stringify(sent)) > ENTRY_QUERY_MAX_BYTES || undefined);
      }),
      { numRuns: 25 },
    );
  });
});
