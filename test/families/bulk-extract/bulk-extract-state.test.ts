import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { frozenClock } from '../../../src/clock.js';
import { MIGRATIONS } from '../../../src/families.js';
import { openDatabase } from '../../../src/storage/database.js';
import { call, makeTempDir } from '../../helpers.js';
import { type BulkInstance, bulkInstance, describedJob, failure, JANUARY, SEED, sha256, T0 } from './support.js';

/**
 * Bulk extract jobs as state (issue 24): the list of a user's jobs, a fault that fails a job, reset, snapshots and
 * restarts, and the path node-marketo-rest sends.
 */

const leadsOfJanuary = { fields: ['id', 'email'], filter: { createdAt: JANUARY } };

const instances: BulkInstance[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const instance of instances.splice(0)) await instance.app.close();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function instance(options: Parameters<typeof bulkInstance>[0] = {}): Promise<BulkInstance> {
  const made = await bulkInstance(options);
  instances.push(made);
  return made;
}

/** An instance seeded with SEED and one export described whole, with its file's chunks. */
function withExport(exportId: string, job: object, ...chunks: string[]): Promise<BulkInstance> {
  return instance({
    seed: {
      ...SEED,
      bulkExtract: [{ exportId, job }, ...chunks.map((text, chunk) => ({ exportId, chunk, text }))],
    },
  });
}

function databaseFile(): string {
  const dir = makeTempDir();
  cleanups.push(dir.remove);
  return join(dir.path, 'fake.db');
}

describe('Get Export Jobs (bulk-extract.md, "Retrieving Jobs")', () => {
  it('lists the caller’s jobs of the entity, filtered by status (repeated, comma-joined, "Canceled" too)', async () => {
    const bulk = await instance();
    const completed = await bulk.run('leads', leadsOfJanuary);
    const created = await bulk.create('leads', leadsOfJanuary);
    const cancelled = await bulk.create('leads', leadsOfJanuary);
    await bulk.answer('ann', 'POST', `/bulk/v1/leads/export/${cancelled}/cancel.json`);
    await bulk.create('activities', { filter: { createdAt: JANUARY } });
    await bulk.status('leads', completed);
    const ids = async (query: string) =>
      (await bulk.answer('ann', 'GET', `/bulk/v1/leads/export.json${query}`)).result!.map((r) => [
        r.exportId,
        r.status,
      ]);
    expect(await ids('')).toEqual([
      [completed, 'Completed'],
      [created, 'Created'],
      [cancelled, 'Cancelled'],
    ]);
    // tap-marketo's get_existing_exports repeats the parameter.
    expect(await ids('?status=Created&status=Queued&status=Processing&status=Completed')).toEqual([
      [completed, 'Completed'],
      [created, 'Created'],
    ]);
    expect(await ids('?status=Completed,Failed')).toEqual([[completed, 'Completed']]);
    expect(await ids('?status=Canceled')).toEqual([[cancelled, 'Cancelled']]);
    // A completed job's record carries its file's figures, as the status does.
    const listed = await bulk.answer('ann', 'GET', '/bulk/v1/leads/export.json?status=Completed');
    expect(listed.result![0]).toEqual(await bulk.status('leads', completed));
  });

  it('pages with batchSize and nextPageToken; only jobs created in the past 7 days', async () => {
    const bulk = await instance();
    const old = await bulk.create('leads', leadsOfJanuary);
    await bulk.advance(7 * 86400 + 1);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push(await bulk.create('leads', leadsOfJanuary));
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 5; page++) {
      const query = `?batchSize=2${token ? `&nextPageToken=${token}` : ''}`;
      const body = await bulk.answer('ann', 'GET', `/bulk/v1/leads/export.json${query}`);
      expect(body.success).toBe(true);
      seen.push(...body.result!.map((r) => r.exportId as string));
      token = body.nextPageToken;
      if (!token) break;
    }
    expect(seen).toEqual(made);
    expect(seen).not.toContain(old);
  });

  it('a bad status, batchSize or nextPageToken is 1003', async () => {
    const bulk = await instance();
    for (const query of ['status=Done', 'batchSize=0', 'batchSize=301', 'batchSize=x', 'nextPageToken=NOTOURS']) {
      const body = await bulk.answer('ann', 'GET', `/bulk/v1/leads/export.json?${query}`);
      expect(body, query).toEqual(failure('1003'));
    }
  });
});

