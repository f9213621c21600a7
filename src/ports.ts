import type { ActivityRecorder, NewActivity, WriteOrigin } from './domain/activity-log.js';
import type { ActivityExport, CustomObjectExport, LeadExport, ProgramMemberExport } from './domain/bulk-export.js';
import type {
  CustomObjectImportBatch,
  ImportColumns,
  ImportRowOutcome,
  ProgramMemberImportBatch,
} from './domain/bulk-import.js';
import type { LeadImportBatch, LeadImportOutcome } from './domain/lead-import.js';
import type { Lead, LeadValue } from './domain/model.js';
import type { ProgramMembership } from './domain/program-members.js';
import type {
  AssetForms,
  AssetLandingPages,
  AssetPlaces,
  AssetSegmentations,
  AssetTokens,
} from './engines/assets/places.js';
import type { FieldCatalog, ObjectField } from './engines/objects/fields.js';

/**
 * What one resource family offers the others without their importing it. A family that provides a port declares it
 * (`provides` in src/family.ts); a family that uses one asks `ctx.port(name)` at request time (or `context.port(name)`
 * while a seed loads), so neither module imports the other: a family folder never imports another family's folder
 * (test/architecture.test.ts).
 */

/** A static list as the other families need it (the activity log's `listId` filter, bulk lead export's list filters). */
export interface StaticListMembers {
  /** The list's workspace, or undefined when there is no such list. */
  workspaceOf(listId: number): number | undefined;
  /** How many leads are in the list. */
  count(listId: number): number;
  /** Its members' lead ids. */
  leadIds(listId: number): number[];
  /** The list, for a flow step that adds to it or removes from it. */
  find(listId: number): { id: number; name: string; workspaceId: number } | undefined;
  isMember(listId: number, leadId: number): boolean;
  /**
   * Membership changes, answering whether the membership changed (false: already a member, or not one); the caller
   * records Add to List (24) and Remove from List (25).
   */
  add(listId: number, leadId: number): boolean;
  remove(listId: number, leadId: number): boolean;
  /** Up to `limit` member lead ids after `afterLeadId`, in id order (a bulk export reads a big list in chunks). */
  members(listId: number, afterLeadId: number, limit: number): number[];
  /** The list of that name, without regard to case (a bulk export's `staticListName`). */
  byName(name: string): { id: number; workspaceId: number } | undefined;
  /**
   * Adds leads to the list as Add to List does, within the caller's transaction: one Add to List (24) for each lead
   * not yet a member, dated `at` (the clock's now when absent). Answers how many were added; none when there is no
   * such list.
   */
  addMembers(listId: number, leads: readonly { id: number; partitionId: number }[], at?: number): number;
}

/** Smart lists as bulk lead export reads them (the smartLists family): the leads their rules qualify. */
export interface SmartListLeads {
  /** Any smart list (a user's, a campaign's, a program's) and its workspace, or undefined when there is none. */
  find(id: number): { id: number; workspaceId: number } | undefined;
  /** A user's smart list of that name, without regard to case. */
  byName(name: string): { id: number; workspaceId: number } | undefined;
  /**
   * Up to `limit` ids of the leads its rules qualify now, after `afterLeadId`, in id order; undefined when the
   * fake does not evaluate its rules (or there is no such smart list).
   */
  members(id: number, afterLeadId: number, limit: number): number[] | undefined;
}

/** The lead database as the other families read it (lists, the activity log, program members, campaigns…). */
export interface LeadDatabase {
  find(id: number): Lead | undefined;
  /** The lead fields, standard and custom. */
  catalog(): FieldCatalog;
  /** The fields a read returns: the asked ones (unknown → 1006), or Marketo's defaults. */
  readFields(asked: readonly string[] | undefined): readonly ObjectField[];
  /** A lead as Marketo returns it: id first, then the fields, null where empty. */
  record(lead: Lead, fields: readonly ObjectField[]): Record<string, LeadValue>;
  /**
   * Whether a lead links to a CRM record through `field` (its externalCompanyId or externalSalesPersonId holds
   * `value`, without regard to case): a company or sales person in use.
   */
  isLinked(field: 'externalCompanyId' | 'externalSalesPersonId', value: string): boolean;
  /**
   * The lead a custom object's link field names by one of the lead's fields: by id, or else the most recently
   * updated lead holding the value (the custom object handler sees every partition, and takes the latest lead of
   * duplicates, purplemeup.substack.com "Navigating Marketo Custom Objects and Person Partitions").
   */
  linkTarget(field: ObjectField, value: LeadValue): Lead | undefined;
  /**
   * Sets fields of a lead as it is now (a campaign flow's Change Data Value step), values already coerced to the
   * fields' types: answers the lead as it is after (the same object when nothing changed) and the Change Data Value
   * activities (13) of the fields whose value changed, for the caller to record in its transaction, with `reason` as
   * their Reason and Source.
   */
  changeFields(
    lead: Lead,
    values: Readonly<Record<string, LeadValue>>,
    origin: WriteOrigin,
    reason: string,
  ): { lead: Lead; activities: NewActivity[] };
}

