/**
 * Marketo's codes and their messages, in one catalog (error-codes.md; marketo-reference.md §3). `%s` stands for
 * the detail a message names (a field, a partition). Where real responses carry a more specific text than the
 * documentation, callers pass it; where we chose a text Adobe does not document, it is marked "ours".
 */

/** Response-level codes: the whole call failed (in `errors[]`, `success:false`). */
export const RESPONSE_MESSAGES = {
  '601': 'Access token invalid',
  '602': 'Access token expired',
  '603': 'Access denied',
  '604': 'Request time-out',
  '605': 'HTTP Method not supported',
  '606': "Max rate limit '100' exceeded with in '20' secs",
  '607': 'Daily quota reached',
  '608': 'API Temporarily Unavailable',
  '609': 'Invalid JSON',
  '610': 'Requested resource not found',
  '611': 'System error',
  '612': 'Invalid Content Type',
  '613': 'Invalid Multipart Request',
  '614': 'Invalid Subscription',
  '615': "Concurrent access limit '10' reached",
  '616': 'Invalid subscription type',
  '701': '%s cannot be blank',
  '702': 'No data found for a given search scenario',
  '703': 'The feature is not enabled for the subscription',
  '704': 'Invalid date format',
  '709': 'Business Rule Violation',
  '710': 'Parent Folder Not Found',
  '711': 'Incompatible Folder Type',
  '712': 'Merge to person Account operation is invalid',
  '713': 'Transient Error',
  '714': 'Unable to find the default record type',
  '718': 'ExternalSalesPersonID not found',
  '719': 'Lock wait timeout exception',
  '1029': 'Too many jobs in queue',
} as const;

/** Record-level codes: one record of the call was skipped (in `result[i].reasons[]`). */
export const RECORD_MESSAGES = {
  '1001': "Invalid value '%s'. Required of type '%s'",
  '1002': "Missing value for the required parameter '%s'",
  '1003': 'Invalid data',
  '1004': 'Lead not found',
  '1005': 'Lead already exists',
  '1006': "Field '%s' not found",
  '1007': 'Multiple leads match the lookup criteria',
  '1008': "Access denied to partition '%s'",
  '1009': 'Partition name must be specified',
  '1010': 'Partition update not allowed',
  '1011': "Field '%s' not supported",
  '1012': "Invalid cookie value '%s'",
  '1013': 'Object not found',
  '1014': 'Failed to create Object',
  '1015': 'Lead not in list',
  '1016': 'Too many imports',
  '1017': 'Object already exists',
  '1018': 'CRM Enabled',
  '1019': 'Import in progress',
  '1020': 'Too many clones to program',
  '1021': 'Company update not allowed',
  '1022': 'Object in use',
  '1025': 'Program status not found',
  '1026': 'Custom object not enabled',
  '1027': 'Max Activity Type Limit Reached',
  '1028': 'Max field limit reached',
  '1029': 'Too many jobs in queue',
  '1035': 'Unsupported filter type',
  '1036': 'Duplicate object found in input',
  '1037': 'Lead was skipped',
  '1042': 'Invalid runAt date',
  '1048': 'Custom Object Discard Draft Failed',
  '1049': 'Failed to Create Activity',
} as const;

export type ResponseCode = keyof typeof RESPONSE_MESSAGES;

/** Whether Marketo answers with this code, at the response or the record level (a fault may inject either). */
export function isMarketoCode(code: string): code is ResponseCode | RecordCode {
  return Object.hasOwn(RESPONSE_MESSAGES, code) || Object.hasOwn(RECORD_MESSAGES, code);
}
export type RecordCode = keyof typeof RECORD_MESSAGES;

/**
 * Texts Marketo sends that its documentation does not list under a code, and texts of our own (marked) for
 * cases Adobe leaves without one.
 */
