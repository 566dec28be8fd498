// fork, and the first two processes.
//
// Linux: kernel/fork.c (copy_process), kernel/pid.c (alloc_pid). Syscall: fork (sys_proc.ts).
//
// Model: pid 1 is init, outside the trace: it adopts orphans and reaps every child of its own
// the moment it becomes a zombie (exit.ts). pid 2 is the first traced process. No threads.
//
// Invariants: those of the process table (proc.ts) and exit.ts procCheck.

import { ROOT, inodeGet, inodePut } from "./inode";
import { EAGAIN, PROC_UNUSED } from "./abi";
import { fdCloseAll, fdTableCopy, fdTableInit } from "./file";
import { PID_FIRST, PID_INIT } from "./param";
import { Proc, childWaitQ, procSlotFree, procSlotTake, procTableInit } from "./proc";
import { itimerFork } from "./itimer";
import { sigForkCopy, sigInit, sigRelease } from "./signal";
import { sigaltstackFork } from "./sigaltstack";
import { vmCreate, vmFork, vmRelease } from "./vm";
import { waitInit } from "./wait";

function procAlloc(parent: i32): Proc | null {
  const p = procSlotTake(parent);
  if (p != null) waitInit(childWaitQ(p));
  return p;
}

/** Reset the table and create init (pid 1) and the first traced process (pid 2). */
export function procInit(): i32 {
  procTableInit(PID_INIT);
  const init = procAlloc(0);
  if (init == null) return -EAGAIN;
  const first = procAlloc(PID_INIT);
  if (first == null) return -EAGAIN;
  assert(first.pid == PID_FIRST, "first traced process must be pid 2");
  sigInit(first);
  first.cwd = ROOT;
  inodeGet(ROOT);
  let r = vmCreate(first);
  if (r < 0) return r;
  return fdTableInit(first);
}

/** fork(): the child copies the descriptor table, the address space, the signal dispositions
 * and mask (kernel/fork.c copy_process); it starts idle, as if fork had returned 0. Timers are
 * not inherited (copy_signal: a new signal_struct, no ITIMER_REAL, no POSIX timers). */
export function procFork(p: Proc): i32 {
  const c = procAlloc(p.pid);
  if (c == null) return -EAGAIN;
  itimerFork(c);
  sigForkCopy(p, c);
  c.cwd = p.cwd; // copy_fs_struct
  c.umask = p.umask;
  inodeGet(c.cwd);
  let r = vmFork(p, c);
  if (r >= 0) r = fdTableCopy(p, c);
  if (r >= 0) r = sigaltstackFork(p, c);
  if (r < 0) {
    // Undo: the child never ran, so it leaves no zombie and no event.
    fdCloseAll(c);
    inodePut(c.cwd);
    vmRelease(c);
    sigRelease(c);
    procSlotFree(c);
    return r;
  }
  return c.pid;
}
