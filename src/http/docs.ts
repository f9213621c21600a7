import swagger, { type StaticDocumentSpec } from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createRequire } from 'node:module';
import { sendProblem } from './error-handler.js';

/**
 * Swagger UI at /docs, loaded on the first visit: most starts (CI, test suites) never open it, and loading it and
 * the static-file server behind it was a sixth of the time to the first served request. It runs in an instance of
 * its own, over the OpenAPI document of `app`, which no longer changes once `app` is ready.
 */
// Loaded with require, not import(): the bundled CLI runs through V8's code cache (scripts/bundle.ts), and on Node 20
// a script compiled from that cache loses the dynamic-import callback, so an import() in it rejects with
// ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING (/docs answered 500 on every start after the first). The plugin is CommonJS.
const requireModule = createRequire(import.meta.url);

export function registerLazyDocs(app: FastifyInstance, routePrefix: string): void {
  let docs: Promise<FastifyInstance> | undefined;
  const build = async (): Promise<FastifyInstance> => {
    const swaggerUi = requireModule('@fastify/swagger-ui') as typeof import('@fastify/swagger-ui').default;
    const docsApp = Fastify({ logger: false });
    // An unknown path under the prefix answers as every unknown admin-plane path does.
    docsApp.setNotFoundHandler((request, reply) =>
      sendProblem(reply, 404, `No route ${request.method} ${request.url.split('?')[0]}`),
    );
    // app.swagger() is typed for every OpenAPI version; ours is 3.0, which the static mode takes.
    const document = app.swagger() as StaticDocumentSpec['document'];
    await docsApp.register(swagger, { mode: 'static', specification: { document } });
    await docsApp.register(swaggerUi, {
      routePrefix,
      // The page shows this project: its own title, and no top bar (Fastify's logo and an "Explore" box for
      // loading some other document). The document's title, version and description head the page instead.
      theme: { title: 'fake-marketo: Swagger UI' },
      uiConfig: {
        layout: 'BaseLayout',
        docExpansion: 'list',
        // A token put in "Authorize" survives a reload of the page.
        persistAuthorization: true,
        displayRequestDuration: true,
      },
    });
    await docsApp.ready();
    return docsApp;
  };
  const serve = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const docsApp = await (docs ??= build().catch((error: unknown) => {
      docs = undefined;
      throw error;
    }));
    reply.hijack();
    docsApp.routing(request.raw, reply.raw);
  };
  app.get(routePrefix, { schema: { hide: true } }, serve);
  app.get(`${routePrefix}/*`, { schema: { hide: true } }, serve);
  app.addHook('onClose', async () => {
    if (docs) await (await docs.catch(() => undefined))?.close();
  });
}
