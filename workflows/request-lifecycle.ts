import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import type { createActivities } from '../activities/create-activities';
import {
  RequestDomainKey,
  RequestPhaseKey,
  DEFAULT_ACTIVITY_RETRY,
  refusalFailure,
  stateQuery,
  stepUpdates,
  submitUpdate,
  type ActivityRetry,
  type RequestWorkflowInput,
  type StepOutcome,
  type StepRequest,
} from './request-contract';
import { fireDeadline, nextDeadline, type Deadline } from './deadlines';
import { parseIsoDuration } from './iso-duration';
import { SYSTEM_ACTOR, TERMINAL_PHASES, type DomainEvent, type RequestState } from './request-model';
import { checkStep, submissionRefusal, type RuleOptions } from './request-rules';
import { ACTIONS } from './request-steps';
import { applyStep, closeReview, concludeReview, submit, type StepContext, type Transition } from './request-transitions';
import { closesEarly, quorumFor } from './review-procedures';
import { leadTimeBefore } from './working-time';

// Not local activities, though they would double the throughput (bench/THROUGHPUT.md): a local activity writes
// before its workflow task is on record, and a task lost with its worker is run again with a new now() — the audit
// trail would keep the first attempt's event while the workflow goes on with the second's (the chaos run caught it).
function requestActivities(retry: ActivityRetry | undefined) {
  return proxyActivities<ReturnType<typeof createActivities>>({
    // Each is one round trip to Postgres (milliseconds; p99 well under a second in the benchmark). The timeout only
    // matters when the worker running it died: Temporal then retries after this long, and the user's step waits for it
    // (35 s in the chaos run with 30 s). A timed-out attempt that did commit is harmless: writes are keyed by (request, seq).
    startToCloseTimeout: '10 seconds',
    // Postgres may be down for a while; keep trying, but not so often that a restart is hammered.
    retry: { ...(retry ?? DEFAULT_ACTIVITY_RETRY), backoffCoefficient: 2 },
  });
}

const now = (): string => new Date().toISOString();

/*
 * Requests live for years, so every change that alters what the workflow does for steps already in a history
 * is behind a patch. Histories from before each patch are committed under tests/replay and must keep replaying.
 */
/** Since 2026-11: a chair decides only within a term of office (steps/shared-rules.ts, holdsChairOffice). */
const CHAIR_TERM_PATCH = 'chair-office-term';
/** Since 2026-11: revision points and answers, and conditions to meet before implementation starts. */
const PROCEDURES_PATCH = 'committee-procedures';
/** Since 2026-11: activities go planned → confirmed → held (or postponed, cancelled) and planning stays within budget. */
const ACTIVITY_LIFECYCLE_PATCH = 'activity-lifecycle';
/** Since 2026-11: the Secretariat accepts or returns reports, and closure needs an accepted final report. */
const REPORT_REVIEWS_PATCH = 'report-reviews';
/** Since 2026-11: one scheduler for every deadline and reminder (deadlines.ts) replaces the review-only timer. */
const DEADLINE_SCHEDULER_PATCH = 'deadline-scheduler';
/** Since 2026-12: a step's dates are held to the dialogue's lifetime, 2006 to the horizon (date-bounds.ts). */
const DATE_BOUNDS_PATCH = 'date-bounds';

const sameDeadline = (a: Deadline | null, b: Deadline | null) => a?.kind === b?.kind && a?.at === b?.at;

const DEFAULT_HISTORY_LIMIT = 2_000;

