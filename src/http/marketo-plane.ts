import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { AppContext } from '../context.js';
import { type AnyFamily, familyRepo } from '../family.js';
import { statsRoutes } from '../routes/stats.js';
import { releaseLimits } from './limits.js';
import { marketoGate } from './marketo-gate.js';
import { judgeAgainInHandler } from './rejudge.js';
import type { MarketoRouteTable } from './marketo-routes.js';
import { named } from './plugin-names.js';
import { recordOutcomes } from '../domain/journal.js';
import { checkResponses } from './response-checks.js';
import { stubGate } from './stubs.js';
import { formBodyNeedsTunnel, type Redispatch } from './form-tunnel.js';
import { apiScopeOf, wireFormatOf } from './wire-formats.js';
import { usableOnApi } from '../domain/permissions.js';

/**
 * The Marketo plane's policy, for every route registered in it (the core's and each family's): Marketo's wire format
 * (no schema-driven serializer, JSON and form bodies only), the gate on each route with the permissions it declares,
 * the limits released on response, and the route table behind 605/610 and the form tunnel.
 */
export function marketoPlane(ctx: AppContext, routeTable: MarketoRouteTable, redispatch: Redispatch) {
  return named('marketoPlane', async (marketo: FastifyInstance) => {
    // Marketo responses carry open-ended records (lead fields); the zod schemas document them.
    marketo.setSerializerCompiler(() => (data) => JSON.stringify(data));
    // Marketo takes JSON and form bodies; anything else is 612 Invalid Content Type.
    marketo.removeContentTypeParser('text/plain');
    const gateFor = marketoGate(ctx);
    const judgeAgain = judgeAgainInHandler(ctx);
    const stubbing = stubGate(ctx, routeTable);
    /**
     * A form POST sent straight to its route (normalise.ts): once its body is read, a `_method` or `access_token`
     * in it sends the call through the form tunnel, as before; else the gate's steps run (deferred as for stubs).
     */
    const formPosts = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
      if (!request.formPending) return done();
      request.formPending = false;
      if (!formBodyNeedsTunnel(request.body)) {
        request.stubPending = true;
        return done();
      }
      request.redispatched = true;
      redispatch(request, reply, request.url).then(
        () => undefined,
        (error: Error) => done(error),
      );
    };
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
      for (const method of [route.method].flat()) routeTable.add(method, route.url, route.config.permissions);
      // Set on each route, before its own hooks, with the route's permissions at hand.
      route.onRequest = [gateFor(route.config), ...[route.onRequest ?? []].flat()];
      // Access may change while a body arrives: the handler acts on access as it stands when it runs.
      route.handler = judgeAgain(route.config, route.handler);
      // A route's own onRequest hooks (none so far) run before a gate deferred to the stubs: checks on the caller
      // belong in preValidation, after this one.
      route.preValidation = [formPosts, stubbing.forRoute(route.config), ...[route.preValidation ?? []].flat()];
    });
    stubbing.register(marketo);
    const release = releaseLimits(ctx);
    marketo.addHook('onResponse', release.onResponse);
    // The journal's per-record outcome counts, from the answer before it is serialized (src/domain/journal.ts).
    marketo.addHook('preSerialization', (request, _reply, payload, done) => {
      request.outcomes = recordOutcomes(payload);
      done(null, payload);
    });
    marketo.addHook('onRequestAbort', release.onRequestAbort);
    if (ctx.config.RESPONSE_CHECKS === 'fail') checkResponses(marketo);
    for (const [index, { family }] of ctx.families.entries()) await registerFamilyRoutes(marketo, family, index);
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
