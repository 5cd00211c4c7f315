-- Dates a person can mean (workflows/date-bounds.ts): from the dialogue's founding, 2006-01-01, to the horizon's
-- bound, 2100-12-31. One meeting stored in the year 18 answered 500 to every meeting list and calendar feed.
-- NOT VALID: a deployment that already took such values keeps them (and keeps migrating); every new or changed row is
-- checked. The view below lists those already stored, for an administrator to correct or remove.
-- Not on implementation_activities: that table mirrors what the workflow recorded, and a CHECK there would make the
-- next event of a request holding an old activity's date fail for ever. The workflow's validators hold new activity
-- dates to the same bounds (workflows/step-dates.ts); old ones are listed below, for the Secretariat to postpone.
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_scheduled_for_within_dates"
  CHECK ("scheduled_for" >= '2006-01-01T00:00:00Z' AND "scheduled_for" < '2101-01-01T00:00:00Z') NOT VALID;
--> statement-breakpoint
ALTER TABLE "chair_terms" ADD CONSTRAINT "chair_terms_starts_at_within_dates"
  CHECK ("starts_at" >= '2006-01-01T00:00:00Z' AND "starts_at" < '2101-01-01T00:00:00Z') NOT VALID;
--> statement-breakpoint
ALTER TABLE "chair_terms" ADD CONSTRAINT "chair_terms_ends_at_within_dates"
  CHECK ("ends_at" >= '2006-01-01T00:00:00Z' AND "ends_at" < '2101-01-01T00:00:00Z') NOT VALID;
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_expires_at_within_dates"
  CHECK ("expires_at" >= '2006-01-01T00:00:00Z' AND "expires_at" < '2101-01-01T00:00:00Z') NOT VALID;
--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_starts_on_within_dates"
  CHECK ("starts_on" BETWEEN '2006-01-01' AND '2100-12-31') NOT VALID;
--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_ends_on_within_dates"
  CHECK ("ends_on" BETWEEN '2006-01-01' AND '2100-12-31') NOT VALID;
--> statement-breakpoint
-- Every stored value outside the bounds, by table, row and column: what GET /admin/out-of-bounds-values answers and
-- what the API and the worker report at start.
CREATE VIEW "out_of_bounds_values" AS
  SELECT 'meetings' AS table_name, id::text AS row_id, 'scheduled_for' AS column_name, scheduled_for::text AS value
    FROM meetings WHERE NOT (scheduled_for >= '2006-01-01T00:00:00Z' AND scheduled_for < '2101-01-01T00:00:00Z')
  UNION ALL
  SELECT 'chair_terms', id::text, 'starts_at', starts_at::text
    FROM chair_terms WHERE NOT (starts_at >= '2006-01-01T00:00:00Z' AND starts_at < '2101-01-01T00:00:00Z')
  UNION ALL
  SELECT 'chair_terms', id::text, 'ends_at', ends_at::text
    FROM chair_terms WHERE NOT (ends_at >= '2006-01-01T00:00:00Z' AND ends_at < '2101-01-01T00:00:00Z')
  UNION ALL
  SELECT 'api_tokens', id::text, 'expires_at', expires_at::text
    FROM api_tokens WHERE NOT (expires_at >= '2006-01-01T00:00:00Z' AND expires_at < '2101-01-01T00:00:00Z')
  UNION ALL
  SELECT 'implementation_activities', id::text, 'start_date', start_date
    FROM implementation_activities WHERE NOT (start_date ~ '^\d{4}-\d{2}-\d{2}$' AND start_date BETWEEN '2006-01-01' AND '2100-12-31')
  UNION ALL
  SELECT 'implementation_activities', id::text, 'end_date', end_date
    FROM implementation_activities WHERE NOT (end_date ~ '^\d{4}-\d{2}-\d{2}$' AND end_date BETWEEN '2006-01-01' AND '2100-12-31')
  UNION ALL
  SELECT 'action_plans', id, 'starts_on', starts_on::text
    FROM action_plans WHERE NOT (starts_on BETWEEN '2006-01-01' AND '2100-12-31')
  UNION ALL
  SELECT 'action_plans', id, 'ends_on', ends_on::text
    FROM action_plans WHERE NOT (ends_on BETWEEN '2006-01-01' AND '2100-12-31');
