import { randomUUID } from 'node:crypto';
import { and, count, desc, eq, gt, isNull, min, sql } from 'drizzle-orm';
import type { Database } from './client';
import { adminEvents, notifications, signInAttempts, signInSecrets, users } from './schema';
import { hashOfAddress, hashOfCode, hashOfSecret, newCode, newSecret, sameHash } from './sign-in-secrets';
import { openSession, type ClientOf, type SessionLifetime } from './sessions-repository';
import { checkMember } from './dialogue-members-repository';
import type { NewUser } from './users-repository';
import type { Language } from '../i18n/languages';
import type { Role } from '../workflows/request-model';
import { countPasskeys } from './passkeys-repository';

/**
 * The ways into a session that start with an e-mail (README, "Signing in"): an administrator's invitation, and a
 * link with a short code a person asks for with their address. Each secret works once, until it expires; only its
 * hash is stored, and the e-mail carrying it goes through the outbox like every other.
 */

export const INVITATION_VALID_MS = 72 * 3600_000;
export const SIGN_IN_VALID_MS = 15 * 60_000;
/** Codes typed wrong before a sign-in e-mail stops working: a six-digit code then stays a 1-in-200,000 guess. */
export const MAX_WRONG_CODES = 5;

/** How many sign-in e-mails and typed codes an address, and a client address, may have in a window. */
export interface SignInLimits {
  windowMs: number;
  perAddress: number;
  perClient: number;
}
export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { windowMs: 15 * 60_000, perAddress: 5, perClient: 30 };

/** The e-mail carrying a secret, worded by the caller once the secret is known (its link, its code). */
export type Compose = (secret: { secret: string; code: string; expiresAt: string; language: Language | null; name: string }) => { subject: string; body: string };

/**
 * The e-mails a request to sign in by e-mail sends: the link and code, or, to a person whose role signs in with a
 * passkey or single sign-on only (STRONG_SIGN_IN_ROLES), how they do sign in — no secret they could not use.
 */
export interface SignInMail {
  link: Compose;
  strongSignInOnly: (person: { language: Language | null; name: string }) => { subject: string; body: string };
}

/** An invitation to an address another person already has: an address signs in one person only. */
export class EmailInUse extends Error {
  constructor(readonly holder: string) {
    super('This address is already that of another person.');
  }
}

/**
 * Invites a person: creates them with their role and country (only an administrator grants either) and their
 * address, and queues the invitation with its single-use link. Null when the name is taken.
 */
export async function invitePerson(
  db: Database,
  input: NewUser & { email: string; language: Language | null },
  by: string,
  compose: Compose,
  validMs = INVITATION_VALID_MS,
): Promise<{ userId: string; invitationId: string; expiresAt: string } | null> {
  return db.transaction(async (tx) => {
    if (input.country !== null) await checkMember(tx, input.country);
    const [taken] = await tx.select({ name: users.name }).from(users).where(sql`lower(${users.email}) = ${input.email.toLowerCase()}`);
    if (taken) throw new EmailInUse(taken.name);
    const [user] = await tx
      .insert(users)
      .values({ name: input.name, role: input.role, country: input.country, email: input.email, language: input.language })
      .onConflictDoNothing({ target: users.name })
      .returning({ id: users.id });
    if (!user) return null;
    await tx.insert(adminEvents).values({ type: 'user_created', actorName: by, payload: { user: input.name, role: input.role, country: input.country } });
    return { userId: user.id, ...(await queueInvitation(tx, { userId: user.id, name: input.name, email: input.email, language: input.language }, by, compose, validMs)) };
  });
}

/**
 * Invites a person already on record again, with the role and country they have: the way back in for someone who
 * lost their passkey or never used their first invitation. Earlier invitations of theirs stop working. Null for an
 * unknown or deactivated person, or one without an address.
 */
