import {
  ACTIVITY,
  type ActivityAttribute,
  type ActivityRecorder,
  type NewActivity,
  type WriteOrigin,
} from '../../domain/activity-log.js';
import type { CompanyDirectory } from '../../ports.js';
import { formatDatetime } from '../../domain/datetime.js';
import { coerceFieldValue } from '../../engines/objects/fields.js';
import { leadActivities, leadLabel } from './activities.js';
import { MarketoError } from '../../domain/errors.js';
import type { LeadField, LeadFieldCatalog } from './lead-field-catalog.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage, type RecordCode, reason } from '../../domain/marketo-codes.js';
import { DEFAULT_PARTITION_ID, type Lead, type LeadValue, type Partition } from '../../domain/model.js';
import { MAX_BATCH, type Reason, type RecordResult as AnyRecordResult, skipped } from '../../domain/results.js';

export type { Reason };
/** What a lead write answers per record. */
export type RecordResult = AnyRecordResult<'created' | 'updated' | 'deleted'>;
import { MAX_JSON_DEPTH, pathTooDeep } from '../../domain/depth.js';
import type { LeadImportBatch, LeadImportOutcome, PartitionScope } from '../../domain/lead-import.js';

/**
 * Lead rules of the lead database (marketo-reference.md §3.3, §4.3, §6.1): record-level results in input
 * order, skipped records with reasons and no id, partition scoping by the caller's access.
 */

export type SyncAction = 'createOnly' | 'updateOnly' | 'createOrUpdate' | 'createDuplicate';

export interface SyncRequest {
  action: SyncAction;
  lookupField: string;
  partitionName?: string;
  input: Record<string, unknown>[];
}

export type { PartitionScope };

/** How a filter field is stored: its own column, or a case-insensitive string / a number in the JSON object. */
export type LeadColumn = 'id' | 'email' | 'partition' | 'json-text' | 'json-number';

export interface LeadFilter {
  column: LeadColumn;
  /** REST API name, for JSON-stored fields. */
  field: string;
  values: readonly (string | number)[];
  /** Only leads in these partitions are seen. */
  partitionIds: readonly number[];
}

/** What the lead rules need of storage (the lead repository). */
export interface LeadStore {
  find(id: number): Lead | undefined;
  page(filter: LeadFilter, afterId: number, limit: number): Lead[];
  /** `at`: the write's time (the clock's now when absent), its createdAt and updatedAt. */
  insert(partitionId: number, email: string | null, fields: Record<string, LeadValue>, at?: number): Lead;
  update(id: number, email: string | null, fields: Record<string, LeadValue>, at?: number): Lead;
  /** update for a lead as it is now, answered without reading the row back. */
  rewrite(lead: Lead, email: string | null, fields: Record<string, LeadValue>, at?: number): Lead;
  movePartition(id: number, partitionId: number): void;
  delete(id: number): void;
  transaction<T>(work: () => T): T;
}

export interface LeadRules {
  leads: LeadStore;
  catalog: LeadFieldCatalog;
  partitionByName(name: string): Partition | undefined;
  partitionName(id: number): string;
  /** Where every write records its activities (the activity log), and who made the write. */
  activities: ActivityRecorder;
  origin: WriteOrigin;
  /** Told before a merge deletes a loser, so that what it holds elsewhere (list memberships) moves to the winner. */
  leadMerging(loserId: number, winnerId: number): void;
  /** Companies (through their port), when the companies family is registered: a linked lead's company fields. */
  companies?: CompanyDirectory | undefined;
}

export { MAX_BATCH };

/** A record skipped, with its reason; thrown inside a sync and turned into its result. */
class Skip extends Error {
  readonly reason: Reason;
  constructor(code: RecordCode, message?: string) {
    super(message);
    this.reason = reason(code, message);
  }
}

const partitionDenied = (partitionName: string): Reason => reason('1008', marketoMessage('1008', partitionName));
const accessDenied = (partitionName: string) => new Skip('1008', partitionDenied(partitionName).message);
/** A partition named in a write: 1008 when there is none of that name (it says so) or the caller cannot write it. */
const partitionRefused = (partitionName: string, partition: Partition | undefined): Reason =>
  partition
    ? partitionDenied(partitionName)
    : reason('1008', formatMessage(DETAIL_MESSAGES.partitionNotFound, partitionName));
const fieldNotSupported = (name: string) => new MarketoError('1011', marketoMessage('1011', name));

