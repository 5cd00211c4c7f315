import { and, eq, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from './client';
import { descendingAsIndexed } from './index-order';
import { adminEvents, notifications, SECRET_BEARING_REASONS, users, type NotificationStatus, type OutboxReason } from './schema';
import { discardPendingEmail } from './email-confirmations-repository';
import { UserInputError } from './users-repository';
import { readableRows } from './readable-rows';
import { isoOfStoredOrNull } from './stored-instants';

/** People's e-mail addresses and the outbox of notifications sent to them. */

/** One address, as people type it: trimmed; at most 254 characters (RFC 5321); nothing that could add a recipient. */
export function validateEmail(input: string | null): string | null {
  if (input === null) return null;
  const email = input.trim();
  if (email.length > 254 || !/^[^@\s,;<>"]+@[^@\s,;<>"]+\.[^@\s,;<>"]+$/.test(email)) {
    throw new UserInputError({ key: 'error.notAnEmail', values: { input } });
  }
  return email;
}

/**
 * Sets (or, with null, removes) where a person is told that requests wait for them. The administrators' log says
 * that it changed and who changed it, not the address: it is personal data, kept in one place only.
 */
export async function setUserEmail(db: Database, userId: string, email: string | null, changedBy: string): Promise<{ name: string; email: string | null } | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.update(users).set({ email }).where(eq(users.id, userId)).returning({ name: users.name, email: users.email });
    if (!row) return null;
    // An address still to be confirmed is forgotten: this one is in use now, or the person wants no e-mail.
    await discardPendingEmail(tx, userId, email === null ? 'The address was removed.' : 'Another address was set.');
    await tx.insert(adminEvents).values({ type: email === null ? 'email_removed' : 'email_set', actorName: changedBy, payload: { user: row.name } });
    return row;
  });
}

/** Sets (or, with null, removes) the one language a person reads their e-mails in. False: no such person. */
export async function setUserLanguage(db: Database, userId: string, language: 'en' | 'fr' | null): Promise<boolean> {
  const rows = await db.update(users).set({ language }).where(eq(users.id, userId)).returning({ id: users.id });
  return rows.length > 0;
}

/**
 * Stops e-mails to `currentEmail` (the one-click unsubscribe link), if it is still the person's address; false when
 * it is not (removed already, or another one since): then nothing changes.
 */
export async function removeUserEmail(db: Database, userId: string, currentEmail: string, changedBy: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ email: null })
      .where(and(eq(users.id, userId), eq(users.email, currentEmail)))
      .returning({ name: users.name });
    if (!row) return false;
    await tx.insert(adminEvents).values({ type: 'email_removed', actorName: changedBy, payload: { user: row.name } });
    return true;
  });
}

const NOTIFICATION_COLUMNS = {
  notificationId: notifications.id,
  requestId: notifications.requestId,
  seq: notifications.seq,
  reason: notifications.reason,
  subject: notifications.subject,
  status: notifications.status,
  attempts: notifications.attempts,
  lastError: notifications.lastError,
  sentTo: notifications.sentTo,
  sentAt: notifications.sentAt,
  createdAt: notifications.createdAt,
};

export interface NotificationFilter {
  userId?: string;
  /** Leave out address confirmations: a person reads their code in their mailbox, not through the API. */
  withoutConfirmations?: boolean;
  requestId?: string;
  status?: NotificationStatus;
  limit: number;
  /** The notificationId of the last row of the previous page. */
  before?: string;
}

/** Newest first. */
export async function listNotifications(db: Database, filter: NotificationFilter) {
  const conditions: SQL[] = [];
  if (filter.userId) conditions.push(eq(notifications.userId, filter.userId));
  if (filter.withoutConfirmations) conditions.push(notInArray(notifications.reason, [...SECRET_BEARING_REASONS]));
  if (filter.requestId) conditions.push(eq(notifications.requestId, filter.requestId));
  if (filter.status) conditions.push(eq(notifications.status, filter.status));
  if (filter.before) {
    // By (createdAt, ID), read from the row itself: one event's e-mails share their createdAt, to the microsecond.
    conditions.push(sql`(${notifications.createdAt}, ${notifications.id}) < (select created_at, id from notifications where id = ${filter.before}::uuid)`);
  }
  const rows = await db
    .select({ ...NOTIFICATION_COLUMNS, recipient: users.name })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(and(...conditions))
    .orderBy(...descendingAsIndexed(notifications.createdAt, notifications.id))
    .limit(filter.limit);
  return readableRows('notifications', rows, (row) => row.notificationId, (row) => ({ ...row, createdAt: row.createdAt.toISOString(), sentAt: isoOfStoredOrNull(row.sentAt) }));
}

/** What the text of an e-mail carrying a secret (a code, a sign-in link) is shown as: only its mailbox may know it. */
const WITHHELD_SECRET_BODY = '(Withheld: it holds a code or a link only its mailbox may know.)';

