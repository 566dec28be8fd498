// The trace generator's entries for readiness (spliced into CALL_TABLE, call-table.ts): poll,
// ppoll, select and pselect6.
//
// A poll watches one to three of the caller's descriptors (any kind: pipe and FIFO ends, files,
// queues, signalfds, /dev/null), now and then a negative fd (skipped) or a closed number
// (POLLNVAL), with events drawn from the common ones. Timeouts are mostly 0 (a pass) or -1 (a
// sleep that a write, read or close of another process ends, or a signal), now and then one or
// two quanta (a sleep that advance ends; it paces the trace on the host). ppoll's mask is null,
// empty, or SIGUSR1/SIGUSR2, which the signal entries may catch, block or leave fatal.

import fc from "fast-check";
import { kind, pick, type BuildContext, type CallKind } from "./call-kind.js";

const EVENTS = [
  ["POLLIN"], ["POLLOUT"], ["POLLIN", "POLLOUT"], ["POLLIN", "POLLRDNORM"],
  ["POLLOUT", "POLLWRNORM"], [], ["POLLPRI"],
];

/** A draw of one pollfd: the caller's n-th descriptor, or -1, or a number probably closed. */
const entryArb = fc.record({
  n: fc.oneof(
    { weight: 10, arbitrary: fc.nat({ max: 63 }) },
    { weight: 1, arbitrary: fc.constant(-1) },
    { weight: 1, arbitrary: fc.constant(-2) },
  ),
  events: pick(EVENTS),
});
type EntryDraw = { n: number; events: string[] };

function pollfds(ctx: BuildContext, draws: readonly EntryDraw[]) {
  const all = ctx.shadow.fdsOf(ctx.pid);
  return draws.map(({ n, events }) => {
    if (n === -1) return { fd: -1, events };
    if (n === -2 || all.length === 0) return { fd: 1000, events };
    return { fd: all[n % all.length][0], events };
  });
}

const entriesArb = fc.array(entryArb, { minLength: 1, maxLength: 3 });
const MS = [0, 0, 0, -1, -1, 100, 200];
const TIMESPECS = [null, { sec: 0, nsec: 0 }, { sec: 0, nsec: 0 }, { sec: 0, nsec: 100_000_000 }];
const MASKS = [null, null, [], ["SIGUSR1"], ["SIGUSR2"], ["SIGUSR1", "SIGUSR2"]];

export const POLL_TABLE: readonly CallKind[] = [
  kind("poll", fc.tuple(entriesArb, pick(MS)), ([draws, timeout], ctx) =>
    ({ call: "poll", fds: pollfds(ctx, draws), timeout })),
  kind("ppoll", fc.tuple(entriesArb, pick(TIMESPECS), pick(MASKS)),
    ([draws, timeout, sigmask], ctx) =>
      ({ call: "ppoll", fds: pollfds(ctx, draws), timeout, sigmask })),
];

/** select's sets: the caller's n-th descriptors (or a closed one now and then: EBADF), or
 * null; nfds one past the highest, now and then 1024 or 0. */
const setArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.array(fc.nat({ max: 63 }), { minLength: 1, maxLength: 2 }) },
);
const TIMEVALS = [null, { sec: 0, usec: 0 }, { sec: 0, usec: 0 }, { sec: 0, usec: 100_000 }];

function fdsOf(ctx: BuildContext, draws: readonly number[] | null): number[] | null {
  if (draws === null) return null;
  const all = ctx.shadow.fdsOf(ctx.pid).map(([fd]) => fd).filter((fd) => fd < 1024);
  const fds = draws.map((n) => (n === 63 || all.length === 0 ? 1000 : all[n % all.length]));
  return [...new Set(fds)].sort((a, b) => a - b);
}

function selectArgs(ctx: BuildContext, draws: (number[] | null)[], wide: boolean) {
  const [readfds, writefds, exceptfds] = draws.map((d) => fdsOf(ctx, d));
  const top = Math.max(-1, ...[readfds, writefds, exceptfds].flatMap((s) => s ?? []));
  return { nfds: wide ? 1024 : top + 1, readfds, writefds, exceptfds };
}

const setsArb = fc.tuple(setArb, setArb, setArb);

export const SELECT_TABLE: readonly CallKind[] = [
  kind("select", fc.tuple(setsArb, fc.boolean(), pick(TIMEVALS)), ([sets, wide, timeout], ctx) =>
    ({ call: "select", ...selectArgs(ctx, sets, wide), timeout })),
  kind("pselect6", fc.tuple(setsArb, fc.boolean(), pick(TIMESPECS), pick(MASKS)),
    ([sets, wide, timeout, sigmask], ctx) =>
      ({ call: "pselect6", ...selectArgs(ctx, sets, wide), timeout, sigmask })),
];
