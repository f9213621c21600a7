import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { customCatalogField, type ObjectField } from '../../engines/objects/fields.js';
import type { ObjectTypes } from '../../engines/objects/object-family.js';
import { ObjectType } from '../../engines/objects/object-type.js';
import { type CrmObject, STANDARD_TYPES } from './standard-types.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { deletedResponse, problemResponses } from '../../http/problem.js';
import { type Database, prepareOnUse } from '../../storage/database.js';

/**
 * Custom fields of the CRM objects (companies, sales persons, opportunities, roles, named accounts): Marketo's
 * schema API only reads them (getCompanyFieldsUsingGET …), so they are declared in a seed (`crmFields`) or on the
 * admin plane, as custom lead fields are. Each object's type (standard + custom fields) is rebuilt when they change.
 */

const CRM_OBJECTS = [
  'company',
  'salesPerson',
  'opportunity',
  'opportunityRole',
  'namedAccount',
] as const satisfies readonly CrmObject[];

const DATA_TYPES = ['string', 'email', 'integer', 'float', 'boolean', 'date', 'datetime'] as const;
/**
 * Custom fields of these types are searchable (opportunities.md: "For custom opportunity fields, only fields of type
 * String or Integer appear in the searchableFields array"; the same rule for every CRM object is our decision).
 */
const SEARCHABLE_TYPES: ReadonlySet<string> = new Set(['string', 'integer']);

const fieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/, 'must start with a letter and hold only letters, digits and _ (max 50)');

const crmFieldSchema = z
  .object({
    object: z.enum(CRM_OBJECTS),
    name: z.string(),
    displayName: z.string(),
    dataType: z.enum(DATA_TYPES),
    length: z.number().int().optional(),
  })
  .meta({ id: 'CrmCustomField' });
const crmFieldInput = z
  .strictObject({
    object: z.enum(CRM_OBJECTS),
    name: fieldName,
    displayName: z.string().trim().min(1).max(255),
    dataType: z.enum(DATA_TYPES),
    length: z.number().int().min(1).max(65535).optional().describe('string and email only; default 255'),
  })
  .refine((input) => input.length === undefined || input.dataType === 'string' || input.dataType === 'email', {
    path: ['length'],
    message: 'only string and email fields have a length',
  })
  .meta({ example: { object: 'company', name: 'tier', displayName: 'Tier', dataType: 'string', length: 20 } });
type CrmField = z.infer<typeof crmFieldSchema>;

interface FieldRow {
  object: CrmObject;
  name: string;
  display_name: string;
  data_type: CrmField['dataType'];
  length: number | null;
}

const toField = (row: FieldRow): CrmField => ({
  object: row.object,
  name: row.name,
  displayName: row.display_name,
  dataType: row.data_type,
  ...(row.length !== null ? { length: row.length } : {}),
});

export class CrmFieldRepository {
  private readonly selectAll;
  private readonly selectOne;
  private readonly insertRow;
  private readonly deleteRow;
  private readonly types = new Map<CrmObject, ObjectType>();
  /** Per object, the statement that takes a dropped field's values out of its records. */
  private readonly clearValues = new Map<CrmObject, ReturnType<typeof prepareOnUse<{ name: string }>>>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.selectAll = prepareOnUse<[], FieldRow>(
      db,
      'SELECT object, name, display_name, data_type, length FROM crm_fields ORDER BY created_at, object, name',
    );
    this.selectOne = prepareOnUse<[string, string], FieldRow>(
      db,
      'SELECT object, name, display_name, data_type, length FROM crm_fields WHERE object = ? AND name = ?',
    );
    this.insertRow = prepareOnUse<[string, string, string, string, number | null, number]>(
      db,
      'INSERT INTO crm_fields (object, name, display_name, data_type, length, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.deleteRow = prepareOnUse<[string, string]>(db, 'DELETE FROM crm_fields WHERE object = ? AND name = ?');
  }

  list(): CrmField[] {
    return this.selectAll.all().map(toField);
  }

  /** Declares a field; a name the object has already (standard or custom) is a conflict. */
  create(field: CrmField, createdAt = this.clock.now()): CrmField {
    const taken = STANDARD_TYPES[field.object].spec.fields.some(
      (f) => f.name.toLowerCase() === field.name.toLowerCase(),
    );
    if (taken || this.selectOne.get(field.object, field.name)) {
      throw new ConflictError(`The ${field.object} object already has a field named "${field.name}"`);
    }
    const length = field.length ?? (field.dataType === 'string' || field.dataType === 'email' ? 255 : null);
    this.insertRow.run(field.object, field.name, field.displayName, field.dataType, length, createdAt);
    this.types.delete(field.object);
    return toField(this.selectOne.get(field.object, field.name)!);
  }

