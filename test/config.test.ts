import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CLI_USAGE,
  ConfigError,
  configSchema,
  isLoopbackHost,
  loadConfig,
  parseCommandLine,
  SETTINGS,
  testConfig,
} from '../src/config.js';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults: loopback, port 3000, a file database, no admin token, 3600 s tokens, pod "ab", query tokens rejected', () => {
    expect(loadConfig({})).toEqual({
      HOST: '127.0.0.1',
      PORT: 3000,
      DATABASE_PATH: './data/fake-marketo.sqlite',
      ADMIN_TOKEN: undefined,
      SEED_FILE: undefined,
      RATE_LIMITS: 'off',
      JOURNAL_LIMIT: 1000,
      JOURNAL_MAX_BYTES: 33554432,
      LEAST_PRIVILEGE_MAX_BYTES: 8388608,
      LEAST_PRIVILEGE_CHECK: 'off',
      ACCESS_TOKEN_QUERY: 'reject',
      TOKEN_TTL_SECONDS: 3600,
      MUNCHKIN_ID: '000-AAA-000',
      POD: 'ab',
      LOG_LEVEL: 'info',
      BULK_EXTRACT_QUEUED_SECONDS: 0,
      BULK_EXTRACT_PROCESSING_SECONDS: 0,
      BULK_EXTRACT_DAILY_QUOTA_MB: 500,
      BULK_EXTRACT_SCOPE: 'all',
      BULK_EXTRACT_UPDATED_AT_FILTER: 'supported',
      RESPONSE_CHECKS: 'off',
    });
  });

  it('reads the environment, and command-line overrides win over it', () => {
    const config = loadConfig(
      { PORT: '4000', DATABASE_PATH: '/tmp/a.sqlite', TOKEN_TTL_SECONDS: '60', LOG_LEVEL: 'warn' },
      { PORT: '0', DATABASE_PATH: ':memory:' },
    );
    expect(config).toMatchObject({ PORT: 0, DATABASE_PATH: ':memory:', TOKEN_TTL_SECONDS: 60, LOG_LEVEL: 'warn' });
  });

  it('ignores environment variables it does not know', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root' })).toEqual(loadConfig({}));
  });

  it.each(['0.0.0.0', '::', '192.168.1.20', 'example.com'])(
    'refuses to bind to the non-loopback %s without ADMIN_TOKEN, with an error naming ADMIN_TOKEN',
    (host) => {
      const error = configError(() => loadConfig({ HOST: host }));
      expect(error.message).toContain('ADMIN_TOKEN');
      expect(error.message).toContain(host);
      expect(error.issues.some((issue) => issue.startsWith('ADMIN_TOKEN'))).toBe(true);
    },
  );

  it('treats an empty ADMIN_TOKEN as unset, so it does not open a non-loopback host', () => {
    expect(configError(() => loadConfig({ HOST: '0.0.0.0', ADMIN_TOKEN: '' })).message).toContain('ADMIN_TOKEN');
    expect(loadConfig({ ADMIN_TOKEN: '' }).ADMIN_TOKEN).toBeUndefined();
  });

  it('binds to a non-loopback host when ADMIN_TOKEN is set', () => {
    const config = loadConfig({ HOST: '0.0.0.0', ADMIN_TOKEN: 'a-long-enough-token' });
    expect(config).toMatchObject({ HOST: '0.0.0.0', ADMIN_TOKEN: 'a-long-enough-token' });
  });

  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1'])('%s is loopback and needs no token', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
    expect(loadConfig({ HOST: host }).HOST).toBe(host);
  });

  it.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '-1' }],
    ['ADMIN_TOKEN', { ADMIN_TOKEN: 'short' }],
    ['ACCESS_TOKEN_QUERY', { ACCESS_TOKEN_QUERY: 'maybe' }],
    ['TOKEN_TTL_SECONDS', { TOKEN_TTL_SECONDS: '0' }],
    ['POD', { POD: 'AB CD' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ])('refuses a bad %s with a ConfigError naming it', (variable, env) => {
    const error = configError(() => loadConfig(env));
    expect(error.message).toMatch(/^Invalid configuration:/);
    expect(error.issues.some((issue) => issue.startsWith(`${variable}:`))).toBe(true);
  });

  it('lists every bad setting at once', () => {
    const error = configError(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' }));
    expect(error.issues).toHaveLength(2);
  });
});

describe('parseCommandLine', () => {
  it('maps flags to variables; --memory means DATABASE_PATH=:memory:', () => {
    expect(parseCommandLine(['--memory', '--port', '0', '--host', '::1', '--admin-token', 'tok-12345678'])).toEqual({
      help: false,
      version: false,
      overrides: { DATABASE_PATH: ':memory:', PORT: '0', HOST: '::1', ADMIN_TOKEN: 'tok-12345678' },
    });
    expect(parseCommandLine(['--db', '/tmp/x.sqlite']).overrides).toEqual({ DATABASE_PATH: '/tmp/x.sqlite' });
    expect(parseCommandLine(['--help']).help).toBe(true);
    expect(parseCommandLine(['--version']).version).toBe(true);
    expect(parseCommandLine(['-v']).version).toBe(true);
  });

  it('refuses unknown flags', () => {
    expect(() => parseCommandLine(['--bogus'])).toThrow();
  });
});

describe('testConfig', () => {
  it('is in-memory and silent', () => {
    expect(testConfig()).toMatchObject({ DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent' });
  });
});

describe('--help (CLI_USAGE)', () => {
  const defaults: Record<string, unknown> = configSchema.parse({});

  it.each(SETTINGS)('names %s with its default', (key) => {
    const line = CLI_USAGE.split('\n').find((text) => text.includes(`[${key},`) || text.startsWith(`  ${key} `));
    expect(line, `${key} in:\n${CLI_USAGE}`).toBeDefined();
    expect(line).toContain(`default ${defaults[key] ?? 'unset'}`);
  });

  it('lists every flag parseCommandLine takes, and points to .env.example', () => {
    for (const flag of ['--host', '--port', '--db', '--memory', '--seed', '--admin-token', '--help', '--version']) {
      expect(CLI_USAGE).toContain(flag);
    }
    expect(CLI_USAGE).toContain('.env.example');
  });
});

describe('.env.example', () => {
  const lines = readFileSync(new URL('../.env.example', import.meta.url), 'utf8').split('\n');

  it.each(SETTINGS)('sets %s to its default', (key) => {
    const defaults: Record<string, unknown> = configSchema.parse({});
    expect(lines).toContain(`${key}=${defaults[key] ?? ''}`);
  });

  it('ships in the package', () => {
    const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(packageJson.files).toContain('.env.example');
  });
});