/** How a searchable field is looked up in storage. */
export function filterColumn(field: LeadField): LeadColumn {
  if (field.name === 'id') return 'id';
  if (field.name === 'email') return 'email';
  if (field.name === 'leadPartitionId') return 'partition';
  return field.dataType === 'integer' ? 'json-number' : 'json-text';
}

/** A searchable field by name, or 1011 as Marketo answers for an unsupported filterType/lookupField. */
export function searchableField(catalog: LeadFieldCatalog, name: string): LeadField {
  const field = catalog.find(name);
  if (!field?.searchable) throw fieldNotSupported(name);
  return field;
}

/** A field Sync Leads and bulk import can match records on: searchable, and not the partition. */
export function lookupField(catalog: LeadFieldCatalog, name: string): LeadField {
  const lookup = searchableField(catalog, name);
  if (lookup.name === 'leadPartitionId') throw fieldNotSupported(name);
  return lookup;
}

/** What a bulk import learns of each record besides its result: the lead's partition, and the record's warnings. */
interface ImportNotes {
  partitionIds: number[];
  warnings: (Reason[] | undefined)[];
  /** When the writes happen. */
  at: number;
}

export function syncLeads(rules: LeadRules, scope: PartitionScope, request: SyncRequest): RecordResult[] {
  return syncRecords(rules, scope, request);
}

/**
 * A bulk import's rows, synced as Sync Leads syncs records: createOrUpdate, or updateOnly when the lookup field is
 * `id` ("Specify id to perform an update only operation", bulk-lead-import.md), with the same matching, partitions,
 * reasons and activities (the API Method Name the origin's). An email the address check refuses is kept and warned
 * about, the row imported (Segment, from a live instance: "invalid emails become warnings (row still imported)").
 */
export function importLeads(rules: LeadRules, batch: LeadImportBatch): LeadImportOutcome[] {
  const notes: ImportNotes = { partitionIds: [], warnings: [], at: batch.at };
  const results = syncRecords(
    rules,
    batch.scope,
    {
      action: batch.lookupField === 'id' ? 'updateOnly' : 'createOrUpdate',
      lookupField: batch.lookupField,
      ...(batch.partitionName !== undefined ? { partitionName: batch.partitionName } : {}),
      input: batch.rows as Record<string, unknown>[],
    },
    notes,
  );
  return results.map((result, i): LeadImportOutcome => {
    if (result.status === 'skipped') return { status: 'failed', reasons: result.reasons };
    return {
      status: result.status === 'created' ? 'created' : 'updated',
      leadId: result.id,
      partitionId: notes.partitionIds[i]!,
      warnings: notes.warnings[i] ?? [],
    };
  });
}

function syncRecords(
  rules: LeadRules,
  scope: PartitionScope,
  request: SyncRequest,
  notes?: ImportNotes,
): RecordResult[] {
  const lookup = lookupField(rules.catalog, request.lookupField);
  const at = notes?.at;
  const usesPartitionName = request.action !== 'updateOnly' && request.partitionName !== undefined;

  const targetPartition = (): number => {
    if (usesPartitionName) {
      const partition = rules.partitionByName(request.partitionName!);
      if (!partition || !scope.writable.has(partition.id)) {
        throw new Skip('1008', partitionRefused(request.partitionName!, partition).message);
      }
      return partition.id;
    }
    if (scope.writable.has(DEFAULT_PARTITION_ID)) return DEFAULT_PARTITION_ID;
    const writable = [...scope.writable];
    if (writable.length === 1) return writable[0]!;
    if (writable.length === 0) throw accessDenied(rules.partitionName(DEFAULT_PARTITION_ID));
    throw new Skip('1009');
  };

  const recorded: NewActivity[] = [];

  const syncOne = (record: Record<string, unknown>, index: number): RecordResult => {
    const warn = notes && ((warning: Reason) => (notes.warnings[index] ??= []).push(warning));
    const values = parseRecord(rules.catalog, record, request.action, warn);
    const lookupValue = lookup.name === 'id' ? values.id : values.fields[lookup.name];
    let match: Lead | undefined;
    if (request.action !== 'createDuplicate' && lookupValue !== undefined && lookupValue !== null) {
      match = findMatch(rules, scope, lookup, lookupValue, usesPartitionName ? targetPartition : undefined);
    } else if (request.action === 'updateOnly') {
      throw new Skip('1002', marketoMessage('1002', lookup.name));
    }

    if (rules.companies) refuseCompanyFields(rules.companies, values.fields, match);

    if (match) {
      if (request.action === 'createOnly') throw new Skip('1005');
      const updated = updateLead(rules, scope, match, values.fields, recorded, at);
      if (notes) notes.partitionIds[index] = match.partitionId;
      return updated;
    }
    if (request.action === 'updateOnly') throw new Skip('1004');
    const partitionId = targetPartition();
    if (notes) notes.partitionIds[index] = partitionId;
    return createLead(rules, partitionId, values.fields, recorded, at);
  };

  return rules.leads.transaction(() => {
    const results = request.input.map((record, index): RecordResult => {
      try {
        return syncOne(record, index);
      } catch (error) {
        if (error instanceof Skip) {
          // A skipped record is not imported: its warnings go with it.
          if (notes) notes.warnings[index] = undefined;
          return skipped(error.reason);
        }
        throw error;
      }
    });
    if (at !== undefined) for (const activity of recorded) activity.activityDate = at;
    // One batch into the log, inside the sync's transaction: the leads and their activities land together.
    if (recorded.length > 0) rules.activities.record(recorded);
    return results;
  });
}

