import type { RecordCode } from './marketo-codes.js';

/**
 * Marketo's record-level results, in input order (error-codes.md: "Records in the result array appear in the same
 * order as records in the request input array"), in its two shapes: the lead database's `{id, status}` and the
 * object APIs' `{seq, id | marketoGUID, status}` (companies, opportunities, custom objects…).
 */

/** The most records one call reads or writes (Sync Leads, object syncs, list membership, ids in a filter). */
export const MAX_BATCH = 300;

export const RECORD_STATUSES = [
  'created',
  'updated',
  'deleted',
  'skipped',
  'added',
  'removed',
  'memberof',
  'notmemberof',
] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export interface Reason {
  code: RecordCode;
  message: string;
}

/** Lead-database style: a skipped record carries its reasons (and, on a sync, no id). */
export type RecordResult<S extends Exclude<RecordStatus, 'skipped'> = Exclude<RecordStatus, 'skipped'>> =
  { id: number; status: S } | { id?: number; status: 'skipped'; reasons: Reason[] };

/** Object style: `seq` is the record's index in the input; the record is named by id or by marketoGUID. */
export type ObjectResult =
  | ({ seq: number; status: Exclude<RecordStatus, 'skipped'> } & ({ id: number } | { marketoGUID: string }))
  | { seq: number; status: 'skipped'; reasons: Reason[] };

export function skipped<S extends Exclude<RecordStatus, 'skipped'>>(reason: Reason, id?: number): RecordResult<S> {
  return id === undefined ? { status: 'skipped', reasons: [reason] } : { id, status: 'skipped', reasons: [reason] };
}

export function objectSkipped(seq: number, reason: Reason): ObjectResult {
  return { seq, status: 'skipped', reasons: [reason] };
}
