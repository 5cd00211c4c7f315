import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { restrictRoutes } from '../plugins/app/authorization';
import { Type } from '@sinclair/typebox';
import { createWebhookDispatcher } from '../../activities/webhooks/dispatcher';
import { newWebhookSecret, WEBHOOK_SECRET_CONTEXT } from '../../activities/webhooks/signature';
import type { Keyring } from '../../codec/keyring';
import { isSealed, sealSecret } from '../../codec/sealed-secret';
import {
  createSubscription,
  disableSubscription,
  findDelivery,
  findSubscription,
  listDeliveries,
  listSubscriptions,
  requeueDelivery,
  restoreDeliveryStatus,
  sealStoredSecrets,
} from '../../db/webhooks-repository';
import type { WebhookRetryPolicy } from '../../workflows/webhook-delivery';
import { ApiError } from '../api-error';
import { errorResponses, Nullable, Text, Timestamp, Uuid } from '../schemas/common';

/**
 * Webhook subscriptions, for administrators: register (the signing secret is shown once), list, disable, read
 * the delivery log, and redeliver what was dead-lettered.
 */

const EventType = Type.String({ pattern: '^([a-z][a-z_]*|\\*)$', maxLength: 60, description: 'An event type (submitted, approved, report_overdue, …) or * for all' });
const Subscription = Type.Object({
  id: Uuid,
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Timestamp,
  disabledAt: Nullable(Timestamp),
});
const DELIVERY_STATUSES = ['pending', 'retrying', 'delivered', 'dead', 'cancelled'] as const;
const DeliveryStatus = Type.Union(DELIVERY_STATUSES.map((status) => Type.Literal(status)));
const Delivery = Type.Object({
  deliveryId: Uuid,
  subscriptionId: Uuid,
  eventId: Type.Integer({ description: 'The audit trail event ID (as in the event stream)' }),
  requestId: Uuid,
  eventType: Type.String(),
  status: DeliveryStatus,
  attempts: Type.Integer(),
  redeliveries: Type.Integer(),
  lastAttemptAt: Nullable(Timestamp),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(Timestamp),
  createdAt: Timestamp,
});
const Attempt = Type.Object({
  attemptedAt: Timestamp,
  durationMs: Type.Integer(),
  statusCode: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
});

