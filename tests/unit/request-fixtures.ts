import { vi } from 'vitest';
import { fireDeadline, type DeadlineKind } from '../../workflows/deadlines';
import {
  SYSTEM_ACTOR,
  type Actor,
  type Deliverable,
  type DocumentFile,
  type Participants,
  type DomainEvent,
  type Phase,
  type RequestPolicy,
  type RequestState,
  type ReviewClosure,
  type Reviewer,
  type Submission,
  type SubmissionChanges,
} from '../../workflows/request-model';
import type { RuleOptions } from '../../workflows/request-rules';
import { checkStep } from './refusals-in-english';
import type { Step } from '../../workflows/request-steps';
import {
  applyStep,
  closeReview,
  concludeReview,
  submit,
  type StepContext,
  type Transition,
} from '../../workflows/request-transitions';

/**
 * Fixtures shared by the unit tests of the request rules and transitions: people, a submission, and states
 * built by folding the real transitions from a submission, one move per minute. A move made with `act` must
 * be allowed by the rules (it throws otherwise), so a fixture never builds an impossible history.
 */

export const partner: Actor = { userId: 'u-nfp-sn', name: 'Awa Diop', role: 'partner', country: 'SN' };
export const secretariat: Actor = { userId: 'u-sec', name: 'Sofia Rossi', role: 'secretariat', country: null };
export const scEs: Actor = { userId: 'u-sc-es', name: 'Ana García', role: 'sc_member', country: 'ES' };
export const scFr: Actor = { userId: 'u-sc-fr', name: 'Jean Dupont', role: 'sc_member', country: 'FR' };
/** Represents the request's own country: conflicted. */
export const scSn: Actor = { userId: 'u-sc-sn', name: 'Fatou Ndiaye', role: 'sc_member', country: 'SN' };
/** Not among REVIEWERS: joined the Steering Committee after that review opened. */
export const scMa: Actor = { userId: 'u-sc-ma', name: 'Youssef Alaoui', role: 'sc_member', country: 'MA' };
/** Holds the Chair's office for a term that covers any moment these tests run at. */
export const chair: Actor = {
  userId: 'u-chair',
  name: 'Chair Office 2025',
  role: 'chair',
  country: null,
  chairTerm: { startsAt: '2000-01-01T00:00:00.000Z', endsAt: '2100-01-01T00:00:00.000Z' },
};

/** The review snapshot `accept()` opens with: two eligible members and the conflicted one. */
export const REVIEWERS: Reviewer[] = [
  { userId: scEs.userId, name: scEs.name, country: 'ES', conflicted: false },
  { userId: scFr.userId, name: scFr.name, country: 'FR', conflicted: false },
  { userId: scSn.userId, name: scSn.name, country: 'SN', conflicted: true },
];
export const DEADLINE = '2025-01-20T09:00:00.000Z';

export const SUBMISSION: Submission = {
  title: 'Training on document fraud detection',
  description: 'Two-week training for border police at Dakar airport.',
  country: 'SN',
  domain: 4,
  activityType: 'training',
  objectives: 'Improve detection of forged travel documents.',
  expectedOutcomes: '40 officers trained.',
  estimatedBudgetEur: 48_000,
  preferredPeriod: '2025-Q2',
};

/** Step i of a fold happens at 09:i on 2025-01-06 (the submission at 09:00). */
export const at = (minute: number): string => new Date(Date.UTC(2025, 0, 6, 9, minute)).toISOString();

export type Move = (state: RequestState, now: string) => Transition;
/** A move that may record several events at once (a review that closes and approves, a deadline firing). */
export type Fold = (state: RequestState, now: string) => Transition | Transition[];

/**
 * Runs `fn` with the clock reading `now`. The rules read `new Date()`, which in the workflow is the moment of the
 * step (Temporal's deterministic clock); the fixtures check each step at its own moment in the same way.
 */
export function atMoment<T>(now: string, fn: () => T): T {
  if (vi.isFakeTimers()) {
    const before = Date.now();
    vi.setSystemTime(new Date(now));
    try {
      return fn();
    } finally {
      vi.setSystemTime(before);
    }
  }
  vi.useFakeTimers({ toFake: ['Date'], now: new Date(now) });
  try {
    return fn();
  } finally {
    vi.useRealTimers();
  }
}

/** A step that must be allowed by the rules at its moment (so the fixture never builds an impossible history). */
export function act(actor: Actor, step: Step, extra: Omit<StepContext, 'now'> = {}, options: RuleOptions = {}): Move {
  return (state, now) => {
    const refusal = atMoment(now, () => checkStep(state, actor, step, options));
    if (refusal) throw new Error(`fixture: ${actor.role} may not ${step.action}: ${refusal.message}`);
    return applyStep(state, actor, step, { now, ...extra });
  };
}

