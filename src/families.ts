import { type AnyFamily, migrationsOf } from './family.js';
import { activities } from './families/activities/activities.js';
import { activityTypes } from './families/activities/activity-types.js';
import { assets } from './families/assets/assets.js';
import { bulkImport } from './families/bulk-import/bulk-import.js';
import { customObjects } from './families/custom-objects/records.js';
import { customObjectSettings } from './families/custom-objects/settings.js';
import { customObjectTypes } from './families/custom-objects/types.js';
import { bulkExtract } from './families/bulk-extract/bulk-extract.js';
import { leadFields } from './families/leads/lead-fields.js';
import { leads } from './families/leads/leads.js';
import { companies } from './families/crm/companies.js';
import { crmFields } from './families/crm/crm-fields.js';
import { crmSync } from './families/crm/crm-sync.js';
import { namedAccountListMembers, namedAccountLists, namedAccounts } from './families/crm/named-accounts.js';
import { opportunities, opportunityRoles } from './families/crm/opportunities.js';
import { salesPersons } from './families/crm/sales-persons.js';
import { lists } from './families/lists/lists.js';
import { programMemberFields } from './families/program-members/program-member-fields.js';
import { programMembers } from './families/program-members/members.js';
import { campaigns } from './families/campaigns/campaigns.js';
import { smartLists } from './families/campaigns/smart-lists.js';
import { segmentations } from './families/segmentations/segmentations.js';
import { emailTemplates } from './families/emails/templates.js';
import { snippets } from './families/emails/snippets.js';
import { emails } from './families/emails/emails-family.js';
import { fragments } from './families/emails/fragments.js';
import { landingPageTemplates } from './families/landing-pages/templates.js';
import { landingPages } from './families/landing-pages/landing-pages.js';
import { files } from './families/files/files.js';
import { landingPageDomains, redirectRules } from './families/redirect-rules/redirect-rules.js';
import { forms } from './families/landing-pages/forms.js';
import { userManagement } from './families/user-management/user-management.js';

/**
 * The resource families, in dependency order (a family's seed may name rows of those before it, and its migrations
 * run after theirs). Adding a family is one line here; the composition root, the context, the seed document, the
 * migrations, reset and snapshot iterate this list.
 */
export const FAMILIES = [
  leadFields,
  leads,
  activityTypes,
  activities,
  assets,
  lists,
  crmSync,
  crmFields,
  salesPersons,
  companies,
  opportunities,
  opportunityRoles,
  namedAccounts,
  namedAccountLists,
  namedAccountListMembers,
  customObjectSettings,
  customObjectTypes,
  customObjects,
  programMemberFields,
  segmentations,
  emailTemplates,
  snippets,
  fragments,
  emails,
  landingPageTemplates,
  landingPages,
  forms,
  files,
  landingPageDomains,
  redirectRules,
  bulkExtract,
  programMembers,
  smartLists,
  campaigns,
  userManagement,
  bulkImport,
] as const satisfies readonly AnyFamily[];

/** The schema of the registered families: the core's migrations, then each family's. */
export const MIGRATIONS = migrationsOf(FAMILIES);
