/**
 * Job `search.drain-index`: brings the search index up to date with the outbox (SearchIndexTask).
 * Woken within about a second of a change (./search-index-trigger.ts), every minute as a safety net, and
 * once at start-up (the seed enqueues every demo circular). The "stately" policy keeps at most one drain
 * queued and one running, however many changes arrive meanwhile: a drain takes everything in the outbox.
 */
import { type JobDefinition } from "./runner";

export const SEARCH_DRAIN_INDEX = "search.drain-index";

export type DrainSearchIndex = () => Promise<{ indexed: number; removed: number }>;

/** The job definition; `drain` is search/indexer.server.ts's drainSearchIndexQueue (injected for tests). */
export function searchDrainIndexJob(drain: DrainSearchIndex): JobDefinition {
  return {
    name: SEARCH_DRAIN_INDEX,
    queue: {
      policy: "stately",
      // A failing engine (Meilisearch down) is retried at 5 s, 10 s, 20 s, …; the outbox keeps the work.
      retryLimit: 8,
      retryDelay: 5,
      retryBackoff: true,
      // A full rebuild of 10,000 circulars takes under a minute; anything far beyond that is stuck.
      expireInSeconds: 15 * 60,
      retentionMinutes: 60,
    },
    cron: "* * * * *",
    runOnStart: true,
    pollingIntervalSeconds: 2,
    async handle() {
      return drain();
    },
  };
}
