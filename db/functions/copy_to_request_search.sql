-- copy_to_request_search(): the trigger (migrations 0028, 0030) that keeps a request's row of request_search as its
-- row of requests says: its search vector in its language's column, stemmed in that language with accents ignored
-- (migration 0026's configurations), and the columns a search filters and orders by. Every event rewrites the
-- request's row; the search row is written only when one of those changed, so most events cost the search table
-- nothing.
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
  INSERT INTO request_search (request_id, submitted_at, committee_visible, country, search_vector_en, search_vector_fr)
  VALUES (NEW.id, NEW.submitted_at, NEW.committee_visible, NEW.country,
          CASE WHEN NEW.language = 'en' THEN vector END, CASE WHEN NEW.language = 'fr' THEN vector END)
  ON CONFLICT (request_id) DO UPDATE SET
    submitted_at = excluded.submitted_at, committee_visible = excluded.committee_visible, country = excluded.country,
    search_vector_en = excluded.search_vector_en, search_vector_fr = excluded.search_vector_fr;
  RETURN NULL;
END;
$$;
