import pg from "pg";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { enqueueSearchIndex } from "../../search/queue.server";
import { setupTestDatabase } from "../../tests/setup/database";
import { startJobRunner, type JobRunner } from "./runner";
import { SEARCH_DRAIN_INDEX, searchDrainIndexJob } from "./search-drain-index";
import {
  listenReachesOtherConnections,
  SEARCH_INDEX_CHANNEL,
  startSearchIndexTrigger,
  type SearchIndexTrigger,
  type SearchIndexTriggerMode,
} from "./search-index-trigger";

const database = setupTestDatabase();
const logger = pino({ level: "silent" });

let runner: JobRunner | undefined;
let trigger: SearchIndexTrigger | undefined;
afterEach(async () => {
  await trigger?.stop();
  await runner?.stop();
  trigger = runner = undefined;
});

/** A stand-in for search/indexer.server.ts: takes every task out of the outbox, as the real drain does. */
function fakeDrain() {
  const calls: { at: number; tasks: number }[] = [];
  const drain = async () => {
    const { count } = await prisma.searchIndexTask.deleteMany({});
    calls.push({ at: Date.now(), tasks: count });
    return { indexed: count, removed: 0 };
  };
  return { calls, drain };
}

async function eventually(check: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function startWith(mode?: SearchIndexTriggerMode) {
  const { calls, drain } = fakeDrain();
  runner = await startJobRunner({
    connectionString: database.url,
    logger,
    jobs: [{ ...searchDrainIndexJob(drain), cron: undefined }],
  });
  // The start-up drain (the seed enqueues every demo circular) runs first.
  await eventually(() => calls.length >= 1, 5_000);
  const current = runner;
  trigger = await startSearchIndexTrigger({
    connectionString: database.url,
    logger,
    mode,
    onWork: () => current.send(SEARCH_DRAIN_INDEX),
  });
  // Let the wake-up a fresh listener sends for missed changes play out.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  return calls;
}

describe("search index trigger", () => {
  it("the outbox trigger notifies on commit, once per statement, never on rollback", async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const received: string[] = [];
    client.on("notification", (message) => received.push(message.channel));
    try {
      await client.query(`LISTEN ${SEARCH_INDEX_CHANNEL}`);
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO "SearchIndexTask" (type, "sourceId") VALUES ('circular', 'a'), ('circular', 'b')`,
      );
      await client.query("ROLLBACK");
      await client.query(
        `INSERT INTO "SearchIndexTask" (type, "sourceId") VALUES ('circular', 'c'), ('circular', 'd')`,
      );
      await client.query("SELECT 1");
      await eventually(() => received.length > 0, 2_000);
      expect(received).toEqual([SEARCH_INDEX_CHANNEL]);
    } finally {
      await client.end();
      await prisma.searchIndexTask.deleteMany({});
    }
  });

  it("a change enqueued by the app is drained within two seconds (the mode the probe picks)", async () => {
    const calls = await startWith();
    const before = calls.length;
    const committed = Date.now();
    await prisma.$transaction((tx) => enqueueSearchIndex(tx, "circular", ["c1", "c2"]));
    await eventually(() => calls.slice(before).some((call) => call.tasks === 2), 2_000);
    expect(calls.at(-1)!.at - committed).toBeLessThan(2_000);
    expect(await prisma.searchIndexTask.count()).toBe(0);
  });

  it("falls back to polling the outbox where LISTEN does not reach other connections", async () => {
    const calls = await startWith("poll");
    expect(trigger!.mode).toBe("poll");
    const before = calls.length;
    await prisma.$transaction((tx) => enqueueSearchIndex(tx, "circular", ["p1"]));
    await eventually(() => calls.slice(before).some((call) => call.tasks === 1), 2_500);
  });

  it("while the index engine is down, polling leaves retries to the backoff instead of every second", async () => {
    let attempts = 0;
    runner = await startJobRunner({
      connectionString: database.url,
      logger,
      jobs: [
        {
          ...searchDrainIndexJob(async () => {
            attempts += 1;
            throw new Error("Meilisearch unreachable");
          }),
          cron: undefined,
          runOnStart: false,
        },
      ],
    });
    const current = runner;
    trigger = await startSearchIndexTrigger({
      connectionString: database.url,
      logger,
      mode: "poll",
      pollIntervalMs: 200,
      onWork: () => current.send(SEARCH_DRAIN_INDEX),
    });
    await prisma.$transaction((tx) => enqueueSearchIndex(tx, "circular", ["down"]));
    await eventually(() => attempts >= 1, 3_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // The first retry waits 5 s: the task is still there, but nobody hammers the engine.
    expect(attempts).toBe(1);
    expect(await prisma.searchIndexTask.count()).toBe(1);
    await prisma.searchIndexTask.deleteMany({});
  });

  it("a rolled-back change wakes nobody and leaves nothing to drain", async () => {
    const calls = await startWith();
    const before = calls.length;
    await prisma
      .$transaction(async (tx) => {
        await enqueueSearchIndex(tx, "circular", ["r1"]);
        throw new Error("the change failed");
      })
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(calls.slice(before).filter((call) => call.tasks > 0)).toEqual([]);
    expect(await prisma.searchIndexTask.count()).toBe(0);
  });

  it("uses LISTEN on a PostgreSQL server and polls on PGlite", async () => {
    const listens = await listenReachesOtherConnections({ connectionString: database.url });
    expect(listens).toBe(Boolean(process.env.TEST_DATABASE_URL));
    await startWith();
    expect(trigger!.mode).toBe(listens ? "listen" : "poll");
  });
});
