// What both benchmarks share: server processes, their CPU and memory as the kernel counts them, autocannon runs,
// the printed table and the budget lines.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

/** The package root, from dist/bench/ (built) or bench/ (tsx). */
export const ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!safeRead(join(dir, 'package.json'))?.includes('"name": "fake-marketo"')) dir = dirname(dir);
  return dir;
})();
export const RESULTS_DIR = join(ROOT, 'bench', 'results');
/** The CLI as the package's bin runs it: one bundled file (scripts/bundle.ts). */
export const FAKE_MAIN = join(ROOT, 'dist', 'fake-marketo.mjs');
export const CEILING_MAIN = join(ROOT, 'dist', 'bench', 'ceiling-server.js');
export const MINIMAL_MAIN = join(ROOT, 'dist', 'bench', 'minimal-server.js');
/** A preload that makes a full collection every few seconds (bench/full-gc.ts). */
export const FULL_GC_PRELOAD = join(ROOT, 'dist', 'bench', 'full-gc.js');

/** Seconds each load scenario runs (BENCH_DURATION), with a short unrecorded warm-up first. */
export const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
export const WARMUP_SECONDS = Math.min(2, DURATION_SECONDS);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

// Linux counts CPU in clock ticks of 1/100 s (getconf CLK_TCK).
const TICK_MS = 10;

/** CPU milliseconds (user + system) the process has used so far, from /proc. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Resident set size in bytes, from /proc. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  return Number(kb ?? 0) * 1024;
}

export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface StartServerOptions {
  name: string;
  args: string[];
  port: number;
  env?: Record<string, string>;
  /** A path that answers once the server is up. */
  readyPath: string;
  logFile: string;
  /** How often to ask readyPath until it answers (default 25 ms); a timed start asks more often. */
  pollMs?: number;
}

