import { ALL_WORKSPACES_ID, DEFAULT_WORKSPACE_ID } from './model.js';
import { PERMISSIONS, PERMISSIONS_BY_KEY } from './permissions.js';

/**
 * The least-privilege report (issue 31), kept pure: the ledger's entries and the caller's grants in, per workspace the
 * permissions the observed calls needed, those held but never needed, the calls denied, and a role body out.
 *
 * Rules:
 * - A call needs any one of its route's permissions (all of them where the route says `requireAll`); Read-Write implies
 *   Read-Only (src/domain/permissions.ts), so where only reads happened the Read-Only permission is what is needed.
 * - A call counts in each workspace whose permissions allowed it (the gate's decision, src/domain/access.ts): assets and
 *   campaigns in their workspace, leads in the workspaces that grant their partition. The gate decides before the
 *   handler picks records, so where several workspaces allowed a call, each of them is kept: a role narrowed to one of
 *   them could deny a call the suite made.
 * - A denied call is listed in each workspace where the caller holds a grant (a grant there is what would let it
 *   through), with the smallest permission missing; it adds nothing to `needed` or the role (a suite may test the
 *   denial itself).
 */

/** What a call asked of its caller: any one of `permissions`, or all of them with `requireAll`. */
export interface Requirement {
  readonly permissions: readonly string[];
  readonly requireAll: boolean;
}

/** How many calls, and when the first and the last came (epoch ms on the fake's clock). */
export interface Tally {
  calls: number;
  firstSeen: number;
  lastSeen: number;
}

/** The calls of one entry that one workspace's permissions allowed. */
export interface WorkspaceUse extends Tally {
  /** Of the requirement's permissions, those the caller held there: what allowed the calls. */
  allowedBy: string[];
}

/** The calls that were denied, with the smallest permissions that would have allowed them. */
export interface Denials extends Tally {
  missing: string[];
}

/** One entry of the ledger: the decisions on one operation for one API-only user and service. */
export interface LedgerEntry {
  /** The API-only user's email, as the call's token named it. */
  readonly user: string;
  /** The LaunchPoint service's name. */
  readonly service: string;
  /** The route: method and path pattern, e.g. `GET /rest/v1/leads.json`. */
  readonly operation: string;
  readonly requirement: Requirement;
  /** Every call, allowed or denied. */
  readonly total: Tally;
  /** The allowed calls, per workspace whose permissions allowed them. */
  readonly workspaces: Map<number, WorkspaceUse>;
  denied?: Denials;
}

/** A permission and every permission it implies (Read-Write Lead → Read-Only Lead). */
function withImplied(keys: Iterable<string>): Set<string> {
  const all = new Set<string>();
  for (const key of keys) {
    all.add(key);
    for (const implied of PERMISSIONS_BY_KEY.get(key)?.implies ?? []) all.add(implied);
  }
  return all;
}

const CATALOG_ORDER = new Map<string, number>(PERMISSIONS.map((permission, index) => [permission.key, index]));

function byCatalogOrder(a: string, b: string): number {
  return (
    (CATALOG_ORDER.get(a) ?? Number.MAX_SAFE_INTEGER) - (CATALOG_ORDER.get(b) ?? Number.MAX_SAFE_INTEGER) ||
    a.localeCompare(b)
  );
}

/** How much a permission grants: itself and what it implies (Read-Only 1, Read-Write 2). */
const privilegeOf = (key: string) => withImplied([key]).size;

/** Less privilege first (Read-Only before Read-Write), then catalog order. */
function byPrivilege(a: string, b: string): number {
  return privilegeOf(a) - privilegeOf(b) || byCatalogOrder(a, b);
}

function isMet(requirement: Requirement, held: ReadonlySet<string>): boolean {
  const { permissions, requireAll } = requirement;
  if (permissions.length === 0) return true;
  return requireAll ? permissions.every((key) => held.has(key)) : permissions.some((key) => held.has(key));
}

/** The keys of `keys` that no other key of `keys` implies, in catalog order: a role body without redundant grants. */
function withoutImplied(keys: Iterable<string>): string[] {
  const list = [...new Set(keys)];
  return list
    .filter((key) => !list.some((other) => other !== key && withImplied([other]).has(key)))
    .sort(byCatalogOrder);
}

/**
 * The smallest set of permissions, by privilege, that meets every requirement: what `requireAll` routes and routes with
 * one permission ask for first, then for each requirement still unmet its least permission (a Read-Only one where the
 * route takes it), preferring one that meets more of the unmet requirements among equals.
 */
