/**
 * Wakes the search indexer within about a second of a change. A trigger on the outbox table
 * (migration 20261123130500_search_index_notify) sends NOTIFY "search_index_task" on every commit that
 * enqueues work; this module LISTENs and enqueues the drain job.
 *
 * The embedded PGlite runs every socket connection on one backend, so a notification reaches the
 * connection that committed, never the listener (tried: see docs/decisions/0005-jobs.md). The trigger
 * therefore probes LISTEN at start-up and, when the probe does not arrive, polls the outbox instead: one
 * primary-key `SELECT max(id)` a second on a database that serves one process anyway.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { type Logger } from "pino";

export const SEARCH_INDEX_CHANNEL = "search_index_task";

export type SearchIndexTriggerMode = "listen" | "poll";

export type SearchIndexTriggerOptions = {
  connectionString: string;
  logger: Logger;
  /** Called when there may be work: enqueue the drain job (pg-boss's stately queue absorbs repeats). */
  onWork: () => Promise<unknown>;
  /** Poll interval when LISTEN does not work (ms). */
  pollIntervalMs?: number;
  /** How long to wait for the LISTEN probe (ms). */
  probeTimeoutMs?: number;
  /** Force a mode (tests); by default the probe decides. */
  mode?: SearchIndexTriggerMode;
};

export type SearchIndexTrigger = { mode: SearchIndexTriggerMode; stop(): Promise<void> };

const RECONNECT_DELAY_MS = 2_000;

/** Starts listening (or polling) and returns how it watches the outbox. */
export async function startSearchIndexTrigger(
  options: SearchIndexTriggerOptions,
): Promise<SearchIndexTrigger> {
  const { logger } = options;
  let stopped = false;
  const fire = () => {
    if (stopped) return;
    options
      .onWork()
      .catch((error: unknown) => logger.error({ err: error }, "could not enqueue search indexing"));
  };

  const mode = options.mode ?? ((await listenReachesOtherConnections(options)) ? "listen" : "poll");

  if (mode === "poll") {
    const pool = new pg.Pool({ connectionString: options.connectionString, max: 1 });
    pool.on("error", (error) => logger.warn({ err: error }, "search index poll connection lost"));
    let busy = false;
    // Like a NOTIFY, fire only for tasks added since the last look: tasks that stay because the drain
    // fails are left to pg-boss's retry backoff instead of being hammered every second.
    let lastSeen = 0n;
    const timer = setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      pool
        .query<{ max: string | null }>('SELECT max(id)::text AS max FROM "SearchIndexTask"')
        .then((result) => {
          const newest = BigInt(result.rows[0]?.max ?? "0");
          if (newest > lastSeen) {
            lastSeen = newest;
            fire();
          }
        })
        .catch((error: unknown) => logger.warn({ err: error }, "search index poll failed"))
        .finally(() => (busy = false));
    }, options.pollIntervalMs ?? 1_000);
    logger.info({ mode }, "search index trigger started");
    return {
      mode,
      async stop() {
        stopped = true;
        clearInterval(timer);
        await pool.end();
      },
    };
  }

  let client: pg.Client | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  const scheduleReconnect = () => {
    if (stopped || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connect().catch((error: unknown) => {
        logger.warn({ err: error }, "search index listener could not reconnect");
        scheduleReconnect();
      });
    }, RECONNECT_DELAY_MS);
  };
  const lost = (which: pg.Client, error?: Error) => {
    if (client !== which) return;
    client = undefined;
    void which.end().catch(() => undefined);
    logger.warn({ err: error }, "search index listener lost its connection; reconnecting");
    scheduleReconnect();
  };
  const connect = async () => {
    const next = new pg.Client({ connectionString: options.connectionString });
    next.on("notification", (message) => {
      if (message.channel === SEARCH_INDEX_CHANNEL) fire();
    });
    next.on("error", (error) => lost(next, error));
    next.on("end", () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${SEARCH_INDEX_CHANNEL}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    client = next;
    // Changes committed while nobody listened sent their NOTIFY into the void: look once.
    fire();
  };
  await connect();
  logger.info({ mode }, "search index trigger started");
  return {
    mode,
    async stop() {
      stopped = true;
      clearTimeout(reconnectTimer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}

/**
 * Whether a NOTIFY sent from one connection reaches a LISTEN on another: true on a PostgreSQL server,
 * false on PGlite behind pglite-socket (one shared backend session).
 */
export async function listenReachesOtherConnections(options: {
  connectionString: string;
  probeTimeoutMs?: number;
}): Promise<boolean> {
  const channel = `werkplek_probe_${randomBytes(6).toString("hex")}`;
  const listener = new pg.Client({ connectionString: options.connectionString });
  const sender = new pg.Client({ connectionString: options.connectionString });
  // The probe's own connections may die with the test database; that only means "no".
  listener.on("error", () => undefined);
  sender.on("error", () => undefined);
  try {
    await listener.connect();
    await sender.connect();
    const received = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), options.probeTimeoutMs ?? 1_000);
      listener.on("notification", (message) => {
        if (message.channel !== channel) return;
        clearTimeout(timer);
        resolve(true);
      });
    });
    await listener.query(`LISTEN ${channel}`);
    await sender.query("SELECT pg_notify($1, '')", [channel]);
    const result = await received;
    await listener.query(`UNLISTEN ${channel}`);
    return result;
  } finally {
    await Promise.allSettled([listener.end(), sender.end()]);
  }
}
