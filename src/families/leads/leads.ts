import type { PermissionKey } from '../../domain/permissions.js';
import { MAX_RECORD_ID, requestIdValue, seedId } from '../../domain/record-ids.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage, reason } from '../../domain/marketo-codes.js';
import { skipped } from '../../domain/results.js';
import { formatDatetime } from '../../domain/datetime.js';
import { coerceFieldValue } from '../../engines/objects/fields.js';
import type { LeadField, LeadFieldCatalog } from './lead-field-catalog.js';
import type { Lead, LeadValue } from '../../domain/model.js';
import {
  associateLead,
  deleteLeads,
  filterColumn,
  importLeads,
  keepsAsEmail,
  leadRecord,
  lookupField,
  type LeadRules,
  MAX_BATCH,
  mergeLeads,
  moveLeads,
  type PartitionScope,
  readFields,
  searchableField,
  submitForm,
  syncLeads,
} from './rules.js';
import { decodePageToken, encodePageToken, queryDigest } from '../../domain/paging.js';
import { successEnvelope } from '../../http/envelope.js';
import { commaList, envelopeOf, recordResultSchema } from '../../http/marketo-schemas.js';
import { defineFamily, type FamilyRouteOptions, type SeedLoadContext } from '../../family.js';
import type { ActivityRecorder, WriteOrigin } from '../../domain/activity-log.js';
import type { CompanyDirectory } from '../../ports.js';
import type { PartitionRepository } from '../../storage/partitions.js';
import { LeadRepository } from './repository.js';
import { leadActivities } from './activities.js';
import type { NewActivity } from '../../domain/activity-log.js';
import { NOT_IN_PROGRAM_STATUS, type ProgramStatus } from '../../domain/program-members.js';
import type { AssetProgram, FormForSubmission } from '../../engines/assets/places.js';
import type { Reason } from '../../domain/results.js';
import { LeadExportReader } from './export.js';
import { leadFields as leadFieldsFamily } from './lead-fields.js';

const READ: readonly PermissionKey[] = ['read-only-lead', 'read-write-lead'];
const WRITE: readonly PermissionKey[] = ['read-write-lead'];
const tags = ['Marketo: Leads'];

/** Marketo answers more than 1,000 matches for a filter with response-level 1003 (leads.md). */
const MAX_FILTER_MATCHES = 1000;

const leadSchema = z
  .record(z.string(), z.unknown())
  .describe('Lead fields by REST API name (by default id, firstName, lastName, email, updatedAt, createdAt)')
  .meta({
    id: 'Lead',
    example: {
      id: 1,
      firstName: 'Ana',
      lastName: 'García',
      email: 'ana@example.mx',
      updatedAt: '2026-12-01T09:30:00Z',
      createdAt: '2026-12-01T09:30:00Z',
    },
  });

const fieldsParam = commaList(z.string())
  .optional()
  .describe('Comma-separated REST API field names')
  .meta({ example: ['email', 'firstName', 'leadPartitionId'] });

const idInput = z.object({ id: requestIdValue });

const syncBody = z
  .object({
    action: z.enum(['createOnly', 'updateOnly', 'createOrUpdate', 'createDuplicate']).default('createOrUpdate'),
    lookupField: z.string().default('email').describe('Field to deduplicate on; default email'),
    partitionName: z.string().optional().describe('Partition for created leads (createOnly, createOrUpdate)'),
    asyncProcessing: z.boolean().optional(),
    input: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_BATCH),
  })
  .meta({
    example: {
      action: 'createOrUpdate',
      lookupField: 'email',
      partitionName: 'Default',
      input: [
        { email: 'ana@example.mx', firstName: 'Ana', lastName: 'García' },
        { email: 'luis@example.mx', firstName: 'Luis' },
      ],
    },
  });

const deleteBody = z
  .object({ input: z.array(idInput).min(1).max(MAX_BATCH) })
  .meta({ example: { input: [{ id: 1 }, { id: 2 }] } })
  .nullish();
const deleteQuery = z.object({ id: commaList(requestIdValue).optional() });

