import type { FastifyRequest } from 'fastify';
import { MarketoError } from '../domain/errors.js';
import { marketoMessage } from '../domain/marketo-codes.js';
import type { Lead } from '../domain/model.js';
import { decodePageToken, encodePageToken, queryDigest } from '../domain/paging.js';
import { successEnvelope } from './envelope.js';

/** What the lead database's paged reads share: token paging, a lead named in the path, an updatedAt window. */

/**
 * One page of a token-paged read, in the lead database's envelope. `rowsAfter(key, limit)` answers up to `limit`
 * rows whose key is above the token's (asked for one more than the page, to tell whether more follow); the token
 * holds the last key of the page and a digest of the query it belongs to (`digestOf`).
 */
export function tokenPage<Row, Out>(
  request: FastifyRequest,
  paging: { batchSize: number; nextPageToken?: string | undefined },
  digestOf: readonly unknown[],
  rowsAfter: (afterKey: number, limit: number) => readonly Row[],
  keyOf: (row: Row) => number,
  recordOf: (row: Row, index: number) => Out,
) {
  const now = request.ctx.clock.now();
  const digest = queryDigest(digestOf);
  const after = paging.nextPageToken ? decodePageToken(paging.nextPageToken, digest, now) : 0;
  const page = rowsAfter(after, paging.batchSize + 1);
  const more = page.length > paging.batchSize;
  const rows = more ? page.slice(0, paging.batchSize) : page;
  return successEnvelope(
    request.marketoRequestId(),
    rows.map(recordOf),
    more ? { moreResult: true, nextPageToken: encodePageToken(keyOf(rows.at(-1)!), digest, now) } : {},
  );
}

/** `rowsAfter` over rows already in key order (a lead's memberships). */
export function keyedAfter<Row>(rows: readonly Row[], keyOf: (row: Row) => number) {
  return (afterKey: number, limit: number): Row[] => rows.filter((row) => keyOf(row) > afterKey).slice(0, limit);
}

/** The lead a path names, when the caller can read its partition; else response-level 1004 (Lead not found). */
export function readableLead(request: FastifyRequest, leadId: number): Lead {
  const lead = request.ctx.port('leads').find(leadId);
  if (!lead || !request.access.canRead(lead.partitionId, 'lead'))
    throw new MarketoError('1004', marketoMessage('1004'));
  return lead;
}

/** `earliestUpdatedAt`/`latestUpdatedAt` (validated ISO 8601) as a test of an updatedAt. */
export function updatedWithin(query: { earliestUpdatedAt?: string | undefined; latestUpdatedAt?: string | undefined }) {
  const from = query.earliestUpdatedAt !== undefined ? Date.parse(query.earliestUpdatedAt) : -Infinity;
  const to = query.latestUpdatedAt !== undefined ? Date.parse(query.latestUpdatedAt) : Infinity;
  return (updatedAt: number): boolean => updatedAt >= from && updatedAt <= to;
}
