import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { MailContext } from '../../activities/notifications/mail-context';
import { confirmationMessage } from '../../activities/notifications/confirmation-message';
import { confirmEmail, findPendingEmail, MAX_FAILED_ATTEMPTS, newConfirmationCode, startEmailConfirmation, CONFIRMATION_VALID_MS } from '../../db/email-confirmations-repository';
import { findNotification, listNotifications, setUserEmail, setUserLanguage } from '../../db/notifications-repository';
import { findUserById } from '../../db/users-repository';
import { ApiError } from '../api-error';
import { SECRET_BEARING_REASONS } from '../../db/schema';
import { errorResponses, Uuid } from '../schemas/common';
import { addressOrError, ConfirmationBody, DEFAULT_PAGE, EmailBody, LanguageBody, Me, NotificationWithBody, Page, PageQuery, page } from '../schemas/notification-schemas';

/**
 * E-mail notifications as each person sees them: their own address (confirmed by a code), their language, and the
 * messages sent to them. Administrators' view of everyone's is routes/admin-notifications.ts. The messages themselves
 * are queued by the worker (activities/notifications) when an event makes it someone's turn.
 */

const notificationRoutes: FastifyPluginAsyncTypebox<{ email: MailContext | null }> = async (fastify, { email: emailOn }) => {
  /** The person as GET /me shows them, read after any change. */
  const me = async (userId: string) => {
    const user = await findUserById(fastify.db, userId);
    if (!user) throw new ApiError(401, 'unauthenticated', { key: 'error.userGone' });
    const pendingEmail = await findPendingEmail(fastify.db, userId);
    return {
      userId: user.id,
      name: user.name,
      role: user.role,
      country: user.country,
      email: user.email,
      pendingEmail,
      language: user.language,
      emailEnabled: emailOn !== null,
    };
  };

  fastify.get(
    '/me',
    { schema: { summary: 'Who the token belongs to, with the address notifications go to', tags: ['notifications'], response: { 200: Me, ...errorResponses(401) } } },
    async (request) => me(request.actor.userId),
  );

  fastify.put(
    '/me/email',
    {
      schema: {
        summary: 'Give a new e-mail address (confirmed with a code sent to it), or remove yours (null: no more e-mails)',
        description:
          'Notifications tell you when a request waits for you, remind you before its deadline, and tell a focal point what was decided on their country’s requests. ' +
          'A new address is used once confirmed: the answer is 202 and a six-digit code goes to it, to be sent to POST /me/email/confirmation within 24 hours; until then notifications go to your address in use, if any. ' +
          'Removing your address (null), or giving the one in use again, takes effect at once (200). Each new address sends an e-mail, so this is limited to 10 an hour.',
        tags: ['notifications'],
        body: EmailBody,
        response: { 200: Me, 202: Me, ...errorResponses(400, 401, 409, 429) },
      },
      config: { rateLimit: { max: 10, timeWindow: '1 hour' } },
    },
    async (request, reply) => {
      const email = addressOrError(request.body.email);
      const { userId, name } = request.actor;
      const user = await findUserById(fastify.db, userId);
      const current = user?.email ?? null;
      if (email === null || email === current) {
        // Stopping e-mails needs no proof; nor does going back to the address in use (forgetting one not confirmed).
        await setUserEmail(fastify.db, userId, email, name);
        return me(userId);
      }
      if (emailOn === null) {
        throw new ApiError(409, 'email_off', { key: 'error.emailOff' });
      }
      const code = newConfirmationCode();
      const expiresAt = new Date(Date.now() + CONFIRMATION_VALID_MS);
      const message = confirmationMessage({ name, code, expiresAt: expiresAt.toISOString(), context: emailOn, language: user?.language ?? null });
      await startEmailConfirmation(fastify.db, { userId, email, code, expiresAt, message });
      return reply.status(202).send(await me(userId));
    },
  );

  fastify.put(
    '/me/language',
    {
      schema: {
        summary: 'Read your e-mails in one language (en, fr), or in both (null: English, then French, as by default)',
        tags: ['notifications'],
        body: LanguageBody,
        response: { 200: Me, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      await setUserLanguage(fastify.db, request.actor.userId, request.body.language);
      return me(request.actor.userId);
    },
  );

  fastify.post(
    '/me/email/confirmation',
    {
      schema: {
        summary: 'Confirm your new address with the code e-mailed to it; notifications go there from now on',
        description: `${MAX_FAILED_ATTEMPTS} wrong codes discard the address; give it again (PUT /me/email) for a new code.`,
        tags: ['notifications'],
        body: ConfirmationBody,
        response: { 200: Me, ...errorResponses(400, 401, 409) },
      },
    },
    async (request) => {
      const { userId, name } = request.actor;
      const result = await confirmEmail(fastify.db, userId, request.body.code, name);
      switch (result.outcome) {
        case 'confirmed':
          return me(userId);
        case 'wrong_code':
          throw new ApiError(400, 'wrong_code', { key: 'error.wrongCode', values: { left: result.attemptsLeft } }, { field: 'body.code' });
        case 'too_many_attempts':
          throw new ApiError(409, 'too_many_attempts', { key: 'error.tooManyAttempts', values: { address: result.address } });
        case 'expired':
          throw new ApiError(409, 'code_expired', { key: 'error.codeExpired', values: { address: result.address } });
        case 'nothing_to_confirm':
          throw new ApiError(409, 'nothing_to_confirm', { key: 'error.nothingToConfirm' });
      }
    },
  );

  fastify.get(
    '/me/notifications',
    {
      schema: {
        summary: 'The e-mails sent (or to be sent) to you, newest first',
        tags: ['notifications'],
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? DEFAULT_PAGE;
      return page(await listNotifications(fastify.db, { ...request.query, limit, userId: request.actor.userId, withoutConfirmations: true }), limit);
    },
  );

  fastify.get(
    '/me/notifications/:notificationId',
    {
      schema: {
        summary: 'One of your e-mails, with its text',
        tags: ['notifications'],
        params: Type.Object({ notificationId: Uuid }),
        response: { 200: NotificationWithBody, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const notification = await findNotification(fastify.db, request.params.notificationId);
      // Someone else's e-mail is not found, rather than forbidden: its existence is theirs. A confirmation's code is
      // read in the mailbox it confirms, never here.
      if (!notification || notification.userId !== request.actor.userId || SECRET_BEARING_REASONS.includes(notification.reason)) {
        throw new ApiError(404, 'not_found', { key: 'error.yourNotificationNotFound', values: { id: request.params.notificationId } });
      }
      const { userId: _userId, ...shown } = notification;
      return shown;
    },
  );

};

export default notificationRoutes;
