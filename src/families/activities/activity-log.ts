import { ACTIVITY } from './activity-type-catalog.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES } from '../../domain/marketo-codes.js';
import type { LeadValue } from '../../domain/model.js';
import { fromBase32, toBase32 } from '../../domain/paging.js';

/**
 * The activity log's domain: what a write records (the `ActivityRecorder` port the lead rules call, implemented by
 * the activity repository) and the paging tokens that name a position in the log.
 */

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
}

/** "Web service API": the Reason and Source of a change made through the REST API (Adobe activities.md example). */
export const WEB_SERVICE_API = 'Web service API';

function apiAttributes(origin: WriteOrigin, method: string): ActivityAttribute[] {
  return [
    { name: 'API Method Name', value: method },
    { name: 'Modifying User', value: origin.user },
    { name: 'Request Id', value: origin.requestId },
  ];
}

/** How a lead is named as a primary attribute value: its full name, else its email, else its id. */
export function leadLabel(leadId: number, email: string | null, fields: Readonly<Record<string, LeadValue>>): string {
  const name = [fields.firstName, fields.lastName].filter((part) => part !== undefined && part !== null).join(' ');
  return name || email || String(leadId);
}

/**
 * The activity that records each kind of lead write. One decision lives here (issue 13, README "Activity log"):
 * a created lead writes New Lead (12) only; an update writes one Change Data Value (13) per field whose value
 * actually changed.
 */
export const leadActivities = {
  newLead(origin: WriteOrigin, lead: { id: number; partitionId: number; label: string }): NewActivity {
    return {
      leadId: lead.id,
      partitionId: lead.partitionId,
      typeId: ACTIVITY.newLead,
      primaryAttributeValueId: lead.id,
      primaryAttributeValue: lead.label,
      attributes: [{ name: 'Source Type', value: WEB_SERVICE_API }, ...apiAttributes(origin, 'syncLead')],
    };
  },

  changeDataValue(
    origin: WriteOrigin,
    lead: { id: number; partitionId: number },
    field: { id: number; name: string; displayName: string },
    oldValue: LeadValue | undefined,
    newValue: LeadValue | undefined,
  ): NewActivity {
    const shown = (value: LeadValue | undefined): string | null =>
      value === undefined || value === null ? null : String(value);
    return {
      leadId: lead.id,
      partitionId: lead.partitionId,
      typeId: ACTIVITY.changeDataValue,
      primaryAttributeValueId: field.id,
      primaryAttributeValue: field.displayName,
      attributes: [
        { name: 'New Value', value: shown(newValue) },
        { name: 'Old Value', value: shown(oldValue) },
        { name: 'Reason', value: WEB_SERVICE_API },
        { name: 'Source', value: WEB_SERVICE_API },
        ...apiAttributes(origin, 'syncLead'),
      ],
      field: { id: field.id, name: field.name, newValue: shown(newValue), oldValue: shown(oldValue) },
    };
  },

  deleteLead(origin: WriteOrigin, lead: { id: number; partitionId: number; label: string }): NewActivity {
    return {
      leadId: lead.id,
      partitionId: lead.partitionId,
      typeId: ACTIVITY.deleteLead,
      primaryAttributeValueId: lead.id,
      primaryAttributeValue: lead.label,
      attributes: apiAttributes(origin, 'deleteLead'),
    };
  },

  changeLeadPartition(
    origin: WriteOrigin,
    leadId: number,
    from: { id: number; name: string },
    to: { id: number; name: string },
  ): NewActivity {
    // Recorded in the new partition: who can read the lead now can read how it got there.
    return {
      leadId,
      partitionId: to.id,
      typeId: ACTIVITY.changeLeadPartition,
      primaryAttributeValueId: to.id,
      primaryAttributeValue: to.name,
      attributes: [{ name: 'Old Partition ID', value: from.id }, ...apiAttributes(origin, 'updateLeadPartition')],
    };
  },

  mergeLeads(origin: WriteOrigin, winner: { id: number; partitionId: number; label: string }, mergedIds: number[]) {
    return {
      leadId: winner.id,
      partitionId: winner.partitionId,
      typeId: ACTIVITY.mergeLeads,
      primaryAttributeValueId: winner.id,
      primaryAttributeValue: winner.label,
      attributes: [{ name: 'Merge IDs', value: mergedIds.join(',') }, ...apiAttributes(origin, 'mergeLeads')],
    } satisfies NewActivity;
  },
};

/**
 * A position in the log: activities strictly after (date, id), in (activity date, id) order. Decision (issue 13,
 * README "Activity log"): a date token is the position (time, 0), so it selects the activities at or after that
 * time; a read's nextPageToken is the position of the last activity it looked at. Neither expires nor depends on
 * the query: the same token serves every group of type ids, activities, lead changes and deleted leads, and a
 * restart. A malformed token is response-level 1003.
 */
export interface LogPosition {
  date: number;
  id: number;
}

const TOKEN = /^([0-9]+)\.([0-9]+)$/;

/** Base32 like Marketo's tokens (paging-tokens.md: "GIYDAOBN…"), of `<date ms>.<id>`. */
export function encodePosition(position: LogPosition): string {
  return toBase32(`${position.date}.${position.id}`);
}

/** The position a token names; 1003 when it is not one of ours. */
export function decodePosition(token: string): LogPosition {
  // Tokens are short; a long one is not ours (and is not decoded).
  if (token.length > 64) throw invalidToken();
  const match = TOKEN.exec(fromBase32(token) ?? '');
  const date = Number(match?.[1]);
  const id = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(date) || !Number.isSafeInteger(id)) throw invalidToken();
  return { date, id };
}

const invalidToken = () => new MarketoError('1003', DETAIL_MESSAGES.invalidPageToken);
