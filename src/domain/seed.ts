import { createRequire } from 'node:module';
import { plainMessage, valueAt } from './validation-wording.js';
import { MAX_ACTIVITY_ID, seedId } from './record-ids.js';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { stubInputSchema } from './stub-schema.js';

/**
 * The core of a subscription document: what a seed file holds and what GET /admin/snapshot returns.
 * References are by name (workspaces, partitions, roles) and email (users); ids are optional and kept
 * when given, so a snapshot reproduces the same ids. Workspace "*" in a role grant means all workspaces.
 */

const id = seedId;
const name = z.string().trim().min(1).max(255);

export const ALL_WORKSPACES_NAME = '*';

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
  userid: z.email('must look like an email address').optional().describe('The login id, when it is not the email'),
  expiresAt: z.iso.datetime({ offset: true }).optional().describe('When the login expires; absent: never'),
  pending: z
    .boolean()
    .default(false)
    .describe('Invited but not yet accepted (a pending user); false: the user has accepted'),
  invitedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('When a pending user was invited (the invitation expires 7 days later); default: the load time'),
});

/** A client id or secret given rather than generated (seed files, DEMO_CLIENT_ID / DEMO_CLIENT_SECRET). */
export const clientCredential = z.string().regex(/^[A-Za-z0-9._~:-]{8,128}$/, '8-128 letters, digits or . _ ~ : -');

const serviceSeed = z.strictObject({
  id: id.optional(),
  name,
  description: z.string().optional(),
  user: z.email().describe("The owning API-only user's email"),
  clientId: clientCredential.optional(),
  clientSecret: clientCredential.optional(),
});

/**
 * The core of the document: the access-control entities every subscription has. Each resource family adds its own
 * array after these (src/seed.ts composes the whole document from the registry).
 */
export const coreSeedShape = {
  partitions: z.array(partitionSeed).default([]),
  workspaces: z.array(workspaceSeed).default([]),
  roles: z.array(roleSeed).default([]),
  users: z.array(userSeed).default([]),
  services: z.array(serviceSeed).default([]),
  /** Stubs (issue 17): in memory, not in the database; loaded at start and by every reset. */
  stubs: z
    .array(stubInputSchema)
    .default([])
    .superRefine((stubs, issues) => {
      const seen = new Set<string>();
      stubs.forEach((stub, i) => {
        if (stub.id === undefined) return;
        if (seen.has(stub.id)) issues.addIssue({ code: 'custom', path: [i, 'id'], message: `id ${stub.id} is taken` });
        seen.add(stub.id);
      });
    }),
};

type CoreSeedSchema = z.ZodObject<typeof coreSeedShape, z.core.$strict>;
export type CoreSeed = z.output<CoreSeedSchema>;
export type CoreSeedInput = z.input<CoreSeedSchema>;

/** `lastIds`, which closes the document: the highest id each AUTOINCREMENT table has used. */
export const lastIdsSchema = z
  .record(z.string(), z.number().int().min(0).max(MAX_ACTIVITY_ID, 'at most 2^52'))
  .optional()
  .describe('The highest id each table has used, so ids of deleted records are not given out again');

/** A seed as the lifecycle handles it: the core, `lastIds`, and each family's items under its key. */
export type SeedDocument = CoreSeed & { lastIds?: Record<string, number> | undefined };

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

/** Parses a document with `schema`; a SeedError lists every problem with its path. */
export function parseSeedWith<S extends z.ZodType>(schema: S, document: unknown, source = 'seed'): z.output<S> {
  const parsed = schema.safeParse(document ?? {});
  if (!parsed.success) {
    throw new SeedError(
      parsed.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: plainMessage(issue.message, valueAt(document, issue.path)),
      })),
      source,
    );
  }
  return parsed.data;
}

const requireModule = createRequire(import.meta.url);

/** Reads a YAML or JSON seed file (JSON is YAML too) into a document, not yet checked. */
export function readSeedDocument(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SeedError(
      [{ path: '', message: `cannot read ${path}: ${(error as Error).message}` }],
      `seed file ${path}`,
    );
  }
  try {
    // Loaded on first use: only a start with a seed file needs the YAML parser.
    const { parse: parseYaml } = requireModule('yaml') as typeof import('yaml');
    return parseYaml(text);
  } catch (error) {
    throw new SeedError([{ path: '', message: `not YAML or JSON: ${(error as Error).message}` }], `seed file ${path}`);
  }
}
