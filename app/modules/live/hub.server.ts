/**
 * The live hub: one per process. It hears every live event, from this instance or another, and passes each
 * one to the connected browsers that may know about it, asking the stream policy per subscriber.
 *
 * Two ways to hear events, decided at start by a probe (a NOTIFY from a second connection must arrive):
 * - "listen" (PostgreSQL): one LISTEN connection per process on DATABASE_URL; a writer's `pg_notify`
 *   is delivered at commit, to every instance, and never for a rollback. The connection reconnects.
 * - "local" (the embedded PGlite): PGlite runs all socket connections on one backend, so a NOTIFY reaches
 *   the connection that committed, never the listener (docs/decisions/0005-jobs.md). The database serves
 *   this one process anyway, so `publishLiveEvent` hands the event to the hub with its transaction id and
 *   the hub delivers it once `pg_xact_status` says committed (dropped when aborted). Over PGlite's socket a
 *   query waits for the open transaction to finish, so the check answers right after the commit.
 * Either way the caller does the same thing, inside its transaction: `await publishLiveEvent(tx, event)`.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { prisma } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { canSeePost, type StreamReader } from "~/modules/stream/policy.server";
import { LIVE_CHANNEL, LiveEventSchema, type ClientEvent, type LiveEvent } from "./events";

export type LiveMode = "listen" | "local";

/** Where a subscriber's events go; `close` ends its stream (hub stopping, or the subscriber too slow). */
export type LiveSink = { send(event: ClientEvent): void; close(): void };

/** The part of a pino logger the hub uses. */
export type LiveLogger = {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
};

export type LiveHubOptions = {
  connectionString: string;
  /** Force a mode (tests); by default the probe decides. */
  mode?: LiveMode;
  logger?: LiveLogger;
  /** How long the probe waits for its NOTIFY (ms). */
  probeTimeoutMs?: number;
  /** First wait before re-checking a transaction that is still running (ms); doubles up to 1 s. */
  commitPollMs?: number;
};

type Subscriber = { reader: StreamReader; sink: LiveSink };
type PendingCommit = { xid: string; event: LiveEvent; since: number; checked?: boolean };

const RECONNECT_DELAY_MS = 2_000;
/** Events waiting for their transaction's commit (local mode); more means something is stuck. */
const MAX_PENDING = 10_000;
/** A transaction still running after this long is not waited for any more (local mode). */
const MAX_COMMIT_WAIT_MS = 10 * 60_000;

const consoleLogger: LiveLogger = {
  warn: (details, message) => console.warn(message, details),
  error: (details, message) => console.error(message, details),
};

type ProbeMessage = { type: "probe"; token: string };

/** Fans live events out to this process's subscribers, each through the policy. */
export class LiveHub {
  readonly connectionString: string;
  private state: "new" | "starting" | LiveMode | "stopped" = "new";
  private readonly logger: LiveLogger;
  private readonly options: LiveHubOptions;
  private readonly subscribers = new Set<Subscriber>();
  private listener: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private probe: { token: string; arrived: () => void } | undefined;
  private pending: PendingCommit[] = [];
  private commitTimer: NodeJS.Timeout | undefined;
  private commitDelay: number;
  private running = 0;
  /** Dispatches run one after another, so subscribers see events in the order they were heard. */
  private queue: Promise<void> = Promise.resolve();

  constructor(options: LiveHubOptions) {
    this.options = options;
    this.connectionString = options.connectionString;
    this.logger = options.logger ?? consoleLogger;
    this.commitDelay = options.commitPollMs ?? 25;
  }

  /** "listen" or "local" once started. */
  get mode(): LiveMode | null {
    return this.state === "listen" || this.state === "local" ? this.state : null;
  }

  /** Whether publishers must hand events over with their transaction id (local mode, or not decided yet). */
  get wantsLocalDelivery(): boolean {
    return this.state === "local" || this.state === "starting";
  }

