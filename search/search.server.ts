/**
 * Search for readers: resolves who may see what (the circulars' and the stream's policies, the directory
 * permission), asks the configured engine and labels the facets. The API route and the /circulaires page
 * call `searchDocuments`; /zoeken calls `searchEveryType`.
 */
import { z } from "zod";
import { prisma } from "~/db.server";
import { type Locale } from "~/i18n/config";
import { audienceKeysOf, canManageCirculars, type Reader } from "~/modules/circulars/policy.server";
import { brusselsDay, type Validity } from "~/modules/circulars/validity";
import { hasPermission } from "~/modules/identity/permissions";
import { personPath, topicPath } from "~/modules/stream/content";
import { streamKeysOf, streamReaderOf, type StreamReader } from "~/modules/stream/policy.server";
import { DEFAULT_SEARCH_TYPES } from "./document-types";
import { getSearchEngine } from "./engine.server";
import { type SearchParams } from "./params";
import { SEARCH_TYPES, type SearchType } from "./queue.server";
import { DEFAULT_VALIDITIES, type EngineHit, type TypeVisibility } from "./types";

/** A reader whose place memberships may already be loaded (posts of closed and secret places need them). */
export type SearchReader = Reader & { placeIds?: readonly string[] };

/**
 * What a reader may find, per document type. Every type's own policy decides; none is open by default.
 * Posts: the reader's stream keys (app/modules/stream/policy.server.ts); without loaded memberships, only
 * what needs no membership. People: everyone who may read the directory.
 */
export function visibilityFor(reader: SearchReader, types: readonly SearchType[]): TypeVisibility[] {
  return types.map((type) => {
    switch (type) {
      case "circular":
        return { type, audienceKeys: canManageCirculars(reader) ? null : audienceKeysOf(reader) };
      case "post":
        return { type, audienceKeys: streamKeysOf({ ...reader, placeIds: reader.placeIds ?? [] }) };
      case "person":
        return { type, audienceKeys: hasPermission(reader, "read:directory") ? audienceKeysOf(reader) : [] };
    }
  });
}

/** The reader with their memberships, loaded only when posts are searched (one query). */
async function withMemberships(reader: SearchReader, types: readonly SearchType[]): Promise<SearchReader> {
  if (reader.placeIds || !types.includes("post")) return reader;
  const streamReader: StreamReader = await streamReaderOf(reader);
  return streamReader;
}

const PostMetaSchema = z.object({
  kind: z.enum(["post", "announcement"]),
  author: z.object({ id: z.string(), name: z.string() }),
  place: z
    .object({
      name: z.string(),
      kind: z.enum(["group", "project"]),
      url: z.string(),
      archived: z.boolean(),
    })
    .nullable(),
  topics: z.array(z.object({ slug: z.string(), name: z.string() })),
});

const PersonMetaSchema = z.object({
  jobTitle: z.string().nullable(),
  unit: z.string().nullable(),
  department: z.string().nullable(),
  expertise: z.array(z.string()),
  avatarUrl: z.string().nullable(),
  initials: z.string(),
  isFieldWorker: z.boolean(),
});

/** A post's facts in a result: who wrote it, where, and its topics. */
export type PostResultFacts = {
  kind: "post" | "announcement";
  author: { id: string; name: string; url: string };
  place: { name: string; kind: "group" | "project"; url: string; archived: boolean } | null;
  topics: { slug: string; name: string; url: string }[];
};

/** A colleague's facts in a result (never contact data: the index has none). */
export type PersonResultFacts = z.infer<typeof PersonMetaSchema>;

function postFactsOf(hit: EngineHit): PostResultFacts | null {
  if (hit.type !== "post") return null;
  const meta = PostMetaSchema.safeParse(hit.meta);
  if (!meta.success) return null;
  return {
    ...meta.data,
    author: { ...meta.data.author, url: personPath(meta.data.author.id) },
    topics: meta.data.topics.map((topic) => ({ ...topic, url: topicPath(topic.slug) })),
  };
}

function personFactsOf(hit: EngineHit): PersonResultFacts | null {
  if (hit.type !== "person") return null;
  const meta = PersonMetaSchema.safeParse(hit.meta);
  return meta.success ? meta.data : null;
}

export type FacetOption<K extends string | number = string> = {
  value: K;
  label: string;
  count: number;
  selected: boolean;
};

export type SearchResultItem = {
  type: SearchType;
  /** Id of the source (the circular). */
  id: string;
  title: string;
  url: string;
  /** HTML: escaped text with <mark> around the matched words. */
  snippet: string;
  number: string | null;
  validity: Validity;
  validFrom: string | null;
  validUntil: string | null;
  supersededBy: string | null;
  department: { id: string; name: string } | null;
  themes: { slug: string; name: string }[];
  year: number | null;
  publishedAt: string;
  /** Posts only: author, place and topics. */
  post: PostResultFacts | null;
  /** People only: job, unit, department, expertise and photo. */
  person: PersonResultFacts | null;
};

export type SearchResponse = {
  query: string;
  /** Set when the words as typed found nothing and the results are for corrected words. */
  correctedQuery: string | null;
  total: number;
  limit: number;
  offset: number;
  /** The validities shown (all of them with include=all). */
  validities: Validity[] | null;
  results: SearchResultItem[];
  facets: {
    themes: FacetOption[];
    departments: FacetOption[];
    validity: FacetOption<Validity>[];
    years: FacetOption<number>[];
  };
};

