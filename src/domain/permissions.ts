/**
 * The fixed permission catalog. Only the "Access API" group grants API access (marketo-reference.md §4.1), with one
 * exception: the User Management API also needs "Access Users" of the "Access Admin" group (user-management.md), so
 * that permission counts on that API's calls and on no other. The other "Access Admin" permissions exist so that
 * "admin permissions grant nothing on the API" is testable.
 */
export type PermissionGroup = 'Access API' | 'Access Admin';

/** An API whose calls an Access Admin permission may unlock: the User Management API (`/userservice/…`). */
export type ApiScope = 'user-management';

export interface Permission<Key extends string = string> {
  key: Key;
  name: string;
  group: PermissionGroup;
  description: string;
  /** Keys this permission also grants (a Read-Write permission implies its Read-Only twin). */
  implies?: string[];
  /** An Access Admin permission that also counts on the calls of this one API (Access Users, User Management). */
  apiScope?: ApiScope;
}

/** A permission's key, as a type: its name in lower case, spaces as hyphens ('Read-Only Lead' → 'read-only-lead'). */
type Kebab<S extends string> = S extends `${infer Head} ${infer Tail}` ? `${Head}-${Kebab<Tail>}` : S;
type KeyOf<Name extends string> = Lowercase<Kebab<Name>>;

function keyOf<const Name extends string>(name: Name): KeyOf<Name> {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-') as KeyOf<Name>;
}

function api<const Name extends string>(name: Name, description: string): Permission<KeyOf<Name>> {
  return { key: keyOf(name), name, group: 'Access API', description };
}

function admin<const Name extends string>(
  name: Name,
  description: string,
  apiScope?: ApiScope,
): Permission<KeyOf<Name>> {
  return { key: keyOf(name), name, group: 'Access Admin', description, ...(apiScope ? { apiScope } : {}) };
}

/** Read-Only + Read-Write pair for one object; Read-Write implies Read-Only. */
function pair<const Object extends string>(
  object: Object,
  what: string,
): [Permission<KeyOf<`Read-Only ${Object}`>>, Permission<KeyOf<`Read-Write ${Object}`>>] {
  const readOnly = api(`Read-Only ${object}`, `Read ${what} through the API`);
  const readWrite = api(`Read-Write ${object}`, `Read, create, update and delete ${what} through the API`);
  return [readOnly, { ...readWrite, implies: [readOnly.key] }];
}

const ACCESS_API = [
  // The 24 of the Custom Services "Permission List" (custom-services.md).
  api('Approve Assets', 'Approve and unapprove assets'),
  api('Execute Campaign', 'Request (trigger) and schedule smart campaigns'),
  ...pair('Activity', 'lead activities'),
  ...pair('Activity Metadata', 'activity types and custom activity type definitions'),
  ...pair('Assets', 'assets: programs, folders, emails, landing pages, forms, lists, tokens'),
  ...pair('Campaign', 'campaigns'),
  ...pair('Company', 'companies'),
  ...pair('Custom Object', 'custom object records'),
  ...pair('Lead', 'leads (people) and their partitions and list membership'),
  ...pair('Named Account', 'named accounts'),
  ...pair('Named Account List', 'named account lists'),
  ...pair('Opportunity', 'opportunities and opportunity roles'),
  ...pair('Sales Person', 'sales persons'),
  // Required by Adobe's specs though absent from that list (marketo-reference.md §4.1).
  ...pair('Custom Object Type', 'custom object type definitions'),
  api('Read-Write Schema Standard Field', 'Update standard field metadata'),
  api('Read-Write Schema Custom Field', 'Create and update custom fields'),
  api('Activate Campaign', 'Activate smart campaigns'),
  api('Deactivate Campaign', 'Deactivate smart campaigns'),
  api('Access User Management API', 'Call the User Management API (with Access Users)'),
  // Adobe's specs spell them "Read Only Redirect Rules" / "Read Write Redirect Rules" (marketo-reference.md §4.1).
  ...pair('Redirect Rules', 'landing page redirect rules and landing page domains'),
] as const;

const ACCESS_ADMIN = [
  admin('Access Admin', 'Open the Admin area of the Marketo Engage UI'),
  // "Access Users" permission from the Access Admin group (user-management.md): the User Management API needs it.
  admin(
    'Access Users',
    'Manage users and roles; with Access User Management API, call the User Management API',
    'user-management',
  ),
  admin('Access Workspaces', 'Manage workspaces and partitions'),
  admin('Access Integration', 'Manage LaunchPoint services and web services settings'),
  admin('Access Field Management', 'Manage lead fields'),
] as const;

export const PERMISSIONS = [...ACCESS_API, ...ACCESS_ADMIN] as const satisfies readonly Permission[];

/** Every key of the catalog, as a type: a route that declares a misspelt permission does not compile. */
export type PermissionKey = (typeof PERMISSIONS)[number]['key'];

/** The objects that have a Read-Only / Read-Write pair ('lead', 'assets', 'company' …), as `request.access` names them. */
export type PermissionObject = PermissionKey extends infer K ? (K extends `read-only-${infer O}` ? O : never) : never;

export const PERMISSIONS_BY_KEY: ReadonlyMap<string, Permission> = new Map(PERMISSIONS.map((p) => [p.key, p]));

export const API_PERMISSION_KEYS: readonly PermissionKey[] = ACCESS_API.map((p) => p.key);

export function isPermissionKey(key: string): boolean {
  return PERMISSIONS_BY_KEY.has(key);
}

export function permissionName(key: string): string {
  return PERMISSIONS_BY_KEY.get(key)?.name ?? key;
}

/** Whether `permission` counts on an API call of `scope` (undefined: any API but the User Management API). */
function countsOn(permission: Permission, scope: ApiScope | undefined): boolean {
  return permission.group === 'Access API' || (scope !== undefined && permission.apiScope === scope);
}

/**
 * Whether a route of the API `scope` may declare `key`: every Access API permission; an Access Admin one only on
 * the API it is scoped to (Access Users on the User Management API). Checked when a Marketo route is registered.
 */
export function usableOnApi(key: string, scope: ApiScope | undefined): boolean {
  const permission = PERMISSIONS_BY_KEY.get(key);
  return permission !== undefined && countsOn(permission, scope);
}

/**
 * The API permissions a set of held keys amounts to on the calls of `scope`: admin permissions dropped (but, on the
 * User Management API, Access Users), implications added.
 */
export function effectiveApiPermissions(held: Iterable<string>, scope?: ApiScope): Set<string> {
  const effective = new Set<string>();
  for (const key of held) {
    const permission = PERMISSIONS_BY_KEY.get(key);
    if (permission === undefined || !countsOn(permission, scope)) continue;
    effective.add(key);
    for (const implied of permission.implies ?? []) effective.add(implied);
  }
  return effective;
}
