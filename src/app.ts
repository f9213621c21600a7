import './http/fastify-types.js';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { AdjustableClock } from './clock.js';
import { checkConfig, type Config, testConfig } from './config.js';
import { type AppContext, createContext, type DemoSettings } from './context.js';
import { adminGuard } from './http/admin-guard.js';
import { registerLazyDocs } from './http/docs.js';
import { NO_ACCESS } from './domain/access.js';
import { NotFoundError, UriTooLongError } from './domain/errors.js';
import { createRequestIds } from './http/envelope.js';
import { identityClientId, injectFaults } from './http/faults.js';
import { recordRequest, stampRequest } from './http/journal.js';
import { answerClientError, clientErrorAnswer } from './http/client-errors.js';
import { refuseDeepBodies } from './http/depth-guard.js';
import { treatEmptyJsonAsNoBody } from './http/empty-body.js';
import { handleError, registerErrorHandling } from './http/error-handler.js';
import { redactUrl } from './domain/journal.js';
import { marketoPlane } from './http/marketo-plane.js';
import { MarketoRouteTable } from './http/marketo-routes.js';
import { registerFormTunnel } from './http/form-tunnel.js';
import { createUrlRewriter, TUNNEL_HEADER } from './http/normalise.js';
import { OPENAPI_INFO, OPENAPI_SECURITY_SCHEMES, openapiTransform, openapiTransformObject } from './http/openapi.js';
import { named } from './http/plugin-names.js';
import { MAX_HEADER_BYTES, MAX_REQUEST_HEAD_BYTES, MIN_URI_LIMIT_BYTES, wireFormatOf } from './http/wire-formats.js';
import { type Ids, randomIds } from './ids.js';
import { initialiseSubscription } from './lifecycle.js';
import { type OpenSubscription, Subscriptions, UNKNOWN_SUBSCRIPTION_PREFIX } from './subscriptions.js';
import { SeedError } from './domain/seed.js';
import { FAMILIES } from './families.js';
import { type AnyFamily, familyRepo, migrationsOf } from './family.js';
import { harnessRoutes } from './routes/admin/harness.js';
import { leastPrivilegeRoutes } from './routes/admin/least-privilege.js';
import { stubRoutes } from './routes/admin/stubs.js';
import { subscriptionRoutes } from './routes/admin/subscriptions.js';
import { permissionRoutes } from './routes/admin/permissions.js';
import { partitionRoutes } from './routes/admin/partitions.js';
import { roleRoutes } from './routes/admin/roles.js';
import { serviceRoutes } from './routes/admin/services.js';
import { userRoutes } from './routes/admin/users.js';
import { workspaceRoutes } from './routes/admin/workspaces.js';
import { consoleRoutes } from './routes/console.js';
import { healthRoutes } from './routes/health.js';
import { identityRoutes } from './routes/identity.js';
import { statsRoutes } from './routes/stats.js';
import { parseSeed, readSeedFile, type Seed, type SeedInput } from './seed.js';
import { type Database, openDatabase, releaseMemory } from './storage/database.js';

export interface BuildAppOptions {
  /** Settings; defaults to an in-memory, silent instance. */
  config?: Config;
  /** An open database; otherwise one is opened at config.DATABASE_PATH. */
  db?: Database;
  clock?: AdjustableClock;
  ids?: Ids;
  /** The subscription to load into an empty database (and to return to on reset); else config.SEED_FILE. */
  seed?: SeedInput;
  /** On an empty database without a seed, provision the demo role, user and service (the CLI does). */
  provisionDemo?: boolean;
  /** Where the log goes (default stdout); tests read decisions from it. */
  logStream?: { write(line: string): void };
  /** The resource families to serve (default: the registry, src/families.ts); tests add their own. */
  families?: readonly AnyFamily[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The root subscription's context (the one at `/`). */
    ctx: AppContext;
    /** Every subscription this server holds, the root among them (src/subscriptions.ts). */
    subscriptions: Subscriptions;
    /** This start created the subscription (an empty database got the seed or the demo): the banner shows secrets. */
    createdSubscription: boolean;
  }
}

// Marketo's documented request limit (error-codes.md): 1 MB body. URI limits depend on the wire format.
const BODY_LIMIT_BYTES = 1024 * 1024;

// Fastify's compiler factories; the zod compilers take the route schema the same way (no shared schemas here).
const ZOD_COMPILERS = {
  buildValidator: () => validatorCompiler,
  buildSerializer: () => serializerCompiler,
} as unknown as NonNullable<FastifyServerOptions['schemaController']>['compilersFactory'];

