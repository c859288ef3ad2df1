/**
 * The default engine: PostgreSQL full text over "SearchDocument" (migration 20261123130000_search_fts).
 * Dutch stemming with accents folded ("werkplek_dutch"), weights title A > summary B > body C >
 * attachments D, the last word as a prefix for search-as-you-type, typo correction from the words of the
 * titles and summaries the reader may see (pg_trgm), and snippets from ts_headline. One statement answers
 * hits, total and all facets, so a query is one round trip.
 */
import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { type Validity } from "~/modules/circulars/validity";
import { type SearchType } from "./queue.server";
import { MARK_END, MARK_START, markedToHtml } from "./snippet";
import { circularNumberQuery, MIN_PREFIX_LENGTH, searchTerms } from "./terms";
import {
  type EngineFacets,
  type EngineHit,
  type EngineQuery,
  type EngineResult,
  type SearchEngine,
  type TypeVisibility,
} from "./types";

const CONFIG = Prisma.raw(`'public.werkplek_dutch'::regconfig`);
const HEADLINE_OPTIONS = [
  `StartSel=${MARK_START}`,
  `StopSel=${MARK_END}`,
  "MaxWords=28",
  "MinWords=12",
  "ShortWord=2",
  "MaxFragments=1",
  `FragmentDelimiter=" … "`,
].join(", ");
/**
 * ts_headline re-parses the text it is given, which dominated query time with long bodies (bench: 25 of
 * 33 ms for 20 hits with the whole body). The snippet comes from the first characters; a match further down still ranks the
 * document, its snippet then shows the start.
 */
const HEADLINE_CHARS = 4000;
/** Similarity a replacement word needs before a typo is corrected to it. */
const CORRECTION_MIN_SIMILARITY = 0.5;

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function visibilitySql(visibility: TypeVisibility[]): Prisma.Sql {
  if (visibility.length === 0) return Prisma.sql`FALSE`;
  return Prisma.join(
    visibility.map((v) =>
      v.audienceKeys === null
        ? Prisma.sql`(d."type" = ${v.type})`
        : Prisma.sql`(d."type" = ${v.type} AND d."audience" && ${v.audienceKeys}::text[])`,
    ),
    " OR ",
    "(",
    ")",
  );
}

/** "medewerkers thuisw" → "medewerkers & thuisw:*" (terms are letters and digits only, see terms.ts). */
function tsqueryText(terms: string[]): string {
  return terms
    .map((term, index) =>
      index === terms.length - 1 && term.length >= MIN_PREFIX_LENGTH ? `${term}:*` : term,
    )
    .join(" & ");
}

type Filters = { theme: Prisma.Sql; department: Prisma.Sql; validity: Prisma.Sql; year: Prisma.Sql };

function filtersOf(query: EngineQuery): Filters {
  return {
    theme: query.themes.length ? Prisma.sql`"themes" && ${query.themes}::text[]` : Prisma.sql`TRUE`,
    department: query.departments.length
      ? Prisma.sql`"departmentId" = ANY(${query.departments}::text[])`
      : Prisma.sql`TRUE`,
    validity: query.validities ? Prisma.sql`validity = ANY(${query.validities}::text[])` : Prisma.sql`TRUE`,
    year: query.years.length ? Prisma.sql`"year" = ANY(${query.years}::int[])` : Prisma.sql`TRUE`,
  };
}

type RawResult = {
  total: number;
  hits: (Omit<EngineHit, "snippet"> & { marked: string | null; summary: string })[];
  themes: { value: string; count: number }[];
  departments: { value: string; count: number }[];
  validity: { value: Validity; count: number }[];
  years: { value: number; count: number }[];
};

