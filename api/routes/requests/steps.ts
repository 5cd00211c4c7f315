import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorResponses, RequestIdParams, StepIdempotencyHeaders, Uuid } from '../../schemas/common';
import { ActivityBody, RequestView, RevisionBody } from '../../schemas/request-schemas';
import type { RequestState } from '../../../workflows/request-model';
import type { Step } from '../../../workflows/request-steps';
import { placeRevision } from '../../action-plan-placement';
import { runStep } from './run-step';
import { AFTER_PLANNING, AFTER_REVISION, BEFORE_REVISION, type StepRoute } from './step-routes';

const stepResponses = { 200: RequestView, ...errorResponses(400, 401, 403, 404, 409) };

/** Every step a person takes on a request, one route each (step-routes.ts), in the order of the OpenAPI document. */
const stepRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const schema = <B>(summary: string, body: B) => ({
    summary,
    tags: ['steps'],
    params: RequestIdParams,
    headers: StepIdempotencyHeaders,
    body,
    response: stepResponses,
  });

  const register = (routes: StepRoute[]) => {
    for (const step of routes) {
      fastify.route({
        method: step.method,
        url: `/requests/:id${step.path}`,
        schema: { summary: step.summary, tags: ['steps'], params: step.params, headers: StepIdempotencyHeaders, body: step.body, response: stepResponses },
        handler: async (request) => {
          const { id } = request.params as { id: string };
          const idempotencyKey = (request.headers as { 'idempotency-key'?: string })['idempotency-key'];
          return (await runStep(fastify, request, id, step.toStep(request.body, request.params), idempotencyKey)).view;
        },
      });
    }
  };

  register(BEFORE_REVISION);

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
      return (await runStep(fastify, request, request.params.id, step, request.headers['idempotency-key'], placeInPlan)).view;
    },
  );

  register(AFTER_REVISION);

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
      const { view, events } = await runStep(fastify, request, request.params.id, {
        action: 'plan_activity',
        ...body,
        ...(venue ? { venue: { online: venue.online, country: venue.country ?? null, city: venue.city ?? null } } : {}),
      }, request.headers['idempotency-key']);
      const planned = events[0]?.payload.activity as { activityId: string };
      return reply.status(201).send({ activityId: planned.activityId, request: view });
    },
  );

  register(AFTER_PLANNING);
};

export default stepRoutes;
