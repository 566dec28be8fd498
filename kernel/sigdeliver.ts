// Signal delivery: handler frames, default actions, stop and continue, and what a signal does to
// a process that is asleep in a call. Syscalls: pause, rt_sigsuspend.
//
// Linux: kernel/signal.c (get_signal, do_signal_stop, do_notify_parent_cldstop,
// signal_delivered, sys_pause, sigsuspend), arch/x86/kernel/signal.c (arch_do_signal_or_restart,
// handle_signal: the restart rules), kernel/entry/common.c (exit_to_user_mode_loop).
//
// Delivery happens when a process leaves the kernel (at the end of its call, or at once when
// it is idle and a signal arrives): get_signal dequeues the lowest deliverable signal
// (synchronous faults first), takes default actions itself (ignore, stop, terminate), and
// returns the first caught one; handle_signal sets up its frame and blocks the handler mask
// (plus the signal unless SA_NODEFER) before the next one is dequeued. Frames stack up, so the
// last one set up runs first (linux-semantics.md 1.9: 35, 34, 12, 10; with a full sa_mask 10, 12,
// 34, 35): a handler "runs" when its frame is popped, which records a `signal` event and restores
// the mask saved in the frame (sigreturn), after which newly unblocked signals get frames.
//
// Restart (linux-semantics.md 0.2): a call interrupted by a signal returns a restart code. The
// first handler decides: -ERESTARTNOHAND and -ERESTART_RESTARTBLOCK become EINTR, -ERESTARTSYS
// becomes EINTR unless the handler has SA_RESTART; with no handler (the signal stopped the
// process, or was ignored) every restart code restarts the call (syscall.ts callFinish): from
// scratch, or for -ERESTART_RESTARTBLOCK through its restart block (restart_syscall: a relative
// nanosleep goes on to the deadline it had, sys_time.ts).
//
// Dequeueing (dequeue_signal) a SIGALRM restarts an interval ITIMER_REAL, and a POSIX timer's
// signal rearms its periodic timer, or is dropped when the timer was set again or deleted
// since it was queued (itimer.ts).
//
// Interruption (complete_signal -> signal_wake_up): an idle target runs its handlers at once. A
// sleeper whose wait re-checks its condition on waking (pipe and FIFO read, write and open,
// waitpid) is woken through the woken list, so that its retry finds the data or the zombie if
// they arrived, and only a retry that would sleep again returns the restart code (___wait_event
// checks the condition before signal_pending). A hand-off sleeper (msgsnd, msgrcv, semop) and
// pause/sigsuspend are interrupted at once: Linux is deterministic there.
//
// Death (complete_signal -> signal_wake_up(t, 1); get_signal -> do_group_exit): a fatal signal
// does not kill its target on the spot; the target dies when it next runs, and a process that
// is not on the CPU runs when Linux's scheduler picks it. So the victims of one kill (a group,
// or -1), and the caller when it is one of them, die in any order, and the order decides what
// the last one leaves behind (shm_lpid, sempid, a SIGCHLD's order). The model dooms each victim
// that is not on the CPU (sigDoom): it leaves any sleep, its call will never complete, later
// signals are dropped (prepare_signal under SIGNAL_GROUP_EXIT), and it joins the woken list,
// whose retry order is the engine's branch point; its retry is its death (sigDoomedDies). The
// process on the CPU dies on its way out, at once unless a doomed process is waiting to die, in
// which case it is doomed too, so that either may die first.
//
// Differences: at most SIG_FRAMES_MAX frames are stacked; past that the top handler runs before
// the next frame is set up (only SA_NODEFER realtime signals queued that deep reach it).
//
// Invariants: only a stopped process keeps frames between steps (sigCheck).

