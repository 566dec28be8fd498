// The trace generator's entries for epoll (spliced into CALL_TABLE, call-table.ts):
// epoll_create1, epoll_ctl, epoll_wait, epoll_pwait.
//
// epoll_ctl mostly adds one of the caller's descriptors (any kind: the ones without ->poll give
// EPERM, an epoll into itself EINVAL, into another a nested epoll or ELOOP) to one of its
// epolls, with the common events and now and then EPOLLET, EPOLLONESHOT or EPOLLEXCLUSIVE; MOD
// and DEL come next, a bad op or a NULL event now and then. Waits are mostly 0 (a pass) or -1
// (a sleep that a write, read or close of another process ends, or a signal: EINTR), now and
// then one or two quanta; maxevents is small (1 keeps the rest of the ready list), now and
// then 0 (EINVAL). epoll_pwait's mask is ppoll's.

import fc from "fast-check";
import { kind, pick, type BuildContext, type CallKind } from "./call-kind.js";

const EVENTS = [
  ["EPOLLIN"], ["EPOLLOUT"], ["EPOLLIN", "EPOLLOUT"], ["EPOLLIN", "EPOLLET"],
  ["EPOLLIN", "EPOLLONESHOT"], ["EPOLLIN", "EPOLLRDHUP"], ["EPOLLOUT", "EPOLLET"],
  ["EPOLLIN", "EPOLLEXCLUSIVE"], [],
];
const OPS = ["EPOLL_CTL_ADD", "EPOLL_CTL_ADD", "EPOLL_CTL_ADD", "EPOLL_CTL_MOD", "EPOLL_CTL_DEL",
  "EPOLL_CTL_MOD", 0];
const MS = [0, 0, 0, -1, -1, 100, 200];
const MAXEVENTS = [8, 8, 1, 2, 0];
const MASKS = [null, null, [], ["SIGUSR1"], ["SIGUSR2"], ["SIGUSR1", "SIGUSR2"]];

/** The caller's epoll descriptors, in fd order. */
function epollsOf(ctx: BuildContext): number[] {
  return ctx.shadow.fdsOf(ctx.pid).filter(([, d]) => d.kind === "epoll").map(([fd]) => fd);
}

/** The n-th epoll of the caller, or (n past them, or none) any n-th descriptor, or 1000. */
function epfdOf(ctx: BuildContext, n: number): number {
  const mine = epollsOf(ctx);
  if (mine.length && n < 6) return mine[n % mine.length];
  const all = ctx.shadow.fdsOf(ctx.pid);
  return n === 7 || all.length === 0 ? 1000 : all[n % all.length][0];
}

function fdOf(ctx: BuildContext, n: number): number {
  const all = ctx.shadow.fdsOf(ctx.pid);
  return n === 63 || all.length === 0 ? 1000 : all[n % all.length][0];
}

const ctlArb = fc.record({
  ep: fc.nat({ max: 7 }), op: pick(OPS), fd: fc.nat({ max: 63 }), events: pick(EVENTS),
  data: fc.nat({ max: 99 }), none: fc.nat({ max: 15 }),
});

export const EPOLL_TABLE: readonly CallKind[] = [
  kind("epoll_create1", pick([[], [], ["EPOLL_CLOEXEC"], 1]), (flags) =>
    ({ call: "epoll_create1", flags })),
  kind("epoll_ctl", ctlArb, ({ ep, op, fd, events, data, none }, ctx) => {
    const event = none === 0 || op === "EPOLL_CTL_DEL" ? null : { events, data };
    return { call: "epoll_ctl", epfd: epfdOf(ctx, ep), op, fd: fdOf(ctx, fd), event };
  }),
  kind("epoll_wait", fc.tuple(fc.nat({ max: 7 }), pick(MAXEVENTS), pick(MS)),
    ([ep, maxevents, timeout], ctx) =>
      ({ call: "epoll_wait", epfd: epfdOf(ctx, ep), maxevents, timeout })),
  kind("epoll_pwait", fc.tuple(fc.nat({ max: 7 }), pick(MAXEVENTS), pick(MS), pick(MASKS)),
    ([ep, maxevents, timeout, sigmask], ctx) =>
      ({ call: "epoll_pwait", epfd: epfdOf(ctx, ep), maxevents, timeout, sigmask })),
];
