import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from './client';
import { adminEvents, apiTokens, users } from './schema';
import { COUNTRY_BOUND_ROLES, ROLES, type Role } from '../workflows/request-model';
import { readableRows } from './readable-rows';
import { commaList } from '../i18n/localized';
import { DATABASE_DATE_BOUNDS, isInstantWithin } from '../workflows/date-bounds';
import { instantOfPostgresText, isoOfStored, isoOfStoredOrNull } from './stored-instants';
import { UserInputError } from './user-input-error';
import { checkMember } from './dialogue-members-repository';
import { endSessions } from './sessions-repository';
import { preparedOnce } from './prepared-once';
import { SIGNED_IN_PERSON, signedInAs } from './signed-in-person';

/**
 * Users and their API tokens: shared by the API's authentication, the admin API and the CLI.
 *
 * A token reads `rbt_<token id>_<secret>`. Only SHA-256(secret) is stored. Authentication finds the row by
 * its ID and compares the hashes in constant time, so a guess learns nothing from how long the answer took.
 */

const TOKEN_FORMAT = /^rbt_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

export { UserInputError };

export interface NewUser {
  name: string;
  role: Role;
  country: string | null;
}

export function validateNewUser(input: { name: string; role: string; country?: string | null }): NewUser {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) throw new UserInputError({ key: 'error.userName' });
  if (!(ROLES as readonly string[]).includes(input.role)) {
    throw new UserInputError({ key: 'error.userRole', values: { roles: commaList(ROLES), role: input.role } });
  }
  const role = input.role as Role;
  const country = input.country ? input.country.toUpperCase() : null;
  if (country !== null && !/^[A-Z]{2}$/.test(country)) {
    throw new UserInputError({ key: 'error.userCountry', values: { country: String(input.country) } });
  }
  if (COUNTRY_BOUND_ROLES.includes(role) && country === null) {
    throw new UserInputError({ key: 'error.roleNeedsCountry', values: { role } });
  }
  if (!COUNTRY_BOUND_ROLES.includes(role) && country !== null) {
    throw new UserInputError({ key: 'error.roleWithoutCountry', values: { role } });
  }
  return { name, role, country };
}

export interface IssuedToken {
  token: string;
  tokenId: string;
  userId: string;
  expiresAt: string | null;
  /** Whether the user was created by this call. */
  created: boolean;
}

/** An expiry stored as no instant at all (before the CHECK constraints) has expired: a token fails closed. */
const isExpired = (expiresAt: string, now: Date): boolean => (instantOfPostgresText(expiresAt)?.getTime() ?? Number.NEGATIVE_INFINITY) <= now.getTime();

/**
 * Issues a new token for the named user, creating the user if new. An existing user keeps their role:
 * asking for a different one is refused rather than silently changing who can do what.
 */
export async function issueToken(
  db: Database,
  input: NewUser,
  options: { expiresAt?: string | null; label?: string | null; issuedBy?: string } = {},
): Promise<IssuedToken> {
  // Every path that issues tokens (the API, the CLI) meets the same bound as the database's CHECK.
  if (options.expiresAt && !isInstantWithin(options.expiresAt)) throw new UserInputError({ key: 'error.expiryBounds', values: { ...DATABASE_DATE_BOUNDS } });
  return db.transaction(async (tx) => {
    // A new person's country must be on the dialogue's list; one already on record keeps theirs, whatever became of it.
    if (input.country !== null) {
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.name, input.name));
      if (!existing) await checkMember(tx, input.country);
    }
    const inserted = await tx.insert(users).values(input).onConflictDoNothing({ target: users.name }).returning({ id: users.id });
    let userId = inserted[0]?.id;
    if (!userId) {
      const [existing] = await tx.select().from(users).where(eq(users.name, input.name));
      if (!existing) throw new Error(`user ${input.name} vanished during token creation`);
      if (existing.role !== input.role || (existing.country ?? null) !== input.country) {
        throw new UserInputError({ key: 'error.userExistsAs', values: { name: input.name, role: existing.role, country: existing.country ?? 'none' } });
      }
      userId = existing.id;
    }
    const tokenId = randomBytes(16).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = options.expiresAt ?? null;
    await tx.insert(apiTokens).values({
      id: toUuid(tokenId),
      userId,
      tokenHash: sha256(secret).toString('hex'),
      label: options.label ?? null,
      expiresAt,
    });
    const by = options.issuedBy ?? 'cli';
    if (inserted.length > 0) await tx.insert(adminEvents).values({ type: 'user_created', actorName: by, payload: { user: input.name, role: input.role, country: input.country } });
    await tx.insert(adminEvents).values({ type: 'token_issued', actorName: by, payload: { user: input.name, tokenId: toUuid(tokenId), expiresAt } });
    return { token: `rbt_${tokenId}_${secret}`, tokenId: toUuid(tokenId), userId, expiresAt, created: inserted.length > 0 };
  });
}

