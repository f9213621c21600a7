import { describe, expect, it } from 'vitest';
import {
  AccessContext,
  decide,
  effectivePermissions,
  type GrantsByWorkspace,
  type WorkspaceScope,
} from '../../src/domain/access.js';
import { API_PERMISSION_KEYS, type PermissionKey, type PermissionObject } from '../../src/domain/permissions.js';

/**
 * The pure permission evaluation (marketo-reference.md §4.1, §4.3), table by table.
 *
 * The subscription every row runs against:
 *   workspace 1 "Default"  sees partition 1
 *   workspace 2 "A"        sees partitions 1 and 2 (partition 1 is visible to two workspaces)
 *   workspace 3 "B"        sees partition 3
 *   workspace 4 "C"        sees partition 4 — no row grants anything in it directly, only through AllZones (0)
 */
const DEFAULT = 1;
const A = 2;
const B = 3;
const C = 4;
const ALL_ZONES = 0;
const UNKNOWN_WORKSPACE = 99;

const WORKSPACES: readonly WorkspaceScope[] = [
  { id: DEFAULT, partitionIds: [1] },
  { id: A, partitionIds: [1, 2] },
  { id: B, partitionIds: [3] },
  { id: C, partitionIds: [4] },
];
const ALL_PARTITIONS = [1, 2, 3, 4];
const ALL_WORKSPACE_IDS = WORKSPACES.map((workspace) => workspace.id);

const RO_LEAD = 'read-only-lead';
const RW_LEAD = 'read-write-lead';
const RO_COMPANY = 'read-only-company';
const RW_COMPANY = 'read-write-company';
const USER_MGMT_API = 'access-user-management-api';
/** Lead routes declare "Read-Only Lead, Read-Write Lead" for reads (either suffices) and Read-Write Lead for writes. */
const READ = [RO_LEAD, RW_LEAD];
const WRITE = [RW_LEAD];
/** Access Admin permissions: they open the Admin UI, never the API (custom-services.md). */
const ADMIN_ONLY = ['access-admin', 'access-users'];

/** Role grants as [workspaceId, permission keys]; several entries for one workspace are several roles there. */
type Grant = readonly [workspaceId: number, keys: readonly string[]];

function grantsOf(grants: readonly Grant[]): GrantsByWorkspace {
  const map = new Map<number, Set<string>>();
  for (const [workspaceId, keys] of grants) {
    const held = map.get(workspaceId) ?? new Set<string>();
    for (const key of keys) held.add(key);
    map.set(workspaceId, held);
  }
  return map;
}

function evaluate(grants: readonly Grant[]) {
  const effective = effectivePermissions(grantsOf(grants), WORKSPACES);
  return { effective, access: new AccessContext(effective, WORKSPACES) };
}

const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);

