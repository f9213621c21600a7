import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { NewActivity } from '../../domain/activity-log.js';
import { formatDatetime } from '../../domain/datetime.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage, reason } from '../../domain/marketo-codes.js';
import type { Lead, LeadValue } from '../../domain/model.js';
import type { PermissionKey } from '../../domain/permissions.js';
import type { ProgramStatus } from '../../domain/program-members.js';
import { requestIdValue, seedId } from '../../domain/record-ids.js';
import { MAX_BATCH, type Reason } from '../../domain/results.js';
import type { AssetProgram } from '../../engines/assets/places.js';
import { coerceFieldValue, type ObjectField } from '../../engines/objects/fields.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import { commaList, envelopeOf, reasonSchema } from '../../http/marketo-schemas.js';
import { type ProgramMember, ProgramMemberRepository } from './member-repository.js';
import { keyedAfter, readableLead, tokenPage, updatedWithin } from '../../http/reads.js';
import { PROGRAM_MEMBER_FIELDS, programMemberFields } from './program-member-fields.js';
import { changeStatus, joinProgram, progressionActivity, requireStatus } from './rules.js';
import { ProgramMemberExportReader } from './export.js';
import { programMemberImportPort } from './import.js';

const READ: readonly PermissionKey[] = ['read-only-lead', 'read-write-lead'];
const WRITE: readonly PermissionKey[] = ['read-write-lead'];
const tags = ['Marketo: Program Members'];

/**
 * Decisions (issue 26, README "Program members"), beside those of rules.ts:
 * - an unknown program is response-level 1013 (Object not found), as an unknown list is;
 * - a lead the caller cannot read (unknown, or in a partition it cannot read) is skipped with 1004; the same lead
 *   twice in one call, the second with 1036;
 * - deleting a lead that is no member is skipped with 1013; a delete writes 104 to "Not in Program".
 */

/** Marketo's default fields of a program member read (program-members.md "Query"). */
const DEFAULT_FIELDS = ['leadId', 'reachedSuccess', 'programId', 'acquiredBy', 'membershipDate', 'statusName'];
/** The standard fields a query may filter on (describe's searchableFields), beside custom string fields. */
const STANDARD_SEARCHABLE = ['leadId', 'reachedSuccess', 'statusName'] as const;

const memberRecord = z
  .object({ seq: z.number().int(), leadId: z.number().int() })
  .catchall(z.unknown())
  .describe('seq, leadId, then the asked fields (by default reachedSuccess, programId, acquiredBy, membershipDate…)')
  .meta({
    id: 'ProgramMember',
    example: {
      seq: 0,
      leadId: 40,
      reachedSuccess: false,
      programId: 1001,
      acquiredBy: false,
      membershipDate: '2026-12-01T09:30:00Z',
      statusName: 'Registered',
    },
  });
const memberEnvelope = envelopeOf(memberRecord);
const memberResult = <const S extends readonly [string, ...string[]]>(statuses: S) =>
  z.object({
    seq: z.number().int(),
    leadId: z.number().int(),
    status: z.enum(statuses),
    reasons: z.array(reasonSchema).optional(),
  });
const statusEnvelope = envelopeOf(memberResult(['updated', 'skipped']));
const deleteEnvelope = envelopeOf(memberResult(['deleted', 'skipped']));
const dataEnvelope = envelopeOf(memberResult(['created', 'updated', 'skipped']));
const legacyStatusEnvelope = envelopeOf(
  z.object({ id: z.number().int(), status: z.enum(['updated', 'skipped']), reasons: z.array(reasonSchema).optional() }),
);
const leadEnvelope = envelopeOf(z.record(z.string(), z.unknown()));

