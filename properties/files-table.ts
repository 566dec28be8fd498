// The trace generator's entries for paths and regular files (spliced into CALL_TABLE,
// call-table.ts): openat, mkdir, rmdir, unlinkat, chdir, fchdir, umask, chmod, access, lseek,
// pread64, pwrite64, truncate, ftruncate, fsync, fdatasync.
//
// Paths come from a small tree of names (PATHS) so that calls meet: a file made by one open is
// read by another, a directory made by mkdir is entered, emptied and removed, and the errors
// come (EEXIST, ENOENT, ENOTDIR, EISDIR, ENOTEMPTY). Some paths are absolute, some climb with
// "..", some end in a slash. Offsets stay small (within two pages) so reads meet writes and
// holes; a few are negative (EINVAL).

import fc from "fast-check";
import { flagsArb, kind, pick, type BuildContext, type CallKind } from "./call-kind.js";
import { patternBytes } from "./call-table.js";

/** The names paths are made of: files and directories at two levels, absolute and not. */
export const PATHS = [
  "a", "b", "d", "d/a", "d/e", "d/e/a", "/a", "/d/a", "d/../b", "d/", "d/e/", "/", ".", "..",
  "../a", "x/a",
];
const DIRS = ["d", "d/e", "/d", "d/e/..", "x"];

const pathArb = pick(PATHS);
const offsetArb = pick([0, 1, 4095, 4096, 5000, 8191, 100, -1]);
const sizeArb = pick([0, 1, 7, 100, 4096, 5000]);
const accArb = pick(["O_RDONLY", "O_WRONLY", "O_RDWR"]);

/** The caller's n-th descriptor (any kind); now and then a closed number (EBADF). */
function anyFd(ctx: BuildContext, n: number): number {
  const fds = ctx.shadow.fdsOf(ctx.pid).map(([fd]) => fd);
  if (n % 16 === 15 || fds.length === 0) return 1023;
  return fds[n % fds.length];
}

const fdArb = fc.nat({ max: 63 });

export const FILES_TABLE: readonly CallKind[] = [
  kind(
    "openat",
    fc.tuple(pathArb, accArb,
      flagsArb([["O_CREAT", 50], ["O_EXCL", 10], ["O_TRUNC", 15], ["O_APPEND", 15],
        ["O_DIRECTORY", 5], ["O_NONBLOCK", 30]])),
    ([path, acc, flags]) => ({ call: "openat", dirfd: -100, path, flags: [acc, ...flags] }),
  ),
  kind("mkdir", pick(DIRS), (path) => ({ call: "mkdir", path, mode: "0755" })),
  kind("rmdir", pick(DIRS), (path) => ({ call: "rmdir", path })),
  kind("unlinkat", fc.tuple(pathArb, pick([0, 0, 0x200])), ([path, flags]) => ({
    call: "unlinkat", dirfd: -100, path, flags: flags === 0 ? [] : ["AT_REMOVEDIR"],
  })),
  kind("chdir", pick([...DIRS, "/", ".."]), (path) => ({ call: "chdir", path })),
  kind("fchdir", fdArb, (n, ctx) => ({ call: "fchdir", fd: anyFd(ctx, n) })),
  kind("umask", pick(["022", "077", "0"]), (mask) => ({ call: "umask", mask })),
  kind("chmod", fc.tuple(pathArb, pick(["0644", "0600", "0000", "0755"])), ([path, mode]) => ({
    call: "chmod", path, mode,
  })),
  kind("access", fc.tuple(pathArb, pick([[], ["R_OK"], ["W_OK"], ["X_OK"]])), ([path, mode]) => ({
    call: "access", path, mode,
  })),
  kind(
    "lseek",
    fc.tuple(fdArb, offsetArb, pick(["SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA",
      "SEEK_HOLE"])),
    ([n, offset, whence], ctx) => ({ call: "lseek", fd: anyFd(ctx, n), offset, whence }),
  ),
  kind("pread64", fc.tuple(fdArb, sizeArb, offsetArb), ([n, count, offset], ctx) => ({
    call: "pread64", fd: anyFd(ctx, n), count, offset,
  })),
  kind("pwrite64", fc.tuple(fdArb, sizeArb, offsetArb), ([n, size, offset], ctx) => ({
    call: "pwrite64", fd: anyFd(ctx, n), data: patternBytes(ctx.index, size), offset,
  })),
  kind("truncate", fc.tuple(pathArb, offsetArb), ([path, length]) => ({
    call: "truncate", path, length,
  })),
  kind("ftruncate", fc.tuple(fdArb, offsetArb), ([n, length], ctx) => ({
    call: "ftruncate", fd: anyFd(ctx, n), length,
  })),
  kind("fsync", fdArb, (n, ctx) => ({ call: "fsync", fd: anyFd(ctx, n) })),
  kind("fdatasync", fdArb, (n, ctx) => ({ call: "fdatasync", fd: anyFd(ctx, n) })),
];
