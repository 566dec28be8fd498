// The kernel never traps, whatever a process asks: random call numbers (known, unimplemented,
// unknown), random callers (live, blocked, dead, out of range), and hostile arguments (negative
// and huge fds and counts, unknown flag bits, NULL, unmapped and out-of-range addresses, paths
// without a NUL). Every return is a result >= 0, a Linux errno, or one of the kernel's own codes;
// kernel_check() holds after every call; nothing throws (a KernelPanic or a wasm trap fails).
//
// This drives the raw ABI (Kernel.syscall), below the trace engine, the way the engine does:
// after each call every woken process retries until none is left, and events are drained.

import { fc, test } from "@fast-check/vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CALLS, ERRNO, FLAGS, KERNEL, PROC_STATE } from "../wasm/abi.js";
import type { Kernel } from "../wasm/kernel.js";
import { pick } from "./call-table.js";
import { discardSharedKernel, failureDir, params, sharedKernel } from "./support.js";
import "./timeouts.js";

const ERRNOS = new Set<number>(Object.values(ERRNO));
const CODES = new Set<number>([KERNEL.BLOCKED, KERNEL.KILLED, KERNEL.BADCALLER]);
/** Retries after one call, at most: more means the woken processes never settle. */
const RETRIES_MAX = 10_000;

// ---- draws ----

/** An argument: a number, or a place resolved against the caller's memory at run time. */
type Arg = number | { at: "io" | "io-end" | "poked" };

const ADDRESSES = [
  0, 0x1000, 0xfffff, 0x40000000, 0x7ffff000, 0x7fffffff, 0x80000000, 0xfffff000, 0xffffffff,
];
const BOUNDARIES = [
  0, 1, -1, 4095, 4096, 4097, 65536, 1 << 20, 0x7ffff000, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1,
];

const argArb: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -3, max: 12 }) },
  { weight: 2, arbitrary: pick(BOUNDARIES) },
  { weight: 3, arbitrary: pick(["io", "io-end", "poked"] as const).map((at) => ({ at })) },
  { weight: 2, arbitrary: pick(ADDRESSES) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) }, // unknown flag bits
  { weight: 1, arbitrary: fc.integer() },
);

/** Arguments that fit a call's signature most of the time, hostile now and then: a random
 * argument rarely gets a read past its fd check, so known calls are often called in shape. */
type Slot = "fd" | "addr" | "count" | "flags" | "cmd" | "pid";
const SHAPES: Partial<Record<number, Slot[]>> = {
  [CALLS.read]: ["fd", "addr", "count"],
  [CALLS.write]: ["fd", "addr", "count"],
  [CALLS.open]: ["addr", "flags"],
  [CALLS.close]: ["fd"],
  [CALLS.dup]: ["fd"],
  [CALLS.dup2]: ["fd", "fd"],
  [CALLS.fcntl]: ["fd", "cmd", "count"],
  [CALLS.pipe]: ["addr", "flags"],
  [CALLS.exit]: ["count"],
  [CALLS.waitpid]: ["pid", "addr", "flags"],
  [CALLS.mkfifo]: ["addr", "count"],
  [CALLS.unlink]: ["addr"],
};
const F = FLAGS.open;
const OPEN_BITS = [
  F.O_WRONLY, F.O_RDWR, F.O_NONBLOCK, F.O_DIRECT, F.O_CLOEXEC, F.O_CREAT, F.O_EXCL, 3,
];
const FCNTL_CMDS = [...Object.values(FLAGS.fcntl), 5, 1033, -1];
const COUNTS = [0, 1, 100, 4095, 4096, 4097, 65535, 65536, 65537, 1 << 20, (1 << 24) + 1];
const slotArbs: Record<Slot, fc.Arbitrary<Arg>> = {
  fd: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 7 }) }, argArb),
  addr: fc.oneof({ weight: 8, arbitrary: fc.constant({ at: "poked" as const }) }, argArb),
  count: fc.oneof({ weight: 8, arbitrary: pick(COUNTS) }, argArb),
  flags: fc.oneof(
    { weight: 8, arbitrary: fc.subarray(OPEN_BITS).map((b) => b.reduce((x, y) => x | y, 0)) },
    argArb,
  ),
  cmd: fc.oneof({ weight: 8, arbitrary: pick(FCNTL_CMDS) }, argArb),
  pid: fc.oneof({ weight: 8, arbitrary: pick([-1, 0, 3, 4, 5, 2, 99]) }, argArb),
};
const shapedArb = fc.record(slotArbs);

/** Bytes placed in the caller's memory before the call: paths, garbage, and runs of "a" with
 * no NUL at all. */
