import { withScratchDatabase } from './scratch-database';

/**
 * What keeping the pre-aggregated tallies costs Postgres per recorded event: each part of move_tallies (called by
 * record_event for every event) timed over many calls in a DO loop, on a fresh embedded Postgres. The request does
 * not change between calls, as for most events: the work is the statement itself, not a write.
 *
 *   node --import tsx bench/tallies-cost.ts [calls]
 */

const calls = Number(process.argv[2] ?? 20_000);
await withScratchDatabase('tallies', async (database) => {
  // One request with a real-sized state (~3.4 KB), placed in the seeded plan.
  const state = { submission: { actionPlan: 'cadiz-2023-2027', objective: null }, padding: 'x'.repeat(3_400) };
  await database.pool.query(
    `insert into requests (id, workflow_id, title, country, domain, activity_type, phase, version, state, submitted_by, submitted_at, updated_at)
     values (gen_random_uuid(), 'tallies-cost', 'Tallies cost', 'SN', 4, 'training', 'review', 3, $1, 'bench', now(), now())`,
    [JSON.stringify(state)],
  );
  console.log(`Each function called ${calls.toLocaleString('en')} times with the same request as before and after:`);
  for (const round of [1, 2]) {
    for (const fn of ['move_portfolio_tallies', 'move_objective_tallies', 'move_tallies']) {
      const started = process.hrtime.bigint();
      await database.pool.query(`DO $$ DECLARE r requests; BEGIN SELECT * INTO r FROM requests LIMIT 1; FOR i IN 1..${calls} LOOP PERFORM ${fn}(r, r); END LOOP; END $$`);
      const micros = Number(process.hrtime.bigint() - started) / 1_000 / calls;
      console.log(`  round ${round}  ${fn.padEnd(24)} ${micros.toFixed(1)} µs per call`);
    }
  }
});
