// `npm run bench`: the fake against a bare Fastify hello-world (the ceiling), measured in the same run.
// Servers run as their own processes (built JavaScript, as `npx fake-marketo` runs); this process is the load
// generator (autocannon) and reads each server's CPU and memory from /proc.
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import type autocannon from 'autocannon';
import { buildApp } from '../src/app.js';
import { encodePosition } from '../src/families/activities/positions.js';
import { fromBase32 } from '../src/domain/paging.js';
import {
  ACTIVITY_SPAN_MS,
  BENCH_ACTIVITY_TYPES,
  BENCH_CAMPAIGN,
  BENCH_CLIENT,
  BENCH_CUSTOM_OBJECT,
  benchCar,
  benchVin,
  BENCH_READABLE_WORKSPACES,
  benchSeed,
  buildFixture,
  DENIED_CLIENT,
  inCampaignReach,
  leadEmail,
  POOL_SECRET,
  poolClientId,
  visibleToBenchUser,
} from './fixture.js';
import {
  BEFORE_MAIN,
  BEFORE_ROUNDS,
  type BudgetCheck,
  budgetTable,
  CONNECTIONS,
  DURATION_SECONDS,
  expectMarketoAnswer,
  FAKE_MAIN,
  FULL_GC_PRELOAD,
  freePort,
  type LoadResult,
  loadTable,
  machineInfo,
  markdownTable,
  mb,
  median,
  percentile,
  RESULTS_DIR,
  round,
  rssBytes,
  writeResults,
  startCeiling,
  startFake,
  startMinimal,
  type LoadScenario,
  type ServerProcess,
  syncBatchBody,
  runBesideCeiling,
  WARMUP_SECONDS,
  ceilingNote,
  say,
  tokenQuery,
  accessToken,
  cycle,
  shuffled,
} from './support.js';

const LEADS = 100_000;
/** Programs per workspace (3 workspaces; the bench user reads 2): 10 pages of 200 to browse. */
const PROGRAMS_PER_WORKSPACE = 1000;
const PROGRAM_PAGE = 200;
/** Approved emails per workspace (3 workspaces; the bench user reads and writes 2): 10 pages of 200 to browse. */
const EMAILS_PER_WORKSPACE = 1000;
const EMAIL_PAGE = 200;
const ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 1_000_000);
/** Services that never had a token: enough for the first-token scenario at well over 20,000 tokens a second. */
const FIRST_TOKEN_CLIENTS = Number(process.env.BENCH_FIRST_TOKEN_CLIENTS ?? 200_000);
const FIRST_TOKEN_SECONDS = Math.min(5, DURATION_SECONDS);
/**
 * For profiling one route: `BENCH_ONLY=<regex>` runs only the scenarios whose names match (the ceiling aside),
 * skips start, reset and memory measures and budgets, and prints the throughput table; `BENCH_FAKE_NODE_FLAGS`
 * (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) starts the fake's process with those Node flags.
 */
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const FAKE_NODE_FLAGS = (process.env.BENCH_FAKE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const MEMORY_SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 60);
/** Add to List: ids per call (Marketo's most), and calls at a time (Marketo admits 10, as for the sync). */
const LIST_BATCH = 300;
const LIST_CONNECTIONS = 10;
/** Type id of Add to List, the activity each lead added writes. */
const ADD_TO_LIST = 24;
/**
 * Each Add to List call goes to a (list, block of 300 leads) pair no call used before, so that every call adds 300
 * members and writes 300 activities. The fixture holds lists enough for 1,000 calls a second over the warm-up and the
 * run, to the fake and to the minimal route alike (300,000 members a second, far above what either writes); a run
 * that used the pairs up fails (listAddsWritten).
 */
const LIST_CALLS_PER_SECOND_AT_MOST = 1000;
/** The visible leads (shuffled, as the other scenarios read them) in whole blocks of LIST_BATCH. */
/** Add to List runs per server: one, or one per side-by-side round (BENCH_BEFORE). */
const LIST_RUNS = Math.max(1, BEFORE_ROUNDS);
const LIST_BLOCKS = ((ids) =>
  Array.from({ length: Math.floor(ids.length / LIST_BATCH) }, (_, i) =>
    ids.slice(i * LIST_BATCH, (i + 1) * LIST_BATCH),
  ))(shuffled(LEADS, visibleToBenchUser));
/** One list for the pre-flight call, the others for the load. */
const LISTS =
  1 + Math.ceil((LIST_CALLS_PER_SECOND_AT_MOST * LIST_RUNS * (WARMUP_SECONDS + DURATION_SECONDS)) / LIST_BLOCKS.length);
/**
 * Get Leads by List Id: lists of these sizes, of visible leads (disjoint slices of the shuffled ones), each a whole
 * number of pages of LIST_PAGE, so that every page read answers LIST_PAGE leads.
 */
const MEMBER_LIST_SIZES = [3000, 6000, 9900];
const LIST_PAGE = 300;
const MEMBER_LISTS = ((ids) => {
  let at = 0;
  return MEMBER_LIST_SIZES.map((size) => ids.slice(at, (at += size)));
})(shuffled(LEADS, visibleToBenchUser));
/**
 * The Asset API's write: Create Folder rather than Create Program, because its five statements (the parent, the name
 * clash, the insert, the new row, its ancestors for the path) are fixed SQL in AssetRepository that the minimal route
 * runs as they are; Create Program also checks its channel and tags against their catalogs in code. Its form body goes
 * as Marketo's clients send it, through the fake's form tunnel (src/http/form-tunnel.ts). Calls at a time: 10, as for
 * the other writes (Marketo admits 10); the folders' names.
 */
const FOLDER_CONNECTIONS = 10;
const FOLDER_PREFIX = 'Bench new folder ';
const FOLDERS_PATH = '/rest/asset/v1/folders.json';
const WORK_DIR = join(RESULTS_DIR, 'work');
/**
 * Custom objects (issue 27): records of the bench's type, a sync of CAR_BATCH records a call — CAR_UPDATES of them
 * existing (updated), the rest new (created), RudderStack's upsert shape — at CAR_CONNECTIONS calls at a time
 * (Marketo admits 10), and a query by the dedupe field (vin) for 10 records.
 */
const CAR_RECORDS = Number(process.env.BENCH_CUSTOM_OBJECTS ?? 100_000);
const CAR_BATCH = 300;
const CAR_UPDATES = 200;
const CAR_CONNECTIONS = 10;
const CAR_QUERY_VALUES = 10;
const NEW_VIN_PREFIX = 'NEWVIN';
const carsPath = `/rest/v1/customobjects/${BENCH_CUSTOM_OBJECT}.json`;
/**
 * Request Campaign (issue 26): 100 leads a call (Marketo's most), of the campaign's reach (the Default partition),
 * each call the next block and its own {{my.run}} token, so that every call changes the field of all its leads; 10
 * calls at a time (Marketo admits 10). The flow changes title and adds to a list (bench/fixture.ts).
 */
const CAMPAIGN_BATCH = 100;
const CAMPAIGN_CONNECTIONS = 10;
const CAMPAIGN_BLOCKS = ((ids) =>
  Array.from({ length: Math.floor(ids.length / CAMPAIGN_BATCH) }, (_, i) =>
    ids.slice(i * CAMPAIGN_BATCH, (i + 1) * CAMPAIGN_BATCH),
  ))(shuffled(LEADS, inCampaignReach));
const campaignPath = `/rest/v1/campaigns/${BENCH_CAMPAIGN}/trigger.json`;

/** Request Campaign calls, counted, each to the next block of leads with a token of its own. */
function campaignRequests(label: string) {
  let calls = 0;
  const block = cycle(CAMPAIGN_BLOCKS.map((_, i) => i));
  const body = (): string => {
    const leads = CAMPAIGN_BLOCKS[block()]!.map((id) => ({ id }));
    calls++;
    return JSON.stringify({ input: { leads, tokens: [{ name: '{{my.run}}', value: `${label} run ${calls}` }] } });
  };
  return {
    calls: () => calls,
    body,
    setupRequest: (request: autocannon.Request): autocannon.Request => ({ ...request, body: body() }),
  };
}

/**
 * Reads, once a server has let go of its database, what its Request Campaign calls wrote: one Request Campaign (47)
 * and one Change Data Value (13) per lead of every answered call (up to the calls still unanswered when the load
 * generator stopped), all by the bench campaign.
 */
function campaignRunsWritten(
  name: string,
  file: string,
  requests: ReturnType<typeof campaignRequests>,
): { calls: number; requested: number } {
  const db = new BetterSqlite3(file, { readonly: true });
  let counts: { requested: number; changed: number };
  try {
    counts = db
      .prepare(
        `SELECT sum(type_id = 47) AS requested, sum(type_id = 13) AS changed FROM activities WHERE campaign_id = ?`,
      )
      .get(BENCH_CAMPAIGN) as { requested: number; changed: number };
  } finally {
    db.close();
  }
  const calls = requests.calls();
  const unanswered = 2 * CAMPAIGN_CONNECTIONS;
  const { requested, changed } = counts;
  if (
    requested !== changed ||
    requested > calls * CAMPAIGN_BATCH ||
    requested < (calls - unanswered) * CAMPAIGN_BATCH ||
    requested % CAMPAIGN_BATCH !== 0
  ) {
    throw new Error(`${name}, Request Campaign: ${requested} requested and ${changed} changed by ${calls} calls`);
  }
  return { calls, requested };
}

