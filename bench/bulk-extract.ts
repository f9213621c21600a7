// Bulk extract at scale (issue 24), for `npm run bench:scale`: a 1,000,000-lead CSV export of 10 fields and an
// export of 1,000,000 activities, each timed from enqueue to the last byte of its file, against Debian's `sqlite3
// -csv` writing the same rows and columns from the same database file; the fake's RSS sampled throughout.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { ACTIVITY_SPAN_MS } from './fixture.js';
import { type BudgetCheck, cpuMs, mb, round, rssBytes, type ServerProcess } from './support.js';

const RSS_BUDGET_BYTES = 300 * 1024 * 1024;
/** The export's bytes per second against sqlite3's (issue 24's budget). */
const MIN_RATIO = 0.5;
/** The activity export holds this many of the fixture's activities (its date window is cut to them). */
export const EXPORTED_ACTIVITIES = 1_000_000;

/** The ten lead fields of the export, and the same columns as sqlite3 selects them. */
const LEAD_FIELDS = [
  'id',
  'email',
  'firstName',
  'lastName',
  'company',
  'title',
  'phone',
  'leadPartitionId',
  'createdAt',
  'updatedAt',
];
const ISO = (column: string) => `strftime('%Y-%m-%dT%H:%M:%SZ', ${column} / 1000, 'unixepoch')`;
const json = (name: string) => `json_extract(fields, '$.${name}')`;
const LEAD_COLUMNS_SQL = [
  'id',
  'email',
  json('firstName'),
  json('lastName'),
  json('company'),
  json('title'),
  json('phone'),
  'partition_id',
  ISO('created_at'),
  ISO('updated_at'),
];
/** The eight default columns of an activity export, as sqlite3 selects them. */
const ACTIVITY_COLUMNS_SQL = [
  'CAST(a.id AS TEXT)',
  'a.lead_id',
  ISO('a.activity_date'),
  'a.type_id',
  'a.campaign_id',
  'a.primary_value_id',
  'a.primary_value',
  `coalesce((SELECT json_group_object(j.value ->> 'name', json(j.value -> 'value')) FROM json_each(a.attributes) AS j), '{}')`,
];

export interface ExportWindows {
  /** When the fixture's leads were created (the bench's leads before and after it are outside). */
  leads: { startAt: number; endAt: number };
  /** The first EXPORTED_ACTIVITIES activities of the fixture's log (spread evenly over ACTIVITY_SPAN_MS). */
  activities: { startAt: number; endAt: number };
}

export function exportWindows(
  fixture: { leadsFrom: number; leadsTo: number; activitiesFrom: number },
  activities: number,
) {
  const step = ACTIVITY_SPAN_MS / activities;
  const exported = Math.min(EXPORTED_ACTIVITIES, activities);
  return {
    leads: { startAt: fixture.leadsFrom, endAt: fixture.leadsTo },
    activities: { startAt: fixture.activitiesFrom, endAt: fixture.activitiesFrom + Math.floor(exported * step) - 1 },
    exportedActivities: exported,
  };
}

export interface SqliteRun {
  rows: number;
  bytes: number;
  seconds: number;
  /** CPU seconds (user + system) it used: the comparison that holds on a machine other work shares. */
  cpuSeconds: number;
}

// Linux counts CPU in clock ticks of 1/100 s (getconf CLK_TCK), as support.ts's cpuMs does.
const TICK_SECONDS = 0.01;

/**
 * `sqlite3 -csv -header <file> <sql>`, its output counted as it comes (never held), timed; run by a shell that then
 * prints its own /proc stat, whose cutime and cstime are the CPU sqlite3 used.
 */
export function sqliteCsv(dbFile: string, sql: string): Promise<SqliteRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const script = 'sqlite3 -csv -header "$1" "$2"; status=$?; cat /proc/$$/stat >&2; exit $status';
    const child = spawn('sh', ['-c', script, 'sh', dbFile, sql], { stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let lines = 0;
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`sqlite3 exited with ${code}: ${errors}`));
      const stat = errors.trim().split('\n').at(-1)!;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpuSeconds = (Number(fields[13]) + Number(fields[14])) * TICK_SECONDS;
      resolve({ rows: lines - 1, bytes, seconds: (performance.now() - started) / 1000, cpuSeconds });
    });
  });
}

