/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded PGlite database
 * under DATA_DIR when DATABASE_URL is unset (the same database `npm start` uses).
 */
import { getEnv } from "../app/env.server";
import { startEmbeddedPostgres } from "../server/db/embedded";
import { migrate } from "../server/db/migrate";

const env = getEnv();
const embedded = env.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({ dataDir: env.pgliteDataDir, port: 0 });
try {
  const result = await migrate(env.DATABASE_URL ?? embedded!.url, { log: (message) => console.log(message) });
  console.log(
    result.applied.length
      ? `Applied ${result.applied.length} migration(s).`
      : `Database is up to date (${result.alreadyApplied} migration(s)).`,
  );
} finally {
  await embedded?.stop();
}
