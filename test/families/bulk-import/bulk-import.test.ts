import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bulkImport } from '../../../src/families/bulk-import/bulk-import.js';
import { leadImportJob } from '../../../src/families/bulk-import/lead-import.js';
import { activitiesSince, failure, type Importing, importing, LEAD, LIST, multipartForm, T0_MS } from './support.js';

/**
 * Bulk lead import (issue 25; bulk-import.md, bulk-lead-import.md): POST /bulk/v1/leads.json, its status, failures
 * and warnings, on the fake's clock. Each row is synced as Sync Leads syncs a record; the tests compare with Sync
 * Leads itself where they can.
 */

const REQUEST_ID = /^[0-9a-f]{1,5}#[0-9a-f]+$/;
const DAY_S = 24 * 3600;

let env: Importing;
beforeAll(async () => {
  env = await importing();
});
afterAll(async () => {
  await env.app.close();
});
// Every import of a test runs to its end before the next test: each starts with an empty queue.
afterEach(async () => {
  await env.finish();
});

/** Submits a file, runs the import to its end, and answers its batch id and status. */
async function imported(file: string | Buffer, query = 'format=csv') {
  const batchId = await env.submit(file, query);
  await env.finish();
  return { batchId, status: await env.status(batchId) };
}

const problems = (batchId: number, kind: 'failures' | 'warnings', status = 200) =>
  env.marketo('GET', `/bulk/v1/leads/batch/${batchId}/${kind}.json`, { status });

const jobCount = () => env.app.ctx.jobs.list(leadImportJob).length;

const membersOf = async (listId: number): Promise<string[]> =>
  (await env.marketo('GET', `/rest/v1/lists/${listId}/leads.json?fields=email`))
    .json()
    .result.map((lead: { email: string }) => lead.email);

/** A lead's activities of these types since the tests began, oldest first. */
const activitiesOf = async (leadId: number, typeIds: string) =>
  (await activitiesSince(env, typeIds)).filter((activity) => activity.leadId === leadId);

const attribute = (activity: Record<string, unknown>, name: string) =>
  (activity.attributes as { name: string; value: unknown }[]).find((a) => a.name === name)?.value;

const file = (csv: string) =>
  multipartForm([{ name: 'file', filename: 'leads.csv', contentType: 'text/csv', data: csv }]);

