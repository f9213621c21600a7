import { z } from 'zod';
import type { Clock } from '../../clock.js';
import { CUSTOM_FIELD_TYPES } from '../../engines/objects/fields.js';
import { SchemaFieldRepository } from '../../engines/objects/field-repository.js';
import { objectFields } from '../../engines/objects/object-type.js';
import { schemaFieldRoutes } from '../../engines/objects/schema-fields.js';
import { defineFamily } from '../../family.js';
import type { Database } from '../../storage/database.js';
import { migrations } from './migrations.js';

/**
 * Program members' fields (program-members.md "Fields"): the standard ones of Describe Program Member and up to 20
 * custom ones ("You can create up to 20 custom fields with this endpoint"), served by the schema field API. The
 * program member records themselves are another issue's (26); this folder is where they will live.
 */

/** The standard fields of Describe Program Member (program-members.md), none of them updateable. */
export const PROGRAM_MEMBER_FIELDS = objectFields([
  ['acquiredBy', 'Acquired By', 'boolean', { updateable: false }],
  ['attendanceLikelihood', 'Attendance Likelihood', 'integer', { updateable: false }],
  ['createdAt', 'Created At', 'datetime', { updateable: false }],
  ['isExhausted', 'Nurture Exhausted', 'boolean', { updateable: false }],
  ['leadId', 'Lead Id', 'integer', { updateable: false }],
  ['membershipDate', 'Member Date', 'datetime', { updateable: false }],
  ['nurtureCadence', 'Nurture Cadence', 'string', { length: 4, updateable: false }],
  ['program', 'Program', 'string', { length: 255, updateable: false }],
  ['programId', 'Program Id', 'integer', { updateable: false }],
  ['reachedSuccess', 'Success', 'boolean', { updateable: false }],
  ['reachedSuccessDate', 'Success Date', 'datetime', { updateable: false }],
  ['registrationLikelihood', 'Registration Likelihood', 'integer', { updateable: false }],
  ['statusName', 'Status', 'string', { length: 255, updateable: false }],
  ['statusReason', 'Status Reason', 'string', { length: 255, updateable: false }],
  ['trackName', 'Track Name', 'string', { length: 255, updateable: false }],
  ['updatedAt', 'Updated At', 'datetime', { updateable: false }],
  ['waitlistPriority', 'Waitlist Priority', 'integer', { updateable: false }],
]);

/** "You can create up to 20 custom fields" (program-members.md "Create Fields"): the object's limit too (decision). */
const MAX_CUSTOM = 20;

export class ProgramMemberFieldRepository extends SchemaFieldRepository {
  constructor(db: Database, clock: Clock) {
    super(
      db,
      clock,
      { fields: 'program_member_fields', settings: 'program_member_field_settings', label: 'Program member field' },
      PROGRAM_MEMBER_FIELDS,
    );
  }
}

const metadata = {
  description: z.string().max(2000).optional(),
  isHtmlEncodingInEmail: z.boolean().optional(),
  isSensitive: z.boolean().optional(),
};
/** A seed item: a custom field with its metadata, or a standard field's metadata alone. */
const fieldItem = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/, 'letters, digits and _, starting with a letter (max 50)'),
    displayName: z.string().trim().min(1).max(255).optional(),
    dataType: z.enum(CUSTOM_FIELD_TYPES).optional(),
    length: z.number().int().min(1).max(65535).optional(),
    isHidden: z.boolean().optional(),
    isApiCreated: z.boolean().optional(),
    ...metadata,
  })
  .superRefine((item, issues) => {
    if (item.displayName === undefined && item.dataType === undefined) return;
    for (const key of ['displayName', 'dataType'] as const) {
      if (item[key] === undefined) issues.addIssue({ code: 'custom', path: [key], message: 'a custom field needs it' });
    }
  });

/** Program member fields: the schema field API of program members, a seed's `programMemberFields`. */
export const programMemberFields = defineFamily({
  key: 'programMemberFields',
  tables: ['program_member_fields', 'program_member_field_settings'],
  wireFormat: 'lead-database',
  migrations,
  repository: ({ db, clock }) => new ProgramMemberFieldRepository(db, clock),
  // Forms hold program member custom fields (Get Available Form Program Member Fields).
  provides: (repo) => ({ programMemberFields: { customFields: () => repo.customFields(() => false) } }),
  seed: {
    item: fieldItem,
    load(repo, items, { now, fail, unique }) {
      let custom = repo.list().length;
      items.forEach((item, i) => {
        const standard = repo.standardField(item.name);
        if (item.dataType === undefined) {
          if (!standard)
            fail(
              `[${i}].name`,
              `"${item.name}" is no standard program member field: give its displayName and dataType`,
            );
          unique(`[${i}]`, () => repo.loadSettings({ ...item, name: standard!.name }));
          return;
        }
        if (standard) fail(`[${i}].name`, `"${item.name}" is a standard program member field`);
        if (++custom > MAX_CUSTOM) fail(`[${i}]`, `program members have at most ${MAX_CUSTOM} custom fields`);
        const { dataType, displayName } = item;
        unique(`[${i}]`, () => repo.load({ ...item, dataType, displayName: displayName! }, now + i));
      });
    },
    snapshot: (repo) => [...repo.list(), ...repo.settings()],
    example: [
      { name: 'registrationCode', displayName: 'Registration Code', dataType: 'string', length: 100 },
      { name: 'statusName', description: 'Where the member stands' },
    ],
  },
  marketoRoutes: async (app, { repo }) => {
    await schemaFieldRoutes({
      path: '/rest/v1/programs/members/schema/fields',
      tag: 'Marketo: Program Members',
      object: 'Program Member',
      maxCreated: MAX_CUSTOM,
      store: (request) => repo(request).store(MAX_CUSTOM),
    })(app, {});
  },
});
