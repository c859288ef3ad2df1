/**
 * Migrations: (a) prisma/migrations/ must build exactly the database prisma/schema.prisma describes (no
 * drift), and (b) the migrator records them the way Prisma does and applies each atomically.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded";
import { migrate, MIGRATIONS_DIR, readMigrations } from "./migrate";

const ROOT = path.resolve(import.meta.dirname, "../..");

// ---------------------------------------------------------------------------------------------------
// Schema snapshots from the PostgreSQL catalogs
// ---------------------------------------------------------------------------------------------------

type Snapshot = {
  tables: Set<string>;
  /** "Table.column" → "type NULL|NOT NULL default …" */
  columns: Map<string, string>;
  /** enum type → its values */
  enums: Map<string, string[]>;
  /** "Table.constraint" → { kind, definition } (primary, unique, foreign, check, exclusion) */
  constraints: Map<string, { kind: string; definition: string }>;
  /** "Table.index" → { unique, definition } */
  indexes: Map<string, { unique: boolean; definition: string }>;
};

const CONSTRAINT_KINDS: Record<string, string> = {
  p: "primary key",
  u: "unique",
  f: "foreign key",
  c: "check",
  x: "exclusion",
};

async function snapshot(client: pg.Client): Promise<Snapshot> {
  const tables = await client.query<{ table: string }>(`
    SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'`);
  const columns = await client.query<{
    table: string;
    column: string;
    type: string;
    not_null: boolean;
    default: string | null;
    identity: string;
    generated: string;
  }>(`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
      a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default,
      a.attidentity AS identity, a.attgenerated AS generated
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'
      AND a.attnum > 0 AND NOT a.attisdropped`);
  const enums = await client.query<{ name: string; values: string[] }>(`
    SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' GROUP BY t.typname`);
  const constraints = await client.query<{ table: string; name: string; kind: string; definition: string }>(`
    SELECT c.relname AS table, co.conname AS name, co.contype::text AS kind,
      pg_get_constraintdef(co.oid) AS definition
    FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relname <> '_prisma_migrations' AND co.contype IN ('p', 'u', 'f', 'c', 'x')`);
  const indexes = await client.query<{ table: string; name: string; unique: boolean; definition: string }>(`
    SELECT t.relname AS table, i.relname AS name, x.indisunique AS unique, pg_get_indexdef(i.oid) AS definition
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`);
  return {
    tables: new Set(tables.rows.map((r) => r.table)),
    columns: new Map(
      columns.rows.map((r) => [
        `${r.table}.${r.column}`,
        [
          r.type,
          r.not_null ? "NOT NULL" : "NULL",
          r.default === null ? "no default" : `DEFAULT ${r.default}`,
          r.identity ? `identity ${r.identity}` : "",
          r.generated ? `generated ${r.generated}` : "",
        ]
          .filter(Boolean)
          .join(" "),
      ]),
    ),
    enums: new Map(enums.rows.map((r) => [r.name, r.values])),
    constraints: new Map(
      constraints.rows.map((r) => [
        `${r.table}.${r.name}`,
        { kind: CONSTRAINT_KINDS[r.kind]!, definition: r.definition },
      ]),
    ),
    indexes: new Map(
      indexes.rows.map((r) => [`${r.table}.${r.name}`, { unique: r.unique, definition: r.definition }]),
    ),
  };
}

/**
 * Differences between the database the migrations build and the one schema.prisma describes. Tables,
 * columns, enums, keys and unique indexes must match exactly. The migrations may add what Prisma cannot
 * express (non-unique indexes such as GIN or trigram indexes, partial unique indexes, CHECK constraints,
 * triggers, functions).
 */
