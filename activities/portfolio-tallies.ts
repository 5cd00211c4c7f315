import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import type { DomainEvent, RequestState } from '../workflows/request-model';
import { reachedCommittee } from '../workflows/request-rules';
import { durationBucket } from '../db/duration-buckets';
import type { ReadModelFacts } from './read-model-columns';

/**
 * Keeps the pre-aggregated statistics (db/schema.ts: portfolio_tallies, duration_histogram, sla_tallies) current,
 * inside the transaction that records an event, so they are exactly as right as the audit trail.
 */

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** What a request adds to portfolio_tallies: its key (where it counts), and the facts it adds up there. */
export type TallyContribution = { phase: string; country: string; domain: number; activityType: string; committeeVisible: boolean } & Omit<
  ReadModelFacts,
  'decidedAt' | 'dueAt' | 'hasObjections'
>;

const keyOf = (c: TallyContribution) => [c.phase, c.country, c.domain, c.activityType, c.committeeVisible].join('|');
const sumsOf = (c: TallyContribution) =>
  [c.requestedBudgetEur, c.approvedBudgetEur ?? '0', c.spentBudgetEur, c.trainedTotal, c.trainedWomen, c.trainedMen].map(Number).join('|');

/** Moves a request's contribution from what it was (null: a new request) to what it is now. */
export async function moveTallies(tx: Transaction, before: TallyContribution | null, after: TallyContribution): Promise<void> {
  if (before && keyOf(before) === keyOf(after) && sumsOf(before) === sumsOf(after)) return;
  const changes = [...(before ? [{ c: before, sign: -1 }] : []), { c: after, sign: 1 }]
    // One order for every transaction, so that two of them never wait for each other's rows (no deadlock).
    .sort((a, b) => keyOf(a.c).localeCompare(keyOf(b.c)));
  const values = changes.map(
    ({ c, sign }) =>
      sql`(${c.phase}, ${c.country}, ${c.domain}, ${c.activityType}, ${c.committeeVisible}, ${sign},
           ${sign} * ${c.requestedBudgetEur}::numeric, ${sign} * ${c.approvedBudgetEur ?? '0'}::numeric, ${sign} * ${c.spentBudgetEur}::numeric,
           ${sign * c.trainedTotal}, ${sign * c.trainedWomen}, ${sign * c.trainedMen})`,
  );
  if (changes.length === 2 && keyOf(changes[0]!.c) === keyOf(changes[1]!.c)) {
    // Same row, new sums: one upsert of the difference (a row cannot be upserted twice in one statement).
    const [a, b] = [before!, after];
    values.splice(
      0,
      2,
      sql`(${b.phase}, ${b.country}, ${b.domain}, ${b.activityType}, ${b.committeeVisible}, 0,
           ${b.requestedBudgetEur}::numeric - ${a.requestedBudgetEur}::numeric,
           ${b.approvedBudgetEur ?? '0'}::numeric - ${a.approvedBudgetEur ?? '0'}::numeric,
           ${b.spentBudgetEur}::numeric - ${a.spentBudgetEur}::numeric,
           ${b.trainedTotal - a.trainedTotal}, ${b.trainedWomen - a.trainedWomen}, ${b.trainedMen - a.trainedMen})`,
    );
  }
  await tx.execute(sql`
    insert into portfolio_tallies as t (phase, country, domain, activity_type, committee_visible, requests,
                                        requested_eur, approved_eur, spent_eur, trained_total, trained_women, trained_men)
    values ${sql.join(values, sql`, `)}
    on conflict (phase, country, domain, activity_type, committee_visible) do update set
      requests = t.requests + excluded.requests,
      requested_eur = t.requested_eur + excluded.requested_eur,
      approved_eur = t.approved_eur + excluded.approved_eur,
      spent_eur = t.spent_eur + excluded.spent_eur,
      trained_total = t.trained_total + excluded.trained_total,
      trained_women = t.trained_women + excluded.trained_women,
      trained_men = t.trained_men + excluded.trained_men`);
}

