import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { permissionName } from '../domain/permissions.js';
import { VERSION } from '../version.js';

/** Where the description names the served Marketo APIs: filled in from the document's own paths and tags. */
const SERVED_APIS = '{{served APIs}}';
const ADMIN_RESOURCES = '{{admin resources}}';

export const OPENAPI_INFO = {
  title: 'fake-marketo',
  description: [
    'A local, stateful, permission-faithful fake of the Adobe Marketo Engage REST API.',
    '',
    "- **Marketo plane**, in Marketo's wire format: `/identity/oauth/token` (tokens), then " +
      `${SERVED_APIS}. Get a token, then "Authorize" with it.`,
    `- **Admin plane**, JSON with \`application/problem+json\` errors: \`/admin\` (${ADMIN_RESOURCES}), ` +
      "and Adobe's roles API at `/data/foundation/access-control/administration/roles`. " +
      'With `ADMIN_TOKEN` set, "Authorize" with it.',
    '- `/health`: readiness, for wait loops and container health checks.',
  ].join('\n'),
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
 * the permissions declared in its route config, as Adobe's specs list them under "Required Permissions". Any one of
 * them suffices, unless the route says `requireAll`: then `x-marketo-permissions-all: true` says all are needed.
 * `x-marketo-ui-permissions`: the Design Studio permissions Adobe also names (asset v2), documented, not checked.
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
        ...(input.route.config?.requireAll === true ? { 'x-marketo-permissions-all': true } : {}),
        ...(input.route.config?.uiPermissions ? { 'x-marketo-ui-permissions': input.route.config.uiPermissions } : {}),
        ...(input.route.config?.permissionsWhen
          ? {
              'x-marketo-permissions-when': {
                parameter: input.route.config.permissionsWhen.parameter,
                permissions: input.route.config.permissionsWhen.permissions.map(permissionName),
              },
            }
          : {}),
      },
    };
  }
  if (input.url.startsWith('/admin') || input.url.startsWith('/data/')) {
    return { ...transformed, schema: { ...transformed.schema, security: [{ adminToken: [] }] } };
  }
  return transformed;
}

type Json = Record<string, unknown>;
interface Operation {
  tags?: string[];
  responses?: Record<string, Json & { description?: string; content?: Record<string, { schema?: unknown }> }>;
}
type Document = Json & {
  paths: Record<string, Record<string, Operation>>;
  components: Json & { schemas?: Record<string, unknown> };
};

const SCHEMAS = '#/components/schemas/';

const MARKETO_ENVELOPE = [
  "Marketo's envelope. On success `success` is true and `result` holds the records. A failure is HTTP 200 all the",
  'same, with `success:false` and one error in `errors`: 601/602 access token invalid/expired, 603 access denied,',
  '606/607/615 rate limit, daily quota, concurrency (with `RATE_LIMITS=marketo`), 609 invalid JSON, 612 invalid',
  'content type. For example:',
  '',
  '```json',
  '{"requestId":"e42b#14272d07d78","success":false,"errors":[{"code":"603","message":"Access denied"}]}',
  '```',
].join('\n');

const ADMIN_RESPONSES: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '204': 'Done; no body',
  '400': 'Invalid request: the failing fields are in `errors`',
  '401': 'The admin token is missing or wrong (`Authorization: Bearer <ADMIN_TOKEN>`)',
  '404': 'No such record',
  '409': 'Conflict: a duplicate name or email, a system-defined role, a user who owns a service, …',
  '412': 'Precondition failed: the `If-Match` etag is not the current one (read the resource again)',
};

const IDENTITY_RESPONSES: Record<string, string> = {
  '200': 'An access token (the same one, with less time left, until it expires)',
  '400': '`invalid_request` (a parameter missing or repeated) or `unsupported_grant_type`',
  '401': '`invalid_client` (wrong secret) or `unauthorized` (no client with that id)',
};

/** The User Management API: no envelope, an HTTP status and `{errors:[{code, message}]}` (wire-formats.ts). */
const USER_MANAGEMENT_RESPONSES: Record<string, string> = {
  '200': 'OK: the record itself, no envelope',
  '400': 'Bad input: 701 a value missing, 609 invalid JSON, 1003 an invalid value; nothing changed',
  '401': '601 access token invalid (or sent in the query string: header only), 602 expired',
  '403': '603 access denied: the caller needs Access User Management Api and Access Users',
  '404': '610 no such user (or not in the state the operation acts on: accepted, or pending)',
  '409': '709 the change conflicts: a taken email or userid, a user who owns LaunchPoint services',
};

function responseDescription(path: string, status: string): string | undefined {
  // The bulk paths answer in the same envelope (a bulk import's files are described by their routes).
  if (path.startsWith('/rest/') || path.startsWith('/bulk/')) return status === '200' ? MARKETO_ENVELOPE : undefined;
  if (path.startsWith('/userservice/')) return USER_MANAGEMENT_RESPONSES[status];
  if (path.startsWith('/identity/')) return IDENTITY_RESPONSES[status];
  return ADMIN_RESPONSES[status];
}

