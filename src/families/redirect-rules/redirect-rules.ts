import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatAssetDatetime } from '../../domain/datetime.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { requestIdValue, seedId } from '../../domain/record-ids.js';
import { iso, seedTime } from '../../engines/assets/asset-records.js';
import { datetimeParam, formBody, objectParam, pagingShape, writeParams } from '../../engines/assets/params.js';
import { businessRule } from '../../engines/assets/scope.js';
import { idParams, idResultEnvelope } from '../../engines/assets/versioned.js';
import { defineFamily, type FamilyRouteOptions, type SeedLoadContext } from '../../family.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import type { Ports } from '../../ports.js';
import { migrations } from './migrations.js';
import {
  DomainRepository,
  type DomainType,
  type RedirectFrom,
  RedirectRuleRepository,
  type RedirectTo,
  type RuleRow,
} from './repository.js';

/**
 * Landing page redirect rules and landing page domains (landing-page-redirect-rules.md): a rule sends a hostname's
 * landing page or path to another landing page or a URL. The hostname must be one of the subscription's landing
 * page domains or aliases, which come from the seed, and the subscription's default domain when the seed names no
 * domain. Landing pages are the landing pages family's, read through the `landingPages` port. The permissions are
 * "Read Only Redirect Rules" / "Read Write Redirect Rules" (swagger-asset.json), not the asset ones: rules are
 * the subscription's, in no workspace.
 */

const READ_RULES: readonly PermissionKey[] = ['read-only-redirect-rules', 'read-write-redirect-rules'];
const WRITE_RULES: readonly PermissionKey[] = ['read-write-redirect-rules'];

const ruleTags = ['Marketo: Landing Page Redirect Rules'];
const domainTags = ['Marketo: Landing Page Domains'];

/**
 * The subscription's own landing page domain when the seed names none: Marketo's `<Munchkin id>.mktoweb.com`
 * (decision, README "Landing page redirect rules").
 */
export const defaultDomain = (munchkinId: string) => `${munchkinId.toLowerCase()}.mktoweb.com`;

const hostnameParam = z.string().trim().min(1).max(255).describe('A landing page domain or alias, at most 255');
/** "JSON representation of redirect from landing page, with members 'type' … and 'value'" (RedirectFrom). */
const fromParam = objectParam(
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('landingPageId'), value: requestIdValue }),
    z.object({ type: z.literal('path'), value: z.string().trim().min(1).max(2048) }),
  ]),
).meta({ description: '{"type":"landingPageId","value":"5483"} or {"type":"path","value":"old/page"} (no leading /)' });
const toParam = objectParam(
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('landingPageId'), value: requestIdValue }),
    z.object({ type: z.literal('url'), value: z.string().trim().min(1).max(2048) }),
  ]),
).meta({ description: '{"type":"landingPageId","value":"5559"} or {"type":"url","value":"www.example.com"}' });
const createParams = z.object({ hostname: hostnameParam, redirectFrom: fromParam, redirectTo: toParam });
const updateParams = createParams.partial();
type FromInput = z.infer<typeof fromParam>;
type ToInput = z.infer<typeof toParam>;

const browseQuery = z.object({
  ...pagingShape,
  hostname: z.string().min(1).optional(),
  // The spec's spelling (and marketorestpython's), and the docs'.
  redirectTolandingPageId: requestIdValue.optional(),
  redirectToLandingPageId: requestIdValue.optional(),
  redirectToPath: z.string().min(1).optional().describe('Rules redirecting to this URL (with or without a leading /)'),
  earliestUpdatedAt: datetimeParam,
  latestUpdatedAt: datetimeParam,
});

const ruleSchema = z
  .object({
    id: z.number().int(),
    redirectFromUrl: z.string(),
    hostname: z.string(),
    redirectFrom: z.object({
      type: z.enum(['landingPageId', 'path']),
      value: z.union([z.number().int(), z.string()]),
    }),
    redirectTo: z.object({ type: z.enum(['landingPageId', 'url']), value: z.union([z.number().int(), z.string()]) }),
    redirectToUrl: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'LandingPageRedirectRule' });
const ruleEnvelope = envelopeOf(ruleSchema);
const domainSchema = z
  .object({ hostname: z.string(), type: z.enum(['domain', 'domain-alias']) })
  .meta({ id: 'LandingPageDomain' });

const fromOf = (input: FromInput): RedirectFrom =>
  input.type === 'landingPageId' ? { type: 'landingPageId', pageId: input.value } : { type: 'path', path: input.value };
