import type {
  Actor,
  ActorRef,
  DomainEvent,
  Phase,
  RequestState,
  Reviewer,
  Stamp,
  Submission,
} from './request-model';
import type { Step } from './request-steps';

/**
 * The request as a pure fold of events: each function takes the current state and returns the next state
 * together with the event that explains the change. The workflow persists the event; nothing here does I/O.
 */

export interface Transition {
  state: RequestState;
  event: DomainEvent;
}

/** What the workflow supplies besides the step: the time and, for some steps, facts it fetched or generated. */
export interface StepContext {
  now: string;
  /** For screening → review: the Steering Committee at this moment, and when review ends. */
  review?: { reviewers: Reviewer[]; deadline: string };
  /** For plan_activity: the ID the workflow generated deterministically. */
  activityId?: string;
}

function stamp(actor: ActorRef, now: string): Stamp {
  return { by: { userId: actor.userId, name: actor.name, role: actor.role }, at: now };
}

function transition(
  before: RequestState,
  after: Omit<RequestState, 'version' | 'updatedAt'>,
  actor: ActorRef,
  now: string,
  type: string,
  payload: Record<string, unknown>,
): Transition {
  const version = before.version + 1;
  const state: RequestState = { ...after, version, updatedAt: now };
  const event: DomainEvent = {
    seq: version,
    type,
    actor: stamp(actor, now).by,
    at: now,
    phaseBefore: before.phase,
    phaseAfter: state.phase,
    payload,
  };
  return { state, event };
}

export function submit(requestId: string, submission: Submission, actor: Actor, now: string): Transition {
  const submitted = stamp(actor, now);
  const state: RequestState = {
    requestId,
    version: 1,
    phase: 'screening',
    submission,
    submissionVersions: [{ submission, ...submitted }],
    submitted,
    screeningNote: null,
    informationExchanges: [],
    review: null,
    decisions: [],
    activities: [],
    implementationCompleted: null,
    reports: [],
    closure: null,
    ending: null,
    updatedAt: now,
  };
  const event: DomainEvent = {
    seq: 1,
    type: 'submitted',
    actor: submitted.by,
    at: now,
    phaseBefore: 'screening',
    phaseAfter: 'screening',
    payload: { submission },
  };
  return { state, event };
}

function ended(state: RequestState, phase: Phase, actor: ActorRef, now: string, reason: string) {
  return { ...state, phase, ending: { ...stamp(actor, now), reason } };
}

