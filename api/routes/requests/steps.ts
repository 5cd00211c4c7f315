import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { checkStep } from '../../../workflows/request-rules';
import type { Step } from '../../../workflows/request-steps';
import { refusalError } from '../../api-error';
import { toRequestView } from '../../request-view';
import { errorResponses, RequestIdParams, Uuid } from '../../schemas/common';
import {
  ActivityBody,
  ActivityParams,
  ActivityStatusBody,
  ClosureBody,
  CompletionBody,
  DecisionBody,
  InformationBody,
  ReasonBody,
  ReportBody,
  RequestView,
  RevisionBody,
  ScreeningBody,
  VoteBody,
} from '../../schemas/request-schemas';
import { loadVisibleRequest } from './load-request';

/**
 * Loads the request, refuses early with the same rules the workflow enforces (clear 403/409 without a
 * round trip), then sends the step as a workflow update and answers with the state it produced.
 */
async function runStep(fastify: FastifyInstance, request: FastifyRequest, requestId: string, step: Step) {
  const state = await loadVisibleRequest(fastify, requestId, request.actor);
  const refusal = checkStep(state, request.actor, step);
  if (refusal) throw refusalError(refusal, state, request.actor);
  const outcome = await fastify.requestWorkflows.takeStep(state, request.actor, step);
  return { view: toRequestView(outcome.state, request.actor), events: outcome.events };
}

const stepResponses = { 200: RequestView, ...errorResponses(400, 401, 403, 404, 409) };

const stepRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const schema = <B>(summary: string, body: B) => ({
    summary,
    tags: ['steps'],
    params: RequestIdParams,
    body,
    response: stepResponses,
  });

  fastify.post(
    '/requests/:id/screening',
    { schema: schema('Screen a request (Secretariat): accept for review, ask for information, or reject', ScreeningBody) },
    async (request) => {
      return (await runStep(fastify, request, request.params.id, { action: 'screen', ...request.body })).view;
    },
  );

  fastify.post(
    '/requests/:id/information',
    { schema: schema('Answer the Secretariat’s request for information (the requesting partner)', InformationBody) },
    async (request) => {
      return (await runStep(fastify, request, request.params.id, { action: 'provide_information', ...request.body })).view;
    },
  );

  fastify.post(
    '/requests/:id/votes',
    { schema: schema('Vote in the Steering Committee review (SC members, once each)', VoteBody) },
    async (request) => {
      const { vote, comment } = request.body;
      return (await runStep(fastify, request, request.params.id, { action: 'vote', vote, comment: comment ?? null })).view;
    },
  );

  fastify.post(
    '/requests/:id/decision',
    { schema: schema('Decide on a request (the Chair): approve, reject, or request a revision', DecisionBody) },
    async (request) => {
      const { decision, rationale, conditions, approvedBudgetEur } = request.body;
      return (await runStep(fastify, request, request.params.id, {
        action: 'decide',
        decision,
        rationale,
        conditions: conditions ?? null,
        approvedBudgetEur: approvedBudgetEur ?? null,
      })).view;
    },
  );

  fastify.post(
    '/requests/:id/revision',
    { schema: schema('Revise a request after the Chair asked for it (the requesting partner); it returns to screening', RevisionBody) },
    async (request) => {
      return (await runStep(fastify, request, request.params.id, { action: 'revise', changes: request.body })).view;
    },
  );

  fastify.post(
    '/requests/:id/activities',
    {
      schema: {
        ...schema('Plan an implementation activity (Secretariat)', ActivityBody),
        response: { 201: Type.Object({ activityId: Uuid, request: RequestView }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { view, events } = await runStep(fastify, request, request.params.id, { action: 'plan_activity', ...request.body });
      const planned = events[0]?.payload.activity as { activityId: string };
      return reply.status(201).send({ activityId: planned.activityId, request: view });
    },
  );

  fastify.patch(
    '/requests/:id/activities/:activityId',
    {
      schema: {
        summary: 'Mark a planned activity done or cancelled (Secretariat)',
        tags: ['steps'],
        params: ActivityParams,
        body: ActivityStatusBody,
        response: stepResponses,
      },
    },
    async (request) => {
      return (await runStep(fastify, request, request.params.id, {
        action: 'update_activity',
        activityId: request.params.activityId,
        status: request.body.status,
      })).view;
    },
  );

  fastify.post(
    '/requests/:id/implementation/complete',
    { schema: schema('Complete implementation (Secretariat); monitoring starts', CompletionBody) },
    async (request) => {
      return (await runStep(fastify, request, request.params.id, {
        action: 'complete_implementation',
        note: request.body?.note ?? null,
      })).view;
    },
  );

  fastify.post(
    '/requests/:id/reports',
    { schema: schema('Submit a progress or final report (the requesting partner or the Secretariat)', ReportBody) },
    async (request) => {
      const { kind, summary, indicators } = request.body;
      return (await runStep(fastify, request, request.params.id, {
        action: 'submit_report',
        kind,
        summary,
        indicators: indicators ?? null,
      })).view;
    },
  );

  fastify.post(
    '/requests/:id/closure',
    { schema: schema('Close the request with lessons learned (Secretariat, after the final report)', ClosureBody) },
    async (request) => {
      return (await runStep(fastify, request, request.params.id, { action: 'close', ...request.body })).view;
    },
  );

  fastify.post(
    '/requests/:id/withdrawal',
    { schema: schema('Withdraw a request before implementation (the requesting partner)', ReasonBody) },
    async (request) => {
      return (await runStep(fastify, request, request.params.id, { action: 'withdraw', ...request.body })).view;
    },
  );

  fastify.post(
    '/requests/:id/cancellation',
    { schema: schema('Cancel a request during implementation or monitoring (the Chair)', ReasonBody) },
    async (request) => {
      return (await runStep(fastify, request, request.params.id, { action: 'cancel', ...request.body })).view;
    },
  );
};

export default stepRoutes;