/** The same move, at a moment of its own rather than the fold's next minute. */
export const timed =
  <M extends Fold>(when: string, move: M) =>
  (state: RequestState): ReturnType<M> =>
    move(state, when) as ReturnType<M>;

/** Closes the review the way the workflow did before procedures (closeReview alone): to the Chair, as the system. */
export const endReview =
  (because: 'all_voted' | 'deadline_passed' = 'deadline_passed'): Move =>
  (state, now) =>
    closeReview(state, because, SYSTEM_ACTOR, now);

/** Closes the review under its procedure: one event, or two when the procedure approves by itself. */
export const conclude =
  (because: ReviewClosure): Fold =>
  (state, now) =>
    concludeReview(state, because, now);

/** A deadline or reminder happens (the workflow's timer fired). */
export const fire =
  (kind: DeadlineKind): Fold =>
  (state, now) =>
    fireDeadline(state, kind, now);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export interface Run {
  state: RequestState;
  events: DomainEvent[];
  /** Every state of the fold, the submitted one first. All deep-frozen: a transition that mutates its input throws. */
  states: RequestState[];
}

/** Submits request req-1 as the partner at(0), then applies each move in turn, move i at at(i). */
export function build(...moves: Fold[]): Run {
  return buildUnder(undefined, ...moves);
}

/** As `build`, for a request submitted under a policy (deadlines, reminders, review procedure). */
export function buildUnder(policy: RequestPolicy | undefined, ...moves: Fold[]): Run {
  const first = submit('req-1', SUBMISSION, partner, at(0), policy);
  const states = [deepFreeze(first.state)];
  const events = [first.event];
  moves.forEach((move, i) => {
    const result = move(states[states.length - 1]!, at(i + 1));
    for (const next of Array.isArray(result) ? result : [result]) {
      states.push(deepFreeze(next.state));
      events.push(next.event);
    }
  });
  return { state: states[states.length - 1]!, events, states };
}

// Step builders.

export const requestInfo = (question = 'Which border posts?'): Move =>
  act(secretariat, { action: 'screen', outcome: 'request_information', note: question });
/** Opens review with the given snapshot; `review` adds the procedure, quorum and reminder the workflow computed. */
export const accept = (reviewers: Reviewer[] = REVIEWERS, review: Partial<NonNullable<StepContext['review']>> = {}): Move =>
  act(secretariat, { action: 'screen', outcome: 'accept', note: 'Eligible.' }, { review: { reviewers, deadline: DEADLINE, ...review } });
export const vote = (
  member: Actor,
  value: 'no_objection' | 'objection' | 'abstain' = 'no_objection',
  comment: string | null = null,
): Move => act(member, { action: 'vote', vote: value, comment });
export const decide = (
  decision: 'approve' | 'reject' | 'request_revision',
  rationale = 'Relevant to area 4.',
  conditions: string[] | string | null = null,
  approvedBudgetEur: number | null = null,
  options: RuleOptions = {},
): Move => act(chair, { action: 'decide', decision, rationale, conditions, approvedBudgetEur }, {}, options);
/** The Chair asks for a revision on these points. */
export const askRevision = (points: string[], rationale = 'Revise before approval.'): Move =>
  act(chair, { action: 'decide', decision: 'request_revision', rationale, conditions: null, approvedBudgetEur: null, points });
/** The partner revises, answering each point in order. */
export const revise = (changes: SubmissionChanges, answers?: string[], options: RuleOptions = {}): Move =>
  act(partner, { action: 'revise', changes, ...(answers ? { answers } : {}) }, {}, options);
export const meetCondition = (conditionIndex: number, note = 'Received.'): Move =>
  act(secretariat, { action: 'meet_condition', conditionIndex, note });
export type PlanStep = Extract<Step, { action: 'plan_activity' }>;
export type ActivityUpdate = Extract<Step, { action: 'update_activity' }>;
/** What an activity update carries besides the activity and its new status. */
export type ActivityDetails = Omit<ActivityUpdate, 'action' | 'activityId' | 'status'>;

/** Plans a two-week training in Dakar for €20,000 (or with the given fields). */
export const plan = (activityId: string, title: string, fields: Partial<Omit<PlanStep, 'action' | 'title'>> = {}, options: RuleOptions = {}): Move =>
  act(
    secretariat,
    {
      action: 'plan_activity',
      type: 'training',
      title,
      startDate: '2025-05-05',
      endDate: '2025-05-16',
      location: 'Dakar',
      budgetEur: 20_000,
      ...fields,
    },
    { activityId },
    options,
  );
/** Any status change of an activity, by the Secretariat. */
export const updateActivity = (
  activityId: string,
  status: ActivityUpdate['status'],
  details: ActivityDetails = {},
  options: RuleOptions = {},
): Move => act(secretariat, { action: 'update_activity', activityId, status, ...details }, {}, options);

