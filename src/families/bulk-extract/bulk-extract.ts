import { createHash, type Hash } from 'node:crypto';
import { z } from 'zod';
import { defineFamily } from '../../family.js';
import { dueAtOf, type ExportJob, exportJob, exportPayload, STATES } from './job.js';
import { migrations } from './migrations.js';
import { BulkExtractRepository } from './repository.js';
import { bulkExtractRoutes } from './routes.js';

/**
 * Bulk extract (issue 24; bulk-extract.md, bulk-lead-extract.md, bulk-activity-extract.md): export jobs of leads and
 * activities on the fake's clock, each writing a real file, streamed from SQLite with Range support. The jobs are the
 * core's (src/engines/jobs); this family keeps each job's exportId and its file. Its part of a seed or snapshot names
 * each export's job (under `jobs:`) and gives its file as it was written, chunk by chunk.
 */

/** A job described whole in this part (the document's `jobs:` holds the others): what a hand-written seed may use. */
const describedJob = z.strictObject({
  state: z.enum(STATES),
  payload: exportPayload,
  owner: z.email().optional().describe('The API user it belongs to (only they can reach it)'),
});

const exportItem = z.strictObject({
  exportId: z.string().min(1).max(64),
  job: z.union([
    z.number().int().positive().describe('The id of its job under `jobs:` (family bulkExtract, kind export)'),
    describedJob,
  ]),
});

const chunkItem = z.strictObject({
  exportId: z.string().min(1).max(64).describe('The export the chunk belongs to, listed before it'),
  chunk: z.number().int().min(0).describe('0, 1, 2 … in file order'),
  text: z.string().describe('The chunk of the file: whole lines'),
});

const item = z.union([exportItem, chunkItem]);
type Item = z.infer<typeof item>;

interface Loading {
  path: string;
  job: ExportJob;
  chunks: number;
  bytes: number;
  hash: Hash;
}

const EXAMPLE_FILE = 'id,email\n40,grace@example.com\n';

export const bulkExtract = defineFamily({
  key: 'bulkExtract',
  tables: ['bulk_exports', 'bulk_export_chunks'],
  wireFormat: 'lead-database',
  migrations,
  repository: ({ db }) => new BulkExtractRepository(db),
  jobs: { export: exportJob },
  seed: {
    item,
    load(repo, items, { fail, unique, jobs, userId, now }) {
      const loading = new Map<string, Loading>();
      items.forEach((entry: Item, i) => {
        const path = `[${i}]`;
        if ('chunk' in entry) {
          const file = loading.get(entry.exportId);
          if (!file) fail(`${path}.exportId`, `no export "${entry.exportId}" is listed before this chunk`);
          if (entry.chunk !== file!.chunks) fail(`${path}.chunk`, `chunk ${file!.chunks} comes next`);
          const data = Buffer.from(entry.text, 'utf8');
          repo.appendChunk(file!.job.id, { seq: file!.chunks, startByte: file!.bytes, data });
          file!.hash.update(data);
          file!.chunks++;
          file!.bytes += data.length;
          return;
        }
        let job: ExportJob | undefined;
        if (typeof entry.job === 'number') {
          job = jobs.get(exportJob, entry.job);
          if (!job) fail(`${path}.job`, `no export job ${entry.job} under jobs (family bulkExtract, kind export)`);
        } else {
          const described = entry.job;
          let ownerId: number | null = null;
          if (described.owner !== undefined) {
            ownerId = userId(described.owner) ?? fail(`${path}.job.owner`, `no user with email "${described.owner}"`);
          }
          job = jobs.schedule(exportJob, {
            state: described.state,
            dueAt: dueAtOf(described.state, described.payload, now),
            payload: described.payload,
            ownerId,
          });
        }
        unique(path, () => repo.insert(job!.id, entry.exportId));
        const file = job!.payload.file;
        if (job!.state === 'Completed' && file && job!.payload.finishedAt) {
          repo.finish(job!.id, Date.parse(job!.payload.finishedAt), file.size);
        }
        loading.set(entry.exportId, { path, job: job!, chunks: 0, bytes: 0, hash: createHash('sha256') });
      });
      for (const { path, job, chunks, bytes, hash } of loading.values()) {
        const { file, progress, fileDeleted } = job.payload;
        if ((job.state === 'Completed' || job.state === 'Processing') && file && !fileDeleted) {
          const checksum = `sha256:${hash.digest('hex')}`;
          if (bytes !== file.size || checksum !== file.checksum) {
            fail(
              path,
              `the chunks of export "${repo.exportIdOf(job.id)}" hold ${bytes} bytes (${checksum}); its job's file ` +
                `has ${file.size} (${file.checksum})`,
            );
          }
        } else if (job.state === 'Processing' && !file) {
          // A file half written: kept when its chunks are the job's progress, else written again from the start.
          if (progress === undefined || progress.chunks !== chunks || progress.bytes !== bytes) {
            repo.dropFile(job.id);
            jobs.update(exportJob, job.id, { payload: { ...job.payload, progress: undefined } });
          }
        } else if (chunks > 0) {
          fail(path, `an export job ${job.state}${fileDeleted ? ' whose file is deleted' : ''} has no file to load`);
        }
      }
    },
    *snapshot(repo) {
      for (const { jobId, exportId } of repo.exports()) {
        yield { exportId, job: jobId };
        const chunks = repo.chunkCount(jobId);
        // One chunk at a time: a big file never sits whole in memory.
        for (let seq = 0; seq < chunks; seq++) {
          yield { exportId, chunk: seq, text: repo.chunk(jobId, seq)!.data.toString('utf8') };
        }
      }
    },
    example: [
      {
        exportId: '00000000-0000-4000-8000-0000000000e1',
        // Its file written, it completes at its next step (at start), and its file is kept 7 days from then.
        job: {
          state: 'Processing',
          payload: {
            definition: {
              entity: 'leads',
              filter: { createdAt: { startAt: '2026-01-01T00:00:00.000Z', endAt: '2026-01-31T00:00:00.000Z' } },
            },
            format: 'CSV',
            columns: ['id', 'email'],
            headers: ['id', 'email'],
            partitionIds: null,
            queuedAt: '2026-01-31T12:00:00Z',
            startedAt: '2026-01-31T12:00:00Z',
            file: {
              records: 1,
              size: Buffer.byteLength(EXAMPLE_FILE),
              checksum: `sha256:${createHash('sha256').update(EXAMPLE_FILE).digest('hex')}`,
            },
          },
        },
      },
      { exportId: '00000000-0000-4000-8000-0000000000e1', chunk: 0, text: EXAMPLE_FILE },
    ],
  },
  reset: (repo) => repo.forgetHashes(),
  marketoRoutes: bulkExtractRoutes,
});
