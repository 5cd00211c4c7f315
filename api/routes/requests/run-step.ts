import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../../workflows/request-model';
import { checkStep } from '../../../workflows/request-rules';
import type { Step } from '../../../workflows/request-steps';
import { refusalError } from '../../api-error';
import { toRequestView } from '../../request-view';
import { loadVisibleRequest } from './load-request';

/**
 * Loads the request, refuses early with the same rules the workflow enforces (clear 403/409 without a
 * round trip), then sends the step as a workflow update and answers with the state it produced.
 */
export async function runStep(fastify: FastifyInstance, actor: Actor, requestId: string, step: Step) {
  const state = await loadVisibleRequest(fastify, requestId, actor);
  const refusal = checkStep(state, actor, step);
  if (refusal) throw refusalError(refusal, state, actor);
  const outcome = await fastify.requestWorkflows.takeStep(state, actor, step);
  return { view: toRequestView(outcome.state, actor), events: outcome.events, state: outcome.state };
}
