// The trace generator's entries for atomics and futexes (spliced into CALL_TABLE,
// call-table.ts): cas, xchg, fetch_add, futex.
//
// Words are aimed at a few aligned offsets of the caller's mappings (mem-shadow.ts), so that
// several processes name the same word through a shared mapping (one futex) and a private
// one (one futex per process after fork). Values are small (0..2), so a wait's `val` often
// matches and the process sleeps, and a cas often swaps. A few draws are meant to fail as
// Linux decides: an unaligned word (EINVAL), NULL (EFAULT for a shared key, nothing for a
// private one), a bitset of 0, a negative requeue count, an unknown command or WAKE_OP
// operation (ENOSYS), FUTEX_CLOCK_REALTIME on FUTEX_WAIT (ENOSYS), an invalid timeout
// (EINVAL). Timeouts are 0 (expired at once: ETIMEDOUT after the value matched) or none: a
// timeout of a quantum or more would pace the trace on the host (docs/host-bridge.md "Time").

import fc from "fast-check";
import { kind, pick, type BuildContext, type CallKind } from "./call-kind.js";
import type { Mapping } from "./mem-shadow.js";

/** Word offsets in a mapping: two words of one line, another line, the page's last word. */
const OFFSETS = [0, 4, 64, 4092];
const VALUES = [0, 1, 2, 0xffffffff];

const wordArb = fc.record({
  map: fc.nat({ max: 3 }), off: pick(OFFSETS), odd: fc.nat({ max: 40 }),
});

/** The caller's n-th mapping's word, as an address field; null when it has none. A futex's
 * word is now and then NULL or unaligned (`odd` 0 or 1); an atomic's never (`aligned`: the
 * engine refuses an unaligned one, and NULL is no mapping of the trace's). */
function word(
  ctx: BuildContext, w: { map: number; off: number; odd: number }, aligned = false,
): unknown {
  if (w.odd === 0 && !aligned) return 0; // NULL
  const maps: Mapping[] = ctx.shadow.mem.mapsOf(ctx.pid);
  if (maps.length === 0) return null;
  const m = maps[w.map % maps.length];
  return { ref: m.step, offset: w.off + (w.odd === 1 && !aligned ? 2 : 0) };
}

/** A FUTEX_OP(op, oparg, cmp, cmparg) encoding: mostly valid, sometimes an unknown op (5) or
 * comparison (6), or the shift flag. */
const wakeOpArb = fc.tuple(
  fc.oneof({ weight: 9, arbitrary: fc.nat({ max: 4 }) }, { weight: 1, arbitrary: fc.constant(5) }),
  fc.nat({ max: 2 }),
  fc.oneof({ weight: 9, arbitrary: fc.nat({ max: 5 }) }, { weight: 1, arbitrary: fc.constant(6) }),
  fc.nat({ max: 2 }),
  fc.nat({ max: 9 }),
).map(([op, oparg, cmp, cmparg, shift]) =>
  ((((shift === 0 ? 8 : 0) | op) << 28) | (cmp << 24) | (oparg << 12) | cmparg) >>> 0);

const TIMEOUTS = [null, null, null, null, { sec: 0, nsec: 0 }, { sec: 0, nsec: 1_000_000_000 }];

type Cmd = "WAIT" | "WAKE" | "WAIT_BITSET" | "WAKE_BITSET" | "REQUEUE" | "CMP_REQUEUE" |
  "WAKE_OP" | "BAD";
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Cmd>("WAIT") },
  { weight: 8, arbitrary: fc.constant<Cmd>("WAKE") },
  { weight: 2, arbitrary: fc.constant<Cmd>("WAIT_BITSET") },
  { weight: 2, arbitrary: fc.constant<Cmd>("WAKE_BITSET") },
  { weight: 2, arbitrary: fc.constant<Cmd>("REQUEUE") },
  { weight: 2, arbitrary: fc.constant<Cmd>("CMP_REQUEUE") },
  { weight: 2, arbitrary: fc.constant<Cmd>("WAKE_OP") },
  { weight: 1, arbitrary: fc.constant<Cmd>("BAD") },
);

const futexArb = fc.record({
  cmd: cmdArb, priv: fc.nat({ max: 3 }), w: wordArb, w2: wordArb, val: pick(VALUES),
  nr: pick([1, 2, 0x7fffffff, 0]), nr2: pick([0, 1, 2, 0xffffffff]),
  bitset: pick([1, 2, 3, 0xffffffff, 0]), timeout: pick(TIMEOUTS), wakeOp: wakeOpArb,
  rt: fc.nat({ max: 12 }),
});

type FutexDraw = typeof futexArb extends fc.Arbitrary<infer T> ? T : never;

function futexStep(d: FutexDraw, ctx: BuildContext): Record<string, unknown> | null {
  const addr = word(ctx, d.w);
  if (addr === null) return null;
  const priv = d.priv === 0 ? "_PRIVATE" : "";
  const base = { call: "futex", addr };
  switch (d.cmd) {
    case "WAIT":
      // op 256 | 0: FUTEX_CLOCK_REALTIME on FUTEX_WAIT, ENOSYS (after the timeout's checks)
      return {
        ...base, op: d.rt === 0 ? 256 : `FUTEX_WAIT${priv}`, val: d.val, timeout: d.timeout,
      };
    case "WAIT_BITSET": {
      const op = d.rt === 0 ? 256 + 9 : `FUTEX_WAIT_BITSET${priv}`;
      return { ...base, op, val: d.val, timeout: d.timeout, val3: d.bitset };
    }
    case "WAKE": return { ...base, op: `FUTEX_WAKE${priv}`, val: d.nr };
    case "WAKE_BITSET":
      return { ...base, op: `FUTEX_WAKE_BITSET${priv}`, val: d.nr, val3: d.bitset };
    case "BAD": return { ...base, op: pick2(d.rt), val: d.nr };
  }
  const addr2 = word(ctx, d.w2);
  if (addr2 === null) return null;
  if (d.cmd === "WAKE_OP") {
    return { ...base, op: `FUTEX_WAKE_OP${priv}`, val: d.nr, val2: d.nr2, addr2, val3: d.wakeOp };
  }
  const cmp = d.cmd === "CMP_REQUEUE";
  return {
    ...base, op: `FUTEX_${d.cmd}${priv}`, val: d.nr === 0x7fffffff ? 1 : d.nr, val2: d.nr2,
    addr2, ...(cmp ? { val3: d.val } : {}),
  };
}

/** An unknown command (2, FUTEX_FD, removed; 14 and up) or a private one. */
function pick2(n: number): number {
  return [2, 14, 15, 130][n % 4];
}

export const FUTEX_TABLE: readonly CallKind[] = [
  kind("cas", fc.tuple(wordArb, pick(VALUES), pick(VALUES)), ([w, old, next], ctx) => {
    const addr = word(ctx, w, true);
    return addr === null ? null : { call: "cas", addr, old, new: next };
  }),
  kind("xchg", fc.tuple(wordArb, pick(VALUES)), ([w, next], ctx) => {
    const addr = word(ctx, w, true);
    return addr === null ? null : { call: "xchg", addr, new: next };
  }),
  kind("fetch_add", fc.tuple(wordArb, pick([1, 0xffffffff, 2])), ([w, add], ctx) => {
    const addr = word(ctx, w, true);
    return addr === null ? null : { call: "fetch_add", addr, add };
  }),
  kind("futex", futexArb, (d, ctx) => futexStep(d, ctx) as ReturnType<CallKind["build"]>),
];
