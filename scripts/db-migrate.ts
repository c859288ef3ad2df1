/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database under
 * DATA_DIR when DATABASE_URL is unset (the same database `npm start` uses).
 */
import { getEnv } from "../app/env.server";
import { withCliDatabase } from "../server/db/cli-database";
import { migrate } from "../server/db/migrate";

await withCliDatabase(getEnv(), async (url) => {
  const result = await migrate(url, { log: (message) => console.log(message) });
  console.log(
    result.applied.length
      ? `Applied ${result.applied.length} migration(s).`
      : `Database is up to date (${result.alreadyApplied} migration(s)).`,
  );
});
