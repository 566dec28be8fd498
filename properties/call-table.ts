// The call table of the trace generator: one entry per kind of call (its default weight is in
// weights.ts), the arbitrary of its abstract arguments (what fast-check draws and shrinks), and
// `build`, which
// turns those draws into the step's trace-v1 fields for one caller, reading the shadow state
// (shadow.ts) to aim them: a read at a read end, a waitpid at a child, an open at an existing
// FIFO. A draw never names a raw fd, only "the caller's n-th descriptor of the right kind", so
// a shrunk trace stays meaningful.
//
// Adding a mechanism (message queues, semaphores, signals...) is one entry per call here, a
// default weight per entry in weights.ts, plus, if its objects need aiming (ids, addresses),
// what the shadow must remember of them.
//
// Everything emitted must mean the same on real Linux (the same traces feed the host bridge):
// short FIFO names, sizes up to 1 MiB, flags by their C names. An O_CREAT open of a missing
// name makes a regular file (the shadow follows it: files-shadow.ts).

import fc from "fast-check";
import type { Desc } from "./shadow.js";
import { SYSV_TABLE } from "./sysv-table.js";
import { MEM_TABLE } from "./mem-table.js";
import { FUTEX_TABLE } from "./futex-table.js";
import { FILES_NAMES_TABLE } from "./files-names-table.js";
import { FILES_TABLE } from "./files-table.js";
import { LOCKS_TABLE } from "./locks-table.js";
import { MQUEUE_TABLE } from "./mqueue-table.js";
import { NET_TABLE } from "./net-table.js";
import { SIGNAL_TABLE } from "./signal-table.js";
import { TIME_TABLE } from "./time-table.js";
import { POLL_TABLE, SELECT_TABLE } from "./poll-table.js";
import { EPOLL_TABLE } from "./epoll-table.js";
import { derivedEntries } from "./derived-table.js";
import {
  flagsArb, kind, pick, type BuildContext, type CallKind, type StepFields,
} from "./call-kind.js";

export { pick, type CallKind, type StepFields } from "./call-kind.js";

// ---- shared argument draws ----

/** Byte counts, concentrated at the boundaries that matter to pipes: PIPE_BUF, pages, the
 * default 16-page capacity. */
const SIZE_BOUNDARIES = [0, 1, 100, 4095, 4096, 4097, 65535, 65536, 65537, 100000];
const SIZE_MAX = 1 << 20;

const sizeArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 8, arbitrary: pick(SIZE_BOUNDARIES) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 300 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: SIZE_MAX }) },
);

/** F_SETPIPE_SZ arguments: below, at and above a page, the default, fs.pipe-max-size. */
const PIPE_SIZES = [4096, 0, 1, 4097, 8192, 16384, 65536, 131072, 1 << 20, (1 << 20) + 1, -1];

/** A descriptor draw: the caller's n-th descriptor (of the kind the call wants, if any), or
 * now and then a number that is probably not open (-1, 1023, 1024...). */
type FdDraw = { own: number } | { raw: number };
const fdArb: fc.Arbitrary<FdDraw> = fc.oneof(
  { weight: 12, arbitrary: fc.nat({ max: 63 }).map((own) => ({ own })) },
  { weight: 1, arbitrary: pick([-1, 0, 7, 63, 1023, 1024]).map((raw) => ({ raw })) },
);

/** "pipe": a pipe's or FIFO's end; "desc": that or a regular file or directory (what dup
 * and F_SETFL are aimed at); "read", "write": a pipe, FIFO or regular file open for it. */
type Want = "read" | "write" | "pipe" | "desc" | "any";

function wants(d: Desc, want: Want): boolean {
  if (want === "any") return true;
  // A queue's read is its QSIZE line; a signalfd's reads are signal-table.ts's.
  if (d.kind === "null" || d.kind === "mq" || d.kind === "signalfd") return false;
  const pipe = d.kind === "pipe" || d.kind === "fifo";
  if (want === "pipe") return pipe;
  if (want === "desc") return true;
  return (pipe || d.kind === "file" || d.kind === "socket") && d[want];
}

/** The fd a draw names for the caller; null (skip the choice) when the caller has no
 * descriptor of the kind wanted, three times in four (the fourth aims at any descriptor). */
function pickFd(ctx: BuildContext, draw: FdDraw, want: Want): number | null {
  if ("raw" in draw) return draw.raw;
  const all = ctx.shadow.fdsOf(ctx.pid);
  const good = all.filter(([, d]) => wants(d, want));
  if (good.length === 0 && draw.own % 4 !== 0) return null;
  const from = good.length > 0 ? good : all;
  if (from.length === 0) return draw.own % 4;
  return from[draw.own % from.length][0];
}

