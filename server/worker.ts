/**
 * `npm run worker`: the background jobs without the web server, for scaling out (web instances with
 * JOBS_ENABLED=false behind a load balancer, plus one or more of these). With DATABASE_URL, that server;
 * without it, the running app's embedded database through its socket, or the data directory itself.
 * SIGTERM lets running jobs finish (10 s at most; unfinished ones are retried) and exits.
 */
import { disconnectPrisma } from "../app/db.server";
import { EnvError, getEnv } from "../app/env.server";
import { withCliDatabase } from "./db/cli-database";
import { migrate } from "./db/migrate";
import { startJobs } from "./jobs";
import { createLogger } from "./logger";

async function main() {
  let env;
  try {
    env = getEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`The Werkplek worker cannot start.\n${error.message}\nSee .env.example and README.md.`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(env.LOG_LEVEL).child({ process: "worker" });

  await withCliDatabase(env, async (url) => {
    // The app's Prisma client (used by the jobs) connects to DATABASE_URL.
    process.env.DATABASE_URL = url;
    // Under an advisory lock and a no-op when the web server already migrated: the worker may start first.
    await migrate(url, { log: (message) => logger.info(message) });
    const jobs = await startJobs({ env, logger, connectionString: url });
    logger.info("worker running");
    const signal = await new Promise<string>((resolve) => {
      process.once("SIGTERM", () => resolve("SIGTERM"));
      process.once("SIGINT", () => resolve("SIGINT"));
    });
    logger.info({ signal }, "worker shutting down");
    await jobs.stop();
    await disconnectPrisma();
  });
  logger.info("worker stopped");
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error("The Werkplek worker failed:", error);
  process.exit(1);
});
