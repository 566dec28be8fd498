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

export { shmGet as sysShmget, shmAt as sysShmat, shmDt as sysShmdt } from "./shm";
export { shmCtl as sysShmctl } from "./shm";
export { mmapAnon as sysMmap, munmap as sysMunmap } from "./mmap";
export { memLoad as sysLoad, memStore as sysStore } from "./fault";
