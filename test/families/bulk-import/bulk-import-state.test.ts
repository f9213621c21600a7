import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { frozenClock } from '../../../src/clock.js';
import { leadImportJob } from '../../../src/families/bulk-import/lead-import.js';
import { MIGRATIONS } from '../../../src/families.js';
import { openDatabase } from '../../../src/storage/database.js';
import { call, makeTempDir } from '../../helpers.js';
import { type Importing, importing, T0_MS } from './support.js';

/**
 * Imports are state (issue 25, "Rules"): in snapshots (the job in `jobs`, its file and its failed rows in
 * `bulkImport`), emptied by reset, and resumed where they were on a file database opened again.
 */

const open: Importing[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const env of open.splice(0)) await env.app.close();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function instance(options: Parameters<typeof importing>[0] = {}): Promise<Importing> {
  const env = await importing(options);
  open.push(env);
  return env;
}

const rowsOf = (n: number) =>
  `email,firstName\n${Array.from({ length: n }, (_, i) => `state${i}@example.com,Row ${i}`).join('\n')}\n`;

describe('imports are state', () => {
  it('a snapshot of a Queued import, fed to a fresh instance, runs there to the same end', async () => {
    const first = await instance();
    const batchId = await first.submit('email,seats\nsnap@example.com,3\ntwin@example.com,1\n');
    const snapshot = (await call(first.app, 'GET', '/admin/snapshot')).json();
    expect(snapshot.jobs).toEqual([
      expect.objectContaining({ id: batchId, family: 'bulkImport', kind: 'leads', state: 'Queued' }),
    ]);
    expect(snapshot.bulkImport).toEqual([{ job: batchId, chunk: 0, data: expect.any(String) }]);

    const restored = await instance({ seed: snapshot, clock: frozenClock(new Date(T0_MS).toISOString()) });
    await restored.finish();
    expect(await restored.status(batchId)).toMatchObject({
      status: 'Complete',
      numOfLeadsProcessed: 1,
      numOfRowsFailed: 1,
    });
    expect(await restored.lead('snap@example.com')).toEqual([expect.objectContaining({ seats: 3 })]);
    // Finished, its file is gone and its failed row kept; a snapshot now carries that row, and restores it.
    const after = (await call(restored.app, 'GET', '/admin/snapshot')).json();
    expect(after.bulkImport).toEqual([
      {
        job: batchId,
        kind: 'failure',
        row: 2,
        values: ['twin@example.com', '1'],
        reason: 'Multiple leads match the lookup criteria',
      },
    ]);
    const again = await instance({ seed: after });
    const failures = await again.marketo('GET', `/bulk/v1/leads/batch/${batchId}/failures.json`);
    expect(failures.body).toBe(
      'email,seats,Import Failure Reason\ntwin@example.com,1,Multiple leads match the lookup criteria\n',
    );
  });

  it('reset empties the imports: their jobs, files and rows', async () => {
    const env = await instance();
    const done = await env.submit('email\ntwin@example.com\n');
    await env.finish();
    const queued = await env.submit('email\nreset@example.com\n');
    expect((await call(env.app, 'POST', '/admin/reset')).statusCode).toBe(204);
    expect(env.app.ctx.jobs.list(leadImportJob)).toEqual([]);
    expect((await call(env.app, 'GET', '/admin/snapshot')).json().bulkImport).toEqual([]);
    expect(await env.status(done)).toEqual({ code: '1013', message: 'Object not found' });
    expect(await env.status(queued)).toEqual({ code: '1013', message: 'Object not found' });
  });

  it('after a reset mid-import, a new import with the same batch id reads its own file, not the one before', async () => {
    const env = await instance();
    const first = await env.submit(rowsOf(5_000));
    env.clock.advance(2);
    // One turn of the runner: the first import is on its way, a chunk of its file read.
    env.app.ctx.jobs.runDue();
    expect(env.app.ctx.jobs.get(leadImportJob, first)!.state).toBe('Importing');
    expect((await call(env.app, 'POST', '/admin/reset')).statusCode).toBe(204);
    const second = await env.submit('email,firstName\nafter-reset@example.com,New\n');
    expect(second).toBe(first);
    await env.finish();
    expect(await env.status(second)).toMatchObject({ status: 'Complete', numOfLeadsProcessed: 1 });
    expect(await env.lead('after-reset@example.com')).toHaveLength(1);
    expect(await env.lead('state0@example.com')).toEqual([]);
  });

  it('a file database opened again resumes an import mid-way, and imports each row once', async () => {
    const dir = makeTempDir();
    cleanups.push(dir.remove);
    const path = join(dir.path, 'fake.db');
    const first = await importing({ db: openDatabase(path, MIGRATIONS) });
    const batchId = await first.submit(rowsOf(5_000));
    first.clock.advance(2);
    // Turns of the runner, by hand and with nothing else in between, until some rows are in; then it stops.
    const progress = () => first.app.ctx.jobs.get(leadImportJob, batchId)!;
    while (progress().payload.imported === 0) first.app.ctx.jobs.runDue();
    first.app.ctx.jobs.stop();
    const midway = progress();
    expect(midway.state).toBe('Importing');
    expect(midway.payload.imported).toBeLessThan(5_000);
    await first.app.close();

    const reopened = openDatabase(path, MIGRATIONS);
    const second = await instance({ db: reopened, clock: frozenClock(new Date(T0_MS + 2000).toISOString()) });
    await second.app.ctx.jobs.drain();
    expect(await second.status(batchId)).toMatchObject({ status: 'Complete', numOfLeadsProcessed: 5_000 });
    const counted = reopened
      .prepare("SELECT count(*) AS n, count(DISTINCT email) AS emails FROM leads WHERE email LIKE 'state%'")
      .get();
    expect(counted).toEqual({ n: 5_000, emails: 5_000 });
  });
});
