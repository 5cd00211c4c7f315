import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { MailContext } from '../../activities/notifications/mail-context';
import { signInMessage, strongSignInOnlyMessage } from '../../activities/notifications/sign-in-messages';
import { endSessions, listOpenSessions, type ClientOf, type SessionLifetime } from '../../db/sessions-repository';
import { countSignInAttempt, queueSignInEmail, signInWithCode, signInWithLink, type SignInLimits, type SignInMail, type SignInOutcome } from '../../db/sign-in-repository';
import { CODE_PATTERN, SECRET_PATTERN } from '../../db/sign-in-secrets';
import { findUserById } from '../../db/users-repository';
import { ApiError } from '../api-error';
import { withoutQueryValues } from '../loggable-error';
import { SESSION_COOKIE } from '../plugins/external/browser-sessions';
import { errorResponses, Nullable, Timestamp, Uuid } from '../schemas/common';
import { RoleSchema } from '../schemas/request-schemas';
import { addressOrError } from '../schemas/notification-schemas';
import { translate } from '../../i18n/messages';
import type { Role } from '../../workflows/request-model';

/**
 * Signing in as people do elsewhere (README, "Signing in"): an e-mailed link or short code, an administrator's
 * invitation; then a session cookie for the browser, which the person can see and end. API tokens stay what they are
 * for: scripts and integrations.
 */

const Secret = (description: string) => Type.String({ pattern: SECRET_PATTERN, description });

export const SignedIn = Type.Object({
  user: Type.Object({ userId: Uuid, name: Type.String(), role: RoleSchema, country: Nullable(Type.String()) }),
  sessionId: Nullable(Uuid, { description: 'The browser session; null when the call came with an API token' }),
  expiresAt: Nullable(Timestamp, { description: 'When the session ends at the latest (it ends sooner when idle)' }),
  csrfToken: Nullable(Type.String({ description: 'Send it as X-CSRF-Token with every call of this session that changes something' })),
});

/** What GET /auth/session answers a browser that holds no session: nobody is signed in, which is no error. */
const SignedOut = Type.Object(
  { user: Type.Null(), sessionId: Type.Null(), expiresAt: Type.Null(), csrfToken: Type.Null() },
  { description: 'Nobody signed in: the call came with neither a session cookie nor a token' },
);

const SessionItem = Type.Object({
  sessionId: Uuid,
  current: Type.Boolean({ description: 'Whether it is the session of this call' }),
  method: Type.Union(['invitation', 'email_link', 'email_code', 'oidc', 'passkey'].map((m) => Type.Literal(m)), { description: 'How it was opened' }),
  createdAt: Timestamp,
  lastUsedAt: Timestamp,
  expiresAt: Timestamp,
  clientAddress: Type.String({ description: 'Where it was opened from' }),
  userAgent: Type.String({ description: 'The browser it was opened in, as it names itself' }),
});

/** The answer to a way in that opened a session: its cookie (HttpOnly, SameSite=Lax, Secure over HTTPS), who signed in, and the session's CSRF token. */
export async function answerSignedIn(
  fastify: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  session: { secret: string; sessionId: string; expiresAt: string; user: { userId: string } },
  secureCookies: boolean,
) {
  reply.setCookie(SESSION_COOKIE, session.secret, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies, expires: new Date(session.expiresAt) });
  request.sessionId = session.sessionId;
  const who = (await findUserById(fastify.db, session.user.userId))!; // just signed in
  return {
    user: { userId: who.id, name: who.name, role: who.role, country: who.country },
    sessionId: session.sessionId,
    expiresAt: session.expiresAt,
    csrfToken: reply.generateCsrf({ userInfo: session.sessionId }),
  };
}

export const clientOf = (request: FastifyRequest): ClientOf => ({ clientAddress: request.ip, userAgent: request.headers['user-agent'] ?? '' });

