import type { EventType } from './event-types';
import {
  SYSTEM_ACTOR,
  currentActivityStatus,
  type Actor,
  type ActorRef,
  type Decision,
  type DomainEvent,
  type RequestPolicy,
  type Review,
  type ReviewClosure,
  type ReviewProcedure,
  type Phase,
  type RequestState,
  type Reviewer,
  type Stamp,
  type Submission,
} from './request-model';
import type { Step } from './request-steps';
import { extendClock, pauseClock, resumeClock, startInformationClock, startReportingClock, startScreeningClock } from './clocks';
import { conditionList } from './request-rules';
import { effectiveVotes, outcomeOf, tally, type ReviewOutcome } from './review-procedures';
import { approvedBudget } from './budget';
import { leadTimeBefore } from './working-time';

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
  /** For screening → review: the Steering Committee at this moment, when review ends, and how it decides. */
  review?: { reviewers: Reviewer[]; deadline: string; procedure?: ReviewProcedure; quorum?: number | null; remindAt?: string | null };
  /** For plan_activity: the ID the workflow generated deterministically. */
  activityId?: string;
  /** For attach_document: likewise. */
  documentId?: string;
}

function stamp(actor: ActorRef, now: string): Stamp {
  return { by: { userId: actor.userId, name: actor.name, role: actor.role }, at: now };
}

