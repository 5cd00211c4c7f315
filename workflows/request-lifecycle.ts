import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import type { createActivities } from '../activities/create-activities';
import {
  RequestDomainKey,
  RequestPhaseKey,
  stateQuery,
  stepUpdates,
  submitUpdate,
  type RequestWorkflowInput,
  type StepOutcome,
  type StepRequest,
} from './request-contract';
import { parseIsoDuration } from './iso-duration';
import { SYSTEM_ACTOR, TERMINAL_PHASES, type DomainEvent, type RequestState } from './request-model';
import { checkStep, everyReviewerHasVoted, type RuleOptions } from './request-rules';
import { ACTIONS } from './request-steps';
import { applyStep, closeReview, submit, type StepContext, type Transition } from './request-transitions';

const { recordEvent, listReviewers } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  // Postgres may be down for a while; keep trying, but not so often that a restart is hammered.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const now = (): string => new Date().toISOString();

/** Since 2026-11: a chair decides only within a term of office (workflows/request-rules.ts, holdsChairOffice). */
const CHAIR_TERM_PATCH = 'chair-office-term';

/** The lifecycle of one capacity-building request, from submission to one of its endings. */
export async function requestLifecycle(input: RequestWorkflowInput): Promise<RequestState> {
  const reviewPeriodMs = parseIsoDuration(input.policy.reviewPeriod);
  // Steps run one at a time: each may await I/O, and the next must see the state the previous left.
  const stepLock = new Mutex();
  const first = submit(input.requestId, input.submission, input.submittedBy, now());
  let state = first.state;
  let submissionRecorded = false;

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
    if (refusal) {
      throw ApplicationFailure.create({
        type: refusal.kind,
        message: refusal.message,
        details: [{ field: refusal.field ?? null, phase: state.phase }],
        nonRetryable: true,
      });
    }
  }

  async function takeStep(request: StepRequest): Promise<StepOutcome> {
    // The validator ran against the state when the update arrived; an earlier step may have changed it since.
    // Validators do not run on replay, but this check does: a rule added later must not refuse, on replay,
    // a step that history says succeeded. Hence the patch for the Chair's term of office.
    const options: RuleOptions = { chairTermNotRequired: !patched(CHAIR_TERM_PATCH) };
    refuseUnlessAllowed(request, options);
    const ctx: StepContext = { now: now() };
    if (request.step.action === 'screen' && request.step.outcome === 'accept') {
      const members = await listReviewers();
      ctx.review = {
        reviewers: members.map((m) => ({ ...m, conflicted: m.country !== null && m.country === state.submission.country })),
        deadline: new Date(Date.parse(ctx.now) + reviewPeriodMs).toISOString(),
      };
      refuseUnlessAllowed(request, options);
    }
    if (request.step.action === 'plan_activity') ctx.activityId = uuid4();
    const events = [await commit(applyStep(state, request.actor, request.step, ctx))];
    if (state.phase === 'review' && everyReviewerHasVoted(state)) {
      events.push(await commit(closeReview(state, 'all_voted', SYSTEM_ACTOR, now())));
    }
    return { state, events };
  }

  setHandler(stateQuery, () => state);
  setHandler(submitUpdate, async () => {
    await condition(() => submissionRecorded);
    return state;
  });
  for (const action of ACTIONS) {
    setHandler(stepUpdates[action], (request: StepRequest) => stepLock.runExclusive(() => takeStep(request)), {
      validator: refuseUnlessAllowed,
    });
  }

  upsertSearchAttributes([{ key: RequestPhaseKey, value: state.phase }]);
  await recordEvent({ event: first.event, state });
  submissionRecorded = true;

  while (!TERMINAL_PHASES.includes(state.phase)) {
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
  // A step that ended the request may still be recording its event; let it finish before completing.
  await condition(allHandlersFinished);
  return state;
}
