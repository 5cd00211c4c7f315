import { and, asc, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from './client';
import { adminEvents, webhookAttempts, webhookDeliveries, webhookSubscriptions, type DeliveryStatus } from './schema';
import { readableRows } from './readable-rows';
import { isoOfStored, isoOfStoredOrNull } from './stored-instants';

/** Webhook subscriptions and their delivery log, as administrators manage and read them. */


const SUBSCRIPTION_COLUMNS = {
  id: webhookSubscriptions.id,
  url: webhookSubscriptions.url,
  eventTypes: webhookSubscriptions.eventTypes,
  description: webhookSubscriptions.description,
  createdBy: webhookSubscriptions.createdBy,
  createdAt: webhookSubscriptions.createdAt,
  disabledAt: webhookSubscriptions.disabledAt,
};

type SubscriptionRow = { createdAt: Date; disabledAt: string | null } & Record<string, unknown>;
const subscriptionView = <Row extends SubscriptionRow>(row: Row) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  disabledAt: isoOfStoredOrNull(row.disabledAt),
});

export async function createSubscription(
  db: Database,
  input: { url: string; eventTypes: string[]; description: string | null; secret: string },
  createdBy: string,
) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookSubscriptions)
      .values({ ...input, createdBy })
      .returning(SUBSCRIPTION_COLUMNS);
    await tx.insert(adminEvents).values({
      type: 'webhook_subscribed',
      actorName: createdBy,
      payload: { subscriptionId: row!.id, url: input.url, eventTypes: input.eventTypes },
    });
    return subscriptionView(row!);
  });
}

/**
 * Seals the signing secrets stored in the clear before sealing existed (`isSealed` tells a sealed one); returns how
 * many. Safe at every start and from two processes at once: a row is rewritten only if it still holds what was read.
 */
export async function sealStoredSecrets(db: Database, isSealed: (stored: string) => boolean, seal: (secret: string) => string): Promise<number> {
  const rows = await db.select({ id: webhookSubscriptions.id, secret: webhookSubscriptions.secret }).from(webhookSubscriptions);
  let sealed = 0;
  for (const row of rows.filter((candidate) => !isSealed(candidate.secret))) {
    const updated = await db
      .update(webhookSubscriptions)
      .set({ secret: seal(row.secret) })
      .where(and(eq(webhookSubscriptions.id, row.id), eq(webhookSubscriptions.secret, row.secret)))
      .returning({ id: webhookSubscriptions.id });
    sealed += updated.length;
  }
  return sealed;
}

export async function listSubscriptions(db: Database) {
  const rows = await db.select(SUBSCRIPTION_COLUMNS).from(webhookSubscriptions).orderBy(asc(webhookSubscriptions.createdAt));
  return readableRows('webhook_subscriptions', rows, (row) => row.id, subscriptionView);
}

export async function findSubscription(db: Database, id: string) {
  const [row] = await db.select(SUBSCRIPTION_COLUMNS).from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
  return row ? subscriptionView(row) : null;
}

/** Stops new deliveries at once; deliveries already queued are cancelled at their next attempt. */
export async function disableSubscription(db: Database, id: string, by: string) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookSubscriptions)
      .set({ disabledAt: sql`now()` })
      .where(and(eq(webhookSubscriptions.id, id), isNull(webhookSubscriptions.disabledAt)))
      .returning(SUBSCRIPTION_COLUMNS);
    if (row) await tx.insert(adminEvents).values({ type: 'webhook_disabled', actorName: by, payload: { subscriptionId: id } });
    return row ? subscriptionView(row) : null;
  });
}

const DELIVERY_COLUMNS = {
  deliveryId: webhookDeliveries.id,
  subscriptionId: webhookDeliveries.subscriptionId,
  eventId: webhookDeliveries.eventId,
  requestId: webhookDeliveries.requestId,
  eventType: webhookDeliveries.eventType,
  status: webhookDeliveries.status,
  attempts: webhookDeliveries.attempts,
  redeliveries: webhookDeliveries.redeliveries,
  lastAttemptAt: webhookDeliveries.lastAttemptAt,
  lastStatusCode: webhookDeliveries.lastStatusCode,
  lastError: webhookDeliveries.lastError,
  deliveredAt: webhookDeliveries.deliveredAt,
  createdAt: webhookDeliveries.createdAt,
};

