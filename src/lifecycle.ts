import type { AppContext, DemoSettings } from './context.js';
import { startingLimits } from './domain/limits.js';
import { DEFAULT_WORKSPACE_ID, type Service } from './domain/model.js';
import type { SeedDocument } from './domain/seed.js';
import type { StubInput, StubSource } from './domain/stubs.js';
import { readStubsDir, StubFileError } from './stub-files.js';

/**
 * The subscription's lifecycle: what a start finds or provisions, and what POST /admin/reset returns to. Database
 * state goes through the SubscriptionStore (schema-driven, family by family); in-memory harness state is cleared here.
 */

export const DEMO_SERVICE_NAME = 'Demo Service';

/**
 * What an admin sets up for a first integration: a role with Access API permissions, an API-only user with it
 * in the Default workspace, and a LaunchPoint custom service (with the given credentials and permissions, if any:
 * DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PERMISSIONS).
 */
function provisionDemo(ctx: AppContext, demo: DemoSettings = {}): Service {
  const { roles, users, services } = ctx.repos;
  const role = roles.create({
    name: 'Demo API Role',
    description: 'Access API permissions for the demo service',
    permissionSets: [...(demo.permissions ?? [])],
  });
  const user = users.create({
    email: 'demo-api-user@fake-marketo.local',
    firstName: 'Demo',
    lastName: 'API User',
    apiOnly: true,
    roles: [{ roleId: role.id, workspaceId: DEFAULT_WORKSPACE_ID }],
  });
  return services.create({
    name: DEMO_SERVICE_NAME,
    description: 'Created on first start; delete it when you provision your own',
    apiOnlyUserId: user.id,
    ...(demo.clientId !== undefined ? { clientId: demo.clientId } : {}),
    ...(demo.clientSecret !== undefined ? { clientSecret: demo.clientSecret } : {}),
  });
}

export interface StartState {
  seed?: SeedDocument;
  provisionDemo?: boolean;
  /** The demo service's credentials and permissions, where given (the CLI's DEMO_* settings). */
  demo?: DemoSettings;
}

/**
 * At start: an empty database gets the seed (or, when asked, the demo provisioning); a database that already
 * holds a subscription is kept. POST /admin/reset returns to the seed, else to the demo provisioning, else to
 * an empty subscription (DESIGN.md §5), with the same credentials every time. Returns whether the seed was
 * loaded now.
 */
export function initialiseSubscription(ctx: AppContext, start: StartState): boolean {
  const store = ctx.repos.subscription;
  let seeded = false;
  if (start.seed && !store.isEmpty()) {
    // Not loaded now, but reset will load it: a bad seed must stop the start all the same.
    dryRun(ctx, () => {
      store.wipe();
      store.load(start.seed!);
    });
  }
  if (store.isEmpty()) {
    ctx.transaction(() => {
      if (start.seed) {
        store.load(start.seed);
        seeded = true;
      } else if (start.provisionDemo) {
        provisionDemo(ctx, start.demo);
      }
    });
  }
  ctx.baseline = { clock: ctx.clock.state() };
  if (ctx.config.STUBS_DIR !== undefined)
    ctx.baseline.fileStubs = readStubsDir(ctx.config.STUBS_DIR).map(({ input }) => input);
  // Stubs live in memory: a seed's are loaded at every start, whether or not its data was (it is on each reset).
  const refused = ctx.harness.stubs.clear(initialStubs(start.seed, ctx.baseline.fileStubs));
  if (refused.length > 0) {
    throw new StubFileError(refused.map((problem) => `${ctx.config.STUBS_DIR ?? 'seed'}: ${problem.message}`));
  }
  if (start.seed) {
    ctx.baseline.seed = seeded ? withGeneratedCredentials(ctx, start.seed) : start.seed;
  } else if (start.provisionDemo) {
    const demo = ctx.repos.services.findByName(DEMO_SERVICE_NAME);
    const permissions = start.demo?.permissions ? { permissions: start.demo.permissions } : {};
    ctx.baseline.demo = demo
      ? { clientId: demo.clientId, clientSecret: demo.clientSecret, ...permissions }
      : {
          clientId: start.demo?.clientId ?? ctx.ids.clientId(),
          clientSecret: start.demo?.clientSecret ?? ctx.ids.clientSecret(),
          ...permissions,
        };
  }
  return seeded;
}

/** The seed with the credentials generated for its services filled in, so a reset gives them back. */
function withGeneratedCredentials(ctx: AppContext, seed: SeedDocument): SeedDocument {
  if (seed.services.every((service) => service.clientId && service.clientSecret)) return seed;
  return {
    ...seed,
    services: seed.services.map((service) => {
      const loaded = ctx.repos.services.findByName(service.name);
      return loaded ? { ...service, clientId: loaded.clientId, clientSecret: loaded.clientSecret } : service;
    }),
  };
}

/** The stubs a start and every reset begin with: the seed's, then the stubs directory's. */
function initialStubs(
  seed: SeedDocument | undefined,
  fileStubs: readonly StubInput[] = [],
): { input: StubInput; source: StubSource }[] {
  return [
    ...(seed?.stubs ?? []).map((input) => ({ input, source: 'seed' as const })),
    ...fileStubs.map((input) => ({ input, source: 'file' as const })),
  ];
}

class RolledBack extends Error {}

/** Runs `work` in a transaction that is always rolled back; its errors pass through. */
function dryRun(ctx: AppContext, work: () => void): void {
  try {
    ctx.transaction(() => {
      work();
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  } finally {
    // What families keep in memory may have been built from rows that no longer exist.
    ctx.repos.subscription.resetFamilies();
  }
}

/**
 * POST /admin/reset: the baseline subscription, no tokens, an empty journal, no faults, the seed's stubs only, fresh
 * counters, the start clock. The least-privilege ledger is kept: a suite resets before every test, and its report
 * must see the whole suite (issue 31; DELETE /admin/least-privilege clears it).
 */
export function resetToBaseline(ctx: AppContext): void {
  const { seed, demo, clock } = ctx.baseline;
  // The clock goes back first, so reloaded records get their seed-state timestamps.
  const before = ctx.clock.state();
  ctx.clock.restore(clock);
  try {
    ctx.transaction(() => {
      ctx.repos.subscription.wipe();
      if (seed) ctx.repos.subscription.load(seed);
      else if (demo) provisionDemo(ctx, demo);
    });
  } catch (error) {
    ctx.clock.restore(before);
    ctx.repos.subscription.resetFamilies();
    throw error;
  }
  const { journal, faults, limits, usage, stubs } = ctx.harness;
  journal.clear();
  faults.clear();
  // Stubs added since (admin, startFakeMarketo) go; the seed's come back, their sequences from the start.
  stubs.clear(initialStubs(seed, ctx.baseline.fileStubs));
  usage.clear();
  limits.reset(startingLimits(ctx.config.RATE_LIMITS));
}
