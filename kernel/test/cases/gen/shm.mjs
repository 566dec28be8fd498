// SysV shared memory: shmget(2), shmat(2), shmdt(2), shmctl(2), and what fork, exit and munmap
// do to attachments. Linux: ipc/shm.c (newseg, do_shmat, ksys_shmdt, do_shm_rmid, shm_open,
// shm_close, shm_destroy, shmctl_stat), ipc/util.c, mm/mmap.c; docs/linux-semantics.md sections
// 0.3, 0.5, 1.7 and 2.1. Like the signal cases these carry no hand-written expectations: the
// recorder (record.mjs) runs each on real Linux and writes what Linux did.

import { PRIVATE_ANON, RW } from "./lib.mjs";

const S = (pid, call, args = {}) => ({ pid, call, ...args });

export const cases = [];
/** add(name, description, [params,] steps): params are the header's sysctl settings. */
const add = (name, description, ...more) => {
  const [params, steps] = more.length === 2 ? more : [undefined, more[0]];
  cases.push({ name, description, params, steps });
};

add("shm-at-address",
  "shmat at a given address: an address off SHMLBA gives EINVAL, with SHM_RND it is rounded " +
  "down; an address overlapping a mapping gives EINVAL unless SHM_REMAP replaces it; SHM_REMAP " +
  "with NULL gives EINVAL",
  [
    S(2, "shmget", { key: 16, size: 8192, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "mmap", { length: 12288, prot: RW, flags: PRIVATE_ANON }),
    S(2, "munmap", { addr: { ref: 1 }, length: 8192 }),
    S(2, "shmat", { shmid: 0, shmaddr: { ref: 1, offset: 100 } }),
    S(2, "shmat", { shmid: 0, shmaddr: { ref: 1, offset: 100 }, flags: ["SHM_RND"] }),
    S(2, "store", { addr: { ref: 4, offset: 8191 }, data: "r" }),
    S(2, "shmdt", { shmaddr: { ref: 4 } }),
    S(2, "shmat", { shmid: 0, shmaddr: { ref: 1, offset: 4096 } }),
    S(2, "shmat", { shmid: 0, shmaddr: { ref: 1, offset: 4096 }, flags: ["SHM_REMAP"] }),
    S(2, "load", { addr: { ref: 8, offset: 4096 }, count: 1 }),
    S(2, "shmat", { shmid: 0, flags: ["SHM_REMAP"] }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
  ]);

add("shm-at-einval",
  "shmat: a negative id, an id never used and a stale id give EINVAL",
  [
    S(2, "shmat", { shmid: -1 }),
    S(2, "shmat", { shmid: 7 }),
    S(2, "shmget", { key: 0, size: 10, flags: [], mode: "0600" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_RMID" }),
    S(2, "shmat", { shmid: 0 }),
  ]);

add("shm-at-rdonly",
  "an SHM_RDONLY attachment reads what another attachment wrote; a store through it raises " +
  "SIGSEGV and kills the process",
  [
    S(2, "shmget", { key: 17, size: 4096, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "store", { addr: { ref: 1 }, data: "seen" }),
    S(2, "fork"),
    S(3, "shmat", { shmid: 0, flags: ["SHM_RDONLY"] }),
    S(3, "load", { addr: { ref: 4 }, count: 4 }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(3, "store", { addr: { ref: 4 }, data: "no" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "load", { addr: { ref: 1 }, count: 4 }),
  ]);

add("shm-ctl-set",
  "IPC_SET changes uid, gid and the low 9 mode bits; SHM_DEST stays",
  [
    S(2, "shmget", { key: 20, size: 10, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_RMID" }),
    S(2, "shmctl",
      { shmid: 0, cmd: "IPC_SET", buf: { shm_perm: { uid: 5, gid: 6, mode: "0444" } } }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "shmctl",
      { shmid: 0, cmd: "IPC_SET", buf: { shm_perm: { uid: 0, gid: 0, mode: "07777" } } }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
  ]);

add("shm-ctl-stat",
  "IPC_STAT: shm_nattch counts attachments, shm_cpid is the creator, shm_lpid the last to " +
  "attach or detach; shmctl with a negative id or command gives EINVAL",
  [
    S(2, "fork"),
    S(3, "shmget", { key: 19, size: 5000, flags: ["IPC_CREAT"], mode: "0640" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "shmat", { shmid: 0 }),
    S(3, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(3, "shmat", { shmid: 0 }),
    S(3, "shmat", { shmid: 0 }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "shmdt", { shmaddr: { ref: 3 } }),
    S(3, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "shmctl", { shmid: -1, cmd: "IPC_STAT" }),
    S(2, "shmctl", { shmid: 0, cmd: -1 }),
    S(2, "shmctl", { shmid: 0, cmd: 99 }),
  ]);

add("shm-dt-einval",
  "shmdt: an address off a page gives EINVAL; an address where no attachment starts gives " +
  "EINVAL (also inside one); a second shmdt of the same address gives EINVAL",
  [
    S(2, "shmget", { key: 18, size: 8192, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "shmdt", { shmaddr: { ref: 1, offset: 1 } }),
    S(2, "shmdt", { shmaddr: { ref: 1, offset: 4096 } }),
    S(2, "mmap", { length: 4096, prot: RW, flags: PRIVATE_ANON }),
    S(2, "shmdt", { shmaddr: { ref: 4 } }),
    S(2, "shmdt", { shmaddr: { ref: 1 } }),
    S(2, "shmdt", { shmaddr: { ref: 1 } }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
  ]);

add("shm-fork-exit",
  "fork duplicates every attachment (nattch + 1, lpid = the forking parent); exit detaches " +
  "(nattch - 1, lpid = the exiting process); a removed segment goes when the last attached " +
  "process exits",
  [
    S(2, "shmget", { key: 23, size: 4096, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "fork"),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(3, "store", { addr: { ref: 2 }, data: "child" }),
    S(2, "load", { addr: { ref: 1 }, count: 5 }),
    S(3, "fork"),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(4, "exit", { status: 0 }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_RMID" }),
    S(2, "shmdt", { shmaddr: { ref: 1 } }),
    S(2, "shmdt", { shmaddr: { ref: 2 } }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(3, "exit", { status: 0 }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
  ]);

add("shm-get-eexist",
  "shmget: IPC_CREAT|IPC_EXCL on an existing key gives EEXIST, checked before the size " +
  "(EINVAL) check",
  [
    S(2, "shmget", { key: 12, size: 100, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmget", { key: 12, size: 100000, flags: ["IPC_CREAT", "IPC_EXCL"], mode: "0600" }),
    S(2, "shmget", { key: 12, size: 100000, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmget", { key: 12, size: 100, flags: ["IPC_CREAT"], mode: "0600" }),
  ]);

add("shm-get-einval",
  "shmget: size 0 (below SHMMIN) and a size above shmmax give EINVAL when creating; an " +
  "existing segment asked for more than shm_segsz gives EINVAL, while a smaller size or 0 is " +
  "fine",
  { "kernel.shmmax": 8192 },
  [
    S(2, "shmget", { key: 11, size: 0, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmget", { key: 11, size: 8193, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmget", { key: 11, size: 8192, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmget", { key: 11, size: 8193, flags: [], mode: "0600" }),
    S(2, "shmget", { key: 11, size: 100, flags: [], mode: "0600" }),
    S(2, "shmget", { key: 11, size: 0, flags: [], mode: "0600" }),
  ]);

add("shm-get-enoent",
  "shmget without IPC_CREAT of a key nobody created gives ENOENT; IPC_PRIVATE always creates",
  [
    S(2, "shmget", { key: 13, size: 100, flags: [], mode: "0600" }),
    S(2, "shmget", { key: 0, size: 100, flags: [], mode: "0600" }),
    S(2, "shmget", { key: 0, size: 100, flags: [], mode: "0600" }),
    S(2, "shmget", { key: 13, size: 100, flags: [], mode: "0600" }),
  ]);

add("shm-get-enospc",
  "shmget beyond kernel.shmmni segments gives ENOSPC; beyond kernel.shmall pages gives ENOSPC",
  { "kernel.shmall": 3, "kernel.shmmni": 2 },
  [
    S(2, "shmget", { key: 0, size: 4096, flags: [], mode: "0600" }),
    S(2, "shmget", { key: 0, size: 8193, flags: [], mode: "0600" }),
    S(2, "shmget", { key: 0, size: 8192, flags: [], mode: "0600" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_RMID" }),
    S(2, "shmget", { key: 0, size: 8192, flags: [], mode: "0600" }),
    S(2, "shmget", { key: 0, size: 1, flags: [], mode: "0600" }),
  ]);

add("shm-get-perms",
  "EACCES needs a caller without CAP_IPC_OWNER: a traced process is root with it, so a 0000 " +
  "segment is granted for shmget, shmat read-write and IPC_STAT",
  [
    S(2, "shmget", { key: 14, size: 100, flags: ["IPC_CREAT"], mode: "0000" }),
    S(2, "shmget", { key: 14, size: 100, flags: [], mode: "0600" }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "store", { addr: { ref: 2 }, data: "ok" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
  ]);

add("shm-ids",
  "segment ids come from the SysV registry's shm allocator: 0, 1, 2; after removing 0 the next " +
  "is 3 (cyclic idx), and a stale id gives EINVAL",
  [
    S(2, "shmget", { key: 0, size: 10, flags: [], mode: "0600" }),
    S(2, "shmget", { key: 0, size: 10, flags: [], mode: "0600" }),
    S(2, "shmget", { key: 0, size: 10, flags: [], mode: "0600" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_RMID" }),
    S(2, "shmget", { key: 0, size: 10, flags: [], mode: "0600" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "shmctl", { shmid: 3, cmd: "IPC_STAT" }),
  ]);

add("shm-info",
  "IPC_INFO and SHM_INFO return the highest used idx; SHM_STAT takes an idx and returns the " +
  "full id",
  [
    S(2, "shmget", { key: 0, size: 10, flags: [], mode: "0600" }),
    S(2, "shmget", { key: 0, size: 10, flags: [], mode: "0600" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_INFO" }),
    S(2, "shmctl", { shmid: 0, cmd: "SHM_INFO" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_RMID" }),
    S(2, "shmget", { key: 0, size: 10, flags: [], mode: "0600" }),
    S(2, "shmctl", { shmid: 2, cmd: "SHM_STAT" }),
    S(2, "shmctl", { shmid: 0, cmd: "SHM_STAT" }),
    S(2, "shmctl", { shmid: 1, cmd: "SHM_INFO" }),
  ]);

add("shm-munmap-split",
  "munmap of part of an attachment splits it: shm_nattch counts the pieces (one VMA each, as " +
  "shm_open runs on a split); shmdt of the start unmaps every piece of that attachment",
  [
    S(2, "shmget", { key: 24, size: 16384, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "munmap", { addr: { ref: 1, offset: 4096 }, length: 4096 }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "munmap", { addr: { ref: 1 }, length: 4096 }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "store", { addr: { ref: 1, offset: 12288 }, data: "x" }),
    S(2, "shmdt", { shmaddr: { ref: 1 } }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "load", { addr: { ref: 9, offset: 12288 }, count: 1 }),
    S(2, "munmap", { addr: { ref: 9 }, length: 16384 }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "load", { addr: { ref: 9 }, count: 1 }),
  ]);

add("shm-rmid-attached",
  "IPC_RMID while attached: mode gains SHM_DEST (01000), the key becomes IPC_PRIVATE (shmget " +
  "of the old key gives ENOENT or makes a new segment), the id still works, shmat included; " +
  "the segment goes at the last detach and its id then gives EINVAL",
  [
    S(2, "shmget", { key: 21, size: 4096, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "store", { addr: { ref: 1 }, data: "kept" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_RMID" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "shmget", { key: 21, size: 4096, flags: [], mode: "0600" }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "load", { addr: { ref: 6 }, count: 4 }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "shmdt", { shmaddr: { ref: 1 } }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "shmdt", { shmaddr: { ref: 6 } }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "shmget", { key: 21, size: 4096, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmctl", { shmid: 1, cmd: "IPC_STAT" }),
  ]);

add("shm-rmid-forced",
  "with kernel.shm_rmid_forced=1 a segment goes when its last attachment does, without " +
  "IPC_RMID, and an unattached one goes when its creator exits",
  { "kernel.shm_rmid_forced": 1 },
  [
    S(2, "shmget", { key: 25, size: 4096, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "shmdt", { shmaddr: { ref: 1 } }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "fork"),
    S(3, "shmget", { key: 26, size: 4096, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmctl", { shmid: 1, cmd: "IPC_STAT" }),
    S(3, "exit", { status: 0 }),
    S(2, "shmctl", { shmid: 1, cmd: "IPC_STAT" }),
  ]);

add("shm-rmid-unattached",
  "IPC_RMID of a segment nobody attached destroys it at once: the id gives EINVAL and the key " +
  "is free",
  [
    S(2, "shmget", { key: 22, size: 4096, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "shmdt", { shmaddr: { ref: 1 } }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_RMID" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_RMID" }),
    S(2, "shmget", { key: 22, size: 4096, flags: [], mode: "0600" }),
  ]);

add("shm-size-rounding",
  "shm_segsz keeps the size asked for (100), but the attachment covers the whole page: offset " +
  "4095 is usable, offset 4096 (the next page, left unmapped here) raises SIGSEGV",
  [
    S(2, "mmap", { length: 8192, prot: RW, flags: PRIVATE_ANON }),
    S(2, "munmap", { addr: { ref: 0 }, length: 8192 }),
    S(2, "shmget", { key: 15, size: 100, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmat", { shmid: 0, shmaddr: { ref: 0 } }),
    S(2, "store", { addr: { ref: 3, offset: 4095 }, data: "z" }),
    S(2, "load", { addr: { ref: 3, offset: 4095 }, count: 1 }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "fork"),
    S(3, "load", { addr: { ref: 3, offset: 4096 }, count: 1 }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
  ]);

