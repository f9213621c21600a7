import { fieldTablesSql } from '../../engines/objects/field-repository.js';
import type { Migration } from '../../storage/migrations.js';

/** Program members' fields (issue 27): the custom ones and the standard ones' metadata, as the lead fields' tables. */
export const migrations: readonly Migration[] = [
  { name: 'program-members/001_fields', sql: fieldTablesSql('program_member_fields', 'program_member_field_settings') },
];
