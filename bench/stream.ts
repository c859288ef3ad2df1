/**
 * `npm run bench:stream`: the activity stream at city scale on a real PostgreSQL server.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:stream
 *
 * Creates a scratch database `werkplek_bench_stream` (dropped afterwards unless BENCH_KEEP=1), generates
 * 10,000 users, 500 groups and projects, 1,000,000 posts and 3,000,000 reactions (bench/stream-data.ts;
 * BENCH_POSTS, BENCH_REACTIONS, BENCH_USERS and BENCH_PLACES scale it down for a quick try), then measures
 * through the app's own module functions:
 *   - the first page of the home stream (target p95 < 100 ms) and a second page;
 *   - creating a post (target p95 < 50 ms), with hashtags and a mention, by many different people so the
 *     posting rate limit never refuses one.
 *   - publishing an announcement to everyone (no target: it writes one notification per person, 10,000 rows;
 *     BENCH_ANNOUNCEMENTS runs, default 5).
 * Prints p50/p95/p99, the load average and EXPLAIN ANALYZE of one home-stream query.
 */
import { type Reader } from "../app/modules/circulars/policy.server";
import { createAnnouncement, createPost } from "../app/modules/stream/posts.server";
import { explainHomeStream, homeStream } from "../app/modules/stream/stream.server";
import { loadAverage, openScratchDatabase, percentile, printPercentiles, seededRandom, timed } from "./lib";
import { DEFAULT_SIZE, generateStreamPopulation } from "./stream-data";

const size = {
  users: Number(process.env.BENCH_USERS ?? DEFAULT_SIZE.users),
  places: Number(process.env.BENCH_PLACES ?? DEFAULT_SIZE.places),
  posts: Number(process.env.BENCH_POSTS ?? DEFAULT_SIZE.posts),
  reactions: Number(process.env.BENCH_REACTIONS ?? DEFAULT_SIZE.reactions),
  topics: DEFAULT_SIZE.topics,
};
const RUNS = Number(process.env.BENCH_RUNS ?? 500);

const scratch = await openScratchDatabase("werkplek_bench_stream", "bench:stream");
console.log(`PostgreSQL: ${scratch.version.split(" on ")[0]}`);
console.log(
  `Generating ${size.users.toLocaleString("en")} users, ${size.places} places, ` +
    `${size.posts.toLocaleString("en")} posts, ${size.reactions.toLocaleString("en")} reactions…`,
);
const generated = await timed(() => generateStreamPopulation(scratch.db, size));
console.log(`Generated in ${(generated / 1000).toFixed(1)} s`);

const { random } = seededRandom(42);
const readerOf = (i: number): Reader => ({
  id: `bu${i}`,
  roles: i === 1 ? ["employee", "communicator"] : ["employee"],
  isFieldWorker: i % 3 === 0,
  department: { id: `bd${i % 9}`, parentId: null },
});
const someone = () => readerOf(Math.floor(random() * size.users));

// Warm up the connection pool and the caches the way a running server has them.
for (let i = 0; i < 20; i += 1) await homeStream(someone());

const series: Record<string, number[]> = {
  "home stream, first page": [],
  "home stream, second page": [],
  "create a post": [],
};
const loadBefore = loadAverage();
for (let i = 0; i < RUNS; i += 1) {
  const reader = someone();
  let next: string | null = null;
  series["home stream, first page"]!.push(
    await timed(async () => {
      next = (await homeStream(reader)).nextCursor;
    }),
  );
  if (next && i % 5 === 0) {
    const cursor: string = next;
    series["home stream, second page"]!.push(await timed(() => homeStream(reader, { cursor })));
  }
  // A different author each time (the posting limit is per person); a hashtag and a mention as in real use.
  const author = readerOf((i * 37) % size.users);
  series["create a post"]!.push(
    await timed(() =>
      createPost(author, {
        plainText: `Bedankt aan de ploeg van #wegenwerken${i % 7} voor de snelle herstelling in de Veldstraat! @collega${i}`,
      }),
    ),
  );
}

// The announcement fan-out: one row per person in the audience, in the post's transaction.
series["announce to everyone"] = [];
const communicator = readerOf(1);
for (let i = 0; i < Number(process.env.BENCH_ANNOUNCEMENTS ?? 5); i += 1) {
  series["announce to everyone"].push(
    await timed(() =>
      createAnnouncement(communicator, {
        plainText: `Herinnering ${i + 1}: de personeelsenquête loopt nog tot vrijdag. #enquête`,
        audience: ["all"],
      }),
    ),
  );
}

console.log("");
printPercentiles(series);
const home = percentile(series["home stream, first page"]!, 95);
const create = percentile(series["create a post"]!, 95);
console.log(
  `\nTarget: home stream first page p95 < 100 ms: ${home < 100 ? "met" : "MISSED"} (${home.toFixed(1)} ms)`,
);
console.log(`Target: create a post p95 < 50 ms: ${create < 50 ? "met" : "MISSED"} (${create.toFixed(1)} ms)`);
console.log(`Load average (1 min) before the runs: ${loadBefore}, after: ${loadAverage()}`);
console.log("\nEXPLAIN ANALYZE of the home stream's first page for one employee:\n");
console.log(await explainHomeStream(readerOf(1234 % size.users)));

await scratch.close();