describe('POST /bulk/v1/leads.json (Import Leads)', () => {
  it('answers a Queued batch; Queued → Importing → Complete on the clock, with Marketo’s counts and message', async () => {
    const response = await env.marketo('POST', '/bulk/v1/leads.json?format=csv', {
      ...file('email,firstName\nnew1@example.com,Nia\nann@example.com,Ann\n'),
    });
    const batchId = response.json().result[0].batchId as number;
    // bulk-import.md's answer: batchId, importId (the same, as a string) and status.
    expect(response.json()).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      result: [{ batchId, importId: String(batchId), status: 'Queued' }],
    });
    const none = { numOfLeadsProcessed: 0, numOfRowsFailed: 0, numOfRowsWithWarning: 0 };
    expect(await env.status(batchId)).toEqual({
      batchId,
      importId: String(batchId),
      status: 'Queued',
      ...none,
      message: 'Import queued',
    });
    env.clock.advance(1);
    expect(await env.status(batchId)).toMatchObject({ status: 'Importing', ...none, message: 'Import in progress' });
    expect(await env.lead('new1@example.com')).toEqual([]);
    env.clock.advance(1);
    expect(await env.status(batchId)).toEqual({
      batchId,
      importId: String(batchId),
      status: 'Complete',
      numOfLeadsProcessed: 2,
      numOfRowsFailed: 0,
      numOfRowsWithWarning: 0,
      message: 'Import succeeded, 2 records imported (2 members)',
    });
    expect(await env.lead('new1@example.com')).toEqual([expect.objectContaining({ firstName: 'Nia' })]);
  });

  it('syncs each row as Sync Leads syncs the same record: the same leads, reasons and activities', async () => {
    const rows = [
      { email: 'ann@example.com', firstName: 'Ann', seats: '7' }, // updated: only seats changes
      { email: 'sync-new@example.com', firstName: 'Sam', seats: '3' }, // created
      { email: 'twin@example.com', firstName: 'Tw' }, // two leads have this email
      { email: 'sync-bad@example.com', seats: 'many' }, // not an integer
      { email: 'eve@example.com', tier: 'Bronze' }, // updated, in EMEA
    ];
    // The same records through Sync Leads, in a subscription seeded alike.
    const twin = await importing();
    const synced = (
      await twin.marketo('POST', '/rest/v1/leads.json', {
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ input: rows }),
      })
    ).json().result as { status: string; reasons?: { code: string; message: string }[] }[];
    const twinLeads = await Promise.all(rows.map((row) => twin.lead(row.email, 'email,firstName,seats,tier')));
    await twin.app.close();

    const csv = `email,firstName,seats,tier\n${rows
      .map((row) => [row.email, row.firstName ?? '', row.seats ?? '', row.tier ?? ''].join(','))
      .join('\n')}\n`;
    const { batchId, status } = await imported(csv);
    expect(status).toMatchObject({
      status: 'Complete',
      numOfLeadsProcessed: 3,
      numOfRowsFailed: 2,
      message: 'Import completed with errors, 3 records imported (3 members), 2 failed',
    });
    expect(synced.map((result) => result.status)).toEqual(['updated', 'created', 'skipped', 'skipped', 'updated']);
    const [twinReason, badReason] = synced.filter((r) => r.status === 'skipped').map((r) => r.reasons![0]!);
    expect([twinReason!.code, badReason!.code]).toEqual(['1007', '1003']);
    const failures = await problems(batchId, 'failures');
    expect(failures.body).toBe(
      'email,firstName,seats,tier,Import Failure Reason\n' +
        `twin@example.com,Tw,,,${twinReason!.message}\n` +
        `sync-bad@example.com,,many,,${badReason!.message}\n`,
    );
    const leads = await Promise.all(rows.map((row) => env.lead(row.email, 'email,firstName,seats,tier')));
    // The same leads, but for the id a created one gets (other tests here created leads before).
    const withoutIds = (found: Record<string, unknown>[][]) =>
      found.map((list) => list.map(({ id: _, ...rest }) => rest));
    expect(withoutIds(leads)).toEqual(withoutIds(twinLeads));
    expect(leads[0]).toEqual([{ id: LEAD.ann, email: 'ann@example.com', firstName: 'Ann', seats: 7, tier: 'Gold' }]);

    // Activities as Sync Leads writes them (New Lead; a Change Data Value per changed field), dated at the step's
    // time, the import's request and user, through importLead.
    const stepTime = new Date(env.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const [created] = await env.lead('sync-new@example.com', 'id');
    const newLead = await activitiesOf(created!.id as number, '12');
    expect(newLead).toEqual([
      expect.objectContaining({ activityTypeId: 12, primaryAttributeValue: 'Sam', activityDate: expect.any(String) }),
    ]);
    expect(attribute(newLead[0]!, 'API Method Name')).toBe('importLead');
    expect(attribute(newLead[0]!, 'Modifying User')).toBe('importer@example.com');
    expect(attribute(newLead[0]!, 'Request Id')).toMatch(REQUEST_ID);
    expect(Date.parse(newLead[0]!.activityDate as string)).toBeLessThanOrEqual(Date.parse(stepTime));
    const annChanges = await activitiesOf(LEAD.ann, '13');
    expect(
      annChanges.map((a) => [a.primaryAttributeValue, attribute(a, 'Old Value'), attribute(a, 'New Value')]),
    ).toContainEqual(['Seats', '5', '7']);
    expect(annChanges.filter((a) => a.primaryAttributeValue === 'First Name')).toEqual([]);
    expect(
      (await activitiesOf(LEAD.eve, '13')).map((a) => [a.primaryAttributeValue, attribute(a, 'New Value')]),
    ).toEqual([['Tier', 'Bronze']]);
  });

  it('with listId, the imported leads become members of the list, each with one Add to List (24)', async () => {
    // Ann is a member already: she gets no second Add to List.
    const added = await env.marketo('POST', `/rest/v1/lists/${LIST.audience}/leads.json?id=${LEAD.ann}`, {
      headers: { 'content-type': 'application/json' },
    });
    expect(added.json().result).toEqual([{ id: LEAD.ann, status: 'added' }]);
    const { status } = await imported(
      'email\nann@example.com\nlist-new@example.com\ntwin@example.com\n',
      `format=csv&listId=${LIST.audience}`,
    );
    expect(status).toMatchObject({
      status: 'Complete',
      message: 'Import completed with errors, 2 records imported (2 members), 1 failed',
    });
    expect((await membersOf(LIST.audience)).sort()).toEqual(['ann@example.com', 'list-new@example.com']);
    const [created] = await env.lead('list-new@example.com', 'id');
    expect(await activitiesOf(created!.id as number, '24')).toEqual([
      expect.objectContaining({ primaryAttributeValueId: LIST.audience, primaryAttributeValue: 'Audience' }),
    ]);
    expect(await activitiesOf(LEAD.ann, '24')).toHaveLength(1);
  });

  it('partitionName places new leads; a lead found in another partition fails with 1010, an unknown one 1008', async () => {
    const { batchId, status } = await imported(
      'email,firstName\neve@example.com,Evie\nemea-new@example.com,Emma\nann@example.com,Ann\n',
      'format=csv&partitionName=EMEA',
    );
    expect(status).toMatchObject({ numOfLeadsProcessed: 2, numOfRowsFailed: 1 });
    expect(await env.lead('emea-new@example.com')).toEqual([expect.objectContaining({ leadPartitionId: 2 })]);
    expect(await env.lead('eve@example.com')).toEqual([expect.objectContaining({ firstName: 'Evie' })]);
    expect((await problems(batchId, 'failures')).body).toBe(
      'email,firstName,Import Failure Reason\nann@example.com,Ann,Partition update not allowed\n',
    );
    const mars = await imported('email\nmars@example.com\n', 'format=csv&partitionName=Mars');
    expect(mars.status).toMatchObject({ numOfLeadsProcessed: 0, numOfRowsFailed: 1 });
    expect((await problems(mars.batchId, 'failures')).body).toContain(",Partition 'Mars' does not exist\n");
  });

  it('lookupField=id updates by id only ("Specify id to perform an update only operation"): an unknown id is 1004', async () => {
    const { batchId, status } = await imported(
      `id,tier\n${LEAD.eve},Platinum\n99999,Lost\n`,
      'format=csv&lookupField=id',
    );
    expect(status).toMatchObject({ numOfLeadsProcessed: 1, numOfRowsFailed: 1 });
    expect(await env.lead('eve@example.com')).toEqual([expect.objectContaining({ tier: 'Platinum' })]);
    expect((await problems(batchId, 'failures')).body).toBe(
      'id,tier,Import Failure Reason\n99999,Lost,Lead not found\n',
    );
  });

  it('reads tsv and ssv, a BOM, CRLF, and quoted values holding delimiters, quotes and line breaks', async () => {
    const tsv = '\ufeffemail\ttier\tfirstName\r\ntsv@example.com\t"a\tb"\t"Jo ""JJ""\r\nSmith"\r\n';
    await imported(tsv, 'format=TSV');
    expect(await env.lead('tsv@example.com')).toEqual([
      expect.objectContaining({ tier: 'a\tb', firstName: 'Jo "JJ"\r\nSmith' }),
    ]);
    await imported('email;tier\nssv@example.com;"x;y"\n', 'format=ssv');
    expect(await env.lead('ssv@example.com')).toEqual([expect.objectContaining({ tier: 'x;y' })]);
  });

  it('an empty cell leaves the field as it is, as does a cell a short row lacks', async () => {
    await imported('email,firstName,tier,seats\nann@example.com,,Silver\n');
    expect(await env.lead('ann@example.com')).toEqual([
      expect.objectContaining({ firstName: 'Ann', tier: 'Silver', seats: 7 }),
    ]);
  });

  it('an email Marketo would refuse is a warning, the row still imported (Segment, from a live instance); non-ASCII fails', async () => {
    const { batchId, status } = await imported('email,firstName\nnot-an-email,Nemo\nzoë@example.com,Zoë\n');
    expect(status).toMatchObject({
      status: 'Complete',
      numOfLeadsProcessed: 1,
      numOfRowsFailed: 1,
      numOfRowsWithWarning: 1,
    });
    expect(await env.lead('not-an-email')).toEqual([expect.objectContaining({ firstName: 'Nemo' })]);
    expect((await problems(batchId, 'warnings')).body).toBe(
      "email,firstName,Import Warning Reason\nnot-an-email,Nemo,Invalid value for field 'email' and value 'not-an-email'\n",
    );
    expect((await problems(batchId, 'failures')).body).toBe(
      "email,firstName,Import Failure Reason\nzoë@example.com,Zoë,Invalid value for field 'email' and value 'zoë@example.com'\n",
    );
  });

  it('a malformed file fails the import with a message, and no row of it is written', async () => {
    const { batchId, status } = await imported('email,firstName\nfirst@example.com,Fay\nsecond@example.com,"Sid\n');
    expect(status).toMatchObject({
      status: 'Failed',
      numOfLeadsProcessed: 0,
      numOfRowsFailed: 0,
      message: 'Invalid file format at line 3: Quote Not Closed',
    });
    expect(await env.lead('first@example.com')).toEqual([]);
    await problems(batchId, 'failures', 404);
  });

  it('a column that is no lead field fails the whole import, as does a field named twice, before any row', async () => {
    const unknown = await imported('email,shoeSize\nshoe@example.com,44\n');
    expect(unknown.status).toMatchObject({ status: 'Failed', message: "Field 'shoeSize' not found" });
    const twice = await imported('email,EMAIL\ntwice@example.com,twice@example.com\n');
    expect(twice.status).toMatchObject({
      status: 'Failed',
      message: "Field 'email' is named more than once in the header",
    });
    expect(await env.lead('shoe@example.com')).toEqual([]);
    expect(await env.lead('twice@example.com')).toEqual([]);
  });

  it('a header alone imports nothing and succeeds; an empty file fails', async () => {
    expect((await imported('email,firstName\r\n')).status).toMatchObject({
      status: 'Complete',
      message: 'Import succeeded, 0 records imported (0 members)',
    });
    expect((await imported('')).status).toMatchObject({
      status: 'Failed',
      message: 'The file is empty: its first row must name the fields to import',
    });
  });

  it('answers bad input at once, and queues nothing: 1003, 701 without a file, 612 not multipart, 613 a bad form', async () => {
    const before = jobCount();
    const post = (url: string, form: { headers: Record<string, string>; payload: string | Buffer }) =>
      env.marketo('POST', url, form).then(failure);
    const csv = 'email\nbad-input@example.com\n';
    expect(await post('/bulk/v1/leads.json?format=xls', file(csv))).toMatchObject({ code: '1003' });
    expect(await post('/bulk/v1/leads.json?listId=abc', file(csv))).toMatchObject({ code: '1003' });
    const fieldFormat = multipartForm([
      { name: 'format', data: 'xlsx' },
      { name: 'file', filename: 'leads.csv', data: csv },
    ]);
    expect(await post('/bulk/v1/leads.json', fieldFormat)).toMatchObject({
      code: '1003',
      message: expect.stringContaining('format'),
    });
    const noFile = multipartForm([{ name: 'format', data: 'csv' }]);
    expect(await post('/bulk/v1/leads.json', noFile)).toEqual({ code: '701', message: 'file cannot be blank' });
    const json = { headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ file: csv }) };
    expect(await post('/bulk/v1/leads.json?format=csv', json)).toEqual({
      code: '612',
      message: 'Invalid Content Type',
    });
    const cut = file(csv).payload.subarray(0, 60);
    expect(await post('/bulk/v1/leads.json', { ...file(csv), payload: cut })).toEqual({
      code: '613',
      // The plane's parser says why (src/http/multipart.ts).
      message: 'Invalid Multipart Request: no closing boundary after CR LF (the body ends first)',
    });
    const twoFiles = multipartForm([
      { name: 'file', filename: 'a.csv', data: csv },
      { name: 'file', filename: 'b.csv', data: csv },
    ]);
    expect(await post('/bulk/v1/leads.json', twoFiles)).toMatchObject({ code: '613' });
    expect(await post('/bulk/v1/leads.json?lookupField=leadPartitionId', file(csv))).toEqual({
      code: '1011',
      message: "Field 'leadPartitionId' not supported",
    });
    expect(await post('/bulk/v1/leads.json?lookupField=shoeSize', file(csv))).toMatchObject({ code: '1011' });
    expect(jobCount()).toBe(before);
  });

  it('is 603 without Read-Write Lead, and for a list in a workspace the caller may not change; an unknown list 1013', async () => {
    const before = jobCount();
    const csv = file('email\ndenied@example.com\n');
    expect(failure(await env.marketo('POST', '/bulk/v1/leads.json', { who: 'reader', ...csv }))).toEqual({
      code: '603',
      message: 'Access denied',
    });
    expect(
      failure(await env.marketo('POST', `/bulk/v1/leads.json?listId=${LIST.euro}`, { who: 'local', ...csv })),
    ).toEqual({ code: '603', message: 'Access denied' });
    expect(failure(await env.marketo('POST', '/bulk/v1/leads.json?listId=4242', csv))).toEqual({
      code: '1013',
      message: 'Object not found',
    });
    expect(jobCount()).toBe(before);
  });
});