async function countDuration(tx: Transaction, entry: { measure: string; country: string; seconds: number; committee: boolean }) {
  const classes = entry.committee ? [false, true] : [false];
  const bucket = durationBucket(entry.seconds);
  for (const committee of classes) {
    await tx.execute(sql`
      insert into duration_histogram as h (measure, country, committee, bucket, count)
      values (${entry.measure}, ${entry.country}, ${committee}, ${bucket}, 1)
      on conflict (measure, country, committee, bucket) do update set count = h.count + 1`);
  }
}

async function countBreach(tx: Transaction, entry: { kind: string; country: string; committee: boolean }) {
  for (const committee of entry.committee ? [false, true] : [false]) {
    await tx.execute(sql`
      insert into sla_tallies as s (kind, country, committee, count) values (${entry.kind}, ${entry.country}, ${committee}, 1)
      on conflict (kind, country, committee) do update set count = s.count + 1`);
  }
}

export function breachKind(event: Pick<DomainEvent, 'type' | 'payload'>): string | null {
  if (event.type === 'screening_escalated') return 'screening';
  if (event.type === 'report_overdue') return 'reports';
  if (event.type === 'review_closed' && event.payload.because === 'deadline_passed') return 'review';
  return null;
}

const DECISIONS = new Set(['approved', 'rejected', 'revision_requested']);

/** What one newly recorded event adds to the histograms and the breach tallies. */
export async function countEvent(tx: Transaction, event: DomainEvent, state: RequestState): Promise<void> {
  const country = state.submission.country;
  const committee = reachedCommittee(state);
  if (event.phaseBefore !== event.phaseAfter) {
    // The phase it leaves was entered at the latest earlier phase change, or at submission.
    const { rows } = await tx.execute(sql`
      select occurred_at from request_events
       where request_id = ${state.requestId} and seq < ${event.seq} and (seq = 1 or phase_before <> phase_after)
       order by seq desc limit 1`);
    const entered = (rows[0] as { occurred_at: string | Date } | undefined)?.occurred_at;
    if (entered !== undefined) {
      const seconds = (Date.parse(event.at) - new Date(entered).getTime()) / 1000;
      await countDuration(tx, { measure: event.phaseBefore, country, seconds, committee });
    }
  }
  if (DECISIONS.has(event.type) && state.decisions.length === 1) {
    const seconds = (Date.parse(event.at) - Date.parse(state.submitted.at)) / 1000;
    await countDuration(tx, { measure: 'submission_to_decision', country, seconds, committee });
  }
  const kind = breachKind(event);
  if (kind) await countBreach(tx, { kind, country, committee });
}

/**
 * A request the Steering Committee now sees for the first time: its earlier phase visits and breaches join the
 * committee's histograms and tallies (the event that made it visible counts itself, in countEvent).
 */
export async function admitToCommittee(tx: Transaction, state: RequestState, beforeSeq: number): Promise<void> {
  const { rows } = await tx.execute(sql`
    with changes as (
      select seq, type, payload, phase_before, phase_after, occurred_at,
             lag(occurred_at) over (order by seq) as entered
        from request_events
       where request_id = ${state.requestId} and seq < ${beforeSeq} and (seq = 1 or phase_before <> phase_after))
    select phase_before as phase, extract(epoch from occurred_at - entered)::float8 as seconds
      from changes where seq > 1`);
  for (const visit of rows as Array<{ phase: string; seconds: number }>) {
    const bucket = durationBucket(visit.seconds);
    await tx.execute(sql`
      insert into duration_histogram as h (measure, country, committee, bucket, count)
      values (${visit.phase}, ${state.submission.country}, true, ${bucket}, 1)
      on conflict (measure, country, committee, bucket) do update set count = h.count + 1`);
  }
  const breaches = await tx.execute(sql`
    select type, payload from request_events
     where request_id = ${state.requestId} and seq < ${beforeSeq}
       and (type in ('screening_escalated', 'report_overdue') or (type = 'review_closed' and payload->>'because' = 'deadline_passed'))`);
  for (const event of breaches.rows as Array<{ type: string; payload: Record<string, unknown> }>) {
    const kind = breachKind(event);
    if (kind) {
      await tx.execute(sql`
        insert into sla_tallies as s (kind, country, committee, count) values (${kind}, ${state.submission.country}, true, 1)
        on conflict (kind, country, committee) do update set count = s.count + 1`);
    }
  }
}
