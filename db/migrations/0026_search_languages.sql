-- Full-text search in each request's own language, accents ignored (db/search-languages.ts). Until now every request
-- was read with 'simple' (no stemming, accents kept): "formations" missed "formation", "securite" missed "sécurité".
-- unaccent ships with Postgres (contrib; a trusted extension since Postgres 13): its dictionary takes the accents
-- off each word, then the language's Snowball stemmer reduces it. The dictionary, not the unaccent() function: a
-- configuration is what to_tsvector(regconfig, text) takes, and that stays immutable, as a generated column needs.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION french_unaccent ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION english_unaccent (COPY = english);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION english_unaccent ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
--> statement-breakpoint
-- The language is the submission's (the API takes it, the workflow keeps it with the rest of the submission);
-- requests submitted before it was asked are English. One ALTER: the table is rewritten once, whatever its size,
-- and every existing row gets its language and its new vector. Dropping the old vector drops its index.
ALTER TABLE "requests"
  DROP COLUMN "search_vector",
  ADD COLUMN "language" text GENERATED ALWAYS AS (coalesce(state #>> '{submission,language}', 'en')) STORED,
  ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector(case when state #>> '{submission,language}' = 'fr' then 'french_unaccent'::regconfig else 'english_unaccent'::regconfig end, search_document)) STORED;
--> statement-breakpoint
CREATE INDEX "requests_search_idx" ON "requests" USING gin ("search_vector");
