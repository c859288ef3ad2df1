// Runs `prisma generate` offline. Prisma 6.19's CLI needs the datasource URL to read the schema's
// engine type; without one it falls back to downloading a native engine, which these machines cannot.
// Generating never connects, so a placeholder is enough when DATABASE_URL is unset.
import { spawnSync } from "node:child_process";

const env = { ...process.env };
env.DATABASE_URL ||= "postgresql://werkplek@127.0.0.1:5432/werkplek";
const result = spawnSync("prisma", ["generate"], {
  stdio: "inherit",
  env,
  shell: process.platform === "win32",
});
process.exit(result.status ?? 1);
