import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { ACTIVITY_TYPES, PHASES } from '../../workflows/request-model';
import { storedWaitingFor } from '../../read-model/waiting-for';
import { step } from '../measure';
import { representativeState } from './representative-state';

/**
 * A portfolio of `requests` requests with `eventsPerRequest` events each, bulk-loaded by Postgres itself
 * (INSERT … SELECT over generate_series: no rows cross the wire), secondary indexes dropped during the load and
 * rebuilt after, then the pre-aggregated statistics built by the same backfill the migration runs.
 *
 * The rows are shaped like real ones where reads look: 25 countries, 5 action areas, 6 activity types, every
 * phase in realistic shares, ten years of submissions, deadlines (some passed), objections, budgets, half the
 * requests written in French and half in English (a sentence of each language's prose, accents included, and 14 words
 * from a 5,000-word vocabulary: the search document, stemmed in its language), a real request's state JSON (3.4 KB, built by the workflow's
 * reducer; each row's own ID, phase, action area and objective) so that rows have a real row's size, and who must
 * act as record_event writes it. Every request is placed in the seeded Cadiz plan; three in four of areas 1–3 name
 * one of its objectives.
 */

export const COUNTRIES = ['BJ', 'BF', 'CV', 'CM', 'CF', 'CG', 'CI', 'CD', 'GA', 'GM', 'GH', 'GN', 'GW', 'GQ', 'LR', 'ML', 'MR', 'MA', 'NE', 'NG', 'SN', 'SL', 'TD', 'TG', 'TN'];

/** Word `i` (0–4,999) of the vocabulary: each is in about 0.3 % of the search documents. */
export const vocabularyWord = (i: number): string => `w${i}x`;

/** The prose of a request in each language: every request says "migration"; only the French ones "frontières". */
const PROSE = {
  en: 'capacity-building request on migration and border management: officers trained in document security',
  fr: 'demande de renforcement des capacités sur la migration et la gestion des frontières : formation des agents à la sécurité des documents',
};

const PHASE_SHARES: Array<[string, number]> = [
  ['completed', 40],
  ['rejected', 8],
  ['withdrawn', 5],
  ['cancelled', 2],
  ['monitoring', 12],
  ['implementation', 15],
  ['approval', 3],
  ['review', 5],
  ['revision_requested', 2],
  ['awaiting_information', 2],
  ['screening', 6],
];

function phaseCase(): string {
  let bound = 0;
  const arms = PHASE_SHARES.map(([phase, share]) => {
    bound += share;
    return `WHEN h % 100 < ${bound} THEN '${phase}'`;
  });
  return `CASE ${arms.join(' ')} END`;
}

/** A request's action area, from its number. */
const AREA = '(1 + (i / 3) % 5)';

/**
 * The objective of the seeded plan (Cadiz: areas 1–3 have objectives seeded) a request names: one of its area's,
 * evenly; a quarter name none ("where known"), as do all of areas 4 and 5.
 */
function objectiveCase(): string {
  return `CASE WHEN (h / 11) % 4 = 0 THEN NULL
               WHEN ${AREA} = 1 THEN (ARRAY['1', '2'])[1 + (h / 7) % 2]
               WHEN ${AREA} = 2 THEN (ARRAY['3', '4'])[1 + (h / 7) % 2]
               WHEN ${AREA} = 3 THEN (ARRAY['5a', '5b', '6'])[1 + (h / 7) % 3] END`;
}

async function secondaryIndexes(client: pg.Client, tables: string[]) {
  const { rows } = await client.query<{ indexname: string; indexdef: string }>(
    `select indexname, indexdef from pg_indexes i
      where tablename = any($1) and not exists (
        select 1 from pg_constraint c where c.conname = i.indexname)`,
    [tables],
  );
  return rows;
}

