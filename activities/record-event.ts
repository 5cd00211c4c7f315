import { sql } from 'drizzle-orm';
import { DECISION_EVENTS, type EventType } from '../workflows/event-types';
import type { Database } from '../db/client';
import type { DomainEvent, ImplementationActivity, RequestState } from '../workflows/request-model';
import { requestWorkflowId } from '../workflows/request-contract';
import { reachedCommittee } from '../read-model/waiting-for';
import { notificationAudiences } from './notifications/audiences';
import type { MailContext } from './notifications/mail-context';
import { readModelFacts } from './read-model-columns';
import { searchDocumentOf } from './search-document';

export interface RecordEventInput {
  event: DomainEvent;
  /** The request's state right after the event. */
  state: RequestState;
}

/** A webhook delivery queued in the event's transaction, to be dispatched once it is on record. */
export interface QueuedDelivery {
  id: string;
  redeliveries: number;
}

export interface RecordedEvent {
  deliveries: QueuedDelivery[];
  /** E-mails queued for the event and still to send (on a retry, those the first try may not have dispatched). */
  notifications: string[];
}

/**
 * The event, its projection into the per-kind tables, the read model, the pre-aggregated statistics, the webhook
 * outbox and the e-mail outbox — in one transaction and one round trip: the SQL functions record_event
 * (db/migrations/0009) and queue_notifications (0016) do the bookkeeping, in one statement; this module says what
 * the event and the state mean, in rows. Keyed by (request_id, seq), so Temporal may retry it any number of times
 * and the rows are written once. Returns what is still to dispatch. Without `notify` (no mail server configured),
 * no e-mail is queued.
 */