/** `build` for calls whose fields need descriptors: null when any of them is null. */
function withFds(fds: (number | null)[], fields: (fds: number[]) => StepFields): StepFields | null {
  return fds.some((fd) => fd === null) ? null : fields(fds as number[]);
}

/** FIFO names: a small pool, so that names collide (EEXIST, reopen, unlink of an open FIFO). */
const FIFO_NAMES = ["f0", "f1", "f2"];
type NameDraw = { existing: number } | { pool: number };
const nameArb: fc.Arbitrary<NameDraw> = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 7 }).map((existing) => ({ existing })) },
  { weight: 1, arbitrary: fc.nat({ max: FIFO_NAMES.length - 1 }).map((pool) => ({ pool })) },
);

/** The name a draw picks; null (skip the choice) for an existing name when there is none,
 * three times in four (the fourth picks from the pool: ENOENT). */
function pickName(ctx: BuildContext, draw: NameDraw): string | null {
  const names = ctx.shadow.pathsOf(ctx.pid).filter((x) => x.node.kind === "fifo")
    .map((x) => x.path);
  if ("existing" in draw && names.length > 0) return names[draw.existing % names.length];
  if ("existing" in draw && draw.existing % 4 !== 0) return null;
  const n = "existing" in draw ? draw.existing : draw.pool;
  return FIFO_NAMES[n % FIFO_NAMES.length];
}

/** A subset of flag names, each drawn with its own percent chance (rare ones stay rare);
 * shrinking turns flags off. */
function packetOk(ctx: BuildContext, flags: string[]): string[] {
  return ctx.packet ? flags : flags.filter((f) => f !== "O_DIRECT");
}

// ---- write data ----

const ALPHABET = new TextEncoder().encode(
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-",
);
const ascii = new TextDecoder("latin1");

