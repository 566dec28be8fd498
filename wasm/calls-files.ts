// The call table's rows for the directory tree and regular files (issue 16): spread into
// CALL_TABLE (wasm/calls.ts) after `unlink`, in this order. Like calls.ts, this file imports
// nothing at run time; a row's fields are described in wasm/call-spec.ts.

import type { CallSpec } from "./call-spec.js";

export { IOV_ROWS } from "./calls-iov.js";
export { SIGNAL_ROWS } from "./calls-signals.js";
export { POLL_ROWS } from "./calls-poll.js";
export { NET_ROWS } from "./calls-net.js";

const I = "i32";
const U = "u32";

export const FILES_ROWS = {
  openat: {
    nr: 257, mechanism: "files", outputs: [], blocks: "restart", wakesOthers: true,
    args: [
      { name: "dirfd", kind: "int" }, { name: "path", kind: "path" },
      { name: "flags", kind: "flags", names: "open" },
      { name: "mode", kind: "mode", default: 0o644 },
    ],
    kernel: { file: "fs", fn: "sysOpenat", regs: [I, U, I, I] },
    host: { sleepsIn: ["SYS_openat"] },
    doc: "`dirfd` -100 is `AT_FDCWD`; a relative path starts at `dirfd`'s directory",
  },
  mkdir: {
    nr: 83, mechanism: "files", outputs: [],
    args: [{ name: "path", kind: "path" }, { name: "mode", kind: "mode", default: 0o755 }],
    kernel: { file: "fs", fn: "sysMkdir", regs: [U, I] }, host: {}, doc: "",
  },
  mkdirat: {
    nr: 258, mechanism: "files", outputs: [],
    args: [
      { name: "dirfd", kind: "int" }, { name: "path", kind: "path" },
      { name: "mode", kind: "mode", default: 0o755 },
    ],
    kernel: { file: "fs", fn: "sysMkdirat", regs: [I, U, I] }, host: {}, doc: "",
  },
  rmdir: {
    nr: 84, mechanism: "files", outputs: [], args: [{ name: "path", kind: "path" }],
    kernel: { file: "fs", fn: "sysRmdir", regs: [U] }, host: {}, doc: "",
  },
  unlinkat: {
    nr: 263, mechanism: "files", outputs: [],
    args: [
      { name: "dirfd", kind: "int" }, { name: "path", kind: "path" },
      { name: "flags", kind: "flags", names: "at", default: 0 },
    ],
    kernel: { file: "fs", fn: "sysUnlinkat", regs: [I, U, I] }, host: {},
    doc: "`AT_REMOVEDIR` is rmdir",
  },
  chdir: {
    nr: 80, mechanism: "files", outputs: [], args: [{ name: "path", kind: "path" }],
    kernel: { file: "fs", fn: "sysChdir", regs: [U] }, host: {}, doc: "",
  },
  fchdir: {
    nr: 81, mechanism: "files", outputs: [], args: [{ name: "fd", kind: "fd" }],
    kernel: { file: "fs", fn: "sysFchdir", regs: [I] }, host: {}, doc: "",
  },
  rename: {
    nr: 82, mechanism: "files", outputs: [],
    args: [{ name: "oldpath", kind: "path" }, { name: "newpath", kind: "path" }],
    kernel: { file: "names", fn: "sysRename", regs: [U, U] }, host: {}, doc: "",
  },
  renameat: {
    nr: 264, mechanism: "files", outputs: [],
    args: [
      { name: "olddirfd", kind: "int" }, { name: "oldpath", kind: "path" },
      { name: "newdirfd", kind: "int" }, { name: "newpath", kind: "path" },
    ],
    kernel: { file: "names", fn: "sysRenameat", regs: [I, U, I, U] }, host: {}, doc: "",
  },
  renameat2: {
    nr: 316, mechanism: "files", outputs: [],
    args: [
      { name: "olddirfd", kind: "int" }, { name: "oldpath", kind: "path" },
      { name: "newdirfd", kind: "int" }, { name: "newpath", kind: "path" },
      { name: "flags", kind: "flags", names: "rename", default: 0 },
    ],
    kernel: { file: "names", fn: "sysRenameat2", regs: [I, U, I, U, I] }, host: {},
    doc: "`RENAME_NOREPLACE`, `RENAME_EXCHANGE`; `RENAME_WHITEOUT` is `EINVAL` (see differences)",
  },
  link: {
    nr: 86, mechanism: "files", outputs: [],
    args: [{ name: "oldpath", kind: "path" }, { name: "newpath", kind: "path" }],
    kernel: { file: "names", fn: "sysLink", regs: [U, U] }, host: {},
    doc: "`oldpath` is not followed when it is a symlink",
  },
  linkat: {
    nr: 265, mechanism: "files", outputs: [],
    args: [
      { name: "olddirfd", kind: "int" }, { name: "oldpath", kind: "path" },
      { name: "newdirfd", kind: "int" }, { name: "newpath", kind: "path" },
      { name: "flags", kind: "flags", names: "at", default: 0 },
    ],
    kernel: { file: "names", fn: "sysLinkat", regs: [I, U, I, U, I] }, host: {},
    doc: "`AT_SYMLINK_FOLLOW` follows a symlink `oldpath`; `AT_EMPTY_PATH` with an empty " +
      "`oldpath` links what `olddirfd` names",
  },
  symlink: {
    nr: 88, mechanism: "files", outputs: [],
    args: [{ name: "target", kind: "path" }, { name: "linkpath", kind: "path" }],
    kernel: { file: "names", fn: "sysSymlink", regs: [U, U] }, host: {},
    doc: "`target` is any text; it is resolved when the link is followed",
  },
  symlinkat: {
    nr: 266, mechanism: "files", outputs: [],
    args: [
      { name: "target", kind: "path" }, { name: "newdirfd", kind: "int" },
      { name: "linkpath", kind: "path" },
    ],
    kernel: { file: "names", fn: "sysSymlinkat", regs: [U, I, U] }, host: {}, doc: "",
  },
  readlink: {
    nr: 89, mechanism: "files", outputs: ["data"],
    args: [{ name: "path", kind: "path" }, { name: "count", kind: "count" }],
    kernel: { file: "names", fn: "sysReadlink", regs: [U, U, U] }, host: {},
    doc: "`count` is bufsiz; the result has `data`, the target without a NUL",
  },
  readlinkat: {
    nr: 267, mechanism: "files", outputs: ["data"],
    args: [
      { name: "dirfd", kind: "int" }, { name: "path", kind: "path" },
      { name: "count", kind: "count" },
    ],
    kernel: { file: "names", fn: "sysReadlinkat", regs: [I, U, U, U] }, host: {},
    doc: "as `readlink`; an empty `path` reads the symlink `dirfd` names (O_PATH|O_NOFOLLOW)",
  },
  getcwd: {
    nr: 79, mechanism: "files", outputs: ["data"], args: [{ name: "count", kind: "count" }],
    kernel: { file: "fs", fn: "sysGetcwd", regs: [U, U] }, host: {},
    doc: "`count` is the buffer's size; `ret` counts the NUL, `data` is the path without it",
  },
  stat: {
    nr: 4, mechanism: "files", outputs: ["stat"], args: [{ name: "path", kind: "path" }],
    kernel: { file: "fs", fn: "sysStat", regs: [U, U] }, host: {},
    doc: "the result's `stat` has `st_ino`, `st_mode`, `st_nlink`, `st_size`, `st_blocks`, " +
      "`st_atim`, `st_mtim`, `st_ctim`",
  },
  lstat: {
    nr: 6, mechanism: "files", outputs: ["stat"], args: [{ name: "path", kind: "path" }],
    kernel: { file: "fs", fn: "sysLstat", regs: [U, U] }, host: {}, doc: "as `stat`",
  },
  fstat: {
    nr: 5, mechanism: "files", outputs: ["stat"], args: [{ name: "fd", kind: "fd" }],
    kernel: { file: "fs", fn: "sysFstat", regs: [I, U] }, host: {},
    doc: "as `stat`; `st_ino` and the times only for the tmpfs's files (a pipe's are the host's)",
  },
  newfstatat: {
    nr: 262, mechanism: "files", outputs: ["stat"],
    args: [
      { name: "dirfd", kind: "int" }, { name: "path", kind: "path" },
      { name: "flags", kind: "flags", names: "at", default: 0 },
    ],
    kernel: { file: "fs", fn: "sysNewfstatat", regs: [I, U, U, I] }, host: {},
    doc: "fstatat: as `stat`; `AT_SYMLINK_NOFOLLOW` is `lstat`, `AT_EMPTY_PATH` with an empty " +
      "`path` is `fstat` of `dirfd`",
  },
  getdents64: {
    nr: 217, mechanism: "files", outputs: ["dirents"],
    args: [{ name: "fd", kind: "fd" }, { name: "count", kind: "count" }],
    kernel: { file: "fs", fn: "sysGetdents64", regs: [I, U, U] }, host: {},
    doc: "the result has `dirents`: `[{ino, type, name}]` in listing order",
  },
  umask: {
    nr: 95, mechanism: "files", outputs: [], args: [{ name: "mask", kind: "mode" }],
    kernel: { file: "fs", fn: "sysUmask", regs: [I] }, host: {}, doc: "returns the old mask",
  },
  chmod: {
    nr: 90, mechanism: "files", outputs: [],
    args: [{ name: "path", kind: "path" }, { name: "mode", kind: "mode" }],
    kernel: { file: "fs", fn: "sysChmod", regs: [U, I] }, host: {}, doc: "",
  },
  fchmodat: {
    nr: 268, mechanism: "files", outputs: [],
    args: [
      { name: "dirfd", kind: "int" }, { name: "path", kind: "path" },
      { name: "mode", kind: "mode" },
    ],
    kernel: { file: "fs", fn: "sysFchmodat", regs: [I, U, I] }, host: {},
    doc: "the syscall, which has no flags",
  },
  access: {
    nr: 21, mechanism: "files", outputs: [],
    args: [{ name: "path", kind: "path" }, { name: "mode", kind: "flags", names: "access" }],
    kernel: { file: "fs", fn: "sysAccess", regs: [U, I] }, host: {},
    doc: "checked with the real ids: the group bits (see \"Files\")",
  },
  faccessat: {
    nr: 269, mechanism: "files", outputs: [],
    args: [
      { name: "dirfd", kind: "int" }, { name: "path", kind: "path" },
      { name: "mode", kind: "flags", names: "access" },
    ],
    kernel: { file: "fs", fn: "sysFaccessat", regs: [I, U, I] }, host: {},
    doc: "the syscall, which has no flags: as `access`",
  },
  faccessat2: {
    nr: 439, mechanism: "files", outputs: [],
    args: [
      { name: "dirfd", kind: "int" }, { name: "path", kind: "path" },
      { name: "mode", kind: "flags", names: "access" },
      { name: "flags", kind: "flags", names: "faccessat", default: 0 },
    ],
    kernel: { file: "fs", fn: "sysFaccessat2", regs: [I, U, I, I] }, host: {},
    doc: "`AT_EACCESS` checks with the effective ids (root's), `AT_SYMLINK_NOFOLLOW`, " +
      "`AT_EMPTY_PATH`",
  },
  lseek: {
    nr: 8, mechanism: "files", outputs: [],
    args: [
      { name: "fd", kind: "fd" }, { name: "offset", kind: "int" },
      { name: "whence", kind: "command", names: "seek" },
    ],
    kernel: { file: "fs", fn: "sysLseek", regs: [I, I, I] }, host: {},
    doc: "offsets are 32-bit in the model",
  },
  pread64: {
    nr: 17, mechanism: "files", outputs: ["data"],
    args: [
      { name: "fd", kind: "fd" }, { name: "count", kind: "count" },
      { name: "offset", kind: "int" },
    ],
    kernel: { file: "fs", fn: "sysPread64", regs: [I, U, U, I] }, host: {},
    doc: "the result has `data`",
  },
  pwrite64: {
    nr: 18, mechanism: "files", outputs: [],
    args: [
      { name: "fd", kind: "fd" }, { name: "data", kind: "bytes" },
      { name: "offset", kind: "int" },
    ],
    kernel: { file: "fs", fn: "sysPwrite64", regs: [I, U, U, I] }, host: {}, doc: "",
  },
  truncate: {
    nr: 76, mechanism: "files", outputs: [],
    args: [{ name: "path", kind: "path" }, { name: "length", kind: "int" }],
    kernel: { file: "fs", fn: "sysTruncate", regs: [U, I] }, host: {}, doc: "",
  },
  ftruncate: {
    nr: 77, mechanism: "files", outputs: [],
    args: [{ name: "fd", kind: "fd" }, { name: "length", kind: "int" }],
    kernel: { file: "fs", fn: "sysFtruncate", regs: [I, I] }, host: {}, doc: "",
  },
  fsync: {
    nr: 74, mechanism: "files", outputs: [], args: [{ name: "fd", kind: "fd" }],
    kernel: { file: "fs", fn: "sysFsync", regs: [I] }, host: {}, doc: "",
  },
  fdatasync: {
    nr: 75, mechanism: "files", outputs: [], args: [{ name: "fd", kind: "fd" }],
    kernel: { file: "fs", fn: "sysFsync", regs: [I] }, host: {}, doc: "",
  },
} as const satisfies Record<string, CallSpec>;
