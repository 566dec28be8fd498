// The HTML view's app as one script for the page (html.ts inlines it): the build's
// dist/view-app.js (scripts/build.mjs bundles web/app.ts with Preact), found beside the bundled
// CLI or in the working directory's dist/; running from source, web/app.ts bundled now.

import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

/** The HTML view's app: dist/view-app.js beside the bundled CLI (or in the working directory's
 * dist/), or, running from source, sim/view/web/app.ts bundled now. */
export function viewApp(): string {
  const built = [fileURLToPath(new URL("./view-app.js", import.meta.url)),
    resolve("dist/view-app.js")].find(existsSync);
  if (built) return readFileSync(built, "utf8");
  const source = [fileURLToPath(new URL("./web/app.ts", import.meta.url)),
    resolve("sim/view/web/app.ts")].find(existsSync);
  if (!source) throw new Error("the HTML view's app is missing: run npm run build");
  const r = buildSync({
    entryPoints: [source], bundle: true, format: "iife", platform: "browser",
    target: "es2020", minify: true, write: false, logLevel: "error",
  });
  return r.outputFiles[0].text;
}
