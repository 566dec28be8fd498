// The trace generator's entries for names and what they name (spliced into CALL_TABLE,
// call-table.ts): rename, link, symlink, readlink, stat, lstat.
//
// Paths come from files-table.ts's small tree, so that a rename meets an existing target
// (replaced, or EISDIR/ENOTDIR/ENOTEMPTY), links count, and symlinks dangle, loop and point
// up and out (".." at the root stays there). Symlink targets are a few relative and absolute
// paths and a self-reference (ELOOP when followed).

import fc from "fast-check";
import { kind, pick, type CallKind } from "./call-kind.js";
import { PATHS } from "./files-table.js";

const pathArb = pick(PATHS);
const TARGETS = ["a", "d", "/d/a", "../b", "loop", "s", "nowhere", "/"];

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
];
