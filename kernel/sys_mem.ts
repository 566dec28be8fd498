// Syscall entry points for memory: SysV shared memory, anonymous mappings, and the store/load
// pseudo-calls (a process touching its memory). Every argument is already a kernel value (an
// id, an address the mechanism maps, a size, flags) and the copies are the mechanisms' own work
// (faults, the IPC_STAT structures), so each call enters its mechanism directly.
// Linux: ipc/shm.c (ksys_shmget, SYSCALL_DEFINE3(shmat), ksys_shmdt, ksys_shmctl),
// arch/x86/kernel/sys_x86_64.c (sys_mmap: offset 0, fd -1), mm/mmap.c (munmap).
//
// size_t arguments arrive as their low 32 bits (u32); the engine refuses wider values.
//   shmget(key, size, flg)        shmat(shmid, addr, flg)      shmdt(addr)
//   shmctl(shmid, cmd, buf)       mmap(addr, length, prot, flags) with fd -1, offset 0
//   munmap(addr, length)          store(addr, buf, len): len bytes at buf in the I/O area
//                                 load(addr, buf, len): into buf in the I/O area
//   cas(addr, old, new, out)      xchg(addr, new, out)   fetch_add(addr, add, out): the old
//                                 word to out in the I/O area
//   futex(uaddr, op, val, utime, uaddr2, val3)

import { CLOCK_REALTIME } from "./abi";
import {
  FUTEX_CLOCK_REALTIME, FUTEX_CMD_MASK, FUTEX_WAIT, futexCmdHasTimeout, futexDo, futexWait,
  futexWaitResume,
} from "./futex";
import { CALL_NONE, Proc } from "./proc";
import { timespecFromUser } from "./sys_time";
import { ktimeAddSafe, timeAbsToMono, timeNow } from "./time";

export { shmGet as sysShmget, shmAt as sysShmat, shmDt as sysShmdt } from "./shm";
export { shmCtl as sysShmctl } from "./shm";
export { mmapAnon as sysMmap, munmap as sysMunmap } from "./mmap";
export { memLoad as sysLoad, memStore as sysStore } from "./fault";
export { memCas as sysCas, memFetchAdd as sysFetchAdd, memXchg as sysXchg } from "./fault";

// ---- futex ----

/** futex(uaddr, op, val, utime, uaddr2, val3) (SYSCALL_DEFINE6(futex)): a wait command's
 * timeout is copied and checked first (EFAULT, EINVAL), made absolute (FUTEX_WAIT's is
 * relative; FUTEX_WAIT_BITSET's is on CLOCK_MONOTONIC, or CLOCK_REALTIME with
 * FUTEX_CLOCK_REALTIME), then do_futex; the other commands take utime as val2. A woken waiter
 * resumes its wait; a restart block (after a stop) waits on to the deadline it had. */
export function sysFutex(
  p: Proc, uaddr: u32, op: i32, val: i32, utime: u32, uaddr2: u32, val3: i32,
): i32 {
  if (p.woke != 0 && futexWait(p).status != CALL_NONE) return futexWaitResume(p);
  let deadline: i64 = -1;
  if (utime != 0 && futexCmdHasTimeout(op & FUTEX_CMD_MASK)) {
    if (p.restartArmed != 0) deadline = p.restartDeadline;
    else {
      const ns = timespecFromUser(p, utime);
      if (ns < 0) return <i32>ns;
      deadline = futexDeadline(op, ns);
    }
  }
  return futexDo(p, uaddr, op, <u32>val, deadline, uaddr2, utime, <u32>val3);
}

/** futex_init_timeout: FUTEX_WAIT's timeout is relative; the others' absolute, on
 * CLOCK_MONOTONIC or, with FUTEX_CLOCK_REALTIME, CLOCK_REALTIME (an instant before the trace
 * began: 0, passed). */
function futexDeadline(op: i32, ns: i64): i64 {
  if ((op & FUTEX_CMD_MASK) == FUTEX_WAIT) return ktimeAddSafe(timeNow(), ns);
  if ((op & FUTEX_CLOCK_REALTIME) == 0) return ns;
  const t = timeAbsToMono(CLOCK_REALTIME, ns);
  return t < 0 ? 0 : t;
}
