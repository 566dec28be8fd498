// The trace generator's entries for paths and regular files (spliced into CALL_TABLE,
// call-table.ts): openat, mkdir, rmdir, unlinkat, chdir, fchdir, umask, chmod, access, lseek,
// pread64, pwrite64, truncate, ftruncate, fsync, fdatasync.
//
// Aimed with the shadow's tree (files-shadow.ts): a path is mostly a name that exists, of the
// kind the call wants (a directory for chdir and rmdir, a regular file for truncate), written
// as the caller's walk reaches it (relative to its working directory or a dirfd, absolute,
// with "./", "..", a trailing slash), or a new name in a directory that exists (mkdir, O_CREAT),
// now and then one of a fixed list of missing and bad ones (ENOENT, ENOTDIR, EISDIR...).
// Descriptors are mostly the caller's regular files (lseek, pread64, pwrite64, ftruncate,
// fsync) or directories (openat's dirfd, fchdir), sometimes any of its descriptors or a closed
// number (EBADF, ESPIPE, EINVAL, ENOTDIR). Offsets sit at page boundaries, within the file or
// at its end; a few are negative (EINVAL). Forks (call-table.ts) share offsets.

import fc from "fast-check";
import { flagsArb, kind, pick, type BuildContext, type CallKind } from "./call-kind.js";
import { pattern } from "./call-table.js";
import type { FsNode } from "./files-shadow.js";

/** Missing and bad paths: absolute and not, climbing, through a file, trailing slashes. */
export const PATHS = [
  "a", "b", "d", "d/a", "d/e", "d/e/a", "/a", "/d/a", "d/../b", "d/", "d/e/", "/", ".", "..",
  "../a", "x/a",
];
/** Names new files and directories get: few, so that they collide (EEXIST). */
const NEW_NAMES = ["a", "b", "d", "e"];
/** openat's and unlinkat's dirfd AT_FDCWD: the walk starts at the working directory. */
const CWD: [number, FsNode?] = [-100];
/** Offsets stay below this (a file grows at most a few pages a step). */
const OFFSET_MAX = 1 << 18;

type Want = "any" | "dir" | "reg" | "nondir";
type PathDraw = { known: number; style: number } | { fresh: number; dir: number } |
  { pool: number };
const pathArb = (known: number, fresh: number): fc.Arbitrary<PathDraw> => fc.oneof(
  {
    weight: known,
    arbitrary: fc.record({ known: fc.nat({ max: 63 }), style: fc.nat({ max: 11 }) }),
  },
  { weight: fresh, arbitrary: fc.record({ fresh: fc.nat({ max: 7 }), dir: fc.nat({ max: 15 }) }) },
  { weight: 1, arbitrary: fc.nat({ max: PATHS.length - 1 }).map((pool) => ({ pool })) },
);

function fits(n: FsNode, want: Want): boolean {
  return want === "any" || (want === "nondir" ? n.kind !== "dir" : n.kind === want);
}

/** The path a draw names for the caller (walked from `from`: its cwd, or a dirfd's dir);
 * null (skip the choice) when no name of the kind wanted exists, three times in four. */
function pickPath(ctx: BuildContext, draw: PathDraw, want: Want, from?: FsNode): string | null {
  const all = ctx.shadow.pathsOf(ctx.pid, from);
  if ("pool" in draw) return PATHS[draw.pool];
  if ("fresh" in draw) {
    const dirs = [".", ...all.filter((x) => x.node.kind === "dir").map((x) => x.path)];
    const dir = dirs[draw.dir % dirs.length];
    const name = NEW_NAMES[draw.fresh % NEW_NAMES.length];
    return dir === "." ? name : `${dir}/${name}`;
  }
  const good = all.filter((x) => fits(x.node, want));
  if (good.length === 0 && draw.known % 4 !== 0) return null;
  const from_ = good.length > 0 ? good : all;
  if (from_.length === 0) return PATHS[draw.known % PATHS.length];
  const { path, node } = from_[draw.known % from_.length];
  return styled(ctx, path, node, draw.style, all);
}

/** The same name written another way: absolute, "./x", "x/", "d/../x" (mostly plain). */
function styled(ctx: BuildContext, path: string, node: FsNode, style: number,
  all: { path: string; node: FsNode }[]): string {
  const abs = path.startsWith("/");
  if (style === 8) return ctx.shadow.fs.pathOf(node);
  if (style === 9 && !abs) return `./${path}`;
  if (style === 10) return `${path}/`; // ENOTDIR unless a directory
  const dir = all.find((x) => x.node.kind === "dir" && !x.path.startsWith("/"));
  if (style === 11 && dir && !abs) return `${dir.path}/../${path}`;
  return path;
}

