// `npm run bench:scale`: the fake holding a million leads. Lookups by email and by id through the HTTP API and
// through the repository directly, sync of 300-record batches, and the fake's memory at that size.
// Servers run as their own processes (built JavaScript); this process is the load generator (autocannon), reads each
// server's CPU and memory from /proc, and times the repository itself before the fake opens the file.
import { MIGRATIONS } from '../src/families.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { AdjustableClock } from '../src/clock.js';
import { openDatabase } from '../src/storage/database.js';
import { type LeadFilter, LeadRepository } from '../src/families/leads/repository.js';
import { encodePosition } from '../src/families/activities/positions.js';
import { type BulkImportResult, bulkImportBesideSync } from './bulk-import.js';
import {
  bulkExports,
  EXPORT_TABLE_HEADER,
  exportBudgets,
  type ExportRun,
  exportRows,
  exportWindows,
  sqliteBaselines,
  sqliteVersion,
} from './bulk-extract.js';
import {
  ACTIVITY_SPAN_MS,
  BENCH_ACTIVITY_TYPES,
  BENCH_CLIENT,
  buildFixture,
  leadEmail,
  visibleToBenchUser,
} from './fixture.js';
import {
  type BudgetCheck,
  budgetTable,
  CONNECTIONS,
  DURATION_SECONDS,
  expectMarketoAnswer,
  type LoadResult,
  loadTable,
  machineInfo,
  markdownTable,
  mb,
  percentile,
  RESULTS_DIR,
  round,
  rssBytes,
  type ServerProcess,
  writeResults,
  startCeiling,
  startFake,
  syncBatchBody,
  runBesideCeiling,
  ceilingNote,
  say,
  accessToken,
  cycle,
  shuffled,
} from './support.js';

const LEADS = Number(process.env.BENCH_SCALE_LEADS ?? 1_000_000);
const ACTIVITIES = Number(process.env.BENCH_SCALE_ACTIVITIES ?? 5_000_000);

/** Server CPU per activity page in the latest `npm run bench` (the budget: at most twice that here). */
function benchActivityPageCpu(): number | undefined {
  const latest = join(RESULTS_DIR, 'bench-latest.json');
  if (!existsSync(latest)) return undefined;
  const { scenarios } = JSON.parse(readFileSync(latest, 'utf8')) as { scenarios: LoadResult[] };
  return scenarios.find((result) => result.name.startsWith('GET /rest/v1/activities.json'))?.cpuUsPerRequest;
}
const REPO_LOOKUPS = Number(process.env.BENCH_SCALE_LOOKUPS ?? 50_000);
const REPO_WARMUP = 5_000;
const SYNC_BATCH = 300;
/** Marketo admits 10 concurrent calls per subscription; more syncing clients would only queue (and time out). */
const SYNC_CONNECTIONS = Number(process.env.BENCH_SCALE_SYNC_CONNECTIONS ?? 10);
const RSS_BUDGET_BYTES = 300 * 1024 * 1024;
/** Rows of the bulk import, and of the Sync Leads run it is measured against (issue 25). */
const IMPORT_ROWS = Number(process.env.BENCH_SCALE_IMPORT_ROWS ?? 100_000);
const WORK_DIR = join(RESULTS_DIR, 'work');
/** Node flags for the fake's process (as run.ts has them): `--heap-prof`, `--trace-gc`, a preload to sample memory… */
const FAKE_NODE_FLAGS = (process.env.BENCH_FAKE_NODE_FLAGS ?? '').split(' ').filter(Boolean);

interface RepoTiming {
  name: string;
  lookups: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  perSecond: number;
}

