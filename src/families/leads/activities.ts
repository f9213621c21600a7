import {
  ACTIVITY,
  apiWriteAttributes,
  type NewActivity,
  WEB_SERVICE_API,
  type WriteOrigin,
} from '../../domain/activity-log.js';
import type { LeadValue } from '../../domain/model.js';

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
      attributes: [{ name: 'Source Type', value: WEB_SERVICE_API }, ...apiWriteAttributes(origin, 'syncLead')],
    };
  },

  changeDataValue(
    origin: WriteOrigin,
    lead: { id: number; partitionId: number },
    field: { id: number; name: string; displayName: string },
    oldValue: LeadValue | undefined,
    newValue: LeadValue | undefined,
    /** A campaign's flow writes its own Reason and Source; the API's writes say "Web service API". */
    reason: string = WEB_SERVICE_API,
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
        { name: 'Reason', value: reason },
        { name: 'Source', value: reason },
        ...apiWriteAttributes(origin, 'syncLead'),
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
      attributes: apiWriteAttributes(origin, 'deleteLead'),
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
      attributes: [{ name: 'Old Partition ID', value: from.id }, ...apiWriteAttributes(origin, 'updateLeadPartition')],
    };
  },

  mergeLeads(origin: WriteOrigin, winner: { id: number; partitionId: number; label: string }, mergedIds: number[]) {
    return {
      leadId: winner.id,
      partitionId: winner.partitionId,
      typeId: ACTIVITY.mergeLeads,
      primaryAttributeValueId: winner.id,
      primaryAttributeValue: winner.label,
      attributes: [{ name: 'Merge IDs', value: mergedIds.join(',') }, ...apiWriteAttributes(origin, 'mergeLeads')],
    } satisfies NewActivity;
  },
};