import {
  EINTR, EVENT_CONT, EVENT_SIGNAL, EVENT_STOP, EVENT_WAKE, HANDLER_SIG_IGN, HANDLER_catch,
  HANDLER_calls, KILLED, BLOCKED, PROC_BLOCKED, PROC_IDLE, PROC_STOPPED, PROC_WOKEN, SA_NOCLDSTOP,
  SA_NODEFER, SA_ONSTACK, SA_RESETHAND, SA_RESTART, SIGALRM, SIGBUS, SIGCHLD, SIGFPE, SIGILL,
  SIGSEGV, SIGSYS, SIGTRAP, SIG_FRAMED, SIG_FRAMES_MAX, SIG_STOPPED, ERESTARTNOHAND,
  ERESTARTNOINTR, ERESTARTSYS,
  ERESTART_RESTARTBLOCK,
} from "./abi";
import { itimerRealRearm, posixtimerDeliver, timerSleepEnd } from "./itimer";
import { eventPush, eventPushSig } from "./event";
import { PID_INIT } from "./param";
import {
  hookCallAbort, hookCallFinish, hookCallInterrupt, hookInterruptsAtOnce, hookKill,
} from "./hooks";
import {
  Proc, childWaitQ, proc, sigPendingNow, wokenAfter, wokenPush, wokenRemove,
} from "./proc";
import {
  ACT_CONT, ACT_IGN, ACT_STOP, SIGST_CONT_REPORT, SIGST_RESTORE, SIGST_STOP_REPORT,
  SIG_UNBLOCKABLE, collected, defaultAction, sigBit, sigCollect, sigFlags, sigHandler,
  sigMask, sigResetHandler, sigSend, sigStep,
} from "./signal";
import { semUndoList } from "./semop";
import { sigaltstackPop, sigaltstackPush } from "./sigaltstack";
import { sigNext } from "./siginfo";
import {
  FRAME_CALLS, OPEN_AFTER, OPEN_OVER, SigFrame, collectedEvent, frameEvent, frameOpen, frameSet,
  frameSig, sigFrame, topFrameOpen, topFrameToOpen,
} from "./sigframe";
import { vma, vmaNext } from "./vma";
import { sleepOn, unlinkWaiter, waitCheck, waitInit, wakeAll, wakeProc } from "./wait";

// The restart codes (ERESTARTSYS ERESTARTNOINTR ERESTARTNOHAND, include/linux/errno.h) and
// SIG_STOPPED, sigDeliverAt's answer when the process stopped (its call's return is kept in
// sigRet), are wasm/abi.ts's RESTART and KERNEL: internal, never returned to a trace.

/** pause and sigsuspend sleep here; only a signal takes them off (no wake-up ever names it). */
const pauseQ: usize = memory.data(8, 8);

export function sigDeliverInit(): void {
  waitInit(pauseQ);
}

@inline export function isRestart(r: i32): bool {
  return r == -ERESTARTSYS || r == -ERESTARTNOINTR || r == -ERESTARTNOHAND ||
    r == -ERESTART_RESTARTBLOCK;
}

/** next_signal: the thread's own signals first, then synchronous faults, then the lowest
 * deliverable signal (siginfo.ts sigNext); 0 if none. */
function nextSignal(p: Proc): i32 {
  return sigNext(p, ~p.sigBlocked);
}

// ---- frames ----

/** handle_signal: the restart decision (first frame only: later ones see no restart code),
 * the frame with the mask to restore, and the handler's mask. Returns r as decided. */
function pushFrame(p: Proc, sig: i32, r: i32, calls: bool): i32 {
  const flags = sigFlags(p, sig);
  if (r == -ERESTARTNOHAND || r == -ERESTART_RESTARTBLOCK) r = -EINTR;
  else if (r == -ERESTARTSYS) r = (flags & SA_RESTART) != 0 ? -ERESTARTNOINTR : -EINTR;
  let saved = p.sigBlocked;
  if ((p.sigState & SIGST_RESTORE) != 0) {
    saved = p.sigSaved; // sigsuspend: the frame returns to the mask before the call
    p.sigState &= ~SIGST_RESTORE;
  }
  frameSet(sigFrame(p, p.sigFrames++), sig, calls ? FRAME_CALLS : 0, saved);
  sigaltstackPush(p, p.sigFrames - 1, (flags & SA_ONSTACK) != 0);
  let blocked = p.sigBlocked | sigMask(p, sig);
  if ((flags & SA_NODEFER) == 0) blocked |= sigBit(sig);
  p.sigBlocked = blocked & ~SIG_UNBLOCKABLE;
  if ((flags & SA_RESETHAND) != 0) sigResetHandler(p, sig);
  return r;
}

