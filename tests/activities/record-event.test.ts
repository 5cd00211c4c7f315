import { describe, expect, it } from 'vitest';
import { recordEvent } from '../../activities/record-event';
import { advanceTo, call, submit } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver } from '../support/webhook-receiver';

/**
 * The worst moment for a crash: the activity's transaction committed, but the worker died before Temporal
 * heard of it. Temporal retries the activity; the retry must write nothing twice.
 */

const failedOnce = new Set<string>();
let injectedFailures = 0;

const ctx = useTestSystem({
  webhookWorker: true,
  activities: (real) => ({
    ...real,
    async recordEvent(input) {
      await real.recordEvent(input);
      const key = `${input.state.requestId}:${input.event.seq}`;
      if (!failedOnce.has(key)) {
        failedOnce.add(key);
        injectedFailures += 1;
        throw new Error(`simulated crash after commit of ${key}`);
      }
    },
  }),
});

async function rows(table: string, id: string): Promise<number> {
  const { rows: result } = await ctx.system.database.pool.query(`select count(*)::int as n from ${table} where request_id = $1`, [id]);
  return result[0].n;
}

describe('recordEvent under retries', () => {
  it('queues and delivers each event to a subscriber exactly once, though every write is retried', async () => {
    const { system, cast } = ctx;
    const receiver = await startWebhookReceiver();
    try {
      await call(system, 'POST', '/admin/webhooks', cast.admin, { url: receiver.url, eventTypes: ['*'] });
      const id = await submit(system, cast);
      await advanceTo(system, cast, id, 'completed');
      const version = (await call(system, 'GET', `/requests/${id}`, cast.monitor)).body.version as number;
      expect(await rows('webhook_deliveries', id)).toBe(version);
      const sent = await waitFor(
        async () => receiver.received.filter((r) => JSON.parse(r.body).data.requestId === id),
        (messages) => messages.length >= version,
      );
      // Give a duplicate the time to show up, then count: one message per event.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const seqs = receiver.received.filter((r) => JSON.parse(r.body).data.requestId === id).map((r) => JSON.parse(r.body).data.seq);
      expect(seqs.sort((a, b) => a - b)).toEqual([...Array(version).keys()].map((i) => i + 1));
      expect(sent.length).toBe(version);
    } finally {
      await receiver.stop();
    }
  });

  it('a lifecycle whose every write is retried after commit has each row exactly once', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'completed');
    expect(injectedFailures).toBeGreaterThanOrEqual(10);
    const { rows: events } = await system.database.pool.query(
      'select seq from request_events where request_id = $1 order by seq',
      [id],
    );
    const version = (await call(system, 'GET', `/requests/${id}`, cast.monitor)).body.version;
    expect(events.map((e: { seq: number }) => e.seq)).toEqual([...Array(version).keys()].map((i) => i + 1));
    expect(await rows('review_votes', id)).toBe(1);
    expect(await rows('decisions', id)).toBe(1);
    expect(await rows('implementation_activities', id)).toBe(1);
    expect(await rows('reports', id)).toBe(1);
  });

  it('an older state arriving late never overwrites a newer one in the read model', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'review');
    const handle = system.client.workflow.getHandle(`capacity-request-${id}`);
    const history = await call(system, 'GET', `/requests/${id}/events`, cast.monitor);
    const first = history.body.items[0];
    // Replay the submission write with its (older) state, as a very late retry would.
    const current = (await call(system, 'GET', `/requests/${id}`, cast.monitor)).body;
    const oldState = { ...(await handle.query<Record<string, unknown>>('state')), version: 1, phase: 'screening' };
    await recordEvent(system.database.db, {
      event: { seq: 1, type: first.type, actor: { userId: 'x', name: first.actorName, role: first.actorRole }, at: first.occurredAt, phaseBefore: 'screening', phaseAfter: 'screening', payload: first.payload },
      state: oldState as never,
    });
    const after = (await call(system, 'GET', `/requests/${id}`, cast.monitor)).body;
    expect(after.phase).toBe('review');
    expect(after.version).toBe(current.version);
    expect(await rows('request_events', id)).toBe(current.version);
  });
});
