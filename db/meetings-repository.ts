import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from './client';
import { DECISION_EVENTS } from '../workflows/event-types';
import type { Phase } from '../workflows/request-model';
import { meetings, requestEvents, requests, type AgendaItem, type MinutesItemResult } from './schema';
import { readableRows } from './readable-rows';
import { instantOfPostgresText, isoOfStored, isoOfStoredOrNull } from './stored-instants';

/** Steering Committee meetings: scheduling, the agenda, and the record of what the minutes decided. */

const AGENDA_PHASES: Phase[] = ['review', 'approval'];

export type Meeting = Awaited<ReturnType<typeof findMeeting>>;

/**
 * Schedules a meeting whose agenda is every request in review or awaiting the Chair's decision right now. With the
 * meeting's ID (its workflow's, workflows/meeting.ts), a retry finds the meeting it scheduled, agenda unchanged.
 */
export async function scheduleMeeting(db: Database, input: { meetingId?: string; title: string; scheduledFor: string; by: string }) {
  // One transaction with the answer's read: if the answer cannot be made, nothing was scheduled and a retry is safe.
  return db.transaction(async (tx) => {
    if (input.meetingId) {
      const [existing] = await tx.select().from(meetings).where(eq(meetings.id, input.meetingId));
      if (existing) return toMeeting(existing);
    }
    const agenda: AgendaItem[] = await tx
      .select({ requestId: requests.id, title: requests.title, country: requests.country, phase: requests.phase })
      .from(requests)
      .where(inArray(requests.phase, AGENDA_PHASES))
      .orderBy(requests.submittedAt);
    const [row] = await tx
      .insert(meetings)
      .values({ ...(input.meetingId ? { id: input.meetingId } : {}), title: input.title, scheduledFor: input.scheduledFor, agenda, scheduledBy: input.by })
      .returning();
    return toMeeting(row!);
  });
}

type MeetingRow = typeof meetings.$inferSelect;

function toMeeting(row: MeetingRow) {
  return {
    meetingId: row.id,
    title: row.title,
    scheduledFor: isoOfStored(row.scheduledFor),
    scheduledBy: row.scheduledBy,
    agenda: row.agenda,
    minutesRecordedAt: isoOfStoredOrNull(row.minutesRecordedAt),
    minutesRecordedBy: row.minutesRecordedBy,
    minutes: row.minutes,
    membersRemindedAt: isoOfStoredOrNull(row.membersRemindedAt),
  };
}

export async function findMeeting(db: Database, id: string) {
  const [row] = await db.select().from(meetings).where(eq(meetings.id, id));
  return row ? toMeeting(row) : null;
}

/** The latest hundred meetings, latest first. */
export async function listMeetings(db: Database) {
  const rows = await db.select().from(meetings).orderBy(desc(meetings.scheduledFor)).limit(100);
  return readableRows('meetings', rows, (row) => row.id, toMeeting);
}

/**
 * Adds and removes agenda items until the minutes are recorded. Only requests before the Steering Committee
 * (review or approval) can be added; the others are returned as refused.
 */
export async function editAgenda(
  db: Database,
  id: string,
  change: { add: string[]; remove: string[] },
): Promise<'not_found' | 'minutes_recorded' | { refused: string[] }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(meetings).where(eq(meetings.id, id)).for('update');
    if (!row) return 'not_found';
    if (row.minutesRecordedAt) return 'minutes_recorded';
    const kept = row.agenda.filter((item) => !change.remove.includes(item.requestId));
    const wanted = change.add.filter((requestId) => !kept.some((item) => item.requestId === requestId));
    const added =
      wanted.length > 0
        ? await tx
            .select({ requestId: requests.id, title: requests.title, country: requests.country, phase: requests.phase })
            .from(requests)
            .where(and(inArray(requests.id, wanted), inArray(requests.phase, AGENDA_PHASES)))
        : [];
    await tx.update(meetings).set({ agenda: [...kept, ...added] }).where(eq(meetings.id, id));
    return { refused: wanted.filter((requestId) => !added.some((item) => item.requestId === requestId)) };
  });
}

/** Marks the minutes as being recorded; false if they already were (a meeting's minutes are recorded once). */
export async function claimMinutes(db: Database, id: string, by: string): Promise<boolean> {
  const claimed = await db
    .update(meetings)
    .set({ minutesRecordedAt: sql`now()`, minutesRecordedBy: by })
    .where(and(eq(meetings.id, id), isNull(meetings.minutesRecordedAt)))
    .returning({ id: meetings.id });
  return claimed.length > 0;
}

/** Whether the request's history holds a decision taken by this meeting's minutes (the decision names the meeting). */
export async function decidedAtMeeting(db: Database, requestId: string, meetingId: string): Promise<boolean> {
  const found = await db
    .select({ seq: requestEvents.seq })
    .from(requestEvents)
    .where(
      and(
        eq(requestEvents.requestId, requestId),
        inArray(requestEvents.type, [...DECISION_EVENTS]),
        sql`${requestEvents.payload}->>'meetingId' = ${meetingId}`,
      ),
    )
    .limit(1);
  return found.length > 0;
}

export async function saveMinutes(db: Database, id: string, results: MinutesItemResult[]): Promise<void> {
  await db.update(meetings).set({ minutes: results }).where(eq(meetings.id, id));
}

/** A reminder's text in each language, and in both for a person who chose none. */
export type ReminderTexts = Record<'en' | 'fr' | 'both', { subject: string; body: string }>;

/**
 * Queues the meeting's reminder to every Steering Committee member and to the Chair in office, each in their own
 * language, and notes when. Once per person per meeting (notifications_meeting_user_key): a retry queues nothing twice.
 * Returns how many messages are queued for the meeting in all.
 */
export async function queueMeetingReminders(db: Database, meetingId: string, texts: ReminderTexts): Promise<number> {
  return db.transaction(async (tx) => {
    const pick = (part: 'subject' | 'body') =>
      sql`case u.language when 'en' then ${texts.en[part]}::text when 'fr' then ${texts.fr[part]}::text else ${texts.both[part]}::text end`;
    await tx.execute(sql`
      insert into notifications (meeting_id, user_id, reason, subject, body)
      select ${meetingId}::uuid, u.id, 'reminder', ${pick('subject')}, ${pick('body')}
      from users u
      where u.email is not null
        and (u.role = 'sc_member'
          or (u.role = 'chair' and exists (select 1 from chair_terms t where t.user_id = u.id and t.starts_at <= now() and t.ends_at > now())))
      order by u.name
      on conflict (meeting_id, user_id) where meeting_id is not null do nothing`);
    await tx.update(meetings).set({ membersRemindedAt: sql`coalesce(${meetings.membersRemindedAt}, now())` }).where(eq(meetings.id, meetingId));
    const [{ queued }] = (await tx.execute<{ queued: number }>(sql`select count(*)::int as queued from notifications where meeting_id = ${meetingId}::uuid`)).rows as [{ queued: number }];
    return queued;
  });
}

/** The title and date of each of these meetings that exists, by ID: what a decision's timeline names. */
export async function meetingsOnRecord(db: Database, ids: string[]): Promise<Map<string, { title: string; scheduledFor: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: meetings.id, title: meetings.title, scheduledFor: meetings.scheduledFor }).from(meetings).where(inArray(meetings.id, ids));
  // A date no answer could carry only leaves the day out of the words (read-model/timeline.ts), never fails the read.
  return new Map(rows.map((row) => [row.id, { title: row.title, scheduledFor: instantOfPostgresText(row.scheduledFor)?.toISOString() ?? '' }]));
}
