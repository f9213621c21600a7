import type { Clock } from '../../clock.js';
import { DETAIL_MESSAGES } from '../../domain/marketo-codes.js';
import { businessRule } from './scope.js';

/**
 * Marketo's draft and approval machine, once for every asset family that has it (emails, email templates, snippets;
 * landing pages, forms and their templates next: assets.md "Approval"). An asset has an approved version, a draft,
 * or both. Editing an approved asset makes a draft and leaves the approved version live; approving the draft makes it
 * the approved version; discarding drops the draft of an approved asset; unapproving takes the approved version down
 * (it becomes the draft, an existing draft is discarded: assets.md). Each version says which assets it uses (a
 * template, snippets, a form…): an approved asset's dependencies cannot be unapproved or deleted, an asset in use
 * cannot be deleted, and an asset is approved only when what its draft uses is approved.
 *
 * The machine keeps versions and uses in generic tables (src/engines/assets/version-store.ts), keyed by asset type
 * and id, so that a family of another folder (landing pages using snippets) plugs in by naming its asset type and its
 * rules (an `AssetKind`), and its uses of another family's assets need no port: no change here.
 */

export type VersionStatus = 'approved' | 'draft';
export const VERSION_STATUSES = ['approved', 'draft'] as const satisfies readonly VersionStatus[];

/** Marketo's name of an asset type, as usedBy answers carry it and messages name it: 'Email', 'Snippet', … */
export type AssetType = string;

/** Any asset of any family, by its type and id. */
export interface AssetRef {
  type: AssetType;
  id: number;
}

/** One version of an asset: its record fields (small, read by browse) and its content (sections, HTML …). */
export interface Version<Fields = unknown, Content = unknown> {
  status: VersionStatus;
  fields: Fields;
  content: Content;
  createdAt: number;
  updatedAt: number;
}

/** A version that uses another asset. */
export interface AssetUser {
  user: AssetRef;
  status: VersionStatus;
}

/** The machine's storage (SqliteVersionStore in version-store.ts; its tables are declared by the assets family). */
export interface VersionStore {
  version(asset: AssetRef, status: VersionStatus): Version | undefined;
  /** Which versions the asset has, approved first. */
  statuses(asset: AssetRef): VersionStatus[];
  /** Writes a version (replacing one of that status) and what it uses. */
  put(asset: AssetRef, version: Version, uses: readonly AssetRef[]): void;
  /** Drops a version and its uses. */
  drop(asset: AssetRef, status: VersionStatus): void;
  /** The draft becomes the approved version (replacing it), its uses with it. */
  promote(asset: AssetRef, at: number): void;
  /** The approved version becomes the draft (an existing draft and its uses are dropped). */
  demote(asset: AssetRef, at: number): void;
  /** What uses `asset`: every version that names it, approved versions only when `status` says so. */
  usersOf(asset: AssetRef, status?: VersionStatus): AssetUser[];
  /** What a version uses. */
  usesOf(asset: AssetRef, status: VersionStatus): AssetRef[];
  /** Every version of an asset and every use of or by it: the asset is gone. */
  forget(asset: AssetRef): void;
  /** Every version of the assets of a type, by asset id then status (for snapshots). */
  versionsOfType(type: AssetType): Iterable<{ id: number; version: Version }>;
}

/** What a family says about its asset type: the rules the machine applies to it. */
export interface AssetKind<Fields, Content> {
  type: AssetType;
  /** Why a draft cannot be approved (the asset's own rules: an email needs a subject …); empty when it can. */
  approvalProblems(version: Version<Fields, Content>): string[];
  /** The assets a version uses (a template, snippets …); the machine records them with the version. */
  uses(version: Version<Fields, Content>): AssetRef[];
}

/** Which versions an asset has, as the Asset API's `status` shows them. */
export interface Versions<Fields, Content> {
  approved?: Version<Fields, Content>;
  draft?: Version<Fields, Content>;
}

/** "Email 12", as the machine's messages name an asset. */
export function nameOf(asset: AssetRef): string {
  return `${asset.type} ${asset.id}`;
}

function listed(users: readonly AssetUser[]): string {
  const unique = [...new Map(users.map((use) => [nameOf(use.user), use])).values()];
  return unique.map((use) => `${use.status === 'approved' ? 'approved ' : ''}${nameOf(use.user)}`).join(', ');
}

/** The machine for one asset type: every transition, with Marketo's refusals (709, saying why). */
export class ApprovalMachine<Fields, Content> {
  constructor(
    private readonly kind: AssetKind<Fields, Content>,
    private readonly store: VersionStore,
    private readonly clock: Clock,
  ) {}

  private ref(id: number): AssetRef {
    return { type: this.kind.type, id };
  }

  /** Which versions the asset has, approved first (none: no such asset). */
  statuses(id: number): VersionStatus[] {
    return this.store.statuses(this.ref(id));
  }

  versions(id: number): Versions<Fields, Content> {
    const ref = this.ref(id);
    const found: Versions<Fields, Content> = {};
    for (const status of this.store.statuses(ref)) {
      found[status] = this.store.version(ref, status) as Version<Fields, Content>;
    }
    return found;
  }

  /**
   * The version a read shows: the one `status` names, or without it the approved version if there is one, else the
   * draft (Get Email Full Content: "defaults to approved if asset is approved, draft if not"; README "Decisions").
   */
  shown(id: number, status?: VersionStatus): Version<Fields, Content> | undefined {
    const ref = this.ref(id);
    const wanted = status ?? this.store.statuses(ref)[0];
    return wanted === undefined ? undefined : (this.store.version(ref, wanted) as Version<Fields, Content> | undefined);
  }

