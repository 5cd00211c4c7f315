import { describeEvent, subjectOf } from '../activities/notifications/event-descriptions';
import { LOCALES, type Language } from '../i18n/languages';
import { CATALOGS, translate, translatorFor, type MessageKey } from '../i18n/messages';
import type { DomainEvent } from '../workflows/request-model';

/**
 * A request's timeline in words: for each event what happened (its headline and sentence, the same words the
 * e-mails use) and what caused it when no person did — which deadline, which objection, which rule of the review
 * procedure, which meeting. Derived from the events alone, read in order: an activity's status change says from what
 * to what, and a review closed by its deadline says which deadline, though neither event holds it.
 */

export interface TimelineEvent {
  seq: number;
  type: string;
  actorName: string;
  actorRole: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

export interface EventInWords {
  headline: string;
  sentence: string;
  /** What caused it when no person's step did (a deadline, the procedure, a meeting…); null when a person did. */
  cause: string | null;
}

export interface MeetingOnRecord {
  title: string;
  scheduledFor: string;
}

type Values = Record<string, string | number>;

/** What the events before this one tell: the activities' titles and statuses, the review's deadline and rules. */
interface Story {
  activities: Map<string, { title: string; status: string }>;
  reviewDeadline: string | null;
  quorum: number | null;
}

const DEADLINE_OF: Partial<Record<string, { kind: 'screening' | 'information' | 'review' | 'report'; passed: boolean; field: string }>> = {
  screening_reminder: { kind: 'screening', passed: false, field: 'deadline' },
  screening_escalated: { kind: 'screening', passed: true, field: 'deadline' },
  information_reminder: { kind: 'information', passed: false, field: 'deadline' },
  review_reminder: { kind: 'review', passed: false, field: 'deadline' },
  report_reminder: { kind: 'report', passed: false, field: 'dueAt' },
  report_overdue: { kind: 'report', passed: true, field: 'dueAt' },
};

const DECISIONS = new Set(['approved', 'rejected', 'revision_requested']);

export function describeTimeline(events: TimelineEvent[], language: Language, meetings: ReadonlyMap<string, MeetingOnRecord> = new Map()): EventInWords[] {
  const story: Story = { activities: new Map(), reviewDeadline: null, quorum: null };
  const say = translatorFor(language);
  const day = (iso: unknown) =>
    typeof iso === 'string' && !Number.isNaN(Date.parse(iso))
      ? new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso))
      : 'none';
  let lastClosure: Record<string, unknown> | null = null;

  return events.map((event) => {
    const payload = event.payload ?? {};
    const domainEvent = { type: event.type, actor: { userId: '', name: event.actorName, role: event.actorRole }, payload } as unknown as DomainEvent;
    const words = describeEvent(domainEvent, language);
    let sentence = words.sentence;
    let cause: string | null = null;
    const who = subjectOf(event.actorRole, language);

    if (event.type === 'screening_accepted') {
      story.reviewDeadline = typeof payload.deadline === 'string' ? payload.deadline : null;
      story.quorum = typeof payload.quorum === 'number' ? payload.quorum : null;
    }
    if (event.type === 'review_extended' && typeof payload.until === 'string') story.reviewDeadline = payload.until;
    if (event.type === 'activity_planned') {
      const activity = payload.activity as { activityId?: string; title?: string } | undefined;
      if (activity?.activityId) {
        story.activities.set(activity.activityId, { title: activity.title ?? '', status: 'planned' });
        sentence = say('event.activityPlanned', { who, title: activity.title ?? '' });
      }
    }
    if (event.type === 'activity_status_changed' && typeof payload.activityId === 'string') {
      const known = story.activities.get(payload.activityId);
      const to = String(payload.status === 'done' ? 'held' : payload.status);
      if (known) {
        sentence = say('event.activityStatus', { who, title: known.title, from: statusWord(known.status, language), to: statusWord(to, language) });
        known.status = to;
      }
    }
    if (event.type === 'review_closed') {
      lastClosure = payload;
      cause = joined(closureCause(payload, story, say, day), procedureRule(payload, story, say));
    }
    if (DECISIONS.has(event.type)) {
      if (payload.byProcedure) cause = say('event.cause.procedure', { rule: (lastClosure && procedureRule(lastClosure, story, say)) ?? say('event.rule.silence') });
      else if (typeof payload.meetingId === 'string') {
        const meeting = meetings.get(payload.meetingId);
        cause = meeting ? say('event.cause.meeting', { title: meeting.title, day: day(meeting.scheduledFor) }) : say('event.cause.meetingUnknown');
      }
    }
    const deadline = DEADLINE_OF[event.type];
    if (deadline) cause = say(deadline.passed ? 'event.cause.deadlinePassed' : 'event.cause.deadlineNear', { deadline: say(`event.deadline.${deadline.kind}`), day: day(payload[deadline.field]) });
    if (event.type === 'withdrawn' && payload.reason === 'no_response') {
      cause = say('event.cause.deadlinePassed', { deadline: say('event.deadline.information'), day: day(payload.deadline) });
    }
    if (cause === null && event.actorRole === 'system') cause = say('event.cause.system');
    return { headline: words.headline, sentence, cause };
  });
}

/** An activity's status in words; a status the catalog does not know (a later one) as it is. */
function statusWord(status: string, language: Language): string {
  const key = `activityStatus.${status}`;
  return key in CATALOGS[language] ? translate(language, key as MessageKey) : status;
}

const joined = (...parts: Array<string | null>) => parts.filter((p): p is string => p !== null).join(' — ') || null;

function closureCause(payload: Record<string, unknown>, story: Story, say: (key: MessageKey, values?: Values) => string, day: (iso: unknown) => string): string | null {
  switch (payload.because) {
    case 'deadline_passed':
      return say('event.cause.reviewDeadline', { deadline: story.reviewDeadline ? day(story.reviewDeadline) : 'none' });
    case 'all_voted':
      return say('event.cause.allVoted');
    case 'objection_raised': {
      const members = Array.isArray(payload.objections) ? payload.objections.map((o) => (o as { member?: unknown }).member).filter((m): m is string => typeof m === 'string' && m !== '') : [];
      return members.length > 1 ? say('event.cause.objections', { count: members.length, members: members.join(', ') }) : say('event.cause.objection', { members: members[0] ?? '?' });
    }
    default:
      return null;
  }
}

/** Which rule of the review's procedure decided where the request went, from the tally the closure recorded. */
function procedureRule(payload: Record<string, unknown>, story: Story, say: (key: MessageKey, values?: Values) => string): string | null {
  const tally = (payload.tally ?? {}) as Record<string, number>;
  const yes = tally.no_objection ?? 0;
  const objections = tally.objection ?? 0;
  const cast = yes + objections + (tally.abstain ?? 0);
  switch (payload.procedure) {
    case 'no_objection':
      return objections > 0 ? say('event.rule.objection', { count: objections }) : say('event.rule.silence');
    case 'majority':
      if (story.quorum !== null && cast < story.quorum) return say('event.rule.noQuorum', { cast, quorum: story.quorum });
      if (yes * 2 > cast) return say('event.rule.majority', { yes, cast });
      if (yes * 2 === cast && cast > 0) return say('event.rule.tie', { yes, cast });
      return say('event.rule.noMajority', { yes, cast });
    case 'chair_decides':
      return payload.because === 'closed_by_chair' ? null : say('event.rule.chairDecides');
    default:
      return null;
  }
}
