import { z } from 'zod';
import {
  type CoreSeedInput,
  coreSeedShape,
  lastIdsSchema,
  parseSeedWith,
  readSeedDocument,
  type SeedDocument,
} from './domain/seed.js';
import { JOBS_KEY, type JobSeed, type JobSeedInput, jobSeed } from './engines/jobs/seed.js';
import { FAMILIES } from './families.js';
import type { AnyFamily, Family } from './family.js';

/**
 * The whole seed/snapshot document: the core (partitions … services, stubs, the families' jobs), then one array per
 * registered family under its key, then `lastIds`. Built once per list of families (the registry's, or a test's).
 */

const schemas = new WeakMap<readonly AnyFamily[], z.ZodType>();

function composeSeedSchema(families: readonly AnyFamily[]) {
  const familyShape: Record<string, z.ZodType> = {};
  for (const family of families) {
    if (family.seed) familyShape[family.key] = z.array(family.seed.item).default([]);
  }
  return z
    .strictObject({
      ...coreSeedShape,
      [JOBS_KEY]: z.array(jobSeed).default([]),
      ...familyShape,
      lastIds: lastIdsSchema,
    })
    .meta({ id: 'Seed' });
}

/** The document's schema for a list of families (the same object for the same list). */
export function seedSchemaFor(families: readonly AnyFamily[]): z.ZodType<SeedDocument, unknown> {
  let schema = schemas.get(families);
  if (!schema) {
    schema = composeSeedSchema(families);
    schemas.set(families, schema);
  }
  return schema as z.ZodType<SeedDocument, unknown>;
}

type Registered = (typeof FAMILIES)[number];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ItemOf<F> = F extends Family<string, any, infer I> ? I : never;
type FamilySeeds = { [F in Registered as F['seed'] extends undefined ? never : F['key']]: ItemOf<F>[] };

/** A parsed seed of the registered families. */
export type Seed = SeedDocument & { jobs: JobSeed[] } & FamilySeeds;
/** A seed as a user writes it: every array optional; family items are checked by the family's schema. */
export type SeedInput = CoreSeedInput & { jobs?: readonly JobSeedInput[] } & {
  [F in Registered as F['key']]?: readonly unknown[];
} & { lastIds?: Record<string, number> };

/** Checks a seed document against the registered families' schema; a SeedError names each problem's path. */
export function parseSeed(document: unknown, source = 'seed', families: readonly AnyFamily[] = FAMILIES): Seed {
  return parseSeedWith(seedSchemaFor(families), document, source) as Seed;
}

/** Reads and checks a YAML or JSON seed file. */
export function readSeedFile(path: string, families: readonly AnyFamily[] = FAMILIES): Seed {
  return parseSeed(readSeedDocument(path), `seed file ${path}`, families);
}
