/**
 * The query string of /api/search and /circulaires, validated once for both. Messages are English (API
 * clients); the page shows its own Dutch text.
 */
import { z } from "zod";
import { SEARCH_TYPES } from "./document-types";
import { MAX_QUERY_LENGTH } from "./terms";
import { VALIDITIES } from "./types";

export const MAX_LIMIT = 50;
export const DEFAULT_LIMIT = 20;
/** Deep pages are not for people; they would only make the database count and sort for nothing. */
export const MAX_OFFSET = 1000;
const MAX_FILTER_VALUES = 20;

const list = <T extends z.ZodType>(item: T) =>
  z.array(item).max(MAX_FILTER_VALUES, `at most ${MAX_FILTER_VALUES} values`);

export const SearchParamsSchema = z.object({
  q: z
    .string()
    .max(MAX_QUERY_LENGTH, `q is longer than ${MAX_QUERY_LENGTH} characters`)
    .transform((value) => value.trim())
    .default(""),
  type: list(z.enum(SEARCH_TYPES, { error: `type must be one of: ${SEARCH_TYPES.join(", ")}` })).default([]),
  theme: list(z.string().regex(/^[a-z0-9-]{1,80}$/, "theme must be a theme slug")).default([]),
  department: list(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "department must be a department id")).default(
    [],
  ),
  validity: list(z.enum(VALIDITIES, { error: `validity must be one of: ${VALIDITIES.join(", ")}` })).default(
    [],
  ),
  year: list(z.coerce.number({ error: "year must be a number" }).int().min(1900).max(2200)).default([]),
  include: z.enum(["all"], { error: "include must be 'all'" }).optional(),
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int()
    .min(1, "limit must be at least 1")
    .max(MAX_LIMIT, `limit must be at most ${MAX_LIMIT}`)
    .default(DEFAULT_LIMIT),
  offset: z.coerce
    .number({ error: "offset must be a number" })
    .int()
    .min(0, "offset must not be negative")
    .max(MAX_OFFSET, `offset must be at most ${MAX_OFFSET}`)
    .default(0),
});

export type SearchParams = z.output<typeof SearchParamsSchema>;

const MULTI = ["type", "theme", "department", "validity", "year"] as const;
const SINGLE = ["q", "include", "limit", "offset"] as const;

/**
 * Reads URL search params: list parameters may repeat or be comma-separated, empty values are ignored
 * (an empty <select> submits ""), unknown parameters are ignored, single ones must not repeat.
 */
export function parseSearchParams(
  params: URLSearchParams,
): { ok: true; value: SearchParams } | { ok: false; errors: string[] } {
  const raw: Record<string, unknown> = {};
  for (const key of MULTI) {
    raw[key] = params
      .getAll(key)
      .flatMap((value) => value.split(","))
      .map((value) => value.trim())
      .filter(Boolean);
  }
  const errors: string[] = [];
  for (const key of SINGLE) {
    const values = params.getAll(key).filter((value) => (key === "q" ? true : value !== ""));
    if (values.length > 1) errors.push(`${key}: give it once`);
    if (values.length === 1) raw[key] = values[0];
  }
  const parsed = SearchParamsSchema.safeParse(raw);
  if (!parsed.success) {
    errors.push(
      ...parsed.error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`),
    );
  }
  if (errors.length || !parsed.success) return { ok: false, errors };
  return { ok: true, value: parsed.data };
}

/** The query string for a state of the search form (page links, facet toggles). */
export function searchQueryString(state: Partial<SearchParams>): string {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const key of ["theme", "department", "validity", "year"] as const) {
    for (const value of state[key] ?? []) params.append(key, String(value));
  }
  if (state.include) params.set("include", state.include);
  if (state.offset) params.set("offset", String(state.offset));
  const text = params.toString();
  return text ? `?${text}` : "";
}
