import { z } from 'zod';
import { MAX_JSON_DEPTH, pathTooDeep } from './depth.js';
import { pathGlob } from './glob.js';
import { API_PERMISSION_KEYS, type PermissionKey } from './permissions.js';
import { compileBody, compileValue, MatcherError } from './matchers.js';
import { compileResponseTemplates, type StubInput, type StubResponse } from './stubs.js';
import { TemplateError } from './stub-template.js';

/**
 * A stub as a seed file and POST /admin/stubs give it (src/domain/stubs.ts says what each part does). Shared by the
 * seed document and the admin route, so both refuse the same things.
 */

const MARKETO_PATH = /^\/(rest|bulk|userservice)(\/|$)/;
// A header name (RFC 9110 token) and a value without line breaks; framing headers are Fastify's to set.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);

const permissionKey = z.enum(API_PERMISSION_KEYS as [PermissionKey, ...PermissionKey[]]);

const deepEnough = (value: unknown) => pathTooDeep(value, MAX_JSON_DEPTH - 4) === undefined;

/** A matcher of one text value (a header, a query parameter), as WireMock spells them. */
const valueMatcher = z.union(
  [
    z.strictObject({ equalTo: z.string(), caseInsensitive: z.boolean().optional() }),
    z.strictObject({ contains: z.string() }),
    z.strictObject({ matches: z.string().describe('RE2 syntax, the whole value') }),
    z.strictObject({ doesNotMatch: z.string() }),
    z.strictObject({ absent: z.literal(true) }),
  ],
  { error: 'a text, or one of {equalTo}, {contains}, {matches}, {doesNotMatch}, {absent: true}' },
);

const valuePattern = z.union([z.string(), valueMatcher], {
  error: 'a text, or one of {equalTo}, {contains}, {matches}, {doesNotMatch}, {absent: true}',
});

const jsonEquality = {
  equalToJson: z.unknown().refine((value) => value !== undefined, 'a JSON value, or a text holding one'),
  ignoreArrayOrder: z.boolean().optional(),
  ignoreExtraElements: z.boolean().optional(),
};

const jsonPathMatcher = z.union([
  z.string(),
  z.strictObject({ expression: z.string() }),
  z.strictObject({ expression: z.string(), equalTo: z.string(), caseInsensitive: z.boolean().optional() }),
  z.strictObject({ expression: z.string(), contains: z.string() }),
  z.strictObject({ expression: z.string(), matches: z.string() }),
  z.strictObject({ expression: z.string(), doesNotMatch: z.string() }),
  z.strictObject({ expression: z.string(), ...jsonEquality }),
]);

const BODY_PATTERNS =
  'one of {equalTo}, {contains}, {matches}, {doesNotMatch}, {equalToJson, ignoreArrayOrder?, ' +
  'ignoreExtraElements?}, {matchesJsonPath}';

const bodyPattern = z.union(
  [
    z.strictObject({ equalTo: z.string(), caseInsensitive: z.boolean().optional() }),
    z.strictObject({ contains: z.string() }),
    z.strictObject({ matches: z.string() }),
    z.strictObject({ doesNotMatch: z.string() }),
    z.strictObject(jsonEquality),
    z.strictObject({ matchesJsonPath: jsonPathMatcher }),
  ],
  { error: BODY_PATTERNS },
);

/** A matcher's own problem (a regular expression RE2 refuses, a JSONPath outside the subset), as an issue. */
function matcherIssue(compile: () => unknown): string | undefined {
  try {
    compile();
    return undefined;
  } catch (error) {
    // Anything else is a matcher of no known shape, which the schema's own issue names (zod runs refinements on
    // what failed to parse too).
    return error instanceof MatcherError ? error.message : undefined;
  }
}

/** The most headers, or query parameters, one pattern names (as bodyPatterns): each may be a regular expression. */
export const NAMED_VALUES_MAX = 32;

const valuePatterns = z
  .record(z.string().min(1).max(256), valuePattern)
  // Counted before any is compiled.
  .refine((patterns) => Object.keys(patterns).length <= NAMED_VALUES_MAX, {
    message: `at most ${NAMED_VALUES_MAX} names`,
    abort: true,
  })
  .superRefine((patterns, issues) => {
    for (const [name, pattern] of Object.entries(patterns)) {
      const problem = matcherIssue(() => compileValue(pattern));
      if (problem) issues.addIssue({ code: 'custom', path: [name], message: problem });
    }
  });

