CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_attempt_at" timestamp with time zone,
	"last_error" text,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_until" timestamp with time zone,
	"sent_to" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_request_seq_user_key" ON "notifications" USING btree ("request_id","seq","user_id");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_unsent_idx" ON "notifications" USING btree ("status","created_at") WHERE status <> 'sent';--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" USING btree ("next_attempt_at") WHERE status in ('pending', 'retrying');-- The API checks addresses thoroughly; this only keeps anything that is not one address out of the column.
ALTER TABLE "users" ADD CONSTRAINT "users_email_is_one_address" CHECK ("email" ~ '^[^@\s,;<>]+@[^@\s,;<>]+$');
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_reason_known" CHECK ("reason" IN ('your_turn', 'reminder', 'news'));
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_status_known" CHECK ("status" IN ('pending', 'sent', 'retrying', 'dead', 'cancelled'));
--> statement-breakpoint
/*
 * Queues the e-mails one event causes, in the event's transaction (called in the same statement as record_event).
 * input: {request_id, seq, at, actor_id, audiences: [{reason, subject, body, roles, country, user_ids}]}.
 * An audience is everyone with an address who has one of its roles (in its country, if it names one; the Chair only
 * while in office at the event's time), or whose ID it lists; never the person who caused the event. A person in
 * two audiences gets the first one's message. Keyed by (request, seq, person): a retried event queues nothing twice.
 * Returns the IDs of the event's messages still pending, to be dispatched (again, on a retry).
 */
CREATE FUNCTION queue_notifications(input jsonb) RETURNS uuid[] LANGUAGE plpgsql AS $$
DECLARE
  audience jsonb;
  request uuid := (input->>'request_id')::uuid;
  event_seq integer := (input->>'seq')::integer;
  event_at timestamptz := (input->>'at')::timestamptz;
  actor uuid := (input->>'actor_id')::uuid;
  pending uuid[];
BEGIN
  FOR audience IN SELECT * FROM jsonb_array_elements(input->'audiences') LOOP
    INSERT INTO notifications (request_id, seq, user_id, reason, subject, body)
    SELECT request, event_seq, u.id, audience->>'reason', audience->>'subject', audience->>'body'
    FROM users u
    WHERE u.email IS NOT NULL
      AND u.id IS DISTINCT FROM actor
      AND (
        u.id::text IN (SELECT jsonb_array_elements_text(audience->'user_ids'))
        OR (
          u.role IN (SELECT jsonb_array_elements_text(audience->'roles'))
          AND (audience->>'country' IS NULL OR u.country = audience->>'country')
          AND (u.role <> 'chair' OR EXISTS (
            SELECT 1 FROM chair_terms t WHERE t.user_id = u.id AND t.starts_at <= event_at AND t.ends_at > event_at
          ))
        )
      )
    ORDER BY u.name
    ON CONFLICT (request_id, seq, user_id) DO NOTHING;
  END LOOP;
  SELECT coalesce(array_agg(id ORDER BY created_at), '{}') INTO pending
  FROM notifications WHERE request_id = request AND seq = event_seq AND status = 'pending';
  RETURN pending;
END
$$;