const toUuid = (hex: string): string =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

export type TokenCheck =
  | { ok: true; tokenId: string; user: { userId: string; name: string; role: Role; country: string | null }; language: 'en' | 'fr' | null }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' | 'expired'; expiresAt?: string };

/**
 * The token's row and its person's (0.25 ms at the median, where building the query each time doubled it, measured at
 * 1,000,000 requests): every API call checks its token.
 */
const tokenLookup = preparedOnce((db) =>
  db
    .select({
      tokenId: apiTokens.id,
      tokenHash: apiTokens.tokenHash,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
      ...SIGNED_IN_PERSON,
    })
    .from(apiTokens)
    .innerJoin(users, eq(apiTokens.userId, users.id))
    .where(eq(apiTokens.id, sql.placeholder('tokenId')))
    .prepare('check_api_token'),
);

export async function checkToken(db: Database, token: string, now = new Date()): Promise<TokenCheck> {
  const match = TOKEN_FORMAT.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, idHex, secret] = match as unknown as [string, string, string];
  const [row] = await tokenLookup(db).execute({ tokenId: toUuid(idHex) });
  const presented = sha256(secret);
  // Compare even when no row was found, so that unknown and wrong tokens take the same time.
  const stored = row ? Buffer.from(row.tokenHash, 'hex') : Buffer.alloc(presented.length);
  if (!timingSafeEqual(presented, stored) || !row) return { ok: false, reason: 'unknown' };
  // A deactivated person's tokens stop working with their sessions; they work again if the person is reactivated.
  if (row.revokedAt || row.deactivatedAt) return { ok: false, reason: 'revoked' };
  if (row.expiresAt && isExpired(row.expiresAt, now)) return { ok: false, reason: 'expired', expiresAt: isoOfStoredOrNull(row.expiresAt) ?? row.expiresAt };
  await recordUse(db, row.tokenId, row.lastUsedAt, now);
  return { ok: true, tokenId: row.tokenId, ...signedInAs(row) };
}

/** last_used_at to the minute: enough to see which tokens are alive, without a write on every request. */
async function recordUse(db: Database, tokenId: string, lastUsedAt: string | null, now: Date): Promise<void> {
  if (lastUsedAt && now.getTime() - (instantOfPostgresText(lastUsedAt)?.getTime() ?? 0) < 60_000) return;
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now.toISOString() })
    .where(and(eq(apiTokens.id, tokenId), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(now.getTime() - 60_000).toISOString()))));
}

export async function listUsers(db: Database) {
  return db
    .select({ userId: users.id, name: users.name, role: users.role, country: users.country, email: users.email, deactivatedAt: users.deactivatedAt, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.name));
}

/** Creates a user; null if the name is taken (names identify people in the audit trail, so they are unique). */
export async function createUser(db: Database, input: NewUser, createdBy: string) {
  return db.transaction(async (tx) => {
    if (input.country !== null) await checkMember(tx, input.country);
    const [row] = await tx.insert(users).values(input).onConflictDoNothing({ target: users.name }).returning();
    if (!row) return null;
    await tx.insert(adminEvents).values({ type: 'user_created', actorName: createdBy, payload: { user: input.name, role: input.role, country: input.country } });
    return { userId: row.id, name: row.name, role: row.role, country: row.country, email: row.email, createdAt: row.createdAt.toISOString() };
  });
}

