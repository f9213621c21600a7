// The bulk import part of `npm run bench:scale` (issue 25): a 100,000-row lead import (half updates of existing
// leads, half new leads) against the fake's own Sync Leads path, 300 records a call, over rows of the same kind.
import { cpuMs, round, rssBytes, type ServerProcess } from './support.js';

export interface BulkImportResult {
  rows: number;
  fileBytes: number;
  sync: { seconds: number; rowsPerSecond: number; cpuMs: number; calls: number; connections: number };
  import: {
    uploadMs: number;
    seconds: number;
    rowsPerSecond: number;
    cpuMs: number;
    polls: number;
    rssMaxBytes: number;
  };
  /** import rows/s ÷ sync rows/s. */
  ratio: number;
}

const SYNC_BATCH = 300;
const POLL_MS = 25;

/** The same kind of row for both paths: an existing lead gets a title no run gave it, a new one a first name. */
interface Row {
  email: string;
  title?: string;
  firstName?: string;
}

function rowsOf(existing: readonly string[], run: string): Row[] {
  const rows: Row[] = [];
  existing.forEach((email, i) => {
    rows.push({ email, title: `Bulk ${run} title` });
    rows.push({ email: `bulk-${run}-${i}@scale.example`, firstName: 'New' });
  });
  return rows;
}

async function expectJson<T>(response: Response, what: string): Promise<T> {
  const body = (await response.json()) as T & { success?: boolean };
  if (!response.ok || body.success === false) throw new Error(`${what}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** Sync Leads over `rows`, 300 records a call, `connections` calls at a time (Marketo's concurrency limit). */
async function syncAll(fake: ServerProcess, auth: Record<string, string>, rows: Row[], connections: number) {
  const batches: Row[][] = [];
  for (let i = 0; i < rows.length; i += SYNC_BATCH) batches.push(rows.slice(i, i + SYNC_BATCH));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const input = batches[next++]!;
      const body = await expectJson<{ result: { status: string }[] }>(
        await fetch(`${fake.url}/rest/v1/leads.json`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'createOrUpdate', lookupField: 'email', input }),
        }),
        'sync',
      );
      if (body.result.some((record) => record.status === 'skipped')) throw new Error('a synced record was skipped');
    }
  };
  const cpuBefore = cpuMs(fake.pid);
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { seconds, cpuMs: cpuMs(fake.pid) - cpuBefore, calls: batches.length };
}

/** Uploads `rows` as one CSV file, moves the fake's clock past the queue, and polls the batch until it is done. */
async function importAll(fake: ServerProcess, auth: Record<string, string>, rows: Row[]) {
  const csv = `email,title,firstName\n${rows.map((row) => `${row.email},${row.title ?? ''},${row.firstName ?? ''}`).join('\n')}\n`;
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
  // Counted from the upload (the fake checks the whole file as it arrives) to Complete; only the import's two
  // seconds of fake time, Queued and before its first rows, are skipped by moving the clock.
  const cpuBefore = cpuMs(fake.pid);
  const started = performance.now();
  const created = await expectJson<{ result: { batchId: number }[] }>(
    await fetch(`${fake.url}/bulk/v1/leads.json?format=csv&lookupField=email`, {
      method: 'POST',
      headers: auth,
      body: form,
    }),
    'import',
  );
  const uploadMs = performance.now() - started;
  const { batchId } = created.result[0]!;
  const status = async () =>
    (
      await expectJson<{ result: Record<string, unknown>[] }>(
        await fetch(`${fake.url}/bulk/v1/leads/batch/${batchId}.json`, { headers: auth }),
        'status',
      )
    ).result[0]!;
  // Past its second Queued and its second before the first rows: from here the steps follow at once.
  await expectJson(
    await fetch(`${fake.url}/admin/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 2 }),
    }),
    'clock',
  );
  let rssMax = rssBytes(fake.pid);
  let polls = 0;
  let last = await status();
  while (last.status !== 'Complete' && last.status !== 'Failed') {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    rssMax = Math.max(rssMax, rssBytes(fake.pid));
    last = await status();
    polls++;
  }
  const seconds = (performance.now() - started) / 1000;
  const used = cpuMs(fake.pid) - cpuBefore;
  if (last.status !== 'Complete' || last.numOfLeadsProcessed !== rows.length || last.numOfRowsFailed !== 0) {
    throw new Error(`the import ended ${JSON.stringify(last)}`);
  }
  return { uploadMs, seconds, cpuMs: used, polls, rssMaxBytes: rssMax, fileBytes: Buffer.byteLength(csv) };
}

/** Checks a few of each run's leads over the API: the updated ones carry the run's title, the new ones exist. */
async function spotCheck(fake: ServerProcess, auth: Record<string, string>, rows: Row[]) {
  for (const row of [rows[0]!, rows[1]!, rows.at(-2)!, rows.at(-1)!]) {
    const found = await expectJson<{ result: Record<string, unknown>[] }>(
      await fetch(
        `${fake.url}/rest/v1/leads.json?filterType=email&filterValues=${encodeURIComponent(row.email)}&fields=email,title,firstName`,
        { headers: auth },
      ),
      'lead',
    );
    const lead = found.result[0];
    const expected = row.title !== undefined ? { title: row.title } : { firstName: row.firstName };
    if (!lead || Object.entries(expected).some(([key, value]) => lead[key] !== value)) {
      throw new Error(`${row.email} is ${JSON.stringify(lead)} after the run, not ${JSON.stringify(expected)}`);
    }
  }
}

/**
 * Sync Leads, then the import, each over `existing.length` existing leads (`existing` split in two) and as many new
 * ones: disjoint rows of the same kind, so that neither run finds the other's leads.
 */
export async function bulkImportBesideSync(
  fake: ServerProcess,
  auth: Record<string, string>,
  existing: readonly string[],
  connections: number,
): Promise<BulkImportResult> {
  const half = Math.floor(existing.length / 2);
  const syncRows = rowsOf(existing.slice(0, half), 'sync');
  const importRows = rowsOf(existing.slice(half, 2 * half), 'import');
  const sync = await syncAll(fake, auth, syncRows, connections);
  await spotCheck(fake, auth, syncRows);
  const imported = await importAll(fake, auth, importRows);
  await spotCheck(fake, auth, importRows);
  const syncRate = syncRows.length / sync.seconds;
  const importRate = importRows.length / imported.seconds;
  return {
    rows: importRows.length,
    fileBytes: imported.fileBytes,
    sync: {
      seconds: round(sync.seconds, 2),
      rowsPerSecond: Math.round(syncRate),
      cpuMs: sync.cpuMs,
      calls: sync.calls,
      connections,
    },
    import: {
      uploadMs: round(imported.uploadMs),
      seconds: round(imported.seconds, 2),
      rowsPerSecond: Math.round(importRate),
      cpuMs: imported.cpuMs,
      polls: imported.polls,
      rssMaxBytes: imported.rssMaxBytes,
    },
    ratio: round(importRate / syncRate, 2),
  };
}
