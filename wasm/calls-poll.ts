// The call table's rows for readiness (issue 17: poll, ppoll, select, pselect6, epoll): spread into
// CALL_TABLE (wasm/calls.ts) after the signal rows. Like calls.ts, this file imports nothing at
// run time; a row's fields are described in wasm/call-spec.ts.

import type { CallSpec } from "./call-spec.js";

// Both sleep as "restart" sleepers do: a signal wakes them to poll again (do_poll's loop:
// a descriptor found ready wins over the signal), and only a pass that finds nothing returns
// their own restart code (kernel/poll.ts doSysPoll: -ERESTARTNOHAND; poll's restart block,
// kernel/sys_poll.ts), never the -ERESTARTSYS of the class's other calls.

const I = "i32";
const U = "u32";

export const POLL_ROWS = {
  poll: {
    nr: 7, mechanism: "poll", outputs: ["revents"], blocks: "restart",
    args: [
      { name: "fds", kind: "pollfds" }, { name: "nfds", kind: "nfds" },
      { name: "timeout", kind: "int" },
    ],
    kernel: { file: "poll", fn: "sysPoll", regs: [U, U, I] },
    host: { sleepsIn: ["SYS_poll", "SYS_restart_syscall"] },
    doc: "`fds` `[{\"fd\": 3, \"events\": [\"POLLIN\"]}]` (null: NULL), `nfds` its length " +
      "unless written, `timeout` in ms (-1: none; a whole number of the host's quanta); the " +
      "result has `revents`, a list of names per entry; a handler gives EINTR, a stop goes on " +
      "to the same deadline",
  },
  ppoll: {
    nr: 271, mechanism: "poll", outputs: ["revents"], blocks: "restart",
    args: [
      { name: "fds", kind: "pollfds" }, { name: "nfds", kind: "nfds" },
      { name: "timeout", kind: "timeout", default: null },
      { name: "sigmask", kind: "sigmask", default: null },
    ],
    kernel: { file: "poll", fn: "sysPpoll", regs: [U, U, U, U, U] },
    host: { sleepsIn: ["SYS_ppoll"] },
    doc: "`timeout` a timespec (null: none), written back with the time left; `sigmask` the " +
      "mask while it waits (null: unchanged), restored after a handler's run when a signal " +
      "ends it (EINTR)",
  },
  select: {
    nr: 23, mechanism: "poll", outputs: ["readfds", "writefds", "exceptfds", "tv"],
    blocks: "restart",
    args: [
      { name: "nfds", kind: "int" }, { name: "readfds", kind: "fdset", default: null },
      { name: "writefds", kind: "fdset", default: null },
      { name: "exceptfds", kind: "fdset", default: null },
      { name: "timeout", kind: "timeval", default: null },
    ],
    kernel: { file: "select", fn: "sysSelect", regs: [I, U, U, U, U] },
    host: { sleepsIn: ["SYS_select"] },
    doc: "the sets are arrays of descriptors below 1024 (null: NULL), `nfds` at most 1024; " +
      "the result has each set given as written back, and `tv`, the time left of a non-zero " +
      "`timeout` ({sec, usec}; null: none)",
  },
  pselect6: {
    nr: 270, mechanism: "poll", outputs: ["readfds", "writefds", "exceptfds"],
    blocks: "restart",
    args: [
      { name: "nfds", kind: "int" }, { name: "readfds", kind: "fdset", default: null },
      { name: "writefds", kind: "fdset", default: null },
      { name: "exceptfds", kind: "fdset", default: null },
      { name: "timeout", kind: "timeout", default: null },
      { name: "sigmask", kind: "sigmask", default: null },
    ],
    kernel: { file: "select", fn: "sysPselect6", regs: [I, U, U, U, U, U] },
    host: { sleepsIn: ["SYS_pselect6"] },
    doc: "glibc's pselect: `timeout` a timespec, `sigmask` as ppoll's (passed as Linux's " +
      "{sigset pointer, size} pair); the timespec written back is not an output",
  },
  epoll_create1: {
    nr: 291, mechanism: "poll", outputs: [],
    args: [{ name: "flags", kind: "flags", names: "epoll" }],
    kernel: { file: "epoll", fn: "sysEpollCreate1", regs: [I] }, host: {},
    doc: "`flags` `EPOLL_CLOEXEC` (any other bit: EINVAL)",
  },
  epoll_ctl: {
    nr: 233, mechanism: "poll", outputs: [], wakesOthers: true,
    args: [
      { name: "epfd", kind: "fd" }, { name: "op", kind: "command", names: "epollctl" },
      { name: "fd", kind: "fd" }, { name: "event", kind: "epollevent", default: null },
    ],
    kernel: { file: "epoll", fn: "sysEpollCtl", regs: [I, I, I, U] }, host: {},
    doc: "`event` a struct epoll_event `{\"events\": [\"EPOLLIN\", \"EPOLLET\"], " +
      "\"data\": 7}` (`data` the 64-bit user data, 0..2^53-1; null: NULL, which only " +
      "`EPOLL_CTL_DEL` may pass)",
  },
  epoll_wait: {
    nr: 232, mechanism: "poll", outputs: ["events"], blocks: "restart",
    args: [
      { name: "epfd", kind: "fd" }, { name: "maxevents", kind: "int" },
      { name: "timeout", kind: "int" },
    ],
    kernel: { file: "epoll", fn: "sysEpollWait", regs: [I, U, I, I] },
    host: { sleepsIn: ["SYS_epoll_wait"] },
    doc: "`timeout` in ms as poll's; the result has `events`, `[{\"events\": [\"EPOLLIN\"], " +
      "\"data\": 7}]` in ready-list order; a signal gives EINTR, even after a stop or with " +
      "SA_RESTART",
  },
  epoll_pwait: {
    nr: 281, mechanism: "poll", outputs: ["events"], blocks: "restart",
    args: [
      { name: "epfd", kind: "fd" }, { name: "maxevents", kind: "int" },
      { name: "timeout", kind: "int" }, { name: "sigmask", kind: "sigmask", default: null },
    ],
    kernel: { file: "epoll", fn: "sysEpollPwait", regs: [I, U, I, I, U, U] },
    host: { sleepsIn: ["SYS_epoll_pwait"] },
    doc: "`sigmask` as ppoll's: the mask while it waits, restored after the handler's run " +
      "when a signal ends it (EINTR)",
  },
} as const satisfies Record<string, CallSpec>;