function differences(migrated: Snapshot, schema: Snapshot): string[] {
  const found: string[] = [];
  const inSchemaOnly = "in schema.prisma but not in the migrations";
  const inMigrationsOnly = "created by the migrations but not in schema.prisma";

  for (const table of schema.tables)
    if (!migrated.tables.has(table)) found.push(`table ${table}: ${inSchemaOnly}`);
  for (const table of migrated.tables)
    if (!schema.tables.has(table)) found.push(`table ${table}: ${inMigrationsOnly}`);

  for (const [column, expected] of schema.columns) {
    const actual = migrated.columns.get(column);
    if (actual === undefined) {
      if (migrated.tables.has(column.split(".")[0]!))
        found.push(`column ${column} (${expected}): ${inSchemaOnly}`);
    } else if (actual !== expected) {
      found.push(`column ${column}: schema.prisma says "${expected}", the migrations made "${actual}"`);
    }
  }
  for (const [column, actual] of migrated.columns) {
    if (!schema.columns.has(column) && schema.tables.has(column.split(".")[0]!)) {
      found.push(`column ${column} (${actual}): ${inMigrationsOnly}`);
    }
  }

  for (const [name, values] of schema.enums) {
    const actual = migrated.enums.get(name);
    if (!actual) found.push(`enum ${name}: ${inSchemaOnly}`);
    // Compared as sets: Prisma itself appends new values (ADD VALUE) whatever their place in the schema.
    else if ([...actual].sort().join(",") !== [...values].sort().join(",")) {
      found.push(
        `enum ${name}: schema.prisma has [${values.join(", ")}], the migrations made [${actual.join(", ")}]`,
      );
    }
  }
  for (const name of migrated.enums.keys())
    if (!schema.enums.has(name)) found.push(`enum ${name}: ${inMigrationsOnly}`);

  for (const [name, expected] of schema.constraints) {
    const actual = migrated.constraints.get(name);
    if (!actual) found.push(`${expected.kind} ${name} (${expected.definition}): ${inSchemaOnly}`);
    else if (actual.kind !== expected.kind || actual.definition !== expected.definition) {
      found.push(
        `${expected.kind} ${name}: schema.prisma says "${expected.definition}", the migrations made ${actual.kind} "${actual.definition}"`,
      );
    }
  }
  for (const [name, actual] of migrated.constraints) {
    if (!schema.constraints.has(name) && actual.kind !== "check" && actual.kind !== "exclusion") {
      found.push(`${actual.kind} ${name} (${actual.definition}): ${inMigrationsOnly}`);
    }
  }

  for (const [name, expected] of schema.indexes) {
    const actual = migrated.indexes.get(name);
    if (!actual) found.push(`index ${name} (${expected.definition}): ${inSchemaOnly}`);
    else if (actual.definition !== expected.definition) {
      found.push(
        `index ${name}: schema.prisma says "${expected.definition}", the migrations made "${actual.definition}"`,
      );
    }
  }
  for (const [name, actual] of migrated.indexes) {
    // A partial unique index ("… WHERE …") is beyond Prisma 6's schema language, like a CHECK constraint.
    if (!schema.indexes.has(name) && actual.unique && !/ WHERE /.test(actual.definition)) {
      found.push(
        `unique index ${name} (${actual.definition}): ${inMigrationsOnly}; declare it with @unique/@@unique`,
      );
    }
  }
  return found.sort();
}

