// Generates the Werkplek app icons and favicon from one SVG, so every size stays visually identical.
// Run `node scripts/make-icons.mjs` after a design change; the generated files in public/ are committed.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const publicDir = path.join(root, "public");
const iconsDir = path.join(publicDir, "icons");

const BLUE = "#0b4f8a";
const YELLOW = "#ffd100";
const WHITE = "#ffffff";

/**
 * The mark: a deep blue tile with a white stylised "W" standing on a yellow "desk" line.
 * Drawn on a 512 grid; `scale` shrinks the glyph around the centre, `rounded` chooses a rounded tile
 * (for "any" icons and the favicon) or a full-bleed square (for maskable and Apple icons, which the
 * platform masks itself, and which must not have transparent corners).
 */
function iconSvg({ size = 512, rounded = true, scale = 1 } = {}) {
  const radius = rounded ? 112 : 0;
  const offset = (512 * (1 - scale)) / 2;
  const transform = scale === 1 ? "" : ` transform="translate(${offset} ${offset}) scale(${scale})"`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 512 512">
  <rect width="512" height="512" rx="${radius}" fill="${BLUE}"/>
  <g${transform}>
    <polyline points="120,134 184,328 256,204 328,328 392,134" fill="none"
      stroke="${WHITE}" stroke-width="46" stroke-linecap="round" stroke-linejoin="round"/>
    <rect x="168" y="370" width="176" height="30" rx="15" fill="${YELLOW}"/>
  </g>
</svg>
`;
}

async function png(file, size, options) {
  const svg = Buffer.from(iconSvg({ size, ...options }));
  const output = path.join(iconsDir, file);
  await sharp(svg).png({ compressionLevel: 9, adaptiveFiltering: true }).toFile(output);
  console.log(`wrote public/icons/${file} (${size}x${size})`);
}

await mkdir(iconsDir, { recursive: true });

await png("icon-192.png", 192, { rounded: true });
await png("icon-512.png", 512, { rounded: true });
// Maskable icons may be cropped to a circle of 80% diameter: keep the glyph well inside that safe zone.
await png("maskable-512.png", 512, { rounded: false, scale: 0.8 });
// iOS rounds the corners itself and renders transparency as black, hence the full-bleed tile.
await png("apple-touch-icon.png", 180, { rounded: false, scale: 0.86 });

// The favicon stays vector: crisp at every size and tiny to download.
const favicon = iconSvg({ rounded: true }).replace(/ width="512" height="512"/, "");
await writeFile(path.join(publicDir, "favicon.svg"), favicon);
console.log("wrote public/favicon.svg");