/** A matched lead takes the values given (null empties a field); its changes go in the log. */
function updateLead(
  rules: LeadRules,
  scope: PartitionScope,
  match: Lead,
  values: Record<string, LeadValue>,
  recorded: NewActivity[],
  at?: number,
): RecordResult & { id: number } {
  if (!scope.writable.has(match.partitionId)) throw accessDenied(rules.partitionName(match.partitionId));
  const fields = { ...match.fields };
  for (const [name, value] of Object.entries(values)) {
    if (name === 'email') continue;
    if (value === null) delete fields[name];
    else fields[name] = value;
  }
  const email = 'email' in values ? (values.email as string | null) : match.email;
  recordChanges(rules, match, values, recorded);
  // Not read back (only its id is answered); an email that stays is left out of the UPDATE (repository.ts, rewrite).
  rules.leads.rewrite(match, email, fields, at);
  return { id: match.id, status: 'updated' };
}

/** A new lead in `partitionId`, with its New Lead activity. */
function createLead(
  rules: LeadRules,
  partitionId: number,
  values: Record<string, LeadValue>,
  recorded: NewActivity[],
  at?: number,
): RecordResult & { id: number } {
  const { email = null, ...fields } = values;
  for (const name of Object.keys(fields)) if (fields[name] === null) delete fields[name];
  const created = rules.leads.insert(partitionId, email as string | null, fields, at);
  recorded.push(
    leadActivities.newLead(rules.origin, {
      id: created.id,
      partitionId,
      label: leadLabel(created.id, email as string | null, fields),
    }),
  );
  return { id: created.id, status: 'created' };
}

/** A form fill out through the API: the form, the lead's values, and what the visitor's page tells. */
export interface FormSubmission {
  formId: number;
  formName: string;
  /** The form's fields, by lead field name in lower case: a value for a field the form has not is skipped. */
  formFields: ReadonlySet<string>;
  /** Where a new lead goes: the primary partition of the form's workspace (leads.md, Submit Form). */
  partitionId: number | undefined;
  values: Record<string, unknown>;
  /** The Fill Out Form activity's attributes from the visitor data (Client IP Address, Referrer URL, …). */
  attributes: readonly ActivityAttribute[];
  /** The values that are program member custom fields (lower case): not lead fields, the `join` sets them. */
  memberFields?: ReadonlySet<string>;
  /** Program membership (leads.md, Submit Form): run for the lead after its upsert, in the same transaction. */
  join?: (lead: { id: number; partitionId: number }, recorded: NewActivity[]) => void;
}

/**
 * Submit Form (leads.md): the lead of that email (among the partitions the caller reads) takes the values, or a new
 * one is made in the form's workspace's primary partition; a Fill Out Form activity (2) names the form. One
 * record result; a value for a field that is not on the form, or no email, skips it (1003, Decision, README).
 */
