import type { NewActivity } from '../../domain/activity-log.js';
import { columnsOfHeader, type ImportColumns, type ImportRowOutcome } from '../../domain/bulk-import.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { LeadValue } from '../../domain/model.js';
import { coerceFieldValue, type ObjectField } from '../../engines/objects/fields.js';
import type { FamilyInfra } from '../../family.js';
import type { ProgramMemberImport } from '../../ports.js';
import type { ProgramMemberRepository } from './member-repository.js';
import { changeStatus, statusOf } from './rules.js';

/**
 * The programMemberImport port (src/ports.ts): bulk-program-member-import.md's rows. "Records can contain lead
 * fields, custom lead fields, and custom program member fields … All records must include the email field, which is
 * used for deduplication purposes": each row's lead fields are synced as a bulk lead import syncs them (the
 * `leadImport` port, lookupField email: created or updated, New Lead and Change Data Value, an invalid email a
 * warning), then the lead is made a member of the program at the import's status by the rules of every status change
 * (rules.ts: Change Status in Progression, 104, old → new), and its custom program member fields are set.
 *
 * Decisions (README "Program members"):
 * - a member already further along the progression keeps its status: the row is imported (its lead and custom fields
 *   written) with the backwards-status message as its warning;
 * - a custom program member field value that is not of the field's type fails the row before anything is written,
 *   worded as the doc's failures file words a lead field's ("Invalid data type in field Lead Score"); so does a row
 *   with an empty email cell (1002's text);
 * - a header names lead fields and custom program member fields (the custom field when a name is both); a column
 *   naming neither fails the whole import with Sync Leads' 1006 message, as a lead import's does; names are trimmed,
 *   and a column without a name is left out.
 */

/** The lookup field of every program member import: "All records must include the email field". */
const LOOKUP_FIELD = 'email';

export function programMemberImportPort(
  repo: ProgramMemberRepository,
  infra: FamilyInfra,
  customFields: () => readonly ObjectField[],
): ProgramMemberImport {
  const customNamed = (name: string): ObjectField | undefined => {
    const wanted = name.toLowerCase();
    return customFields().find((field) => field.name.toLowerCase() === wanted);
  };
  return {
    check({ programId, statusName, workspaces }) {
      const places = infra.port('assetPlaces');
      const program = places.program(programId);
      const progression = program && places.progressionOf(programId);
      if (!program || !progression || !workspaces.includes(program.workspaceId)) {
        throw new MarketoError('1013', marketoMessage('1013'));
      }
      // "Not in Program" is no status a member holds (rules.ts): 1025 as for any name the channel lacks.
      const status = statusOf(progression, statusName);
      if (!status) throw new MarketoError('1025', marketoMessage('1025'));
      return status.name;
    },

    columns(header): ImportColumns {
      const catalog = infra.port('leads').catalog();
      const fields = columnsOfHeader(header, (name) => (customNamed(name) ?? catalog.find(name))?.name);
      if (!Array.isArray(fields)) return fields;
      if (!fields.includes(LOOKUP_FIELD)) return { problem: DETAIL_MESSAGES.importNeedsEmail };
      return fields;
    },

    importRows({ programId, statusName, scope, origin, rows, at }): ImportRowOutcome[] {
      const places = infra.port('assetPlaces');
      const program = places.program(programId);
      const progression = program && places.progressionOf(programId);
      // The program deleted while the import waited: every row fails, nothing is written.
      if (!program || !progression) {
        const reason = formatMessage(DETAIL_MESSAGES.programNotFound, programId);
        return rows.map(() => ({ imported: false, reason }));
      }
      const outcomes: ImportRowOutcome[] = new Array(rows.length);
      const leadRows: Record<string, string>[] = [];
      const memberValues: Record<string, LeadValue>[] = [];
      const rowOf: number[] = [];
      rows.forEach((row, i) => {
        // "All records must include the email field": a row whose email cell is empty fails (not a lead without one).
        if (row[LOOKUP_FIELD] === undefined) {
          outcomes[i] = { imported: false, reason: marketoMessage('1002', LOOKUP_FIELD) };
          return;
        }
        const leadRow: Record<string, string> = {};
        const values: Record<string, LeadValue> = {};
        for (const [name, raw] of Object.entries(row)) {
          const field = customNamed(name);
          if (!field) {
            leadRow[name] = raw;
            continue;
          }
          const coerced = coerceFieldValue(field, raw);
          if (!coerced.ok) {
            outcomes[i] = {
              imported: false,
              reason: formatMessage(DETAIL_MESSAGES.importInvalidType, field.displayName),
            };
            return;
          }
          values[field.name] = coerced.value;
        }
        leadRows.push(leadRow);
        memberValues.push(values);
        rowOf.push(i);
      });
      const leads = infra
        .port('leadImport')
        .importRows({ scope, origin, lookupField: LOOKUP_FIELD, rows: leadRows, at });
      const activities: NewActivity[] = [];
      leads.forEach((lead, k) => {
        const i = rowOf[k]!;
        if (lead.status === 'failed') {
          outcomes[i] = { imported: false, reason: lead.reasons.map((reason) => reason.message).join('; ') };
          return;
        }
        const warnings = lead.warnings.map((warning) => warning.message);
        const member = { id: lead.leadId, partitionId: lead.partitionId };
        const change = changeStatus(
          repo,
          { program, progression, lead: member, statusName },
          (activity) => activities.push(activity),
          at,
        );
        if (change.outcome === 'skipped') warnings.push(change.message);
        const values = memberValues[k]!;
        if (Object.keys(values).length > 0) {
          const stored = repo.find(program.id, member.id)!;
          repo.update({ ...stored, customFields: { ...stored.customFields, ...values } }, at);
        }
        outcomes[i] = { imported: true, warnings };
      });
      if (activities.length > 0) infra.port('activityLog').record(activities);
      return outcomes;
    },
  };
}
