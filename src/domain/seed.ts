import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * A whole subscription in one document: what a seed file holds and what GET /admin/snapshot returns.
 * References are by name (workspaces, partitions, roles) and email (users); ids are optional and kept
 * when given, so a snapshot reproduces the same ids. Workspace "*" in a role grant means all workspaces.
 */

const id = z.number().int().positive();
const name = z.string().trim().min(1).max(255);

export const ALL_WORKSPACES_NAME = '*';

/** Tables whose ids are never reused (Marketo never gives a deleted lead's id to another). */
export const SEQUENCED_TABLES = ['partitions', 'workspaces', 'roles', 'users', 'services', 'leads'] as const;

const partitionSeed = z.strictObject({ id: id.optional(), name, description: z.string().optional() });

const workspaceSeed = z.strictObject({
  id: id.optional(),
  name,
  description: z.string().optional(),
  partitions: z.array(name).default([]).describe('Names of the partitions this workspace sees'),
});

const roleSeed = z.strictObject({
  id: id.optional(),
  name,
  description: z.string().optional(),
  permissions: z.array(z.string()).default([]).describe('Permission keys (GET /admin/permissions)'),
});

const userSeed = z.strictObject({
  id: id.optional(),
  email: z.email('must look like an email address'),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  apiOnly: z.boolean().default(true),
  roles: z
    .array(z.strictObject({ role: name, workspace: name.describe('Workspace name, or "*" for all workspaces') }))
    .default([]),
});

const credential = z.string().regex(/^[A-Za-z0-9._~:-]{8,128}$/, '8-128 letters, digits or . _ ~ : -');

const serviceSeed = z.strictObject({
  id: id.optional(),
  name,
  description: z.string().optional(),
  user: z.email().describe("The owning API-only user's email"),
  clientId: credential.optional(),
  clientSecret: credential.optional(),
});

const leadFieldSeed = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/, 'must start with a letter; letters, digits and _ only'),
  displayName: name,
  dataType: z.enum(['string', 'email', 'integer', 'float', 'boolean', 'date', 'datetime']),
  length: z.number().int().min(1).max(65535).optional(),
});

/** A lead: its fields by REST API name, plus `partition` (name, default "Default") and optional id and times. */
const leadSeed = z.record(z.string(), z.unknown());

export const seedSchema = z
  .strictObject({
    partitions: z.array(partitionSeed).default([]),
    workspaces: z.array(workspaceSeed).default([]),
    roles: z.array(roleSeed).default([]),
    users: z.array(userSeed).default([]),
    services: z.array(serviceSeed).default([]),
    leadFields: z.array(leadFieldSeed).default([]),
    leads: z.array(leadSeed).default([]),
    lastIds: z
      .strictObject(Object.fromEntries(SEQUENCED_TABLES.map((table) => [table, z.number().int().min(0).optional()])))
      .optional()
      .describe('The highest id each table has used, so ids of deleted records are not given out again'),
  })
  .meta({ id: 'Seed' });

export type Seed = z.output<typeof seedSchema>;
export type SeedInput = z.input<typeof seedSchema>;

/** A seed that cannot be loaded: says where in the document and what is wrong. */
export class SeedError extends Error {
  constructor(
    readonly problems: { path: string; message: string }[],
    source = 'seed',
  ) {
    super(`Invalid ${source}:\n${problems.map((p) => `  - ${p.path || '(document)'}: ${p.message}`).join('\n')}`);
    this.name = 'SeedError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

export function parseSeed(document: unknown, source = 'seed'): Seed {
  const parsed = seedSchema.safeParse(document ?? {});
  if (!parsed.success) {
    throw new SeedError(
      parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
      source,
    );
  }
  return parsed.data;
}

const requireModule = createRequire(import.meta.url);

/** Reads a YAML or JSON seed file (JSON is YAML too). */
export function readSeedFile(path: string): Seed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SeedError(
      [{ path: '', message: `cannot read ${path}: ${(error as Error).message}` }],
      `seed file ${path}`,
    );
  }
  let document: unknown;
  try {
    // Loaded on first use: only a start with a seed file needs the YAML parser.
    const { parse: parseYaml } = requireModule('yaml') as typeof import('yaml');
    document = parseYaml(text);
  } catch (error) {
    throw new SeedError([{ path: '', message: `not YAML or JSON: ${(error as Error).message}` }], `seed file ${path}`);
  }
  return parseSeed(document, `seed file ${path}`);
}