describe('effectivePermissions: the API permissions held in each workspace', () => {
  interface EffectiveRow {
    name: string;
    grants: Grant[];
    /** Sorted effective keys per workspace id, for every workspace of the subscription. */
    expected: Record<number, string[]>;
  }

  const none = { [DEFAULT]: [], [A]: [], [B]: [], [C]: [] };

  const rows: EffectiveRow[] = [
    {
      name: 'Read-Write Lead in A implies Read-Only Lead there, and nothing elsewhere',
      grants: [[A, [RW_LEAD]]],
      expected: { ...none, [A]: [RO_LEAD, RW_LEAD] },
    },
    {
      name: 'Read-Only Lead in B is just Read-Only Lead in B',
      grants: [[B, [RO_LEAD]]],
      expected: { ...none, [B]: [RO_LEAD] },
    },
    {
      name: 'a grant in workspace 0 (AllZones) counts in every workspace',
      grants: [[ALL_ZONES, [RO_LEAD]]],
      expected: { [DEFAULT]: [RO_LEAD], [A]: [RO_LEAD], [B]: [RO_LEAD], [C]: [RO_LEAD] },
    },
    {
      name: 'AllZones grants are united with the grants of each workspace',
      grants: [
        [ALL_ZONES, [RO_LEAD]],
        [B, [RW_COMPANY]],
      ],
      expected: {
        [DEFAULT]: [RO_LEAD],
        [A]: [RO_LEAD],
        [B]: [RO_COMPANY, RO_LEAD, RW_COMPANY],
        [C]: [RO_LEAD],
      },
    },
    {
      name: 'several roles in one workspace are united; several workspaces stay apart',
      grants: [
        [A, [RO_LEAD]],
        [A, [RW_COMPANY]],
        [B, [RW_LEAD]],
      ],
      expected: { ...none, [A]: [RO_COMPANY, RO_LEAD, RW_COMPANY], [B]: [RO_LEAD, RW_LEAD] },
    },
    {
      name: 'only Access API permissions count: Access Admin keys beside an API key are dropped',
      grants: [[A, ['access-admin', 'access-workspaces', RW_LEAD]]],
      expected: { ...none, [A]: [RO_LEAD, RW_LEAD] },
    },
    {
      name: 'a role with Access Admin permissions only, even in AllZones, holds no API permission',
      grants: [
        [ALL_ZONES, ['access-admin', 'access-workspaces', 'access-integration']],
        [A, ['access-field-management']],
      ],
      expected: none,
    },
    {
      name: 'keys outside the catalog grant nothing',
      grants: [[A, ['read-write-everything']]],
      expected: none,
    },
    {
      name: 'a grant in a workspace the subscription does not have grants nothing',
      grants: [[UNKNOWN_WORKSPACE, [RW_LEAD]]],
      expected: none,
    },
  ];

  it.each(rows)('$name', ({ grants, expected }) => {
    const effective = effectivePermissions(grantsOf(grants), WORKSPACES);
    const actual = Object.fromEntries([...effective].map(([id, keys]) => [id, [...keys].sort()]));
    expect(actual).toEqual(expected);
  });
});