/** The scenarios run side by side with the build before (BENCH_BEFORE), by name. */
const LEAD_GET = 'GET /rest/v1/lead/{id}.json';
const LEAD_SYNC = 'POST /rest/v1/leads.json (300 records)';
const ACTIVITY_PAGE = `GET /rest/v1/activities.json (date token, 300 of ${ACTIVITIES})`;
const PROGRAM_BROWSE = `GET /rest/asset/v1/programs.json (${PROGRAM_PAGE} per page)`;
const ADD_TO_LIST_NAME = `POST /rest/v1/lists/{id}/leads.json (add ${LIST_BATCH} leads)`;
const SIDE_BY_SIDE = [LEAD_GET, LEAD_SYNC, ACTIVITY_PAGE, PROGRAM_BROWSE, ADD_TO_LIST_NAME];
/** Each side-by-side scenario may serve this much less than on the build before (issue 22). */
const BEFORE_BUDGET = 0.95;

/**
 * A build of the fake as the side-by-side scenarios drive it: the prefix of its rows' names, its token, its server
 * (the main fake when absent) and its own Add to List calls (each build writes to its own copy of the lists).
 */
interface Build {
  label: string;
  auth: Record<string, string>;
  target?: ServerProcess;
  listAdds: ReturnType<typeof listAdds>;
}

/** Time from spawning the CLI to the answer of its first request (a token request with the printed credentials). */
async function coldStart(): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [FAKE_MAIN, '--memory', '--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  let output = '';
  try {
    const curl = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`fake-marketo exited with ${code}: ${output}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /curl -s '([^']+)'/.exec(output);
        if (match) resolve(match[1]!);
      });
    });
    const response = await fetch(curl);
    await response.json();
    if (response.status !== 200) throw new Error(`first request answered ${response.status}`);
    return performance.now() - started;
  } finally {
    child.kill('SIGTERM');
  }
}

/** buildApp (migrations on a new in-memory database) until ready; the first build also loads the modules. */
async function freshInstances(count: number): Promise<{ firstMs: number; medianMs: number; p95Ms: number }> {
  const times: number[] = [];
  for (let i = 0; i <= count; i++) {
    const started = performance.now();
    const app = await buildApp();
    await app.ready();
    times.push(performance.now() - started);
    await app.close();
  }
  const [first, ...rest] = times;
  return { firstMs: round(first!, 2), medianMs: round(median(rest), 2), p95Ms: round(percentile(rest, 95), 2) };
}

/** POST /admin/reset on a server started with a 1,000-lead seed file, timed by the client. */
async function resetTimes(count: number): Promise<{ medianMs: number; p95Ms: number; leadsAfter: number }> {
  const seedFile = join(WORK_DIR, 'reset-seed.json');
  const dbFile = join(WORK_DIR, 'reset.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
  writeFileSync(seedFile, JSON.stringify(benchSeed(1000)));
  const server = await startFake(
    'fake-marketo (reset)',
    ['--db', dbFile, '--seed', seedFile],
    join(WORK_DIR, 'reset.log'),
  );
  try {
    const times: number[] = [];
    const token = await accessToken(server.url, BENCH_CLIENT);
    for (let i = 0; i < count + 3; i++) {
      // Changes since the last reset, so each reset has something to undo.
      await fetch(`${server.url}/rest/v1/leads.json`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ input: [{ email: `after-reset-${i}@bench.example` }] }),
      });
      const started = performance.now();
      const response = await fetch(`${server.url}/admin/reset`, { method: 'POST' });
      await response.arrayBuffer();
      if (response.status !== 204) throw new Error(`reset answered ${response.status}`);
      if (i >= 3) times.push(performance.now() - started);
    }
    // The fake holds its database file exclusively: ask it what it holds.
    const snapshot = (await (await fetch(`${server.url}/admin/snapshot`)).json()) as { leads: unknown[] };
    const leadsAfter = snapshot.leads.length;
    if (leadsAfter !== 1000) throw new Error(`after reset the fake holds ${leadsAfter} leads, not the seed's 1000`);
    return { medianMs: round(median(times), 2), p95Ms: round(percentile(times, 95), 2), leadsAfter };
  } finally {
    await server.stop();
  }
}

const listPath = (listId: number): string => `/rest/v1/lists/${listId}/leads.json`;

/** Add to List calls, each to the next unused (list, block) pair: counted, so that the rows written can be checked. */
function listAdds(listIds: number[], bodies: string[]) {
  let calls = 0;
  return {
    pairs: listIds.length * bodies.length,
    calls: () => calls,
    setupRequest: (request: autocannon.Request): autocannon.Request => {
      const n = calls++;
      const listId = listIds[Math.floor(n / bodies.length) % listIds.length]!;
      return { ...request, path: listPath(listId), body: bodies[n % bodies.length]! };
    },
  };
}

interface ListAddsWritten {
  calls: number;
  pairs: number;
  members: number;
  activities: number;
}

/**
 * Reads, once a server has let go of its database, what its Add to List calls wrote to the load's lists, and fails
 * unless every call added its 300 leads and wrote their 300 activities. The load generator stops with a few calls
 * of each of its two runs (warm-up and measured) of each of the server's `runs` still unanswered; the server still
 * does them, or (cut off mid-body) none of them.
 */
function listAddsWritten(
  name: string,
  file: string,
  listIds: number[],
  adds: ReturnType<typeof listAdds>,
  runs = 1,
): ListAddsWritten {
  const db = new BetterSqlite3(file, { readonly: true });
  const lists = JSON.stringify(listIds);
  let perList: { id: number; n: number }[];
  let activities: number;
  try {
    perList = db
      .prepare(
        `SELECT list_id AS id, count(*) AS n FROM static_list_members
         WHERE list_id IN (SELECT value FROM json_each(?)) GROUP BY list_id`,
      )
      .all(lists) as { id: number; n: number }[];
    activities = (
      db
        .prepare(
          `SELECT count(*) AS n FROM activities
           WHERE type_id = ${ADD_TO_LIST} AND primary_value_id IN (SELECT value FROM json_each(?))`,
        )
        .get(lists) as { n: number }
    ).n;
  } finally {
    db.close();
  }
  const written = {
    calls: adds.calls(),
    pairs: adds.pairs,
    members: perList.reduce((sum, list) => sum + list.n, 0),
    activities,
  };
  const problems: string[] = [];
  if (written.calls > written.pairs) {
    problems.push(
      `${written.calls} calls used up the ${written.pairs} (list, block) pairs: raise LIST_CALLS_PER_SECOND_AT_MOST`,
    );
  }
  const partial = perList.filter((list) => list.n % LIST_BATCH !== 0);
  if (partial.length > 0) {
    problems.push(`lists ${partial.map((list) => `${list.id} (${list.n})`).join(', ')} hold part of a block`);
  }
  const unanswered = 2 * runs * LIST_CONNECTIONS;
  if (written.members > written.calls * LIST_BATCH || written.members < (written.calls - unanswered) * LIST_BATCH) {
    problems.push(`${written.members} members added by ${written.calls} calls of ${LIST_BATCH} new leads`);
  }
  if (written.activities !== written.members) {
    problems.push(`${written.activities} Add to List activities for ${written.members} members added`);
  }
  if (problems.length > 0) throw new Error(`${name}, Add to List: ${problems.join('; ')}`);
  return written;
}

/** A Create Folder form body, as Marketo's clients send it. */
const folderBody = (name: string, parentId: number): string =>
  new URLSearchParams({
    name,
    parent: JSON.stringify({ id: parentId, type: 'Folder' }),
    description: 'Made by the bench',
  }).toString();

/**
 * Create Folder calls, call n making folder `${FOLDER_PREFIX}n` in the nth parent in turn: each name new, so that
 * every call creates a folder. Counted, so that the folders made can be checked.
 */
function folderCreates(parentIds: number[]) {
  let calls = 0;
  // The parent parameter, encoded once: the load generator's work per call is small beside either server's.
  const parents = parentIds.map((id) => folderBody('', id).slice('name='.length));
  const body = (n: number): string => `name=${encodeURIComponent(FOLDER_PREFIX + n)}${parents[n % parents.length]!}`;
  return {
    calls: () => calls,
    body,
    setupRequest: (request: autocannon.Request): autocannon.Request => ({ ...request, body: body(calls++) }),
  };
}

interface FoldersWritten {
  calls: number;
  folders: number;
}

/**
 * Reads, once a server has let go of its database, the folders its Create Folder calls made, and fails unless every
 * call made its folder (of its name, in its parent, in the parent's workspace), up to the few calls of the warm-up
 * and the measured run still unanswered when the load generator stopped.
 */
