/**
 * The job runner: pg-boss 10 on the app's own PostgreSQL (see docs/decisions/0005-jobs.md). Each job is a
 * `JobDefinition` in its own file with its queue policy, retries and schedule; the runner creates the
 * queues, registers the workers, installs the schedules (Europe/Brussels) and stops gracefully.
 */
import PgBoss from "pg-boss";
import { type Logger } from "pino";

/** pg-boss's own schema in the app database; a major upgrade moves to a fresh one (docs/decisions/0005). */
export const PG_BOSS_SCHEMA = "pgboss";

/** Jobs per insert statement. */
const INSERT_CHUNK = 1000;

/** Time zone of every schedule: the city's, so "07:00" stays 07:00 across daylight-saving changes. */
export const SCHEDULE_TIME_ZONE = "Europe/Brussels";

/** What a job's handler gets besides its jobs: a logger, and `send` to enqueue follow-up jobs. */
export type JobContext = {
  logger: Logger;
  /** Enqueues a job (optionally with pg-boss send options, e.g. a singletonKey) and wakes the local worker. */
  send(name: string, data?: object, options?: PgBoss.SendOptions): Promise<string | null>;
  /**
   * Enqueues many jobs of one queue in a few statements (the queue's retry policy applies) and wakes the
   * local worker. Like `send` on a standard queue, a singletonKey does not deduplicate by itself: handlers
   * must be idempotent (the digest delivery claims its row once).
   */
  insert(name: string, jobs: readonly { data: object; singletonKey?: string }[]): Promise<void>;
};

export type JobDefinition<Data extends object = object> = {
  /** Queue name, `<module>.<verb-noun>`. */
  name: string;
  /** Queue policy, retries with backoff, expiry. */
  queue: Omit<PgBoss.Queue, "name">;
  /** Cron expression in Europe/Brussels, when the job also runs on a schedule. */
  cron?: string;
  /** Enqueue once when the runner starts (catch up on work that waited while no runner was up). */
  runOnStart?: boolean;
  /** How often an idle worker looks for jobs; `wake()` skips the wait. */
  pollingIntervalSeconds?: number;
  handle(jobs: PgBoss.Job<Data>[], context: JobContext): Promise<unknown>;
};

export type JobRunnerOptions = {
  connectionString: string;
  logger: Logger;
  jobs: readonly JobDefinition[];
  /** pg-boss pool size: the embedded PGlite accepts only 20 connections, shared with Prisma (10). */
  poolSize?: number;
  /** How long `stop()` lets running jobs finish before failing them (they are retried later). */
  stopTimeoutMs?: number;
};

export type JobRunner = {
  boss: PgBoss;
  /** Enqueues a job and wakes the local worker, so it starts now instead of at the next poll. */
  send(name: string, data?: object, options?: PgBoss.SendOptions): Promise<string | null>;
  /** Stops the workers and schedules' monitor, waits for running jobs, closes the pool. */
  stop(): Promise<void>;
};

/** Starts pg-boss (installing or upgrading its schema), creates the queues and starts the workers. */
export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const { logger } = options;
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: PG_BOSS_SCHEMA,
    max: options.poolSize ?? 3,
    application_name: "werkplek-jobs",
  });
  // Without a listener pg-boss's "error" event would crash the process on a transient database error.
  boss.on("error", (error) => logger.error({ err: error }, "job runner error"));
  await boss.start();

  const workerIds = new Map<string, string>();
  const send = async (name: string, data: object = {}, sendOptions?: PgBoss.SendOptions) => {
    const id = sendOptions ? await boss.send(name, data, sendOptions) : await boss.send(name, data);
    const workerId = workerIds.get(name);
    if (workerId) boss.notifyWorker(workerId);
    return id;
  };
  const insert: JobContext["insert"] = async (name, jobs) => {
    for (let at = 0; at < jobs.length; at += INSERT_CHUNK) {
      await boss.insert(jobs.slice(at, at + INSERT_CHUNK).map((job) => ({ name, ...job })));
    }
    const workerId = workerIds.get(name);
    if (workerId && jobs.length > 0) boss.notifyWorker(workerId);
  };
  for (const job of options.jobs) {
    await boss.createQueue(job.name, { name: job.name, ...job.queue });
    // createQueue leaves an existing queue untouched; keep its retry settings in step with the code.
    await boss.updateQueue(job.name, { name: job.name, ...job.queue });
    const jobLogger = logger.child({ job: job.name });
    const id = await boss.work<object>(
      job.name,
      { pollingIntervalSeconds: job.pollingIntervalSeconds ?? 2 },
      async (jobs) => {
        const started = Date.now();
        try {
          const result = await job.handle(jobs, { logger: jobLogger, send, insert });
          jobLogger.info({ ms: Date.now() - started, result }, "job done");
          return result;
        } catch (error) {
          // pg-boss marks the job for retry (with backoff) or failed; log why before it does.
          jobLogger.error({ err: error, ms: Date.now() - started }, "job failed");
          throw error;
        }
      },
    );
    workerIds.set(job.name, id);
    if (job.cron) {
      await boss.schedule(job.name, job.cron, {}, { tz: SCHEDULE_TIME_ZONE });
    } else {
      // A schedule removed from the code must not keep firing from the database.
      await boss.unschedule(job.name);
    }
  }

  for (const job of options.jobs) if (job.runOnStart) await send(job.name);
  logger.info({ queues: options.jobs.map((job) => job.name) }, "job runner started");

  let stopping: Promise<void> | undefined;
  return {
    boss,
    send,
    stop() {
      stopping ??= boss
        .stop({ graceful: true, wait: true, timeout: options.stopTimeoutMs ?? 10_000 })
        .then(() => logger.info("job runner stopped"));
      return stopping;
    },
  };
}
