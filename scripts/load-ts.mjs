// Load a TypeScript module from plain Node: esbuild bundles it (wasm inlined with the binary
// loader) into a temporary .mjs file, which is then imported. Used by the build, the benchmark
// runner and the CLI's scenario loader.
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

export async function importTs(entry) {
  const dir = mkdtempSync(join(tmpdir(), "ipcsim-ts-"));
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
