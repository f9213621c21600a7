import type { PermissionKey } from '../domain/permissions.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { quotaDay } from '../domain/limits.js';
import { lastSevenDays } from '../domain/usage.js';
import { successEnvelope } from '../http/envelope.js';
import { envelopeOf } from '../http/marketo-schemas.js';

const tags = ['Marketo: Usage'];
// Stats need a valid token but no permission (Adobe's specs: "Required Permissions: None").
const NONE: readonly PermissionKey[] = [];

const usageItem = z.object({
  date: z.string(),
  total: z.number().int(),
  users: z.array(z.object({ userId: z.string(), count: z.number().int() })),
});

const errorsItem = z.object({
  date: z.string(),
  total: z.number().int(),
  errors: z.array(z.object({ errorCode: z.string(), count: z.number().int() })),
});

// Built once per process, not per instance.
const usageEnvelope = envelopeOf(usageItem);
const errorsEnvelope = envelopeOf(errorsItem);

/** API usage and errors per day (US Central days, as the quota), counted from real traffic. */
export const statsRoutes: FastifyPluginAsyncZod = async (app) => {
  const today = (now: number) => [quotaDay(now)];
  const week = (now: number) => lastSevenDays(now);

  for (const [url, summary, days] of [
    ['/rest/v1/stats/usage.json', 'Get Daily Usage', today],
    ['/rest/v1/stats/usage/last7days.json', 'Get Last 7 Days Usage', week],
  ] as const) {
    app.get(
      url,
      { config: { permissions: NONE }, schema: { tags, summary, response: { 200: usageEnvelope } } },
      async (request) =>
        successEnvelope(request.marketoRequestId(), request.ctx.harness.usage.usage(days(request.ctx.clock.now()))),
    );
  }

  for (const [url, summary, days] of [
    ['/rest/v1/stats/errors.json', 'Get Daily Errors', today],
    ['/rest/v1/stats/errors/last7days.json', 'Get Last 7 Days Errors', week],
  ] as const) {
    app.get(
      url,
      { config: { permissions: NONE }, schema: { tags, summary, response: { 200: errorsEnvelope } } },
      async (request) =>
        successEnvelope(request.marketoRequestId(), request.ctx.harness.usage.errors(days(request.ctx.clock.now()))),
    );
  }
};
