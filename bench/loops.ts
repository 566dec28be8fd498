// The native baselines of the SysV and shm benchmarks: bench/loops/loops.c, compiled with the
// system `cc` into a build directory outside the tree (as native.ts builds the bug suite) and
// run once per timed round. The loops time themselves (CLOCK_MONOTONIC around the loop only),
// so starting the program costs the measurement nothing.

import { execFileSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// From the project root, as native.ts: the runner bundles this file, so import.meta.url does
// not point here.
const SOURCE = join(process.cwd(), "bench/loops/loops.c");
const BIN = join(tmpdir(), `ipcsim-bench-loops-${process.getuid?.() ?? 0}`, "loops");

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** The compiled loops program, or why there is none (not Linux, no cc, a compile error). */
export function buildLoops(): { ok: true; bin: string } | { ok: false; reason: string } {
  if (process.platform !== "linux") return { ok: false, reason: "the native loops need Linux" };
  try {
    if (mtime(BIN) < mtime(SOURCE)) {
      mkdirSync(join(BIN, ".."), { recursive: true });
      const cc = process.env.CC || "cc";
      execFileSync(cc, ["-O2", "-Wall", "-std=gnu11", "-o", BIN, SOURCE], { stdio: "pipe" });
    }
    return { ok: true, bin: BIN };
  } catch (e) {
    return { ok: false, reason: `cannot compile bench/loops/loops.c: ${(e as Error).message}` };
  }
}

function runLoops(bin: string, args: string[]): Record<string, number> {
  let out: string;
  try {
    out = execFileSync(bin, args, { encoding: "utf8" });
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? (e as Error).message);
  }
  const r = JSON.parse(out.trim()) as Record<string, number> & { error?: string };
  if (r.error !== undefined) throw new Error(`bench: loops ${args.join(" ")}: ${r.error}`);
  return r;
}

/** `pairs` msgsnd+msgrcv pairs of `bytes`-byte messages on a private queue, then `pairs` semop
 * P+V pairs on a private set, natively: each loop's nanoseconds (bench/sysv.ts). */
export function sysvLoops(
  bin: string, pairs: number, bytes: number,
): { msgNs: number; semNs: number } {
  const r = runLoops(bin, ["sysv", String(pairs), String(bytes)]);
  return { msgNs: r.msg_ns, semNs: r.sem_ns };
}

/** `handoffs` futex wait/wake handoffs between two processes, natively: the nanoseconds. */
export function futexLoop(bin: string, handoffs: number): number {
  return runLoops(bin, ["futex", String(handoffs)]).ns;
}

/** `pairs` mq_send+mq_receive pairs of `bytes` bytes on a POSIX queue, natively. */
export function mqLoop(bin: string, pairs: number, bytes: number): number {
  return runLoops(bin, ["mq", String(pairs), String(bytes)]).ns;
}

/** `pairs` pwrite+pread pairs of `bytes` bytes on a tmpfs file, natively. */
export function fileLoop(bin: string, pairs: number, bytes: number): number {
  return runLoops(bin, ["file", String(pairs), String(bytes)]).ns;
}

/** `pairs` uncontended flock(LOCK_EX)+flock(LOCK_UN) pairs on a tmpfs file, natively. */
export function flockLoop(bin: string, pairs: number): number {
  return runLoops(bin, ["flock", String(pairs)]).ns;
}

/** `pairs` uncontended sem_post+sem_wait pairs (glibc, process-shared), natively. */
export function semLoop(bin: string, pairs: number): number {
  return runLoops(bin, ["sem", String(pairs)]).ns;
}

/** `pairs` write+read pairs of `bytes` bytes on one pipe, natively: the loop's nanoseconds
 * (bench/pipe.ts). */
export function pipeLoop(bin: string, pairs: number, bytes: number): number {
  return runLoops(bin, ["pipe", String(pairs), String(bytes)]).ns;
}

/** `pairs` send+recv pairs of `bytes` bytes on one AF_UNIX stream socketpair, natively: the
 * loop's nanoseconds (bench/socket.ts). */
export function socketpairLoop(bin: string, pairs: number, bytes: number): number {
  return runLoops(bin, ["socketpair", String(pairs), String(bytes)]).ns;
}

/** `iterations` times fork, _exit(0) in the child, waitpid in the parent, natively: the loop's
 * nanoseconds (bench/fork.ts). */
export function forkLoop(bin: string, iterations: number): number {
  return runLoops(bin, ["fork", String(iterations)]).ns;
}

/** `iterations` times, memcpy of `bytes` in and back out, natively: the loop's nanoseconds
 * (bench/shm.ts). */
export function memcpyLoop(bin: string, iterations: number, bytes: number): number {
  return runLoops(bin, ["memcpy", String(iterations), String(bytes)]).ns;
}

/** `live` unmergeable one-page mappings, then `pairs` one-page mmap+munmap pairs, natively:
 * the pairs' nanoseconds (bench/mmap.ts). */
export function mmapLoop(bin: string, pairs: number, live: number): number {
  return runLoops(bin, ["mmap", String(pairs), String(live)]).ns;
}
