import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../helpers.js';
import { type BulkInstance, bulkInstance, describedJob, JANUARY, SEED, sha256, T0 } from './support.js';

/**
 * Bulk extract driven over a real port with the request shapes of two ETL connectors (marketo-usage.md §3), as their
 * source sends them; neither runs here (Python), so each test reproduces its calls in order.
 *
 * Stitch/Singer tap-marketo (singer-io/tap-marketo at c26cce9, tap_marketo/client.py and sync.py):
 * - the token by GET /identity/oauth/token with the credentials as query parameters; then `Authorization: Bearer`
 *   and its `User-Agent` on every call, GET /rest/v1/stats/usage.json before the first (every 250 calls);
 * - `test_corona`: a one-second `updatedAt` lead export of `["id"]` a day back (pendulum's isoformat,
 *   `+00:00`); 1035 in the errors means no updatedAt filter, else it cancels the job (POST, no body);
 * - `create_export(stream, fields, query)`: POST bulk/v1/{stream}/export/create.json, JSON
 *   {"format": "CSV", "fields": fields, "filter": query}: leads by updatedAt (or createdAt without corona) over at most
 *   30 days; activities with ACTIVITY_FIELDS and {"createdAt": …, "activityTypeIds": [one type]};
 * - `export_available`: GET …/export.json?status=Created&status=Queued&status=Processing&status=Completed, then for a
 *   Completed one GET file.json with `Range: bytes=0-0` (200 or 206: it exists; 404: gone);
 * - `wait_for_export`: polls status.json, enqueuing (POST, no body) while Created, failing on Cancelled or Failed;
 *   `stream_export`: GET file.json, read with Python's csv module (`line.replace('\r', '')`).
 *
 * Airbyte source-marketo (airbytehq/airbyte at 08d9410, source_marketo/manifest.yaml and components.py; Estuary
 * reuses it):
 * - the token by POST /identity/oauth/token, a form body grant_type=client_credentials, client_id, client_secret;
 * - leads: GET /rest/v1/leads/describe.json, every record's `rest.name` as `fields`; create {"format": "CSV",
 *   "filter": {"createdAt": {startAt, endAt}}, "fields": …} over windows of 30 days less a second
 *   (`%Y-%m-%dT%H:%M:%SZ`); the create must answer status "created" (lower-cased) and an exportId, then enqueue
 *   (POST, no body); a 1029 whose message matches /Export daily quota \d+MB exceeded/ stops the sync;
 * - activities, one stream per type: {"format": "CSV", "filter": {"createdAt": …, "activityTypeIds": [id]}}, no
 *   fields (the default columns); `attributes` parsed with json.loads;
 * - status polled until Completed (Queued, Processing running; Cancelled, Canceled, Failed failed); the file read line
 *   by line on "\n", each line parsed alone, every row with the header's column count, "" and "null" as None.
 */

let bulk: BulkInstance;
let baseUrl: string;

/** The seed, and a job that spent 1 MB of today's quota (its file gone), for the quota test's instance. */
const QUOTA_SPENT = {
  ...SEED,
  bulkExtract: [
    {
      exportId: '00000000-0000-4000-8000-000000000001',
      job: describedJob('Completed', {
        queuedAt: T0,
        startedAt: T0,
        finishedAt: T0,
        file: { records: 1, size: 1_000_000, checksum: sha256('gone') },
        fileDeleted: true,
      }),
    },
  ],
};

