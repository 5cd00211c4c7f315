import { and, asc, count, eq, gt, lt, sql } from 'drizzle-orm';
import type { Database } from './client';
import { adminEvents, passkeyChallenges, passkeys, users } from './schema';
import { openSession, type ClientOf, type SessionLifetime } from './sessions-repository';
import { isoOfStored } from './stored-instants';

/**
 * Passkeys (README, "Signing in"): the credentials people's authenticators make for this site, and the challenges of
 * the ceremonies that add one or sign in with one. The WebAuthn checks are the route's (@simplewebauthn/server); this
 * keeps what they need and makes each challenge work once.
 */

export const CHALLENGE_VALID_MS = 5 * 60_000;

export interface StoredPasskey {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Keeps a challenge the API just gave (expired ones are cleared on the way). */
export async function keepChallenge(db: Database, input: { challenge: string; purpose: 'registration' | 'authentication'; userId: string | null }): Promise<void> {
  await db.delete(passkeyChallenges).where(lt(passkeyChallenges.expiresAt, sql`now()`));
  await db.insert(passkeyChallenges).values({ ...input, expiresAt: new Date(Date.now() + CHALLENGE_VALID_MS).toISOString() });
}

/**
 * Takes a challenge the API gave for `purpose` (and, for a registration, to this person): true once, within its five
 * minutes; false if unknown, spent or expired.
 */
export async function takeChallenge(db: Database, input: { challenge: string; purpose: 'registration' | 'authentication'; userId: string | null }): Promise<boolean> {
  const taken = await db
    .delete(passkeyChallenges)
    .where(
      and(
        eq(passkeyChallenges.challenge, input.challenge),
        eq(passkeyChallenges.purpose, input.purpose),
        input.userId === null ? sql`${passkeyChallenges.userId} is null` : eq(passkeyChallenges.userId, input.userId),
      ),
    )
    .returning({ expiresAt: passkeyChallenges.expiresAt });
  return taken.length === 1 && new Date(isoOfStored(taken[0]!.expiresAt)).getTime() > Date.now();
}

const toPasskey = (row: typeof passkeys.$inferSelect): StoredPasskey => ({
  ...row,
  createdAt: isoOfStored(row.createdAt),
  lastUsedAt: row.lastUsedAt === null ? null : isoOfStored(row.lastUsedAt),
});

/** A person's passkeys, oldest first. */
export async function listPasskeys(db: Database, userId: string): Promise<StoredPasskey[]> {
  return (await db.select().from(passkeys).where(eq(passkeys.userId, userId)).orderBy(asc(passkeys.createdAt))).map(toPasskey);
}

export async function countPasskeys(db: Pick<Database, 'select'>, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, userId));
  return row?.n ?? 0;
}

/** The passkey of a credential ID, whoever's it is. */
export async function findPasskey(db: Database, credentialId: string): Promise<StoredPasskey | null> {
  const [row] = await db.select().from(passkeys).where(eq(passkeys.credentialId, credentialId));
  return row ? toPasskey(row) : null;
}

/** Stores a verified credential as the person's passkey, and logs it (its name and ID, nothing of its key). Null if the credential is known already. */
export async function addPasskey(
  db: Database,
  input: { userId: string; userName: string; credentialId: string; publicKey: string; counter: number; transports: string[]; name: string },
): Promise<StoredPasskey | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(passkeys)
      .values({ userId: input.userId, credentialId: input.credentialId, publicKey: input.publicKey, counter: input.counter, transports: input.transports, name: input.name })
      .onConflictDoNothing({ target: passkeys.credentialId })
      .returning();
    if (!row) return null;
    await tx.insert(adminEvents).values({ type: 'passkey_added', actorName: input.userName, payload: { user: input.userName, passkeyId: row.id, name: input.name } });
    return toPasskey(row);
  });
}

/** Removes one of the person's passkeys; false if they have none of that ID. */
export async function removePasskey(db: Database, input: { userId: string; userName: string; passkeyId: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(passkeys)
      .where(and(eq(passkeys.id, input.passkeyId), eq(passkeys.userId, input.userId)))
      .returning({ id: passkeys.id, name: passkeys.name });
    if (removed.length === 0) return false;
    await tx.insert(adminEvents).values({ type: 'passkey_removed', actorName: input.userName, payload: { user: input.userName, passkeyId: removed[0]!.id, name: removed[0]!.name } });
    return true;
  });
}

/** Removes every passkey of a person (an administrator, for someone who lost theirs); how many there were. */
export async function removeAllPasskeys(db: Database, input: { userId: string; userName: string; by: string }): Promise<number> {
  return db.transaction(async (tx) => {
    const removed = await tx.delete(passkeys).where(eq(passkeys.userId, input.userId)).returning({ id: passkeys.id, name: passkeys.name });
    for (const passkey of removed) {
      await tx.insert(adminEvents).values({ type: 'passkey_removed', actorName: input.by, payload: { user: input.userName, passkeyId: passkey.id, name: passkey.name } });
    }
    return removed.length;
  });
}

/**
 * Signs in with a passkey whose assertion the route verified: its counter moves on (only forward: a concurrent use
 * with the same counter loses), and a session opens, as every way in does. Null when its person is deactivated or the
 * counter went back meanwhile.
 */
export async function signInWithPasskey(
  db: Database,
  input: { passkey: StoredPasskey; newCounter: number; client: ClientOf; lifetime: SessionLifetime },
): Promise<{ secret: string; sessionId: string; expiresAt: string; user: { userId: string; name: string } } | null> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id, name: users.name, deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, input.passkey.userId));
    if (!user || user.deactivatedAt) return null;
    // Authenticators that count nothing (synced passkeys) always say 0: then there is nothing to compare.
    const counterMoves = input.newCounter === 0 && input.passkey.counter === 0 ? undefined : gt(sql`${input.newCounter}::bigint`, passkeys.counter);
    const used = await tx
      .update(passkeys)
      .set({ counter: input.newCounter, lastUsedAt: sql`now()` })
      .where(and(eq(passkeys.id, input.passkey.id), counterMoves))
      .returning({ id: passkeys.id });
    if (used.length === 0) return null;
    const session = await openSession(tx, { userId: user.id, userName: user.name, method: 'passkey', client: input.client, lifetime: input.lifetime });
    return { ...session, user: { userId: user.id, name: user.name } };
  });
}

/** A refused passkey sign-in, on the administrators' log (the reason and where from; never the response's content). */
export async function recordPasskeyFailure(db: Database, reason: string, client: ClientOf): Promise<void> {
  await db.insert(adminEvents).values({ type: 'sign_in_failed', actorName: 'anonymous', payload: { reason: `passkey_${reason}`, from: client.clientAddress } });
}
