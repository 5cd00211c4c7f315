import { ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { notifications } from '../../db/schema';
import { startMailReceiver } from '../../tests/support/mail-receiver';
import type { BenchServers } from '../environment';
import { summarize, type LatencySummary } from '../measure';
import { runProduct } from '../product/run-product';

export interface NotificationsResult {
  lifecycles: number;
  concurrency: number;
  /** Product throughput with e-mail on and off, alternating which runs first; one entry per round. */
  rounds: Array<{ withEmail: number; withoutEmail: number }>;
  /** Of the last run with e-mail: messages queued per lifecycle, how many the mail server received, how many never sent. */
  perLifecycle: number;
  queued: number;
  received: number;
  unsent: number;
  /** Seconds after the last lifecycle ended until every message was sent. */
  drainSeconds: number;
  /** From the event's transaction (the message queued) to the mail server's acceptance on record, milliseconds. */
  queuedToSent: LatencySummary;
}

const DRAIN_LIMIT_MS = 120_000;

/**
 * Part 7: what e-mail notifications cost. The same full lifecycles as part 2, with every person given an address
 * and a real SMTP server (smtp-server) on this machine, against the same without e-mail.
 */
export async function measureNotifications(servers: BenchServers, options: { lifecycles: number; concurrency: number; rounds: number }): Promise<NotificationsResult> {
  // Counting only: parsing each message would spend this machine's CPU on what a real mail server does elsewhere.
  const mail = await startMailReceiver({ parse: false });
  let last: Omit<NotificationsResult, 'lifecycles' | 'concurrency' | 'rounds'> | undefined;
  // Once the lifecycles are measured, the worker stays until the outbox is empty: what it took is measured too.
  const drain = async (db: Database) => {
    const started = Date.now();
    const unsentCount = async () => (await db.select({ count: sql<number>`count(*)::int` }).from(notifications).where(ne(notifications.status, 'sent')))[0]!.count;
    let unsent = await unsentCount();
    while (unsent > 0 && Date.now() - started < DRAIN_LIMIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      unsent = await unsentCount();
    }
    const drainSeconds = (Date.now() - started) / 1000;
    const sent = await db.execute<{ ms: number }>(sql`select extract(epoch from sent_at - created_at) * 1000 as ms from notifications where status = 'sent'`);
    const queued = sent.rows.length + unsent;
    last = {
      // The warm-up lifecycle of runProduct counts too.
      perLifecycle: Math.round((queued / (options.lifecycles + 1)) * 100) / 100,
      queued,
      received: mail.received.length,
      unsent,
      drainSeconds: Math.round(drainSeconds * 10) / 10,
      queuedToSent: summarize(sent.rows.map((r) => Number(r.ms))),
    };
  };
  try {
    const rounds: NotificationsResult['rounds'] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const run = async (withEmail: boolean) => {
        mail.received.length = 0;
        const database = `bench_notifications_${round}${withEmail ? '' : '_off'}`;
        const result = await runProduct(servers, {
          lifecycles: options.lifecycles,
          concurrency: options.concurrency,
          withReads: false,
          database,
          ...(withEmail ? { smtpUrl: mail.url, beforeStop: drain } : {}),
        });
        return result.lifecyclesPerSecond;
      };
      const first = await run(round % 2 === 1);
      const second = await run(round % 2 === 0);
      const pair = round % 2 === 1 ? { withEmail: first, withoutEmail: second } : { withEmail: second, withoutEmail: first };
      rounds.push(pair);
      console.log(`    round ${round}: ${pair.withEmail} lifecycles/s with e-mail, ${pair.withoutEmail} without; last run with e-mail: ${last?.queued} messages, all sent ${last?.drainSeconds} s after the last lifecycle`);
    }
    return { lifecycles: options.lifecycles, concurrency: options.concurrency, rounds, ...last! };
  } finally {
    await mail.stop();
  }
}
