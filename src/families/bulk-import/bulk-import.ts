import { z } from 'zod';
import { defineFamily } from '../../family.js';
import { COMPLETE, newProgress, QUEUED } from './import-job.js';
import { customObjectImportJob } from './custom-object-import.js';
import { leadImportJob } from './lead-import.js';
import { migrations } from './migrations.js';
import { programMemberImportJob } from './program-member-import.js';
import { ImportRepository, type StoredChunk, type StoredProblem } from './repository.js';
import { bulkImportRoutes } from './routes.js';

/**
 * Bulk import (issue 25): files of leads, custom object records and program members imported on the fake's clock
 * (src/engines/jobs), each kind a target of the same job (import-job.ts) written through its family's port.
 */

const FAMILY_KEY = 'bulkImport';
const jobId = z.number().int().positive().describe('The import’s job (the seed’s `jobs` part)');

/** A piece of a file not yet imported: the job's chunk `chunk`, 64 KiB of it in base64. */
const chunkItem = z.strictObject({ job: jobId, chunk: z.number().int().min(0), data: z.base64() });
/** A row of the file that failed, or was imported with a warning. */
const problemItem = z.strictObject({
  job: jobId,
  kind: z.enum(['failure', 'warning']),
  row: z.number().int().positive(),
  values: z.array(z.string()),
  reason: z.string(),
});
const importSeed = z.union([chunkItem, problemItem]);
type ImportSeed = z.infer<typeof importSeed>;

const EXAMPLE_OPTIONS = {
  lookupField: 'email',
  scope: { readable: [1], writable: [1] },
  origin: { requestId: '1a#19ac5d2f000', user: 'sync@example.com' },
};
const EXAMPLE_FILE = 'email,firstName\nlin@example.com,Lin\n';

export const bulkImport = defineFamily({
  key: FAMILY_KEY,
  tables: ['import_file_chunks', 'import_problems'],
  wireFormat: 'lead-database',
  migrations,
  repository: ({ db }) => new ImportRepository(db),
  jobs: { leads: leadImportJob, customObjects: customObjectImportJob, programMembers: programMemberImportJob },
  reset: (repo) => repo.forget(),
  seed: {
    item: importSeed,
    load(repo, items, { fail, unique }) {
      items.forEach((item, i) => {
        const job = repo.jobOf(item.job);
        if (job?.family !== FAMILY_KEY) fail(`[${i}].job`, `no bulk import job with id ${item.job}`);
        unique(`[${i}]`, () =>
          'chunk' in item
            ? repo.loadChunk({ jobId: item.job, seq: item.chunk, data: Buffer.from(item.data, 'base64') })
            : repo.loadProblem({ ...item, jobId: item.job }),
        );
      });
    },
    *snapshot(repo): Generator<ImportSeed> {
      for (const chunk of repo.allChunks() as Iterable<StoredChunk>) {
        yield { job: chunk.jobId, chunk: chunk.seq, data: chunk.data.toString('base64') };
      }
      for (const problem of repo.allProblems() as Iterable<StoredProblem>) {
        yield {
          job: problem.jobId,
          kind: problem.kind,
          row: problem.row,
          values: [...problem.values],
          reason: problem.reason,
        };
      }
    },
    example: [
      { job: 9001, chunk: 0, data: Buffer.from(EXAMPLE_FILE).toString('base64') },
      { job: 9002, kind: 'failure', row: 2, values: ['ari@example.com', 'Ari'], reason: 'Lead not found' },
    ],
    exampleJobs: [
      {
        id: 9001,
        family: FAMILY_KEY,
        kind: 'leads',
        state: QUEUED,
        // Far ahead: the example stays as it is while the contract test looks at it.
        dueAt: '2099-01-01T00:00:00Z',
        payload: newProgress(
          'csv',
          Buffer.byteLength(EXAMPLE_FILE),
          { header: ['email', 'firstName'], columns: ['email', 'firstName'], rowsStart: 16 },
          EXAMPLE_OPTIONS,
        ),
      },
      {
        id: 9002,
        family: FAMILY_KEY,
        kind: 'leads',
        state: COMPLETE,
        dueAt: '2099-01-01T00:00:00Z',
        payload: {
          ...newProgress(
            'csv',
            0,
            { header: ['email', 'firstName'], columns: ['email', 'firstName'], rowsStart: 16 },
            { ...EXAMPLE_OPTIONS, lookupField: 'id' },
          ),
          rows: 2,
          imported: 1,
          failed: 1,
        },
      },
    ],
  },
  marketoRoutes: bulkImportRoutes,
});
