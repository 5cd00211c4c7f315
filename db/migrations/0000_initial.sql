CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"request_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"decision" text NOT NULL,
	"rationale" text NOT NULL,
	"conditions" text,
	"approved_budget_eur" numeric(14, 2),
	"decided_by" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	CONSTRAINT "decisions_request_id_seq_pk" PRIMARY KEY("request_id","seq")
);
--> statement-breakpoint
CREATE TABLE "implementation_activities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"planned_seq" integer NOT NULL,
	"last_seq" integer NOT NULL,
	"type" text NOT NULL,
	"title" text NOT NULL,
	"start_date" text NOT NULL,
	"end_date" text NOT NULL,
	"location" text NOT NULL,
	"budget_eur" numeric(14, 2) NOT NULL,
	"status" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"request_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"summary" text NOT NULL,
	"indicators" jsonb,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reports_request_id_seq_pk" PRIMARY KEY("request_id","seq")
);
--> statement-breakpoint
CREATE TABLE "request_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"actor_role" text NOT NULL,
	"phase_before" text NOT NULL,
	"phase_after" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workflow_id" text NOT NULL,
	"title" text NOT NULL,
	"country" char(2) NOT NULL,
	"domain" smallint NOT NULL,
	"activity_type" text NOT NULL,
	"phase" text NOT NULL,
	"version" integer NOT NULL,
	"state" jsonb NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "requests_workflow_id_unique" UNIQUE("workflow_id")
);
--> statement-breakpoint
CREATE TABLE "review_votes" (
	"request_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"voter_id" text NOT NULL,
	"voter_name" text NOT NULL,
	"vote" text NOT NULL,
	"comment" text,
	"voted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "review_votes_request_id_seq_pk" PRIMARY KEY("request_id","seq")
);
--> statement-breakpoint
CREATE TABLE "submission_keys" (
	"user_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_id" uuid NOT NULL,
	"body_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "submission_keys_user_id_idempotency_key_pk" PRIMARY KEY("user_id","idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"country" char(2),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_keys" ADD CONSTRAINT "submission_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "implementation_activities_request_idx" ON "implementation_activities" USING btree ("request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "request_events_request_seq_key" ON "request_events" USING btree ("request_id","seq");--> statement-breakpoint
CREATE INDEX "requests_submitted_idx" ON "requests" USING btree ("submitted_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "requests_phase_submitted_idx" ON "requests" USING btree ("phase","submitted_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "requests_country_submitted_idx" ON "requests" USING btree ("country","submitted_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "requests_domain_submitted_idx" ON "requests" USING btree ("domain","submitted_at" DESC NULLS LAST,"id" DESC NULLS LAST);