/** Debian's sqlite3 must be on PATH (`apt-get install sqlite3`): the comparison needs it. */
export function sqliteVersion(): string {
  const found = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' });
  if (found.status !== 0) throw new Error('sqlite3 is not on PATH: install it (Debian: apt-get install sqlite3)');
  return found.stdout.trim().split(' ')[0]!;
}

/** The baselines, run while no server holds the file (the fake locks it exclusively). */
export async function sqliteBaselines(dbFile: string, windows: ExportWindows) {
  const leads = await sqliteCsv(
    dbFile,
    `SELECT ${LEAD_COLUMNS_SQL.join(', ')} FROM leads
     WHERE created_at BETWEEN ${windows.leads.startAt} AND ${windows.leads.endAt} ORDER BY id`,
  );
  const activities = await sqliteCsv(
    dbFile,
    `SELECT ${ACTIVITY_COLUMNS_SQL.join(', ')} FROM activities AS a
     WHERE a.activity_date BETWEEN ${windows.activities.startAt} AND ${windows.activities.endAt} AND a.type_id <> 37
     ORDER BY a.activity_date, a.id`,
  );
  return { leads, activities };
}

export interface ExportRun {
  name: string;
  records: number;
  bytes: number;
  /** Enqueue to Completed: the file written. */
  writeSeconds: number;
  /** The file's download, first byte asked to last byte read. */
  downloadSeconds: number;
  totalSeconds: number;
  bytesPerSecond: number;
  rssMaxBytes: number;
  /** The fake's CPU seconds from enqueue to the last byte (its status answers and the download included). */
  cpuSeconds: number;
  sqlite: SqliteRun;
  /** Bytes per second against sqlite3's (the budget). */
  ratio: number;
  /** Bytes per CPU second against sqlite3's. */
  cpuRatio: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** One export through the API, as a client runs it: create, enqueue, poll status, download the file. */
async function timedExport(
  fake: ServerProcess,
  auth: Record<string, string>,
  name: string,
  entity: 'leads' | 'activities',
  body: object,
  sqlite: SqliteRun,
): Promise<ExportRun> {
  let rssMax = rssBytes(fake.pid);
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssBytes(fake.pid))), 20);
  const call = async (method: 'GET' | 'POST', path: string, payload?: object) => {
    const response = await fetch(`${fake.url}/bulk/v1/${entity}/export${path}`, {
      method,
      headers: { ...auth, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { body: JSON.stringify(payload) } : {}),
    });
    const answer = (await response.json()) as { success: boolean; result?: Record<string, unknown>[] };
    if (!answer.success) throw new Error(`${method} ${entity}/export${path}: ${JSON.stringify(answer)}`);
    return answer.result![0]!;
  };
  try {
    const started = performance.now();
    const cpuBefore = cpuMs(fake.pid);
    const exportId = (await call('POST', '/create.json', body)).exportId as string;
    await call('POST', `/${exportId}/enqueue.json`);
    let status: Record<string, unknown>;
    for (;;) {
      status = await call('GET', `/${exportId}/status.json`);
      if (status.status === 'Completed') break;
      if (status.status !== 'Queued' && status.status !== 'Processing') {
        throw new Error(`${name}: the job is ${JSON.stringify(status)}`);
      }
      // Clients poll every few seconds (tap-marketo); a tenth of a second keeps the wait short and the calls few.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const written = performance.now();
    const response = await fetch(`${fake.url}/bulk/v1/${entity}/export/${exportId}/file.json`, { headers: auth });
    if (response.status !== 200 || !response.body) throw new Error(`${name}: the file answered ${response.status}`);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      hash.update(chunk);
    }
    const done = performance.now();
    const cpuSeconds = (cpuMs(fake.pid) - cpuBefore) / 1000;
    if (bytes !== status.fileSize || `sha256:${hash.digest('hex')}` !== status.fileChecksum) {
      throw new Error(`${name}: ${bytes} bytes downloaded, the status says ${JSON.stringify(status)}`);
    }
    if (status.numberOfRecords !== sqlite.rows) {
      throw new Error(`${name}: ${String(status.numberOfRecords)} records, sqlite3 wrote ${sqlite.rows}`);
    }
    const totalSeconds = (done - started) / 1000;
    const bytesPerSecond = bytes / totalSeconds;
    return {
      name,
      records: status.numberOfRecords as number,
      bytes,
      writeSeconds: round((written - started) / 1000, 2),
      downloadSeconds: round((done - written) / 1000, 2),
      totalSeconds: round(totalSeconds, 2),
      bytesPerSecond: Math.round(bytesPerSecond),
      rssMaxBytes: rssMax,
      cpuSeconds: round(cpuSeconds, 2),
      sqlite,
      ratio: round(bytesPerSecond / (sqlite.bytes / sqlite.seconds), 2),
      cpuRatio: round(bytes / cpuSeconds / (sqlite.bytes / sqlite.cpuSeconds), 2),
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Both exports, one after the other, on the running fake. */
export async function bulkExports(
  fake: ServerProcess,
  auth: Record<string, string>,
  windows: ExportWindows,
  baselines: { leads: SqliteRun; activities: SqliteRun },
): Promise<ExportRun[]> {
  const leads = await timedExport(
    fake,
    auth,
    `lead export (${baselines.leads.rows.toLocaleString('en-US')} leads, 10 fields, CSV)`,
    'leads',
    {
      fields: LEAD_FIELDS,
      format: 'CSV',
      filter: { createdAt: { startAt: iso(windows.leads.startAt), endAt: iso(windows.leads.endAt) } },
    },
    baselines.leads,
  );
  const activities = await timedExport(
    fake,
    auth,
    `activity export (${baselines.activities.rows.toLocaleString('en-US')} activities, default columns, CSV)`,
    'activities',
    {
      format: 'CSV',
      filter: { createdAt: { startAt: iso(windows.activities.startAt), endAt: iso(windows.activities.endAt) } },
    },
    baselines.activities,
  );
  return [leads, activities];
}

export function exportRows(runs: ExportRun[]): (string | number)[][] {
  return runs.map((run) => [
    run.name,
    `${round(run.bytes / 1e6, 1)} MB`,
    run.writeSeconds,
    run.downloadSeconds,
    `${round(run.bytesPerSecond / 1e6, 1)} MB/s`,
    `${round(run.sqlite.bytes / run.sqlite.seconds / 1e6, 1)} MB/s (${round(run.sqlite.seconds, 2)} s)`,
    `${run.ratio}×`,
    `${run.cpuSeconds} s against ${round(run.sqlite.cpuSeconds, 2)} s: ${run.cpuRatio}×`,
    mb(run.rssMaxBytes),
  ]);
}

export const EXPORT_TABLE_HEADER = [
  'export',
  'file',
  'enqueue → Completed, s',
  'download, s',
  'bytes/s, enqueue → last byte',
  'sqlite3 -csv, same rows',
  'ratio',
  'CPU (fake, sqlite3): bytes per CPU second',
  'fake RSS, highest',
];

/**
 * The budget is by bytes per second of wall-clock time; on a machine other work shares, the two programs get
 * different shares of it, so the same ratio by CPU second is checked beside it.
 */
export function exportBudgets(runs: ExportRun[]): BudgetCheck[] {
  return runs.flatMap((run) => [
    {
      budget: `${run.name}: ≥ ${MIN_RATIO}× the bytes/s of sqlite3 -csv`,
      measured: `${run.ratio}× (${round(run.bytesPerSecond / 1e6, 1)} against ${round(run.sqlite.bytes / run.sqlite.seconds / 1e6, 1)} MB/s)`,
      met: run.ratio >= MIN_RATIO,
    },
    {
      budget: `${run.name}: ≥ ${MIN_RATIO}× the bytes per CPU second of sqlite3 -csv`,
      measured: `${run.cpuRatio}× (${run.cpuSeconds} s of the fake's CPU against ${round(run.sqlite.cpuSeconds, 2)} s)`,
      met: run.cpuRatio >= MIN_RATIO,
    },
    {
      budget: `${run.name}: RSS < 300 MB`,
      measured: mb(run.rssMaxBytes),
      met: run.rssMaxBytes < RSS_BUDGET_BYTES,
    },
  ]);
}