describe('GET /bulk/v1/leads/batch/{batchId}.json (Get Import Lead Status)', () => {
  it('a batch belongs to the API user who made it: another user’s call does not find it', async () => {
    const batchId = await env.submit('email\nmine@example.com\n');
    expect(await env.status(batchId, 'other')).toEqual({ code: '1013', message: 'Object not found' });
    expect(await env.status(batchId)).toMatchObject({ batchId, status: 'Queued' });
  });

  it('an unknown batch is 1013, a batchId that is no number 1003, and a caller without Read-Write Lead 603', async () => {
    expect(await env.status(987654)).toEqual({ code: '1013', message: 'Object not found' });
    expect(failure(await env.marketo('GET', '/bulk/v1/leads/batch/abc.json'))).toMatchObject({ code: '1003' });
    const batchId = await env.submit('email\nreader@example.com\n');
    expect(failure(await env.marketo('GET', `/bulk/v1/leads/batch/${batchId}.json`, { who: 'reader' }))).toEqual({
      code: '603',
      message: 'Access denied',
    });
  });

  it('a batch is valid for seven days (bulk-lead-import.md): then 1013, and its rows are removed', async () => {
    const { batchId } = await imported('email\ntwin@example.com\nweek@example.com\n');
    const repo = env.app.ctx.repo(bulkImport);
    expect([...repo.problems(batchId, 'failure')]).toHaveLength(1);
    env.clock.advance(7 * DAY_S - 10);
    expect(await env.status(batchId)).toMatchObject({ status: 'Complete' });
    env.clock.advance(10);
    expect(await env.status(batchId)).toEqual({ code: '1013', message: 'Object not found' });
    expect(failure(await problems(batchId, 'failures'))).toEqual({ code: '1013', message: 'Object not found' });
    expect([...repo.problems(batchId, 'failure')]).toEqual([]);
    // The leads it imported stay.
    expect(await env.lead('week@example.com')).toHaveLength(1);
  });
});