async function listen(instance: BulkInstance): Promise<string> {
  await instance.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(instance.app.server.address() as AddressInfo).port}`;
}

const CREDENTIALS = {
  grant_type: 'client_credentials',
  client_id: 'ann-client-id',
  client_secret: 'ann-client-secret',
};

/** tap-marketo's refresh_token: GET, the credentials as query parameters. */
async function tokenByQuery(url: string): Promise<string> {
  const response = await fetch(`${url}/identity/oauth/token?${new URLSearchParams(CREDENTIALS)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Airbyte's OAuthAuthenticator: POST, the credentials as a form body. */
async function tokenByForm(url: string): Promise<string> {
  const response = await fetch(`${url}/identity/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(CREDENTIALS),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  bulk = await bulkInstance();
  baseUrl = await listen(bulk);
});
afterAll(async () => {
  await bulk?.app.close();
});
beforeEach(async () => {
  expect((await call(bulk.app, 'POST', '/admin/reset')).statusCode).toBe(204);
});

interface Envelope {
  success: boolean;
  result?: Record<string, unknown>[];
  errors?: { code: string; message: string }[];
}

/** pendulum's isoformat() of a UTC time: seconds, `+00:00`. */
const pendulumIso = (iso: string) => iso.replace('Z', '+00:00');

/** Python's csv.reader over the whole text (tap-marketo): quoted fields may hold the separator, quotes and LF. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
    } else field += c;
  }
  return rows;
}

describe('Stitch/Singer tap-marketo', () => {
  const userAgent = 'Singer.io Tap';
  let token: string;
  /** refresh_token: GET with the credentials as query parameters. */
  const refreshToken = async () => {
    token = await tokenByQuery(baseUrl);
  };
  beforeEach(refreshToken);
  const headers = (extra: Record<string, string> = {}) => ({
    Authorization: `Bearer ${token}`,
    'User-Agent': userAgent,
    ...extra,
  });
  /** client.request: the JSON answer, which must be success (raise_for_status first). */
  const request = async (method: 'GET' | 'POST', path: string, json?: unknown): Promise<Envelope> => {
    const response = await fetch(`${baseUrl}/${path}`, {
      method,
      headers: headers(json === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Envelope;
  };
  const bulkEndpoint = (stream: string, action: string, exportId?: string) =>
    `bulk/v1/${stream}/export/${exportId === undefined ? '' : `${exportId}/`}${action}.json`;

  /** wait_for_export: status until Completed, enqueuing while Created. */
  const waitForExport = async (stream: string, exportId: string) => {
    for (let polls = 0; polls < 5; polls++) {
      const status = (await request('GET', bulkEndpoint(stream, 'status', exportId))).result![0]!.status;
      if (status === 'Created') await request('POST', bulkEndpoint(stream, 'enqueue', exportId));
      else if (status === 'Cancelled' || status === 'Failed') throw new Error(`export ${status}`);
      else if (status === 'Completed') return;
    }
    throw new Error('export timed out');
  };
  /** export_available: in the list of live jobs, and (once Completed) its file answers a one-byte range. */
  const exportAvailable = async (stream: string, exportId: string) => {
    const listed = await request(
      'GET',
      `bulk/v1/${stream}/export.json?status=Created&status=Queued&status=Processing&status=Completed`,
    );
    const job = listed.result!.find((entry) => entry.exportId === exportId);
    if (!job) return false;
    if (job.status !== 'Completed') return true;
    const probe = await fetch(`${baseUrl}/${bulkEndpoint(stream, 'file', exportId)}`, {
      headers: headers({ Range: 'bytes=0-0' }),
    });
    if (probe.status === 404) return false;
    expect([200, 206]).toContain(probe.status);
    return true;
  };
  const streamRows = async (stream: string, exportId: string) => {
    const response = await fetch(`${baseUrl}/${bulkEndpoint(stream, 'file', exportId)}`, { headers: headers() });
    expect(response.status).toBe(200);
    const [header, ...rows] = csvRows((await response.text()).replace(/\r/g, ''));
    return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]])));
  };

  it('test_corona: the one-second updatedAt job is created, then cancelled; with the filter off, 1035 and no job', async () => {
    const usage = await request('GET', 'rest/v1/stats/usage.json');
    expect(usage.success).toBe(true);
    const probe = {
      format: 'CSV',
      fields: ['id'],
      filter: {
        updatedAt: { startAt: pendulumIso('2026-01-31T12:00:00Z'), endAt: pendulumIso('2026-01-31T12:00:01Z') },
      },
    };
    const created = await request('POST', bulkEndpoint('leads', 'create'), probe);
    expect(created.errors ?? []).toEqual([]);
    const exportId = created.result![0]!.exportId as string;
    await request('POST', bulkEndpoint('leads', 'cancel', exportId));
    expect((await request('GET', bulkEndpoint('leads', 'status', exportId))).result![0]).toMatchObject({
      status: 'Cancelled',
    });

    const without = await bulkInstance({ config: { BULK_EXTRACT_UPDATED_AT_FILTER: 'unsupported' } });
    try {
      const url = await listen(without);
      const response = await fetch(`${url}/${bulkEndpoint('leads', 'create')}`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${await tokenByQuery(url)}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(probe),
      });
      const body = (await response.json()) as Envelope;
      // NO_CORONA_CODE is "1035".
      expect(body.errors!.map((error) => error.code)).toEqual(['1035']);
      expect(without.jobRows()).toEqual([]);
    } finally {
      await without.app.close();
    }
  });

  it('sync_leads with corona: create (updatedAt, 30 days at most), wait (enqueue while Created), stream; the export stays available', async () => {
    const query = {
      updatedAt: { startAt: pendulumIso('2026-01-01T00:00:00Z'), endAt: pendulumIso('2026-01-31T00:00:00Z') },
    };
    const fields = ['id', 'email', 'lastName', 'updatedAt'];
    const created = await request('POST', bulkEndpoint('leads', 'create'), { format: 'CSV', fields, filter: query });
    const exportId = created.result![0]!.exportId as string;
    expect(await exportAvailable('leads', exportId)).toBe(true);
    await waitForExport('leads', exportId);
    expect(await exportAvailable('leads', exportId)).toBe(true);
    expect(await streamRows('leads', exportId)).toEqual([
      { id: '1', email: 'ada@example.com', lastName: 'Lovelace, Countess', updatedAt: '2026-01-20T10:00:00Z' },
      { id: '2', email: 'grace@example.com', lastName: 'Hopper', updatedAt: '2026-01-10T00:00:00Z' },
      { id: '4', email: 'hidden@example.com', lastName: 'null', updatedAt: '2026-01-15T00:00:00Z' },
      { id: '5', email: 'old@example.com', lastName: 'null', updatedAt: '2026-01-25T00:00:00Z' },
    ]);
    // Seven days on, the file is gone: export_available is false, and the tap creates a new export.
    await bulk.advance(7 * 24 * 3600 + 1);
    // Its token expired long ago: the tap asks for another (token_expires).
    await refreshToken();
    expect(await exportAvailable('leads', exportId)).toBe(false);
  });

  it('sync_activities: ACTIVITY_FIELDS, createdAt and one activity type; attributes flattened from the JSON cell', async () => {
    const activityFields = [
      'marketoGUID',
      'leadId',
      'activityDate',
      'activityTypeId',
      'campaignId',
      'primaryAttributeValue',
      'primaryAttributeValueId',
      'attributes',
    ];
    const query = {
      createdAt: { startAt: pendulumIso(JANUARY.startAt), endAt: pendulumIso('2026-01-31T00:00:00Z') },
      activityTypeIds: [2],
    };
    const created = await request('POST', bulkEndpoint('activities', 'create'), {
      format: 'CSV',
      fields: activityFields,
      filter: query,
    });
    const exportId = created.result![0]!.exportId as string;
    await waitForExport('activities', exportId);
    const rows = await streamRows('activities', exportId);
    expect(rows.map((row) => [row.leadId, row.primaryAttributeValue, row.campaignId])).toEqual([
      ['2', 'Signup Form', '5'],
      ['2', 'Other Form', 'null'],
    ]);
    expect(Object.keys(rows[0]!)).toEqual(activityFields);
    // flatten_activity: json.loads(row["attributes"]).
    expect(JSON.parse(rows[0]!.attributes!)).toEqual({
      'Client IP Address': '10.0.0.1',
      'Form Fields': 'a,"b"',
      'Is Mobile': false,
    });
  });
});

describe('Airbyte source-marketo', () => {
  let token: string;
  beforeEach(async () => {
    token = await tokenByForm(baseUrl);
  });
  const send = async (method: 'GET' | 'POST', path: string, json?: unknown, url = baseUrl, bearer = token) => {
    const response = await fetch(`${url}/${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${bearer}`,
        ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Envelope;
  };
  /** MarketoBulkExportCreationRequester.send_request: create; enqueue only when it answers "created" and an id. */
  const createAndEnqueue = async (stream: string, body: unknown) => {
    const created = await send('POST', `bulk/v1/${stream}/export/create.json`, body);
    const first = created.result?.[0];
    expect(String(first?.status).toLowerCase()).toBe('created');
    await send('POST', `bulk/v1/${stream}/export/${first!.exportId as string}/enqueue.json`);
    return first!.exportId as string;
  };
  /** AsyncRetriever: poll until Completed, then MarketoCsvDecoder over the file. */
  const download = async (stream: string, exportId: string) => {
    let status = '';
    for (let polls = 0; polls < 5 && status !== 'Completed'; polls++) {
      status = (await send('GET', `bulk/v1/${stream}/export/${exportId}/status.json`)).result![0]!.status as string;
      expect(['Queued', 'Processing', 'Completed']).toContain(status);
    }
    expect(status).toBe('Completed');
    const response = await fetch(`${baseUrl}/bulk/v1/${stream}/export/${exportId}/file.json`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const [header, ...rows] = (await response.text()).split('\n').filter((line) => line !== '');
    const names = csvRows(`${header}\n`)[0]!;
    return rows.map((line) => {
      const values = csvRows(`${line.replace(/\r$/, '')}\n`)[0]!;
      // "CSV row has N columns but header has M": a row must parse on its own line.
      expect(values).toHaveLength(names.length);
      return Object.fromEntries(
        names.map((name, i) => [name, values[i] === '' || values[i] === 'null' ? null : values[i]]),
      );
    });
  };

  it('leads: every field of leads/describe.json, a createdAt window of 30 days less a second', async () => {
    const describe = await send('GET', 'rest/v1/leads/describe.json');
    const fields = describe.result!.map((record) => (record.rest as { name: string }).name);
    expect(fields.length).toBeGreaterThan(10);
    const exportId = await createAndEnqueue('leads', {
      format: 'CSV',
      filter: { createdAt: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-01-30T23:59:59Z' } },
      fields,
    });
    const records = await download('leads', exportId);
    expect(records.map((record) => [record.id, record.email, record.lastName])).toEqual([
      ['1', 'ada@example.com', 'Lovelace, Countess'],
      ['2', 'grace@example.com', 'Hopper'],
      ['4', 'hidden@example.com', null],
    ]);
    expect(Object.keys(records[0]!)).toEqual(fields);
  });

  it('an activity type’s stream: no fields (the default columns), attributes as JSON', async () => {
    const exportId = await createAndEnqueue('activities', {
      format: 'CSV',
      filter: { createdAt: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-01-30T23:59:59Z' }, activityTypeIds: [1] },
    });
    const records = await download('activities', exportId);
    expect(records.map((record) => [record.leadId, record.activityTypeId, record.primaryAttributeValue])).toEqual([
      ['1', '1', 'pricing.html'],
      ['4', '1', 'pricing.html'],
    ]);
    expect(JSON.parse(records[0]!.attributes!)).toEqual({ 'Webpage URL': '/pricing.html', 'Query Parameters': null });
  });

  it('the quota spent: 1029 with the message _check_quota_error matches, and no job', async () => {
    const spent = await bulkInstance({ seed: QUOTA_SPENT, config: { BULK_EXTRACT_DAILY_QUOTA_MB: 1 } });
    try {
      const url = await listen(spent);
      const bearer = await tokenByForm(url);
      const before = spent.jobRows();
      const answer = await send(
        'POST',
        'bulk/v1/leads/export/create.json',
        { format: 'CSV', filter: { createdAt: JANUARY }, fields: ['id'] },
        url,
        bearer,
      );
      const error = answer.errors![0]!;
      expect(error.code).toBe('1029');
      expect(error.message).toMatch(/^Export daily quota \d+MB exceeded/);
      expect(spent.jobRows()).toEqual(before);
    } finally {
      await spent.app.close();
    }
  });
});
