/**
 * The Meilisearch engine, used when MEILI_URL is set. One index (`<prefix>_documents`) holds every document
 * type; its settings live in search/meilisearch/*.json and are applied by every full reindex.
 *
 * Meilisearch cannot compute "valid today" at query time, so documents carry their dates as day numbers
 * and each validity is a filter. Hits are fetched per validity, in the order valid → not yet valid →
 * expired → superseded → archived, which gives the same ranking rule as the PostgreSQL engine: what is in
 * force comes first, a superseded circular below its successor.
 */
import { Meilisearch, type MultiSearchQuery, type Settings } from "meilisearch";
import { getEnv } from "~/env.server";
import { type Validity } from "~/modules/circulars/validity";
import settingsFile from "./meilisearch/settings.json";
import stopWords from "./meilisearch/stop-words.json";
import synonyms from "./meilisearch/synonyms.json";
import { type SearchType } from "./queue.server";
import { MARK_END, MARK_START, markedToHtml } from "./snippet";
import { circularNumberQuery } from "./terms";
import {
  type EngineHit,
  type EngineQuery,
  type FacetCount,
  type IndexDocument,
  type SearchEngine,
  VALIDITIES,
} from "./types";

/** The settings the index gets at every full reindex. */
export const MEILI_SETTINGS = { ...settingsFile, stopWords, synonyms } as Settings;

const DAY_MS = 86_400_000;
/** Stand-in for "no date": Meilisearch filters cannot compare with null. */
const NO_END = 9_999_999;

type MeiliDocument = {
  id: string;
  docId: string;
  type: string;
  sourceId: string;
  number: string;
  title: string;
  summary: string;
  body: string;
  attachmentText: string;
  url: string;
  meta: Record<string, unknown>;
  audience: string[];
  themes: string[];
  departmentId: string | null;
  status: string;
  year: number | null;
  validFrom: string | null;
  validUntil: string | null;
  validFromDay: number;
  validUntilDay: number;
  supersededFromDay: number;
  sortDate: number;
};

const dayNumber = (date: Date) => Math.floor(date.getTime() / DAY_MS);
const isoDay = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);
/** Meilisearch ids allow letters, digits, - and _ only ("circular:abc" → "circular-abc"). */
const meiliId = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, "-");
const quote = (value: string) => `"${value.replace(/["\\]/g, "\\$&")}"`;

/** A SearchDocument as Meilisearch stores it. */
export function toMeiliDocument(doc: IndexDocument): MeiliDocument {
  return {
    id: meiliId(doc.id),
    docId: doc.id,
    type: doc.type,
    sourceId: doc.sourceId,
    number: typeof doc.meta.number === "string" ? doc.meta.number : "",
    title: doc.title,
    summary: doc.summary,
    body: doc.body,
    attachmentText: doc.attachmentText,
    url: doc.url,
    meta: doc.meta,
    audience: doc.audience,
    themes: doc.themes,
    departmentId: doc.departmentId,
    status: doc.status,
    year: doc.year,
    validFrom: isoDay(doc.validFrom),
    validUntil: isoDay(doc.validUntil),
    validFromDay: doc.validFrom ? dayNumber(doc.validFrom) : 0,
    validUntilDay: doc.validUntil ? dayNumber(doc.validUntil) : NO_END,
    supersededFromDay: doc.supersededFrom ? dayNumber(doc.supersededFrom) : NO_END,
    sortDate: doc.sortDate.getTime(),
  };
}

/** The filter for one validity on a day, mirroring app/modules/circulars/validity.ts. */
export function validityFilter(validity: Validity, today: Date): string {
  const t = dayNumber(today);
  const live = `status != archived AND supersededFromDay > ${t}`;
  switch (validity) {
    case "archived":
      return "status = archived";
    case "superseded":
      return `status != archived AND supersededFromDay <= ${t}`;
    case "not_yet_valid":
      return `${live} AND validFromDay > ${t}`;
    case "expired":
      return `${live} AND validFromDay <= ${t} AND validUntilDay < ${t}`;
    case "valid":
      return `${live} AND validFromDay <= ${t} AND validUntilDay >= ${t}`;
  }
}

type FacetName = "themes" | "departments" | "validity" | "years";

function filterParts(query: EngineQuery, without: FacetName | null): string[] {
  const parts: string[] = [];
  const visibility = query.visibility.map((v) =>
    v.audienceKeys === null
      ? `type = ${quote(v.type)}`
      : `(type = ${quote(v.type)} AND audience IN [${v.audienceKeys.map(quote).join(", ")}])`,
  );
  parts.push(visibility.length ? `(${visibility.join(" OR ")})` : `type = "-none-"`);
  if (without !== "themes" && query.themes.length)
    parts.push(`themes IN [${query.themes.map(quote).join(", ")}]`);
  if (without !== "departments" && query.departments.length)
    parts.push(`departmentId IN [${query.departments.map(quote).join(", ")}]`);
  if (without !== "years" && query.years.length) parts.push(`year IN [${query.years.join(", ")}]`);
  if (without !== "validity" && query.validities)
    parts.push(`(${query.validities.map((v) => `(${validityFilter(v, query.today)})`).join(" OR ")})`);
  return parts;
}

const joinFilter = (parts: string[]) => parts.join(" AND ");

