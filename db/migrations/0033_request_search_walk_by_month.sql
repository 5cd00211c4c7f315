-- Each language's index of the newest first leads with the month of submission (migration 0032): a search of the
-- recent months bounds its walk by the month alone, as the GIN index does. Bounded by the instant as well, the two
-- conditions on one fact made Postgres expect next to no matches, and read a common word's thousands from the GIN
-- index rather than walk a few rows (db/request-search.ts). The month only ever grows with the instant, so the
-- order is the same.
DROP INDEX "request_search_en_submitted_idx";--> statement-breakpoint
DROP INDEX "request_search_fr_submitted_idx";--> statement-breakpoint
CREATE INDEX "request_search_en_submitted_idx" ON "request_search" USING btree ("submitted_month" DESC NULLS LAST,"submitted_at" DESC NULLS LAST,"request_id" DESC NULLS LAST) WHERE search_vector_en is not null;--> statement-breakpoint
CREATE INDEX "request_search_fr_submitted_idx" ON "request_search" USING btree ("submitted_month" DESC NULLS LAST,"submitted_at" DESC NULLS LAST,"request_id" DESC NULLS LAST) WHERE search_vector_fr is not null;