/**
 * The built server as `npm start` runs it: embedded PostgreSQL, migrations, demo seed, serving, and a
 * graceful stop on SIGTERM. Needs `npm run build` first (npm test builds before Vitest).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const built =
  fs.existsSync(path.join(root, "build/server/index.js")) && fs.existsSync(path.join(root, "build/index.js"));

describe.skipIf(!built)("the built server (skipped without `npm run build`)", () => {
  it("starts on an empty data directory, seeds, serves, and stops cleanly on SIGTERM", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "werkplek-lifecycle-"));
    // 3700-3999 holds none of the ports fetch() refuses ("bad port": 3659, 4045, 5060, 6000, …), which the
    // old range 3200-3699 did.
    const port = 3700 + Math.floor(Math.random() * 300);
    const child = spawn(process.execPath, ["build/server/index.js"], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "development",
        PORT: String(port),
        APP_URL: `http://127.0.0.1:${port}`,
        DATA_DIR: dataDir,
        PGLITE_PORT: "0",
        LOG_LEVEL: "info",
        DATABASE_URL: "",
        ENTRA_TENANT_ID: "",
        ENTRA_CLIENT_ID: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes("Werkplek is listening")) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`server did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(output).toContain("demo organisation seeded");
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      const login = await fetch(`http://127.0.0.1:${port}/inloggen`);
      expect(await login.text()).toContain("Aanmelden bij Werkplek");
      // A request log line carries no query string, cookie or address.
      await fetch(`http://127.0.0.1:${port}/inloggen?terug=%2Fprofiel&naam=Jonas`);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(output).toContain('"msg":"stopped"');
      expect(output).not.toContain("naam=Jonas");
      expect(output).not.toMatch(/127\.0\.0\.1:\d+"?,?"?(remoteAddress|ip)/);
      // The data survives the stop: PGlite wrote its files under DATA_DIR.
      expect(fs.readdirSync(path.join(dataDir, "pglite")).length).toBeGreaterThan(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
