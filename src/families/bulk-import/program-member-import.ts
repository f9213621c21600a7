import { z } from 'zod';
import { defineImportJob, importOrigin, importScope, type ImportTarget, scopeOf } from './import-job.js';

/**
 * Bulk program member import (bulk-program-member-import.md): each row's lead made a member of the program with the
 * import's status by the family that owns program members (the `programMemberImport` port).
 */

const programMemberImportOptions = z.strictObject({
  programId: z.number().int(),
  /** The status, as `programMemberImport.check` spelled it. */
  statusName: z.string().min(1),
  scope: importScope,
  origin: importOrigin,
});

export type ProgramMemberImportOptions = z.infer<typeof programMemberImportOptions>;

/** The API Method Name of what a program member import writes (its operation, importProgramMemberUsingPOST). */
const IMPORT_METHOD = 'importProgramMember';

export const programMemberTarget: ImportTarget<ProgramMemberImportOptions> = {
  options: programMemberImportOptions,
  columns: (header, _options, { port }) => port('programMemberImport').columns(header),
  importRows: (rows, options, { port, at }) =>
    port('programMemberImport').importRows({
      programId: options.programId,
      statusName: options.statusName,
      scope: scopeOf(options.scope),
      origin: { ...options.origin, method: IMPORT_METHOD },
      rows,
      at,
    }),
};

export const programMemberImportJob = defineImportJob(programMemberTarget);
