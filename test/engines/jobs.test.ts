import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../../src/app.js';
import { AdjustableClock, frozenClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { MarketoError } from '../../src/domain/errors.js';
import { defineJob, type JobStepContext } from '../../src/engines/jobs/kinds.js';
import { FAMILIES } from '../../src/families.js';
import { type AnyFamily, defineFamily, type FamilyRouteOptions, migrationsOf } from '../../src/family.js';
import { successEnvelope } from '../../src/http/envelope.js';
import { envelopeOf } from '../../src/http/marketo-schemas.js';
import type { SeedInput } from '../../src/seed.js';
import { type Database, openDatabase, prepareOnUse } from '../../src/storage/database.js';
import { call, expectProblem, makeTempDir, tokenFor } from '../helpers.js';

/**
 * Jobs on the clock (issue 22, item 3), proved with a family defined here only: a "tally" job is Queued for 10 s, then
 * Processing, writing one line into the family's own table per step (every `everySeconds`, or at once), then
 * Completed. Its routes create a job for the calling API user and read its status.
 */

const TALLIES_MIGRATION = `
  CREATE TABLE tally_lines (
    job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    written_at INTEGER NOT NULL,
    PRIMARY KEY (job_id, n)
  ) WITHOUT ROWID;`;

const QUEUED_MS = 10_000;

class TallyRepository {
  private readonly insertLine;
  private readonly countLines;
  private readonly selectAll;
  constructor(db: Database) {
    this.insertLine = prepareOnUse<[number, number, number]>(
      db,
      'INSERT INTO tally_lines (job_id, n, written_at) VALUES (?, ?, ?)',
    );
    this.countLines = prepareOnUse<[number], { n: number }>(
      db,
      'SELECT count(*) AS n FROM tally_lines WHERE job_id = ?',
    );
    this.selectAll = prepareOnUse<[], { job_id: number; n: number; written_at: number }>(
      db,
      'SELECT job_id, n, written_at FROM tally_lines ORDER BY job_id, n',
    );
  }
  write(jobId: number, n: number, at: number): void {
    this.insertLine.run(jobId, n, at);
  }
  count(jobId: number): number {
    return this.countLines.get(jobId)!.n;
  }
  all() {
    return this.selectAll.all();
  }
}

const tallyPayload = z.strictObject({
  lines: z.number().int().min(1).max(10_000),
  everySeconds: z.number().int().min(0).default(30),
  /** The step that writes this line throws after writing it. */
  failAt: z.number().int().optional(),
  /** Wall-clock time each line takes (a big job's real work). */
  busyMs: z.number().min(0).max(50).default(0),
  /** The step answers a due time that is not a number. */
  answerNaN: z.boolean().default(false),
});

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const tallyJob = defineJob({
  payload: tallyPayload,
  step(job, { repo }: JobStepContext<TallyRepository>) {
    const { lines, everySeconds, failAt, busyMs, answerNaN } = job.payload;
    const next = job.dueAt + everySeconds * 1000;
    if (job.state === 'Queued') return { state: 'Processing', dueAt: answerNaN ? Number.NaN : next };
    const n = repo.count(job.id) + 1;
    repo.write(job.id, n, job.dueAt);
    busy(busyMs);
    if (n === failAt) throw new Error(`line ${n} does not add up`);
    return n === lines ? { state: 'Completed', dueAt: null } : { state: 'Processing', dueAt: next };
  },
});

const tallyEnvelope = envelopeOf(
  z.object({ id: z.number().int(), state: z.string(), lines: z.number().int(), error: z.string().optional() }),
);

const tallyRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<TallyRepository>> = async (app, { repo }) => {
  const status = (request: FastifyRequest, job: { id: number; state: string; error: string | null }) => ({
    id: job.id,
    state: job.state,
    lines: repo(request).count(job.id),
    ...(job.error !== null ? { error: job.error } : {}),
  });
  app.post(
    '/rest/v1/tallies.json',
    {
      config: { permissions: ['read-write-company'] },
      schema: { body: z.unknown(), response: { 200: tallyEnvelope } },
    },
    async (request) => {
      const parsed = tallyPayload.safeParse(request.body);
      if (!parsed.success) throw new MarketoError('1003', parsed.error.issues[0]!.message);
      const job = request.ctx.jobs.schedule(tallyJob, {
        state: 'Queued',
        dueAt: request.ctx.clock.now() + QUEUED_MS,
        payload: parsed.data,
        ownerId: request.principal!.user.id,
      });
      return successEnvelope(request.marketoRequestId(), [status(request, job)]);
    },
  );
  app.get(
    '/rest/v1/tallies/:id.json',
    {
      config: { permissions: ['read-only-company', 'read-write-company'] },
      schema: { params: z.object({ id: z.coerce.number().int() }), response: { 200: tallyEnvelope } },
    },
    async (request) => {
      const job = request.ctx.jobs.get(tallyJob, request.params.id);
      // Only the API user who created a job can see it (as Marketo's bulk extract).
      if (!job || job.ownerId !== request.principal!.user.id) throw new MarketoError('1013', 'Tally not found');
      return successEnvelope(request.marketoRequestId(), [status(request, job)]);
    },
  );
};

const tallies = defineFamily({
  key: 'tallies',
  tables: ['tally_lines'],
  wireFormat: 'lead-database',
  // After the core's, which make the jobs table its rows reference.
  migrations: [{ name: 'tallies/001_lines', sql: TALLIES_MIGRATION }],
  repository: ({ db }) => new TallyRepository(db),
  jobs: { tally: tallyJob },
  seed: {
    item: z.strictObject({ job: z.number().int(), n: z.number().int(), writtenAt: z.iso.datetime() }),
    load(repo, items, { time }) {
      for (const item of items) repo.write(item.job, item.n, time(item.writtenAt));
    },
    snapshot: (repo) =>
      repo.all().map((row) => ({ job: row.job_id, n: row.n, writtenAt: new Date(row.written_at).toISOString() })),
    example: [],
  },
  marketoRoutes: tallyRoutes,
});

const WITH_TALLIES: readonly AnyFamily[] = [...FAMILIES, tallies];
const SCHEMA = migrationsOf(WITH_TALLIES);

const T0 = Date.parse('2026-11-30T12:00:00Z');

const SEED = {
  roles: [{ name: 'Tallier', permissions: ['read-write-company'] }],
  users: ['ann@example.com', 'bob@example.com'].map((email) => ({
    email,
    roles: [{ role: 'Tallier', workspace: 'Default' }],
  })),
  services: ['ann', 'bob'].map((name) => ({
    name,
    user: `${name}@example.com`,
    clientId: `${name}-client-id`,
    clientSecret: `${name}-client-secret`,
  })),
} satisfies SeedInput;

const apps: FastifyInstance[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const app of apps.splice(0)) await app.close();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function instance(
  options: { db?: Database; seed?: Record<string, unknown>; clock?: AdjustableClock; families?: AnyFamily[] } = {},
) {
  const db = options.db ?? openDatabase(':memory:', SCHEMA);
  const clock = options.clock ?? clockAt(0);
  const app = await buildApp({
    config: testConfig(),
    db,
    clock,
    families: options.families ?? WITH_TALLIES,
    seed: options.seed ?? SEED,
  });
  app.addHook('onClose', async () => db.close());
  apps.push(app);
  await app.ready();
  // A token per call: a test may move the clock past a token's hour.
  const as = async (name: 'ann' | 'bob') =>
    `Bearer ${await tokenFor(app, { clientId: `${name}-client-id`, clientSecret: `${name}-client-secret` })}`;
  const create = async (body: z.input<typeof tallyPayload>) => {
    const response = await call(app, 'POST', '/rest/v1/tallies.json', body, { authorization: await as('ann') });
    expect(response.json()).toMatchObject({ success: true });
    return response.json().result[0].id as number;
  };
  const status = async (id: number, who: 'ann' | 'bob' = 'ann') => {
    const response = await call(app, 'GET', `/rest/v1/tallies/${id}.json`, undefined, {
      authorization: await as(who),
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    return body.success ? body.result[0] : body.errors[0];
  };
  const advance = async (seconds: number) => {
    const response = await call(app, 'POST', '/admin/clock', { advanceSeconds: seconds });
    expect(response.statusCode).toBe(200);
  };
  return { app, db, clock, create, status, advance };
}

/** A database file in a directory removed after the test. */
function databaseFile(): string {
  const dir = makeTempDir();
  cleanups.push(dir.remove);
  return join(dir.path, 'fake.db');
}

/** An instance on the database file at `path`, its clock frozen `ms` after T0. */
const onFile = (path: string, ms = 0, families?: AnyFamily[]) =>
  instance({ db: openDatabase(path, SCHEMA), clock: clockAt(ms), ...(families ? { families } : {}) });

/** A frozen clock `ms` after T0. */
const clockAt = (ms: number) => frozenClock(new Date(T0 + ms).toISOString());

const jobRows = (db: Database) => db.prepare('SELECT * FROM jobs ORDER BY id').all();
const lineRows = (db: Database) => db.prepare('SELECT * FROM tally_lines ORDER BY job_id, n').all();

describe('jobs on the clock', () => {
  it('a job goes Queued → Processing → Completed as the clock is advanced, each state there on the very next call', async () => {
    const { create, status, advance, clock } = await instance();
    const id = await create({ lines: 2, everySeconds: 30 });
    expect(await status(id)).toEqual({ id, state: 'Queued', lines: 0 });
    await advance(9);
    expect(await status(id)).toEqual({ id, state: 'Queued', lines: 0 });
    await advance(1);
    expect(await status(id)).toEqual({ id, state: 'Processing', lines: 0 });
    await advance(30);
    expect(await status(id)).toEqual({ id, state: 'Processing', lines: 1 });
    // The clock moved by hand (as a test holding the clock does): the call that follows runs what fell due first.
    clock.advance(30);
    expect(await status(id)).toEqual({ id, state: 'Completed', lines: 2 });
    await advance(3600);
    expect(await status(id)).toEqual({ id, state: 'Completed', lines: 2 });
  });

  it('a clock moved past every step at once runs them all, each as of the time it fell due', async () => {
    const { app, db, create, status, advance } = await instance();
    const id = await create({ lines: 3, everySeconds: 60 });
    await advance(24 * 3600);
    expect(await status(id)).toEqual({ id, state: 'Completed', lines: 3 });
    // Queued until T0+10 s, then a line every minute from there.
    expect(lineRows(db)).toEqual([1, 2, 3].map((n) => ({ job_id: id, n, written_at: T0 + QUEUED_MS + n * 60_000 })));
    expect(app.ctx.jobs.get(tallyJob, id)).toMatchObject({ state: 'Completed', dueAt: null, error: null });
  });

  it('a job belongs to the API user who created it: another user’s call does not find it', async () => {
    const { create, status } = await instance();
    const id = await create({ lines: 1 });
    expect(await status(id, 'bob')).toEqual({ code: '1013', message: 'Tally not found' });
    expect(await status(id)).toMatchObject({ id, state: 'Queued' });
  });

  it('reset empties the jobs and the family’s rows for them; a seed’s jobs come back as the seed has them', async () => {
    const seededJob = {
      id: 40,
      family: 'tallies',
      kind: 'tally',
      state: 'Queued',
      dueAt: new Date(T0 + 5000).toISOString(),
      payload: { lines: 1 },
      owner: 'ann@example.com',
    };
    const { app, db, create, status, advance } = await instance({ seed: { ...SEED, jobs: [seededJob] } });
    const id = await create({ lines: 2, everySeconds: 0 });
    await advance(60);
    expect(await status(id)).toMatchObject({ state: 'Completed', lines: 2 });
    expect(await status(40)).toMatchObject({ state: 'Completed', lines: 1 });
    expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
    expect(lineRows(db)).toEqual([]);
    expect(jobRows(db)).toEqual([
      expect.objectContaining({
        id: 40,
        state: 'Queued',
        due_at: T0 + 5000,
        payload: '{"lines":1,"everySeconds":30,"busyMs":0,"answerNaN":false}',
      }),
    ]);
    // The seed's job is in its seed state, the created one gone.
    expect(await status(40)).toEqual({ id: 40, state: 'Queued', lines: 0 });
    expect(await status(id)).toEqual({ code: '1013', message: 'Tally not found' });
    // The reset clock is the start's: the seed's job is due 5 s after it.
    await advance(5);
    expect(await status(40)).toEqual({ id: 40, state: 'Processing', lines: 0 });
  });

  it('the empty-database check counts jobs', async () => {
    const db = openDatabase(':memory:', SCHEMA);
    const app = await buildApp({ config: testConfig(), db, clock: frozenClock(), families: WITH_TALLIES });
    apps.push(app);
    expect(app.ctx.repos.subscription.isEmpty()).toBe(true);
    app.ctx.jobs.schedule(tallyJob, { state: 'Queued', dueAt: null, payload: tallyPayload.parse({ lines: 1 }) });
    expect(app.ctx.repos.subscription.isEmpty()).toBe(false);
    expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
    expect(jobRows(db)).toEqual([]);
    expect(app.ctx.repos.subscription.isEmpty()).toBe(true);
  });

  it('a snapshot taken mid-way, fed to a fresh instance, restores the job and its rows, and it goes on', async () => {
    const first = await instance();
    const id = await first.create({ lines: 3, everySeconds: 30 });
    await first.advance(40);
    expect(await first.status(id)).toEqual({ id, state: 'Processing', lines: 1 });
    const snapshot = (await call(first.app, 'GET', '/admin/snapshot')).json();
    expect(snapshot.jobs).toEqual([
      {
        id,
        family: 'tallies',
        kind: 'tally',
        state: 'Processing',
        dueAt: new Date(T0 + 70_000).toISOString(),
        payload: { lines: 3, everySeconds: 30, busyMs: 0, answerNaN: false },
        owner: 'ann@example.com',
        createdAt: new Date(T0).toISOString(),
        updatedAt: new Date(T0 + 40_000).toISOString(),
      },
    ]);
    expect(snapshot.lastIds.jobs).toBe(id);

    const restored = await instance({ seed: snapshot, clock: clockAt(40_000) });
    expect(jobRows(restored.db)).toEqual(jobRows(first.db));
    expect(lineRows(restored.db)).toEqual(lineRows(first.db));
    expect((await call(restored.app, 'GET', '/admin/snapshot')).json()).toEqual(snapshot);
    await restored.advance(30);
    expect(await restored.status(id)).toEqual({ id, state: 'Processing', lines: 2 });
    await restored.advance(30);
    expect(await restored.status(id)).toEqual({ id, state: 'Completed', lines: 3 });
    // The restored instance hands out new job ids after the snapshot's.
    expect(await restored.create({ lines: 1 })).toBe(id + 1);
  });

  it('a seed’s job of an unknown kind, with a payload its kind refuses, or of an unknown user is refused at its path', async () => {
    const job = { family: 'tallies', kind: 'tally', state: 'Queued', payload: { lines: 1 } };
    for (const [bad, path, message] of [
      [{ kind: 'tallyho' }, 'jobs[0].kind', 'no registered family "tallies" declares a job kind "tallyho"'],
      [{ payload: { lines: 0 } }, 'jobs[0].payload.lines', 'must be at least 1'],
      [{ owner: 'carl@example.com' }, 'jobs[0].owner', 'no user with email "carl@example.com"'],
    ] as const) {
      await expect(instance({ seed: { ...SEED, jobs: [{ ...job, ...bad }] } })).rejects.toMatchObject({
        problems: [{ path, message }],
      });
    }
  });

  it('a file database closed and opened again resumes its jobs where they were', async () => {
    const path = databaseFile();
    const first = await onFile(path);
    const id = await first.create({ lines: 2, everySeconds: 30 });
    await first.advance(40);
    expect(await first.status(id)).toEqual({ id, state: 'Processing', lines: 1 });
    await first.app.close();

    const second = await onFile(path, 40_000);
    expect(await second.status(id)).toEqual({ id, state: 'Processing', lines: 1 });
    await second.advance(30);
    expect(await second.status(id)).toEqual({ id, state: 'Completed', lines: 2 });
  });

  it('a job that fell due while the server was stopped runs at start, before any call', async () => {
    const path = databaseFile();
    const first = await onFile(path);
    const id = await first.create({ lines: 2, everySeconds: 30 });
    await first.app.close();

    const second = await onFile(path, 3600_000);
    expect(jobRows(second.db)).toEqual([expect.objectContaining({ id, state: 'Completed', due_at: null })]);
    expect(lineRows(second.db)).toHaveLength(2);
  });

  it('a job of a kind no registered family declares is left alone, and runs once its family is back', async () => {
    const path = databaseFile();
    const first = await onFile(path);
    const id = await first.create({ lines: 1, everySeconds: 0 });
    await first.app.close();

    const without = await onFile(path, 3600_000, [...FAMILIES]);
    await call(without.app, 'POST', '/admin/clock', { advanceSeconds: 60 });
    expect(jobRows(without.db)).toEqual([expect.objectContaining({ id, state: 'Queued', due_at: T0 + QUEUED_MS })]);
    await without.app.close();

    const back = await onFile(path, 3600_000);
    expect(jobRows(back.db)).toEqual([expect.objectContaining({ id, state: 'Completed' })]);
  });

  it('a deleted API user’s jobs go with them, and the family’s rows for them (README, Decisions)', async () => {
    const { app, db, create, advance } = await instance();
    const id = await create({ lines: 2, everySeconds: 0 });
    await advance(10);
    expect(lineRows(db)).toHaveLength(2);
    const service = db.prepare("SELECT id, api_only_user_id AS userId FROM services WHERE name = 'ann'").get() as {
      id: number;
      userId: number;
    };
    expect(jobRows(db)).toEqual([expect.objectContaining({ id, owner_user_id: service.userId })]);
    expect((await call(app, 'DELETE', `/admin/services/${service.id}`)).statusCode).toBe(204);
    expect((await call(app, 'DELETE', `/admin/users/${service.userId}`)).statusCode).toBe(204);
    expect(jobRows(db)).toEqual([]);
    expect(lineRows(db)).toEqual([]);
  });

  it('a big job in many steps does not block the server: a call is answered between its steps', async () => {
    const { app, create, status, advance } = await instance();
    // 100 lines of 2 ms each: 200 ms of work, far more than a turn's budget.
    const id = await create({ lines: 100, everySeconds: 0, busyMs: 2 });
    await advance(10);
    const during = await status(id);
    expect(during.state).toBe('Processing');
    expect(during.lines).toBeGreaterThan(0);
    expect(during.lines).toBeLessThan(100);
    // The rest runs on its own, turn after turn, with no further call.
    await app.ctx.jobs.drain();
    expect(await status(id)).toEqual({ id, state: 'Completed', lines: 100 });
  });

  it('a step that throws fails its job with the message, its writes rolled back; the server and other jobs go on', async () => {
    const { app, db, create, status, advance } = await instance();
    const failing = await create({ lines: 3, everySeconds: 30, failAt: 2 });
    const other = await create({ lines: 3, everySeconds: 30 });
    await advance(3600);
    expect(await status(failing)).toEqual({ id: failing, state: 'Failed', lines: 1, error: 'line 2 does not add up' });
    // Line 2 was written by the step that threw: it is not there.
    expect(lineRows(db)).toEqual(expect.not.arrayContaining([expect.objectContaining({ job_id: failing, n: 2 })]));
    expect(app.ctx.jobs.get(tallyJob, failing)).toMatchObject({ state: 'Failed', dueAt: null });
    expect(await status(other)).toEqual({ id: other, state: 'Completed', lines: 3 });
    expect((await call(app, 'GET', '/health')).statusCode).toBe(200);
    expect(db.inTransaction).toBe(false);
  });

  it('a step that answers a next state the runner cannot keep fails its job, naming the problem', async () => {
    const { create, status, advance } = await instance();
    const id = await create({ lines: 1, answerNaN: true });
    await advance(10);
    expect(await status(id)).toEqual({
      id,
      state: 'Failed',
      lines: 0,
      error: 'a job is due at a finite time in epoch milliseconds, or null when finished',
    });
  });

  it('a family cannot schedule a job of a kind no registered family declares, nor one its schema refuses', async () => {
    const { app, db } = await instance();
    const stray = defineJob({ payload: z.object({}), step: () => ({ state: 'Done', dueAt: null }) });
    expect(() => app.ctx.jobs.schedule(stray, { state: 'Queued', dueAt: null, payload: {} })).toThrow(
      'this job kind is not declared by a registered family',
    );
    expect(() =>
      app.ctx.jobs.schedule(tallyJob, { state: 'Queued', dueAt: null, payload: { lines: -1 } as never }),
    ).toThrow("the job's payload does not match its kind's schema at lines");
    expect(jobRows(db)).toEqual([]);
  });

  it('a family keyed "jobs" stops the start: the key names the core’s jobs in every snapshot', async () => {
    const db = openDatabase(':memory:', SCHEMA);
    await expect(
      buildApp({ config: testConfig(), db, families: [...FAMILIES, { ...tallies, key: 'jobs' }] }),
    ).rejects.toThrow('"jobs" names the core\'s jobs in snapshots; no family may have it');
    db.close();
  });

  it('while the clock runs, a timer runs what falls due with no call coming; it is cleared on close', async () => {
    let realNow = T0;
    const clock = new AdjustableClock(() => realNow);
    const { app, create, db } = await instance({ clock });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const id = await create({ lines: 1, everySeconds: 30 });
    expect(vi.getTimerCount()).toBe(1);
    realNow += QUEUED_MS;
    vi.advanceTimersByTime(QUEUED_MS);
    expect(jobRows(db)).toEqual([expect.objectContaining({ id, state: 'Processing', due_at: T0 + 40_000 })]);
    realNow += 30_000;
    vi.advanceTimersByTime(30_000);
    expect(jobRows(db)).toEqual([expect.objectContaining({ id, state: 'Completed', due_at: null })]);
    expect(vi.getTimerCount()).toBe(0);
    await create({ lines: 1 });
    expect(vi.getTimerCount()).toBe(1);
    await app.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the timer does not hold the process open', async () => {
    const running = await instance({ clock: new AdjustableClock() });
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    await running.create({ lines: 1 });
    // The job is due in 10 s of real time: one timer for it, unref'd.
    const forTheJob = setTimer.mock.calls.flatMap((args, i) => {
      const delay = args[1] ?? 0;
      return delay > QUEUED_MS - 5000 && delay <= QUEUED_MS ? [setTimer.mock.results[i]!.value as NodeJS.Timeout] : [];
    });
    expect(forTheJob).toHaveLength(1);
    expect(forTheJob[0]!.hasRef()).toBe(false);
  });

  it('a frozen clock sets no timer: only a call or a move of the clock runs jobs', async () => {
    const { create, db, advance } = await instance();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const id = await create({ lines: 1 });
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(3600_000);
    expect(jobRows(db)).toEqual([expect.objectContaining({ id, state: 'Queued' })]);
    await advance(10);
    expect(jobRows(db)).toEqual([expect.objectContaining({ id, state: 'Processing' })]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a caller without the permission gets 603; a bad body 1003; nothing is scheduled', async () => {
    const { app, db } = await instance({
      seed: {
        ...SEED,
        roles: [...SEED.roles, { name: 'Reader', permissions: ['read-only-lead'] }],
        users: [...SEED.users, { email: 'rae@example.com', roles: [{ role: 'Reader', workspace: 'Default' }] }],
        services: [
          ...SEED.services,
          { name: 'rae', user: 'rae@example.com', clientId: 'rae-client-id', clientSecret: 'rae-client-secret' },
        ],
      },
    });
    const rae = `Bearer ${await tokenFor(app, { clientId: 'rae-client-id', clientSecret: 'rae-client-secret' })}`;
    const denied = await call(app, 'POST', '/rest/v1/tallies.json', { lines: 1 }, { authorization: rae });
    expect(denied.json()).toMatchObject({ success: false, errors: [{ code: '603' }] });
    const ann = `Bearer ${await tokenFor(app, { clientId: 'ann-client-id', clientSecret: 'ann-client-secret' })}`;
    const bad = await call(app, 'POST', '/rest/v1/tallies.json', { lines: 0 }, { authorization: ann });
    expect(bad.json()).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    expect(jobRows(db)).toEqual([]);
    // The clock control refuses what it cannot do, and no job moves.
    expectProblem(await call(app, 'POST', '/admin/clock', { advanceSeconds: 'soon' }), 400);
  });
});
