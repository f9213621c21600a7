import { z } from 'zod';
import { marketoMessage } from '../../domain/marketo-codes.js';
import { defineImportJob, type ImportTarget, type RowOutcome } from './import-job.js';

/**
 * Bulk lead import (bulk-lead-import.md): each row synced into the lead database as Sync Leads syncs a record (the
 * `leadImport` port), and with `listId` made a member of that list (the `staticLists` port).
 */

const leadImportOptions = z.strictObject({
  /** The lookup field, as `leadImport.lookupField` spells it. */
  lookupField: z.string().min(1),
  listId: z.number().int().optional(),
  partitionName: z.string().optional(),
  /** The caller's partitions when the import was made: its rows are written with them (README "Bulk import"). */
  scope: z.strictObject({ readable: z.array(z.number().int()), writable: z.array(z.number().int()) }),
  /** Who made the import: its activities name this request and user. */
  origin: z.strictObject({ requestId: z.string(), user: z.string() }),
});

export type LeadImportOptions = z.infer<typeof leadImportOptions>;

/** The API Method Name of the activities a lead import writes (its operation, importLeadUsingPOST). */
const IMPORT_METHOD = 'importLead';

export const leadTarget: ImportTarget<LeadImportOptions> = {
  options: leadImportOptions,
  columns(header, { port }) {
    const catalog = port('leads').catalog();
    const fields: string[] = [];
    for (const name of header) {
      const field = catalog.find(name);
      // An unknown column fails the whole import, with Sync Leads' 1006 message.
      if (!field) return { problem: marketoMessage('1006', name) };
      fields.push(field.name);
    }
    return fields;
  },
  importRows(rows, options, { port, at }) {
    const outcomes = port('leadImport').importRows({
      scope: { readable: new Set(options.scope.readable), writable: new Set(options.scope.writable) },
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
