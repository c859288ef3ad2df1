/**
 * Applies prisma/migrations/<name>/migration.sql files in order, each in its own transaction, and records
 * them in `_prisma_migrations` exactly as `prisma migrate deploy` does (checksum = sha256 of the file),
 * because Prisma 6.19's wasm schema engine cannot migrate PostgreSQL (docs/decisions/0002).
 */
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname ?? ".", "../../prisma/migrations");

export type Migration = { name: string; sql: string; checksum: string };

/** Reads the migrations on disk, sorted by folder name (Prisma's timestamp prefix keeps them in order). */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const migrations: Migration[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(dir, entry.name, "migration.sql");
    const sql = await fs.readFile(file, "utf8").catch(() => null);
    if (sql === null) continue;
    migrations.push({ name: entry.name, sql, checksum: createHash("sha256").update(sql).digest("hex") });
  }
  return migrations;
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Any constant works: it only has to be the same for every process that migrates this database.
const ADVISORY_LOCK_KEY = 7_202_611_230;

export type MigrateResult = { applied: string[]; alreadyApplied: number };

/** Applies pending migrations; safe to run from several processes at once (an advisory lock serialises them). */
export async function migrate(
  connectionString: string,
  options: { dir?: string; log?: (message: string) => void } = {},
): Promise<MigrateResult> {
  const migrations = await readMigrations(options.dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
    }>(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`);
    const done = new Map(rows.map((row) => [row.migration_name, row]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const previous = done.get(migration.name);
      if (previous?.finished_at) {
        if (previous.checksum !== migration.checksum) {
          options.log?.(`warning: migration ${migration.name} was changed after it was applied`);
        }
        continue;
      }
      if (previous) {
        throw new Error(
          `Migration ${migration.name} failed earlier and is marked as started; fix the database and mark it rolled back`,
        );
      }
      const id = randomUUID();
      await client.query("BEGIN");
      try {
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
          [id, migration.checksum, migration.name],
        );
        await client.query(migration.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      options.log?.(`applied migration ${migration.name}`);
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: migrations.length - applied.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

/** Names of migrations on disk that are not among `applied` (used by /readyz). */
export async function pendingMigrations(applied: Iterable<string>, dir = MIGRATIONS_DIR): Promise<string[]> {
  const done = new Set(applied);
  return (await readMigrations(dir)).map((m) => m.name).filter((name) => !done.has(name));
}