const signInRoutes: FastifyPluginAsyncTypebox<{
  email: MailContext | null;
  lifetime: SessionLifetime;
  limits: SignInLimits;
  secureCookies: boolean;
  /** STRONG_SIGN_IN_ROLES: roles an e-mail does not sign in (an invitation does, while they have no passkey). */
  strongRoles: readonly Role[];
}> = async (fastify, { email: emailOn, lifetime, limits, secureCookies, strongRoles }) => {

  /** The answer to a way in: the session's cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) and its CSRF token. */
  const answer = async (request: FastifyRequest, reply: FastifyReply, outcome: SignInOutcome, refusalCode: 'sign_in_link' | 'invitation') => {
    if (outcome.outcome === 'limited') throw tooMany(reply, outcome.retryAfterSeconds);
    if (outcome.outcome === 'wrong_code') {
      throw new ApiError(400, 'wrong_code', { key: outcome.attemptsLeft > 0 ? 'error.signIn.wrongCode' : 'error.signIn.noMoreCodes', values: { left: outcome.attemptsLeft } }, { field: 'body.code' });
    }
    if (outcome.outcome === 'strong_sign_in_required') throw new ApiError(403, 'strong_sign_in_required', { key: 'error.signIn.strongRequired' });
    if (outcome.outcome === 'refused') {
      const status = outcome.reason === 'unknown' ? 400 : 410;
      throw new ApiError(status, `${refusalCode}_${outcome.reason}`, { key: `error.signIn.${refusalCode === 'invitation' ? 'invitation' : 'link'}.${outcome.reason}` });
    }
    return answerSignedIn(fastify, request, reply, outcome, secureCookies);
  };

  const tooMany = (reply: FastifyReply, seconds: number) => {
    reply.header('retry-after', String(seconds));
    return new ApiError(429, 'too_many_sign_in_attempts', { key: 'error.signIn.tooMany', values: { minutes: Math.ceil(seconds / 60) } });
  };

  fastify.post(
    '/auth/email',
    {
      config: { public: true },
      schema: {
        summary: 'Ask for a sign-in link and code by e-mail',
        description:
          'If the address is an active person’s, an e-mail with a single-use link and a six-digit code (for reading the mail on another device) goes to it, valid 15 minutes. ' +
          'The answer is the same whether the address is known or not. Limited per address and per client address (429 says when to retry).',
        tags: ['signing in'],
        body: Type.Object({ email: Type.String({ maxLength: 254 }) }, { additionalProperties: false }),
        response: { 202: Type.Object({ message: Type.String() }), ...errorResponses(400, 409, 429) },
      },
    },
    async (request, reply) => {
      const address = addressOrError(request.body.email)!;
      if (emailOn === null) throw new ApiError(409, 'email_off', { key: 'error.signIn.emailOff' });
      const client = clientOf(request);
      const limited = await countSignInAttempt(fastify.db, address, client, limits);
      if (limited) throw tooMany(reply, limited.retryAfterSeconds);
      // Answered before the address is even looked up: the time the answer takes is the same for any address.
      // Queuing after it: a failure there is logged (the person asks again), never told to the caller.
      reply.raw.once('finish', () => {
        const mail: SignInMail = {
          link: (secret) => signInMessage({ ...secret, context: emailOn }),
          strongSignInOnly: (person) => strongSignInOnlyMessage({ ...person, context: emailOn }),
        };
        queueSignInEmail(fastify.db, { email: address, client, strongRoles }, mail).catch((error: unknown) =>
          request.log.error({ err: withoutQueryValues(error) }, 'a sign-in e-mail could not be queued'),
        );
      });
      return reply.status(202).send({ message: translate(request.language, 'signIn.sent', { minutes: 15 }) });
    },
  );

  fastify.post(
    '/auth/email/link',
    {
      config: { public: true },
      schema: {
        summary: 'Sign in with the link of a sign-in e-mail (once)',
        tags: ['signing in'],
        body: Type.Object({ link: Secret('The secret after "#sign-in=" in the e-mail’s link') }, { additionalProperties: false }),
        response: { 200: SignedIn, ...errorResponses(400, 403, 410) },
      },
    },
    async (request, reply) => answer(request, reply, await signInWithLink(fastify.db, { secret: request.body.link, purpose: 'sign_in', client: clientOf(request), lifetime, strongRoles }), 'sign_in_link'),
  );

  fastify.post(
    '/auth/email/code',
    {
      config: { public: true },
      schema: {
        summary: 'Sign in with the six-digit code of a sign-in e-mail',
        description: 'The code of the latest sign-in e-mail sent to the address; five wrong codes end it (ask for a new one). Limited like POST /auth/email.',
        tags: ['signing in'],
        body: Type.Object({ email: Type.String({ maxLength: 254 }), code: Type.String({ pattern: CODE_PATTERN, description: 'Six digits' }) }, { additionalProperties: false }),
        response: { 200: SignedIn, ...errorResponses(400, 403, 410, 429) },
      },
    },
    async (request, reply) => {
      const address = addressOrError(request.body.email)!;
      const outcome = await signInWithCode(fastify.db, { email: address, code: request.body.code, client: clientOf(request), lifetime, limits, strongRoles });
      return answer(request, reply, outcome, 'sign_in_link');
    },
  );

  fastify.post(
    '/auth/invitation',
    {
      config: { public: true },
      schema: {
        summary: 'Accept an invitation: signs the person in (once)',
        tags: ['signing in'],
        body: Type.Object({ invitation: Secret('The secret after "#invitation=" in the invitation’s link') }, { additionalProperties: false }),
        response: { 200: SignedIn, ...errorResponses(400, 403, 410) },
      },
    },
    async (request, reply) => answer(request, reply, await signInWithLink(fastify.db, { secret: request.body.invitation, purpose: 'invitation', client: clientOf(request), lifetime, strongRoles }), 'invitation'),
  );

  fastify.get(
    '/auth/session',
    {
      // A page that opens asks who is signed in: "nobody" is an answer, not a failed call in the browser's console.
      config: { signInOptional: true },
      schema: {
        summary: 'Who is signed in, and the session’s CSRF token',
        description: 'Nobody, without a session cookie or a token (`user: null`); 401 for a session that ended or expired, or a token refused.',
        tags: ['signing in'],
        response: { 200: Type.Union([SignedIn, SignedOut]), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      if (!request.actor) return { user: null, sessionId: null, expiresAt: null, csrfToken: null };
      const { userId, name, role, country } = request.actor;
      const sessionId = request.sessionId;
      return {
        user: { userId, name, role, country },
        sessionId,
        expiresAt: request.sessionExpiresAt,
        csrfToken: sessionId ? reply.generateCsrf({ userInfo: sessionId }) : null,
      };
    },
  );

  fastify.post(
    '/auth/sign-out',
    {
      schema: {
        summary: 'Sign this browser out',
        tags: ['signing in'],
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      if (!request.sessionId) throw new ApiError(400, 'not_a_session', { key: 'error.signIn.notASession' });
      await endSessions(fastify.db, { userId: request.actor.userId, userName: request.actor.name, sessionId: request.sessionId, reason: 'signed_out', by: request.actor.name });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/me/sessions',
    {
      schema: {
        summary: 'Your open sessions: where and when each was opened and last used',
        tags: ['signing in'],
        response: { 200: Type.Object({ items: Type.Array(SessionItem) }), ...errorResponses(401) },
      },
    },
    async (request) => ({
      items: (await listOpenSessions(fastify.db, request.actor.userId, lifetime)).map((s) => ({ ...s, current: s.sessionId === request.sessionId })),
    }),
  );

  fastify.delete(
    '/me/sessions/:sessionId',
    {
      schema: {
        summary: 'Sign out of one of your sessions',
        tags: ['signing in'],
        params: Type.Object({ sessionId: Uuid }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { userId, name } = request.actor;
      const ended = await endSessions(fastify.db, { userId, userName: name, sessionId: request.params.sessionId, reason: 'signed_out', by: name });
      if (ended === 0) throw new ApiError(404, 'session_not_found', { key: 'error.signIn.sessionNotFound' });
      if (request.params.sessionId === request.sessionId) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  fastify.delete(
    '/me/sessions',
    {
      schema: {
        summary: 'Sign out everywhere: every session of yours ends, this one included',
        tags: ['signing in'],
        response: { 200: Type.Object({ ended: Type.Integer() }), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const { userId, name } = request.actor;
      const ended = await endSessions(fastify.db, { userId, userName: name, reason: 'signed_out_everywhere', by: name });
      if (request.sessionId) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ended };
    },
  );
};

export default signInRoutes;
