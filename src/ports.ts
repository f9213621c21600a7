import type { ActivityRecorder, NewActivity, WriteOrigin } from './domain/activity-log.js';
import type { Lead, LeadValue } from './domain/model.js';
import type { ProgramMembership } from './domain/program-members.js';
import type { AssetPlaces } from './engines/assets/places.js';
import type { FieldCatalog, ObjectField } from './engines/objects/fields.js';

/**
 * What one resource family offers the others without their importing it. A family that provides a port declares it
 * (`provides` in src/family.ts); a family that uses one asks `ctx.port(name)` at request time (or `context.port(name)`
 * while a seed loads), so neither module imports the other: a family folder never imports another family's folder
 * (test/architecture.test.ts).
 */

/** A static list as the other families need it (the activity log's `listId` filter). */
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
  /** Membership changes; the caller records Add to List (24) and Remove from List (25). */
  add(listId: number, leadId: number): void;
  remove(listId: number, leadId: number): void;
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
   * Sets fields of a lead (a campaign flow's Change Data Value step), values already coerced to the fields' types:
   * answers the Change Data Value activities (13) of the fields whose value changed, for the caller to record in its
   * transaction, with `reason` as their Reason and Source.
   */
  changeFields(
    lead: Lead,
    values: Readonly<Record<string, LeadValue>>,
    origin: WriteOrigin,
    reason: string,
  ): NewActivity[];
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

export interface Ports {
  /** The activity log (the activities family): where every write records its activities. */
  activityLog: ActivityRecorder;
  /** Static lists and their members (the lists family). */
  staticLists: StaticListMembers;
  /** Leads and their fields (the leads family). */
  leads: LeadDatabase;
  /** Folders and programs, where assets live (the assets family). */
  assetPlaces: AssetPlaces;
  /** Companies (the companies family), for the company fields of leads linked to one. */
  companies: CompanyDirectory;
  /** Program members (the programMembers family): Push Lead and campaign flows set statuses through it. */
  programMembers: ProgramMembership;
}

export type PortName = keyof Ports;
