// Decoders of the file calls whose results are structs (calls.ts DECODERS): stat, lstat and
// fstat's struct stat, getdents64's records, getcwd's string.
//
// Each is read from the process's I/O area, where the row's generic encoding put the output
// buffer (wasm/calls.ts: the u32 register left for it):
//   struct stat (x86_64, 144 bytes): st_dev @0, st_ino @8, st_nlink @16, st_mode @24 (u32),
//     st_size @48, st_blocks @64, st_atim @72, st_mtim @88, st_ctim @104 (each a timespec: sec
//     and nsec, two i64); the rest (ids, rdev, blksize) are not reported;
//   getdents64: records of d_ino u64 @0, d_off i64 @8, d_reclen u16 @16, d_type u8 @18,
//     d_name NUL-terminated @19 (fs/readdir.c filldir64).
// st_ino and the times are reported only for the tmpfs's inodes (the kernel's TMPFS_DEV in
// st_dev): a pipe's inode number and times are the host's pipefs's, which no model can know.

import type { Kernel } from "../../wasm/kernel.js";
import { DT_NAMES } from "../trace/dirents.js";
import type { Dirent } from "../trace/types.js";
import type { Decoders, Issued } from "./calls.js";
import { ModelError } from "./errors.js";

/** kernel/sys_fs.ts TMPFS_DEV. */
const TMPFS_DEV = 0x2f;
const STAT_BYTES = 144;

function bytesAt(k: Kernel, c: Issued, len: number): DataView {
  const b = len === 0 ? new Uint8Array(0) : k.peek(c.pid, c.va, len);
  if (!b) throw new ModelError(`${c.call} result of pid ${c.pid} unreadable`);
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function statOf(k: Kernel, c: Issued, ret: number) {
  const v = bytesAt(k, c, STAT_BYTES);
  const long = (at: number) => Number(v.getBigInt64(at, true));
  const stat = {
    st_mode: v.getUint32(24, true), st_nlink: long(16), st_size: long(48), st_blocks: long(64),
  };
  if (long(0) !== TMPFS_DEV) return { ret, stat };
  const time = (at: number) => ({ sec: long(at), nsec: long(at + 8) });
  return {
    ret,
    stat: { ...stat, st_ino: long(8), st_atim: time(72), st_mtim: time(88), st_ctim: time(104) },
  };
}

function direntsOf(k: Kernel, c: Issued, ret: number) {
  const v = bytesAt(k, c, ret);
  const dirents: Dirent[] = [];
  for (let at = 0; at < ret;) {
    const reclen = v.getUint16(at + 16, true);
    let end = at + 19;
    while (v.getUint8(end) !== 0) end++;
    const name = new TextDecoder().decode(new Uint8Array(v.buffer, v.byteOffset + at + 19,
      end - at - 19));
    const type = DT_NAMES[v.getUint8(at + 18)] ?? "DT_UNKNOWN";
    dirents.push({ ino: Number(v.getBigUint64(at, true)), type, name });
    at += reclen;
  }
  return { ret, dirents };
}

export const FILES_DECODERS: Decoders = {
  stat: statOf,
  lstat: statOf,
  fstat: statOf,
  newfstatat: statOf,
  getdents64: direntsOf,
  // The syscall's return counts the NUL; `data` is the path without it.
  getcwd: (k, c, ret) => {
    const v = bytesAt(k, c, ret);
    return { ret, data: new Uint8Array(v.buffer, v.byteOffset, Math.max(ret - 1, 0)).slice() };
  },
};
