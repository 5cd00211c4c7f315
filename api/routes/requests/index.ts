import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { submissionRefusal } from '../../../workflows/request-rules';
import { onlyFor } from '../../plugins/app/authorization';
import { Type } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import {
  claimSubmissionKey,
  decodeCursor,
  type Cursor,
  type Sort,
  findRequestState,
  hashBody,
  listRequestEvents,
  listRequestsWithWaitingFor,
} from '../../../db/requests-repository';
import { erasuresOf } from '../../../db/documents-repository';
import { listScope, seesPersonalData, withoutPersonalData } from '../../access-rules';
import { placeNewRequest } from '../../action-plan-placement';
import { findMember } from '../../../db/dialogue-members-repository';
import { ApiError, submissionRefusedError, unknownCountryError } from '../../api-error';
import { toRequestView } from '../../request-view';
import { errorResponses, RequestIdParams } from '../../schemas/common';
import { ListQuery, RequestEvent, RequestPage, RequestView, SubmissionBody } from '../../schemas/request-schemas';
import { loadVisibleRequest } from './load-request';
import { describeTimeline } from '../../../read-model/timeline';
import { meetingsOnRecord } from '../../../db/meetings-repository';

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[\\x21-\\x7E]+$',
      description: 'Any unique string (e.g. a UUID); a retry with the same key returns the same request instead of a duplicate',
    }),
  ),
});

function cursorFrom(text: string | undefined, sort: Sort | undefined): Cursor | null {
  if (text === undefined) return null;
  const cursor = decodeCursor(text);
  if (!cursor) {
    throw new ApiError(400, 'invalid_cursor', { key: 'error.badCursor' }, { field: 'query.cursor' });
  }
  if (sort !== undefined && sort !== cursor.sort) {
    throw new ApiError(400, 'invalid_cursor', { key: 'error.cursorOtherSort', values: { cursorSort: cursor.sort, sort } }, { field: 'query.cursor' });
  }
  return cursor;
}

const requestRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/requests',
    {
      config: onlyFor(['partner'], { key: 'error.submitOnlyPartner' }),
      schema: {
        summary: 'Submit a capacity-building request (National Focal Points)',
        tags: ['requests'],
        headers: IdempotencyHeaders,
        body: SubmissionBody,
        response: { 201: RequestView, ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      const body = request.body;
      const refusal = submissionRefusal(actor, body.country);
      if (refusal) throw submissionRefusedError(refusal);
      // Requests stored before the list existed keep their country; a new one names a member (GET /countries).
      if (!(await findMember(fastify.db, body.country))) throw unknownCountryError(body.country, 'body.country');
      // Checked before the Idempotency-Key is claimed: a refused submission leaves nothing behind.
      const placement = await placeNewRequest(fastify.db, body.domain, body.objective);
      let requestId: string = randomUUID();
      const key = request.headers['idempotency-key'];
      if (key) {
        const claim = await claimSubmissionKey(fastify.db, {
          userId: actor.userId,
          idempotencyKey: key,
          requestId,
          bodyHash: hashBody(body),
        });
        if (claim.bodyHash !== hashBody(body)) {
          throw new ApiError(422, 'idempotency_key_reused', { key: 'error.idempotencyKeyReused' });
        }
        requestId = claim.requestId;
        if (!claim.claimed) {
          reply.header('idempotent-replayed', 'true');
          // Already on record (perhaps long since closed): answer from the record, never start anything again.
          const recorded = await findRequestState(fastify.db, requestId);
          if (recorded) return reply.status(201).header('location', `/requests/${requestId}`).send(toRequestView(recorded, actor, undefined, request.language));
        }
      }
      const submission = { ...body, ...placement, language: body.language ?? 'en', preferredPeriod: body.preferredPeriod ?? null, contact: body.contact ?? null };
      // Safe to repeat: the workflow ID is derived from the request ID and the submit update is deduplicated.
      const state = await fastify.requestWorkflows.submit(requestId, submission, actor);
      return reply.status(201).header('location', `/requests/${requestId}`).send(toRequestView(state, actor, undefined, request.language));
    },
  );

  fastify.get(
    '/requests',
    {
      schema: {
        summary: 'List requests with who must act on each, newest first or by deadline (keyset pagination)',
        tags: ['requests'],
        querystring: ListQuery,
        response: { 200: RequestPage, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      // `limit` is filled in by validation when left out (its schema's default); `= 20` says so to the compiler.
      const { limit = 20, cursor: cursorText, sort, ...filter } = request.query;
      const cursor = cursorFrom(cursorText, sort);
      return listRequestsWithWaitingFor(fastify.db, { ...filter, ...listScope(request.actor) }, { limit, cursor, sort }, request.language);
    },
  );

  fastify.get(
    '/requests/:id',
    {
      schema: {
        summary: 'A request’s current state, who must act next, and what you may do',
        tags: ['requests'],
        params: RequestIdParams,
        response: { 200: RequestView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const state = await loadVisibleRequest(fastify, request.params.id, request.actor);
      return toRequestView(state, request.actor, await erasuresOf(fastify.db, state.documents ?? []), request.language);
    },
  );

  fastify.get(
    '/requests/:id/events',
    {
      schema: {
        summary: 'A request’s audit trail, oldest first',
        tags: ['requests'],
        params: RequestIdParams,
        response: { 200: Type.Object({ items: Type.Array(RequestEvent) }), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const state = await loadVisibleRequest(fastify, request.params.id, request.actor);
      const recorded = await listRequestEvents(fastify.db, request.params.id);
      const items = seesPersonalData(state, request.actor) ? recorded : withoutPersonalData(recorded);
      const meetingIds = [...new Set(items.map((item) => item.payload.meetingId).filter((id): id is string => typeof id === 'string'))];
      const words = describeTimeline(items, request.language, await meetingsOnRecord(fastify.db, meetingIds));
      return { items: items.map((item, index) => ({ ...item, description: words[index]! })) };
    },
  );
};

export default requestRoutes;
