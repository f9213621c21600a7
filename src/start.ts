import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { AppContext } from './context.js';
import { plainMessage, valueAt } from './domain/validation-wording.js';
import { buildApp } from './app.js';
import { AdjustableClock } from './clock.js';
import { checkConfig, type Config, ConfigError, inProcessDefaults } from './config.js';
import type { JournalEntry, JournalFilter } from './domain/journal.js';
import { formatPath } from './domain/seed.js';
import { stubInputSchema } from './domain/stub-schema.js';
import { isRefusal, type Stub, type StubInput } from './domain/stubs.js';
import { type UnmatchedRequest, unmatchedRequests } from './domain/unmatched.js';
import { type ExpectedCount, type VerifyFilter, verifyJournal } from './domain/verify.js';
import { closeWithLeastPrivilegeCheck } from './least-privilege.js';
import { DEMO_SERVICE_NAME, resetToBaseline } from './lifecycle.js';
import { readSeedFile, type SeedInput } from './seed.js';

export interface StartOptions {
  /** The subscription: a seed document, or the path of a YAML/JSON seed file. Default: the demo service only. */
  seed?: SeedInput | string;
  /** A server of its own on this port (default: a subscription on the process's shared server, on a free port). */
  port?: number;
  /** A server of its own on this address; any but a loopback one needs config.ADMIN_TOKEN. */
  host?: string;
  /**
   * A directory of stub files (`*.json`, `*.yaml`), loaded at start and on every reset; POST /admin/stubs/save
   * writes there (the STUBS_DIR setting).
   */
  stubsDir?: string;
  /**
   * Any setting of the command line, by its variable name (README, Configuration), checked as the CLI checks it.
   * A server-wide one (HOST, PORT, DATABASE_PATH, ADMIN_TOKEN, LOG_LEVEL, RESPONSE_CHECKS, MUNCHKIN_ID, SEED_FILE)
   * gives the subscription a server of its own; the others (RATE_LIMITS, TOKEN_TTL_SECONDS, POD, …) are the
   * subscription's. DATABASE_PATH defaults to :memory:, LOG_LEVEL to silent, PORT to 0.
   */
  config?: Partial<Config>;
}

/** Settings that shape a server, not a subscription: naming one starts a server of its own. */
const SERVER_SETTINGS: ReadonlySet<string> = new Set([
  'HOST',
  'PORT',
  'DATABASE_PATH',
  'ADMIN_TOKEN',
  'SEED_FILE',
  'LOG_LEVEL',
  'RESPONSE_CHECKS',
  'MUNCHKIN_ID',
]);

/** The options startFakeMarketo takes (README documents each). */
export const START_OPTIONS = ['seed', 'port', 'host', 'stubsDir', 'config'];

/**
 * The settings of an instance started in code: the options are checked, and the settings go through the schema
 * the command line uses, with its messages (a ConfigError).
 */
export function startConfig(options: StartOptions): Config {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError([`options: must be an object with any of ${START_OPTIONS.join(', ')}`]);
  }
  const problems: string[] = [];
  for (const key of Object.keys(options)) {
    if (!START_OPTIONS.includes(key))
      problems.push(`${key}: is not an option (the options are ${START_OPTIONS.join(', ')})`);
  }
  const { seed, port, host, stubsDir, config } = options as Record<string, unknown>;
  if (seed !== undefined && typeof seed !== 'string' && (typeof seed !== 'object' || seed === null)) {
    problems.push('seed: must be a seed document or the path of a YAML or JSON seed file');
  }
  if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) {
    problems.push('config: must be an object of settings by variable name, e.g. { RATE_LIMITS: "marketo" }');
  }
  if (stubsDir !== undefined && typeof stubsDir !== 'string')
    problems.push('stubsDir: must be the path of a directory');
  if (problems.length > 0) throw new ConfigError(problems);
  const labels: Record<string, string> = {};
  const source: Record<string, unknown> = { ...inProcessDefaults(), PORT: 0 };
  // A setting given as undefined is not given: it keeps the default above, not the CLI's.
  for (const [key, value] of Object.entries(config ?? {})) if (value !== undefined) source[key] = value;
  if (port !== undefined) {
    source.PORT = port;
    labels.PORT = 'port';
  }
  if (host !== undefined) {
    source.HOST = host;
    labels.HOST = 'host';
  }
  if (stubsDir !== undefined) {
    source.STUBS_DIR = stubsDir;
    labels.STUBS_DIR = 'stubsDir';
  }
  return checkConfig(source, labels);
}

