/**
 * Werkplek's process entry: validate configuration, start the embedded PostgreSQL when no DATABASE_URL is
 * given, apply migrations, seed demo data into an empty development database, then serve. SIGTERM drains.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { installGlobals, type ServerBuild } from "@remix-run/node";
import { disconnectPrisma, prisma } from "../app/db.server";
import { EnvError, getEnv } from "../app/env.server";
import { stopLiveHub } from "../app/modules/live/hub.server";
import { ensureVapidKeys, VapidConfigurationError } from "../app/modules/channels/vapid.server";
import { isDatabaseEmpty, seed } from "../prisma/seed";
import { createApp } from "./app";
import { startEmbeddedPostgres } from "./db/embedded";
import { migrate } from "./db/migrate";
import { startJobs } from "./jobs";
import { createLogger } from "./logger";

installGlobals({ nativeFetch: true });

async function main() {
  let env;
  try {
    env = getEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(
        `Werkplek cannot start.\n${error.message}\nSee .env.example and README.md for every setting.`,
      );
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(env.LOG_LEVEL);

  const embedded = env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({
        dataDir: env.pgliteDataDir,
        port: env.PGLITE_PORT,
        maxConnections: env.PGLITE_MAX_CONNECTIONS,
      });
  if (embedded) {
    process.env.DATABASE_URL = embedded.url;
    logger.info({ dataDir: env.pgliteDataDir, url: embedded.url }, "embedded PostgreSQL (PGlite) started");
  }

  const migrated = await migrate(process.env.DATABASE_URL!, { log: (message) => logger.info(message) });
  logger.info({ applied: migrated.applied.length }, "migrations up to date");

  if (env.seedDemoData && (await isDatabaseEmpty(prisma))) {
    const counts = await seed(prisma);
    logger.info(counts, "demo organisation seeded");
  }

  // Web push keys: generated and stored on the first start when VAPID_* is unset, so that every process
  // signs with the same key. A bad key stops push only, not the intranet: the error says what to fix.
  try {
    await ensureVapidKeys();
  } catch (error) {
    if (!(error instanceof VapidConfigurationError)) throw error;
    logger.error({ problem: error.message }, "web push is unavailable until the VAPID keys are fixed");
  }

  // Background jobs (pg-boss); web-only instances set JOBS_ENABLED=false and run `npm run worker` apart.
  const jobs = env.jobsEnabled
    ? await startJobs({ env, logger, connectionString: process.env.DATABASE_URL! })
    : null;

  const buildPath = path.resolve("build/index.js");
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  const app = createApp({ env, logger, build });
  const server = app.listen(env.PORT, env.HOST, () => {
    logger.info(
      { url: env.APP_URL, devLogin: env.devLoginEnabled, entra: Boolean(env.entra) },
      "Werkplek is listening",
    );
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    // Stop accepting connections, let requests in flight finish, then force the stragglers.
    // Live streams (SSE) never end by themselves: close them first, or server.close() waits for the timeout.
    await stopLiveHub();
    const force = setTimeout(() => server.closeAllConnections(), 10_000);
    force.unref();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await jobs?.stop();
    await disconnectPrisma();
    await embedded?.stop();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error("Werkplek failed to start:", error);
  process.exit(1);
});
