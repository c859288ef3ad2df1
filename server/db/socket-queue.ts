/**
 * A fix for pglite-socket's query queue (electric-sql/pglite#1046, fix proposed in #977): the socket server
 * runs the protocol messages of all connections one at a time on PGlite's single session, but keeps one
 * connection's messages together only inside a SQL transaction. An extended-query batch (Parse, Bind,
 * Describe, Execute ... Sync), which Prisma and pg use for every parameterised query, can then interleave
 * with another connection's batch: "bind message supplies 3 parameters, but prepared statement requires
 * 1". It also stops serving every connection after one failed message.
 *
 * This replaces the queue's scheduler on our server instance so that a connection that opened a batch
 * keeps PGlite until its Sync (or a simple Query), as well as for a whole transaction, and so that a
 * failure only fails that message. The queue is private in the library: the shape is checked at start
 * and a library that changed it is left alone with a warning (embedded PGlite is for development only).
 */
import { type PGlite } from "@electric-sql/pglite";

type QueuedMessage = {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: Error): void;
  onData(data: Uint8Array): void;
};

type QueueInternals = {
  queue: QueuedMessage[];
  processing: boolean;
  db: PGlite;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
};

const code = (letter: string) => letter.charCodeAt(0);
/** Frontend messages that open or continue an extended-query batch: Parse, Bind, Describe, Execute, Close, Flush. */
const IN_BATCH = new Set(["P", "B", "D", "E", "C", "H"].map(code));
/** Messages after which the backend is ready for another connection: Sync and a simple Query. */
const ENDS_BATCH = new Set(["S", "Q"].map(code));

function isQueueInternals(value: unknown): value is QueueInternals {
  if (!value || typeof value !== "object") return false;
  const queue = value as Partial<QueueInternals>;
  return (
    Array.isArray(queue.queue) &&
    typeof queue.processing === "boolean" &&
    typeof queue.processQueue === "function" &&
    typeof queue.clearQueueForHandler === "function" &&
    typeof queue.db?.isInTransaction === "function" &&
    typeof queue.db?.execProtocolRawStream === "function"
  );
}

/**
 * Installs the batch-aware scheduler on a PGLiteSocketServer. Returns false (and changes nothing) when the
 * library's internals are not what this was written for.
 */
export function keepProtocolBatchesTogether(server: object): boolean {
  const internals = (server as { queryQueue?: unknown }).queryQueue;
  if (!isQueueInternals(internals)) return false;
  const queue = internals;
  /** The connection whose extended-query batch is open, if any. */
  let openBatch: number | null = null;

  queue.processQueue = async function processQueue(): Promise<void> {
    if (queue.processing || queue.queue.length === 0) return;
    queue.processing = true;
    try {
      while (queue.queue.length > 0) {
        const owner = openBatch ?? (queue.db.isInTransaction() ? queue.lastHandlerId : null);
        const index = owner === null ? 0 : queue.queue.findIndex((item) => item.handlerId === owner);
        // The owner's next message has not arrived yet: wait for it (enqueue calls us again).
        if (index === -1) break;
        const [item] = queue.queue.splice(index, 1);
        if (!item) break;
        let bytes = 0;
        try {
          await queue.db.runExclusive(() =>
            queue.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          openBatch = null;
          queue.lastHandlerId = item.handlerId;
          item.reject(error instanceof Error ? error : new Error(String(error)));
          continue;
        }
        const type = item.message[0] ?? 0;
        if (ENDS_BATCH.has(type)) openBatch = null;
        else if (IN_BATCH.has(type)) openBatch = item.handlerId;
        queue.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      queue.processing = false;
    }
  };

  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    // A connection that went away in the middle of a batch must not hold the others up.
    if (openBatch === handlerId) openBatch = null;
    void queue.processQueue();
  };
  return true;
}