// §4.3: "If an API-Only user can read or write lead records in a workspace, the user can access all records in the
// partitions available to that workspace."
describe('AccessContext: the partitions a caller may read and write (§4.3)', () => {
  interface PartitionRow {
    name: string;
    grants: Grant[];
    object?: PermissionObject;
    read: number[];
    write: number[];
  }

  const rows: PartitionRow[] = [
    {
      name: 'Read-Write Lead in A → read and write P1, P2; nothing on P3, P4',
      grants: [[A, [RW_LEAD]]],
      read: [1, 2],
      write: [1, 2],
    },
    { name: 'Read-Only Lead in B → read P3, write nothing', grants: [[B, [RO_LEAD]]], read: [3], write: [] },
    { name: 'Read-Only Lead in Default → read P1 only', grants: [[DEFAULT, [RO_LEAD]]], read: [1], write: [] },
    {
      name: 'Read-Write Lead in A and Read-Only Lead in B → read P1–P3, write P1, P2',
      grants: [
        [A, [RW_LEAD]],
        [B, [RO_LEAD]],
      ],
      read: [1, 2, 3],
      write: [1, 2],
    },
    {
      name: 'Read-Only Lead in A and Read-Write Lead in B → read P1–P3, write P3 only',
      grants: [
        [A, [RO_LEAD]],
        [B, [RW_LEAD]],
      ],
      read: [1, 2, 3],
      write: [3],
    },
    {
      name: 'Read-Only Lead in Default, Read-Write Lead in A → P1 writable through A though read-only in Default',
      grants: [
        [DEFAULT, [RO_LEAD]],
        [A, [RW_LEAD]],
      ],
      read: [1, 2],
      write: [1, 2],
    },
    {
      name: 'Read-Write Lead in AllZones (0) → read and write every partition',
      grants: [[ALL_ZONES, [RW_LEAD]]],
      read: ALL_PARTITIONS,
      write: ALL_PARTITIONS,
    },
    {
      name: 'Read-Only Lead in AllZones and Read-Write Lead in B → read everything, write P3',
      grants: [
        [ALL_ZONES, [RO_LEAD]],
        [B, [RW_LEAD]],
      ],
      read: ALL_PARTITIONS,
      write: [3],
    },
    {
      name: 'Access Admin and Access Users only, in AllZones and A → no partition at all',
      grants: [
        [ALL_ZONES, ADMIN_ONLY],
        [A, ADMIN_ONLY],
      ],
      read: [],
      write: [],
    },
    { name: 'Read-Write Company in A → no lead partition', grants: [[A, [RW_COMPANY]]], read: [], write: [] },
    {
      name: 'Read-Write Company in A, asked for company → P1, P2',
      grants: [[A, [RW_COMPANY]]],
      object: 'company',
      read: [1, 2],
      write: [1, 2],
    },
    {
      name: 'Read-Write Lead in A, asked for company → nothing',
      grants: [[A, [RW_LEAD]]],
      object: 'company',
      read: [],
      write: [],
    },
    {
      name: 'Read-Write Lead in an unknown workspace → nothing',
      grants: [[UNKNOWN_WORKSPACE, [RW_LEAD]]],
      read: [],
      write: [],
    },
    { name: 'no role at all → nothing', grants: [], read: [], write: [] },
  ];

  it.each(rows)('$name', ({ grants, object = 'lead', read, write }) => {
    const { access } = evaluate(grants);
    expect({
      read: sorted(access.partitions('read', object)),
      write: sorted(access.partitions('write', object)),
    }).toEqual({ read, write });
    // canRead / canWrite answer the same for every partition, inside and outside the scope.
    const perPartition = ALL_PARTITIONS.map((id) => ({
      id,
      canRead: access.canRead(id, object),
      canWrite: access.canWrite(id, object),
    }));
    expect(perPartition).toEqual(
      ALL_PARTITIONS.map((id) => ({ id, canRead: read.includes(id), canWrite: write.includes(id) })),
    );
  });

  it.each([
    { name: 'Read-Write Lead in A', grants: [[A, [RW_LEAD]]] as Grant[], key: RO_LEAD, workspaces: [A] },
    { name: 'Read-Write Lead in A', grants: [[A, [RW_LEAD]]] as Grant[], key: RW_LEAD, workspaces: [A] },
    {
      name: 'Read-Only Lead in AllZones',
      grants: [[ALL_ZONES, [RO_LEAD]]] as Grant[],
      key: RO_LEAD,
      workspaces: ALL_WORKSPACE_IDS,
    },
    { name: 'Read-Only Lead in AllZones', grants: [[ALL_ZONES, [RO_LEAD]]] as Grant[], key: RW_LEAD, workspaces: [] },
    {
      name: 'Read-Only Lead in A, Read-Write Lead in B',
      grants: [
        [A, [RO_LEAD]],
        [B, [RW_LEAD]],
      ] as Grant[],
      key: RO_LEAD,
      workspaces: [A, B],
    },
    {
      name: 'Access Admin in AllZones',
      grants: [[ALL_ZONES, ['access-admin']]] as Grant[],
      key: 'access-admin',
      workspaces: [],
    },
  ])('workspaces($key) with $name → $workspaces', ({ grants, key, workspaces }) => {
    expect(sorted(evaluate(grants).access.workspacesHolding(key as PermissionKey))).toEqual(workspaces);
  });
});

