import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { MarketoError } from '../domain/errors.js';

/** Step of the Marketo gate, after authentication: Marketo's rate (606), concurrency (615) and daily quota (607). */
export function enforceLimits(request: FastifyRequest): void {
  const { limits } = request.ctx.harness;
  if (!limits.enabled) return;
  const admission = limits.admit();
  if (!admission.admitted) throw new MarketoError(admission.rejection.code, admission.rejection.message);
  request.limitAdmittedAt = admission.at;
}

/**
 * onResponse and onRequestAbort hooks (callback style: they run on every call): the call leaves the in-flight
 * count (once, even if both fire); calls Marketo does not count are given back.
 */
function release(request: FastifyRequest): void {
  if (request.limitAdmittedAt === undefined) return;
  // The limits that admitted the call: those of the subscription it was addressed to.
  request.ctx.harness.limits.finish(request.limitAdmittedAt, request.marketoCode);
  request.limitAdmittedAt = undefined;
}

export const releaseLimits = {
  onResponse: (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    release(request);
    done();
  },
  onRequestAbort: (request: FastifyRequest, done: HookHandlerDoneFunction): void => {
    release(request);
    done();
  },
};
