import { lt, or } from 'drizzle-orm';
import type { Database } from './client';
import { passkeyChallenges, sessions, signInAttempts, signInSecrets, spentSignOnStates } from './schema';

/**
 * What signing in leaves behind, deleted once it can serve nobody (README, "Signing in"). The administrators' log
 * keeps the record of every sign-in, failure and end; these tables only make them work, and without a cleanup they
 * would grow with every attempt for as long as the deployment lives.
 */

/**
 * How long a session or an e-mailed secret is kept after it stopped working: "Your sessions" and an invitation
 * opened again ("already accepted") can still say what became of it, and whoever looks into a sign-in has a month to
 * do so. A session stops working at its end or its absolute expiry (an idle one expires before that, so the absolute
 * expiry bounds it too).
 */
export const KEPT_AFTER_USE_MS = 30 * 24 * 3600_000;
/** The rate limits count attempts over minutes (DEFAULT_SIGN_IN_LIMITS); a day of them is more than any window. */
export const ATTEMPTS_KEPT_MS = 24 * 3600_000;

export interface PrunedSignInRecords {
  sessions: number;
  secrets: number;
  attempts: number;
  passkeyChallenges: number;
  signOnStates: number;
}

/** Deletes what no longer serves; running it again, or on two workers at once, deletes nothing more. */
export async function pruneSignInRecords(db: Database, now = new Date()): Promise<PrunedSignInRecords> {
  const kept = new Date(now.getTime() - KEPT_AFTER_USE_MS).toISOString();
  const attemptsKept = new Date(now.getTime() - ATTEMPTS_KEPT_MS).toISOString();
  const at = now.toISOString();
  const deleted = async (done: Promise<{ rowCount: number | null }>) => (await done).rowCount ?? 0;
  return {
    sessions: await deleted(db.delete(sessions).where(or(lt(sessions.endedAt, kept), lt(sessions.expiresAt, kept)))),
    secrets: await deleted(db.delete(signInSecrets).where(lt(signInSecrets.expiresAt, kept))),
    attempts: await deleted(db.delete(signInAttempts).where(lt(signInAttempts.at, attemptsKept))),
    passkeyChallenges: await deleted(db.delete(passkeyChallenges).where(lt(passkeyChallenges.expiresAt, at))),
    signOnStates: await deleted(db.delete(spentSignOnStates).where(lt(spentSignOnStates.expiresAt, at))),
  };
}
