/** The engine chosen by configuration (SEARCH_ENGINE / MEILI_URL, see app/env.server.ts). */
import { getEnv } from "~/env.server";
import { meilisearchEngine } from "./meilisearch-engine.server";
import { postgresEngine } from "./postgres-engine.server";
import { type SearchEngine } from "./types";

/** Meilisearch when configured, PostgreSQL full text otherwise. */
export function getSearchEngine(): SearchEngine {
  return getEnv().searchEngine === "meilisearch" ? meilisearchEngine() : postgresEngine;
}
