import { assetRowsSql } from '../../engines/assets/asset-rows.js';
import type { Migration } from '../../storage/migrations.js';

/**
 * Landing page templates and landing pages (issue 29): asset rows of the one shape (src/engines/assets/asset-rows.ts)
 * whose versions live in the approval machine's tables.
 */
export const migrations: readonly Migration[] = [
  {
    name: 'landingPages/001_landing_page_assets',
    sql: [
      assetRowsSql('landing_page_templates', 'Landing Page Template'),
      assetRowsSql('landing_pages', 'Landing Page'),
    ].join('\n'),
  },
  { name: 'landingPages/002_forms', sql: assetRowsSql('forms', 'Form') },
];
