import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { restrictRoutes } from '../plugins/app/authorization';
import { Type } from '@sinclair/typebox';
import type { MailContext } from '../../activities/notifications/mail-context';
import { confirmationMessage } from '../../activities/notifications/confirmation-message';
import { confirmEmail, findPendingEmail, MAX_FAILED_ATTEMPTS, newConfirmationCode, startEmailConfirmation, CONFIRMATION_VALID_MS } from '../../db/email-confirmations-repository';
import { findNotification, listNotifications, requeueNotification, setUserEmail, setUserLanguage, validateEmail } from '../../db/notifications-repository';
import { findUserById, UserInputError } from '../../db/users-repository';
import { ApiError } from '../api-error';
import { errorResponses, Nullable, Timestamp, Uuid } from '../schemas/common';
import { RoleSchema } from '../schemas/request-schemas';

/**
 * E-mail notifications: each person's own address and the messages sent to them; for administrators, everyone's
 * addresses and the whole outbox with its dead letters. The messages themselves are queued by the worker
 * (activities/notifications) when an event makes it someone's turn.
 */

const NOTIFICATION_STATUSES = ['pending', 'sent', 'retrying', 'dead', 'cancelled'] as const;
const NotificationStatus = Type.Union(NOTIFICATION_STATUSES.map((status) => Type.Literal(status)), {
  description: 'pending: queued; retrying: an attempt failed, another follows; sent; dead: refused or out of attempts; cancelled: the address was removed',
});
const Notification = Type.Object({
  notificationId: Uuid,
  requestId: Nullable(Uuid, { description: 'The request it is about; null for an address confirmation' }),
  seq: Nullable(Type.Integer(), { description: 'The event of the request that caused it; null for an address confirmation' }),
  recipient: Type.String(),
  reason: Type.Union([Type.Literal('your_turn'), Type.Literal('reminder'), Type.Literal('news'), Type.Literal('email_confirmation')], {
    description: 'email_confirmation: the code that confirms an address a person gave themselves (its text is withheld here)',
  }),
  subject: Type.String(),
  status: NotificationStatus,
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  sentTo: Nullable(Type.String({ description: 'The address it went to' })),
  sentAt: Nullable(Timestamp),
  createdAt: Timestamp,
});
const NotificationWithBody = Type.Composite([Notification, Type.Object({ body: Type.String() })]);
const Page = Type.Object({
  items: Type.Array(Notification),
  nextBefore: Nullable(Type.String({ description: 'Pass as `before` for the next page; null on the last one' })),
});
const EmailBody = Type.Object(
  { email: Nullable(Type.String({ maxLength: 254, description: 'One address; null removes it (no more e-mails)' })) },
  { additionalProperties: false },
);
const LanguageSchema = Type.Union([Type.Literal('en'), Type.Literal('fr')], {
  description: 'The one language of your e-mails: en (English) or fr (French); null: English, then French',
});
const LanguageBody = Type.Object({ language: Nullable(LanguageSchema) }, { additionalProperties: false });
const PendingEmail = Type.Object(
  {
    address: Type.String(),
    expiresAt: Timestamp,
  },
  { description: 'An address you gave that waits for its code (sent to it); notifications go to `email` until then' },
);
const Me = Type.Object({
  userId: Uuid,
  name: Type.String(),
  role: RoleSchema,
  country: Nullable(Type.String()),
  email: Nullable(Type.String(), { description: 'Where notifications go now; null: nowhere' }),
  pendingEmail: Nullable(PendingEmail),
  language: Nullable(LanguageSchema),
  emailEnabled: Type.Boolean({ description: 'Whether this server sends e-mail at all (an administrator sets SMTP_URL)' }),
});
const ConfirmationBody = Type.Object(
  { code: Type.String({ pattern: '^[0-9]{6}$', description: 'The six digits of the e-mail sent to the new address' }) },
  { additionalProperties: false },
);
const DEFAULT_PAGE = 50;
const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: DEFAULT_PAGE })),
  before: Type.Optional(Type.String({ format: 'uuid', description: 'The notificationId of the last row of the previous page' })),
};

const page = <T extends { notificationId: string }>(items: T[], limit: number) => ({
  items,
  nextBefore: items.length === limit ? items.at(-1)!.notificationId : null,
});

