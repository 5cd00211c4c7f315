import { isSealed, openSecret, sealSecret } from '../../codec/sealed-secret';
import type { Keyring } from '../../codec/keyring';

/**
 * What a sign-in with a provider must find again when the browser comes back from it: the provider, the state and
 * nonce it was sent, the PKCE code verifier, the redirect URI the code is bound to. Kept in the browser that started
 * it, in an HttpOnly cookie sealed with the payload keyring (AES-GCM, codec/sealed-secret.ts): the browser can neither
 * read nor alter it, another browser does not have it, and no table holds attempts that are never finished.
 */
export interface SignInAttempt {
  provider: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  /** Epoch milliseconds: the cookie's own expiry is the browser's to keep, this one is checked here. */
  expiresAt: number;
}

export const ATTEMPT_COOKIE = 'rbt_oidc';
/** Only the callbacks receive it. */
export const ATTEMPT_COOKIE_PATH = '/auth/oidc/';
/** Time to sign in at the provider: long enough to type a password and a second factor. */
export const ATTEMPT_VALID_MS = 10 * 60_000;

const CONTEXT = 'single sign-on attempt';

export const sealAttempt = (keyring: Keyring, attempt: SignInAttempt): string => sealSecret(keyring, JSON.stringify(attempt), CONTEXT);

/** The attempt the cookie holds, if it opens and has not expired; null for anything else. */
export function openAttempt(keyring: Keyring, cookie: string | undefined, now = Date.now()): SignInAttempt | null {
  // openSecret passes an unsealed value through as it is (secrets stored before sealing): here that is a forgery.
  if (!cookie || !isSealed(cookie)) return null;
  try {
    const attempt = JSON.parse(openSecret(keyring, cookie, CONTEXT)) as SignInAttempt;
    return attempt.expiresAt > now ? attempt : null;
  } catch {
    return null; // altered, or sealed with a key no longer kept
  }
}
