// Load a TypeScript module from plain Node: esbuild bundles it (wasm inlined with the binary
// loader) into a temporary .mjs file, which is then imported. Used by the build, the benchmark
// runner and the CLI's scenario loader.
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// The bundle lives under the project so that its external packages resolve from node_modules.
const cache =
  join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", ".cache", "ipcsim-ts");

export async function importTs(entry) {
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, "run-"));
  const outfile = join(dir, "entry.mjs");
  try {
    await build({
      entryPoints: [resolve(entry)],
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      loader: { ".wasm": "binary" },
      outfile,
      logLevel: "error",
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
