ALTER TABLE "requests" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "has_objections" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "requested_budget_eur" numeric(14, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "approved_budget_eur" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "spent_budget_eur" numeric(14, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
CREATE INDEX "requests_updated_idx" ON "requests" USING btree ("updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "requests_decided_idx" ON "requests" USING btree ("decided_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE decided_at is not null;--> statement-breakpoint
CREATE INDEX "requests_due_idx" ON "requests" USING btree ("due_at") WHERE due_at is not null;--> statement-breakpoint
CREATE INDEX "requests_objections_idx" ON "requests" USING btree ("submitted_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE has_objections;
--> statement-breakpoint
-- Requests recorded before these columns: the same facts read from their state (activities/read-model-columns.ts).
UPDATE "requests" SET
  "decided_at" = ("state"->'decisions'->-1->>'at')::timestamptz,
  "due_at" = (CASE "phase"
    WHEN 'screening' THEN CASE WHEN "state"->'screeningClock'->>'pausedAt' IS NULL THEN "state"->'screeningClock'->>'deadline' END
    WHEN 'awaiting_information' THEN "state"->'informationExchanges'->-1->'clock'->>'deadline'
    WHEN 'review' THEN "state"->'review'->>'deadline'
    WHEN 'implementation' THEN "state"->'reportingClock'->>'deadline'
    WHEN 'monitoring' THEN "state"->'reportingClock'->>'deadline'
  END)::timestamptz,
  "has_objections" = coalesce("state"->'review'->'votes' @> '[{"vote":"objection"}]', false),
  "requested_budget_eur" = coalesce(("state"->'submission'->>'estimatedBudgetEur')::numeric, 0),
  "approved_budget_eur" = coalesce(
    ("state"->'budgetIncreases'->-1->>'toEur')::numeric,
    (SELECT (d.value->>'approvedBudgetEur')::numeric
      FROM jsonb_array_elements("state"->'decisions') WITH ORDINALITY AS d(value, position)
      WHERE d.value->>'decision' = 'approve' ORDER BY d.position DESC LIMIT 1)
  ),
  "spent_budget_eur" = coalesce(
    (SELECT sum((a->>'spentEur')::numeric) FROM jsonb_array_elements("state"->'activities') AS a), 0);
