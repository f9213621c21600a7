import type { FastifyRequest } from 'fastify';
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
  listFilters,
  listMembers,
  parseFormat,
  parseWindow,
  staticList,
  stored,
  storedWindow,
  windowOf,
} from './entities.js';

/**
 * Custom objects (bulk-custom-object-extract.md), read through the `customObjectExport` port of the custom objects
 * family: "first-level Marketo custom object records that are linked directly to a lead", of the type the path names,
 * for the leads one filter selects. Custom object records are not partitioned (the custom objects family's decision),
 * so BULK_EXTRACT_SCOPE does not narrow them.
 */

const CUSTOM_OBJECT_FILTERS = ['updatedAt', 'staticListId', 'staticListName', 'smartListId', 'smartListName'];

export const customObjectsDefinition = z.strictObject({
  entity: z.literal('customObjects'),
  /** The type's API name as its describe spells it. */
  apiName: z.string().min(1),
  filter: z.union([
    z.strictObject({ updatedAt: storedWindow }),
    z.strictObject({ staticListId: z.number().int().positive() }),
  ]),
});

const customObjectsBody = z
  .object({
    ...commonBody,
    fields: commonBody.fields.describe('Required: fields of the custom object type (its describe), in file order'),
    filter: z
      .looseObject({
        updatedAt: dateRange.optional(),
        ...listFilters,
      })
      .nullish()
      .describe('Required: exactly one of the filters, which selects the leads whose records are exported'),
  })
  .optional();

const apiNameOf = (request: FastifyRequest) => (request.params as { apiName: string }).apiName;

export const customObjectsEntity: ExportEntity = {
  name: 'customObjects',
  path: '/bulk/v1/customobjects/:apiName',
  pathParams: z.object({ apiName: z.string().min(1).describe('The API name of an approved custom object type') }),
  addresses: (definition, request) =>
    definition.entity === 'customObjects' && definition.apiName.toLowerCase() === apiNameOf(request).toLowerCase(),
  noun: 'Custom Object',
  tag: 'Marketo: Bulk Export Custom Objects',
  port: 'customObjectExport',
  permissions: ['read-only-custom-object'],
  scopeObject: null,
  body: customObjectsBody,
  define(body, request) {
    const records = request.ctx.port('customObjectExport');
    if (!records.enabled()) throw new MarketoError('1026', marketoMessage('1026'));
    const type = records.type(apiNameOf(request));
    if (!type) throw new MarketoError('1013', formatMessage(DETAIL_MESSAGES.unknownCustomObject, apiNameOf(request)));
    const format = parseFormat(body.format);
    if (!body.fields || body.fields.length === 0)
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportRequired, 'fields'));
    const columns: string[] = [];
    for (const name of body.fields) {
      const column = type.field(name);
      if (!column) throw new MarketoError('1006', marketoMessage('1006', name));
      if (!columns.includes(column)) columns.push(column);
    }
    const headers = headersOf(columns, body.columnHeaderNames, (name) => type.field(name));
    const keys = filterKeys(body.filter, CUSTOM_OBJECT_FILTERS);
    // "Only one filter type may be specified per export job" (bulk-custom-object-extract.md).
    if (keys.length === 0)
      throw new MarketoError(
        '1003',
        formatMessage(DETAIL_MESSAGES.exportFilterRequired, CUSTOM_OBJECT_FILTERS.join(', ')),
      );
    if (keys.length > 1)
      throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportOneFilter, keys.join(', ')));
    const [key] = keys as [string];
    const value = body.filter![key];
    let filter: z.infer<typeof customObjectsDefinition>['filter'];
    switch (key) {
      case 'updatedAt':
        filter = { updatedAt: stored(parseWindow(key, value)) };
        break;
      case 'staticListId':
      case 'staticListName':
        // Records are not partitioned: the list is found in any workspace.
        filter = { staticListId: staticList(request, key, value, false) };
        break;
      default:
        // Smart lists are not built, as for leads (bulk-extract.md's 1035).
        throw new MarketoError('1035', DETAIL_MESSAGES.unsupportedFilter);
    }
    return { definition: { entity: 'customObjects', apiName: type.apiName, filter }, format, columns, headers };
  },
  begin(definition, ports) {
    if (definition.entity !== 'customObjects') throw new Error('not a custom object export');
    const records = ports.port('customObjectExport');
    // The type deleted, or custom objects turned off, before the job began processing: nothing to read.
    if (!records.enabled()) return { fail: marketoMessage('1026') };
    if (!records.type(definition.apiName))
      return { fail: formatMessage(DETAIL_MESSAGES.unknownCustomObject, definition.apiName) };
    if ('staticListId' in definition.filter) {
      if (ports.findPort('staticLists')?.workspaceOf(definition.filter.staticListId) === undefined)
        return { fail: formatMessage(DETAIL_MESSAGES.listNotFound, definition.filter.staticListId) };
    }
    return { cursor: { lastId: records.lastId(), after: 0 } };
  },
  read(job, cursor, ports) {
    const { definition } = job;
    if (definition.entity !== 'customObjects') throw new Error('not a custom object export');
    const records = ports.port('customObjectExport');
    const query = { apiName: definition.apiName, fields: job.columns, separator: job.separator };
    if ('staticListId' in definition.filter) {
      const { lastId, after } = idCursor.parse(cursor);
      const { members, next } = listMembers(ports, definition.filter.staticListId, after);
      const { text, records: count } = records.rowsOfLeads({ ...query, lastId }, members);
      return { text, records: count, next: next === null ? null : { lastId, after: next } };
    }
    const { lastId, after } = idCursor.parse(cursor);
    const read = records.windowRows({ ...query, lastId, window: windowOf(definition.filter.updatedAt) }, after);
    return { text: read.text, records: read.records, next: read.next === null ? null : { lastId, after: read.next } };
  },
};
