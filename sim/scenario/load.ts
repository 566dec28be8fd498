// Loading a scenario file for the CLI. A .js/.mjs module is imported as is; a .ts/.mts module
// is bundled by esbuild first (as scripts/load-ts.mjs does), with `import ... from "ipcsim"`
// resolved to this copy of the library, so that the scenario and the CLI share one ErrnoError
// and one set of constants, whether ipcsim is this repository or an installed package.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ScenarioModule } from "./run.js";

export class ScenarioLoadError extends Error {
  override name = "ScenarioLoadError";
}

/** The ipcsim package root: the nearest package.json named "ipcsim" above this module. */
function packageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, "package.json");
    if (existsSync(pj)) {
      try {
        const { name } = JSON.parse(readFileSync(pj, "utf8")) as { name?: string };
        if (name === "ipcsim") return dir;
      } catch { /* not ours */ }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

export async function loadScenario(path: string): Promise<ScenarioModule> {
  const file = resolve(path);
  if (!existsSync(file)) throw new ScenarioLoadError(`${path}: no such file`);
  const ext = extname(file);
  const mod = ext === ".ts" || ext === ".mts" || ext === ".tsx"
    ? await importTs(file)
    : await import(pathToFileURL(file).href);
  const m = mod as ScenarioModule;
  if (typeof m.default !== "function" && typeof m.main !== "function") {
    throw new ScenarioLoadError(
      `${path}: a scenario's default export must be async function main(os)`,
    );
  }
  return m;
}

async function importTs(file: string): Promise<unknown> {
  let esbuild: typeof import("esbuild");
  try {
    esbuild = await import("esbuild");
  } catch {
    throw new ScenarioLoadError(
      `${file}: loading a TypeScript scenario needs esbuild ` +
      "(npm install --save-dev esbuild), or write it in JavaScript",
    );
  }
  const root = packageRoot();
  const lib = root ? join(root, "dist", "index.js") : null;
  const cache = join(root ?? dirname(file), "node_modules", ".cache", "ipcsim-scenarios");
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, "run-"));
  const outfile = join(dir, "scenario.mjs");
  const ipcsim = {
    name: "ipcsim-self",
    setup(b: import("esbuild").PluginBuild) {
      b.onResolve({ filter: /^ipcsim$/ }, () =>
        lib && existsSync(lib) ? { path: lib, external: true } : null);
    },
  };
  try {
    await esbuild.build({
      entryPoints: [file], bundle: true, format: "esm", platform: "node", target: "node20",
      packages: "external", loader: { ".wasm": "binary" }, outfile, logLevel: "silent",
      plugins: [ipcsim],
    });
    return await import(pathToFileURL(outfile).href);
  } catch (e) {
    type BuildError = { text: string; location?: { file: string; line: number } };
    const errors = (e as { errors?: BuildError[] }).errors;
    if (errors?.length) {
      const first = errors[0];
      const at = first.location ? `${first.location.file}:${first.location.line}: ` : "";
      throw new ScenarioLoadError(`${at}${first.text}`);
    }
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