export async function inviteAgain(db: Database, userId: string, by: string, compose: Compose, validMs = INVITATION_VALID_MS) {
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(and(eq(users.id, userId), isNull(users.deactivatedAt))).for('update');
    if (!user?.email) return null;
    await tx.update(signInSecrets).set({ usedAt: sql`now()` }).where(and(eq(signInSecrets.userId, userId), eq(signInSecrets.purpose, 'invitation'), isNull(signInSecrets.usedAt)));
    return { userId, ...(await queueInvitation(tx, { userId, name: user.name, email: user.email, language: user.language }, by, compose, validMs)) };
  });
}

/** The invitation's secret (only its hash kept) and its e-mail, queued in the caller's transaction. */
async function queueInvitation(tx: Tx, person: { userId: string; name: string; email: string; language: Language | null }, by: string, compose: Compose, validMs: number) {
  const secret = newSecret();
  const expiresAt = new Date(Date.now() + validMs).toISOString();
  const [invitation] = await tx
    .insert(signInSecrets)
    .values({ purpose: 'invitation', userId: person.userId, secretHash: hashOfSecret(secret), createdBy: by, expiresAt })
    .returning({ id: signInSecrets.id });
  await tx.insert(notifications).values({
    userId: person.userId,
    reason: 'invitation',
    address: person.email,
    ...compose({ secret, code: '', expiresAt, language: person.language, name: person.name }),
  });
  await tx.insert(adminEvents).values({ type: 'invitation_sent', actorName: by, payload: { user: person.name, invitationId: invitation!.id, expiresAt } });
  return { invitationId: invitation!.id, expiresAt };
}

export type SignInRequest = { outcome: 'accepted' } | { outcome: 'limited'; retryAfterSeconds: number };

/**
 * A person asks to sign in with their address: the attempt counted against both limits, then the e-mail queued.
 * The API answers between the two (`countSignInAttempt`, then `queueSignInEmail` once answered), so that how long
 * the answer takes says nothing of the address either.
 */
export async function requestSignInEmail(
  db: Database,
  input: { email: string; client: ClientOf; limits: SignInLimits; validMs?: number; strongRoles?: readonly Role[] },
  compose: SignInMail,
): Promise<SignInRequest> {
  const limited = await countSignInAttempt(db, input.email, input.client, input.limits);
  if (limited) return limited;
  await queueSignInEmail(db, input, compose);
  return { outcome: 'accepted' };
}

/** Counts one sign-in attempt for the address and the client; the refusal, with when to retry, once either is over. */
export async function countSignInAttempt(db: Database, email: string, client: ClientOf, limits: SignInLimits) {
  return db.transaction((tx) => countAttempt(tx, email, client, limits));
}