describe('a fault rule can fail a job (hotglue must handle Failed)', () => {
  it('respond {failJob} on the enqueue path: the enqueue answers Queued, the job fails when it would begin', async () => {
    const bulk = await instance();
    const rule = await call(bulk.app, 'POST', '/admin/faults', {
      match: { method: 'POST', path: '/bulk/v1/*/export/*/enqueue.json' },
      respond: { failJob: { message: 'Export failed: internal error' } },
      times: 1,
    });
    expect(rule.statusCode).toBe(201);
    const failing = await bulk.create('activities', { filter: { createdAt: JANUARY } });
    expect(await bulk.enqueue('activities', failing)).toMatchObject({ status: 'Queued' });
    expect(await bulk.status('activities', failing)).toEqual({
      exportId: failing,
      format: 'CSV',
      status: 'Failed',
      createdAt: T0,
      queuedAt: T0,
      startedAt: T0,
      finishedAt: T0,
      errorMsg: 'Export failed: internal error',
    });
    expect((await bulk.file('activities', failing)).statusCode).toBe(404);
    expect(bulk.chunkRows()).toEqual([]);
    // The rule was for one call: the next job completes.
    const next = await bulk.run('activities', { filter: { createdAt: JANUARY } });
    expect(await bulk.status('activities', next)).toMatchObject({ status: 'Completed' });
    const journal = (
      await call(bulk.app, 'GET', '/admin/requests?path=/bulk/v1/activities/export/*/enqueue.json')
    ).json().items as { faultId?: string }[];
    expect(journal.map((entry) => entry.faultId)).toEqual([undefined, rule.json().id]);
  });

  it('without a message, the error says it was injected', async () => {
    const bulk = await instance();
    await call(bulk.app, 'POST', '/admin/faults', { match: { path: '/bulk/**' }, respond: { failJob: {} } });
    const id = await bulk.run('leads', leadsOfJanuary);
    expect(await bulk.status('leads', id)).toMatchObject({
      status: 'Failed',
      errorMsg: 'Injected fault: the job failed',
    });
  });
});

