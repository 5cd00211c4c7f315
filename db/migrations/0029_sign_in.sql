-- Signing in as people do elsewhere (README, "Signing in"): browser sessions (only the SHA-256 of each cookie's
-- secret), the single-use secrets of invitations and sign-in e-mails (hashes only), the attempts the rate limits
-- count (addresses hashed), and whether a person is deactivated.
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"secret_hash" char(64) NOT NULL,
	"user_id" uuid NOT NULL,
	"method" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	"client_address" text NOT NULL,
	"user_agent" text DEFAULT '' NOT NULL,
	CONSTRAINT "sessions_secret_hash_unique" UNIQUE("secret_hash")
);
--> statement-breakpoint
CREATE TABLE "sign_in_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"address_hash" char(64) NOT NULL,
	"client_address" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_secrets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"purpose" text NOT NULL,
	"user_id" uuid NOT NULL,
	"secret_hash" char(64) NOT NULL,
	"code_hash" char(64),
	"failed_codes" integer DEFAULT 0 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "sign_in_secrets_secret_hash_unique" UNIQUE("secret_hash")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "deactivated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_in_secrets" ADD CONSTRAINT "sign_in_secrets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sign_in_attempts_address_idx" ON "sign_in_attempts" USING btree ("address_hash","at");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_client_idx" ON "sign_in_attempts" USING btree ("client_address","at");--> statement-breakpoint
CREATE INDEX "sign_in_secrets_user_idx" ON "sign_in_secrets" USING btree ("user_id","purpose","created_at" DESC NULLS LAST);--> statement-breakpoint
-- Invitations and sign-in e-mails are, like an address confirmation, about no request and no meeting, and go to the
-- address named (the invited person's, the one typed to sign in).
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_about_one_thing";--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_about_one_thing" CHECK (
  CASE WHEN "reason" IN ('email_confirmation', 'invitation', 'sign_in') THEN "request_id" IS NULL AND "seq" IS NULL AND "meeting_id" IS NULL AND "address" IS NOT NULL
       WHEN "meeting_id" IS NOT NULL THEN "reason" = 'reminder' AND "request_id" IS NULL AND "seq" IS NULL AND "address" IS NULL
       ELSE "request_id" IS NOT NULL AND "seq" IS NOT NULL AND "address" IS NULL END
);
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_reason_known";--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_reason_known" CHECK ("reason" IN ('your_turn', 'reminder', 'news', 'email_confirmation', 'invitation', 'sign_in'));
