import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { requestEvents, webhookDeliveries } from '../../db/schema';

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface QueuedDelivery {
  id: string;
  redeliveries: number;
}

/**
 * The outbox: in the transaction that records an event, one delivery for every active subscription that wants
 * its type. Either the event and its deliveries are on record, or neither is.
 */
export async function queueDeliveries(
  tx: Transaction,
  event: { id: number; requestId: string; type: string },
): Promise<QueuedDelivery[]> {
  const result = await tx.execute(sql`
    insert into webhook_deliveries (subscription_id, event_id, request_id, event_type)
    select s.id, ${event.id}, ${event.requestId}, ${event.type}
      from webhook_subscriptions s
     where s.disabled_at is null and (${event.type} = any(s.event_types) or '*' = any(s.event_types))
    on conflict (subscription_id, event_id) do nothing
    returning id, redeliveries`);
  return result.rows as unknown as QueuedDelivery[];
}

/** After a retry, what the first try queued but may not have dispatched: the deliveries not yet attempted. */
export async function undispatchedDeliveries(db: Database, event: { requestId: string; seq: number }): Promise<QueuedDelivery[]> {
  return db
    .select({ id: webhookDeliveries.id, redeliveries: webhookDeliveries.redeliveries })
    .from(webhookDeliveries)
    .innerJoin(requestEvents, eq(requestEvents.id, webhookDeliveries.eventId))
    .where(
      and(
        eq(requestEvents.requestId, event.requestId),
        eq(requestEvents.seq, event.seq),
        eq(webhookDeliveries.status, 'pending'),
        eq(webhookDeliveries.redeliveries, 0),
      ),
    );
}
