// The trace generator's entries for SysV message queues and semaphores (spliced into
// CALL_TABLE, call-table.ts): msgget, msgsnd, msgrcv, msgctl, semget, semop, semtimedop,
// semctl.
//
// Ids are aimed like descriptors: a draw names "the n-th live queue (or set)" (n in 0..3) that
// the shadow remembers (shadow.ts: msqids, semids); in a fresh IPC namespace those are 0, 1,
// 2... (docs/trace-format.md). With none live the choice is skipped. Now and then the draw is a
// stale or never-used id instead (32768 is idx 0 with seq 1; 7; -1): EINVAL.
// Keys are IPC_PRIVATE or one of two fixed keys, so that msgget and semget meet existing
// objects (EEXIST, ENOENT, the same id again).
//
// Blocking is the point: msgrcv and semop block without IPC_NOWAIT, msgsnd blocks on a full
// queue (IPC_SET makes msg_qbytes small), and a blocked process is woken by another one's send,
// receive, semop, SETVAL/SETALL, exit (SEM_UNDO) or IPC_RMID (EIDRM).
//
// Weights (weights.ts): SysV takes about a sixth of the default budget, so pipe and FIFO
// traces keep most of it. `SYSV_HEAVY`, `MSG_HEAVY` and `SEM_HEAVY` are `weights` options that
// turn it up: `traceArb({ weights: MSG_HEAVY })`.
//
// Everything drawn means the same on Linux (a root process in fresh namespaces, as the host
// bridge runs it): semtimedop's timeouts are none, zero (EAGAIN at once instead of a sleep),
// whole quanta of virtual time (the host refuses other durations: time-table.ts) or invalid
// (EINVAL); msg_qbytes never above kernel.msgmnb, sizes within msgmax + 1.
//
// This file imports no values from call-table.ts (which imports it): what both use is in
// call-kind.ts.

import fc from "fast-check";
import { TIME } from "../wasm/abi.js";
import {
  flagsArb, kind, pick, type BuildContext, type CallKind, type StepFields,
} from "./call-kind.js";

/** `common` most of the time, `rare` now and then. */
function mostly<T>(common: fc.Arbitrary<T>, rare: fc.Arbitrary<T>, odds = 10): fc.Arbitrary<T> {
  return fc.oneof({ weight: odds, arbitrary: common }, { weight: 1, arbitrary: rare });
}

// ---- draws ----

/** Fixed keys besides IPC_PRIVATE: few, so that gets meet existing objects. */
const SYSV_KEYS = [0x1234, 0x5678];
/** Ids a fresh namespace has not handed out, or has taken back: idx 0 with seq 1, -1, ... */
const STALE_IDS = [32768, -1, 7, 65536];

export const keyArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant<number | "IPC_PRIVATE">("IPC_PRIVATE") },
  { weight: 2, arbitrary: pick<number | "IPC_PRIVATE">(SYSV_KEYS) },
);
const getFlagsArb = flagsArb([["IPC_CREAT", 75], ["IPC_EXCL", 20]]);
const modeArb = mostly(fc.constant("0600"), pick(["0644", "0400", "0000", "0666"]), 6);

/** An id: the caller's view of "the n-th live object" (n in 0..3), or a raw stale one. */
type IdDraw = { own: number } | { raw: number };
const idArb: fc.Arbitrary<IdDraw> = fc.oneof(
  { weight: 20, arbitrary: fc.nat({ max: 3 }).map((own) => ({ own })) },
  { weight: 1, arbitrary: pick(STALE_IDS).map((raw) => ({ raw })) },
);

/** The id a draw names among `live` ids; null (skip the choice) when none is live. */
export function pickId(live: Iterable<number>, draw: IdDraw): number | null {
  if ("raw" in draw) return draw.raw;
  const ids = [...live].sort((a, b) => a - b);
  return ids.length > 0 ? ids[draw.own % ids.length] : null;
}

