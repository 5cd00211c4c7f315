import { randomBytes } from 'node:crypto';
import { keyringFromList } from '../../codec/keyring';
import { loadConfig } from '../../config/env';
import { connectDatabase, migrateDatabase } from '../../db/client';
import { freePort } from '../../tests/setup/free-port';
import { startRequestWorker } from '../../worker/create-worker';
import type { BenchServers } from '../environment';
import { now, step, summarize, type LatencySummary } from '../measure';
import { SUBMISSION } from '../product/lifecycle';
import { benchUser } from '../system-under-test';
import { peakResidentMiB, residentMiB, startEntryPoint, stopGracefully } from '../footprint/processes';

export interface DocumentsResult {
  /** Each size uploaded (fresh random bytes each time, so every upload is stored) and downloaded back, one at a time. */
  sizes: Array<{ bytes: number; upload: LatencySummary; download: LatencySummary }>;
  /** Uploads of the largest size, several at once. */
  concurrent: { uploads: number; atOnce: number; bytes: number; seconds: number; mebibytesPerSecond: number };
  /** The API process (`npm run api`): resident memory before the uploads, and the most it held during them. */
  apiResidentMiB: { idle: number; peak: number };
}

const SIZES = [
  { bytes: 100 * 1024, samples: 100 },
  { bytes: 1024 * 1024, samples: 50 },
  { bytes: 20 * 1024 * 1024, samples: 20 },
];
const AT_ONCE = 4;
const CONCURRENT_UPLOADS = 16;

/** Part 6: documents through the HTTP API — upload and download times by size, and the API's memory under uploads. */
export async function measureDocuments(servers: BenchServers): Promise<DocumentsResult> {
  const databaseUrl = await servers.createDatabase('bench_documents');
  const database = connectDatabase(databaseUrl);
  await migrateDatabase(database.pool);
  const keys = `documents:${randomBytes(32).toString('base64')}`;
  const taskQueue = 'bench-documents';
  const worker = await startRequestWorker({ ...loadConfig({}), TEMPORAL_TASK_QUEUE: taskQueue }, { temporalAddress: servers.temporal.address, db: database.db, keyring: keyringFromList(keys) });
  const port = await freePort();
  // The API in a process of its own, as `npm run api` runs it, so that its memory is its own.
  const api = startEntryPoint('api/server.ts', {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: servers.temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PAYLOAD_KEYS: keys,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '1000000000',
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    const partner = await benchUser(database.db, 'partner', 'SN');
    for (let ready = false; !ready; ) ready = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    const idle = await residentMiB(api.child.pid!);

    // A request keeps at most 100 documents: a new one for every 90 uploads.
    let requestId = '';
    let attachedToIt = 90;
    const target = async () => {
      if (attachedToIt++ < 90) return requestId;
      const response = await fetch(`${url}/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${partner}`, 'content-type': 'application/json' },
        body: JSON.stringify(SUBMISSION),
      });
      if (response.status !== 201) throw new Error(`submission answered ${response.status}: ${await response.text()}`);
      requestId = ((await response.json()) as { id: string }).id;
      attachedToIt = 1;
      return requestId;
    };
    const upload = async (bytes: number) => {
      const id = await target();
      const response = await fetch(`${url}/requests/${id}/documents?name=bench.pdf`, {
        method: 'POST',
        headers: { authorization: `Bearer ${partner}`, 'content-type': 'application/pdf' },
        // A PDF's first bytes (the API checks them), then random ones: every upload new bytes, stored anew.
        body: Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(bytes - 9)]),
      });
      if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
      const { document } = (await response.json()) as { document: { documentId: string } };
      return `${url}/requests/${id}/documents/${document.documentId}`;
    };
    const download = async (documentUrl: string, bytes: number) => {
      const response = await fetch(documentUrl, { headers: { authorization: `Bearer ${partner}` } });
      const body = await response.arrayBuffer();
      if (response.status !== 200 || body.byteLength !== bytes) throw new Error(`download answered ${response.status} with ${body.byteLength} bytes, not ${bytes}`);
    };
    const timed = async <T>(samples: number[], work: () => Promise<T>): Promise<T> => {
      const started = now();
      const result = await work();
      samples.push(now() - started);
      return result;
    };

    const sizes: DocumentsResult['sizes'] = [];
    for (const { bytes, samples } of SIZES) {
      const uploads: number[] = [];
      const downloads: number[] = [];
      await step(`${samples} documents of ${bytes / 1024} KiB, each uploaded and downloaded`, async () => {
        await download(await upload(bytes), bytes); // warm-up
        for (let i = 0; i < samples; i++) {
          const documentUrl = await timed(uploads, () => upload(bytes));
          await timed(downloads, () => download(documentUrl, bytes));
        }
      });
      sizes.push({ bytes, upload: summarize(uploads), download: summarize(downloads) });
    }

    const largest = SIZES.at(-1)!.bytes;
    const started = now();
    await step(`${CONCURRENT_UPLOADS} uploads of ${largest / 1024 / 1024} MiB, ${AT_ONCE} at a time`, async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: AT_ONCE }, async () => {
          while (next++ < CONCURRENT_UPLOADS) await upload(largest);
        }),
      );
    });
    const seconds = (now() - started) / 1000;
    return {
      sizes,
      concurrent: {
        uploads: CONCURRENT_UPLOADS,
        atOnce: AT_ONCE,
        bytes: largest,
        seconds: Math.round(seconds * 100) / 100,
        mebibytesPerSecond: Math.round(((CONCURRENT_UPLOADS * largest) / 1024 / 1024 / seconds) * 10) / 10,
      },
      apiResidentMiB: { idle, peak: await peakResidentMiB(api.child.pid!) },
    };
  } finally {
    await stopGracefully(api.child);
    await worker.stop();
    await database.close();
  }
}
