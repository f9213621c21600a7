import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticateClient, identityResponse, type IdentityResponse } from '../domain/identity.js';
import type { Service, User } from '../domain/model.js';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';

const tokenParams = z.object({
  grant_type: z.string().optional().describe('Must be client_credentials').meta({ example: 'client_credentials' }),
  client_id: z.string().optional().describe("The LaunchPoint service's Client Id"),
  client_secret: z.string().optional().describe("The LaunchPoint service's Client Secret"),
});

export const identityResponseSchema = z
  .object({
    access_token: z.string().describe('Token for Authorization: Bearer; the same one until it expires'),
    token_type: z.literal('bearer'),
    expires_in: z.number().int().describe('Seconds the token has left (3599 when new)'),
    scope: z.string().describe("The owning API-only user's email"),
  })
  .meta({ id: 'IdentityResponse' });

export const oauthErrorSchema = z
  .object({ error: z.string(), error_description: z.string() })
  .meta({ id: 'OAuthError' });

const tokenBody = tokenParams.nullish();

const tokenResponses = { 200: identityResponseSchema, 400: oauthErrorSchema, 401: oauthErrorSchema };

const description =
  'Retrieve an access token (Marketo Identity). Parameters in the query string, or on POST also in an ' +
  'application/x-www-form-urlencoded body. Not counted against any API limit.';

/**
 * The identity answer for a service: its live token (or a new one), as the endpoint and "Get Token" give it. A new
 * token is answered only once the batch holding it is committed (group commit), so an answered token survives a
 * crash. A token its batch did not write (its service deleted meanwhile, a reset, a failed write) is not answered:
 * the call is judged again from the start, with `find` reading the service as it now stands.
 */
export async function tokenResponseFor(
  ctx: AppContext,
  find: () => { service: Service; owner?: User },
): Promise<IdentityResponse> {
  for (let attempt = 1; ; attempt++) {
    const { service, owner } = find();
    const now = ctx.clock.now();
    const token = ctx.access.liveToken(service.id, now) ?? ctx.access.rememberToken(ctx.repos.tokens.issue(service.id));
    const stored = ctx.repos.tokens.whenStored(token.token);
    if (stored === undefined || (await stored)) {
      return identityResponse(token, owner ?? ctx.repos.users.get(service.apiOnlyUserId), now);
    }
    // The unwritten token may be remembered as the service's live one.
    ctx.access.invalidate();
    if (attempt === MAX_ISSUE_ATTEMPTS) throw new Error(`the access token of service ${service.id} was not stored`);
  }
}

const MAX_ISSUE_ATTEMPTS = 3;

/** Marketo's identity endpoint: GET, or POST with the parameters in the query or a form body. */
export const identityRoutes: FastifyPluginAsyncZod = async (app) => {
  const issue = ({ ctx }: FastifyRequest, params: z.infer<typeof tokenParams>) =>
    tokenResponseFor(ctx, () => authenticateClient((clientId) => ctx.access.client(clientId), params));

  app.get(
    '/identity/oauth/token',
    {
      schema: {
        tags: ['Identity'],
        summary: 'Get an access token',
        description,
        querystring: tokenParams,
        response: tokenResponses,
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      return issue(request, request.query);
    },
  );

  app.post(
    '/identity/oauth/token',
    {
      schema: {
        tags: ['Identity'],
        summary: 'Get an access token',
        description,
        querystring: tokenParams,
        body: tokenBody,
        response: tokenResponses,
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      // Spring's @RequestParam reads query and form body alike; the query wins where both are given.
      return issue(request, { ...(request.body ?? {}), ...request.query });
    },
  );
};
