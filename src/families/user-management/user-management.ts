import type { FastifyReply } from 'fastify';
import { plainMessage, valueAt } from '../../domain/validation-wording.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseUserManagementDatetime } from '../../domain/datetime.js';
import { DETAIL_MESSAGES, formatMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { type GrantInput, UserManagementRepository } from './repository.js';

/**
 * Marketo's User Management API (`/userservice/management/v1`, user-management.md, swagger-user.json): the 12
 * operations on the subscription's users, roles and workspaces — the core's, the ones the admin plane changes. Its own
 * wire format: no envelope, HTTP 200 and the record on success, a non-200 status and `{errors:[{code, message}]}` on
 * failure (src/http/wire-formats.ts); the token only in the Authorization header.
 */

// "Required Permissions: Access User Management Api and Access Users" on every operation (swagger-user.json).
const PERMISSIONS: readonly PermissionKey[] = ['access-user-management-api', 'access-users'];
const config = { permissions: PERMISSIONS, requireAll: true } as const;
const tags = ['Marketo: User Management'];
const BASE = '/userservice/management/v1/users';

/** The API's error body; Error.code is an integer in this spec. */
const errorBody = z
  .object({ errors: z.array(z.object({ code: z.number().int(), message: z.string() })) })
  .meta({ id: 'UserManagementErrors' });

// Each status's meaning is in the OpenAPI document's response descriptions (src/http/openapi.ts).
const failures = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody } as const;

const INT32_MAX = 2_147_483_647;

const userRoleWorkspace = z
  .object({
    accessRoleId: z.number().int(),
    accessRoleName: z.string(),
    workspaceId: z.number().int().describe('0 = all workspaces (AllZones)'),
    workspaceName: z.string(),
  })
  .meta({ id: 'UserRoleWorkspace' });

const userRoleWorkspaces = z.array(userRoleWorkspace);

const responseOfUser = z
  .object({
    userid: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    emailAddress: z.string(),
    optedIn: z.boolean(),
    failedLogins: z.number().int(),
    failedDeviceCode: z.number().int(),
    isLocked: z.boolean().describe('true once the login expired'),
    lockedReason: z.string().nullable(),
    id: z.number().int(),
    apiOnly: z.boolean(),
    userRoleWorkspaces,
    expiresAt: z.string().nullable().describe("yyyyMMdd'T'HH:mm:ss.SSS't'+hhmm; null: never"),
    lastLoginAt: z.string().nullable(),
  })
  .meta({
    id: 'ResponseOfUser',
    example: {
      userid: 'jamie@lannister.com',
      firstName: 'Jamie',
      lastName: 'Lannister',
      emailAddress: 'jamie@lannister.com',
      optedIn: false,
      failedLogins: 0,
      failedDeviceCode: 0,
      isLocked: false,
      lockedReason: null,
      id: 2,
      apiOnly: false,
      userRoleWorkspaces: [{ accessRoleId: 1, accessRoleName: 'Admin', workspaceId: 0, workspaceName: 'AllZones' }],
      expiresAt: '20271231T08:00:00.000t+0000',
      lastLoginAt: null,
    },
  });

const responseOfAllUsers = z
  .object({
    userid: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    emailAddress: z.string(),
    id: z.number().int(),
    apiOnly: z.boolean(),
  })
  .meta({ id: 'ResponseOfAllUsers' });