/** The lifecycle of one capacity-building request, from submission to one of its endings. */
export async function requestLifecycle(input: RequestWorkflowInput): Promise<RequestState> {
  const { policy } = input;
  const { recordEvent, listReviewers, eraseDocumentContent } = requestActivities(input.activityRetry);
  const reviewPeriodMs = parseIsoDuration(policy.reviewPeriod);
  // Steps run one at a time: each may await I/O, and the next must see the state the previous left.
  const stepLock = new Mutex();
  // A continued run starts from the state its predecessor carried over; a new request from its submission.
  const first = input.carried ? null : submit(input.requestId, input.submission, input.submittedBy, now(), policy);
  let state = input.carried?.state ?? first!.state;
  let submissionRecorded = input.carried !== undefined;
  const historyLimit = policy.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  /** Requests live for years: keep each run's history small by continuing as a new run now and then. */
  const historyIsLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit;

  async function commit(transition: Transition): Promise<DomainEvent> {
    const phaseChanged = transition.state.phase !== state.phase;
    const domainChanged = transition.state.submission.domain !== state.submission.domain;
    state = transition.state;
    if (phaseChanged) upsertSearchAttributes([{ key: RequestPhaseKey, value: state.phase }]);
    if (domainChanged) upsertSearchAttributes([{ key: RequestDomainKey, value: String(state.submission.domain) }]);
    await recordEvent({ event: transition.event, state });
    return transition.event;
  }

  function refuseUnlessAllowed({ actor, step }: StepRequest, options: RuleOptions = {}): void {
    const refusal = checkStep(state, actor, step, options);
    if (refusal) throw refusalFailure(refusal, state.phase);
  }

  /** Screening → review: the Steering Committee as it stands, the deadline, and the procedure of the policy. */
  async function openReview(ctx: StepContext): Promise<void> {
    const members = await listReviewers();
    const reviewers = members.map((m) => ({ ...m, conflicted: m.country !== null && m.country === state.submission.country }));
    const deadline = new Date(Date.parse(ctx.now) + reviewPeriodMs).toISOString();
    ctx.review = { reviewers, deadline };
    if (policy.reviewProcedure) {
      ctx.review.procedure = policy.reviewProcedure;
      ctx.review.quorum = policy.reviewProcedure === 'majority' ? quorumFor(reviewers.filter((r) => !r.conflicted).length, policy.reviewQuorum) : null;
      ctx.review.remindAt = policy.reviewReminderLead ? leadTimeBefore(deadline, policy.reviewReminderLead, ctx.now) : null;
    }
  }

  async function takeStep(request: StepRequest): Promise<StepOutcome> {
    // The validator ran against the state when the update arrived; an earlier step may have changed it since.
    // Validators do not run on replay, but this check does: a rule added later must not refuse, on replay,
    // a step that history says succeeded. Hence the patches.
    const options: RuleOptions = {
      chairTermNotRequired: !patched(CHAIR_TERM_PATCH),
      proceduresNotApplied: !patched(PROCEDURES_PATCH),
      activityRulesNotApplied: !patched(ACTIVITY_LIFECYCLE_PATCH),
      reportReviewsNotApplied: !patched(REPORT_REVIEWS_PATCH),
      dateBoundsNotApplied: !patched(DATE_BOUNDS_PATCH),
    };
    refuseUnlessAllowed(request, options);
    const ctx: StepContext = { now: now() };
    if (request.step.action === 'screen' && request.step.outcome === 'accept') {
      await openReview(ctx);
      refuseUnlessAllowed(request, options);
    }
    if (request.step.action === 'plan_activity') ctx.activityId = uuid4();
    if (request.step.action === 'attach_document') ctx.documentId = uuid4();
    const events = [await commit(applyStep(state, request.actor, request.step, ctx))];
    // The removal is on record first: the erasure then finds this document removed (and any other that shares the bytes).
    if (request.step.action === 'remove_document') await eraseDocumentContent(String(events[0]!.payload.sha256));
    const closing = closesEarly(state);
    if (closing) for (const transition of concludeReview(state, closing, now())) events.push(await commit(transition));
    return { state, events };
  }

  /** Before the deadline scheduler: only the review had a deadline, and one timer waited for it. */
  async function legacyWait(): Promise<void> {
    const phase = state.phase;
    if (phase === 'review' && state.review) {
      const remainingMs = Math.max(Date.parse(state.review.deadline) - Date.now(), 1);
      const moved = await condition(() => state.phase !== 'review', remainingMs);
      if (!moved) {
        await stepLock.runExclusive(async () => {
          if (state.phase === 'review') await commit(closeReview(state, 'deadline_passed', SYSTEM_ACTOR, now()));
        });
      }
    } else {
      await condition(() => state.phase !== phase);
    }
  }

  /** Sleeps until the next deadline or reminder unless a step moves it first; then lets it happen, once. */
  async function awaitNextDeadline(): Promise<void> {
    const due = nextDeadline(state);
    if (!due) {
      await condition(() => nextDeadline(state) !== null || TERMINAL_PHASES.includes(state.phase) || historyIsLong());
      return;
    }
    const moved = await condition(
      () => !sameDeadline(nextDeadline(state), due) || historyIsLong(),
      Math.max(Date.parse(due.at) - Date.now(), 1),
    );
    if (moved) return;
    await stepLock.runExclusive(async () => {
      if (!sameDeadline(nextDeadline(state), due)) return;
      for (const transition of fireDeadline(state, due.kind, now())) await commit(transition);
    });
  }

  setHandler(stateQuery, () => state);
  // Held here as in the API (request-rules.ts): a submission no one may make is refused, and nothing is recorded.
  const submissionRefused = first ? submissionRefusal(input.submittedBy, input.submission.country) : null;
  setHandler(
    submitUpdate,
    async () => {
      await condition(() => submissionRecorded);
      return state;
    },
    {
      validator: () => {
        if (submissionRefused) throw refusalFailure(submissionRefused, null);
      },
    },
  );
  for (const action of ACTIONS) {
    setHandler(stepUpdates[action], (request: StepRequest) => stepLock.runExclusive(() => takeStep(request)), {
      validator: refuseUnlessAllowed,
    });
  }

  if (submissionRefused) return state;
  upsertSearchAttributes([{ key: RequestPhaseKey, value: state.phase }]);
  if (first) {
    await recordEvent({ event: first.event, state });
    submissionRecorded = true;
  }

  while (!TERMINAL_PHASES.includes(state.phase)) {
    if (!patched(DEADLINE_SCHEDULER_PATCH)) {
      await legacyWait();
      continue;
    }
    if (historyIsLong()) {
      // Let every step in progress finish and record its event; then carry the state into a fresh run.
      await condition(allHandlersFinished);
      if (!TERMINAL_PHASES.includes(state.phase)) {
        await continueAsNew<typeof requestLifecycle>({ ...input, carried: { state } });
      }
    }
    await awaitNextDeadline();
  }
  // A step that ended the request may still be recording its event; let it finish before completing.
  await condition(allHandlersFinished);
  return state;
}
