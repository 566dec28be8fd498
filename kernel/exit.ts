// exit, a signal's kill, waitpid, orphans and init.
//
// Linux: kernel/exit.c (do_exit, forget_original_parent, do_notify_parent, release_task,
// do_wait, wait_task_zombie, wait_task_stopped, wait_task_continued).
// Syscalls: exit (exit_group), waitpid (wait4) (sys_proc.ts).
//
// Model: init (pid 1) adopts orphans and reaps every child of its own the moment it becomes a
// zombie (a real init in a fresh PID namespace does the same, a little later).
//
// Process groups: every traced process is in group 2, which pid 2 leads (the host bridge makes
// pid 2 a group leader and setpgid is not a trace call), so waitpid(0) and waitpid(-2) name
// every child and waitpid(-N) for any other N names none. No threads.
//
// Invariants (procCheck): the process table's (proc.ts), and a zombie holds no descriptors
// and no memory; init never stops.

import { inodePut } from "./inode";
import {
  ECHILD, EINVAL, ESRCH, EVENT_EXIT, KILLED, PROC_BLOCKED, PROC_STOPPED, PROC_WOKEN,
  PROC_ZOMBIE, SIGCHLD, WAIT_CONTINUED, WAIT_STOPPED, WCONTINUED, WNOHANG, WUNTRACED, __WALL,
  __WCLONE, __WNOTHREAD,
} from "./abi";
import { eventPush } from "./event";
import { fdCheckProc, fdCloseAll } from "./file";
import { hookCallAbort } from "./hooks";
import { PID_INIT } from "./param";
import {
  PGID_TRACE, Proc, childWaitQ, linkChild, proc, procSlotFree, procTableCheck, unlinkChild,
  wokenRemove,
} from "./proc";
import { itimerExit } from "./itimer";
import { semExit } from "./semop";
import { shmExit } from "./shm";
import {
  SIGST_CONT_REPORT, SIGST_EXITING, SIGST_STOP_REPORT, sigRelease, sigchldAutoReap,
} from "./signal";
import { sigSendExit } from "./siginfo";
import { vmRelease } from "./vm";
import { sleepOn, unlinkWaiter, waitCheck, wakeAll } from "./wait";

/** The process ends with wait status `status` (do_exit): its descriptors close (waking pipe
 * peers), its memory goes, its children pass to init, and its parent is notified. */
export function procExit(p: Proc, status: i32): void {
  const inCall = p.state == PROC_BLOCKED || p.state == PROC_WOKEN;
  p.sigState |= SIGST_EXITING;
  if (p.state == PROC_BLOCKED) unlinkWaiter(p);
  if (p.state == PROC_WOKEN) wokenRemove(p);
  if (inCall) hookCallAbort(p);
  // Linux: kernel/exit.c:do_exit() runs exit_sem() (SEM_UNDO) before exit_files().
  semExit(p);
  fdCloseAll(p);
  inodePut(p.cwd); // exit_fs
  // Linux: exit_mm() detaches every segment (lpid = p), then exit_shm() forgets p as creator.
  vmRelease(p);
  shmExit(p);
  // Linux: do_exit() cancels ITIMER_REAL (hrtimer_cancel) and runs exit_itimers().
  itimerExit(p);
  sigRelease(p);
  reparentChildren(p);
  p.state = PROC_ZOMBIE;
  p.exitStatus = status;
  eventPush(EVENT_EXIT, p.pid, status, 0);
  notifyParent(p);
}

function reparentChildren(p: Proc): void {
  const init = proc(PID_INIT);
  while (p.firstChild != 0) {
    const c = proc(p.firstChild);
    unlinkChild(c);
    linkChild(init, c);
    if (c.state == PROC_ZOMBIE) procReap(c);
  }
}

function notifyParent(p: Proc): void {
  const parent = proc(p.parent);
  // Linux: do_notify_parent() still sends SIGCHLD under SA_NOCLDWAIT (not under SIG_IGN), and
  // the child is then released at once (autoreap).
  if (parent.pid != PID_INIT) sigSendExit(parent, p.pid, p.exitStatus);
  if (parent.pid == PID_INIT || sigchldAutoReap(parent)) procReap(p);
  // Linux: __wake_up_parent() wakes every waitpid sleeper; each re-checks its children.
  wakeAll(childWaitQ(parent));
}

/** Release a zombie's slot (release_task). Its pid is never handed out again. */
function procReap(c: Proc): void {
  procSlotFree(c);
}

/** Terminated by a signal's default action: the wait status is the signal number. */
export function procKill(p: Proc, sig: i32): i32 {
  procExit(p, sig);
  return KILLED;
}

// ---- waitpid ----

const WAIT_VALID: i32 = WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE;

function waitMatches(c: Proc, target: i32, options: i32): bool {
  // Every traced child is a normal (SIGCHLD) child: __WCLONE alone selects none of them.
  if ((options & __WCLONE) != 0 && (options & __WALL) == 0) return false;
  if (target > 0) return c.pid == target;
  return target == -1 || target == 0 || target == -PGID_TRACE;
}

/** waitpid(target, status, options) (kernel/exit.c kernel_wait4, do_wait): the pid reported,
 * its wait status left at `status` for sys_waitpid to copy out; 0 (WNOHANG), BLOCKED, -errno. */
export function procWait(p: Proc, target: i32, options: i32, status: usize): i32 {
  if ((options & ~WAIT_VALID) != 0) return -EINVAL;
  // Linux: "-INT_MIN is not defined", kernel_wait4() refuses it before anything else.
  if (target == i32.MIN_VALUE) return -ESRCH;
  let eligible = false;
  for (let pid = p.firstChild; pid != 0; pid = proc(pid).nextSibling) {
    const c = proc(pid);
    if (!waitMatches(c, target, options)) continue;
    eligible = true;
    if (c.state == PROC_ZOMBIE) return reapForWait(c, status);
    const st = stopContStatus(c, options);
    if (st != 0) {
      store<i32>(status, st);
      return c.pid;
    }
  }
  if (!eligible) return -ECHILD;
  if ((options & WNOHANG) != 0) return 0;
  return sleepOn(p, childWaitQ(p), false);
}

/** wait_task_stopped / wait_task_continued: each stop and continue is reported once. */
function stopContStatus(c: Proc, options: i32): i32 {
  if ((options & WUNTRACED) != 0 && (c.sigState & SIGST_STOP_REPORT) != 0) {
    c.sigState &= ~SIGST_STOP_REPORT;
    return (c.stopSig << 8) | WAIT_STOPPED;
  }
  if ((options & WCONTINUED) != 0 && (c.sigState & SIGST_CONT_REPORT) != 0) {
    c.sigState &= ~SIGST_CONT_REPORT;
    return WAIT_CONTINUED;
  }
  return 0;
}

function reapForWait(c: Proc, status: usize): i32 {
  const pid = c.pid;
  store<i32>(status, c.exitStatus);
  // Linux reaps first and reports EFAULT afterwards (kernel_wait4: put_user after do_wait).
  procReap(c);
  return pid;
}

// ---- invariants ----

export function procCheck(): void {
  procTableCheck(procCheckOne);
}

function procCheckOne(p: Proc): void {
  if (p.state == PROC_ZOMBIE) assert(p.pgdir == 0, "zombie still holds memory");
  if (p.state != PROC_ZOMBIE && p.pid != PID_INIT) fdCheckProc(p);
  waitCheck(childWaitQ(p));
  assert(p.state != PROC_STOPPED || p.pid != PID_INIT, "init stopped");
}
