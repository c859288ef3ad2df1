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
 * ts_headline re-parses the text it is given with the Dutch dictionaries (about 0.07 ms per 1,000
 * characters on the bench machine), so only the page's rows get a snippet and ts_headline only sees a
 * window of their text around the first match. A regular expression finds that match: a word that starts
 * with one of the query's lexemes (Dutch stems are prefixes of the word; the stemmer undoubles a vowel,
 * "loon" → "lon", and the index folds accents, so the pattern allows both). When no window marks a hit
 * (the word is only in the title, or a word with the same beginning came first), the summary is shown.
 */
const SNIPPET_LOCATE_CHARS = 20_000;
const SNIPPET_BEFORE_CHARS = 150;
const SNIPPET_WINDOW_CHARS = 450;
/** How a letter of a lexeme may appear in the text (case is ignored for ASCII by the "i" flag). */
const LETTER_PATTERNS: [string, string][] = [
  ["a", "[aàáâäÀÁÂÄ]{1,2}"],
  ["e", "[eèéêëÈÉÊË]{1,2}"],
  ["i", "[iìíîïÌÍÎÏ]"],
  ["o", "[oòóôöÒÓÔÖ]{1,2}"],
  ["u", "[uùúûüÙÚÛÜ]{1,2}"],
  ["y", "[yýÿÝ]"],
  ["c", "[cçÇ]"],
  ["n", "[nñÑ]"],
];
/** A lexeme as a regular expression: letters and digits only (terms.ts), each letter as above. */
const LEXEME_PATTERN = LETTER_PATTERNS.reduce(
  (sql, [letter, pattern]) => Prisma.sql`replace(${sql}, ${letter}, ${pattern})`,
  Prisma.sql`regexp_replace(lexeme, '[^[:alnum:]]', '', 'g')`,
);
/** Regular expressions with backslashes, kept out of the template literals ("\m": start of a word). */
const WORD_START = Prisma.raw(String.raw`'\m('`);
const LEADING_PARTIAL_WORD = Prisma.raw(String.raw`'^\S*\s+'`);
const TRAILING_PARTIAL_WORD = Prisma.raw(String.raw`'\s+\S*$'`);
/** Age in days at which a post's recency bonus has halved (see `score` in searchSql). */
const POST_RECENCY_HALF_LIFE_DAYS = 30;
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
  const allFilters = Prisma.sql`${f.theme} AND ${f.department} AND ${f.validity} AND ${f.year}`;
  // An IMMUTABLE call with constant arguments: PostgreSQL folds it into a constant while planning, so it is
  // parsed once per statement and the planner estimates the match count from the column statistics
  // (a tsquery from a CTE left it guessing 44 rows for 8,000 matches).
  const tsquery = Prisma.sql`to_tsquery(${CONFIG}, ${tsqueryText(terms)})`;
  // Archived and superseded win over dates, as in app/modules/circulars/validity.ts.
  const validity = Prisma.sql`CASE
      WHEN d."status" = 'archived' THEN 'archived'
      WHEN d."supersededFrom" <= ${today}::date THEN 'superseded'
      WHEN d."validFrom" > ${today}::date THEN 'not_yet_valid'
      WHEN d."validUntil" < ${today}::date THEN 'expired'
      ELSE 'valid' END`;
  const match = hasText
    ? Prisma.sql`(d."searchVector" @@ ${tsquery} OR d."meta" ->> 'number' = ${number})`
    : number
      ? Prisma.sql`d."meta" ->> 'number' = ${number}`
      : Prisma.sql`TRUE`;
  const rank = Prisma.sql`ts_rank(d."searchVector", ${tsquery})`;
  // Posts: a fresh post weighs up to twice its text score, halving with every POST_RECENCY_HALF_LIFE_DAYS
  // of age (news goes stale, a circular does not). Other types keep exactly the score they always had.
  const ageDays = Prisma.sql`greatest(0, extract(epoch FROM (${query.today.toISOString()}::timestamp - d."sortDate")) / 86400.0)::float8`;
  const score = hasText
    ? Prisma.sql`CASE WHEN d."type" = 'post'
        THEN ${rank} * (1 + power(0.5::float8, ${ageDays} / ${Prisma.raw(String(POST_RECENCY_HALF_LIFE_DAYS))}))
        ELSE ${rank} + CASE WHEN d."meta" ->> 'number' = ${number} THEN 10 ELSE 0 END END`
    : Prisma.sql`0`;
  // What is in force comes first, whatever the text score: a superseded circular below its successor.
  const bucket = Prisma.sql`CASE validity WHEN 'valid' THEN 0 WHEN 'not_yet_valid' THEN 1 WHEN 'expired' THEN 2
      WHEN 'superseded' THEN 3 ELSE 4 END`;
  // Snippets for the page's rows only: ts_headline over a window around the first match (see above).
  // OFFSET 0 keeps PostgreSQL from inlining a subquery, which would evaluate its expensive column again
  // for every reference (ts_headline twice per row).
  const windowStart = Prisma.sql`greatest(1, l.at - ${SNIPPET_BEFORE_CHARS})`;
  const snippet = hasText
    ? Prisma.sql`(SELECT CASE WHEN strpos(h.marked, ${MARK_START}) > 0 THEN h.marked END FROM (
        SELECT CASE WHEN l.at > 0 THEN ts_headline(${CONFIG},
          -- A window cut inside a word must not show half of it.
          regexp_replace(regexp_replace(substr(l.text, ${windowStart}, ${SNIPPET_WINDOW_CHARS}),
            CASE WHEN ${windowStart} > 1 THEN ${LEADING_PARTIAL_WORD} ELSE '^$' END, ''),
            CASE WHEN ${windowStart} + ${SNIPPET_WINDOW_CHARS} <= length(l.text) THEN ${TRAILING_PARTIAL_WORD}
              ELSE '^$' END, ''),
          q.query, ${HEADLINE_OPTIONS}) END AS marked
        FROM (
          SELECT s.text, regexp_instr(s.text, q.pattern, 1, 1, 0, 'i') AS at
          FROM (SELECT left(concat_ws(' ', d."summary", left(d."body", ${SNIPPET_LOCATE_CHARS}),
            left(d."attachmentText", ${SNIPPET_LOCATE_CHARS})), ${SNIPPET_LOCATE_CHARS}) AS text) s
          OFFSET 0) l
        OFFSET 0) h)`
    : Prisma.sql`NULL`;
  // The lexemes of the query as a regular expression, for the snippet window.
  const pattern = hasText
    ? Prisma.sql`(SELECT ${WORD_START} || string_agg(${LEXEME_PATTERN}, '|') || ')'
        FROM unnest(tsvector_to_array(to_tsvector(${CONFIG}, ${terms.join(" ")}))) AS lexeme)`
    : Prisma.sql`NULL`;
  return Prisma.sql`
    WITH q AS (SELECT ${hasText ? tsquery : Prisma.sql`NULL::tsquery`} AS query, ${pattern} AS pattern),
    -- Every visible match once, with what ranking, filters and facets need (the wide columns stay behind).
    base AS MATERIALIZED (
      SELECT d."id", d."themes", d."departmentId", d."year", d."sortDate", ${validity} AS validity, ${score} AS score
      FROM "SearchDocument" d
      WHERE ${visibilitySql(query.visibility)} AND ${match}
    ),
    -- One pass counts the matches per combination of facet values; the total and the four facets (each
    -- without its own filter) are sums over these few hundred groups instead of four passes over base.
    groups AS MATERIALIZED (
      SELECT validity, "themes", "departmentId", "year", count(*)::int AS n FROM base GROUP BY 1, 2, 3, 4
    ),
    -- A plain ORDER BY … LIMIT lets PostgreSQL keep only the top rows (top-N heapsort) instead of sorting all.
    page AS (
      SELECT id, validity, ${bucket} AS bucket, score, "sortDate" FROM base
      WHERE ${allFilters}
      ORDER BY bucket, score DESC, "sortDate" DESC, id LIMIT ${query.limit} OFFSET ${query.offset}
    )
    SELECT json_build_object(
      'total', (SELECT COALESCE(sum(n), 0)::int FROM groups WHERE ${allFilters}),
      'hits', COALESCE((
        SELECT json_agg(json_build_object(
          'id', d."id", 'type', d."type", 'sourceId', d."sourceId", 'title', d."title", 'url', d."url",
          'meta', d."meta", 'validity', p.validity, 'validFrom', d."validFrom", 'validUntil', d."validUntil",
          'themes', d."themes", 'departmentId', d."departmentId", 'year', d."year", 'sortDate', d."sortDate",
          'summary', d."summary", 'marked', ${snippet}
        ) ORDER BY p.bucket, p.score DESC, p."sortDate" DESC, p.id)
        FROM page p JOIN "SearchDocument" d ON d."id" = p.id, q), '[]'::json),
      'themes', COALESCE((SELECT json_agg(json_build_object('value', value, 'count', n) ORDER BY n DESC, value)
        FROM (SELECT unnest("themes") AS value, sum(n)::int AS n FROM groups
              WHERE ${f.department} AND ${f.validity} AND ${f.year} GROUP BY 1) x), '[]'::json),
      'departments', COALESCE((SELECT json_agg(json_build_object('value', value, 'count', n) ORDER BY n DESC, value)
        FROM (SELECT "departmentId" AS value, sum(n)::int AS n FROM groups
              WHERE "departmentId" IS NOT NULL AND ${f.theme} AND ${f.validity} AND ${f.year} GROUP BY 1) x), '[]'::json),
      'validity', COALESCE((SELECT json_agg(json_build_object('value', value, 'count', n))
        FROM (SELECT validity AS value, sum(n)::int AS n FROM groups
              WHERE ${f.theme} AND ${f.department} AND ${f.year} GROUP BY 1) x), '[]'::json),
      'years', COALESCE((SELECT json_agg(json_build_object('value', value, 'count', n) ORDER BY value DESC)
        FROM (SELECT "year" AS value, sum(n)::int AS n FROM groups
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
      // count(*), not EXISTS: for EXISTS PostgreSQL expects a match after a few rows and scans the table
      // (or the type index) in order, which reads every row for a word that no row contains, the very case
      // handled here (bench: 15-27 ms per word); a count goes through the GIN index (0.2 ms).
      const known = await tx.$queryRaw<{ known: boolean }[]>`
        SELECT numnode(q.query) = 0 OR (
          SELECT count(*) FROM "SearchDocument" d WHERE ${visible} AND d."searchVector" @@ q.query) > 0 AS known
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
