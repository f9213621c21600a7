import { parseArgs } from 'node:util';
import { z } from 'zod';

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
    RATE_LIMITS: z.enum(['off', 'marketo']).default('off'),
    JOURNAL_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(1000),
    // Besides JOURNAL_LIMIT entries: what the journal holds in all, in bytes (32 MiB).
    JOURNAL_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024 * 1024)
      .max(4 * 1024 * 1024 * 1024)
      .default(32 * 1024 * 1024),
    // Marketo stopped accepting ?access_token= on 2026-08-31 (marketo-reference.md §1.4).
    ACCESS_TOKEN_QUERY: z.enum(['reject', 'accept']).default('reject'),
    TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
    POD: z
      .string()
      .regex(/^[a-z0-9]{1,8}$/, 'must be 1-8 lowercase letters or digits')
      .default('ab'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((config, ctx) => {
    if (!isLoopbackHost(config.HOST) && config.ADMIN_TOKEN === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['ADMIN_TOKEN'],
        message: `is required when HOST is not a loopback address (HOST=${config.HOST}); anyone on the network could otherwise administer this instance`,
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
  'admin-token': 'ADMIN_TOKEN',
} as const;

export const CLI_USAGE = `Usage: fake-marketo [options]

Options (each overrides the environment variable in brackets):
  --host <address>        address to listen on [HOST] (default 127.0.0.1)
  --port <number>         port to listen on, 0 for any free port [PORT] (default 3000)
  --db <path>             SQLite database file [DATABASE_PATH] (default ./data/fake-marketo.sqlite)
  --memory                use a throwaway in-memory database (same as --db :memory:)
  --seed <file>           YAML or JSON seed file, loaded into an empty database [SEED_FILE]
  --admin-token <token>   require this bearer token on /admin [ADMIN_TOKEN]
  --help                  show this help
`;

export interface ParsedCommandLine {
  help: boolean;
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
      'admin-token': { type: 'string' },
      memory: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const overrides: Record<string, string> = {};
  for (const [flag, variable] of Object.entries(FLAG_TO_VARIABLE)) {
    const value = values[flag as keyof typeof FLAG_TO_VARIABLE];
    if (typeof value === 'string') overrides[variable] = value;
  }
  if (values.memory) overrides.DATABASE_PATH = ':memory:';
  return { help: values.help === true, overrides };
}

/** The one place that reads settings: environment first, command-line flags over it. */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: Record<string, string> = {}): Config {
  const source: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = overrides[key] ?? env[key];
    if (value !== undefined) source[key] = value;
  }
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`));
  }
  return parsed.data;
}

/** Defaults for in-process instances (tests, startFakeMarketo): in-memory, quiet. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...configSchema.parse({ DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent' }), ...overrides };
}
