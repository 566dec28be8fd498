// Syscall entry points for processes: argument decoding and the wait status copy-out; the
// mechanisms (proc.ts) take kernel values. Linux: kernel/fork.c, kernel/exit.c.

import { EFAULT, KILLED } from "./abi";
import { procExit, procWait } from "./exit";
import { Proc } from "./proc";
import { putUser32 } from "./vm";

// fork takes no arguments: it enters the mechanism directly.
export { procFork as sysFork } from "./fork";

/** The wait status procWait reports, before it is copied out. */
const waitStatus: usize = memory.data(4, 4);

/** exit(status) never returns: the wait status carries the low 8 bits (do_group_exit). */
export function sysExit(p: Proc, status: i32): i32 {
  procExit(p, (status & 0xff) << 8);
  return KILLED;
}

/** waitpid(target, status, options) (kernel_wait4): the status is copied out after do_wait
 * has reaped the child or consumed its stop/continue report, so EFAULT loses neither back. */
export function sysWaitpid(p: Proc, target: i32, statusVa: u32, options: i32): i32 {
  const r = procWait(p, target, options, waitStatus);
  if (r <= 0 || statusVa == 0) return r;
  return putUser32(p, statusVa, load<i32>(waitStatus)) < 0 ? -EFAULT : r;
}

/** getppid(): the parent's pid, 1 once init has adopted the caller (kernel/sys.c getppid:
 * task_tgid_vnr(current->real_parent); kernel/exit.c forget_original_parent re-parents). */
export function sysGetppid(p: Proc): i32 {
  return p.parent;
}