export async function findUserById(db: Database, userId: string) {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row ?? null;
}

/** Whether the person still has an API token that works: without one they have lost their access, calendar included. */
export async function hasUsableToken(db: Database, userId: string): Promise<boolean> {
  const rows = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), sql`${apiTokens.expiresAt} > now()`)))
    .limit(1);
  return rows.length > 0;
}

/** Retires the address of the person's calendar feed (its signature covers the version): the next one differs. */
export async function renewCalendarVersion(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .update(users)
    .set({ calendarVersion: sql`${users.calendarVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ calendarVersion: users.calendarVersion });
  return row!.calendarVersion;
}

export async function hasAnyUser(db: Database): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).limit(1);
  return rows.length > 0;
}

/** Every token's metadata, newest first; never the secret (which is not stored anyway). */
export async function listTokens(db: Database, filter: { userName?: string } = {}) {
  const rows = await db
    .select({
      tokenId: apiTokens.id,
      user: users.name,
      role: users.role,
      label: apiTokens.label,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(apiTokens.userId, users.id))
    .where(filter.userName ? eq(users.name, filter.userName) : undefined)
    .orderBy(desc(apiTokens.createdAt));
  return readableRows('api_tokens', rows, (row) => row.tokenId, (row) => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    expiresAt: isoOfStoredOrNull(row.expiresAt),
    revokedAt: isoOfStoredOrNull(row.revokedAt),
    lastUsedAt: isoOfStoredOrNull(row.lastUsedAt),
  }));
}

/** Revokes a token; revoking it again changes nothing. Returns null for an unknown token. */
export async function revokeToken(db: Database, tokenId: string, revokedBy: string): Promise<{ revokedAt: string } | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ revokedAt: apiTokens.revokedAt }).from(apiTokens).where(eq(apiTokens.id, tokenId));
    if (!row) return null;
    if (row.revokedAt) return { revokedAt: isoOfStored(row.revokedAt) };
    const [updated] = await tx
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(eq(apiTokens.id, tokenId))
      .returning({ revokedAt: apiTokens.revokedAt });
    await tx.insert(adminEvents).values({ type: 'token_revoked', actorName: revokedBy, payload: { tokenId } });
    return { revokedAt: isoOfStored(updated!.revokedAt!) };
  });
}

/** What an administrator may change of a person: their role and country together, and whether they may sign in. */
export interface AccessChange {
  role?: Role;
  country?: string | null;
  active?: boolean;
}

/**
 * Changes a person's access. A new role or country, or a deactivation, ends every session of theirs at once: a
 * browser must not keep rights the person no longer has. Null for an unknown person.
 */
export async function changeAccess(db: Database, userId: string, change: AccessChange, by: string) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!before) return null;
    const next = validateNewUser({ name: before.name, role: change.role ?? before.role, country: change.country === undefined ? before.country : change.country });
    if (next.country !== null && next.country !== before.country) await checkMember(tx, next.country);
    const accessChanged = next.role !== before.role || next.country !== (before.country ?? null);
    const deactivating = change.active === false && before.deactivatedAt === null;
    const reactivating = change.active === true && before.deactivatedAt !== null;
    const [after] = await tx
      .update(users)
      .set({ role: next.role, country: next.country, ...(deactivating ? { deactivatedAt: sql`now()` } : reactivating ? { deactivatedAt: null } : {}) })
      .where(eq(users.id, userId))
      .returning();
    if (accessChanged) {
      await tx.insert(adminEvents).values({ type: 'user_changed', actorName: by, payload: { user: before.name, before: { role: before.role, country: before.country }, after: { role: next.role, country: next.country } } });
    }
    if (deactivating) await tx.insert(adminEvents).values({ type: 'user_deactivated', actorName: by, payload: { user: before.name } });
    if (reactivating) await tx.insert(adminEvents).values({ type: 'user_reactivated', actorName: by, payload: { user: before.name } });
    const endedSessions =
      accessChanged || deactivating ? await endSessions(tx, { userId, userName: before.name, reason: deactivating ? 'deactivated' : 'access_changed', by }) : 0;
    return { user: after!, endedSessions };
  });
}