const describeField = z.object({
  name: z.string(),
  displayName: z.string(),
  dataType: z.string(),
  length: z.number().int().optional(),
  updateable: z.boolean(),
  crmManaged: z.boolean(),
});
const describeItem = z.object({
  name: z.string(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  dedupeFields: z.array(z.string()),
  searchableFields: z.array(z.array(z.string())),
  fields: z.array(describeField),
});
const describeEnvelope = envelopeOf(describeItem);

const programParams = z.object({ programId: requestIdValue });
const batchSize = z.coerce.number().int().min(1).max(MAX_BATCH).default(MAX_BATCH);
const fieldsParam = commaList(z.string()).optional().describe('Comma-separated program member field names');
const membersQuery = z.object({
  filterType: z.string().min(1).describe('leadId, reachedSuccess, statusName or a custom string field'),
  filterValues: commaList(z.string())
    .pipe(z.array(z.string()).min(1).max(MAX_BATCH))
    .describe('Comma-separated values of filterType'),
  startAt: z.iso.datetime({ offset: true }).optional().describe('Members updated at or after'),
  endAt: z.iso.datetime({ offset: true }).optional().describe('Members updated at or before'),
  fields: fieldsParam,
  batchSize,
  nextPageToken: z.string().optional(),
});
const leadInput = z.object({ leadId: requestIdValue });
const statusBody = z
  .object({ statusName: z.string().min(1), input: z.array(leadInput).min(1).max(MAX_BATCH) })
  .meta({ example: { statusName: 'Registered', input: [{ leadId: 40 }] } });
const deleteBody = z
  .object({ input: z.array(leadInput).min(1).max(MAX_BATCH) })
  .meta({ example: { input: [{ leadId: 40 }] } });
const dataBody = z
  .object({
    input: z
      .array(z.object({ leadId: requestIdValue }).catchall(z.unknown()))
      .min(1)
      .max(MAX_BATCH),
  })
  .meta({ example: { input: [{ leadId: 40, registrationCode: 'A-1' }] } });
const legacyStatusBody = z
  .object({
    status: z.string().min(1),
    input: z
      .array(z.object({ id: requestIdValue }))
      .min(1)
      .max(MAX_BATCH),
  })
  .meta({ example: { status: 'Registered', input: [{ id: 40 }] } });
const leadsByProgramQuery = z.object({
  fields: commaList(z.string()).optional().describe('Comma-separated lead field names'),
  batchSize,
  nextPageToken: z.string().optional(),
});

const leadParams = z.object({ leadId: requestIdValue });
const membershipQuery = z.object({
  filterType: z.string().optional().describe('id: the programs named in filterValues'),
  filterValues: commaList(z.string().regex(/^[0-9]+$/, 'a program id'))
    .pipe(z.array(z.string()).max(MAX_BATCH))
    .optional(),
  earliestUpdatedAt: z.iso.datetime({ offset: true }).optional(),
  latestUpdatedAt: z.iso.datetime({ offset: true }).optional(),
  batchSize,
  nextPageToken: z.string().optional(),
});
const membershipEnvelope = envelopeOf(
  z
    .object({
      id: z.number().int(),
      progressionStatus: z.string(),
      isExhausted: z.boolean(),
      acquiredBy: z.boolean(),
      reachedSuccess: z.boolean(),
      membershipDate: z.string(),
      updatedAt: z.string(),
    })
    .meta({ id: 'ProgramMembership' }),
);

const notFound = (): MarketoError => new MarketoError('1013', marketoMessage('1013'));

/** The program a call names, with its channel's progression; 1013 when there is none. */
function programOf(
  request: FastifyRequest,
  programId: number,
): { program: AssetProgram; progression: ProgramStatus[] } {
  const places = request.ctx.port('assetPlaces');
  const program = places.program(programId);
  const progression = program && places.progressionOf(programId);
  if (!program || !progression) throw notFound();
  return { program, progression };
}

/** Every program member field, standard then custom (the custom ones from the schema field API's tables). */
function memberFields(request: FastifyRequest): ObjectField[] {
  const custom = request.ctx.repo(programMemberFields).customFields(() => true);
  return [...PROGRAM_MEMBER_FIELDS, ...custom];
}

function fieldNamed(fields: readonly ObjectField[], name: string): ObjectField | undefined {
  const wanted = name.toLowerCase();
  return fields.find((field) => field.name.toLowerCase() === wanted);
}

/** A member as a read shows it: seq, leadId, then the fields (null where empty). */
function memberValue(member: ProgramMember, field: ObjectField, programName: string): LeadValue {
  switch (field.name) {
    case 'acquiredBy':
      return member.acquiredBy;
    case 'createdAt':
      return formatDatetime(member.createdAt);
    case 'isExhausted':
      return false;
    case 'leadId':
      return member.leadId;
    case 'membershipDate':
      return formatDatetime(member.membershipDate);
    case 'program':
      return programName;
    case 'programId':
      return member.programId;
    case 'reachedSuccess':
      return member.reachedSuccess;
    case 'reachedSuccessDate':
      return member.reachedSuccessAt === null ? null : formatDatetime(member.reachedSuccessAt);
    case 'statusName':
      return member.statusName;
    case 'statusReason':
      return member.statusReason;
    case 'updatedAt':
      return formatDatetime(member.updatedAt);
    default:
      return member.customFields[field.name] ?? null;
  }
}

/** One lead per input record, checked: skipped with 1004 (cannot read it) or 1036 (named twice). */
function inputLeads(request: FastifyRequest, ids: readonly number[], access: 'read' | 'write') {
  const leads = request.ctx.port('leads');
  const visible = request.access.partitions(access, 'lead');
  const seen = new Set<number>();
  return ids.map((id): Lead | Reason => {
    if (seen.has(id)) return reason('1036');
    seen.add(id);
    const lead = leads.find(id);
    return lead && visible.has(lead.partitionId) ? lead : reason('1004');
  });
}

const isReason = (value: Lead | Reason): value is Reason => 'code' in value;

const memberRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ProgramMemberRepository>> = async (app, { repo }) => {
  const describe = (request: FastifyRequest) => {
    const fields = memberFields(request);
    const custom = fields.slice(PROGRAM_MEMBER_FIELDS.length);
    return successEnvelope(request.marketoRequestId(), [
      {
        name: 'API Program Membership',
        description: 'Map for API program membership fields',
        createdAt: formatDatetime(0),
        updatedAt: formatDatetime(0),
        dedupeFields: ['leadId', 'programId'],
        searchableFields: [
          ...STANDARD_SEARCHABLE.map((name) => [name]),
          ...custom.filter((field) => field.dataType === 'string').map((field) => [field.name]),
        ],
        fields: fields.map((field) => ({
          name: field.name,
          displayName: field.displayName,
          dataType: field.dataType,
          ...(field.length !== undefined ? { length: field.length } : {}),
          updateable: !field.readOnly,
          crmManaged: false,
        })),
      },
    ]);
  };
  for (const [path, summary] of [
    ['/rest/v1/programs/members/describe.json', 'Describe Program Member'],
    ['/rest/v1/program/members/describe.json', 'Describe Program Member (superseded)'],
  ] as const) {
    app.get(
      path,
      { config: { permissions: READ }, schema: { tags, summary, response: { 200: describeEnvelope } } },
      async (request) => describe(request),
    );
  }

  app.get(
    '/rest/v1/programs/:programId/members.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Program Members',
        description:
          'Members of leads the caller can read, in lead id order. filterType leadId, reachedSuccess, statusName or a ' +
          'custom string field; startAt/endAt bound updatedAt.',
        params: programParams,
        querystring: membersQuery,
        response: { 200: memberEnvelope },
      },
    },
    async (request) => {
      const { program } = programOf(request, request.params.programId);
      const { filterType, filterValues, startAt, endAt } = request.query;
      const all = memberFields(request);
      const filterField = fieldNamed(all, filterType);
      const searchable =
        filterField &&
        ((STANDARD_SEARCHABLE as readonly string[]).includes(filterField.name) ||
          (!PROGRAM_MEMBER_FIELDS.includes(filterField) && filterField.dataType === 'string'));
      if (!filterField || !searchable) {
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidParameter, 'filterType', filterType));
      }
      const fields = (request.query.fields ?? DEFAULT_FIELDS).map((name) => {
        const field = fieldNamed(all, name);
        if (!field) throw new MarketoError('1006', marketoMessage('1006', name));
        return field;
      });
      const condition = filterOf(filterField, filterValues);
      const partitionIds = [...request.access.partitions('read', 'lead')];
      return tokenPage(
        request,
        request.query,
        ['members', program.id, filterField.name, filterValues, startAt, endAt, request.query.batchSize],
        (afterLeadId, limit) =>
          repo(request).page({
            programId: program.id,
            partitionIds,
            ...condition,
            ...(startAt !== undefined ? { updatedFrom: Date.parse(startAt) } : {}),
            ...(endAt !== undefined ? { updatedTo: Date.parse(endAt) } : {}),
            afterLeadId,
            limit,
          }),
        (member) => member.leadId,
        (member, seq) => {
          const record: Record<string, LeadValue> = { seq, leadId: member.leadId };
          for (const field of fields) record[field.name] = memberValue(member, field, program.name);
          return record as { seq: number; leadId: number };
        },
      );
    },
  );

  app.post(
    '/rest/v1/programs/:programId/members/status.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Sync Program Member Status',
        description:
          "statusName is a status of the program's channel (else 1003); statuses move forward only; each change " +
          'writes Change Status in Progression (104).',
        params: programParams,
        body: statusBody,
        response: { 200: statusEnvelope },
      },
    },
    async (request) => {
      const { program, progression } = programOf(request, request.params.programId);
      const status = requireStatus(progression, request.body.statusName, program.id);
      const results = setStatuses(
        request,
        repo(request),
        { program, progression },
        status.name,
        request.body.input.map((item) => item.leadId),
      );
      return successEnvelope(
        request.marketoRequestId(),
        results.map((result, seq) => ({ seq, leadId: request.body.input[seq]!.leadId, ...result })),
      );
    },
  );

  app.post(
    '/rest/v1/leads/programs/:programId/status.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Change Lead Program Status (superseded)',
        description: 'Sync Program Member Status in its older shape: {status, input: [{id}]}, results {id, status}.',
        params: programParams,
        body: legacyStatusBody,
        response: { 200: legacyStatusEnvelope },
      },
    },
    async (request) => {
      const { program, progression } = programOf(request, request.params.programId);
      const status = requireStatus(progression, request.body.status, program.id);
      const ids = request.body.input.map((item) => item.id);
      const results = setStatuses(request, repo(request), { program, progression }, status.name, ids);
      return successEnvelope(
        request.marketoRequestId(),
        results.map((result, i) => ({ id: ids[i]!, ...result })),
      );
    },
  );

  app.post(
    '/rest/v1/programs/:programId/members/delete.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Delete Program Members',
        description: 'Takes leads out of the program; a lead that is no member is skipped with 1013.',
        params: programParams,
        body: deleteBody,
        response: { 200: deleteEnvelope },
      },
    },
    async (request) => {
      const { ctx } = request;
      const members = repo(request);
      const { program, progression } = programOf(request, request.params.programId);
      const input = request.body.input.map((item) => item.leadId);
      const results = ctx.transaction(() => {
        const logged: NewActivity[] = [];
        const out = inputLeads(request, input, 'write').map((lead, seq) => {
          const leadId = input[seq]!;
          if (isReason(lead)) return { seq, leadId, status: 'skipped' as const, reasons: [lead] };
          const member = members.find(program.id, lead.id);
          if (!member) {
            const why = reason('1013', formatMessage(DETAIL_MESSAGES.notAProgramMember, lead.id, program.id));
            return { seq, leadId, status: 'skipped' as const, reasons: [why] };
          }
          members.delete(program.id, lead.id);
          const change = { program, lead: { id: lead.id, partitionId: lead.partitionId } };
          logged.push(progressionActivity(change, member.statusName, progression[0]!.name, false, undefined));
          return { seq, leadId, status: 'deleted' as const };
        });
        if (logged.length > 0) ctx.port('activityLog').record(logged);
        return out;
      });
      return successEnvelope(request.marketoRequestId(), results);
    },
  );

  app.post(
    '/rest/v1/programs/:programId/members.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Sync Program Member Data',
        description:
          'Sets custom program member fields of members (created: the lead becomes a member at the first status ' +
          "of the program's channel). A field that is not custom, or not a value of its type, is skipped with 1003/1006.",
        params: programParams,
        body: dataBody,
        response: { 200: dataEnvelope },
      },
    },
    async (request) => {
      const { ctx } = request;
      const members = repo(request);
      const { program, progression } = programOf(request, request.params.programId);
      const custom = memberFields(request).slice(PROGRAM_MEMBER_FIELDS.length);
      const input = request.body.input;
      const leads = inputLeads(
        request,
        input.map((item) => item.leadId),
        'write',
      );
      const results = ctx.transaction(() => {
        const logged: NewActivity[] = [];
        const out = input.map((item, seq) => {
          const lead = leads[seq]!;
          const leadId = item.leadId;
          const skip = (why: Reason) => ({ seq, leadId, status: 'skipped' as const, reasons: [why] });
          if (isReason(lead)) return skip(lead);
          const values: Record<string, LeadValue> = {};
          for (const [name, raw] of Object.entries(item)) {
            if (name === 'leadId') continue;
            const field = fieldNamed(custom, name);
            if (!field) {
              return skip(
                fieldNamed(PROGRAM_MEMBER_FIELDS, name)
                  ? reason('1003', formatMessage(DETAIL_MESSAGES.notUpdateableField, name))
                  : reason('1006', marketoMessage('1006', name)),
              );
            }
            const coerced = coerceFieldValue(field, raw);
            if (!coerced.ok)
              return skip(reason('1003', formatMessage(DETAIL_MESSAGES.invalidFieldValue, name, String(raw))));
            values[field.name] = coerced.value;
          }
          const status = joinProgram(members, { program, progression, lead, customFields: values }, (activity) =>
            logged.push(activity),
          );
          return { seq, leadId, status };
        });
        if (logged.length > 0) ctx.port('activityLog').record(logged);
        return out;
      });
      return successEnvelope(request.marketoRequestId(), results);
    },
  );

  app.get(
    '/rest/v1/leads/:leadId/programMembership.json',
    {
      config: { permissions: ['read-only-assets'] },
      schema: {
        tags,
        summary: 'Get Program Membership by Lead Id',
        description:
          "The lead's memberships of programs in workspaces where the caller holds Read-Only Assets; filterType id " +
          'narrows to programs; earliestUpdatedAt/latestUpdatedAt bound updatedAt; an unseen lead is 1004.',
        params: leadParams,
        querystring: membershipQuery,
        response: { 200: membershipEnvelope },
      },
    },
    async (request) => {
      const lead = readableLead(request, request.params.leadId);
      const { filterType, filterValues, earliestUpdatedAt, latestUpdatedAt } = request.query;
      if (filterType !== undefined && filterType !== 'id')
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidParameter, 'filterType', filterType));
      const programIds = filterType === 'id' ? new Set((filterValues ?? []).map(Number)) : undefined;
      const within = updatedWithin(request.query);
      const places = request.ctx.port('assetPlaces');
      const workspaces = new Set(request.access.workspacesHolding('read-only-assets'));
      const memberships = repo(request)
        .ofLead(lead.id)
        .filter((member) => {
          if (!within(member.updatedAt) || (programIds && !programIds.has(member.programId))) return false;
          const program = places.program(member.programId);
          return program !== undefined && workspaces.has(program.workspaceId);
        });
      const keyOf = (member: ProgramMember) => member.programId;
      const digestOf = ['programMembership', lead.id, filterType, filterValues, earliestUpdatedAt, latestUpdatedAt];
      return tokenPage(
        request,
        request.query,
        [...digestOf, request.query.batchSize],
        keyedAfter(memberships, keyOf),
        keyOf,
        (member) => ({
          id: member.programId,
          progressionStatus: member.statusName,
          isExhausted: false,
          acquiredBy: member.acquiredBy,
          reachedSuccess: member.reachedSuccess,
          membershipDate: formatDatetime(member.membershipDate),
          updatedAt: formatDatetime(member.updatedAt),
        }),
      );
    },
  );

  app.get(
    '/rest/v1/leads/programs/:programId.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Leads by Program Id',
        description: 'The leads that are members of the program, each with its membership, in lead id order.',
        params: programParams,
        querystring: leadsByProgramQuery,
        response: { 200: leadEnvelope },
      },
    },
    async (request) => {
      const { program } = programOf(request, request.params.programId);
      const leads = request.ctx.port('leads');
      const fields = leads.readFields(request.query.fields);
      const partitionIds = [...request.access.partitions('read', 'lead')];
      return tokenPage(
        request,
        request.query,
        ['leadsByProgram', program.id, fields.map((f) => f.name), request.query.batchSize],
        (afterLeadId, limit) => repo(request).page({ programId: program.id, partitionIds, afterLeadId, limit }),
        (member) => member.leadId,
        (member) => ({
          ...leads.record(leads.find(member.leadId)!, fields),
          membership: {
            acquiredBy: member.acquiredBy,
            isExhausted: false,
            membershipDate: formatDatetime(member.membershipDate),
            progressionStatus: member.statusName,
            reachedSuccess: member.reachedSuccess,
          },
        }),
      );
    },
  );
};

