import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { InvalidInputError } from '../../domain/errors.js';
import { checkIfMatch, preconditionResponse, withEtag } from '../../http/etag.js';
import { deletedResponse, problemResponses } from '../../http/problem.js';
import { descriptionSchema, idParams, links, nameSchema, pageMeta, pageOf, pageQuery } from '../../http/schemas.js';
import { DEFAULT_WORKSPACE_ID } from '../../domain/model.js';

/** The Roles endpoint shape of Adobe's access-control API (the seed document). */
const roleSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    roleType: z.enum(['user-defined', 'system-defined']),
    permissionSets: z.array(z.string()).describe('Permission keys, see GET /admin/permissions'),
    sandboxes: z.array(z.string()),
    subjectAttributes: z.object({ labels: z.array(z.string()) }),
    createdBy: z.string(),
    createdAt: z.number().int().describe('Epoch milliseconds'),
    modifiedBy: z.string(),
    modifiedAt: z.number().int().describe('Epoch milliseconds'),
    etag: z.string(),
  })
  .meta({ id: 'Role' });

const subjectSchema = z
  .object({
    roleId: z.number().int(),
    subjectType: z.literal('user'),
    subjectId: z.number().int().describe('User id'),
    workspaceId: z.number().int().describe('Workspace of the grant; 0 = all workspaces'),
  })
  .meta({ id: 'RoleSubject' });

const roleTypeSchema = z.enum(['user-defined', 'system-defined']);

const createRoleBody = z
  .strictObject({
    name: nameSchema,
    description: descriptionSchema.optional(),
    roleType: roleTypeSchema.default('user-defined'),
    permissionSets: z.array(z.string()).optional(),
  })
  .meta({
    example: { name: 'Lead Sync', roleType: 'user-defined', permissionSets: ['read-write-lead', 'read-only-activity'] },
  });

const replaceRoleBody = z.strictObject({
  name: nameSchema,
  description: descriptionSchema.optional(),
  roleType: roleTypeSchema,
});

const patchOperation = z.object({
  op: z.enum(['add', 'replace', 'remove']),
  path: z.enum(['/name', '/description', '/permissionSets', '/subjects']),
  value: z.unknown().optional(),
});

const patchBody = z.strictObject({ operations: z.array(patchOperation).min(1) }).meta({
  example: {
    operations: [
      { op: 'add', path: '/permissionSets', value: ['read-only-activity'] },
      { op: 'add', path: '/subjects', value: [{ subjectId: 1, workspaceId: 2 }] },
      { op: 'replace', path: '/description', value: 'Syncs leads' },
    ],
  },
});

const permissionKeysValue = z.union([z.string().transform((key) => [key]), z.array(z.string())]);

const subjectsValue = z.array(
  z.object({
    subjectId: z.coerce.number().int().positive(),
    subjectType: z.literal('user').default('user'),
    workspaceId: z.coerce.number().int().min(0).optional(),
  }),
);

type PatchOperation = z.infer<typeof patchOperation>;

/** Parses an operation's value against what its path takes; errors name `operations[i].value…`. */
function parseValue<T extends z.ZodType>(schema: T, operation: PatchOperation, index: number): z.output<T> {
  const parsed = schema.safeParse(operation.value);
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(
    `Invalid value for ${operation.op} ${operation.path}`,
    parsed.error.issues.map((issue) => ({
      path: ['operations', index, 'value', ...issue.path].join('.').replace(/\.(\d+)/g, '[$1]'),
      message: issue.message,
    })),
  );
}

/** Applies PATCH operations atomically, as one revision: every one succeeds, or nothing changes. */
function applyOperations(ctx: AppContext, roleId: number, operations: PatchOperation[], request: FastifyRequest): void {
  ctx.transaction(() => {
    checkIfMatch(request, ctx.repos.roles.get(roleId).etag);
    operations.forEach((operation, index) => {
      switch (operation.path) {
        case '/name': {
          if (operation.op === 'remove') {
            throw new InvalidInputError('A role must have a name', [
              { path: `operations[${index}].op`, message: 'remove is not allowed on /name' },
            ]);
          }
          ctx.repos.roles.applyChanges(roleId, { name: parseValue(nameSchema, operation, index) });
          return;
        }
        case '/description': {
          const description = operation.op === 'remove' ? '' : parseValue(descriptionSchema, operation, index);
          ctx.repos.roles.applyChanges(roleId, { description });
          return;
        }
        case '/permissionSets': {
          const keys =
            operation.op === 'remove' && operation.value === undefined
              ? undefined
              : parseValue(permissionKeysValue, operation, index);
          const valuePath = `operations[${index}].value`;
          if (operation.op === 'add') ctx.repos.roles.applyChanges(roleId, { addPermissions: keys }, valuePath);
          else if (operation.op === 'replace')
            ctx.repos.roles.applyChanges(roleId, { replacePermissions: keys }, valuePath);
          else
            ctx.repos.roles.applyChanges(
              roleId,
              keys ? { removePermissions: keys } : { replacePermissions: [] },
              valuePath,
            );
          return;
        }
        case '/subjects': {
          const subjects =
            operation.op === 'remove' && operation.value === undefined
              ? undefined
              : parseValue(subjectsValue, operation, index);
          const path = `operations[${index}].value`;
          if (operation.op === 'remove') {
            ctx.repos.users.removeSubjects(roleId, subjects);
          } else {
            if (operation.op === 'replace') ctx.repos.users.removeSubjects(roleId, undefined);
            ctx.repos.users.addSubjects(
              roleId,
              (subjects ?? []).map((subject) => ({
                subjectId: subject.subjectId,
                workspaceId: subject.workspaceId ?? DEFAULT_WORKSPACE_ID,
              })),
              path,
            );
          }
          return;
        }
      }
    });
    ctx.repos.users.assertApiOnlyUsersKeepARole();
    ctx.repos.roles.revise(roleId);
  });
}