function driftReport(found: string[]): string {
  return [
    "prisma/schema.prisma and prisma/migrations/ describe different databases:",
    ...found.map((line) => `  - ${line}`),
    "If you changed schema.prisma, write the migration with `npm run db:migration -- <name>` (see scripts/db-migration.ts)",
    "and commit it with the schema. If a migration was edited by hand, make schema.prisma say the same.",
  ].join("\n");
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------

const databases: EmbeddedPostgres[] = [];
async function freshDatabase() {
  const db = await startEmbeddedPostgres({ port: 0 });
  databases.push(db);
  return db;
}

afterAll(async () => {
  for (const db of databases) await db.stop();
});

describe("schema drift", () => {
  let migratedUrl = "";
  let fromSchema: Snapshot;

  beforeAll(async () => {
    const migrated = await freshDatabase();
    await migrate(migrated.url);
    migratedUrl = migrated.url;

    // Prisma's JS schema engine connects even for a pure diff: a throwaway PGlite stands in. execFile,
    // not spawnSync: the PGlite socket answers on this process's event loop.
    const scratch = await startEmbeddedPostgres({ port: 0 });
    let sql: string;
    try {
      const result = await promisify(execFile)(
        "npx",
        [
          "prisma",
          "migrate",
          "diff",
          "--from-empty",
          "--to-schema-datamodel",
          "prisma/schema.prisma",
          "--script",
        ],
        { cwd: ROOT, encoding: "utf8", env: { ...process.env, DATABASE_URL: scratch.url } },
      );
      sql = result.stdout;
    } finally {
      await scratch.stop();
    }
    expect(sql).toContain("CREATE TABLE");
    const target = await freshDatabase();
    fromSchema = await withClient(target.url, async (client) => {
      await client.query(sql);
      return snapshot(client);
    });
  }, 180_000);

  it("has the migrations build exactly what schema.prisma describes", async () => {
    const fromMigrations = await withClient(migratedUrl, snapshot);
    expect(fromSchema.tables.size).toBeGreaterThan(0);
    const found = differences(fromMigrations, fromSchema);
    if (found.length) expect.fail(driftReport(found));
  });

  it("notices drift, and tolerates only what Prisma cannot express", async () => {
    const db = await freshDatabase();
    await migrate(db.url);
    const found = await withClient(db.url, async (client) => {
      await client.query(`
        -- Tolerated: a trigram index, a trigger with its function, a CHECK constraint.
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX "User_displayName_trgm_idx" ON "User" USING gin ("displayName" gin_trgm_ops);
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER "User_touch" BEFORE UPDATE ON "User" FOR EACH ROW EXECUTE FUNCTION touch();
        ALTER TABLE "User" ADD CONSTRAINT "User_locale_check" CHECK ("locale" IN ('nl', 'en'));
        CREATE UNIQUE INDEX "User_active_email_key" ON "User" ("email") WHERE "active";
        -- Drift.
        ALTER TABLE "User" ALTER COLUMN "jobTitle" SET NOT NULL;
        ALTER TABLE "User" ALTER COLUMN "locale" SET DEFAULT 'en';
        ALTER TABLE "User" ADD COLUMN "nickname" TEXT;
        ALTER TABLE "Session" DROP COLUMN "kind";
        ALTER TYPE "Role" ADD VALUE 'guest';
        CREATE TABLE "Orphan" ("id" TEXT PRIMARY KEY);
        CREATE UNIQUE INDEX "User_displayName_key" ON "User" ("displayName");
        DROP INDEX "Session_expiresAt_idx";
        ALTER TABLE "Session" DROP CONSTRAINT "Session_userId_fkey";
        ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id");
      `);
      return differences(await snapshot(client), fromSchema);
    });
    expect(found).toEqual([
      "column Session.kind (text NOT NULL DEFAULT 'web'::text): in schema.prisma but not in the migrations",
      'column User.jobTitle: schema.prisma says "text NULL no default", the migrations made "text NOT NULL no default"',
      "column User.locale: schema.prisma says \"text NOT NULL DEFAULT 'nl'::text\", the migrations made \"text NOT NULL DEFAULT 'en'::text\"",
      "column User.nickname (text NULL no default): created by the migrations but not in schema.prisma",
      "enum Role: schema.prisma has [employee, editor, communicator, hr, admin], the migrations made [employee, editor, communicator, admin, hr, guest]",
      'foreign key Session.Session_userId_fkey: schema.prisma says "FOREIGN KEY ("userId") REFERENCES "User"(id) ON UPDATE CASCADE ON DELETE CASCADE", the migrations made foreign key "FOREIGN KEY ("userId") REFERENCES "User"(id)"',
      'index Session.Session_expiresAt_idx (CREATE INDEX "Session_expiresAt_idx" ON public."Session" USING btree ("expiresAt")): in schema.prisma but not in the migrations',
      "primary key Orphan.Orphan_pkey (PRIMARY KEY (id)): created by the migrations but not in schema.prisma",
      "table Orphan: created by the migrations but not in schema.prisma",
      'unique index Orphan.Orphan_pkey (CREATE UNIQUE INDEX "Orphan_pkey" ON public."Orphan" USING btree (id)): created by the migrations but not in schema.prisma; declare it with @unique/@@unique',
      'unique index User.User_displayName_key (CREATE UNIQUE INDEX "User_displayName_key" ON public."User" USING btree ("displayName")): created by the migrations but not in schema.prisma; declare it with @unique/@@unique',
    ]);
    expect(driftReport(found)).toContain("npm run db:migration -- <name>");
  });
});

describe("migrate", () => {
  const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

  it("records every migration as Prisma does, and applies nothing the second time", async () => {
    const db = await freshDatabase();
    const onDisk = await readMigrations();
    expect(onDisk.length).toBeGreaterThan(0);
    const first = await migrate(db.url);
    expect(first).toEqual({ applied: onDisk.map((m) => m.name), alreadyApplied: 0 });

    const rows = await withClient(db.url, async (client) => {
      const result = await client.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        started_at: Date;
        rolled_back_at: Date | null;
        applied_steps_count: number;
        logs: string | null;
        id: string;
      }>(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);
      return result.rows;
    });
    expect(rows.map((r) => r.migration_name)).toEqual(onDisk.map((m) => m.name));
    for (const row of rows) {
      expect(row.checksum).toBe(sha256(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql")));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }

    const second = await migrate(db.url);
    expect(second).toEqual({ applied: [], alreadyApplied: onDisk.length });
    const count = await withClient(db.url, (client) =>
      client.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`),
    );
    expect(count.rows[0].n).toBe(onDisk.length);
  });

  it("rolls a failing migration back completely and resumes once it is fixed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "werkplek-migrations-"));
    const write = (name: string, sql: string) => {
      fs.mkdirSync(path.join(dir, name), { recursive: true });
      fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
    };
    try {
      write("20990101000000_first", `CREATE TABLE "First" ("id" INTEGER PRIMARY KEY);`);
      write(
        "20990101000001_broken",
        `CREATE TABLE "Half" ("id" INTEGER);\nINSERT INTO "First" VALUES (1);\nSELECT * FROM "does_not_exist";\n`,
      );
      write("20990101000002_after", `CREATE TABLE "After" ("id" INTEGER);`);
      const db = await freshDatabase();

      await expect(migrate(db.url, { dir })).rejects.toThrow(
        /^Migration 20990101000001_broken failed: .*does_not_exist/,
      );
      const state = () =>
        withClient(db.url, async (client) => ({
          recorded: (
            await client.query<{ migration_name: string }>(
              `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
            )
          ).rows.map((r) => r.migration_name),
          tables: (
            await client.query<{ table_name: string }>(
              `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
            )
          ).rows.map((r) => r.table_name),
          firstRows: (await client.query(`SELECT count(*)::int AS n FROM "First"`)).rows[0].n as number,
        }));
      expect(await state()).toEqual({
        recorded: ["20990101000000_first"],
        tables: ["First", "_prisma_migrations"],
        firstRows: 0,
      });

      write(
        "20990101000001_broken",
        `CREATE TABLE "Half" ("id" INTEGER);\nINSERT INTO "First" VALUES (1);\n`,
      );
      expect(await migrate(db.url, { dir })).toEqual({
        applied: ["20990101000001_broken", "20990101000002_after"],
        alreadyApplied: 1,
      });
      expect(await state()).toEqual({
        recorded: ["20990101000000_first", "20990101000001_broken", "20990101000002_after"],
        tables: ["After", "First", "Half", "_prisma_migrations"],
        firstRows: 1,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
