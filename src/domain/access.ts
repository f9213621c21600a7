import { ALL_WORKSPACES_ID } from './model.js';
import {
  type ApiScope,
  effectiveApiPermissions,
  type PermissionKey,
  type PermissionObject,
  permissionName,
} from './permissions.js';

/**
 * Access evaluation, kept pure: role grants per workspace in, decisions and partition scopes out.
 * Rules (marketo-reference.md §4.1, §4.3): only Access API permissions count; Read-Write implies Read-Only;
 * a grant in workspace 0 (AllZones) counts in every workspace; a user may read or write the leads of every
 * partition visible to a workspace where they hold the lead permission.
 */

/** Raw permission keys granted per workspace id, as stored (0 = all workspaces). */
export type GrantsByWorkspace = ReadonlyMap<number, ReadonlySet<string>>;

export interface WorkspaceScope {
  id: number;
  partitionIds: readonly number[];
}

export interface Decision {
  /** Display names of the permissions the route asks for. */
  required: string[];
  /** Workspaces whose permissions satisfy the route (empty when denied). */
  workspaces: number[];
  allowed: boolean;
  reason: string;
}

export type AccessMode = 'read' | 'write';

/** Effective API permissions in each workspace, AllZones grants folded in, on the calls of `scope` (permissions.ts). */
export function effectivePermissions(
  grants: GrantsByWorkspace,
  workspaces: readonly WorkspaceScope[],
  scope?: ApiScope,
): Map<number, Set<string>> {
  const everywhere = grants.get(ALL_WORKSPACES_ID) ?? new Set<string>();
  const effective = new Map<number, Set<string>>();
  for (const workspace of workspaces) {
    const here = grants.get(workspace.id) ?? new Set<string>();
    effective.set(workspace.id, effectiveApiPermissions([...everywhere, ...here], scope));
  }
  return effective;
}

function describeHoldings(effective: ReadonlyMap<number, ReadonlySet<string>>): string {
  const parts = [...effective]
    .filter(([, keys]) => keys.size > 0)
    .map(([workspaceId, keys]) => `workspace ${workspaceId}: ${[...keys].map(permissionName).sort().join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : 'no API permission in any workspace';
}

/** Does the caller hold the route's permissions (any one, or all with `requireAll`) in some workspace? */
export function decide(
  effective: ReadonlyMap<number, ReadonlySet<string>>,
  required: readonly string[],
  requireAll = false,
): Decision {
  const names = required.map(permissionName);
  if (required.length === 0) {
    return { required: names, workspaces: [...effective.keys()], allowed: true, reason: 'no permission required' };
  }
  const satisfying = [...effective]
    .filter(([, keys]) => (requireAll ? required.every((key) => keys.has(key)) : required.some((key) => keys.has(key))))
    .map(([workspaceId]) => workspaceId);
  const wanted = names.join(requireAll ? ' and ' : ' or ');
  if (satisfying.length > 0) {
    return {
      required: names,
      workspaces: satisfying,
      allowed: true,
      reason: `holds ${wanted} in workspace(s) ${satisfying.join(', ')}`,
    };
  }
  return {
    required: names,
    workspaces: [],
    allowed: false,
    reason: `needs ${wanted} in at least one workspace; holds ${describeHoldings(effective)}`,
  };
}

/** What an authorized caller may see and change; handlers pass its answers to repositories. */
export class AccessContext {
  // The same caller asks on every call; the grants behind it do not change while it is cached. Kept by mode, then
  // object, so that a lookup builds no key string.
  private readonly partitionsByMode = {
    read: new Map<PermissionObject, Set<number>>(),
    write: new Map<PermissionObject, Set<number>>(),
  };

  constructor(
    private readonly effective: ReadonlyMap<number, ReadonlySet<string>>,
    private readonly workspaceScopes: readonly WorkspaceScope[],
  ) {}

  /** Workspaces in which the caller holds `permissionKey` (directly or implied). */
  workspacesHolding(permissionKey: PermissionKey): number[] {
    return [...this.effective].filter(([, keys]) => keys.has(permissionKey)).map(([id]) => id);
  }

  /**
   * Workspaces whose `object` records the caller may read or write: an asset is readable or writable where the
   * caller holds the permission in the asset's workspace (custom-services.md; marketo-reference.md §4.3).
   */
  workspaces(mode: AccessMode, object: PermissionObject): number[] {
    return this.workspacesHolding(mode === 'read' ? `read-only-${object}` : `read-write-${object}`);
  }

  /** Partitions whose `object` records (leads) the caller may read or write: those of the workspaces above. */
  partitions(mode: AccessMode, object: PermissionObject): ReadonlySet<number> {
    const known = this.partitionsByMode[mode];
    let partitions = known.get(object);
    if (partitions) return partitions;
    const allowed = new Set(this.workspaces(mode, object));
    partitions = new Set<number>();
    for (const workspace of this.workspaceScopes) {
      if (allowed.has(workspace.id)) for (const partitionId of workspace.partitionIds) partitions.add(partitionId);
    }
    known.set(object, partitions);
    return partitions;
  }

  canRead(partitionId: number, object: PermissionObject): boolean {
    return this.partitions('read', object).has(partitionId);
  }

  canWrite(partitionId: number, object: PermissionObject): boolean {
    return this.partitions('write', object).has(partitionId);
  }
}

/** What a request may do before the gate has judged it (or on a plane without one): nothing. */
export const NO_ACCESS = new AccessContext(new Map(), []);
