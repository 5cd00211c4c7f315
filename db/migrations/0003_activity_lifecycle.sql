ALTER TABLE "implementation_activities" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "implementation_activities" ADD COLUMN "spent_eur" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "implementation_activities" ADD COLUMN "participants" jsonb;