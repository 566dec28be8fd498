// The trace generator's entries for file locks (spliced into CALL_TABLE, call-table.ts): flock,
// and fcntl's record-lock commands as variants: "fcntl-setlk" (F_SETLK), "fcntl-setlkw"
// (F_SETLKW: waits, EDEADLK), "fcntl-getlk" (F_GETLK, F_OFD_GETLK), "fcntl-ofd" (F_OFD_SETLK,
// F_OFD_SETLKW).
//
// Ranges are small (bytes 0..15, lengths -3..8, now and then 0: to the end of the file) so that
// locks meet, merge, split and conflict; the type is mostly F_RDLCK or F_WRLCK, sometimes
// F_UNLCK, rarely a bad one (EINVAL); l_whence mostly SEEK_SET. Descriptors are the caller's
// pipe ends, FIFO ends and queue descriptors, never /dev/null (fds 0-2 of the first process):
// on the host its inode is every process's, and a lock there would meet other programs' locks.

import fc from "fast-check";
import { kind, pick, type BuildContext, type CallKind } from "./call-kind.js";

/** The caller's n-th lockable descriptor (not /dev/null); now and then a closed number. */
function lockFd(ctx: BuildContext, n: number): number | null {
  if (n % 32 === 31) return 1023;
  const mine = ctx.shadow.fdsOf(ctx.pid).filter(([, d]) => d.kind !== "null");
  return mine.length === 0 ? null : mine[n % mine.length][0];
}

const typeArb = fc.oneof(
  { weight: 8, arbitrary: pick(["F_RDLCK", "F_WRLCK"]) },
  { weight: 3, arbitrary: fc.constant("F_UNLCK") },
  { weight: 1, arbitrary: fc.constant(7) },
);

const whenceArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant("SEEK_SET") },
  { weight: 1, arbitrary: pick(["SEEK_CUR", "SEEK_END"]) },
);

/** struct flock over bytes 0..15 (l_pid 0: the OFD commands refuse anything else). */
const flockArb = fc.record({
  l_type: typeArb,
  l_whence: whenceArb,
  l_start: fc.oneof(
    { weight: 12, arbitrary: fc.nat({ max: 15 }) }, { weight: 1, arbitrary: pick([-1, 80]) },
  ),
  l_len: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 1, max: 8 }) },
    { weight: 2, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: -3, max: -1 }) },
  ),
});

function lockKind(name: "fcntl-setlk" | "fcntl-setlkw" | "fcntl-getlk" | "fcntl-ofd",
  cmds: readonly string[]): CallKind {
  return kind(name, fc.tuple(fc.nat({ max: 63 }), pick(cmds), flockArb), ([n, cmd, arg], ctx) => {
    const fd = lockFd(ctx, n);
    if (fd === null) return null;
    // F_GETLK takes F_RDLCK and F_WRLCK only (EINVAL), F_OFD_GETLK F_UNLCK too: keep it rare.
    const t = cmd === "F_GETLK" && arg.l_type === "F_UNLCK" ? "F_WRLCK" : arg.l_type;
    return { call: "fcntl", fd, cmd, arg: { ...arg, l_type: t } };
  });
}

export const LOCKS_TABLE: readonly CallKind[] = [
  kind(
    "flock",
    fc.tuple(fc.nat({ max: 63 }), pick(["LOCK_SH", "LOCK_EX", "LOCK_UN"]), fc.nat({ max: 3 })),
    ([n, op, nb], ctx) => {
      const fd = lockFd(ctx, n);
      return fd === null ? null : { call: "flock", fd, op: nb === 0 ? [op, "LOCK_NB"] : [op] };
    },
  ),
  lockKind("fcntl-setlk", ["F_SETLK"]),
  lockKind("fcntl-setlkw", ["F_SETLKW"]),
  lockKind("fcntl-getlk", ["F_GETLK", "F_GETLK", "F_OFD_GETLK"]),
  lockKind("fcntl-ofd", ["F_OFD_SETLK", "F_OFD_SETLKW"]),
];
