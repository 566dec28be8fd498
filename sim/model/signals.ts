// Signal sets across the kernel's ABI, and glibc's rule for sigaction (calls.ts ENCODERS; the
// signal calls are otherwise made as their rows say).
//
// The traced processes call glibc, as the host agent does (host-bridge/agent/calls.c), and
// glibc keeps signals 32 and 33 (SIGCANCEL, SIGSETXID) for itself: sigaddset refuses them, so
// no mask a trace writes can hold them, sigismember refuses them, so no reported set shows them,
// and sigaction on them gives EINVAL before the kernel is asked (nptl sigaction.c,
// is_internal_signal). The kernel itself has no such rule; this layer is glibc's.
//
// Signal sets cross the kernel's 32-bit ABI as two halves; sigprocmask's old set and
// sigpending's set come back through the I/O area as a 64-bit mask (the kernel's sigset_t).

import { CALLS, ERRNO, UAPI, type SignalName } from "../../wasm/abi.js";
import type { Kernel } from "../../wasm/kernel.js";
import type { Encoders, Issued, Ok } from "./calls.js";
import { signalName } from "../../wasm/names.js";
import { siginfoOf } from "../trace/siginfo.js";
import { stackBytes, stackFromBytes } from "../trace/stack.js";
import { ModelError } from "./errors.js";
import { timespecBytes } from "./time.js";

const GLIBC_RESERVED = new Set([32, 33]);

/** A trace's signal set as the mask glibc's sigaddset builds: [low word, high word]. */
export function maskHalves(set: readonly number[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const sig of set) {
    if (sig < 1 || sig > 64 || GLIBC_RESERVED.has(sig)) continue;
    if (sig <= 32) lo |= 1 << (sig - 1);
    else hi |= 1 << (sig - 33);
  }
  return [lo | 0, hi | 0];
}

/** A 64-bit mask as glibc's sigismember reports it: signal names, in order, without 32, 33. */
export function maskNames(lo: number, hi: number): SignalName[] {
  const out: SignalName[] = [];
  for (let sig = 1; sig <= 64; sig++) {
    const word = sig <= 32 ? lo : hi;
    const bit = (sig - 1) % 32;
    if (((word >>> bit) & 1) !== 0 && !GLIBC_RESERVED.has(sig)) out.push(signalName(sig));
  }
  return out;
}

/** sigtimedwait: the siginfo buffer at the I/O area's start, the timeout (or NULL) after it. */
const SIGINFO_BYTES = 128;

export const SIGNAL_ENCODERS: Encoders = {
  sigaction: (_k, step, _va, byRow) =>
    (GLIBC_RESERVED.has(step.args.sig) ? -ERRNO.EINVAL : byRow()),
  // raise is pthread_kill on the caller (__is_internal_signal: EINVAL), signal is
  // __bsd_signal (EINVAL as sigaction).
  raise: (_k, step, _va, byRow) => (GLIBC_RESERVED.has(step.args.sig) ? -ERRNO.EINVAL : byRow()),
  signal: (_k, step, _va, byRow) =>
    (GLIBC_RESERVED.has(step.args.sig) ? -ERRNO.EINVAL : byRow()),
  sigtimedwait: (k, step, va) => {
    const [lo, hi] = maskHalves(step.args.set);
    let tva = 0;
    if (step.args.timeout !== null) {
      tva = va + SIGINFO_BYTES;
      if (!k.poke(step.pid, tva, timespecBytes(step.args.timeout))) {
        throw new ModelError(`pid ${step.pid}: cannot write its I/O area`);
      }
    }
    return { ret: k.syscall(step.pid, CALLS.sigtimedwait, lo, hi, va, tva), va };
  },
  // ss (or NULL) at the I/O area's start, old_ss's buffer after it: always asked for.
  sigaltstack: (k, step, va) => {
    let ssVa = 0;
    if (step.args.ss !== null) {
      ssVa = va;
      if (!k.poke(step.pid, va, stackBytes(step.args.ss))) {
        throw new ModelError(`pid ${step.pid}: cannot write its I/O area`);
      }
    }
    return { ret: k.syscall(step.pid, CALLS.sigaltstack, ssVa, va + OLD_SS), va: va + OLD_SS };
  },
};

/** sigaltstack: where old_ss goes in the I/O area (after ss). */
const OLD_SS = UAPI.stack_t.size;

/** sigaltstack's `oldss`: the stack_t the kernel copied out (kernel/sigaltstack.ts). */
export function oldssAt(k: Kernel, c: Issued, _ret: number, r: Ok): void {
  const b = k.peek(c.pid, c.va, OLD_SS);
  if (!b) throw new ModelError(`sigaltstack result of pid ${c.pid} unreadable`);
  r.oldss = stackFromBytes(b);
}

/** sigtimedwait's `info`: the struct siginfo the kernel copied out (kernel/siginfo.ts). */
export function siginfoAt(k: Kernel, c: Issued, ret: number, r: Ok): void {
  const at = (off: number) => k.peekI32(c.pid, c.va + off);
  const code = at(8);
  const word = at(24);
  r.info = siginfoOf(ret, code, at(16), at(20), word, word);
}
