// The guest's shared-memory calls (sysroot/include/sys/shm.h, sys/mman.h) by Linux x86_64
// number, each made with the scenario `os` method of the same call. What shmat and
// mmap(MAP_SHARED) return is the address of a window in the guest's memory (shared.ts), never
// the kernel's address: the window table maps one to the other.
//
// Linux: ipc/shm.c (do_shmat, ksys_shmdt, shmctl_stat), mm/mmap.c (do_mmap), mm/vma.c
// (do_vmi_munmap). Differences (docs/c-guests.md): shmat is two steps, shmat then
// shmctl(IPC_STAT) for the segment's size (the window's); shmat at a given address, MAP_FIXED,
// file mappings and a munmap of part of a shared mapping are not modelled; shmdt and munmap
// of an address that is no window answer without a step (EINVAL, and 0 as Linux's munmap of
// an unmapped range).

import { ModelError } from "../model/errors.js";
import type { Guest } from "./runtime.js";
import { attach, detach, windowAt, windows } from "./shared.js";
import { wasiErrno } from "./wasi-errno.js";

type Call = (g: Guest, os: Guest["os"], a: number[]) => Promise<number>;

const IPC_RMID = 0;
const IPC_STAT = 2;
/** include/uapi/linux/mman.h */
const MAP_SHARED = 0x01;
const MAP_SHARED_VALIDATE = 0x03;
const MAP_TYPE = 0x0f;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const PAGE_BYTES = 4096;

/** sysroot/include/sys/shm.h struct shmid_ds on wasm32 (ipc_perm's fields, then these). */
const SHMID_DS = {
  perm: [0, 4, 8, 12, 16], mode: 20, seq: 22, segsz: 24, atime: 32, dtime: 40, ctime: 48,
  cpid: 56, lpid: 60, nattch: 64,
} as const;

function unsupported(what: string): never {
  throw new ModelError(`${what} is not modelled for C guests yet`);
}

const shmat: Call = async (g, os, [id, addr, flags]) => {
  if (addr !== 0) unsupported("shmat at a given address");
  const kaddr = await os.shmat(id, 0, flags);
  const ds = await os.shmctl(id, IPC_STAT); // the segment's size: the window's
  return attach(g, kaddr, ds.shm_segsz);
};

const shmdt: Call = async (g, os, [addr]) => {
  const w = windowAt(g, addr >>> 0);
  if (!w) return -wasiErrno("EINVAL");
  const r = await os.shmdt(w.kaddr);
  detach(g, w);
  return r;
};

const shmctl: Call = async (g, os, [id, cmd, buf]) => {
  if (cmd === IPC_RMID) return os.shmctl(id, IPC_RMID);
  if (cmd !== IPC_STAT) unsupported(`shmctl command ${cmd}`);
  const ds = await os.shmctl(id, IPC_STAT);
  if (buf === 0) return -wasiErrno("EFAULT");
  const v = g.view();
  const p = ds.shm_perm;
  [p.__key, p.uid, p.gid, p.cuid, p.cgid].forEach((x, i) =>
    v.setUint32(buf + SHMID_DS.perm[i], x >>> 0, true));
  v.setUint16(buf + SHMID_DS.mode, p.mode, true);
  v.setUint16(buf + SHMID_DS.seq, p.__seq, true);
  v.setUint32(buf + SHMID_DS.segsz, ds.shm_segsz, true);
  v.setBigInt64(buf + SHMID_DS.atime, BigInt(ds.shm_atime), true);
  v.setBigInt64(buf + SHMID_DS.dtime, BigInt(ds.shm_dtime), true);
  v.setBigInt64(buf + SHMID_DS.ctime, BigInt(ds.shm_ctime), true);
  v.setInt32(buf + SHMID_DS.cpid, ds.shm_cpid, true);
  v.setInt32(buf + SHMID_DS.lpid, ds.shm_lpid, true);
  v.setUint32(buf + SHMID_DS.nattch, ds.shm_nattch, true);
  return 0;
};

/** Shared anonymous memory only: the guest layer makes private anonymous mappings itself
 * (lib/ipcsim.c mmap). A hint is a hint: the kernel places the mapping. */
const mmap: Call = async (g, os, [, len, prot, flags, fd, offset]) => {
  const type = flags & MAP_TYPE;
  const shared = type === MAP_SHARED || type === MAP_SHARED_VALIDATE;
  if (!shared || (flags & MAP_ANONYMOUS) === 0) unsupported("mmap of a file or a private type");
  if ((flags & MAP_FIXED) !== 0) unsupported("mmap with MAP_FIXED");
  const kaddr = await os.mmap(0, len >>> 0, prot, flags, fd, offset);
  return attach(g, kaddr, len >>> 0);
};

const munmap: Call = async (g, os, [addr, len]) => {
  const at = addr >>> 0;
  const w = windows(g).find((x) => at < x.window + x.bytes && at + (len >>> 0) > x.window);
  if (!w) {
    return at % PAGE_BYTES !== 0 || len === 0 ? -wasiErrno("EINVAL") : 0;
  }
  if (at !== w.window || Math.ceil((len >>> 0) / PAGE_BYTES) * PAGE_BYTES !== w.bytes) {
    unsupported("munmap of part of a shared mapping");
  }
  const r = await os.munmap(w.kaddr, w.bytes);
  detach(g, w);
  return r;
};

/** The calls by Linux x86_64 number (syscalls.ts looks them up). */
export const MEM_CALLS: Record<number, [name: string, call: Call]> = {
  29: ["shmget", (_g, os, [key, size, flags]) => os.shmget(key, size >>> 0, flags)],
  30: ["shmat", shmat],
  67: ["shmdt", shmdt],
  31: ["shmctl", shmctl],
  9: ["mmap", mmap],
  11: ["munmap", munmap],
};
