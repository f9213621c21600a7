import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemSchema } from './problem.js';

/** A stale `If-Match`: HTTP 412, answered as problem+json by the admin error handler (any 4xx status is). */
export class PreconditionFailedError extends Error {
  readonly statusCode = 412;
  constructor(message: string) {
    super(message);
    this.name = 'PreconditionFailedError';
  }
}

/** The 412 answer, for route schemas that honour If-Match. */
export const preconditionResponse = { 412: problemSchema } as const;

/**
 * `If-Match` on a role (decision of issue 11): a quoted or bare etag, several separated by commas, `W/` tolerated;
 * `*` matches any; a stale one is 412. Checked inside the transaction that makes the change, so that of requests
 * racing with the same etag exactly one is applied.
 */
export function checkIfMatch(request: FastifyRequest, currentEtag: string): void {
  const header = request.headers['if-match'];
  if (header === undefined) return;
  const tags = header
    .split(',')
    .map((tag) =>
      tag
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .filter((tag) => tag !== '');
  if (tags.includes('*') || tags.includes(currentEtag)) return;
  throw new PreconditionFailedError(
    `If-Match ${header} does not match the current etag "${currentEtag}": the resource changed since it was read`,
  );
}

/** Sets the `ETag` of an answer from the resource's etag. */
export function withEtag<T extends { etag: string }>(reply: FastifyReply, resource: T): T {
  reply.header('etag', `"${resource.etag}"`);
  return resource;
}