/** Starts a server process (output to a log file, so the load generator never reads it) and waits until it answers. */
export async function startServer(options: StartServerOptions): Promise<ServerProcess> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = openSync(options.logFile, 'w');
  const child = spawn(process.execPath, options.args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const url = `http://127.0.0.1:${options.port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`${options.name} exited at start; see ${options.logFile}`);
    try {
      await fetch(url + options.readyPath);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${options.name} did not answer within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 25));
    }
  }
  return {
    name: options.name,
    url,
    pid: child.pid!,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The bare Fastify hello-world, on a free port. */
export async function startCeiling(logFile: string): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({ name: 'ceiling', args: [CEILING_MAIN, String(port)], port, readyPath: '/hello', logFile });
}

/** The minimal hand-written lead route (bench/minimal-server.ts) over its own copy of the database. */
/** For profiling the minimal routes beside the fake (run.ts's BENCH_FAKE_NODE_FLAGS): Node flags for its process. */
const MINIMAL_NODE_FLAGS = (process.env.BENCH_MINIMAL_NODE_FLAGS ?? '').split(' ').filter(Boolean);

export async function startMinimal(dbFile: string, token: string, logFile: string): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({
    name: 'minimal route',
    args: [...MINIMAL_NODE_FLAGS, MINIMAL_MAIN, dbFile, String(port), token],
    port,
    readyPath: '/',
    logFile,
  });
}

/**
 * A second build of the fake to run side by side with this one (BENCH_BEFORE: the path of its bundled CLI, e.g.
 * another checkout's `dist/fake-marketo.mjs`), or undefined.
 */
export const BEFORE_MAIN = process.env.BENCH_BEFORE || undefined;
/** How many times each side-by-side scenario runs on each build, alternately (BENCH_BEFORE_ROUNDS). */
export const BEFORE_ROUNDS = BEFORE_MAIN ? Math.max(1, Number(process.env.BENCH_BEFORE_ROUNDS ?? 2)) : 0;

/** The fake's CLI (`dist/fake-marketo.mjs`, or `main`) on a free loopback port, with the given flags. */
export async function startFake(
  name: string,
  flags: string[],
  logFile: string,
  nodeFlags: string[] = [],
  main: string = FAKE_MAIN,
): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({
    name,
    args: [...nodeFlags, main, ...flags, '--host', '127.0.0.1', '--port', String(port)],
    port,
    readyPath: '/openapi.json',
    logFile,
  });
}

/** A Sync Leads body: createOrUpdate by email, half existing leads and half new ones. */
let syncBatches = 0;

/**
 * Half updates, half creates. Each batch gives its updated leads a title no batch gave before, so every update
 * changes a value and writes a Change Data Value activity, as a real sync of changed records does.
 */
export function syncBatchBody(size: number, existingEmail: () => string, newEmail: () => string): string {
  const title = `Staff Engineer ${++syncBatches}`;
  return JSON.stringify({
    action: 'createOrUpdate',
    lookupField: 'email',
    input: [
      ...Array.from({ length: size / 2 }, () => ({ email: existingEmail(), title })),
      ...Array.from({ length: size / 2 }, () => ({ email: newEmail(), firstName: 'New' })),
    ],
  });
}

export interface LoadScenario {
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Rewrites each request (a different lead id, a new batch of records). */
  setupRequest?: (request: autocannon.Request) => autocannon.Request;
  /** Seconds to run, when not DURATION_SECONDS (each first-token request uses up a client). */
  durationSeconds?: number;
  connections?: number;
  /** The server to drive, when not the fake (the minimal reference route, the build before). */
  target?: ServerProcess;
  /**
   * false: no ceiling run right after this scenario; its ratio uses the ceiling runs around the group of scenarios
   * it belongs to (runs of one scenario on two builds, back to back).
   */
  ceilingAfter?: boolean;
}

export interface LoadResult {
  name: string;
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU (user + system) per request, in microseconds. */
  cpuUsPerRequest: number;
  /** Highest server RSS seen during the run, in bytes. */
  rssMaxBytes: number;
  /** Responses that were not HTTP 2xx, plus socket errors and timeouts. */
  failures: number;
  ratio?: number;
}

function cannon(url: string, scenario: LoadScenario, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections: scenario.connections ?? CONNECTIONS,
    pipelining: 1,
    duration,
    requests: [
      {
        method: scenario.method ?? 'GET',
        path: scenario.path,
        ...(scenario.headers ? { headers: scenario.headers } : {}),
        ...(scenario.body !== undefined ? { body: scenario.body } : {}),
        ...(scenario.setupRequest ? { setupRequest: scenario.setupRequest } : {}),
      },
    ],
  });
}

/** Drives one scenario against a server process and reads the server's CPU and memory around it. */
export async function runLoad(server: ServerProcess, scenario: LoadScenario): Promise<LoadResult> {
  // A duration, not an amount of requests: autocannon's own start and finish would weigh on a short run.
  await cannon(server.url, scenario, WARMUP_SECONDS);
  let rssMax = rssBytes(server.pid);
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssBytes(server.pid))), 200);
  const cpuBefore = cpuMs(server.pid);
  const started = performance.now();
  const result = await cannon(server.url, scenario, scenario.durationSeconds ?? DURATION_SECONDS);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuMs(server.pid) - cpuBefore;
  clearInterval(sampler);
  rssMax = Math.max(rssMax, rssBytes(server.pid));
  const requests = result.requests.total;
  return {
    name: scenario.name,
    requests,
    seconds: round(seconds, 2),
    rps: Math.round(requests / seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuUsPerRequest: requests > 0 ? Math.round((cpu * 1000) / requests) : 0,
    rssMaxBytes: rssMax,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** The ceiling, run by itself (a bare Fastify hello-world). */
export function ceilingRun(server: ServerProcess): Promise<LoadResult> {
  return runLoad(server, { name: 'bare Fastify hello-world (ceiling)', path: '/hello' });
}

/**
 * Runs each scenario with a ceiling run before the first and after each (the machine's speed drifts over minutes
 * on shared cores), and sets each scenario's ratio from the two ceiling runs around it; a group of scenarios that
 * say `ceilingAfter: false` (but its last) shares the ceiling runs around the group.
 */
export async function runBesideCeiling(
  fake: ServerProcess,
  ceiling: ServerProcess,
  scenarios: LoadScenario[],
  say: (line: string) => void,
): Promise<{ results: LoadResult[]; ceilings: LoadResult[]; ceilingRow: LoadResult }> {
  say('Load: ceiling…');
  const ceilings = [await ceilingRun(ceiling)];
  const results: LoadResult[] = [];
  let group: LoadResult[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    const ceilingAfter = scenario.ceilingAfter !== false || index === scenarios.length - 1;
    say(`Load: ${scenario.name}…${ceilingAfter ? ' then the ceiling again' : ''}`);
    const result = await runLoad(scenario.target ?? fake, scenario);
    results.push(result);
    group.push(result);
    if (!ceilingAfter) continue;
    const before = ceilings.at(-1)!;
    ceilings.push(await ceilingRun(ceiling));
    for (const run of group) run.ratio = run.rps / ((before.rps + ceilings.at(-1)!.rps) / 2);
    group = [];
  }
  const mean = (pick: (run: LoadResult) => number) =>
    Math.round(ceilings.reduce((sum, run) => sum + pick(run), 0) / ceilings.length);
  const ceilingRow = {
    ...ceilings[0]!,
    rps: mean((run) => run.rps),
    cpuUsPerRequest: mean((run) => run.cpuUsPerRequest),
    ratio: 1,
  };
  return { results, ceilings, ceilingRow };
}

export function ceilingNote(ceilings: LoadResult[]): string {
  return (
    `Ceiling runs, before the first scenario and after each (or each group of side-by-side runs): ${ceilings.map((run) => run.rps).join(', ')} req/s; ` +
    'each ratio uses the two runs around its scenario or group (the ceiling row shows their mean).'
  );
}

export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const mb = (bytes: number): string => `${round(bytes / 1024 / 1024, 1)} MB`;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A Markdown table: readable in a terminal, and pasted as is into the README. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const lines = [header, header.map(() => '---'), ...rows.map((row) => row.map(String))];
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function loadTable(results: LoadResult[]): string {
  return markdownTable(
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', '× ceiling', 'non-2xx/errors'],
    results.map((r) => [
      r.name,
      r.rps,
      r.p50Ms,
      r.p99Ms,
      r.cpuUsPerRequest,
      r.ratio === undefined ? '1.00' : r.ratio.toFixed(2),
      r.failures,
    ]),
  );
}

export interface BudgetCheck {
  budget: string;
  measured: string;
  met: boolean;
}

export function budgetTable(checks: BudgetCheck[]): string {
  return markdownTable(
    ['budget', 'measured', 'verdict'],
    checks.map((check) => [check.budget, check.measured, check.met ? 'met' : '**MISSED**']),
  );
}

export interface MachineInfo {
  node: string;
  cpus: string;
  cores: number;
  platform: string;
}

export async function machineInfo(): Promise<MachineInfo> {
  const os = await import('node:os');
  return {
    node: process.version,
    cpus: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    platform: os.platform(),
  };
}

/**
 * Writes the run's numbers as JSON under bench/results/ (ignored by git), also as `<kind>-latest.json`, with the
 * report printed so far (its tables): `npm run performance:readme` puts each bench's latest report in README.
 */
export function writeResults(kind: string, data: object): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(RESULTS_DIR, `${kind}-${stamp}.json`);
  const text = `${JSON.stringify({ ...data, report: printed.join('\n') }, null, 2)}\n`;
  writeFileSync(file, text);
  writeFileSync(join(RESULTS_DIR, `${kind}-latest.json`), text);
  return file;
}

/** Checks one request before the load, so a table never reports the speed of the wrong answer. */
export async function expectMarketoAnswer(
  url: string,
  init: RequestInit,
  expected: { success: true } | { errorCode: string },
): Promise<void> {
  const response = await fetch(url, init);
  const text = await response.text();
  const body = JSON.parse(text) as { success?: boolean; errors?: { code: string }[] };
  const ok =
    'errorCode' in expected
      ? body.success === false && body.errors?.[0]?.code === expected.errorCode
      : body.success === true;
  if (response.status !== 200 || !ok) {
    throw new Error(`pre-flight ${init.method ?? 'GET'} ${url}: expected ${JSON.stringify(expected)}, got ${text}`);
  }
}

/** What the bench printed, for its results file. */
const printed: string[] = [];

export const say = (line: string): void => {
  printed.push(line);
  process.stdout.write(`${line}\n`);
};

export function tokenQuery(client: { clientId: string; clientSecret: string }): string {
  return `/identity/oauth/token?grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.clientSecret}`;
}

export async function accessToken(url: string, client: { clientId: string; clientSecret: string }): Promise<string> {
  const response = await fetch(url + tokenQuery(client));
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token for ${client.clientId}: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** Cycles through precomputed values, so the load generator spends nothing per request choosing one. */
export function cycle<T>(values: T[], start = 0): () => T {
  let i = start;
  return () => values[i++ % values.length]!;
}

export function shuffled(count: number, keep: (n: number) => boolean): number[] {
  const values: number[] = [];
  for (let n = 1; n <= count; n++) if (keep(n)) values.push(n);
  let seed = 42;
  for (let i = values.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}