export function submitForm(rules: LeadRules, scope: PartitionScope, submission: FormSubmission): RecordResult {
  return rules.leads.transaction(() => {
    try {
      for (const name of Object.keys(submission.values)) {
        if (!submission.formFields.has(name.toLowerCase())) {
          throw new Skip('1003', `Field '${name}' is not on form ${submission.formId}`);
        }
      }
      const leadValues = Object.fromEntries(
        Object.entries(submission.values).filter(([name]) => !submission.memberFields?.has(name.toLowerCase())),
      );
      const values = parseRecord(rules.catalog, leadValues, 'createOrUpdate');
      const email = values.fields.email;
      if (typeof email !== 'string' || email === '') throw new Skip('1003', 'email is required');
      const match = findMatch(rules, scope, searchableField(rules.catalog, 'email'), email, undefined);
      if (rules.companies) refuseCompanyFields(rules.companies, values.fields, match);
      const recorded: NewActivity[] = [];
      let result: RecordResult & { id: number };
      if (match) result = updateLead(rules, scope, match, values.fields, recorded);
      else {
        const partitionId = submission.partitionId;
        if (partitionId === undefined || !scope.writable.has(partitionId)) {
          throw accessDenied(rules.partitionName(partitionId ?? DEFAULT_PARTITION_ID));
        }
        result = createLead(rules, partitionId, values.fields, recorded);
      }
      const partitionId = rules.leads.find(result.id)!.partitionId;
      recorded.push({
        leadId: result.id,
        partitionId,
        typeId: ACTIVITY.fillOutForm,
        primaryAttributeValueId: submission.formId,
        primaryAttributeValue: submission.formName,
        attributes: submission.attributes,
      });
      submission.join?.({ id: result.id, partitionId }, recorded);
      rules.activities.record(recorded);
      return result;
    } catch (error) {
      if (error instanceof Skip) return skipped(error.reason);
      throw error;
    }
  });
}

/**
 * "Company update not allowed during syncLead" (error-codes.md 1021): a lead linked to a company (its
 * externalCompanyId, given or kept, names one) takes its company fields from the company, so a sync may not set
 * them.
 */
function refuseCompanyFields(
  companies: CompanyDirectory,
  values: Readonly<Record<string, LeadValue>>,
  match: Lead | undefined,
): void {
  const linked = 'externalCompanyId' in values ? values.externalCompanyId : match?.fields.externalCompanyId;
  if (typeof linked !== 'string') return;
  for (const name in values) {
    if (!companies.fieldNames.has(name)) continue;
    if (companies.byExternalId(linked)) throw new Skip('1021');
    return;
  }
}

/**
 * One Change Data Value per field whose value actually changes (issue 13 decision, README "Activity log"): a field
 * sent with the value it already holds writes nothing.
 */
function recordChanges(
  rules: LeadRules,
  lead: Lead,
  values: Readonly<Record<string, LeadValue>>,
  recorded: NewActivity[],
): void {
  for (const name in values) {
    const newValue = values[name] ?? null;
    const oldValue = (name === 'email' ? lead.email : lead.fields[name]) ?? null;
    if (newValue === oldValue) continue;
    // Emails match case-insensitively, but a change of case is a change of value.
    const field = rules.catalog.find(name)!;
    recorded.push(leadActivities.changeDataValue(rules.origin, lead, field, oldValue, newValue));
  }
}

