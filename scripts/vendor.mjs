// Copies the pinned front-end libraries from node_modules into static/vendor/.
// Run by the set-up scripts after `npm ci`; static/vendor/ is never committed.
import { cpSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "static", "vendor");
const files = {
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  "htmx-ext-ws/dist/ws.min.js": "htmx-ext-ws.min.js",
  "sortablejs/Sortable.min.js": "Sortable.min.js",
  "pdfjs-dist/build/pdf.min.mjs": "pdfjs/pdf.min.mjs",
  "pdfjs-dist/build/pdf.worker.min.mjs": "pdfjs/pdf.worker.min.mjs",
};

rmSync(target, { recursive: true, force: true });
for (const [from, to] of Object.entries(files)) {
  const source = join(root, "node_modules", from);
  if (!existsSync(source)) {
    console.error(`missing ${source}: run npm ci first`);
    process.exit(1);
  }
  mkdirSync(dirname(join(target, to)), { recursive: true });
  cpSync(source, join(target, to));
}
console.log(`vendored ${Object.keys(files).length} files into static/vendor/`);