const describeItem = z.object({
  id: z.number().int(),
  displayName: z.string(),
  dataType: z.string(),
  length: z.number().int().optional(),
  rest: z.object({ name: z.string(), readOnly: z.boolean() }),
  soap: z.object({ name: z.string(), readOnly: z.boolean() }),
});

const describe2Item = z.object({
  name: z.string(),
  searchableFields: z.array(z.array(z.string())),
  fields: z.array(
    z.object({
      name: z.string(),
      displayName: z.string(),
      dataType: z.string(),
      length: z.number().int().optional(),
      updateable: z.boolean(),
      crmManaged: z.boolean(),
    }),
  ),
});

const leadIdParams = z.object({ leadId: requestIdValue });
const mergeQuery = z.object({
  leadId: requestIdValue.optional().describe('The losing lead'),
  leadIds: commaList(requestIdValue).optional().describe('Losing leads, comma-separated'),
  mergeInCRM: z.string().optional().describe('Accepted; there is no CRM'),
});
const associateQuery = z.object({ cookie: z.string().describe('The Munchkin cookie value') });
// Clients send an empty or wrapped body (node-marketo-rest posts {data: {}}); merge and associate read the query.
const ignoredBody = z.unknown().optional();
const withoutResultEnvelope = z.object({ requestId: z.string(), success: z.boolean() });

const partitionItem = z.object({ id: z.number().int(), name: z.string(), description: z.string() });

// Schemas are built once per process, not per instance (a fresh instance is what many test suites build per test).
const leadEnvelope = envelopeOf(leadSchema);
const recordResultEnvelope = envelopeOf(recordResultSchema);
const leadByIdParams = z.object({
  leadId: z.string().describe('Decimal digits only (leading zeros allowed); anything else is 1003'),
});

/**
 * A lead id in a path is `^[0-9]+$` only, leading zeros allowed (decision of issue 11): `0xe`, `14e0`, `+14`, `14.0`,
 * ` 14` and the empty string are response-level 1003, not lead 14 or an empty result.
 */
function leadIdOf(raw: string): number {
  if (!/^[0-9]+$/.test(raw)) throw new MarketoError('1003', "Invalid value for field 'leadId'");
  return Number(raw);
}
const fieldsQuery = z.object({ fields: fieldsParam });
const filterQuery = z.object({
  filterType: z
    .string()
    .min(1)
    .describe('A searchable field (describe2.json), e.g. email or id')
    .meta({ example: 'email' }),
  filterValues: commaList(z.string())
    .pipe(z.array(z.string()).min(1).max(MAX_BATCH))
    .describe('Comma-separated values of filterType')
    .meta({ example: ['ana@example.mx'] }),
  fields: fieldsParam,
  batchSize: z.coerce.number().int().min(1).max(MAX_BATCH).default(MAX_BATCH),
  nextPageToken: z.string().optional(),
});
const deleteSchema = { tags, querystring: deleteQuery, body: deleteBody, response: { 200: recordResultEnvelope } };
const describeEnvelope = envelopeOf(describeItem);
const describe2Envelope = envelopeOf(describe2Item);
const partitionEnvelope = envelopeOf(partitionItem);
const submittedForm = z.object({
  leadFormFields: z
    .record(z.string().max(255), z.union([z.string().max(65536), z.number(), z.boolean(), z.null()]))
    .refine((fields) => Object.keys(fields).length <= 500, 'at most 500 fields'),
  visitorData: z
    .object({
      pageURL: z.string().max(2048).optional(),
      queryString: z.string().max(2048).optional(),
      leadClientIpAddress: z.string().max(64).optional(),
      userAgentString: z.string().max(2048).optional(),
    })
    .optional(),
  cookie: z.string().max(1024).optional(),
});
type SubmittedForm = z.infer<typeof submittedForm>;
const submitFormBody = z
  .object({
    formId: requestIdValue,
    programId: requestIdValue.optional(),
    input: z.array(submittedForm).length(1).describe('Exactly one item ("Single array item", swagger-mapi.json)'),
  })
  .meta({ example: { formId: 1001, input: [{ leadFormFields: { email: 'kim@example.com', firstName: 'Kim' } }] } });
