// The native baseline of the bug suite: each bug written in C with real fork, pipes, SysV
// semaphores, message queues, shared memory and signals (bench/native/*.c), compiled with the
// system `cc` into a build directory outside the tree, and stress-looped on real Linux until the
// bug shows or a time cap passes. Each program runs the loop itself (bench/native/harness.h:
// fresh IPC_PRIVATE objects per iteration, removed after it; a hang counts only when every
// process of the run is asleep) and prints one JSON line, parsed here.

import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// From the project root, as bench/replay.ts finds dist/cli.js: the runner bundles this file
// into node_modules/.cache, so import.meta.url does not point here.
const SOURCE_DIR = join(process.cwd(), "bench/native");
const BUILD_DIR = join(tmpdir(), `ipcsim-bench-native-${process.getuid?.() ?? 0}`);

/** One stress run of one bug on real Linux. */
export interface NativeResult {
  bug: string;
  found: boolean;
  /** Iterations run (up to and including the one that showed the bug). */
  iterations: number;
  /** Wall time of the loop: to the first failure when found, else the cap. */
  seconds: number;
  /** How the bug showed: a failed assertion, a hang (every process asleep), or not at all. */
  how: "assert" | "hang" | "none";
}

/** The bugs with a native program, by file name (bench/native/NAME.c). */
export function nativeBugs(): string[] {
  return readdirSync(SOURCE_DIR)
    .filter((f) => f.endsWith(".c"))
    .map((f) => f.slice(0, -2))
    .sort();
}

/** Compile bench/native/NAME.c (when its binary is older than it or the harness); the path. */
export function buildNative(bug: string): string {
  mkdirSync(BUILD_DIR, { recursive: true });
  const src = join(SOURCE_DIR, `${bug}.c`);
  const bin = join(BUILD_DIR, bug);
  const newest = Math.max(statSync(src).mtimeMs, statSync(join(SOURCE_DIR, "harness.h")).mtimeMs);
  let built = 0;
  try {
    built = statSync(bin).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < newest) execFileSync("cc", ["-O2", "-Wall", "-o", bin, src], { stdio: "pipe" });
  return bin;
}

/** Stress-loop one bug natively for at most `capSeconds` (and `maxIterations`, if given). */
export function runNative(bug: string, capSeconds: number, maxIterations?: number): NativeResult {
  const bin = buildNative(bug);
  const args = [String(capSeconds)];
  if (maxIterations !== undefined) args.push(String(maxIterations));
  const out = execFileSync(bin, args, { encoding: "utf8", timeout: (capSeconds + 30) * 1000 });
  const r = JSON.parse(out.trim()) as NativeResult;
  if (r.bug !== bug) throw new Error(`bench: ${bin} reported bug "${r.bug}"`);
  return r;
}

/** `node scripts/run-ts.mjs bench/native.ts [CAP_SECONDS] [BUG...]`: run and print each. */
export function main(args: string[]): number {
  const cap = args.length > 0 && /^[\d.]+$/.test(args[0]) ? Number(args.shift()) : 10;
  const bugs = args.length > 0 ? args : nativeBugs();
  for (const bug of bugs) console.log(JSON.stringify(runNative(bug, cap)));
  return 0;
}
