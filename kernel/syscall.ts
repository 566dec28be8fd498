// The system call path: save the call in the process entry, dispatch it, and on return deliver
// pending signals (as Linux does on the way back to user space). A call that must wait leaves
// its process BLOCKED with the call saved; once woken, `callRetry` runs it again from where the
// mechanism's loop resumes (woke, and the call's own continuation state: proc.ts callState).
// A call that would sleep with a signal pending is interrupted instead: it returns its restart
// code (callInterrupt), delivery decides between EINTR and a restart from scratch (callFinish;
// sigdeliver.ts has the rules).
//
// Call numbers are Linux x86_64's (wasm/abi.ts). Arguments are i32; size_t ones are read as
// u32 and addresses are 32-bit user addresses.

import {
  BLOCKED, KILLED, PROC_IDLE, PROC_WOKEN, PROC_ZOMBIE, SYS_open, SYS_recvfrom, SYS_sendto,
  SYS_write, SYS_writev,
  PROC_BLOCKED, EINTR, ERESTARTNOHAND, ERESTARTSYS, SIG_FRAMED, SIG_STOPPED, SYS_futex,
  SYS_sigreturn, SYS_sigtimedwait,
} from "./abi";
import {
  INTR_EINTR, INTR_NOHAND, INTR_RESTART, INTR_RESTARTBLOCK, dispatch, interruptClass,
} from "./dispatch";
import { abortOpen, fifoOpening } from "./fifo";
import { futexAbort, futexInterrupt } from "./futex";
import { lockAbort } from "./fcntl_lock";
import { pipeWriteWait } from "./pipe";
import { pollAbort } from "./poll";
import { CALL_NONE, Proc, callStateReset, sigPendingNow, wokenRemove } from "./proc";
import { SIGST_RESTORE, SIGST_RUNNING, sigStepBegin } from "./signal";
import { callReturned, frameStepCaller } from "./sigframe";
import { doomSig, isRestart, sigDeliverAt, sigDoomedDies, sigOnCpu } from "./sigdeliver";
import { sigCurrentSwap } from "./siginfo";
import { sigwaitAbort, sigwaitInterrupt } from "./sigwait";
import { sysvAbort } from "./sys_ipc";
import { nanosleepInterrupt } from "./sys_time";
import { timerSleepEnd } from "./itimer";
import { unlinkWaiter } from "./wait";

/** Start a call by an idle process. */
export function callStart(
  p: Proc, nr: i32, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32,
): i32 {
  assert(p.state == PROC_IDLE, "callStart: process not idle");
  p.callNr = nr;
  p.a0 = a0;
  p.a1 = a1;
  p.a2 = a2;
  p.a3 = a3;
  p.a4 = a4;
  p.a5 = a5;
  p.restartArmed = 0;
  callReset(p);
  sigStepBegin();
  frameStepCaller(nr == SYS_sigreturn ? 0 : p.pid);
  return run(p);
}

/** A call's progress, as at its first instruction (a new call, or a restarted one). */
function callReset(p: Proc): void {
  callStateReset(p);
  p.woke = 0;
  p.timedOut = 0;
}

/** Retry the call of a woken process. */
export function callRetry(p: Proc): i32 {
  assert(p.state == PROC_WOKEN, "callRetry: process not woken");
  if (doomSig(p) != 0) return sigDoomedDies(p);
  wokenRemove(p);
  p.state = PROC_IDLE;
  p.woke = 1;
  return run(p);
}

@inline function run(p: Proc): i32 {
  p.sigState |= SIGST_RUNNING;
  sigOnCpu(p.pid);
  const r = dispatchOnce(p);
  if (r == KILLED) return KILLED;
  if (r == BLOCKED) {
    p.sigState &= ~SIGST_RUNNING;
    return BLOCKED;
  }
  if (quietExit(p, r)) {
    // callFinish with nothing to do, inline: the way out of almost every call.
    p.sigState &= ~SIGST_RUNNING;
    callDone(p, r);
    return r;
  }
  return callFinish(p, r);
}

/** Run the call's mechanism once: its result, BLOCKED (asleep with no signal to take it out),
 * KILLED, or what an interruption returns (a sleeper that already has a signal pending never
 * stays asleep: signal_pending() is checked before schedule()). */
@inline function dispatchOnce(p: Proc): i32 {
  const r = dispatch(p);
  if (p.state == PROC_ZOMBIE) return KILLED;
  if (r == BLOCKED && sigPendingNow(p)) return callInterrupt(p);
  return r;
}

/** The way out of the kernel with return value r (arch_do_signal_or_restart): deliver pending
 * signals, and restart the call from scratch while the handlers (or their absence) say so.
 * Also how an idle process handles a signal (r 0, no call). Returns the call's result, BLOCKED
 * (asleep again in the restarted call, or stopped: then the result comes after SIGCONT), or
 * KILLED. */
