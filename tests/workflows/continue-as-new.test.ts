import { describe, expect, it } from 'vitest';
import { useTestSystem } from '../support/use-test-system';
import { advanceTo, call, submit } from '../support/cast';

/**
 * A request lives for years and collects many events. Each run's history stays small: past a limit the
 * workflow continues as a new run, carrying its state, and nothing is lost or repeated on the way.
 */
const HISTORY_LIMIT = 300;
const ctx = useTestSystem({ policy: { historyLimit: HISTORY_LIMIT } });

describe('a long-lived request', () => {
  it('goes through hundreds of steps in several small runs, with every event once', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'implementation');
    const reports = 200;
    for (let i = 1; i <= reports; i++) {
      const r = await call(system, 'POST', `/requests/${id}/reports`, i % 2 ? cast.partner : cast.secretariat, {
        kind: 'progress',
        summary: `Progress report ${i}`,
        indicators: { sessions_held: i },
      });
      expect({ i, status: r.status }).toEqual({ i, status: 200 });
    }
    await advanceTo(system, cast, id, 'completed', { from: 'implementation' });

    const workflowId = `capacity-request-${id}`;
    const result = await system.client.workflow.getHandle(workflowId).result();
    expect(result.phase).toBe('completed');
    expect(result.reports).toHaveLength(reports + 1);

    // Several runs, each well under Temporal's limits (51,200 events) and near our own.
    const runs: Array<{ runId: string; historyLength: number }> = [];
    for await (const execution of system.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      runs.push({ runId: execution.runId, historyLength: execution.historyLength });
    }
    expect(runs.length).toBeGreaterThanOrEqual(4);
    console.log(`[continue-as-new] ${reports + 12} steps in ${runs.length} runs of ${runs.map((r) => r.historyLength).join(", ")} events`);
    for (const run of runs) expect(run.historyLength).toBeLessThan(HISTORY_LIMIT + 100);

    // The audit trail and the read model saw every event exactly once, in order, across the runs.
    const { rows } = await system.database.pool.query('select seq from request_events where request_id = $1 order by seq', [id]);
    expect(rows.map((row: { seq: number }) => row.seq)).toEqual([...Array(result.version).keys()].map((i) => i + 1));
    const reportRows = await system.database.pool.query('select count(*)::int as n from reports where request_id = $1', [id]);
    expect(reportRows.rows[0].n).toBe(reports + 1);
    const view = (await call(system, 'GET', `/requests/${id}`, cast.monitor)).body;
    expect(view).toMatchObject({ phase: 'completed', version: result.version });
  });
});