/**
 * Submit Form's program membership (leads.md): with `programId` the lead joins that program, with the program member
 * custom fields the form holds; without it, a form in a program puts the lead in its program when the form holds
 * one or more program member custom fields; otherwise the lead joins no program. A new member starts at the first
 * status after "Not in Program" (as Sync Program Member Data makes one). The values of those fields are the
 * member's, not the lead's; one its field cannot hold skips the submission (1003).
 */
function formMembership(
  request: FastifyRequest,
  form: FormForSubmission,
  program: AssetProgram | undefined,
  values: Readonly<Record<string, unknown>>,
):
  | { reason: Reason }
  | {
      fields: ReadonlySet<string>;
      join?: (lead: { id: number; partitionId: number }, recorded: NewActivity[]) => void;
    } {
  const { ctx } = request;
  const onForm = new Set(form.fieldIds.map((id) => id.toLowerCase()));
  const memberFields = (ctx.findPort('programMemberFields')?.customFields() ?? []).filter((field) =>
    onForm.has(field.name.toLowerCase()),
  );
  const fields = new Set(memberFields.map((field) => field.name.toLowerCase()));
  const customFields: Record<string, LeadValue> = {};
  for (const [name, raw] of Object.entries(values)) {
    const field = memberFields.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    if (!field) continue;
    const coerced = coerceFieldValue(field, raw);
    if (!coerced.ok)
      return { reason: reason('1003', formatMessage(DETAIL_MESSAGES.invalidFieldValue, name, String(raw))) };
    customFields[field.name] = coerced.value;
  }
  const places = ctx.port('assetPlaces');
  const target =
    program ?? (form.programId !== null && memberFields.length > 0 ? places.program(form.programId) : undefined);
  const progression = target && places.progressionOf(target.id);
  const members = ctx.findPort('programMembers');
  if (!target || !progression || !members) return { fields };
  return {
    fields,
    join: (lead, recorded) =>
      void members.join({ program: target, progression, lead, customFields }, (activity) => recorded.push(activity)),
  };
}

const movePartitionsBody = z
  .object({
    input: z
      .array(z.object({ id: requestIdValue, partitionName: z.string().min(1) }))
      .min(1)
      .max(MAX_BATCH),
  })
  .meta({ example: { input: [{ id: 1, partitionName: 'Mexico' }] } });

const pushBody = z
  .object({
    programName: z.string().min(1),
    programStatus: z.string().min(1).optional(),
    lookupField: z.string().default('email'),
    partitionName: z.string().optional(),
    source: z.string().max(255).optional(),
    reason: z.string().max(255).optional(),
    input: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_BATCH),
  })
  .meta({
    example: {
      programName: 'Webinar 2026',
      programStatus: 'Registered',
      source: 'Webinar form',
      reason: 'Signed up',
      input: [{ email: 'ana@example.mx', firstName: 'Ana' }],
    },
  });

/**
 * The status Push Lead gives: programStatus, a status of the program's channel (else 1003, as Sync Program Member
 * Status); without it, the first status after "Not in Program" (decision, README "Program members").
 */
function pushStatus(progression: readonly ProgramStatus[], asked: string | undefined, programId: number): string {
  const statuses = progression.filter((status) => status.name !== NOT_IN_PROGRAM_STATUS);
  if (asked === undefined) return statuses[0]?.name ?? NOT_IN_PROGRAM_STATUS;
  const status = statuses.find((candidate) => candidate.name.toLowerCase() === asked.trim().toLowerCase());
  if (!status) throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.unknownProgramStatus, asked, programId));
  return status.name;
}