/** Companies as leads read them: a lead whose externalCompanyId names a company takes its company fields from it. */
export interface CompanyDirectory {
  /** The lead fields that are company fields: a linked lead reads them from its company, and no sync writes them. */
  fieldNames: ReadonlySet<string>;
  /** The company an externalCompanyId names (without regard to case): its fields by name, no nulls; or undefined. */
  byExternalId(externalCompanyId: string): Readonly<Record<string, LeadValue>> | undefined;
  /** Whether a company has this id (a custom object's link to a company). */
  has(id: number): boolean;
}

/** Writes into the lead database by Sync Leads' rules, for another family's rows (a bulk import's file). */
export interface LeadImport {
  /** The lookup field's name as the catalog spells it; response-level 1011 when it cannot be one (as Sync Leads). */
  lookupField(name: string): string;
  /**
   * Each row matched, created or updated as Sync Leads does it, with its activities (New Lead, Change Data Value),
   * within the caller's transaction; one outcome per row, in order.
   */
  importRows(batch: LeadImportBatch): LeadImportOutcome[];
}

/**
 * Rows of a bulk custom object import written into the records of an approved type (the custom-objects family), by
 * Sync Custom Objects' rules: insert or update by the type's dedupe fields (bulk-custom-object-import.md).
 */
export interface CustomObjectImport {
  /**
   * The approved type's API name as stored, or the MarketoError a Sync Custom Objects call of it answers first,
   * thrown (1026 while custom objects are off, 1013 for no approved type of that name).
   */
  typeName(apiName: string): string;
  /** The type's field for each column the header names (the provider decides what a column naming none does). */
  columns(apiName: string, header: readonly string[]): ImportColumns;
  /** Each row written within the caller's transaction, dated `at`; one outcome per row, in order. */
  importRows(batch: CustomObjectImportBatch): ImportRowOutcome[];
}

/**
 * Rows of a bulk program member import (the program members family): each row's lead found by email (created when
 * new) and made a member of the program with the status, with its custom program member fields
 * (bulk-program-member-import.md).
 */
export interface ProgramMemberImport {
  /**
   * The status as the program's channel spells it, or the MarketoError the import answers, thrown: 1013 for no
   * program in `workspaces` (where the caller holds Read-Write Lead), 1025 for a status the channel does not have.
   */
  check(request: { programId: number; statusName: string; workspaces: readonly number[] }): string;
  /** The lead or custom program member field each column names, or why the whole import fails. */
  columns(header: readonly string[]): ImportColumns;
  /** Each row written within the caller's transaction, dated `at`; one outcome per row, in order. */
  importRows(batch: ProgramMemberImportBatch): ImportRowOutcome[];
}

export interface Ports {
  /** The activity log (the activities family): where every write records its activities. */
  activityLog: ActivityRecorder;
  /** Static lists and their members (the lists family). */
  staticLists: StaticListMembers;
  /** Smart lists and the leads their rules qualify (the smartLists family; used by bulk lead export). */
  smartLists: SmartListLeads;
  /** Leads and their fields (the leads family). */
  leads: LeadDatabase;
  /** Rows synced into the lead database by Sync Leads' rules (the leads family; used by bulk import). */
  leadImport: LeadImport;
  /** Rows written into custom object records (the custom-objects family; used by bulk import). */
  customObjectImport: CustomObjectImport;
  /** Rows written as program members (the program members family; used by bulk import). */
  programMemberImport: ProgramMemberImport;
  /** Folders and programs, where assets live (the assets family). */
  assetPlaces: AssetPlaces;
  /** Companies (the companies family), for the company fields of leads linked to one. */
  companies: CompanyDirectory;
  /** Program members (the programMembers family): Push Lead and campaign flows set statuses through it. */
  programMembers: ProgramMembership;
  /** My Tokens of folders and programs, own and inherited, as emails render them (the assets family). */
  assetTokens: AssetTokens;
  /** Segmentations and their segments, which dynamic content varies by (the segmentations family). */
  segmentations: AssetSegmentations;
  /** Leads a chunk at a time, as a bulk export file shows them (the leads family). */
  leadExport: LeadExport;
  /** Activities a chunk at a time, as a bulk export file shows them (the activities family). */
  activityExport: ActivityExport;
  /** Program members a chunk at a time, as a bulk export file shows them (the program members family). */
  programMemberExport: ProgramMemberExport;
  /** Custom object records a chunk at a time, as a bulk export file shows them (the custom objects family). */
  customObjectExport: CustomObjectExport;
  /** Forms, as Submit Form reads them (the forms family). */
  forms: AssetForms;
  /** Landing pages' addresses, as redirect rules point from and to them (the landing pages family). */
  landingPages: AssetLandingPages;
  /** Program member custom fields, which forms can hold (the program member fields family). */
  programMemberFields: ProgramMemberFieldCatalog;
}

/** The program member custom fields (Create Program Member Fields makes them). */
export interface ProgramMemberFieldCatalog {
  customFields(): readonly ObjectField[];
}

export type PortName = keyof Ports;
