import type { AppContext } from '../context.js';
import type { Service } from '../storage/services.js';
import { DEFAULT_WORKSPACE_ID } from '../storage/workspaces.js';

export const DEMO_SERVICE_NAME = 'Demo Service';

const DEMO_PERMISSIONS = [
  'read-write-lead',
  'read-write-activity',
  'read-write-assets',
  'read-write-campaign',
  'read-write-company',
  'read-write-custom-object',
  'read-write-opportunity',
];

/**
 * What an admin sets up for a first integration: a role with Access API permissions, an API-only user with it
 * in the Default workspace, and a LaunchPoint custom service. Only on an empty subscription.
 */
export function provisionDemo(ctx: AppContext): Service | undefined {
  const { roles, users, services } = ctx.repos;
  if (services.list().length > 0 || users.list().length > 0) return undefined;
  return ctx.transaction(() => {
    const role = roles.create({
      name: 'Demo API Role',
      description: 'Access API permissions for the demo service',
      permissionSets: DEMO_PERMISSIONS,
    });
    const user = users.create({
      email: 'demo-api-user@fake-marketo.local',
      firstName: 'Demo',
      lastName: 'API User',
      apiOnly: true,
      roles: [{ roleId: role.id, workspaceId: DEFAULT_WORKSPACE_ID }],
    });
    return services.create({
      name: DEMO_SERVICE_NAME,
      description: 'Created on first start; delete it when you provision your own',
      apiOnlyUserId: user.id,
    });
  });
}
