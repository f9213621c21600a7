import type { WriteOrigin } from './activity-log.js';
import type { Reason } from './results.js';

/**
 * Rows written into the lead database by another family (a bulk import), by Sync Leads' rules: the `leadImport` port
 * (src/ports.ts), which the leads family provides.
 */

/** The caller's partitions, from request.access: where it may find leads, and where it may write them. */
export interface PartitionScope {
  readable: ReadonlySet<number>;
  writable: ReadonlySet<number>;
}

/** A batch of rows to sync as Sync Leads would (createOrUpdate; updateOnly when the lookup field is `id`). */
export interface LeadImportBatch {
  scope: PartitionScope;
  /** Who made the import; its activities name this request and user. */
  origin: WriteOrigin;
  /** A lookup field as `leadImport.lookupField` answered it. */
  lookupField: string;
  partitionName?: string;
  /** Each row: REST API field name → the value as the file has it; empty cells are left out (the field is kept). */
  rows: readonly Readonly<Record<string, string>>[];
  /** When the writes happen (the import step's time on the fake's clock): leads' times and their activities'. */
  at: number;
}

/** What became of one row: imported (perhaps with warnings), or failed with Sync Leads' record-level reasons. */
export type LeadImportOutcome =
  | { status: 'created' | 'updated'; leadId: number; partitionId: number; warnings: readonly Reason[] }
  | { status: 'failed'; reasons: readonly Reason[] };
