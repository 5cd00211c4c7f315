import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { installWorkerRuntime } from '../worker/create-worker';
import { describeMachine, startBenchServers } from './environment';
import { runFloor } from './floor/run-floor';
import { measureFootprint } from './footprint/measure-footprint';
import { runProduct } from './product/run-product';
import { measureReadSide } from './read-side/measure-reads';
import { writeBenchmarksMarkdown, type BenchResults } from './report';

/**
 * `npm run bench`: the engine's floor, the product's throughput and latency, the read side at scale and the
 * footprint, in one run on this machine. Results go to bench/results/<time>.json and BENCHMARKS.md.
 */
const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'throughput,latency,read,footprint' },
    lifecycles: { type: 'string', default: '200' },
    users: { type: 'string', default: '20' },
    requests: { type: 'string', default: '1000000' },
    'events-per-request': { type: 'string', default: '10' },
    samples: { type: 'string', default: '200' },
    'open-requests': { type: 'string', default: '10000' },
    'no-markdown': { type: 'boolean', default: false },
    /** Keep the servers' data here, and reuse a portfolio seeded by an earlier run (saves minutes at 1,000,000). */
    'data-dir': { type: 'string' },
  },
});
const sections = new Set(values.only.split(','));
const lifecycles = Number(values.lifecycles);
const users = Number(values.users);
const command = `${process.env.TEMPORAL_ENGINE ? `TEMPORAL_ENGINE=${process.env.TEMPORAL_ENGINE} ` : ''}npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

installWorkerRuntime();
console.log(`Starting Postgres and Temporal for the benchmark (TEMPORAL_ENGINE=${process.env.TEMPORAL_ENGINE || 'dev'}) …`);
const servers = await startBenchServers({ dataDir: values['data-dir'] });
const results: BenchResults = { command, startedAt: new Date().toISOString(), machine: await describeMachine(servers) };
console.log(`Machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGiB} GiB; Node ${results.machine.node}; Postgres ${results.machine.postgres}; ${results.machine.temporalCli}; Temporal: ${results.machine.temporalEngine}`);
try {
  if (sections.has('throughput')) {
    console.log(`\n[2] The product: ${lifecycles} full lifecycles through the HTTP API, ${users} at a time …`);
    results.product = await runProduct(servers, { lifecycles, concurrency: users, withReads: false, database: 'bench_product' });
    console.log(`    ${results.product.lifecyclesPerSecond} lifecycles/s (${results.product.eventsPerLifecycle} events each)`);
    console.log(`\n[1] The engine's floor: ${lifecycles} bare lifecycles of the same shape (${results.product.eventsPerStep.join('+')} no-op activities over ${results.product.eventsPerStep.length} updates), then the same with local activities …`);
    // The screening step also asks who sits on the committee (listReviewers): one activity more.
    const plan = results.product.eventsPerStep.map((events, i) => (i === 1 ? events + 1 : events));
    // Activities as tasks the server dispatches, as the product runs its writes: the floor of the product's shape.
    results.floor = await runFloor(servers.temporal.address, { lifecycles, concurrency: users, plan, activityKind: 'task' });
    results.ratio = Math.round((results.product.lifecyclesPerSecond / results.floor.lifecyclesPerSecond) * 100) / 100;
    console.log(`    ${results.floor.lifecyclesPerSecond} lifecycles/s; product / floor = ${results.ratio}`);
    // For reference: the same shape with local activities, which the product does not use (bench/THROUGHPUT.md says why).
    results.localFloor = await runFloor(servers.temporal.address, { lifecycles, concurrency: users, plan, activityKind: 'local' });
    console.log(`    with local activities instead: ${results.localFloor.lifecyclesPerSecond} lifecycles/s`);
  }
  if (sections.has('latency')) {
    console.log(`\n[3] Latency under load: ${users} users stepping requests and reading them …`);
    results.latency = await runProduct(servers, { lifecycles, concurrency: users, withReads: true, database: 'bench_latency' });
  }
  if (sections.has('read')) {
    console.log('\n[4] The read side at scale');
    results.readSide = await measureReadSide(servers, {
      requests: Number(values.requests),
      eventsPerRequest: Number(values['events-per-request']),
      samples: Number(values.samples),
      naiveSamples: 10,
      reuseSeed: values['data-dir'] !== undefined,
    });
  }
  if (sections.has('footprint')) {
    console.log('\n[5] Footprint');
    results.footprint = await measureFootprint(servers, { openRequests: Number(values['open-requests']) });
  }
  results.finishedAt = new Date().toISOString();
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  const file = new URL(`./results/${results.startedAt.replaceAll(':', '-').slice(0, 19)}.json`, import.meta.url);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nResults: ${file.pathname}`);
  if (!values['no-markdown']) console.log(`Table:   ${await writeBenchmarksMarkdown(results)}`);
} finally {
  await servers.stop();
}