function searchSql(query: EngineQuery, terms: string[]): Prisma.Sql {
  const today = day(query.today);
  const hasText = terms.length > 0;
  const number = circularNumberQuery(query.text);
  const f = filtersOf(query);
  // Archived and superseded win over dates, as in app/modules/circulars/validity.ts.
  const validity = Prisma.sql`CASE
      WHEN d."status" = 'archived' THEN 'archived'
      WHEN d."supersededFrom" <= ${today}::date THEN 'superseded'
      WHEN d."validFrom" > ${today}::date THEN 'not_yet_valid'
      WHEN d."validUntil" < ${today}::date THEN 'expired'
      ELSE 'valid' END`;
  const match = hasText
    ? Prisma.sql`(d."searchVector" @@ q.query OR d."meta" ->> 'number' = ${number})`
    : number
      ? Prisma.sql`d."meta" ->> 'number' = ${number}`
      : Prisma.sql`TRUE`;
  const score = hasText
    ? Prisma.sql`ts_rank(d."searchVector", q.query) + CASE WHEN d."meta" ->> 'number' = ${number} THEN 10 ELSE 0 END`
    : Prisma.sql`0`;
  // What is in force comes first, whatever the text score: a superseded circular below its successor.
  const bucket = Prisma.sql`CASE validity WHEN 'valid' THEN 0 WHEN 'not_yet_valid' THEN 1 WHEN 'expired' THEN 2
      WHEN 'superseded' THEN 3 ELSE 4 END`;
  const snippet = hasText
    ? Prisma.sql`ts_headline(${CONFIG}, left(concat_ws(' ', d."summary", d."body", d."attachmentText"), ${HEADLINE_CHARS}), q.query, ${HEADLINE_OPTIONS})`
    : Prisma.sql`NULL`;
  return Prisma.sql`
    WITH q AS (SELECT to_tsquery(${CONFIG}, ${tsqueryText(terms)}) AS query),
    base AS MATERIALIZED (
      SELECT d."id", d."themes", d."departmentId", d."year", d."sortDate", ${validity} AS validity, ${score} AS score
      FROM "SearchDocument" d, q
      WHERE ${visibilitySql(query.visibility)} AND ${match}
    ),
    hits AS (
      SELECT *, ${bucket} AS bucket FROM base
      WHERE ${f.theme} AND ${f.department} AND ${f.validity} AND ${f.year}
    ),
    -- A plain ORDER BY … LIMIT lets PostgreSQL keep only the top rows (top-N heapsort) instead of sorting all.
    page AS (
      SELECT id, validity, bucket, score, "sortDate" FROM hits
      ORDER BY bucket, score DESC, "sortDate" DESC, id LIMIT ${query.limit} OFFSET ${query.offset}
    )
    SELECT json_build_object(
      'total', (SELECT count(*) FROM hits),
      'hits', COALESCE((
        SELECT json_agg(json_build_object(
          'id', d."id", 'type', d."type", 'sourceId', d."sourceId", 'title', d."title", 'url', d."url",
          'meta', d."meta", 'validity', p.validity, 'validFrom', d."validFrom", 'validUntil', d."validUntil",
          'themes', d."themes", 'departmentId', d."departmentId", 'year', d."year", 'sortDate', d."sortDate",
          'summary', d."summary", 'marked', ${snippet}
        ) ORDER BY p.bucket, p.score DESC, p."sortDate" DESC, p.id)
        FROM page p JOIN "SearchDocument" d ON d."id" = p.id, q), '[]'::json),
      'themes', COALESCE((SELECT json_agg(json_build_object('value', value, 'count', n) ORDER BY n DESC, value)
        FROM (SELECT unnest("themes") AS value, count(*) AS n FROM base
              WHERE ${f.department} AND ${f.validity} AND ${f.year} GROUP BY 1) x), '[]'::json),
      'departments', COALESCE((SELECT json_agg(json_build_object('value', value, 'count', n) ORDER BY n DESC, value)
        FROM (SELECT "departmentId" AS value, count(*) AS n FROM base
              WHERE "departmentId" IS NOT NULL AND ${f.theme} AND ${f.validity} AND ${f.year} GROUP BY 1) x), '[]'::json),
      'validity', COALESCE((SELECT json_agg(json_build_object('value', value, 'count', n))
        FROM (SELECT validity AS value, count(*) AS n FROM base
              WHERE ${f.theme} AND ${f.department} AND ${f.year} GROUP BY 1) x), '[]'::json),
      'years', COALESCE((SELECT json_agg(json_build_object('value', value, 'count', n) ORDER BY value DESC)
        FROM (SELECT "year" AS value, count(*) AS n FROM base
              WHERE "year" IS NOT NULL AND ${f.theme} AND ${f.department} AND ${f.validity} GROUP BY 1) x), '[]'::json)
    ) AS result`;
}