/** Only if the address is an active person's: a link and a code queued to it (or how their role signs in). Either way, on the log. */
export async function queueSignInEmail(db: Database, input: { email: string; client: ClientOf; validMs?: number; strongRoles?: readonly Role[] }, compose: SignInMail): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, name: users.name, email: users.email, language: users.language, role: users.role })
      .from(users)
      .where(and(sql`lower(${users.email}) = ${input.email.trim().toLowerCase()}`, isNull(users.deactivatedAt)))
      .limit(2);
    if (!user) {
      await tx.insert(adminEvents).values({ type: 'sign_in_failed', actorName: 'anonymous', payload: { reason: 'unknown_address', from: input.client.clientAddress } });
      return;
    }
    if (input.strongRoles?.includes(user.role)) {
      // A link their role may not use would be refused once opened: they are told at once how they do sign in.
      await tx.insert(notifications).values({ userId: user.id, reason: 'sign_in', address: user.email, ...compose.strongSignInOnly({ language: user.language, name: user.name }) });
      await tx.insert(adminEvents).values({ type: 'sign_in_failed', actorName: user.name, payload: { reason: 'strong_sign_in_required', method: 'email', from: input.client.clientAddress } });
      return;
    }
    const secret = newSecret();
    const code = newCode();
    const expiresAt = new Date(Date.now() + (input.validMs ?? SIGN_IN_VALID_MS)).toISOString();
    const id = randomUUID();
    await tx.insert(signInSecrets).values({ id, purpose: 'sign_in', userId: user.id, secretHash: hashOfSecret(secret), codeHash: hashOfCode(id, code), createdBy: user.name, expiresAt });
    await tx.insert(notifications).values({ userId: user.id, reason: 'sign_in', address: user.email, ...compose.link({ secret, code, expiresAt, language: user.language, name: user.name }) });
    await tx.insert(adminEvents).values({ type: 'sign_in_email_sent', actorName: user.name, payload: { user: user.name, from: input.client.clientAddress } });
  });
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Records one attempt for the address and the client; the refusal (with when to retry) once either is over its limit. */
async function countAttempt(tx: Tx, email: string, client: ClientOf, limits: SignInLimits): Promise<{ outcome: 'limited'; retryAfterSeconds: number } | null> {
  const addressHash = hashOfAddress(email);
  const since = new Date(Date.now() - limits.windowMs).toISOString();
  const [byAddress, byClient] = await Promise.all(
    [eq(signInAttempts.addressHash, addressHash), eq(signInAttempts.clientAddress, client.clientAddress)].map(async (who) => {
      const [row] = await tx.select({ attempts: count(), oldest: min(signInAttempts.at) }).from(signInAttempts).where(and(who, gt(signInAttempts.at, since)));
      return row!;
    }),
  );
  const over = [
    { ...byAddress!, limit: limits.perAddress },
    { ...byClient!, limit: limits.perClient },
  ].filter((tally) => tally.attempts >= tally.limit);
  if (over.length > 0) {
    const freeAt = Math.max(...over.map((tally) => new Date(tally.oldest ?? Date.now()).getTime() + limits.windowMs));
    return { outcome: 'limited', retryAfterSeconds: Math.max(1, Math.ceil((freeAt - Date.now()) / 1000)) };
  }
  await tx.insert(signInAttempts).values({ addressHash, clientAddress: client.clientAddress });
  return null;
}

export type SignInOutcome =
  | { outcome: 'signed_in'; secret: string; sessionId: string; expiresAt: string; user: { userId: string; name: string } }
  | { outcome: 'refused'; reason: 'unknown' | 'used' | 'expired' | 'deactivated' }
  | { outcome: 'wrong_code'; attemptsLeft: number }
  /** The person's role signs in with a passkey or single sign-on only (STRONG_SIGN_IN_ROLES). */
  | { outcome: 'strong_sign_in_required' }
  | { outcome: 'limited'; retryAfterSeconds: number };

type SecretRow = typeof signInSecrets.$inferSelect;

/**
 * Signs in with a link's secret (an invitation's or a sign-in e-mail's, as `purpose` says): used once, then spent;
 * the session is opened in the same transaction, so a link never opens two.
 */
export async function signInWithLink(
  db: Database,
  input: { secret: string; purpose: 'invitation' | 'sign_in'; client: ClientOf; lifetime: SessionLifetime; strongRoles?: readonly Role[] },
): Promise<SignInOutcome> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(signInSecrets).where(and(eq(signInSecrets.secretHash, hashOfSecret(input.secret)), eq(signInSecrets.purpose, input.purpose))).for('update');
    if (!row) return failed(tx, { reason: 'unknown' }, input.client);
    return spend(tx, row, input.purpose === 'invitation' ? 'invitation' : 'email_link', input.client, input.lifetime, input.strongRoles ?? []);
  });
}