/** Times `lookup` once per value (after a warm-up over other values), each call on its own. */
function timeLookups(name: string, values: number[], warmup: number[], lookup: (n: number) => void): RepoTiming {
  for (const n of warmup) lookup(n);
  const times = new Float64Array(values.length);
  const started = performance.now();
  for (let i = 0; i < values.length; i++) {
    const before = performance.now();
    lookup(values[i]!);
    times[i] = performance.now() - before;
  }
  const totalMs = performance.now() - started;
  const us = Array.from(times, (ms) => ms * 1000);
  return {
    name,
    lookups: values.length,
    meanUs: round((totalMs * 1000) / values.length, 1),
    p50Us: round(percentile(us, 50), 1),
    p99Us: round(percentile(us, 99), 1),
    perSecond: Math.round(values.length / (totalMs / 1000)),
  };
}

/** Lookups through LeadRepository on the built file, in this process; the database is closed afterwards. */
function repositoryLookups(path: string, visible: number[]): { timings: RepoTiming[]; leadsStored: number } {
  const db = openDatabase(path, MIGRATIONS);
  try {
    const leads = new LeadRepository(db, new AdjustableClock());
    const partitions = db.prepare<[], { id: number; name: string }>('SELECT id, name FROM partitions').all();
    const partitionIds = ['Default', 'Americas'].map((name) => {
      const partition = partitions.find((p) => p.name === name);
      if (!partition) throw new Error(`partition ${name} not in the fixture`);
      return partition.id;
    });
    const leadsStored = leads.count();
    if (leadsStored !== LEADS) throw new Error(`the fixture holds ${leadsStored} leads, not ${LEADS}`);
    const byEmail = (n: number): LeadFilter => ({
      column: 'email',
      field: 'email',
      values: [leadEmail(n)],
      partitionIds,
    });

    // Sanity: lead n has id n, and both lookups find it; a lead in EMEA is not seen by email.
    const probe = visible[0]!;
    const found = leads.find(probe);
    if (found?.email !== leadEmail(probe)) throw new Error(`find(${probe}) gave ${JSON.stringify(found)}`);
    const page = leads.page(byEmail(probe), 0, SYNC_BATCH);
    if (page.length !== 1 || page[0]!.id !== probe) throw new Error(`email lookup of ${probe} gave ${page.length}`);
    const hidden = [2, 5, 8].find((n) => n <= LEADS && !visibleToBenchUser(n));
    if (hidden !== undefined && leads.page(byEmail(hidden), 0, SYNC_BATCH).length !== 0) {
      throw new Error(`lead ${hidden} (EMEA) seen through Default and Americas`);
    }

    const count = Math.min(REPO_LOOKUPS, visible.length);
    const values = visible.slice(0, count);
    const warmup = visible.slice(-Math.min(REPO_WARMUP, visible.length));
    let misses = 0;
    const timings = [
      timeLookups('LeadRepository.find(id)', values, warmup, (n) => {
        if (leads.find(n) === undefined) misses++;
      }),
      timeLookups('LeadRepository.page(email, 2 partitions)', values, warmup, (n) => {
        if (leads.page(byEmail(n), 0, SYNC_BATCH).length !== 1) misses++;
      }),
    ];
    if (misses > 0) throw new Error(`${misses} repository lookups found no lead`);
    return { timings, leadsStored };
  } finally {
    // The fake locks the file exclusively: let go of it before it starts.
    db.close();
  }
}

