import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { AdjustableClock } from './clock.js';
import type { AppContext } from './context.js';
import type { CoreEventHandlers } from './domain/core-events.js';
import type { Ports } from './domain/ports.js';
import type { JobKinds } from './engines/jobs/kinds.js';
import type { Ids } from './ids.js';
import type { WireFormatName } from './http/wire-formats.js';
import type { Database } from './storage/database.js';

/**
 * The contract a resource family fulfils: one migration, one repository, one route module that ends with
 * `export const x = defineFamily({...})`, one test, and one line in `src/families.ts`. Reset, snapshot, the
 * empty-database check, the partition and workspace delete guards and the contract test then cover it with no
 * other edit (docs/architecture.md, "Adding a resource family").
 */

/** What a family's repository is built from. */
export interface FamilyInfra {
  db: Database;
  clock: AdjustableClock;
  ids: Ids;
  /** The repository of a family registered before this one. */
  repo<F extends AnyFamily>(family: F): RepoOf<F>;
}

// Repo appears in parameter positions, so `unknown` would not accept every family; `any` is the top type here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFamily = Family<string, any, any>;
export type RepoOf<F extends AnyFamily> = ReturnType<F['repository']>;

/** Core rows a seed item names, resolved to ids on load, and how to report a problem at a path of the document. */
export interface SeedLoadContext {
  now: number;
  /** An item's ISO 8601 time (validated by its schema) in epoch ms; `fallback`, else the load's time, when absent. */
  time(value: string | undefined, fallback?: number): number;
  partitionId(name: string): number | undefined;
  workspaceId(name: string): number | undefined;
  repo<F extends AnyFamily>(family: F): RepoOf<F>;
  /** Throws a SeedError at `path` (e.g. `leads[3].email`); nothing of the seed is kept. */
  fail(path: string, message: string): never;
  /** Runs an insert; a UNIQUE or PRIMARY KEY clash becomes a SeedError at `path`. */
  unique<T>(path: string, insert: () => T): T;
}

/** …and back to names when taking a snapshot. */
export interface SnapshotContext {
  partitionName(id: number): string;
  workspaceName(id: number): string;
  repo<F extends AnyFamily>(family: F): RepoOf<F>;
}

export interface FamilySeed<Repo, Item> {
  /** One item of `seed[key]`; the document holds `key: Item[]`, default []. */
  item: z.ZodType<Item>;
  /** Into a just-wiped subscription, after the core (partitions … services) and the families listed before it. */
  load(repo: Repo, items: readonly Item[], context: SeedLoadContext): void;
  /**
   * The family's rows in seed form: loading them reproduces the rows (ids included). A large family returns a
   * generator that reads its rows a chunk at a time: GET /admin/snapshot writes items as they come.
   */
  snapshot(repo: Repo, context: SnapshotContext): Iterable<Item>;
  /** A few items (as a user writes them) that the contract test loads, snapshots and loads again. */
  example: readonly unknown[];
}

export interface FamilyRouteOptions<Repo> {
  ctx: AppContext;
  repo: Repo;
}

export interface Family<Key extends string = string, Repo = unknown, Item = unknown> {
  /** Seed and snapshot key, and the plugin's display name: 'leads'. */
  readonly key: Key;
  /** The tables it owns; the contract test checks each table has exactly one owner. */
  readonly tables: readonly string[];
  /**
   * How its Marketo-plane routes answer: the lead-database envelope (`/rest/v1`, `/bulk/v1`), the asset envelope
   * (`/rest/asset/v1`) or the User Management API's HTTP statuses (`/userservice`). Checked against each route's
   * path at start. A family with routes on both sides of the API (static lists) names both.
   */
  readonly wireFormat?: WireFormatName | readonly WireFormatName[];
  repository(infra: FamilyInfra): Repo;
  seed?: FamilySeed<Repo, Item>;
  /**
   * Rows the family keeps in every subscription (standard activity types, each workspace's root folders): `ensure`
   * adds whatever is missing, at start and after every reset; `rows` says, per table, which rows are built in (an SQL
   * condition), so the empty-database check ignores them.
   */
  builtIns?: { rows: Readonly<Record<string, string>>; ensure(repo: Repo): void };
  /** Reactions to workspaces and partitions created and deleted (through the admin plane or a seed). */
  onCoreEvents?(repo: Repo): CoreEventHandlers;
  /** Ports (src/domain/ports.ts) this family offers the others; each port has one provider. */
  provides?(repo: Repo): Partial<Ports>;
  /**
   * Timed work (bulk extracts, imports, scheduled runs), by kind name: each kind (defineJob, src/engines/jobs/kinds.ts)
   * advances one job one step on the fake's clock. Jobs live in the core's `jobs` table; the family's own rows for a
   * job reference its id. Routes reach them through `ctx.jobs` (docs/architecture.md, "Jobs on the clock").
   */
  readonly jobs?: JobKinds<Repo>;
  /** Back to empty for what the family keeps in memory (caches, job queues): after a reset or a rolled-back load. */
  reset?(repo: Repo): void;
  /** Marketo-plane routes; each declares config.permissions (checked at start). */
  marketoRoutes?: FastifyPluginAsyncZod<FamilyRouteOptions<Repo>>;
  /** Admin-plane routes, under /admin. */
  adminRoutes?: FastifyPluginAsyncZod<FamilyRouteOptions<Repo>>;
}

/** Declares a family; the identity function gives it its types. */
export const defineFamily = <K extends string, R, I>(family: Family<K, R, I>): Family<K, R, I> => family;
