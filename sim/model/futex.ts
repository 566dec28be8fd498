// The atomics and futex calls' encodings (calls.ts ENCODERS, DECODERS).
//
// cas, xchg and fetch_add are CPU instructions on an aligned 32-bit word: the kernel writes
// the word's old value into the I/O area and the result's `ret` is that value, unsigned. An
// unaligned word is refused (the model keeps to words; on x86 it would be a split lock), and
// an integer address outside the trace's mappings is refused as a store's is (mem.ts).
//
// futex's fourth register is a timespec pointer for the wait commands (a trace's `timeout`,
// put at the I/O area's start; null is NULL) and `val2` for the others, as the raw syscall
// takes it (SYSCALL_DEFINE6(futex): `(unsigned long)utime`). Its addresses may be anything:
// the kernel answers EFAULT or, for a private key, never looks (FUTEX_WAKE_PRIVATE of NULL
// wakes nobody: 0), except the model's I/O area, which is no memory of the trace's.

import { CALLS, FLAGS } from "../../wasm/abi.js";
import type { Kernel } from "../../wasm/kernel.js";
import { futexCommand } from "../trace/calls.js";
import type { Step } from "../trace/types.js";
import type { Decoders, Encoders, StepOf } from "./calls.js";
import { ModelError } from "./errors.js";
import { addr, checkLiteral, faultLoops } from "./mem.js";
import { timespecBytes } from "./time.js";

const F = FLAGS.futex;
/** futex_cmd_has_timeout: WAIT, WAIT_BITSET and the PI waits (LOCK_PI 6, WAIT_REQUEUE_PI 11,
 * LOCK_PI2 13). */
const TIMED = new Set<number>([F.FUTEX_WAIT, F.FUTEX_WAIT_BITSET, 6, 11, 13]);

/** Whether a futex op's fourth argument is its timeout (else it is val2). */
function futexTimed(op: number): boolean {
  return TIMED.has(futexCommand(op));
}

type Atomic = "cas" | "xchg" | "fetch_add";

function word(k: Kernel, step: StepOf<Atomic>): number {
  const a = addr(step.args.addr);
  if (a % 4 !== 0) {
    throw new ModelError(
      `line ${step.line}: ${step.call} at 0x${a.toString(16)}: an atomic needs a 4-byte ` +
      "aligned word (the model does not make split-lock accesses)",
    );
  }
  checkLiteral(k, step, 4);
  return a;
}

function notIoArea(k: Kernel, step: Step, a: number): number {
  if (a >= k.ioBase && a < k.ioBase + k.ioSize) {
    throw new ModelError(
      `line ${step.line}: futex at 0x${a.toString(16)}, the model's I/O area, which is no ` +
      "memory of the trace's (name the address by a ref to the mmap or shmat step)",
    );
  }
  return a;
}

export const FUTEX_ENCODERS: Encoders = {
  cas: (k, step, va) => {
    const { old, new: next } = step.args;
    return faultLoops(step, k.syscall(step.pid, CALLS.cas, word(k, step), old, next, va));
  },
  xchg: (k, step, va) =>
    faultLoops(step, k.syscall(step.pid, CALLS.xchg, word(k, step), step.args.new, va)),
  fetch_add: (k, step, va) =>
    faultLoops(step, k.syscall(step.pid, CALLS.fetch_add, word(k, step), step.args.add, va)),
  futex: (k, step, va) => {
    const { op, val, timeout, val2, val3 } = step.args;
    let fourth = val2;
    if (futexTimed(op)) {
      fourth = 0;
      if (timeout !== null) {
        if (!k.poke(step.pid, va, timespecBytes(timeout))) {
          throw new ModelError(`line ${step.line}: pid ${step.pid}'s I/O area is not writable`);
        }
        fourth = va;
      }
    }
    const a = notIoArea(k, step, addr(step.args.addr));
    const a2 = notIoArea(k, step, addr(step.args.addr2));
    return k.syscall(step.pid, CALLS.futex, a, op, val, fourth, a2, val3);
  },
};

/** An atomic's `ret`: the old word the kernel left in the I/O area, unsigned. */
const oldWord = (k: Kernel, c: { pid: number; va: number }) =>
  ({ ret: k.peekI32(c.pid, c.va) >>> 0 });

export const FUTEX_DECODERS: Decoders = { cas: oldWord, xchg: oldWord, fetch_add: oldWord };
