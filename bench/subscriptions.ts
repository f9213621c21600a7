// `npm run bench:subscriptions`: many subscriptions in one server (issue 32). In this process: the time a new
// subscription takes (with every family, and with 300 synthetic routes more), and the memory of 1,000 idle ones. Over
// a server process: the CLI's cold start, and 16 subscriptions driven in parallel — every answer checked to come from
// its own subscription's state, and each one's throughput beside its share of a single subscription's.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { z } from 'zod';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { FAMILIES } from '../src/families.js';
import { type AnyFamily, defineFamily } from '../src/family.js';
import {
  type BudgetCheck,
  budgetTable,
  DURATION_SECONDS,
  FAKE_MAIN,
  freePort,
  machineInfo,
  markdownTable,
  mb,
  median,
  percentile,
  RESULTS_DIR,
  round,
  say,
  startServer,
  type ServerProcess,
  writeResults,
} from './support.js';

const CREATIONS = Number(process.env.BENCH_SUBSCRIPTIONS_CREATIONS ?? 200);
const IDLE = Number(process.env.BENCH_SUBSCRIPTIONS_IDLE ?? 1000);
const PARALLEL = 16;
const COLD_STARTS = 5;

/** A family of `count` Marketo GET routes that do nothing: what 300 more operations cost a start and a subscription. */
function syntheticRoutes(count: number) {
  return defineFamily({
    key: 'synthetic',
    tables: [],
    wireFormat: 'lead-database',
    repository: () => ({}),
    marketoRoutes: async (app) => {
      for (let n = 0; n < count; n++) {
        app.get(
          `/rest/v1/synthetic/op${n}.json`,
          { config: { permissions: ['read-only-lead'] }, schema: { response: { 200: z.object({}) } } },
          async () => ({}),
        );
      }
    },
  });
}

interface CreationTiming {
  build: string;
  buildAppMs: number;
  medianMs: number;
  p95Ms: number;
}

/** Times `CREATIONS` subscriptions made one after another on one app (each deleted after), after a warm-up. */
async function creationTimes(build: string, families: readonly AnyFamily[] = FAMILIES): Promise<CreationTiming> {
  const started = performance.now();
  const app = await buildApp({ config: testConfig(), families });
  await app.ready();
  const buildAppMs = performance.now() - started;
  for (let n = 0; n < 10; n++) app.subscriptions.delete(app.subscriptions.create({}).munchkinId);
  const times: number[] = [];
  for (let n = 0; n < CREATIONS; n++) {
    const begin = performance.now();
    const ctx = app.subscriptions.create({});
    times.push(performance.now() - begin);
    app.subscriptions.delete(ctx.munchkinId);
  }
  await app.close();
  return {
    build,
    buildAppMs: round(buildAppMs, 1),
    medianMs: round(median(times), 2),
    p95Ms: round(percentile(times, 95), 2),
  };
}

/** The process's RSS with `IDLE` subscriptions held (after a full collection when --expose-gc allows one). */
async function idleMemory(): Promise<{ before: number; after: number }> {
  const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const app = await buildApp({ config: testConfig() });
  await app.ready();
  collect();
  const before = process.memoryUsage().rss;
  for (let n = 0; n < IDLE; n++) app.subscriptions.create({});
  collect();
  const after = process.memoryUsage().rss;
  await app.close();
  // The 1,000 subscriptions' garbage collected here, not on the other core while the next measurement (the CLI's
  // cold start) runs.
  collect();
  return { before, after };
}

/** Milliseconds from spawning the CLI to its first answer of /health, the median of a few starts. */
async function coldStart(): Promise<number> {
  const times: number[] = [];
  for (let n = 0; n < COLD_STARTS; n++) {
    const port = await freePort();
    const begin = performance.now();
    const server = await startServer({
      name: 'fake',
      args: [FAKE_MAIN, '--memory', '--host', '127.0.0.1', '--port', String(port)],
      port,
      readyPath: '/health',
      logFile: join(RESULTS_DIR, 'subscriptions-cold-start.log'),
      // Asked every 25 ms, a start would read up to 25 ms late.
      pollMs: 2,
    });
    times.push(performance.now() - begin);
    await server.stop();
  }
  return median(times);
}

interface Tenant {
  munchkinId: string;
  token: string;
  email: string;
}

async function json(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  return (await (await fetch(url, init)).json()) as Record<string, unknown>;
}

/** A subscription of its own with its demo service and one lead (id 1 in every subscription, its email its own). */
async function tenant(server: ServerProcess, n: number): Promise<Tenant> {
  const created = (await json(`${server.url}/admin/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  })) as { munchkinId: string; baseUrl: string; demo: { clientId: string; clientSecret: string } };
  const base = `${server.url}/${created.munchkinId}`;
  const issued = await json(
    `${base}/identity/oauth/token?grant_type=client_credentials&client_id=${created.demo.clientId}&client_secret=${created.demo.clientSecret}`,
  );
  const token = String(issued.access_token);
  const email = `tenant-${n}@bench.test`;
  const synced = await json(`${base}/rest/v1/leads.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ input: [{ email }] }),
  });
  if (synced.success !== true) throw new Error(`lead sync failed in ${created.munchkinId}: ${JSON.stringify(synced)}`);
  return { munchkinId: created.munchkinId, token, email };
}

interface Drive {
  requests: number;
  foreign: number;
  failures: number;
}

