import { describe, expect, it } from 'vitest';
import {
  type LedgerEntry,
  leastPrivilegeReport,
  missingFor,
  type ReportSubject,
  type Requirement,
  seedFragment,
  smallestCover,
} from '../../src/domain/least-privilege.js';

/**
 * The least-privilege report's rules (src/domain/least-privilege.ts), over hand-built ledgers.
 *
 * The subscription: workspace 1 "Default", 2 "Americas", 3 "EMEA". Lead routes take "Read-Only Lead, Read-Write Lead"
 * for reads (either suffices) and Read-Write Lead for writes, as Adobe's specs say; asset routes alike.
 */
const DEFAULT = 1;
const AMERICAS = 2;
const EMEA = 3;
const WORKSPACES = [
  { id: DEFAULT, name: 'Default' },
  { id: AMERICAS, name: 'Americas' },
  { id: EMEA, name: 'EMEA' },
];

const RO_LEAD = 'read-only-lead';
const RW_LEAD = 'read-write-lead';
const RO_ASSETS = 'read-only-assets';
const RW_ASSETS = 'read-write-assets';
const RO_ACTIVITY = 'read-only-activity';
const RO_COMPANY = 'read-only-company';

const readLeads: Requirement = { permissions: [RO_LEAD, RW_LEAD], requireAll: false };
const writeLeads: Requirement = { permissions: [RW_LEAD], requireAll: false };
const readAssets: Requirement = { permissions: [RO_ASSETS, RW_ASSETS], requireAll: false };
const writeAssets: Requirement = { permissions: [RW_ASSETS], requireAll: false };

const T0 = Date.parse('2026-01-15T12:00:00Z');

/** One ledger entry: `calls` per workspace that allowed them, and denied calls with what was missing. */
function entry(
  operation: string,
  requirement: Requirement,
  allowed: Record<number, number>,
  denied?: { calls: number; missing: string[] },
): LedgerEntry {
  const workspaces = new Map(
    Object.entries(allowed).map(([id, calls]) => [
      Number(id),
      { calls, firstSeen: T0, lastSeen: T0 + calls * 1000, allowedBy: requirement.permissions.slice(0, 1) },
    ]),
  );
  const allowedCalls = Math.max(0, ...Object.values(allowed));
  const deniedCalls = denied?.calls ?? 0;
  return {
    user: 'sync@example.com',
    service: 'CI',
    operation,
    requirement,
    total: { calls: allowedCalls + deniedCalls, firstSeen: T0, lastSeen: T0 + 1000 },
    workspaces,
    ...(denied ? { denied: { ...denied, firstSeen: T0, lastSeen: T0 + 2000 } } : {}),
  };
}

/** The caller's grants as [workspaceId, keys] (0: all workspaces). */
function subject(...grants: [number, string[]][]): ReportSubject {
  const map = new Map<number, Set<string>>();
  for (const [id, keys] of grants) map.set(id, new Set([...(map.get(id) ?? []), ...keys]));
  return { grants: map, workspaces: WORKSPACES, role: { name: 'Least privilege: CI', description: 'observed' } };
}

const inWorkspace = (report: ReturnType<typeof leastPrivilegeReport>, id: number) =>
  report.workspaces.find((workspace) => workspace.workspaceId === id);

describe('needed: the smallest permissions by privilege', () => {
  it('only reads happened: Read-Only Lead is needed, and the Read-Write Lead held is unused', () => {
    const report = leastPrivilegeReport(
      [entry('GET /rest/v1/leads.json', readLeads, { [DEFAULT]: 3 })],
      subject([DEFAULT, [RW_LEAD]]),
    );
    expect(report.workspaces).toEqual([
      expect.objectContaining({
        workspaceId: DEFAULT,
        workspaceName: 'Default',
        held: [RW_LEAD],
        needed: [RO_LEAD],
        unused: [RW_LEAD],
        denied: [],
      }),
    ]);
    expect(report.role.permissionSets).toEqual([RO_LEAD]);
  });

  it('reads and writes: Read-Write Lead alone (it implies Read-Only Lead), nothing unused', () => {
    const report = leastPrivilegeReport(
      [
        entry('GET /rest/v1/leads.json', readLeads, { [DEFAULT]: 2 }),
        entry('POST /rest/v1/leads.json', writeLeads, { [DEFAULT]: 1 }),
      ],
      subject([DEFAULT, [RW_LEAD]]),
    );
    expect(inWorkspace(report, DEFAULT)).toMatchObject({ needed: [RW_LEAD], unused: [] });
  });

  it('both Read-Only and Read-Write held and only reads: the Read-Write one is unused', () => {
    const report = leastPrivilegeReport(
      [entry('GET /rest/v1/leads.json', readLeads, { [DEFAULT]: 1 })],
      subject([DEFAULT, [RO_LEAD, RW_LEAD, RO_ACTIVITY]]),
    );
    expect(inWorkspace(report, DEFAULT)).toMatchObject({
      held: [RO_ACTIVITY, RO_LEAD, RW_LEAD],
      needed: [RO_LEAD],
      unused: [RO_ACTIVITY, RW_LEAD],
    });
  });

  it('a route that takes either of two permissions adds nothing when another call already needs one of them', () => {
    expect(smallestCover([readLeads, writeLeads])).toEqual([RW_LEAD]);
    expect(smallestCover([writeLeads, readLeads])).toEqual([RW_LEAD]);
  });

  it('a requireAll route needs every one of its permissions', () => {
    expect(smallestCover([{ permissions: [RO_LEAD, RO_ACTIVITY], requireAll: true }])).toEqual([RO_ACTIVITY, RO_LEAD]);
  });

  it('among permissions of equal privilege, the one that meets the most calls', () => {
    const eitherLeadOrCompany: Requirement = { permissions: [RO_LEAD, RO_COMPANY], requireAll: false };
    const eitherCompanyOrActivity: Requirement = { permissions: [RO_COMPANY, RO_ACTIVITY], requireAll: false };
    expect(smallestCover([eitherLeadOrCompany, eitherCompanyOrActivity])).toEqual([RO_COMPANY]);
  });

  it('no calls, or calls that need no permission: nothing', () => {
    expect(smallestCover([])).toEqual([]);
    expect(smallestCover([{ permissions: [], requireAll: false }])).toEqual([]);
  });
});

