import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { AdjustableClock } from './clock.js';
import { checkConfig, type Config, ConfigError, inProcessDefaults } from './config.js';
import type { JournalEntry, JournalFilter } from './domain/journal.js';
import { formatPath } from './domain/seed.js';
import { stubInputSchema } from './domain/stub-schema.js';
import type { Stub, StubInput } from './domain/stubs.js';
import { type ExpectedCount, verifyRequests } from './domain/verify.js';
import { closeWithLeastPrivilegeCheck } from './least-privilege.js';
import { resetToBaseline } from './lifecycle.js';
import { readSeedFile, type SeedInput } from './seed.js';

export interface StartOptions {
  /** The subscription: a seed document, or the path of a YAML/JSON seed file. Default: an empty subscription. */
  seed?: SeedInput | string;
  /** Default 0: any free port (overrides config.PORT). */
  port?: number;
  /** Default 127.0.0.1 (overrides config.HOST); any other address needs config.ADMIN_TOKEN. */
  host?: string;
  /**
   * Any setting of the command line, by its variable name (README, Configuration), checked as the CLI checks it.
   * DATABASE_PATH defaults to :memory:, LOG_LEVEL to silent, PORT to 0.
   */
  config?: Partial<Config>;
}

/** The options startFakeMarketo takes (README documents each). */
export const START_OPTIONS = ['seed', 'port', 'host', 'config'];

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
  const { seed, port, host, config } = options as Record<string, unknown>;
  if (seed !== undefined && typeof seed !== 'string' && (typeof seed !== 'object' || seed === null)) {
    problems.push('seed: must be a seed document or the path of a YAML or JSON seed file');
  }
  if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) {
    problems.push('config: must be an object of settings by variable name, e.g. { RATE_LIMITS: "marketo" }');
  }
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
  return checkConfig(source, labels);
}

export interface FakeMarketo {
  /** Base URL, e.g. http://127.0.0.1:54321 */
  url: string;
  /** What Marketo calls the Identity URL: `${url}/identity`. */
  identityUrl: string;
  /** What Marketo calls the REST API endpoint: `${url}/rest`. */
  restUrl: string;
  /** The client id and secret of a custom service, by name. */
  credentials(serviceName: string): { clientId: string; clientSecret: string };
  /** Back to the seed state (data, tokens, journal, counters, faults, clock). */
  reset(): Promise<void>;
  /** Moves the instance clock forward (token expiry, paging tokens, quota day follow it). */
  advanceClock(seconds: number): void;
  /** The request journal, newest first (at most 8 MiB of entries, as GET /admin/requests). */
  requests(filter?: JournalFilter): JournalEntry[];
  /**
   * The requests matching `filter` (newest first) when there are as many as `expected` (default: at least one);
   * otherwise throws an Error saying what was expected and which requests came close.
   */
  verify(filter: JournalFilter, expected?: ExpectedCount): JournalEntry[];
  /** Adds a stub (as POST /admin/stubs; the newest matching stub answers); removed by `reset()`. */
  stub(stub: StubInput): Stub;
  /** Removes one stub; false when there is none with that id. */
  removeStub(id: string): boolean;
  /** The Fastify instance, for `inject`. */
  app: FastifyInstance;
  /**
   * Stops the server. With LEAST_PRIVILEGE_CHECK=fail, rejects (a LeastPrivilegeError) when an API-only user holds
   * permissions their calls never needed.
   */
  close(): Promise<void>;
}

/** Starts a fake Marketo on a real port: in-memory and on port 0 unless told otherwise. */
export async function startFakeMarketo(options: StartOptions = {}): Promise<FakeMarketo> {
  const config = startConfig(options);
  const seed = typeof options.seed === 'string' ? readSeedFile(options.seed) : options.seed;
  const clock = new AdjustableClock();
  const app = await buildApp({ config, clock, ...(seed ? { seed } : {}) });
  const host = config.HOST;
  try {
    await app.listen({ host, port: config.PORT });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    identityUrl: `${url}/identity`,
    restUrl: `${url}/rest`,
    app,
    credentials(serviceName) {
      const service = app.ctx.repos.services.findByName(serviceName);
      if (!service) throw new Error(`fake-marketo: no custom service named "${serviceName}"`);
      return { clientId: service.clientId, clientSecret: service.clientSecret };
    },
    async reset() {
      resetToBaseline(app.ctx);
    },
    advanceClock(seconds) {
      clock.advance(seconds);
    },
    requests(filter) {
      return app.ctx.harness.journal.list(filter).items;
    },
    verify(filter, expected) {
      const { journal } = app.ctx.harness;
      return verifyRequests(journal.list({ limit: journal.size || 1 }).items, filter, expected);
    },
    stub(stub) {
      const parsed = stubInputSchema.safeParse(stub);
      if (!parsed.success) {
        const problems = parsed.error.issues.map(
          (issue) => `  - ${formatPath(['stub', ...issue.path])}: ${issue.message}`,
        );
        throw new Error(`fake-marketo: invalid stub:\n${problems.join('\n')}`);
      }
      const added = app.ctx.harness.stubs.add(parsed.data, 'admin');
      if (!added) throw new Error(`fake-marketo: a stub with id ${parsed.data.id} already exists`);
      return added;
    },
    removeStub(id) {
      return app.ctx.harness.stubs.remove(id);
    },
    async close() {
      // LEAST_PRIVILEGE_CHECK=fail: closed all the same, then rejected naming each integration's unused permissions.
      const unused = await closeWithLeastPrivilegeCheck(app);
      if (unused) throw unused;
    },
  };
}