export function applyStep(state: RequestState, actor: Actor, step: Step, ctx: StepContext): Transition {
  const { now } = ctx;
  const by = stamp(actor, now);
  switch (step.action) {
    case 'screen': {
      const payload = { outcome: step.outcome, note: step.note };
      if (step.outcome === 'accept') {
        if (!ctx.review) throw new Error('Opening review needs the reviewers and the deadline');
        const review = { openedAt: now, deadline: ctx.review.deadline, reviewers: ctx.review.reviewers, votes: [], closedAt: null, closedBecause: null };
        return transition(state, { ...state, phase: 'review', screeningNote: step.note, review }, actor, now, 'screening_accepted', {
          ...payload,
          reviewers: ctx.review.reviewers,
          deadline: ctx.review.deadline,
        });
      }
      if (step.outcome === 'request_information') {
        const exchange = { question: step.note, requested: by, response: null, responded: null };
        return transition(
          state,
          { ...state, phase: 'awaiting_information', informationExchanges: [...state.informationExchanges, exchange] },
          actor,
          now,
          'information_requested',
          payload,
        );
      }
      return transition(state, { ...ended(state, 'rejected', actor, now, step.note), screeningNote: step.note }, actor, now, 'screening_rejected', payload);
    }
    case 'provide_information': {
      const exchanges = state.informationExchanges.map((exchange, index, all) =>
        index === all.length - 1 ? { ...exchange, response: step.response, responded: by } : exchange,
      );
      return transition(state, { ...state, phase: 'screening', informationExchanges: exchanges }, actor, now, 'information_provided', {
        response: step.response,
      });
    }
    case 'vote': {
      const review = state.review!;
      const vote = { ...by, vote: step.vote, comment: step.comment };
      return transition(state, { ...state, review: { ...review, votes: [...review.votes, vote] } }, actor, now, 'vote_recorded', {
        vote: step.vote,
        comment: step.comment,
      });
    }
    case 'decide': {
      const decision = {
        ...by,
        decision: step.decision,
        rationale: step.rationale,
        conditions: step.conditions,
        approvedBudgetEur: step.decision === 'approve' ? (step.approvedBudgetEur ?? state.submission.estimatedBudgetEur) : null,
      };
      const decisions = [...state.decisions, decision];
      const payload = { decision: decision.decision, rationale: decision.rationale, conditions: decision.conditions, approvedBudgetEur: decision.approvedBudgetEur };
      if (step.decision === 'approve') {
        return transition(state, { ...state, phase: 'implementation', decisions }, actor, now, 'approved', payload);
      }
      if (step.decision === 'reject') {
        return transition(state, { ...ended(state, 'rejected', actor, now, step.rationale), decisions }, actor, now, 'rejected', payload);
      }
      return transition(state, { ...state, phase: 'revision_requested', decisions }, actor, now, 'revision_requested', payload);
    }
    case 'revise': {
      const submission: Submission = { ...state.submission, ...step.changes };
      return transition(
        state,
        {
          ...state,
          phase: 'screening',
          submission,
          submissionVersions: [...state.submissionVersions, { submission, ...by }],
          screeningNote: null,
          review: null,
        },
        actor,
        now,
        'revised',
        { changes: step.changes, contentVersion: state.submissionVersions.length + 1 },
      );
    }
    case 'plan_activity': {
      if (!ctx.activityId) throw new Error('Planning an activity needs its ID');
      const { action: _action, ...fields } = step;
      const activity = { activityId: ctx.activityId, ...fields, status: 'planned' as const, planned: by, updated: null };
      return transition(state, { ...state, activities: [...state.activities, activity] }, actor, now, 'activity_planned', { activity });
    }
    case 'update_activity': {
      const activities = state.activities.map((a) =>
        a.activityId === step.activityId ? { ...a, status: step.status, updated: by } : a,
      );
      return transition(state, { ...state, activities }, actor, now, 'activity_status_changed', {
        activityId: step.activityId,
        status: step.status,
      });
    }
    case 'complete_implementation':
      return transition(
        state,
        { ...state, phase: 'monitoring', implementationCompleted: { ...by, note: step.note } },
        actor,
        now,
        'implementation_completed',
        { note: step.note },
      );
    case 'submit_report': {
      const report = { ...by, kind: step.kind, summary: step.summary, indicators: step.indicators };
      return transition(state, { ...state, reports: [...state.reports, report] }, actor, now, 'report_submitted', {
        kind: step.kind,
        summary: step.summary,
        indicators: step.indicators,
      });
    }
    case 'close':
      return transition(
        state,
        { ...state, phase: 'completed', closure: { ...by, lessonsLearned: step.lessonsLearned } },
        actor,
        now,
        'closed',
        { lessonsLearned: step.lessonsLearned },
      );
    case 'withdraw':
      return transition(state, ended(state, 'withdrawn', actor, now, step.reason), actor, now, 'withdrawn', { reason: step.reason });
    case 'cancel':
      return transition(state, ended(state, 'cancelled', actor, now, step.reason), actor, now, 'cancelled', { reason: step.reason });
  }
}

/** Review ends (every member voted, or the deadline passed) and the request goes to the Chair. */
export function closeReview(
  state: RequestState,
  because: 'all_voted' | 'deadline_passed',
  actor: ActorRef,
  now: string,
): Transition {
  const review = { ...state.review!, closedAt: now, closedBecause: because };
  const tally = { no_objection: 0, objection: 0, abstain: 0 };
  for (const v of review.votes) tally[v.vote] += 1;
  return transition(state, { ...state, phase: 'approval', review }, actor, now, 'review_closed', { because, tally });
}
