/**
 * `npm run search:reindex`: rebuilds the whole search index from the circulars, posts and people (and, with Meilisearch,
 * applies the index settings in search/meilisearch/). Works against DATABASE_URL, the running app's
 * embedded database, or the embedded data directory when the app is not running; migrations first.
 */
import { SingleBar, Presets } from "cli-progress";
import { disconnectPrisma } from "../app/db.server";
import { getEnv, resetEnvCache } from "../app/env.server";
import { withCliDatabase } from "../server/db/cli-database";
import { migrate } from "../server/db/migrate";
import { reindexAll } from "../search/indexer.server";

const env = getEnv();
const started = Date.now();
await withCliDatabase(env, async (url) => {
  await migrate(url);
  // The indexer uses the app's shared client, which reads DATABASE_URL.
  process.env.DATABASE_URL = url;
  resetEnvCache();
  console.log(`Search engine: ${env.searchEngine}`);
  const bar = new SingleBar(
    {
      format:
        "Indexing circulars, posts and people [{bar}] {percentage}% | {value}/{total} | {duration_formatted}",
    },
    Presets.shades_classic,
  );
  let barStarted = false;
  try {
    const result = await reindexAll((done, total) => {
      if (!barStarted) {
        bar.start(total, done);
        barStarted = true;
      } else bar.update(done);
    });
    bar.stop();
    console.log(
      `Indexed ${result.indexed} document(s), removed ${result.removed} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    if (barStarted) bar.stop();
    await disconnectPrisma();
  }
});