function foldersWritten(
  name: string,
  file: string,
  parentIds: number[],
  creates: ReturnType<typeof folderCreates>,
): FoldersWritten {
  const db = new BetterSqlite3(file, { readonly: true });
  let rows: { name: string; parentId: number; workspaceId: number; parentWorkspaceId: number }[];
  try {
    rows = db
      .prepare(
        `SELECT f.name AS name, f.parent_id AS parentId, f.workspace_id AS workspaceId,
           p.workspace_id AS parentWorkspaceId
         FROM asset_folders f JOIN asset_folders p ON p.id = f.parent_id
         WHERE substr(f.name, 1, ?) = ?`,
      )
      .all(FOLDER_PREFIX.length, FOLDER_PREFIX) as typeof rows;
  } finally {
    db.close();
  }
  const calls = creates.calls();
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const row of rows) {
    const n = Number(row.name.slice(FOLDER_PREFIX.length));
    if (!Number.isInteger(n) || n < 0 || n >= calls || seen.has(n)) {
      problems.push(`a folder named "${row.name}" that no call or more than one made`);
    } else if (row.parentId !== parentIds[n % parentIds.length] || row.workspaceId !== row.parentWorkspaceId) {
      problems.push(`"${row.name}" in folder ${row.parentId} of workspace ${row.workspaceId}`);
    }
    seen.add(n);
    if (problems.length > 5) break;
  }
  const unanswered = 2 * FOLDER_CONNECTIONS;
  if (rows.length > calls || rows.length < calls - unanswered) {
    problems.push(`${rows.length} folders made by ${calls} Create Folder calls`);
  }
  if (problems.length > 0) throw new Error(`${name}, Create Folder: ${problems.join('; ')}`);
  return { calls, folders: rows.length };
}

/**
 * Custom object syncs of CAR_BATCH records: CAR_UPDATES existing cars (in turn, a new colour) and new ones numbered
 * on from the last call, each server's calls alike. Counted, so that the cars created can be checked.
 */
function carSyncs() {
  let calls = 0;
  let created = 0;
  const existing = cycle(Array.from({ length: CAR_RECORDS }, (_, i) => i + 1));
  const body = (): string => {
    const input: Record<string, unknown>[] = [];
    for (let i = 0; i < CAR_UPDATES; i++) input.push({ ...benchCar(existing()), color: `blue ${calls}` });
    for (let i = CAR_UPDATES; i < CAR_BATCH; i++) {
      input.push({ ...benchCar(CAR_RECORDS + 1 + created), vin: `${NEW_VIN_PREFIX}${++created}` });
    }
    calls++;
    return JSON.stringify({ action: 'createOrUpdate', dedupeBy: 'dedupeFields', input });
  };
  return {
    calls: () => calls,
    body,
    setupRequest: (request: autocannon.Request): autocannon.Request => ({ ...request, body: body() }),
  };
}

/**
 * Reads, once a server has let go of its database, the cars its syncs created, and fails unless every call made its
 * new ones (up to the calls of the warm-up and the measured run still unanswered when the load generator stopped).
 */
function carsWritten(
  name: string,
  file: string,
  syncs: ReturnType<typeof carSyncs>,
): { calls: number; created: number } {
  const db = new BetterSqlite3(file, { readonly: true });
  let created: number;
  try {
    created = (
      db
        .prepare(`SELECT count(*) AS n FROM custom_objects WHERE substr(json_extract(fields, '$.vin'), 1, ?) = ?`)
        .get(NEW_VIN_PREFIX.length, NEW_VIN_PREFIX) as { n: number }
    ).n;
  } finally {
    db.close();
  }
  const perCall = CAR_BATCH - CAR_UPDATES;
  const calls = syncs.calls();
  const unanswered = 2 * CAR_CONNECTIONS;
  if (created > calls * perCall || created < (calls - unanswered) * perCall || created % perCall !== 0) {
    throw new Error(`${name}, custom object sync: ${created} cars created by ${calls} calls of ${perCall} new cars`);
  }
  return { calls, created };
}

interface MemoryRun {
  seconds: number;
  requests: number;
  rssSamplesMb: number[];
  /** Live heap after each full collection, MB. */
  heapAfterGcMb: number[];
  earlyMb: number;
  lateMb: number;
  rssPeakMb: number;
  poolServices: number;
  flat: boolean;
}

/**
 * A sustained client loop (get a token, read a lead with it) over a pool of services while the fake's clock jumps an
 * hour every 2 s: tokens expire and are replaced all the time, and the journal wraps many times over.
 */
/** Live heap after each full collection, from a `--trace-gc` log: [seconds since start, MB]. */
function heapAfterFullGc(log: string): [number, number][] {
  const points: [number, number][] = [];
  for (const match of log.matchAll(/(\d+) ms: Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g)) {
    points.push([Number(match[1]) / 1000, Number(match[2])]);
  }
  return points;
}

