import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { setupTestDatabase } from "../../tests/setup/database";
import { type JobDefinition, type JobRunner, SCHEDULE_TIME_ZONE, startJobRunner } from "./runner";

const database = setupTestDatabase();
const logger = pino({ level: "silent" });

let runner: JobRunner | undefined;
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

/** Resolves when `check` holds, polling; fails after `ms`. */
async function eventually(check: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("job runner (pg-boss on the app database)", () => {
  it("starts, really processes a job sent to a queue, and stops", async () => {
    const seen: object[] = [];
    const job: JobDefinition<{ greeting: string }> = {
      name: "test.say-hello",
      queue: { policy: "standard", retryLimit: 0 },
      pollingIntervalSeconds: 5,
      async handle(jobs) {
        for (const item of jobs) seen.push(item.data);
      },
    };
    runner = await startJobRunner({
      connectionString: database.url,
      logger,
      jobs: [job as unknown as JobDefinition],
    });
    const started = Date.now();
    await runner.send("test.say-hello", { greeting: "dag" });
    await eventually(() => seen.length === 1);
    // `send` wakes the worker: it does not wait for the 5 s poll.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(seen).toEqual([{ greeting: "dag" }]);

    const { boss } = runner;
    await runner.stop();
    runner = undefined;
    await expect(boss.send("test.say-hello", {})).rejects.toThrow();
  });

  it("lets a job queue follow-up jobs in bulk", async () => {
    const seen: string[] = [];
    const jobs: JobDefinition[] = [
      {
        name: "test.fan-out",
        queue: { policy: "standard", retryLimit: 0 },
        async handle(_jobs, { insert }) {
          const items = ["a", "b", "c"].map((key) => ({ data: { key }, singletonKey: key }));
          await insert("test.fan-in", items);
        },
      },
      {
        name: "test.fan-in",
        queue: { policy: "standard", retryLimit: 0 },
        pollingIntervalSeconds: 1,
        async handle(batch) {
          for (const item of batch) seen.push((item.data as { key: string }).key);
        },
      },
    ];
    runner = await startJobRunner({ connectionString: database.url, logger, jobs });
    await runner.send("test.fan-out");
    await eventually(() => seen.length >= 3);
    expect(seen.sort()).toEqual(["a", "b", "c"]);
  });

  it("retries a failing job with backoff until it succeeds", async () => {
    const attempts: number[] = [];
    runner = await startJobRunner({
      connectionString: database.url,
      logger,
      jobs: [
        {
          name: "test.flaky",
          queue: { policy: "standard", retryLimit: 3, retryDelay: 1, retryBackoff: true },
          pollingIntervalSeconds: 0.5,
          async handle() {
            attempts.push(Date.now());
            if (attempts.length === 1) throw new Error("engine unavailable");
          },
        },
      ],
    });
    const id = await runner.send("test.flaky");
    await eventually(() => attempts.length === 2, 15_000);
    let final = await runner.boss.getJobById("test.flaky", id!);
    const deadline = Date.now() + 5_000;
    while (final?.state !== "completed" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      final = await runner.boss.getJobById("test.flaky", id!);
    }
    expect(final?.state).toBe("completed");
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(900);
    expect(final?.retryCount).toBe(1);
  });

  it("installs schedules in Europe/Brussels and removes those no longer in the code", async () => {
    const handle = async () => undefined;
    runner = await startJobRunner({
      connectionString: database.url,
      logger,
      jobs: [
        { name: "test.daily", queue: { policy: "stately" }, cron: "0 7 * * *", handle },
        { name: "test.unscheduled", queue: {}, handle },
      ],
    });
    await runner.boss.schedule("test.unscheduled", "* * * * *");
    await runner.stop();

    runner = await startJobRunner({
      connectionString: database.url,
      logger,
      jobs: [
        { name: "test.daily", queue: { policy: "stately" }, cron: "0 7 * * *", handle },
        { name: "test.unscheduled", queue: {}, handle },
      ],
    });
    const schedules = await runner.boss.getSchedules();
    expect(schedules.map((s) => ({ name: s.name, cron: s.cron, tz: s.options?.tz }))).toEqual([
      { name: "test.daily", cron: "0 7 * * *", tz: SCHEDULE_TIME_ZONE },
    ]);
  });

  it("keeps one drain queued at a time on a stately queue", async () => {
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    runner = await startJobRunner({
      connectionString: database.url,
      logger,
      jobs: [
        {
          name: "test.drain",
          queue: { policy: "stately", retryLimit: 0 },
          pollingIntervalSeconds: 0.5,
          async handle() {
            runs += 1;
            await blocked;
          },
        },
      ],
    });
    await runner.send("test.drain");
    await eventually(() => runs === 1);
    // While one runs, any number of wake-ups leave exactly one more queued.
    const ids = await Promise.all(Array.from({ length: 5 }, () => runner!.send("test.drain")));
    expect(ids.filter(Boolean)).toHaveLength(1);
    release();
    await eventually(() => runs === 2);
  });
});
