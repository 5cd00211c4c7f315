import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { findNotification, listNotifications, requeueNotification, setUserEmail } from '../../db/notifications-repository';
import { ApiError } from '../api-error';
import { restrictRoutes } from '../plugins/app/authorization';
import { errorResponses, Nullable, Uuid } from '../schemas/common';
import { addressOrError, DEFAULT_PAGE, EmailBody, NotificationStatus, NotificationWithBody, Page, PageQuery, page } from '../schemas/notification-schemas';

/**
 * The e-mail outbox as administrators see it: everyone's addresses, every message with its attempts, the dead
 * letters, and sending one again. A person's own address and messages are routes/notifications.ts.
 */
const adminNotificationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  restrictRoutes(fastify, ['admin'], { key: 'error.onlyAdminsNotifications' });


  fastify.put(
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
      if (!changed) throw new ApiError(404, 'user_not_found', { key: 'error.userNotFound', values: { id: request.params.userId } });
      return changed;
    },
  );

  fastify.get(
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
    if (!notification) throw new ApiError(404, 'not_found', { key: 'error.notificationNotFound', values: { id: notificationId } });
    const { userId: _userId, ...shown } = notification;
    return shown;
  };

  fastify.get(
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

  fastify.post(
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
      if (outcome === 'not_found') throw new ApiError(404, 'not_found', { key: 'error.notificationNotFound', values: { id: notificationId } });
      if (outcome === 'in_progress') {
        throw new ApiError(409, 'notification_in_progress', { key: 'error.notificationInProgress', values: { id: notificationId } });
      }
      // The worker's relay takes it within a second.
      return reply.status(202).send(await notificationOr404(notificationId));
    },
  );
};

export default adminNotificationRoutes;