for (const [name, plugin] of Object.entries({
  identityRoutes,
  statsRoutes,
  permissionRoutes,
  workspaceRoutes,
  partitionRoutes,
  roleRoutes,
  userRoutes,
  serviceRoutes,
  harnessRoutes,
  stubRoutes,
  subscriptionRoutes,
  leastPrivilegeRoutes,
})) {
  named(name, plugin);
}

/** The DEMO_* settings, as the demo provisioning takes them. */
function demoSettings(config: Config): DemoSettings {
  return {
    ...(config.DEMO_CLIENT_ID !== undefined ? { clientId: config.DEMO_CLIENT_ID } : {}),
    ...(config.DEMO_CLIENT_SECRET !== undefined ? { clientSecret: config.DEMO_CLIENT_SECRET } : {}),
    ...(config.DEMO_PERMISSIONS !== undefined ? { permissions: config.DEMO_PERMISSIONS } : {}),
  };
}

/**
 * Why DEMO_* settings had no effect on this start, if they were set and had none: they shape only the demo service
 * that a CLI start provisions into an empty database without a seed.
 */
function ignoredDemoSettings(
  config: Config,
  start: { seed: boolean; startedEmpty: boolean; provisionDemo: boolean },
): string | undefined {
  const set = (['DEMO_CLIENT_ID', 'DEMO_CLIENT_SECRET', 'DEMO_PERMISSIONS'] as const).filter(
    (name) => config[name] !== undefined,
  );
  if (set.length === 0 || !start.provisionDemo) return undefined;
  const why = start.seed
    ? 'a seed describes the subscription (SEED_FILE)'
    : !start.startedEmpty
      ? 'the database already holds a subscription, whose services are kept as they are'
      : undefined;
  return why && `${set.join(', ')} ignored: ${why}`;
}