export function smallestCover(requirements: readonly Requirement[]): string[] {
  const chosen = new Set<string>();
  for (const { permissions, requireAll } of requirements) {
    if (requireAll || permissions.length === 1) for (const key of permissions) chosen.add(key);
  }
  let held = withImplied(chosen);
  let unmet = requirements.filter((requirement) => !isMet(requirement, held));
  while (unmet.length > 0) {
    const candidates = [...new Set(unmet.flatMap((requirement) => requirement.permissions))];
    const meets = (key: string) => {
      const with_ = withImplied([...held, key]);
      return unmet.filter((requirement) => isMet(requirement, with_)).length;
    };
    const least = candidates.sort(
      (a, b) => privilegeOf(a) - privilegeOf(b) || meets(b) - meets(a) || byCatalogOrder(a, b),
    )[0]!;
    chosen.add(least);
    held = withImplied(chosen);
    unmet = unmet.filter((requirement) => !isMet(requirement, held));
  }
  return withoutImplied(chosen);
}

/**
 * What a denied call lacked: for a route that takes any one of its permissions, the least of them; for `requireAll`,
 * those not held in the workspace that holds most of them. `workspacesHolding` answers where the caller holds a key
 * (implications included), as `request.access` does.
 */
export function missingFor(requirement: Requirement, workspacesHolding: (key: string) => readonly number[]): string[] {
  const { permissions, requireAll } = requirement;
  if (permissions.length === 0) return [];
  if (!requireAll) return [[...permissions].sort(byPrivilege)[0]!];
  const heldIn = new Map<number, Set<string>>();
  for (const key of permissions) {
    for (const workspaceId of workspacesHolding(key)) {
      let keys = heldIn.get(workspaceId);
      if (!keys) heldIn.set(workspaceId, (keys = new Set()));
      keys.add(key);
    }
  }
  const best = [...heldIn.values()].sort((a, b) => b.size - a.size)[0] ?? new Set<string>();
  return permissions.filter((key) => !best.has(key)).sort(byCatalogOrder);
}

export interface WorkspaceName {
  id: number;
  name: string;
}

/** What the report reads besides the ledger: the caller's grants now, and the workspaces' names. */
export interface ReportSubject {
  /** Raw permission keys granted per workspace id, as stored (0: all workspaces). */
  grants: ReadonlyMap<number, ReadonlySet<string>>;
  workspaces: readonly WorkspaceName[];
  /** The name and description of the role the report proposes. */
  role: { name: string; description: string };
}

export interface OperationUse {
  operation: string;
  service: string;
  calls: number;
  allowedBy: string[];
  firstSeen: string;
  lastSeen: string;
}

export interface DeniedOperation {
  operation: string;
  service: string;
  missing: string[];
  calls: number;
  firstSeen: string;
  lastSeen: string;
}

export interface WorkspaceReport {
  workspaceId: number;
  workspaceName: string;
  /** What the caller holds here (its grants in this workspace and in all workspaces). */
  held: string[];
  needed: string[];
  /** Held but never needed: a role without them would have served every call. */
  unused: string[];
  denied: DeniedOperation[];
  operations: OperationUse[];
}

/** A body for POST /admin/roles. */
export interface RoleBody {
  name: string;
  description: string;
  roleType: 'user-defined';
  permissionSets: string[];
}

export interface LeastPrivilegeReport {
  observedCalls: number;
  deniedCalls: number;
  workspaces: WorkspaceReport[];
  /** The permissions needed in any workspace, as one role (the seed fragment grants each workspace its own). */
  role: RoleBody;
}

const iso = (ms: number) => new Date(ms).toISOString();

const byOperation = (a: { operation: string; service: string }, b: { operation: string; service: string }) =>
  a.operation.localeCompare(b.operation) || a.service.localeCompare(b.service);

/** The workspaces where the caller holds any permission, AllZones grants counting in every workspace. */
function heldByWorkspace(subject: ReportSubject): Map<number, string[]> {
  const everywhere = subject.grants.get(ALL_WORKSPACES_ID) ?? new Set<string>();
  const held = new Map<number, string[]>();
  const ids = new Set([...subject.workspaces.map((workspace) => workspace.id), ...subject.grants.keys()]);
  ids.delete(ALL_WORKSPACES_ID);
  for (const id of ids) {
    const keys = [...new Set([...everywhere, ...(subject.grants.get(id) ?? [])])].sort(byCatalogOrder);
    if (keys.length > 0) held.set(id, keys);
  }
  return held;
}

