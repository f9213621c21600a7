import { parseArgs } from 'node:util';
import { plainMessage, valueAt } from './domain/validation-wording.js';
import { z } from 'zod';
import { isPermissionKey, type PermissionKey } from './domain/permissions.js';
import { clientCredential } from './domain/seed.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
}

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

export const configSchema = z
  .object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_PATH: z.string().min(1).default('./data/fake-marketo.sqlite'),
    ADMIN_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(8, 'must be at least 8 characters').optional()),
    SEED_FILE: z.preprocess(emptyAsUndefined, z.string().optional()),
    // Stub files (*.json, *.yaml) loaded at start and on every reset; POST /admin/stubs/save writes there (issue 33).
    STUBS_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
    RATE_LIMITS: z.enum(['off', 'marketo']).default('off'),
    JOURNAL_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(1000),
    // Besides JOURNAL_LIMIT entries: what the journal holds in all, in bytes (32 MiB).
    JOURNAL_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024 * 1024)
      .max(4 * 1024 * 1024 * 1024)
      .default(32 * 1024 * 1024),
    // The least-privilege ledger (issue 31): what it holds in all, in bytes (8 MiB), the oldest entries dropped first.
    LEAST_PRIVILEGE_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(64 * 1024)
      .max(1024 * 1024 * 1024)
      .default(8 * 1024 * 1024),
    // "fail": stopping the server or fake.close() reports every integration holding permissions it never used.
    LEAST_PRIVILEGE_CHECK: z.enum(['off', 'fail']).default('off'),
    // Marketo stopped accepting ?access_token= on 2026-08-31 (marketo-reference.md §1.4).
    ACCESS_TOKEN_QUERY: z.enum(['reject', 'accept']).default('reject'),
    TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
    // The root subscription's Munchkin id: it answers at `/` and at `/<MUNCHKIN_ID>/` (src/subscriptions.ts).
    MUNCHKIN_ID: z
      .string()
      .regex(/^[0-9]{3}-[A-Z]{3}-[0-9]{3}$/, 'must look like 123-ABC-456')
      .default('000-AAA-000'),
    POD: z
      .string()
      .regex(/^[a-z0-9]{1,8}$/, 'must be 1-8 lowercase letters or digits')
      .default('ab'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // Bulk extract (src/families/bulk-extract): how long an enqueued job stays Queued (when a slot is free) and
    // Processing, on the fake's clock. 0: the next call sees the next state, so a client's polling loop ends at once.
    BULK_EXTRACT_QUEUED_SECONDS: z.coerce.number().int().min(0).max(86_400).default(0),
    BULK_EXTRACT_PROCESSING_SECONDS: z.coerce.number().int().min(0).max(86_400).default(0),
    // "Default Daily Export Allocation: 500MB" (bulk-extract.md), shared by every entity; 1 MB = 1,000,000 bytes.
    BULK_EXTRACT_DAILY_QUOTA_MB: z.coerce.number().int().min(1).max(1_000_000).default(500),
    // "Bulk Extract endpoints are not aware of Marketo workspaces" (bulk-extract.md): every partition's records by
    // default; "partitions" applies the caller's partition visibility, as Get Leads does.
    BULK_EXTRACT_SCOPE: z.enum(['all', 'partitions']).default('all'),
    // The updatedAt lead filter "is unavailable for some subscription types" → 1035 (bulk-lead-extract.md).
    BULK_EXTRACT_UPDATED_AT_FILTER: z.enum(['supported', 'unsupported']).default('supported'),
    // Every Marketo-plane answer checked against its route's response schema (src/http/response-checks.ts): the test
    // suite runs with "fail"; off by default, since it costs a parse of every answer.
    RESPONSE_CHECKS: z.enum(['off', 'fail']).default('off'),
    // The demo service a CLI start provisions into an empty database: fixed credentials (and permissions) for CI,
    // so test code can be configured before the server (or container) starts. Ignored, with a warning, otherwise.
    DEMO_CLIENT_ID: z.preprocess(emptyAsUndefined, clientCredential.optional()),
    DEMO_CLIENT_SECRET: z.preprocess(emptyAsUndefined, clientCredential.optional()),
    // A comma-separated list in the environment; already a list when a parsed config is checked again.
    DEMO_PERMISSIONS: z.preprocess(
      (value) =>
        typeof value === 'string'
          ? value === ''
            ? undefined
            : value
                .split(',')
                .map((key) => key.trim())
                .filter((key) => key !== '')
          : value,
      z
        .array(
          z
            .string()
            .refine(isPermissionKey, { error: (issue) => `unknown permission "${String(issue.input)}"` })
            .transform((key) => key as PermissionKey),
        )
        .min(1, 'name at least one permission key')
        .optional(),
    ),
  })
  .superRefine((config, ctx) => {
    if (!isLoopbackHost(config.HOST) && config.ADMIN_TOKEN === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['ADMIN_TOKEN'],
        message:
          `is required when HOST is not a loopback address (HOST=${config.HOST}); anyone on the network could ` +
          'otherwise administer this instance. Set one of 8 or more characters, e.g. in a container: ' +
          'docker run -p 3000:3000 -e ADMIN_TOKEN=<a-secret-of-your-own> fake-marketo',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const FLAG_TO_VARIABLE = {
  host: 'HOST',
  port: 'PORT',
  db: 'DATABASE_PATH',
  seed: 'SEED_FILE',
  stubs: 'STUBS_DIR',
  'admin-token': 'ADMIN_TOKEN',
} as const;

/** What --help says of each setting; typed by the schema, so a new setting cannot be left out. */
const SETTING_HELP: Record<keyof Config, { flag?: string; help: string }> = {
  HOST: { flag: '--host <address>', help: 'address to listen on; any but a loopback one needs ADMIN_TOKEN' },
  PORT: { flag: '--port <number>', help: 'port to listen on, 0 for any free port' },
  DATABASE_PATH: { flag: '--db <path>', help: 'SQLite database file, :memory: for a throwaway one' },
  SEED_FILE: { flag: '--seed <file>', help: 'YAML or JSON seed file, loaded into an empty database' },
  STUBS_DIR: {
    flag: '--stubs <dir>',
    help: 'directory of stub files (*.json, *.yaml), loaded at start and on reset; POST /admin/stubs/save writes there',
  },
  ADMIN_TOKEN: { flag: '--admin-token <token>', help: 'require "Authorization: Bearer <token>" on /admin' },
  RATE_LIMITS: { help: "off, or marketo: Marketo's rate limit (606), concurrency (615) and daily quota (607)" },
  JOURNAL_LIMIT: { help: 'how many requests GET /admin/requests keeps' },
  JOURNAL_MAX_BYTES: { help: 'how many bytes the journal keeps at most, oldest entries dropped first' },
  LEAST_PRIVILEGE_MAX_BYTES: {
    help: 'how many bytes the least-privilege ledger keeps at most, oldest entries dropped first',
  },
  LEAST_PRIVILEGE_CHECK: {
    help: 'off, or fail: stopping reports (and fails on) integrations holding permissions they never used',
  },
  ACCESS_TOKEN_QUERY: { help: 'the legacy ?access_token= on REST calls: reject or accept' },
  TOKEN_TTL_SECONDS: { help: 'access token lifetime in seconds' },
  MUNCHKIN_ID: {
    help: "the root subscription's Munchkin id (it also answers at /); others: POST /admin/subscriptions",
  },
  POD: { help: 'pod suffix of access tokens (<uuid>:<pod>)' },
  LOG_LEVEL: { help: 'fatal, error, warn, info, debug, trace or silent' },
  BULK_EXTRACT_QUEUED_SECONDS: { help: 'seconds a bulk extract job stays Queued before it processes (fake clock)' },
  BULK_EXTRACT_PROCESSING_SECONDS: { help: 'seconds a bulk extract job stays Processing (fake clock)' },
  BULK_EXTRACT_DAILY_QUOTA_MB: { help: 'bulk extract bytes a day (1 MB = 10^6 bytes), then 1029' },
  BULK_EXTRACT_SCOPE: { help: "all (every partition, as Marketo), or partitions: the caller's partitions only" },
  BULK_EXTRACT_UPDATED_AT_FILTER: { help: 'supported, or unsupported: the updatedAt lead filter answers 1035' },
  RESPONSE_CHECKS: { help: "off, or fail: a Marketo answer that does not match its route's schema becomes HTTP 500" },
  DEMO_CLIENT_ID: { help: "the demo service's client id (empty database, no seed); generated when unset" },
  DEMO_CLIENT_SECRET: { help: "the demo service's client secret (empty database, no seed); generated when unset" },
  DEMO_PERMISSIONS: { help: "the demo role's permission keys, comma-separated (GET /admin/permissions)" },
};

function usage(): string {
  const defaults: Record<string, unknown> = configSchema.parse({});
  const shown = (key: keyof Config) => `default ${defaults[key] ?? 'unset'}`;
  const keys = Object.keys(SETTING_HELP) as (keyof Config)[];
  // The widest left column (a flag, or a variable without one) and two spaces.
  const width = Math.max(24, ...keys.map((key) => (SETTING_HELP[key].flag ?? key).length + 2));
  const row = (left: string, text: string) => `  ${left.padEnd(width)}${text}`;
  return [
    'Usage: fake-marketo [options]',
    '',
    'Options (each overrides the environment variable in brackets):',
    ...keys.flatMap((key) => {
      const { flag, help } = SETTING_HELP[key];
      return flag ? [row(flag, `${help} [${key}, ${shown(key)}]`)] : [];
    }),
    row('--memory', 'a throwaway in-memory database (same as --db :memory:)'),
    row('-h, --help', 'show this help'),
    row('-v, --version', 'print the version and exit'),
    '',
    'Environment variables without a flag:',
    ...keys.flatMap((key) => {
      const { flag, help } = SETTING_HELP[key];
      return flag ? [] : [row(key, `${help} [${shown(key)}]`)];
    }),
    '',
    "Every setting is in the package's .env.example, with its default. A .env file in the working directory is",
    'read too; variables already exported win over it. Logs are JSON lines, pretty-printed when stdout is a terminal.',
    '',
  ].join('\n');
}

export const CLI_USAGE = usage();

export interface ParsedCommandLine {
  help: boolean;
  version: boolean;
  overrides: Record<string, string>;
}

export function parseCommandLine(argv: string[]): ParsedCommandLine {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      db: { type: 'string' },
      seed: { type: 'string' },
      stubs: { type: 'string' },
      'admin-token': { type: 'string' },
      memory: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
    strict: true,
  });
  const overrides: Record<string, string> = {};
  for (const [flag, variable] of Object.entries(FLAG_TO_VARIABLE)) {
    const value = values[flag as keyof typeof FLAG_TO_VARIABLE];
    if (typeof value === 'string') overrides[variable] = value;
  }
  if (values.memory) overrides.DATABASE_PATH = ':memory:';
  return { help: values.help === true, version: values.version === true, overrides };
}

/** The one place that reads settings: environment first, command-line flags over it. */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: Record<string, string> = {}): Config {
  const source: Record<string, unknown> = {};
  for (const key of SETTINGS) {
    const value = overrides[key] ?? env[key];
    if (value !== undefined) source[key] = value;
  }
  return checkConfig(source);
}