/** The top handler runs (it only records its delivery) and returns: sigreturn restores the
 * mask saved in its frame. */
function popFrame(p: Proc): void {
  const f = sigFrame(p, --p.sigFrames);
  if (frameSig(f) == SIGCHLD) chldHandlerRuns(p, f);
  else frameEvent(p, f, 0);
  p.sigBlocked = f.saved & ~SIG_UNBLOCKABLE;
  sigaltstackPop(p, p.sigFrames);
}

/** A SIGCHLD handler runs (frame f). Linux may run it once or once per child event of the
 * step (see signal.ts chldRace): a second run in the same step, and the runs the coalesced
 * SIGCHLDs might have had, are optional events (b = 1): the engine allows the outcome with and
 * without each. The model keeps no siginfo of a coalesced SIGCHLD: those runs' is unknown. So
 * is every run's in a step with more than one child event: Linux keeps the siginfo of the
 * child whose event came first (legacy_queue drops the later ones) and runs the handler once
 * or more, and children that die in one step (a kill(-1)) die in an order the model does not
 * fix (sig-sigchld-race saw either). */
function chldHandlerRuns(p: Proc, f: SigFrame): void {
  const step = sigStep();
  // The earlier runs' siginfo is forgotten by the engine (sim/model/engine.ts), which sees
  // every drain of the step.
  const again = p.chldRanStep == step;
  if (again || p.chldExtra > 0) eventPushSig(p.pid, SIGCHLD, again ? 1 : 0, 0, 0, -1);
  else frameEvent(p, f, 0);
  p.chldRanStep = step;
  for (let i = 0; i < p.chldExtra; i++) eventPushSig(p.pid, SIGCHLD, 1, 0, 0, -1);
  p.chldExtra = 0;
}

// ---- delivery ----

/** Deliver every deliverable signal to p, leaving the kernel with return value r. Returns r
 * as the handlers decided (a restart code left means restart), KILLED, or SIG_STOPPED. */
export function sigDeliverAt(p: Proc, r: i32): i32 {
  while (true) {
    const sig = nextSignal(p);
    if (sig == 0) {
      if (p.sigFrames != 0 && !topFrameOpen(p)) {
        // The top handler runs: a `calls` one in user space (the call waits in its frame), a
        // `catch` one here, recording its delivery.
        if (topFrameToOpen(p)) {
          const how = frameOpen(p, r);
          if (how == OPEN_OVER) return SIG_FRAMED;
          if (how == OPEN_AFTER) return r; // the call returns; the handler runs after it
        }
        popFrame(p);
        continue;
      }
      // No handler: the call restarts (the decision is final: a handler that a restored mask
      // lets in next returns to the restarted call), and restore_saved_sigmask() may unblock
      // more signals, delivered before the call runs again. A restart block is the call's
      // own (Proc.restartArmed): its restart finds it.
      if (isRestart(r)) r = -ERESTARTNOINTR;
      if ((p.sigState & SIGST_RESTORE) == 0) break;
      p.sigBlocked = p.sigSaved & ~SIG_UNBLOCKABLE;
      p.sigState &= ~SIGST_RESTORE;
      continue;
    }
    sigCollect(p, sig);
    if (sig == SIGALRM) itimerRealRearm(p);
    const timer = collected.timer;
    if (timer < 0 || (timer > 0 && !posixtimerDeliver(timer))) continue;
    const h = sigHandler(p, sig);
    if (h == HANDLER_catch || h == HANDLER_calls) {
      if (p.sigFrames == SIG_FRAMES_MAX) {
        // Too deep: the top handler runs first if it can; an open one cannot return here, so
        // the new one only records its delivery (docs/differences.md signal-frames-max).
        if (!topFrameOpen(p) && !topFrameToOpen(p)) popFrame(p);
        else {
          collectedEvent(p, sig);
          continue;
        }
      }
      r = pushFrame(p, sig, r, h == HANDLER_calls);
      continue;
    }
    if (h == HANDLER_SIG_IGN || p.pid == PID_INIT) continue;
    const act = defaultAction(sig);
    if (act == ACT_IGN || act == ACT_CONT) continue;
    if (act == ACT_STOP) {
      p.sigRet = r;
      stop(p, sig);
      return SIG_STOPPED;
    }
    // The core bit stays clear: RLIMIT_CORE is 0, as on the host.
    if (p.pid == onCpu && !doomedWaiting()) return hookKill(p, sig);
    sigDoom(p, sig);
    return KILLED; // the call never returns to user space
  }
  return r;
}