/** mtype: 1..4, rarely 0 or negative (EINVAL). */
const mtypeArb = mostly(fc.integer({ min: 1, max: 4 }), pick([0, -1, -3]), 25);
/** Message sizes: empty, one byte, small, msgmax (8192), and now and then one past it
 * (EINVAL). */
const MSG_SIZES = [0, 1, 100, 8192, 8193];
const msgSizeArb = fc.oneof(
  { weight: 10, arbitrary: pick(MSG_SIZES.slice(0, 4)) },
  { weight: 1, arbitrary: fc.constant(MSG_SIZES[4]) },
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 200 }) },
);
/** msgrcv buffer sizes: 0, 5 (E2BIG for most), 100, msgmax; rarely -1 (EINVAL). */
const rcvSizeArb = mostly(pick([8192, 100, 5, 0]), fc.constant(-1), 20);
/** msg_qbytes for IPC_SET: mostly small enough that a few messages fill the queue (then a
 * receive makes room for a blocked sender); rarely 1 or 2 (zero-length messages count, larger
 * ones wait for ever) or large; never above kernel.msgmnb (16384). */
const QBYTES = [200, 100, 300, 1, 2, 8192, 16384];
const qbytesArb = mostly(pick(QBYTES.slice(0, 3)), pick(QBYTES.slice(3)), 4);
const msgctlCmdArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant("IPC_SET") },
  { weight: 2, arbitrary: fc.constant("IPC_STAT") },
  { weight: 1, arbitrary: fc.constant("IPC_RMID") },
);

/** A semaphore number: the n-th of the set's (n in 0..2, modulo its nsems when the shadow
 * knows it), rarely one past the largest set (EFBIG, EINVAL). */
type NumDraw = { own: number } | { raw: number };
const semNumArb: fc.Arbitrary<NumDraw> = mostly<NumDraw>(
  fc.nat({ max: 2 }).map((own) => ({ own })),
  fc.constant({ raw: 3 }),
  25,
);

function pickNum(draw: NumDraw, nsems: number | undefined): number {
  if ("raw" in draw) return draw.raw;
  return nsems ? draw.own % nsems : draw.own;
}

/** Values for SETVAL/SETALL: small, rarely SEMVMX (32767) and its neighbours or -1. */
const semValArb = mostly(fc.integer({ min: 0, max: 3 }), pick([32767, 32766, -1, 32768]), 10);
const semValsArb = fc.array(semValArb, { minLength: 1, maxLength: 3 });
/** nsems: 1..3, rarely 0 (EINVAL on a new set) or 4 (EINVAL on an existing smaller one). */
const nsemsArb = mostly(fc.integer({ min: 1, max: 3 }), pick([0, 4]), 12);
type SopDraw = { num: NumDraw; op: number; flags: string[] };
const sopArb: fc.Arbitrary<SopDraw> = fc.record({
  num: semNumArb,
  op: fc.integer({ min: -2, max: 2 }),
  flags: flagsArb([["IPC_NOWAIT", 20], ["SEM_UNDO", 35]]),
});

/** semtimedop's timeouts: none (it waits as semop does), zero (EAGAIN instead of a sleep), 1
 * to 3 quanta (EAGAIN once advances pass it), rarely an invalid one (EINVAL). */
const timeoutArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: fc.constant({ sec: 0, nsec: 0 }) },
  {
    weight: 3,
    arbitrary: fc.integer({ min: 1, max: 3 }).map((k) => ({ sec: 0, nsec: k * TIME.QUANTUM_NS })),
  },
  { weight: 1, arbitrary: pick([{ sec: 0, nsec: 1e9 }, { sec: -1, nsec: 0 }]) },
);