/** Drives GET lead 1 of `tenant` on `connections` connections; counts answers naming another subscription's lead. */
async function drive(server: ServerProcess, tenant: Tenant, connections: number, seconds: number): Promise<Drive> {
  let foreign = 0;
  const result = await autocannon({
    url: server.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        path: `/${tenant.munchkinId}/rest/v1/lead/1.json?fields=email`,
        headers: { authorization: `Bearer ${tenant.token}` },
        onResponse: (_status: number, body: string) => {
          if (!body.includes(`"${tenant.email}"`)) foreign++;
        },
      },
    ],
  });
  return { requests: result.requests.total, foreign, failures: result.non2xx + result.errors + result.timeouts };
}

async function main(): Promise<void> {
  const machine = await machineInfo();
  say(`# npm run bench:subscriptions — ${new Date().toISOString()}`);
  say(
    `Node ${machine.node} on ${machine.cores} × ${machine.cpus}; load average ${loadavg()
      .map((l) => round(l, 2))
      .join(' ')}`,
  );

  // First, while this process holds nothing: the in-process measurements below leave garbage (1,000 subscriptions'
  // worth) whose collection and freeing would run on the other core beside the child being timed.
  const cold = await coldStart();

  const creations = [
    await creationTimes(`every family (${FAMILIES.length})`),
    await creationTimes(`every family + 300 synthetic routes`, [...FAMILIES, syntheticRoutes(300)]),
  ];
  say('\n## A new subscription (in memory, from the migrated template)\n');
  say(
    markdownTable(
      ['build', 'buildApp (ms)', 'new subscription, median (ms)', 'p95 (ms)'],
      creations.map((c) => [c.build, c.buildAppMs, c.medianMs, c.p95Ms]),
    ),
  );

  const memory = await idleMemory();
  say(`\n## ${IDLE} idle subscriptions\n`);
  say(
    `RSS ${mb(memory.before)} with the root alone, ${mb(memory.after)} with ${IDLE} more (${mb((memory.after - memory.before) / IDLE)} each)`,
  );

  say(`\n## Cold start of the CLI (spawn → first /health answer, median of ${COLD_STARTS}): ${round(cold)} ms`);

  const port = await freePort();
  const server = await startServer({
    name: 'fake',
    args: [FAKE_MAIN, '--memory', '--host', '127.0.0.1', '--port', String(port)],
    port,
    readyPath: '/health',
    logFile: join(RESULTS_DIR, 'subscriptions-server.log'),
  });
  let single: Drive;
  let parallel: Drive[];
  try {
    const tenants = await Promise.all(Array.from({ length: PARALLEL }, (_, n) => tenant(server, n)));
    await drive(server, tenants[0]!, PARALLEL, 2);
    single = await drive(server, tenants[0]!, PARALLEL, DURATION_SECONDS);
    parallel = await Promise.all(tenants.map((t) => drive(server, t, 1, DURATION_SECONDS)));
  } finally {
    await server.stop();
  }
  const share = single.requests / PARALLEL;
  const perTenant = parallel.map((d) => d.requests);
  const foreign = parallel.reduce((sum, d) => sum + d.foreign, 0) + single.foreign;
  const failures = parallel.reduce((sum, d) => sum + d.failures, 0) + single.failures;
  say(
    `\n## ${PARALLEL} subscriptions driven in parallel for ${DURATION_SECONDS} s (GET lead 1, one connection each)\n`,
  );
  say(
    markdownTable(
      ['run', 'requests', 'per subscription (min / median)', 'answers from another subscription', 'failures'],
      [
        [
          `one subscription, ${PARALLEL} connections`,
          single.requests,
          `${round(share)} (its share)`,
          single.foreign,
          single.failures,
        ],
        [
          `${PARALLEL} subscriptions`,
          perTenant.reduce((a, b) => a + b, 0),
          `${Math.min(...perTenant)} / ${round(median(perTenant))}`,
          foreign - single.foreign,
          failures - single.failures,
        ],
      ],
    ),
  );

  const checks: BudgetCheck[] = [
    {
      budget: 'a new subscription, every family: < 5 ms median',
      measured: `${creations[0]!.medianMs} ms`,
      met: creations[0]!.medianMs < 5,
    },
    {
      budget: 'with 300 routes more: < 5 ms median, within 20% of every family alone',
      measured: `${creations[1]!.medianMs} ms`,
      met: creations[1]!.medianMs < 5 && creations[1]!.medianMs <= creations[0]!.medianMs * 1.2,
    },
    { budget: `${IDLE} idle subscriptions: < 1 GB RSS`, measured: mb(memory.after), met: memory.after < 1024 ** 3 },
    { budget: 'cold start of the CLI: < 300 ms', measured: `${round(cold)} ms`, met: cold < 300 },
    {
      budget: 'answers from another subscription, or failed: none',
      measured: `${foreign} from another, ${failures} failed`,
      met: foreign === 0 && failures === 0,
    },
    {
      budget: 'throughput per subscription ≥ 0.90× its share of one',
      measured: `${round(median(perTenant) / share, 2)}×`,
      met: median(perTenant) >= 0.9 * share,
    },
  ];
  say('\n## Budgets\n');
  say(budgetTable(checks));
  const file = writeResults('subscriptions', {
    machine,
    creations,
    memory,
    coldStartMs: cold,
    single,
    parallel,
    checks,
  });
  say(`\nResults: ${file}`);
  if (checks.some((check) => !check.met)) process.exitCode = 1;
}

void main();