export const DETAIL_MESSAGES = {
  /** 610 for a program member import while no family provides program members (README "Bulk import"). */
  noProgramMemberImport: 'Program member import is not available: no registered family provides programMemberImport',
  /** 1003 at response level for Get Leads by Filter Type past 1,000 matches (leads.md). */
  tooManyResults: 'Too many results match the filter',
  listTooLarge: 'Static list %s has %s or more leads: filter by leadIds instead',
  /** 1003 for a bad field value, as real responses word it (grouparoo recordings). */
  invalidFieldValue: "Invalid value for field '%s' and value '%s'",
  /** Ours: `id` in a sync other than updateOnly (leads.md says only updateOnly may name a lead by id). */
  idOnlyWithUpdateOnly: "Field 'id' is only allowed with action updateOnly",
  /** Ours: a read-only field in a sync record. */
  readOnlyField: "Field '%s' is read only",
  /**
   * Ours (1008, record level): a partitionName no partition has. Adobe documents 1008 for a partition the caller
   * cannot use; a mistyped name keeps the code (clients branch on it) and says what is wrong (issue 23, item 19).
   */
  partitionNotFound: "Partition '%s' does not exist",
  /** Ours: a paging token that is not one of ours, or is out of date. */
  invalidPageToken: 'Invalid nextPageToken',
  expiredPageToken: 'Expired nextPageToken',
  /** Ours: more ids than a call takes. */
  tooManyRecords: 'Input exceeds the maximum of %s records',
  /** Ours (Asset API, 702): an asset named by id in a write that does not exist. */
  assetNotFound: '%s %s not found',
  /** Ours (709): why a folder cannot be deleted or changed. */
  folderNotEmpty: 'Folder %s is not empty: delete or move the folders in it first',
  folderHoldsPrograms: 'Folder %s holds programs: delete or move them first',
  folderHoldsAssets: 'Folder %s holds assets (%s): delete or move them first',
  systemFolder: 'Folder %s is a system folder and cannot be changed or deleted',
  duplicateFolderName: "A folder named '%s' already exists in folder %s",
  /** Ours (709): the two roots (Marketing Activities, Design Studio) hold the workspaces' folders only. */
  treeRootHoldsWorkspaces: "Folder %s is the root of %s: it holds only the workspaces' folders",
  /** Ours (709): program names are unique in a subscription. */
  duplicateProgramName: "A program named '%s' already exists",
  duplicateListName: "A static list named '%s' already exists",
  listOutsideMarketingActivities:
    'Folder %s is in %s: a static list goes in a Marketing Activities folder or a program',
  /** Ours (711): what may hold what. */
  folderInProgram: 'Folders are created in folders; %s %s is a program',
  programOutsideMarketingActivities: 'Programs live in Marketing Activities folders; folder %s is in %s',
  /** Ours (709): channels and tags must fit the program. */
  unknownChannel: "Channel '%s' not found",
  channelNotForType: "Channel '%s' applies to %s programs, not %s programs",
  unknownTagType: "Tag type '%s' not found",
  tagValueNotAllowed: "'%s' is not an allowed value of tag type '%s'",
  tagRequired: "Tag type '%s' is required for %s programs",
  /** Ours (709): approve and unapprove are for email programs. */
  notAnEmailProgram: 'Program %s is a %s program; only email programs are approved and unapproved',
  alreadyApproved: 'Program %s is already approved',
  notApproved: 'Program %s is not approved',
  /** Ours (709): the approval machine's refusals (src/engines/assets/approval.ts); %s names the asset, "Email 12". */
  noDraftToApprove: '%s has no draft to approve',
  notApprovable: '%s cannot be approved: %s',
  usesUnapproved: '%s cannot be approved: it uses %s, which must be approved first',
  assetNotApproved: '%s is not approved',
  inUseByApproved: '%s cannot be unapproved: it is used by %s',
  noDraftToDiscard: '%s has no draft to discard',
  draftOnlyDiscard: '%s has no approved version: a draft-only asset can be deleted, not discarded',
  deleteApproved: '%s is approved: unapprove it before deleting it',
  deleteInUse: '%s cannot be deleted: it is used by %s',
  /** Ours (711, 709): where versioned assets go, and their names (unique in a folder or program). */
  assetNotInProgram: '%s cannot go in a program: they go in %s folders',
  assetInWrongTree: '%s cannot go in folder %s (%s): they go in %s folders',
  duplicateAssetName: "%s name '%s' is already taken in folder or program %s",
  /**
   * 709, Create File: the uploaded part's filename is not the `name` parameter (the text marketorestpython's README
   * quotes from Marketo's answer).
   */
  fileNameMismatch: 'Upload file name and/or extension is different from name in parameter',
  /** Ours (709): Create File with insertOnly for a name a file has (names are unique in a subscription). */
  fileExists: "A file named '%s' already exists (id %s)",
  /** Ours (612): Create File and Update File Content take multipart/form-data only (files.md). */
  fileNeedsMultipart: 'Invalid Content Type: files are uploaded as multipart/form-data',
  /** Ours (1003, 702, 709): landing page redirect rules (landing-page-redirect-rules.md). */
  notALandingPageDomain:
    "Invalid value for hostname: '%s' is not a landing page domain or alias (Get Landing Page Domains)",
  pathWithSlash: "Invalid value for redirectFrom.value: a path must not begin with '/' ('%s')",
  duplicateRedirect: 'A redirect rule from %s already exists (id %s)',
  redirectToItself: 'A redirect rule cannot redirect landing page %s to itself',
  nothingToUpdate: 'hostname, redirectFrom or redirectTo cannot be blank',
  /** Ours (709, 702): dynamic content asked of what has none; a segment of another segmentation. */
  notDynamic: '%s has no dynamic content',
  segmentNotInSegmentation: 'Segment %s is not a segment of segmentation %s',
  /** Ours (702, 709): email content sections, modules and full content. */
  sectionNotFound: "No section, module or variable '%s' in %s",
  duplicateSection: "Section '%s' already exists in %s",
  noModuleContainer: '%s has no module container (an element with class mktoContainer)',
  badModulePositions: '%s: positions must name each of its modules once (%s)',
  linkedToTemplate: '%s is linked to template %s: its full content cannot be replaced (edit its sections instead)',
  fullContentDynamic: '%s has dynamic content: its full content cannot be replaced',
  scriptInHtml: '%s: the HTML holds a <script> element',
  /** Ours (1003, 709): the v2 Asset API's appData and state transitions. */
  v2AppDataPlace: 'appData must name a folderId, a programId or a workspaceId',
  v2AppDataWorkspace: 'appData names a place in workspace %s, not workspace %s',
  v2DraftExists: '%s already has a draft',
  /** Ours (702): a token delete naming no token of the folder. */
  tokenNotFound: "No token named '%s' of type '%s' in %s %s",
  /** Ours: a list parameter with more values than the call takes (activityTypeIds ≤ 10, leadIds ≤ 30). */
  tooManyValues: "Parameter '%s' takes at most %s values",
  /** Ours: a parameter whose value is not of its kind (an id, a batch size, a date-time). */
  invalidParameter: "Invalid value for parameter '%s': '%s'",
  /** Ours: a custom activity's attribute that its type does not declare. */
  unknownAttribute: "Attribute '%s' is not declared by activity type '%s'",
  /** 1029 (error-codes.md lists the three texts of 1029; the quota one as Marketo sends it, Airbyte's test_source). */
  jobAlreadyQueued: 'Job already queued',
  exportQuotaExceeded: 'Export daily quota %sMB exceeded.',
  /** 1035, as bulk-extract.md words it. */
  unsupportedFilter: 'Unsupported filter type for target subscription',
  /** Ours (1003): what a bulk extract job's definition got wrong. */
  exportRequired: "Export parameter '%s' is required",
  exportFilterRequired: 'An export job needs a filter: one of %s',
  exportOneFilter: 'Only one filter type may be used in an export job, not %s',
  exportUnknownFilter: "Unknown filter type '%s': use %s",
  exportRangeTooLong: "The date range of filter '%s' spans more than 31 days",
  exportRangeReversed: "The date range of filter '%s' ends before it starts",
  exportHeaderNotAField: "columnHeaderNames names '%s', which is not an exported field",
  exportDeleteLead: 'Delete Lead activities (type 37) are not exported: use Get Deleted Leads',
  exportPrimaryNeedsTypes: 'primaryAttributeValueIds needs activityTypeIds of one asset group: %s',
  exportFilterNotServed: "Filter '%s' is not served by this fake: use %s",
  /** Ours (1013): an export job that is not the caller's, or not of this kind, is not found. */
  exportNotFound: 'Export job %s not found',
  /** Ours (1003): enqueue and cancel of a job past them. */
  exportNotCreated: 'Export job %s is %s: only a Created job can be enqueued',
  exportFinished: 'Export job %s is %s: it can no longer be cancelled',
  /** Ours (1013): a static list filter naming no list (the caller may see). */
  listNotFound: 'Static list %s not found',
  smartListNotFound: 'Smart list %s not found',
  /** Ours (1035): the fake evaluates Member of List and Id filters, matched by All or Any (README "Smart lists"). */
  smartListNotEvaluated:
    'Smart list %s has rules this fake does not evaluate (it evaluates Member of List and Id filters, All or Any)',
  /** Ours (1013): a program member export naming no program. */
  programNotFound: 'Program %s not found',
  importNeedsEmail: 'All records must include the email field',
  importInvalidType: 'Invalid data type in field %s',
  exportStatusNotFound: "Invalid data: status '%s' is in none of the programs' channels",
  /** Ours (610): an export whose records no registered family provides (an app built with fewer families). */
  exportEntityNotServed: 'Requested resource not found: no registered family provides %s (%s)',
  /** Ours (1003, object APIs): "idField mode is not compatible with createOnly mode" (lead-database.md). */
  idFieldWithCreateOnly: "dedupeBy 'idField' cannot be used with action 'createOnly'",
  /** 1003, object APIs: a record names itself by its id field under dedupeBy dedupeFields (real text, RudderStack). */
  idFieldOnlyWithIdField: "Field '%s' is not allowed when dedupeBy is 'dedupeFields'",
  /** Ours (1003, object APIs): a field describe shows as updateable false, given a new value on update. */
  notUpdateableField: "Field '%s' is not updateable",
  /** Ours (1003, object APIs): a required field cleared (opportunities: "The 'name' field must not be null"). */
  requiredField: "Field '%s' must not be null",
  /** Ours (1003, object APIs): a filter value that is not a value of its field. */
  invalidFilterValue: "Invalid value '%s' for filterType '%s'",
  /** Ours (1003, object APIs): a query's `input` holds something other than key objects. */
  keyObjectExpected: 'Each input item must be an object of key fields',
  keyFieldMissing: "Each input item must include '%s'",
  /** Ours (1003, object APIs): a compound key queried by GET (lead-database.md "Compound Keys"). */
  compoundKeyQuery: "filterType '%s' is a compound key: POST with _method=GET and an input array of key objects",
  /** Ours (1003, the Custom Object Type API): the rules custom-objects.md states for types and their fields. */
  invalidApiName: "Invalid %s API name '%s': letters, digits and _, starting with a letter, at most 50",
  reservedFieldName: "Field name '%s' is reserved",
  blankDisplayName: "Field '%s' needs a displayName",
  duplicateFieldName: "A field named '%s' is already in custom object type '%s'",
  duplicateDisplayName: "A field displayed as '%s' is already in custom object type '%s'",
  tooManyFields: 'A custom object type has at most %s fields',
  tooManyFieldsAfterApproval: 'At most %s fields can be added to a custom object type after its approval',
  linkWithoutTarget: "Link field '%s' needs relatedTo {name, field}",
  targetWithoutLink: "Field '%s' has relatedTo but is not of dataType link",
  notLinkable: "'%s.%s' is not a linkable object and field (linkableObjects.json)",
  keyFieldAfterApproval: "Field '%s': a dedupe or link field cannot be added to or removed from approved type '%s'",
  tooManyDedupeFields: 'A custom object type has at most %s dedupe fields',
  noDedupeField: 'A custom object type needs at least one dedupe field to be approved',
  tooManyTypes: 'A subscription has at most %s custom object types',
  approvedNameChange: "The displayName of approved custom object type '%s' cannot change",
  approvedFieldChange: "Field '%s' of approved custom object type '%s': only displayName and description can change",
  noDraft: "Custom object type '%s' has no draft",
  typeLinkedFrom: "Custom object type '%s' is linked from '%s'",
  unknownCustomObject: "Custom object type '%s' not found",
  noVersion: "Custom object type '%s' has no %s version",
  /** Ours (1003/709, the Custom Activity Type API): the rules of activities.md "Custom Activity Types". */
  activityTypeNoDraft: "Activity type '%s' has no draft",
  invalidActivityTypeName: "Invalid name '%s': letters, digits, spaces and _, with at least one letter",
  triggerOrFilterTaken: "%s '%s' is another activity type's",
  activityTypeInUse: "Activity type '%s' is approved and in use: %s cannot change",
  primaryAttributeExists: "Activity type '%s' has a primary attribute: demote it (isPrimary false) first",
  primaryAttributeDelete: "Attribute '%s' is the primary attribute: demote it before deleting it",
  noPrimaryAttribute: "Activity type '%s' needs a primary attribute to be approved",
  duplicateAttribute: "Attribute '%s' is already in activity type '%s'",
  tooManyAttributes: 'An activity type has at most %s secondary attributes',
  /** Ours (1003/1028, the schema field APIs): the naming and update rules of leads.md "Fields". */
  invalidDisplayName: "Invalid displayName '%s': letters, digits, spaces and _ only",
  tooManyCustomFields: 'The object has at most %s custom fields',
  fieldAttributeNotUpdateable: "%s of field '%s' cannot be updated",
  /** Ours (1003, program members): a status that is not one of the program's channel (channels.md). */
  unknownProgramStatus: "Invalid status '%s' for program %s: not a status of its channel",
  /** Ours (1003, program members): statuses move forward only ("a later step than the current one", Workato's docs). */
  statusBackwards: "Status '%s' comes before the member's status '%s' in the program's progression",
  /** Ours (1013, program members): a delete naming a lead that is no member. */
  notAProgramMember: 'Lead %s is not a member of program %s',
  /** 1003, Request Campaign (smart-campaigns.md): only an active trigger campaign "Campaign is Requested" runs. */
  campaignNotTriggerable: 'Trigger campaign %s is not active or has no Campaign is Requested trigger',
  batchCampaign: 'Campaign %s is a batch campaign: schedule it instead',
  notBatchCampaign: 'Campaign %s is a trigger campaign: request it instead',
  /** Ours (709, Activate Smart Campaign): only a trigger campaign with a flow is activated. */
  batchCampaignActivation: 'Smart campaign %s is a batch campaign: schedule it instead of activating it',
  emptyFlow: 'Smart campaign %s has no flow steps to run',
  /** 1003, Submit Form (leads.md: "the specified program must be in the same workspace as the form"). */
  programNotInFormWorkspace: 'Program %s is not in the workspace of form %s',
  /** Ours (709, smart campaigns' writes): names are unique in a folder or program, without regard to case. */
  activeCampaignDelete: 'Smart campaign %s is active: deactivate it before deleting it',
  duplicateCampaignName: "A smart campaign named '%s' already exists in folder or program %s",
  /** Ours (709, smart lists): users' smart list names are unique; a campaign's or program's own goes with it. */
  duplicateSmartListName: "A smart list named '%s' already exists",
  smartListOfCampaign: 'Smart list %s is the smart list of smart campaign %s: delete the campaign instead',
  smartListOfProgram: 'Smart list %s is the smart list of program %s: it goes with the program',
  /** 1003, Request and Schedule Campaign: more leads or tokens than a call takes (smart-campaigns.md). */
  tooManyCampaignItems: "Parameter '%s' takes at most %s items",
  /** 1042 (error-codes.md): runAt in the past or more than two years ahead. */
  runAtOutOfRange: 'runAt must be between now and two years from now',
  /** Ours (1003, Schedule Campaign): the fake does not clone a program from a schedule. */
  cloneNotSupported: 'cloneToProgramName is not supported by this fake: clone the program, then schedule its campaign',
  /** Ours (User Management API, 610 → HTTP 404): no user, or not one in the state the operation acts on. */
  userNotFound: "User '%s' not found",
  userPending: "User '%s' has not accepted the invitation: it is a pending user (see users/%s/invite.json)",
  userNotPending: "User '%s' has no pending invitation: it accepted it",
  /** Ours (User Management API, 1003 → HTTP 400): role grants that name no role or workspace, or cannot be. */
  roleNotFound: 'Role %s not found (userRoleWorkspaces[%s].accessRoleId)',
  workspaceNotFound: 'Workspace %s not found (userRoleWorkspaces[%s].workspaceId; 0 means all workspaces)',
  onlyAllZones: "Role '%s' is granted in all workspaces only: workspaceId 0 (userRoleWorkspaces[%s])",
  grantNotHeld: "User '%s' does not hold role %s in workspace %s ([%s])",
  noAttributes: 'Name at least one attribute to update: emailAddress, firstName, lastName, expiresAt, apiOnly',
  invalidUserDatetime:
    "'%s' is not a datetime: ISO 8601 with an offset (2020-12-31T23:59:59-05:00) or 20201231T23:59:59.000t-0500",
  rolesBody: 'a list of {accessRoleId, workspaceId}, bare or as {"input": [...]}',
  /** Ours (User Management API, 709 → HTTP 409): the change conflicts with the subscription's users. */
  userExists: "A user with emailAddress '%s' or userid '%s' already exists",
} as const;

/** Fills a message's `%s` placeholders in order. */
export function formatMessage(template: string, ...details: readonly (string | number)[]): string {
  let index = 0;
  return template.replace(/%s/g, () => String(details[index++] ?? ''));
}

/** The documented message of a code (response- or record-level), with its details filled in. */
export function marketoMessage(code: ResponseCode | RecordCode, ...details: readonly (string | number)[]): string {
  const template: string =
    code in RESPONSE_MESSAGES ? RESPONSE_MESSAGES[code as ResponseCode] : RECORD_MESSAGES[code as RecordCode];
  return formatMessage(template, ...details);
}

/** A record-level reason, `{code, message}`: the documented message unless a real-traffic text is given. */
export function reason(
  code: RecordCode,
  message: string = RECORD_MESSAGES[code],
): { code: RecordCode; message: string } {
  return { code, message };
}

/** Codes whose calls count against neither the daily quota nor the rate limit (error-codes.md, marked *). */
export const UNCOUNTED_CODES: ReadonlySet<string> = new Set(['601', '602', '604', '605', '608', '611']);