/** The fields of a semop (or semtimedop) on the drawn set, its sem_nums within the set. */
function semopFields(
  call: "semop" | "semtimedop", id: IdDraw, sops: SopDraw[], ctx: BuildContext,
): StepFields | null {
  const semid = pickId(ctx.shadow.semids.keys(), id);
  if (semid === null) return null;
  const nsems = ctx.shadow.semids.get(semid);
  const all = sops.map((s) => ({ ...s, num: pickNum(s.num, nsems) }));
  return { call, semid, sops: all };
}

const SEMCTL_CMDS = [
  "GETVAL", "SETVAL", "GETALL", "SETALL", "IPC_STAT", "GETNCNT", "GETZCNT", "GETPID", "IPC_RMID",
] as const;

// ---- message data ----

/** `size` printable bytes naming the step that sent them ("12.12.12..."): distinct messages
 * differ within their first bytes, and a trace shows who sent what. */
export function msgText(tag: number, size: number): string {
  const unit = `${tag}.`;
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

// ---- the entries ----

export const SYSV_TABLE: readonly CallKind[] = [
  kind("msgget", fc.tuple(keyArb, getFlagsArb, modeArb), ([key, flags, mode]) => ({
    call: "msgget", key, flags, mode,
  })),
  kind(
    "msgsnd",
    fc.tuple(idArb, mtypeArb, msgSizeArb, flagsArb([["IPC_NOWAIT", 25]])),
    ([id, mtype, size, flags], ctx) => {
      const msqid = pickId(ctx.shadow.msqids, id);
      if (msqid === null) return null;
      return { call: "msgsnd", msqid, mtype, data: msgText(ctx.index, size), flags };
    },
  ),
  kind(
    "msgrcv",
    fc.tuple(
      idArb,
      rcvSizeArb,
      fc.integer({ min: -3, max: 3 }),
      flagsArb([["IPC_NOWAIT", 25], ["MSG_NOERROR", 20], ["MSG_EXCEPT", 15], ["MSG_COPY", 3]]),
    ),
    ([id, size, msgtyp, flags], ctx) => {
      const msqid = pickId(ctx.shadow.msqids, id);
      return msqid === null ? null : { call: "msgrcv", msqid, size, msgtyp, flags };
    },
  ),
  kind(
    "msgctl",
    fc.tuple(idArb, msgctlCmdArb, qbytesArb),
    ([id, cmd, qbytes], ctx) => {
      const msqid = pickId(ctx.shadow.msqids, id);
      if (msqid === null) return null;
      if (cmd !== "IPC_SET") return { call: "msgctl", msqid, cmd };
      return { call: "msgctl", msqid, cmd, buf: { msg_qbytes: qbytes } };
    },
  ),
  kind(
    "semget",
    fc.tuple(keyArb, nsemsArb, getFlagsArb, modeArb),
    ([key, nsems, flags, mode]) => ({ call: "semget", key, nsems, flags, mode }),
  ),
  kind(
    "semop",
    fc.tuple(idArb, fc.array(sopArb, { minLength: 1, maxLength: 3 })),
    ([id, sops], ctx) => semopFields("semop", id, sops, ctx),
  ),
  kind(
    "semtimedop",
    fc.tuple(idArb, fc.array(sopArb, { minLength: 1, maxLength: 3 }), timeoutArb),
    ([id, sops, timeout], ctx) => {
      const fields = semopFields("semtimedop", id, sops, ctx);
      return fields && { ...fields, timeout };
    },
  ),
  kind(
    "semctl",
    fc.tuple(idArb, semNumArb, pick(SEMCTL_CMDS), semValArb, semValsArb),
    ([id, semnum, cmd, val, vals], ctx) => {
      const semid = pickId(ctx.shadow.semids.keys(), id);
      if (semid === null) return null;
      const nsems = ctx.shadow.semids.get(semid);
      const fields: StepFields = { call: "semctl", semid, semnum: pickNum(semnum, nsems), cmd };
      if (cmd === "SETVAL") fields.arg = val;
      if (cmd === "SETALL") fields.arg = vals;
      return fields;
    },
  ),
];
