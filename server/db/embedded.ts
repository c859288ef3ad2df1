/**
 * The embedded PostgreSQL: PGlite inside this process, exposed on 127.0.0.1 through
 * pglite-socket so that Prisma, pg and every other Postgres client work unchanged.
 */
import fs from "node:fs/promises";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { keepProtocolBatchesTogether } from "./socket-queue";

export type EmbeddedPostgres = {
  /** postgresql:// URL for clients. */
  url: string;
  port: number;
  db: PGlite;
  stop(): Promise<void>;
};

type StartOptions = {
  /** Directory for the data files; `undefined` keeps the database in memory (tests). */
  dataDir?: string;
  /** 0 picks a free port. */
  port: number;
  maxConnections?: number;
  /** A data directory tarball (from `dumpDataDir`) to start from, used by tests to skip migrations. */
  loadDataDir?: Blob;
};

/** Extensions that later modules rely on (search: typo tolerance and accent folding). */
export const pgliteExtensions = { pg_trgm, unaccent } satisfies PGliteOptions["extensions"];

/** Starts PGlite and its socket server; the caller stops both with `stop()`. */
export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedPostgres> {
  if (options.dataDir) await fs.mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create({
    dataDir: options.dataDir,
    extensions: pgliteExtensions,
    loadDataDir: options.loadDataDir,
  });
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.port,
    // The default of 1 makes a second pool connection die with "Connection terminated unexpectedly".
    maxConnections: options.maxConnections ?? 20,
  });
  if (!keepProtocolBatchesTogether(server)) {
    console.warn(
      "pglite-socket's query queue is not the one server/db/socket-queue.ts knows: concurrent " +
        "connections may interleave their queries (electric-sql/pglite#1046)",
    );
  }
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    db,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
