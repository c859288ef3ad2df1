/**
 * Builds the migrated template database once per test run. Each test file then gets its own fresh copy
 * (tests/setup/database.ts): a PGlite loaded from the dumped data directory, or, when TEST_DATABASE_URL
 * points at a real PostgreSQL server, a database created from a template database.
 */
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { type TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../server/db/embedded";
import { migrate } from "../../server/db/migrate";

export const TEMPLATE_DATABASE = "werkplek_test_template";
const TMP = path.resolve(import.meta.dirname, "../.tmp");

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${TEMPLATE_DATABASE}`;
    await migrate(url.toString());
    project.provide("pgliteTemplate", "");
    return;
  }
  const db = await startEmbeddedPostgres({ port: 0 });
  try {
    await migrate(db.url);
    const dump = await db.db.dumpDataDir("none");
    await fs.mkdir(TMP, { recursive: true });
    const file = path.join(TMP, `template-${process.pid}.tar`);
    await fs.writeFile(file, Buffer.from(await dump.arrayBuffer()));
    project.provide("pgliteTemplate", file);
    return async () => {
      await fs.rm(file, { force: true });
    };
  } finally {
    await db.stop();
  }
}
