import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import {
  commonBody,
  dateRange,
  type ExportEntity,
  filterKeys,
  headersOf,
  idCursor,
  invalid,
  parseFormat,
  parseWindow,
  stored,
  storedWindow,
  windowOf,
} from './entities.js';

/**
 * Program members (bulk-program-member-extract.md), read through the `programMemberExport` port of the program
 * members family: "You must specify either the programId or the programIds filter. All other filters are optional",
 * ANDed together.
 */

const PROGRAM_MEMBER_FILTERS = ['programId', 'programIds', 'isExhausted', 'nurtureCadence', 'statusNames', 'updatedAt'];

/** programIds "Accepts an array of up to 10 program ids" (bulk-program-member-extract.md). */
const MAX_PROGRAM_IDS = 10;

const NURTURE_CADENCES = ['paused', 'normal'] as const;
/**
 * Adobe's two documents disagree: swagger-mapi.json's enum is paused/normal, bulk-program-member-extract.md's
 * "Permissible values" pause/norm. Decision (README "Bulk extract"): both are taken, stored as the enum's.
 */
const CADENCE_SPELLINGS = { paused: 'paused', normal: 'normal', pause: 'paused', norm: 'normal' } as const;

export const programMembersDefinition = z.strictObject({
  entity: z.literal('programMembers'),
  programIds: z.array(z.number().int().positive()).min(1).max(MAX_PROGRAM_IDS),
  isExhausted: z.boolean().nullable(),
  nurtureCadence: z.enum(NURTURE_CADENCES).nullable(),
  statusNames: z.array(z.string()).nullable(),
  updatedAt: storedWindow.nullable(),
});

const programMembersBody = z
  .object({
    ...commonBody,
    fields: commonBody.fields.describe('Required: program member fields or lead fields, in file order'),
    filter: z
      .looseObject({
        programId: z.number().int().optional(),
        programIds: z.array(z.number().int()).optional().describe('At most 10; the file then begins with programId'),
        isExhausted: z.boolean().optional(),
        nurtureCadence: z
          .enum(['paused', 'normal', 'pause', 'norm'])
          .optional()
          .describe('paused or normal (the reference page spells them pause and norm: both are taken)'),
        statusNames: z.array(z.string()).optional(),
        updatedAt: dateRange.optional(),
      })
      .nullish()
      .describe('Required: programId or programIds; the other filters are ANDed with it'),
  })
  .optional();

/** The column added first when programIds is the filter ("An additional field programId is added … as the first"). */
const PROGRAM_ID = 'programId';

export const programMembersEntity: ExportEntity = {
  name: 'programMembers',
  path: '/bulk/v1/program/members',
  noun: 'Program Member',
  tag: 'Marketo: Bulk Export Program Members',
  port: 'programMemberExport',
  permissions: ['read-only-lead'],
  scopeObject: 'lead',
  body: programMembersBody,
  define(body, request) {
    const members = request.ctx.port('programMemberExport');
    const format = parseFormat(body.format);
    if (!body.fields || body.fields.length === 0)
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportRequired, 'fields'));
    const keys = filterKeys(body.filter, PROGRAM_MEMBER_FILTERS);
    const filter = body.filter ?? {};
    if (keys.includes('programId') && keys.includes('programIds'))
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportOneFilter, 'programId, programIds'));
    const many = keys.includes('programIds');
    if (!many && !keys.includes('programId'))
      throw new MarketoError(
        '1003',
        formatMessage(DETAIL_MESSAGES.exportRequired, 'filter.programId or filter.programIds'),
      );
    const programIds = many ? (filter.programIds as number[]) : [filter.programId as number];
    if (programIds.length === 0) throw invalid('filter.programIds', programIds);
    if (programIds.length > MAX_PROGRAM_IDS)
      throw new MarketoError(
        '1003',
        formatMessage(DETAIL_MESSAGES.tooManyValues, 'filter.programIds', MAX_PROGRAM_IDS),
      );
    for (const id of programIds) {
      if (!members.programExists(id))
        throw new MarketoError('1013', formatMessage(DETAIL_MESSAGES.programNotFound, id));
    }
    const columns: string[] = many ? [PROGRAM_ID] : [];
    for (const name of body.fields) {
      const column = members.field(name);
      if (!column) throw new MarketoError('1006', marketoMessage('1006', name));
      if (!columns.includes(column)) columns.push(column);
    }
    // The added first column is "programId" ("An additional field \"programId\" is added … as the first field").
    const headers = headersOf(
      columns,
      body.columnHeaderNames,
      (name) => members.field(name),
      (column, i) => (many && i === 0 ? PROGRAM_ID : members.header(column)),
    );
    let updatedAt: ReturnType<typeof stored> | null = null;
    if (keys.includes('updatedAt')) {
      const window = parseWindow('updatedAt', filter.updatedAt);
      // "The updatedAt filter requires additional infrastructure components which have not yet been rolled out to
      // all subscriptions" (bulk-program-member-extract.md): the same setting as the lead filter's.
      if (request.ctx.config.BULK_EXTRACT_UPDATED_AT_FILTER === 'unsupported')
        throw new MarketoError('1035', DETAIL_MESSAGES.unsupportedFilter);
      updatedAt = stored(window);
    }
    const isExhausted = keys.includes('isExhausted') ? (filter.isExhausted as boolean) : null;
    const nurtureCadence = keys.includes('nurtureCadence')
      ? CADENCE_SPELLINGS[filter.nurtureCadence as keyof typeof CADENCE_SPELLINGS]
      : null;
    const statusNames = keys.includes('statusNames') ? [...new Set(filter.statusNames as string[])] : null;
    // "If a status name is not found in any of the programs, "1003, Invalid Data" error is returned".
    for (const name of statusNames ?? []) {
      const known = programIds.some((id) =>
        members.statuses(id).some((status) => status.toLowerCase() === name.toLowerCase()),
      );
      if (!known) throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportStatusNotFound, name));
    }
    return {
      definition: {
        entity: 'programMembers',
        programIds: [...new Set(programIds)],
        isExhausted,
        nurtureCadence,
        statusNames,
        updatedAt,
      },
      format,
      columns,
      headers,
    };
  },
  begin(definition, ports) {
    if (definition.entity !== 'programMembers') throw new Error('not a program member export');
    // "members of the program at the time that the job begins processing" (bulk-program-member-extract.md).
    return { cursor: { lastId: ports.port('programMemberExport').lastId(), after: 0 } };
  },
  read(job, cursor, ports) {
    const { definition } = job;
    if (definition.entity !== 'programMembers') throw new Error('not a program member export');
    const { lastId, after } = idCursor.parse(cursor);
    const read = ports.port('programMemberExport').rows(
      {
        fields: job.columns,
        separator: job.separator,
        lastId,
        programIds: definition.programIds,
        isExhausted: definition.isExhausted,
        nurtureCadence: definition.nurtureCadence,
        statusNames: definition.statusNames,
        updatedAt: definition.updatedAt && windowOf(definition.updatedAt),
        partitionIds: job.partitionIds,
      },
      after,
    );
    return { text: read.text, records: read.records, next: read.next === null ? null : { lastId, after: read.next } };
  },
};
