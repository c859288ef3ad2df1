/**
 * Werkplek's background jobs, as the web server (JOBS_ENABLED) and `npm run worker` both run them:
 * the pg-boss runner with every job of the app, plus the trigger that wakes the search indexer.
 */
import { type Logger } from "pino";
import { type Env } from "../../app/env.server";
import { drainSearchIndexQueue } from "../../search/indexer.server";
import { campaignsSendJob } from "./campaigns-send";
import { circularsReviewRemindersJob } from "./circulars-review-reminders";
import { digestsDeliverJob } from "./digests-deliver";
import { digestsPlanJob } from "./digests-plan";
import { pushPruneJob } from "./push-prune";
import { startJobRunner, type JobRunner } from "./runner";
import { type DrainSearchIndex, SEARCH_DRAIN_INDEX, searchDrainIndexJob } from "./search-drain-index";
import { startSearchIndexTrigger, type SearchIndexTrigger } from "./search-index-trigger";

export type Jobs = { runner: JobRunner; trigger: SearchIndexTrigger; stop(): Promise<void> };

/** Starts the runner and the search index trigger on the given database. */
export async function startJobs(options: {
  env: Env;
  logger: Logger;
  connectionString: string;
  /** Replaces the search indexer (tests). */
  drain?: DrainSearchIndex;
}): Promise<Jobs> {
  const { env, connectionString } = options;
  const logger = options.logger.child({ component: "jobs" });
  const runner = await startJobRunner({
    connectionString,
    logger,
    // PGlite accepts 20 connections and Prisma's pool takes 10 of them; a real server has room to spare.
    poolSize: env.DATABASE_URL ? 5 : 3,
    jobs: [
      searchDrainIndexJob(options.drain ?? drainSearchIndexQueue),
      circularsReviewRemindersJob({ noticeDays: env.CIRCULAR_REVIEW_NOTICE_DAYS }),
      digestsDeliverJob(),
      pushPruneJob(),
      digestsPlanJob(),
      campaignsSendJob(),
    ],
  });
  let trigger: SearchIndexTrigger;
  try {
    trigger = await startSearchIndexTrigger({
      connectionString,
      logger,
      onWork: () => runner.send(SEARCH_DRAIN_INDEX),
    });
  } catch (error) {
    await runner.stop();
    throw error;
  }
  return {
    runner,
    trigger,
    async stop() {
      // The trigger first, so nothing enqueues into a runner that is going away.
      await trigger.stop();
      await runner.stop();
    },
  };
}