function rulesOf(request: FastifyRequest, leads: LeadRepository): LeadRules {
  const { ctx } = request;
  return rulesWith(
    leads,
    ctx.repo(leadFieldsFamily).catalog(),
    ctx.repos.partitions,
    // The log reached through its port: the lead rules know only the ActivityRecorder interface.
    ctx.port('activityLog'),
    { requestId: request.marketoRequestId(), user: request.principal?.user.email ?? '' },
    (loserId, winnerId) => ctx.events.leadMerging(loserId, winnerId),
    ctx.findPort('companies'),
  );
}

/** The lead rules over their parts: a route's (from the request) or the leadImport port's (from the infra). */
function rulesWith(
  leads: LeadRepository,
  catalog: LeadFieldCatalog,
  partitions: Pick<PartitionRepository, 'find' | 'findByName'>,
  activities: ActivityRecorder,
  origin: WriteOrigin,
  leadMerging: LeadRules['leadMerging'],
  companies: CompanyDirectory | undefined,
): LeadRules {
  return {
    leads,
    catalog,
    partitionByName: (name) => partitions.findByName(name),
    partitionName: (id) => partitions.find(id)?.name ?? String(id),
    activities,
    origin,
    leadMerging,
    companies,
  };
}

/** An import syncs records and merges none. */
const NO_MERGES: LeadRules['leadMerging'] = () => {
  throw new Error('a lead import merges no leads');
};

/**
 * A lead linked to a company reads its company fields from it: "Leads linked to a company record inherit values
 * from that record as though the values existed on the lead record" (companies.md). Only a lead with an
 * externalCompanyId asks the companies port.
 */
function withCompany(
  request: FastifyRequest,
  lead: Lead,
  record: Record<string, LeadValue>,
): Record<string, LeadValue> {
  const externalCompanyId = lead.fields.externalCompanyId;
  if (typeof externalCompanyId !== 'string') return record;
  const companies = request.ctx.findPort('companies');
  const company = companies?.byExternalId(externalCompanyId);
  if (!company) return record;
  for (const name of companies!.fieldNames) {
    if (name in record) record[name] = (Object.hasOwn(company, name) ? company[name] : undefined) ?? null;
  }
  return record;
}

function scopeOf(request: FastifyRequest): PartitionScope {
  return {
    readable: request.access.partitions('read', 'lead'),
    writable: request.access.partitions('write', 'lead'),
  };
}

/** Filter values as the field stores them; 1003 when an integer field gets a non-integer. */
function filterValues(field: LeadField, values: string[]): (string | number)[] {
  if (field.dataType !== 'integer') return values;
  return values.map((value) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n))
      throw new MarketoError('1003', `Invalid value '${value}' for filterType '${field.name}'`);
    return n;
  });
}