// ---- death ----

/** Proc.sigState bits 8..15 (above signal.ts's SIGST_*): the signal a doomed process dies of
 * when it next runs. */
const SIGST_DOOM_SHIFT: i32 = 8;
const SIGST_DOOM_MASK: i32 = 0xff << SIGST_DOOM_SHIFT;

/** The process whose call is running (syscall.ts run): it dies on its way out. */
let onCpu: i32 = 0;

export function sigOnCpu(pid: i32): void {
  onCpu = pid;
}

/** The signal p was doomed by, 0 if it is not doomed. */
@inline export function doomSig(p: Proc): i32 {
  return (p.sigState & SIGST_DOOM_MASK) >> SIGST_DOOM_SHIFT;
}

/** p will die of sig when it next runs: out of any sleep (its call, which will never
 * complete, releases what it holds), onto the woken list. */
export function sigDoom(p: Proc, sig: i32): void {
  if (doomSig(p) != 0) return;
  p.sigState |= sig << SIGST_DOOM_SHIFT;
  if (p.state == PROC_WOKEN) return; // its retry dies; exit aborts the call it holds
  // Asleep, the call holds a wait to undo; idle or stopped, an interrupted call was undone
  // already (callInterrupt) and a finished one holds nothing: either way no call is left.
  if (p.state == PROC_BLOCKED) {
    unlinkWaiter(p);
    hookCallAbort(p);
  } else {
    p.callNr = -1;
  }
  p.state = PROC_WOKEN;
  wokenPush(p);
}

/** A doomed process runs: it dies (do_group_exit). Returns KILLED. */
export function sigDoomedDies(p: Proc): i32 {
  const sig = doomSig(p);
  p.sigState &= ~SIGST_DOOM_MASK;
  if (p.callNr < 0) {
    wokenRemove(p);
    p.state = PROC_IDLE;
  }
  return hookKill(p, sig); // a call in progress is aborted there (exit.ts procExit)
}

/** The first woken process that is doomed and whose death commutes with every other retry
 * (deathShows is false), or 0. The engine lets it die without a branch: only the deaths whose
 * order shows are ordered every way (20,000 victims of one kill otherwise make 20,000 branch
 * points and worlds that differ only in the order of free lists). */
export function sigWokenFree(): i32 {
  for (let pid = wokenAfter(0); pid != 0; pid = wokenAfter(pid)) {
    const p = proc(pid);
    if (doomSig(p) != 0 && !deathShows(p)) return pid;
  }
  return 0;
}

