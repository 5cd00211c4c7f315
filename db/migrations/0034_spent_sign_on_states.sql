-- Single sign-on callbacks answered once across every API instance: the hash of each state brought back, until its
-- attempt expires (hourly housekeeping deletes the expired).
CREATE TABLE "spent_sign_on_states" (
	"state_hash" char(64) PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "spent_sign_on_states_expiry_idx" ON "spent_sign_on_states" USING btree ("expires_at");