-- A narrow table for full-text search (db/schema.ts, requestSearch; db/request-search.ts reads it). A search matched
-- the GIN index of requests, then read every match's row for its language and submission time, to sort them and keep
-- a page: each of the ~2,800 matches of a word in 0.3 % of 1,000,000 requests was a page of its own in a table far
-- larger than shared buffers (30 ms p99, bench/results/2026-12-07T07-54-16.json). Here a row holds the vector and the
-- five columns a search filters and orders by (about 450 bytes, 18 to a page), in the order of submission, with each
-- language's own indexes: a word that common has a page of matches among its language's newest few thousand rows,
-- which Postgres walks in order; a rarer word, or one country's matches, comes from the GIN index. The vector moves
-- here: requests no longer holds it.
--
-- btree_gin (contrib, a trusted extension since Postgres 13) puts the country in the GIN index beside the words.
CREATE EXTENSION IF NOT EXISTS btree_gin;
--> statement-breakpoint
CREATE TABLE "request_search" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"committee_visible" boolean NOT NULL,
	"country" char(2) NOT NULL,
	"language" text NOT NULL,
	"search_vector_en" "tsvector",
	"search_vector_fr" "tsvector"
);
--> statement-breakpoint
-- Whether to walk a language's newest rows or take the matches from its GIN index depends on how many of its requests
-- have the word: Postgres keeps statistics per column, so each language's vectors have a column of their own, the
-- others null ("frontieres", in half the requests, is in none of the English ones). With the default statistics
-- Postgres knows the frequency of the 1,000 most common words only and takes any other for half as rare as the least
-- of them: a word in one French request in 350 was counted at half its matches, and Postgres read its 1,400 matches
-- (10–25 ms) instead of walking 7,500 rows (2–4 ms). Ten times the sample keeps the 10,000 most common words.
ALTER TABLE "request_search" ALTER COLUMN "search_vector_en" SET STATISTICS 1000;
--> statement-breakpoint
ALTER TABLE "request_search" ALTER COLUMN "search_vector_fr" SET STATISTICS 1000;
--> statement-breakpoint
-- Postgres keeps the table as requests says (db/functions/copy_to_request_search.sql, its current definition). The
-- trigger comes before the copy: creating it locks requests against writes until this migration commits, so that no
-- write falls between the copy and the trigger.
CREATE OR REPLACE FUNCTION copy_to_request_search() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  vector tsvector;
BEGIN
  IF TG_OP = 'UPDATE'
     AND NEW.search_document IS NOT DISTINCT FROM OLD.search_document
     AND NEW.language IS NOT DISTINCT FROM OLD.language
     AND NEW.submitted_at IS NOT DISTINCT FROM OLD.submitted_at
     AND NEW.committee_visible IS NOT DISTINCT FROM OLD.committee_visible
     AND NEW.country IS NOT DISTINCT FROM OLD.country THEN
    RETURN NULL;
  END IF;
  vector := to_tsvector(CASE WHEN NEW.language = 'fr' THEN 'french_unaccent'::regconfig ELSE 'english_unaccent'::regconfig END,
                        NEW.search_document);
  INSERT INTO request_search (request_id, submitted_at, committee_visible, country, language, search_vector_en, search_vector_fr)
  VALUES (NEW.id, NEW.submitted_at, NEW.committee_visible, NEW.country, NEW.language,
          CASE WHEN NEW.language = 'en' THEN vector END, CASE WHEN NEW.language = 'fr' THEN vector END)
  ON CONFLICT (request_id) DO UPDATE SET
    submitted_at = excluded.submitted_at, committee_visible = excluded.committee_visible, country = excluded.country,
    language = excluded.language, search_vector_en = excluded.search_vector_en, search_vector_fr = excluded.search_vector_fr;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- The language and the vector derive from state and search_document.
CREATE TRIGGER "requests_copy_to_request_search"
  AFTER INSERT OR UPDATE OF search_document, state, submitted_at, committee_visible, country ON "requests"
  FOR EACH ROW EXECUTE FUNCTION copy_to_request_search();
--> statement-breakpoint
-- The requests recorded so far, in the order of submission, with the vectors migration 0026 computed (the same
-- configurations, by the same rule).
INSERT INTO "request_search" (request_id, submitted_at, committee_visible, country, language, search_vector_en, search_vector_fr)
  SELECT id, submitted_at, committee_visible, country, language,
         CASE WHEN language = 'en' THEN search_vector END, CASE WHEN language = 'fr' THEN search_vector END
    FROM "requests" ORDER BY submitted_at, id;
--> statement-breakpoint
-- The key and the indexes after the copy: checked and built once over all the rows instead of row by row.
ALTER TABLE "request_search" ADD CONSTRAINT "request_search_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "request_search_en_idx" ON "request_search" USING gin ("search_vector_en","country") WHERE language = 'en';
--> statement-breakpoint
CREATE INDEX "request_search_en_submitted_idx" ON "request_search" USING btree ("submitted_at" DESC NULLS LAST,"request_id" DESC NULLS LAST) WHERE language = 'en';
--> statement-breakpoint
CREATE INDEX "request_search_fr_idx" ON "request_search" USING gin ("search_vector_fr","country") WHERE language = 'fr';
--> statement-breakpoint
CREATE INDEX "request_search_fr_submitted_idx" ON "request_search" USING btree ("submitted_at" DESC NULLS LAST,"request_id" DESC NULLS LAST) WHERE language = 'fr';
--> statement-breakpoint
ANALYZE "request_search";
--> statement-breakpoint
-- Dropping the column drops its index, requests_search_idx.
ALTER TABLE "requests" DROP COLUMN "search_vector";