/** Validates one input record into storable values; record-level 1003/1006 on bad input. */
function parseRecord(
  catalog: LeadFieldCatalog,
  record: Record<string, unknown>,
  action: SyncAction,
  warn?: (warning: Reason) => void,
): { id?: number; fields: Record<string, LeadValue> } {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new Skip('1003');
  }
  // Too deep to be a value (decision of issue 11, domain/depth.ts): the record is skipped, the batch goes on.
  const tooDeep = pathTooDeep(record);
  if (tooDeep) {
    throw new Skip('1003', `Invalid value for field '${tooDeep[0]}': nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  // No prototype: a field named `constructor` or `toString` is looked up as data.
  const fields = Object.create(null) as Record<string, LeadValue>;
  let id: number | undefined;
  for (const [key, raw] of Object.entries(record)) {
    const field = catalog.find(key);
    if (!field) throw new Skip('1006', marketoMessage('1006', key));
    if (field.name === 'id') {
      // Only updateOnly may name a lead by id (leads.md).
      if (action !== 'updateOnly') throw new Skip('1003', DETAIL_MESSAGES.idOnlyWithUpdateOnly);
      const coerced = coerceFieldValue(field, raw);
      if (!coerced.ok || typeof coerced.value !== 'number') {
        throw new Skip('1003', formatMessage(DETAIL_MESSAGES.invalidFieldValue, 'id', String(raw)));
      }
      id = coerced.value;
      continue;
    }
    if (field.readOnly) throw new Skip('1003', formatMessage(DETAIL_MESSAGES.readOnlyField, field.name));
    const coerced = coerceFieldValue(field, raw);
    if (!coerced.ok) {
      const shown = shownValue(raw);
      const message = formatMessage(DETAIL_MESSAGES.invalidFieldValue, field.name, shown);
      if (warn && field.dataType === 'email' && keepsAsEmail(field, raw)) {
        warn(reason('1003', message));
        fields[field.name] = raw;
        continue;
      }
      throw new Skip('1003', message);
    }
    fields[field.name] = coerced.value;
  }
  return { ...(id !== undefined ? { id } : {}), fields };
}

/**
 * Whether a bulk import keeps an email the address check refused (with a warning): printable ASCII that fits the
 * field. A non-ASCII or too long one still fails its row, as Marketo "accepts ASCII addresses only" (leads.md).
 */
export function keepsAsEmail(field: LeadField, raw: unknown): raw is string {
  return typeof raw === 'string' && /^[\x20-\x7e]+$/.test(raw) && raw.length <= (field.length ?? 255);
}

/** A rejected value as a message shows it, at most 200 characters of it. */
function shownValue(raw: unknown): string {
  const text = typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function findMatch(
  rules: LeadRules,
  scope: PartitionScope,
  lookup: LeadField,
  value: LeadValue,
  targetPartition: (() => number) | undefined,
): Lead | undefined {
  const filter: LeadFilter = {
    column: filterColumn(lookup),
    field: lookup.name,
    values: [typeof value === 'boolean' ? String(value) : value!],
    partitionIds: [...scope.readable],
  };
  let candidates = rules.leads.page(filter, 0, 3);
  if (targetPartition && candidates.length > 0) {
    const target = targetPartition();
    const inTarget = candidates.filter((lead) => lead.partitionId === target);
    // The lead exists, but in another partition than the one named (record-level 1010).
    if (inTarget.length === 0) throw new Skip('1010');
    candidates = inTarget;
  }
  if (candidates.length > 1) throw new Skip('1007');
  return candidates[0];
}

/** The fields a read returns: the asked ones in canonical names, or Marketo's defaults; unknown → 1006. */
export function readFields(catalog: LeadFieldCatalog, asked: readonly string[] | undefined): readonly LeadField[] {
  if (!asked || asked.length === 0) return catalog.defaultReadFields;
  const fields: LeadField[] = [catalog.find('id')!];
  for (const name of asked) {
    const field = catalog.find(name);
    if (!field) throw new MarketoError('1006', marketoMessage('1006', name));
    if (!fields.includes(field)) fields.push(field);
  }
  return fields;
}

/** A lead as Marketo returns it: id first, then the asked fields, null where empty. */
export function leadRecord(lead: Lead, fields: readonly LeadField[]): Record<string, LeadValue> {
  const record: Record<string, LeadValue> = {};
  for (const field of fields) {
    switch (field.name) {
      case 'id':
        record.id = lead.id;
        break;
      case 'email':
        record.email = lead.email;
        break;
      case 'leadPartitionId':
        record.leadPartitionId = lead.partitionId;
        break;
      case 'createdAt':
        record.createdAt = formatDatetime(lead.createdAt);
        break;
      case 'updatedAt':
        record.updatedAt = formatDatetime(lead.updatedAt);
        break;
      default:
        // Field names are data: `constructor` or `toString` must not find Object.prototype's.
        record[field.name] = (Object.hasOwn(lead.fields, field.name) ? lead.fields[field.name] : undefined) ?? null;
    }
  }
  return record;
}

/**
 * The lead an id names, if the caller may change it: invisible leads are not found (1004), leads in a partition the
 * caller may only read are denied (1008).
 */
function writableLead(rules: LeadRules, scope: PartitionScope, id: number): Lead | RecordResult {
  const lead = rules.leads.find(id);
  if (!lead || !scope.readable.has(lead.partitionId)) return skipped(reason('1004'), id);
  if (!scope.writable.has(lead.partitionId)) return skipped(partitionDenied(rules.partitionName(lead.partitionId)), id);
  return lead;
}

const isResult = (found: Lead | RecordResult): found is RecordResult => 'status' in found;

/** Deletes leads by id. */
export function deleteLeads(rules: LeadRules, scope: PartitionScope, ids: readonly number[]): RecordResult[] {
  return rules.leads.transaction(() =>
    ids.map((id): RecordResult => {
      const lead = writableLead(rules, scope, id);
      if (isResult(lead)) return lead;
      rules.leads.delete(id);
      rules.activities.record([
        leadActivities.deleteLead(rules.origin, { ...lead, label: leadLabel(id, lead.email, lead.fields) }),
      ]);
      return { id, status: 'deleted' };
    }),
  );
}

/** Moves leads between partitions; the caller must be able to write both the current and the new one. */
export function moveLeads(
  rules: LeadRules,
  scope: PartitionScope,
  input: readonly { id: number; partitionName: string }[],
): RecordResult[] {
  return rules.leads.transaction(() =>
    input.map(({ id, partitionName }): RecordResult => {
      const lead = writableLead(rules, scope, id);
      if (isResult(lead)) return lead;
      const target = rules.partitionByName(partitionName);
      if (!target || !scope.writable.has(target.id)) return skipped(partitionRefused(partitionName, target), id);
      rules.leads.movePartition(id, target.id);
      // A move to the partition the lead is in changes nothing to log.
      if (target.id === lead.partitionId) return { id, status: 'updated' };
      rules.activities.record([
        leadActivities.changeLeadPartition(
          rules.origin,
          id,
          { id: lead.partitionId, name: rules.partitionName(lead.partitionId) },
          target,
        ),
      ]);
      return { id, status: 'updated' };
    }),
  );
}

/** Munchkin cookie values: `id:<munchkin id>&token:_mch-<domain>-<time>-<random>` (leads.md, Associate Lead). */
const MUNCHKIN_COOKIE = /^id:[0-9]{3}-[A-Z]{3}-[0-9]{3}&token:_mch-[^\s&]+$/i;

/**
 * The lead an id names for a response-level call (merge, associate): unknown or invisible → 1004, visible but not
 * writable → 1008.
 */
function writableOrFail(rules: LeadRules, scope: PartitionScope, id: number): Lead {
  const lead = writableLead(rules, scope, id);
  if (!isResult(lead)) return lead;
  const [first] = (lead as { reasons: Reason[] }).reasons;
  throw new MarketoError(first!.code, first!.message);
}

/**
 * Merge Leads. Decision (issue 13, README "Activity log"): the winner keeps its values; a field empty on the winner
 * takes the first loser's value (in the order given); the losers are deleted without a Delete Lead, their
 * activities and list memberships move to the winner, and one Merge Leads (32) on the winner lists the merged ids. Every lead must be
 * writable by the caller (response-level 1008); an unknown id is 1004.
 */
export function mergeLeads(
  rules: LeadRules,
  scope: PartitionScope,
  winnerId: number,
  loserIds: readonly number[],
): void {
  if (loserIds.length === 0) throw new MarketoError('701', marketoMessage('701', 'leadIds'));
  if (loserIds.includes(winnerId) || new Set(loserIds).size !== loserIds.length) {
    throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidParameter, 'leadIds', loserIds.join(',')));
  }
  rules.leads.transaction(() => {
    const winner = writableOrFail(rules, scope, winnerId);
    const losers = loserIds.map((id) => writableOrFail(rules, scope, id));
    const fields = { ...winner.fields };
    let email = winner.email;
    for (const loser of losers) {
      email ??= loser.email;
      for (const [name, value] of Object.entries(loser.fields)) {
        if (fields[name] === undefined || fields[name] === null) fields[name] = value;
      }
    }
    for (const loser of losers) {
      rules.leadMerging(loser.id, winner.id);
      rules.leads.delete(loser.id);
      rules.activities.reassign(loser.id, winner.id);
    }
    rules.leads.update(winner.id, email, fields);
    rules.activities.record([
      leadActivities.mergeLeads(
        rules.origin,
        { ...winner, label: leadLabel(winner.id, email, fields) },
        losers.map((loser) => loser.id),
      ),
    ]);
  });
}

/**
 * Associate Lead: the Munchkin cookie is stored on the lead, where `filterType=cookies` finds it (decision, issue
 * 13: one cookie per lead, the last associated); a malformed cookie is 1012 (error-codes.md).
 */
export function associateLead(rules: LeadRules, scope: PartitionScope, leadId: number, cookie: string): void {
  if (!MUNCHKIN_COOKIE.test(cookie)) throw new MarketoError('1012', marketoMessage('1012', cookie));
  rules.leads.transaction(() => {
    const lead = writableOrFail(rules, scope, leadId);
    rules.leads.update(lead.id, lead.email, { ...lead.fields, cookies: cookie });
  });
}
