// The HTML view's app as one script for the page (html.ts inlines it): the build's
// dist/view-app.js (scripts/build.mjs bundles web/app.ts with Preact, the engine and the kernel
// wasm), found beside the bundled CLI or in the working directory's dist/; running from source,
// web/app.ts bundled now.
//
// The page follows its trace on the model (scrub.ts), so the bundle holds the engine: the trace
// parser's file reader imports node:fs, which maps to the playground's stubs (as
// scripts/build-web.mjs does; an alias, not a plugin: buildSync takes none), and the kernel
// wasm is inlined by esbuild's binary loader.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync, type BuildOptions } from "esbuild";

/** The options that bundle sim/view/web/app.ts for the page (`root`: the project's). */
export function viewAppOptions(root: string): BuildOptions {
  return {
    entryPoints: [join(root, "sim/view/web/app.ts")], bundle: true, format: "iife",
    platform: "browser", target: "es2020", minify: true, logLevel: "error",
    loader: { ".wasm": "binary" }, legalComments: "none",
    alias: { "node:fs": join(root, "sim/view/web/playground/node-stubs.cjs") },
  };
}

/** The HTML view's app: dist/view-app.js beside the bundled CLI (or in the working directory's
 * dist/), or, running from source, sim/view/web/app.ts bundled now. */
export function viewApp(): string {
  const built = [fileURLToPath(new URL("./view-app.js", import.meta.url)),
    resolve("dist/view-app.js")].find(existsSync);
  if (built) return readFileSync(built, "utf8");
  const source = [fileURLToPath(new URL("./web/app.ts", import.meta.url)),
    resolve("sim/view/web/app.ts")].find(existsSync);
  if (!source) throw new Error("the HTML view's app is missing: run npm run build");
  const r = buildSync({ ...viewAppOptions(join(dirname(source), "../../..")), write: false });
  return r.outputFiles[0].text;
}