/** Every setting's name, in the order of the schema. */
export const SETTINGS = Object.keys(configSchema.shape) as (keyof Config)[];
const SETTING_NAMES: ReadonlySet<string> = new Set(SETTINGS);

/**
 * Checks settings given in code (buildApp, startFakeMarketo) with the schema and messages of the command line: a bad
 * value throws the ConfigError the CLI prints, and so does a name that is not a setting (a typo would otherwise be
 * ignored). `labels` names an issue after the option it came from (`port` rather than `PORT`).
 */
export function checkConfig(source: Record<string, unknown>, labels: Record<string, string> = {}): Config {
  const present: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(source)) {
    if (!SETTING_NAMES.has(key)) unknown.push(`${key}: is not a setting (the settings are ${SETTINGS.join(', ')})`);
    else if (value !== undefined) present[key] = value;
  }
  const parsed = configSchema.safeParse(present);
  const issues = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const path = issue.path.join('.');
        return `${labels[path] ?? (path || 'config')}: ${plainMessage(issue.message, valueAt(present, issue.path))}`;
      });
  if (unknown.length > 0 || !parsed.success) throw new ConfigError([...unknown, ...issues]);
  return parsed.data;
}

/**
 * Whether npm started this process (`npm start`, `npx fake-marketo`): npm sets npm_command for what it runs. npm does
 * not pass SIGTERM on to it, so the CLI follows npm's lifetime instead (src/main.ts).
 */
export function startedByNpm(env: NodeJS.ProcessEnv): boolean {
  return typeof env.npm_command === 'string' && env.npm_command !== '';
}

/**
 * What an in-process instance (buildApp, startFakeMarketo) starts from: in memory, quiet, and RESPONSE_CHECKS as the
 * environment sets it (the test suite sets it to "fail" in vitest.config.ts; a test runner may too).
 */
export function inProcessDefaults(): Record<string, unknown> {
  const checks = process.env.RESPONSE_CHECKS;
  return { DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent', ...(checks ? { RESPONSE_CHECKS: checks } : {}) };
}

/** Defaults for in-process instances (tests, buildApp without config): in-memory, quiet; `overrides` are checked. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const source: Record<string, unknown> = inProcessDefaults();
  // A setting given as undefined is not given: it keeps these defaults.
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) source[key] = value;
  return checkConfig(source);
}
