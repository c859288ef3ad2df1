/** Gives the calling test file its own fresh, migrated database and points the app's Prisma client at it. */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { disconnectPrisma } from "../../app/db.server";
import { resetEnvCache } from "../../app/env.server";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../server/db/embedded";
import { TEMPLATE_DATABASE } from "./global-database";

export type TestDatabase = { url: string };

/** Creates a fresh database from the template; returns its URL and a function that removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `werkplek_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      drop: async () => {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const template = inject("pgliteTemplate");
  const loadDataDir = template ? new Blob([await fs.readFile(template)]) : undefined;
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ port: 0, loadDataDir });
  return { url: embedded.url, drop: () => embedded.stop() };
}

/** Registers hooks that give this test file its own database for all its tests. */
export function setupTestDatabase(): TestDatabase {
  const handle: TestDatabase = { url: "" };
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createTestDatabase();
    drop = created.drop;
    handle.url = created.url;
    process.env.DATABASE_URL = created.url;
    resetEnvCache();
  });
  afterAll(async () => {
    await disconnectPrisma();
    await drop?.();
  });
  return handle;
}
