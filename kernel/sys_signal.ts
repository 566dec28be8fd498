// Syscall entry points for signals: decode the arguments and call signal.ts / sigdeliver.ts.
// A signal set crosses the 32-bit ABI as two halves (low word: signals 1..32).
// Linux: kernel/signal.c (SYSCALL_DEFINEs of kill, rt_sigaction, rt_sigprocmask,
// rt_sigpending, pause, rt_sigsuspend).

import { Proc } from "./proc";
import { sigAction, sigKill, sigPendingSet, sigProcmask } from "./signal";
import { sigPause, sigSuspend } from "./sigdeliver";

@inline function set64(lo: i32, hi: i32): u64 {
  return (<u64><u32>hi << 32) | <u64><u32>lo;
}

export function sysKill(p: Proc, target: i32, sig: i32): i32 {
  return sigKill(p, target, sig);
}

/** rt_sigaction(sig, {handler, flags, mask}, NULL). */
export function sysSigaction(p: Proc, sig: i32, handler: i32, flags: i32, lo: i32, hi: i32): i32 {
  return sigAction(p, sig, handler, flags, set64(lo, hi));
}

/** rt_sigprocmask(how, set, oldset): oldset at oldVa (0: none). */
export function sysSigprocmask(p: Proc, how: i32, lo: i32, hi: i32, oldVa: u32): i32 {
  return sigProcmask(p, how, set64(lo, hi), oldVa);
}

export function sysSigpending(p: Proc, va: u32): i32 {
  return sigPendingSet(p, va);
}

export function sysPause(p: Proc): i32 {
  return sigPause(p);
}

export function sysSigsuspend(p: Proc, lo: i32, hi: i32): i32 {
  return sigSuspend(p, set64(lo, hi));
}
