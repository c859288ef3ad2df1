/**
 * Database access for command-line scripts (db:migrate, db:seed). With DATABASE_URL set, that server.
 * Without it, the embedded database: through the running app's socket when `npm start` is up (PGlite's
 * data directory must never be opened by two processes), otherwise by opening the data directory directly.
 */
import net from "node:net";
import { type Env } from "../../app/env.server";
import { startEmbeddedPostgres } from "./embedded";

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(1000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Runs `work` with a connection URL for the configured database, cleaning up afterwards. */
export async function withCliDatabase<T>(env: Env, work: (url: string) => Promise<T>): Promise<T> {
  if (env.DATABASE_URL) return work(env.DATABASE_URL);
  if (env.PGLITE_PORT !== 0 && (await portAnswers(env.PGLITE_PORT))) {
    console.log(`Using the running app's embedded database on 127.0.0.1:${env.PGLITE_PORT}.`);
    return work(`postgresql://postgres@127.0.0.1:${env.PGLITE_PORT}/postgres?sslmode=disable`);
  }
  const embedded = await startEmbeddedPostgres({ dataDir: env.pgliteDataDir, port: 0 });
  try {
    return await work(embedded.url);
  } finally {
    await embedded.stop();
  }
}
