import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from './client';
import { adminEvents, sessions, users, type SessionEnd, type SignInMethod } from './schema';
import { hashOfSecret, newSecret } from './sign-in-secrets';
import { isoOfStored } from './stored-instants';
import type { Role } from '../workflows/request-model';
import type { Language } from '../i18n/languages';
import { preparedOnce } from './prepared-once';
import { SIGNED_IN_PERSON, signedInAs } from './signed-in-person';

/**
 * Browsers signed in as people (README, "Signing in"): opened by a sign-in, checked on every call the cookie
 * authenticates, listed for their person, ended by them, by an administrator, or by a change of their access.
 */

/** How long sessions last: idle, and at most, whatever their use. */
export interface SessionLifetime {
  idleMs: number;
  absoluteMs: number;
}

export const DEFAULT_SESSION_LIFETIME: SessionLifetime = { idleMs: 8 * 3600_000, absoluteMs: 7 * 24 * 3600_000 };

/** Where a sign-in came from: the client's address and its browser, as "Your sessions" shows them. */
export interface ClientOf {
  clientAddress: string;
  userAgent: string;
}

type Writer = Pick<Database, 'insert' | 'update'>;

/**
 * Opens a session for the person, in the sign-in's transaction (`tx`), and records the sign-in. Returns the cookie's
 * secret, given to the browser once.
 */
export async function openSession(
  tx: Writer,
  input: { userId: string; userName: string; method: SignInMethod; client: ClientOf; lifetime: SessionLifetime },
): Promise<{ secret: string; sessionId: string; expiresAt: string }> {
  const secret = newSecret();
  const expiresAt = new Date(Date.now() + input.lifetime.absoluteMs).toISOString();
  const [row] = await tx
    .insert(sessions)
    .values({
      secretHash: hashOfSecret(secret),
      userId: input.userId,
      method: input.method,
      expiresAt,
      clientAddress: input.client.clientAddress,
      userAgent: input.client.userAgent.slice(0, 300),
    })
    .returning({ id: sessions.id });
  await tx.insert(adminEvents).values({
    type: 'signed_in',
    actorName: input.userName,
    payload: { user: input.userName, method: input.method, sessionId: row!.id, from: input.client.clientAddress, userAgent: input.client.userAgent.slice(0, 300) },
  });
  return { secret, sessionId: row!.id, expiresAt };
}

export type SessionCheck =
  | {
      ok: true;
      sessionId: string;
      expiresAt: string;
      user: { userId: string; name: string; role: Role; country: string | null };
      language: Language | null;
    }
  | { ok: false; reason: 'unknown' | 'ended' | 'expired' };

/** The session's row and its person's: every call from a signed-in browser checks its session. */
const sessionLookup = preparedOnce((db) => {
  const instant = (name: string) => sql`${sql.placeholder(name)}::timestamptz`;
  return db
    .select({
      sessionId: sessions.id,
      expiresAt: sessions.expiresAt,
      endedAt: sessions.endedAt,
      expired: sql<boolean>`${sessions.expiresAt} <= ${instant('now')} or ${sessions.lastUsedAt} <= ${instant('idleSince')}`,
      recentlyUsed: sql<boolean>`${sessions.lastUsedAt} > ${instant('usedSince')}`,
      ...SIGNED_IN_PERSON,
    })
    .from(sessions)
    .innerJoin(users, eq(sessions.userId, users.id))
    .where(eq(sessions.secretHash, sql.placeholder('secretHash')))
    .prepare('check_browser_session');
});

/** The session a cookie names, if it is still open; its last use is recorded (to the minute). */
export async function checkSession(db: Database, secret: string, lifetime: SessionLifetime, now = new Date()): Promise<SessionCheck> {
  const [row] = await sessionLookup(db).execute({
    secretHash: hashOfSecret(secret),
    now: now.toISOString(),
    idleSince: new Date(now.getTime() - lifetime.idleMs).toISOString(),
    usedSince: new Date(now.getTime() - 60_000).toISOString(),
  });
  if (!row) return { ok: false, reason: 'unknown' };
  // A deactivated person's sessions were ended with the deactivation; this guards a session opened meanwhile.
  if (row.endedAt || row.deactivatedAt) return { ok: false, reason: 'ended' };
  if (row.expired) return { ok: false, reason: 'expired' };
  if (!row.recentlyUsed) await db.update(sessions).set({ lastUsedAt: now.toISOString() }).where(eq(sessions.id, row.sessionId));
  return { ok: true, sessionId: row.sessionId, expiresAt: isoOfStored(row.expiresAt), ...signedInAs(row) };
}

/** A person's open sessions, newest first: where and when each was opened and last used. */
export async function listOpenSessions(db: Database, userId: string, lifetime: SessionLifetime) {
  const idleSince = new Date(Date.now() - lifetime.idleMs).toISOString();
  const rows = await db
    .select({
      sessionId: sessions.id,
      method: sessions.method,
      createdAt: sessions.createdAt,
      lastUsedAt: sessions.lastUsedAt,
      expiresAt: sessions.expiresAt,
      clientAddress: sessions.clientAddress,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.endedAt), sql`${sessions.expiresAt} > now()`, sql`${sessions.lastUsedAt} > ${idleSince}::timestamptz`))
    .orderBy(desc(sessions.createdAt));
  return rows.map((row) => ({ ...row, createdAt: isoOfStored(row.createdAt), lastUsedAt: isoOfStored(row.lastUsedAt), expiresAt: isoOfStored(row.expiresAt) }));
}

/**
 * Ends a person's sessions — one (`sessionId`) or all — and records it; ending an ended one changes nothing.
 * Returns how many were open.
 */
export async function endSessions(
  db: Writer,
  input: { userId: string; userName: string; sessionId?: string; reason: SessionEnd; by: string },
): Promise<number> {
  const ended = await db
    .update(sessions)
    .set({ endedAt: sql`now()`, endReason: input.reason })
    .where(and(eq(sessions.userId, input.userId), isNull(sessions.endedAt), input.sessionId ? eq(sessions.id, input.sessionId) : undefined))
    .returning({ id: sessions.id });
  if (ended.length > 0) {
    await db.insert(adminEvents).values({
      type: 'session_ended',
      actorName: input.by,
      payload: { user: input.userName, reason: input.reason, sessions: ended.map((row) => row.id) },
    });
  }
  return ended.length;
}