/** The report for the entries of one API-only user (or of one of their services). */
export function leastPrivilegeReport(entries: readonly LedgerEntry[], subject: ReportSubject): LeastPrivilegeReport {
  const held = heldByWorkspace(subject);
  const uses = new Map<number, { entry: LedgerEntry; use: WorkspaceUse }[]>();
  for (const entry of entries) {
    for (const [workspaceId, use] of entry.workspaces) {
      if (!uses.has(workspaceId)) uses.set(workspaceId, []);
      uses.get(workspaceId)!.push({ entry, use });
    }
  }
  const denied: DeniedOperation[] = entries
    .filter((entry) => entry.denied && entry.denied.calls > 0)
    .map(({ operation, service, denied: d }) => ({
      operation,
      service,
      missing: d!.missing,
      calls: d!.calls,
      firstSeen: iso(d!.firstSeen),
      lastSeen: iso(d!.lastSeen),
    }))
    .sort(byOperation);
  const ids = new Set([...held.keys(), ...uses.keys()]);
  // Denied calls with no grant anywhere: shown where a first grant would usually go.
  if (ids.size === 0 && denied.length > 0) ids.add(DEFAULT_WORKSPACE_ID);
  const names = new Map(subject.workspaces.map((workspace) => [workspace.id, workspace.name]));
  const workspaces = [...ids]
    .sort((a, b) => a - b)
    .map((workspaceId): WorkspaceReport => {
      const here = uses.get(workspaceId) ?? [];
      const needed = smallestCover(here.map(({ entry }) => entry.requirement));
      const heldHere = held.get(workspaceId) ?? [];
      return {
        workspaceId,
        workspaceName: names.get(workspaceId) ?? `workspace ${workspaceId} (no longer exists)`,
        held: heldHere,
        needed,
        unused: heldHere.filter((key) => !needed.includes(key)),
        denied: held.has(workspaceId) || held.size === 0 ? denied : [],
        operations: here
          .map(({ entry, use }) => ({
            operation: entry.operation,
            service: entry.service,
            calls: use.calls,
            allowedBy: [...use.allowedBy].sort(byCatalogOrder),
            firstSeen: iso(use.firstSeen),
            lastSeen: iso(use.lastSeen),
          }))
          .sort(byOperation),
      };
    });
  return {
    observedCalls: entries.reduce((sum, entry) => sum + entry.total.calls, 0),
    deniedCalls: entries.reduce((sum, entry) => sum + (entry.denied?.calls ?? 0), 0),
    workspaces,
    role: {
      ...subject.role,
      roleType: 'user-defined',
      permissionSets: withoutImplied(workspaces.flatMap((workspace) => workspace.needed)),
    },
  };
}

/** The roles and the user of a seed document (src/domain/seed.ts) that grant exactly what the report found needed. */
export interface SeedFragment {
  roles: { name: string; description: string; permissions: string[] }[];
  users: {
    email: string;
    firstName?: string;
    lastName?: string;
    apiOnly: true;
    roles: { role: string; workspace: string }[];
  }[];
}

/**
 * The report as a seed fragment: one role when every workspace needs the same permissions, else one role per distinct
 * set (named after its first workspace), each granted in the workspaces that need it. A user whose calls needed
 * nothing keeps one role without permissions (an API-only user must hold a role) in the first workspace of the report.
 */
export function seedFragment(
  report: LeastPrivilegeReport,
  user: { email: string; firstName?: string; lastName?: string },
): SeedFragment {
  const needing = report.workspaces.filter((workspace) => workspace.needed.length > 0);
  const sets = new Map<string, { permissions: string[]; workspaces: string[] }>();
  for (const workspace of needing) {
    const signature = workspace.needed.join(',');
    if (!sets.has(signature)) sets.set(signature, { permissions: workspace.needed, workspaces: [] });
    sets.get(signature)!.workspaces.push(workspace.workspaceName);
  }
  if (sets.size === 0) {
    const first = report.workspaces[0]?.workspaceName ?? 'Default';
    sets.set('', { permissions: [], workspaces: [first] });
  }
  const roles = [...sets.values()].map((set) => ({
    name: sets.size === 1 ? report.role.name : `${report.role.name} (${set.workspaces[0]})`,
    description: report.role.description,
    permissions: set.permissions,
    workspaces: set.workspaces,
  }));
  return {
    roles: roles.map(({ name, description, permissions }) => ({ name, description, permissions })),
    users: [
      {
        email: user.email,
        ...(user.firstName ? { firstName: user.firstName } : {}),
        ...(user.lastName ? { lastName: user.lastName } : {}),
        apiOnly: true,
        roles: roles.flatMap((role) => role.workspaces.map((workspace) => ({ role: role.name, workspace }))),
      },
    ],
  };
}