/** Signs in with the short code of the latest sign-in e-mail sent to `email`; wrong codes are counted. */
export async function signInWithCode(
  db: Database,
  input: { email: string; code: string; client: ClientOf; lifetime: SessionLifetime; limits: SignInLimits; strongRoles?: readonly Role[] },
): Promise<SignInOutcome> {
  return db.transaction(async (tx) => {
    const limited = await countAttempt(tx, input.email, input.client, input.limits);
    if (limited) return limited;
    const [row] = await tx
      .select({ secret: signInSecrets })
      .from(signInSecrets)
      .innerJoin(users, eq(signInSecrets.userId, users.id))
      .where(and(eq(signInSecrets.purpose, 'sign_in'), sql`lower(${users.email}) = ${input.email.trim().toLowerCase()}`))
      .orderBy(desc(signInSecrets.createdAt))
      .limit(1)
      .for('update', { of: signInSecrets });
    const secret = row?.secret;
    // An unknown address is told what a wrong code is told: the answer says nothing of who has an account.
    if (!secret || secret.usedAt || secret.failedCodes >= MAX_WRONG_CODES || !secret.codeHash) return wrongCode(tx, secret, input.client);
    if (!sameHash(hashOfCode(secret.id, input.code), secret.codeHash)) return wrongCode(tx, secret, input.client);
    return spend(tx, secret, 'email_code', input.client, input.lifetime, input.strongRoles ?? []);
  });
}

async function wrongCode(tx: Tx, secret: SecretRow | undefined, client: ClientOf): Promise<SignInOutcome> {
  let attemptsLeft = 0;
  if (secret && !secret.usedAt && secret.failedCodes < MAX_WRONG_CODES) {
    await tx.update(signInSecrets).set({ failedCodes: secret.failedCodes + 1 }).where(eq(signInSecrets.id, secret.id));
    attemptsLeft = MAX_WRONG_CODES - secret.failedCodes - 1;
  }
  await tx.insert(adminEvents).values({ type: 'sign_in_failed', actorName: 'anonymous', payload: { reason: 'wrong_code', from: client.clientAddress } });
  return { outcome: 'wrong_code', attemptsLeft };
}

async function spend(
  tx: Tx,
  row: SecretRow,
  method: 'invitation' | 'email_link' | 'email_code',
  client: ClientOf,
  lifetime: SessionLifetime,
  strongRoles: readonly Role[],
): Promise<SignInOutcome> {
  if (row.usedAt) return failed(tx, { reason: 'used' }, client);
  if (new Date(row.expiresAt).getTime() <= Date.now()) return failed(tx, { reason: 'expired' }, client);
  const [user] = await tx.select({ id: users.id, name: users.name, role: users.role, deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, row.userId));
  if (!user || user.deactivatedAt) return failed(tx, { reason: 'deactivated' }, client);
  // An e-mail proves only a mailbox: for these roles it is no way in, but an invitation opens the first session, in
  // which the person adds their passkey. The secret stays unspent: nothing was opened with it.
  if (strongRoles.includes(user.role) && !(method === 'invitation' && (await countPasskeys(tx, user.id)) === 0)) {
    await tx.insert(adminEvents).values({ type: 'sign_in_failed', actorName: 'anonymous', payload: { reason: 'strong_sign_in_required', method, from: client.clientAddress } });
    return { outcome: 'strong_sign_in_required' };
  }
  await tx.update(signInSecrets).set({ usedAt: sql`now()` }).where(eq(signInSecrets.id, row.id));
  if (row.purpose === 'invitation') {
    await tx.insert(adminEvents).values({ type: 'invitation_accepted', actorName: user.name, payload: { user: user.name, invitationId: row.id } });
  }
  const session = await openSession(tx, { userId: user.id, userName: user.name, method, client, lifetime });
  return { outcome: 'signed_in', ...session, user: { userId: user.id, name: user.name } };
}

async function failed(tx: Tx, refusal: { reason: 'unknown' | 'used' | 'expired' | 'deactivated' }, client: ClientOf): Promise<SignInOutcome> {
  await tx.insert(adminEvents).values({ type: 'sign_in_failed', actorName: 'anonymous', payload: { reason: `link_${refusal.reason}`, from: client.clientAddress } });
  return { outcome: 'refused', ...refusal };
}