const responseOfInvitedUser = z
  .object({
    id: z.number().int(),
    firstName: z.string(),
    lastName: z.string(),
    emailAddress: z.string(),
    userid: z.string(),
    userId: z.string().describe("Adobe's example names it so; the same as userid"),
    subscriptionId: z.string(),
    status: z.literal('pending'),
    expiresAt: z.string().describe('When the invitation expires: 7 days after it was sent'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ResponseOfInvitedUser' });

const responseOfRole = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    type: z.enum(['system', 'custom']),
    isHidden: z.boolean(),
    isOnlyAllZones: z.boolean(),
    hidden: z.boolean().describe("Adobe's example's name for isHidden"),
    onlyAllZones: z.boolean().describe("Adobe's example's name for isOnlyAllZones"),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ResponseOfRole' });

const responseOfWorkspace = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    globalViz: z.number().int(),
    status: z.string(),
    currencyInfo: z.string().nullable(),
  })
  .meta({ id: 'ResponseOfWorkspace' });

const useridParams = z.object({
  userid: z.string().min(1).max(255).describe('The login id, in the form of an email address'),
});

const allUsersQuery = z.object({
  pageOffset: z.coerce.number().int().min(0).max(INT32_MAX).default(0),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('Max 200, default 20'),
});

// A missing address keeps zod's own words ("received undefined"), which the plane answers as 701 "cannot be blank".
const email = z
  .email({ error: (issue) => (issue.input === undefined ? undefined : 'must look like an email address') })
  .max(255);
const personName = z.string().trim().min(1).max(255);

/** expiresAt as sent: ISO 8601 with an offset, or the API's own format; in epoch ms. */
const expiresAtInput = z.string().transform((value, context) => {
  const parsed = parseUserManagementDatetime(value);
  if (parsed === undefined) {
    context.addIssue({ code: 'custom', message: formatMessage(DETAIL_MESSAGES.invalidUserDatetime, value) });
    return z.NEVER;
  }
  return parsed;
});

const grantInput = z
  .strictObject({
    accessRoleId: z.number().int().positive().max(INT32_MAX),
    workspaceId: z.number().int().min(0).max(INT32_MAX).describe('0 = all workspaces (AllZones)'),
  })
  .meta({ id: 'UserRoleWorkspaceId' });

const grantList = z.array(grantInput).min(1);

const inviteBody = z
  .strictObject({
    emailAddress: email,
    firstName: personName,
    lastName: personName,
    userid: email.optional().describe('The login id; default: emailAddress'),
    apiOnly: z.boolean().optional().describe('Default false'),
    expiresAt: expiresAtInput.optional().describe('When the login expires; absent: never'),
    reason: z.string().max(2000).optional().describe('Accepted; the fake sends no email'),
    userRoleWorkspaces: grantList,
  })
  .meta({
    id: 'InviteUserRequest',
    example: {
      emailAddress: 'daenerys@housetargaryen.com',
      firstName: 'Daenerys',
      lastName: 'Targaryen',
      expiresAt: '2027-12-31T23:59:59-05:00',
      reason: 'Keeper of dragons',
      userRoleWorkspaces: [{ accessRoleId: 2, workspaceId: 1 }],
    },
  });

const updateBody = z
  .strictObject({
    emailAddress: email.optional(),
    firstName: personName.optional(),
    lastName: personName.optional(),
    expiresAt: expiresAtInput.nullable().optional().describe('null: the login never expires'),
    apiOnly: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: DETAIL_MESSAGES.noAttributes })
  .meta({ id: 'UpdateUserAttributesRequest', example: { firstName: 'JAMIE', lastName: 'LANISTER' } });

/**
 * Add and Delete Roles take the list of grants as Adobe's guide shows it (a bare array) or as the spec declares it
 * (`{"input": [...]}`, AddRolesRequest / DeleteRolesRequest): both are accepted (README "Decisions").
 */
const wrappedGrants = z.strictObject({ input: grantList });

/** Which form went wrong where: the union alone would only say "Invalid input". */
function rolesBodyProblem(input: unknown): string {
  const form = Array.isArray(input) ? grantList : wrappedGrants;
  const issue = form.safeParse(input).error?.issues[0];
  if (!issue || (!Array.isArray(input) && (typeof input !== 'object' || input === null)))
    return DETAIL_MESSAGES.rolesBody;
  const path = issue.path.map(String).join('.');
  const plain = plainMessage(issue.message, valueAt(input, issue.path));
  return path ? `${path}: ${plain}` : `${plain} (${DETAIL_MESSAGES.rolesBody})`;
}

const rolesBody = z
  .union([grantList, wrappedGrants], { error: (issue) => rolesBodyProblem(issue.input) })
  .meta({ example: [{ accessRoleId: 2, workspaceId: 1 }] });

/** "If successful, a 200 status code is returned" (user-management.md, Delete User): no body. */
const emptyOk = (reply: FastifyReply) => reply.code(200).send();

const grantsOf = (body: z.infer<typeof rolesBody>): GrantInput[] => (Array.isArray(body) ? body : body.input);

const userManagementRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<UserManagementRepository>> = async (
  app,
  { repo },
) => {
  app.get(
    `${BASE}/allusers.json`,
    {
      config,
      schema: {
        tags,
        summary: 'Get Users',
        description: 'The users who have accepted their invitation, by id; a pending user is read with invite.json.',
        querystring: allUsersQuery,
        response: { 200: z.array(responseOfAllUsers), ...failures },
      },
    },
    async (request) => repo(request).users(request.query.pageOffset, request.query.pageSize),
  );

  app.get(
    `${BASE}/:userid/user.json`,
    {
      config,
      schema: {
        tags,
        summary: 'Get User by Id',
        params: useridParams,
        response: { 200: responseOfUser, ...failures },
      },
    },
    async (request) => repo(request).user(request.params.userid),
  );

  app.get(
    `${BASE}/:userid/invite.json`,
    {
      config,
      schema: {
        tags,
        summary: 'Get Invited User by Id',
        params: useridParams,
        response: { 200: responseOfInvitedUser, ...failures },
      },
    },
    async (request) => repo(request).invitedUser(request.params.userid),
  );

  app.post(
    `${BASE}/invite.json`,
    {
      config,
      schema: {
        tags,
        summary: 'Invite User',
        description:
          'The user is pending until the invitation is accepted (the fake: POST /admin/users/{id}/accept-invitation, ' +
          'or `pending: false` in a seed) within 7 days; a pending user cannot be edited. Answers `true`.',
        body: inviteBody,
        response: { 200: z.literal(true), ...failures },
      },
    },
    async (request) => {
      repo(request).invite(request.body);
      return true as const;
    },
  );

  app.post(
    `${BASE}/:userid/update.json`,
    {
      config,
      schema: {
        tags,
        summary: 'Update User Attributes',
        params: useridParams,
        body: updateBody,
        response: { 200: responseOfUser, ...failures },
      },
    },
    async (request) => repo(request).update(request.params.userid, request.body),
  );

  app.post(
    `${BASE}/:userid/delete.json`,
    {
      config,
      schema: {
        tags,
        summary: 'Delete User',
        description: 'Refused (409) while the user owns LaunchPoint services, as on the admin plane.',
        params: useridParams,
        response: { 200: z.null().describe('Deleted; no body'), ...failures },
      },
    },
    async (request, reply) => {
      repo(request).delete(request.params.userid);
      return emptyOk(reply);
    },
  );

  app.post(
    `${BASE}/:userid/invite/delete.json`,
    {
      config,
      schema: {
        tags,
        summary: 'Delete Invited User',
        params: useridParams,
        response: { 200: z.null().describe('Deleted; no body'), ...failures },
      },
    },
    async (request, reply) => {
      repo(request).deleteInvitation(request.params.userid);
      return emptyOk(reply);
    },
  );

  app.get(
    `${BASE}/roles.json`,
    { config, schema: { tags, summary: 'Get Roles', response: { 200: z.array(responseOfRole), ...failures } } },
    async (request) => repo(request).roles(),
  );

  app.get(
    `${BASE}/workspaces.json`,
    {
      config,
      schema: { tags, summary: 'Get Workspaces', response: { 200: z.array(responseOfWorkspace), ...failures } },
    },
    async (request) => repo(request).workspaces(),
  );

  app.get(
    `${BASE}/:userid/roles.json`,
    {
      config,
      schema: {
        tags,
        summary: 'Get Roles and Workspaces by Id',
        params: useridParams,
        response: { 200: userRoleWorkspaces, ...failures },
      },
    },
    async (request) => repo(request).rolesOf(request.params.userid),
  );

  app.post(
    `${BASE}/:userid/roles/create.json`,
    {
      config,
      schema: {
        tags,
        summary: 'Add Roles',
        description: 'Takes a bare array of {accessRoleId, workspaceId} (the guide) or {"input": [...]} (the spec).',
        params: useridParams,
        body: rolesBody,
        response: { 200: userRoleWorkspaces, ...failures },
      },
    },
    async (request) => repo(request).addRoles(request.params.userid, grantsOf(request.body)),
  );

  app.post(
    `${BASE}/:userid/roles/delete.json`,
    {
      config,
      schema: {
        tags,
        summary: 'Delete Roles',
        description: 'Takes a bare array of {accessRoleId, workspaceId} (the guide) or {"input": [...]} (the spec).',
        params: useridParams,
        body: rolesBody,
        response: { 200: userRoleWorkspaces, ...failures },
      },
    },
    async (request) => repo(request).removeRoles(request.params.userid, grantsOf(request.body)),
  );
};

/** The User Management API: no table of its own; it reads and changes the core's users, roles and workspaces. */
export const userManagement = defineFamily({
  key: 'userManagement',
  tables: [],
  wireFormat: 'user-management',
  repository: ({ core, clock }) => new UserManagementRepository(core, clock),
  marketoRoutes: userManagementRoutes,
});
