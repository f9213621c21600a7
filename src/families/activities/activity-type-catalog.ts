/**
 * Marketo's standard activity types, as GET /rest/v1/activities/types.json lists them.
 *
 * Ids and names: Adobe's own list of lead activity types, "Event List" in AdobeDocs/adobe-io-events
 * `src/pages/guides/using/marketo/marketo-lead-activity-data-stream-setup.md`, cross-checked with Talend's Marketo
 * connector (Talend/components `MarketoLeadClient.java`, `getLocalActivityTypes`), which adds 102 and 106 and
 * writes "Add to List", "Change Status in Progression", "Add to Nurture" in the case real responses use (the issue's
 * recorded ids, marketo-usage.md §4.1).
 *
 * Attributes: only those a source shows. The types the fake writes itself (12, 13, 32, 37, 100) carry the
 * attributes it writes (marketo-usage.md §4.1: airbyte's recorded sandbox records and Adobe's activities.md); 1, 3
 * and 10 carry those of the Adobe I/O Events examples (same file); 2, 22, 24, 25, 47 and 104 name their primary
 * attribute as marketo-reference.md §6.2 and marketo-usage.md §4.1 do. The others list no attributes and no primary
 * attribute rather than invented ones.
 */

export interface ActivityTypeAttribute {
  name: string;
  apiName?: string;
  dataType: string;
  description?: string;
}

export interface ActivityType {
  id: number;
  name: string;
  apiName?: string;
  description: string;
  primaryAttribute?: ActivityTypeAttribute;
  attributes: ActivityTypeAttribute[];
}

/** Custom activity types are numbered from here (Adobe I/O Events list: "Custom 100000+"). */
export const CUSTOM_ACTIVITY_TYPE_ID_BASE = 100_001;

const text = (name: string): ActivityTypeAttribute => ({ name, dataType: 'string' });
const integer = (name: string): ActivityTypeAttribute => ({ name, dataType: 'integer' });

/** Attributes every write through the API records (airbyte's New Lead records, marketo-usage.md §4.1). */
const API_WRITE = [text('API Method Name'), text('Modifying User'), text('Request Id')];
const WEB = [text('Client IP Address'), text('Query Parameters'), text('Referrer URL'), text('User Agent')];

type Standard = [id: number, name: string, primary?: ActivityTypeAttribute, attributes?: ActivityTypeAttribute[]];

const STANDARD: Standard[] = [
  [1, 'Visit Webpage', integer('Webpage ID'), [...WEB, text('Webpage URL')]],
  [2, 'Fill Out Form', integer('Webform ID'), [...WEB, text('Form Fields'), integer('Webpage ID')]],
  [3, 'Click Link', integer('Link ID'), [...WEB, integer('Webpage ID')]],
  [6, 'Send Email', integer('Mailing ID')],
  [7, 'Email Delivered', integer('Mailing ID')],
  [8, 'Email Bounced', integer('Mailing ID')],
  [9, 'Unsubscribe Email', integer('Mailing ID')],
  [
    10,
    'Open Email',
    integer('Mailing ID'),
    [integer('Campaign Run ID'), text('Platform'), text('Device'), text('User Agent'), text('Is Mobile Device')],
  ],
  [11, 'Click Email', integer('Mailing ID')],
  [12, 'New Lead', integer('Lead ID'), [text('Source Type'), ...API_WRITE]],
  [
    13,
    'Change Data Value',
    integer('Attribute Name'),
    [text('New Value'), text('Old Value'), text('Reason'), text('Source'), ...API_WRITE],
  ],
  [19, 'Sync Lead to SFDC'],
  [21, 'Convert Lead'],
  [22, 'Change Score', integer('Attribute Name')],
  [23, 'Change Owner'],
  [24, 'Add to List', integer('List ID')],
  [25, 'Remove from List', integer('List ID')],
  [26, 'SFDC Activity'],
  [27, 'Email Bounced Soft', integer('Mailing ID')],
  [28, 'Sync Lead Updates to SFDC'],
  [29, 'Delete Lead from SFDC'],
  [30, 'SFDC Activity Updated'],
  [31, 'SFDC Merge Leads'],
  [32, 'Merge Leads', integer('Lead ID'), [text('Merge IDs'), ...API_WRITE]],
  [34, 'Add to Opportunity'],
  [35, 'Remove from Opportunity'],
  [36, 'Update Opportunity'],
  [37, 'Delete Lead', integer('Lead ID'), [...API_WRITE]],
  [38, 'Send Alert'],
  [39, 'Send Sales Email'],
  [40, 'Open Sales Email'],
  [41, 'Click Sales Email'],
  [42, 'Add to SFDC Campaign'],
  [43, 'Remove from SFDC Campaign'],
  [44, 'Change Status in SFDC Campaign'],
  [45, 'Receive Sales Email'],
  [46, 'Interesting Moment'],
  [47, 'Request Campaign', integer('Campaign ID')],
  [48, 'Sales Email Bounced'],
  [100, 'Change Lead Partition', integer('New Partition ID'), [integer('Old Partition ID'), ...API_WRITE]],
  [101, 'Change Revenue Stage'],
  [102, 'Change Revenue Stage Manually'],
  [104, 'Change Status in Progression', integer('Program ID'), [text('Old Status'), text('New Status')]],
  [106, 'Enrich with Data.com'],
  [108, 'Change Segment'],
  [110, 'Call Webhook'],
  [111, 'Send Forward to Friend Email'],
  [112, 'Receive Forward to Friend Email'],
  [113, 'Add to Nurture'],
  [114, 'Change Nurture Track'],
  [115, 'Change Nurture Cadence'],
  [123, 'Change Program Member Data'],
  [131, 'Fill Out Facebook Lead Ads Form'],
  [132, 'Click RTP Call to Action'],
  [133, 'Click Predictive Content'],
  [145, 'Push Lead to Marketo'],
  [147, 'Fill Out Linked Lead Gen Form'],
  [300, 'Sync Lead to Microsoft'],
  [400, 'Share Content'],
  [401, 'Vote in Poll'],
  [402, 'Sign Up for Referral Offer'],
  [403, 'Achieve Goal In Referral'],
  [405, 'Click Shared Link'],
  [406, 'Win Sweepstakes'],
  [407, 'Enter Sweepstakes'],
  [408, 'Disqualify Sweepstakes'],
  [409, 'Earn Entry In Social App'],
  [410, 'Refer to Social App'],
];

export const STANDARD_ACTIVITY_TYPES: readonly ActivityType[] = STANDARD.map(([id, name, primary, attributes]) => ({
  id,
  name,
  description: '',
  ...(primary ? { primaryAttribute: primary } : {}),
  attributes: attributes ?? [],
}));
