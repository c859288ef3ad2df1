/**
 * The real entry point (server/index.ts) refuses an unsafe production configuration: it exits with code 1
 * and says what to fix, before it opens, creates or connects to any database.
 */
import { PRODUCTION_DATA_KEYS } from "../support/production-keys";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TIME_LIMIT_MS = 20_000;

const VALID_PRODUCTION = {
  NODE_ENV: "production",
  APP_URL: "https://werkplek.stad.gent",
  SESSION_SECRET: randomBytes(32).toString("base64url"),
  ENTRA_TENANT_ID: "11111111-2222-3333-4444-555555555555",
  ENTRA_CLIENT_ID: "werkplek",
  ENTRA_CLIENT_SECRET: "client-secret",
  ...PRODUCTION_DATA_KEYS,
  LOG_LEVEL: "silent",
  PORT: "0",
  PGLITE_PORT: "0",
};

type Outcome = { code: number | null; stderr: string; elapsedMs: number };

/** Runs `npx tsx server/index.ts` with only these variables (plus PATH and HOME) and waits for it to exit. */
function start(vars: Record<string, string | undefined>): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? os.tmpdir(),
  };
  for (const [key, value] of Object.entries(vars)) if (value !== undefined) env[key] = value;
  const began = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "server/index.ts"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server/index.ts still running after ${TIME_LIMIT_MS} ms; stderr so far:\n${stderr}`));
    }, TIME_LIMIT_MS);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, elapsedMs: Date.now() - began });
    });
  });
}

let tmp = "";
/** Stands in for PostgreSQL: counts every connection attempt. */
let sentinel: net.Server;
let connections = 0;
let sentinelUrl = "";

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "werkplek-start-"));
  sentinel = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => sentinel.listen(0, "127.0.0.1", resolve));
  sentinelUrl = `postgresql://postgres@127.0.0.1:${(sentinel.address() as net.AddressInfo).port}/postgres`;
});

afterAll(async () => {
  await new Promise((resolve) => sentinel.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("production start-up with an unsafe configuration", () => {
  it("exits with code 1 without SESSION_SECRET, before creating the embedded database", async () => {
    const dataDir = path.join(tmp, "no-secret");
    const outcome = await start({ ...VALID_PRODUCTION, SESSION_SECRET: undefined, DATA_DIR: dataDir });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain("Werkplek cannot start.");
    expect(outcome.stderr).toContain("SESSION_SECRET is required in production");
    expect(outcome.elapsedMs).toBeLessThan(TIME_LIMIT_MS);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it("exits with code 1 with DEV_LOGIN=true, before connecting to DATABASE_URL", async () => {
    const dataDir = path.join(tmp, "dev-login");
    const outcome = await start({
      ...VALID_PRODUCTION,
      DEV_LOGIN: "true",
      DATA_DIR: dataDir,
      DATABASE_URL: sentinelUrl,
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      "DEV_LOGIN must not be enabled in production: anybody could sign in as anybody",
    );
    // Only that problem: everything else in this configuration is valid.
    expect(outcome.stderr).not.toContain("SESSION_SECRET");
    expect(connections).toBe(0);
    expect(fs.existsSync(dataDir)).toBe(false);
  });
});
