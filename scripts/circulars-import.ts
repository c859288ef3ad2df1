/**
 * `npm run circulars:import -- <folder> --as <editor> [--status draft|published] [--approved-by <editor>]
 *  [--metadata <csv>] [--report <file.json>] [--dry-run]`
 *
 * Imports legacy circulars (.docx, .pdf, .html, .md and an optional metadata.csv) into the configured
 * database: DATABASE_URL, the running app's embedded database, or the embedded data directory. Editors
 * are named by employee number or e-mail. Exit code 0 when every file was imported or skipped, 1 when
 * some failed (the others are imported), 2 when the import could not start.
 */
import fs from "node:fs/promises";
import { parseArgs } from "node:util";
import { disconnectPrisma } from "../app/db.server";
import { getEnv, resetEnvCache } from "../app/env.server";
import {
  findImportEditor,
  type ImportEntry,
  importCirculars,
  ImportSetupError,
} from "../app/modules/circulars/import/import.server";
import { withCliDatabase } from "../server/db/cli-database";
import { migrate } from "../server/db/migrate";

const USAGE = `Usage: npm run circulars:import -- <folder> --as <employee number or e-mail>
  [--status draft|published]   status for files the metadata CSV does not set (default draft)
  [--approved-by <editor>]     second editor recorded as approver of published imports (required for published)
  [--metadata <file.csv>]      metadata CSV (default: <folder>/metadata.csv when present)
  [--report <file.json>]       also write the report as JSON
  [--dry-run]                  check everything, write nothing`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      as: { type: "string" },
      status: { type: "string", default: "draft" },
      "approved-by": { type: "string" },
      metadata: { type: "string" },
      report: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
}
try {
  args = parse();
} catch (error) {
  fail((error as Error).message);
}
const { values, positionals } = args;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const folder = positionals[0];
if (!folder || positionals.length > 1) fail("Name exactly one folder to import.");
if (values.status !== "draft" && values.status !== "published") fail("--status must be draft or published.");
if (!values.as) fail("Name the editor who runs the import with --as (employee number or e-mail).");
const status = values.status;

function line(entry: ImportEntry): string {
  const what = [entry.number, entry.status, entry.title && `"${entry.title}"`].filter(Boolean).join(" ");
  const why = entry.reason ? ` (${entry.reason})` : "";
  const dropped = entry.dropped?.length ? ` [left out: ${entry.dropped.join(", ")}]` : "";
  return `  ${entry.file}${what ? `: ${what}` : ""}${why}${dropped}`;
}

const exitCode = await withCliDatabase(getEnv(), async (url) => {
  await migrate(url);
  // The app's modules read the database from DATABASE_URL (and the file storage from the same env).
  process.env.DATABASE_URL = url;
  resetEnvCache();
  try {
    const importer = await findImportEditor(values.as!);
    const approver = values["approved-by"] ? await findImportEditor(values["approved-by"]) : null;
    const report = await importCirculars({
      folder,
      status,
      dryRun: values["dry-run"],
      metadataFile: values.metadata,
      importerId: importer.id,
      approverId: approver?.id ?? null,
    });
    const verb = report.dryRun ? "Would import" : "Imported";
    console.log(`${verb} ${report.imported.length}:`);
    report.imported.forEach((entry) => console.log(line(entry)));
    console.log(`Skipped ${report.skipped.length}:`);
    report.skipped.forEach((entry) => console.log(line(entry)));
    console.log(`Failed ${report.failed.length}:`);
    report.failed.forEach((entry) => console.log(line(entry)));
    for (const message of report.metadataErrors) console.log(`Note: ${message}`);
    if (values.report) {
      await fs.writeFile(values.report, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`Report written to ${values.report}.`);
    }
    return report.failed.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ImportSetupError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  } finally {
    await disconnectPrisma();
  }
});
process.exit(exitCode);
