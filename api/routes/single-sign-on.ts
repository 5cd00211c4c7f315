import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Keyring } from '../../codec/keyring';
import type { SingleSignOnProvider } from '../../config/single-sign-on';
import type { ClientOf, SessionLifetime } from '../../db/sessions-repository';
import { recordSingleSignOnFailure, signInWithVouchedAddress, spendSignOnState, type SingleSignOnFailure } from '../../db/single-sign-on-repository';
import { ApiError } from '../api-error';
import { SESSION_COOKIE } from '../plugins/external/browser-sessions';
import { errorResponses } from '../schemas/common';
import { ATTEMPT_COOKIE, ATTEMPT_COOKIE_PATH, ATTEMPT_VALID_MS, openAttempt, sealAttempt } from '../single-sign-on/attempt-cookie';
import { OpenIdProviders, ProviderUnreachable } from '../single-sign-on/openid-providers';

/**
 * Single sign-on with OpenID Connect (README, "Signing in"): a button per configured provider on the sign-in page,
 * a round trip through the provider, a session cookie like every other way in. A person arrives by browser, so a
 * refusal sends them back to the dashboard with the error's code (`/dashboard#sign-in-error=<code>`), which the page
 * words (error.singleSignOn.*); any other caller gets the error itself, as from every route.
 */