describe('per workspace', () => {
  it('asset writes count in their workspace only; a lead read that two workspaces allowed counts in both', () => {
    const report = leastPrivilegeReport(
      [
        entry('GET /rest/v1/leads.json', readLeads, { [DEFAULT]: 4, [AMERICAS]: 4 }),
        entry('POST /rest/asset/v1/folders.json', writeAssets, { [AMERICAS]: 2 }),
      ],
      subject([DEFAULT, [RO_LEAD, RW_ASSETS]], [AMERICAS, [RO_LEAD, RW_ASSETS]]),
    );
    expect(report.workspaces.map(({ workspaceId, needed, unused }) => ({ workspaceId, needed, unused }))).toEqual([
      { workspaceId: DEFAULT, needed: [RO_LEAD], unused: [RW_ASSETS] },
      { workspaceId: AMERICAS, needed: [RW_ASSETS, RO_LEAD], unused: [] },
    ]);
    // One role for POST /admin/roles: what any workspace needed.
    expect(report.role).toEqual({
      name: 'Least privilege: CI',
      description: 'observed',
      roleType: 'user-defined',
      permissionSets: [RW_ASSETS, RO_LEAD],
    });
  });

  it('a grant in all workspaces (AllZones) is held in each; a workspace with neither grants nor calls is left out', () => {
    const report = leastPrivilegeReport(
      [entry('GET /rest/asset/v1/folders.json', readAssets, { [EMEA]: 1 })],
      subject([0, [RO_ASSETS]]),
    );
    expect(report.workspaces.map(({ workspaceName, held, needed }) => ({ workspaceName, held, needed }))).toEqual([
      { workspaceName: 'Default', held: [RO_ASSETS], needed: [] },
      { workspaceName: 'Americas', held: [RO_ASSETS], needed: [] },
      { workspaceName: 'EMEA', held: [RO_ASSETS], needed: [RO_ASSETS] },
    ]);
    const onlyDefault = leastPrivilegeReport([], subject([DEFAULT, [RO_LEAD]]));
    expect(onlyDefault.workspaces.map((workspace) => workspace.workspaceId)).toEqual([DEFAULT]);
  });

  it('each operation with its calls, what allowed it, first and last seen', () => {
    const report = leastPrivilegeReport(
      [entry('GET /rest/v1/leads.json', readLeads, { [DEFAULT]: 3 })],
      subject([DEFAULT, [RO_LEAD]]),
    );
    expect(inWorkspace(report, DEFAULT)!.operations).toEqual([
      {
        operation: 'GET /rest/v1/leads.json',
        service: 'CI',
        calls: 3,
        allowedBy: [RO_LEAD],
        firstSeen: '2026-01-15T12:00:00.000Z',
        lastSeen: '2026-01-15T12:00:03.000Z',
      },
    ]);
  });

  it('calls counted in a workspace that no longer exists keep its id, and say so', () => {
    const report = leastPrivilegeReport(
      [entry('GET /rest/v1/leads.json', readLeads, { 7: 1 })],
      subject([DEFAULT, [RO_LEAD]]),
    );
    expect(inWorkspace(report, 7)).toMatchObject({
      workspaceName: 'workspace 7 (no longer exists)',
      held: [],
      needed: [RO_LEAD],
    });
  });
});

