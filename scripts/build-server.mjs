// Bundles the Express server (server/index.ts) into build/server/index.js. Packages stay external;
// the app's own TypeScript (env, db, identity, seed) is bundled in.
import { build } from "esbuild";

await build({
  entryPoints: ["server/index.ts"],
  outfile: "build/server/index.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  alias: { "~": "./app" },
  logLevel: "warning",
});