const toOf = (input: ToInput): RedirectTo =>
  input.type === 'landingPageId' ? { type: 'landingPageId', pageId: input.value } : { type: 'url', url: input.value };

/** The domains Get Landing Page Domains lists, a page of them: the default first when the seed names no domain. */
function domainsPage(repo: DomainRepository, munchkinId: string, offset: number, limit: number) {
  const stored = (from: number, count: number) =>
    repo.page(from, count).map((row) => ({ hostname: row.hostname, type: row.type }));
  if (repo.hasDomain()) return stored(offset, limit);
  const fallback = { hostname: defaultDomain(munchkinId), type: 'domain' as DomainType };
  return offset === 0 ? [fallback, ...stored(0, limit - 1)] : stored(offset - 1, limit);
}

function isListedDomain(repo: DomainRepository, munchkinId: string, hostname: string): boolean {
  if (repo.byHostname(hostname)) return true;
  return !repo.hasDomain() && hostname.toLowerCase() === defaultDomain(munchkinId);
}

/** A rule as Marketo answers it (the docs' example: a path source shows its leading slash). */
function ruleRecord(landingPages: Ports['landingPages'], row: RuleRow) {
  // Every page a rule names exists: a rule goes with its pages (ON DELETE CASCADE).
  const pageUrl = (id: number) => `https://${row.hostname}/${landingPages.page(id)?.urlPageName ?? id}.html`;
  return {
    id: row.id,
    redirectFromUrl:
      row.from.type === 'landingPageId' ? pageUrl(row.from.pageId) : `https://${row.hostname}/${row.from.path}`,
    hostname: row.hostname,
    redirectFrom:
      row.from.type === 'landingPageId'
        ? { type: 'landingPageId' as const, value: row.from.pageId }
        : { type: 'path' as const, value: `/${row.from.path}` },
    redirectTo:
      row.to.type === 'landingPageId'
        ? { type: 'landingPageId' as const, value: row.to.pageId }
        : { type: 'url' as const, value: row.to.url },
    redirectToUrl: row.to.type === 'landingPageId' ? pageUrl(row.to.pageId) : row.to.url,
    createdAt: formatAssetDatetime(row.createdAt),
    updatedAt: formatAssetDatetime(row.updatedAt),
  };
}

const ruleNotFound = (id: number) =>
  new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, 'Redirect Rule', id));

/**
 * A rule's checks, on create and on update (the rule as it would be): the hostname a domain or alias (1003), a path
 * without its leading slash ("must not begin with forward slash", RedirectFrom; 1003), the pages it names existing
 * (702), not a page to itself (709), and one rule per source (709; ours).
 */
function checkRule(
  request: FastifyRequest,
  repo: RedirectRuleRepository,
  rule: { hostname: string; from: RedirectFrom; to: RedirectTo },
  self?: number,
): void {
  const { munchkinId } = request.ctx;
  if (!isListedDomain(repo.domains, munchkinId, rule.hostname)) {
    throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.notALandingPageDomain, rule.hostname));
  }
  if (rule.from.type === 'path' && rule.from.path.startsWith('/')) {
    throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.pathWithSlash, rule.from.path));
  }
  const pages = request.ctx.port('landingPages');
  for (const end of [rule.from, rule.to]) {
    if (end.type === 'landingPageId' && !pages.page(end.pageId)) {
      throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, 'Landing Page', end.pageId));
    }
  }
  if (rule.from.type === 'landingPageId' && rule.to.type === 'landingPageId' && rule.from.pageId === rule.to.pageId) {
    throw businessRule(DETAIL_MESSAGES.redirectToItself, rule.from.pageId);
  }
  const clash = repo.bySource(rule.hostname, rule.from);
  if (clash !== undefined && clash !== self) {
    const source = rule.from.type === 'landingPageId' ? `landing page ${rule.from.pageId}` : `/${rule.from.path}`;
    throw businessRule(DETAIL_MESSAGES.duplicateRedirect, `${source} on ${rule.hostname}`, clash);
  }
}

const ruleRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<RedirectRuleRepository>> = async (app, { repo }) => {
  const answer = (request: FastifyRequest, rows: RuleRow[]) => {
    const pages = request.ctx.port('landingPages');
    return assetEnvelope(
      request.marketoRequestId(),
      rows.map((row) => ruleRecord(pages, row)),
    );
  };

  app.get(
    '/rest/asset/v1/redirectRules.json',
    {
      config: { permissions: READ_RULES },
      schema: {
        tags: ruleTags,
        summary: 'Get Landing Page Redirect Rules',
        description:
          'By id; filters: `hostname`, `redirectTolandingPageId` (or `redirectToLandingPageId`), `redirectToPath` ' +
          '(a URL target, with or without a leading /), `earliestUpdatedAt`, `latestUpdatedAt`.',
        querystring: browseQuery,
        response: { 200: ruleEnvelope },
      },
    },
    async (request) => {
      const query = request.query;
      const rows = repo(request).browse({
        hostname: query.hostname,
        toPageId: query.redirectTolandingPageId ?? query.redirectToLandingPageId,
        toPath: query.redirectToPath,
        earliest: query.earliestUpdatedAt,
        latest: query.latestUpdatedAt,
        offset: query.offset,
        limit: query.maxReturn,
      });
      return answer(request, rows);
    },
  );

  app.get(
    '/rest/asset/v1/redirectRule/:id.json',
    {
      config: { permissions: READ_RULES },
      schema: {
        tags: ruleTags,
        summary: 'Get Landing Page Redirect Rule by Id',
        params: idParams,
        response: { 200: ruleEnvelope },
      },
    },
    async (request) => {
      const row = repo(request).find(request.params.id);
      return answer(request, row ? [row] : []);
    },
  );

  app.post(
    '/rest/asset/v1/redirectRules.json',
    {
      config: { permissions: WRITE_RULES },
      schema: {
        tags: ruleTags,
        summary: 'Create Landing Page Redirect Rule',
        description:
          'Form fields (or query): `hostname` (a landing page domain or alias, else 1003), `redirectFrom` and ' +
          '`redirectTo` as JSON. 702 for a landing page that does not exist; 709 for a source that already has a ' +
          'rule, or a page redirected to itself.',
        body: formBody(createParams),
        response: { 200: ruleEnvelope },
      },
    },
    async (request) => {
      const input = writeParams(createParams, request);
      const rules = repo(request);
      const rule = { hostname: input.hostname, from: fromOf(input.redirectFrom), to: toOf(input.redirectTo) };
      const id = request.ctx.transaction(() => {
        checkRule(request, rules, rule);
        return rules.insert(rule);
      });
      return answer(request, [rules.find(id)!]);
    },
  );

  app.post(
    '/rest/asset/v1/redirectRule/:id.json',
    {
      config: { permissions: WRITE_RULES },
      schema: {
        tags: ruleTags,
        summary: 'Update Landing Page Redirect Rule',
        description:
          'Any of `hostname`, `redirectFrom`, `redirectTo` (none is 701); the rule as changed is checked as a new ' +
          'one is. 702 for no such rule.',
        params: idParams,
        body: formBody(updateParams),
        response: { 200: ruleEnvelope },
      },
    },
    async (request) => {
      const rules = repo(request);
      const row = rules.find(request.params.id);
      if (!row) throw ruleNotFound(request.params.id);
      const input = writeParams(updateParams, request);
      if (input.hostname === undefined && input.redirectFrom === undefined && input.redirectTo === undefined) {
        throw new MarketoError('701', DETAIL_MESSAGES.nothingToUpdate);
      }
      const rule = {
        hostname: input.hostname ?? row.hostname,
        from: input.redirectFrom ? fromOf(input.redirectFrom) : row.from,
        to: input.redirectTo ? toOf(input.redirectTo) : row.to,
      };
      request.ctx.transaction(() => {
        checkRule(request, rules, rule, row.id);
        rules.update(row.id, rule);
      });
      return answer(request, [rules.find(row.id)!]);
    },
  );

  app.post(
    '/rest/asset/v1/redirectRule/:id/delete.json',
    {
      config: { permissions: WRITE_RULES },
      schema: {
        tags: ruleTags,
        summary: 'Delete Landing Page Redirect Rule',
        description: '702 for no such rule.',
        params: idParams,
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const rules = repo(request);
      const row = rules.find(request.params.id);
      if (!row) throw ruleNotFound(request.params.id);
      request.ctx.transaction(() => rules.delete(row.id));
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
    },
  );
};

const domainRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<DomainRepository>> = async (app, { repo }) => {
  app.get(
    '/rest/asset/v1/landingPageDomains.json',
    {
      config: { permissions: READ_RULES },
      schema: {
        tags: domainTags,
        summary: 'Get Landing Page Domains',
        description:
          'The landing page domain and its aliases, as seeded; when the seed names no domain, the subscription’s ' +
          '`<munchkin id>.mktoweb.com` is the domain, listed first.',
        querystring: z.object(pagingShape),
        response: { 200: envelopeOf(domainSchema) },
      },
    },
    async (request) => {
      const { offset, maxReturn } = request.query;
      return assetEnvelope(
        request.marketoRequestId(),
        domainsPage(repo(request), request.ctx.munchkinId, offset, maxReturn),
      );
    },
  );
};

const domainSeed = z.strictObject({
  id: seedId.optional(),
  hostname: hostnameParam,
  type: z.enum(['domain', 'domain-alias']).default('domain-alias'),
});
type DomainSeed = z.input<typeof domainSeed>;

export const landingPageDomains = defineFamily({
  key: 'landingPageDomains',
  tables: ['landing_page_domains'],
  wireFormat: 'asset',
  migrations,
  repository: ({ db }) => new DomainRepository(db),
  seed: {
    item: domainSeed as z.ZodType<DomainSeed>,
    load(repo, items, context) {
      items.forEach((item, i) =>
        context.unique(`[${i}]`, () =>
          repo.insert({ id: item.id, hostname: item.hostname, type: item.type ?? 'domain-alias' }),
        ),
      );
    },
    snapshot: (repo) => repo.all().map((row): DomainSeed => ({ id: row.id, hostname: row.hostname, type: row.type })),
    example: [
      { hostname: 'pages.example.com', type: 'domain' },
      { hostname: 'www.example.com', type: 'domain-alias' },
    ],
  },
  marketoRoutes: domainRoutes,
});

const ruleEndSeed = z.strictObject({ type: z.string(), value: z.union([seedId, z.string().min(1)]) });
const ruleSeed = z.strictObject({
  id: seedId.optional(),
  hostname: hostnameParam,
  redirectFrom: ruleEndSeed.describe('{"type":"landingPageId","value":730} or {"type":"path","value":"old/page"}'),
  redirectTo: ruleEndSeed.describe('{"type":"landingPageId","value":731} or {"type":"url","value":"https://…"}'),
  createdAt: seedTime,
  updatedAt: seedTime,
});
type RuleSeed = z.infer<typeof ruleSeed>;

/** A seed rule's end, read as the API reads it; the seed fails at `path` when it is not one. */
function seedEnd<T extends z.ZodType>(schema: T, value: unknown, path: string, context: SeedLoadContext): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) context.fail(path, `not a redirect end: ${parsed.error.issues[0]!.message}`);
  return parsed.data as z.infer<T>;
}