describe('GET …/failures.json and …/warnings.json (Get Import Lead Failures, Warnings)', () => {
  it('are served as text/csv;charset=UTF-8 exactly (RudderStack checks that string), in the import’s format', async () => {
    const { batchId } = await imported('email\ttier\ntwin@example.com\t"has\ttab, and ""quotes"""\n', 'format=tsv');
    const failures = await problems(batchId, 'failures');
    expect(failures.headers['content-type']).toBe('text/csv;charset=UTF-8');
    expect(failures.body).toBe(
      'email\ttier\tImport Failure Reason\ntwin@example.com\t"has\ttab, and ""quotes"""\tMultiple leads match the lookup criteria\n',
    );
  });

  it('are HTTP 404 when the import has none (Segment: "The file 404s when numOfRowsFailed is 0")', async () => {
    const { batchId } = await imported('email\nclean@example.com\n');
    const failures = await problems(batchId, 'failures', 404);
    expect(failures.headers['content-type']).toMatch(/^text\/plain/);
    await problems(batchId, 'warnings', 404);
  });

  it('are 1019 Import in progress while the import is Queued or Importing', async () => {
    const batchId = await env.submit('email\ntwin@example.com\n');
    expect(failure(await problems(batchId, 'failures'))).toEqual({ code: '1019', message: 'Import in progress' });
    env.clock.advance(1);
    expect(await env.status(batchId)).toMatchObject({ status: 'Importing' });
    expect(failure(await problems(batchId, 'warnings'))).toEqual({ code: '1019', message: 'Import in progress' });
  });

  it('are 1013 for an unknown or another user’s batch, 1003 for a batchId that is no number, 603 without the permission', async () => {
    const { batchId } = await imported('email\ntwin@example.com\n');
    for (const kind of ['failures', 'warnings'] as const) {
      expect(failure(await problems(987654, kind))).toEqual({ code: '1013', message: 'Object not found' });
      const others = await env.marketo('GET', `/bulk/v1/leads/batch/${batchId}/${kind}.json`, { who: 'other' });
      expect(failure(others)).toMatchObject({ code: '1013' });
      expect(failure(await env.marketo('GET', `/bulk/v1/leads/batch/x/${kind}.json`))).toMatchObject({ code: '1003' });
      const reader = await env.marketo('GET', `/bulk/v1/leads/batch/${batchId}/${kind}.json`, { who: 'reader' });
      expect(failure(reader)).toEqual({ code: '603', message: 'Access denied' });
    }
  });
});

