// Signal steps as kernel calls, and their results back (calls.ts dispatches here).
//
// The traced processes call glibc, as the host agent does (host-bridge/agent/calls.c), and
// glibc keeps signals 32 and 33 (SIGCANCEL, SIGSETXID) for itself: sigaddset refuses them, so
// no mask a trace writes can hold them, sigismember refuses them, so no reported set shows them,
// and sigaction on them gives EINVAL before the kernel is asked (nptl sigaction.c,
// is_internal_signal). The kernel itself has no such rule; this layer is glibc's.
//
// Signal sets cross the kernel's 32-bit ABI as two halves; sigprocmask's old set and
// sigpending's set come back through the I/O area as a 64-bit mask (the kernel's sigset_t).

import { CALLS, ERRNO, type SignalName } from "../../wasm/abi.js";
import type { Kernel } from "../../wasm/kernel.js";
import type { Result, Step } from "../trace/types.js";
import { signalName } from "../../wasm/names.js";

const GLIBC_RESERVED = new Set([32, 33]);

/** A trace's signal set as the mask glibc's sigaddset builds: [low word, high word]. */
function maskHalves(set: readonly number[]): [number, number] {
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
function maskNames(lo: number, hi: number): SignalName[] {
  const out: SignalName[] = [];
  for (let sig = 1; sig <= 64; sig++) {
    const word = sig <= 32 ? lo : hi;
    const bit = (sig - 1) % 32;
    if (((word >>> bit) & 1) !== 0 && !GLIBC_RESERVED.has(sig)) out.push(signalName(sig));
  }
  return out;
}

/** Issue a signal step; va is the caller's I/O area. Returns the raw kernel return. */
export function issueSignal(k: Kernel, step: Step, va: number): number {
  const pid = step.pid;
  const nr = CALLS[step.call];
  switch (step.call) {
    case "kill": return k.syscall(pid, nr, step.args.target, step.args.sig);
    case "sigaction": {
      const a = step.args;
      if (GLIBC_RESERVED.has(a.sig)) return -ERRNO.EINVAL;
      const [lo, hi] = maskHalves(a.mask);
      return k.syscall(pid, nr, a.sig, a.handler, a.flags, lo, hi);
    }
    case "sigprocmask": {
      const [lo, hi] = maskHalves(step.args.set);
      return k.syscall(pid, nr, step.args.how, lo, hi, va);
    }
    case "sigpending": return k.syscall(pid, nr, va);
    case "pause": return k.syscall(pid, nr);
    case "sigsuspend": {
      const [lo, hi] = maskHalves(step.args.mask);
      return k.syscall(pid, nr, lo, hi);
    }
    default: throw new Error(`not a signal call: ${step.call}`);
  }
}

/** A successful signal call's result (sets read back from the I/O area). */
export function decodeSignal(
  k: Kernel, call: string, pid: number, va: number, ret: number,
): Result {
  const set = () => maskNames(k.peekI32(pid, va), k.peekI32(pid, va + 4));
  if (call === "sigprocmask") return { ret, oldset: set() };
  if (call === "sigpending") return { ret, set: set() };
  return { ret };
}
