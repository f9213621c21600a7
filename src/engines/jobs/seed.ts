import { z } from 'zod';
import { plainMessage, valueAt } from '../../domain/validation-wording.js';
import { formatPath } from '../../domain/seed.js';
import { defineFamily } from '../../family.js';
import type { FamilyInstance } from '../../storage/subscription.js';
import type { JobRunner } from './runner.js';

/**
 * The jobs' part of the seed/snapshot document (`jobs:`): every job of the subscription, ids kept, its owner named by
 * email, its times in ISO 8601. A family's own rows for a job name the job's id; they load after this part.
 */

/** The part's key in the document; no family may have it. */
export const JOBS_KEY = 'jobs';

const isoTime = z.iso.datetime({ offset: true });

export const jobSeed = z.strictObject({
  id: z.number().int().positive().optional(),
  family: z.string().min(1).describe('The key of the family that declares the kind'),
  kind: z.string().min(1).describe('The name of the kind in the family’s `jobs`'),
  state: z.string().min(1).max(64),
  dueAt: isoTime.nullable().default(null).describe('When its next step falls due; null: nothing more to do'),
  payload: z.unknown().describe('The family’s data for the job, as the kind’s schema reads it'),
  owner: z.email().optional().describe('The API user it belongs to; absent: the subscription’s own work'),
  error: z.string().max(1000).optional().describe('What went wrong, when a step failed'),
  createdAt: isoTime.optional(),
  updatedAt: isoTime.optional(),
});

export type JobSeed = z.output<typeof jobSeed>;
export type JobSeedInput = z.input<typeof jobSeed>;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The core's `jobs` table as a part of the document, handed to the SubscriptionStore first among the families' parts:
 * it loads after the core's users (owners are named by email) and before the family rows that reference jobs. Reset
 * empties the table with every other (the schema's wipe); `reset` tells the runner to read it again.
 */
export function jobsSeedPart(runner: JobRunner): FamilyInstance {
  const family = defineFamily({
    key: JOBS_KEY,
    // The core owns the table (CORE_TABLES): no family claims it.
    tables: [],
    repository: ({ db }) => runner.over(db),
    seed: {
      item: jobSeed,
      load(jobs, items, { fail, unique, time }) {
        items.forEach((item, i) => {
          const kind = jobs.kindNamed(item.family, item.kind);
          if (!kind) fail(`[${i}].kind`, `no registered family "${item.family}" declares a job kind "${item.kind}"`);
          const parsed = kind!.payload.safeParse(item.payload);
          if (!parsed.success) {
            const issue = parsed.error.issues[0]!;
            fail(
              `[${i}].${formatPath(['payload', ...issue.path])}`,
              plainMessage(issue.message, valueAt(item.payload, issue.path)),
            );
          }
          let ownerId: number | null = null;
          if (item.owner !== undefined) {
            ownerId = jobs.rows.userIdByEmail(item.owner) ?? fail(`[${i}].owner`, `no user with email "${item.owner}"`);
          }
          const dueAt = item.dueAt === null ? null : time(item.dueAt);
          const createdAt = time(item.createdAt);
          unique(`[${i}]`, () =>
            jobs.rows.insert({
              ...(item.id !== undefined ? { id: item.id } : {}),
              family: item.family,
              kind: item.kind,
              state: item.state,
              due_at: dueAt,
              payload: JSON.stringify(parsed.data ?? null),
              owner_user_id: ownerId,
              error: item.error ?? null,
              created_at: createdAt,
              updated_at: time(item.updatedAt, createdAt),
            }),
          );
          jobs.noteDue(dueAt);
        });
      },
      snapshot: (jobs) =>
        jobs.rows.all().map((row) => ({
          id: row.id,
          family: row.family,
          kind: row.kind,
          state: row.state,
          dueAt: row.due_at === null ? null : iso(row.due_at),
          payload: JSON.parse(row.payload) as unknown,
          ...(row.owner_email !== null ? { owner: row.owner_email } : {}),
          ...(row.error !== null ? { error: row.error } : {}),
          createdAt: iso(row.created_at),
          updatedAt: iso(row.updated_at),
        })),
      example: [],
    },
    reset: (jobs) => jobs.forget(),
  });
  return { family, repo: runner };
}