/** A descriptor draw: the caller's n-th of a kind, any of its own, or a closed number. */
type FdDraw = { mine: number } | { any: number } | { raw: number };
const fdArb = (mine: number): fc.Arbitrary<FdDraw> => fc.oneof(
  { weight: mine, arbitrary: fc.nat({ max: 63 }).map((n) => ({ mine: n })) },
  { weight: 2, arbitrary: fc.nat({ max: 63 }).map((n) => ({ any: n })) },
  { weight: 1, arbitrary: pick([1023, -1, 99]).map((raw) => ({ raw })) },
);

/** The fd a draw names, with the regular file or directory it opens; null (skip the choice)
 * when the caller has no descriptor of the kind, three times in four. */
function pickFd(ctx: BuildContext, draw: FdDraw, want: "reg" | "dir" | "read" | "write"):
  [number, FsNode?] | null {
  if ("raw" in draw) return [draw.raw];
  const all = ctx.shadow.fdsOf(ctx.pid);
  if ("any" in draw) return all.length ? [all[draw.any % all.length][0]] : [draw.any % 4];
  const reg = all.filter(([, d]) => d.node?.kind === (want === "dir" ? "dir" : "reg"));
  // A file open for the access wanted, mostly (else EBADF, or EINVAL for ftruncate).
  const open = reg.filter(([, d]) => want !== "read" && want !== "write" || d[want]);
  const good = open.length > 0 && draw.mine % 8 !== 7 ? open : reg;
  if (good.length === 0) return draw.mine % 4 === 0 && all.length ? [all[0][0]] : null;
  const [fd, d] = good[draw.mine % good.length];
  return [fd, d.node];
}

/** An offset or length: at a page boundary, within the file, at its end, or -1. */
type OffsetDraw = { page: number } | { within: number } | { end: number } | { bad: true };
const PAGE_OFFSETS = [0, 1, 4095, 4096, 4097, 8191, 8192, 12288];
const offsetArb: fc.Arbitrary<OffsetDraw> = fc.oneof(
  { weight: 4, arbitrary: pick(PAGE_OFFSETS).map((page) => ({ page })) },
  { weight: 5, arbitrary: fc.nat({ max: 8 }).map((within) => ({ within })) },
  { weight: 3, arbitrary: pick([0, 1, -1, 4096]).map((end) => ({ end })) },
  { weight: 1, arbitrary: fc.constant({ bad: true as const }) },
);

function offset(draw: OffsetDraw, node?: FsNode): number {
  const size = node?.size ?? 0;
  if ("bad" in draw) return -1;
  if ("page" in draw) return draw.page;
  const at = "within" in draw ? Math.floor((size * draw.within) / 8) : size + draw.end;
  return Math.max(0, Math.min(at, OFFSET_MAX));
}

/** SEEK_CUR and SEEK_END move by these. */
const DELTAS = [0, 1, -1, 100, 4096, -4096, -100000];
const SIZES = [0, 1, 7, 100, 4095, 4096, 4097, 5000, 8192, 65536];

const accArb = pick(["O_RDONLY", "O_WRONLY", "O_RDWR"]);
const openFlagsArb = flagsArb([["O_CREAT", 40], ["O_EXCL", 10], ["O_TRUNC", 15],
  ["O_APPEND", 15], ["O_DIRECTORY", 5], ["O_NONBLOCK", 20], ["O_CLOEXEC", 10]]);
const dirfdArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: fdArb(8) },
);