/** One notification with its text, as it was sent (or is to be); an address confirmation without its code. */
export async function findNotification(db: Database, notificationId: string) {
  const [row] = await db
    .select({ ...NOTIFICATION_COLUMNS, recipient: users.name, userId: notifications.userId, body: notifications.body })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(eq(notifications.id, notificationId));
  if (!row) return null;
  const body = SECRET_BEARING_REASONS.includes(row.reason) ? WITHHELD_SECRET_BODY : row.body;
  return { ...row, body, createdAt: row.createdAt.toISOString(), sentAt: isoOfStoredOrNull(row.sentAt) };
}


/** A message the relay has taken to send: until its claim runs out, no other relay takes it. */
export interface ClaimedNotification {
  notificationId: string;
  userId: string;
  reason: OutboxReason;
  /** The person's address now (null: removed since the message was queued); for a confirmation, the one it confirms. */
  email: string | null;
  subject: string;
  body: string;
  /** Attempts before this one. */
  attempts: number;
  /** When it was queued (what a mail drop directory names its file after). */
  queuedAt: Date;
}

/**
 * Takes up to `limit` messages that are due (queued, or waiting for their next attempt), oldest due first, and
 * claims them for `leaseMs`. Rows another relay is taking at the same moment are skipped, not waited for.
 */
export async function claimDueNotifications(db: Database, options: { limit: number; leaseMs: number }): Promise<ClaimedNotification[]> {
  const { rows } = await db.execute<{ id: string; user_id: string; reason: OutboxReason; email: string | null; subject: string; body: string; attempts: number; queued_ms: string }>(sql`
    update notifications n
    set claimed_until = now() + ${options.leaseMs} * interval '1 millisecond'
    from users u
    where u.id = n.user_id
      and n.id in (
        select id from notifications
        where status in ('pending', 'retrying') and next_attempt_at <= now() and (claimed_until is null or claimed_until < now())
        order by next_attempt_at
        limit ${options.limit}
        for update skip locked
      )
    returning n.id, n.user_id, n.reason, coalesce(n.address, u.email) as email, n.subject, n.body, n.attempts,
      -- In milliseconds: a number, whichever way the driver would hand a timestamptz over.
      floor(extract(epoch from n.created_at) * 1000) as queued_ms`);
  return rows.map((row) => ({
    notificationId: row.id,
    userId: row.user_id,
    reason: row.reason,
    email: row.email,
    subject: row.subject,
    body: row.body,
    attempts: Number(row.attempts),
    queuedAt: new Date(Number(row.queued_ms)),
  }));
}

/** The outcome of one attempt, on the message's row; the claim ends with it. */
export type AttemptOutcome =
  | { sentTo: string }
  | { error: string; retryAt: Date }
  | { error: string; dead: true }
  | { cancelled: string };

/** The columns an outcome sets besides the attempt's bookkeeping. */
function outcomeColumns(outcome: AttemptOutcome, now: string): Partial<typeof notifications.$inferInsert> {
  if ('sentTo' in outcome) return { status: 'sent', sentTo: outcome.sentTo, sentAt: now, lastError: null };
  if ('retryAt' in outcome) return { status: 'retrying', lastError: outcome.error, nextAttemptAt: outcome.retryAt.toISOString() };
  if ('dead' in outcome) return { status: 'dead', lastError: outcome.error };
  return { status: 'cancelled', lastError: outcome.cancelled };
}

export async function recordAttempt(db: Database, notificationId: string, outcome: AttemptOutcome): Promise<void> {
  const now = new Date().toISOString();
  // A cancellation is no attempt: nothing was sent.
  const attempted = 'cancelled' in outcome ? 0 : 1;
  await db
    .update(notifications)
    .set({ ...outcomeColumns(outcome, now), attempts: sql`${notifications.attempts} + ${attempted}`, lastAttemptAt: now, claimedUntil: null })
    .where(eq(notifications.id, notificationId));
}

/**
 * Queues a finished message again (a dead letter once the mail server is fixed, or a sent one that went astray):
 * a fresh series of attempts. The administrators' log keeps how the previous series ended. Refused while the message
 * is not finished (still queued or being tried): it needs no help, and two series at once would send it twice.
 */
export async function requeueNotification(db: Database, notificationId: string, requeuedBy: string): Promise<'requeued' | 'not_found' | 'in_progress'> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: notifications.status, attempts: notifications.attempts, lastError: notifications.lastError, sentAt: notifications.sentAt })
      .from(notifications)
      .where(eq(notifications.id, notificationId))
      .for('update');
    if (!row) return 'not_found';
    if (row.status === 'pending' || row.status === 'retrying') return 'in_progress';
    await tx
      .update(notifications)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: sql`now()`, claimedUntil: null, lastError: null })
      .where(eq(notifications.id, notificationId));
    await tx.insert(adminEvents).values({ type: 'notification_requeued', actorName: requeuedBy, payload: { notificationId, previous: row } });
    return 'requeued';
  });
}
