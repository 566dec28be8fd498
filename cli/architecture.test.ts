// The folders are the architecture (README.md, "The folders"): this test reads every import in
// the tree and fails on one that runs against the layering:
//
//   kernel/ (AssemblyScript)  imports nothing outside kernel/ (kernel/test/ is its test harness)
//   wasm/                     the loader and the ABI tables both sides read
//   sim/                      the model, the trace codec, scenarios: never host-bridge/ or cli/
//                             (sim/index.ts, the library's entry, re-exports diffTrace)
//   host-bridge/              real Linux: the trace codec and the model, never scenarios or the CLI
//   cli/                      the only code that needs both the model and the host bridge
//
// Only cli/ imports cli/.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..");
const FOLDERS = ["kernel", "wasm", "sim", "host-bridge", "cli", "properties", "examples", "bench"];
const SKIP = new Set(["node_modules", "build", "dist", "testdata"]);

interface Import {
  /** The importing file, from the root: `sim/model/engine.ts`. */
  file: string;
  line: number;
  /** The imported file, from the root (`host-bridge/host.js`), or the package name. */
  target: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory() && !SKIP.has(e.name)) out.push(...sourceFiles(path));
    else if (e.isFile() && /\.(ts|mts|mjs|js)$/.test(e.name) && !e.name.endsWith(".d.ts")) {
      out.push(path);
    }
  }
  return out;
}

/** `import ... from "x"` and `export ... from "x"` (over several lines), `import("x")` and
 * `import "x"`. */
const IMPORT = new RegExp(
  [
    String.raw`(?:^|\s)(?:import|export)\s[^;]*?from\s+["']([^"']+)["']`,
    String.raw`import\s*\(\s*["']([^"']+)["']\s*\)`,
    String.raw`^import\s+["']([^"']+)["']`,
  ].join("|"),
  "gm",
);

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const line = text.slice(0, m.index).split("\n").length;
    const target = spec.startsWith(".") ? relative(ROOT, resolve(ROOT, dirname(file), spec)) : spec;
    out.push({ file, line, target });
  }
  return out;
}

const ALL = FOLDERS.flatMap(sourceFiles).flatMap(importsOf);

function under(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder + "/");
}

function violations(from: (file: string) => boolean, bad: (target: string) => boolean): string[] {
  return ALL.filter((i) => from(i.file) && bad(i.target))
    .map((i) => `${i.file}:${i.line} imports ${i.target}`);
}

describe("the folders are the architecture: no import runs against the layering", () => {
  it("finds the imports it checks (the scanner works)", () => {
    const cli = ALL.filter((i) => i.file === "cli/cli.ts").map((i) => i.target);
    expect(cli).toContain("cli/host-commands.js");
    expect(ALL.some((i) => under(i.file, "kernel") && under(i.target, "kernel"))).toBe(true);
  });

  it("sim/ imports neither host-bridge/ nor cli/ (but the library's entry re-exports diff)", () => {
    const bad = (t: string) => under(t, "host-bridge") || under(t, "cli");
    const entry = "sim/index.ts"; // "ipcsim": a facade over the model and the host bridge
    expect(violations((f) => under(f, "sim") && f !== entry, bad)).toEqual([]);
    expect(violations((f) => f === entry, (t) => under(t, "cli"))).toEqual([]);
  });

  it("host-bridge/ imports neither cli/ nor sim/'s scenarios and commands", () => {
    const bad = (t: string) => under(t, "cli") || under(t, "sim/scenario") || /^sim\/cli\b/.test(t);
    expect(violations((f) => under(f, "host-bridge"), bad)).toEqual([]);
  });

  it("the kernel imports nothing outside kernel/ (kernel/test/ is its harness)", () => {
    const kernel = (f: string) => under(f, "kernel") && !under(f, "kernel/test");
    expect(violations(kernel, (t) => !under(t, "kernel"))).toEqual([]);
  });

  it("wasm/ (outside its tests) imports nothing but wasm/", () => {
    const wasm = (f: string) => under(f, "wasm") && !f.endsWith(".test.ts");
    expect(violations(wasm, (t) => !under(t, "wasm") && !t.startsWith("node:"))).toEqual([]);
  });

  it("only cli/ imports cli/", () => {
    expect(violations((f) => !under(f, "cli"), (t) => under(t, "cli"))).toEqual([]);
  });
});