  /** Whether a NOTIFY may be all a publisher needs to do (listen mode, or not decided yet). */
  get wantsNotify(): boolean {
    return this.state !== "local";
  }

  private isStopped(): boolean {
    return this.state === "stopped";
  }

  /** Connects and decides the mode. */
  async start(): Promise<void> {
    if (this.state !== "new") return;
    this.state = "starting";
    let mode = this.options.mode;
    if (mode !== "local") {
      await this.connect();
      if (!mode) mode = (await this.probeListen()) ? "listen" : "local";
      if (mode === "local") await this.closeListener();
    }
    // stop() may have run while the probe waited (TypeScript cannot see that across the awaits).
    if (this.isStopped()) {
      await this.closeListener();
      return;
    }
    this.state = mode;
    if (mode === "listen") {
      // Events handed over while the probe ran were also NOTIFYed, and LISTEN was already active then.
      this.pending = [];
    } else {
      this.scheduleCommitCheck(0);
    }
  }

  /** Stops listening and ends every subscriber's stream. */
  async stop(): Promise<void> {
    this.state = "stopped";
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    this.pending = [];
    for (const subscriber of [...this.subscribers]) {
      this.subscribers.delete(subscriber);
      subscriber.sink.close();
    }
    await this.closeListener();
    await this.queue;
  }

