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
//   cas(addr, expect, new, out)   xchg(addr, new, out)   fetch_add(addr, add, out): the old
//                                 word to out in the I/O area
//   futex(uaddr, op, val, utime, uaddr2, val3)

import { CLOCK_REALTIME, EFAULT, EINVAL } from "./abi";
import {
  FUTEX_CLOCK_REALTIME, FUTEX_CMD_MASK, FUTEX_WAIT, futexCmdHasTimeout, futexDo, futexWait,
  futexWaitResume,
} from "./futex";
import { CALL_NONE, Proc } from "./proc";
import { ktimeAddSafe, timeAbsToMono, timeNow, timespecToNs, timespecValid } from "./time";
import { copyFromUser } from "./vm";

export { shmGet as sysShmget, shmAt as sysShmat, shmDt as sysShmdt } from "./shm";
export { shmCtl as sysShmctl } from "./shm";
export { mmapAnon as sysMmap, munmap as sysMunmap } from "./mmap";
export { memLoad as sysLoad, memStore as sysStore } from "./fault";
export { memCas as sysCas, memFetchAdd as sysFetchAdd, memXchg as sysXchg } from "./fault";

// ---- futex ----

/** The kernel's copy of a futex timeout (struct __kernel_timespec). */
const TIMESPEC_BYTES: u32 = 16;
const futexTs: usize = memory.data(<i32>TIMESPEC_BYTES, 16);

/** futex(uaddr, op, val, utime, uaddr2, val3) (SYSCALL_DEFINE6(futex)): a wait command's
 * timeout is copied and checked first (EFAULT, EINVAL), made absolute (FUTEX_WAIT's is
 * relative; FUTEX_WAIT_BITSET's is on CLOCK_MONOTONIC, or CLOCK_REALTIME with
 * FUTEX_CLOCK_REALTIME), then do_futex; the other commands take utime as val2. A woken waiter
 * resumes its wait; a restart block (after a stop) waits on to the deadline it had. */
export function sysFutex(
  p: Proc, uaddr: u32, op: i32, val: i32, utime: u32, uaddr2: u32, val3: i32,
): i32 {
  if (p.woke != 0 && futexWait(p).status != CALL_NONE) return futexWaitResume(p);
  const cmd = op & FUTEX_CMD_MASK;
  let deadline: i64 = -1;
  if (utime != 0 && futexCmdHasTimeout(cmd)) {
    if (p.restartArmed != 0) deadline = p.restartDeadline;
    else {
      if (copyFromUser(p, futexTs, utime, TIMESPEC_BYTES) != TIMESPEC_BYTES) return -EFAULT;
      const sec = load<i64>(futexTs);
      const nsec = load<i64>(futexTs, 8);
      if (!timespecValid(sec, nsec)) return -EINVAL;
      const ns = timespecToNs(sec, nsec);
      if (cmd == FUTEX_WAIT) deadline = ktimeAddSafe(timeNow(), ns);
      else if ((op & FUTEX_CLOCK_REALTIME) != 0) deadline = timeAbsToMono(CLOCK_REALTIME, ns);
      else deadline = ns;
      if (deadline < 0) deadline = 0; // a realtime instant before the trace started: passed
    }
  }
  return futexDo(p, uaddr, op, <u32>val, deadline, uaddr2, utime, <u32>val3);
}