export function callFinish(p: Proc, r: i32): i32 {
  p.sigState |= SIGST_RUNNING;
  const quiet = quietExit(p, r);
  const prev = sigCurrentSwap(p.pid); // get_signal runs in p: its stop's SIGCHLD is p's
  while (!quiet) {
    r = sigDeliverAt(p, r);
    if (r == KILLED || r == SIG_STOPPED || r == SIG_FRAMED) break;
    if (p.callNr < 0 || !isRestart(r)) break;
    r = restart(p);
    if (r == BLOCKED || r == KILLED) break;
  }
  sigCurrentSwap(prev);
  p.sigState &= ~SIGST_RUNNING;
  // Stopped, or in a `calls` handler: the call has not returned to its code (sigframe.ts).
  if (r == SIG_STOPPED || r == SIG_FRAMED) return BLOCKED;
  if (r != BLOCKED && r != KILLED) callDone(p, r);
  return r;
}

/** The common way out (exit_to_user_mode_loop without _TIF_SIGPENDING): no signal to deliver,
 * no handler frame to pop, no saved mask to restore, no restart code; callFinish's loop would
 * change nothing. */
@inline function quietExit(p: Proc, r: i32): bool {
  return !sigPendingNow(p) && p.sigFrames == 0 && (p.sigState & SIGST_RESTORE) == 0 &&
    !isRestart(r);
}

/** The call returned r to user space: no call in progress. */
@inline function callDone(p: Proc, r: i32): void {
  callReturned(p, r);
  p.callNr = -1;
  p.restartArmed = 0;
  callStateReset(p);
}

/** The call runs again from the start (the restarted syscall instruction). */
function restart(p: Proc): i32 {
  callReset(p);
  return dispatchOnce(p);
}

/** What an interrupted call returns (linux-semantics.md 0.2): a pipe write that moved bytes returns
 * them; msgsnd, msgrcv, pause and sigsuspend return -ERESTARTNOHAND (never restarted by a
 * handler: ipc/msg.c do_msgsnd/do_msgrcv); semop returns EINTR even after a stop (ipc/sem.c
 * __do_semtimedop); nanosleep and clock_nanosleep write what is left and return
 * -ERESTART_RESTARTBLOCK, or -ERESTARTNOHAND for an absolute sleep (kernel/time/hrtimer.c
 * do_nanosleep, hrtimer_nanosleep); a futex wait -ERESTARTSYS, or with a timeout
 * -ERESTART_RESTARTBLOCK (futex.ts futexInterrupt); the rest (pipe and FIFO read, write, open;
 * waitpid) -ERESTARTSYS. The pollers (poll, ppoll, select, pselect6) never come here: woken by
 * the signal, their pass returns their own code (poll.ts doSysPoll, sys_select.ts). */
function interruptCode(p: Proc): i32 {
  const nr = p.callNr;
  // A socket's send or receive keeps its count in the same first word (unix.ts SockWait).
  const moves = nr == SYS_write || nr == SYS_writev || nr == SYS_sendto || nr == SYS_recvfrom;
  if (moves && pipeWriteWait(p).moved > 0) {
    return pipeWriteWait(p).moved;
  }
  if (nr == SYS_futex) return futexInterrupt(p);
  if (nr == SYS_sigtimedwait) return sigwaitInterrupt(p);
  const cls = interruptClass(nr);
  if (cls == INTR_EINTR) return -EINTR;
  if (cls == INTR_RESTARTBLOCK) return nanosleepInterrupt(p);
  return cls == INTR_NOHAND ? -ERESTARTNOHAND : -ERESTARTSYS;
}

/** Sleeps a signal ends on the spot (sigdeliver.ts sigWake): the hand-off sleepers (msgsnd,
 * msgrcv, semop) and the pure waits (pause, sigsuspend). The others (pipe and FIFO read, write,
 * open; waitpid) are woken to re-check their condition first (___wait_event). */
export function interruptsAtOnce(nr: i32): bool {
  const cls = interruptClass(nr);
  return cls != INTR_RESTART && cls != 0;
}

/** A signal takes p out of its wait: it leaves the queue and undoes what the wait holds (a
 * FIFO open's count, a sender's message, a sleeper's sops), keeping the call for a restart.
 * Returns what the call returns (interruptCode). */
export function callInterrupt(p: Proc): i32 {
  const code = interruptCode(p);
  if (p.state == PROC_BLOCKED) unlinkWaiter(p);
  p.state = PROC_IDLE;
  undoCall(p);
  return code;
}

/** The process dies inside a call (killed while blocked or woken): undo what the call holds. */
export function callAbort(p: Proc): void {
  undoCall(p);
  p.callNr = -1;
}

/** Release what a call that will not complete holds: its deadline, a FIFO open's count, a
 * sender's message, a semop sleeper's sops, a futex waiter's place. */
function undoCall(p: Proc): void {
  timerSleepEnd(p);
  if (fifoOpening(p) != CALL_NONE) abortOpen(fifoOpening(p));
  sysvAbort(p);
  futexAbort(p);
  lockAbort(p);
  sigwaitAbort(p);
  pollAbort(p);
  callStateReset(p);
}