/** A filterType's values as the repository's one condition. */
function filterOf(field: ObjectField, values: readonly string[]) {
  switch (field.name) {
    case 'leadId':
      return {
        leadIds: values.map((value) => {
          if (!/^[0-9]+$/.test(value))
            throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidFilterValue, value, 'leadId'));
          return Number(value);
        }),
      };
    case 'statusName':
      return { statusNames: values };
    case 'reachedSuccess': {
      if (values.length !== 1 || !['true', 'false'].includes(values[0]!.toLowerCase()))
        throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidFilterValue, values.join(','), field.name));
      return { reachedSuccess: values[0]!.toLowerCase() === 'true' };
    }
    default:
      return { custom: { name: field.name, values } };
  }
}

/** Sets one status on leads of one program, in one transaction; results in input order. */
function setStatuses(
  request: FastifyRequest,
  members: ProgramMemberRepository,
  target: { program: AssetProgram; progression: ProgramStatus[] },
  statusName: string,
  leadIds: readonly number[],
): ({ status: 'updated' } | { status: 'skipped'; reasons: Reason[] })[] {
  const { ctx } = request;
  return ctx.transaction(() => {
    const logged: NewActivity[] = [];
    const out = inputLeads(request, leadIds, 'write').map((lead) => {
      if (isReason(lead)) return { status: 'skipped' as const, reasons: [lead] };
      const outcome = changeStatus(
        members,
        { ...target, lead: { id: lead.id, partitionId: lead.partitionId }, statusName },
        (activity) => logged.push(activity),
      );
      return outcome.outcome === 'skipped'
        ? { status: 'skipped' as const, reasons: [reason(outcome.code, outcome.message)] }
        : { status: 'updated' as const };
    });
    if (logged.length > 0) ctx.port('activityLog').record(logged);
    return out;
  });
}