function distribution(values: Record<string, number> | undefined): FacetCount[] {
  return Object.entries(values ?? {})
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** Builds the engine for a server. */
export function createMeilisearchEngine(options: {
  host: string;
  apiKey?: string;
  indexPrefix: string;
}): SearchEngine {
  const client = new Meilisearch({ host: options.host, apiKey: options.apiKey });
  const indexUid = `${options.indexPrefix}_documents`;
  const index = client.index<MeiliDocument>(indexUid);
  // The drain may run before any full reindex: the index then gets its settings on first use.
  let settingsApplied = false;
  const applySettings = async () => {
    await index.updateSettings(MEILI_SETTINGS).waitTask();
    settingsApplied = true;
  };

  return {
    name: "meilisearch",
    async search(query) {
      const q = query.text;
      const number = circularNumberQuery(q);
      const base: Omit<MultiSearchQuery, "filter"> = { indexUid, q: number ?? q };
      const buckets = (query.validities ?? [...VALIDITIES]).filter((v) => VALIDITIES.includes(v));
      const order = VALIDITIES.filter((v) => buckets.includes(v));
      // First round: how many hits each validity has, and the other facets (each without its own filter).
      const counts = await client.multiSearch({
        queries: [
          ...VALIDITIES.map((validity) => ({
            ...base,
            filter: joinFilter([
              ...filterParts(query, "validity"),
              `(${validityFilter(validity, query.today)})`,
            ]),
            hitsPerPage: 0,
          })),
          ...(["themes", "departments", "years"] as const).map((facet) => ({
            ...base,
            filter: joinFilter(filterParts(query, facet)),
            facets: [facet === "themes" ? "themes" : facet === "departments" ? "departmentId" : "year"],
            hitsPerPage: 0,
          })),
        ],
      });
      const validityCounts = new Map<Validity, number>(
        VALIDITIES.map((v, i) => [v, Number(counts.results[i]?.totalHits ?? 0)]),
      );
      const [themesResult, departmentsResult, yearsResult] = counts.results.slice(VALIDITIES.length);
      // Second round: the requested window, taken bucket by bucket in ranking order.
      const windows: { validity: Validity; offset: number; limit: number }[] = [];
      let skip = query.offset;
      let need = query.limit;
      for (const validity of order) {
        const count = validityCounts.get(validity) ?? 0;
        if (need <= 0) break;
        if (skip >= count) {
          skip -= count;
          continue;
        }
        const take = Math.min(need, count - skip);
        windows.push({ validity, offset: skip, limit: take });
        need -= take;
        skip = 0;
      }
      const pages = windows.length
        ? await client.multiSearch({
            queries: windows.map((w) => ({
              ...base,
              filter: joinFilter([
                ...filterParts(query, "validity"),
                `(${validityFilter(w.validity, query.today)})`,
              ]),
              offset: w.offset,
              limit: w.limit,
              sort: q.trim() ? undefined : ["sortDate:desc"],
              attributesToHighlight: ["summary", "body", "attachmentText"],
              attributesToCrop: ["body", "attachmentText"],
              cropLength: 28,
              cropMarker: "…",
              highlightPreTag: MARK_START,
              highlightPostTag: MARK_END,
            })),
          })
        : { results: [] };
      const hits: EngineHit[] = pages.results.flatMap((result, i) =>
        (result.hits as (MeiliDocument & { _formatted?: Partial<MeiliDocument> })[]).map((hit) => {
          const formatted = hit._formatted ?? {};
          const marked = [formatted.body, formatted.attachmentText].find((text) =>
            text?.includes(MARK_START),
          );
          return {
            id: hit.docId,
            type: hit.type as SearchType,
            sourceId: hit.sourceId,
            title: hit.title,
            url: hit.url,
            snippet: markedToHtml(marked ?? formatted.summary ?? hit.summary),
            meta: hit.meta,
            validity: windows[i]!.validity,
            validFrom: hit.validFrom,
            validUntil: hit.validUntil,
            themes: hit.themes,
            departmentId: hit.departmentId,
            year: hit.year,
            sortDate: new Date(hit.sortDate).toISOString(),
          };
        }),
      );
      const total = order.reduce((sum, v) => sum + (validityCounts.get(v) ?? 0), 0);
      return {
        hits,
        total,
        correctedText: null,
        facets: {
          themes: distribution(themesResult?.facetDistribution?.themes),
          departments: distribution(departmentsResult?.facetDistribution?.departmentId),
          years: distribution(yearsResult?.facetDistribution?.year)
            .map(({ value, count }) => ({ value: Number(value), count }))
            .sort((a, b) => b.value - a.value),
          validity: VALIDITIES.map((value) => ({ value, count: validityCounts.get(value) ?? 0 })).filter(
            (f) => f.count > 0,
          ),
        },
      };
    },
    async sync({ upserted, removedIds }) {
      if (!settingsApplied) await applySettings();
      // Waiting for the tasks keeps the outbox rows until Meilisearch really has the change.
      if (upserted.length)
        await index.addDocuments(upserted.map(toMeiliDocument), { primaryKey: "id" }).waitTask();
      if (removedIds.length) await index.deleteDocuments(removedIds.map(meiliId)).waitTask();
    },
    async prepareFullReindex() {
      await applySettings();
      await index.deleteAllDocuments().waitTask();
    },
  };
}

let cached: { key: string; engine: SearchEngine } | undefined;

/** The engine for the configured server (MEILI_URL, MEILI_API_KEY, MEILI_INDEX_PREFIX). */
export function meilisearchEngine(): SearchEngine {
  const env = getEnv();
  if (!env.MEILI_URL) throw new Error("MEILI_URL is not set");
  const key = `${env.MEILI_URL}|${env.MEILI_API_KEY ?? ""}|${env.MEILI_INDEX_PREFIX}`;
  if (cached?.key !== key) {
    cached = {
      key,
      engine: createMeilisearchEngine({
        host: env.MEILI_URL,
        apiKey: env.MEILI_API_KEY,
        indexPrefix: env.MEILI_INDEX_PREFIX,
      }),
    };
  }
  return cached.engine;
}
