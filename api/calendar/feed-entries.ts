import { currentActivityStatus, type Actor, type ImplementationActivity, type Phase } from '../../workflows/request-model';
import type { WaitingFor } from '../../read-model/waiting-for';
import type { Language } from '../../i18n/languages';
import { translatorFor } from '../../i18n/messages';
import { isCalendarDate, type CalendarEntry } from './ics';

/**
 * What a person's calendar holds: the deadlines they must meet, the activities of the requests they may see, and
 * the Steering Committee's meetings for those who follow them. Pure: the route reads the sources within the
 * person's visibility, this decides what becomes an event.
 */
export interface FeedSources {
  /** Open requests with who must act and by when (the read model). */
  deadlines: ReadonlyArray<{ id: string; title: string; country: string; phase: Phase; dueAt: string | null; waitingFor: WaitingFor | null }>;
  /** Requests being implemented or monitored, with their activities. */
  activities: ReadonlyArray<{ id: string; title: string; country: string; activities: readonly ImplementationActivity[] }>;
  meetings: ReadonlyArray<{ meetingId: string; title: string; scheduledFor: string }>;
}

/** `language`: the person's (catalog `calendar.*`); what people wrote (titles, places) stays as written. */
export function feedEntries(actor: Actor, sources: FeedSources, requestUrl: (id: string) => string, language: Language = 'en'): CalendarEntry[] {
  const say = translatorFor(language);
  // A deadline is the person's when their role is among who must act (their visibility already narrows a focal
  // point's to their country). Its UID follows the request's phase, so an extended deadline moves the same event.
  const deadlines = sources.deadlines.flatMap((request): CalendarEntry[] =>
    request.dueAt && request.waitingFor?.roles.includes(actor.role)
      ? [
          {
            kind: 'moment',
            uid: `due-${request.id}-${request.phase}@capacity-requests`,
            at: request.dueAt,
            summary: say('calendar.due', { title: request.title }),
            description: `${request.waitingFor.what}\n${say('calendar.country', { country: request.country })}\n${requestUrl(request.id)}`,
            url: requestUrl(request.id),
          },
        ]
      : [],
  );
  const activities = sources.activities.flatMap((request) =>
    request.activities.filter(hasDates).map(
      (activity): CalendarEntry => ({
        kind: 'days',
        uid: `activity-${activity.activityId}@capacity-requests`,
        startDate: activity.startDate,
        endDate: activity.endDate,
        summary: activity.status === 'postponed' ? say('calendar.postponed', { title: activity.title }) : activity.title,
        description: `${say('calendar.activity', { kind: say(`support.${activity.type}`), status: say(`activityStatus.${currentActivityStatus(activity.status)}`), request: request.title, country: request.country })}\n${requestUrl(request.id)}`,
        location: activity.location,
        url: requestUrl(request.id),
        cancelled: activity.status === 'cancelled',
      }),
    ),
  );
  const meetings = sources.meetings.map(
    (meeting): CalendarEntry => ({
      kind: 'moment',
      uid: `meeting-${meeting.meetingId}@capacity-requests`,
      at: meeting.scheduledFor,
      summary: say('calendar.meeting', { title: meeting.title }),
    }),
  );
  return [...deadlines, ...activities, ...meetings];
}

/**
 * The workflow checks an activity's dates when it is planned; one recorded otherwise (by code older than that check)
 * is left out, rather than the person's whole calendar refused.
 */
const hasDates = (activity: ImplementationActivity) =>
  isCalendarDate(activity.startDate) && isCalendarDate(activity.endDate) && activity.startDate <= activity.endDate;