async function memoryUnderLoad(dbFile: string, pool: number): Promise<MemoryRun> {
  // Its own fake, started with --trace-gc: what the heap holds after each full collection is what is retained. A full
  // collection every few seconds (bench/full-gc.ts) samples it whether or not V8 needed one.
  const logFile = join(WORK_DIR, 'memory.log');
  const server = await startFake('fake-marketo (memory)', ['--db', dbFile], logFile, [
    '--trace-gc',
    '--expose-gc',
    `--import=${pathToFileURL(FULL_GC_PRELOAD).href}`,
  ]);
  const startedAtSeconds = performance.now() / 1000;
  const autocannonModule = (await import('autocannon')).default;
  const nextClient = cycle(Array.from({ length: pool }, (_, i) => poolClientId(FIRST_TOKEN_CLIENTS + 1 + i)));
  const nextId = cycle(shuffled(LEADS, visibleToBenchUser));
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rssBytes(server.pid)), 1000);
  const clockJumps = setInterval(() => {
    void fetch(`${server.url}/admin/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 3600 }),
    }).then((response) => response.arrayBuffer());
  }, 2000);
  const result = await autocannonModule({
    url: server.url,
    connections: CONNECTIONS,
    duration: MEMORY_SECONDS,
    requests: [
      {
        method: 'GET',
        path: '/identity/oauth/token',
        setupRequest: (request: autocannon.Request) => ({
          ...request,
          path: tokenQuery({ clientId: nextClient(), clientSecret: POOL_SECRET }),
        }),
        onResponse: (_status: number, body: string, context: Record<string, unknown>) => {
          context.token = (JSON.parse(body) as { access_token?: string }).access_token;
        },
      },
      {
        method: 'GET',
        path: '/rest/v1/lead/1.json',
        setupRequest: (request: autocannon.Request, context: Record<string, unknown>) => ({
          ...request,
          path: `/rest/v1/lead/${nextId()}.json`,
          headers: { ...request.headers, authorization: `Bearer ${String(context.token)}` },
        }),
      },
    ],
  } as autocannon.Options);
  clearInterval(sampler);
  clearInterval(clockJumps);
  const loadSeconds = performance.now() / 1000 - startedAtSeconds;
  await server.stop();
  const toMb = (bytes: number): number => round(bytes / 1024 / 1024, 1);
  const rssSamplesMb = samples.map(toMb);
  // The middle third of the run (after warm-up: JIT, caches filling) against the last third.
  const heap = heapAfterFullGc(readFileSync(logFile, 'utf8'));
  const end = heap.at(-1)?.[0] ?? 0;
  const third = loadSeconds / 3;
  const within = (from: number, to: number) => heap.filter(([at]) => at >= from && at < to).map(([, mb]) => mb);
  const early = within(end - 2 * third, end - third);
  const late = within(end - third, end + 1);
  const earlyMb = round(median(early.length > 0 ? early : [0]), 1);
  const lateMb = round(median(late.length > 0 ? late : [0]), 1);
  return {
    seconds: MEMORY_SECONDS,
    requests: result.requests.total,
    rssSamplesMb,
    heapAfterGcMb: heap.map(([, mb]) => mb),
    earlyMb,
    lateMb,
    rssPeakMb: Math.max(...rssSamplesMb),
    poolServices: pool,
    // Flat: the live heap after full collections, late in the run, within 10 % (or 2 MB) of early in the run.
    flat: early.length > 0 && late.length > 0 && (lateMb <= earlyMb * 1.1 || lateMb - earlyMb <= 2),
  };
}

async function main(): Promise<void> {
  const machine = await machineInfo();
  say(`# fake-marketo benchmark — ${new Date().toISOString()}`);
  say(
    `Node ${machine.node} on ${machine.cores} × ${machine.cpus}; ${CONNECTIONS} connections, ${DURATION_SECONDS} s per scenario; ` +
      `load average ${loadavg()
        .map((load) => load.toFixed(2))
        .join(', ')}` +
      (BEFORE_MAIN ? `; side by side with ${BEFORE_MAIN}` : ''),
  );

  const dbFile = join(WORK_DIR, 'bench.sqlite');
  const memoryPool = 200;
  say(
    `\nBuilding the subscription: ${LEADS} leads in 3 partitions, ${ACTIVITIES} activities, ${LISTS} empty static lists and ${MEMBER_LISTS.length} of ${MEMBER_LIST_SIZES.join(', ')} members, ${FIRST_TOKEN_CLIENTS + memoryPool} extra services…`,
  );
  const fixture = await buildFixture({
    path: dbFile,
    leads: LEADS,
    poolServices: FIRST_TOKEN_CLIENTS + memoryPool,
    programsPerWorkspace: PROGRAMS_PER_WORKSPACE,
    emailsPerWorkspace: EMAILS_PER_WORKSPACE,
    activities: ACTIVITIES,
    lists: LISTS,
    memberLists: MEMBER_LISTS,
    folderParents: true,
    customObjects: CAR_RECORDS,
  });
  say(`  built in ${round(fixture.seconds, 1)} s`);

  if (!ONLY) say('\nFresh in-process instances (buildApp + migrations, in-memory)…');
  const fresh = ONLY ? { firstMs: NaN, medianMs: NaN, p95Ms: NaN } : await freshInstances(30);
  const coldStarts: number[] = [];
  if (!ONLY) say('Cold starts of the CLI…');
  for (let i = 0; i < (ONLY ? 0 : 7); i++) coldStarts.push(await coldStart());
  if (!ONLY) say('Resets of a 1,000-lead seed…');
  const reset = ONLY ? { medianMs: NaN, p95Ms: NaN, leadsAfter: NaN } : await resetTimes(30);

  // The minimal route reads a copy: the fake holds its database file exclusively.
  const minimalDbFile = join(WORK_DIR, 'minimal.sqlite');
  for (const suffix of ['-wal', '-shm']) rmSync(minimalDbFile + suffix, { force: true });
  copyFileSync(dbFile, minimalDbFile);
  const minimalToken = 'minimal-route-token';
  const minimal = await startMinimal(minimalDbFile, minimalToken, join(WORK_DIR, 'minimal.log'));
  // The build before (BENCH_BEFORE), on its own copy too: its writes go to its own lists and leads.
  const beforeDbFile = join(WORK_DIR, 'before.sqlite');
  let before: ServerProcess | undefined;
  if (BEFORE_MAIN) {
    for (const suffix of ['-wal', '-shm']) rmSync(beforeDbFile + suffix, { force: true });
    copyFileSync(dbFile, beforeDbFile);
    before = await startFake(
      'fake-marketo (before)',
      ['--db', beforeDbFile],
      join(WORK_DIR, 'before.log'),
      [],
      BEFORE_MAIN,
    );
  }
  const ceiling = await startCeiling(join(WORK_DIR, 'ceiling.log'));
  const fake = await startFake('fake-marketo', ['--db', dbFile], join(WORK_DIR, 'fake.log'), FAKE_NODE_FLAGS);
  // The fake and the minimal route each start from the same lists, on their own copy of the database, and make the
  // same calls in the same order.
  const [preflightList, ...loadLists] = fixture.listIds;
  const listBodies = LIST_BLOCKS.map((block) => JSON.stringify({ input: block.map((id) => ({ id })) }));
  const fakeListAdds = listAdds(loadLists, listBodies);
  const minimalListAdds = listAdds(loadLists, listBodies);
  const beforeListAdds = listAdds(loadLists, listBodies);
  const fakeFolders = folderCreates(fixture.folderParentIds);
  const minimalFolders = folderCreates(fixture.folderParentIds);
  const fakeCars = carSyncs();
  const minimalCars = carSyncs();
  const fakeCampaigns = campaignRequests('fake');
  const minimalCampaigns = campaignRequests('minimal');
  const listPages: string[] = [];
  const results: LoadResult[] = [];
  // The machine's speed drifts over minutes (shared cores): each scenario is compared with the ceiling measured
  // just before and just after it.
  let ceilings: LoadResult[] = [];
  let ceilingRow: LoadResult;
  const idleRss = rssBytes(fake.pid);
  try {
    const token = await accessToken(fake.url, BENCH_CLIENT);
    const deniedToken = await accessToken(fake.url, DENIED_CLIENT);
    const auth = { authorization: `Bearer ${token}` };
    // This build and the one before, as the side-by-side scenarios drive them.
    const thisBuild: Build = { label: '', auth, listAdds: fakeListAdds };
    const beforeBuild: Build | undefined = before && {
      label: 'before: ',
      auth: { authorization: `Bearer ${await accessToken(before.url, BENCH_CLIENT)}` },
      target: before,
      listAdds: beforeListAdds,
    };
    const visibleIds = shuffled(LEADS, visibleToBenchUser);
    const nextId = cycle(visibleIds);
    const leadPath = (id: number): string => `/rest/v1/lead/${id}.json`;
    const emailQuery = (ids: number[]) =>
      `/rest/v1/leads.json?filterType=email&filterValues=${ids.map(leadEmail).join(',')}`;
    let newLeads = 0;
    const syncBody = (): string =>
      syncBatchBody(
        300,
        () => leadEmail(nextId()),
        () => `new${++newLeads}@bench.example`,
      );

    // Date tokens spread over the log's 30 days (the last day left out, so that every page is a full 300).
    const dateTokens = Array.from({ length: 997 }, (_, i) =>
      encodePosition({ date: fixture.activitiesFrom + Math.floor(((ACTIVITY_SPAN_MS * 0.95) / 997) * i), id: 0 }),
    );
    const nextDateToken = cycle(dateTokens.map((_, i) => i));
    const activitiesPath = (index = nextDateToken()): string =>
      `/rest/v1/activities.json?nextPageToken=${dateTokens[index]}&activityTypeIds=${BENCH_ACTIVITY_TYPES.join(',')}&batchSize=300`;

    await expectMarketoAnswer(fake.url + leadPath(1), { headers: auth }, { success: true });
    if (beforeBuild)
      await expectMarketoAnswer(before!.url + leadPath(1), { headers: beforeBuild.auth }, { success: true });
    const minimalAuth = { authorization: `Bearer ${minimalToken}` };
    await expectMarketoAnswer(minimal.url + leadPath(1), { headers: minimalAuth }, { success: true });
    await expectMarketoAnswer(fake.url + emailQuery([1, 3, 4]), { headers: auth }, { success: true });
    for (const [url, headers] of [
      [fake.url, auth],
      [minimal.url, minimalAuth],
    ] as const) {
      const page = (await (await fetch(url + activitiesPath(0), { headers })).json()) as { result?: unknown[] };
      if (page.result?.length !== 300) throw new Error(`${url}: an activity page of ${page.result?.length}, not 300`);
    }
    await expectMarketoAnswer(
      fake.url + leadPath(1),
      { headers: { authorization: `Bearer ${deniedToken}` } },
      { errorCode: '603' },
    );
    await expectMarketoAnswer(
      fake.url + leadPath(1),
      { headers: { authorization: 'Bearer not-a-token:ab' } },
      { errorCode: '601' },
    );

    const programPages = (PROGRAMS_PER_WORKSPACE * BENCH_READABLE_WORKSPACES.length) / PROGRAM_PAGE;
    const nextPage = cycle(Array.from({ length: programPages }, (_, i) => i));
    const programsPath = (page: number): string =>
      `/rest/asset/v1/programs.json?maxReturn=${PROGRAM_PAGE}&offset=${page * PROGRAM_PAGE}`;
    const programsCheck = { success: true } as const;
    await expectMarketoAnswer(fake.url + programsPath(programPages - 1), { headers: auth }, programsCheck);
    await expectMarketoAnswer(minimal.url + programsPath(programPages - 1), { headers: minimalAuth }, programsCheck);
    // Both answer the same records (request ids aside).
    const page = async (url: string, headers: Record<string, string>) => {
      const body = (await (await fetch(url, { headers })).json()) as { result: unknown[] };
      return JSON.stringify(body.result);
    };
    if ((await page(fake.url + programsPath(3), auth)) !== (await page(minimal.url + programsPath(3), minimalAuth))) {
      throw new Error('the minimal program route answers other records than the fake');
    }
    // Get Emails, 200 per page: every page of the bench user's emails in turn; both answer the same records.
    const emailPages = (EMAILS_PER_WORKSPACE * BENCH_READABLE_WORKSPACES.length) / EMAIL_PAGE;
    const nextEmailPage = cycle(Array.from({ length: emailPages }, (_, i) => i));
    const emailsPath = (page: number): string =>
      `/rest/asset/v1/emails.json?maxReturn=${EMAIL_PAGE}&offset=${page * EMAIL_PAGE}`;
    for (const at of [0, emailPages - 1]) {
      const [fakePage, minimalPage] = [
        await page(fake.url + emailsPath(at), auth),
        await page(minimal.url + emailsPath(at), minimalAuth),
      ];
      if ((JSON.parse(fakePage) as unknown[]).length !== EMAIL_PAGE) throw new Error(`email page ${at} is not full`);
      if (fakePage !== minimalPage) throw new Error('the minimal email browse answers other records than the fake');
    }

    // Update Email Content Section: the body of each email in turn, a new value per call (a draft beside the
    // approved version on the first, then that draft changed), as a form body, on both servers.
    const emailEditPath = (n: number) =>
      `/rest/asset/v1/email/${fixture.emailIds[n % fixture.emailIds.length]}/content/body.json`;
    const emailEditBody = (n: number) =>
      `type=Text&value=${encodeURIComponent(`<p>Edit ${n}</p>`)}&textValue=Edit%20${n}`;
    /** One server's calls: call n edits the nth email in turn. */
    const emailEditCalls = () => {
      let calls = 0;
      return (request: autocannon.Request): autocannon.Request => {
        const n = calls++;
        return { ...request, path: emailEditPath(n), body: emailEditBody(n) };
      };
    };
    for (const [url, headers] of [
      [fake.url, auth],
      [minimal.url, minimalAuth],
    ] as const) {
      const response = await fetch(url + emailEditPath(0), {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: emailEditBody(-1),
      });
      const text = await response.text();
      if (!text.includes(`"result":[{"id":${fixture.emailIds[0]}}]`))
        throw new Error(`pre-flight content update ${url}: ${text.slice(0, 300)}`);
    }
    const edited = (await (
      await fetch(`${fake.url}/rest/asset/v1/email/${fixture.emailIds[0]}/content.json?status=draft`, { headers: auth })
    ).json()) as { result?: { htmlId: string; value: { value: string }[] }[] };
    if (edited.result?.find((item) => item.htmlId === 'body')?.value[0]?.value !== '<p>Edit -1</p>') {
      throw new Error('the fake’s content update did not reach the email’s draft');
    }

    // Add to List: 300 new members answered "added" by both, the same results, and the members there to read.
    const listAnswers: string[] = [];
    for (const [url, headers] of [
      [fake.url, auth],
      [minimal.url, minimalAuth],
    ] as const) {
      const response = await fetch(url + listPath(preflightList!), {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: listBodies[0],
      });
      const text = await response.text();
      const body = JSON.parse(text) as { success?: boolean; result?: { status?: string }[] };
      const added = body.result?.filter((record) => record.status === 'added').length;
      if (response.status !== 200 || body.success !== true || added !== LIST_BATCH) {
        throw new Error(`pre-flight Add to List ${url}: expected ${LIST_BATCH} added, got ${text.slice(0, 500)}`);
      }
      listAnswers.push(JSON.stringify(body.result));
    }
    if (listAnswers[0] !== listAnswers[1]) throw new Error('the minimal Add to List route answers other results');
    const members = (await (
      await fetch(`${fake.url}${listPath(preflightList!)}?batchSize=${LIST_BATCH}`, { headers: auth })
    ).json()) as { result?: unknown[]; moreResult?: boolean };
    if (members.result?.length !== LIST_BATCH || members.moreResult) {
      throw new Error(`the list the fake added ${LIST_BATCH} leads to reads ${members.result?.length} members`);
    }

    // Request Campaign: both answer the campaign's id alike, and the fake's leads read the field the flow set.
    const campaignAnswers: string[] = [];
    for (const [url, headers, requests] of [
      [fake.url, auth, fakeCampaigns],
      [minimal.url, minimalAuth, minimalCampaigns],
    ] as const) {
      const response = await fetch(url + campaignPath, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: requests.body(),
      });
      const text = await response.text();
      if (response.status !== 200 || !text.includes('"success":true')) {
        throw new Error(`pre-flight Request Campaign ${url}: ${text.slice(0, 500)}`);
      }
      campaignAnswers.push(text.replace(/"requestId":"[^"]*",?/, ''));
    }
    if (campaignAnswers[0] !== campaignAnswers[1]) {
      throw new Error(`the minimal Request Campaign route answers other than the fake: ${campaignAnswers.join(' / ')}`);
    }
    const requestedLead = (await (
      await fetch(`${fake.url}/rest/v1/lead/${CAMPAIGN_BLOCKS[0]![0]}.json?fields=title`, { headers: auth })
    ).json()) as { result?: { title?: string }[] };
    if (requestedLead.result?.[0]?.title !== 'fake run 1') {
      throw new Error(`the requested lead reads title ${JSON.stringify(requestedLead.result)}, not the flow's`);
    }

    // Get Leads by List Id: every page of the member lists, first pages and token pages, with the tokens the fake
    // hands out (a page token holds the last lead id; the minimal route reads the fake's tokens). Each server is then
    // asked for these pages in the same order, over and over.
    const listLeadsPath = (listId: number, pageToken?: string): string =>
      `${listPath(listId)}?batchSize=${LIST_PAGE}${pageToken === undefined ? '' : `&nextPageToken=${pageToken}`}`;
    type LeadsPage = { result?: unknown[]; moreResult?: boolean; nextPageToken?: string; success?: boolean };
    const pageAt = async (url: string, headers: Record<string, string>): Promise<LeadsPage> =>
      (await (await fetch(url, { headers })).json()) as LeadsPage;
    for (const listId of fixture.memberListIds) {
      let path = listLeadsPath(listId);
      for (;;) {
        listPages.push(path);
        const body = await pageAt(fake.url + path, auth);
        if (body.result?.length !== LIST_PAGE) {
          throw new Error(`list ${listId}: a page of ${body.result?.length} leads, not ${LIST_PAGE}: ${path}`);
        }
        if (!body.moreResult) break;
        path = listLeadsPath(listId, body.nextPageToken);
      }
    }
    if (listPages.length !== MEMBER_LIST_SIZES.reduce((sum, size) => sum + size / LIST_PAGE, 0)) {
      throw new Error(
        `${listPages.length} pages of list members, not the lists' ${MEMBER_LIST_SIZES.join(' + ')} / ${LIST_PAGE}`,
      );
    }
    // Both answer every page alike: the same leads, the same moreResult, a token to the same lead for the same query
    // (its time of issue aside).
    const pageKey = (body: LeadsPage): string =>
      JSON.stringify([
        body.success,
        body.result,
        body.moreResult,
        body.nextPageToken && (fromBase32(body.nextPageToken) ?? '').split(':').slice(0, 2),
      ]);
    for (const path of listPages) {
      if (pageKey(await pageAt(fake.url + path, auth)) !== pageKey(await pageAt(minimal.url + path, minimalAuth))) {
        throw new Error(`the minimal Get Leads by List route answers other than the fake: ${path}`);
      }
    }

    // Create Folder: both make the same folder (its times aside), and both refuse its name a second time (709).
    const folderAnswers: string[] = [];
    const preflightFolder = folderBody('Bench pre-flight folder', fixture.folderParentIds[0]!);
    for (const [url, headers] of [
      [fake.url, auth],
      [minimal.url, minimalAuth],
    ] as const) {
      const init = {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: preflightFolder,
      };
      const response = await fetch(url + FOLDERS_PATH, init);
      const text = await response.text();
      const body = JSON.parse(text) as { success?: boolean; result?: Record<string, unknown>[] };
      if (response.status !== 200 || body.success !== true || body.result?.length !== 1) {
        throw new Error(`pre-flight Create Folder ${url}: expected the folder, got ${text.slice(0, 500)}`);
      }
      // The fake's start burns a few folder ids (its INSERT OR IGNORE of the root folders moves the AUTOINCREMENT
      // sequence on), so the new folder's id may differ: it must only be the record's folderId too.
      const { createdAt, updatedAt, id, folderId, ...record } = body.result[0]!;
      const ref = folderId as { id?: unknown; type?: unknown } | undefined;
      if (typeof id !== 'number' || ref?.id !== id) {
        throw new Error(`pre-flight Create Folder ${url}: folderId ${JSON.stringify(folderId)} for folder ${id}`);
      }
      folderAnswers.push(JSON.stringify({ ...body, requestId: '', result: [{ ...record, folderIdType: ref.type }] }));
      folderAnswers.push(JSON.stringify([createdAt, updatedAt]).replace(/\d/g, '0'));
      await expectMarketoAnswer(url + FOLDERS_PATH, init, { errorCode: '709' });
    }
    if (folderAnswers[0] !== folderAnswers[2] || folderAnswers[1] !== folderAnswers[3]) {
      throw new Error(`the minimal Create Folder route answers other than the fake: ${folderAnswers.join(' / ')}`);
    }

    // Custom objects: both answer a query by vin alike (request ids aside), and a sync alike (its GUIDs aside).
    const nextCar = cycle(shuffled(CAR_RECORDS, () => true));
    const carQuery = (): string =>
      `${carsPath}?filterType=vin&filterValues=${Array.from({ length: CAR_QUERY_VALUES }, () => benchVin(nextCar())).join(',')}`;
    const firstCarQuery = `${carsPath}?filterType=vin&filterValues=${benchVin(1)},${benchVin(2)},${benchVin(CAR_RECORDS)}`;
    const carAnswers: string[] = [];
    for (const [url, headers] of [
      [fake.url, auth],
      [minimal.url, minimalAuth],
    ] as const) {
      const query = (await (await fetch(url + firstCarQuery, { headers })).json()) as { result?: unknown[] };
      if (query.result?.length !== 3)
        throw new Error(`${url}: a query by vin for 3 cars answered ${JSON.stringify(query)}`);
      carAnswers.push(JSON.stringify(query.result));
      const response = await fetch(url + carsPath, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          action: 'createOrUpdate',
          dedupeBy: 'dedupeFields',
          input: [
            { ...benchCar(1), color: 'green' },
            { ...benchCar(0), vin: 'PREFLIGHT-1' },
            { vin: 'X', shoeSize: 9 },
          ],
        }),
      });
      const body = (await response.json()) as { result?: { seq: number; status: string; reasons?: unknown }[] };
      carAnswers.push(JSON.stringify(body.result?.map(({ seq, status, reasons }) => ({ seq, status, reasons }))));
    }
    if (carAnswers[0] !== carAnswers[2] || carAnswers[1] !== carAnswers[3]) {
      throw new Error(`the minimal custom object routes answer other than the fake: ${carAnswers.join(' / ')}`);
    }
    if (!carAnswers[1]!.includes('"updated"') || !carAnswers[1]!.includes('"created"')) {
      throw new Error(`pre-flight custom object sync: ${carAnswers[1]}`);
    }

    let poolClient = 0;
    const nextFakeListPage = cycle(listPages);
    const nextMinimalListPage = cycle(listPages);
    /** A scenario run alternately on this build and the one before (BENCH_BEFORE), BEFORE_ROUNDS times each. */
    const sideBySide = (scenario: (build: Build) => LoadScenario): LoadScenario[] => {
      if (!beforeBuild) return [scenario(thisBuild)];
      const runs: LoadScenario[] = [];
      for (let round = 1; round <= BEFORE_ROUNDS; round++) {
        for (const build of [thisBuild, beforeBuild]) {
          const run = scenario(build);
          const name = `${build.label}${run.name}${round > 1 ? ` (round ${round})` : ''}`;
          runs.push({ ...run, name, ceilingAfter: false });
        }
      }
      runs.at(-1)!.ceilingAfter = true;
      return runs;
    };
    const scenarios: LoadScenario[] = [
      { name: 'identity: same token', path: tokenQuery(BENCH_CLIENT) },
      {
        name: 'identity: first token',
        path: tokenQuery(BENCH_CLIENT),
        durationSeconds: FIRST_TOKEN_SECONDS,
        setupRequest: (request: autocannon.Request) => ({
          ...request,
          path: tokenQuery({ clientId: poolClientId(++poolClient), clientSecret: POOL_SECRET }),
        }),
      },
      ...sideBySide((build) => ({
        name: LEAD_GET,
        path: leadPath(1),
        headers: build.auth,
        target: build.target,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: leadPath(nextId()) }),
      })),
      {
        name: 'reference: minimal hand-written lead route',
        path: leadPath(1),
        headers: minimalAuth,
        target: minimal,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: leadPath(nextId()) }),
      },
      ...sideBySide((build) => ({
        name: PROGRAM_BROWSE,
        path: programsPath(0),
        headers: build.auth,
        target: build.target,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: programsPath(nextPage()) }),
      })),
      {
        name: 'reference: minimal hand-written program browse',
        path: programsPath(0),
        headers: minimalAuth,
        target: minimal,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: programsPath(nextPage()) }),
      },
      ...sideBySide((build) => ({
        name: ACTIVITY_PAGE,
        path: activitiesPath(),
        headers: build.auth,
        target: build.target,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: activitiesPath() }),
      })),
      {
        name: 'reference: minimal hand-written activities route',
        path: activitiesPath(),
        headers: minimalAuth,
        target: minimal,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: activitiesPath() }),
      },
      {
        name: `GET /rest/v1/lists/{id}/leads.json (${LIST_PAGE} per page, first and token pages)`,
        path: listPages[0]!,
        headers: auth,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: nextFakeListPage() }),
      },
      {
        name: 'reference: minimal hand-written Get Leads by List',
        path: listPages[0]!,
        headers: minimalAuth,
        target: minimal,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: nextMinimalListPage() }),
      },
      // Before the sync, which adds leads and activities: both servers write Add to List over the same data.
      ...sideBySide((build) => ({
        name: ADD_TO_LIST_NAME,
        method: 'POST' as const,
        connections: LIST_CONNECTIONS,
        path: listPath(loadLists[0]!),
        headers: { ...build.auth, 'content-type': 'application/json' },
        body: listBodies[0],
        target: build.target,
        setupRequest: build.listAdds.setupRequest,
      })),
      {
        name: 'reference: minimal hand-written Add to List',
        method: 'POST' as const,
        connections: LIST_CONNECTIONS,
        path: listPath(loadLists[0]!),
        headers: { ...minimalAuth, 'content-type': 'application/json' },
        body: listBodies[0],
        target: minimal,
        setupRequest: minimalListAdds.setupRequest,
      },
      {
        name: `GET /rest/asset/v1/emails.json (${EMAIL_PAGE} per page)`,
        path: emailsPath(0),
        headers: auth,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: emailsPath(nextEmailPage()) }),
      },
      {
        name: 'reference: minimal hand-written email browse',
        path: emailsPath(0),
        headers: minimalAuth,
        target: minimal,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: emailsPath(nextEmailPage()) }),
      },
      {
        name: 'POST /rest/asset/v1/email/{id}/content/{htmlId}.json (Update Email Content Section)',
        method: 'POST' as const,
        path: emailEditPath(0),
        headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: emailEditBody(0),
        setupRequest: emailEditCalls(),
      },
      {
        name: 'reference: minimal hand-written content update',
        method: 'POST' as const,
        path: emailEditPath(0),
        headers: { ...minimalAuth, 'content-type': 'application/x-www-form-urlencoded' },
        body: emailEditBody(0),
        target: minimal,
        setupRequest: emailEditCalls(),
      },
      {
        name: 'POST /rest/asset/v1/folders.json (Create Folder)',
        method: 'POST' as const,
        connections: FOLDER_CONNECTIONS,
        path: FOLDERS_PATH,
        headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: fakeFolders.body(0),
        setupRequest: fakeFolders.setupRequest,
      },
      {
        name: 'reference: minimal hand-written Create Folder',
        method: 'POST' as const,
        connections: FOLDER_CONNECTIONS,
        path: FOLDERS_PATH,
        headers: { ...minimalAuth, 'content-type': 'application/x-www-form-urlencoded' },
        body: minimalFolders.body(0),
        target: minimal,
        setupRequest: minimalFolders.setupRequest,
      },
      {
        name: `POST ${campaignPath} (Request Campaign, ${CAMPAIGN_BATCH} leads)`,
        method: 'POST' as const,
        connections: CAMPAIGN_CONNECTIONS,
        path: campaignPath,
        headers: { ...auth, 'content-type': 'application/json' },
        body: fakeCampaigns.body(),
        setupRequest: fakeCampaigns.setupRequest,
      },
      {
        name: 'reference: minimal hand-written Request Campaign',
        method: 'POST' as const,
        connections: CAMPAIGN_CONNECTIONS,
        path: campaignPath,
        headers: { ...minimalAuth, 'content-type': 'application/json' },
        body: minimalCampaigns.body(),
        target: minimal,
        setupRequest: minimalCampaigns.setupRequest,
      },
      {
        name: `GET ${carsPath} (${CAR_QUERY_VALUES} vins, the dedupe field)`,
        path: carQuery(),
        headers: auth,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: carQuery() }),
      },
      {
        name: 'reference: minimal hand-written custom object query',
        path: carQuery(),
        headers: minimalAuth,
        target: minimal,
        setupRequest: (request: autocannon.Request) => ({ ...request, path: carQuery() }),
      },
      {
        name: `POST ${carsPath} (${CAR_BATCH} records, ${CAR_UPDATES} updates)`,
        method: 'POST' as const,
        connections: CAR_CONNECTIONS,
        path: carsPath,
        headers: { ...auth, 'content-type': 'application/json' },
        body: fakeCars.body(),
        setupRequest: fakeCars.setupRequest,
      },
      {
        name: 'reference: minimal hand-written custom object sync',
        method: 'POST' as const,
        connections: CAR_CONNECTIONS,
        path: carsPath,
        headers: { ...minimalAuth, 'content-type': 'application/json' },
        body: minimalCars.body(),
        target: minimal,
        setupRequest: minimalCars.setupRequest,
      },
      {
        name: 'GET /rest/v1/leads.json (10 emails)',
        path: emailQuery([1]),
        headers: auth,
        setupRequest: (request: autocannon.Request) => ({
          ...request,
          path: emailQuery(Array.from({ length: 10 }, nextId)),
        }),
      },
      ...sideBySide((build) => ({
        name: LEAD_SYNC,
        method: 'POST' as const,
        // Marketo admits 10 concurrent calls; more syncing clients would only queue behind each other.
        connections: 10,
        path: '/rest/v1/leads.json',
        headers: { ...build.auth, 'content-type': 'application/json' },
        body: syncBody(),
        target: build.target,
        setupRequest: (request: autocannon.Request) => ({ ...request, body: syncBody() }),
      })),
      {
        name: 'denied (603)',
        path: leadPath(1),
        headers: { authorization: `Bearer ${deniedToken}` },
      },
      {
        name: 'invalid token (601)',
        path: leadPath(1),
        headers: { authorization: 'Bearer not-a-token:ab' },
      },
    ];
    say('');
    const chosen = ONLY ? scenarios.filter((scenario) => ONLY.test(scenario.name)) : scenarios;
    const runs = await runBesideCeiling(fake, ceiling, chosen, say);
    results.push(...runs.results);
    ceilings = runs.ceilings;
    ceilingRow = runs.ceilingRow;
  } finally {
    await fake.stop();
    await before?.stop();
    await ceiling.stop();
    await minimal.stop();
  }
  if (ONLY) {
    say(loadTable([ceilingRow, ...results]));
    return;
  }
  // What the Add to List calls wrote, read once the servers have let go of their files.
  const listAddRows = {
    fake: listAddsWritten('fake-marketo', dbFile, loadLists, fakeListAdds, LIST_RUNS),
    minimal: listAddsWritten('minimal route', minimalDbFile, loadLists, minimalListAdds),
    ...(before
      ? { before: listAddsWritten('the build before', beforeDbFile, loadLists, beforeListAdds, BEFORE_ROUNDS) }
      : {}),
  };
  const folderRows = {
    fake: foldersWritten('fake-marketo', dbFile, fixture.folderParentIds, fakeFolders),
    minimal: foldersWritten('minimal route', minimalDbFile, fixture.folderParentIds, minimalFolders),
  };
  const carRows = {
    fake: carsWritten('fake-marketo', dbFile, fakeCars),
    minimal: carsWritten('minimal route', minimalDbFile, minimalCars),
  };
  const campaignRows = {
    fake: campaignRunsWritten('fake-marketo', dbFile, fakeCampaigns),
    minimal: campaignRunsWritten('minimal route', minimalDbFile, minimalCampaigns),
  };
  say(`Memory: ${MEMORY_SECONDS} s of token + lead calls while the clock jumps an hour every 2 s…`);
  const memory = await memoryUnderLoad(dbFile, memoryPool);

  // Read once the fake has let go of its file.
  const tokenDb = new BetterSqlite3(dbFile, { readonly: true });
  const tokensStored = (tokenDb.prepare('SELECT count(*) AS n FROM access_tokens').get() as { n: number }).n;
  const servicesStored = (tokenDb.prepare('SELECT count(*) AS n FROM services').get() as { n: number }).n;
  tokenDb.close();

  const byName = (name: string): LoadResult => results.find((result) => result.name.startsWith(name))!;
  const leadGet = byName('GET /rest/v1/lead/');
  const minimalRoute = byName('reference: minimal hand-written lead');
  const programBrowse = byName('GET /rest/asset/v1/programs.json');
  const minimalPrograms = byName('reference: minimal hand-written program');
  const programsVersusMinimal = programBrowse.rps / minimalPrograms.rps;
  const activityPage = byName('GET /rest/v1/activities.json');
  const minimalActivities = byName('reference: minimal hand-written activities');
  const sync = byName('POST /rest/v1/leads.json');
  const listAdd = byName('POST /rest/v1/lists/');
  const minimalListAdd = byName('reference: minimal hand-written Add to List');
  const listAddVersusMinimal = listAdd.rps / minimalListAdd.rps;
  const listLeads = byName('GET /rest/v1/lists/');
  const minimalListLeads = byName('reference: minimal hand-written Get Leads by List');
  const listLeadsVersusMinimal = listLeads.rps / minimalListLeads.rps;
  const folderCreate = byName('POST /rest/asset/v1/folders.json');
  const minimalFolderCreate = byName('reference: minimal hand-written Create Folder');
  const folderCreateVersusMinimal = folderCreate.rps / minimalFolderCreate.rps;
  const emailBrowse = byName('GET /rest/asset/v1/emails.json');
  const minimalEmailBrowse = byName('reference: minimal hand-written email browse');
  const emailBrowseVersusMinimal = emailBrowse.rps / minimalEmailBrowse.rps;
  const emailEdit = byName('POST /rest/asset/v1/email/');
  const minimalEmailEdit = byName('reference: minimal hand-written content update');
  const emailEditVersusMinimal = emailEdit.rps / minimalEmailEdit.rps;
  const activitiesVersusMinimal = activityPage.rps / minimalActivities.rps;
  const carQueryRun = byName(`GET ${carsPath}`);
  const minimalCarQuery = byName('reference: minimal hand-written custom object query');
  const carQueryVersusMinimal = carQueryRun.rps / minimalCarQuery.rps;
  const carSync = byName(`POST ${carsPath}`);
  const minimalCarSync = byName('reference: minimal hand-written custom object sync');
  const carSyncVersusMinimal = carSync.rps / minimalCarSync.rps;
  const campaignRequest = byName(`POST ${campaignPath}`);
  const minimalCampaignRequest = byName('reference: minimal hand-written Request Campaign');
  const campaignVersusMinimal = campaignRequest.rps / minimalCampaignRequest.rps;
  const syncRecordsVersusCeiling = sync.ratio! * 300;
  const versusMinimal = `minimal hand-written route ${minimalRoute.ratio!.toFixed(2)}×`;
  const denied = byName('denied');
  const invalid = byName('invalid');
  const sameToken = byName('identity: same');
  const firstToken = byName('identity: first');
  const loadRss = Math.max(
    ...results
      .filter(
        (result) =>
          !result.name.startsWith('before: ') &&
          result !== minimalRoute &&
          result !== minimalPrograms &&
          result !== minimalActivities &&
          result !== minimalListAdd &&
          result !== minimalListLeads &&
          result !== minimalFolderCreate &&
          result !== minimalCarQuery &&
          result !== minimalCarSync &&
          result !== minimalEmailBrowse &&
          result !== minimalEmailEdit,
      )
      .map((result) => result.rssMaxBytes),
  );

  /** Every run of a scenario on one build: the first round's row, then `(round n)`. */
  const runsOf = (label: string, name: string): LoadResult[] =>
    results.filter((result) => result.name === label + name || result.name.startsWith(`${label}${name} (round `));
  const leadGetVersusMinimal = median(runsOf('', LEAD_GET).map((run) => run.rps)) / minimalRoute.rps;
  // This build against the build before, round by round (each round runs both, back to back).
  const sideBySide = before
    ? SIDE_BY_SIDE.map((name) => {
        const mine = runsOf('', name);
        const theirs = runsOf('before: ', name);
        const ratios = mine.map((run, i) => run.rps / theirs[i]!.rps);
        return {
          name,
          rps: mine.map((run) => run.rps),
          beforeRps: theirs.map((run) => run.rps),
          cpuUsPerRequest: mine.map((run) => run.cpuUsPerRequest),
          beforeCpuUsPerRequest: theirs.map((run) => run.cpuUsPerRequest),
          ratios: ratios.map((ratio) => round(ratio, 3)),
          median: round(median(ratios), 3),
        };
      })
    : [];

  const checks: BudgetCheck[] = [
    ...sideBySide.map((row) => ({
      budget: `${row.name} ≥ ${BEFORE_BUDGET.toFixed(2)}× the build before`,
      measured: `${row.median.toFixed(2)}× (rounds ${row.ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`,
      met: row.median >= BEFORE_BUDGET,
    })),
    {
      budget: 'authorized lead GET ≥ 0.80× the minimal lead route',
      measured: `${leadGetVersusMinimal.toFixed(2)}× (${Math.round(median(runsOf('', LEAD_GET).map((run) => run.rps)))} vs ${minimalRoute.rps} req/s)`,
      met: leadGetVersusMinimal >= 0.8,
    },
    {
      budget: 'authorized lead GET ≥ 0.60× ceiling',
      measured: `${leadGet.ratio!.toFixed(2)}× (${versusMinimal})`,
      met: leadGet.ratio! >= 0.6,
    },
    // "A 603 or 601 answer no slower than that": the same 0.6× of the ceiling as the authorized call.
    {
      budget: 'denied call (603) ≥ 0.60× ceiling',
      measured: `${denied.ratio!.toFixed(2)}× (lead GET ${leadGet.ratio!.toFixed(2)}×)`,
      met: denied.ratio! >= 0.6,
    },
    {
      budget: 'invalid token (601) ≥ 0.60× ceiling',
      measured: `${invalid.ratio!.toFixed(2)}× (lead GET ${leadGet.ratio!.toFixed(2)}×)`,
      met: invalid.ratio! >= 0.6,
    },
    {
      budget: `program browse (${PROGRAM_PAGE} per page) ≥ 0.80× the minimal program route`,
      measured: `${programsVersusMinimal.toFixed(2)}× (${Math.round(programBrowse.rps)} vs ${Math.round(minimalPrograms.rps)} req/s)`,
      met: programsVersusMinimal >= 0.8,
    },
    {
      budget: `email browse (${EMAIL_PAGE} per page) ≥ 0.80× the minimal email route`,
      measured: `${emailBrowseVersusMinimal.toFixed(2)}× (${Math.round(emailBrowse.rps)} vs ${Math.round(minimalEmailBrowse.rps)} req/s)`,
      met: emailBrowseVersusMinimal >= 0.8,
    },
    {
      budget: 'email content update ≥ 0.80× the minimal route',
      measured: `${emailEditVersusMinimal.toFixed(2)}× (${Math.round(emailEdit.rps)} vs ${Math.round(minimalEmailEdit.rps)} req/s)`,
      met: emailEditVersusMinimal >= 0.8,
    },
    {
      budget: `activity page (date token, 300 of ${ACTIVITIES}) ≥ 0.80× minimal route`,
      measured: `${activitiesVersusMinimal.toFixed(2)}× (${round(activityPage.rps)} vs ${round(minimalActivities.rps)} req/s)`,
      met: activitiesVersusMinimal >= 0.8,
    },
    {
      budget: `add ${LIST_BATCH} leads to a list ≥ 0.80× the minimal route`,
      measured: `${listAddVersusMinimal.toFixed(2)}× (${listAdd.rps} vs ${minimalListAdd.rps} req/s)`,
      met: listAddVersusMinimal >= 0.8,
    },
    {
      budget: `leads of a list (${LIST_PAGE} per page) ≥ 0.80× the minimal route`,
      measured: `${listLeadsVersusMinimal.toFixed(2)}× (${listLeads.rps} vs ${minimalListLeads.rps} req/s)`,
      met: listLeadsVersusMinimal >= 0.8,
    },
    {
      budget: `custom object query by the dedupe field (${CAR_QUERY_VALUES} vins) ≥ 0.80× the minimal route`,
      measured: `${carQueryVersusMinimal.toFixed(2)}× (${carQueryRun.rps} vs ${minimalCarQuery.rps} req/s)`,
      met: carQueryVersusMinimal >= 0.8,
    },
    {
      budget: `custom object sync of ${CAR_BATCH} records ≥ 0.80× the minimal route`,
      measured: `${carSyncVersusMinimal.toFixed(2)}× (${carSync.rps} vs ${minimalCarSync.rps} req/s)`,
      met: carSyncVersusMinimal >= 0.8,
    },
    {
      budget: `Request Campaign for ${CAMPAIGN_BATCH} leads (a field changed, a list added to) ≥ 0.80× the minimal route`,
      measured:
        `${campaignVersusMinimal.toFixed(2)}× (${campaignRequest.rps} vs ${minimalCampaignRequest.rps} req/s; ` +
        `${campaignRows.fake.requested} and ${campaignRows.minimal.requested} leads requested)`,
      met: campaignVersusMinimal >= 0.8,
    },
    {
      budget: 'create a folder ≥ 0.80× the minimal route',
      measured: `${folderCreateVersusMinimal.toFixed(2)}× (${folderCreate.rps} vs ${minimalFolderCreate.rps} req/s)`,
      met: folderCreateVersusMinimal >= 0.8,
    },
    {
      budget: 'sync records/s (updates write 13s) ≥ 0.40× ceiling req/s',
      measured: `${syncRecordsVersusCeiling.toFixed(2)}× (${round(sync.rps * 300)} records/s)`,
      met: syncRecordsVersusCeiling >= 0.4,
    },
    {
      budget: 'same-token identity ≥ 0.50× ceiling',
      measured: `${sameToken.ratio!.toFixed(2)}×`,
      met: sameToken.ratio! >= 0.5,
    },
    {
      budget: 'first-token issuance ≥ 0.30× ceiling',
      measured: `${firstToken.ratio!.toFixed(2)}×`,
      met: firstToken.ratio! >= 0.3,
    },
    {
      budget: 'cold start to first served request < 250 ms',
      measured: `${round(median(coldStarts))} ms (median of ${coldStarts.length})`,
      met: median(coldStarts) < 250,
    },
    {
      budget: 'fresh in-process instance < 5 ms',
      measured: `${fresh.medianMs} ms (median; first ${fresh.firstMs} ms)`,
      met: fresh.medianMs < 5,
    },
    {
      budget: 'reset < 10 ms (1,000-lead seed)',
      measured: `${reset.medianMs} ms (median; p95 ${reset.p95Ms} ms)`,
      met: reset.medianMs < 10,
    },
    {
      budget: `memory flat under ${MEMORY_SECONDS} s of load`,
      measured: `heap after full GC ${memory.earlyMb} → ${memory.lateMb} MB`,
      met: memory.flat,
    },
  ];

  say('\n## Throughput (same run, same machine)\n');
  say(loadTable([ceilingRow, ...results]));
  say(`\n${ceilingNote(ceilings)}`);
  say(
    `First-token row: each request is a service's first (${FIRST_TOKEN_SECONDS} s, out of ${FIRST_TOKEN_CLIENTS} services that never had a token).`,
  );
  const written = (rows: ListAddsWritten): string =>
    `${rows.calls} calls (warm-up included), ${rows.members} members and ${rows.activities} Add to List activities written`;
  say(
    `Add to List rows: each call ${LIST_BATCH} leads new to its list (${LISTS - 1} lists × ${LIST_BLOCKS.length} blocks); ` +
      `fake-marketo ${written(listAddRows.fake)}; minimal route ${written(listAddRows.minimal)}` +
      (listAddRows.before ? `; the build before ${written(listAddRows.before)}.` : '.'),
  );
  say(
    `Get Leads by List rows: the ${listPages.length} pages of ${LIST_PAGE} (first and token pages) of ${MEMBER_LIST_SIZES.length} lists ` +
      `of ${MEMBER_LIST_SIZES.join(', ')} members, in turn.`,
  );
  const made = (rows: FoldersWritten): string => `${rows.calls} calls (warm-up included), ${rows.folders} folders made`;
  say(
    `Create Folder rows: each call a new name, in ${fixture.folderParentIds.length} parents in turn; ` +
      `fake-marketo ${made(folderRows.fake)}; minimal route ${made(folderRows.minimal)}.`,
  );
  const cars = (rows: { calls: number; created: number }): string =>
    `${rows.calls} calls (warm-up included), ${rows.created} cars created`;
  say(
    `Custom object rows: ${CAR_RECORDS} cars of type ${BENCH_CUSTOM_OBJECT}; each sync ${CAR_UPDATES} updates and ` +
      `${CAR_BATCH - CAR_UPDATES} new cars; fake-marketo ${cars(carRows.fake)}; minimal route ${cars(carRows.minimal)}.`,
  );
  if (before) {
    say(`\n## Side by side with the build before (${BEFORE_MAIN}), ${BEFORE_ROUNDS} rounds each, alternately\n`);
    const perRound = (values: number[]): string => values.join(' / ');
    say(
      markdownTable(
        ['scenario', 'req/s', 'req/s before', 'server CPU µs/req', 'CPU µs/req before', '÷ before', 'median'],
        sideBySide.map((row) => [
          row.name,
          perRound(row.rps),
          perRound(row.beforeRps),
          perRound(row.cpuUsPerRequest),
          perRound(row.beforeCpuUsPerRequest),
          row.ratios.map((ratio) => ratio.toFixed(2)).join(' / '),
          `${row.median.toFixed(2)}×`,
        ]),
      ),
    );
    say(
      `\nLoad average at the end: ${loadavg()
        .map((load) => load.toFixed(2))
        .join(', ')}.`,
    );
  }
  say('\n## Start, reset, memory\n');
  say(
    markdownTable(
      ['measure', 'value'],
      [
        [
          'cold start to first served request (CLI, in-memory)',
          `${round(median(coldStarts))} ms median, ${round(Math.max(...coldStarts))} ms max`,
        ],
        [
          'fresh in-process instance (buildApp + migrations + ready)',
          `${fresh.medianMs} ms median, p95 ${fresh.p95Ms} ms, first ${fresh.firstMs} ms`,
        ],
        ['POST /admin/reset, 1,000-lead seed', `${reset.medianMs} ms median, p95 ${reset.p95Ms} ms`],
        ['RSS idle (100,000 leads, file database)', mb(idleRss)],
        ['RSS under load (highest seen)', mb(loadRss)],
        [
          `heap after full GC over ${MEMORY_SECONDS} s of load (middle → last third; RSS peak)`,
          `${memory.earlyMb} → ${memory.lateMb} MB (${memory.requests} requests; RSS at most ${memory.rssPeakMb} MB)`,
        ],
        [
          `access tokens stored at the end (${servicesStored} services; ${memory.poolServices} of them renewing every 2 s)`,
          String(tokensStored),
        ],
      ],
    ),
  );
  say('\n## Budgets\n');
  say(budgetTable(checks));
  const file = writeResults('bench', {
    at: new Date().toISOString(),
    machine,
    settings: {
      connections: CONNECTIONS,
      durationSeconds: DURATION_SECONDS,
      leads: LEADS,
      firstTokenClients: FIRST_TOKEN_CLIENTS,
      lists: LISTS,
      memberLists: MEMBER_LIST_SIZES,
      listPages: listPages.length,
    },
    ceiling: { runs: ceilings, meanRps: ceilingRow.rps },
    scenarios: results,
    listAddRows,
    folderRows,
    carRows,
    customObjects: CAR_RECORDS,
    ...(before ? { sideBySide: { before: BEFORE_MAIN, rounds: BEFORE_ROUNDS, scenarios: sideBySide } } : {}),
    coldStartMs: coldStarts.map((ms) => round(ms, 1)),
    freshInstance: fresh,
    reset,
    rss: { idleBytes: idleRss, underLoadBytes: loadRss },
    memory,
    tokensStored,
    servicesStored,
    fixtureSeconds: round(fixture.seconds, 1),
    budgets: checks,
  });
  say(`\nResults: ${file}`);
  if (process.argv.includes('--check') && checks.some((check) => !check.met)) process.exitCode = 1;
}

await main();
