import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import fp from 'fastify-plugin';
import type { Keyring } from '../../../codec/keyring';
import { purposeKey } from '../../../codec/link-signature';

declare module 'fastify' {
  interface FastifyRequest {
    /** The browser session the caller signed in with (README, "Signing in"); null for an API token's call. */
    sessionId: string | null;
    /** When that session ends at the latest (it ends sooner when idle); null with the session. */
    sessionExpiresAt: string | null;
  }
}

/** The cookie a signed-in browser holds: a random secret, nothing else (db/sessions-repository.ts). */
export const SESSION_COOKIE = 'rbt_session';

/**
 * The cookies of signed-in browsers, and CSRF tokens for the calls they authenticate (@fastify/cookie,
 * @fastify/csrf-protection). A token is bound to its session (the library's `userInfo`, an HMAC keyed from the
 * payload keys), so that one taken from another session does not pass. `Secure` whenever the deployment is served
 * over HTTPS (PUBLIC_URL).
 */
export default fp(
  async (fastify, options: { keyring: Keyring; secure: boolean }) => {
    fastify.decorateRequest('sessionId', null);
    fastify.decorateRequest('sessionExpiresAt', null);
    await fastify.register(cookie);
    await fastify.register(csrfProtection, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'rbt_csrf',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure },
      getUserInfo: (request) => request.sessionId ?? '',
      csrfOpts: { hmacKey: purposeKey(options.keyring, 'csrf'), userInfo: true },
      logLevel: 'info',
    });
  },
  { name: 'browser-sessions' },
);