export interface FakeMarketo {
  /** The subscription's base URL, e.g. http://127.0.0.1:54321/123-ABC-456 (its planes are below it). */
  url: string;
  /** The same: where `/identity`, `/rest`, `/bulk`, `/userservice`, `/admin` of this subscription are. */
  baseUrl: string;
  /** The subscription's Munchkin id. */
  munchkinId: string;
  /** What Marketo calls the Identity URL: `${baseUrl}/identity`. */
  identityUrl: string;
  /** What Marketo calls the REST API endpoint: `${baseUrl}/rest`. */
  restUrl: string;
  /** The client id and secret of a custom service, by name; without a name, the demo service's (no seed given). */
  credentials(serviceName?: string): { clientId: string; clientSecret: string };
  /** Back to the seed state (data, tokens, journal, counters, faults, clock). */
  reset(): Promise<void>;
  /** Moves the subscription's clock forward (token expiry, paging tokens, quota day, jobs follow it). */
  advanceClock(seconds: number): void;
  /** The request journal, newest first (at most 8 MiB of entries, as GET /admin/requests). */
  requests(filter?: JournalFilter): JournalEntry[];
  /**
   * The requests matching `filter` (newest first) when there are as many as `expected` (default: at least one);
   * otherwise throws an Error saying what was expected and which requests came close. The filter takes the stubs'
   * matchers too: `query`, `headers`, `body` (a JSON subset), `bodyPatterns`.
   */
  verify(filter: VerifyFilter, expected?: ExpectedCount): JournalEntry[];
  /**
   * The calls no route or stub served (605, 610), newest first (at most `limit`, default 100), each with the stubs
   * that came closest and the parts of each it failed (as GET /admin/requests/unmatched).
   */
  unmatched(limit?: number): UnmatchedRequest[];
  /** Adds a stub (as POST /admin/stubs; the newest matching stub answers); removed by `reset()`. */
  stub(stub: StubInput): Stub;
  /** Removes one stub; false when there is none with that id. */
  removeStub(id: string): boolean;
  /** A call to this subscription without a socket: the path as a client would send it below the base URL. */
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** The server's Fastify instance (shared with the process's other subscriptions unless this one has its own). */
  app: FastifyInstance;
  /**
   * Removes the subscription; the process's shared server closes with its last subscription. With
   * LEAST_PRIVILEGE_CHECK=fail, rejects (a LeastPrivilegeError) when an API-only user holds permissions their calls
   * never needed.
   */
  close(): Promise<void>;
}

interface SharedServer {
  app: FastifyInstance;
  url: string;
  open: number;
}

/** The process's shared server, started by the first startFakeMarketo that needs it. */
let shared: Promise<SharedServer> | undefined;

