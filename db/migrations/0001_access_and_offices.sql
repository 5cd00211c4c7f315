CREATE TABLE "admin_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"actor_name" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chair_terms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"assigned_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "label" text;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "committee_visible" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "chair_terms" ADD CONSTRAINT "chair_terms_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chair_terms_period_idx" ON "chair_terms" USING btree ("starts_at","ends_at");--> statement-breakpoint
-- Requests that already reached the Steering Committee before this column existed.
UPDATE "requests" SET "committee_visible" = true
 WHERE jsonb_typeof("state"->'review') = 'object' OR jsonb_array_length(COALESCE("state"->'decisions', '[]'::jsonb)) > 0;
