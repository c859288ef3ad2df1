/**
 * End-to-end tests: the production build (`npm run build` runs first in `npm test`) served by the real
 * Express server with an embedded PGlite database in a fresh directory, driven by the system Chromium
 * (`apt-get install chromium`; `npx playwright install` cannot download browsers on our machines).
 */
import fs from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const PORT = 3100;
const BASE_URL = `http://localhost:${PORT}`;
const TMP = path.resolve(import.meta.dirname, "tests/.tmp");

/**
 * One fresh data directory per run. The config is also loaded by the worker processes, which inherit
 * the environment of the runner: the variable keeps them all on the same directory.
 */
function e2eDataDir(): string {
  if (process.env.E2E_DATA_DIR) return process.env.E2E_DATA_DIR;
  fs.mkdirSync(TMP, { recursive: true });
  // Directories of earlier runs (about 40 MB each); older than an hour, so a run in progress is never touched.
  for (const entry of fs.readdirSync(TMP, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith("e2e-")) continue;
    const dir = path.join(TMP, entry.name);
    if (Date.now() - fs.statSync(dir).mtimeMs > 60 * 60 * 1000) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const dir = path.join(TMP, `e2e-${Date.now()}-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  process.env.E2E_DATA_DIR = dir;
  return dir;
}

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.test.ts",
  // Two cores: the server, PGlite and Chromium already share them.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  reporter: "list",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  outputDir: "test-results",
  use: {
    baseURL: BASE_URL,
    // A Belgian browser (dates and numbers in the page); the app itself ignores Accept-Language.
    locale: "nl-BE",
    timezoneId: "Europe/Brussels",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-gpu",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "node build/server/index.js",
    url: `${BASE_URL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      // Development mode enables the dev login with the seeded demo organisation.
      NODE_ENV: "development",
      APP_URL: BASE_URL,
      HOST: "127.0.0.1",
      PORT: String(PORT),
      PGLITE_PORT: "0",
      DATA_DIR: e2eDataDir(),
      LOG_LEVEL: "warn",
      // Whatever the calling shell has: the e2e server always uses its own embedded database.
      DATABASE_URL: "",
      PGLITE_DATA_DIR: "",
      DEV_LOGIN: "auto",
      ENTRA_TENANT_ID: "",
      ENTRA_CLIENT_ID: "",
      ENTRA_ISSUER_URL: "",
    },
  },
});