/** The bytes of `pattern(tag, count)`. */
export function patternBytes(tag: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  const t = Math.imul(tag + 1, 0x9e3779b1);
  for (let i = 0; i < count; i++) {
    let h = t ^ Math.imul(i, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    out[i] = ALPHABET[(h ^ (h >>> 12)) & 63];
  }
  return out;
}

/** `count` printable bytes that identify their write: byte i of the write tagged `tag` is a
 * hash of (tag, i), so two writes agree on a byte one time in 64 and a misplaced page or a
 * repeated byte shows. The same pattern on every run (the trace is the bug report). */
export function pattern(tag: number, count: number): string {
  return ascii.decode(patternBytes(tag, count));
}

// ---- the table ----

const WAIT_TARGETS = [0, 1, 9999, -5];

const WRITTEN: readonly CallKind[] = [
  kind("fork", fc.constant(null), () => ({ call: "fork" })),
  kind("exit", fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })), (status) => ({
    call: "exit",
    status,
  })),
  kind(
    "waitpid",
    fc.record({
      target: fc.oneof(
        { weight: 4, arbitrary: fc.constant({ any: true as const }) },
        { weight: 4, arbitrary: fc.nat({ max: 7 }).map((child) => ({ child })) },
        { weight: 1, arbitrary: pick(WAIT_TARGETS).map((raw) => ({ raw })) },
      ),
      nohang: fc.boolean(),
    }),
    ({ target, nohang }, ctx) => {
      const children = ctx.shadow.childrenOf(ctx.pid);
      let t = -1;
      if ("raw" in target) t = target.raw;
      else if ("child" in target && children.length) t = children[target.child % children.length];
      return { call: "waitpid", target: t, options: nohang ? ["WNOHANG"] : [] };
    },
  ),
  kind(
    "pipe",
    flagsArb([["O_NONBLOCK", 30], ["O_DIRECT", 15], ["O_CLOEXEC", 10]]),
    (flags, ctx) => ({ call: "pipe", flags: packetOk(ctx, flags) }),
  ),
  kind("close", fdArb, (fd, ctx) =>
    withFds([pickFd(ctx, fd, "any")], ([f]) => ({ call: "close", fd: f }))),
  kind("dup", fdArb, (fd, ctx) =>
    withFds([pickFd(ctx, fd, "desc")], ([f]) => ({ call: "dup", fd: f }))),
  kind(
    "dup2",
    fc.tuple(fdArb, fc.oneof(fdArb, fc.nat({ max: 12 }).map((raw) => ({ raw })))),
    ([a, b], ctx) => withFds([pickFd(ctx, a, "desc"), pickFd(ctx, b, "any")], ([oldfd, newfd]) => ({
      call: "dup2", oldfd, newfd,
    })),
  ),
  kind(
    "fcntl-getfl",
    fdArb,
    (fd, ctx) =>
      withFds([pickFd(ctx, fd, "desc")], ([f]) => ({ call: "fcntl", fd: f, cmd: "F_GETFL" })),
  ),
  kind(
    "fcntl-setfl",
    fc.tuple(fdArb, flagsArb([["O_NONBLOCK", 50], ["O_DIRECT", 20], ["O_APPEND", 10]])),
    ([fd, flags], ctx) => withFds([pickFd(ctx, fd, "desc")], ([f]) => ({
      call: "fcntl", fd: f, cmd: "F_SETFL", arg: packetOk(ctx, flags),
    })),
  ),
  kind(
    "fcntl-getpipe-sz",
    fdArb,
    (fd, ctx) =>
      withFds([pickFd(ctx, fd, "pipe")], ([f]) => ({ call: "fcntl", fd: f, cmd: "F_GETPIPE_SZ" })),
  ),
  kind(
    "fcntl-setpipe-sz",
    fc.tuple(fdArb, pick(PIPE_SIZES)),
    ([fd, size], ctx) => withFds([pickFd(ctx, fd, "pipe")], ([f]) => ({
      call: "fcntl", fd: f, cmd: "F_SETPIPE_SZ", arg: size,
    })),
  ),
  kind("read", fc.tuple(fdArb, sizeArb), ([fd, count], ctx) =>
    withFds([pickFd(ctx, fd, "read")], ([f]) => ({ call: "read", fd: f, count }))),
  kind("write", fc.tuple(fdArb, sizeArb), ([fd, count], ctx) =>
    withFds([pickFd(ctx, fd, "write")], ([f]) => ({
      call: "write", fd: f, data: pattern(ctx.index, count),
    }))),
  // Vectors of one to four segments (an empty one now and then) of read's and write's sizes.
  kind("readv", fc.tuple(fdArb, fc.array(sizeArb, { minLength: 1, maxLength: 4 })),
    ([fd, counts], ctx) =>
      withFds([pickFd(ctx, fd, "read")], ([f]) => ({ call: "readv", fd: f, counts }))),
  kind("writev", fc.tuple(fdArb, fc.array(sizeArb, { minLength: 1, maxLength: 4 })),
    ([fd, sizes], ctx) => withFds([pickFd(ctx, fd, "write")], ([f]) => ({
      call: "writev", fd: f, iov: sizes.map((n, i) => pattern(ctx.index * 8 + i, n)),
    }))),
  kind(
    "mkfifo",
    fc.tuple(fc.nat({ max: 7 }), fc.constantFrom("0644", "0600", "0666")),
    ([name, mode]) => ({ call: "mkfifo", path: FIFO_NAMES[name % FIFO_NAMES.length], mode }),
  ),
  kind(
    "open",
    fc.tuple(
      nameArb,
      fc.constantFrom("O_RDONLY", "O_WRONLY", "O_RDWR"),
      flagsArb([["O_NONBLOCK", 35], ["O_CLOEXEC", 10], ["O_CREAT", 5], ["O_DIRECT", 3]]),
    ),
    ([name, acc, flags], ctx) => {
      const path = pickName(ctx, name);
      if (path === null) return null;
      // O_CREAT of a missing name makes a regular file (a pool name only: ENOENT without it).
      return { call: "open", path, flags: [acc, ...packetOk(ctx, flags)] };
    },
  ),
  kind("unlink", nameArb, (name, ctx) => {
    const path = pickName(ctx, name);
    return path === null ? null : { call: "unlink", path };
  }),
  ...SYSV_TABLE, // SysV message queues and semaphores: sysv-table.ts
  ...MEM_TABLE, // shared memory and mappings: mem-table.ts
  ...FUTEX_TABLE, // atomics and futexes: futex-table.ts
  ...MQUEUE_TABLE, // POSIX message queues: mqueue-table.ts
  ...NET_TABLE, // sockets: net-table.ts
  ...FILES_TABLE, // paths and regular files: files-table.ts
  ...FILES_NAMES_TABLE, // names, links and stat: files-names-table.ts
  ...LOCKS_TABLE, // file locks: locks-table.ts
  ...SIGNAL_TABLE, // signals: signal-table.ts
  ...TIME_TABLE, // clocks, sleeps, timers, advance: time-table.ts
  ...POLL_TABLE, // poll, ppoll: poll-table.ts
  ...SELECT_TABLE, // select, pselect6: poll-table.ts
  ...EPOLL_TABLE, // epoll_create1, epoll_ctl, epoll_wait, epoll_pwait: epoll-table.ts
];

/** Every generator entry: the tables above, then one drawn by argument kind for each call they
 * leave out (derived-table.ts). */
export const CALL_TABLE: readonly CallKind[] = [...WRITTEN, ...derivedEntries(WRITTEN)];