/** A member in a seed: its program (id, or name as a user writes it), lead, status, and times. */
const memberSeed = z.strictObject({
  /** The membership's id (a snapshot keeps it: a bulk export on the way reads memberships by it); else the next. */
  id: seedId.optional(),
  program: z.union([seedId, z.string().min(1)]),
  leadId: seedId,
  status: z.string().min(1),
  statusReason: z.string().optional(),
  reachedSuccess: z.boolean().optional(),
  acquiredBy: z.boolean().optional(),
  customFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  membershipDate: z.iso.datetime({ offset: true }).optional(),
  reachedSuccessDate: z.iso.datetime({ offset: true }).optional(),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  updatedAt: z.iso.datetime({ offset: true }).optional(),
});
type MemberSeed = z.infer<typeof memberSeed>;

/**
 * Program members (issue 26): Describe, Get, Sync Status, Sync Data, Delete; the `programMembers` port, and the
 * `programMemberExport` and `programMemberImport` ports bulk extract and bulk import read and write through (24, 25).
 */
export const programMembers = defineFamily({
  key: 'programMembers',
  tables: ['program_members'],
  wireFormat: 'lead-database',
  repository: ({ db, clock }) => new ProgramMemberRepository(db, clock),
  provides: (repo, infra) => {
    const customFields = () => infra.repo(programMemberFields).customFields(() => false);
    return {
      programMembers: {
        changeStatus: (change, record) => changeStatus(repo, change, record),
        isMember: (programId, leadId) => repo.find(programId, leadId) !== undefined,
        join: (change, record) => joinProgram(repo, change, record),
      },
      programMemberExport: new ProgramMemberExportReader(infra, customFields),
      programMemberImport: programMemberImportPort(repo, infra, customFields),
    };
  },
  onCoreEvents: (repo) => ({ leadMerging: (loserId, winnerId) => repo.mergeMembers(loserId, winnerId) }),
  seed: {
    item: memberSeed as z.ZodType<MemberSeed>,
    load(repo, items, context) {
      const places = context.port('assetPlaces');
      const leads = context.port('leads');
      items.forEach((item, i) => {
        const path = `[${i}]`;
        const program =
          typeof item.program === 'number' ? places.program(item.program) : places.programByName(item.program);
        if (!program) context.fail(`${path}.program`, `no program ${JSON.stringify(item.program)}`);
        if (!leads.find(item.leadId)) context.fail(`${path}.leadId`, `no lead with id ${item.leadId}`);
        const status = places
          .progressionOf(program!.id)!
          .find((s) => s.name.toLowerCase() === item.status.toLowerCase());
        if (!status || status.step === 0)
          context.fail(`${path}.status`, `"${item.status}" is no status of program "${program!.name}"'s channel`);
        const createdAt = context.time(item.createdAt);
        const reachedSuccess = item.reachedSuccess ?? status!.success;
        context.unique(path, () =>
          repo.insert({
            ...(item.id !== undefined ? { id: item.id } : {}),
            programId: program!.id,
            leadId: item.leadId,
            statusName: status!.name,
            statusStep: status!.step,
            statusReason: item.statusReason ?? null,
            reachedSuccess,
            reachedSuccessAt: reachedSuccess ? context.time(item.reachedSuccessDate, createdAt) : null,
            acquiredBy: item.acquiredBy ?? false,
            customFields: item.customFields ?? {},
            membershipDate: context.time(item.membershipDate, createdAt),
            createdAt,
            updatedAt: context.time(item.updatedAt, createdAt),
          }),
        );
      });
    },
    snapshot: (repo) =>
      repo.all().map((member): MemberSeed => ({
        id: member.id,
        program: member.programId,
        leadId: member.leadId,
        status: member.statusName,
        ...(member.statusReason !== null ? { statusReason: member.statusReason } : {}),
        reachedSuccess: member.reachedSuccess,
        acquiredBy: member.acquiredBy,
        customFields: member.customFields,
        membershipDate: new Date(member.membershipDate).toISOString(),
        ...(member.reachedSuccessAt !== null
          ? { reachedSuccessDate: new Date(member.reachedSuccessAt).toISOString() }
          : {}),
        createdAt: new Date(member.createdAt).toISOString(),
        updatedAt: new Date(member.updatedAt).toISOString(),
      })),
    example: [
      { program: 'Spring Launch', leadId: 40, status: 'Registered', customFields: { registrationCode: 'A-1' } },
    ],
  },
  marketoRoutes: memberRoutes,
});