const stubResponseSchema = z
  .strictObject({
    status: z.number().int().min(200).max(599).optional().describe('HTTP status (default 200)'),
    headers: z
      .record(
        z
          .string()
          .regex(HEADER_NAME, 'a header name')
          .refine((name) => !FRAMING_HEADERS.has(name.toLowerCase()), 'set by the server'),
        // What Node sends in a header (else every matching call would answer 500, ERR_INVALID_CHAR): Latin-1 text,
        // tab allowed, no other control character (line breaks included).
        z.string().max(4096).regex(HEADER_VALUE, 'Latin-1 characters only, and no control characters but tab'),
      )
      .optional(),
    body: z.unknown().optional().describe('A JSON body'),
    text: z.string().optional().describe('A text body (e.g. a CSV file); content-type text/plain unless given'),
    template: z
      .boolean()
      .optional()
      .describe('Header values, the text and the body’s texts are Handlebars templates of the request (README)'),
  })
  .refine((response) => response.body === undefined || response.text === undefined, {
    message: 'give body or text, not both',
  })
  .refine((response) => deepEnough(response.body), { message: `nested deeper than ${MAX_JSON_DEPTH} levels` })
  .superRefine((response, issues) => {
    try {
      compileResponseTemplates(response as StubResponse);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      issues.addIssue({ code: 'custom', path: ['template'], message: `a template: ${error.message}` });
    }
  });

/** The matchers a stub and a verification share (query, headers, the body's subset and its patterns). */
export const requestMatchers = {
  query: valuePatterns.optional().describe('Parameters: a text the value equals, or a matcher'),
  headers: valuePatterns.optional().describe('Headers (any case): a text the value equals, or a matcher'),
  clientId: z.string().min(1).optional(),
  body: z
    .unknown()
    .optional()
    .refine(deepEnough, { message: `nested deeper than ${MAX_JSON_DEPTH} levels` })
    .describe('A JSON subset the body must contain'),
  bodyPatterns: z
    .array(bodyPattern)
    .max(32)
    .optional()
    .superRefine((patterns, issues) => {
      patterns?.forEach((pattern, i) => {
        const problem = matcherIssue(() => compileBody(pattern));
        if (problem) issues.addIssue({ code: 'custom', path: [i], message: problem });
      });
    })
    .describe(`Body matchers, all of which must hold: ${BODY_PATTERNS}`),
};

export const stubInputSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, '1-64 letters, digits or . _ -')
      .optional()
      .describe('Default: stub-N'),
    match: z.strictObject({
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
      path: pathGlob
        .regex(MARKETO_PATH, 'a Marketo path: /rest/…, /bulk/… or /userservice/…')
        .describe('Glob: * within a segment, ** across segments, e.g. /rest/v1/lists/*/leads.json'),
      ...requestMatchers,
    }),
    respond: stubResponseSchema.optional(),
    responses: z.array(stubResponseSchema).min(1).max(1000).optional().describe('Answers given in turn'),
    whenDone: z
      .enum(['repeat-last', 'fall-through'])
      .optional()
      .describe('After the last of responses: answer it again (default), or as if the stub were not there'),
    permissions: z
      .array(permissionKey)
      .min(1)
      .optional()
      .describe('Any one of these, in any workspace, or 603 (as a real route declares them)'),
    authenticate: z.boolean().optional().describe('false: no access token needed (default true)'),
    priority: z.number().int().min(1).max(1000).optional().describe('1 is the highest; default 5'),
    times: z.number().int().min(1).max(1_000_000).optional().describe('Answer this many calls, then fall through'),
    scenarioName: z.string().min(1).max(200).optional(),
    requiredScenarioState: z.string().min(1).max(200).optional().describe('Only while the scenario is in it'),
    newScenarioState: z.string().min(1).max(200).optional().describe('The scenario’s state once this answered'),
  })
  .superRefine((stub, issues) => {
    if ((stub.respond === undefined) === (stub.responses === undefined)) {
      issues.addIssue({ code: 'custom', path: ['respond'], message: 'give respond or responses (exactly one)' });
    }
    if (stub.whenDone !== undefined && stub.responses === undefined) {
      issues.addIssue({ code: 'custom', path: ['whenDone'], message: 'only with responses' });
    }
    if (
      stub.scenarioName === undefined &&
      (stub.requiredScenarioState !== undefined || stub.newScenarioState !== undefined)
    ) {
      issues.addIssue({ code: 'custom', path: ['scenarioName'], message: 'a scenario state needs a scenarioName' });
    }
    if (stub.authenticate === false && stub.permissions !== undefined) {
      issues.addIssue({
        code: 'custom',
        path: ['permissions'],
        message: 'a stub that needs no access token cannot check permissions',
      });
    }
  })
  .meta({
    example: {
      match: { method: 'GET', path: '/rest/v1/lists.json' },
      respond: { body: { requestId: 'a1#1', success: true, result: [{ id: 1, name: 'Webinar' }] } },
      permissions: ['read-only-lead'],
    },
  }) as unknown as z.ZodType<StubInput, StubInput>;