/** Every `$ref` target under `value`. */
function refsIn(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string' && item.startsWith(SCHEMAS)) found.add(item.slice(SCHEMAS.length));
      else refsIn(item, found);
    }
  }
  return found;
}

function renameRefs(value: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => renameRefs(item, renames));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        if (key === '$ref' && typeof item === 'string' && item.startsWith(SCHEMAS)) {
          return [key, SCHEMAS + (renames.get(item.slice(SCHEMAS.length)) ?? item.slice(SCHEMAS.length))];
        }
        return [key, renameRefs(item, renames)];
      }),
    );
  }
  return value;
}

/**
 * The generated document as a reader should see it. fastify-type-provider-zod writes each named schema twice, as
 * read (`Problem`) and as written (`ProblemInput`): one is kept where both have the same shape, and schemas no
 * operation uses are dropped. Responses say what they mean instead of "Default Response", and admin errors carry
 * the content type they are sent with.
 */
export function tidyOpenapi(document: Document): Document {
  const schemas = { ...(document.components.schemas ?? {}) };
  // `XInput` becomes `X` wherever the two have the same shape (once their own references are renamed alike).
  const renames = new Map<string, string>();
  for (const name of Object.keys(schemas)) {
    const base = name.endsWith('Input') ? name.slice(0, -'Input'.length) : undefined;
    if (base !== undefined && base in schemas) renames.set(name, base);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, base] of renames) {
      const same =
        JSON.stringify(renameRefs(schemas[name], renames)) === JSON.stringify(renameRefs(schemas[base], renames));
      if (!same) {
        renames.delete(name);
        changed = true;
      }
    }
  }
  let paths = renameRefs(document.paths, renames) as Document['paths'];
  for (const name of renames.keys()) delete schemas[name];
  const renamed = renameRefs(schemas, renames) as Record<string, unknown>;

  // Only what the operations use, directly or through other schemas.
  const used = refsIn(paths);
  for (const pending = [...used]; pending.length > 0;) {
    for (const ref of refsIn(renamed[pending.pop()!])) {
      if (!used.has(ref)) {
        used.add(ref);
        pending.push(ref);
      }
    }
  }
  const kept = Object.fromEntries(Object.entries(renamed).filter(([name]) => used.has(name)));

  paths = Object.fromEntries(
    Object.entries(paths).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, operation]) => {
          const responses = Object.fromEntries(
            Object.entries(operation.responses ?? {}).map(([status, response]) => {
              const description = responseDescription(path, status) ?? response.description;
              let content = response.content;
              const json = content?.['application/json'];
              if (json && Number(status) >= 400 && refsIn(json).has('Problem')) {
                content = { 'application/problem+json': json };
              }
              return [status, { ...response, description, ...(content ? { content } : {}) }];
            }),
          );
          return [method, { ...operation, responses }];
        }),
      ),
    ]),
  );
  const info = document.info as { description?: string } | undefined;
  const described = info?.description
    ?.replace(SERVED_APIS, servedApis(paths))
    .replace(ADMIN_RESOURCES, adminResources(paths));
  return {
    ...document,
    ...(info ? { info: { ...info, description: described } } : {}),
    paths,
    components: { ...document.components, schemas: kept },
  };
}

/** The admin plane's resources (its operations' tags), in the order they come. */
function adminResources(paths: Document['paths']): string {
  const resources = new Set<string>();
  for (const [path, operations] of Object.entries(paths)) {
    if (!path.startsWith('/admin/')) continue;
    for (const operation of Object.values(operations)) {
      for (const tag of operation.tags ?? []) resources.add(tag.replace(/^Admin: /, ''));
    }
  }
  return [...resources].join(', ');
}

/** The Marketo APIs the document serves, each with its resources (its operations' tags), in the order they come. */
function servedApis(paths: Document['paths']): string {
  const apis = new Map<string, Set<string>>();
  for (const [path, operations] of Object.entries(paths)) {
    const api = /^\/(rest\/asset\/v\d|rest\/v\d|bulk\/v\d|userservice\/management\/v\d)\//.exec(path)?.[1];
    if (!api) continue;
    const resources = apis.get(api) ?? new Set<string>();
    apis.set(api, resources);
    for (const operation of Object.values(operations)) {
      for (const tag of operation.tags ?? []) resources.add(tag.replace(/^Marketo: /, ''));
    }
  }
  return [...apis].map(([api, resources]) => `\`/${api}\` (${[...resources].join(', ')})`).join(', ');
}

/** The transformObject of @fastify/swagger: zod's named schemas as components, then tidied (tidyOpenapi). */
export function openapiTransformObject(input: Parameters<typeof jsonSchemaTransformObject>[0]) {
  return tidyOpenapi(jsonSchemaTransformObject(input) as Document) as ReturnType<typeof jsonSchemaTransformObject>;
}