// §4.1: where an operation lists two permissions either suffices; requireAll needs every one in one workspace.
describe('decide: the Decision recorded for a route', () => {
  interface DecideRow {
    name: string;
    grants: Grant[];
    required: string[];
    requireAll?: boolean;
    allowed: boolean;
    workspaces: number[];
    /** The display names the decision reports as required. */
    names: string[];
    /** Fragments the reason must contain, and must not. */
    reasonHas: string[];
    reasonLacks?: string[];
  }

  const rows: DecideRow[] = [
    {
      name: 'Read-Write implies Read-Only: Read-Only Lead is allowed with only Read-Write Lead held',
      grants: [[A, [RW_LEAD]]],
      required: [RO_LEAD],
      allowed: true,
      workspaces: [A],
      names: ['Read-Only Lead'],
      reasonHas: ['Read-Only Lead', `${A}`],
    },
    {
      name: 'a lead read route (Read-Only Lead or Read-Write Lead) with Read-Write Lead in A',
      grants: [[A, [RW_LEAD]]],
      required: READ,
      allowed: true,
      workspaces: [A],
      names: ['Read-Only Lead', 'Read-Write Lead'],
      reasonHas: ['Read-Only Lead or Read-Write Lead'],
    },
    {
      name: 'a lead read route with Read-Only Lead in B',
      grants: [[B, [RO_LEAD]]],
      required: READ,
      allowed: true,
      workspaces: [B],
      names: ['Read-Only Lead', 'Read-Write Lead'],
      reasonHas: [`${B}`],
    },
    {
      name: 'a lead write route with Read-Only Lead in B is denied, naming what B holds',
      grants: [[B, [RO_LEAD]]],
      required: WRITE,
      allowed: false,
      workspaces: [],
      names: ['Read-Write Lead'],
      reasonHas: ['Read-Write Lead', `workspace ${B}: Read-Only Lead`],
      reasonLacks: [`workspace ${A}`, `workspace ${DEFAULT}:`],
    },
    {
      name: 'a lead write route with Read-Only Lead in A, Read-Write Company in B is denied, listing both workspaces',
      grants: [
        [A, [RO_LEAD]],
        [B, [RW_COMPANY]],
      ],
      required: WRITE,
      allowed: false,
      workspaces: [],
      names: ['Read-Write Lead'],
      reasonHas: ['Read-Write Lead', `workspace ${A}: Read-Only Lead`, `workspace ${B}:`, 'Read-Write Company'],
    },
    {
      name: 'a grant in AllZones satisfies the route in every workspace',
      grants: [[ALL_ZONES, [RW_LEAD]]],
      required: WRITE,
      allowed: true,
      workspaces: ALL_WORKSPACE_IDS,
      names: ['Read-Write Lead'],
      reasonHas: ['Read-Write Lead'],
    },
    {
      name: 'several roles in several workspaces: every workspace holding either permission satisfies a read',
      grants: [
        [A, [RO_LEAD]],
        [B, [RW_LEAD]],
        [C, [RW_COMPANY]],
      ],
      required: READ,
      allowed: true,
      workspaces: [A, B],
      names: ['Read-Only Lead', 'Read-Write Lead'],
      reasonHas: [`${A}, ${B}`],
    },
    {
      name: 'several roles in several workspaces: only the workspace with Read-Write Lead satisfies a write',
      grants: [
        [A, [RO_LEAD]],
        [B, [RW_LEAD]],
      ],
      required: WRITE,
      allowed: true,
      workspaces: [B],
      names: ['Read-Write Lead'],
      reasonHas: [`${B}`],
    },
    {
      name: 'only Access API permissions count: Access Admin + Access Users in AllZones is denied a lead read',
      grants: [[ALL_ZONES, ADMIN_ONLY]],
      required: READ,
      allowed: false,
      workspaces: [],
      names: ['Read-Only Lead', 'Read-Write Lead'],
      reasonHas: ['Read-Only Lead or Read-Write Lead'],
      // Admin permissions are not reported as held: they count for nothing on the API.
      reasonLacks: ['Access Admin', 'Access Users', 'workspace '],
    },
    {
      name: 'no role at all is denied, and the reason names no workspace holding',
      grants: [],
      required: [RO_LEAD],
      allowed: false,
      workspaces: [],
      names: ['Read-Only Lead'],
      reasonHas: ['Read-Only Lead'],
      reasonLacks: ['workspace 1:', 'workspace 2:', 'workspace 3:', 'workspace 4:'],
    },
    {
      name: 'requireAll: both permissions in A → allowed in A only',
      grants: [
        [A, [USER_MGMT_API, RO_LEAD]],
        [B, [RO_LEAD]],
      ],
      required: [USER_MGMT_API, RO_LEAD],
      requireAll: true,
      allowed: true,
      workspaces: [A],
      names: ['Access User Management API', 'Read-Only Lead'],
      reasonHas: ['Access User Management API and Read-Only Lead'],
    },
    {
      name: 'requireAll: the permissions split across A and B → denied (every key must be held in one workspace)',
      grants: [
        [A, [USER_MGMT_API]],
        [B, [RO_LEAD]],
      ],
      required: [USER_MGMT_API, RO_LEAD],
      requireAll: true,
      allowed: false,
      workspaces: [],
      names: ['Access User Management API', 'Read-Only Lead'],
      reasonHas: [
        'Access User Management API and Read-Only Lead',
        `workspace ${A}: Access User Management API`,
        `workspace ${B}: Read-Only Lead`,
      ],
    },
    {
      name: 'without requireAll the same split grants is allowed in both workspaces',
      grants: [
        [A, [USER_MGMT_API]],
        [B, [RO_LEAD]],
      ],
      required: [USER_MGMT_API, RO_LEAD],
      allowed: true,
      workspaces: [A, B],
      names: ['Access User Management API', 'Read-Only Lead'],
      reasonHas: ['Access User Management API or Read-Only Lead'],
    },
    {
      name: 'requireAll: one permission in AllZones and the other in B → allowed in B',
      grants: [
        [ALL_ZONES, [USER_MGMT_API]],
        [B, [RO_LEAD]],
      ],
      required: [USER_MGMT_API, RO_LEAD],
      requireAll: true,
      allowed: true,
      workspaces: [B],
      names: ['Access User Management API', 'Read-Only Lead'],
      reasonHas: [`${B}`],
    },
    {
      name: 'requireAll: Read-Write Lead satisfies a required Read-Only Lead (the implication holds here too)',
      grants: [[A, [USER_MGMT_API, RW_LEAD]]],
      required: [USER_MGMT_API, RO_LEAD],
      requireAll: true,
      allowed: true,
      workspaces: [A],
      names: ['Access User Management API', 'Read-Only Lead'],
      reasonHas: [`${A}`],
    },
    {
      name: 'a route that requires nothing is allowed in every workspace, even with no role',
      grants: [],
      required: [],
      allowed: true,
      workspaces: ALL_WORKSPACE_IDS,
      names: [],
      reasonHas: ['no permission required'],
    },
  ];

  it.each(rows)('$name', (row) => {
    const { grants, required, requireAll, allowed, workspaces, names, reasonHas, reasonLacks = [] } = row;
    const decision = decide(evaluate(grants).effective, required, requireAll);
    expect({
      allowed: decision.allowed,
      workspaces: sorted(decision.workspaces),
      required: decision.required,
    }).toEqual({ allowed, workspaces, required: names });
    for (const fragment of reasonHas) expect(decision.reason).toContain(fragment);
    for (const fragment of reasonLacks) expect(decision.reason).not.toContain(fragment);
  });

  it.each([
    { name: 'Access Admin and Access Users in AllZones', grants: [[ALL_ZONES, ADMIN_ONLY]] as Grant[] },
    {
      name: 'Access Admin and Access Users in every workspace',
      grants: ALL_WORKSPACE_IDS.map((id) => [id, ADMIN_ONLY]) as Grant[],
    },
  ])('$name: every Access API permission is denied (§4.1: admin permissions grant no API rights)', ({ grants }) => {
    const { effective, access } = evaluate(grants);
    const allowed = API_PERMISSION_KEYS.filter((key) => decide(effective, [key]).allowed);
    expect(allowed).toEqual([]);
    expect({ read: [...access.partitions('read', 'lead')], write: [...access.partitions('write', 'lead')] }).toEqual({
      read: [],
      write: [],
    });
  });

  it('the User Management API is denied with Access User Management Api alone (Access Users missing)', () => {
    const { effective } = evaluate([[ALL_ZONES, [USER_MGMT_API, RW_LEAD]]]);
    const decision = decide(effective, [USER_MGMT_API, 'access-users'], true);
    expect(decision).toMatchObject({ allowed: false, workspaces: [] });
    expect(decision.reason).toContain('Access User Management API and Access Users');
  });
});
