import type { Clock } from '../../clock.js';
import { type Database, prepareOnUse } from '../../storage/database.js';

export type DomainType = 'domain' | 'domain-alias';

export interface DomainRow {
  id: number;
  hostname: string;
  type: DomainType;
}

/** Where a rule redirects from: a landing page or a path (without its leading slash). */
export type RedirectFrom = { type: 'landingPageId'; pageId: number } | { type: 'path'; path: string };
/** Where it redirects to: a landing page or a URL. */
export type RedirectTo = { type: 'landingPageId'; pageId: number } | { type: 'url'; url: string };

export interface RuleRow {
  id: number;
  hostname: string;
  from: RedirectFrom;
  to: RedirectTo;
  createdAt: number;
  updatedAt: number;
}

interface RawRule {
  id: number;
  hostname: string;
  from_page_id: number | null;
  from_path: string | null;
  to_page_id: number | null;
  to_url: string | null;
  created_at: number;
  updated_at: number;
}

const toRule = (raw: RawRule): RuleRow => ({
  id: raw.id,
  hostname: raw.hostname,
  from:
    raw.from_page_id !== null
      ? { type: 'landingPageId', pageId: raw.from_page_id }
      : { type: 'path', path: raw.from_path! },
  to: raw.to_page_id !== null ? { type: 'landingPageId', pageId: raw.to_page_id } : { type: 'url', url: raw.to_url! },
  createdAt: raw.created_at,
  updatedAt: raw.updated_at,
});

/** The columns a rule's source and target are stored in. */
function columnsOf(rule: { from: RedirectFrom; to: RedirectTo }) {
  return {
    fromPage: rule.from.type === 'landingPageId' ? rule.from.pageId : null,
    fromPath: rule.from.type === 'path' ? rule.from.path : null,
    toPage: rule.to.type === 'landingPageId' ? rule.to.pageId : null,
    toUrl: rule.to.type === 'url' ? rule.to.url : null,
  };
}

export interface RuleBrowse {
  hostname?: string | undefined;
  toPageId?: number | undefined;
  toPath?: string | undefined;
  earliest?: number | undefined;
  latest?: number | undefined;
  offset: number;
  limit: number;
}

/** The subscription's landing page domains and aliases (seeded: the API only lists them). */
export class DomainRepository {
  private readonly s;

  constructor(db: Database) {
    this.s = {
      page: prepareOnUse<[number, number], DomainRow>(
        db,
        'SELECT id, hostname, type FROM landing_page_domains ORDER BY id LIMIT ? OFFSET ?',
      ),
      all: prepareOnUse<[], DomainRow>(db, 'SELECT id, hostname, type FROM landing_page_domains ORDER BY id'),
      byHostname: prepareOnUse<[string], DomainRow>(
        db,
        'SELECT id, hostname, type FROM landing_page_domains WHERE hostname = ?',
      ),
      hasDomain: prepareOnUse<[], { found: number }>(
        db,
        "SELECT 1 AS found FROM landing_page_domains WHERE type = 'domain' LIMIT 1",
      ),
      insert: prepareOnUse<[number | null, string, DomainType]>(
        db,
        'INSERT INTO landing_page_domains (id, hostname, type) VALUES (?, ?, ?)',
      ),
    };
  }

  page(offset: number, limit: number): DomainRow[] {
    return this.s.page.all(limit, offset);
  }

  all(): DomainRow[] {
    return this.s.all.all();
  }

  byHostname(hostname: string): DomainRow | undefined {
    return this.s.byHostname.get(hostname);
  }

  /** Whether the seed gave a domain (not only aliases): else the subscription's default domain is the domain. */
  hasDomain(): boolean {
    return this.s.hasDomain.get() !== undefined;
  }

  insert(domain: { id?: number | undefined; hostname: string; type: DomainType }): void {
    this.s.insert.run(domain.id ?? null, domain.hostname, domain.type);
  }
}

/** Landing page redirect rules (landing-page-redirect-rules.md). */
export class RedirectRuleRepository {
  private readonly s;