export async function recordEvent(db: Database, { event, state }: RecordEventInput, notify?: MailContext): Promise<RecordedEvent> {
  const input = {
    event: eventRow(event, state.requestId),
    request: readModelRow(state),
    projection: projectionOf(event, state),
    firstDecisionSeconds: firstDecisionSeconds(event, state),
  };
  const audiences = notify ? notificationAudiences(event, state, notify) : [];
  if (audiences.length === 0) {
    const { rows } = await db.execute<{ deliveries: QueuedDelivery[] }>(sql`select record_event(${JSON.stringify(input)}::jsonb) as deliveries`);
    return { deliveries: rows[0]!.deliveries, notifications: [] };
  }
  const queued = {
    request_id: state.requestId,
    seq: event.seq,
    at: event.at,
    // The system has no user row; people never get an e-mail about what they did themselves.
    actor_id: UUID.test(event.actor.userId) ? event.actor.userId : null,
    audiences: audiences.map((a) => ({
      reason: a.reason,
      roles: a.roles,
      country: a.country,
      user_ids: a.userIds,
      subject: a.subject,
      body: a.body,
      in_one_language: a.inOneLanguage,
    })),
  };
  // One statement is one transaction: the event and its e-mails are on record together, or neither is.
  const { rows } = await db.execute<{ deliveries: QueuedDelivery[]; notifications: string[] }>(
    sql`select record_event(${JSON.stringify(input)}::jsonb) as deliveries, queue_notifications(${JSON.stringify(queued)}::jsonb) as notifications`,
  );
  return { deliveries: rows[0]!.deliveries, notifications: rows[0]!.notifications };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rows are keyed by column name: the SQL function reads them with jsonb_populate_record. */
function eventRow(event: DomainEvent, requestId: string) {
  return {
    request_id: requestId,
    seq: event.seq,
    type: event.type,
    actor_id: event.actor.userId,
    actor_name: event.actor.name,
    actor_role: event.actor.role,
    phase_before: event.phaseBefore,
    phase_after: event.phaseAfter,
    occurred_at: event.at,
    payload: event.payload,
  };
}

function readModelRow(state: RequestState) {
  const facts = readModelFacts(state);
  return {
    id: state.requestId,
    workflow_id: requestWorkflowId(state.requestId),
    title: state.submission.title,
    country: state.submission.country,
    domain: state.submission.domain,
    activity_type: state.submission.activityType,
    phase: state.phase,
    version: state.version,
    state,
    committee_visible: reachedCommittee(state),
    submitted_by: state.submitted.by.name,
    submitted_at: state.submitted.at,
    updated_at: state.updatedAt,
    decided_at: facts.decidedAt,
    due_at: facts.dueAt,
    waiting_for: facts.waitingFor,
    has_objections: facts.hasObjections,
    requested_budget_eur: facts.requestedBudgetEur,
    approved_budget_eur: facts.approvedBudgetEur,
    spent_budget_eur: facts.spentBudgetEur,
    trained_total: facts.trainedTotal,
    trained_women: facts.trainedWomen,
    trained_men: facts.trainedMen,
    search_document: searchDocumentOf(state),
  };
}

type Projection = { table: 'review_votes' | 'decisions' | 'reports' | 'implementation_activities' | 'implementation_activity_status'; row: object } | null;

/** The event's row in the table of its kind, if its kind has one. */
function projectionOf(event: DomainEvent, state: RequestState): Projection {
  const requestId = state.requestId;
  switch (event.type) {
    case 'vote_recorded': {
      const vote = state.review!.votes.at(-1)!;
      return {
        table: 'review_votes',
        row: { request_id: requestId, seq: event.seq, voter_id: vote.by.userId, voter_name: vote.by.name, vote: vote.vote, comment: vote.comment, voted_at: vote.at },
      };
    }
    case 'approved':
    case 'rejected':
    case 'revision_requested': {
      const decision = state.decisions.at(-1)!;
      return {
        table: 'decisions',
        row: {
          request_id: requestId,
          seq: event.seq,
          decision: decision.decision,
          rationale: decision.rationale,
          // Conditions as one text per line here; their items and whether each is met live in the request's state.
          conditions: decision.conditions.length > 0 ? decision.conditions.join('\n') : null,
          approved_budget_eur: decision.approvedBudgetEur === null ? null : String(decision.approvedBudgetEur),
          decided_by: decision.by.name,
          decided_at: decision.at,
        },
      };
    }
    case 'activity_planned': {
      const activity = event.payload.activity as ImplementationActivity;
      return { table: 'implementation_activities', row: activityRow(activity, requestId, event.seq, event.seq) };
    }
    case 'activity_status_changed': {
      const activity = state.activities.find((a) => a.activityId === event.payload.activityId)!;
      // Only the changing columns are applied (to a row not already newer); planned_seq stays as planned.
      return { table: 'implementation_activity_status', row: activityRow(activity, requestId, null, event.seq) };
    }
    case 'report_submitted': {
      const report = state.reports.at(-1)!;
      return {
        table: 'reports',
        row: { request_id: requestId, seq: event.seq, kind: report.kind, summary: report.summary, indicators: report.indicators, submitted_by: report.by.name, submitted_at: report.at },
      };
    }
    // Kept in the request's state and the audit trail only: no table of their own.
    case 'submitted':
    case 'screening_accepted':
    case 'screening_rejected':
    case 'information_requested':
    case 'information_provided':
    case 'information_deadline_extended':
    case 'revised':
    case 'review_extended':
    case 'review_closed':
    case 'decision_corrected':
    case 'condition_met':
    case 'budget_increased':
    case 'document_attached':
    case 'document_removed':
    case 'implementation_completed':
    case 'report_accepted':
    case 'report_returned':
    case 'closed':
    case 'withdrawn':
    case 'cancelled':
    case 'screening_reminder':
    case 'screening_escalated':
    case 'information_reminder':
    case 'review_reminder':
    case 'report_reminder':
    case 'report_overdue':
      return null;
    default: {
      // Every kind of event is listed above: a new one (event-types.ts) fails here until it says where it goes.
      const unlisted: never = event.type;
      throw new Error(`No projection for event type ${String(unlisted)}`);
    }
  }
}

function activityRow(activity: ImplementationActivity, requestId: string, plannedSeq: number | null, lastSeq: number) {
  return {
    id: activity.activityId,
    request_id: requestId,
    planned_seq: plannedSeq,
    last_seq: lastSeq,
    type: activity.type,
    title: activity.title,
    start_date: activity.startDate,
    end_date: activity.endDate,
    location: activity.location,
    budget_eur: String(activity.budgetEur),
    status: activity.status,
    reason: activity.reason ?? null,
    spent_eur: activity.spentEur === undefined || activity.spentEur === null ? null : String(activity.spentEur),
    participants: activity.participants ?? null,
  };
}

const DECISIONS: ReadonlySet<EventType> = new Set(DECISION_EVENTS);

/** For the first decision on a request: the time since its submission, for the statistics' histogram. */
function firstDecisionSeconds(event: DomainEvent, state: RequestState): number | null {
  if (!DECISIONS.has(event.type) || state.decisions.length !== 1) return null;
  return (Date.parse(event.at) - Date.parse(state.submitted.at)) / 1000;
}
