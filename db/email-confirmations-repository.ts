import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from './client';
import { adminEvents, emailConfirmations, notifications, users } from './schema';

/**
 * A person's own new address is used only once they have typed the code sent to it: a mistyped address never
 * receives what concerns their requests. Until then notifications keep going to the address in use, if any.
 * Administrators set addresses directly (setUserEmail): they vouch for them.
 */

/** Wrong codes allowed for one address; the next one discards it, and the person asks for a new code. */
export const MAX_FAILED_ATTEMPTS = 5;
/** Long enough for e-mail that arrives late on a slow network. */
export const CONFIRMATION_VALID_MS = 24 * 60 * 60 * 1000;

/** Six digits: typed from a phone as easily as from a desk. Tries are counted, so guessing is hopeless. */
export function newConfirmationCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

const codeHash = (userId: string, code: string) => createHash('sha256').update(`${userId}:${code}`).digest('hex');

export interface PendingEmail {
  address: string;
  expiresAt: string;
}

export async function findPendingEmail(db: Database, userId: string): Promise<PendingEmail | null> {
  const [row] = await db
    .select({ address: emailConfirmations.email, expiresAt: emailConfirmations.expiresAt })
    .from(emailConfirmations)
    .where(eq(emailConfirmations.userId, userId));
  return row ? { address: row.address, expiresAt: row.expiresAt.toISOString() } : null;
}

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Forgets a person's unconfirmed address, and stops its code's e-mail if it is still to be sent. */
export async function discardPendingEmail(tx: Transaction | Database, userId: string, why: string): Promise<void> {
  await tx.delete(emailConfirmations).where(eq(emailConfirmations.userId, userId));
  await tx
    .update(notifications)
    .set({ status: 'cancelled', lastError: why, claimedUntil: null })
    .where(and(eq(notifications.userId, userId), eq(notifications.reason, 'email_confirmation'), inArray(notifications.status, ['pending', 'retrying'])));
}

/**
 * Records the address to confirm and queues the e-mail with its code, in one transaction: the relay sends it to that
 * address. A previous unconfirmed address is replaced, and its code no longer works.
 */
export async function startEmailConfirmation(
  db: Database,
  input: { userId: string; email: string; code: string; expiresAt: Date; message: { subject: string; body: string } },
): Promise<void> {
  const { expiresAt } = input;
  await db.transaction(async (tx) => {
    await discardPendingEmail(tx, input.userId, 'A newer address replaced the one this code was for.');
    await tx.insert(emailConfirmations).values({ userId: input.userId, email: input.email, codeHash: codeHash(input.userId, input.code), expiresAt });
    await tx.insert(notifications).values({ userId: input.userId, reason: 'email_confirmation', address: input.email, ...input.message });
  });
}

export type ConfirmationOutcome =
  | { outcome: 'confirmed'; email: string }
  | { outcome: 'nothing_to_confirm' }
  | { outcome: 'expired'; address: string }
  | { outcome: 'wrong_code'; attemptsLeft: number }
  | { outcome: 'too_many_attempts'; address: string };

/**
 * Checks a code against the person's unconfirmed address. Right: the address is in use from now on (the
 * administrators' log says it changed, not what it is). Wrong: the attempt is counted, and the last one allowed
 * discards the address. Expired: discarded. Each outcome is committed before it is told.
 */
export async function confirmEmail(db: Database, userId: string, code: string, confirmedBy: string): Promise<ConfirmationOutcome> {
  return db.transaction(async (tx) => {
    const [pending] = await tx.select().from(emailConfirmations).where(eq(emailConfirmations.userId, userId)).for('update');
    if (!pending) return { outcome: 'nothing_to_confirm' };
    if (pending.expiresAt.getTime() <= Date.now()) {
      await discardPendingEmail(tx, userId, 'The code expired.');
      return { outcome: 'expired', address: pending.email };
    }
    if (!timingSafeEqual(Buffer.from(codeHash(userId, code)), Buffer.from(pending.codeHash))) {
      const failed = pending.failedAttempts + 1;
      if (failed >= MAX_FAILED_ATTEMPTS) {
        await discardPendingEmail(tx, userId, 'Too many wrong codes were typed.');
        return { outcome: 'too_many_attempts', address: pending.email };
      }
      await tx.update(emailConfirmations).set({ failedAttempts: failed }).where(eq(emailConfirmations.userId, userId));
      return { outcome: 'wrong_code', attemptsLeft: MAX_FAILED_ATTEMPTS - failed };
    }
    const [user] = await tx.update(users).set({ email: pending.email }).where(eq(users.id, userId)).returning({ name: users.name });
    await tx.delete(emailConfirmations).where(eq(emailConfirmations.userId, userId));
    await tx.insert(adminEvents).values({ type: 'email_confirmed', actorName: confirmedBy, payload: { user: user!.name } });
    return { outcome: 'confirmed', email: pending.email };
  });
}
