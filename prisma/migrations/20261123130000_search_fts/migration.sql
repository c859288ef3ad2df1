-- Hand-written (no model changes): PostgreSQL full-text search over "SearchDocument".
-- See search/README.md for how the engine uses these objects.

CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

-- Dutch stemming with accents folded first, so "financien" finds "financiën" and "reeel" finds "reëel".
-- A text search configuration (rather than unaccent() around the text) keeps to_tsvector/to_tsquery
-- immutable and lets ts_headline mark the accented words of the original text.
CREATE TEXT SEARCH CONFIGURATION public."werkplek_dutch" (COPY = pg_catalog.dutch);
ALTER TEXT SEARCH CONFIGURATION public."werkplek_dutch"
  ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, pg_catalog.dutch_stem;

-- unaccent() itself is only STABLE (it looks its dictionary up by name); this wrapper names the dictionary
-- and function with their schema so it may be declared IMMUTABLE and used in the trigram index below
-- (index builds run with a search_path of pg_catalog only on PostgreSQL 17, which PGlite is).
CREATE OR REPLACE FUNCTION public."search_fold"(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT lower(public.unaccent('public.unaccent'::regdictionary, input))
$$;

-- The weighted vector: title A, summary B, body C, attachment text D. Recomputed only when one of those
-- columns changes, so audience or validity updates do not pay for a re-parse.
CREATE OR REPLACE FUNCTION "search_document_vector"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchVector" :=
    setweight(to_tsvector('public.werkplek_dutch', coalesce(NEW."title", '')), 'A') ||
    setweight(to_tsvector('public.werkplek_dutch', coalesce(NEW."summary", '')), 'B') ||
    setweight(to_tsvector('public.werkplek_dutch', coalesce(NEW."body", '')), 'C') ||
    setweight(to_tsvector('public.werkplek_dutch', coalesce(NEW."attachmentText", '')), 'D');
  RETURN NEW;
END;
$$;

CREATE TRIGGER "SearchDocument_vector"
BEFORE INSERT OR UPDATE OF "title", "summary", "body", "attachmentText" ON "SearchDocument"
FOR EACH ROW EXECUTE FUNCTION "search_document_vector"();

-- Full-text matches.
CREATE INDEX "SearchDocument_searchVector_idx" ON "SearchDocument" USING GIN ("searchVector");
-- Typo tolerance: words of titles and summaries similar to an unknown query word ("circulire").
CREATE INDEX "SearchDocument_titleSummary_trgm_idx" ON "SearchDocument"
  USING GIN (public."search_fold"("title" || ' ' || "summary") public.gin_trgm_ops);
-- Visibility and facet filters.
CREATE INDEX "SearchDocument_audience_idx" ON "SearchDocument" USING GIN ("audience");
CREATE INDEX "SearchDocument_themes_idx" ON "SearchDocument" USING GIN ("themes");
-- A query that is a circular number ("2025/017") finds that circular directly.
CREATE INDEX "SearchDocument_number_idx" ON "SearchDocument" (("meta" ->> 'number'));
-- Browsing without a query: newest first.
CREATE INDEX "SearchDocument_type_sortDate_idx" ON "SearchDocument" ("type", "sortDate" DESC);

-- Keep the search vector in the row itself: ranking reads it for every match, and fetching it from the
-- TOAST table for each of thousands of matches doubled the time of broad queries (bench/search.ts). Rows
-- are only toasted above 8160 bytes, and then the body and attachment text go first.
ALTER TABLE "SearchDocument" SET (toast_tuple_target = 8160);
ALTER TABLE "SearchDocument" ALTER COLUMN "searchVector" SET STORAGE MAIN;

-- Documents indexed before this migration get their vector now.
UPDATE "SearchDocument" SET "title" = "title";