async function runQuery(query: EngineQuery, terms: string[]): Promise<RawResult> {
  const rows = await prisma.$queryRaw<{ result: RawResult }[]>(searchSql(query, terms));
  return rows[0]!.result;
}

/** The plan of a query as PostgreSQL runs it (bench/search.ts prints it). */
export async function explainSearch(query: EngineQuery): Promise<string> {
  const rows = await prisma.$queryRaw<{ "QUERY PLAN": string }[]>(
    Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${searchSql(query, searchTerms(query.text))}`,
  );
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

/** Terms that match nothing the reader may see, each with the closest word of a visible title or summary. */
async function corrections(query: EngineQuery, terms: string[]): Promise<Map<string, string>> {
  const visible = visibilitySql(query.visibility);
  const found = new Map<string, string>();
  await prisma.$transaction(async (tx) => {
    // A lower bar than pg_trgm's default 0.6: one wrong letter in a nine-letter word scores about 0.6.
    await tx.$executeRaw`SET LOCAL pg_trgm.word_similarity_threshold = 0.45`;
    for (const [index, term] of terms.entries()) {
      const prefix = index === terms.length - 1 && term.length >= MIN_PREFIX_LENGTH;
      const known = await tx.$queryRaw<{ known: boolean }[]>`
        SELECT numnode(q.query) = 0 OR EXISTS (
          SELECT 1 FROM "SearchDocument" d WHERE ${visible} AND d."searchVector" @@ q.query) AS known
        FROM (SELECT to_tsquery(${CONFIG}, ${prefix ? `${term}:*` : term}) AS query) q`;
      if (known[0]?.known || term.length < 4 || /^\d+$/.test(term)) continue;
      const best = await tx.$queryRaw<{ word: string; similarity: number }[]>`
        SELECT w.word, max(similarity(w.word, search_fold(${term}))) AS similarity
        FROM (
          SELECT search_fold(d."title" || ' ' || d."summary") AS text FROM "SearchDocument" d
          WHERE ${visible} AND search_fold(${term}) <% search_fold(d."title" || ' ' || d."summary")
          LIMIT 200
        ) c, LATERAL regexp_split_to_table(c.text, '[^[:alnum:]]+') AS w(word)
        WHERE length(w.word) >= 3
        GROUP BY w.word ORDER BY 2 DESC, count(*) DESC, w.word LIMIT 1`;
      const candidate = best[0];
      if (candidate && candidate.similarity >= CORRECTION_MIN_SIMILARITY && candidate.word !== term) {
        found.set(term, candidate.word);
      }
    }
  });
  return found;
}

function toResult(raw: RawResult, correctedText: string | null): EngineResult {
  const facets: EngineFacets = {
    themes: raw.themes,
    departments: raw.departments,
    validity: raw.validity,
    years: raw.years,
  };
  return {
    total: Number(raw.total),
    facets,
    correctedText,
    hits: raw.hits.map(({ marked, summary, ...hit }) => ({
      ...hit,
      type: hit.type as SearchType,
      snippet: markedToHtml(marked ?? summary),
    })),
  };
}

/** The PostgreSQL engine. */
export const postgresEngine: SearchEngine = {
  name: "postgres",
  async search(query) {
    const terms = searchTerms(query.text);
    const raw = await runQuery(query, terms);
    if (Number(raw.total) > 0 || terms.length === 0) return toResult(raw, null);
    const replaced = await corrections(query, terms);
    if (replaced.size === 0) return toResult(raw, null);
    const corrected = terms.map((term) => replaced.get(term) ?? term);
    const retry = await runQuery({ ...query, text: corrected.join(" ") }, corrected);
    return toResult(retry, Number(retry.total) > 0 ? corrected.join(" ") : null);
  },
  // The SearchDocument table is this engine's index: the indexer has already written it.
  async sync() {},
  async prepareFullReindex() {},
};
