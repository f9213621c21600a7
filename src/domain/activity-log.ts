/**
 * The activity log as the other families write to it (the `activityLog` port, src/domain/ports.ts): what an
 * activity to record holds, who made the write, and the ids of the standard types that writes record. The
 * activities family implements the port and serves the log.
 */

/** Ids of the standard types the fake's writes record (the catalog is the activities family's). */
export const ACTIVITY = {
  fillOutForm: 2,
  newLead: 12,
  addToList: 24,
  removeFromList: 25,
  changeDataValue: 13,
  mergeLeads: 32,
  deleteLead: 37,
  changeLeadPartition: 100,
  interestingMoment: 46,
  requestCampaign: 47,
  changeStatusInProgression: 104,
} as const;

export interface ActivityAttribute {
  name: string;
  /** A custom type's attributes carry their API name as well. */
  apiName?: string;
  value: string | number | boolean | null;
}

/** A Change Data Value's field, as Get Lead Changes shows it. */
export interface ChangedField {
  id: number;
  name: string;
  newValue: string | null;
  oldValue: string | null;
}

/** An activity to add to the log, stamped with the clock's time by the recorder. */
export interface NewActivity {
  leadId: number;
  /**
   * The lead's partition when it happened. Decision (issue 13): callers see an activity when they can read that
   * partition (Read-Only or Read-Write Activity in a workspace that sees it), deleted leads included.
   */
  partitionId: number;
  typeId: number;
  primaryAttributeValueId: number | null;
  primaryAttributeValue: string | null;
  attributes: readonly ActivityAttribute[];
  campaignId?: number | null;
  field?: ChangedField;
  /** When it happened (a custom activity's activityDate); the clock's time when absent. */
  activityDate?: number;
}

/** What a write needs of the activity log: adds the activities within the write's transaction. */
export interface ActivityRecorder {
  record(activities: readonly NewActivity[]): void;
  /** Gives the activities of `fromLeadId` to `toLeadId` (a merge keeps the losers' history on the winner). */
  reassign(fromLeadId: number, toLeadId: number): void;
}

/** Who made a write, as Marketo's API activities name it (attributes "API Method Name", "Modifying User", "Request Id"). */
export interface WriteOrigin {
  requestId: string;
  user: string;
  /** The API method, when another than the write's own (a bulk import's rows are synced, through importLead). */
  method?: string;
}

/** "Web service API": the Reason and Source of a change made through the REST API (Adobe activities.md example). */
export const WEB_SERVICE_API = 'Web service API';

/** The attributes every write through the API records (airbyte's New Lead records, marketo-usage.md §4.1). */
export function apiWriteAttributes(origin: WriteOrigin, method: string): ActivityAttribute[] {
  return [
    { name: 'API Method Name', value: origin.method ?? method },
    { name: 'Modifying User', value: origin.user },
    { name: 'Request Id', value: origin.requestId },
  ];
}

/**
 * The dates an activity may carry: what a paging token can address (a date token is a time from 1970 on,
 * paging-tokens.md) and what an activityDate can be written as (ISO 8601 with a four-digit year). An activity
 * outside is refused (1003), as no read could reach it or show its date.
 */
export const ACTIVITY_DATES = { first: Date.UTC(1970, 0, 1), last: Date.UTC(9999, 11, 31, 23, 59, 59, 999) } as const;

export function isActivityDate(ms: number): boolean {
  return Number.isFinite(ms) && ms >= ACTIVITY_DATES.first && ms <= ACTIVITY_DATES.last;
}
