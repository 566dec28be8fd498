// The call table's rows for vectored I/O (readv, writev): spread into CALL_TABLE (wasm/calls.ts)
// after `write`. Like calls.ts, this file imports nothing at run time; a row's fields are
// described in wasm/call-spec.ts.

import type { CallSpec } from "./call-spec.js";

const I = "i32";
const U = "u32";

export const IOV_ROWS = {
  readv: {
    nr: 19, mechanism: "pipe", outputs: ["data"], blocks: "restart", wakesOthers: true,
    args: [{ name: "fd", kind: "fd" }, { name: "counts", kind: "counts" }],
    kernel: { file: "iov", fn: "sysReadv", regs: [I, U, I] },
    host: { sleepsIn: ["SYS_readv"] },
    doc: "`counts` are the segments' sizes; the result's `data` is what was read, the " +
      "segments filled in order",
  },
  writev: {
    nr: 20, mechanism: "pipe", outputs: [], blocks: "restart", wakesOthers: true,
    args: [{ name: "fd", kind: "fd" }, { name: "iov", kind: "iov" }],
    kernel: { file: "iov", fn: "sysWritev", regs: [I, U, I] },
    host: { sleepsIn: ["SYS_writev"] },
    doc: "`iov` is the segments, each a byte string as `data` is written; one write of them all " +
      "(a pipe takes up to PIPE_BUF bytes at once)",
  },
} as const satisfies Record<string, CallSpec>;
