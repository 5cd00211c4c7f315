import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { relevantTermOf } from '../../../db/chair-terms-repository';
import { checkSession, type SessionLifetime } from '../../../db/sessions-repository';
import { checkToken } from '../../../db/users-repository';
import type { Actor } from '../../../workflows/request-model';
import { ApiError } from '../../api-error';
import { SESSION_COOKIE } from '../external/browser-sessions';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set on every route not marked `config: { public: true }` (or, for a caller who
     * sent no credentials, `signInOptional`). */
    actor: Actor;
  }
  interface FastifyContextConfig {
    public?: boolean;
    /**
     * A caller who sends no credentials at all is let through, with no `actor` (the handler answers for nobody);
     * credentials that fail are refused as anywhere else.
     */
    signInOptional?: boolean;
  }
}

const BEARER = /^Bearer\s+(\S+)$/i;
/** Methods that change nothing: a cookie's call with another needs its CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is calling: an API token (`Authorization: Bearer`, for scripts and integrations) or a signed-in browser's
 * session cookie (people, README "Signing in"). A cookie's call that changes something must come from this site
 * (`Origin`) and carry the session's CSRF token; a token's call needs neither, as no browser sends it by itself.
 */
export default fp(
  async (fastify, options: { sessionLifetime: SessionLifetime; secureCookies: boolean }) => {
    fastify.decorateRequest('actor', null as unknown as Actor);

    const signIn = async (request: FastifyRequest, user: Actor) => {
      // The workflow checks the term against its own clock; the refusal says whether it ended or has yet to start.
      const chairTerm = user.role === 'chair' ? await relevantTermOf(fastify.db, user.userId) : undefined;
      request.actor = { ...user, ...(chairTerm === undefined ? {} : { chairTerm }) };
    };

    const byToken = async (request: FastifyRequest, reply: FastifyReply, token: string) => {
      const check = await checkToken(fastify.db, token);
      if (!check.ok) {
        reply.header('WWW-Authenticate', 'Bearer error="invalid_token"');
        throw new ApiError(401, `token_${check.reason}`, { key: `error.token.${check.reason}` });
      }
      await signIn(request, check.user);
      request.savedLanguage = check.language;
    };

    const bySession = async (request: FastifyRequest, reply: FastifyReply, secret: string) => {
      const check = await checkSession(fastify.db, secret, options.sessionLifetime);
      if (!check.ok) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        throw new ApiError(401, `session_${check.reason}`, { key: `error.session.${check.reason}` });
      }
      request.sessionId = check.sessionId;
      request.sessionExpiresAt = check.expiresAt;
      request.savedLanguage = check.language;
      await signIn(request, check.user);
    };

    fastify.addHook('onRequest', async (request, reply) => {
      // An address that names no route is not found for anyone: asking for a token first would send the caller
      // after the wrong mistake (and a client's "/x/.." resolves to such an address before it is sent).
      if (request.routeOptions.config.public || request.is404 || request.url.startsWith('/docs')) return;
      const bearer = BEARER.exec(request.headers.authorization ?? '');
      if (bearer) return byToken(request, reply, bearer[1]!);
      const secret = request.cookies[SESSION_COOKIE];
      if (secret) {
        if (!SAFE_METHODS.has(request.method) && isCrossSite(request)) throw new ApiError(403, 'cross_site_request', { key: 'error.crossSite' });
        return bySession(request, reply, secret);
      }
      if (request.routeOptions.config.signInOptional) return;
      reply.header('WWW-Authenticate', 'Bearer');
      throw new ApiError(401, 'unauthenticated', { key: 'error.noToken' });
    });

    // The library answers a missing or wrong token itself (403, through the error handler, which words it).
    fastify.addHook('onRequest', (request, reply, done) => {
      if (request.sessionId === null || SAFE_METHODS.has(request.method)) return done();
      fastify.csrfProtection(request, reply, done);
    });
  },
  { name: 'authentication', dependencies: ['postgres', 'browser-sessions'] },
);

/**
 * Whether a browser says the call comes from another site: its `Origin` (or, without one, `Sec-Fetch-Site`) names
 * another host than the one called. Calls that send neither are not from a browser's page.
 */
function isCrossSite(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    try {
      return new URL(origin).host !== request.host;
    } catch {
      return true; // "null" (a sandboxed frame, a file) or worse: not this site
    }
  }
  return request.headers['sec-fetch-site'] === 'cross-site';
}
