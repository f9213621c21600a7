import type { AdjustableClock } from './clock.js';
import { AccessCache } from './domain/access-cache.js';
import { CoreEvents } from './domain/core-events.js';
import { DecisionLedger } from './domain/decision-ledger.js';
import { Faults } from './domain/faults.js';
import { Journal } from './domain/journal.js';
import { Limits, startingLimits } from './domain/limits.js';
import type { PortName, Ports } from './ports.js';
import { type StubInput, Stubs } from './domain/stubs.js';
import type { PermissionKey } from './domain/permissions.js';
import type { SeedDocument } from './domain/seed.js';
import { UsageStats } from './domain/usage.js';
import type { Config } from './config.js';
import { JobRunner } from './engines/jobs/runner.js';
import { JOBS_KEY, jobsSeedPart } from './engines/jobs/seed.js';
import type { AnyFamily, CoreRepositories, RepoOf } from './family.js';
import type { Ids } from './ids.js';
import { seedSchemaFor } from './seed.js';
import { type Database, onAccessChange, transactionRunner } from './storage/database.js';
import { PartitionRepository } from './storage/partitions.js';
import { ReferenceGuard } from './storage/references.js';
import { RoleRepository } from './storage/roles.js';
import { ServiceRepository } from './storage/services.js';
import { type FamilyInstance, SubscriptionStore } from './storage/subscription.js';
import { TokenRepository } from './storage/tokens.js';
import { UserRepository } from './storage/users.js';
import { WorkspaceRepository } from './storage/workspaces.js';

/** The core's repositories; each resource family's is reached with `ctx.repo(family)`. */
export interface Repositories extends CoreRepositories {
  tokens: TokenRepository;
  subscription: SubscriptionStore;
}

/** The test-harness state that lives in memory: journal, faults, limits, usage counters, stubs, least-privilege ledger. */
export interface Harness {
  journal: Journal;
  faults: Faults;
  limits: Limits;
  usage: UsageStats;
  stubs: Stubs;
  /** The authorization decisions behind the least-privilege report; kept by POST /admin/reset (issue 31). */
  ledger: DecisionLedger;
}

/** The demo service a CLI start provisions: fixed credentials and permissions where given. */
export interface DemoSettings {
  clientId?: string;
  clientSecret?: string;
  permissions?: readonly PermissionKey[];
}

/** What POST /admin/reset brings the instance back to. */
export interface Baseline {
  seed?: SeedDocument;
  /** The demo service's credentials (and permissions), recreated as they were. */
  demo?: DemoSettings;
  clock: ReturnType<AdjustableClock['state']>;
  /** The stubs of the stubs directory (STUBS_DIR): loaded at start, and those POST /admin/stubs/save wrote. */
  fileStubs?: StubInput[];
}

/** Everything route modules need, handed to them as plugin options. */
export interface AppContext {
  /** The subscription's Munchkin id: its base URL is `<server>/<munchkinId>` (src/subscriptions.ts). */
  munchkinId: string;
  config: Config;
  clock: AdjustableClock;
  ids: Ids;
  repos: Repositories;
  /** The registered resource families, each with its repository, in registration order. */
  families: readonly FamilyInstance[];
  /** A family's repository, typed by the family object (importing the family is the declared dependency). */
  repo<F extends AnyFamily>(family: F): RepoOf<F>;
  /** Changes to workspaces, partitions and leads that families react to (their onCoreEvents). */
  events: CoreEvents;
  /** The families' timed work on the fake's clock (src/engines/jobs): schedule, read, change; the runner runs it. */
  jobs: JobRunner;
  /** What another family offers through a port (src/domain/ports.ts), without importing that family. */
  port<K extends PortName>(name: K): Ports[K];
  /** The same, or undefined when no registered family provides it (an app built with fewer families). */
  findPort<K extends PortName>(name: K): Ports[K] | undefined;
  /** The seed/snapshot document's schema: the core and these families' parts. */
  seedSchema: ReturnType<typeof seedSchemaFor>;
  /** Callers, grants and credentials in memory; emptied by any change to them. */
  access: AccessCache;
  harness: Harness;
  baseline: Baseline;
  /** Runs `work` in one database transaction: all of it happens, or none. */
  transaction<T>(work: () => T): T;
  /** Writes what is still in memory and stops following the database (on close). */
  close(): void;
}

/** Which subscription a context is, and whether its database is its own to close. */
export interface ContextOptions {
  munchkinId: string;
  /** Close the database with the context (a subscription opened in memory); a caller's database stays open. */
  ownsDatabase?: boolean;
}

