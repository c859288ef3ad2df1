-- Hand-written (no model changes): storage of "SearchDocument" for faster searches. See search/README.md.
--
-- A search reads the row of every visible match (visibility, validity, facets, the weighted vector for
-- ts_rank). With the body and attachment text inline, a row took about 5.5 KB (one row per 8 KB page),
-- so a word found in 8,000 of 10,000 circulars touched 9,000 pages. The long texts now always live in
-- the TOAST table: a search fetches them only for the page's snippets. The vector stays inline and
-- uncompressed (STORAGE MAIN, 20261123130000_search_fts): a toast_tuple_target of 4000 bytes moves the
-- body out before PostgreSQL would consider compressing the vector, and rows are now about 2.5 KB.
ALTER TABLE "SearchDocument"
  ALTER COLUMN "body" SET STORAGE EXTERNAL,
  ALTER COLUMN "attachmentText" SET STORAGE EXTERNAL;
ALTER TABLE "SearchDocument" SET (toast_tuple_target = 4000);

-- Rows written before this migration move their texts out on their next update; do it now. Updating a
-- column the vector trigger does not watch rewrites the row without re-parsing the texts.
UPDATE "SearchDocument" SET "indexedAt" = "indexedAt";
