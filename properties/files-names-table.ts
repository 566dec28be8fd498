// The trace generator's entries for names and what they name (spliced into CALL_TABLE,
// call-table.ts): rename, link, symlink, readlink, stat, lstat, and their *at forms (mkdirat,
// renameat, renameat2, linkat, symlinkat, readlinkat, newfstatat, fchmodat, faccessat,
// faccessat2) from AT_FDCWD or a bad dirfd (openat and unlinkat aim real directory
// descriptors: files-table.ts).
//
// Paths come from files-table.ts's small tree, so that a rename meets an existing target
// (replaced, or EISDIR/ENOTDIR/ENOTEMPTY), links count, and symlinks dangle, loop and point
// up and out (".." at the root stays there). Symlink targets are a few relative and absolute
// paths and a self-reference (ELOOP when followed).

import fc from "fast-check";
import { kind, pick, type CallKind } from "./call-kind.js";
import { FLAGS } from "../wasm/abi.js";
import { PATHS } from "./files-table.js";

const pathArb = pick(PATHS);
const TARGETS = ["a", "d", "/d/a", "../b", "loop", "s", "nowhere", "/"];
/** AT_FDCWD mostly; a closed number (EBADF, unless the path is absolute) now and then. */
const dirfdArb = fc.oneof({ weight: 7, arbitrary: fc.constant(-100) },
  { weight: 1, arbitrary: pick([-1, 99]) });
const { RENAME_NOREPLACE: NOREPLACE, RENAME_EXCHANGE: EXCHANGE } = FLAGS.rename;
const { AT_SYMLINK_NOFOLLOW, AT_SYMLINK_FOLLOW, AT_EMPTY_PATH } = FLAGS.at;
const { AT_EACCESS } = FLAGS.faccessat;
/** renameat2's flags: none, each, and the EINVAL ones (both; an unknown bit). */
const renameFlagsArb = pick([0, NOREPLACE, EXCHANGE, EXCHANGE, NOREPLACE | EXCHANGE, 8]);
const accessModeArb = pick([0, 1, 2, 4, 6, 8]);

export const FILES_NAMES_TABLE: readonly CallKind[] = [
  kind("rename", fc.tuple(pathArb, pathArb), ([oldpath, newpath]) => ({
    call: "rename", oldpath, newpath,
  })),
  kind("link", fc.tuple(pathArb, pathArb), ([oldpath, newpath]) => ({
    call: "link", oldpath, newpath,
  })),
  kind("symlink", fc.tuple(pick(TARGETS), pick(["s", "loop", "d/s", "/s2", "a"])),
    ([target, linkpath]) => ({ call: "symlink", target, linkpath })),
  kind("readlink", fc.tuple(pick(["s", "loop", "d/s", "/s2", "a", "s/"]), pick([1, 4, 100, 0])),
    ([path, count]) => ({ call: "readlink", path, count })),
  kind("stat", pathArb, (path) => ({ call: "stat", path })),
  kind("lstat", pick([...PATHS, "s", "loop", "/s2"]), (path) => ({ call: "lstat", path })),
  kind("mkdirat", fc.tuple(dirfdArb, pick(["e", "d/f", "/g", "a"])),
    ([dirfd, path]) => ({ call: "mkdirat", dirfd, path, mode: "0755" })),
  kind("renameat", fc.tuple(dirfdArb, pathArb, pathArb), ([dirfd, oldpath, newpath]) => ({
    call: "renameat", olddirfd: -100, oldpath, newdirfd: dirfd, newpath,
  })),
  kind("renameat2", fc.tuple(pathArb, pathArb, renameFlagsArb), ([oldpath, newpath, flags]) => ({
    call: "renameat2", olddirfd: -100, oldpath, newdirfd: -100, newpath, flags,
  })),
  kind("linkat", fc.tuple(pathArb, pathArb, pick([0, AT_SYMLINK_FOLLOW, 1])),
    ([oldpath, newpath, flags]) => ({
      call: "linkat", olddirfd: -100, oldpath, newdirfd: -100, newpath, flags,
    })),
  kind("symlinkat", fc.tuple(pick(TARGETS), dirfdArb, pick(["s", "loop", "d/s"])),
    ([target, newdirfd, linkpath]) => ({ call: "symlinkat", target, newdirfd, linkpath })),
  kind("readlinkat", fc.tuple(dirfdArb, pick(["s", "loop", "a", ""]), pick([4, 100, 0])),
    ([dirfd, path, count]) => ({ call: "readlinkat", dirfd, path, count })),
  kind("newfstatat",
    fc.tuple(dirfdArb, pick([...PATHS, "s", ""]),
      pick([0, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, 1])),
    ([dirfd, path, flags]) => ({ call: "newfstatat", dirfd, path, flags })),
  kind("fchmodat", fc.tuple(dirfdArb, pathArb, pick(["0644", "0755", "0600", "0000"])),
    ([dirfd, path, mode]) => ({ call: "fchmodat", dirfd, path, mode })),
  kind("faccessat", fc.tuple(dirfdArb, pathArb, accessModeArb),
    ([dirfd, path, mode]) => ({ call: "faccessat", dirfd, path, mode })),
  kind("faccessat2",
    fc.tuple(dirfdArb, pick([...PATHS, "s", ""]), accessModeArb,
      pick([0, AT_EACCESS, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, 1])),
    ([dirfd, path, mode, flags]) => ({ call: "faccessat2", dirfd, path, mode, flags })),
];
