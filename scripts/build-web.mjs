// `npm run build:web`: the playground as a static site in dist/web/ (index.html, page.js,
// worker.js): the kernel wasm, the simulator and the view run in the browser, nothing is
// fetched from anywhere but the site itself. Any static file server can host the directory
// (docs/views.md "The playground").
//
// The engine's few file-facing corners import Node modules (a trace file's reader, the
// scenario bundler behind stack traces); the bundle maps them to node-stubs.cjs. The examples
// and the bug suite are bundled as source text (the virtual module "playground-examples").

import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(root, "sim/view/web/playground");
const out = join(root, "dist/web");

/** node:* imports, and scenario/load.ts (esbuild itself behind it), as node-stubs.cjs. */
const stubs = {
  name: "playground-stubs",
  setup(b) {
    const stub = { path: join(web, "node-stubs.cjs") };
    b.onResolve({ filter: /^node:/ }, () => stub);
    b.onResolve({ filter: /\/load\.js$/ }, (a) =>
      a.importer.includes("/sim/scenario/") ? stub : undefined);
    b.onResolve({ filter: /^playground-examples$/ }, () =>
      ({ path: "examples", namespace: "playground-examples" }));
    b.onLoad({ filter: /.*/, namespace: "playground-examples" }, () =>
      ({ contents: `export default ${JSON.stringify(examples())};`, loader: "js" }));
  },
};

/** Every example and bug (with its fix), by name: "pipe", "bugs/sem-order", ... */
function examples() {
  const list = [];
  for (const dir of ["examples", "examples/bugs"]) {
    for (const f of readdirSync(join(root, dir)).sort()) {
      if (!f.endsWith(".ts") || f.endsWith(".test.ts")) continue;
      const name = `${dir.replace(/^examples\/?/, "")}${dir === "examples" ? "" : "/"}` +
        f.replace(/\.ts$/, "");
      list.push({ name, source: readFileSync(join(root, dir, f), "utf8") });
    }
  }
  return list;
}

const common = {
  bundle: true, platform: "browser", target: "es2020", minify: true, logLevel: "error",
  loader: { ".wasm": "binary" }, plugins: [stubs], legalComments: "none",
};

async function buildWeb() {
  mkdirSync(out, { recursive: true });
  await build({ ...common, entryPoints: [join(web, "worker.ts")], outfile: join(out, "worker.js"),
    format: "iife" });
  await build({ ...common, entryPoints: [join(web, "page.ts")], outfile: join(out, "page.js"),
    format: "iife" });
  writeFileSync(join(out, "index.html"), readFileSync(join(web, "index.html"), "utf8"));
}

await buildWeb();
