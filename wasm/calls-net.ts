// The call table's rows for sockets (issue 17: AF_UNIX): spread into CALL_TABLE (wasm/calls.ts)
// after the POSIX message queues. Like calls.ts, this file imports nothing at run time; a row's
// fields are described in wasm/call-spec.ts.

import type { CallSpec } from "./call-spec.js";

const I = "i32";
const U = "u32";

export const NET_ROWS = {
  socketpair: {
    nr: 53, mechanism: "socket", outputs: ["fds"],
    args: [
      { name: "domain", kind: "command", names: "family" },
      { name: "type", kind: "flags", names: "socktype" },
      { name: "protocol", kind: "int", default: 0 },
    ],
    kernel: { file: "net", fn: "sysSocketpair", regs: [I, I, I, U] }, host: {},
    doc: "`type` is one `SOCK_` type with `SOCK_NONBLOCK` and `SOCK_CLOEXEC`; the result has " +
      "`fds`, two connected sockets",
  },
  sendto: {
    nr: 44, mechanism: "socket", outputs: [], blocks: "restart", wakesOthers: true,
    args: [
      { name: "fd", kind: "fd" }, { name: "data", kind: "bytes" },
      { name: "flags", kind: "flags", names: "msg" },
    ],
    kernel: { file: "net", fn: "sysSendto", regs: [I, U, U, I] },
    host: { sleepsIn: ["SYS_sendto"] },
    doc: "send(2): sendto with a null address; `flags` `MSG_DONTWAIT`, `MSG_NOSIGNAL`, ...",
  },
  recvfrom: {
    nr: 45, mechanism: "socket", outputs: ["data"], blocks: "restart", wakesOthers: true,
    args: [
      { name: "fd", kind: "fd" }, { name: "count", kind: "count" },
      { name: "flags", kind: "flags", names: "msg" },
    ],
    kernel: { file: "net", fn: "sysRecvfrom", regs: [I, U, U, I] },
    host: { sleepsIn: ["SYS_recvfrom"] },
    doc: "recv(2): recvfrom with a null address; the result has `data` (at most `count` " +
      "bytes; with `MSG_TRUNC` a datagram's `ret` is its whole length)",
  },
  setsockopt: {
    nr: 54, mechanism: "socket", outputs: [], wakesOthers: true,
    args: [
      { name: "fd", kind: "fd" }, { name: "level", kind: "command", names: "sol" },
      { name: "optname", kind: "command", names: "so" }, { name: "value", kind: "int" },
      { name: "optlen", kind: "int", default: 4 },
    ],
    kernel: { file: "net", fn: "sysSetsockopt", regs: [I, I, I, U, I] }, host: {},
    doc: "an int option: `value` is the int at optval, `optlen` its length (a shorter one is " +
      "EINVAL)",
  },
  getsockopt: {
    nr: 55, mechanism: "socket", outputs: ["optval", "optlen"],
    args: [
      { name: "fd", kind: "fd" }, { name: "level", kind: "command", names: "sol" },
      { name: "optname", kind: "command", names: "so" },
      { name: "optlen", kind: "int", default: 4 },
    ],
    kernel: { file: "net", fn: "sysGetsockopt", regs: [I, I, I, U, U] }, host: {},
    doc: "an int option: `optlen` is the buffer's length; the result has `optval` (the bytes " +
      "written, as a little-endian int) and `optlen` (as many as were written)",
  },
  shutdown: {
    nr: 48, mechanism: "socket", outputs: [], wakesOthers: true,
    args: [{ name: "fd", kind: "fd" }, { name: "how", kind: "command", names: "shut" }],
    kernel: { file: "net", fn: "sysShutdown", regs: [I, I] }, host: {},
    doc: "`how` is `SHUT_RD`, `SHUT_WR` or `SHUT_RDWR`",
  },
  socket: {
    nr: 41, mechanism: "socket", outputs: [],
    args: [
      { name: "domain", kind: "command", names: "family" },
      { name: "type", kind: "flags", names: "socktype" },
      { name: "protocol", kind: "int", default: 0 },
    ],
    kernel: { file: "net", fn: "sysSocket", regs: [I, I, I] }, host: {},
    doc: "`type` as socketpair's; the result is the new descriptor",
  },
  bind: {
    nr: 49, mechanism: "socket", outputs: [],
    args: [{ name: "fd", kind: "fd" }, { name: "addr", kind: "sockaddr" }],
    kernel: { file: "net", fn: "sysBind", regs: [I, U, I] }, host: {},
    doc: "`addr` is `{\"path\": \"s0\"}` (a file in the tree), `{\"abstract\": \"name\"}` " +
      "(a leading NUL) or `{\"unnamed\": true}` (the family alone: autobind)",
  },
  listen: {
    nr: 50, mechanism: "socket", outputs: [], wakesOthers: true,
    args: [{ name: "fd", kind: "fd" }, { name: "backlog", kind: "int" }],
    kernel: { file: "net", fn: "sysListen", regs: [I, I] }, host: {},
    doc: "`backlog` is clamped to net.core.somaxconn (4096); one more than it may queue",
  },
  connect: {
    nr: 42, mechanism: "socket", outputs: [], blocks: "restart", wakesOthers: true,
    args: [{ name: "fd", kind: "fd" }, { name: "addr", kind: "sockaddr" }],
    kernel: { file: "net", fn: "sysConnect", regs: [I, U, I] },
    host: { sleepsIn: ["SYS_connect"] },
    doc: "`addr` as bind's (`{\"unspec\": true}`: AF_UNSPEC, a datagram socket's disconnect); " +
      "a stream connect waits while the listener's queue is full",
  },
  accept4: {
    nr: 288, mechanism: "socket", outputs: ["addr"], blocks: "restart", wakesOthers: true,
    args: [
      { name: "fd", kind: "fd" }, { name: "flags", kind: "flags", names: "socktype" },
    ],
    kernel: { file: "net", fn: "sysAccept4", regs: [I, U, U, I] },
    host: { sleepsIn: ["SYS_accept4"] },
    doc: "with a sockaddr_un buffer: the result has `addr`, the peer's name; `flags` " +
      "`SOCK_NONBLOCK`, `SOCK_CLOEXEC`",
  },
  getsockname: {
    nr: 51, mechanism: "socket", outputs: ["addr"],
    args: [{ name: "fd", kind: "fd" }],
    kernel: { file: "net", fn: "sysGetsockname", regs: [I, U, U] }, host: {},
    doc: "the result has `addr` (`{\"unnamed\": true}` for a socket without a name)",
  },
  getpeername: {
    nr: 52, mechanism: "socket", outputs: ["addr"],
    args: [{ name: "fd", kind: "fd" }],
    kernel: { file: "net", fn: "sysGetpeername", regs: [I, U, U] }, host: {},
    doc: "the result has `addr`, the peer's name",
  },
} as const satisfies Record<string, CallSpec>;
