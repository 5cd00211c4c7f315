import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorResponses, RequestIdParams, StepIdempotencyHeaders, Uuid } from '../../schemas/common';
import {
  ActivityBody,
  ActivityParams,
  ActivityStatusBody,
  BudgetIncreaseBody,
  ClosureBody,
  CompletionBody,
  CorrectionBody,
  ConditionMetBody,
  ConditionParams,
  DeadlineExtensionBody,
  DecisionBody,
  InformationBody,
  ReasonBody,
  ReportBody,
  ReportParams,
  RequestView,
  ReturnReportBody,
  RevisionBody,
  ScreeningBody,
  VoteBody,
} from '../../schemas/request-schemas';
import type { RequestState } from '../../../workflows/request-model';
import type { Step } from '../../../workflows/request-steps';
import { placeRevision } from '../../action-plan-placement';
import { decisionStep } from './decision-step';
import { runStep } from './run-step';

const stepResponses = { 200: RequestView, ...errorResponses(400, 401, 403, 404, 409) };

const stepRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const schema = <B>(summary: string, body: B) => ({
    summary,
    tags: ['steps'],
    params: RequestIdParams,
    headers: StepIdempotencyHeaders,
    body,
    response: stepResponses,
  });

  fastify.post(
    '/requests/:id/screening',
    { schema: schema('Screen a request (Secretariat): accept for review, ask for information, or reject', ScreeningBody) },
    async (request) => {
      return (await runStep(fastify, request.actor, request.params.id, { action: 'screen', ...request.body }, request.headers['idempotency-key'])).view;
    },
  );

  fastify.post(
    '/requests/:id/information',
    { schema: schema('Answer the Secretariat’s request for information (the requesting partner)', InformationBody) },
    async (request) => {
      return (await runStep(fastify, request.actor, request.params.id, { action: 'provide_information', ...request.body }, request.headers['idempotency-key'])).view;
    },
  );

  fastify.post(
    '/requests/:id/votes',
    { schema: schema('Vote in the Steering Committee review (SC members, once each)', VoteBody) },
    async (request) => {
      const { vote, comment } = request.body;
      return (await runStep(fastify, request.actor, request.params.id, { action: 'vote', vote, comment: comment ?? null }, request.headers['idempotency-key'])).view;
    },
  );

  fastify.post(
    '/requests/:id/decision',
    { schema: schema('Decide on a request (the Chair): approve, reject, or request a revision', DecisionBody) },
    async (request) => (await runStep(fastify, request.actor, request.params.id, decisionStep(request.body), request.headers['idempotency-key'])).view,
  );

  fastify.post(
    '/requests/:id/revision',
    {
      schema: {
        ...schema('Revise a request after the Chair asked for it (the requesting partner); it returns to screening', RevisionBody),
        response: { ...stepResponses, ...errorResponses(422) },
      },
    },
    async (request) => {
      const { answers, ...changes } = request.body;
      const placeInPlan = async (step: Step, state: RequestState): Promise<Step> =>
        step.action === 'revise' ? { ...step, changes: await placeRevision(fastify.db, state.submission, step.changes) } : step;
      const step: Step = { action: 'revise', changes, answers: answers ?? [] };
      return (await runStep(fastify, request.actor, request.params.id, step, request.headers['idempotency-key'], placeInPlan)).view;
    },
  );

  fastify.post(
    '/requests/:id/decision/corrections',
    { schema: schema('Record a correction to the last decision (the Chair); the decision itself is never edited', CorrectionBody) },
    async (request) => (await runStep(fastify, request.actor, request.params.id, { action: 'correct_decision', ...request.body }, request.headers['idempotency-key'])).view,
  );

  fastify.post(
    '/requests/:id/information/deadline',
    { schema: schema('Extend the partner’s deadline to answer (Secretariat); otherwise the request is withdrawn at the deadline', DeadlineExtensionBody) },
    async (request) => (await runStep(fastify, request.actor, request.params.id, { action: 'extend_information_deadline', until: new Date(request.body.until).toISOString(), reason: request.body.reason }, request.headers['idempotency-key'])).view,
  );

  fastify.post(
    '/requests/:id/review/extension',
    { schema: schema('Extend the review deadline (the Chair); members not yet voted are reminded again', DeadlineExtensionBody) },
    async (request) => (await runStep(fastify, request.actor, request.params.id, { action: 'extend_review', until: new Date(request.body.until).toISOString(), reason: request.body.reason }, request.headers['idempotency-key'])).view,
  );

  fastify.post(
    '/requests/:id/review/closure',
    { schema: schema('Close the review early and take the decision (the Chair)', ReasonBody) },
    async (request) => (await runStep(fastify, request.actor, request.params.id, { action: 'close_review', ...request.body }, request.headers['idempotency-key'])).view,
  );

  fastify.post(
    '/requests/:id/conditions/:index/met',
    {
      schema: {
        summary: 'Mark a condition of the approval as met (Secretariat); implementation starts once all are met',
        tags: ['steps'],
        params: ConditionParams,
        headers: StepIdempotencyHeaders,
        body: ConditionMetBody,
        response: stepResponses,
      },
    },
    async (request) =>
      (await runStep(fastify, request.actor, request.params.id, { action: 'meet_condition', conditionIndex: request.params.index, note: request.body.note }, request.headers['idempotency-key'])).view,
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
      const { venue, ...body } = request.body;
      const { view, events } = await runStep(fastify, request.actor, request.params.id, {
        action: 'plan_activity',
        ...body,
        ...(venue ? { venue: { online: venue.online, country: venue.country ?? null, city: venue.city ?? null } } : {}),
      }, request.headers['idempotency-key']);
      const planned = events[0]?.payload.activity as { activityId: string };
      return reply.status(201).send({ activityId: planned.activityId, request: view });
    },
  );

  fastify.patch(
    '/requests/:id/activities/:activityId',
    {
      schema: {
        summary: 'Move an activity on (Secretariat): confirmed, held (participants, spending, deliverables), postponed or cancelled',
        tags: ['steps'],
        params: ActivityParams,
        headers: StepIdempotencyHeaders,
        body: ActivityStatusBody,
        response: stepResponses,
      },
    },
    async (request) => {
      const { deliverables, ...body } = request.body;
      return (await runStep(fastify, request.actor, request.params.id, {
        action: 'update_activity',
        activityId: request.params.activityId,
        ...body,
        ...(deliverables ? { deliverables: deliverables.map((d) => ({ ...d, link: d.link ?? null })) } : {}),
      }, request.headers['idempotency-key'])).view;
    },
  );

  fastify.post(
    '/requests/:id/budget/increase',
    { schema: schema('Raise the approved budget (the Chair), e.g. so that more activities can be planned', BudgetIncreaseBody) },
    async (request) => (await runStep(fastify, request.actor, request.params.id, { action: 'increase_budget', ...request.body }, request.headers['idempotency-key'])).view,
  );

  fastify.post(
    '/requests/:id/implementation/complete',
    { schema: schema('Complete implementation (Secretariat); monitoring starts', CompletionBody) },
    async (request) => {
      return (await runStep(fastify, request.actor, request.params.id, {
        action: 'complete_implementation',
        note: request.body?.note ?? null,
      }, request.headers['idempotency-key'])).view;
    },
  );

  fastify.post(
    '/requests/:id/reports',
    { schema: schema('Submit a progress or final report (the requesting partner or the Secretariat)', ReportBody) },
    async (request) => {
      const { kind, summary, indicators } = request.body;
      return (await runStep(fastify, request.actor, request.params.id, {
        action: 'submit_report',
        kind,
        summary,
        // Structured indicators carry explicit nulls for what was not given.
        indicators: Array.isArray(indicators)
          ? indicators.map((i) => ({ ...i, target: i.target ?? null, women: i.women ?? null, men: i.men ?? null }))
          : (indicators ?? null),
      }, request.headers['idempotency-key'])).view;
    },
  );

  const reviewSchema = <B>(summary: string, body: B) => ({
    summary,
    tags: ['steps'],
    params: ReportParams,
    headers: StepIdempotencyHeaders,
    body,
    response: stepResponses,
  });
  fastify.post(
    '/requests/:id/reports/:index/acceptance',
    { schema: reviewSchema('Accept a report (Secretariat); closure needs an accepted final report', Type.Object({}, { additionalProperties: false })) },
    async (request) => (await runStep(fastify, request.actor, request.params.id, { action: 'accept_report', reportIndex: request.params.index }, request.headers['idempotency-key'])).view,
  );
  fastify.post(
    '/requests/:id/reports/:index/return',
    { schema: reviewSchema('Return a report with comments (Secretariat); the partner answers with a new report', ReturnReportBody) },
    async (request) =>
      (await runStep(fastify, request.actor, request.params.id, { action: 'return_report', reportIndex: request.params.index, comments: request.body.comments }, request.headers['idempotency-key'])).view,
  );

  fastify.post(
    '/requests/:id/closure',
    { schema: schema('Close the request with lessons learned (Secretariat, after the final report)', ClosureBody) },
    async (request) => {
      return (await runStep(fastify, request.actor, request.params.id, { action: 'close', ...request.body }, request.headers['idempotency-key'])).view;
    },
  );

  fastify.post(
    '/requests/:id/withdrawal',
    { schema: schema('Withdraw a request before implementation (the requesting partner)', ReasonBody) },
    async (request) => {
      return (await runStep(fastify, request.actor, request.params.id, { action: 'withdraw', ...request.body }, request.headers['idempotency-key'])).view;
    },
  );

  fastify.post(
    '/requests/:id/cancellation',
    { schema: schema('Cancel a request during implementation or monitoring (the Chair)', ReasonBody) },
    async (request) => {
      return (await runStep(fastify, request.actor, request.params.id, { action: 'cancel', ...request.body }, request.headers['idempotency-key'])).view;
    },
  );
};

export default stepRoutes;
