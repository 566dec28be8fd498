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


// ---- the edges of mmap's flags (docs/audit/mmap.md) ----

const at = (ref, offset = 0) => (offset === 0 ? { ref } : { ref, offset });
const NOREPLACE = [...PRIVATE_ANON, "MAP_FIXED_NOREPLACE"];

add("mmap-fixed-noreplace",
  "MAP_FIXED_NOREPLACE over any part of an existing mapping gives EEXIST and leaves it as it " +
  "was, with MAP_FIXED too (do_mmap sets MAP_FIXED for it, then find_vma_intersection gives " +
  "EEXIST); over a free range it maps exactly there; off a page it gives EINVAL like MAP_FIXED " +
  "(mm/mmap.c do_mmap, __get_unmapped_area). Defect of issue 21: the model mapped elsewhere",
  [
    S(2, "mmap", { length: 8192, prot: RW, flags: PRIVATE_ANON }),
    S(2, "store", { addr: at(0), data: "old" }),
    S(2, "mmap", { addr: at(0), length: 4096, prot: RW, flags: NOREPLACE }),
    S(2, "mmap", { addr: at(0, 4096), length: 4096, prot: RW, flags: NOREPLACE }),
    S(2, "mmap", { addr: at(0), length: 4096, prot: RW, flags: [...NOREPLACE, "MAP_FIXED"] }),
    S(2, "load", { addr: at(0), count: 3 }),
    S(2, "munmap", { addr: at(0, 4096), length: 4096 }),
    S(2, "mmap", { addr: at(0, 4096), length: 4096, prot: RW, flags: NOREPLACE }),
    S(2, "store", { addr: at(7), data: "new" }),
    S(2, "load", { addr: at(0, 4096), count: 3 }),
    S(2, "mmap", { addr: at(0, 1), length: 4096, prot: RW, flags: NOREPLACE }),
    S(2, "mmap", { addr: at(0), length: 0, prot: RW, flags: NOREPLACE }),
  ]);

/** Bits no mmap flag of x86_64 names (0x80 is MAP_ABOVE4G, 0x200 and 0x400 and 0x200000 ..
 * 0x2000000 are free; bits 26..31 are the MAP_HUGE_* size, read only with MAP_HUGETLB). */
const UNDEFINED = 0x200 | 0x400 | 0x200000 | 0x400000 | 0x800000 | 0x1000000 | 0x2000000;
const bits = (names, extra) =>
  names.reduce((v, n) => v | { MAP_SHARED: 1, MAP_PRIVATE: 2, MAP_ANONYMOUS: 0x20 }[n], extra);

add("mmap-flags-ignored",
  "an anonymous MAP_PRIVATE or MAP_SHARED mapping honours MAP_POPULATE, MAP_NORESERVE, " +
  "MAP_STACK, MAP_LOCKED, MAP_32BIT, MAP_NONBLOCK with no effect a trace sees, ignores " +
  "MAP_UNINITIALIZED, MAP_DENYWRITE, MAP_EXECUTABLE, MAP_SYNC (validated only for files with " +
  "MAP_SHARED_VALIDATE) and the undefined bits (mm/mmap.c do_mmap, calc_vm_flag_bits; " +
  "include/linux/mman.h LEGACY_MAP_MASK)",
  [
    S(2, "mmap", { length: 4096, prot: RW, flags: [...PRIVATE_ANON, "MAP_POPULATE"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: [...SHARED_ANON, "MAP_NORESERVE"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: [...PRIVATE_ANON, "MAP_STACK"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: [...PRIVATE_ANON, "MAP_LOCKED"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: [...PRIVATE_ANON, "MAP_32BIT"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: [...SHARED_ANON, "MAP_UNINITIALIZED"] }),
    S(2, "mmap", { length: 4096, prot: RW,
      flags: [...PRIVATE_ANON, "MAP_DENYWRITE", "MAP_EXECUTABLE", "MAP_NONBLOCK"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: [...SHARED_ANON, "MAP_SYNC"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: bits(PRIVATE_ANON, UNDEFINED) }),
    S(2, "mmap", { length: 4096, prot: RW, flags: bits(SHARED_ANON, UNDEFINED) }),
    S(2, "mmap", { length: 4096, prot: RW, flags: bits(PRIVATE_ANON, 0x80) }),
    S(2, "store", { addr: at(0), data: "a" }),
    S(2, "store", { addr: at(3), data: "b" }),
    S(2, "store", { addr: at(9), data: "c" }),
    S(2, "load", { addr: at(9), count: 1 }),
  ]);

add("mmap-type-flags",
  "the MAP_TYPE field of an anonymous mapping: MAP_SHARED_VALIDATE, with or without other " +
  "bits, and the undefined types give EINVAL (only a file mapping validates); MAP_DROPPABLE " +
  "maps privately; MAP_GROWSDOWN is refused for a shared mapping (EINVAL), accepted for a " +
  "private one; MAP_HUGETLB without reserved huge pages gives ENOMEM, with a huge page size " +
  "x86 lacks EINVAL; a " +
  "MAP_DROPPABLE page is gone in a fork child (VM_WIPEONFORK) (mm/mmap.c do_mmap, dup_mmap, " +
  "ksys_mmap_pgoff, hugetlb_file_setup)",
  [
    S(2, "mmap", { length: 4096, prot: RW, flags: ["MAP_SHARED_VALIDATE", "MAP_ANONYMOUS"] }),
    S(2, "mmap", { length: 4096, prot: RW,
      flags: ["MAP_SHARED_VALIDATE", "MAP_ANONYMOUS", "MAP_SYNC"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: 0x3 | 0x20 | 0x200 }),
    S(2, "mmap", { length: 4096, prot: RW, flags: 0x4 | 0x20 }),
    S(2, "mmap", { length: 4096, prot: RW, flags: 0xf | 0x20 }),
    S(2, "mmap", { length: 4096, prot: RW, flags: ["MAP_DROPPABLE", "MAP_ANONYMOUS"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: [...SHARED_ANON, "MAP_GROWSDOWN"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: [...PRIVATE_ANON, "MAP_GROWSDOWN"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: [...PRIVATE_ANON, "MAP_HUGETLB"] }),
    S(2, "mmap", { length: 2097152, prot: RW, flags: [...SHARED_ANON, "MAP_HUGETLB"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: 0x40022 | (20 << 26) }),
    S(2, "mmap", { length: 4096, prot: RW, flags: 0x40022 | (30 << 26) }),
    S(2, "mmap", { length: 0, prot: RW, flags: [...PRIVATE_ANON, "MAP_HUGETLB"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: ["MAP_PRIVATE", "MAP_HUGETLB"] }),
    S(2, "mmap", { length: 4096, prot: RW,
      flags: ["MAP_DROPPABLE", "MAP_ANONYMOUS", "MAP_GROWSDOWN"] }),
    S(2, "mmap", { length: 4096, prot: RW, flags: ["MAP_DROPPABLE", "MAP_ANONYMOUS"] }),
    S(2, "store", { addr: at(15), data: "drop" }),
    S(2, "fork"),
    S(3, "load", { addr: at(15), count: 4 }),
    S(2, "load", { addr: at(15), count: 4 }),
  ]);
