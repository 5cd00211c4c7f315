import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Keyring } from '../../codec/keyring';
import type { DialogueName } from '../../config/dialogue';
import { listMeetings } from '../../db/meetings-repository';
import { activitiesInProgress, listRequestsWithWaitingFor } from '../../db/requests-repository';
import { findUserById, hasUsableToken, renewCalendarVersion } from '../../db/users-repository';
import type { Actor } from '../../workflows/request-model';
import { COMMITTEE_READERS, listScope } from '../access-rules';
import { ApiError } from '../api-error';
import { calendarFeedPath, isCalendarToken } from '../calendar/feed-link';
import { feedEntries } from '../calendar/feed-entries';
import { translate } from '../../i18n/messages';
import { renderCalendar } from '../calendar/ics';
import { errorResponses, Uuid } from '../schemas/common';

/**
 * A calendar for each person, to subscribe to in Outlook, Google or Apple Calendar: the deadlines they must meet, the
 * activities of the requests they may see, and the Steering Committee's meetings for those who follow them. Calendar
 * programs poll an address without a token, so the address is signed (api/calendar/feed-link.ts); the person gets it
 * from GET /me/calendar, and retires it with POST /me/calendar/renewal. It works while they have a working token.
 */

/** At most this many requests of each kind: a calendar of the work at hand, not an export. */
const FEED_LIMIT = 500;

const CalendarLink = Type.Object({
  url: Type.String({ description: 'The address to subscribe to; it works without a token, so keep it to yourself' }),
});
const FeedParams = Type.Object({ userId: Uuid, token: Type.String({ maxLength: 100, pattern: '^[\\w.-]+\\.[A-Za-z0-9_-]+$' }) });

const calendarRoutes: FastifyPluginAsyncTypebox<{ keyring: Keyring; dialogue: DialogueName; publicUrl: string | null }> = async (
  fastify,
  { keyring, dialogue, publicUrl },
) => {
  // Where people reach the API: PUBLIC_URL behind a proxy, else the address this call came to.
  const baseOf = (request: FastifyRequest) => (publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
  const linkFor = (request: FastifyRequest, userId: string, version: number) => ({ url: `${baseOf(request)}${calendarFeedPath(keyring, userId, version)}` });

  fastify.get(
    '/me/calendar',
    {
      schema: {
        summary: 'The address of your calendar feed (deadlines you must meet, activities, meetings), to subscribe to in a calendar program',
        tags: ['calendar'],
        response: { 200: CalendarLink, ...errorResponses(401) },
      },
    },
    async (request) => {
      const user = await findUserById(fastify.db, request.actor.userId);
      if (!user) throw new ApiError(401, 'unauthenticated', { key: 'error.userGone' });
      return linkFor(request, user.id, user.calendarVersion);
    },
  );

  fastify.post(
    '/me/calendar/renewal',
    {
      schema: {
        summary: 'A new address for your calendar feed: the previous one stops working (for an address that went where it should not)',
        tags: ['calendar'],
        response: { 200: CalendarLink, ...errorResponses(401) },
      },
    },
    async (request) => {
      const version = await renewCalendarVersion(fastify.db, request.actor.userId);
      request.log.info({ userId: request.actor.userId }, 'Calendar feed address renewed');
      return linkFor(request, request.actor.userId, version);
    },
  );

  fastify.get(
    '/calendar/:userId/:token',
    {
      config: { public: true },
      schema: {
        summary: 'A person’s calendar feed (iCalendar), from the address GET /me/calendar gives; no token: the address is the credential',
        tags: ['calendar'],
        params: FeedParams,
        security: [],
        produces: ['text/calendar'],
        response: { 200: { content: { 'text/calendar': { schema: Type.String({ description: 'iCalendar (RFC 5545)' }) } } }, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { userId, token } = request.params;
      const user = await findUserById(fastify.db, userId);
      if (!user || !isCalendarToken(keyring, userId, user.calendarVersion, token) || !(await hasUsableToken(fastify.db, userId))) {
        throw new ApiError(404, 'calendar_not_found', { key: 'error.calendarNotFound' });
      }
      const actor: Actor = { userId: user.id, name: user.name, role: user.role, country: user.country };
      const scope = listScope(actor);
      // A calendar program calls without the person's token: their saved language, else the program's Accept-Language.
      const language = user.language ?? request.language;
      const [deadlines, activities, meetings] = await Promise.all([
        listRequestsWithWaitingFor(fastify.db, { ...scope, open: true }, { limit: FEED_LIMIT, cursor: null, sort: 'due' }, language),
        activitiesInProgress(fastify.db, { ...scope, open: true }, FEED_LIMIT),
        COMMITTEE_READERS.includes(actor.role) ? listMeetings(fastify.db) : Promise.resolve([]),
      ]);
      const requestUrl = (id: string) => `${baseOf(request)}/dashboard#request/${id}`;
      const ics = renderCalendar({
        name: translate(language, 'calendar.name', { dialogue: dialogue[language], name: user.name }),
        description: translate(language, 'calendar.description', { dialogue: dialogue[language] }),
        generatedAt: new Date().toISOString(),
        entries: feedEntries(actor, { deadlines: deadlines.items, activities, meetings }, requestUrl, language),
      });
      return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(ics);
    },
  );
};

export default calendarRoutes;