const NAMES = ["f0", "f1", "", ".", "..", "/abs", "a/b", "f0/x", "x".repeat(255), "x".repeat(256)];
const pokeArb = fc.record({
  end: fc.boolean(), // at the very end of the I/O area, so a missing NUL runs into unmapped memory
  bytes: fc.oneof(
    { weight: 4, arbitrary: pick(NAMES).map((n) => new TextEncoder().encode(`${n}\0`)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
    { weight: 1, arbitrary: pick([300, 4095, 4096, 5000]).map((n) => new Uint8Array(n).fill(97)) },
  ),
});

const KNOWN = Object.values(CALLS);
const nrArb = fc.oneof(
  { weight: 10, arbitrary: pick(KNOWN) },
  { weight: 1, arbitrary: pick([-1, 2, 1002, 4096, 2 ** 31 - 1]) },
  { weight: 1, arbitrary: fc.integer() },
);

const HOSTILE_PIDS = [-1, 0, 1, 3, 99, 16383, 16384, 2 ** 31 - 1];

const opArb = fc.record({
  /** The caller: the n-th idle process, or a hostile pid. */
  who: fc.oneof(
    { weight: 9, arbitrary: fc.nat({ max: 7 }).map((idle) => ({ idle })) },
    { weight: 1, arbitrary: pick(HOSTILE_PIDS).map((raw) => ({ raw })) },
  ),
  nr: nrArb,
  args: fc.array(argArb, { minLength: 6, maxLength: 6 }),
  /** Arguments in the call's shape: used for the first ones when the call has a shape. */
  shaped: fc.option(fc.array(shapedArb, { minLength: 3, maxLength: 3 }), { freq: 2 }),
  poke: fc.option(pokeArb, { freq: 2 }),
  /** Which woken process retries first, when several are. */
  order: fc.nat({ max: 7 }),
});
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

// ---- running ----

interface Logged {
  pid: number;
  nr: number;
  args: number[];
  poke?: { va: number; bytes: number };
  ret?: number;
  retries?: [number, number][];
}

class Run {
  readonly log: Logged[] = [];
  private poked: number;

  constructor(readonly k: Kernel) {
    this.poked = k.ioBase;
  }

  /** Live objects to aim at: a pipe [3, 4], a FIFO "f0", children 3 and 4. */
  setup(): void {
    const io = this.k.ioBase;
    this.k.poke(2, io, new TextEncoder().encode("f0\0"));
    this.call(2, CALLS.mkfifo, [io, 0o644, 0, 0, 0, 0]);
    this.call(2, CALLS.pipe, [io, 0, 0, 0, 0, 0]);
    this.call(2, CALLS.fork, [0, 0, 0, 0, 0, 0]);
    this.call(3, CALLS.fork, [0, 0, 0, 0, 0, 0]);
  }

  op(o: Op): void {
    const pid = "raw" in o.who ? o.who.raw : this.idle(o.who.idle);
    let poke: Logged["poke"];
    if (o.poke && this.k.x.k_proc_state(pid) !== PROC_STATE.UNUSED) {
      const { ioBase, ioSize } = this.k;
      const va = o.poke.end ? ioBase + ioSize - o.poke.bytes.length : ioBase + 256;
      this.k.poke(pid, va, o.poke.bytes);
      this.poked = va;
      poke = { va, bytes: o.poke.bytes.length };
    }
    const shape = SHAPES[o.nr] ?? [];
    const shaped = o.shaped;
    const args = o.args.map((a, i) => (shaped && i < shape.length ? shaped[i][shape[i]] : a));
    this.call(pid, o.nr, args.map((a) => this.resolve(a)), poke, o.order);
  }

  private idle(n: number): number {
    const idle: number[] = [];
    for (let pid = 2; pid < this.k.x.k_next_pid(); pid++) {
      if (this.k.x.k_proc_state(pid) === PROC_STATE.IDLE) idle.push(pid);
    }
    return idle.length ? idle[n % idle.length] : 2;
  }

  private resolve(a: Arg): number {
    if (typeof a === "number") return a;
    if (a.at === "io") return this.k.ioBase;
    if (a.at === "io-end") return this.k.ioBase + this.k.ioSize - 4;
    return this.poked;
  }

  private call(pid: number, nr: number, args: number[], poke?: Logged["poke"], order = 0): void {
    const entry: Logged = { pid, nr, args: args.map((a) => a | 0), poke };
    this.log.push(entry);
    entry.ret = this.k.syscall(pid, nr, ...args);
    // alarm never fails: its result is an unsigned int that crosses the ABI as an i32
    // (kernel/time/itimer.c alarm_setitimer; sim/model/calls.ts decodes it so).
    if (nr !== CALLS.alarm) expectCode(entry.ret, `call ${nr} by pid ${pid}`);
    entry.retries = this.settle(order);
    this.k.drainEvents();
    this.k.check();
  }

  /** Retry woken processes until none is left (the engine's quiescence). */
  private settle(order: number): [number, number][] {
    const done: [number, number][] = [];
    for (let woken = this.k.woken(); woken.length > 0; woken = this.k.woken()) {
      if (done.length >= RETRIES_MAX) {
        throw new Error(`woken processes did not settle in ${RETRIES_MAX} retries`);
      }
      const pid = woken[(order + done.length) % woken.length];
      const r = this.k.retry(pid);
      if (r === KERNEL.BADCALLER) throw new Error(`retry of woken pid ${pid} refused (BADCALLER)`);
      expectCode(r, `retry by pid ${pid}`);
      done.push([pid, r]);
    }
    return done;
  }
}

function expectCode(ret: number, what: string): void {
  const ok = Number.isInteger(ret) && (ret >= 0 || ERRNOS.has(-ret) || CODES.has(ret));
  if (!ok) throw new Error(`${what} returned ${ret}: not a result, a Linux errno or a kernel code`);
}

/** The calls made, one JSON object a line, appended to the error and saved to a file. */
function report(e: unknown, log: Logged[]): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  const lines = log.map((l) => JSON.stringify(l)).join("\n");
  let file = "";
  try {
    mkdirSync(failureDir(), { recursive: true });
    file = join(failureDir(), `hostile.${process.pid}.jsonl`);
    writeFileSync(file, `${lines}\n`);
  } catch {
    // the message below has the calls
  }
  const saved = file ? `; saved to ${file}` : "";
  err.message += `\n  calls made (the last one failed${saved}):\n${lines}`;
  return err;
}

test.prop([fc.array(opArb, { maxLength: 60, size: "max" })], params(150))(
  "the kernel never traps on random calls with hostile arguments, and kernel_check() holds",
  (ops) => {
    const k = sharedKernel();
    k.reset();
    const run = new Run(k);
    try {
      run.setup();
      for (const o of ops) run.op(o);
    } catch (e) {
      discardSharedKernel();
      throw report(e, run.log);
    }
  },
);
