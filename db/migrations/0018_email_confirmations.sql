CREATE TABLE "email_confirmations" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"code_hash" char(64) NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "request_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "seq" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "email_confirmations" ADD CONSTRAINT "email_confirmations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_confirmations" ADD CONSTRAINT "email_confirmations_email_is_one_address" CHECK ("email" ~ '^[^@\s,;<>]+@[^@\s,;<>]+$');
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_reason_known";
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_reason_known" CHECK ("reason" IN ('your_turn', 'reminder', 'news', 'email_confirmation'));
--> statement-breakpoint
-- An e-mail about a request names its event; only an address confirmation names none, and only it goes to an address
-- other than the person's own.
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_request_or_confirmation" CHECK (
  CASE WHEN "reason" = 'email_confirmation' THEN "request_id" IS NULL AND "seq" IS NULL AND "address" IS NOT NULL
       ELSE "request_id" IS NOT NULL AND "seq" IS NOT NULL AND "address" IS NULL END
);
