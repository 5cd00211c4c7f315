import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { editAgenda, findMeeting, listMeetings } from '../../db/meetings-repository';
import { findRequestState } from '../../db/requests-repository';
import type { Role } from '../../workflows/request-model';
import { listActionPlans } from '../../db/action-plans-repository';
import { agendaPackHtml, agendaPackMarkdown } from '../agenda-pack';
import { COMMITTEE_READERS } from '../access-rules';
import type { Language } from '../../i18n/languages';
import { render, type MessageKey } from '../../i18n/messages';
import type { MinutesItemResult } from '../../workflows/meeting-minutes';
import { anyOfRoles } from '../../workflows/rules/refusal';
import { ApiError } from '../api-error';
import { onlyFor } from '../plugins/app/authorization';
import { errorResponses, Nullable, Text, Timestamp, Uuid } from '../schemas/common';
import { DecisionBody } from '../schemas/request-schemas';
import { decisionStep } from './requests/decision-step';
import { MeetingMinutesWorkflows, minutesFingerprint } from '../meeting-minutes-workflows';
import { MeetingWorkflows } from '../meeting-workflows';
import type { ActivityRetry } from '../../workflows/request-contract';

/**
 * Steering Committee meetings. The Secretariat schedules one (its agenda: the requests in review and awaiting
 * the Chair at that moment) and edits the agenda; after the meeting the Chair records the decisions of the
 * minutes in one call, each applied to its request on its own — one refused decision stops none of the others —
 * by a workflow of the meeting's own (workflows/meeting-minutes.ts): an API killed part-way loses nothing, and the
 * call retried is answered with what the first did.
 */


const AgendaItem = Type.Object({ requestId: Uuid, title: Type.String(), country: Type.String(), phase: Type.String() });
const MinutesResult = Type.Object({
  requestId: Uuid,
  status: Type.Integer({ description: 'What applying this decision answered: 200, or the error status' }),
  phase: Nullable(Type.String()),
  message: Nullable(Type.String()),
});
const Meeting = Type.Object({
  meetingId: Uuid,
  title: Type.String(),
  scheduledFor: Timestamp,
  scheduledBy: Type.String(),
  agenda: Type.Array(AgendaItem),
  minutesRecordedAt: Nullable(Timestamp),
  minutesRecordedBy: Nullable(Type.String()),
  minutes: Nullable(Type.Array(MinutesResult)),
  membersRemindedAt: Nullable(Timestamp, { description: 'When the committee was reminded of the meeting by e-mail (MEETING_REMINDER_LEAD before it); null: not yet, or no mail server' }),
});
const MeetingParams = Type.Object({ id: Uuid });

const allowed = (roles: readonly Role[], what: MessageKey) => onlyFor(roles, { key: 'error.onlyRolesDo', values: { roles: anyOfRoles(roles), what: { key: what } } });

/** A refused decision of the minutes in the reader's language; results recorded before the catalogs keep their English. */
const resultIn = (language: Language, { localized, ...result }: MinutesItemResult): MinutesItemResult => ({
  ...result,
  message: localized ? render(language, localized) : result.message,
});

const withMinutesIn = <M extends { minutes: MinutesItemResult[] | null }>(language: Language, meeting: M): M => ({
  ...meeting,
  minutes: meeting.minutes?.map((result) => resultIn(language, result)) ?? null,
});

export interface MeetingRoutesOptions {
  taskQueue: string;
  activityRetry?: ActivityRetry;
  /** How long before the meeting its members are reminded (ISO-8601). */
  reminderLead: string;
}