describe('the queue (bulk-lead-import.md, "Processing Limits")', () => {
  let queue: Importing;
  beforeAll(async () => {
    queue = await importing();
  });
  afterAll(async () => {
    await queue.app.close();
  });

  it('two imports at a time, first in first out; with ten queued or importing the next is 1016 Too many imports', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push(await queue.submit(`email\nqueue${i}@example.com\n`));
    const eleventh = await queue.marketo('POST', '/bulk/v1/leads.json', file('email\neleven@example.com\n'));
    expect(failure(eleventh)).toEqual({ code: '1016', message: 'Too many imports' });
    const states = async () => Promise.all(ids.map(async (id) => (await queue.status(id)).status));
    queue.clock.advance(1);
    expect(await states()).toEqual(['Importing', 'Importing', ...Array(8).fill('Queued')]);
    queue.clock.advance(1);
    await queue.app.ctx.jobs.drain();
    expect(await states()).toEqual(['Complete', 'Complete', 'Importing', 'Importing', ...Array(6).fill('Queued')]);
    // Two have left the queue: two more may come.
    await queue.submit('email\neleven@example.com\n');
    queue.clock.advance(3600);
    await queue.app.ctx.jobs.drain();
    expect(new Set(await states())).toEqual(new Set(['Complete']));
  });

  it('dates what an import writes at its step on the clock, not at the call that happened to run it', async () => {
    await queue.submit('email\nlater@example.com\n');
    // An hour passes before the next call: the import ran two seconds after it was made.
    queue.clock.advance(3600);
    await queue.app.ctx.jobs.drain();
    const [lead] = (
      await queue.marketo('GET', '/rest/v1/leads.json?filterType=email&filterValues=later@example.com&fields=createdAt')
    ).json().result;
    expect(Date.parse(lead.createdAt)).toBeLessThan(queue.clock.now() - 3000_000);
    expect(Date.parse(lead.createdAt)).toBeGreaterThan(T0_MS);
  });

  it('a file over 10 MB is HTTP 413, as Marketo’s gateway answers a body too large; 10 MB exactly is taken', async () => {
    const header = 'email,tier\n';
    const exactly = Buffer.alloc(10 * 1024 * 1024, 'x');
    exactly.write(header);
    exactly.write('\n', exactly.length - 1);
    const before = queue.app.ctx.jobs.list(leadImportJob).length;
    const over = await queue.marketo('POST', '/bulk/v1/leads.json', {
      ...multipartForm([{ name: 'file', filename: 'big.csv', data: Buffer.concat([exactly, Buffer.from('x')]) }]),
      status: 413,
    });
    expect(over.json()).toEqual({ error: 'Request Entity Too Large' });
    expect(queue.app.ctx.jobs.list(leadImportJob)).toHaveLength(before);
    const batchId = await queue.submit(exactly);
    expect(await queue.status(batchId)).toMatchObject({ status: 'Queued' });
    expect(queue.app.ctx.jobs.get(leadImportJob, batchId)!.payload.fileBytes).toBe(10 * 1024 * 1024);
  });
});