const notificationRoutes: FastifyPluginAsyncTypebox<{ email: MailContext | null }> = async (fastify, { email: emailOn }) => {
  const addressOrError = (email: string | null) => {
    try {
      return validateEmail(email);
    } catch (error) {
      if (error instanceof UserInputError) throw new ApiError(400, 'invalid_body', `body.email: ${error.message}.`, { field: 'body.email' });
      throw error;
    }
  };

  /** The person as GET /me shows them, read after any change. */
  const me = async (userId: string) => {
    const user = await findUserById(fastify.db, userId);
    if (!user) throw new ApiError(401, 'unauthenticated', 'The user of this token no longer exists.');
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
        throw new ApiError(409, 'email_off', 'This server sends no e-mail, so it cannot confirm an address: an administrator turns e-mail on by setting SMTP_URL.');
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
          throw new ApiError(400, 'wrong_code', `This is not the code sent to your new address; ${result.attemptsLeft} ${result.attemptsLeft === 1 ? 'try' : 'tries'} left. Check the latest e-mail: a newer address replaces the code of an older one.`, {
            field: 'body.code',
          });
        case 'too_many_attempts':
          throw new ApiError(409, 'too_many_attempts', `Too many wrong codes: ${result.address} is not confirmed and was discarded. Give it again (PUT /me/email) for a new code.`);
        case 'expired':
          throw new ApiError(409, 'code_expired', `The code for ${result.address} expired. Give the address again (PUT /me/email) for a new code.`);
        case 'nothing_to_confirm':
          throw new ApiError(409, 'nothing_to_confirm', 'You have no new address waiting for confirmation: give one first (PUT /me/email).');
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
      if (!notification || notification.userId !== request.actor.userId || notification.reason === 'email_confirmation') {
        throw new ApiError(404, 'not_found', `You have no notification ${request.params.notificationId}.`);
      }
      const { userId: _userId, ...shown } = notification;
      return shown;
    },
  );

  fastify.register(async (encapsulated) => {
    const admin = encapsulated.withTypeProvider<TypeBoxTypeProvider>();
    restrictRoutes(encapsulated, ['admin'], 'Only administrators see everyone’s e-mails and addresses.');

    admin.put(
      '/admin/users/:userId/email',
      {
        schema: {
          summary: 'Set or remove a user’s e-mail address (null: no more e-mails); in use at once, the administrator vouching for it',
          tags: ['admin', 'notifications'],
          params: Type.Object({ userId: Uuid }),
          body: EmailBody,
          response: { 200: Type.Object({ name: Type.String(), email: Nullable(Type.String()) }), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const email = addressOrError(request.body.email);
        const changed = await setUserEmail(fastify.db, request.params.userId, email, request.actor.name);
        if (!changed) throw new ApiError(404, 'user_not_found', `No user with ID ${request.params.userId}.`);
        return changed;
      },
    );

    admin.get(
      '/admin/notifications',
      {
        schema: {
          summary: 'The e-mail outbox, newest first (status=dead lists the dead letters)',
          tags: ['admin', 'notifications'],
          querystring: Type.Object({ ...PageQuery, status: Type.Optional(NotificationStatus), requestId: Type.Optional(Uuid) }, { additionalProperties: false }),
          response: { 200: Page, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? DEFAULT_PAGE;
        return page(await listNotifications(fastify.db, { ...request.query, limit }), limit);
      },
    );

    const notificationOr404 = async (notificationId: string) => {
      const notification = await findNotification(fastify.db, notificationId);
      if (!notification) throw new ApiError(404, 'not_found', `No notification ${notificationId}.`);
      const { userId: _userId, ...shown } = notification;
      return shown;
    };

    admin.get(
      '/admin/notifications/:notificationId',
      {
        schema: {
          summary: 'One e-mail with its text, its attempts and the last error',
          tags: ['admin', 'notifications'],
          params: Type.Object({ notificationId: Uuid }),
          response: { 200: NotificationWithBody, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => notificationOr404(request.params.notificationId),
    );

    admin.post(
      '/admin/notifications/:notificationId/resend',
      {
        schema: {
          summary: 'Send again (a dead letter once the mail server is fixed, or one that went astray), with a fresh series of attempts',
          tags: ['admin', 'notifications'],
          params: Type.Object({ notificationId: Uuid }),
          response: { 202: NotificationWithBody, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const { notificationId } = request.params;
        const outcome = await requeueNotification(fastify.db, notificationId, request.actor.name);
        if (outcome === 'not_found') throw new ApiError(404, 'not_found', `No notification ${notificationId}.`);
        if (outcome === 'in_progress') {
          throw new ApiError(409, 'notification_in_progress', `Notification ${notificationId} is still queued or being tried; send it again once it is sent or dead.`);
        }
        // The worker's relay takes it within a second.
        return reply.status(202).send(await notificationOr404(notificationId));
      },
    );
  });
};

export default notificationRoutes;
