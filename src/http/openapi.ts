import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { permissionName } from '../domain/permissions.js';
import { VERSION } from '../version.js';

export const OPENAPI_INFO = {
  title: 'fake-marketo',
  description:
    'A local, stateful, permission-faithful fake of the Adobe Marketo Engage REST API. ' +
    'Marketo plane: /identity, /rest, /bulk, /userservice (Marketo wire format). ' +
    'Admin plane: /admin (problem+json errors; Authorization: Bearer <ADMIN_TOKEN> when set).',
  version: VERSION,
};

/** "Authorize" in Swagger UI: a Marketo access token for the REST plane, the ADMIN_TOKEN for /admin. */
export const OPENAPI_SECURITY_SCHEMES = {
  marketoAccessToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'An access token from /identity/oauth/token',
  },
  adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN, when the instance sets one' },
} as const;

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];

/**
 * zod → OpenAPI, plus `x-marketo-permissions` on every Marketo-plane operation: the display names of
 * the permissions declared in its route config, as Adobe's specs list them under "Required Permissions".
 */
export function openapiTransform(input: TransformInput) {
  const transformed = jsonSchemaTransform(input);
  const permissions = input.route.config?.permissions;
  if (permissions !== undefined) {
    return {
      ...transformed,
      schema: {
        ...transformed.schema,
        security: [{ marketoAccessToken: [] }],
        'x-marketo-permissions': permissions.map(permissionName),
      },
    };
  }
  if (input.url.startsWith('/admin') || input.url.startsWith('/data/')) {
    return { ...transformed, schema: { ...transformed.schema, security: [{ adminToken: [] }] } };
  }
  return transformed;
}