  /** Adds a subscriber; returns the function that removes it (call it when the client goes away). */
  subscribe(reader: StreamReader, sink: LiveSink): () => void {
    const subscriber: Subscriber = { reader, sink };
    if (this.state === "stopped") {
      sink.close();
      return () => undefined;
    }
    this.subscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  /** Connected subscribers, of one person or in all. */
  subscriberCount(userId?: string): number {
    if (userId === undefined) return this.subscribers.size;
    let count = 0;
    for (const subscriber of this.subscribers) if (subscriber.reader.id === userId) count += 1;
    return count;
  }

  /** Local mode: deliver `event` once transaction `xid` has committed; forget it if it rolls back. */
  deliverAfterCommit(xid: string, event: LiveEvent): void {
    if (!this.wantsLocalDelivery) return;
    if (this.pending.length >= MAX_PENDING) {
      this.logger.warn(
        { dropped: this.pending.shift()?.event.type },
        "live events pile up; dropping the oldest",
      );
    }
    this.pending.push({ xid, event, since: Date.now() });
    if (this.state === "local") this.scheduleCommitCheck(0);
  }

  /** Passes one committed event to the subscribers allowed to hear it (in order with earlier ones). */
  dispatch(event: LiveEvent): Promise<void> {
    return this.run(() => this.fanOut(event), event.type);
  }

  /** Resolves once no event waits for its commit or its dispatch (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.pending.length > 0 || this.commitTimer || this.running > 0) {
      await this.queue;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /**
   * Runs the hub's database work one task at a time. Besides keeping events in order, this matters on the
   * embedded database: pglite-socket interleaves the protocol messages of concurrent connections outside a
   * transaction (electric-sql/pglite#1046), so the hub never runs two queries of its own at once.
   */
  private run(task: () => Promise<void>, what: string): Promise<void> {
    this.running += 1;
    this.queue = this.queue
      .then(task)
      .catch((error: unknown) => this.logger.error({ err: error, what }, "live hub task failed"))
      .finally(() => {
        this.running -= 1;
      });
    return this.queue;
  }

  private async fanOut(event: LiveEvent): Promise<void> {
    if (this.subscribers.size === 0) return;
    const subscribers = [...this.subscribers];
    if (event.type === "notification.created") {
      for (const subscriber of subscribers) {
        if (subscriber.reader.id === event.userId) {
          subscriber.sink.send({ type: event.type, data: { notificationId: event.notificationId } });
        }
      }
      return;
    }
    const post = await prisma.post.findUnique({
      where: { id: event.postId },
      select: {
        id: true,
        authorId: true,
        placeId: true,
        kind: true,
        audience: true,
        deletedAt: true,
        hiddenAt: true,
      },
    });
    if (!post) return;
    // Memberships change while people stay connected: for the places this post is restricted to, ask the
    // database now instead of trusting what was true when each browser connected.
    const restrictedTo = post.audience.filter((key) => key.startsWith("place:")).map((key) => key.slice(6));
    const members = new Set<string>();
    if (restrictedTo.length > 0) {
      const rows = await prisma.placeMembership.findMany({
        where: {
          placeId: { in: restrictedTo },
          userId: { in: [...new Set(subscribers.map((s) => s.reader.id))] },
        },
        select: { placeId: true, userId: true },
      });
      for (const row of rows) members.add(`${row.userId} ${row.placeId}`);
    }
    const data = { postId: post.id, authorId: post.authorId, placeId: post.placeId, kind: post.kind };
    for (const subscriber of subscribers) {
      const { reader } = subscriber;
      const current: StreamReader =
        restrictedTo.length === 0
          ? reader
          : {
              ...reader,
              placeIds: [
                ...reader.placeIds.filter((id) => !restrictedTo.includes(id)),
                ...restrictedTo.filter((id) => members.has(`${reader.id} ${id}`)),
              ],
            };
      if (canSeePost(current, post)) subscriber.sink.send({ type: "post.created", data });
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Local mode: waiting for commits
  // -------------------------------------------------------------------------------------------------

  private scheduleCommitCheck(delay: number): void {
    if (this.state !== "local" || this.commitTimer || this.pending.length === 0) return;
    this.commitTimer = setTimeout(() => {
      void this.run(() => this.checkCommits(), "commit check").finally(() => {
        this.commitTimer = undefined;
        this.scheduleCommitCheck(this.pending.some((item) => item.checked) ? this.commitDelay : 0);
      });
    }, delay);
  }

  private async checkCommits(): Promise<void> {
    if (this.state !== "local" || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    let waiting: PendingCommit[] = [];
    try {
      const xids = [...new Set(batch.map((item) => item.xid))];
      const rows = await prisma.$queryRaw<{ xid: string; status: string | null }[]>`
        SELECT x AS "xid", pg_xact_status(x::xid8) AS "status" FROM unnest(${xids}::text[]) AS x`;
      const status = new Map(rows.map((row) => [row.xid, row.status]));
      const now = Date.now();
      for (const item of batch) {
        const state = status.get(item.xid);
        if (state === "committed") await this.fanOut(item.event);
        else if (state === "in progress" && now - item.since < MAX_COMMIT_WAIT_MS) {
          waiting.push({ ...item, checked: true });
        }
        // aborted, or too old to know: the change never happened as far as listeners are concerned.
      }
    } catch (error) {
      this.logger.warn({ err: error }, "could not check live event commits; retrying");
      waiting = batch.map((item) => ({ ...item, checked: true }));
    }
    this.pending = [...waiting, ...this.pending];
    // A transaction still running is asked again with a growing pause (up to 1 s); new arrivals at once.
    this.commitDelay =
      waiting.length > 0 ? Math.min(this.commitDelay * 2, 1_000) : (this.options.commitPollMs ?? 25);
  }

  // -------------------------------------------------------------------------------------------------
  // Listen mode: the LISTEN connection
  // -------------------------------------------------------------------------------------------------

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on("notification", (message) => {
      if (message.channel === LIVE_CHANNEL && message.payload) this.heard(message.payload);
    });
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.listener = client;
  }

  private heard(payload: string): void {
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    const probe = message as Partial<ProbeMessage>;
    if (probe.type === "probe") {
      if (this.probe && probe.token === this.probe.token) this.probe.arrived();
      return;
    }
    const parsed = LiveEventSchema.safeParse(message);
    if (parsed.success && this.state === "listen") void this.dispatch(parsed.data);
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    void client.end().catch(() => undefined);
    if (this.state !== "listen") return;
    this.logger.warn({ err: error }, "live listener lost its connection; reconnecting");
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.state !== "listen" || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().catch((error: unknown) => {
        this.logger.warn({ err: error }, "live listener could not reconnect");
        this.scheduleReconnect();
      });
    }, RECONNECT_DELAY_MS);
  }

  private async closeListener(): Promise<void> {
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Sends a probe NOTIFY from a second connection and reports whether the listener heard it. */
  private async probeListen(): Promise<boolean> {
    const token = randomBytes(8).toString("hex");
    const sender = new pg.Client({ connectionString: this.connectionString });
    sender.on("error", () => undefined);
    try {
      const arrived = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), this.options.probeTimeoutMs ?? 1_000);
        this.probe = {
          token,
          arrived: () => {
            clearTimeout(timer);
            resolve(true);
          },
        };
      });
      await sender.connect();
      const message: ProbeMessage = { type: "probe", token };
      await sender.query("SELECT pg_notify($1, $2)", [LIVE_CHANNEL, JSON.stringify(message)]);
      return await arrived;
    } finally {
      this.probe = undefined;
      await sender.end().catch(() => undefined);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The process's hub and publishing
// ---------------------------------------------------------------------------------------------------

// On globalThis: the Express server and the Remix build are two bundles, and both must see the same hub.
const HUB_KEY = Symbol.for("werkplek.live-hub");
type HubHolder = { [HUB_KEY]?: { hub: LiveHub; started: Promise<LiveHub> } };

/** The running hub of this process, if anything subscribed yet. */
export function currentLiveHub(): LiveHub | undefined {
  return (globalThis as HubHolder)[HUB_KEY]?.hub;
}

/** The hub of this process, started on first use on DATABASE_URL (a changed URL gets a new hub). */
export async function ensureLiveHub(
  options: Omit<LiveHubOptions, "connectionString"> = {},
): Promise<LiveHub> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: the server sets it before handling requests");
  const holder = globalThis as HubHolder;
  const current = holder[HUB_KEY];
  if (current && current.hub.connectionString === url) return current.started;
  if (current) void current.hub.stop();
  const hub = new LiveHub({ ...options, connectionString: url });
  const started = hub.start().then(() => hub);
  holder[HUB_KEY] = { hub, started };
  started.catch(() => {
    // A failed start is retried by the next caller.
    if (holder[HUB_KEY]?.hub === hub) holder[HUB_KEY] = undefined;
  });
  return started;
}

