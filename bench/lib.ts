/**
 * Shared plumbing of the benchmark scripts: a scratch database on a real PostgreSQL server (never PGlite),
 * deterministic random data, timing and the percentile table the README quotes.
 */
import { loadavg } from "node:os";
import pg from "pg";
import { disconnectPrisma } from "../app/db.server";
import { resetEnvCache } from "../app/env.server";

export type ScratchDatabase = {
  /** Connection to the scratch database, for bulk inserts and EXPLAIN. */
  db: pg.Client;
  url: string;
  /** PostgreSQL's version string, for the report. */
  version: string;
  /** Closes the connections and drops the database unless BENCH_KEEP=1. */
  close(): Promise<void>;
};

/**
 * Creates (or recreates) `name` on the server of DATABASE_URL, applies the migrations and points the app's
 * Prisma client at it. Exits with code 2 when DATABASE_URL is unset or names the embedded PGlite.
 */
export async function openScratchDatabase(name: string, script: string): Promise<ScratchDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    console.error(
      `${script} needs DATABASE_URL pointing at a real PostgreSQL server (not the embedded PGlite).`,
    );
    process.exit(2);
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const version = (await admin.query<{ version: string }>("SELECT version()")).rows[0]!.version;
  if (/emscripten|wasm|pglite/i.test(version)) {
    console.error(`Refusing to benchmark on PGlite (${version}); point DATABASE_URL at a PostgreSQL server.`);
    process.exit(2);
  }
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const { migrate } = await import("../server/db/migrate");
  await migrate(url.toString());
  process.env.DATABASE_URL = url.toString();
  resetEnvCache();
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  return {
    db,
    url: url.toString(),
    version,
    async close() {
      await db.end();
      await disconnectPrisma();
      if (process.env.BENCH_KEEP !== "1") await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** A deterministic pseudo-random generator, so every run generates the same data. */
export function seededRandom(seed: number) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return { random, pick };
}

/** Milliseconds one piece of work took. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** The p-th percentile (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Prints runs, p50, p95, p99 and max per series as a Markdown table. */
export function printPercentiles(series: Record<string, readonly number[]>): void {
  const row = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(28) : c.padStart(8))).join(" | ")} |`;
  console.log(row(["measurement", "runs", "p50 ms", "p95 ms", "p99 ms", "max ms"]));
  console.log(
    row(["-".repeat(28), "-".repeat(8), "-".repeat(8), "-".repeat(8), "-".repeat(8), "-".repeat(8)]),
  );
  for (const [name, values] of Object.entries(series)) {
    if (values.length === 0) continue;
    const cells = [50, 95, 99, 100].map((p) => percentile(values, p).toFixed(1));
    console.log(row([name, String(values.length), ...cells]));
  }
}

/** The 1-minute load average: the machines are shared, so a busy neighbour shows in wall-clock figures. */
export function loadAverage(): string {
  return loadavg()[0]!.toFixed(2);
}
