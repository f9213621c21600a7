import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { sendMarketoFailure } from './envelope.js';

/** onRequest hook, after authentication: Marketo's rate (606), concurrency (615) and daily quota (607). */
export function enforceLimits(ctx: AppContext) {
  const { limits } = ctx.harness;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!limits.enabled) return;
    const admission = limits.admit();
    if (!admission.admitted) {
      await sendMarketoFailure(request, reply, admission.rejection.code, admission.rejection.message);
      return;
    }
    request.limitAdmittedAt = admission.at;
  };
}

/**
 * onResponse and onRequestAbort hook: the call leaves the in-flight count (once, even if both fire); calls
 * Marketo does not count are given back.
 */
export function releaseLimits(ctx: AppContext) {
  const { limits } = ctx.harness;
  return async (request: FastifyRequest): Promise<void> => {
    if (request.limitAdmittedAt === undefined) return;
    limits.finish(request.limitAdmittedAt, request.marketoCode);
    request.limitAdmittedAt = undefined;
  };
}