  /** The version an edit or a clone starts from: the draft if there is one, else the approved version. */
  latest(id: number): Version<Fields, Content> | undefined {
    const ref = this.ref(id);
    // Statuses sort approved first: the last is the draft when there is one. One version read, not both.
    const status = this.store.statuses(ref).at(-1);
    return status === undefined ? undefined : (this.store.version(ref, status) as Version<Fields, Content>);
  }

  /** A new asset: a draft only. */
  create(id: number, fields: Fields, content: Content, at: { createdAt?: number; updatedAt?: number } = {}): void {
    const now = this.clock.now();
    const createdAt = at.createdAt ?? now;
    this.write(id, { status: 'draft', fields, content, createdAt, updatedAt: at.updatedAt ?? createdAt });
  }

  /** A version as a seed or a snapshot gives it. */
  restore(id: number, version: Version<Fields, Content>): void {
    this.write(id, version);
  }

  private write(id: number, version: Version<Fields, Content>): void {
    this.store.put(this.ref(id), version, this.kind.uses(version));
  }

  /**
   * An edit of the asset's content: it changes the draft, made from the approved version when there is none
   * (assets.md: "changes are made to a draft of the asset, which does not affect the approved version").
   */
  edit(
    id: number,
    change: (current: { fields: Fields; content: Content }) => { fields: Fields; content: Content },
  ): Version<Fields, Content> {
    const base = this.latest(id);
    if (!base) throw new Error(`${nameOf(this.ref(id))} has no version`);
    const next = change({ fields: base.fields, content: base.content });
    const now = this.clock.now();
    const draft: Version<Fields, Content> = {
      status: 'draft',
      fields: next.fields,
      content: next.content,
      createdAt: base.status === 'draft' ? base.createdAt : now,
      updatedAt: now,
    };
    this.write(id, draft);
    return draft;
  }

  /**
   * Approve Draft: the asset's own rules, then what its draft uses must be approved; the draft replaces the approved
   * version. No draft is 709 (marketo-reference.md §8: "approving an asset with no draft → 709").
   */
  approve(id: number): void {
    const ref = this.ref(id);
    const draft = this.store.version(ref, 'draft') as Version<Fields, Content> | undefined;
    if (!draft) throw businessRule(DETAIL_MESSAGES.noDraftToApprove, nameOf(ref));
    const problems = this.kind.approvalProblems(draft);
    if (problems.length > 0) throw businessRule(DETAIL_MESSAGES.notApprovable, nameOf(ref), problems.join('; '));
    const unapproved = this.store
      .usesOf(ref, 'draft')
      .filter((used) => !this.store.statuses(used).includes('approved'));
    if (unapproved.length > 0) {
      throw businessRule(DETAIL_MESSAGES.usesUnapproved, nameOf(ref), unapproved.map(nameOf).join(', '));
    }
    this.store.promote(ref, this.clock.now());
  }

  /**
   * Unapprove: only an approved asset, and only while no approved asset uses it (assets.md: "only … if it is not in
   * use anywhere in Marketo, such as … a snippet being embedded in an Email"). The approved version becomes the draft.
   */
  unapprove(id: number): void {
    const ref = this.ref(id);
    if (!this.store.statuses(ref).includes('approved'))
      throw businessRule(DETAIL_MESSAGES.assetNotApproved, nameOf(ref));
    const users = this.store.usersOf(ref, 'approved');
    if (users.length > 0) throw businessRule(DETAIL_MESSAGES.inUseByApproved, nameOf(ref), listed(users));
    this.store.demote(ref, this.clock.now());
  }

  /** Discard Draft: only the draft of an approved asset ("Draft-only assets may be deleted, but … not discarded"). */
  discardDraft(id: number): void {
    const ref = this.ref(id);
    const statuses = this.store.statuses(ref);
    if (!statuses.includes('draft')) throw businessRule(DETAIL_MESSAGES.noDraftToDiscard, nameOf(ref));
    if (!statuses.includes('approved')) throw businessRule(DETAIL_MESSAGES.draftOnlyDiscard, nameOf(ref));
    this.store.drop(ref, 'draft');
  }

  /**
   * Why the asset cannot be deleted: approved ("must be unapproved prior to deletion", assets.md), or in use by
   * any version of another asset. Throws 709; returns when it can go. `ignoreDraftUsers` (the v2 bulk delete's
   * `ignoreUsedBy`) lets drafts that use it go on naming it; an approved user still keeps it.
   */
  assertDeletable(id: number, options: { ignoreDraftUsers?: boolean } = {}): void {
    const ref = this.ref(id);
    if (this.store.statuses(ref).includes('approved')) throw businessRule(DETAIL_MESSAGES.deleteApproved, nameOf(ref));
    const users = this.store.usersOf(ref, options.ignoreDraftUsers === true ? 'approved' : undefined);
    if (users.length > 0) throw businessRule(DETAIL_MESSAGES.deleteInUse, nameOf(ref), listed(users));
  }

  /** The asset's versions and uses go (its family deletes its row). */
  forget(id: number): void {
    this.store.forget(this.ref(id));
  }

  /**
   * Whether an asset of any type exists: every versioned asset has a version, so a landing page can check the snippet
   * or form a section names without reaching its family.
   */
  exists(asset: AssetRef): boolean {
    return this.store.statuses(asset).length > 0;
  }

  /** What uses the asset, each user once (its approved version first when both use it). */
  usedBy(id: number): AssetUser[] {
    return [...new Map(this.store.usersOf(this.ref(id)).map((use) => [nameOf(use.user), use])).values()];
  }

  /** Every version of every asset of the type, for snapshots. */
  all(): Iterable<{ id: number; version: Version<Fields, Content> }> {
    return this.store.versionsOfType(this.kind.type) as Iterable<{ id: number; version: Version<Fields, Content> }>;
  }
}
