// `npm start`: builds once when no build exists yet (the two-command quick start), then runs the server.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

if (!fs.existsSync("build/index.js") || !fs.existsSync("build/server/index.js")) {
  console.log("No build found: running `npm run build` first.");
  const result = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
await import(new URL("../build/server/index.js", import.meta.url).href);