const webhookRoutes: FastifyPluginAsyncTypebox<{ taskQueue: string; retry: WebhookRetryPolicy; keyring: Keyring }> = async (fastify, options) => {
  const dispatcher = createWebhookDispatcher({ client: fastify.temporal, taskQueue: options.taskQueue, retry: options.retry });
  // Signing secrets are stored sealed with the payload keyring; those written in the clear by an earlier version are
  // sealed here, once (the worker opens either kind).
  const seal = (secret: string) => sealSecret(options.keyring, secret, WEBHOOK_SECRET_CONTEXT);
  const sealedNow = await sealStoredSecrets(fastify.db, isSealed, seal);
  if (sealedNow > 0) fastify.log.info({ sealed: sealedNow }, 'sealed webhook signing secrets that were stored in the clear');

  restrictRoutes(fastify, ['admin'], { key: 'error.onlyAdminsWebhooks' });

  const subscriptionOr404 = async (id: string) => {
    const subscription = await findSubscription(fastify.db, id);
    if (!subscription) throw new ApiError(404, 'not_found', { key: 'error.subscriptionNotFound', values: { id } });
    return subscription;
  };

  fastify.post(
    '/admin/webhooks',
    {
      schema: {
        summary: 'Subscribe a URL to event types; the signing secret is shown only in this response',
        tags: ['webhooks'],
        body: Type.Object(
          {
            url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2_000, description: 'http(s) URL that receives POSTs' }),
            eventTypes: Type.Array(EventType, { minItems: 1, maxItems: 100, uniqueItems: true }),
            description: Type.Optional(Text(500)),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Composite([Subscription, Type.Object({ secret: Type.String({ description: 'whsec_…: verify signatures with it (Standard Webhooks)' }) })]),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const secret = newWebhookSecret();
      const { url, eventTypes, description } = request.body;
      const subscription = await createSubscription(fastify.db, { url, eventTypes, description: description ?? null, secret: seal(secret) }, request.actor.name);
      return reply.status(201).header('location', `/admin/webhooks/${subscription.id}`).send({ ...subscription, secret });
    },
  );

  fastify.get(
    '/admin/webhooks',
    {
      schema: {
        summary: 'Every webhook subscription (secrets are never shown again)',
        tags: ['webhooks'],
        response: { 200: Type.Object({ items: Type.Array(Subscription) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await listSubscriptions(fastify.db) }),
  );

  fastify.delete(
    '/admin/webhooks/:id',
    {
      schema: {
        summary: 'Disable a subscription: no new deliveries; queued ones are cancelled',
        tags: ['webhooks'],
        params: Type.Object({ id: Uuid }),
        response: { 200: Subscription, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const disabled = await disableSubscription(fastify.db, request.params.id, request.actor.name);
      // Disabling twice answers with the subscription as it is: the administrator's intent holds.
      return disabled ?? (await subscriptionOr404(request.params.id));
    },
  );

  fastify.get(
    '/admin/webhooks/:id/deliveries',
    {
      schema: {
        summary: 'The delivery log of a subscription, newest event first (status=dead lists the dead letters)',
        tags: ['webhooks'],
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object(
          {
            status: Type.Optional(DeliveryStatus),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            beforeEventId: Type.Optional(Type.Integer({ minimum: 1, description: 'The eventId of the last row of the previous page' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Delivery) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await subscriptionOr404(request.params.id);
      return { items: await listDeliveries(fastify.db, request.params.id, { ...request.query, limit: request.query.limit ?? 50 }) };
    },
  );

  fastify.get(
    '/admin/webhook-deliveries/:deliveryId',
    {
      schema: {
        summary: 'One delivery with every attempt: when, how long, what the subscriber answered',
        tags: ['webhooks'],
        params: Type.Object({ deliveryId: Uuid }),
        response: { 200: Type.Composite([Delivery, Type.Object({ attemptLog: Type.Array(Attempt) })]), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const delivery = await findDelivery(fastify.db, request.params.deliveryId);
      if (!delivery) throw new ApiError(404, 'not_found', { key: 'error.deliveryNotFound', values: { id: request.params.deliveryId } });
      return delivery;
    },
  );

  fastify.post(
    '/admin/webhook-deliveries/:deliveryId/redelivery',
    {
      schema: {
        summary: 'Deliver again (a dead letter, or any finished delivery), with a fresh series of attempts',
        tags: ['webhooks'],
        params: Type.Object({ deliveryId: Uuid }),
        response: { 202: Delivery, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { deliveryId } = request.params;
      const requeued = await requeueDelivery(fastify.db, deliveryId, request.actor.name);
      if (!requeued) {
        const delivery = await findDelivery(fastify.db, deliveryId);
        if (!delivery) throw new ApiError(404, 'not_found', { key: 'error.deliveryNotFound', values: { id: deliveryId } });
        throw new ApiError(409, 'delivery_in_progress', { key: 'error.deliveryInProgress', values: { id: deliveryId, status: delivery.status } });
      }
      try {
        await dispatcher.dispatch([requeued]);
      } catch (error) {
        // Not started: leave it as it was, so that the administrator can ask again once Temporal answers.
        const reason = error instanceof Error ? error.message : String(error);
        await restoreDeliveryStatus(fastify.db, deliveryId, requeued.previousStatus, request.actor.name, reason);
        throw error;
      }
      const { attemptLog: _log, ...delivery } = (await findDelivery(fastify.db, deliveryId))!;
      return reply.status(202).send(delivery);
    },
  );
};

export default webhookRoutes;
