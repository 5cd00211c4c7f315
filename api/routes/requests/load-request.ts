import type { FastifyInstance } from 'fastify';
import { findRequestState } from '../../../db/requests-repository';
import type { Actor, RequestState } from '../../../workflows/request-model';
import { requestNotFound } from '../../api-error';
import { canSee } from '../../access-rules';

/** The request's current state, or 404 — the same 404 whether it does not exist or the caller may not see it. */
export async function loadVisibleRequest(fastify: FastifyInstance, id: string, actor: Actor): Promise<RequestState> {
  const state = await findRequestState(fastify.db, id);
  if (!state || !canSee(state, actor)) throw requestNotFound(id);
  return state;
}