async function main(): Promise<void> {
  const machine = await machineInfo();
  say(`# fake-marketo scale benchmark — ${new Date().toISOString()}`);
  say(
    `Node ${machine.node} on ${machine.cores} × ${machine.cpus}; ${CONNECTIONS} connections, ${DURATION_SECONDS} s per scenario`,
  );

  const dbFile = join(WORK_DIR, 'scale.sqlite');
  const sqlite3 = sqliteVersion();
  say(`\nBuilding the subscription: ${LEADS} leads in 3 partitions, ${ACTIVITIES} activities…`);
  const leadsFrom = Date.now();
  const fixture = await buildFixture({ path: dbFile, leads: LEADS, poolServices: 0, activities: ACTIVITIES });
  const windows = exportWindows({ ...fixture, leadsFrom, leadsTo: Date.now() }, ACTIVITIES);
  say(`  built in ${round(fixture.seconds, 1)} s`);

  const visible = shuffled(LEADS, visibleToBenchUser);

  say(`\nRepository lookups (${Math.min(REPO_LOOKUPS, visible.length)} random visible leads each)…`);
  const repo = repositoryLookups(dbFile, visible);

  say(`\nsqlite3 ${sqlite3} -csv: the rows and columns of the two bulk exports, from the same file…`);
  const baselines = await sqliteBaselines(dbFile, windows);

  const ceiling = await startCeiling(join(WORK_DIR, 'scale-ceiling.log'));
  const results: LoadResult[] = [];
  let fake: ServerProcess | undefined;
  let startMs: number;
  let ceilings: LoadResult[] = [];
  let ceilingRow: LoadResult;
  let idleRss: number;
  let exports: ExportRun[] = [];
  let bulk: BulkImportResult;
  try {
    const startStarted = performance.now();
    fake = await startFake('fake-marketo', ['--db', dbFile], join(WORK_DIR, 'scale-fake.log'), FAKE_NODE_FLAGS);
    startMs = performance.now() - startStarted;
    const token = await accessToken(fake.url, BENCH_CLIENT);
    idleRss = rssBytes(fake.pid);
    const auth = { authorization: `Bearer ${token}` };
    const leadPath = (id: number): string => `/rest/v1/lead/${id}.json`;
    const emailQuery = (n: number): string => `/rest/v1/leads.json?filterType=email&filterValues=${leadEmail(n)}`;
    const nextEmailLead = cycle(visible);
    const nextIdLead = cycle(visible, Math.floor(visible.length / 3));
    const nextSyncLead = cycle(visible, Math.floor((2 * visible.length) / 3));
    let newLeads = 0;
    const syncBody = (): string =>
      syncBatchBody(
        SYNC_BATCH,
        () => leadEmail(nextSyncLead()),
        () => `new${++newLeads}@scale.example`,
      );

    await expectMarketoAnswer(fake.url + leadPath(visible[0]!), { headers: auth }, { success: true });
    await expectMarketoAnswer(fake.url + emailQuery(visible[0]!), { headers: auth }, { success: true });
    const check = (await (await fetch(fake.url + emailQuery(visible[1]!), { headers: auth })).json()) as {
      result?: { id: number; email: string }[];
    };
    if (check.result?.length !== 1 || check.result[0]!.id !== visible[1]) {
      throw new Error(`email lookup of lead ${visible[1]} over HTTP gave ${JSON.stringify(check)}`);
    }

    const synced = await fetch(fake.url + '/rest/v1/leads.json', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: syncBody(),
    });
    const syncAnswer = (await synced.json()) as { success?: boolean; result?: { status: string }[] };
    const statuses = (syncAnswer.result ?? []).map((record) => record.status);
    const updated = statuses.filter((status) => status === 'updated').length;
    const created = statuses.filter((status) => status === 'created').length;
    if (!syncAnswer.success || updated !== SYNC_BATCH / 2 || created !== SYNC_BATCH / 2) {
      throw new Error(
        `pre-flight sync: expected ${SYNC_BATCH / 2} updated and created, got ${JSON.stringify(syncAnswer)}`,
      );
    }

    const dateTokens = Array.from({ length: 997 }, (_, i) =>
      encodePosition({ date: fixture.activitiesFrom + Math.floor(((ACTIVITY_SPAN_MS * 0.95) / 997) * i), id: 0 }),
    );
    const nextDateToken = cycle(dateTokens.map((_, i) => i));
    const activitiesPath = (): string =>
      `/rest/v1/activities.json?nextPageToken=${dateTokens[nextDateToken()]}&activityTypeIds=${BENCH_ACTIVITY_TYPES.join(',')}&batchSize=300`;
    await expectMarketoAnswer(fake.url + activitiesPath(), { headers: auth }, { success: true });

    const scenarios = [
      {
        name: `GET /rest/v1/activities.json (date token, 300 of ${ACTIVITIES})`,
        path: activitiesPath(),
        headers: auth,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: activitiesPath() }),
      },
      {
        name: 'GET /rest/v1/leads.json (1 email)',
        path: emailQuery(visible[0]!),
        headers: auth,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: emailQuery(nextEmailLead()) }),
      },
      {
        name: 'GET /rest/v1/lead/{id}.json',
        path: leadPath(visible[0]!),
        headers: auth,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: leadPath(nextIdLead()) }),
      },
      {
        name: `POST /rest/v1/leads.json (${SYNC_BATCH} records)`,
        method: 'POST' as const,
        path: '/rest/v1/leads.json',
        headers: { ...auth, 'content-type': 'application/json' },
        body: syncBody(),
        setupRequest: (request: autocannon.Request) => ({ ...request, body: syncBody() }),
        connections: SYNC_CONNECTIONS,
      },
    ];
    say('');
    const runs = await runBesideCeiling(fake, ceiling, scenarios, say);
    results.push(...runs.results);
    ceilings = runs.ceilings;
    ceilingRow = runs.ceilingRow;

    say('\nBulk exports (create, enqueue, status until Completed, the file downloaded)…');
    exports = await bulkExports(fake, auth, windows, baselines);
    const importRows = Math.min(IMPORT_ROWS, visible.length - (visible.length % 2));
    say(`\nBulk import: ${importRows} rows, and Sync Leads over ${importRows} rows of the same kind…`);
    bulk = await bulkImportBesideSync(fake, auth, visible.slice(0, importRows).map(leadEmail), SYNC_CONNECTIONS);
  } finally {
    await fake?.stop();
    await ceiling.stop();
  }

  const byName = (name: string): LoadResult => results.find((result) => result.name.startsWith(name))!;
  const emailGet = byName('GET /rest/v1/leads.json');
  const sync = byName('POST /rest/v1/leads.json');
  const activityPage = byName('GET /rest/v1/activities.json');
  const benchPageCpu = benchActivityPageCpu();
  const loadRss = Math.max(idleRss, ...results.map((result) => result.rssMaxBytes));
  const leadsLabel = LEADS.toLocaleString('en-US');

  const checks: BudgetCheck[] = [
    {
      budget: `at ${leadsLabel} leads: lookup by email through HTTP ≥ 0.50× ceiling`,
      measured: `${emailGet.ratio!.toFixed(2)}× (${emailGet.rps} req/s)`,
      met: emailGet.ratio! >= 0.5,
    },
    {
      budget: `at ${ACTIVITIES.toLocaleString('en-US')} activities: a date-token page ≤ 2× the server CPU of npm run bench's`,
      measured:
        benchPageCpu === undefined
          ? `${activityPage.cpuUsPerRequest} µs (no bench/results/bench-latest.json to compare with)`
          : `${activityPage.cpuUsPerRequest} µs against ${benchPageCpu} µs (${(activityPage.cpuUsPerRequest / benchPageCpu).toFixed(2)}×)`,
      met: benchPageCpu !== undefined && activityPage.cpuUsPerRequest <= 2 * benchPageCpu,
    },
    {
      budget: `at ${leadsLabel} leads: a ${bulk.rows.toLocaleString('en-US')}-row lead import ≥ 0.80× Sync Leads' rows/s`,
      measured: `${bulk.ratio.toFixed(2)}× (${bulk.import.rowsPerSecond} against ${bulk.sync.rowsPerSecond} rows/s)`,
      met: bulk.ratio >= 0.8,
    },
    {
      budget: `at ${leadsLabel} leads: RSS < 300 MB during the bulk import`,
      measured: mb(bulk.import.rssMaxBytes),
      met: bulk.import.rssMaxBytes < RSS_BUDGET_BYTES,
    },
    {
      budget: `at ${leadsLabel} leads: RSS < 300 MB`,
      measured: `${mb(loadRss)} (highest seen; idle ${mb(idleRss)})`,
      met: loadRss < RSS_BUDGET_BYTES,
    },
    ...exportBudgets(exports),
  ];

  say(`\n## Throughput at ${leadsLabel} leads (same run, same machine)\n`);
  say(loadTable([ceilingRow, ...results]));
  say(`\n${ceilingNote(ceilings)}`);
  say(
    `Sync: ${sync.rps} batches/s × ${SYNC_BATCH} = ${sync.rps * SYNC_BATCH} records/s (half updates of existing leads, half new leads; ${sync.requests * (SYNC_BATCH / 2)} leads created in the measured run; ${SYNC_CONNECTIONS} connections, Marketo's concurrency limit).`,
  );
  say(`\n## Bulk extract at ${leadsLabel} leads (one export at a time, against sqlite3 ${sqlite3} -csv)\n`);
  say(markdownTable(EXPORT_TABLE_HEADER, exportRows(exports)));
  say(`\n## Bulk import at ${leadsLabel} leads\n`);
  say(
    markdownTable(
      ['path', 'rows', 'seconds', 'rows/s', 'server CPU ms', 'notes'],
      [
        [
          `POST /rest/v1/leads.json (${SYNC_BATCH} records a call)`,
          bulk.rows,
          bulk.sync.seconds,
          bulk.sync.rowsPerSecond,
          bulk.sync.cpuMs,
          `${bulk.sync.calls} calls, ${bulk.sync.connections} at a time`,
        ],
        [
          'POST /bulk/v1/leads.json, one file',
          bulk.rows,
          bulk.import.seconds,
          bulk.import.rowsPerSecond,
          bulk.import.cpuMs,
          `from the upload (${mb(bulk.fileBytes)}, checked whole on arrival: ${bulk.import.uploadMs} ms) to Complete, the queue's 2 s of fake time skipped by moving the clock, polled every 25 ms (${bulk.import.polls} polls); RSS ≤ ${mb(bulk.import.rssMaxBytes)}`,
        ],
      ],
    ),
  );
  say(
    `\nHalf of each run's rows update an existing lead (a new title: a Change Data Value each), half create one (New Lead); the two runs take disjoint leads, so neither finds the other's. Import ÷ sync: ${bulk.ratio}×.`,
  );
  say(`\n## Repository lookups at ${leadsLabel} leads (in process, no HTTP)\n`);
  say(
    markdownTable(
      ['lookup', 'calls', 'mean µs', 'p50 µs', 'p99 µs', 'lookups/s'],
      repo.timings.map((t) => [t.name, t.lookups, t.meanUs, t.p50Us, t.p99Us, t.perSecond]),
    ),
  );
  say(`\n## Memory at ${leadsLabel} leads\n`);
  say(
    markdownTable(
      ['measure', 'value'],
      [
        [`fixture build (${leadsLabel} leads)`, `${round(fixture.seconds, 1)} s`],
        ['fake start on the built file (spawn to first answer)', `${round(startMs)} ms`],
        ['RSS idle (after the first token)', mb(idleRss)],
        ['RSS under load (highest seen)', mb(loadRss)],
        ...results.map((r): [string, string] => [`RSS highest during ${r.name}`, mb(r.rssMaxBytes)]),
      ],
    ),
  );
  say('\n## Budgets\n');
  say(budgetTable(checks));
  const file = writeResults('scale', {
    at: new Date().toISOString(),
    machine,
    settings: {
      connections: CONNECTIONS,
      durationSeconds: DURATION_SECONDS,
      leads: LEADS,
      repositoryLookups: repo.timings[0]?.lookups,
      syncBatch: SYNC_BATCH,
      syncConnections: SYNC_CONNECTIONS,
    },
    fixtureSeconds: round(fixture.seconds, 1),
    fakeStartMs: round(startMs, 1),
    repository: repo.timings,
    ceiling: { runs: ceilings, meanRps: ceilingRow.rps },
    scenarios: results,
    syncRecordsPerSecond: sync.rps * SYNC_BATCH,
    bulkImport: bulk,
    rss: { idleBytes: idleRss, underLoadBytes: loadRss },
    bulkExports: exports,
    budgets: checks,
  });
  say(`\nResults: ${file}`);
  if (process.argv.includes('--check') && checks.some((check) => !check.met)) process.exitCode = 1;
}

await main();