export const redirectRules = defineFamily({
  key: 'redirectRules',
  tables: ['redirect_rules'],
  wireFormat: 'asset',
  repository: ({ db, clock, repo }) => new RedirectRuleRepository(db, clock, repo(landingPageDomains)),
  seed: {
    item: ruleSeed as z.ZodType<RuleSeed>,
    load(repo, items, context) {
      const pages = context.port('landingPages');
      items.forEach((item, i) => {
        const path = `[${i}]`;
        const from = fromOf(seedEnd(fromParam, item.redirectFrom, `${path}.redirectFrom`, context));
        const to = toOf(seedEnd(toParam, item.redirectTo, `${path}.redirectTo`, context));
        for (const [end, at] of [
          [from, 'redirectFrom'],
          [to, 'redirectTo'],
        ] as const) {
          if (end.type === 'landingPageId' && !pages.page(end.pageId)) {
            context.fail(`${path}.${at}.value`, `no landing page ${end.pageId}`);
          }
        }
        if (from.type === 'path' && from.path.startsWith('/')) {
          context.fail(`${path}.redirectFrom.value`, 'a path must not begin with /');
        }
        const createdAt = context.time(item.createdAt);
        context.unique(path, () =>
          repo.insert({
            id: item.id,
            hostname: item.hostname,
            from,
            to,
            createdAt,
            updatedAt: context.time(item.updatedAt, createdAt),
          }),
        );
      });
    },
    snapshot: (repo) =>
      repo.all().map((row): RuleSeed => ({
        id: row.id,
        hostname: row.hostname,
        redirectFrom:
          row.from.type === 'landingPageId'
            ? { type: 'landingPageId', value: row.from.pageId }
            : { type: 'path', value: row.from.path },
        redirectTo:
          row.to.type === 'landingPageId'
            ? { type: 'landingPageId', value: row.to.pageId }
            : { type: 'url', value: row.to.url },
        createdAt: iso(row.createdAt),
        updatedAt: iso(row.updatedAt),
      })),
    example: [
      {
        hostname: 'pages.example.com',
        redirectFrom: { type: 'path', value: 'spring' },
        redirectTo: { type: 'landingPageId', value: 730 },
      },
    ],
  },
  marketoRoutes: ruleRoutes,
});
