import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { installWorkerRuntime } from '../worker/create-worker';
import { keepCoresBusy } from './busy-cores';
import { describeMachine, startBenchServers } from './environment';
import { runFloor, type FloorResult } from './floor/run-floor';
import { measureDocuments } from './documents/measure-documents';
import { measureFootprint } from './footprint/measure-footprint';
import { measureNotifications } from './notifications/measure-notifications';
import { runProduct, type ProductResult } from './product/run-product';
import { measureReadSide } from './read-side/measure-reads';
import { writeBenchmarksMarkdown, type BenchResults } from './report';

/**
 * `npm run bench`: the engine's floor, the product's throughput and latency, the read side at scale, the
 * footprint, documents and e-mail notifications, in one run on this machine. Results go to bench/results/<time>.json and BENCHMARKS.md.
 */
const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'throughput,latency,read,footprint,documents,notifications' },
    lifecycles: { type: 'string', default: '200' },
    /** Product and floor run this many times, alternating which goes first; the median ratio is reported. */
    rounds: { type: 'string', default: '3' },
    users: { type: 'string', default: '20' },
    requests: { type: 'string', default: '1000000' },
    'events-per-request': { type: 'string', default: '10' },
    // 1,000 samples make a p99 the 10th-slowest call; with 200 it was the 2nd, one stray pause away from moving.
    samples: { type: 'string', default: '1000' },
    'open-requests': { type: 'string', default: '10000' },
    'no-markdown': { type: 'boolean', default: false },
    /** Keep the servers' data here, and reuse a portfolio seeded by an earlier run (saves minutes at 1,000,000). */
    'data-dir': { type: 'string' },
    /** Processes that each keep a core busy while the benchmark runs (bench/busy-cores.ts). */
    'busy-cores': { type: 'string', default: '0' },
  },
});
const sections = new Set(values.only.split(','));
const lifecycles = Number(values.lifecycles);
const users = Number(values.users);
const busyCores = Number(values['busy-cores']);
if (!Number.isInteger(busyCores) || busyCores < 0) throw new Error(`--busy-cores must be a whole number of cores (0 or more), not ${values['busy-cores']}`);
// The settings that change what is measured are part of the command that reproduces it.
const settings = ['TEMPORAL_ENGINE', 'WORKER_MAX_CACHED_WORKFLOWS'].filter((name) => process.env[name]).map((name) => `${name}=${process.env[name]} `);
const command = `${settings.join('')}npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

installWorkerRuntime();
console.log(`Starting Postgres and Temporal for the benchmark (TEMPORAL_ENGINE=${process.env.TEMPORAL_ENGINE || 'dev'}) …`);
const servers = await startBenchServers({ dataDir: values['data-dir'] });
const results: BenchResults = { command, startedAt: new Date().toISOString(), machine: await describeMachine(servers), busyCores };
const stopKeepingCoresBusy = keepCoresBusy(busyCores);
if (busyCores > 0) console.log(`Keeping ${busyCores} of the ${results.machine.cores} cores busy for the whole run (--busy-cores).`);
console.log(`Machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGiB} GiB; Node ${results.machine.node}; Postgres ${results.machine.postgres}; ${results.machine.temporalCli}; Temporal: ${results.machine.temporalEngine}`);
try {
  if (sections.has('throughput')) {
    // One pair of runs moves by ±15 % with what else the machine does: several rounds, alternating which runs
    // first, and the round with the median ratio reported (every round is in the results).
    const rounds = Number(values.rounds);
    const pairs: Array<{ product: ProductResult; floor: FloorResult; ratio: number }> = [];
    let plan: number[] = [];
    const product = async (round: number) => {
      console.log(`\n[2] The product, round ${round}/${rounds}: ${lifecycles} full lifecycles through the HTTP API, ${users} at a time …`);
      const result = await runProduct(servers, { lifecycles, concurrency: users, withReads: false, database: `bench_product_${round}` });
      console.log(`    ${result.lifecyclesPerSecond} lifecycles/s (${result.eventsPerLifecycle} events each)`);
      // The floor has the product's shape; the screening step also asks who sits on the committee (one activity more).
      plan = result.eventsPerStep.map((events, i) => (i === 1 ? events + 1 : events));
      return result;
    };
    const floor = async (round: number) => {
      console.log(`\n[1] The engine's floor, round ${round}/${rounds}: ${lifecycles} bare lifecycles of the same shape (${plan.join('+')} no-op activities over ${plan.length} updates) …`);
      // Activities as tasks the server dispatches, as the product runs its writes: the floor of the product's shape.
      const result = await runFloor(servers.temporal.address, { lifecycles, concurrency: users, plan, activityKind: 'task' });
      console.log(`    ${result.lifecyclesPerSecond} lifecycles/s`);
      return result;
    };
    for (let round = 1; round <= rounds; round++) {
      // The floor's plan comes from the product's shape: the first round starts with the product.
      let pair: { product: ProductResult; floor: FloorResult };
      if (round % 2 === 1) pair = { product: await product(round), floor: await floor(round) };
      else {
        const floorFirst = await floor(round);
        pair = { floor: floorFirst, product: await product(round) };
      }
      const ratio = Math.round((pair.product.lifecyclesPerSecond / pair.floor.lifecyclesPerSecond) * 100) / 100;
      console.log(`    round ${round}: product / floor = ${ratio}`);
      pairs.push({ ...pair, ratio });
    }
    const median = [...pairs].sort((a, b) => a.ratio - b.ratio)[Math.floor((pairs.length - 1) / 2)]!;
    Object.assign(results, { product: median.product, floor: median.floor, ratio: median.ratio });
    results.rounds = pairs.map((pair) => ({ product: pair.product.lifecyclesPerSecond, floor: pair.floor.lifecyclesPerSecond, ratio: pair.ratio }));
    console.log(`\n    median product / floor over ${rounds} rounds = ${median.ratio} (${pairs.map((pair) => pair.ratio).join(', ')})`);
    console.log('\n    the floor again with local activities, for reference …');
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
  if (sections.has('documents')) {
    console.log('\n[6] Documents: uploads and downloads through the HTTP API');
    results.documents = await measureDocuments(servers);
  }
  if (sections.has('notifications')) {
    console.log(`\n[7] E-mail notifications: ${lifecycles} lifecycles with and without e-mail, ${users} at a time, through a real SMTP server …`);
    results.notifications = await measureNotifications(servers, { lifecycles, concurrency: users, rounds: 2 });
  }
  results.finishedAt = new Date().toISOString();
  results.loadAverageAtEnd = loadavg().map((load) => Math.round(load * 100) / 100);
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  const file = new URL(`./results/${results.startedAt.replaceAll(':', '-').slice(0, 19)}.json`, import.meta.url);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nResults: ${file.pathname}`);
  if (!values['no-markdown']) console.log(`Table:   ${await writeBenchmarksMarkdown(results)}`);
} finally {
  stopKeepingCoresBusy();
  await servers.stop();
}