/** Stops the hub of this process and ends its streams (graceful shutdown, tests). */
export async function stopLiveHub(): Promise<void> {
  const holder = globalThis as HubHolder;
  const current = holder[HUB_KEY];
  holder[HUB_KEY] = undefined;
  await current?.hub.stop();
}

/**
 * Publishes a live event from inside the writer's transaction: listeners hear it when the transaction
 * commits, and never when it rolls back, on PostgreSQL and on the embedded database alike. Pass the
 * transaction client; outside a transaction the event goes out at once.
 */
export async function publishLiveEvent(db: Prisma.TransactionClient, event: LiveEvent): Promise<void> {
  await publishLiveEvents(db, [event]);
}

/** Publishes several live events in one statement (see publishLiveEvent); invalid events throw first. */
export async function publishLiveEvents(
  db: Prisma.TransactionClient,
  events: readonly LiveEvent[],
): Promise<void> {
  const parsed = events.map((event) => LiveEventSchema.parse(event));
  if (parsed.length === 0) return;
  const hub = currentLiveHub();
  if (!hub || hub.wantsNotify) {
    const payloads = parsed.map((event) => JSON.stringify(event));
    // pg_notify returns void, which Prisma cannot read back: count the rows instead.
    await db.$queryRaw`SELECT count(pg_notify(${LIVE_CHANNEL}, payload))::int AS "sent" FROM unnest(${payloads}::text[]) AS payload`;
  }
  if (hub?.wantsLocalDelivery) {
    const [row] = await db.$queryRaw<{ xid: string }[]>`SELECT pg_current_xact_id()::text AS "xid"`;
    if (row) for (const event of parsed) hub.deliverAfterCommit(row.xid, event);
  }
}
