// Syscall entry points for memory: SysV shared memory, anonymous mappings, and the store/load
// pseudo-calls (a process touching its memory). They decode arguments and pick the mechanism.
// Linux: ipc/shm.c (ksys_shmget, SYSCALL_DEFINE3(shmat), ksys_shmdt, ksys_shmctl),
// arch/x86/kernel/sys_x86_64.c (sys_mmap: offset 0, fd -1), mm/mmap.c (munmap).
//
// size_t arguments arrive as their low 32 bits (u32); the engine refuses wider values.

import { memLoad, memStore } from "./fault";
import { mmapAnon, munmap } from "./mmap";
import { Proc } from "./proc";
import { shmAt, shmCtl, shmDt, shmGet } from "./shm";

export function sysShmget(p: Proc, key: i32, size: u32, flg: i32): i32 {
  return shmGet(p, key, size, flg);
}

export function sysShmat(p: Proc, shmid: i32, addr: u32, flg: i32): i32 {
  return shmAt(p, shmid, addr, flg);
}

export function sysShmdt(p: Proc, addr: u32): i32 {
  return shmDt(p, addr);
}

export function sysShmctl(p: Proc, shmid: i32, cmd: i32, va: u32): i32 {
  return shmCtl(p, shmid, cmd, va);
}

/** mmap(addr, length, prot, flags, fd = -1, offset = 0). */
export function sysMmap(p: Proc, addr: u32, len: u32, prot: i32, flags: i32): i32 {
  return mmapAnon(p, addr, len, prot, flags);
}

export function sysMunmap(p: Proc, addr: u32, len: u32): i32 {
  return munmap(p, addr, len);
}

/** store(addr, data): the data is `len` bytes at `buf` in the I/O area. */
export function sysStore(p: Proc, addr: u32, buf: u32, len: u32): i32 {
  return memStore(p, addr, buf, len);
}

/** load(addr, count): the bytes go to `buf` in the I/O area. */
export function sysLoad(p: Proc, addr: u32, buf: u32, len: u32): i32 {
  return memLoad(p, addr, buf, len);
}