describe('jobs and files are state', () => {
  it('reset empties the jobs, the exports and their files', async () => {
    const bulk = await instance();
    const id = await bulk.run('leads', leadsOfJanuary);
    await bulk.status('leads', id);
    expect(bulk.chunkRows()).toHaveLength(1);
    expect((await call(bulk.app, 'POST', '/admin/reset')).statusCode).toBe(204);
    expect(bulk.jobRows()).toEqual([]);
    expect(bulk.exportRows()).toEqual([]);
    expect(bulk.chunkRows()).toEqual([]);
    expect(await bulk.answer('ann', 'GET', `/bulk/v1/leads/export/${id}/status.json`)).toEqual(failure('1013'));
  });

  it('a snapshot holds each job by its definition and status, and its file; a fresh instance serves them', async () => {
    const first = await instance({ config: { BULK_EXTRACT_PROCESSING_SECONDS: 60 } });
    const done = await first.run('leads', leadsOfJanuary);
    await first.advance(60);
    const text = await first.fileText('leads', done);
    const processing = await first.run('activities', { filter: { createdAt: JANUARY } });
    const created = await first.create('leads', leadsOfJanuary, 'bob');
    expect(await first.status('activities', processing)).toMatchObject({ status: 'Processing' });
    const snapshot = (await call(first.app, 'GET', '/admin/snapshot')).json();
    expect(snapshot.jobs.map((job: { state: string; owner: string }) => [job.state, job.owner])).toEqual([
      ['Completed', 'ann@example.com'],
      ['Processing', 'ann@example.com'],
      ['Created', 'bob@example.com'],
    ]);
    expect(snapshot.bulkExtract).toEqual([
      { exportId: done, job: snapshot.jobs[0].id },
      { exportId: done, chunk: 0, text },
      { exportId: processing, job: snapshot.jobs[1].id },
      { exportId: processing, chunk: 0, text: expect.stringMatching(/^marketoGUID,/) },
      { exportId: created, job: snapshot.jobs[2].id },
    ]);

    const restored = await instance({
      seed: snapshot,
      config: { BULK_EXTRACT_PROCESSING_SECONDS: 60 },
      clock: frozenClock('2026-02-01T12:01:00Z'),
    });
    expect(await restored.fileText('leads', done)).toBe(text);
    expect(await restored.status('leads', done)).toEqual(await first.status('leads', done));
    expect(await restored.status('leads', created, 'bob')).toMatchObject({ status: 'Created' });
    // The half-way job goes on: its file, hashed again from its chunks, completes at its time.
    await restored.advance(60);
    await first.advance(60);
    const restoredStatus = await restored.status('activities', processing);
    expect(restoredStatus).toMatchObject({ status: 'Completed' });
    expect(restoredStatus).toEqual(await first.status('activities', processing));
    expect(await restored.fileText('activities', processing)).toBe(await first.fileText('activities', processing));
    expect(sha256(await restored.fileText('activities', processing))).toBe(restoredStatus.fileChecksum);
  });

  it('a job loaded half-way through its file goes on from its cursor and hashes the file again from its chunks', async () => {
    // As a snapshot or a restart leaves it: two leads written, the running hash (in memory) gone.
    const written = 'id,email\n1,ada@example.com\n2,grace@example.com\n';
    const exportId = 'e0000000-0000-4000-8000-00000000000a';
    const bulk = await withExport(
      exportId,
      describedJob('Processing', {
        queuedAt: T0,
        startedAt: T0,
        progress: { cursor: { lastId: 4, after: 2 }, chunks: 1, bytes: written.length, records: 2 },
      }),
      written,
    );
    const status = await bulk.status('leads', exportId);
    const file = `${written}3,hedy@example.com\n4,hidden@example.com\n`;
    expect(status).toMatchObject({ status: 'Completed', numberOfRecords: 4, fileSize: file.length });
    expect(status.fileChecksum).toBe(sha256(file));
    expect(bulk.chunkRows()).toEqual([
      { job_id: 1, seq: 0, start_byte: 0, bytes: written.length },
      { job_id: 1, seq: 1, start_byte: written.length, bytes: file.length - written.length },
    ]);
    expect(await bulk.fileText('leads', exportId)).toBe(file);
  });

  it('a half-written file whose chunks are not its job’s progress is written again from the start', async () => {
    const exportId = 'e0000000-0000-4000-8000-00000000000b';
    const bulk = await withExport(
      exportId,
      describedJob('Processing', {
        definition: {
          entity: 'activities',
          createdAt: { startAt: '2026-01-01T00:00:00.000Z', endAt: '2026-01-31T23:59:59.000Z' },
          activityTypeIds: [2],
          primaryAttributeValueIds: null,
        },
        format: 'TSV',
        columns: ['marketoGUID', 'primaryAttributeValue'],
        headers: ['marketoGUID', 'primaryAttributeValue'],
        startedAt: T0,
        progress: { cursor: null, chunks: 2, bytes: 99, records: 7 },
      }),
      'not what the progress says\n',
    );
    expect(await bulk.status('activities', exportId)).toMatchObject({ status: 'Completed', numberOfRecords: 2 });
    expect(await bulk.fileText('activities', exportId)).toBe(
      'marketoGUID\tprimaryAttributeValue\n103\tSignup Form\n104\tOther Form\n',
    );
  });

  it('a seed whose chunks do not make the job’s file is refused at its path', async () => {
    const bulk = await instance();
    const id = await bulk.run('leads', leadsOfJanuary);
    await bulk.status('leads', id);
    const snapshot = (await call(bulk.app, 'GET', '/admin/snapshot')).json();
    snapshot.bulkExtract[1].text += 'tampered\n';
    await expect(bulkInstance({ seed: snapshot })).rejects.toMatchObject({
      problems: [{ path: 'bulkExtract[0]', message: expect.stringContaining(`the chunks of export "${id}" hold`) }],
    });
    snapshot.bulkExtract.splice(0, 1);
    await expect(bulkInstance({ seed: snapshot })).rejects.toMatchObject({
      problems: [{ path: 'bulkExtract[0].exportId', message: `no export "${id}" is listed before this chunk` }],
    });
  });

  it('a restart on a file database keeps Completed files readable and resumes a Processing job', async () => {
    const path = databaseFile();
    const config = { BULK_EXTRACT_PROCESSING_SECONDS: 60 };
    const first = await bulkInstance({ db: openDatabase(path, MIGRATIONS), config });
    const done = await first.run('leads', leadsOfJanuary);
    await first.advance(60);
    const text = await first.fileText('leads', done);
    const processing = await first.run('leads', { fields: ['id', 'firstName'], filter: { createdAt: JANUARY } });
    expect(await first.status('leads', processing)).toMatchObject({ status: 'Processing' });
    await first.app.close();

    const second = await instance({
      db: openDatabase(path, MIGRATIONS),
      config,
      clock: frozenClock('2026-02-01T12:02:00Z'),
      seed: SEED,
    });
    expect(await second.fileText('leads', done)).toBe(text);
    const resumed = await second.status('leads', processing);
    expect(resumed).toMatchObject({ status: 'Completed', finishedAt: '2026-02-01T12:02:00Z', numberOfRecords: 4 });
    const file = await second.fileText('leads', processing);
    expect(sha256(file)).toBe(resumed.fileChecksum);
    expect(file).toBe('id,firstName\n1,Ada\n2,"Grace ""Amazing"""\n3,Hedy\n4,Hidden\n');
  });

  it('a deleted API user’s jobs go, with their files; a job waiting for a slot then starts', async () => {
    const bulk = await instance({ config: { BULK_EXTRACT_PROCESSING_SECONDS: 60 } });
    await bulk.run('leads', leadsOfJanuary, 'bob');
    await bulk.run('leads', leadsOfJanuary, 'bob');
    const waiting = await bulk.run('leads', leadsOfJanuary);
    expect(await bulk.status('leads', waiting)).toMatchObject({ status: 'Queued' });
    const bob = bulk.userId('bob');
    const service = (await call(bulk.app, 'GET', '/admin/services'))
      .json()
      .items.find((s: { apiOnlyUserId: number }) => s.apiOnlyUserId === bob);
    expect((await call(bulk.app, 'DELETE', `/admin/services/${service.id}`)).statusCode).toBe(204);
    expect((await call(bulk.app, 'DELETE', `/admin/users/${bob}`)).statusCode).toBe(204);
    expect(bulk.jobRows().map((row) => row.owner_user_id)).toEqual([bulk.userId('ann')]);
    expect(bulk.exportRows()).toHaveLength(1);
    expect(bulk.chunkRows()).toEqual([]);
    // The next bulk call finds both slots free.
    expect(await bulk.status('leads', waiting)).toMatchObject({ status: 'Queued' });
    expect(await bulk.status('leads', waiting)).toMatchObject({ status: 'Processing', startedAt: T0 });
  });
});

describe('the paths clients send', () => {
  it('/rest/../bulk/v1/… (node-marketo-rest) reaches the same operations', async () => {
    const bulk = await instance();
    const body = await bulk.answer('ann', 'POST', '/rest/../bulk/v1/leads/export/create.json', leadsOfJanuary);
    const id = body.result![0]!.exportId as string;
    expect(
      (await bulk.answer('ann', 'POST', `/rest/../bulk/v1/leads/export/${id}/enqueue.json`)).result![0],
    ).toMatchObject({ status: 'Queued' });
    expect(
      (await bulk.answer('ann', 'GET', `/rest/../bulk/v1/leads/export/${id}/status.json`)).result![0],
    ).toMatchObject({ status: 'Completed' });
    const file = await bulk.api('ann', 'GET', `/rest/../bulk/v1/leads/export/${id}/file.json`);
    expect(file.body).toBe(await bulk.fileText('leads', id));
  });
});
