import type { FastifyInstance } from 'fastify';
import { erasuresOf } from '../../../db/documents-repository';
import type { Actor, RequestState } from '../../../workflows/request-model';
import type { Language } from '../../../i18n/languages';
import { checkStep } from '../../../workflows/request-rules';
import type { Step } from '../../../workflows/request-steps';
import { refusalError } from '../../api-error';
import { toRequestView } from '../../request-view';
import { loadVisibleRequest } from './load-request';

/**
 * Loads the request, refuses early with the same rules the workflow enforces (clear 403/409 without a
 * round trip), then sends the step as a workflow update and answers with the state it produced. With an
 * idempotency key, a retried step is taken once (see RequestWorkflows.takeStep) — and a retry that the rules
 * would now refuse (the first attempt already moved the request on) still goes to the workflow, which answers
 * with the first attempt's outcome, or refuses it there if no attempt was ever taken.
 */
export async function runStep(
  fastify: FastifyInstance,
  /** Who takes it, and the language they read (the request's `waitingFor` is worded in it). */
  { actor, language }: { actor: Actor; language: Language },
  requestId: string,
  step: Step,
  idempotencyKey?: string,
  /** Checks against reference data and completes the step, once the rules allow it (e.g. a revision's objective). */
  complete?: (step: Step, state: RequestState) => Promise<Step>,
) {
  const state = await loadVisibleRequest(fastify, requestId, actor);
  const refusal = checkStep(state, actor, step);
  if (refusal && idempotencyKey === undefined) throw refusalError(refusal, state, actor);
  const completed = complete ? await complete(step, state) : step;
  const outcome = await fastify.requestWorkflows.takeStep(state, actor, completed, idempotencyKey);
  const erasures = await erasuresOf(fastify.db, outcome.state.documents ?? []);
  return { view: toRequestView(outcome.state, actor, erasures, language), events: outcome.events, state: outcome.state };
}