async function listen(app: FastifyInstance, config: Config): Promise<string> {
  try {
    await app.listen({ host: config.HOST, port: config.PORT });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
}

async function sharedServer(config: Config): Promise<SharedServer> {
  shared ??= (async () => {
    // The root subscription stays empty: every caller gets a subscription of its own.
    const app = await buildApp({ config });
    return { app, url: await listen(app, config), open: 0 };
  })().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

/**
 * A subscription for a test suite: by default on the process's shared server (started on a free port by the first
 * call, closed with the last subscription), in memory, isolated from every other (issue 32); with `port`, `host` or
 * a server-wide setting, on a server of its own, as the CLI runs one.
 */
export async function startFakeMarketo(options: StartOptions = {}): Promise<FakeMarketo> {
  const config = startConfig(options);
  const seed = typeof options.seed === 'string' ? readSeedFile(options.seed) : options.seed;
  const ownServer =
    options.port !== undefined ||
    options.host !== undefined ||
    Object.keys(options.config ?? {}).some(
      (key) => SERVER_SETTINGS.has(key) && options.config![key as keyof Config] !== undefined,
    );
  let app: FastifyInstance;
  let ctx: AppContext;
  let base: string;
  let release: () => Promise<void>;
  if (ownServer) {
    app = await buildApp({ config, clock: new AdjustableClock(), provisionDemo: !seed, ...(seed ? { seed } : {}) });
    base = await listen(app, config);
    ctx = app.ctx;
    release = () => app.close();
  } else {
    const server = await sharedServer(startConfig({}));
    app = server.app;
    const settings: Record<string, unknown> = Object.fromEntries(
      Object.entries(options.config ?? {}).filter(([, value]) => value !== undefined),
    );
    // The stubs directory is the subscription's, not the server's.
    if (config.STUBS_DIR !== undefined) settings.STUBS_DIR = config.STUBS_DIR;
    ctx = app.subscriptions.create({ ...(seed ? { seed } : {}), settings });
    server.open++;
    base = `${server.url}/${ctx.munchkinId}`;
    release = async () => {
      app.subscriptions.delete(ctx.munchkinId);
      if (--server.open === 0 && shared) {
        shared = undefined;
        await app.close();
      }
    };
  }
  // Paths below the base URL, for inject: the shared server routes them by the Munchkin id.
  const prefix = ownServer ? '' : `/${ctx.munchkinId}`;
  let closed = false;
  return {
    url: base,
    baseUrl: base,
    munchkinId: ctx.munchkinId,
    identityUrl: `${base}/identity`,
    restUrl: `${base}/rest`,
    app,
    credentials(serviceName = DEMO_SERVICE_NAME) {
      const service = ctx.repos.services.findByName(serviceName);
      if (!service) throw new Error(`fake-marketo: no custom service named "${serviceName}"`);
      return { clientId: service.clientId, clientSecret: service.clientSecret };
    },
    async reset() {
      resetToBaseline(ctx);
    },
    advanceClock(seconds) {
      ctx.clock.advance(seconds);
      ctx.jobs.clockMoved();
    },
    requests(filter) {
      return ctx.harness.journal.list(filter).items;
    },
    verify(filter, expected) {
      const result = verifyJournal(ctx.harness.journal, filter, expected);
      if (!result.verified) throw new Error(result.message);
      return result.matching;
    },
    unmatched(limit = 100) {
      return unmatchedRequests(ctx.harness.journal, ctx.harness.stubs, limit);
    },
    stub(stub) {
      const parsed = stubInputSchema.safeParse(stub);
      if (!parsed.success) {
        const problems = parsed.error.issues.map(
          (issue) =>
            `  - ${formatPath(['stub', ...issue.path])}: ${plainMessage(issue.message, valueAt(stub, issue.path))}`,
        );
        throw new Error(`fake-marketo: invalid stub:\n${problems.join('\n')}`);
      }
      const added = ctx.harness.stubs.add(parsed.data, 'admin');
      if (isRefusal(added)) throw new Error(`fake-marketo: ${added.message}`);
      return added;
    },
    removeStub(id) {
      return ctx.harness.stubs.remove(id);
    },
    inject(injectOptions) {
      const url = typeof injectOptions.url === 'string' ? `${prefix}${injectOptions.url}` : injectOptions.url;
      return app.inject({ ...injectOptions, url } as InjectOptions);
    },
    async close() {
      if (closed) return;
      closed = true;
      // LEAST_PRIVILEGE_CHECK=fail: closed all the same, then rejected naming each integration's unused permissions.
      const unused = await closeWithLeastPrivilegeCheck(ctx, release);
      if (unused) throw unused;
    },
  };
}
