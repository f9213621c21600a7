import type { WriteOrigin } from './activity-log.js';
import { marketoMessage } from './marketo-codes.js';
import type { PartitionScope } from './lead-import.js';

/**
 * What a bulk import (src/families/bulk-import/) asks of the family that owns the records it writes: which field each
 * column of the file names, then rows written a step at a time. The ports are `leadImport` (the leads family),
 * `customObjectImport` (custom objects) and `programMemberImport` (program members), in src/ports.ts.
 */

/** What became of one row at its target: imported (perhaps with warnings), or failed with one reason. */
export type ImportRowOutcome = { imported: true; warnings: readonly string[] } | { imported: false; reason: string };

/**
 * The target's field for each column the header names, in its canonical spelling, in order; null for a column the
 * target leaves out. Or why the whole import fails (an unknown lead field: bulk-import docs, issue 25).
 */
export type ImportColumns = (string | null)[] | { problem: string };

/**
 * A header's columns as the target's field names, through `fieldNamed` (a name → the canonical one, or undefined).
 * Decision (README "Bulk import"): header names are trimmed; a column without a name (a trailing delimiter) is left
 * out. An unknown column fails the whole import, with Sync Leads' 1006 message.
 */
export function columnsOfHeader(
  header: readonly string[],
  fieldNamed: (name: string) => string | undefined,
): ImportColumns {
  const fields: (string | null)[] = [];
  for (const column of header) {
    const name = column.trim();
    if (name === '') {
      fields.push(null);
      continue;
    }
    const field = fieldNamed(name);
    if (field === undefined) return { problem: marketoMessage('1006', name) };
    fields.push(field);
  }
  return fields;
}

/** A step's rows, field → the value as the file has it (empty cells left out: the field is kept as it is). */
export type ImportRows = readonly Readonly<Record<string, string>>[];

/** Rows of a custom object import (bulk-custom-object-import.md), written by Sync Custom Objects' rules. */
export interface CustomObjectImportBatch {
  /** The type's API name, as `customObjectImport.typeName` answered it. */
  apiName: string;
  rows: ImportRows;
  origin: WriteOrigin;
  /** When the writes happen: the step's time on the fake's clock. */
  at: number;
}

/** Rows of a program member import (bulk-program-member-import.md): each row's lead made a member with a status. */
export interface ProgramMemberImportBatch {
  programId: number;
  /** The status the members get, as `programMemberImport.check` answered it. */
  statusName: string;
  /** The caller's partitions when the import was made: where its leads are found and created. */
  scope: PartitionScope;
  origin: WriteOrigin;
  rows: ImportRows;
  at: number;
}
