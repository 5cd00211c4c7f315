import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from './client';
import { DECISION_EVENTS } from '../workflows/event-types';
import type { Phase } from '../workflows/request-model';
import { meetings, requestEvents, requests, type AgendaItem, type MinutesItemResult } from './schema';
import { readableRows } from './readable-rows';
import { isoOfStored, isoOfStoredOrNull } from './stored-instants';

/** Steering Committee meetings: scheduling, the agenda, and the record of what the minutes decided. */

const AGENDA_PHASES: Phase[] = ['review', 'approval'];

export type Meeting = Awaited<ReturnType<typeof findMeeting>>;

/** Schedules a meeting whose agenda is every request in review or awaiting the Chair's decision right now. */
export async function scheduleMeeting(db: Database, input: { title: string; scheduledFor: string; by: string }) {
  // One transaction with the answer's read: if the answer cannot be made, nothing was scheduled and a retry is safe.
  return db.transaction(async (tx) => {
    const agenda: AgendaItem[] = await tx
      .select({ requestId: requests.id, title: requests.title, country: requests.country, phase: requests.phase })
      .from(requests)
      .where(inArray(requests.phase, AGENDA_PHASES))
      .orderBy(requests.submittedAt);
    const [row] = await tx
      .insert(meetings)
      .values({ title: input.title, scheduledFor: input.scheduledFor, agenda, scheduledBy: input.by })
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
