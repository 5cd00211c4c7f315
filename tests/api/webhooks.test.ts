import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret } from '../../activities/webhooks/signature';
import { buildApp } from '../../api/app';
import { adminEvents, webhookSubscriptions } from '../../db/schema';
import { advanceTo, call, sampleSubmission, submit } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';
import { waitFor } from '../support/wait-for';
import { TEST_WEBHOOK_RETRY } from '../support/test-system';
import { startWebhookReceiver } from '../support/webhook-receiver';

/**
 * Webhooks: signed deliveries of domain events to subscribers, retried by Temporal, logged, dead-lettered and
 * redelivered — and a subscriber that fails or hangs never holds up a request.
 */
const ctx = useTestSystem({ webhookWorker: true });
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => receiver?.stop());

async function subscribe(eventTypes: string[], url = receiver.url) {
  const response = await call(ctx.system, 'POST', '/admin/webhooks', ctx.cast.admin, { url, eventTypes, description: 'Observatory' });
  expect(response.status).toBe(201);
  return response.body as { id: string; secret: string };
}

const deliveriesOf = async (subscriptionId: string, query = '') =>
  (await call(ctx.system, 'GET', `/admin/webhooks/${subscriptionId}/deliveries${query}`, ctx.cast.admin)).body.items as Array<{
    deliveryId: string;
    eventType: string;
    status: string;
    attempts: number;
    requestId: string;
  }>;

/** A second API on the same database and Temporal as the test system's, as another process (or a restart) would be. */
const anotherApi = (overrides: { temporalNamespace?: string } = {}) =>
  buildApp({
    keyring: ctx.system.keyring,
    databaseUrl: ctx.system.databaseUrl,
    temporalAddress: inject('temporalAddress'),
    temporalNamespace: overrides.temporalNamespace ?? 'default',
    taskQueue: ctx.system.taskQueue,
    policy: { reviewPeriod: 'PT1H' },
    webhookRetry: TEST_WEBHOOK_RETRY,
    logger: false,
    migrate: false,
  });

const bodiesFor = (requestId: string) =>
  receiver.received.map((r) => ({ ...r, json: JSON.parse(r.body) })).filter((r) => r.json.data.requestId === requestId);

