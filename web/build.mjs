// Copy the page's npm assets into the package's static folder (served by `corridors serve`).
// Run by `make web` after `npm ci`; nothing is fetched at page load from outside the app.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const vendor = join(here, "..", "src", "corridors", "web", "static", "vendor");

const files = [
  ["leaflet/dist/leaflet.js", "leaflet/leaflet.js"],
  ["leaflet/dist/leaflet.css", "leaflet/leaflet.css"],
  ["leaflet/dist/images", "leaflet/images"],
  ["leaflet/LICENSE", "leaflet/LICENSE"],
  ["topojson-client/dist/topojson-client.min.js", "topojson-client/topojson-client.min.js"],
  ["topojson-client/LICENSE", "topojson-client/LICENSE"],
  ["world-atlas/countries-50m.json", "world-atlas/countries-50m.json"],
  ["world-atlas/LICENSE", "world-atlas/LICENSE"],
  ["swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js"],
  ["swagger-ui-dist/swagger-ui.css", "swagger-ui/swagger-ui.css"],
  ["swagger-ui-dist/favicon-32x32.png", "swagger-ui/favicon-32x32.png"],
  ["swagger-ui-dist/LICENSE", "swagger-ui/LICENSE"],
];

rmSync(vendor, { recursive: true, force: true });
for (const [from, to] of files) {
  const target = join(vendor, to);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(modules, from), target, { recursive: true });
}
console.log(`copied ${files.length} assets into ${vendor}`);
