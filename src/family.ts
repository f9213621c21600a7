import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { AdjustableClock } from './clock.js';
import type { CoreEventHandlers } from './domain/core-events.js';
import type { JobKinds, Jobs } from './engines/jobs/kinds.js';
import type { PortName, Ports } from './ports.js';
import type { Ids } from './ids.js';
import type { WireFormatName } from './http/wire-formats.js';
import type { Database } from './storage/database.js';
import type { PartitionRepository } from './storage/partitions.js';
import type { RoleRepository } from './storage/roles.js';
import type { ServiceRepository } from './storage/services.js';
import type { UserRepository } from './storage/users.js';
import type { WorkspaceRepository } from './storage/workspaces.js';
import { CORE_MIGRATIONS } from './storage/core-migrations.js';
import { checkMigrationNames, type Migration } from './storage/migrations.js';

/**
 * The contract a resource family fulfils: one folder `src/families/<name>/` with its migrations, repository, routes
 * and the module that ends with `export const x = defineFamily({...})`, its tests in `test/families/<name>/`, and one
 * line in `src/families.ts`. Reset, snapshot, the empty-database check, the partition and workspace delete guards and
 * the contract test then cover it with no other edit (docs/architecture.md, "Adding a resource family"). A family
 * folder imports the core (never another family's folder); what it needs of another family comes through a port.
 */

/** The core's repositories of the access-control entities, which a family's repository may wrap. */
export interface CoreRepositories {
  workspaces: WorkspaceRepository;
  partitions: PartitionRepository;
  roles: RoleRepository;
  users: UserRepository;
  services: ServiceRepository;
}

/** What a family's repository is built from. */
export interface FamilyInfra {
  db: Database;
  clock: AdjustableClock;
  ids: Ids;
  /** The core's repositories (the same ones as `request.ctx.repos`). */
  core: CoreRepositories;
  /** The repository of a family registered before this one (of the same folder: folders never import each other). */
  repo<F extends AnyFamily>(family: F): RepoOf<F>;
  /** What another family offers (src/ports.ts), asked for when used (a port's methods), not while repositories are built. */
  port<K extends PortName>(name: K): Ports[K];
  /** The same, or undefined when no registered family provides it. */
  findPort<K extends PortName>(name: K): Ports[K] | undefined;
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
  /** A user the seed defines, by email without regard to case (a job's owner). */
  userId(email: string): number | undefined;
  /**
   * The jobs, loaded before every family's rows (the document's `jobs:`): a family's rows name their job, or an item
   * that describes a job whole schedules it here.
   */
  jobs: Jobs;
  /** A family of the same folder, loaded before this one. */
  repo<F extends AnyFamily>(family: F): RepoOf<F>;
  /** What another family offers (src/ports.ts), loaded before this one. */
  port<K extends PortName>(name: K): Ports[K];
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
  /** The jobs (the seed's `jobs` part) that the example's items name, for a family whose rows belong to jobs. */
  exampleJobs?: readonly unknown[];
}

/**
 * What a family's route plugins are given. The state of a call is the subscription's it is addressed to: handlers read
 * `request.ctx` (the AppContext) and `repo(request)` (this family's repository there), never state captured when the
 * routes were registered, so one route table serves every subscription.
 */
export interface FamilyRouteOptions<Repo> {
  repo(request: FastifyRequest): Repo;
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
  /**
   * Its migrations, in order (`src/families/<name>/migrations.ts`). Each runs once per database, recorded by name;
   * the migrator runs the core's, then each family's in registry order.
   */
  readonly migrations?: readonly Migration[];
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
  /** Ports (src/ports.ts) this family offers the others; each port has one provider. */
  provides?(repo: Repo, infra: FamilyInfra): Partial<Ports>;
  /**
   * Timed work (bulk extracts, imports, scheduled runs), by kind name: each kind (defineJob, src/engines/jobs/kinds.ts)
   * advances one job one step on the fake's clock. Jobs live in the core's `jobs` table; the family's own rows for a
   * job reference its id. Routes reach them through `request.ctx.jobs` (docs/architecture.md, "Jobs on the clock").
   */
  readonly jobs?: JobKinds<Repo>;
  /** Back to empty for what the family keeps in memory (caches, job queues): after a reset or a rolled-back load. */
  reset?(repo: Repo): void;
  /** Marketo-plane routes; each declares config.permissions (checked at start). */
  marketoRoutes?: FastifyPluginAsyncZod<FamilyRouteOptions<Repo>>;
  /** Admin-plane routes, under /admin. */
  adminRoutes?: FastifyPluginAsyncZod<FamilyRouteOptions<Repo>>;
  /**
   * Routes outside the planes, at the server's root, that take no token: what Marketo serves publicly (a file's
   * url, `/rs/<Munchkin id>/images/<name>`). Their errors are in the admin plane's format.
   */
  publicRoutes?: FastifyPluginAsyncZod<FamilyRouteOptions<Repo>>;
}

/** The accessor a family's routes get for its repository: the family's place in the request's subscription. */
export function familyRepo<Repo>(index: number): (request: FastifyRequest) => Repo {
  return (request) => request.ctx.families[index]!.repo as Repo;
}

/** Declares a family; the identity function gives it its types. */
export const defineFamily = <K extends string, R, I>(family: Family<K, R, I>): Family<K, R, I> => family;

const migrationLists = new WeakMap<readonly AnyFamily[], readonly Migration[]>();

/** The schema of a list of families: the core's migrations, then each family's, in the list's order. */
export function migrationsOf(families: readonly AnyFamily[]): readonly Migration[] {
  let migrations = migrationLists.get(families);
  if (!migrations) {
    migrations = [...CORE_MIGRATIONS, ...families.flatMap((family) => family.migrations ?? [])];
    checkMigrationNames(migrations);
    migrationLists.set(families, migrations);
  }
  return migrations;
}
