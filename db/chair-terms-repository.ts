import { and, asc, eq, gt, lt } from 'drizzle-orm';
import type { Database } from './client';
import { adminEvents, chairTerms, users } from './schema';
import { UserInputError } from './users-repository';
import { readableRows } from './readable-rows';
import { DATABASE_DATE_BOUNDS, isInstantWithin } from '../workflows/date-bounds';
import { instantOfPostgresText, isoOfStored } from './stored-instants';

/** The Chair's office over time: who holds it when, and the handovers between holders. */

/** A stored instant in milliseconds; NaN (which no comparison admits) for one that is none. */
const timeOf = (text: string): number => instantOfPostgresText(text)?.getTime() ?? Number.NaN;

/**
 * The user's term that matters at `at`: the one that covers it; else the next one; else the last one — so that
 * a refusal can say "your term starts on…" or "ended on…". Terms cut to nothing by a handover do not count.
 */
export async function relevantTermOf(db: Database, userId: string, at = new Date()) {
  const terms = await db
    .select({ startsAt: chairTerms.startsAt, endsAt: chairTerms.endsAt })
    .from(chairTerms)
    .where(and(eq(chairTerms.userId, userId), lt(chairTerms.startsAt, chairTerms.endsAt)))
    .orderBy(asc(chairTerms.startsAt));
  const moment = at.getTime();
  const term =
    terms.find((t) => timeOf(t.startsAt) <= moment && moment < timeOf(t.endsAt)) ?? terms.find((t) => timeOf(t.startsAt) > moment) ?? terms.at(-1);
  if (!term) return null;
  // A term stored with dates no one can mean (before the CHECK constraints) grants nothing, and breaks no one's read.
  try {
    return { startsAt: isoOfStored(term.startsAt), endsAt: isoOfStored(term.endsAt) };
  } catch {
    return null;
  }
}

export async function listChairTerms(db: Database) {
  const rows = await db
    .select({ termId: chairTerms.id, holder: users.name, startsAt: chairTerms.startsAt, endsAt: chairTerms.endsAt, assignedBy: chairTerms.assignedBy })
    .from(chairTerms)
    .innerJoin(users, eq(chairTerms.userId, users.id))
    .orderBy(asc(chairTerms.startsAt));
  return readableRows('chair_terms', rows, (row) => row.termId, (row) => ({ ...row, startsAt: isoOfStored(row.startsAt), endsAt: isoOfStored(row.endsAt) }));
}

/**
 * Hands the office to `holder` from `startsAt` until `endsAt`: a term still running at `startsAt` ends then,
 * and a term planned to start within the new one is cut to nothing (kept on record), so that the office
 * never has two holders at once.
 */
export async function handOverChair(
  db: Database,
  input: { holder: string; startsAt: Date; endsAt: Date; by: string },
): Promise<{ termId: string; holder: string; startsAt: string; endsAt: string; endedTerms: string[] }> {
  if (input.endsAt <= input.startsAt) throw new UserInputError({ key: 'error.termEndsBeforeStart' });
  // The CLI hands over too: the same bound as the API's and the database's CHECK, said in words.
  for (const moment of [input.startsAt, input.endsAt]) {
    if (Number.isNaN(moment.getTime()) || !isInstantWithin(moment.toISOString())) throw new UserInputError({ key: 'error.termBounds', values: { ...DATABASE_DATE_BOUNDS } });
  }
  const startsAt = input.startsAt.toISOString();
  const endsAt = input.endsAt.toISOString();
  return db.transaction(async (tx) => {
    const [holder] = await tx.select().from(users).where(eq(users.name, input.holder));
    if (!holder) throw new UserInputError({ key: 'error.noUserNamed', values: { name: input.holder } });
    if (holder.role !== 'chair') throw new UserInputError({ key: 'error.notAChair', values: { name: input.holder, role: holder.role } });
    const overlapping = await tx
      .select({ id: chairTerms.id, holder: users.name, startsAt: chairTerms.startsAt })
      .from(chairTerms)
      .innerJoin(users, eq(chairTerms.userId, users.id))
      // Only terms that overlap the new one: the office never has two holders at once.
      .where(and(gt(chairTerms.endsAt, startsAt), lt(chairTerms.startsAt, endsAt)));
    for (const term of overlapping) {
      // A term that had not started by the handover is cut to nothing rather than deleted: the record stays.
      const end = timeOf(term.startsAt) > input.startsAt.getTime() ? term.startsAt : startsAt;
      await tx.update(chairTerms).set({ endsAt: end }).where(eq(chairTerms.id, term.id));
    }
    const [term] = await tx
      .insert(chairTerms)
      .values({ userId: holder.id, startsAt, endsAt, assignedBy: input.by })
      .returning({ id: chairTerms.id });
    const endedTerms = overlapping.map((t) => t.holder);
    await tx.insert(adminEvents).values({
      type: 'chair_handover',
      actorName: input.by,
      payload: { to: holder.name, startsAt, endsAt, endedTermsOf: endedTerms },
    });
    return { termId: term!.id, holder: holder.name, startsAt, endsAt, endedTerms };
  });
}
