import { z } from 'zod';
import { columnsOfHeader } from '../../domain/bulk-import.js';
import {
  defineImportJob,
  importOrigin,
  importScope,
  type ImportTarget,
  type RowOutcome,
  scopeOf,
} from './import-job.js';

/**
 * Bulk lead import (bulk-lead-import.md): each row synced into the lead database as Sync Leads syncs a record (the
 * `leadImport` port), and with `listId` made a member of that list (the `staticLists` port).
 */

const leadImportOptions = z.strictObject({
  /** The lookup field, as `leadImport.lookupField` spells it. */
  lookupField: z.string().min(1),
  listId: z.number().int().optional(),
  partitionName: z.string().optional(),
  scope: importScope,
  origin: importOrigin,
});

export type LeadImportOptions = z.infer<typeof leadImportOptions>;

/** The API Method Name of the activities a lead import writes (its operation, importLeadUsingPOST). */
const IMPORT_METHOD = 'importLead';

export const leadTarget: ImportTarget<LeadImportOptions> = {
  options: leadImportOptions,
  columns(header, _options, { port }) {
    const catalog = port('leads').catalog();
    return columnsOfHeader(header, (name) => catalog.find(name)?.name);
  },
  importRows(rows, options, { port, at }) {
    const outcomes = port('leadImport').importRows({
      scope: scopeOf(options.scope),
      origin: { ...options.origin, method: IMPORT_METHOD },
      lookupField: options.lookupField,
      ...(options.partitionName !== undefined ? { partitionName: options.partitionName } : {}),
      rows,
      at,
    });
    if (options.listId !== undefined) {
      const members = outcomes.flatMap((outcome) =>
        outcome.status === 'failed' ? [] : [{ id: outcome.leadId, partitionId: outcome.partitionId }],
      );
      if (members.length > 0) port('staticLists').addMembers(options.listId, members, at);
    }
    return outcomes.map((outcome): RowOutcome =>
      outcome.status === 'failed'
        ? { imported: false, reason: outcome.reasons.map((reason) => reason.message).join('; ') }
        : { imported: true, warnings: outcome.warnings.map((warning) => warning.message) },
    );
  },
};

export const leadImportJob = defineImportJob(leadTarget);