describe('webhook deliveries', () => {
  it('delivers each subscribed event once, signed (Standard Webhooks), without personal data, and logs it', async () => {
    const { system, cast } = ctx;
    receiver.answerWith(204);
    const subscription = await subscribe(['submitted', 'approved']);
    expect(subscription.secret).toMatch(/^whsec_/);

    const response = await call(system, 'POST', '/requests', cast.partner, sampleSubmission({ contact: { name: 'Awa Ndiaye', email: 'awa@example.sn' } }));
    const id = response.body.id as string;
    await advanceTo(system, cast, id, 'implementation');

    const delivered = await waitFor(
      () => deliveriesOf(subscription.id),
      (items) => items.filter((d) => d.requestId === id && d.status === 'delivered').length === 2,
    );
    expect(delivered.filter((d) => d.requestId === id).map((d) => [d.eventType, d.attempts]).sort()).toEqual([
      ['approved', 1],
      ['submitted', 1],
    ]);

    const received = bodiesFor(id);
    expect(received.map((r) => r.json.type).sort()).toEqual(['approved', 'submitted']);
    const verifier = new Webhook(subscription.secret);
    for (const message of received) {
      // The receiver's own check, with the specification's reference library: throws on a bad signature.
      expect(() => verifier.verify(message.body, message.headers as Record<string, string>)).not.toThrow();
      expect(message.headers['user-agent']).toMatch(/^rabat-capacity-requests-webhooks/);
    }
    const tampered = received[0]!.body.replace('"submitted"', '"rejected"');
    expect(() => verifier.verify(tampered, received[0]!.headers as Record<string, string>)).toThrow();
    expect(received.find((r) => r.json.type === 'submitted')!.body).not.toContain('awa@example.sn');
    expect(received.find((r) => r.json.type === 'approved')!.json.data).toMatchObject({ phaseBefore: 'approval', phaseAfter: 'implementation' });

    // Only subscribed types: the screening and the vote were not sent.
    expect(delivered.filter((d) => d.requestId === id)).toHaveLength(2);
    const log = (await call(system, 'GET', `/admin/webhook-deliveries/${delivered[0]!.deliveryId}`, cast.admin)).body;
    expect(log.attemptLog).toHaveLength(1);
    expect(log.attemptLog[0]).toMatchObject({ statusCode: 204, error: null });
    await call(system, 'DELETE', `/admin/webhooks/${subscription.id}`, cast.admin);
  });

  it('keeps signing secrets sealed at rest, and seals those an earlier version stored in the clear when the API starts', async () => {
    const { system, cast } = ctx;
    receiver.answerWith(204);
    const stored = async (id: string) =>
      (await system.database.db.select({ secret: webhookSubscriptions.secret }).from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id)))[0]!.secret;
    const fresh = await subscribe(['withdrawn']);
    expect(await stored(fresh.id)).toMatch(/^sealed:/);
    expect(await stored(fresh.id)).not.toContain(fresh.secret.slice('whsec_'.length, 30));

    // A subscription from before sealing: its secret in the clear. The API seals it as it starts.
    const legacySecret = newWebhookSecret();
    const [legacy] = await system.database.db
      .insert(webhookSubscriptions)
      .values({ url: receiver.url, eventTypes: ['withdrawn'], description: 'From before sealing', secret: legacySecret, createdBy: 'an earlier version' })
      .returning({ id: webhookSubscriptions.id });
    await (await anotherApi()).close();
    expect(await stored(legacy!.id)).toMatch(/^sealed:/);
    expect(await stored(legacy!.id)).not.toContain(legacySecret.slice('whsec_'.length));

    // Both sign deliveries that each subscriber verifies with the secret it was given.
    const id = await submit(system, cast);
    expect((await call(system, 'POST', `/requests/${id}/withdrawal`, cast.partner, { reason: 'No longer needed.' })).status).toBe(200);
    const secrets = new Map([
      [fresh.id, fresh.secret],
      [legacy!.id, legacySecret],
    ]);
    for (const [subscriptionId, secret] of secrets) {
      const deliveries = await waitFor(
        () => deliveriesOf(subscriptionId),
        (items) => items.some((d) => d.requestId === id && d.status === 'delivered'),
      );
      const delivery = deliveries.find((d) => d.requestId === id)!;
      const message = bodiesFor(id).find((r) => r.headers['webhook-id'] === delivery.deliveryId)!;
      expect(() => new Webhook(secret).verify(message.body, message.headers as Record<string, string>)).not.toThrow();
      await call(system, 'DELETE', `/admin/webhooks/${subscriptionId}`, cast.admin);
    }
  });

  it('retries a failing subscriber with backoff, dead-letters after the last attempt, and redelivers on request', async () => {
    const { system, cast } = ctx;
    const subscription = await subscribe(['submitted']);
    receiver.answerWith(503);
    const id = await submit(system, cast, { title: 'Dead letter test' });

    const [dead] = await waitFor(
      () => deliveriesOf(subscription.id, '?status=dead'),
      (items) => items.some((d) => d.requestId === id),
    );
    expect(dead).toMatchObject({ attempts: 3, status: 'dead', lastStatusCode: 503 });
    const log = (await call(system, 'GET', `/admin/webhook-deliveries/${dead!.deliveryId}`, cast.admin)).body;
    expect(log.attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([503, 503, 503]);
    // Backoff: Temporal never retries sooner than the policy says — 200 ms, then 400 ms, in this test's policy
    // (a busy machine may only make the gaps longer, so these are lower bounds).
    const times = log.attemptLog.map((a: { attemptedAt: string }) => Date.parse(a.attemptedAt));
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(190);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(390);
    // The request went on regardless.
    expect((await call(system, 'GET', `/requests/${id}`, cast.secretariat)).body.phase).toBe('screening');

    // Temporal refuses to start the redelivery (here: an API set up with a namespace Temporal does not have). The
    // dead letter stays as it was, to be asked for again, and the administrators' log says it was not sent.
    const misconfigured = await anotherApi({ temporalNamespace: 'no-such-namespace' });
    try {
      const refused = await misconfigured.inject({
        method: 'POST',
        url: `/admin/webhook-deliveries/${dead!.deliveryId}/redelivery`,
        headers: { authorization: `Bearer ${cast.admin.token}` },
      });
      expect(refused.statusCode).toBe(500);
    } finally {
      await misconfigured.close();
    }
    expect((await call(system, 'GET', `/admin/webhook-deliveries/${dead!.deliveryId}`, cast.admin)).body).toMatchObject({ status: 'dead', attempts: 3 });
    const notStarted = await system.database.db
      .select({ payload: adminEvents.payload })
      .from(adminEvents)
      .where(and(eq(adminEvents.type, 'webhook_redelivery_not_started'), sql`${adminEvents.payload}->>'deliveryId' = ${dead!.deliveryId}`));
    expect(notStarted).toHaveLength(1);
    expect(notStarted[0]!.payload).toMatchObject({ restoredStatus: 'dead', reason: expect.stringMatching(/no-such-namespace/) });

    receiver.answerWith(200);
    const redelivered = await call(system, 'POST', `/admin/webhook-deliveries/${dead!.deliveryId}/redelivery`, cast.admin);
    expect(redelivered.status).toBe(202);
    // The second redelivery: each gets a workflow of its own, so one that Temporal may have started after all
    // never blocks the next.
    expect(redelivered.body).toMatchObject({ status: 'pending', redeliveries: 2 });
    const done = await waitFor(
      async () => (await call(system, 'GET', `/admin/webhook-deliveries/${dead!.deliveryId}`, cast.admin)).body,
      (delivery) => delivery.status === 'delivered',
    );
    expect(done.attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([503, 503, 503, 200]);
    // The same message ID on every attempt: receivers deduplicate with it.
    const ids = new Set(receiver.received.filter((r) => JSON.parse(r.body).data.requestId === id).map((r) => r.headers['webhook-id']));
    expect(ids).toEqual(new Set([dead!.deliveryId]));
    await call(system, 'DELETE', `/admin/webhooks/${subscription.id}`, cast.admin);
  });

  it('never holds up a request while a subscriber hangs', async () => {
    const { system, cast } = ctx;
    const subscription = await subscribe(['*']);
    receiver.answerWith('hang');
    const id = await submit(system, cast, { title: 'Hanging subscriber' });
    // Every step of the lifecycle while no delivery has been answered.
    await advanceTo(system, cast, id, 'completed');
    expect((await call(system, 'GET', `/requests/${id}`, cast.monitor)).body.phase).toBe('completed');
    const pending = (await deliveriesOf(subscription.id)).filter((d) => d.requestId === id);
    expect(pending.length).toBeGreaterThan(10);
    expect(pending.every((d) => d.status !== 'delivered')).toBe(true);
    receiver.release();
    receiver.answerWith(204);
    await call(system, 'DELETE', `/admin/webhooks/${subscription.id}`, cast.admin);
  });

  it('stops delivering to a disabled subscription', async () => {
    const { system, cast } = ctx;
    const subscription = await subscribe(['submitted']);
    const disabled = await call(system, 'DELETE', `/admin/webhooks/${subscription.id}`, cast.admin);
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabledAt).not.toBeNull();
    await submit(system, cast, { title: 'After the unsubscription' });
    // The next event is queued for the other subscriptions only; this one's log stays empty.
    const other = await subscribe(['submitted']);
    const id = await submit(system, cast, { title: 'Seen by the other one' });
    await waitFor(() => deliveriesOf(other.id), (items) => items.some((d) => d.requestId === id && d.status === 'delivered'));
    expect(await deliveriesOf(subscription.id)).toEqual([]);
  });

  it('is for administrators only, and refuses bad subscriptions with the field at fault', async () => {
    const { system, cast } = ctx;
    for (const who of [cast.secretariat, cast.monitor, cast.partner]) {
      expect((await call(system, 'GET', '/admin/webhooks', who)).status).toBe(403);
      expect((await call(system, 'POST', '/admin/webhooks', who, { url: receiver.url, eventTypes: ['*'] })).status).toBe(403);
    }
    const listed = await call(system, 'GET', '/admin/webhooks', cast.admin);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    for (const body of [
      { url: 'ftp://example.org/hook', eventTypes: ['submitted'] },
      { url: 'not a url', eventTypes: ['submitted'] },
      { url: receiver.url, eventTypes: [] },
      { url: receiver.url, eventTypes: ['Submitted!'] },
    ]) {
      const refused = await call(system, 'POST', '/admin/webhooks', cast.admin, body);
      expect({ body, status: refused.status }).toEqual({ body, status: 400 });
      expect(refused.body.message).toMatch(/body\.(url|eventTypes)/);
    }
    expect((await call(system, 'GET', '/admin/webhook-deliveries/00000000-0000-4000-8000-000000000000', cast.admin)).status).toBe(404);
    expect((await call(system, 'POST', '/admin/webhook-deliveries/00000000-0000-4000-8000-000000000000/redelivery', cast.admin)).status).toBe(404);
  });
});