/** The validities a query shows: chosen ones, all of them (include=all) or what is in force. */
export function validitiesOf(params: SearchParams): Validity[] | null {
  if (params.validity.length) return params.validity;
  if (params.include === "all") return null;
  return [...DEFAULT_VALIDITIES];
}

export type SearchOptions = { locale: Locale; validityLabel: (validity: Validity) => string; now?: Date };

/**
 * Runs a search for a reader. `validityLabel` names a validity in the reader's language. Without `type`,
 * circulars only (DEFAULT_SEARCH_TYPES): posts and people are searched when asked for by name.
 */
export async function searchDocuments(
  reader: SearchReader,
  params: SearchParams,
  options: SearchOptions,
): Promise<SearchResponse> {
  const types = params.type.length ? params.type : [...DEFAULT_SEARCH_TYPES];
  const validities = validitiesOf(params);
  const searcher = await withMemberships(reader, types);
  const result = await getSearchEngine().search({
    text: params.q,
    visibility: visibilityFor(searcher, types),
    themes: params.theme,
    departments: params.department,
    validities,
    years: params.year,
    limit: params.limit,
    offset: params.offset,
    today: brusselsDay(options.now ?? new Date()),
  });

  const themeSlugs = new Set([
    ...result.facets.themes.map((f) => f.value),
    ...result.hits.flatMap((h) => h.themes),
    ...params.theme,
  ]);
  const departmentIds = new Set([
    ...result.facets.departments.map((f) => f.value),
    ...result.hits.flatMap((h) => (h.departmentId ? [h.departmentId] : [])),
    ...params.department,
  ]);
  const [themes, departments] = await Promise.all([
    prisma.theme.findMany({
      where: { slug: { in: [...themeSlugs] } },
      select: { slug: true, nameNl: true, nameEn: true },
    }),
    prisma.department.findMany({
      where: { id: { in: [...departmentIds] } },
      select: { id: true, name: true },
    }),
  ]);
  const themeName = new Map(themes.map((t) => [t.slug, options.locale === "en" ? t.nameEn : t.nameNl]));
  const departmentName = new Map(departments.map((d) => [d.id, d.name]));

  /** Facet options with the selected values kept even when nothing matches them now (so they can be unticked). */
  function options_<K extends string | number>(
    counts: { value: K; count: number }[],
    selected: readonly K[],
    label: (value: K) => string | undefined,
  ): FacetOption<K>[] {
    const all = [...counts];
    for (const value of selected) if (!all.some((c) => c.value === value)) all.push({ value, count: 0 });
    return all.flatMap((c) => {
      const name = label(c.value);
      return name === undefined
        ? []
        : [{ value: c.value, label: name, count: c.count, selected: selected.includes(c.value) }];
    });
  }

  const toItem = (hit: EngineHit): SearchResultItem => ({
    type: hit.type,
    id: hit.sourceId,
    title: hit.title,
    url: hit.url,
    snippet: hit.snippet,
    number: typeof hit.meta.number === "string" ? hit.meta.number : null,
    validity: hit.validity,
    validFrom: hit.validFrom,
    validUntil: hit.validUntil,
    supersededBy: typeof hit.meta.supersededBy === "string" ? hit.meta.supersededBy : null,
    department: hit.departmentId
      ? { id: hit.departmentId, name: departmentName.get(hit.departmentId) ?? "" }
      : null,
    themes: hit.themes.map((slug) => ({ slug, name: themeName.get(slug) ?? slug })),
    year: hit.year,
    publishedAt: typeof hit.meta.publishedAt === "string" ? hit.meta.publishedAt : hit.sortDate,
    post: postFactsOf(hit),
    person: personFactsOf(hit),
  });

  return {
    query: params.q,
    correctedQuery: result.correctedText,
    total: result.total,
    limit: params.limit,
    offset: params.offset,
    validities,
    results: result.hits.map(toItem),
    facets: {
      themes: options_(result.facets.themes, params.theme, (slug) => themeName.get(slug)),
      departments: options_(result.facets.departments, params.department, (id) => departmentName.get(id)),
      validity: options_(result.facets.validity, params.validity, options.validityLabel).sort(
        (a, b) => VALIDITY_ORDER.indexOf(a.value) - VALIDITY_ORDER.indexOf(b.value),
      ),
      years: options_(result.facets.years, params.year, (year) => String(year)),
    },
  };
}

const VALIDITY_ORDER: readonly Validity[] = ["valid", "not_yet_valid", "expired", "superseded", "archived"];

/**
 * The site-wide search (/zoeken): one search per type, so each type has its own count and ranking; the
 * reader's memberships are loaded once for all three. `limits` sets how many results each type returns.
 */
export async function searchEveryType(
  reader: Reader,
  params: SearchParams,
  limits: Record<SearchType, { limit: number; offset: number }>,
  options: SearchOptions,
): Promise<Record<SearchType, SearchResponse>> {
  const searcher = await withMemberships(reader, SEARCH_TYPES);
  const entries: [SearchType, SearchResponse][] = [];
  // One after the other: the queries are short, and the embedded database serves one statement at a time.
  for (const type of SEARCH_TYPES) {
    entries.push([
      type,
      await searchDocuments(searcher, { ...params, type: [type], ...limits[type] }, options),
    ]);
  }
  return Object.fromEntries(entries) as Record<SearchType, SearchResponse>;
}
