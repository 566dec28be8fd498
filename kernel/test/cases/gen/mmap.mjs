// Anonymous mappings and memory access: mmap(2), munmap(2), copy-on-write across fork, page
// protections, and the `load`/`store` steps that touch memory (mmap-*, mem-*). Linux: mm/mmap.c
// (do_mmap, __do_munmap, mmap_region), mm/memory.c (do_wp_page, handle_mm_fault),
// arch/x86/mm/fault.c; docs/linux-semantics.md section 1.8. Like the signal cases these carry no
// hand-written expectations: the recorder (record.mjs) runs each on real Linux and writes what
// Linux did.

import { PRIVATE_ANON, RW, SHARED_ANON } from "./lib.mjs";

const S = (pid, call, args = {}) => ({ pid, call, ...args });

export const cases = [];
const add = (name, description, steps) => cases.push({ name, description, steps });

add("mmap-einval",
  "mmap: length 0 gives EINVAL, neither MAP_SHARED nor MAP_PRIVATE gives EINVAL, no " +
  "MAP_ANONYMOUS (fd -1) gives EBADF, MAP_FIXED off a page gives EINVAL; munmap off a page or " +
  "of length 0 gives EINVAL, of nothing mapped succeeds",
  [
    S(2, "mmap", { length: 4096, prot: RW, flags: PRIVATE_ANON }),
    S(2, "mmap", { length: 0, prot: RW, flags: PRIVATE_ANON }),
    S(2, "mmap", { length: 4096, prot: RW, flags: ["MAP_ANONYMOUS"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: ["MAP_PRIVATE"] }),
    S(2, "mmap",
      { addr: { ref: 0, offset: 1 }, length: 4096, prot: RW,
        flags: [...PRIVATE_ANON, "MAP_FIXED"] }),
    S(2, "munmap", { addr: { ref: 0, offset: 1 }, length: 4096 }),
    S(2, "munmap", { addr: { ref: 0 }, length: 0 }),
    S(2, "munmap", { addr: { ref: 0 }, length: 4096 }),
    S(2, "munmap", { addr: { ref: 0 }, length: 4096 }),
  ]);

add("mmap-fixed-replaces",
  "MAP_FIXED over an existing mapping replaces it (its pages are gone); over a whole shm " +
  "attachment it detaches it (nattch 0)",
  [
    S(2, "mmap", { length: 8192, prot: RW, flags: PRIVATE_ANON }),
    S(2, "store", { addr: { ref: 0 }, data: "old" }),
    S(2, "mmap",
      { addr: { ref: 0 }, length: 4096, prot: RW, flags: [...PRIVATE_ANON, "MAP_FIXED"] }),
    S(2, "load", { addr: { ref: 0 }, count: 3 }),
    S(2, "shmget", { key: 27, size: 8192, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "mmap",
      { addr: { ref: 5 }, length: 8192, prot: RW, flags: [...SHARED_ANON, "MAP_FIXED"] }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
  ]);

add("mmap-munmap-partial",
  "munmap of the middle of a mapping leaves both ends usable and the middle unmapped (SIGSEGV)",
  [
    S(2, "mmap", { length: 12288, prot: RW, flags: SHARED_ANON }),
    S(2, "store", { addr: { ref: 0 }, data: "a" }),
    S(2, "store", { addr: { ref: 0, offset: 8192 }, data: "c" }),
    S(2, "munmap", { addr: { ref: 0, offset: 4096 }, length: 1 }),
    S(2, "fork"),
    S(3, "load", { addr: { ref: 0 }, count: 1 }),
    S(3, "load", { addr: { ref: 0, offset: 8192 }, count: 1 }),
    S(3, "store", { addr: { ref: 0, offset: 4096 }, data: "b" }),
  ]);

add("mmap-private-cow",
  "a MAP_PRIVATE|MAP_ANONYMOUS mapping is copied on write after fork: neither side sees the " +
  "other's later stores, both keep what was there before",
  [
    S(2, "mmap", { length: 8192, prot: RW, flags: PRIVATE_ANON }),
    S(2, "store", { addr: { ref: 0 }, data: "before" }),
    S(2, "fork"),
    S(3, "store", { addr: { ref: 0 }, data: "CHILD" }),
    S(2, "load", { addr: { ref: 0 }, count: 6 }),
    S(3, "load", { addr: { ref: 0 }, count: 6 }),
    S(2, "store", { addr: { ref: 0, offset: 4096 }, data: "P" }),
    S(3, "load", { addr: { ref: 0, offset: 4096 }, count: 1 }),
    S(2, "load", { addr: { ref: 0, offset: 4096 }, count: 1 }),
  ]);

add("mmap-prot",
  "a store to a PROT_READ mapping raises SIGSEGV; a load of a PROT_WRITE-only mapping works " +
  "(x86 pages are readable); any access to PROT_NONE raises SIGSEGV",
  [
    S(2, "mmap", { length: 4096, prot: ["PROT_READ"], flags: PRIVATE_ANON }),
    S(2, "mmap", { length: 4096, prot: ["PROT_WRITE"], flags: SHARED_ANON }),
    S(2, "mmap", { length: 4096, prot: ["PROT_NONE"], flags: PRIVATE_ANON }),
    S(2, "load", { addr: { ref: 0 }, count: 2 }),
    S(2, "store", { addr: { ref: 1 }, data: "w" }),
    S(2, "load", { addr: { ref: 1 }, count: 1 }),
    S(2, "fork"),
    S(2, "fork"),
    S(2, "fork"),
    S(3, "store", { addr: { ref: 0 }, data: "x" }),
    S(4, "load", { addr: { ref: 2 }, count: 1 }),
    S(5, "store", { addr: { ref: 2 }, data: "x" }),
  ]);

add("mmap-shared-fork",
  "a MAP_SHARED|MAP_ANONYMOUS mapping made before fork is shared: each side sees the other's " +
  "stores",
  [
    S(2, "mmap", { length: 8192, prot: RW, flags: SHARED_ANON }),
    S(2, "store", { addr: { ref: 0 }, data: "parent" }),
    S(2, "fork"),
    S(3, "load", { addr: { ref: 0 }, count: 6 }),
    S(3, "store", { addr: { ref: 0, offset: 4096 }, data: "child" }),
    S(2, "load", { addr: { ref: 0, offset: 4096 }, count: 5 }),
    S(3, "exit", { status: 0 }),
    S(2, "load", { addr: { ref: 0, offset: 4096 }, count: 5 }),
  ]);

add("mem-unmapped-segv",
  "a load from or a store to an address nothing maps raises SIGSEGV: the process dies with an " +
  "exit event signaled SIGSEGV, and its parent sees it in waitpid",
  [
    S(2, "mmap", { length: 4096, prot: RW, flags: PRIVATE_ANON }),
    S(2, "munmap", { addr: { ref: 0 }, length: 4096 }),
    S(2, "fork"),
    S(3, "load", { addr: { ref: 0 }, count: 1 }),
    S(2, "waitpid", { target: -1, options: [] }),
    S(2, "fork"),
    S(4, "store", { addr: { ref: 0, offset: 100 }, data: "x" }),
    S(2, "waitpid", { target: -1, options: [] }),
  ]);