  /** Drops a custom field and its values from every record of the object. */
  delete(object: CrmObject, name: string): void {
    const row = this.selectOne.get(object, name);
    if (!row) throw new NotFoundError(`Custom ${object} field`, name);
    let clear = this.clearValues.get(object);
    if (!clear) {
      // Table names are the code's; field names are API names ([A-Za-z][A-Za-z0-9_]*): path-safe.
      clear = prepareOnUse<{ name: string }>(
        this.db,
        `UPDATE ${STANDARD_TYPES[object].table} SET fields = json_remove(fields, '$.' || @name)
         WHERE json_type(fields, '$.' || @name) IS NOT NULL`,
      );
      this.clearValues.set(object, clear);
    }
    this.db.transaction(() => {
      this.deleteRow.run(object, row.name);
      clear.run({ name: row.name });
    })();
    this.types.delete(object);
  }

  /** The object's type: its standard fields, then its custom ones (searchable when string or integer). */
  typeOf(object: CrmObject): ObjectType {
    let type = this.types.get(object);
    if (!type) {
      const standard = STANDARD_TYPES[object];
      const custom: ObjectField[] = this.list()
        .filter((field) => field.object === object)
        .map((field, index) => customCatalogField(field, index, SEARCHABLE_TYPES.has(field.dataType)));
      type = new ObjectType({
        ...standard.spec,
        fields: [...standard.spec.fields, ...custom],
        searchableFields: [
          ...standard.spec.searchableFields,
          ...custom.filter((field) => field.searchable).map((field) => [field.name]),
        ],
      });
      this.types.set(object, type);
    }
    return type;
  }

  /** Forget the cached types (after a reset or a rolled-back load changed the rows behind them). */
  invalidate(): void {
    this.types.clear();
  }
}

/** The types of a CRM object's family: its standard fields and the subscription's custom ones. */
export function crmTypes(object: CrmObject): ObjectTypes {
  return {
    ofRequest: (request) => request.ctx.repo(crmFields).typeOf(object),
    ofSeed: (_item, env) => env.repo(crmFields).typeOf(object),
  };
}

const objectParams = z.object({ object: z.enum(CRM_OBJECTS), name: z.string() });

const adminRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<CrmFieldRepository>> = async (app, { repo }) => {
  const tags = ['Admin: CRM fields'];
  app.get(
    '/crm-fields',
    {
      schema: {
        tags,
        summary: 'List the custom fields of companies, sales persons, opportunities, roles and named accounts',
        response: { 200: z.object({ items: z.array(crmFieldSchema) }), 401: problemResponses[401] },
      },
    },
    async (request) => ({ items: repo(request).list() }),
  );
  app.post(
    '/crm-fields',
    {
      schema: {
        tags,
        summary: 'Declare a custom field of a CRM object; describe, queries and syncs then know it',
        body: crmFieldInput,
        response: { 201: crmFieldSchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.code(201).send(repo(request).create(request.body)),
  );
  app.delete(
    '/crm-fields/:object/:name',
    {
      schema: {
        tags,
        summary: "Delete a CRM object's custom field and its values",
        params: objectParams,
        response: { 204: deletedResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      repo(request).delete(request.params.object, request.params.name);
      return reply.code(204).send(null);
    },
  );
};

/** Custom fields of the CRM objects. */
export const crmFields = defineFamily({
  key: 'crmFields',
  tables: ['crm_fields'],
  repository: ({ db, clock }) => new CrmFieldRepository(db, clock),
  seed: {
    item: crmFieldInput,
    load(repo, items, { now, fail }) {
      items.forEach((field, i) => {
        // One millisecond apart, so describe lists them in seed order.
        try {
          repo.create(field, now + i);
        } catch (error) {
          if (error instanceof ConflictError) fail(`[${i}].name`, error.message);
          throw error;
        }
      });
    },
    snapshot: (repo) => repo.list(),
    example: [
      { object: 'company', name: 'tier', displayName: 'Tier', dataType: 'string', length: 20 },
      { object: 'opportunity', name: 'seats', displayName: 'Seats', dataType: 'integer' },
    ],
  },
  reset: (repo) => repo.invalidate(),
  adminRoutes,
});
