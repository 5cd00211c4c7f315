import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * The secrets of signing in: session cookies, invitation and sign-in links, short codes. Each is random, is given
 * to the person once (a cookie, an e-mail) and is stored only as its SHA-256. Long secrets need no slow hash: they
 * cannot be guessed; a six-digit code can, so it is bound to its link's ID and the tries are counted.
 */

/** 256 random bits, URL-safe: a session cookie, an invitation or a sign-in link. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

export const hashOfSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Six digits, read in one mailbox and typed on another device. */
export const newCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

export const hashOfCode = (secretId: string, code: string): string => createHash('sha256').update(`${secretId}:${code}`).digest('hex');

/** An address as people type it ("Awa.Diop@Interieur.gouv.sn "), hashed: the rate limit's key, which names nobody. */
export const hashOfAddress = (email: string): string => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** What a link in an e-mail may carry: our secrets' alphabet and length only, so that anything else is refused unread. */
export const SECRET_PATTERN = '^[A-Za-z0-9_-]{43}$';
export const CODE_PATTERN = '^[0-9]{6}$';
