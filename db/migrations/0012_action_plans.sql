CREATE TABLE "action_plan_areas" (
	"plan_id" text NOT NULL,
	"area" smallint NOT NULL,
	"title" text NOT NULL,
	CONSTRAINT "action_plan_areas_plan_id_area_pk" PRIMARY KEY("plan_id","area")
);
--> statement-breakpoint
CREATE TABLE "action_plan_objectives" (
	"plan_id" text NOT NULL,
	"code" text NOT NULL,
	"area" smallint NOT NULL,
	"title" text NOT NULL,
	"position" smallint NOT NULL,
	CONSTRAINT "action_plan_objectives_plan_id_code_pk" PRIMARY KEY("plan_id","code")
);
--> statement-breakpoint
CREATE TABLE "action_plans" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "objective_tallies" (
	"plan_id" text NOT NULL,
	"objective" text NOT NULL,
	"country" char(2) NOT NULL,
	"committee_visible" boolean NOT NULL,
	"requests" integer NOT NULL,
	"requested_eur" numeric(16, 2) NOT NULL,
	CONSTRAINT "objective_tallies_plan_id_objective_country_committee_visible_pk" PRIMARY KEY("plan_id","objective","country","committee_visible")
);
--> statement-breakpoint
ALTER TABLE "action_plan_areas" ADD CONSTRAINT "action_plan_areas_plan_id_action_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."action_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_objectives" ADD CONSTRAINT "action_plan_objectives_plan_id_area_action_plan_areas_plan_id_area_fk" FOREIGN KEY ("plan_id","area") REFERENCES "public"."action_plan_areas"("plan_id","area") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint

-- The plan in force today. Objectives 1–6 are as the Rabat Process publishes them
-- (rabat-process.org, "Cadiz Action Plan"); the objectives of areas 4 and 5 are not seeded here because their
-- wording was not available to us: an administrator adds them with PUT /action-plans/cadiz-2023-2027.
INSERT INTO action_plans (id, title, starts_on, ends_on) VALUES
  ('cadiz-2023-2027', 'Cadiz Action Plan 2023–2027', '2023-01-01', '2027-12-31');
--> statement-breakpoint
INSERT INTO action_plan_areas (plan_id, area, title) VALUES
  ('cadiz-2023-2027', 1, 'Development benefits of migration / root causes of irregular migration and forced displacement'),
  ('cadiz-2023-2027', 2, 'Regular migration and mobility'),
  ('cadiz-2023-2027', 3, 'Protection and asylum'),
  ('cadiz-2023-2027', 4, 'Irregular migration, migrant smuggling and trafficking in human beings'),
  ('cadiz-2023-2027', 5, 'Return, readmission and sustainable reintegration');
--> statement-breakpoint
INSERT INTO action_plan_objectives (plan_id, code, area, title, position) VALUES
  ('cadiz-2023-2027', '1', 1, 'Maximise the positive impact of regular migration', 1),
  ('cadiz-2023-2027', '2', 1, 'Understand the root causes of irregular migration and forced displacement', 2),
  ('cadiz-2023-2027', '3', 2, 'Promote regular migration and mobility, especially of young people and women', 3),
  ('cadiz-2023-2027', '4', 2, 'Encourage the facilitation of visa issuance procedures', 4),
  ('cadiz-2023-2027', '5a', 3, 'Enhance the protection of refugees and the forcibly displaced', 5),
  ('cadiz-2023-2027', '5b', 3, 'Promote actions to respect the dignity and the human rights of migrants', 6),
  ('cadiz-2023-2027', '6', 3, 'Promote the integration of refugees and the forcibly displaced into host communities', 7);
--> statement-breakpoint

-- A request's contribution to objective_tallies, moved from its old row (NULL: a new request) to its new one, as
-- move_tallies does for portfolio_tallies. The plan and objective are the submission's (state.submission.actionPlan,
-- .objective, set by the API from this reference data); requests that name no plan are not counted here.
CREATE FUNCTION move_objective_tallies(before requests, after requests) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO objective_tallies AS t (plan_id, objective, country, committee_visible, requests, requested_eur)
  SELECT plan_id, objective, country, committee_visible, sum(n), sum(requested)
    FROM (
      SELECT before.state #>> '{submission,actionPlan}' AS plan_id,
             coalesce(before.state #>> '{submission,objective}', '') AS objective,
             before.country, before.committee_visible, -1 AS n, -before.requested_budget_eur AS requested
       WHERE before.id IS NOT NULL
      UNION ALL
      SELECT after.state #>> '{submission,actionPlan}', coalesce(after.state #>> '{submission,objective}', ''),
             after.country, after.committee_visible, 1, after.requested_budget_eur
    ) AS contribution
   WHERE plan_id IS NOT NULL
   GROUP BY plan_id, objective, country, committee_visible
  HAVING sum(n) <> 0 OR sum(requested) <> 0
   ORDER BY plan_id, objective, country, committee_visible
  ON CONFLICT (plan_id, objective, country, committee_visible) DO UPDATE SET
    requests = t.requests + excluded.requests,
    requested_eur = t.requested_eur + excluded.requested_eur;
$$;
--> statement-breakpoint

-- record_event (0009/0011) calls move_tallies(before, after): it now moves both kinds of tallies. Renaming keeps the
-- portfolio part exactly as 0009 wrote it, instead of restating it here.
ALTER FUNCTION move_tallies(requests, requests) RENAME TO move_portfolio_tallies;
--> statement-breakpoint
CREATE FUNCTION move_tallies(before requests, after requests) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM move_portfolio_tallies(before, after);
  PERFORM move_objective_tallies(before, after);
END;
$$;
--> statement-breakpoint

-- What was recorded before this table (requests submitted before this migration name no plan: none, today).
INSERT INTO objective_tallies (plan_id, objective, country, committee_visible, requests, requested_eur)
SELECT state #>> '{submission,actionPlan}', coalesce(state #>> '{submission,objective}', ''), country, committee_visible,
       count(*), sum(requested_budget_eur)
  FROM requests
 WHERE state #>> '{submission,actionPlan}' IS NOT NULL
 GROUP BY 1, 2, 3, 4;
