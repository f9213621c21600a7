import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deletedResponse, problemResponses } from '../../http/problem.js';
import { idParams } from '../../http/schemas.js';

const grantSchema = z.object({
  roleId: z.number().int().positive(),
  workspaceId: z.number().int().min(0).describe('0 = all workspaces (AllZones)'),
});

const userSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    apiOnly: z.boolean(),
    roles: z.array(grantSchema.meta({ id: 'RoleGrant' })),
    createdAt: z.string(),
    updatedAt: z.string(),
    userid: z.string().optional().describe('The login id (User Management API), where one was given; else the email'),
    expiresAt: z.string().optional().describe('When the login expires; absent: never'),
    invitation: z
      .object({
        status: z.enum(['pending', 'expired']),
        sentAt: z.string(),
        expiresAt: z.string().describe('7 days after it was sent'),
      })
      .optional()
      .describe('While the user has not accepted the invitation (a pending user cannot be edited)'),
  })
  .meta({ id: 'User' });

const personName = z.string().trim().max(255);

const userInput = z
  .strictObject({
    // Need not be a real mailbox, but must look like an address.
    email: z.email('must look like an email address').max(255),
    firstName: personName.optional(),
    lastName: personName.optional(),
    apiOnly: z.boolean(),
    roles: z.array(grantSchema).optional().describe('An API-only user needs at least one'),
  })
  .meta({
    example: {
      email: 'sync@example.com',
      firstName: 'Sync',
      lastName: 'Bot',
      apiOnly: true,
      roles: [{ roleId: 101, workspaceId: 1 }],
    },
  });

const tags = ['Admin: Users'];

const userList = z.object({ items: z.array(userSchema) });

const userPatch = userInput.partial();

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'List users',
        response: { 200: userList, 401: problemResponses[401] },
      },
    },
    async (request) => ({ items: request.ctx.repos.users.list() }),
  );

  app.post(
    '/users',
    {
      schema: {
        tags,
        summary: 'Create a user; roles are granted per workspace',
        body: userInput,
        response: { 201: userSchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.code(201).send(request.ctx.repos.users.create(request.body)),
  );

  app.get(
    '/users/:id',
    { schema: { tags, summary: 'Get a user', params: idParams, response: { 200: userSchema, ...problemResponses } } },
    async (request) => request.ctx.repos.users.get(request.params.id),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Change a user; roles replaces all role grants (refused while the user is pending)',
        params: idParams,
        body: userPatch,
        response: { 200: userSchema, ...problemResponses },
      },
    },
    async (request) => request.ctx.repos.users.update(request.params.id, request.body),
  );

  app.post(
    '/users/:id/accept-invitation',
    {
      schema: {
        tags,
        summary: 'Accept the invitation of a pending user, as the invited person would (a test hook)',
        description:
          'An invitation (User Management API, Invite User) leaves the user pending: it cannot be edited or own a ' +
          'service until accepted. 409 when there is no pending invitation or it expired (7 days after it was sent).',
        params: idParams,
        response: { 200: userSchema, ...problemResponses },
      },
    },
    async (request) => request.ctx.repos.users.acceptInvitation(request.params.id),
  );

  app.delete(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Delete a user (refused while the user owns services)',
        params: idParams,
        response: { 204: deletedResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      request.ctx.repos.users.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );
};
