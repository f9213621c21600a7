import { z } from 'zod';
import { defineImportJob, importOrigin, type ImportTarget } from './import-job.js';

/**
 * Bulk custom object import (bulk-custom-object-import.md): each row written into the records of an approved type by
 * the family that owns them (the `customObjectImport` port), insert or update by the type's dedupe fields.
 */

const customObjectImportOptions = z.strictObject({
  /** The type's API name, as `customObjectImport.typeName` answered it. */
  apiName: z.string().min(1),
  origin: importOrigin,
});

export type CustomObjectImportOptions = z.infer<typeof customObjectImportOptions>;

/** The API Method Name of what a custom object import writes (its operation, importCustomObjectUsingPOST). */
const IMPORT_METHOD = 'importCustomObject';

export const customObjectTarget: ImportTarget<CustomObjectImportOptions> = {
  options: customObjectImportOptions,
  columns: (header, { apiName }, { port }) => port('customObjectImport').columns(apiName, header),
  importRows: (rows, { apiName, origin }, { port, at }) =>
    port('customObjectImport').importRows({ apiName, rows, origin: { ...origin, method: IMPORT_METHOD }, at }),
};

export const customObjectImportJob = defineImportJob(customObjectTarget);