const ProviderParams = Type.Object({ provider: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$', description: 'A provider’s id (GET /auth/providers)' }) });

const Redirect = (description: string) => Type.Null({ description });

/** What a provider adds to its answer (RFC 6749 §4.1.2, RFC 9207); others it may add pass through to the checks. */
const CallbackQuery = Type.Object(
  Object.fromEntries(['code', 'state', 'iss', 'error', 'error_description', 'error_uri'].map((name) => [name, Type.Optional(Type.String({ maxLength: 4096 }))])),
  { additionalProperties: true },
);

/** The refusal a person reads, by why the administrators' log says it was refused. */
const REFUSALS: Record<SingleSignOnFailure, { status: number; reason: 'failed' | 'unavailable' | 'unverified' | 'uninvited' | 'shared' | 'deactivated' }> = {
  no_attempt: { status: 400, reason: 'failed' },
  state_mismatch: { status: 400, reason: 'failed' },
  replayed: { status: 400, reason: 'failed' },
  provider_error: { status: 400, reason: 'failed' },
  answer_rejected: { status: 400, reason: 'failed' },
  provider_unreachable: { status: 503, reason: 'unavailable' },
  unverified_email: { status: 403, reason: 'unverified' },
  unknown_address: { status: 403, reason: 'uninvited' },
  shared_address: { status: 403, reason: 'shared' },
  deactivated: { status: 403, reason: 'deactivated' },
};

const refusalError = (failure: SingleSignOnFailure) => {
  const { status, reason } = REFUSALS[failure];
  return new ApiError(status, `single_sign_on_${reason}`, { key: `error.singleSignOn.${reason}` });
};

const singleSignOnRoutes: FastifyPluginAsyncTypebox<{
  providers: SingleSignOnProvider[];
  keyring: Keyring;
  lifetime: SessionLifetime;
  secureCookies: boolean;
  publicUrl: string | null;
}> = async (fastify, { providers: configured, keyring, lifetime, secureCookies, publicUrl }) => {
  const providers = new OpenIdProviders(configured);

  const clientOf = (request: FastifyRequest): ClientOf => ({ clientAddress: request.ip, userAgent: request.headers['user-agent'] ?? '' });
  // The redirect URI registered with the provider; without PUBLIC_URL, the address this call came to.
  const callbackOf = (request: FastifyRequest, id: string) =>
    `${(publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '')}/auth/oidc/${id}/callback`;

  /** A browser goes back to the dashboard, which says why; anything else gets the error. */
  const refuse = (request: FastifyRequest, reply: FastifyReply, error: ApiError) => {
    if (!(request.headers.accept ?? '').includes('text/html')) throw error;
    return reply.redirect(`/dashboard#sign-in-error=${error.code}`, 302);
  };
  const unknownProvider = () => new ApiError(404, 'single_sign_on_unknown', { key: 'error.singleSignOn.unknown' });

  /** Records the refusal on the administrators' log (never the code, state or nonce), then refuses. */
  const fail = async (request: FastifyRequest, reply: FastifyReply, failure: SingleSignOnFailure, provider: string, problem?: Error) => {
    if (problem) {
      // The messages only: openid-client's errors carry the token's claims and the values expected in their causes.
      const detail = [problem.message, problem.cause instanceof Error ? problem.cause.message : null].filter(Boolean).join(': ');
      request.log.warn({ provider, reason: failure, problem: (problem as { code?: string }).code ?? problem.name, detail }, 'single sign-on refused');
    }
    await recordSingleSignOnFailure(fastify.db, { reason: failure, provider, client: clientOf(request) });
    return refuse(request, reply, refusalError(failure));
  };

  fastify.get(
    '/auth/providers',
    {
      config: { public: true },
      schema: {
        summary: 'The providers people may sign in with (single sign-on), for the sign-in page’s buttons',
        tags: ['signing in'],
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), name: Type.String({ description: 'What the button names' }) })) }) },
      },
    },
    async () => ({ items: providers.list() }),
  );

  fastify.get(
    '/auth/oidc/:provider',
    {
      config: { public: true },
      schema: {
        summary: 'Sign in with a provider: sends the browser to it',
        description:
          'Redirects to the provider’s authorization endpoint (authorization code with PKCE, scope openid email profile, state and nonce), ' +
          'with a sealed, HttpOnly cookie that this browser must bring back to the callback within 10 minutes. ' +
          'A browser that cannot be sent (provider unknown or unreachable) is sent to /dashboard#sign-in-error=<code>; another caller gets the error.',
        tags: ['signing in'],
        params: ProviderParams,
        response: { 302: Redirect('To the provider, or to the dashboard with the error’s code'), ...errorResponses(404, 503) },
      },
    },
    async (request, reply) => {
      const id = request.params.provider;
      if (!providers.has(id)) return refuse(request, reply, unknownProvider());
      let started;
      try {
        started = await providers.start(id, callbackOf(request, id));
      } catch (error) {
        if (!(error instanceof ProviderUnreachable)) throw error;
        request.log.warn({ provider: id, detail: error.message }, 'single sign-on provider unreachable');
        return refuse(request, reply, refusalError('provider_unreachable'));
      }
      reply.setCookie(ATTEMPT_COOKIE, sealAttempt(keyring, started.attempt), {
        path: ATTEMPT_COOKIE_PATH,
        httpOnly: true,
        // Lax: the provider sends the browser back with a top-level GET, which carries it.
        sameSite: 'lax',
        secure: secureCookies,
        maxAge: ATTEMPT_VALID_MS / 1000,
      });
      return reply.redirect(started.url.href, 302);
    },
  );

  fastify.get(
    '/auth/oidc/:provider/callback',
    {
      config: { public: true },
      schema: {
        summary: 'Where the provider sends the browser back: signs the person in',
        description:
          'Checks that this browser started the sign-in (the state, once), exchanges the code (PKCE), checks the ID token (signature, issuer, audience, nonce), ' +
          'requires a verified e-mail address, and signs in the active person invited with that address (compared without case): ' +
          'a session cookie, and a redirect to /dashboard. Refused: to /dashboard#sign-in-error=<code> for a browser, the error for another caller.',
        tags: ['signing in'],
        params: ProviderParams,
        querystring: CallbackQuery,
        response: { 302: Redirect('To the dashboard: signed in, or with the error’s code'), ...errorResponses(400, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      const id = request.params.provider;
      if (!providers.has(id)) return refuse(request, reply, unknownProvider());
      const attempt = openAttempt(keyring, request.cookies[ATTEMPT_COOKIE]);
      // One callback per attempt, whatever its outcome.
      reply.clearCookie(ATTEMPT_COOKIE, { path: ATTEMPT_COOKIE_PATH });
      if (attempt === null || attempt.provider !== id) return fail(request, reply, 'no_attempt', id);
      if (request.query.state !== attempt.state) return fail(request, reply, 'state_mismatch', id);
      if (!(await spendSignOnState(fastify.db, attempt))) return fail(request, reply, 'replayed', id);
      if (request.query.error !== undefined) return fail(request, reply, 'provider_error', id, new Error(request.query.error));

      let identity;
      try {
        identity = await providers.finish(attempt, new URL(request.url, 'http://callback').search);
      } catch (error) {
        return fail(request, reply, error instanceof ProviderUnreachable ? 'provider_unreachable' : 'answer_rejected', id, error as Error);
      }
      if (identity.email === null || !identity.emailVerified) return fail(request, reply, 'unverified_email', id);

      const outcome = await signInWithVouchedAddress(fastify.db, { email: identity.email, provider: id, client: clientOf(request), lifetime });
      if (outcome.outcome === 'refused') return refuse(request, reply, refusalError(outcome.reason));
      reply.setCookie(SESSION_COOKIE, outcome.secret, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies, expires: new Date(outcome.expiresAt) });
      return reply.redirect('/dashboard', 302);
    },
  );
};

export default singleSignOnRoutes;
