CREATE TABLE "document_erasures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sha256" char(64) NOT NULL,
	"request_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"erased_by_user_id" uuid NOT NULL,
	"erased_by_name" text NOT NULL,
	"erased_by_role" text NOT NULL,
	"reason" text NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "document_erasures_sha256_idx" ON "document_erasures" USING btree ("sha256","erased_at");--> statement-breakpoint
CREATE UNIQUE INDEX "document_erasures_document_key" ON "document_erasures" USING btree ("document_id");