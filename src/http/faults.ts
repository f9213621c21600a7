import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { faultMessage, INJECTED_JOB_FAILURE } from '../domain/faults.js';
import { sendMarketoFailure } from './wire-formats.js';

/**
 * Hook for injected faults (onRequest on the Marketo plane, preHandler on the identity endpoint, whose client id
 * may be in a form body): a matching rule answers with its Marketo error
 * or HTTP status, or delays the call and lets it run, or marks the job the call enqueues to fail. `clientIdOf` says who calls on this plane.
 */
export function injectFaults(clientIdOf: (request: FastifyRequest) => string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { faults } = request.ctx.harness;
    if (faults.empty) return;
    const clientId = faults.matchesClientIds ? clientIdOf(request) : undefined;
    const rule = faults.fire(request.method, request.url.split('?')[0]!, clientId);
    if (!rule) return;
    request.faultId = rule.id;
    const { respond } = rule;
    // An injected answer is what the rule says, not what the route's response schema allows.
    const asJson = () => reply.serializer((payload) => JSON.stringify(payload));
    if ('delayMs' in respond) {
      await sleep(respond.delayMs);
      return;
    }
    if ('failJob' in respond) {
      // The call goes on; the route that enqueues a job marks it to fail (src/families/bulk-extract).
      request.injectedJobFailure = respond.failJob.message ?? INJECTED_JOB_FAILURE;
      return;
    }
    if ('marketoError' in respond) {
      asJson();
      const { code, message } = respond.marketoError;
      await sendMarketoFailure(request, reply, code, faultMessage(code, message));
      return;
    }
    request.answeredAsIs = true;
    if (respond.body === undefined) await reply.code(respond.httpStatus).type('text/plain').send('');
    else await asJson().code(respond.httpStatus).type('application/json').send(respond.body);
  };
}

/** The client id an identity request names, in the query or in a form body. */
export function identityClientId(request: FastifyRequest): string | undefined {
  for (const params of [request.query, request.body] as (Record<string, unknown> | undefined | null)[]) {
    const value = params?.client_id;
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  }
  return undefined;
}
