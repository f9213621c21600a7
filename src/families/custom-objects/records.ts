import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, reason } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { objectFamily } from '../../engines/objects/object-family.js';
import type { LinkValue, ObjectRepository } from '../../engines/objects/object-repository.js';
import type { LinkResult, ObjectEnv } from '../../engines/objects/object-rules.js';
import { describeOf, describeSchema } from '../../engines/objects/object-schemas.js';
import { dedupeKey, type FieldValue, type ObjectType } from '../../engines/objects/object-type.js';
import type { FamilyRouteOptions } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import { commaList, envelopeOf } from '../../http/marketo-schemas.js';
import { CustomObjectExportReader } from './export.js';
import { customObjectImportPort } from './record-import.js';
import { customObjectSettings, requireCustomObjects } from './settings.js';
import { customObjectTypes, linkTargets } from './types.js';

/**
 * Custom object records (custom-objects.md "Query", "Create and Update", "Delete"): the approved version of each type
 * is an object type of the engine; records of every type share one table (type_id). Partition-blind: "when importing
 * or updating custom object records, all the person records are visible to the custom object handler, not just those
 * in a particular person partition" (purplemeup.substack.com, "Navigating Marketo Custom Objects and Person
 * Partitions"), and records are read the same way (decision). 1026 while custom objects are off.
 */

const READ: readonly PermissionKey[] = ['read-only-custom-object', 'read-write-custom-object'];
const WRITE: readonly PermissionKey[] = ['read-write-custom-object'];

/** The records' type of an approved type, by API name; a draft-only or unknown type is 1013. */
function recordType(env: ObjectEnv, apiName: string): ObjectType | undefined {
  const types = env.repo(customObjectTypes);
  const stored = types.byName(apiName);
  return stored && types.recordType(stored, env.port('leads').catalog(), linkTargets(env));
}

/**
 * A record's link fields checked against what they name: a lead that does not exist skips the record with 1004
 * "Lead not found" (the doc's Sync Custom Objects example), a company or custom object record with 1013. The lead a
 * record links to is kept in lead_id, so the record goes with the lead. A link by another lead field than id takes
 * the most recently updated lead holding the value (leads port, linkTarget).
 */
function link(values: Readonly<Record<string, FieldValue>>, env: ObjectEnv, type: ObjectType): LinkResult {
  let leadId: LinkValue = null;
  for (const relationship of type.spec.relationships ?? []) {
    const value = values[relationship.field];
    if (value === undefined || value === null) continue;
    const { name, field } = relationship.relatedTo;
    if (name === 'Lead') {
      const leads = env.port('leads');
      const target = leads.catalog().find(field);
      const lead = target && leads.linkTarget(target, value);
      if (!lead) return { reason: reason('1004') };
      leadId ??= lead.id;
    } else if (name === 'Company') {
      if (typeof value !== 'number' || !env.port('companies').has(value)) return { reason: reason('1013') };
    } else {
      const target = recordType(env, name);
      const records = env.repo(customObjects);
      const found =
        target &&
        (field === 'marketoGUID'
          ? records.findByGuid(target.typeId, String(value))
          : records.findByKey(target.typeId, dedupeKey([value])));
      if (!found) return { reason: reason('1013') };
    }
  }
  return { links: [leadId] };
}

const listQuery = z.object({ names: commaList(z.string()).optional().describe('API names, comma-separated') });
const listSchema = describeSchema.omit({ fields: true }).meta({ id: 'CustomObjectMetaData' });

const listRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ObjectRepository>> = async (app) => {
  app.get(
    '/rest/v1/customobjects.json',
    {
      config: { permissions: READ },
      schema: {
        tags: ['Marketo: Custom Objects'],
        summary: 'List Custom Objects',
        description: 'The approved custom object types, with their keys and relationships.',
        querystring: listQuery,
        response: { 200: envelopeOf(listSchema) },
      },
    },
    async (request) => {
      requireCustomObjects(request);
      const wanted = request.query.names?.map((name) => name.toLowerCase());
      const result = request.ctx
        .repo(customObjectTypes)
        .list()
        .filter((type) => type.approved && (!wanted || wanted.includes(type.apiName.toLowerCase())))
        .map((type) => {
          const { fields, ...metadata } = describeOf(recordType(request.ctx, type.apiName)!);
          void fields; // The list shows a type's keys and relationships, not its fields.
          return { ...metadata, relationships: metadata.relationships ?? [] };
        });
      return successEnvelope(request.marketoRequestId(), result);
    },
  );
};

export const customObjects = objectFamily({
  key: 'customObjects',
  table: { name: 'custom_objects', guid: true, typed: true, linkColumns: ['lead_id'] },
  path: '/rest/v1/customobjects/:customObjectName',
  params: z.object({ customObjectName: z.string().min(1).describe('The API name of an approved custom object type') }),
  tag: 'Marketo: Custom Objects',
  summaries: {
    query: 'Get Custom Objects',
    sync: 'Sync Custom Objects',
    delete: 'Delete Custom Objects',
    describe: 'Describe Custom Object',
  },
  permissions: { read: READ, write: WRITE },
  types: {
    ofRequest: (request) => {
      const { customObjectName } = request.params as { customObjectName: string };
      const type = recordType(request.ctx, customObjectName);
      if (!type) throw new MarketoError('1013', formatMessage(DETAIL_MESSAGES.unknownCustomObject, customObjectName));
      return type;
    },
    ofSeed: (item, env) => {
      const name = item.type;
      if (typeof name !== 'string') return 'name the record’s custom object type (its API name)';
      return recordType(env, name) ?? `no approved custom object type named "${name}"`;
    },
    nameOf: (typeId, repo) => repo(customObjectTypes).byId(typeId)!.apiName,
  },
  guard: requireCustomObjects,
  hooks: { link },
  record: { schemaId: 'CustomObject', standardFields: [] },
  example: [{ type: 'car_c', vin: '19UYA31581L000000', leadId: 40, year: 2003 }],
  extraRoutes: listRoutes,
  // Bulk import writes records through its port; bulk extract reads the records linked to leads through the other
  // (src/families/bulk-extract/custom-objects.ts).
  provides: (repo, infra) => ({
    customObjectImport: customObjectImportPort(repo, infra, { recordType, hooks: { link } }),
    customObjectExport: new CustomObjectExportReader(
      infra.db,
      infra.repo(customObjectTypes),
      infra.repo(customObjectSettings),
    ),
  }),
});
