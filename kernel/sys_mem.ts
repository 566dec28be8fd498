// Syscall entry points for memory: SysV shared memory, mappings (anonymous and of files), msync,
// mprotect, and the store/load
// pseudo-calls (a process touching its memory). Every argument is already a kernel value (an
// id, an address the mechanism maps, a size, flags) and the copies are the mechanisms' own work
// (faults, the IPC_STAT structures), so each call enters its mechanism directly.
// Linux: ipc/shm.c (ksys_shmget, SYSCALL_DEFINE3(shmat), ksys_shmdt, ksys_shmctl),
// arch/x86/kernel/sys_x86_64.c (sys_mmap), mm/mmap.c (munmap), mm/msync.c, mm/mprotect.c.
//
// size_t arguments arrive as their low 32 bits (u32); the engine refuses wider values.
//   shmget(key, size, flg)        shmat(shmid, addr, flg)      shmdt(addr)
//   shmctl(shmid, cmd, buf)       mmap(addr, length, prot, flags, fd, offset)
//   munmap(addr, length)          mprotect(addr, length, prot)
//                                 store(addr, buf, len): len bytes at buf in the I/O area
//                                 load(addr, buf, len): into buf in the I/O area
//   cas(addr, old, new, out)      xchg(addr, new, out)   fetch_add(addr, add, out): the old
//                                 word to out in the I/O area
//   futex(uaddr, op, val, utime, uaddr2, val3)

import { CLOCK_REALTIME, EINVAL, ENOMEM, MAP_ANONYMOUS } from "./abi";
import { mmapFile } from "./filemap";
import { mmapAnon, rangeMapped } from "./mmap";
import { PAGE_SIZE } from "./param";
import {
  FUTEX_CLOCK_REALTIME, FUTEX_CMD_MASK, FUTEX_WAIT, futexCmdHasTimeout, futexDo, futexWait,
  futexWaitResume,
} from "./futex";
import { CALL_NONE, Proc } from "./proc";
import { timespecFromUser } from "./sys_time";
import { ktimeAddSafe, timeAbsToMono, timeNow } from "./time";

export { shmGet as sysShmget, shmAt as sysShmat, shmDt as sysShmdt } from "./shm";
export { shmCtl as sysShmctl } from "./shm";
export { munmap as sysMunmap } from "./mmap";
export { mprotect as sysMprotect } from "./mprotect";

/** mmap(addr, length, prot, flags, fd, offset) (arch/x86 sys_mmap: an offset off a page is
 * EINVAL first): anonymous (mmap.ts, fd ignored) or of a file (filemap.ts). */
export function sysMmap(
  p: Proc, addr: u32, len: u32, prot: i32, flags: i32, fd: i32, offset: i32,
): i32 {
  if ((offset & (PAGE_SIZE - 1)) != 0) return -EINVAL;
  if ((flags & MAP_ANONYMOUS) != 0) return mmapAnon(p, addr, len, prot, flags);
  return mmapFile(p, addr, len, prot, flags, fd, offset);
}

/** msync(addr, length, flags) (mm/msync.c): the flags and the address are checked, then the
 * range must be mapped (ENOMEM); a tmpfs page needs no writeback, so nothing else happens. */
export function sysMsync(p: Proc, addr: u32, len: u32, flags: i32): i32 {
  if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0) return -EINVAL;
  if ((addr & (PAGE_SIZE - 1)) != 0) return -EINVAL;
  if ((flags & MS_ASYNC) != 0 && (flags & MS_SYNC) != 0) return -EINVAL;
  const end = <u64>addr + ((<u64>len + <u64>(PAGE_SIZE - 1)) & ~<u64>(PAGE_SIZE - 1));
  if (end > <u64>u32.MAX_VALUE) return -ENOMEM;
  return rangeMapped(p, addr, <u32>end) ? 0 : -ENOMEM;
}

const MS_ASYNC: i32 = 1;
const MS_INVALIDATE: i32 = 2;
const MS_SYNC: i32 = 4;
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