const meetingRoutes: FastifyPluginAsyncTypebox<MeetingRoutesOptions> = async (fastify, options) => {
  const minutes = new MeetingMinutesWorkflows(fastify.temporal, options.taskQueue, options.activityRetry);
  const meetings = new MeetingWorkflows(fastify.temporal, options.taskQueue, options.reminderLead, options.activityRetry);
  const load = async (id: string) => {
    const meeting = await findMeeting(fastify.db, id);
    if (!meeting) throw new ApiError(404, 'meeting_not_found', { key: 'error.meetingNotFound', values: { id } });
    return meeting;
  };

  fastify.post(
    '/meetings',
    {
      config: allowed(['secretariat'], 'error.meetingAction.schedule'),
      schema: {
        summary: 'Schedule a Steering Committee meeting (Secretariat); the agenda lists the requests in review and approval now',
        tags: ['meetings'],
        body: Type.Object({ title: Text(300), scheduledFor: Timestamp }, { additionalProperties: false }),
        response: { 201: Meeting, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const meeting = await meetings.schedule({
        title: request.body.title,
        scheduledFor: new Date(request.body.scheduledFor).toISOString(),
        scheduledBy: request.actor.name,
      });
      return reply.status(201).send(meeting);
    },
  );

  fastify.get(
    '/meetings',
    { config: allowed(COMMITTEE_READERS, 'error.meetingAction.read'), schema: { summary: 'Meetings, latest first', tags: ['meetings'], response: { 200: Type.Object({ items: Type.Array(Meeting) }), ...errorResponses(401, 403) } } },
    async (request) => ({ items: (await listMeetings(fastify.db)).map((meeting) => withMinutesIn(request.language, meeting)) }),
  );

  fastify.get(
    '/meetings/:id',
    { config: allowed(COMMITTEE_READERS, 'error.meetingAction.read'), schema: { summary: 'A meeting, its agenda and its minutes', tags: ['meetings'], params: MeetingParams, response: { 200: Meeting, ...errorResponses(400, 401, 403, 404, 422) } } },
    async (request) => withMinutesIn(request.language, await load(request.params.id)),
  );

  fastify.patch(
    '/meetings/:id/agenda',
    {
      config: allowed(['secretariat'], 'error.meetingAction.editAgenda'),
      schema: {
        summary: 'Add or remove agenda items before the minutes are recorded (Secretariat)',
        tags: ['meetings'],
        params: MeetingParams,
        body: Type.Object(
          { add: Type.Optional(Type.Array(Uuid, { maxItems: 200 })), remove: Type.Optional(Type.Array(Uuid, { maxItems: 200 })) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Type.Object({ meeting: Meeting, refused: Type.Array(Uuid, { description: 'Requests not in review or approval' }) }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const result = await editAgenda(fastify.db, request.params.id, { add: request.body.add ?? [], remove: request.body.remove ?? [] });
      if (result === 'not_found') throw new ApiError(404, 'meeting_not_found', { key: 'error.meetingNotFound', values: { id: request.params.id } });
      if (result === 'minutes_recorded') throw new ApiError(409, 'minutes_recorded', { key: 'error.agendaFrozen' });
      return { meeting: withMinutesIn(request.language, await load(request.params.id)), refused: result.refused };
    },
  );

  fastify.post(
    '/meetings/:id/minutes',
    {
      config: allowed(['chair'], 'error.meetingAction.recordMinutes'),
      schema: {
        summary: 'Record the decisions of the minutes (the Chair): each is applied to its request and reported on its own',
        tags: ['meetings'],
        params: MeetingParams,
        body: Type.Object(
          {
            decisions: Type.Array(Type.Object({ requestId: Uuid, ...DecisionBody.properties }, { additionalProperties: false }), {
              minItems: 1,
              maxItems: 200,
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ results: Type.Array(MinutesResult) }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const meeting = await load(request.params.id);
      const fingerprint = minutesFingerprint(request.actor.userId, request.body.decisions);
      const outcome = await minutes.record(
        {
          meetingId: meeting.meetingId,
          meetingTitle: meeting.title,
          chair: request.actor,
          agenda: meeting.agenda.map((item) => item.requestId),
          decisions: request.body.decisions.map(({ requestId, ...decision }) => ({ requestId, decision: decisionStep(decision) })),
          fingerprint,
        },
        meeting.minutes !== null,
      );
      // A retry of the call that recorded them is told what it did; any other call, that they are recorded.
      if (outcome === null || outcome.fingerprint !== fingerprint) {
        throw new ApiError(409, 'minutes_recorded', { key: 'error.minutesRecorded' });
      }
      return { results: outcome.results.map((result) => resultIn(request.language, result)) };
    },
  );

  fastify.get(
    '/meetings/:id/agenda-pack',
    {
      config: allowed(COMMITTEE_READERS, 'error.meetingAction.read'),
      schema: {
        summary: 'The agenda pack: each request’s summary, screening note, votes and objections (Markdown or HTML)',
        tags: ['meetings'],
        params: MeetingParams,
        querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('markdown'), Type.Literal('html')], { default: 'markdown' })) }, { additionalProperties: false }),
        produces: ['text/markdown', 'text/html'],
        response: { 200: Type.String(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const meeting = await load(request.params.id);
      const states = (await Promise.all(meeting.agenda.map((item) => findRequestState(fastify.db, item.requestId)))).filter((s) => s !== null);
      const plans = await listActionPlans(fastify.db);
      const html = request.query.format === 'html';
      const slug = meeting.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'meeting';
      return reply
        .type(html ? 'text/html; charset=utf-8' : 'text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="${slug}-agenda.${html ? 'html' : 'md'}"`)
        // In the reader's language (saved choice, else Accept-Language); what people wrote stays as written.
        .send(html ? agendaPackHtml(meeting, states, plans, request.language) : agendaPackMarkdown(meeting, states, plans, request.language));
    },
  );
};

export default meetingRoutes;