export function createContext(
  config: Config,
  db: Database,
  clock: AdjustableClock,
  ids: Ids,
  familyList: readonly AnyFamily[],
  { munchkinId = config.MUNCHKIN_ID, ownsDatabase = false }: Partial<ContextOptions> = {},
): AppContext {
  const events = new CoreEvents();
  const guard = new ReferenceGuard(db);
  // By key, not by object: a build may register a family's copy (tests drop a port from one), and its own folder's
  // families still reach it; keys are unique in a build (checked below).
  const repoOf = new Map<string, unknown>();
  const repo = <F extends AnyFamily>(family: F): RepoOf<F> => {
    if (!repoOf.has(family.key))
      throw new Error(`the resource family "${family.key}" is not registered (src/families.ts)`);
    return repoOf.get(family.key) as RepoOf<F>;
  };
  const stubs = new Stubs();
  const tokens = new TokenRepository(db, clock, ids, { ttlSeconds: config.TOKEN_TTL_SECONDS, pod: config.POD });
  const services = new ServiceRepository(db, clock, ids, tokens);
  const core: CoreRepositories = {
    workspaces: new WorkspaceRepository(db, events, guard),
    partitions: new PartitionRepository(db, events, guard),
    roles: new RoleRepository(db, clock),
    users: new UserRepository(db, clock),
    services,
  };
  const families: FamilyInstance[] = [];
  const ports: Partial<Ports> = {};
  const providers = new Map<PortName, string>();
  const keys = new Set<string>();
  const findPort = <K extends PortName>(name: K): Ports[K] | undefined => ports[name] as Ports[K] | undefined;
  const port = <K extends PortName>(name: K): Ports[K] => {
    const provided = findPort(name);
    if (!provided) throw new Error(`no registered resource family provides the port "${name}" (src/families.ts)`);
    return provided as Ports[K];
  };
  for (const family of familyList) {
    // The key names the family's part of every snapshot: two with one key would overwrite each other's rows.
    if (keys.has(family.key)) throw new Error(`two resource families have the key "${family.key}" (src/families.ts)`);
    if (family.key === JOBS_KEY)
      throw new Error(`"${JOBS_KEY}" names the core's jobs in snapshots; no family may have it`);
    keys.add(family.key);
    const infra = { db, clock, ids, repo, core, port, findPort };
    const familyRepo: unknown = family.repository(infra);
    repoOf.set(family.key, familyRepo);
    families.push({ family, repo: familyRepo });
    const handlers = family.onCoreEvents?.(familyRepo);
    if (handlers) events.subscribe(handlers);
    const provided = family.provides?.(familyRepo, infra) ?? {};
    for (const name of Object.keys(provided) as PortName[]) {
      const other = providers.get(name);
      if (other) throw new Error(`the port "${name}" is provided by both "${other}" and "${family.key}"`);
      providers.set(name, family.key);
    }
    Object.assign(ports, provided);
  }
  const jobs = new JobRunner(
    db,
    clock,
    families.map(({ family, repo }) => ({ key: family.key, jobs: family.jobs, repo })),
    { port, findPort },
  );
  const repos: Repositories = {
    ...core,
    tokens,
    // Tokens issued but not yet written go into the wipe's transaction, so the wipe removes them; their identity calls
    // are not answered with them but judged again (storage/tokens.ts, routes/identity.ts).
    subscription: new SubscriptionStore(
      db,
      clock,
      ids,
      events,
      // The jobs' part loads after the core's users and before the families' rows that reference jobs.
      [jobsSeedPart(jobs), ...families],
      repo,
      port,
      () => tokens.flush(),
      () => stubs.toSeed(),
      (copy) => {
        const copyEvents = new CoreEvents();
        const copyGuard = new ReferenceGuard(copy);
        return {
          workspaces: new WorkspaceRepository(copy, copyEvents, copyGuard),
          partitions: new PartitionRepository(copy, copyEvents, copyGuard),
          roles: new RoleRepository(copy, clock),
          users: new UserRepository(copy, clock),
          services: new ServiceRepository(copy, clock, ids, { flush: () => {} }),
        };
      },
      jobs,
    ),
  };
  const access = new AccessCache({
    findToken: (token) => tokens.find(token),
    findClient: (clientId) => repos.services.findByClientId(clientId),
    service: (id) => repos.services.get(id),
    user: (id) => repos.users.get(id),
    grants: (userId) => repos.users.permissionsByWorkspace(userId),
    workspaces: () => repos.workspaces.list(),
  });
  const stopWatching = onAccessChange(db, () => access.invalidate());
  // One wrapper for every write (issue 28's profile: a wrapper per call was ~5 µs of a content update).
  const inTransaction = transactionRunner(db);
  const harness: Harness = {
    journal: new Journal(config.JOURNAL_LIMIT, config.JOURNAL_MAX_BYTES),
    faults: new Faults(),
    limits: new Limits(startingLimits(config.RATE_LIMITS), clock),
    usage: new UsageStats(),
    stubs,
    ledger: new DecisionLedger(config.LEAST_PRIVILEGE_MAX_BYTES),
  };
  return {
    munchkinId,
    config,
    clock,
    ids,
    repos,
    families,
    repo,
    port,
    findPort,
    events,
    jobs,
    seedSchema: seedSchemaFor(familyList),
    access,
    harness,
    baseline: { clock: clock.state() },
    transaction: (work) => inTransaction(work),
    close: () => {
      jobs.stop();
      tokens.flush();
      stopWatching();
      if (ownsDatabase) db.close();
    },
  };
}