export const FILES_TABLE: readonly CallKind[] = [
  kind(
    "openat",
    fc.tuple(dirfdArb, pathArb(6, 3), accArb, openFlagsArb, pick(["0644", "0600", "0444"]),
      fc.nat({ max: 7 })),
    ([dirfdDraw, p, acc, flags, mode, dir], ctx) => {
      const dirfd = dirfdDraw === null ? CWD : pickFd(ctx, dirfdDraw, "dir");
      if (dirfd === null) return null;
      // Three opens in eight are of a directory, two of them for reading only (the third with
      // the drawn flags: EISDIR, EINVAL); a new name is mostly created.
      const path = pickPath(ctx, p, dir < 3 ? "dir" : "nondir", dirfd[1]);
      if (path === null) return null;
      const rdonly = ["O_RDONLY", ...flags.filter((x) => x === "O_DIRECTORY" || x === "O_CLOEXEC")];
      const creat = "fresh" in p && p.fresh < 6 && !flags.includes("O_CREAT") ? ["O_CREAT"] : [];
      const f = dir < 2 ? rdonly : [acc, ...flags, ...creat];
      return { call: "openat", dirfd: dirfd[0], path, flags: f, mode };
    },
  ),
  kind("mkdir", fc.tuple(pathArb(1, 6), pick(["0755", "0700"])), ([p, mode], ctx) => {
    const path = pickPath(ctx, p, "dir");
    return path === null ? null : { call: "mkdir", path, mode };
  }),
  kind("rmdir", pathArb(8, 1), (p, ctx) => {
    const path = pickPath(ctx, p, "dir");
    return path === null ? null : { call: "rmdir", path };
  }),
  kind("unlinkat", fc.tuple(dirfdArb, pathArb(8, 1), fc.nat({ max: 7 })), ([d, p, f], ctx) => {
    const dirfd = d === null ? CWD : pickFd(ctx, d, "dir");
    if (dirfd === null) return null;
    const path = pickPath(ctx, p, "any", dirfd[1]);
    if (path === null) return null;
    // AT_REMOVEDIR for a directory, mostly (the other way: EISDIR, ENOTDIR).
    const isDir = ctx.shadow.pathsOf(ctx.pid, dirfd[1]).some((x) =>
      x.path === path && x.node.kind === "dir");
    const flags = (f === 0) !== isDir ? ["AT_REMOVEDIR"] : [];
    return { call: "unlinkat", dirfd: dirfd[0], path, flags };
  }),
  kind("chdir", fc.oneof({ weight: 6, arbitrary: pathArb(8, 0) },
    { weight: 2, arbitrary: pick(["/", "..", "."]) }), (p, ctx) => {
    const path = typeof p === "string" ? p : pickPath(ctx, p, "dir");
    return path === null ? null : { call: "chdir", path };
  }),
  kind("fchdir", fdArb(8), (d, ctx) => {
    const fd = pickFd(ctx, d, "dir");
    return fd && { call: "fchdir", fd: fd[0] };
  }),
  kind("umask", pick(["022", "077", "0", "0777"]), (mask) => ({ call: "umask", mask })),
  kind("chmod", fc.tuple(pathArb(8, 0), pick(["0644", "0600", "0000", "0755", "0070"])),
    ([p, mode], ctx) => {
      const path = pickPath(ctx, p, "any");
      return path === null ? null : { call: "chmod", path, mode };
    }),
  kind("access", fc.tuple(pathArb(8, 0), pick([[], ["R_OK"], ["W_OK"], ["X_OK"],
    ["R_OK", "W_OK"]])), ([p, mode], ctx) => {
    const path = pickPath(ctx, p, "any");
    return path === null ? null : { call: "access", path, mode };
  }),
  kind(
    "lseek",
    fc.tuple(fdArb(10), offsetArb, pick(DELTAS), pick(["SEEK_SET", "SEEK_CUR", "SEEK_END",
      "SEEK_DATA", "SEEK_HOLE"])),
    ([d, at, delta, whence], ctx) => {
      const fd = pickFd(ctx, d, "reg");
      if (!fd) return null;
      const rel = whence === "SEEK_CUR" || whence === "SEEK_END";
      return { call: "lseek", fd: fd[0], offset: rel ? delta : offset(at, fd[1]), whence };
    },
  ),
  kind("pread64", fc.tuple(fdArb(10), pick(SIZES), offsetArb), ([d, count, at], ctx) => {
    const fd = pickFd(ctx, d, "read");
    return fd && { call: "pread64", fd: fd[0], count, offset: offset(at, fd[1]) };
  }),
  kind("pwrite64", fc.tuple(fdArb(10), pick(SIZES), offsetArb), ([d, size, at], ctx) => {
    const fd = pickFd(ctx, d, "write");
    return fd && {
      call: "pwrite64", fd: fd[0], data: pattern(ctx.index, size), offset: offset(at, fd[1]),
    };
  }),
  kind("truncate", fc.tuple(pathArb(8, 0), offsetArb), ([p, at], ctx) => {
    const path = pickPath(ctx, p, "reg");
    if (path === null) return null;
    const node = ctx.shadow.pathsOf(ctx.pid).find((x) => x.path === path)?.node;
    return { call: "truncate", path, length: offset(at, node) };
  }),
  kind("ftruncate", fc.tuple(fdArb(10), offsetArb), ([d, at], ctx) => {
    const fd = pickFd(ctx, d, "write");
    return fd && { call: "ftruncate", fd: fd[0], length: offset(at, fd[1]) };
  }),
  kind("fsync", fdArb(6), (d, ctx) => {
    const fd = pickFd(ctx, d, "reg");
    return fd && { call: "fsync", fd: fd[0] };
  }),
  kind("fdatasync", fdArb(6), (d, ctx) => {
    const fd = pickFd(ctx, d, "reg");
    return fd && { call: "fdatasync", fd: fd[0] };
  }),
];
