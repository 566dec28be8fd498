// Signals: dispositions, the blocked mask, the pending set, and delivery when a call returns.
//
// Linux: kernel/signal.c (__send_signal_locked, prepare_signal, sig_ignored, get_signal,
// do_sigaction), include/linux/signal.h (SIG_KERNEL_*_MASK: default actions).
//
// This file holds the mechanism the rest of the kernel needs now: SIGPIPE from a pipe write
// (fatal by default), SIGCHLD on a child's exit (ignored by default), default actions and
// init's immunity. The signal calls (kill, sigaction, sigprocmask, ...) build on it.
//
// Dispositions live in a page per process, allocated on the first change (0: all SIG_DFL):
//   entry per signal (1..64): | handler i32 | flags i32 | mask u64 |
//
// Invariants: SIGKILL and SIGSTOP are never blocked nor ignored; a standard signal is pending
// at most once (a bit).

import { HANDLER_SIG_DFL, HANDLER_SIG_IGN, KILLED, SIGCHLD, SIGCONT, SIGKILL, SIGSTOP } from "./abi";
import { pageAllocRaw, pagePut } from "./mem";
import { PAGE_SIZE, PID_INIT } from "./param";
import { Proc, procKill } from "./proc";

export const ACT_TERM: i32 = 1;
export const ACT_CORE: i32 = 2;
export const ACT_IGN: i32 = 3;
export const ACT_STOP: i32 = 4;
export const ACT_CONT: i32 = 5;
const SA_NOCLDWAIT: i32 = 2;
const ENTRY_BYTES: i32 = 16;

/** signal(7) default actions: core for QUIT ILL TRAP ABRT BUS FPE SEGV XCPU XFSZ SYS; ignore
 * for CHLD URG WINCH; stop for STOP TSTP TTIN TTOU; continue for CONT; terminate otherwise. */
export function defaultAction(sig: i32): i32 {
  if (sig == 3 || sig == 4 || sig == 5 || sig == 6 || sig == 7 || sig == 8 || sig == 11) return ACT_CORE;
  if (sig == 24 || sig == 25 || sig == 31) return ACT_CORE;
  if (sig == SIGCHLD || sig == 23 || sig == 28) return ACT_IGN;
  if (sig == SIGSTOP || sig == 20 || sig == 21 || sig == 22) return ACT_STOP;
  if (sig == SIGCONT) return ACT_CONT;
  return ACT_TERM;
}

@inline export function sigBit(sig: i32): u64 {
  return <u64>1 << <u64>(sig - 1);
}

export function sigInit(p: Proc): void {
  p.sigPending = 0;
  p.sigBlocked = 0;
  p.sigActions = 0;
}

@inline function entry(p: Proc, sig: i32): usize {
  return p.sigActions + <usize>(sig * ENTRY_BYTES);
}

export function sigHandler(p: Proc, sig: i32): i32 {
  return p.sigActions == 0 ? HANDLER_SIG_DFL : load<i32>(entry(p, sig));
}

export function sigFlags(p: Proc, sig: i32): i32 {
  return p.sigActions == 0 ? 0 : load<i32>(entry(p, sig), 4);
}

/** The dispositions page of p, allocated (all SIG_DFL) on first use; 0 when out of memory. */
export function sigActionsPage(p: Proc): usize {
  if (p.sigActions == 0) {
    const page = pageAllocRaw();
    if (page == 0) return 0;
    memory.fill(page, 0, PAGE_SIZE);
    p.sigActions = page;
  }
  return p.sigActions;
}

/** fork copies dispositions and the mask; the child's pending set starts empty. */
export function sigForkCopy(p: Proc, c: Proc): void {
  c.sigBlocked = p.sigBlocked;
  c.sigPending = 0;
  c.sigActions = 0;
  if (p.sigActions != 0 && sigActionsPage(c) != 0) memory.copy(c.sigActions, p.sigActions, PAGE_SIZE);
}

export function sigRelease(p: Proc): void {
  if (p.sigActions != 0) pagePut(p.sigActions);
  p.sigActions = 0;
}

/** sig_ignored: discarded at generation when not blocked and ignored (explicitly, or by a
 * default of ignore). Init ignores every signal it has no handler for. */
function ignoredNow(p: Proc, sig: i32): bool {
  if ((p.sigBlocked & sigBit(sig)) != 0) return false;
  const h = sigHandler(p, sig);
  if (h == HANDLER_SIG_IGN) return true;
  return h == HANDLER_SIG_DFL && (defaultAction(sig) == ACT_IGN || p.pid == PID_INIT);
}

/** Generate sig for p (the pending bit; standard signals coalesce). */
export function sigSend(p: Proc, sig: i32): void {
  if (ignoredNow(p, sig)) return;
  p.sigPending |= sigBit(sig);
}

/** With SIGCHLD ignored (SIG_IGN) or SA_NOCLDWAIT, children are reaped at exit (do_notify_parent). */
export function sigchldAutoReap(parent: Proc): bool {
  return sigHandler(parent, SIGCHLD) == HANDLER_SIG_IGN || (sigFlags(parent, SIGCHLD) & SA_NOCLDWAIT) != 0;
}

/** On return from a call: act on pending, unblocked signals, lowest number first (get_signal).
 * KILLED when a default action terminated the process, else 0. */
export function sigDeliver(p: Proc): i32 {
  while (true) {
    const ready = p.sigPending & ~p.sigBlocked;
    if (ready == 0) return 0;
    const sig = <i32>ctz(ready) + 1;
    p.sigPending &= ~sigBit(sig);
    const h = sigHandler(p, sig);
    if (h == HANDLER_SIG_IGN) continue;
    if (h == HANDLER_SIG_DFL) {
      const act = defaultAction(sig);
      if (act == ACT_TERM || act == ACT_CORE || sig == SIGKILL) return procKill(p, sig);
      continue;
    }
  }
  return 0;
}

export function sigCheck(p: Proc): void {
  assert((p.sigBlocked & (sigBit(SIGKILL) | sigBit(SIGSTOP))) == 0, "SIGKILL or SIGSTOP blocked");
  assert(sigHandler(p, SIGKILL) == HANDLER_SIG_DFL, "SIGKILL has a disposition");
}

export const SIG_KILLED: i32 = KILLED;
