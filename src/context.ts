import type { AdjustableClock } from './clock.js';
import type { Config } from './config.js';
import type { Ids } from './ids.js';
import type { Database } from './storage/database.js';
import { LeadFieldRepository } from './storage/lead-fields.js';
import { LeadRepository } from './storage/leads.js';
import { PartitionRepository } from './storage/partitions.js';
import { RoleRepository } from './storage/roles.js';
import { ServiceRepository } from './storage/services.js';
import { SubscriptionStore } from './storage/subscription.js';
import { UserRepository } from './storage/users.js';
import { WorkspaceRepository } from './storage/workspaces.js';

export interface Repositories {
  workspaces: WorkspaceRepository;
  partitions: PartitionRepository;
  roles: RoleRepository;
  users: UserRepository;
  services: ServiceRepository;
  leads: LeadRepository;
  leadFields: LeadFieldRepository;
  subscription: SubscriptionStore;
}

/** Everything route modules need, handed to them as plugin options. */
export interface AppContext {
  config: Config;
  clock: AdjustableClock;
  ids: Ids;
  repos: Repositories;
  /** Runs `work` in one database transaction: all of it happens, or none. */
  transaction<T>(work: () => T): T;
}

export function createContext(config: Config, db: Database, clock: AdjustableClock, ids: Ids): AppContext {
  const leadFields = new LeadFieldRepository(db, clock);
  const repos: Repositories = {
    workspaces: new WorkspaceRepository(db),
    partitions: new PartitionRepository(db),
    roles: new RoleRepository(db, clock),
    users: new UserRepository(db, clock),
    services: new ServiceRepository(db, clock, ids, { ttlSeconds: config.TOKEN_TTL_SECONDS, pod: config.POD }),
    leads: new LeadRepository(db, clock),
    leadFields,
    subscription: new SubscriptionStore(db, clock, ids, leadFields),
  };
  return { config, clock, ids, repos, transaction: (work) => db.transaction(work)() };
}

export interface RouteOptions {
  ctx: AppContext;
}