function soapName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Leads and lead partitions (Lead Database API). */
const leadRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<LeadRepository>> = async (app, { repo }) => {
  /** The lead field catalog of the request's subscription. */
  const catalogOf = (request: FastifyRequest) => request.ctx.repo(leadFieldsFamily).catalog();

  app.get(
    '/rest/v1/lead/:leadId.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Lead by Id',
        params: leadByIdParams,
        querystring: fieldsQuery,
        response: { 200: leadEnvelope },
      },
    },
    async (request) => {
      const fields = readFields(catalogOf(request), request.query.fields);
      const lead = repo(request).find(leadIdOf(request.params.leadId));
      // A lead in a partition the caller cannot see is simply absent.
      const visible =
        lead && request.access.canRead(lead.partitionId, 'lead')
          ? [withCompany(request, lead, leadRecord(lead, fields))]
          : [];
      return successEnvelope(request.marketoRequestId(), visible);
    },
  );

  app.get(
    '/rest/v1/leads.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Leads by Filter Type',
        description: 'Also reachable as POST with _method=GET and the parameters in a form body.',
        querystring: filterQuery,
        response: { 200: leadEnvelope },
      },
    },
    async (request) => {
      const { filterType, batchSize, nextPageToken } = request.query;
      const { ctx } = request;
      const leads = repo(request);
      const catalog = catalogOf(request);
      const field = searchableField(catalog, filterType);
      const fields = readFields(catalog, request.query.fields);
      const values = filterValues(field, request.query.filterValues);
      const filter = {
        column: filterColumn(field),
        field: field.name,
        values,
        partitionIds: [...request.access.partitions('read', 'lead')],
      };
      const digest = queryDigest([field.name, values, fields.map((f) => f.name), batchSize]);
      const afterId = nextPageToken ? decodePageToken(nextPageToken, digest, ctx.clock.now()) : 0;
      const page = leads.page(filter, afterId, batchSize + 1);
      const more = page.length > batchSize;
      // A first page that holds every match has fewer than the cap (batchSize ≤ 300): only a longer result is counted.
      if ((more || afterId > 0) && leads.countMatches(filter, MAX_FILTER_MATCHES + 1) > MAX_FILTER_MATCHES) {
        throw new MarketoError('1003', DETAIL_MESSAGES.tooManyResults);
      }
      const rows = more ? page.slice(0, batchSize) : page;
      return successEnvelope(
        request.marketoRequestId(),
        rows.map((lead) => withCompany(request, lead, leadRecord(lead, fields))),
        more ? { moreResult: true, nextPageToken: encodePageToken(rows.at(-1)!.id, digest, ctx.clock.now()) } : {},
      );
    },
  );

  app.post(
    '/rest/v1/leads.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Sync Leads',
        description: 'createOrUpdate (default), createOnly, updateOnly or createDuplicate, up to 300 records.',
        body: syncBody,
        response: { 200: recordResultEnvelope },
      },
    },
    async (request) => {
      const { action, lookupField, partitionName, input } = request.body;
      const results = syncLeads(rulesOf(request, repo(request)), scopeOf(request), {
        action,
        lookupField,
        ...(partitionName !== undefined ? { partitionName } : {}),
        input,
      });
      return successEnvelope(request.marketoRequestId(), results);
    },
  );

  const deleteHandler = async (
    request: FastifyRequest<{ Body: z.infer<typeof deleteBody>; Querystring: z.infer<typeof deleteQuery> }>,
  ) => {
    const ids = request.body?.input.map((item) => item.id) ?? request.query.id ?? [];
    if (ids.length === 0) throw new MarketoError('701', marketoMessage('701', 'input'));
    if (ids.length > MAX_BATCH)
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.tooManyRecords, MAX_BATCH));
    return successEnvelope(
      request.marketoRequestId(),
      deleteLeads(rulesOf(request, repo(request)), scopeOf(request), ids),
    );
  };

  app.post(
    '/rest/v1/leads/delete.json',
    {
      config: { permissions: WRITE },
      schema: { ...deleteSchema, summary: 'Delete Leads', description: 'Ids in the body input or as ?id=1,2,3.' },
    },
    deleteHandler,
  );

  app.delete(
    '/rest/v1/leads.json',
    {
      config: { permissions: WRITE },
      schema: {
        ...deleteSchema,
        summary: 'Delete Leads (legacy)',
        description: 'What POST /rest/v1/leads.json?_method=DELETE reaches; still used by live clients.',
      },
    },
    deleteHandler,
  );

  app.get(
    '/rest/v1/leads/describe.json',
    {
      config: { permissions: READ },
      schema: { tags, summary: 'Describe Lead', response: { 200: describeEnvelope } },
    },
    async (request) =>
      successEnvelope(
        request.marketoRequestId(),
        catalogOf(request).fields.map((field) => ({
          id: field.id,
          displayName: field.displayName,
          dataType: field.dataType,
          ...(field.length !== undefined ? { length: field.length } : {}),
          rest: { name: field.name, readOnly: field.readOnly },
          soap: { name: soapName(field.name), readOnly: field.readOnly },
        })),
      ),
  );

  app.get(
    '/rest/v1/leads/describe2.json',
    {
      config: { permissions: READ },
      schema: { tags, summary: 'Describe Lead2', response: { 200: describe2Envelope } },
    },
    async (request) => {
      const catalog = catalogOf(request);
      return successEnvelope(request.marketoRequestId(), [
        {
          name: 'API Lead',
          searchableFields: catalog.searchable().map((field) => [field.name]),
          fields: catalog.fields.map((field) => ({
            name: field.name,
            displayName: field.displayName,
            dataType: field.dataType,
            ...(field.length !== undefined ? { length: field.length } : {}),
            updateable: !field.readOnly,
            crmManaged: false,
          })),
        },
      ]);
    },
  );

  app.get(
    '/rest/v1/leads/partitions.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Lead Partitions',
        description: 'Only the partitions the caller can read.',
        response: { 200: partitionEnvelope },
      },
    },
    async (request) => {
      const readable = request.access.partitions('read', 'lead');
      return successEnvelope(
        request.marketoRequestId(),
        request.ctx.repos.partitions.list().filter((partition) => readable.has(partition.id)),
      );
    },
  );

  app.post(
    '/rest/v1/leads/partitions.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Lead Partition',
        body: movePartitionsBody,
        response: { 200: recordResultEnvelope },
      },
    },
    async (request) =>
      successEnvelope(
        request.marketoRequestId(),
        moveLeads(rulesOf(request, repo(request)), scopeOf(request), request.body.input),
      ),
  );

  app.post(
    '/rest/v1/leads/push.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Push Lead',
        description:
          'Upserts up to 300 leads (createOrUpdate on lookupField, default email) and makes them members of the ' +
          "program at programStatus (a status of its channel; default the channel's first), with source and reason.",
        body: pushBody,
        response: { 200: recordResultEnvelope },
      },
    },
    async (request) => {
      const { ctx } = request;
      const { programName, programStatus, lookupField, partitionName, source, reason, input } = request.body;
      const places = ctx.port('assetPlaces');
      const program = places.programByName(programName);
      const progression = program && places.progressionOf(program.id);
      if (!program || !progression) throw new MarketoError('1013', marketoMessage('1013'));
      const status = pushStatus(progression, programStatus, program.id);
      // mktToken associates an email click with the lead (leads.md): the fake has no email clicks to join.
      const records = input.map(({ mktToken: _token, ...fields }) => fields);
      const results = ctx.transaction(() => {
        const synced = syncLeads(rulesOf(request, repo(request)), scopeOf(request), {
          action: 'createOrUpdate',
          lookupField,
          ...(partitionName !== undefined ? { partitionName } : {}),
          input: records,
        });
        const logged: NewActivity[] = [];
        const members = ctx.port('programMembers');
        for (const result of synced) {
          if (result.status === 'skipped') continue;
          const lead = repo(request).find(result.id)!;
          members.changeStatus(
            {
              program,
              progression,
              lead,
              statusName: status,
              ...(reason !== undefined ? { reason } : {}),
              ...(source !== undefined ? { source } : {}),
            },
            (activity) => logged.push(activity),
          );
        }
        if (logged.length > 0) ctx.port('activityLog').record(logged);
        return synced;
      });
      return successEnvelope(request.marketoRequestId(), results);
    },
  );

  app.post(
    '/rest/v1/leads/submitForm.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Submit Form',
        description:
          'One `input` item: `leadFormFields` (REST names of fields on the form, `email` required) and ' +
          '`visitorData`. The lead of that email takes the values, or a new one is made in the primary partition ' +
          "of the form's workspace; a Fill Out Form activity (2) names the form. 1013 when there is no such form.",
        body: submitFormBody,
        response: { 200: recordResultEnvelope },
      },
    },
    async (request) => {
      const { formId, programId, input } = request.body;
      const { ctx } = request;
      const form = ctx.findPort('forms')?.submission(formId);
      if (!form) throw new MarketoError('1013', formatMessage(DETAIL_MESSAGES.assetNotFound, 'Form', formId));
      const places = ctx.port('assetPlaces');
      const program = programId !== undefined ? places.program(programId) : undefined;
      if (programId !== undefined && !program) {
        throw new MarketoError('1013', formatMessage(DETAIL_MESSAGES.assetNotFound, 'Program', programId));
      }
      // leads.md: "the specified program must be in the same workspace as the form".
      if (program && program.workspaceId !== form.workspaceId) {
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.programNotInFormWorkspace, program.id, form.id));
      }
      const [{ leadFormFields, visitorData = {} }] = input as [SubmittedForm];
      const membership = formMembership(request, form, program, leadFormFields);
      if ('reason' in membership)
        return successEnvelope(request.marketoRequestId(), [skipped<'created' | 'updated'>(membership.reason)]);
      const web = (name: string, value: string | undefined) => ({ name, value: value ?? null });
      const result = submitForm(rulesOf(request, repo(request)), scopeOf(request), {
        formId: form.id,
        formName: form.name,
        formFields: new Set(form.fieldIds.map((id) => id.toLowerCase())),
        // "New leads are created in the primary partition for the workspace in which the form resides" (leads.md).
        partitionId: ctx.repos.workspaces.find(form.workspaceId)?.partitionIds[0],
        values: leadFormFields,
        attributes: [
          web('Client IP Address', visitorData.leadClientIpAddress),
          { name: 'Form Fields', value: JSON.stringify(leadFormFields) },
          web('Query Parameters', visitorData.queryString),
          web('Referrer URL', visitorData.pageURL),
          web('User Agent', visitorData.userAgentString),
          { name: 'Webpage ID', value: null },
        ],
        memberFields: membership.fields,
        ...(membership.join ? { join: membership.join } : {}),
      });
      return successEnvelope(request.marketoRequestId(), [result]);
    },
  );

  app.post(
    '/rest/v1/leads/:leadId/merge.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Merge Leads',
        description: 'The winner keeps its values and takes the losers’ where it has none; the losers are deleted.',
        params: leadIdParams,
        querystring: mergeQuery,
        body: ignoredBody,
        response: { 200: withoutResultEnvelope },
      },
    },
    async (request) => {
      const losers = request.query.leadIds ?? (request.query.leadId !== undefined ? [request.query.leadId] : []);
      mergeLeads(rulesOf(request, repo(request)), scopeOf(request), request.params.leadId, losers);
      return { requestId: request.marketoRequestId(), success: true };
    },
  );

  app.post(
    '/rest/v1/leads/:leadId/associate.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Associate Lead',
        description: 'Stores the Munchkin cookie on the lead (filterType=cookies finds it).',
        params: leadIdParams,
        querystring: associateQuery,
        body: ignoredBody,
        response: { 200: withoutResultEnvelope },
      },
    },
    async (request) => {
      associateLead(rulesOf(request, repo(request)), scopeOf(request), request.params.leadId, request.query.cookie);
      return { requestId: request.marketoRequestId(), success: true };
    },
  );
};

