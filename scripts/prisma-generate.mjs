// Runs `prisma generate` offline. Prisma 6.19's CLI needs the datasource URL to read the schema's
// engine type; without one it falls back to downloading a native engine, which these machines cannot.
// Generating never connects, so a placeholder is enough when DATABASE_URL is unset.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const cli = createRequire(import.meta.url).resolve("prisma/build/index.js");
const env = { ...process.env };
env.DATABASE_URL ||= "postgresql://werkplek@127.0.0.1:5432/werkplek";
const result = spawnSync(process.execPath, [cli, "generate"], { stdio: "inherit", env });
if (result.error) console.error(result.error);
process.exit(result.status ?? 1);
