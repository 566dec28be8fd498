// Loading a scenario file for the CLI. A .js/.mjs module is imported as is; a .ts/.mts module
// is bundled by esbuild first (as scripts/load-ts.mjs does), with `import ... from "ipcsim"`
// resolved to this copy of the library, so that the scenario and the CLI share one ErrnoError
// and one set of constants, whether ipcsim is this repository or an installed package.
// A file that cannot be a scenario (missing, a directory, a test file, a syntax error, a throw
// at import) is a ScenarioLoadError: one line with the file, the problem and the fix.
//
// The bundle carries an inline source map, kept here by the bundle's URL, so that an exception
// names the scenario's file and line (stack.ts); `import.meta.url` (`dirname`, `filename`) in
// the scenario's own files names those files, not the bundle.

import {
  existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync,
  writeFileSync,
} from "node:fs";
import { readFile } from "node:fs/promises";
import { SourceMap } from "node:module";
import { basename, dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expectations } from "./checks.js";
import { traceScenario } from "./from-trace.js";
import { readTraceFile } from "../trace/parse.js";
import type { ScenarioModule } from "./run.js";

/** A scenario file that cannot be loaded: the message names the file, the problem and the fix. */
export class ScenarioLoadError extends Error {
  override name = "ScenarioLoadError";
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
  }
}