/** A concept note (or the given file) attached by the partner, or by whoever is given. */
export const attach = (documentId: string, file: Partial<DocumentFile> = {}, actor: Actor = partner): Move =>
  act(actor, { action: 'attach_document', document: { ...CONCEPT_NOTE, ...file } }, { documentId });
export const CONCEPT_NOTE: DocumentFile = {
  name: 'concept-note.pdf',
  mediaType: 'application/pdf',
  sizeBytes: 48_213,
  sha256: 'a'.repeat(64),
  description: 'Concept note agreed with the ministry',
};

export const PARTICIPANTS: Participants = { total: 40, women: 18, men: 21, institutions: 4 };
export const DELIVERABLES: Deliverable[] = [{ title: 'Training curriculum', kind: 'curriculum', link: null }];
/** What a held activity records by default: who came, what it produced, what it cost. */
export const HELD: ActivityDetails = { participants: PARTICIPANTS, deliverables: DELIVERABLES, spentEur: 19_250.5 };

export const confirm = (activityId: string): Move => updateActivity(activityId, 'confirmed');
export const hold = (activityId: string, details: ActivityDetails = HELD): Move => updateActivity(activityId, 'held', details);
export const postpone = (
  activityId: string,
  startDate = '2025-06-02',
  endDate = '2025-06-13',
  reason = 'The trainers are not available in May.',
): Move => updateActivity(activityId, 'postponed', { startDate, endDate, reason });
export const cancelActivity = (activityId: string, reason = 'The venue is no longer available.'): Move =>
  updateActivity(activityId, 'cancelled', { reason });
/** Confirms and holds an activity: two moves, spread into a fold. */
export const deliver = (activityId: string, details: ActivityDetails = HELD): Move[] => [confirm(activityId), hold(activityId, details)];

/**
 * A status change as steps took it before the activity lifecycle (2026-11): a planned activity straight to done
 * or cancelled, with nothing else recorded, replayed under `activityRulesNotApplied`.
 */
export const mark = (activityId: string, status: 'done' | 'cancelled', options: RuleOptions = {}): Move =>
  updateActivity(activityId, status, {}, { activityRulesNotApplied: true, ...options });
/** The Chair raises the approved budget. */
export const increaseBudget = (approvedBudgetEur: number, rationale = 'A second cohort was requested.'): Move =>
  act(chair, { action: 'increase_budget', approvedBudgetEur, rationale });
export const complete = (note: string | null = null): Move => act(secretariat, { action: 'complete_implementation', note });
export const report = (kind: 'progress' | 'final', who: Actor = secretariat): Move =>
  act(who, { action: 'submit_report', kind, summary: `${kind} report`, indicators: { trained: 40, women: 15 } });

/** The Secretariat accepts report number `index` (closure needs an accepted final report). */
export const acceptReport = (index: number): Move => act(secretariat, { action: 'accept_report', reportIndex: index });
export const returnReport = (index: number, comments = 'Please report against the targets.'): Move =>
  act(secretariat, { action: 'return_report', reportIndex: index, comments });

// Paths to every phase.

export const TO_APPROVAL = [accept(), endReview()];
export const TO_IMPLEMENTATION = [...TO_APPROVAL, decide('approve')];
export const TO_MONITORING = [...TO_IMPLEMENTATION, plan('act-1', 'Training'), ...deliver('act-1'), complete()];

/** The moves that take a fresh submission into each phase (`build(...PATHS[phase])`). */
export const PATHS: Record<Phase, Move[]> = {
  screening: [],
  awaiting_information: [requestInfo()],
  review: [accept()],
  approval: TO_APPROVAL,
  revision_requested: [...TO_APPROVAL, askRevision(['Add a gender-balanced participant list.'])],
  implementation: TO_IMPLEMENTATION,
  monitoring: TO_MONITORING,
  completed: [...TO_MONITORING, report('final'), acceptReport(0), act(secretariat, { action: 'close', lessonsLearned: 'Start early.' })],
  rejected: [act(secretariat, { action: 'screen', outcome: 'reject', note: 'Out of scope.' })],
  withdrawn: [act(partner, { action: 'withdraw', reason: 'Funded elsewhere.' })],
  cancelled: [...TO_IMPLEMENTATION, act(chair, { action: 'cancel', reason: 'Security situation.' })],
};

/** A policy with every deadline, for tests of the clocks and procedures (days of screening are working days). */
export const POLICY: RequestPolicy = {
  reviewPeriod: 'P14D',
  reviewProcedure: 'no_objection',
  reviewReminderLead: 'P2D',
  screeningPeriod: 'P10D',
  screeningReminderLead: 'P3D',
  informationPeriod: 'P5D',
  informationReminderLead: 'P1D',
};