/** A lead in a seed: its fields by REST API name, plus `partition` (name, default "Default") and optional id and times. */
const leadSeed = z.record(z.string(), z.unknown());

function loadLeads(leads: LeadRepository, items: readonly Record<string, unknown>[], context: SeedLoadContext): void {
  const { fail, now } = context;
  const catalog = context.repo(leadFieldsFamily).catalog();
  items.forEach((lead, i) => {
    const path = `[${i}]`;
    const { id, partition = 'Default', createdAt, updatedAt, ...values } = lead;
    if (id !== undefined && !seedId.safeParse(id).success) {
      fail(`${path}.id`, `must be a positive integer, at most ${MAX_RECORD_ID} (Marketo's int32)`);
    }
    if (typeof partition !== 'string') fail(`${path}.partition`, 'must be a partition name');
    const partitionId = context.partitionId(partition as string);
    if (partitionId === undefined) fail(`${path}.partition`, `no partition named "${String(partition)}"`);
    const time = (value: unknown, key: string): number => {
      if (value === undefined) return now;
      const ms = typeof value === 'string' ? Date.parse(value) : NaN;
      if (Number.isNaN(ms)) fail(`${path}.${key}`, 'must be an ISO 8601 date-time');
      return ms;
    };
    const fields: Record<string, LeadValue> = {};
    let email: string | null = null;
    for (const [key, raw] of Object.entries(values)) {
      const field = catalog.find(key);
      if (!field) fail(`${path}.${key}`, 'no such lead field (declare custom ones under leadFields)');
      // The associated cookie is read-only to Sync Leads, but part of a lead's state (snapshots carry it).
      if (field!.readOnly && field!.name !== 'cookies') fail(`${path}.${key}`, 'is read only');
      const coerced = coerceFieldValue(field!, raw);
      // An email a bulk import kept with a warning (printable ASCII the address check refused) is state a snapshot
      // carries: the seed takes it back as the import did.
      if (field!.name === 'email' && !coerced.ok && keepsAsEmail(field!, raw)) {
        email = raw;
        continue;
      }
      if (!coerced.ok) fail(`${path}.${key}`, `invalid ${field!.dataType} value ${JSON.stringify(raw)}`);
      if (field!.name === 'email') email = coerced.ok ? (coerced.value as string | null) : null;
      else if (coerced.ok && coerced.value !== null) fields[field!.name] = coerced.value;
    }
    const created = time(createdAt, 'createdAt');
    context.unique(path, () =>
      leads.load({
        id: (id as number | undefined) ?? null,
        partitionId: partitionId!,
        email,
        fields,
        createdAt: created,
        updatedAt: updatedAt === undefined ? created : time(updatedAt, 'updatedAt'),
      }),
    );
  });
}