/** The composition root: one Fastify instance with every plane registered. */
export async function buildApp(options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const config = options.config ? checkConfig(options.config) : testConfig();
  const families: readonly AnyFamily[] = options.families ?? FAMILIES;
  // A bad seed throws a SeedError naming the path inside the document; nothing is loaded.
  const seed: Seed | undefined = options.seed
    ? parseSeed(options.seed, 'seed', families)
    : config.SEED_FILE
      ? readSeedFile(config.SEED_FILE, families)
      : undefined;
  const db = options.db ?? openDatabase(config.DATABASE_PATH, migrationsOf(families));
  const clock = options.clock ?? new AdjustableClock();
  const ids = options.ids ?? randomIds;
  const ctx = createContext(config, db, clock, ids, families);
  ctx.repos.subscription.ensureSystemRows();
  const startedEmpty = ctx.repos.subscription.isEmpty();
  const marketoRoutes = new MarketoRouteTable();
  /** A subscription made at run time: in memory, from the migrated template, its seed (else the demo service). */
  const openSubscription: OpenSubscription = (munchkinId, seedInput, settings) => {
    const parsed = seedInput === undefined ? undefined : parseSeed(seedInput, 'seed', families);
    const own = Object.keys(settings).length > 0 ? checkConfig({ ...config, ...settings }) : config;
    const db = openDatabase(':memory:', migrationsOf(families));
    const opened = createContext(own, db, new AdjustableClock(), ids, families, { munchkinId, ownsDatabase: true });
    try {
      opened.repos.subscription.ensureSystemRows();
      initialiseSubscription(opened, {
        ...(parsed ? { seed: parsed } : {}),
        provisionDemo: parsed === undefined,
        demo: { permissions: marketoRoutes.permissions(), ...demoSettings(own) },
      });
    } catch (error) {
      opened.close();
      throw error;
    }
    opened.jobs.start(reportJobFailure);
    // Most subscriptions of a server sit idle (issue 32): what their making prepared and read is not kept for them.
    releaseMemory(db);
    return opened;
  };
  const subscriptions = new Subscriptions(ctx, openSubscription);

  const reportJobFailure = (error: unknown, job: unknown) =>
    app.log.error({ err: error, job }, 'a job step failed; the job is marked Failed');
  const tunnelSecret = ids.uuid();
  const nextRequestId = createRequestIds(clock);
  // Kept on the request itself (a WeakMap per request would leave work for the full garbage collector).
  function requestIdOf(this: { requestIdValue?: string; ctx?: AppContext }): string {
    return (this.requestIdValue ??= nextRequestId(this.ctx?.clock));
  }

  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      ...(options.logStream ? { stream: options.logStream } : {}),
      // Secrets never reach the log: the URL carries client_secret on the identity endpoint.
      serializers: {
        req: (request: { method: string; url: string }) => ({
          method: request.method,
          url: redactUrl(request.url),
        }),
      },
    },
    // One line per request at debug comes from the journal hook; Fastify's two lines per request at info would
    // cost more than the rest of a call (the journal keeps every call for GET /admin/requests).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Node's parser would refuse request heads over 16 KiB (431) before the per-format URI limits are applied.
    http: { maxHeaderSize: MAX_REQUEST_HEAD_BYTES },
    clientErrorHandler: answerClientError(nextRequestId),
    // Asset form POSTs go straight to a POST route (normalise.ts); the route table is complete once routes exist.
    // The subscription a path names (`/123-ABC-456/rest/…`) is read first; then the path is normalised.
    rewriteUrl: createUrlRewriter(
      tunnelSecret,
      (path) => wireFormatOf(path).name === 'asset' && marketoRoutes.answers('POST', path),
      (request, path) => subscriptions.route(request, path),
    ),
    routerOptions: { maxParamLength: 500 },
    // No HEAD twin per GET: Marketo documents no HEAD operation, and the twins were a third of the routes to build.
    exposeHeadRoutes: false,
    // Every route validates and serializes with zod, set here for the whole instance (rather than with
    // setValidatorCompiler, which would still load Fastify's default Ajv compilers at start-up).
    schemaController: { compilersFactory: ZOD_COMPILERS },
    // Malformed URLs (bad percent-escapes) answer in the plane's format too. Fastify builds these requests
    // without the instance's decorators, so the request id is attached here.
    frameworkErrors: (error, request, reply) => {
      if (typeof request.marketoRequestId !== 'function') Object.assign(request, { marketoRequestId: requestIdOf });
      return handleError(error, request, reply);
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate('ctx', ctx);
  app.decorate('subscriptions', subscriptions);
  app.decorateRequest('marketoRequestId', requestIdOf);
  // Declared up front, so every request object has the same shape (V8 keeps property access fast).
  for (const property of [
    'ctx',
    'principal',
    'access',
    'decision',
    'marketoCode',
    'faultId',
    'limitAdmittedAt',
    'receivedAt',
    'requestIdValue',
    'stubPending',
    'formPending',
    'redispatched',
    'stubId',
    'answeredAsIs',
    'receivedBody',
    'tunnelAnswered',
    'unserved',
    'outcomes',
  ] as const) {
    app.decorateRequest(property, undefined);
  }
  // Marketo tolerates a body on GET, and `POST ?_method=GET` keeps its JSON body.
  app.addHttpMethod('GET', { hasBody: true, overrideExisting: true });
  registerErrorHandling(app, marketoRoutes);
  treatEmptyJsonAsNoBody(app);
  // Root-level, so that unknown admin paths and wrong verbs are guarded too. One callback-style hook: it runs on
  // every request.
  const guardAdmin = adminGuard(config.ADMIN_TOKEN);
  app.addHook('onRequest', (request, reply, done) => {
    // Fastify keeps the URL as sent in originalUrl when rewriteUrl changed it.
    const url = (request.raw as { originalUrl?: string }).originalUrl ?? request.url;
    const tunnelled = request.headers[TUNNEL_HEADER] === tunnelSecret;
    // Only a long URL can be over a limit in bytes (a character is at most 3 bytes in UTF-8).
    if (url.length * 3 > MIN_URI_LIMIT_BYTES && !tunnelled) {
      if (Buffer.byteLength(url) > wireFormatOf(url).maxUriBytes) return done(new UriTooLongError());
    }
    const denied = guardAdmin(request);
    if (denied) return done(denied);
    // The subscription the call is addressed to: its state is what every later step reads.
    request.ctx = subscriptions.of(request.raw);
    request.access = NO_ACCESS;
    stampRequest(request);
    // The parser takes heads as long as the longest URI (MAX_REQUEST_HEAD_BYTES); the headers keep their own limit.
    if (!tunnelled && headerBytes(request.raw.rawHeaders) > MAX_HEADER_BYTES) {
      const answer = clientErrorAnswer(431, { method: request.method, path: url }, false, () =>
        request.marketoRequestId(),
      );
      // The parser's own answer to a head too large, given here: no route's response schema speaks for it.
      request.answeredAsIs = true;
      reply.code(answer.status).type(answer.type).header('connection', 'close').send(answer.body);
      return;
    }
    // Jobs that fell due since the last call run before this one is handled (one comparison when none did).
    if (request.receivedAt! >= request.ctx.jobs.nextDueAt) request.ctx.jobs.runDue();
    done();
  });
  const journalHooks = recordRequest();
  app.addHook('preValidation', journalHooks.preValidation);
  app.addHook('onResponse', journalHooks.onResponse);
  app.addHook('onRequestAbort', journalHooks.onRequestAbort);
  app.addHook('onClose', async () => {
    subscriptions.closeOthers();
    ctx.close();
    if (!options.db) db.close();
  });

  await app.register(formbody);
  await app.register(swagger, {
    openapi: { info: OPENAPI_INFO, tags: [], components: { securitySchemes: OPENAPI_SECURITY_SCHEMES } },
    transform: openapiTransform,
    transformObject: openapiTransformObject,
  });
  registerLazyDocs(app, '/docs');
  // A Munchkin id no subscription has: 404, naming it, in every plane's place.
  app.all(
    `${UNKNOWN_SUBSCRIPTION_PREFIX}/:munchkinId/*`,
    { schema: { hide: true } },
    async (request: FastifyRequest<{ Params: { munchkinId: string } }>) => {
      throw new NotFoundError('Subscription', request.params.munchkinId);
    },
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(named('healthRoutes', healthRoutes), { database: db.memory ? 'memory' : 'file' });
  await app.register(named('consoleRoutes', consoleRoutes));
  // What the families serve publicly (a file's url), reached through the subscription's prefix like any call.
  for (const [index, family] of families.entries()) {
    if (family.publicRoutes) {
      await app.register(named(`${family.key}Public`, family.publicRoutes), { repo: familyRepo(index) });
    }
  }

  await app.register(
    named('identityPlane', async (identity: FastifyInstance) => {
      identity.addHook('preHandler', injectFaults(identityClientId));
      await identity.register(identityRoutes);
    }),
  );

  const redispatch = registerFormTunnel(app, marketoRoutes, tunnelSecret, (request) =>
    subscriptions.prefixOf(request.ctx),
  );
  await app.register(marketoPlane(config, families, marketoRoutes, redispatch));

  const adminPlane = named('adminPlane', async (admin: FastifyInstance) => {
    admin.addHook('preValidation', refuseDeepBodies);
    await admin.register(permissionRoutes);
    await admin.register(workspaceRoutes);
    await admin.register(partitionRoutes);
    await admin.register(roleRoutes);
    await admin.register(userRoutes);
    await admin.register(serviceRoutes);
    for (const [index, family] of families.entries()) {
      if (family.adminRoutes) {
        await admin.register(named(`${family.key}Admin`, family.adminRoutes), { repo: familyRepo(index) });
      }
    }
    await admin.register(harnessRoutes, { seedSchema: ctx.seedSchema });
    await admin.register(subscriptionRoutes, { subscriptions });
    await admin.register(stubRoutes, { marketoRoutes });
    await admin.register(leastPrivilegeRoutes);
  });
  await app.register(adminPlane, { prefix: '/admin' });
  // Adobe's access-control path, so code written against the Roles API works unchanged.
  await app.register(
    named('accessControlPlane', async (aep: FastifyInstance) => {
      aep.addHook('preValidation', refuseDeepBodies);
      await aep.register(roleRoutes);
    }),
    { prefix: '/data/foundation/access-control/administration' },
  );

  // The subscription's start (its seed, or the demo service), once the routes are known: the demo's role holds every
  // permission a served route declares, so it can call the whole served API.
  let seeded: boolean;
  try {
    seeded = initialiseSubscription(ctx, {
      ...(seed ? { seed } : {}),
      provisionDemo: options.provisionDemo ?? false,
      demo: { permissions: marketoRoutes.permissions(), ...demoSettings(config) },
    });
  } catch (error) {
    await app.close();
    if (error instanceof SeedError && config.SEED_FILE && !options.seed) {
      throw new SeedError(error.problems, `seed file ${config.SEED_FILE}`);
    }
    throw error;
  }
  app.decorate('createdSubscription', startedEmpty && !ctx.repos.subscription.isEmpty());
  if (seed && !seeded)
    app.log.warn('the database already holds a subscription; the seed was not loaded (POST /admin/reset loads it)');
  const ignoredDemo = ignoredDemoSettings(config, {
    seed: seed !== undefined,
    startedEmpty,
    provisionDemo: options.provisionDemo ?? false,
  });
  if (ignoredDemo) app.log.warn(ignoredDemo);

  // What fell due while the server was stopped runs now; from here on the clock drives the jobs.
  ctx.jobs.start(reportJobFailure);
  return app;
}

/** The bytes of a request's headers as sent (`Name: value\r\n` each), without the request line. */
function headerBytes(rawHeaders: readonly string[]): number {
  let bytes = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) bytes += rawHeaders[i]!.length + rawHeaders[i + 1]!.length + 4;
  return bytes;
}