describe('denied calls', () => {
  it('are listed with what was missing where the caller holds a grant, and add nothing to needed or the role', () => {
    const report = leastPrivilegeReport(
      [
        entry('GET /rest/v1/leads.json', readLeads, { [DEFAULT]: 2 }),
        entry('POST /rest/v1/leads.json', writeLeads, {}, { calls: 5, missing: [RW_LEAD] }),
      ],
      subject([DEFAULT, [RO_LEAD]], [AMERICAS, [RO_ASSETS]]),
    );
    const denial = {
      operation: 'POST /rest/v1/leads.json',
      service: 'CI',
      missing: [RW_LEAD],
      calls: 5,
      firstSeen: '2026-01-15T12:00:00.000Z',
      lastSeen: '2026-01-15T12:00:02.000Z',
    };
    expect(inWorkspace(report, DEFAULT)).toMatchObject({ needed: [RO_LEAD], denied: [denial] });
    expect(inWorkspace(report, AMERICAS)).toMatchObject({ needed: [], unused: [RO_ASSETS], denied: [denial] });
    expect(report.role.permissionSets).toEqual([RO_LEAD]);
    expect(report).toMatchObject({ observedCalls: 7, deniedCalls: 5 });
  });

  it('a caller with no grant at all sees them under Default', () => {
    const report = leastPrivilegeReport(
      [entry('GET /rest/v1/leads.json', readLeads, {}, { calls: 1, missing: [RO_LEAD] })],
      subject(),
    );
    expect(report.workspaces).toEqual([
      expect.objectContaining({ workspaceId: DEFAULT, held: [], needed: [], denied: [expect.anything()] }),
    ]);
  });

  it('missing: the least of the permissions a route takes; for requireAll, those the best workspace lacks', () => {
    const nowhere = () => [];
    expect(missingFor(readLeads, nowhere)).toEqual([RO_LEAD]);
    expect(missingFor({ permissions: [RW_ASSETS, RO_ASSETS], requireAll: false }, nowhere)).toEqual([RO_ASSETS]);
    const both: Requirement = { permissions: [RO_LEAD, RO_ACTIVITY], requireAll: true };
    expect(missingFor(both, nowhere)).toEqual([RO_ACTIVITY, RO_LEAD]);
    // Read-Only Lead in Default and Americas, Read-Only Activity in Americas: Americas lacks only Read-Only Company.
    const three: Requirement = { permissions: [RO_LEAD, RO_ACTIVITY, RO_COMPANY], requireAll: true };
    const holding = (key: string) => (key === RO_LEAD ? [DEFAULT, AMERICAS] : key === RO_ACTIVITY ? [AMERICAS] : []);
    expect(missingFor(three, holding)).toEqual([RO_COMPANY]);
    expect(missingFor({ permissions: [], requireAll: false }, nowhere)).toEqual([]);
  });
});

describe('no calls', () => {
  it('everything held is unused, and the role holds nothing', () => {
    const report = leastPrivilegeReport([], subject([DEFAULT, [RW_LEAD, RO_ASSETS]]));
    expect(report).toMatchObject({
      observedCalls: 0,
      deniedCalls: 0,
      workspaces: [{ workspaceId: DEFAULT, needed: [], unused: [RO_ASSETS, RW_LEAD] }],
      role: { permissionSets: [] },
    });
  });
});

describe('seed fragment', () => {
  const user = { email: 'sync@example.com', firstName: 'Sync', lastName: '' };

  it('one role when every workspace needs the same, granted in each of them; workspaces needing nothing get none', () => {
    const report = leastPrivilegeReport(
      [entry('GET /rest/v1/leads.json', readLeads, { [DEFAULT]: 1, [EMEA]: 1 })],
      subject([DEFAULT, [RW_LEAD]], [AMERICAS, [RW_LEAD]], [EMEA, [RW_LEAD]]),
    );
    expect(seedFragment(report, user)).toEqual({
      roles: [{ name: 'Least privilege: CI', description: 'observed', permissions: [RO_LEAD] }],
      users: [
        {
          email: 'sync@example.com',
          firstName: 'Sync',
          apiOnly: true,
          roles: [
            { role: 'Least privilege: CI', workspace: 'Default' },
            { role: 'Least privilege: CI', workspace: 'EMEA' },
          ],
        },
      ],
    });
  });

  it('a role per distinct set, named after its first workspace', () => {
    const report = leastPrivilegeReport(
      [
        entry('GET /rest/v1/leads.json', readLeads, { [DEFAULT]: 1, [AMERICAS]: 1, [EMEA]: 1 }),
        entry('POST /rest/v1/leads.json', writeLeads, { [AMERICAS]: 1, [EMEA]: 1 }),
      ],
      subject([0, [RW_LEAD]]),
    );
    const fragment = seedFragment(report, user);
    expect(fragment.roles).toEqual([
      { name: 'Least privilege: CI (Default)', description: 'observed', permissions: [RO_LEAD] },
      { name: 'Least privilege: CI (Americas)', description: 'observed', permissions: [RW_LEAD] },
    ]);
    expect(fragment.users[0]!.roles).toEqual([
      { role: 'Least privilege: CI (Default)', workspace: 'Default' },
      { role: 'Least privilege: CI (Americas)', workspace: 'Americas' },
      { role: 'Least privilege: CI (Americas)', workspace: 'EMEA' },
    ]);
  });

  it('calls that needed nothing: one role without permissions (an API-only user must hold one)', () => {
    const report = leastPrivilegeReport([], subject([AMERICAS, [RO_LEAD]]));
    expect(seedFragment(report, user)).toMatchObject({
      roles: [{ name: 'Least privilege: CI', permissions: [] }],
      users: [{ roles: [{ role: 'Least privilege: CI', workspace: 'Americas' }] }],
    });
  });
});