  constructor(
    db: Database,
    private readonly clock: Clock,
    readonly domains: DomainRepository,
  ) {
    const columns = 'SELECT id, hostname, from_page_id, from_path, to_page_id, to_url, created_at, updated_at';
    this.s = {
      find: prepareOnUse<[number], RawRule>(db, `${columns} FROM redirect_rules WHERE id = ?`),
      bySource: prepareOnUse<[string, number, string], { id: number }>(
        db,
        `SELECT id FROM redirect_rules WHERE hostname = ? AND ifnull(from_page_id, 0) = ? AND ifnull(from_path, '') = ?`,
      ),
      browse: prepareOnUse<
        {
          hostname: string | null;
          toPage: number | null;
          toPath: string | null;
          earliest: number | null;
          latest: number | null;
          limit: number;
          offset: number;
        },
        RawRule
      >(
        db,
        `${columns} FROM redirect_rules
         WHERE (@hostname IS NULL OR hostname = @hostname)
           AND (@toPage IS NULL OR to_page_id = @toPage)
           AND (@toPath IS NULL OR ltrim(to_url, '/') = ltrim(@toPath, '/'))
           AND (@earliest IS NULL OR updated_at >= @earliest)
           AND (@latest IS NULL OR updated_at <= @latest)
         ORDER BY id LIMIT @limit OFFSET @offset`,
      ),
      all: prepareOnUse<[], RawRule>(db, `${columns} FROM redirect_rules ORDER BY id`),
      insert: prepareOnUse<
        [number | null, string, number | null, string | null, number | null, string | null, number, number],
        { id: number }
      >(
        db,
        `INSERT INTO redirect_rules
           (id, hostname, from_page_id, from_path, to_page_id, to_url, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ),
      update: prepareOnUse<[string, number | null, string | null, number | null, string | null, number, number]>(
        db,
        `UPDATE redirect_rules SET hostname = ?, from_page_id = ?, from_path = ?, to_page_id = ?, to_url = ?,
           updated_at = ? WHERE id = ?`,
      ),
      delete: prepareOnUse<[number]>(db, 'DELETE FROM redirect_rules WHERE id = ?'),
    };
  }

  find(id: number): RuleRow | undefined {
    const raw = this.s.find.get(id);
    return raw && toRule(raw);
  }

  /** The rule redirecting from this source, if any. */
  bySource(hostname: string, from: RedirectFrom): number | undefined {
    return this.s.bySource.get(
      hostname,
      from.type === 'landingPageId' ? from.pageId : 0,
      from.type === 'path' ? from.path : '',
    )?.id;
  }

  browse(filter: RuleBrowse): RuleRow[] {
    return this.s.browse
      .all({
        hostname: filter.hostname ?? null,
        toPage: filter.toPageId ?? null,
        toPath: filter.toPath ?? null,
        earliest: filter.earliest ?? null,
        latest: filter.latest ?? null,
        limit: filter.limit,
        offset: filter.offset,
      })
      .map(toRule);
  }

  all(): RuleRow[] {
    return this.s.all.all().map(toRule);
  }

  insert(rule: {
    id?: number | undefined;
    hostname: string;
    from: RedirectFrom;
    to: RedirectTo;
    createdAt?: number;
    updatedAt?: number;
  }): number {
    const { fromPage, fromPath, toPage, toUrl } = columnsOf(rule);
    const createdAt = rule.createdAt ?? this.clock.now();
    return this.s.insert.get(
      rule.id ?? null,
      rule.hostname,
      fromPage,
      fromPath,
      toPage,
      toUrl,
      createdAt,
      rule.updatedAt ?? createdAt,
    )!.id;
  }

  update(id: number, rule: { hostname: string; from: RedirectFrom; to: RedirectTo }): void {
    const { fromPage, fromPath, toPage, toUrl } = columnsOf(rule);
    this.s.update.run(rule.hostname, fromPage, fromPath, toPage, toUrl, this.clock.now(), id);
  }

  delete(id: number): void {
    this.s.delete.run(id);
  }
}
