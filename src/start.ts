import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { AdjustableClock } from './clock.js';
import { type Config, testConfig } from './config.js';
import type { JournalEntry, JournalFilter } from './domain/journal.js';
import { resetToBaseline } from './domain/provisioning.js';
import { readSeedFile, type SeedInput } from './domain/seed.js';

export interface StartOptions {
  /** The subscription: a seed document, or the path of a YAML/JSON seed file. */
  seed?: SeedInput | string;
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Any other setting (DATABASE_PATH defaults to :memory:, LOG_LEVEL to silent). */
  config?: Partial<Config>;
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
  /** The Fastify instance, for `inject`. */
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts a fake Marketo on a real port: in-memory and on port 0 unless told otherwise. */
export async function startFakeMarketo(options: StartOptions = {}): Promise<FakeMarketo> {
  const seed = typeof options.seed === 'string' ? readSeedFile(options.seed) : options.seed;
  const config = testConfig(options.config);
  const clock = new AdjustableClock();
  const app = await buildApp({ config, clock, ...(seed ? { seed } : {}) });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
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
    async close() {
      await app.close();
    },
  };
}
