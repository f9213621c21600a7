import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { type AnyFamily, familyRepo } from '../family.js';
import { statsRoutes } from '../routes/stats.js';
import { releaseLimits } from './limits.js';
import { marketoGate } from './marketo-gate.js';
import type { MarketoRouteTable } from './marketo-routes.js';
import { named } from './plugin-names.js';
import { recordOutcomes } from '../domain/journal.js';
import { checkResponses } from './response-checks.js';
import type { Redispatch } from './form-tunnel.js';
import { apiScopeOf, wireFormatOf } from './wire-formats.js';
import { usableOnApi } from '../domain/permissions.js';
import { acceptMultipart } from './multipart.js';

/**
 * The Marketo plane's policy, for every route registered in it (the core's and each family's): Marketo's wire format
 * (no schema-driven serializer; JSON, form and multipart bodies), the gate on each route with the permissions it
 * declares, the limits released on response, and the route table behind 605/610 and the form tunnel. Registered once
 * for every subscription: its hooks read a call's state from `request.ctx`, and only the settings and the families'
 * list are taken here.
 */
export function marketoPlane(
  config: Config,
  families: readonly AnyFamily[],
  routeTable: MarketoRouteTable,
  redispatch: Redispatch,
) {
  return named('marketoPlane', async (marketo: FastifyInstance) => {
    // Marketo responses carry open-ended records (lead fields); the zod schemas document them.
    marketo.setSerializerCompiler(() => (data) => JSON.stringify(data));
    // Marketo takes JSON and form bodies; anything else is 612 Invalid Content Type.
    marketo.removeContentTypeParser('text/plain');
    // …and multipart/form-data, as the Asset API takes HTML documents and files: before any route (its hook runs
    // ahead of the routes' own preValidation steps).
    await acceptMultipart(marketo);
    const gate = marketoGate(config, routeTable, redispatch);
    marketo.addHook('onRoute', (route) => {
      if (route.config?.catchAll) return;
      if (route.config?.permissions === undefined) {
        throw new Error(`Marketo route ${String(route.method)} ${route.url} must declare config.permissions`);
      }
      // An Access Admin permission unlocks no API call, but Access Users on the User Management API: a route elsewhere
      // that asked for one would be unreachable, and one of the User Management API for another would grant it power.
      const misplaced = route.config.permissions.filter((key) => !usableOnApi(key, apiScopeOf(route.url)));
      if (misplaced.length > 0) {
        throw new Error(
          `Marketo route ${String(route.method)} ${route.url} declares ${misplaced.join(', ')}, which grants no API access there`,
        );
      }
      const takesBody = route.schema?.body !== undefined;
      for (const method of [route.method].flat()) {
        routeTable.add(method, route.url, route.config.permissions, takesBody);
      }
      // Set on each route, before its own hooks, with the route's permissions at hand.
      const gated = gate.route(route.config);
      route.onRequest = [gated.onRequest, ...[route.onRequest ?? []].flat()];
      // A route's own onRequest hooks (none so far) run before a gate deferred to the body: checks on the caller
      // belong in preValidation, after this one.
      route.preValidation = [gated.preValidation, ...[route.preValidation ?? []].flat()];
      // Access may change while a body arrives: the handler acts on access as it stands when it runs.
      route.handler = gated.handler(route.handler);
    });
    gate.registerCatchAll(marketo);
    marketo.addHook('onResponse', releaseLimits.onResponse);
    // The journal's per-record outcome counts, from the answer before it is serialized (src/domain/journal.ts).
    marketo.addHook('preSerialization', (request, _reply, payload, done) => {
      request.outcomes = recordOutcomes(payload);
      done(null, payload);
    });
    marketo.addHook('onRequestAbort', releaseLimits.onRequestAbort);
    if (config.RESPONSE_CHECKS === 'fail') checkResponses(marketo);
    for (const [index, family] of families.entries()) await registerFamilyRoutes(marketo, family, index);
    await marketo.register(statsRoutes);
  });
}

/** A family's Marketo routes, each checked to answer in the wire format the family declares. */
async function registerFamilyRoutes(marketo: FastifyInstance, family: AnyFamily, index: number) {
  const routes = family.marketoRoutes;
  if (!routes) return;
  if (!family.wireFormat)
    throw new Error(`resource family "${family.key}" has Marketo routes but declares no wireFormat`);
  const declared: readonly string[] = [family.wireFormat].flat();
  await marketo.register(
    named(`${family.key}Family`, async (scope: FastifyInstance) => {
      scope.addHook('onRoute', (route) => {
        const actual = wireFormatOf(route.url).name;
        if (!declared.includes(actual)) {
          throw new Error(
            `resource family "${family.key}" declares ${declared.join(', ')} but ${route.url} answers in the ${actual} format`,
          );
        }
      });
      await scope.register(named(family.key, routes), { repo: familyRepo(index) });
    }),
  );
}
