ALTER TABLE "meetings" ADD COLUMN "members_reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "meeting_id" uuid;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_meeting_user_key" ON "notifications" USING btree ("meeting_id","user_id") WHERE meeting_id is not null;--> statement-breakpoint
-- An e-mail names what it is about: a request's event, a meeting (its reminder), or — an address confirmation —
-- nothing; only a confirmation goes to an address other than the person's own.
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_request_or_confirmation";--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_about_one_thing" CHECK (
  CASE WHEN "reason" = 'email_confirmation' THEN "request_id" IS NULL AND "seq" IS NULL AND "meeting_id" IS NULL AND "address" IS NOT NULL
       WHEN "meeting_id" IS NOT NULL THEN "reason" = 'reminder' AND "request_id" IS NULL AND "seq" IS NULL AND "address" IS NULL
       ELSE "request_id" IS NOT NULL AND "seq" IS NOT NULL AND "address" IS NULL END
);
