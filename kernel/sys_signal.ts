// Syscall entry points for signals: decode the arguments, copy signal sets out, and call
// signal.ts / sigdeliver.ts with kernel values. A signal set crosses the 32-bit ABI as two
// halves (low word: signals 1..32).
// Linux: kernel/signal.c (SYSCALL_DEFINEs of kill, rt_sigaction, rt_sigprocmask,
// rt_sigpending, pause, rt_sigsuspend).

import { Proc } from "./proc";
import { EINVAL, SA_RESTART } from "./abi";
import { sigAction, sigBit, sigHandler, sigPendingBlocked, sigProcmask } from "./signal";
import { sigSuspend } from "./sigdeliver";
import { putUser32 } from "./vm";

// kill(pid, sig) and pause() take kernel values: they enter the mechanism directly.
export {
  sigKill as sysKill, sigQueueInfo as sysSigqueue, sigRaise as sysRaise, sigTgkill as sysTgkill,
  sigTgsigqueueinfo as sysTgsigqueueinfo,
} from "./siginfo";
export { sigPause as sysPause } from "./sigdeliver";
export { sigReturn as sysSigreturn } from "./sigframe";
export { sigTimedwait as sysSigtimedwait } from "./sigwait";
export { signalfd4 as sysSignalfd4 } from "./signalfd";
export { sigAltstack as sysSigaltstack } from "./sigaltstack";

@inline function set64(lo: i32, hi: i32): u64 {
  return (<u64><u32>hi << 32) | <u64><u32>lo;
}

function putUser64(p: Proc, va: u32, v: u64): i32 {
  const r = putUser32(p, va, <i32>v);
  return r < 0 ? r : putUser32(p, va + 4, <i32>(v >> 32));
}

/** glibc's signal(sig, handler) (sysdeps/posix/signal.c __bsd_signal): sigaction with
 * SA_RESTART and sig itself in the mask; the old handler, or -EINVAL. */
export function sysSignal(p: Proc, sig: i32, handler: i32): i32 {
  if (sig < 1 || sig > 64) return -EINVAL;
  const old = sigHandler(p, sig);
  const r = sigAction(p, sig, handler, SA_RESTART, sigBit(sig));
  return r < 0 ? r : old;
}

/** rt_sigaction(sig, {handler, flags, mask}, NULL). */
export function sysSigaction(p: Proc, sig: i32, handler: i32, flags: i32, lo: i32, hi: i32): i32 {
  return sigAction(p, sig, handler, flags, set64(lo, hi));
}

/** rt_sigprocmask(how, set, oldset): oldset at oldVa (0: none), written after the change (a
 * failed copy-out leaves the new mask in place). */
export function sysSigprocmask(p: Proc, how: i32, lo: i32, hi: i32, oldVa: u32): i32 {
  const old = p.sigBlocked;
  const r = sigProcmask(p, how, set64(lo, hi));
  if (r < 0 || oldVa == 0) return r;
  return putUser64(p, oldVa, old);
}

/** rt_sigpending(set). */
export function sysSigpending(p: Proc, va: u32): i32 {
  return putUser64(p, va, sigPendingBlocked(p));
}

export function sysSigsuspend(p: Proc, lo: i32, hi: i32): i32 {
  return sigSuspend(p, set64(lo, hi));
}