/** The ipcsim package root: the nearest package.json named "ipcsim" above this module. */
export function packageRoot(): string | null {
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

const TS_EXTENSIONS = [".ts", ".mts", ".tsx"];
const JS_EXTENSIONS = [".js", ".mjs", ".cjs", ".jsx"];
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;

/** Load a scenario module. Every problem with the file (missing, a directory, a test file, a
 * syntax error, a throw at import, an import that cannot be resolved, no main) is a
 * ScenarioLoadError naming the file and the fix. `bundle`: the file's bundle as another thread
 * built it (bundleOfModule), imported instead of bundling again. */
export async function loadScenario(path: string, bundle?: ScenarioBundle):
  Promise<ScenarioModule> {
  const file = resolve(path);
  if (!existsSync(file)) throw new ScenarioLoadError(path, "no such file");
  if (statSync(file).isDirectory()) {
    throw new ScenarioLoadError(path, "is a directory: give a scenario file (.ts or .js)");
  }
  const ext = extname(file);
  if (TEST_FILE.test(basename(file))) throw testFile(path);
  if (ext === ".jsonl") return traceModule(path);
  if (ext === ".c" || ext === ".wasm") return cGuestModule(path, file, ext);
  if (!TS_EXTENSIONS.includes(ext) && !JS_EXTENSIONS.includes(ext)) {
    const trace = ext === ".json" ? " (a trace? traces are .jsonl files)" : "";
    throw new ScenarioLoadError(path,
      `a scenario is a .ts or .js module, or a .jsonl trace, not "${ext}"${trace}`);
  }
  const mod = bundle ? await importGiven(path, file, bundle)
    : TS_EXTENSIONS.includes(ext) ? await importBundled(path, file)
    : await importJs(path, file);
  const m = mod as ScenarioModule;
  if (typeof m.default !== "function" && typeof m.main !== "function") {
    throw new ScenarioLoadError(
      path, "a scenario's default export must be async function main(os)",
    );
  }
  try {
    expectations(m.expect);
  } catch (e) {
    throw new ScenarioLoadError(path, `export const ${(e as Error).message}`);
  }
  return m;
}

/** A C program (compiled now, or from the cache) or a compiled guest (sim/guest/): each
 * process is an instance of it. A compile error or a missing toolchain names the file. */
async function cGuestModule(path: string, file: string, ext: string): Promise<ScenarioModule> {
  const { compileC } = await import("../guest/cc.js");
  const { guestModule } = await import("../guest/runtime.js");
  try {
    const wasm = ext === ".c" ? await compileC([file]) : readFileSync(file);
    return guestModule(wasm, basename(file)) as ScenarioModule;
  } catch (e) {
    throw new ScenarioLoadError(path, (e as Error).message);
  }
}

/** A trace run as a program (from-trace.ts): each process's steps are its program. */
function traceModule(path: string): ScenarioModule {
  try {
    return traceScenario(readTraceFile(path));
  } catch (e) {
    const m = (e as Error).message;
    const at = m.startsWith(`${path}:`) ? `line ${m.slice(path.length + 1)}` : m;
    throw new ScenarioLoadError(path, at);
  }
}

function testFile(path: string): ScenarioLoadError {
  return new ScenarioLoadError(path, "is a test file, not a scenario: run it with " +
    `\`npx vitest run ${path}\` (a scenario's default export is async function main(os))`);
}

/** A JavaScript scenario is imported as is; if it imports "ipcsim" from where no ipcsim is
 * installed (a file outside any project), it is bundled as a TypeScript one is, with "ipcsim"
 * resolved to this copy (and so is one with a syntax error, for esbuild's message). */
async function importJs(path: string, file: string): Promise<unknown> {
  try {
    return await import(pathToFileURL(file).href);
  } catch (e) {
    // esbuild names the line of a syntax error (Node does not).
    if (missingPackage(e) === "ipcsim" || e instanceof SyntaxError) {
      return importBundled(path, file);
    }
    throw importFailed(path, file, e);
  }
}

/** The package an ERR_MODULE_NOT_FOUND is about, or undefined. */
function missingPackage(e: unknown): string | undefined {
  if ((e as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") return undefined;
  return /Cannot find package '([^']+)'/.exec((e as Error).message)?.[1];
}

/** A scenario module that threw while it was imported, as one line with the fix. */
function importFailed(path: string, file: string, e: unknown): ScenarioLoadError {
  if (e instanceof ScenarioLoadError) return e;
  const err = e as Error & { code?: string };
  const message = String(err?.message ?? e).split("\n")[0];
  if (/vitest/i.test(String(err?.message))) return testFile(path);
  const pkg = missingPackage(e);
  if (pkg !== undefined) {
    return new ScenarioLoadError(path, `imports "${pkg}", which is not installed where the ` +
      `scenario is: install it (npm install ${pkg}) in the scenario's project`);
  }
  if (err?.code === "ERR_MODULE_NOT_FOUND") {
    return new ScenarioLoadError(path, `${message}: fix the import`);
  }
  const at = frameIn(err?.stack, file);
  if (err instanceof SyntaxError) {
    return new ScenarioLoadError(path, `syntax error${at}: ${message}`);
  }
  return new ScenarioLoadError(path, `threw while loading${at}: ${err?.name ?? "Error"}: ` +
    `${message} (a scenario's top level runs at import: move that code into main(os))`);
}

/** " (at FILE:LINE)" for the first frame of `stack` in `file`, or "". */
function frameIn(stack: string | undefined, file: string): string {
  const url = pathToFileURL(file).href;
  for (const line of (stack ?? "").split("\n")) {
    const i = line.indexOf(url);
    if (i < 0) continue;
    const m = /^:(\d+)/.exec(line.slice(i + url.length));
    if (m) return ` (at line ${m[1]})`;
  }
  return "";
}

async function importBundled(path: string, file: string): Promise<unknown> {
  let esbuild: typeof import("esbuild");
  try {
    esbuild = await import("esbuild");
  } catch {
    throw new ScenarioLoadError(path, "loading a TypeScript scenario needs esbuild, a " +
      "dependency of ipcsim that is missing: reinstall ipcsim, or write the scenario in " +
      "JavaScript");
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
      plugins: [ipcsim, importMeta(esbuild)], sourcemap: "inline", sourcesContent: false,
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw buildFailed(path, file, e);
  }
  return importBundle(path, file, dir, outfile, cache);
}

/** Import the bundle `outfile` (in the fresh folder `dir` of `cache`), then remove it; the
 * module keeps its bundle's text for worker threads (bundleOfModule). */
async function importBundle(path: string, file: string, dir: string, outfile: string,
  cache: string): Promise<unknown> {
  const url = pathToFileURL(outfile).href;
  const code = keepSourceMap(outfile);
  try {
    const mod = (await import(url)) as object;
    bundleTexts.set(mod, { code, cache });
    return mod;
  } catch (e) {
    throw importFailed(path, file, e);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Import a bundle another thread built (written to a fresh folder beside where it was built). */
function importGiven(path: string, file: string, bundle: ScenarioBundle): Promise<unknown> {
  mkdirSync(bundle.cache, { recursive: true });
  const dir = mkdtempSync(join(bundle.cache, "run-"));
  const outfile = join(dir, "scenario.mjs");
  writeFileSync(outfile, bundle.code);
  return importBundle(path, file, dir, outfile, bundle.cache);
}

/** A TypeScript scenario's bundle as built by esbuild: its text and the cache folder it was
 * written in (its source map's paths are relative to a folder there). */
export interface ScenarioBundle {
  code: string;
  cache: string;
}

const bundleTexts = new WeakMap<object, ScenarioBundle>();

/** The bundle a loaded scenario module was imported from (undefined for a JavaScript one
 * imported as is): a worker thread imports the same text (loadScenario's `bundle`) instead of
 * running esbuild again. */
export function bundleOfModule(m: ScenarioModule): ScenarioBundle | undefined {
  return bundleTexts.get(m);
}

/** Each file of the scenario's own (not in node_modules) that uses `import.meta` is compiled
 * on its own with `import.meta.url`, `.dirname` and `.filename` defined as its own (esbuild's
 * `define` is one for the whole bundle); its inline source map is kept by the bundle's. */
function importMeta(esbuild: typeof import("esbuild")): import("esbuild").Plugin {
  return {
    name: "ipcsim-import-meta",
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const text = await readFile(args.path, "utf8");
        if (!text.includes("import.meta")) return undefined;
        const define = {
          "import.meta.url": JSON.stringify(pathToFileURL(args.path).href),
          "import.meta.dirname": JSON.stringify(dirname(args.path)),
          "import.meta.filename": JSON.stringify(args.path),
        };
        const ext = extname(args.path);
        const loader = ext === ".tsx" || ext === ".jsx" ? ext.slice(1) as "tsx" | "jsx"
          : TS_EXTENSIONS.includes(ext) ? "ts" : "js";
        const r = await esbuild.transform(text, {
          loader, define, sourcefile: args.path, sourcemap: "inline", sourcesContent: false,
          format: "esm", target: "node20",
        });
        return { contents: r.code, loader: "js", resolveDir: dirname(args.path) };
      });
    },
  };
}