type DeliveryRow = { lastAttemptAt: string | null; deliveredAt: string | null; createdAt: Date } & Record<string, unknown>;
const deliveryView = <Row extends DeliveryRow>(row: Row) => ({
  ...row,
  lastAttemptAt: isoOfStoredOrNull(row.lastAttemptAt),
  deliveredAt: isoOfStoredOrNull(row.deliveredAt),
  createdAt: row.createdAt.toISOString(),
});

/** A subscription's deliveries, newest event first; `beforeEventId` pages back through older ones. */
export async function listDeliveries(
  db: Database,
  subscriptionId: string,
  options: { status?: DeliveryStatus; limit: number; beforeEventId?: number },
) {
  const conditions = [eq(webhookDeliveries.subscriptionId, subscriptionId)];
  if (options.status) conditions.push(eq(webhookDeliveries.status, options.status));
  if (options.beforeEventId !== undefined) conditions.push(lt(webhookDeliveries.eventId, options.beforeEventId));
  const rows = await db
    .select(DELIVERY_COLUMNS)
    .from(webhookDeliveries)
    .where(and(...conditions))
    .orderBy(desc(webhookDeliveries.eventId))
    .limit(options.limit);
  return readableRows('webhook_deliveries', rows, (row) => row.deliveryId, deliveryView);
}

/** One delivery with every attempt, oldest first. */
export async function findDelivery(db: Database, deliveryId: string) {
  const [row] = await db.select(DELIVERY_COLUMNS).from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
  if (!row) return null;
  const attempts = await db
    .select({
      attemptedAt: webhookAttempts.attemptedAt,
      durationMs: webhookAttempts.durationMs,
      statusCode: webhookAttempts.statusCode,
      error: webhookAttempts.error,
    })
    .from(webhookAttempts)
    .where(eq(webhookAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookAttempts.id));
  return { ...deliveryView(row), attemptLog: readableRows('webhook_attempts', attempts, (a) => `${deliveryId}@${a.attemptedAt}`, (a) => ({ ...a, attemptedAt: isoOfStored(a.attemptedAt) })) };
}

/**
 * Queues a finished delivery again (dead-lettered, cancelled, or delivered and wanted once more). Returns null
 * when it is still on its way: two deliveries of the same event must never race.
 */
export async function requeueDelivery(db: Database, deliveryId: string, by: string) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ status: webhookDeliveries.status })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, deliveryId))
      .for('update');
    if (!before || !FINISHED.includes(before.status)) return null;
    const [row] = await tx
      .update(webhookDeliveries)
      .set({ status: 'pending', redeliveries: sql`${webhookDeliveries.redeliveries} + 1` })
      .where(eq(webhookDeliveries.id, deliveryId))
      .returning({ id: webhookDeliveries.id, redeliveries: webhookDeliveries.redeliveries });
    await tx.insert(adminEvents).values({ type: 'webhook_redelivered', actorName: by, payload: { deliveryId } });
    return { ...row!, previousStatus: before.status };
  });
}

const FINISHED: DeliveryStatus[] = ['dead', 'cancelled', 'delivered'];

/**
 * A redelivery that could not be started (Temporal unreachable) goes back to where it was, to be asked again; the
 * administrators' log says it was not sent, next to the request for it.
 */
export async function restoreDeliveryStatus(db: Database, deliveryId: string, status: DeliveryStatus, by: string, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(webhookDeliveries)
      .set({ status })
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, 'pending')));
    await tx.insert(adminEvents).values({ type: 'webhook_redelivery_not_started', actorName: by, payload: { deliveryId, restoredStatus: status, reason } });
  });
}
