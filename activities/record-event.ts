import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import {
  decisions,
  implementationActivities,
  reports,
  requestEvents,
  requests,
  reviewVotes,
} from '../db/schema';
import type { DomainEvent, ImplementationActivity, RequestState } from '../workflows/request-model';
import { requestWorkflowId } from '../workflows/request-contract';
import { reachedCommittee } from '../workflows/request-rules';
import { admitToCommittee, countEvent, moveTallies } from './portfolio-tallies';
import { readModelFacts } from './read-model-columns';
import { searchDocumentOf } from './search-document';
import { queueDeliveries, undispatchedDeliveries, type QueuedDelivery } from './webhooks/fan-out';

export interface RecordEventInput {
  event: DomainEvent;
  /** The request's state right after the event. */
  state: RequestState;
}

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * One transaction: the event, its projection into the per-kind tables, the read model and the webhook outbox.
 * Keyed by (request_id, seq), so Temporal may retry it any number of times and the rows are written once.
 * Returns the webhook deliveries still to dispatch (on a retry, those the first try may not have dispatched).
 */
export async function recordEvent(db: Database, { event, state }: RecordEventInput): Promise<QueuedDelivery[]> {
  const requestId = state.requestId;
  const queued = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(requestEvents)
      .values({
        requestId,
        seq: event.seq,
        type: event.type,
        actorId: event.actor.userId,
        actorName: event.actor.name,
        actorRole: event.actor.role,
        phaseBefore: event.phaseBefore,
        phaseAfter: event.phaseAfter,
        occurredAt: event.at,
        payload: event.payload,
      })
      .onConflictDoNothing({ target: [requestEvents.requestId, requestEvents.seq] })
      .returning({ id: requestEvents.id });
    await saveReadModel(tx, state, event.seq);
    if (inserted.length === 0) return null;
    await project(tx, requestId, event, state);
    await countEvent(tx, event, state);
    return queueDeliveries(tx, { id: inserted[0]!.id, requestId, type: event.type });
  });
  return queued ?? undispatchedDeliveries(db, { requestId, seq: event.seq });
}

async function project(tx: Transaction, requestId: string, event: DomainEvent, state: RequestState): Promise<void> {
  switch (event.type) {
    case 'vote_recorded': {
      const vote = state.review!.votes.at(-1)!;
      await tx.insert(reviewVotes).values({
        requestId,
        seq: event.seq,
        voterId: vote.by.userId,
        voterName: vote.by.name,
        vote: vote.vote,
        comment: vote.comment,
        votedAt: vote.at,
      });
      return;
    }
    case 'approved':
    case 'rejected':
    case 'revision_requested': {
      const decision = state.decisions.at(-1)!;
      await tx.insert(decisions).values({
        requestId,
        seq: event.seq,
        decision: decision.decision,
        rationale: decision.rationale,
        // Conditions as one text per line here; their items and whether each is met live in the request's state.
        conditions: decision.conditions.length > 0 ? decision.conditions.join('\n') : null,
        approvedBudgetEur: decision.approvedBudgetEur === null ? null : String(decision.approvedBudgetEur),
        decidedBy: decision.by.name,
        decidedAt: decision.at,
      });
      return;
    }
    case 'activity_planned': {
      const activity = event.payload.activity as ImplementationActivity;
      await tx.insert(implementationActivities).values({
        id: activity.activityId,
        requestId,
        plannedSeq: event.seq,
        lastSeq: event.seq,
        type: activity.type,
        title: activity.title,
        startDate: activity.startDate,
        endDate: activity.endDate,
        location: activity.location,
        budgetEur: String(activity.budgetEur),
        status: activity.status,
      });
      return;
    }
    case 'activity_status_changed': {
      const activity = state.activities.find((a) => a.activityId === event.payload.activityId)!;
      await tx
        .update(implementationActivities)
        .set({
          status: activity.status,
          lastSeq: event.seq,
          startDate: activity.startDate,
          endDate: activity.endDate,
          reason: activity.reason ?? null,
          spentEur: activity.spentEur === undefined || activity.spentEur === null ? null : String(activity.spentEur),
          participants: activity.participants ?? null,
        })
        .where(
          sql`${implementationActivities.id} = ${String(event.payload.activityId)} and ${implementationActivities.lastSeq} < ${event.seq}`,
        );
      return;
    }
    case 'report_submitted': {
      const report = state.reports.at(-1)!;
      await tx.insert(reports).values({
        requestId,
        seq: event.seq,
        kind: report.kind,
        summary: report.summary,
        indicators: report.indicators,
        submittedBy: report.by.name,
        submittedAt: report.at,
      });
      return;
    }
    default:
      return;
  }
}

/**
 * The read model row, and the pre-aggregated tallies moved from the row's old contribution to its new one. A
 * transaction-scoped lock per request makes reading the old row and writing the new one one step.
 */
async function saveReadModel(tx: Transaction, state: RequestState, seq: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${state.requestId}, 0))`);
  const [before] = await tx.select(TALLY_COLUMNS).from(requests).where(eq(requests.id, state.requestId));
  // Activities may finish out of order; never replace a newer state with an older one.
  if (before && before.version >= state.version) return;
  const row = {
    id: state.requestId,
    workflowId: requestWorkflowId(state.requestId),
    title: state.submission.title,
    country: state.submission.country,
    domain: state.submission.domain,
    activityType: state.submission.activityType,
    phase: state.phase,
    version: state.version,
    state,
    committeeVisible: reachedCommittee(state),
    searchDocument: searchDocumentOf(state),
    ...readModelFacts(state),
    submittedBy: state.submitted.by.name,
    submittedAt: state.submitted.at,
    updatedAt: state.updatedAt,
  };
  const { id: _id, ...changes } = row;
  await tx.insert(requests).values(row).onConflictDoUpdate({ target: requests.id, set: changes });
  await moveTallies(tx, before ?? null, row);
  if (before && !before.committeeVisible && row.committeeVisible) await admitToCommittee(tx, state, seq);
}

const TALLY_COLUMNS = {
  version: requests.version,
  phase: requests.phase,
  country: requests.country,
  domain: requests.domain,
  activityType: requests.activityType,
  committeeVisible: requests.committeeVisible,
  requestedBudgetEur: requests.requestedBudgetEur,
  approvedBudgetEur: requests.approvedBudgetEur,
  spentBudgetEur: requests.spentBudgetEur,
  trainedTotal: requests.trainedTotal,
  trainedWomen: requests.trainedWomen,
  trainedMen: requests.trainedMen,
};
