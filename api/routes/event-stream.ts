import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { and, asc, desc, eq, gt, type SQL } from 'drizzle-orm';
import { requestEvents, requests } from '../../db/schema';
import { listScope, seesPersonalDataInScope, withoutPersonalData } from '../access-rules';
import { errorResponses } from '../schemas/common';
import { readableRows } from '../../db/readable-rows';
import { isoOfStored } from '../../db/stored-instants';

/**
 * `GET /events/stream`: every domain event of the requests the caller may see, as Server-Sent Events, live.
 * Each event's ID is its position in the audit trail, so a client that reconnects with `Last-Event-ID` (browsers
 * do it by themselves) misses nothing and sees nothing twice.
 */

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;
const BATCH = 200;

const eventStreamRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/events/stream',
    {
      schema: {
        summary: 'Live domain events of the requests you may see (Server-Sent Events; resumable with Last-Event-ID)',
        tags: ['events'],
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })) }),
        querystring: Type.Object(
          { after: Type.Optional(Type.Integer({ minimum: 0, description: 'Start after this event ID (0: from the beginning); default: from now' })) },
          { additionalProperties: false },
        ),
        produces: ['text/event-stream'],
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      const scope = listScope(actor);
      const conditions: SQL[] = [];
      if (scope.onlyCountry !== undefined) conditions.push(eq(requests.country, scope.onlyCountry));
      if (scope.committeeOnly) conditions.push(eq(requests.committeeVisible, true));
      const personal = seesPersonalDataInScope(actor);

      const resumeFrom = request.headers['last-event-id'] ?? request.query.after;
      let lastId =
        resumeFrom !== undefined
          ? Number(resumeFrom)
          : ((await fastify.db.select({ id: requestEvents.id }).from(requestEvents).orderBy(desc(requestEvents.id)).limit(1))[0]?.id ?? 0);

      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-request-id': String(request.id),
      });
      out.write(`retry: 2000\n: streaming events after ${lastId}\n\n`);

      let open = true;
      request.raw.on('close', () => {
        open = false;
      });
      const nextBatch = () =>
        fastify.db
          .select({
            id: requestEvents.id,
            requestId: requestEvents.requestId,
            seq: requestEvents.seq,
            type: requestEvents.type,
            actorName: requestEvents.actorName,
            actorRole: requestEvents.actorRole,
            phaseAfter: requestEvents.phaseAfter,
            occurredAt: requestEvents.occurredAt,
            payload: requestEvents.payload,
          })
          .from(requestEvents)
          .innerJoin(requests, eq(requests.id, requestEvents.requestId))
          .where(and(gt(requestEvents.id, lastId), ...conditions))
          .orderBy(asc(requestEvents.id))
          .limit(BATCH);

      let lastWrite = Date.now();
      try {
        while (open) {
          const rows = await nextBatch();
          const shown = readableRows('request_events', rows, (row) => String(row.id), (row) => ({ ...row, occurredAt: isoOfStored(row.occurredAt) }));
          for (const row of shown) {
            const data = { ...row, payload: personal ? row.payload : withoutPersonalData(row.payload) };
            out.write(`id: ${row.id}\nevent: ${row.type}\ndata: ${JSON.stringify(data)}\n\n`);
            lastWrite = Date.now();
          }
          // Past every row read, shown or not: an unreadable one is reported once, not at every poll.
          lastId = rows.at(-1)?.id ?? lastId;
          if (rows.length === BATCH) continue;
          if (Date.now() - lastWrite > HEARTBEAT_MS) {
            out.write(': keep-alive\n\n');
            lastWrite = Date.now();
          }
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      } catch (error) {
        // The server is shutting down (its database pool closed) or the client went away mid-write.
        if (open) request.log.warn({ err: error }, 'event stream ended');
      }
      out.end();
    },
  );
};

export default eventStreamRoutes;
