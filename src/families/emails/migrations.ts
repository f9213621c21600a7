import { assetRowsSql } from '../../engines/assets/asset-rows.js';
import type { Migration } from '../../storage/migrations.js';

/**
 * The emails folder's tables: email templates, snippets and emails (issue 28), each an asset row of the one shape
 * (src/engines/assets/asset-rows.ts) whose versions live in the approval machine's tables.
 */
export const migrations: readonly Migration[] = [
  {
    name: 'emails/001_email_assets',
    sql: [
      assetRowsSql('email_templates', 'Email Template'),
      assetRowsSql('snippets', 'Snippet'),
      assetRowsSql('emails', 'Email'),
    ].join('\n'),
  },
  // Fragments (issue 29): the new email designer's reusable blocks, an asset type of their own (asset v2 only).
  { name: 'emails/002_fragments', sql: assetRowsSql('fragments', 'Fragment') },
];