/** Does the order of p's death among other retries show? Its exit writes the last process of
 * the segments it has attached (shm_lpid, ipc/shm.c shm_close) and of the semaphores it has
 * undo records for (sempid, and semval where a bound clamps: ipc/sem.c exit_sem). The rest of
 * an exit (closing descriptors, SIGCHLD, reparenting) ends in the same state in any order. */
function deathShows(p: Proc): bool {
  if (semUndoList(p.pid) >= 0) return true;
  for (let i = p.vmaHead - 1; i >= 0; i = vmaNext(i)) {
    if (vma(i).attach != 0) return true;
  }
  return false;
}

/** Is a doomed process on the woken list? */
function doomedWaiting(): bool {
  for (let pid = wokenAfter(0); pid != 0; pid = wokenAfter(pid)) {
    if (doomSig(proc(pid)) != 0) return true;
  }
  return false;
}

// ---- stop and continue ----

/** do_notify_parent_cldstop: SIGCHLD unless the parent set SA_NOCLDSTOP, and its waitpid
 * sleepers re-check. Init reaps and ignores. */
function notifyParentCld(p: Proc): void {
  const parent = proc(p.parent);
  if (parent.pid == PID_INIT) return;
  if ((sigFlags(parent, SIGCHLD) & SA_NOCLDSTOP) == 0) sigSend(parent, SIGCHLD);
  wakeAll(childWaitQ(parent));
}

/** do_signal_stop: the process stops; waitpid(WUNTRACED) may report it once. */
function stop(p: Proc, sig: i32): void {
  p.state = PROC_STOPPED;
  p.stopSig = sig;
  p.sigState = (p.sigState | SIGST_STOP_REPORT) & ~SIGST_CONT_REPORT;
  eventPush(EVENT_STOP, p.pid, sig, 0);
  notifyParentCld(p);
}

/** SIGCONT reached a stopped process (prepare_signal): it runs again, finishing the delivery
 * it stopped in, and its call returns or restarts. The parent hears of it first (get_signal
 * sends CLD_CONTINUED before it dequeues anything). */
export function sigResume(p: Proc): void {
  p.state = PROC_IDLE;
  p.sigState = (p.sigState | SIGST_CONT_REPORT) & ~SIGST_STOP_REPORT;
  notifyParentCld(p);
  const inCall = p.callNr >= 0;
  eventPush(EVENT_CONT, p.pid, 0, 0);
  report(p, inCall, hookCallFinish(p, p.sigRet));
}

/** A call finished outside its own step: the engine hears of it as a wake event. */
function report(p: Proc, inCall: bool, r: i32): void {
  if (inCall && r != BLOCKED && r != KILLED) eventPush(EVENT_WAKE, p.pid, r, 0);
}

// ---- interruption ----

/** A deliverable signal reached p, which is not on the CPU (signal_wake_up). */
export function sigWake(p: Proc): void {
  if (p.state == PROC_IDLE) {
    hookCallFinish(p, 0);
    return;
  }
  if (p.state != PROC_BLOCKED) return; // woken already: its retry sees the signal
  if (hookInterruptsAtOnce(p.callNr)) {
    report(p, true, hookCallFinish(p, hookCallInterrupt(p)));
    return;
  }
  // Woken to re-check: its retry is interrupted (the signal is pending), or finds a wake-up
  // that came first (a futex's); either way its deadline has done its work.
  timerSleepEnd(p);
  wakeProc(p);
}

// ---- pause, sigsuspend ----

export function sigPause(p: Proc): i32 {
  return sleepOn(p, pauseQ, false);
}

/** sigsuspend: the mask is replaced until a handler's frame (or the restart) takes the saved
 * one back (set_restore_sigmask). */
export function sigSuspend(p: Proc, mask: u64): i32 {
  p.sigSaved = p.sigBlocked;
  p.sigBlocked = mask & ~SIG_UNBLOCKABLE;
  p.sigState |= SIGST_RESTORE;
  return sleepOn(p, pauseQ, false);
}

export function sigDeliverCheck(): void {
  waitCheck(pauseQ);
}
