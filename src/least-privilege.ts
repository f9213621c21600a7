import { stringify as toYaml } from 'yaml';
import type { AppContext } from './context.js';
import { InvalidInputError } from './domain/errors.js';
import {
  type LeastPrivilegeReport,
  type LedgerEntry,
  leastPrivilegeReport,
  seedFragment,
} from './domain/least-privilege.js';
import type { Service, User } from './domain/model.js';

/**
 * The least-privilege report of a subscription (issue 31): the ledger's entries for one API-only user (or one of their
 * services) against the grants they hold now (src/domain/least-privilege.ts has the rules), as JSON or as a seed
 * fragment, and the strict check that stopping the server runs with LEAST_PRIVILEGE_CHECK=fail.
 */

const ROLE_NAME_MAX = 255;

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function apiOnly(user: User): User {
  if (!user.apiOnly) {
    throw new InvalidInputError(`User ${user.id} is not an API-only user: only API-only users call the REST API`, [
      { path: 'params.id', message: 'must be an API-only user' },
    ]);
  }
  return user;
}

function reportOf(ctx: AppContext, user: User, entries: LedgerEntry[], subject: string): LeastPrivilegeReport {
  return leastPrivilegeReport(entries, {
    grants: ctx.repos.users.permissionsByWorkspace(user.id),
    workspaces: ctx.repos.workspaces.list(),
    role: {
      name: `Least privilege: ${subject}`.slice(0, ROLE_NAME_MAX),
      description: `What the calls fake-marketo observed from ${subject} needed (its least-privilege report)`,
    },
  });
}

export interface SubjectReport {
  user: User;
  report: LeastPrivilegeReport;
}

function reportForUser(ctx: AppContext, user: User): SubjectReport {
  const entries = ctx.harness.ledger.entries().filter((entry) => sameName(entry.user, user.email));
  return { user, report: reportOf(ctx, user, entries, user.email) };
}

/** GET /admin/users/{id}/least-privilege: every call of the user's services. */
export function userReport(ctx: AppContext, userId: number): SubjectReport {
  return reportForUser(ctx, apiOnly(ctx.repos.users.get(userId)));
}

/** GET /admin/services/{id}/least-privilege: the calls of one service, against its owner's grants. */
export function serviceReport(ctx: AppContext, serviceId: number): SubjectReport & { service: Service } {
  const service = ctx.repos.services.get(serviceId);
  const user = ctx.repos.users.get(service.apiOnlyUserId);
  const entries = ctx.harness.ledger
    .entries()
    .filter((entry) => sameName(entry.service, service.name) && sameName(entry.user, user.email));
  return { service, user, report: reportOf(ctx, user, entries, service.name) };
}

/** The report as YAML to paste into a seed file: the roles it needs and the user holding them, per workspace. */
export function seedYaml({ user, report }: SubjectReport, source: string): string {
  const fragment = seedFragment(report, user);
  const header = [
    `# Least privilege for ${user.email}, from ${report.observedCalls} call(s) fake-marketo observed (${source}).`,
    '# Paste into your seed file: these roles, and these roles for the user in place of the ones it holds.',
    ...(report.deniedCalls > 0
      ? [`# ${report.deniedCalls} call(s) were denied; their permissions are not granted here (see "denied").`]
      : []),
  ];
  return `${header.join('\n')}\n${toYaml(fragment, { lineWidth: 0 })}`;
}

/**
 * LEAST_PRIVILEGE_CHECK=fail: every API-only user owning a service who holds permissions their calls never needed, one
 * line each (none: nothing to report). Users are judged rather than services, since a user's grants serve all their
 * services.
 */
export function unusedPermissionFindings(ctx: AppContext): string[] {
  const servicesByUser = new Map<number, string[]>();
  for (const service of ctx.repos.services.list()) {
    servicesByUser.set(service.apiOnlyUserId, [...(servicesByUser.get(service.apiOnlyUserId) ?? []), service.name]);
  }
  const findings: string[] = [];
  for (const [userId, services] of servicesByUser) {
    const { user, report } = reportForUser(ctx, ctx.repos.users.get(userId));
    const unused = report.workspaces.filter((workspace) => workspace.unused.length > 0);
    if (unused.length === 0) continue;
    const where = unused
      .map(
        (workspace) =>
          `in ${workspace.workspaceName} holds ${workspace.unused.join(', ')} never needed` +
          ` (needed: ${workspace.needed.join(', ') || 'nothing'})`,
      )
      .join('; ');
    findings.push(
      `${user.email} (service${services.length > 1 ? 's' : ''} ${services.join(', ')}), ` +
        `${report.observedCalls} call(s): ${where}`,
    );
  }
  return findings;
}

/** Thrown by `fake.close()` with LEAST_PRIVILEGE_CHECK=fail when some integration holds permissions it never used. */
export class LeastPrivilegeError extends Error {
  constructor(readonly findings: readonly string[]) {
    super(
      'LEAST_PRIVILEGE_CHECK=fail: integrations hold permissions their calls never needed ' +
        '(GET /admin/users/{id}/least-privilege):\n' +
        findings.map((finding) => `  - ${finding}`).join('\n'),
    );
    this.name = 'LeastPrivilegeError';
  }
}

/**
 * Closes a subscription (`close`: the app, or the subscription's removal from a shared server); with
 * LEAST_PRIVILEGE_CHECK=fail, first reads what its ledger says of every integration (the database is still open) and
 * answers the error to report, if any.
 */
export async function closeWithLeastPrivilegeCheck(
  ctx: AppContext,
  close: () => Promise<void>,
): Promise<LeastPrivilegeError | undefined> {
  const findings = ctx.config.LEAST_PRIVILEGE_CHECK === 'fail' ? unusedPermissionFindings(ctx) : [];
  await close();
  return findings.length > 0 ? new LeastPrivilegeError(findings) : undefined;
}
