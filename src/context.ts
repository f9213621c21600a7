import type { AdjustableClock } from './clock.js';
import { AccessCache } from './domain/access-cache.js';
import { Faults } from './domain/faults.js';
import { Journal } from './domain/journal.js';
import { Limits, startingLimits } from './domain/limits.js';
import type { Seed } from './domain/seed.js';
import { UsageStats } from './domain/usage.js';
import type { Config } from './config.js';
import type { Ids } from './ids.js';
import { type Database, onAccessChange } from './storage/database.js';
import { LeadFieldRepository } from './storage/lead-fields.js';
import { LeadRepository } from './storage/leads.js';
import { PartitionRepository } from './storage/partitions.js';
import { RoleRepository } from './storage/roles.js';
import { ServiceRepository } from './storage/services.js';
import { SubscriptionStore } from './storage/subscription.js';
import { TokenRepository } from './storage/tokens.js';
import { UserRepository } from './storage/users.js';
import { WorkspaceRepository } from './storage/workspaces.js';

export interface Repositories {
  workspaces: WorkspaceRepository;
  partitions: PartitionRepository;
  roles: RoleRepository;
  users: UserRepository;
  services: ServiceRepository;
  tokens: TokenRepository;
  leads: LeadRepository;
  leadFields: LeadFieldRepository;
  subscription: SubscriptionStore;
}

/** The test-harness state that lives in memory: journal, faults, limits and usage counters. */
export interface Harness {
  journal: Journal;
  faults: Faults;
  limits: Limits;
  usage: UsageStats;
}

/** What POST /admin/reset brings the instance back to. */
export interface Baseline {
  seed?: Seed;
  /** The demo service's credentials, recreated as they were. */
  demo?: { clientId: string; clientSecret: string };
  clock: ReturnType<AdjustableClock['state']>;
}

/** Everything route modules need, handed to them as plugin options. */
export interface AppContext {
  config: Config;
  clock: AdjustableClock;
  ids: Ids;
  repos: Repositories;
  /** Callers, grants and credentials in memory; emptied by any change to them. */
  access: AccessCache;
  harness: Harness;
  baseline: Baseline;
  /** Runs `work` in one database transaction: all of it happens, or none. */
  transaction<T>(work: () => T): T;
  /** Writes what is still in memory and stops following the database (on close). */
  close(): void;
}

export function createContext(config: Config, db: Database, clock: AdjustableClock, ids: Ids): AppContext {
  const leadFields = new LeadFieldRepository(db, clock);
  const tokens = new TokenRepository(db, clock, ids, { ttlSeconds: config.TOKEN_TTL_SECONDS, pod: config.POD });
  const services = new ServiceRepository(db, clock, ids, tokens);
  const repos: Repositories = {
    workspaces: new WorkspaceRepository(db),
    partitions: new PartitionRepository(db),
    roles: new RoleRepository(db, clock),
    users: new UserRepository(db, clock),
    services,
    tokens,
    leads: new LeadRepository(db, clock),
    leadFields,
    // Tokens issued but not yet written go into the wipe's transaction, so the wipe removes them; their identity calls
    // are not answered with them but judged again (storage/tokens.ts, routes/identity.ts).
    subscription: new SubscriptionStore(db, clock, ids, leadFields, () => tokens.flush()),
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
  const harness: Harness = {
    journal: new Journal(config.JOURNAL_LIMIT, config.JOURNAL_MAX_BYTES),
    faults: new Faults(),
    limits: new Limits(startingLimits(config.RATE_LIMITS), clock),
    usage: new UsageStats(),
  };
  return {
    config,
    clock,
    ids,
    repos,
    access,
    harness,
    baseline: { clock: clock.state() },
    transaction: (work) => db.transaction(work)(),
    close: () => {
      tokens.flush();
      stopWatching();
    },
  };
}

export interface RouteOptions {
  ctx: AppContext;
}