/** The lead database's people: the Leads API, partition-scoped by the caller's workspaces. */
export const leads = defineFamily({
  key: 'leads',
  tables: ['leads'],
  wireFormat: 'lead-database',
  repository: ({ db, clock }) => new LeadRepository(db, clock),
  provides: (repo, infra) => {
    const fields = infra.repo(leadFieldsFamily);
    return {
      leads: {
        find: (id) => repo.find(id),
        catalog: () => fields.catalog(),
        readFields: (asked) => readFields(fields.catalog(), asked),
        record: leadRecord,
        isLinked: (field, value) => repo.isLinked(field, value),
        linkTarget: (field, value) =>
          field.name === 'id'
            ? typeof value === 'number'
              ? repo.find(value)
              : undefined
            : repo.latestBy(field.name, value),
        changeFields: (lead, values, origin, reason) => {
          const catalog = fields.catalog();
          const changed: NewActivity[] = [];
          const next = { ...lead.fields };
          let email = lead.email;
          for (const [name, value] of Object.entries(values)) {
            const field = catalog.find(name);
            if (!field) continue;
            const old = (name === 'email' ? lead.email : lead.fields[name]) ?? null;
            if (old === value) continue;
            if (name === 'email') email = value as string | null;
            else if (value === null) delete next[name];
            else next[name] = value;
            changed.push(leadActivities.changeDataValue(origin, lead, field, old, value, reason));
          }
          if (changed.length === 0) return { lead, activities: changed };
          return { lead: repo.rewrite(lead, email, next), activities: changed };
        },
      },
      leadExport: new LeadExportReader(infra.db, () => fields.catalog()),
      leadImport: {
        lookupField: (name) => lookupField(fields.catalog(), name).name,
        importRows: (batch) =>
          importLeads(
            rulesWith(
              repo,
              fields.catalog(),
              infra.core.partitions,
              infra.port('activityLog'),
              batch.origin,
              NO_MERGES,
              infra.findPort('companies'),
            ),
            batch,
          ),
      },
    };
  },
  seed: {
    item: leadSeed,
    load: loadLeads,
    snapshot: (repo, { partitionName }) =>
      repo.all().map((lead) => ({
        id: lead.id,
        partition: partitionName(lead.partitionId),
        ...(lead.email !== null ? { email: lead.email } : {}),
        ...lead.fields,
        createdAt: formatDatetime(lead.createdAt),
        updatedAt: formatDatetime(lead.updatedAt),
      })),
    example: [
      { email: 'ada@example.com', firstName: 'Ada', industryTier: 'gold', score2: 7 },
      { id: 40, email: 'grace@example.com', partition: 'Default', createdAt: '2026-01-02T03:04:05Z' },
    ],
  },
  marketoRoutes: leadRoutes,
});