/** Bundles' source maps by the bundle's URL (one per TypeScript scenario loaded). */
const bundles = new Map<string, { map: SourceMap; dir: string }>();

/** Keep the source map of the bundle `outfile`, by its URL and by its real path's (Node names
 * a module by its real path: node_modules may be a symbolic link). Its sources are relative to
 * the folder it was written to. */
function keepSourceMap(outfile: string): string {
  const text = readFileSync(outfile, "utf8");
  const m = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(text);
  if (!m) return text;
  const payload = JSON.parse(Buffer.from(m[1], "base64").toString("utf8")) as object;
  const bundle = { map: new SourceMap(payload as never), dir: dirname(outfile) };
  bundles.set(pathToFileURL(outfile).href, bundle);
  bundles.set(pathToFileURL(realpathSync(outfile)).href, bundle);
  return text;
}

/** The source map of the bundle at `url` (a frame's file in a stack), if it is one. */
export function bundleOf(url: string): { map: SourceMap; dir: string } | undefined {
  return bundles.get(url);
}

function buildFailed(path: string, file: string, e: unknown): unknown {
  type BuildError = { text: string; location?: { file: string; line: number } };
  const errors = (e as { errors?: BuildError[] }).errors;
  if (!errors?.length) return e;
  const first = errors[0];
  if (/^Could not resolve "ipcsim"/.test(first.text)) {
    return new ScenarioLoadError(path, 'imports "ipcsim", which this copy of ipcsim cannot ' +
      "provide (dist/index.js is missing: build it with `npm run build`)");
  }
  const where = first.location;
  const named = !where || resolve(where.file) === file ? path : where.file;
  return new ScenarioLoadError(named, `${where ? `line ${where.line}: ` : ""}${first.text}`);
}
