/**
 * The search engine contract. Every document type (circulars now; posts, documents and people later) is
 * indexed as one SearchDocument row; engines answer queries over those rows with the same semantics, so
 * the shared test suite (search/search.test.ts) runs unchanged against each engine.
 */
import { type Validity } from "~/modules/circulars/validity";
import { type SearchType } from "./document-types";

export const VALIDITIES = [
  "valid",
  "not_yet_valid",
  "expired",
  "superseded",
  "archived",
] as const satisfies readonly Validity[];

/** Shown when the reader does not choose: what is in force now or soon (expired and archived stay hidden). */
export const DEFAULT_VALIDITIES: readonly Validity[] = ["valid", "not_yet_valid"];

/**
 * Which documents of one type a reader may see: `null` = all of them (editors for circulars), otherwise
 * the reader's audience keys, one of which must be in the document's `audience`.
 */
export type TypeVisibility = { type: SearchType; audienceKeys: string[] | null };

/** A query as the engine receives it: already validated and with visibility resolved. */
export type EngineQuery = {
  /** The words typed, trimmed; empty string = browse. */
  text: string;
  visibility: TypeVisibility[];
  /** Theme slugs (any of them). */
  themes: string[];
  /** Department ids (any of them). */
  departments: string[];
  /** null = every validity ("include=all"). */
  validities: Validity[] | null;
  years: number[];
  limit: number;
  offset: number;
  /** The day validity is computed for (UTC midnight of today in Europe/Brussels). */
  today: Date;
};

export type EngineHit = {
  id: string;
  type: SearchType;
  sourceId: string;
  title: string;
  url: string;
  /** HTML-safe: the text is escaped, only <mark> elements are added. */
  snippet: string;
  meta: Record<string, unknown>;
  validity: Validity;
  validFrom: string | null;
  validUntil: string | null;
  themes: string[];
  departmentId: string | null;
  year: number | null;
  sortDate: string;
};

export type FacetCount<K extends string | number = string> = { value: K; count: number };

export type EngineFacets = {
  themes: FacetCount[];
  departments: FacetCount[];
  validity: FacetCount<Validity>[];
  years: FacetCount<number>[];
};

export type EngineResult = {
  hits: EngineHit[];
  total: number;
  facets: EngineFacets;
  /** When the words as typed found nothing, the corrected words the results are for ("circulire" → "circulaire"). */
  correctedText: string | null;
};

/** The fields of a SearchDocument as the indexer builds them (the engines' input). */
export type IndexDocument = {
  id: string;
  type: SearchType;
  sourceId: string;
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
  validFrom: Date | null;
  validUntil: Date | null;
  supersededFrom: Date | null;
  sortDate: Date;
};

export interface SearchEngine {
  readonly name: "postgres" | "meilisearch";
  search(query: EngineQuery): Promise<EngineResult>;
  /**
   * Called by the indexer after the SearchDocument rows changed, inside the same transaction (before the
   * outbox tasks are deleted), so a failure keeps the tasks for a retry. PostgreSQL has nothing to do.
   */
  sync(changes: { upserted: IndexDocument[]; removedIds: string[] }): Promise<void>;
  /** Start of a full rebuild (npm run search:reindex): apply index settings and forget every document. */
  prepareFullReindex(): Promise<void>;
}