export async function seedPortfolio(client: pg.Client, options: { requests: number; eventsPerRequest: number }) {
  const { requests, eventsPerRequest } = options;
  const indexes = await secondaryIndexes(client, ['requests', 'request_search', 'request_events']);
  await step(`dropping ${indexes.length} secondary indexes for the load`, async () => {
    for (const index of indexes) await client.query(`drop index ${index.indexname}`);
  });
  await client.query('set synchronous_commit = off');
  await client.query('set maintenance_work_mem = \'1GB\'');
  const countries = `(ARRAY[${COUNTRIES.map((c) => `'${c}'`).join(',')}])[1 + i % ${COUNTRIES.length}]`;
  const types = `(ARRAY[${ACTIVITY_TYPES.map((t) => `'${t}'`).join(',')}])[1 + (i / 7) % ${ACTIVITY_TYPES.length}]`;
  const template = representativeState();
  const state = JSON.stringify(template);
  // Who must act, by phase, as record_event writes it today: the workflow's rule over the same state, worded in every
  // language. (Seeded without those words, every open row of a list read its whole state to word them, as only rows
  // last written before the read model kept them do.)
  const waiting = JSON.stringify(Object.fromEntries(PHASES.map((phase) => [phase, storedWaitingFor({ ...template, phase })])));
  await step(`loading ${requests.toLocaleString('en')} requests`, () =>
    client.query(
      `
      insert into requests (id, workflow_id, title, country, domain, activity_type, phase, version, state, committee_visible,
                            submitted_by, submitted_at, updated_at, search_document, decided_at, due_at, has_objections,
                            requested_budget_eur, approved_budget_eur, spent_budget_eur, trained_total, trained_women, trained_men,
                            waiting_for)
      select id, 'capacity-request-' || id, 'Capacity request ' || i, country, domain, activity_type, phase, ${eventsPerRequest},
             jsonb_set(jsonb_set(jsonb_set($1::jsonb, '{requestId}', to_jsonb(id::text)), '{phase}', to_jsonb(phase)),
                       '{submission}', $1::jsonb->'submission' || jsonb_build_object('domain', domain, 'actionPlan', 'cadiz-2023-2027', 'objective', objective, 'language', language)),
             phase not in ('screening', 'awaiting_information', 'withdrawn'),
             'seed', submitted_at, submitted_at + interval '20 days',
             'Capacity request ' || i || ' ' || case language when 'fr' then $3 else $4 end || ' ' || words,
             case when phase in ('completed', 'rejected', 'monitoring', 'implementation', 'revision_requested', 'cancelled')
                  then submitted_at + interval '12 days' end,
             case when phase in ('screening', 'review', 'awaiting_information', 'implementation', 'monitoring')
                  then now() + ((i % 40) - 3) * interval '1 day' end,
             phase in ('review', 'approval') and i % 9 = 0,
             budget, case when phase in ('completed', 'monitoring', 'implementation') then budget end,
             case when phase in ('completed', 'monitoring') then budget * 0.8 else 0 end,
             case when phase in ('completed', 'monitoring') then 30 else 0 end,
             case when phase in ('completed', 'monitoring') then 13 else 0 end,
             case when phase in ('completed', 'monitoring') then 17 else 0 end,
             $2::jsonb -> phase
        from (
          select i, h, md5('request-' || i)::uuid as id, ${countries} as country, ${AREA} as domain, ${objectiveCase()} as objective, ${types} as activity_type,
                 case when (h / 13) % 2 = 0 then 'fr' else 'en' end as language,
                 ${phaseCase()} as phase,
                 timestamptz '2016-01-01' + (i::float8 / ${requests}) * interval '3650 days' + (i % 97) * interval '1 second' as submitted_at,
                 (5000 + (i * 37) % 95000)::numeric as budget,
                 (select string_agg('w' || ((i * 2654435761 + k * 40503) % 5000)::text || 'x', ' ')
                    from generate_series(1, 14) k) as words
            -- h: a hash of i, so that phase, country and area are independent of one another, as in life.
            from generate_series(1::bigint, ${requests}) i, lateral (select abs(hashtext('phase-' || i)) as h) hashed) seed`,
      [state, waiting, PROSE.fr, PROSE.en],
    ),
  );
  await step(`loading ${(requests * eventsPerRequest).toLocaleString('en')} events`, () =>
    client.query(`
      insert into request_events (request_id, seq, type, actor_id, actor_name, actor_role, phase_before, phase_after, occurred_at, payload)
      select r.id, s, (ARRAY['submitted','screened','vote_recorded','review_closed','approved','activity_planned','activity_status_changed',
                             'implementation_completed','report_submitted','closed'])[1 + (s - 1) % 10],
             'seed', 'Seed', 'secretariat',
             (ARRAY['screening','screening','review','review','approval','implementation','implementation','implementation','monitoring','monitoring'])[1 + (s - 1) % 10],
             (ARRAY['screening','review','review','approval','implementation','implementation','implementation','monitoring','monitoring','completed'])[1 + (s - 1) % 10],
             r.submitted_at + s * interval '1 day' + (s * 3571 % 86400) * interval '1 second', '{}'::jsonb
        from requests r, generate_series(1, ${eventsPerRequest}) s`),
  );
  await step(`rebuilding ${indexes.length} indexes`, async () => {
    for (const index of indexes) await client.query(index.indexdef);
  });
  await step('building the pre-aggregated statistics (the migration’s backfill)', async () => {
    const migration = await readFile(new URL('../../db/migrations/0007_pre_aggregated_statistics.sql', import.meta.url), 'utf8');
    await client.query('truncate portfolio_tallies, duration_histogram, sla_tallies');
    for (const statement of migration.slice(migration.indexOf('INSERT INTO "portfolio_tallies"')).split('--> statement-breakpoint')) {
      await client.query(statement);
    }
    const objectives = await readFile(new URL('../../db/migrations/0012_action_plans.sql', import.meta.url), 'utf8');
    await client.query('truncate objective_tallies');
    await client.query(objectives.slice(objectives.indexOf('-- What was recorded before this table')));
  });
  await step('vacuum analyze', () => client.query('vacuum analyze'));
}
