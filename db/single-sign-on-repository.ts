import { sql } from 'drizzle-orm';
import type { Database } from './client';
import { adminEvents, spentSignOnStates, users } from './schema';
import { hashOfSecret } from './sign-in-secrets';
import { openSession, type ClientOf, type SessionLifetime } from './sessions-repository';

/**
 * Signing in with an OpenID Connect provider (README, "Signing in"): the provider vouches for a verified e-mail
 * address, and the person is whoever an administrator invited with that address. The provider grants nothing: role
 * and country stay the administrator's to give, and an address no one was invited with opens nothing.
 */

/** Why a sign-in with a provider was refused, as the administrators' log records it. */
export type SingleSignOnFailure =
  | 'no_attempt'
  | 'state_mismatch'
  | 'replayed'
  | 'provider_error'
  | 'provider_unreachable'
  | 'answer_rejected'
  | 'unverified_email'
  | 'unknown_address'
  | 'shared_address'
  | 'deactivated';

export type SingleSignOnOutcome =
  | { outcome: 'signed_in'; secret: string; sessionId: string; expiresAt: string }
  | { outcome: 'refused'; reason: Extract<SingleSignOnFailure, 'unknown_address' | 'shared_address' | 'deactivated'> };

/**
 * Opens a session for the active person whose address the provider vouched for (compared without case, as mail
 * systems do), and records it; refuses, and records why, when there is none, or more than one.
 */
export async function signInWithVouchedAddress(
  db: Database,
  input: { email: string; provider: string; client: ClientOf; lifetime: SessionLifetime },
): Promise<SingleSignOnOutcome> {
  return db.transaction(async (tx) => {
    const holders = await tx
      .select({ id: users.id, name: users.name, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(sql`lower(${users.email}) = ${input.email.trim().toLowerCase()}`);
    const active = holders.filter((holder) => holder.deactivatedAt === null);
    const reason = active.length > 1 ? 'shared_address' : active.length === 1 ? null : holders.length > 0 ? 'deactivated' : 'unknown_address';
    if (reason !== null) {
      await recordSingleSignOnFailure(tx, { reason, provider: input.provider, client: input.client, userName: holders.length === 1 ? holders[0]!.name : null });
      return { outcome: 'refused', reason };
    }
    const person = active[0]!;
    const session = await openSession(tx, { userId: person.id, userName: person.name, method: 'oidc', client: input.client, lifetime: input.lifetime });
    return { outcome: 'signed_in', ...session };
  });
}

/**
 * Spends the state of a callback brought back: true the first time, false for every later one, whichever API
 * instance it reaches. Kept until the attempt would have expired anyway (the housekeeping deletes it then).
 */
export async function spendSignOnState(db: Pick<Database, 'insert'>, attempt: { state: string; expiresAt: number }): Promise<boolean> {
  const spent = await db
    .insert(spentSignOnStates)
    .values({ stateHash: hashOfSecret(attempt.state), expiresAt: new Date(attempt.expiresAt).toISOString() })
    .onConflictDoNothing()
    .returning({ stateHash: spentSignOnStates.stateHash });
  return spent.length === 1;
}

/** Records a refused sign-in with a provider: why, which provider, from where; never a code, state, nonce or token. */
export async function recordSingleSignOnFailure(
  db: Pick<Database, 'insert'>,
  input: { reason: SingleSignOnFailure; provider: string; client: ClientOf; userName?: string | null },
): Promise<void> {
  await db.insert(adminEvents).values({
    type: 'sign_in_failed',
    actorName: input.userName ?? 'anonymous',
    payload: { reason: input.reason, provider: input.provider, from: input.client.clientAddress },
  });
}
