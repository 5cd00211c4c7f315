import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { onlyFor } from '../plugins/app/authorization';
import { Type } from '@sinclair/typebox';
import { ActionPlanConflict, inForceOn, listActionPlans, saveActionPlan, todayUtc, type ActionPlan } from '../../db/action-plans-repository';
import { UserInputError } from '../../db/users-repository';
import { actionPlanNotFound, ApiError } from '../api-error';
import { errorResponses, FrenchTitle, IsoDate, Nullable, Text } from '../schemas/common';
import { ActionPlanId, Domain, ObjectiveCodePattern } from '../schemas/request-schemas';

/**
 * The multi-annual action plans requests serve: reference data every user reads (a focal point picks an objective
 * from it) and administrators load, a plan at a time, when the dialogue adopts one.
 */

const PlanIdParams = Type.Object({
  planId: ActionPlanId('The plan’s ID, e.g. cadiz-2023-2027'),
});

/**
 * A French title beside the English one; without it (or null, as GET gives a plan that has none), French readers
 * read the English.
 */
const TitleFr = (maxLength: number) => Type.Optional(Nullable(Text(maxLength), { description: 'The title in French, as the dialogue adopted it' }));

const Area = Type.Object({ area: Domain, title: Text(300), titleFr: TitleFr(300) }, { additionalProperties: false });
const Objective = Type.Object(
  {
    code: Type.String({ pattern: ObjectiveCodePattern, description: 'As the plan numbers it: "3", "5a"…' }),
    area: Domain,
    title: Text(500),
    titleFr: TitleFr(500),
  },
  { additionalProperties: false },
);

const ActionPlanBody = Type.Object(
  {
    title: Text(300),
    titleFr: TitleFr(300),
    startsOn: IsoDate,
    endsOn: IsoDate,
    areas: Type.Array(Area, { minItems: 5, maxItems: 5, description: 'The five action areas, each once' }),
    objectives: Type.Array(Objective, { maxItems: 200, description: 'In the plan’s order; each under one of the areas' }),
  },
  { additionalProperties: false },
);

const ActionPlanView = Type.Object({
  planId: Type.String(),
  title: Type.String(),
  titleFr: FrenchTitle,
  startsOn: IsoDate,
  endsOn: IsoDate,
  inForce: Type.Boolean({ description: 'Whether new requests are placed in this plan today' }),
  areas: Type.Array(Type.Object({ area: Type.Integer(), title: Type.String(), titleFr: FrenchTitle })),
  objectives: Type.Array(Type.Object({ code: Type.String(), area: Type.Integer(), title: Type.String(), titleFr: FrenchTitle })),
});

function withInForce(plans: ActionPlan[]) {
  const current = inForceOn(plans, todayUtc());
  return plans.map((plan) => ({ ...plan, inForce: plan === current }));
}

const actionPlanRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/action-plans',
    {
      schema: {
        summary: 'The action plans requests serve, with their areas and objectives (oldest first)',
        tags: ['action plans'],
        response: { 200: Type.Object({ items: Type.Array(ActionPlanView) }), ...errorResponses(401) },
      },
    },
    async () => ({ items: withInForce(await listActionPlans(fastify.db)) }),
  );

  fastify.get(
    '/action-plans/:planId',
    {
      schema: {
        summary: 'One action plan, with its areas and objectives',
        tags: ['action plans'],
        params: PlanIdParams,
        response: { 200: ActionPlanView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const plans = withInForce(await listActionPlans(fastify.db));
      const plan = plans.find((p) => p.planId === request.params.planId);
      if (!plan) throw actionPlanNotFound(request.params.planId);
      return plan;
    },
  );

  fastify.put(
    '/action-plans/:planId',
    {
      config: onlyFor(['admin'], { key: 'error.onlyAdminsActionPlans' }),
      schema: {
        summary: 'Load or replace an action plan, whole (administrators); objectives that requests cite stay',
        tags: ['action plans'],
        params: PlanIdParams,
        body: ActionPlanBody,
        response: { 200: ActionPlanView, 201: ActionPlanView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { planId } = request.params;
      let saved;
      try {
        saved = await saveActionPlan(fastify.db, planId, request.body, request.actor.name);
      } catch (error) {
        if (error instanceof UserInputError) throw new ApiError(400, 'invalid_body', { key: 'error.fieldProblem', values: { field: 'body', problem: error.localized } }, { field: 'body' });
        if (error instanceof ActionPlanConflict) throw new ApiError(409, 'objective_cited', error.localized);
        throw error;
      }
      const plan = withInForce(await listActionPlans(fastify.db)).find((p) => p.planId === planId)!; // just saved
      return reply.status(saved.created ? 201 : 200).send(plan);
    },
  );
};

export default actionPlanRoutes;
