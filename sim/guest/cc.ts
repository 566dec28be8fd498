// `ipcsim cc`: C to a wasm32-wasi guest the runtime (runtime.ts) can run, with Debian's clang,
// lld, wasi-libc and the wasm32 compiler-rt, and binaryen's Asyncify pass from the `binaryen`
// package (no system binaryen). The sysroot overlay (sysroot/) adds what wasi-libc lacks:
// fork, pipe, dup, waitpid, kill, ... over the simulated kernel. Compiled modules are cached
// by content hash in .ipcsim/cc/ under the working directory: the same sources, flags and
// toolchain give the same file, so a second run starts at once.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SHARED_ASYNC_IMPORTS, instrumentShared } from "./instrument.js";

/** The Debian packages a C guest needs (.ci/run installs them). */
export const TOOLCHAIN_PACKAGES = "clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32";
const SYSROOT_HEADER = "/usr/include/wasm32-wasi/stdio.h";
/** The imports a guest may block in: Asyncify instruments only what can reach them. */
const ASYNC_IMPORTS = [
  "ipcsim.syscall", "ipcsim.fork", "wasi_snapshot_preview1.fd_write",
  "wasi_snapshot_preview1.fd_read", "wasi_snapshot_preview1.fd_close",
  "wasi_snapshot_preview1.proc_exit",
];

/** Binaryen's always-inline size bound while the shared-memory checks are inlined (its default
 * is 2; a check is about 20 nodes). */
const INLINE_CHECK_MAX = 32;

/** The toolchain is missing: the message names the packages to install. */
export class ToolchainError extends Error {
  override name = "ToolchainError";
}

/** The program does not compile: the message is the compiler's. */
export class CcError extends Error {
  override name = "CcError";
}

export interface CcOptions {
  /** -I directories and -D definitions, passed through. */
  includes?: string[];
  defines?: string[];
  /** How shared memory (shmat, mmap MAP_SHARED) is kept coherent (shared.ts): "instrumented"
   * (the default: each access to it is a step, so explore interleaves data races) or
   * "copied" (copied in and out at each call: private code runs unchanged). */
  sharedMemory?: "instrumented" | "copied";
}

/** The overlay beside this module (sim/guest/sysroot), running from source or the package. */
function overlay(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const at of [join(dir, "sysroot"), join(dir, "sim/guest/sysroot")]) {
      if (existsSync(join(at, "lib/ipcsim.c"))) return at;
    }
    const up = dirname(dir);
    if (up === dir) throw new ToolchainError("the C guest sysroot (sim/guest/sysroot) is missing");
    dir = up;
  }
}

/** The clang to use ($IPCSIM_CLANG, clang-19, clang), checked to target wasm32-wasi. */
function clang(): string {
  const tried = process.env.IPCSIM_CLANG ? [process.env.IPCSIM_CLANG] : ["clang-19", "clang"];
  const found = tried.find((c) => spawnSync(c, ["--version"]).status === 0);
  if (!found || !existsSync(SYSROOT_HEADER)) {
    throw new ToolchainError(`C guests need clang with the wasm32-wasi target, lld, wasi-libc ` +
      `and the wasm32 compiler-rt: apt-get install ${TOOLCHAIN_PACKAGES}` +
      (found ? ` (no ${SYSROOT_HEADER})` : ` (no ${tried.join(" or ")} on PATH)`));
  }
  return found;
}

function ccArgs(files: string[], sysroot: string, o: CcOptions, out: string): string[] {
  return [
    "--target=wasm32-wasi", "-O2", "-D_WASI_EMULATED_GETPID",
    ...(o.defines ?? []).map((d) => `-D${d}`), ...(o.includes ?? []).map((i) => `-I${i}`),
    `-I${join(sysroot, "include")}`, "-include", "ipcsim/posix.h",
    "-Wl,--export=__ipcsim_asyncify_data", "-Wl,--export=__stack_pointer",
    "-Wl,--export=__ipcsim_shared", "-Wl,--export=__ipcsim_hooks", "-Wl,--export-table",
    "-o", out, ...files, ...libSources(sysroot),
  ];
}

/** The overlay's C sources (lib/ipcsim.c and the calls made from the table, lib/calls.c). */
function libSources(sysroot: string): string[] {
  return readdirSync(join(sysroot, "lib")).filter((f) => f.endsWith(".c")).sort()
    .map((f) => join(sysroot, "lib", f));
}

/** Every file under `dir`, in a fixed order. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)
    .flatMap((e) => e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]);
}

/** The cache key: the sources, the overlay, the flags and the compiler's version. */
function keyOf(cc: string, files: string[], sysroot: string, o: CcOptions): string {
  const h = createHash("sha256");
  h.update(spawnSync(cc, ["--version"]).stdout);
  h.update(JSON.stringify([o, ASYNC_IMPORTS]));
  for (const f of files) h.update(readFileSync(f));
  // Every header (include/signal.h too, which an older key left out) and every source.
  for (const f of filesUnder(sysroot)) h.update(f.slice(sysroot.length)).update(readFileSync(f));
  return h.digest("hex").slice(0, 24);
}

/** The guest module of C `files`, from the cache or compiled now. */
export async function compileC(files: string[], o: CcOptions = {}): Promise<Uint8Array> {
  const cc = clang();
  const sysroot = overlay();
  const paths = files.map((f) => resolve(f));
  const dir = resolve(".ipcsim/cc");
  const cached = join(dir, `${keyOf(cc, paths, sysroot, o)}.wasm`);
  if (existsSync(cached)) return readFileSync(cached);
  mkdirSync(dir, { recursive: true });
  const raw = `${cached}.${process.pid}.raw`;
  const r = spawnSync(cc, ccArgs(paths, sysroot, o, raw), { encoding: "utf8" });
  if (r.status !== 0) throw new CcError((r.stderr || r.error?.message || "clang failed").trim());
  const wasm = await asyncify(readFileSync(raw), o.sharedMemory !== "copied");
  rmSync(raw, { force: true });
  writeFileSync(`${cached}.${process.pid}`, wasm);
  renameSync(`${cached}.${process.pid}`, cached); // whole or absent, for a racing worker
  return wasm;
}

/** binaryen's Asyncify pass over the blocking imports (after instrument.ts's, when shared
 * accesses are steps), then its -O2. */
async function asyncify(wasm: Uint8Array, instrumented: boolean): Promise<Uint8Array> {
  const binaryen = (await import("binaryen")).default;
  const m = binaryen.readBinary(wasm);
  try {
    const imports = [...ASYNC_IMPORTS];
    if (instrumented) {
      instrumentShared(binaryen, m);
      imports.push(...SHARED_ASYNC_IMPORTS);
      // The checks inlined before Asyncify sees them: a check left a function of its own
      // would be a call per access, with Asyncify's bookkeeping in it.
      binaryen.setAlwaysInlineMaxSize(INLINE_CHECK_MAX);
      m.runPasses(["inlining-optimizing"]);
      binaryen.setAlwaysInlineMaxSize(2);
    }
    binaryen.setPassArgument("asyncify-imports", imports.join(","));
    binaryen.setOptimizeLevel(2);
    m.runPasses(["asyncify"]);
    m.optimize();
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}
