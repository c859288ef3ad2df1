// Bundles app/sw.ts into public/sw.js. Runs after `remix build` (see `npm run build`), because the
// precache list is read from the Remix client build in public/build/.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const publicDir = path.join(root, "public");
const buildDir = path.join(publicDir, "build");
const entry = path.join(root, "app", "sw.ts");
const outfile = path.join(publicDir, "sw.js");

/** All files under `dir`, as paths relative to it with forward slashes, sorted for a stable hash. */
async function listFiles(dir) {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) =>
      path
        .relative(dir, path.join(e.parentPath ?? e.path, e.name))
        .split(path.sep)
        .join("/"),
    )
    .sort();
}

/**
 * Only what every page needs to boot: the route manifest, client entry, root route, shared chunks and CSS.
 * Route chunks are left out on purpose: they are cached on first use, which keeps the install light.
 */
function isShellAsset(file) {
  return (
    /^manifest-[^/]+\.js$/.test(file) ||
    /^entry\.client-[^/]+\.js$/.test(file) ||
    /^root-[^/]+\.js$/.test(file) ||
    /^_shared\/[^/]+\.js$/.test(file) ||
    file.endsWith(".css")
  );
}

const precache = (await listFiles(buildDir)).filter(isShellAsset).map((file) => `/build/${file}`);

// The version changes with the worker source, the build assets and any other public file (offline page,
// manifest, icons): icons are not content-hashed, so a new version is what replaces their cached copies.
const hash = createHash("sha256");
hash.update(JSON.stringify(precache));
hash.update(await readFile(entry));
for (const file of await listFiles(publicDir)) {
  if (file.startsWith("build/") || file === "sw.js" || file === "sw.js.map") continue;
  hash.update(`\0${file}\0`);
  hash.update(await readFile(path.join(publicDir, file)));
}
const version = hash.digest("hex").slice(0, 12);

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2020",
  minify: true,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  define: {
    __SW_VERSION__: JSON.stringify(version),
    __PRECACHE__: JSON.stringify(precache),
  },
});

console.log(`public/sw.js built (version ${version}, ${precache.length} precached build assets)`);
