import type { AssetToken } from '../../engines/assets/places.js';
import type { Lead, LeadValue } from '../../domain/model.js';
import type { FieldCatalog } from '../../engines/objects/fields.js';

/**
 * Tokens as a sent email shows them: `{{my.Name}}` from the My Tokens of the email's program or folder (own, then
 * inherited), `{{lead.First Name}}` or `{{lead.firstName}}` from the lead the email goes to or impersonates, each with
 * an optional `:default=…` used when the value is empty. Decision (README): a token of another kind ({{system.…}},
 * {{company.…}}), or a my. token no folder defines, is left as written, so a test sees what would have needed it.
 */
const TOKEN = /\{\{\s*(my|lead)\.([^}:]+?)\s*(?::\s*default\s*=([^}]*))?\}\}/gi;

export interface TokenSources {
  my: readonly AssetToken[];
  lead?: { lead: Lead; catalog: FieldCatalog } | undefined;
}

function leadValue(source: NonNullable<TokenSources['lead']>, name: string): LeadValue | undefined {
  const wanted = name.trim().toLowerCase();
  const field =
    source.catalog.find(wanted) ?? source.catalog.fields.find((f) => f.displayName.toLowerCase() === wanted);
  if (!field) return undefined;
  if (field.name === 'id') return source.lead.id;
  if (field.name === 'email') return source.lead.email;
  return source.lead.fields[field.name] ?? null;
}

export function fillTokens(text: string, sources: TokenSources): string {
  if (!text.includes('{{')) return text;
  const my = new Map(sources.my.map((token) => [token.name.toLowerCase(), token.value]));
  return text.replace(TOKEN, (whole, kind: string, name: string, fallback: string | undefined) => {
    if (kind.toLowerCase() === 'my') {
      const value = my.get(name.trim().toLowerCase());
      if (value === undefined) return fallback ?? whole;
      return value === '' && fallback !== undefined ? fallback : value;
    }
    if (!sources.lead) return fallback ?? '';
    const value = leadValue(sources.lead, name);
    if (value === undefined) return whole;
    return value === null || value === '' ? (fallback ?? '') : String(value);
  });
}
