ALTER TABLE "requests" ADD COLUMN "search_document" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', search_document)) STORED;--> statement-breakpoint
CREATE INDEX "requests_search_idx" ON "requests" USING gin ("search_vector");--> statement-breakpoint
-- Requests recorded before search: their title and description until their next event rewrites the document.
UPDATE "requests" SET "search_document" = "title" || ' ' || coalesce("state"->'submission'->>'description', '');