const tags = ['Admin: Roles'];

const IF_MATCH =
  'If-Match: the etag the change is based on, quoted or bare ("3" or 3), * for any; a stale one is 412 and ' +
  'changes nothing.';

const roleList = z.object({ roles: z.array(roleSchema), _page: pageMeta, _links: links });

const subjectList = z.object({ items: z.array(subjectSchema), _page: pageMeta, _links: links });

/**
 * Roles, mounted at /admin/roles and at Adobe's /data/foundation/access-control/administration/roles.
 */
export const roleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/roles',
    {
      schema: {
        tags,
        summary: 'List roles',
        querystring: pageQuery,
        response: {
          200: roleList,
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { roles: page, total } = request.ctx.repos.roles.list(request.query);
      return { roles: page, ...pageOf(request.url.split('?')[0]!, request.query, page.length, total) };
    },
  );

  app.post(
    '/roles',
    {
      schema: {
        tags,
        summary: 'Create a role',
        body: createRoleBody,
        response: { 201: roleSchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.code(201).send(request.ctx.repos.roles.create(request.body)),
  );

  app.get(
    '/roles/:id',
    {
      schema: {
        tags,
        summary: 'Get a role',
        description: 'The answer carries the role’s ETag, for If-Match on PUT, PATCH and DELETE.',
        params: idParams,
        response: { 200: roleSchema, ...problemResponses },
      },
    },
    async (request, reply) => withEtag(reply, request.ctx.repos.roles.get(request.params.id)),
  );

  app.put(
    '/roles/:id',
    {
      schema: {
        tags,
        summary: 'Replace name, description and roleType of a role',
        description: IF_MATCH,
        params: idParams,
        body: replaceRoleBody,
        response: { 200: roleSchema, ...problemResponses, ...preconditionResponse },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        request.ctx.transaction(() => {
          checkIfMatch(request, request.ctx.repos.roles.get(request.params.id).etag);
          return request.ctx.repos.roles.replace(request.params.id, request.body);
        }),
      ),
  );

  app.patch(
    '/roles/:id',
    {
      schema: {
        tags,
        summary: 'Patch a role: add, replace or remove /name, /description, /permissionSets, /subjects',
        description:
          '/permissionSets takes a key or a list of keys. /subjects takes [{subjectId, subjectType:"user", ' +
          'workspaceId}] (workspaceId defaults to 1; 0 = all workspaces). remove without a value clears the list. ' +
          'All operations are one revision (the etag moves once). ' +
          IF_MATCH,
        params: idParams,
        body: patchBody,
        response: { 200: roleSchema, ...problemResponses, ...preconditionResponse },
      },
    },
    async (request, reply) => {
      applyOperations(request.ctx, request.params.id, request.body.operations, request);
      return withEtag(reply, request.ctx.repos.roles.get(request.params.id));
    },
  );

  app.delete(
    '/roles/:id',
    {
      schema: {
        tags,
        summary: 'Delete a role (not system-defined, not while granted)',
        description: IF_MATCH,
        params: idParams,
        response: { 204: deletedResponse, ...problemResponses, ...preconditionResponse },
      },
    },
    async (request, reply) => {
      request.ctx.transaction(() => {
        checkIfMatch(request, request.ctx.repos.roles.get(request.params.id).etag);
        request.ctx.repos.roles.delete(request.params.id, request.ctx.repos.users.subjectsOf(request.params.id).length);
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/roles/:id/subjects',
    {
      schema: {
        tags,
        summary: 'List the users a role is granted to, per workspace',
        params: idParams,
        querystring: pageQuery,
        response: {
          200: subjectList,
          ...problemResponses,
        },
      },
    },
    async (request) => {
      request.ctx.repos.roles.get(request.params.id);
      const all = request.ctx.repos.users.subjectsOf(request.params.id);
      const { limit, start } = request.query;
      const items = all.slice(start, start + limit);
      return { items, ...pageOf(request.url.split('?')[0]!, request.query, items.length, all.length) };
    },
  );
};
