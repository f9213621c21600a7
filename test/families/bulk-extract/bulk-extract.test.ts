import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../helpers.js';
import {
  type BulkInstance,
  bulkInstance,
  completedAtT0,
  describedJob,
  type Entity,
  failure,
  JANUARY,
  SEED,
  sha256,
  T0,
  type Who,
} from './support.js';

/**
 * Bulk extract of leads and activities (issue 24; bulk-extract.md, bulk-lead-extract.md, bulk-activity-extract.md):
 * the six operations of each entity, the job's life cycle on the fake's clock, the file's content and format, the
 * limits and codes, and who may reach a job.
 */

const LEAD_FIELDS = ['id', 'email', 'firstName', 'lastName', 'vip', 'seats', 'createdAt'];
const leadsOfJanuary = { fields: LEAD_FIELDS, filter: { createdAt: JANUARY } };
const activitiesOfJanuary = { filter: { createdAt: JANUARY } };

/** The January leads (1–4; 4 in the partition Hidden) as the file writes them, CSV. */
const LEAD_LINES = {
  header: 'id,email,firstName,lastName,vip,seats,createdAt',
  1: '1,ada@example.com,Ada,"Lovelace, Countess",true,3,2026-01-01T00:00:00Z',
  2: '2,grace@example.com,"Grace ""Amazing""",Hopper,false,null,2026-01-10T00:00:00Z',
  3: '3,hedy@example.com,Hedy,"Lamarr\nKiesler",null,null,2026-01-31T23:59:59Z',
  4: '4,hidden@example.com,Hidden,null,null,null,2026-01-15T00:00:00Z',
};
const lines = (...rows: string[]) => rows.map((row) => `${row}\n`).join('');

let bulk: BulkInstance;
beforeAll(async () => {
  bulk = await bulkInstance();
});
afterAll(async () => {
  await bulk?.app.close();
});
beforeEach(async () => {
  expect((await call(bulk.app, 'POST', '/admin/reset')).statusCode).toBe(204);
});

