import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { allRequests, type RequestSummaryRow } from '../../db/requests-repository';
import { actionPlanCoverage, coverageCountries, objectiveCoverage, portfolioStatistics } from '../../db/statistics-repository';
import { listScope } from '../access-rules';
import { actionPlanNotFound } from '../api-error';
import { CoverageQuery, planToCover } from '../coverage-plan';
import { csvFilename, csvStream, type CsvColumn } from '../csv';
import { errorResponses } from '../schemas/common';
import { ListFilters } from '../schemas/request-schemas';
import { LANGUAGES, type Language } from '../../i18n/languages';
import { translate, type MessageKey } from '../../i18n/messages';

/**
 * CSV exports for spreadsheets: any filtered list, the statistics and the coverage matrix, each within the
 * caller's visibility (the same scope as the JSON routes) and streamed, so an export of any size holds only one
 * page of rows in memory.
 */

// A string to OpenAPI; a stream to TypeScript, since that is what the handlers send.
const CsvBody = Type.Unsafe<Readable>({ type: 'string', description: 'UTF-8 CSV (with a byte-order mark) and a header row' });
const Csv = { content: { 'text/csv': { schema: CsvBody } } };

const REQUEST_COLUMNS: Array<CsvColumn<RequestSummaryRow>> = [
  { header: 'id', value: (r) => r.id },
  { header: 'title', value: (r) => r.title },
  { header: 'country', value: (r) => r.country },
  { header: 'action_area', value: (r) => r.domain },
  { header: 'action_plan', value: (r) => r.actionPlan },
  { header: 'objective', value: (r) => r.objective },
  { header: 'activity_type', value: (r) => r.activityType },
  { header: 'phase', value: (r) => r.phase },
  { header: 'submitted_at', value: (r) => r.submittedAt },
  { header: 'updated_at', value: (r) => r.updatedAt },
  { header: 'decided_at', value: (r) => r.decidedAt },
  { header: 'due_at', value: (r) => r.dueAt },
  { header: 'overdue', value: (r) => r.overdue },
  { header: 'has_objections', value: (r) => r.hasObjections },
  { header: 'requested_budget_eur', value: (r) => r.requestedBudgetEur },
  { header: 'approved_budget_eur', value: (r) => r.approvedBudgetEur },
];

interface StatisticsRow {
  section: string;
  key: string;
  measure: string;
  value: number | null;
}

/** The statistics as long-format rows (section, key, measure, value): one shape that every spreadsheet pivots. */
function statisticsRows(statistics: Awaited<ReturnType<typeof portfolioStatistics>>): StatisticsRow[] {
  const out: StatisticsRow[] = [];
  const push = (section: string, key: string, measures: Record<string, number | null>) => {
    for (const [measure, value] of Object.entries(measures)) out.push({ section, key, measure, value });
  };
  for (const [dimension, counts] of Object.entries(statistics.counts)) {
    for (const { key, count } of counts) push(`count_${dimension}`, key, { requests: count });
  }
  for (const { phase, ...durations } of statistics.phaseDurations) push('phase_duration_hours', phase, durations);
  push('submission_to_decision_hours', 'all', statistics.submissionToDecision);
  for (const { kind, count } of statistics.slaBreaches) push('sla_breaches', kind, { count });
  for (const { key, ...money } of statistics.budget.byActionArea) push('budget_by_action_area', key, money);
  for (const { key, ...money } of statistics.budget.byCountry) push('budget_by_country', key, money);
  for (const { key, ...people } of statistics.peopleTrainedByActionArea) push('people_trained_by_action_area', key, people);
  return out;
}

/**
 * `?lang=`: the header row in a person's words (catalog `csv.<column>`), for whoever opens the file in a spreadsheet.
 * Without it, the column codes, as before: the scripts that read these files by their headers keep working.
 */
const HeaderLanguage = {
  lang: Type.Optional(
    Type.Union(
      LANGUAGES.map((language) => Type.Literal(language)),
      { description: 'The header row in words of this language (en, fr); without it, the column codes (snake_case) scripts read' },
    ),
  ),
};

/** An attachment named `<name>-<date>.csv`, streamed; its header row in `language`'s words when one is asked. */
function sendCsv<Row>(reply: FastifyReply, name: string, columns: Array<CsvColumn<Row>>, rows: AsyncIterable<Row> | Iterable<Row>, language?: Language) {
  const headed = language ? columns.map((column) => ({ ...column, header: translate(language, `csv.${column.header}` as MessageKey) })) : columns;
  return reply.type('text/csv; charset=utf-8').header('content-disposition', csvFilename(name)).send(csvStream(headed, rows));
}

const exportRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/exports/requests.csv',
    {
      schema: {
        summary: 'Every request matching the filters of GET /requests, as CSV (streamed, all pages)',
        tags: ['portfolio'],
        querystring: Type.Object({ ...ListFilters, ...HeaderLanguage }, { additionalProperties: false }),
        produces: ['text/csv'],
        response: { 200: Csv, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const { sort, lang, ...filter } = request.query;
      const rows = allRequests(fastify.db, { ...filter, ...listScope(request.actor) }, sort);
      return sendCsv(reply, 'requests', REQUEST_COLUMNS, rows, lang);
    },
  );

  fastify.get(
    '/exports/statistics.csv',
    {
      schema: {
        summary: 'The portfolio statistics of GET /statistics as CSV: one row per section, key and measure',
        tags: ['portfolio'],
        querystring: Type.Object(HeaderLanguage, { additionalProperties: false }),
        produces: ['text/csv'],
        response: { 200: Csv, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const rows = statisticsRows(await portfolioStatistics(fastify.db, listScope(request.actor)));
      const columns: Array<CsvColumn<StatisticsRow>> = [
        { header: 'section', value: (r) => r.section },
        { header: 'key', value: (r) => r.key },
        { header: 'measure', value: (r) => r.measure },
        { header: 'value', value: (r) => r.value },
      ];
      return sendCsv(reply, 'statistics', columns, rows, request.query.lang);
    },
  );

  fastify.get(
    '/exports/coverage.csv',
    {
      schema: {
        summary: 'The action-plan coverage matrix as CSV: every country × action area, zeros for the gaps',
        tags: ['portfolio'],
        querystring: Type.Object(HeaderLanguage, { additionalProperties: false }),
        produces: ['text/csv'],
        response: { 200: Csv, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const coverage = await actionPlanCoverage(fastify.db, listScope(request.actor));
      const cells = new Map(coverage.cells.map((cell) => [`${cell.country}:${cell.actionArea}`, cell]));
      const rows = coverage.countries.flatMap((country) =>
        coverage.actionAreas.map((actionArea) => cells.get(`${country}:${actionArea}`) ?? { country, actionArea, requests: 0, requestedEur: 0 }),
      );
      const columns: Array<CsvColumn<(typeof rows)[number]>> = [
        { header: 'country', value: (r) => r.country },
        { header: 'action_area', value: (r) => r.actionArea },
        { header: 'requests', value: (r) => r.requests },
        { header: 'requested_budget_eur', value: (r) => r.requestedEur },
      ];
      return sendCsv(reply, 'coverage', columns, rows, request.query.lang);
    },
  );

  fastify.get(
    '/exports/coverage-by-objective.csv',
    {
      schema: {
        summary: 'Coverage by objective of an action plan as CSV: every country × objective (zeros for the gaps), and the requests that name none',
        tags: ['portfolio'],
        querystring: Type.Object({ ...CoverageQuery.properties, ...HeaderLanguage }, { additionalProperties: false }),
        produces: ['text/csv'],
        response: { 200: Csv, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const scope = listScope(request.actor);
      const plan = await planToCover(fastify.db, request.query.actionPlan);
      if (!plan) {
        throw actionPlanNotFound(null);
      }
      const countries = await coverageCountries(fastify.db, scope);
      const coverage = await objectiveCoverage(fastify.db, scope, plan, countries);
      const cells = new Map(coverage.cells.map((cell) => [`${cell.country}:${cell.objective}`, cell]));
      const unplaced = new Map(coverage.withoutObjective.map((cell) => [cell.country, cell]));
      const rows = countries.flatMap((country) => [
        ...plan.objectives.map((objective) => ({ country, objective, tally: cells.get(`${country}:${objective.code}`) })),
        { country, objective: null, tally: unplaced.get(country) },
      ]);
      const columns: Array<CsvColumn<(typeof rows)[number]>> = [
        { header: 'action_plan', value: () => plan.planId },
        { header: 'country', value: (r) => r.country },
        { header: 'action_area', value: (r) => r.objective?.area ?? '' },
        { header: 'objective', value: (r) => r.objective?.code ?? '' },
        { header: 'objective_title', value: (r) => r.objective?.title ?? translate(request.query.lang ?? 'en', 'csv.noObjective') },
        { header: 'requests', value: (r) => r.tally?.requests ?? 0 },
        { header: 'requested_budget_eur', value: (r) => r.tally?.requestedEur ?? 0 },
      ];
      return sendCsv(reply, 'coverage-by-objective', columns, rows, request.query.lang);
    },
  );
};

export default exportRoutes;
