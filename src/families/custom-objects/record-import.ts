import type { ImportColumns, ImportRowOutcome } from '../../domain/bulk-import.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { ObjectRepository } from '../../engines/objects/object-repository.js';
import { type ObjectEnv, type ObjectHooks, syncObjects } from '../../engines/objects/object-rules.js';
import type { ObjectType } from '../../engines/objects/object-type.js';
import type { FamilyInfra } from '../../family.js';
import type { CustomObjectImport } from '../../ports.js';
import { customObjectSettings } from './settings.js';

/**
 * The customObjectImport port (src/ports.ts): bulk import's rows written into the records of an approved type
 * (bulk-custom-object-import.md), each as one record of Sync Custom Objects with createOrUpdate by the dedupe fields
 * — the same checks, links and reasons (they are the failures file's reasons).
 */

/** The failure reason of a row that lacks a dedupe field, as bulk-custom-object-import.md's failures file shows it. */
export const MISSING_DEDUPE_FIELDS = 'missing.dedupe.fields';

export function customObjectImportPort(
  repo: ObjectRepository,
  infra: FamilyInfra,
  of: {
    /** The approved type's records' type by API name, or undefined. */
    recordType(env: ObjectEnv, apiName: string): ObjectType | undefined;
    hooks: ObjectHooks;
  },
): CustomObjectImport {
  const env: ObjectEnv = { port: infra.port, repo: infra.repo };
  // As Sync Custom Objects answers first: 1026 while custom objects are off, 1013 for no approved type of the name.
  const typeOf = (apiName: string): ObjectType => {
    if (!infra.repo(customObjectSettings).get().enabled) throw new MarketoError('1026', marketoMessage('1026'));
    const type = of.recordType(env, apiName);
    if (!type) throw new MarketoError('1013', formatMessage(DETAIL_MESSAGES.unknownCustomObject, apiName));
    return type;
  };
  return {
    typeName: (apiName) => typeOf(apiName).name,
    columns(apiName, header): ImportColumns {
      const { catalog } = typeOf(apiName);
      // Decision (README "Bulk import"): a column that names no field of the type is left out, and header names are
      // not trimmed: bulk-custom-object-import.md's " vin" column names nothing, and the import completes with each
      // row failed for its missing dedupe field.
      return header.map((name) => catalog.find(name)?.name ?? null);
    },
    importRows({ apiName, rows, at }): ImportRowOutcome[] {
      const type = typeOf(apiName);
      const call = { type, repo, hooks: of.hooks, env, now: at };
      return rows.map((row): ImportRowOutcome => {
        if (type.dedupeFields.some((field) => row[field.name] === undefined)) {
          return { imported: false, reason: MISSING_DEDUPE_FIELDS };
        }
        // One row a call: a key twice in a file updates twice, as two calls would, wherever the steps divide it.
        const result = syncObjects(call, { action: 'createOrUpdate', dedupeBy: 'dedupeFields', input: [row] })[0]!;
        return result.status === 'skipped'
          ? { imported: false, reason: result.reasons.map((reason) => reason.message).join('; ') }
          : { imported: true, warnings: [] };
      });
    },
  };
}