describe('a lead export, from create to file (bulk-lead-extract.md)', () => {
  it('create answers Created, with the exportId, format and createdAt; the job is stored for its API user', async () => {
    const body = await bulk.answer('ann', 'POST', '/bulk/v1/leads/export/create.json', leadsOfJanuary);
    expect(body).toEqual({
      requestId: expect.any(String),
      success: true,
      result: [{ exportId: expect.stringMatching(/^[0-9a-f-]{36}$/), format: 'CSV', status: 'Created', createdAt: T0 }],
    });
    expect(bulk.jobRows()).toEqual([
      { id: expect.any(Number), state: 'Created', due_at: null, owner_user_id: bulk.userId('ann'), error: null },
    ]);
    expect(bulk.exportRows()).toEqual([
      { job_id: bulk.jobRows()[0]!.id, export_id: body.result![0]!.exportId, finished_at: null, file_size: null },
    ]);
  });

  it('enqueue answers Queued; the next call finds it Completed, with numberOfRecords, fileSize and fileChecksum', async () => {
    const id = await bulk.create('leads', leadsOfJanuary);
    expect(await bulk.enqueue('leads', id)).toEqual({
      exportId: id,
      format: 'CSV',
      status: 'Queued',
      createdAt: T0,
      queuedAt: T0,
    });
    const expected = lines(LEAD_LINES.header, LEAD_LINES[1], LEAD_LINES[2], LEAD_LINES[3], LEAD_LINES[4]);
    expect(await bulk.status('leads', id)).toEqual(completedAtT0(id, expected, 4));
    const file = await bulk.file('leads', id);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['accept-ranges']).toBe('bytes');
    expect(file.headers['content-length']).toBe(String(Buffer.byteLength(expected)));
    // In id order; "null" for an empty field; quoted where a value holds a comma, a quote or a line break.
    expect(file.body).toBe(expected);
  });

  it('an empty export is a file of its header line', async () => {
    const id = await bulk.run('leads', {
      fields: ['id', 'email'],
      filter: { createdAt: { startAt: '2024-01-01T00:00:00Z', endAt: '2024-01-02T00:00:00Z' } },
    });
    expect(await bulk.status('leads', id)).toMatchObject({ status: 'Completed', numberOfRecords: 0, fileSize: 9 });
    expect(await bulk.fileText('leads', id)).toBe('id,email\n');
  });

  it('Queued and Processing last the configured seconds on the fake clock; the file is 404 until Completed', async () => {
    const timed = await bulkInstance({
      config: { BULK_EXTRACT_QUEUED_SECONDS: 60, BULK_EXTRACT_PROCESSING_SECONDS: 120 },
    });
    try {
      const id = await timed.run('leads', leadsOfJanuary);
      expect(await timed.status('leads', id)).toMatchObject({ status: 'Queued', queuedAt: T0 });
      await timed.advance(59);
      expect(await timed.status('leads', id)).toMatchObject({ status: 'Queued' });
      const notYet = await timed.file('leads', id);
      expect(notYet.statusCode).toBe(404);
      expect(notYet.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(notYet.body).toBe(`Export job ${id} is Queued: its file is not available`);
      await timed.advance(1);
      const processing = await timed.status('leads', id);
      expect(processing).toEqual({
        exportId: id,
        format: 'CSV',
        status: 'Processing',
        createdAt: T0,
        queuedAt: T0,
        startedAt: '2026-02-01T12:01:00Z',
      });
      expect((await timed.file('leads', id)).statusCode).toBe(404);
      // The file is written when processing begins, kept in chunks of the job.
      const written = lines(LEAD_LINES.header, LEAD_LINES[1], LEAD_LINES[2], LEAD_LINES[3], LEAD_LINES[4]);
      expect(timed.chunkRows()).toEqual([
        { job_id: timed.jobRows()[0]!.id, seq: 0, start_byte: 0, bytes: Buffer.byteLength(written) },
      ]);
      await timed.advance(119);
      expect(await timed.status('leads', id)).toMatchObject({ status: 'Processing' });
      await timed.advance(1);
      expect(await timed.status('leads', id)).toMatchObject({
        status: 'Completed',
        startedAt: '2026-02-01T12:01:00Z',
        finishedAt: '2026-02-01T12:03:00Z',
        numberOfRecords: 4,
      });
      expect((await timed.file('leads', id)).statusCode).toBe(200);
    } finally {
      await timed.app.close();
    }
  });

  it('the file holds the leads as they were when the job began processing (bulk-lead-extract.md)', async () => {
    const timed = await bulkInstance({
      config: { BULK_EXTRACT_QUEUED_SECONDS: 60, BULK_EXTRACT_PROCESSING_SECONDS: 60 },
    });
    try {
      const sync = async (input: object[]) =>
        expect(await timed.answer('wes', 'POST', '/rest/v1/leads.json', { input })).toMatchObject({ success: true });
      // A window from mid-January to after now, so that leads created now fall in it.
      const window = { startAt: '2026-01-15T00:00:00Z', endAt: '2026-02-10T00:00:00Z' };
      const id = await timed.run('leads', { fields: ['id', 'firstName'], filter: { createdAt: window } });
      // While Queued: a change and a new lead are in the file.
      await sync([
        { email: 'hedy@example.com', firstName: 'Hedwig' },
        { email: 'early@example.com', firstName: 'Early' },
      ]);
      await timed.advance(60);
      expect(await timed.status('leads', id)).toMatchObject({ status: 'Processing' });
      // Once Processing: neither a change nor a new lead of the window is.
      await sync([
        { email: 'hedy@example.com', firstName: 'Changed' },
        { email: 'late@example.com', firstName: 'Late' },
      ]);
      await timed.advance(30);
      expect(await timed.status('leads', id)).toMatchObject({ status: 'Processing' });
      await timed.advance(30);
      expect(await timed.fileText('leads', id)).toBe(lines('id,firstName', '3,Hedwig', '4,Hidden', '6,Early'));
      // Both writes were made: a new export sees the second.
      const later = await timed.run('leads', { fields: ['id', 'firstName'], filter: { createdAt: window } });
      await timed.advance(120);
      expect(await timed.fileText('leads', later)).toBe(
        lines('id,firstName', '3,Changed', '4,Hidden', '6,Early', '7,Late'),
      );
    } finally {
      await timed.app.close();
    }
  });

  it('`fields` choose and order the columns, `columnHeaderNames` rename them (quoted where needed)', async () => {
    const id = await bulk.run('leads', {
      fields: ['lastName', 'ID', 'email'],
      columnHeaderNames: { lastname: 'Last, Name', email: 'Email Address' },
      filter: { createdAt: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-01-05T00:00:00Z' } },
    });
    expect(await bulk.fileText('leads', id)).toBe(
      lines('"Last, Name",id,Email Address', '"Lovelace, Countess",1,ada@example.com'),
    );
  });

  it('TSV and SSV separate with a tab and a semicolon, quoting what holds one', async () => {
    const fields = ['id', 'lastName', 'firstName'];
    const window = { startAt: '2026-01-01T00:00:00Z', endAt: '2026-01-10T00:00:00Z' };
    const tsv = await bulk.run('leads', { fields, format: 'TSV', filter: { createdAt: window } });
    expect(await bulk.status('leads', tsv)).toMatchObject({ format: 'TSV' });
    const tsvFile = await bulk.file('leads', tsv);
    expect(tsvFile.headers['content-type']).toBe('text/tab-separated-values; charset=utf-8');
    expect(tsvFile.body).toBe(
      lines('id\tlastName\tfirstName', '1\tLovelace, Countess\tAda', '2\tHopper\t"Grace ""Amazing"""'),
    );
    const ssv = await bulk.run('leads', {
      fields,
      format: 'ssv',
      columnHeaderNames: { id: 'a;b' },
      filter: { createdAt: window },
    });
    expect(await bulk.fileText('leads', ssv)).toBe(
      lines('"a;b";lastName;firstName', '1;Lovelace, Countess;Ada', '2;Hopper;"Grace ""Amazing"""'),
    );
  });

  it('updatedAt filters on when the lead last changed; both ends of a range are included', async () => {
    const id = await bulk.run('leads', {
      fields: ['id', 'updatedAt'],
      filter: { updatedAt: { startAt: '2026-01-20T10:00:00Z', endAt: '2026-01-25T00:00:00Z' } },
    });
    expect(await bulk.fileText('leads', id)).toBe(
      lines('id,updatedAt', '1,2026-01-20T10:00:00Z', '5,2026-01-25T00:00:00Z'),
    );
  });

  it('staticListId and staticListName export the list’s members, whatever their partition', async () => {
    const lists = await bulk.answer('ann', 'GET', '/rest/v1/lists.json?name=Newsletter');
    const listId = lists.result![0]!.id as number;
    const byId = await bulk.run('leads', { fields: ['id', 'email'], filter: { staticListId: listId } });
    const members = lines('id,email', '1,ada@example.com', '4,hidden@example.com', '5,old@example.com');
    expect(await bulk.fileText('leads', byId)).toBe(members);
    const byName = await bulk.run('leads', { fields: ['id', 'email'], filter: { staticListName: 'newsletter' } });
    expect(await bulk.fileText('leads', byName)).toBe(members);
  });

  it('smartListId and smartListName export the leads its rules qualify (Member of List, Id; Any here)', async () => {
    const qualified = lines(
      'id,email',
      '1,ada@example.com',
      '2,grace@example.com',
      '4,hidden@example.com',
      '5,old@example.com',
    );
    const byId = await bulk.run('leads', { fields: ['id', 'email'], filter: { smartListId: 900 } });
    expect(await bulk.fileText('leads', byId)).toBe(qualified);
    const byName = await bulk.run('leads', {
      fields: ['id', 'email'],
      filter: { smartListName: 'newsletter or grace' },
    });
    expect(await bulk.fileText('leads', byName)).toBe(qualified);
  });

  it('a list deleted before its job begins processing fails the job, saying so', async () => {
    const timed = await bulkInstance({ config: { BULK_EXTRACT_QUEUED_SECONDS: 60 } });
    try {
      const listId = (await timed.answer('ann', 'GET', '/rest/v1/lists.json')).result![0]!.id as number;
      const id = await timed.run('leads', { fields: ['id'], filter: { staticListId: listId } });
      timed.sql('DELETE FROM static_lists WHERE id = ?', listId);
      await timed.advance(60);
      expect(await timed.status('leads', id)).toEqual({
        exportId: id,
        format: 'CSV',
        status: 'Failed',
        createdAt: T0,
        queuedAt: T0,
        startedAt: '2026-02-01T12:01:00Z',
        finishedAt: '2026-02-01T12:01:00Z',
        errorMsg: `Static list ${listId} not found`,
      });
      expect(timed.chunkRows()).toEqual([]);
    } finally {
      await timed.app.close();
    }
  });

  it('BULK_EXTRACT_SCOPE=partitions leaves out the leads and lists the job’s creator cannot see', async () => {
    const scoped = await bulkInstance({ config: { BULK_EXTRACT_SCOPE: 'partitions' } });
    try {
      const id = await scoped.run('leads', { fields: ['id'], filter: { createdAt: JANUARY } });
      expect(await scoped.fileText('leads', id)).toBe(lines('id', '1', '2', '3'));
      const listId = (await scoped.answer('ann', 'GET', '/rest/v1/lists.json')).result![0]!.id as number;
      const members = await scoped.run('leads', { fields: ['id'], filter: { staticListId: listId } });
      expect(await scoped.fileText('leads', members)).toBe(lines('id', '1', '5'));
      // A list in a workspace where the caller reads no leads is not found.
      scoped.sql("UPDATE static_lists SET workspace_id = (SELECT id FROM workspaces WHERE name = 'Elsewhere')");
      expect(
        await scoped.answer('ann', 'POST', '/bulk/v1/leads/export/create.json', {
          fields: ['id'],
          filter: { staticListId: listId },
        }),
      ).toEqual(failure('1013', `Static list ${listId} not found`));
    } finally {
      await scoped.app.close();
    }
  });

  it('Read-Write Lead is enough (it implies Read-Only Lead, the permission Adobe’s spec names)', async () => {
    const id = await bulk.run('leads', { fields: ['id'], filter: { createdAt: JANUARY } }, 'wes');
    expect(await bulk.fileText('leads', id, 'wes')).toBe(lines('id', '1', '2', '3', '4'));
  });
});

describe('the file endpoint: Range, retention', () => {
  let id: string;
  let text: string;
  beforeEach(async () => {
    id = await bulk.run('leads', leadsOfJanuary);
    text = await bulk.fileText('leads', id);
  });

  it('Range: bytes=0-0 answers 206 with the first byte and Content-Range (tap-marketo’s existence probe)', async () => {
    const response = await bulk.file('leads', id, { range: 'bytes=0-0' });
    expect(response.statusCode).toBe(206);
    expect(response.body).toBe('i');
    expect(response.headers['content-range']).toBe(`bytes 0-0/${text.length}`);
    expect(response.headers['content-length']).toBe('1');
    expect(response.headers['accept-ranges']).toBe('bytes');
  });

  it('a middle range, an open-ended one, a suffix, and bulk-extract.md’s "bytes 724-999" form', async () => {
    const size = Buffer.byteLength(text);
    for (const [range, start, end] of [
      ['bytes=10-19', 10, 19],
      ['bytes=100-', 100, size - 1],
      ['bytes=-5', size - 5, size - 1],
      ['bytes 3-7', 3, 7],
      [`bytes=200-${size + 50}`, 200, size - 1],
    ] as const) {
      const response = await bulk.file('leads', id, { range });
      expect(response.statusCode, range).toBe(206);
      expect(response.body, range).toBe(
        Buffer.from(text)
          .subarray(start, end + 1)
          .toString(),
      );
      expect(response.headers['content-range'], range).toBe(`bytes ${start}-${end}/${size}`);
    }
  });

  it('a range past the end is 416; several ranges or a malformed one get the whole file', async () => {
    const size = Buffer.byteLength(text);
    const past = await bulk.file('leads', id, { range: `bytes=${size}-` });
    expect(past.statusCode).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${size}`);
    for (const range of ['bytes=0-1,5-6', 'lines=1-2', 'bytes=9-3']) {
      const whole = await bulk.file('leads', id, { range });
      expect(whole.statusCode, range).toBe(200);
      expect(whole.body).toBe(text);
    }
  });

  it('the file is kept seven days of fake time (bulk-extract.md), then 404; the status 30 days', async () => {
    await bulk.advance(7 * 86400 - 1);
    expect((await bulk.file('leads', id)).statusCode).toBe(200);
    await bulk.advance(1);
    const gone = await bulk.file('leads', id);
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toBe(`Export job ${id}: its file is past its 7 days and was deleted`);
    expect(bulk.chunkRows()).toEqual([]);
    expect(await bulk.status('leads', id)).toMatchObject({ status: 'Completed', fileSize: Buffer.byteLength(text) });
    await bulk.advance(23 * 86400);
    expect(await bulk.answer('ann', 'GET', `/bulk/v1/leads/export/${id}/status.json`)).toEqual(
      failure('1013', `Export job ${id} not found`),
    );
    // A create clears such jobs out.
    await bulk.create('leads', leadsOfJanuary);
    expect(bulk.jobRows()).toEqual([expect.objectContaining({ state: 'Created' })]);
  });

  it('a file of many chunks streams whole, and a range across chunks is exact', async () => {
    const many = await bulkInstance({ seed: seedWithLeads(8000) });
    try {
      const bigId = await many.run('leads', { fields: ['id', 'email', 'firstName'], filter: { createdAt: JANUARY } });
      // More than one turn of the runner's work: the call after enqueue may find it still Processing.
      await many.app.ctx.jobs.drain();
      const status = await many.status('leads', bigId);
      expect(status).toMatchObject({ status: 'Completed', numberOfRecords: 8000 });
      const chunks = many.chunkRows() as { seq: number; start_byte: number; bytes: number }[];
      expect(chunks.length).toBeGreaterThan(1);
      const whole = await many.file('leads', bigId);
      expect(Buffer.byteLength(whole.body)).toBe(status.fileSize);
      expect(sha256(whole.body)).toBe(status.fileChecksum);
      expect(whole.body.split('\n')[8000]).toBe(`8000,lead8000@example.com,Lead 8000 ${'x'.repeat(30)}`);
      const boundary = chunks[1]!.start_byte;
      const across = await many.file('leads', bigId, { range: `bytes=${boundary - 10}-${boundary + 9}` });
      expect(across.statusCode).toBe(206);
      expect(across.body).toBe(
        Buffer.from(whole.body)
          .subarray(boundary - 10, boundary + 10)
          .toString(),
      );
    } finally {
      await many.app.close();
    }
  });
});

/** SEED with `n` leads created in January in place of its own (and no list or activity naming them). */
function seedWithLeads(n: number): Record<string, unknown> {
  const rest = Object.fromEntries(
    Object.entries(SEED).filter(([key]) => !['leads', 'lists', 'activities'].includes(key)),
  );
  return {
    ...rest,
    leads: Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      email: `lead${i + 1}@example.com`,
      firstName: `Lead ${i + 1} ${'x'.repeat(30)}`,
      createdAt: '2026-01-02T00:00:00Z',
    })),
  };
}

describe('an activity export (bulk-activity-extract.md)', () => {
  const DEFAULT_HEADER =
    'marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,primaryAttributeValue,attributes';

  it('the default columns; attributes as a JSON object in one cell, empty fields null; Delete Lead left out', async () => {
    const id = await bulk.run('activities', activitiesOfJanuary);
    const text = await bulk.fileText('activities', id);
    expect(text).toBe(
      lines(
        DEFAULT_HEADER,
        '101,1,2026-01-01T00:00:00Z,12,null,1,ada@example.com,"{""Source Type"":""Web service API""}"',
        '102,1,2026-01-06T09:00:00Z,1,null,7,pricing.html,"{""Webpage URL"":""/pricing.html"",""Query Parameters"":null}"',
        '103,2,2026-01-07T09:00:00Z,2,5,11,Signup Form,' +
          '"{""Client IP Address"":""10.0.0.1"",""Form Fields"":""a,\\""b\\"""",""Is Mobile"":false}"',
        '104,2,2026-01-08T09:00:00Z,2,null,12,Other Form,{}',
        '105,4,2026-01-09T09:00:00Z,1,null,7,pricing.html,{}',
      ),
    );
    // What tap-marketo and Airbyte do with the cell: json.loads.
    const cell = text.split('\n')[3]!.split(',Signup Form,')[1]!;
    expect(JSON.parse(cell.slice(1, -1).replaceAll('""', '"'))).toEqual({
      'Client IP Address': '10.0.0.1',
      'Form Fields': 'a,"b"',
      'Is Mobile': false,
    });
    expect(await bulk.status('activities', id)).toMatchObject({ status: 'Completed', numberOfRecords: 5 });
  });

  it('activityTypeIds, primaryAttributeValueIds, `fields` with actionResult, and a window', async () => {
    const id = await bulk.run('activities', {
      fields: ['leadId', 'activityTypeId', 'primaryAttributeValueId', 'actionResult'],
      columnHeaderNames: { leadId: 'Lead' },
      filter: {
        createdAt: { startAt: '2026-01-06T00:00:00Z', endAt: '2026-01-08T09:00:00Z' },
        activityTypeIds: [2],
        primaryAttributeValueIds: [11, 12],
      },
    });
    expect(await bulk.fileText('activities', id)).toBe(
      lines('Lead,activityTypeId,primaryAttributeValueId,actionResult', '2,2,11,succeeded', '2,2,12,succeeded'),
    );
    const visits = await bulk.run('activities', {
      fields: ['marketoGUID'],
      filter: { createdAt: JANUARY, activityTypeIds: [1, 12] },
    });
    expect(await bulk.fileText('activities', visits)).toBe(lines('marketoGUID', '101', '102', '105'));
  });

  it('BULK_EXTRACT_SCOPE=partitions leaves out the activities of partitions the creator cannot see', async () => {
    const scoped = await bulkInstance({ config: { BULK_EXTRACT_SCOPE: 'partitions' } });
    try {
      const id = await scoped.run('activities', { fields: ['marketoGUID'], filter: { createdAt: JANUARY } });
      expect(await scoped.fileText('activities', id)).toBe(lines('marketoGUID', '101', '102', '103', '104'));
    } finally {
      await scoped.app.close();
    }
  });

  it('an activity recorded after the job began processing is not in the file', async () => {
    const timed = await bulkInstance({ config: { BULK_EXTRACT_PROCESSING_SECONDS: 60 } });
    try {
      const id = await timed.run('activities', { fields: ['marketoGUID'], filter: { createdAt: JANUARY } });
      expect(await timed.status('activities', id)).toMatchObject({ status: 'Processing' });
      const added = await call(timed.app, 'POST', '/admin/activities', {
        leadId: 1,
        activityTypeId: 1,
        primaryAttributeValue: 'late.html',
      });
      expect(added.statusCode).toBe(201);
      timed.sql(
        "UPDATE activities SET activity_date = ? WHERE primary_value = 'late.html'",
        Date.parse('2026-01-20T00:00:00Z'),
      );
      await timed.advance(60);
      expect(await timed.fileText('activities', id)).toBe(lines('marketoGUID', '101', '102', '103', '104', '105'));
    } finally {
      await timed.app.close();
    }
  });
});

describe('bad definitions: each its code, and nothing is created', () => {
  const cases: [string, Entity, unknown, string, string?][] = [
    [
      'two filters (leads)',
      'leads',
      { fields: ['id'], filter: { createdAt: JANUARY, staticListId: 1 } },
      '1003',
      'Only one filter type may be used in an export job, not createdAt, staticListId',
    ],
    ['no filter', 'leads', { fields: ['id'] }, '1003'],
    ['an unknown filter', 'leads', { fields: ['id'], filter: { createdDate: JANUARY } }, '1003'],
    ['no fields (leads)', 'leads', { filter: { createdAt: JANUARY } }, '1003', "Export parameter 'fields' is required"],
    [
      'an unknown field',
      'leads',
      { fields: ['id', 'shoeSize'], filter: { createdAt: JANUARY } },
      '1006',
      "Field 'shoeSize' not found",
    ],
    [
      'a range over 31 days',
      'leads',
      { fields: ['id'], filter: { createdAt: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-02-01T00:00:01Z' } } },
      '1003',
      "The date range of filter 'createdAt' spans more than 31 days",
    ],
    [
      'a range ending before it starts',
      'leads',
      { fields: ['id'], filter: { createdAt: { startAt: '2026-01-02T00:00:00Z', endAt: '2026-01-01T00:00:00Z' } } },
      '1003',
    ],
    [
      'a range without endAt',
      'leads',
      { fields: ['id'], filter: { createdAt: { startAt: '2026-01-02T00:00:00Z' } } },
      '1003',
      "Export parameter 'filter.createdAt.endAt' is required",
    ],
    [
      'a date that is not ISO 8601',
      'leads',
      { fields: ['id'], filter: { createdAt: { startAt: 'yesterday', endAt: '2026-01-02T00:00:00Z' } } },
      '1003',
    ],
    [
      'a format of none of CSV, TSV, SSV',
      'leads',
      { ...leadsOfJanuary, format: 'XLSX' },
      '1003',
      "Invalid value for parameter 'format': 'XLSX'",
    ],
    [
      'a header for a field not exported',
      'leads',
      { ...leadsOfJanuary, columnHeaderNames: { phone: 'Phone' } },
      '1003',
      "columnHeaderNames names 'phone', which is not an exported field",
    ],
    [
      'a smart list that does not exist',
      'leads',
      { fields: ['id'], filter: { smartListId: 4 } },
      '1013',
      'Smart list 4 not found',
    ],
    [
      'a smart list whose rules the fake does not evaluate',
      'leads',
      { fields: ['id'], filter: { smartListName: 'Visitors' } },
      '1035',
      'Smart list 901 has rules this fake does not evaluate (it evaluates Member of List and Id filters, All or Any)',
    ],
    [
      'a static list that does not exist',
      'leads',
      { fields: ['id'], filter: { staticListName: 'Nope' } },
      '1013',
      'Static list Nope not found',
    ],
    ['a list id of the wrong type', 'leads', { fields: ['id'], filter: { staticListId: 'one' } }, '1003'],
    [
      'activities without createdAt (required)',
      'activities',
      { filter: { activityTypeIds: [1] } },
      '1003',
      "Export parameter 'filter.createdAt' is required",
    ],
    ['activities without a filter', 'activities', {}, '1003'],
    [
      'Delete Lead asked for',
      'activities',
      { filter: { createdAt: JANUARY, activityTypeIds: [37] } },
      '1003',
      'Delete Lead activities (type 37) are not exported: use Get Deleted Leads',
    ],
    ['an unknown activity type', 'activities', { filter: { createdAt: JANUARY, activityTypeIds: [99999] } }, '1003'],
    [
      'more than 50 primaryAttributeValueIds',
      'activities',
      {
        filter: {
          createdAt: JANUARY,
          activityTypeIds: [2],
          primaryAttributeValueIds: Array.from({ length: 51 }, (_, i) => i),
        },
      },
      '1003',
      "Parameter 'primaryAttributeValueIds' takes at most 50 values",
    ],
    [
      'primaryAttributeValueIds without activityTypeIds',
      'activities',
      { filter: { createdAt: JANUARY, primaryAttributeValueIds: [11] } },
      '1003',
    ],
    [
      'primaryAttributeValueIds with types of two asset groups',
      'activities',
      { filter: { createdAt: JANUARY, activityTypeIds: [2, 24], primaryAttributeValueIds: [11] } },
      '1003',
    ],
    [
      'primaryAttributeValues (not served)',
      'activities',
      { filter: { createdAt: JANUARY, activityTypeIds: [2], primaryAttributeValues: ['P.Form'] } },
      '1003',
    ],
    [
      'an unknown activity field',
      'activities',
      { fields: ['leadId', 'score'], filter: { createdAt: JANUARY } },
      '1006',
      "Field 'score' not found",
    ],
    ['a lead filter on activities', 'activities', { filter: { createdAt: JANUARY, staticListId: 1 } }, '1003'],
    ['a body that is not an object', 'leads', ['fields'], '1003'],
  ];

  it.each(cases)('%s', async (_name, entity, body, code, message) => {
    expect(await bulk.answer('ann', 'POST', `/bulk/v1/${entity}/export/create.json`, body)).toEqual(
      failure(code, message),
    );
    expect(bulk.jobRows()).toEqual([]);
    expect(bulk.exportRows()).toEqual([]);
  });

  it('the updatedAt filter answers 1035 when the subscription lacks it (tap-marketo’s probe)', async () => {
    const without = await bulkInstance({ config: { BULK_EXTRACT_UPDATED_AT_FILTER: 'unsupported' } });
    try {
      // tap-marketo's test_corona: a one-second updatedAt export of field id, format CSV.
      const probe = {
        format: 'CSV',
        fields: ['id'],
        filter: { updatedAt: { startAt: '2026-01-31T12:00:00+00:00', endAt: '2026-01-31T12:00:01+00:00' } },
      };
      expect(await without.answer('ann', 'POST', '/bulk/v1/leads/export/create.json', probe)).toEqual(
        failure('1035', 'Unsupported filter type for target subscription'),
      );
      expect(without.jobRows()).toEqual([]);
      // Supported (the default): the probe is a job, which the tap cancels.
      const id = await bulk.create('leads', probe);
      expect(await bulk.answer('ann', 'POST', `/bulk/v1/leads/export/${id}/cancel.json`)).toMatchObject({
        success: true,
        result: [{ exportId: id, status: 'Cancelled' }],
      });
    } finally {
      await without.app.close();
    }
  });
});

describe('who may reach a job', () => {
  const operations: [string, 'GET' | 'POST', (entity: Entity, id: string) => string][] = [
    ['enqueue', 'POST', (entity, id) => `/bulk/v1/${entity}/export/${id}/enqueue.json`],
    ['status', 'GET', (entity, id) => `/bulk/v1/${entity}/export/${id}/status.json`],
    ['cancel', 'POST', (entity, id) => `/bulk/v1/${entity}/export/${id}/cancel.json`],
  ];

  describe.each(['leads', 'activities'] as const)('%s', (entity) => {
    const definition = entity === 'leads' ? leadsOfJanuary : activitiesOfJanuary;

    it.each(operations)(
      '%s: 603 without the permission, 1013 for an unknown job and for another user’s',
      async (_n, method, url) => {
        const id = await bulk.create(entity, definition);
        const before = bulk.jobRows();
        expect(await bulk.answer('carl', method, url(entity, id))).toEqual(failure('603', 'Access denied'));
        const unknown = '11111111-2222-4333-8444-555555555555';
        expect(await bulk.answer('ann', method, url(entity, unknown))).toEqual(
          failure('1013', `Export job ${unknown} not found`),
        );
        // "Bulk Extract jobs are only accessible to the API user which created them" (bulk-extract.md).
        expect(await bulk.answer('bob', method, url(entity, id))).toEqual(
          failure('1013', `Export job ${id} not found`),
        );
        // The other entity's path does not find it either.
        const other = entity === 'leads' ? 'activities' : 'leads';
        expect(await bulk.answer('ann', method, url(other, id))).toEqual(failure('1013', `Export job ${id} not found`));
        expect(bulk.jobRows()).toEqual(before);
      },
    );

    it('create and the list: 603 without the permission; the list holds only the caller’s jobs', async () => {
      expect(await bulk.answer('carl', 'POST', `/bulk/v1/${entity}/export/create.json`, definition)).toEqual(
        failure('603', 'Access denied'),
      );
      expect(await bulk.answer('carl', 'GET', `/bulk/v1/${entity}/export.json`)).toEqual(
        failure('603', 'Access denied'),
      );
      expect(bulk.jobRows()).toEqual([]);
      const mine = await bulk.create(entity, definition);
      await bulk.create(entity, definition, 'bob');
      const listed = await bulk.answer('ann', 'GET', `/bulk/v1/${entity}/export.json`);
      expect(listed).toEqual({
        requestId: expect.any(String),
        success: true,
        result: [{ exportId: mine, format: 'CSV', status: 'Created', createdAt: T0 }],
      });
    });

    it('file: 603 in the envelope without the permission; 404 in plain text for an unknown or another user’s job', async () => {
      const id = await bulk.run(entity, definition);
      await bulk.status(entity, id);
      const denied = await bulk.file(entity, id, {}, 'carl');
      expect(denied.statusCode).toBe(200);
      expect(denied.json()).toEqual(failure('603', 'Access denied'));
      for (const [who, exportId] of [
        ['ann', '11111111-2222-4333-8444-555555555555'],
        ['bob', id],
      ] as [Who, string][]) {
        const response = await bulk.file(entity, exportId, {}, who);
        expect(response.statusCode).toBe(404);
        expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(response.body).toBe(`Export job ${exportId} not found`);
      }
      expect((await bulk.file(entity, id)).statusCode).toBe(200);
    });
  });

  it('the activity operations need Read-Only Activity: Read-Write Lead alone gets 603', async () => {
    expect(await bulk.answer('wes', 'POST', '/bulk/v1/activities/export/create.json', activitiesOfJanuary)).toEqual(
      failure('603', 'Access denied'),
    );
  });
});

describe('enqueue, cancel and the queue (bulk-extract.md, "Queue")', () => {
  it('enqueue of a Queued or Processing job is 1029 "Job already queued"; of a finished one 1003', async () => {
    const timed = await bulkInstance({
      config: { BULK_EXTRACT_QUEUED_SECONDS: 60, BULK_EXTRACT_PROCESSING_SECONDS: 60 },
    });
    try {
      const id = await timed.run('leads', leadsOfJanuary);
      const again = () => timed.answer('ann', 'POST', `/bulk/v1/leads/export/${id}/enqueue.json`);
      expect(await again()).toEqual(failure('1029', 'Job already queued'));
      await timed.advance(60);
      expect(await again()).toEqual(failure('1029', 'Job already queued'));
      await timed.advance(60);
      expect(await again()).toEqual(
        failure('1003', `Export job ${id} is Completed: only a Created job can be enqueued`),
      );
      expect(await timed.status('leads', id)).toMatchObject({ status: 'Completed' });
    } finally {
      await timed.app.close();
    }
  });

  it('two jobs process at a time across entities; the others wait Queued and start as slots free', async () => {
    const timed = await bulkInstance({ config: { BULK_EXTRACT_PROCESSING_SECONDS: 60 } });
    try {
      const first = await timed.run('leads', leadsOfJanuary);
      const second = await timed.run('activities', activitiesOfJanuary, 'bob');
      const third = await timed.run('leads', leadsOfJanuary);
      const states = async () =>
        [
          (await timed.status('leads', first)).status,
          (await timed.status('activities', second, 'bob')).status,
          (await timed.status('leads', third)).status,
        ] as string[];
      expect(await states()).toEqual(['Processing', 'Processing', 'Queued']);
      await timed.advance(60);
      expect(await states()).toEqual(['Completed', 'Completed', 'Processing']);
      expect(await timed.status('leads', third)).toMatchObject({ startedAt: '2026-02-01T12:01:00Z' });
      await timed.advance(60);
      expect(await states()).toEqual(['Completed', 'Completed', 'Completed']);
    } finally {
      await timed.app.close();
    }
  });

  it('the eleventh job queued or processing is refused: 1029 "Too many jobs in queue"', async () => {
    const timed = await bulkInstance({ config: { BULK_EXTRACT_QUEUED_SECONDS: 600 } });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 11; i++)
        ids.push(
          await timed.create(
            i % 2 ? 'activities' : 'leads',
            i % 2 ? activitiesOfJanuary : leadsOfJanuary,
            i < 6 ? 'ann' : 'bob',
          ),
        );
      for (let i = 0; i < 10; i++) await timed.enqueue(i % 2 ? 'activities' : 'leads', ids[i]!, i < 6 ? 'ann' : 'bob');
      expect(await timed.answer('bob', 'POST', `/bulk/v1/leads/export/${ids[10]}/enqueue.json`)).toEqual(
        failure('1029', 'Too many jobs in queue'),
      );
      expect(await timed.status('leads', ids[10]!, 'bob')).toMatchObject({ status: 'Created' });
      // A cancelled one frees its place.
      await timed.answer('ann', 'POST', `/bulk/v1/leads/export/${ids[0]}/cancel.json`);
      expect(await timed.enqueue('leads', ids[10]!, 'bob')).toMatchObject({ status: 'Queued' });
    } finally {
      await timed.app.close();
    }
  });

  it('cancel: Created, Queued and Processing jobs become Cancelled (the file begun dropped); a finished one is 1003', async () => {
    const timed = await bulkInstance({
      config: { BULK_EXTRACT_QUEUED_SECONDS: 60, BULK_EXTRACT_PROCESSING_SECONDS: 60 },
    });
    try {
      const cancel = (id: string) => timed.answer('ann', 'POST', `/bulk/v1/leads/export/${id}/cancel.json`);
      const created = await timed.create('leads', leadsOfJanuary);
      expect(await cancel(created)).toEqual({
        requestId: expect.any(String),
        success: true,
        result: [{ exportId: created, format: 'CSV', status: 'Cancelled', createdAt: T0 }],
      });
      const queued = await timed.run('leads', leadsOfJanuary);
      expect((await cancel(queued)).result![0]).toMatchObject({ status: 'Cancelled', queuedAt: T0 });
      const processing = await timed.run('leads', leadsOfJanuary);
      await timed.advance(60);
      expect(await timed.status('leads', processing)).toMatchObject({ status: 'Processing' });
      expect(timed.chunkRows()).toHaveLength(1);
      expect((await cancel(processing)).result![0]).toMatchObject({ status: 'Cancelled' });
      expect(timed.chunkRows()).toEqual([]);
      await timed.advance(3600);
      expect(await timed.status('leads', processing)).toMatchObject({ status: 'Cancelled' });
      expect((await timed.file('leads', processing)).statusCode).toBe(404);
      expect(await cancel(processing)).toEqual(
        failure('1003', `Export job ${processing} is Cancelled: it can no longer be cancelled`),
      );
    } finally {
      await timed.app.close();
    }
  });

  it('the daily quota: once the files completed today reach it, create and enqueue are 1029 until midnight Central Time', async () => {
    // A seeded export of ann's completed today (2026-02-01, 06:00 CST) with a file of 1,000,000 bytes, and a job of
    // bob's still Created.
    const file = `${'x'.repeat(999_999)}\n`;
    const spent = await bulkInstance({
      config: { BULK_EXTRACT_DAILY_QUOTA_MB: 1 },
      seed: {
        ...SEED,
        bulkExtract: [
          {
            exportId: 'e0000000-0000-4000-8000-000000000001',
            job: describedJob('Completed', {
              queuedAt: '2026-02-01T06:00:00Z',
              startedAt: '2026-02-01T06:00:00Z',
              finishedAt: '2026-02-01T06:00:01Z',
              file: { records: 1000000, size: file.length, checksum: sha256(file) },
              columns: ['id'],
              headers: ['id'],
            }),
          },
          { exportId: 'e0000000-0000-4000-8000-000000000001', chunk: 0, text: file },
          { exportId: 'e0000000-0000-4000-8000-000000000002', job: describedJob('Created', {}, 'bob@example.com') },
        ],
      },
    });
    try {
      const quota = failure('1029', 'Export daily quota 1MB exceeded.');
      expect(await spent.answer('bob', 'POST', '/bulk/v1/activities/export/create.json', activitiesOfJanuary)).toEqual(
        quota,
      );
      const enqueue = '/bulk/v1/leads/export/e0000000-0000-4000-8000-000000000002/enqueue.json';
      expect(await spent.answer('bob', 'POST', enqueue)).toEqual(quota);
      expect(spent.jobRows().map((row) => row.state)).toEqual(['Completed', 'Created']);
      // The seeded file is there, whole.
      expect(await spent.fileText('leads', 'e0000000-0000-4000-8000-000000000001')).toBe(file);
      // 05:59:59 CST the next day: still spent; at midnight CST the quota is back.
      await spent.advance(18 * 3600 - 1);
      expect(await spent.answer('bob', 'POST', enqueue)).toEqual(quota);
      await spent.advance(1);
      expect((await spent.answer('bob', 'POST', enqueue)).result![0]).toMatchObject({ status: 'Queued' });
      expect(await spent.create('activities', activitiesOfJanuary, 'bob')).toEqual(expect.any(String));
    } finally {
      await spent.app.close();
    }
  });
});
