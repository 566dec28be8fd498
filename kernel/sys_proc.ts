// Syscall entry points for processes. Linux: kernel/fork.c, kernel/exit.c.

import { KILLED } from "./abi";
import { procExit, procWait } from "./exit";
import { procFork } from "./fork";
import { Proc } from "./proc";

export function sysFork(p: Proc): i32 {
  return procFork(p);
}

/** exit(status) never returns: the wait status carries the low 8 bits (do_group_exit). */
export function sysExit(p: Proc, status: i32): i32 {
  procExit(p, (status & 0xff) << 8);
  return KILLED;
}

export function sysWaitpid(p: Proc, target: i32, statusVa: u32, options: i32): i32 {
  return procWait(p, target, statusVa, options);
}
