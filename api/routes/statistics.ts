import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actionPlanCoverage, objectiveCoverage, portfolioStatistics } from '../../db/statistics-repository';
import { CoverageQuery, planToCover } from '../coverage-plan';
import { listScope } from '../access-rules';
import { errorResponses, FrenchTitle, Nullable } from '../schemas/common';

/** `GET /statistics`: the portfolio at a glance, over the requests the caller may see. */

const Count = Type.Object({ key: Type.String(), count: Type.Integer() });
const Durations = { count: Type.Integer(), medianHours: Nullable(Type.Number()), p90Hours: Nullable(Type.Number()) };
const Money = Type.Object({ key: Type.String(), requestedEur: Type.Number(), approvedEur: Type.Number(), spentEur: Type.Number() });

const Statistics = Type.Object({
  counts: Type.Object({
    byPhase: Type.Array(Count),
    byCountry: Type.Array(Count),
    byActionArea: Type.Array(Count),
    byActivityType: Type.Array(Count),
  }),
  phaseDurations: Type.Array(Type.Object({ phase: Type.String(), ...Durations }), {
    description: 'Time spent in each phase (hours), over the visits that have ended',
  }),
  submissionToDecision: Type.Object(Durations, { description: 'From submission to the first decision (hours)' }),
  slaBreaches: Type.Array(Type.Object({ kind: Type.String(), count: Type.Integer() }), {
    description: 'Screening escalations, reviews closed by their deadline, overdue reports',
  }),
  budget: Type.Object({ byActionArea: Type.Array(Money), byCountry: Type.Array(Money) }),
  peopleTrainedByActionArea: Type.Array(Type.Object({ key: Type.String(), total: Type.Integer(), women: Type.Integer(), men: Type.Integer() })),
});

const Tally = { requests: Type.Integer(), requestedEur: Type.Number() };
const Coverage = Type.Object({
  actionAreas: Type.Array(Type.Integer()),
  countries: Type.Array(Type.String()),
  cells: Type.Array(Type.Object({ country: Type.String(), actionArea: Type.Integer(), ...Tally })),
  gaps: Type.Array(Type.Object({ country: Type.String(), actionArea: Type.Integer() }), {
    description: 'Country and action area pairs that no request has touched',
  }),
  byObjective: Nullable(
    Type.Object(
      {
        actionPlan: Type.Object({ planId: Type.String(), title: Type.String(), titleFr: FrenchTitle, startsOn: Type.String(), endsOn: Type.String() }),
        objectives: Type.Array(Type.Object({ code: Type.String(), area: Type.Integer(), title: Type.String(), titleFr: FrenchTitle })),
        cells: Type.Array(Type.Object({ country: Type.String(), objective: Type.String(), ...Tally })),
        withoutObjective: Type.Array(Type.Object({ country: Type.String(), ...Tally }), {
          description: 'Requests placed in the plan that name no objective, per country',
        }),
        gaps: Type.Array(Type.Object({ country: Type.String(), objective: Type.String() }), {
          description: 'Country and objective pairs that no request of the plan has touched',
        }),
      },
      { description: 'Requests of one action plan per country and objective; null when no plan is in force and none was asked for' },
    ),
  ),
});

const statisticsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/statistics',
    {
      schema: {
        summary: 'Portfolio statistics: counts, time in each phase, SLA breaches, budgets, people trained by sex',
        tags: ['portfolio'],
        response: { 200: Statistics, ...errorResponses(401) },
      },
    },
    async (request) => portfolioStatistics(fastify.db, listScope(request.actor)),
  );

  fastify.get(
    '/statistics/coverage',
    {
      schema: {
        summary: 'Action-plan coverage: requests and budgets per country and action area, and per objective of a plan; and the gaps',
        tags: ['portfolio'],
        querystring: CoverageQuery,
        response: { 200: Coverage, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const scope = listScope(request.actor);
      const plan = await planToCover(fastify.db, request.query.actionPlan);
      const byArea = await actionPlanCoverage(fastify.db, scope);
      return { ...byArea, byObjective: plan ? await objectiveCoverage(fastify.db, scope, plan, byArea.countries) : null };
    },
  );
};

export default statisticsRoutes;
