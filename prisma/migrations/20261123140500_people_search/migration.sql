-- Hand-written (no model changes): the people directory (/mensen) searches names accent-insensitively and
-- with typo tolerance, and filters on expertise tags whatever their case or accents. See
-- app/modules/people/directory.server.ts for the queries these indexes serve.

-- Names: word-prefix matches (a regex such as '(^|[^[:alnum:]])fatim') and similar words (word_similarity,
-- "<%") on the folded name.
-- search_fold() (20261123130000_search_fts) is lower(unaccent(...)), declared IMMUTABLE for indexes.
CREATE INDEX "User_displayName_fold_trgm_idx" ON "User"
  USING GIN (public."search_fold"("displayName") public.gin_trgm_ops);

-- Expertise tags are stored as people typed them ("GIS", "Excel"); the filter compares folded tags so
-- "Overheidsopdrachten" finds "overheidsopdrachten". The wrapper is IMMUTABLE because search_fold is.
CREATE OR REPLACE FUNCTION public."people_fold_tags"(tags text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(array_agg(public."search_fold"(tag)), '{}') FROM unnest(tags) AS tag
$$;

CREATE INDEX "User_expertise_idx" ON "User" USING GIN (public."people_fold_tags"("expertise"));
