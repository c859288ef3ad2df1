/**
 * Search for people: resolves who may see what (app/modules/circulars/policy.server.ts), asks the configured
 * engine and labels the facets. The API route and the /circulaires page both call `searchDocuments`.
 */
import { prisma } from "~/db.server";
import { type Locale } from "~/i18n/config";
import { audienceKeysOf, canManageCirculars, type Reader } from "~/modules/circulars/policy.server";
import { brusselsDay, type Validity } from "~/modules/circulars/validity";
import { getSearchEngine } from "./engine.server";
import { type SearchParams } from "./params";
import { SEARCH_TYPES, type SearchType } from "./queue.server";
import { DEFAULT_VALIDITIES, type EngineHit, type TypeVisibility } from "./types";

/** What a reader may find, per document type. Every type's own policy decides; none is open by default. */
export function visibilityFor(reader: Reader, types: readonly SearchType[]): TypeVisibility[] {
  return types.map((type) => {
    switch (type) {
      case "circular":
        return { type, audienceKeys: canManageCirculars(reader) ? null : audienceKeysOf(reader) };
    }
  });
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

/** Runs a search for a reader. `validityLabel` names a validity in the reader's language. */
export async function searchDocuments(
  reader: Reader,
  params: SearchParams,
  options: { locale: Locale; validityLabel: (validity: Validity) => string; now?: Date },
): Promise<SearchResponse> {
  const types = params.type.length ? params.type : [...SEARCH_TYPES];
  const validities = validitiesOf(params);
  const result = await getSearchEngine().search({
    text: params.q,
    visibility: visibilityFor(reader, types),
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
