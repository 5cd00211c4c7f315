CREATE TABLE "duration_histogram" (
	"measure" text NOT NULL,
	"country" char(2) NOT NULL,
	"committee" boolean NOT NULL,
	"bucket" smallint NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "duration_histogram_measure_country_committee_bucket_pk" PRIMARY KEY("measure","country","committee","bucket")
);
--> statement-breakpoint
CREATE TABLE "portfolio_tallies" (
	"phase" text NOT NULL,
	"country" char(2) NOT NULL,
	"domain" smallint NOT NULL,
	"activity_type" text NOT NULL,
	"committee_visible" boolean NOT NULL,
	"requests" integer NOT NULL,
	"requested_eur" numeric(16, 2) NOT NULL,
	"approved_eur" numeric(16, 2) NOT NULL,
	"spent_eur" numeric(16, 2) NOT NULL,
	"trained_total" integer NOT NULL,
	"trained_women" integer NOT NULL,
	"trained_men" integer NOT NULL,
	CONSTRAINT "portfolio_tallies_phase_country_domain_activity_type_committee_visible_pk" PRIMARY KEY("phase","country","domain","activity_type","committee_visible")
);
--> statement-breakpoint
CREATE TABLE "sla_tallies" (
	"kind" text NOT NULL,
	"country" char(2) NOT NULL,
	"committee" boolean NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "sla_tallies_kind_country_committee_pk" PRIMARY KEY("kind","country","committee")
);
--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "trained_total" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "trained_women" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "trained_men" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- What was recorded before these tables: the same figures, computed once from the record (see activities/portfolio-tallies.ts).
UPDATE "requests" SET
  "trained_total" = coalesce(t.total, 0), "trained_women" = coalesce(t.women, 0), "trained_men" = coalesce(t.men, 0)
FROM (
  SELECT r.id, sum((a->'participants'->>'total')::int) AS total, sum((a->'participants'->>'women')::int) AS women,
         sum((a->'participants'->>'men')::int) AS men
    FROM "requests" r, jsonb_array_elements(r."state"->'activities') AS a
   WHERE a->>'status' IN ('held', 'done') AND jsonb_typeof(a->'participants') = 'object'
   GROUP BY r.id) t
WHERE t.id = "requests"."id";
--> statement-breakpoint
INSERT INTO "portfolio_tallies"
SELECT phase, country, domain, activity_type, committee_visible, count(*), sum(requested_budget_eur),
       coalesce(sum(approved_budget_eur), 0), sum(spent_budget_eur), sum(trained_total), sum(trained_women), sum(trained_men)
  FROM "requests" GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
WITH changes AS (
  SELECT e.request_id, e.seq, e.phase_before, e.occurred_at,
         lag(e.occurred_at) OVER (PARTITION BY e.request_id ORDER BY e.seq) AS entered
    FROM "request_events" e WHERE e.seq = 1 OR e.phase_before <> e.phase_after),
visits AS (
  SELECT c.phase_before AS measure, r.country, r.committee_visible, extract(epoch FROM c.occurred_at - c.entered) AS seconds
    FROM changes c JOIN "requests" r ON r.id = c.request_id WHERE c.seq > 1
  UNION ALL
  SELECT 'submission_to_decision', r.country, r.committee_visible, extract(epoch FROM min(e.occurred_at) - r.submitted_at)
    FROM "request_events" e JOIN "requests" r ON r.id = e.request_id
   WHERE e.type IN ('approved', 'rejected', 'revision_requested') GROUP BY r.id),
bucketed AS (
  SELECT measure, country, committee_visible,
         (CASE WHEN seconds < 1 THEN 0 ELSE 1 + floor(ln(seconds) / ln(1.05)) END)::smallint AS bucket FROM visits)
INSERT INTO "duration_histogram"
SELECT measure, country, false, bucket, count(*) FROM bucketed GROUP BY 1, 2, 4
UNION ALL
SELECT measure, country, true, bucket, count(*) FROM bucketed WHERE committee_visible GROUP BY 1, 2, 4;
--> statement-breakpoint
WITH breaches AS (
  SELECT CASE e.type WHEN 'screening_escalated' THEN 'screening' WHEN 'report_overdue' THEN 'reports' ELSE 'review' END AS kind,
         r.country, r.committee_visible
    FROM "request_events" e JOIN "requests" r ON r.id = e.request_id
   WHERE e.type IN ('screening_escalated', 'report_overdue') OR (e.type = 'review_closed' AND e.payload->>'because' = 'deadline_passed'))
INSERT INTO "sla_tallies"
SELECT kind, country, false, count(*) FROM breaches GROUP BY 1, 2
UNION ALL
SELECT kind, country, true, count(*) FROM breaches WHERE committee_visible GROUP BY 1, 2;
