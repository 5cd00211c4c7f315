import { eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../../activities/notifications/mailer';
import { connectDatabase, migrateDatabase, type DatabaseHandle } from '../../db/client';
import { claimDueNotifications } from '../../db/notifications-repository';
import { notifications, users } from '../../db/schema';
import { freePort } from '../setup/free-port';
import { startNotificationRelay, type NotificationRelay } from '../../worker/notification-relay';
import { startMailReceiver } from '../support/mail-receiver';
import { createDatabase } from '../support/test-system';
import { waitFor } from '../support/wait-for';

/**
 * The e-mail relay against real Postgres and a real SMTP server: several relays share the outbox without sending
 * a message twice, a dead relay's claims are taken over once they run out, and a mail server that is down only
 * delays the messages.
 */
const RETRY = { maximumAttempts: 5, initialIntervalMs: 100, maximumIntervalMs: 400, attemptTimeoutMs: 2_000 };
let database: DatabaseHandle;
let mail: Awaited<ReturnType<typeof startMailReceiver>>;
let recipient: string;
const relays: NotificationRelay[] = [];
const mailers: Mailer[] = [];

beforeAll(async () => {
  database = connectDatabase(await createDatabase());
  await migrateDatabase(database.pool);
  mail = await startMailReceiver();
  const [user] = await database.db.insert(users).values({ name: 'Officer', role: 'secretariat', email: 'officer@example.org' }).returning();
  recipient = user!.id;
});
afterAll(async () => {
  await Promise.all(relays.map((relay) => relay.stop()));
  for (const mailer of mailers) mailer.close();
  await mail?.stop();
  await database?.close();
});
beforeEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  await database.db.delete(notifications);
  mail.received.length = 0;
});

const relay = (smtpUrl = mail.url) => {
  const mailer = createMailer({ smtpUrl, from: 'Rabat Process <no-reply@rabat.test>', timeoutMs: 1_000 });
  mailers.push(mailer);
  const started = startNotificationRelay({ db: database.db, mailer, retry: RETRY, idlePollMs: 100, batchSize: 5 });
  relays.push(started);
  return started;
};
const queue = async (count: number) => {
  const requestId = randomUUID();
  await database.db.insert(notifications).values(
    Array.from({ length: count }, (_, seq) => ({ requestId, seq, userId: recipient, reason: 'your_turn' as const, subject: `Message ${seq}`, body: `Body ${seq}` })),
  );
};
const statuses = async () =>
  (await database.db.select({ status: notifications.status, count: sql<number>`count(*)::int` }).from(notifications).groupBy(notifications.status)).reduce(
    (all, row) => ({ ...all, [row.status]: row.count }),
    {} as Record<string, number>,
  );

describe('the e-mail relay', () => {
  it('two relays on one outbox send each message once', async () => {
    await queue(40);
    relay();
    relay();
    await waitFor(statuses, (s) => s.sent === 40);
    expect(mail.received).toHaveLength(40);
    expect(new Set(mail.received.map((m) => m.messageId)).size).toBe(40);
    expect(new Set(mail.received.map((m) => m.subject)).size).toBe(40);
    const attempts = await database.db.select({ attempts: notifications.attempts }).from(notifications);
    expect(attempts.every((row) => row.attempts === 1)).toBe(true);
  });

  it('takes over what a relay that died had claimed, once its claim runs out', async () => {
    await queue(3);
    // A relay claims them and dies before sending: nothing records an attempt.
    const claimed = await claimDueNotifications(database.db, { limit: 10, leaseMs: 800 });
    expect(claimed).toHaveLength(3);
    const started = Date.now();
    relay();
    await waitFor(statuses, (s) => s.sent === 3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(mail.received).toHaveLength(3);
  });

  it('keeps the messages while the mail server is down, and sends them once it answers', async () => {
    await queue(2);
    const port = await freePort();
    relay(`smtp://127.0.0.1:${port}`);
    const failing = await waitFor(
      () => database.db.select().from(notifications),
      (rows) => rows.every((row) => row.status === 'retrying' && row.attempts >= 2),
    );
    expect(failing[0]!.lastError).toContain('The mail server could not be reached');
    expect(Date.parse(failing[0]!.nextAttemptAt)).toBeGreaterThan(Date.parse(failing[0]!.lastAttemptAt!));

    // The server is back (another relay, pointed at it, as after a configuration fix): sent, with the attempts on record.
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    relay();
    const sent = await waitFor(
      () => database.db.select().from(notifications),
      (rows) => rows.every((row) => row.status === 'sent'),
    );
    expect(sent.every((row) => row.attempts >= 3 && row.lastError === null && row.sentTo === 'officer@example.org')).toBe(true);
  });

  it('dead-letters a message after its last attempt', async () => {
    await queue(1);
    relay(`smtp://127.0.0.1:${await freePort()}`);
    const [dead] = await waitFor(
      () => database.db.select().from(notifications),
      (rows) => rows[0]?.status === 'dead',
    );
    expect(dead!.attempts).toBe(RETRY.maximumAttempts);
    expect(dead!.lastError).toContain('could not be reached');
  });

  it('cancels a message whose person removed their address before it went', async () => {
    await queue(1);
    await database.db.update(users).set({ email: null }).where(eq(users.id, recipient));
    try {
      relay();
      const [row] = await waitFor(
        () => database.db.select().from(notifications),
        (rows) => rows[0]?.status === 'cancelled',
      );
      expect(row!.lastError).toBe('The person has no e-mail address any more.');
      expect(mail.received).toHaveLength(0);
    } finally {
      await database.db.update(users).set({ email: 'officer@example.org' }).where(eq(users.id, recipient));
    }
  });
});