export function transition(
  before: RequestState,
  after: Omit<RequestState, 'version' | 'updatedAt'>,
  actor: ActorRef,
  now: string,
  type: EventType,
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

/** From approval on, progress reports fall due (when the policy sets an interval). */
function reportingFrom(now: string, state: RequestState): Partial<RequestState> {
  return state.policy?.progressReportInterval ? { reportingClock: startReportingClock(now, 'progress', state.policy) } : {};
}

export function submit(requestId: string, submission: Submission, actor: Actor, now: string, policy?: RequestPolicy): Transition {
  const submitted = stamp(actor, now);
  const state: RequestState = {
    requestId,
    version: 1,
    phase: 'screening',
    submission,
    submissionVersions: [{ submission, ...submitted }],
    submitted,
    screeningNote: null,
    ...(policy ? { policy, screeningClock: startScreeningClock(now, policy) } : {}),
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
        const { reviewers, deadline, procedure, quorum, remindAt } = ctx.review;
        const review: Review = { openedAt: now, deadline, reviewers, votes: [], closedAt: null, closedBecause: null };
        if (procedure) Object.assign(review, { procedure, quorum: quorum ?? null, remindAt: remindAt ?? null, reminded: false, extensions: [], outcome: null });
        const screeningClock = state.screeningClock === undefined ? {} : { screeningClock: null };
        return transition(state, { ...state, ...screeningClock, phase: 'review', screeningNote: step.note, review }, actor, now, 'screening_accepted', {
          ...payload,
          reviewers,
          deadline,
          ...(procedure ? { procedure, quorum: quorum ?? null } : {}),
        });
      }
      if (step.outcome === 'request_information') {
        const clock = startInformationClock(now, state.policy);
        const exchange = { question: step.note, requested: by, response: null, responded: null, ...(clock ? { clock } : {}) };
        // Waiting for the partner pauses the screening clock, as service desks pause an SLA.
        const screeningClock = state.screeningClock ? { screeningClock: pauseClock(state.screeningClock, now) } : {};
        return transition(
          state,
          { ...state, ...screeningClock, phase: 'awaiting_information', informationExchanges: [...state.informationExchanges, exchange] },
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
      const screeningClock = state.screeningClock ? { screeningClock: resumeClock(state.screeningClock, now) } : {};
      return transition(state, { ...state, ...screeningClock, phase: 'screening', informationExchanges: exchanges }, actor, now, 'information_provided', {
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
      const approve = step.decision === 'approve';
      const decision: Decision = {
        ...by,
        decision: step.decision,
        rationale: step.rationale,
        conditions: approve ? conditionList(step.conditions) : [],
        approvedBudgetEur: approve ? (step.approvedBudgetEur ?? state.submission.estimatedBudgetEur) : null,
        ...(step.decision === 'request_revision' && step.points?.length ? { points: step.points } : {}),
        ...(step.meetingId ? { meetingId: step.meetingId } : {}),
      };
      const decisions = [...state.decisions, decision];
      const payload = {
        decision: decision.decision,
        rationale: decision.rationale,
        conditions: decision.conditions,
        approvedBudgetEur: decision.approvedBudgetEur,
        ...(decision.points ? { points: decision.points } : {}),
        ...(decision.meetingId ? { meetingId: decision.meetingId } : {}),
      };
      if (approve) {
        const conditions = decision.conditions.map((text) => ({ text, met: null }));
        return transition(state, { ...state, ...reportingFrom(now, state), phase: 'implementation', decisions, conditions }, actor, now, 'approved', payload);
      }
      if (step.decision === 'reject') {
        return transition(state, { ...ended(state, 'rejected', actor, now, step.rationale), decisions }, actor, now, 'rejected', payload);
      }
      return transition(state, { ...state, phase: 'revision_requested', decisions }, actor, now, 'revision_requested', payload);
    }
    case 'revise': {
      const submission: Submission = { ...state.submission, ...step.changes };
      const points = state.decisions.at(-1)?.points ?? [];
      const answers = step.answers?.length ? { answers: points.map((point, i) => ({ point, answer: step.answers?.[i] ?? '' })) } : {};
      // Back to screening: a new screening round, with a new deadline.
      const screeningClock = state.policy ? { screeningClock: startScreeningClock(now, state.policy) } : {};
      return transition(
        state,
        {
          ...state,
          ...screeningClock,
          phase: 'screening',
          submission,
          submissionVersions: [...state.submissionVersions, { submission, ...answers, ...by }],
          screeningNote: null,
          review: null,
        },
        actor,
        now,
        'revised',
        { changes: step.changes, contentVersion: state.submissionVersions.length + 1, ...answers },
      );
    }
    case 'plan_activity': {
      if (!ctx.activityId) throw new Error('Planning an activity needs its ID');
      const { action: _action, ...fields } = step;
      const activity = { activityId: ctx.activityId, ...fields, status: 'planned' as const, planned: by, updated: null };
      return transition(state, { ...state, activities: [...state.activities, activity] }, actor, now, 'activity_planned', { activity });
    }
    case 'update_activity': {
      const status = currentActivityStatus(step.status);
      const { activityId, status: _status, action: _action, ...details } = step;
      const activities = state.activities.map((a) =>
        a.activityId === activityId
          ? {
              ...a,
              status,
              updated: by,
              // A reason belongs to a postponement or a cancellation; a later step never overwrites it.
              ...((status === 'postponed' || status === 'cancelled') && details.reason !== undefined ? { reason: details.reason } : {}),
              ...(status === 'postponed' && details.startDate && details.endDate ? { startDate: details.startDate, endDate: details.endDate } : {}),
              ...(status === 'held' && details.participants ? { participants: details.participants, deliverables: details.deliverables ?? [] } : {}),
              ...(status === 'held' && details.spentEur !== undefined ? { spentEur: details.spentEur } : {}),
            }
          : a,
      );
      return transition(state, { ...state, activities }, actor, now, 'activity_status_changed', {
        activityId,
        status: step.status,
        ...details,
      });
    }
    case 'increase_budget': {
      const fromEur = approvedBudget(state) ?? 0;
      const increase = { ...by, fromEur, toEur: step.approvedBudgetEur, rationale: step.rationale };
      return transition(state, { ...state, budgetIncreases: [...(state.budgetIncreases ?? []), increase] }, actor, now, 'budget_increased', {
        fromEur,
        toEur: step.approvedBudgetEur,
        rationale: step.rationale,
      });
    }
    case 'complete_implementation':
      return transition(
        state,
        {
          ...state,
          ...(state.policy?.finalReportWithin ? { reportingClock: startReportingClock(now, 'final', state.policy) } : {}),
          phase: 'monitoring',
          implementationCompleted: { ...by, note: step.note },
        },
        actor,
        now,
        'implementation_completed',
        { note: step.note },
      );
    case 'submit_report': {
      const report = { ...by, kind: step.kind, summary: step.summary, indicators: step.indicators, status: 'submitted' as const, reviewed: null };
      // A report answers the report that was due; the next progress report falls due one interval later.
      const reportingClock =
        state.reportingClock === undefined
          ? {}
          : { reportingClock: step.kind === 'final' ? null : state.phase === 'implementation' ? startReportingClock(now, 'progress', state.policy) : state.reportingClock };
      return transition(state, { ...state, ...reportingClock, reports: [...state.reports, report] }, actor, now, 'report_submitted', {
        kind: step.kind,
        summary: step.summary,
        indicators: step.indicators,
      });
    }
    case 'close': {
      const memory = step.goodPractices ? { goodPractices: step.goodPractices, actionArea: state.submission.domain } : {};
      return transition(
        state,
        { ...state, phase: 'completed', closure: { ...by, lessonsLearned: step.lessonsLearned, ...memory } },
        actor,
        now,
        'closed',
        { lessonsLearned: step.lessonsLearned, ...memory },
      );
    }
    case 'accept_report':
    case 'return_report': {
      const accepted = step.action === 'accept_report';
      const comments = step.action === 'return_report' ? step.comments : null;
      const reports = state.reports.map((r, i) =>
        i === step.reportIndex ? { ...r, status: accepted ? ('accepted' as const) : ('returned' as const), reviewed: { ...by, comments } } : r,
      );
      // A returned final report is due again: the partner answers it with a new one.
      const returnedFinal = !accepted && state.reports[step.reportIndex]?.kind === 'final' && state.reportingClock !== undefined;
      const reportingClock = returnedFinal ? { reportingClock: startReportingClock(now, 'final', state.policy) } : {};
      return transition(state, { ...state, ...reportingClock, reports }, actor, now, accepted ? 'report_accepted' : 'report_returned', {
        reportIndex: step.reportIndex,
        kind: state.reports[step.reportIndex]?.kind,
        comments,
      });
    }
    case 'extend_information_deadline': {
      const exchanges = state.informationExchanges.map((exchange, index, all) =>
        index === all.length - 1 && exchange.clock
          ? { ...exchange, clock: extendClock(exchange.clock, step.until, state.policy?.informationReminderLead, { ...by, deadline: step.until, reason: step.reason }) }
          : exchange,
      );
      return transition(state, { ...state, informationExchanges: exchanges }, actor, now, 'information_deadline_extended', {
        until: step.until,
        reason: step.reason,
      });
    }
    case 'extend_review': {
      const review = state.review!;
      const lead = state.policy?.reviewReminderLead;
      const extended: Review = {
        ...review,
        deadline: step.until,
        remindAt: lead ? leadTimeBefore(step.until, lead, now) : null,
        reminded: false,
        extensions: [...(review.extensions ?? []), { ...by, deadline: step.until, reason: step.reason }],
      };
      return transition(state, { ...state, review: extended }, actor, now, 'review_extended', {
        from: review.deadline,
        until: step.until,
        reason: step.reason,
      });
    }
    case 'close_review':
      return closeReview(state, 'closed_by_chair', actor, now, { result: 'to_chair', reason: step.reason });
    case 'correct_decision': {
      const last = state.decisions.at(-1)!;
      const corrected = { ...last, corrections: [...(last.corrections ?? []), { ...by, note: step.note }] };
      return transition(state, { ...state, decisions: [...state.decisions.slice(0, -1), corrected] }, actor, now, 'decision_corrected', {
        decision: last.decision,
        decidedAt: last.at,
        note: step.note,
      });
    }
    case 'meet_condition': {
      const conditions = (state.conditions ?? []).map((condition, index) =>
        index === step.conditionIndex ? { ...condition, met: { ...by, note: step.note } } : condition,
      );
      return transition(state, { ...state, conditions }, actor, now, 'condition_met', {
        conditionIndex: step.conditionIndex,
        condition: conditions[step.conditionIndex]?.text,
        note: step.note,
      });
    }
    case 'attach_document': {
      if (!ctx.documentId) throw new Error('Attaching a document needs its ID');
      const document = { documentId: ctx.documentId, ...step.document, attached: by };
      return transition(state, { ...state, documents: [...(state.documents ?? []), document] }, actor, now, 'document_attached', { document });
    }
    case 'remove_document': {
      const removed = { ...by, reason: step.reason };
      const documents = (state.documents ?? []).map((d) => (d.documentId === step.documentId ? { ...d, removed } : d));
      const document = documents.find((d) => d.documentId === step.documentId)!;
      return transition(state, { ...state, documents }, actor, now, 'document_removed', {
        documentId: step.documentId,
        name: document.name,
        sha256: document.sha256,
        reason: step.reason,
      });
    }
    case 'withdraw':
      return transition(state, ended(state, 'withdrawn', actor, now, step.reason), actor, now, 'withdrawn', { reason: step.reason });
    case 'cancel':
      return transition(state, ended(state, 'cancelled', actor, now, step.reason), actor, now, 'cancelled', { reason: step.reason });
  }
}

/**
 * Review closes. Unless the procedure itself approves (see concludeReview), the request goes to the Chair,
 * with the tally and any objections attached.
 */
export function closeReview(
  state: RequestState,
  because: ReviewClosure,
  actor: ActorRef,
  now: string,
  outcome: ReviewOutcome = outcomeOf(state.review!, because),
): Transition {
  const current = state.review!;
  const review: Review = { ...current, closedAt: now, closedBecause: because, ...(current.procedure ? { outcome } : {}) };
  const objections = effectiveVotes(current)
    .filter((v) => v.vote === 'objection')
    .map((v) => ({ member: v.by.name, comment: v.comment }));
  return transition(state, { ...state, phase: 'approval', review }, actor, now, 'review_closed', {
    because,
    tally: tally(current),
    ...(current.procedure ? { procedure: current.procedure, outcome, objections } : {}),
  });
}

/** Closes the review and, where the procedure approves by itself, records that decision too. */
export function concludeReview(state: RequestState, because: ReviewClosure, now: string): Transition[] {
  const outcome = outcomeOf(state.review!, because);
  const closed = closeReview(state, because, SYSTEM_ACTOR, now, outcome);
  if (outcome.result !== 'approved_by_procedure') return [closed];
  const decision: Decision = {
    ...stamp(SYSTEM_ACTOR, now),
    decision: 'approve',
    rationale: outcome.reason,
    conditions: [],
    approvedBudgetEur: state.submission.estimatedBudgetEur,
    byProcedure: true,
  };
  const approved = transition(
    closed.state,
    { ...closed.state, ...reportingFrom(now, closed.state), phase: 'implementation', decisions: [...closed.state.decisions, decision], conditions: [] },
    SYSTEM_ACTOR,
    now,
    'approved',
    {
      decision: 'approve',
      rationale: decision.rationale,
      conditions: [],
      approvedBudgetEur: decision.approvedBudgetEur,
      byProcedure: true,
      procedure: state.review?.procedure,
      // The Chair is informed of every approval by procedure (delivered by the notification feed).
      informed: ['chair'],
    },
  );
  return [closed, approved];
}
