// The call table's rows for signal handlers that make calls (issue 15): spread into CALL_TABLE
// (wasm/calls.ts) after `sigsuspend`. Like calls.ts, this file imports nothing at run time; a
// row's fields are described in wasm/call-spec.ts.

import type { CallSpec } from "./call-spec.js";

export const SIGNAL_ROWS = {
  sigreturn: {
    ext: true, nr: 15, mechanism: "signal", outputs: [], args: [], signalsOthers: true,
    wakesOthers: true,
    kernel: { file: "signal", fn: "sysSigreturn", regs: [] },
    host: { sysno: "SYS_rt_sigreturn" },
    doc: "the handler the caller is running (a `calls` handler: see \"Signals\") returns: " +
      "rt_sigreturn restores the mask its frame saved, then the interrupted call finishes " +
      "(a `wake` event), restarts, or the next frame's handler runs; `{\"ret\": 0}`",
  },
  sigtimedwait: {
    ext: true, nr: 128, mechanism: "signal", outputs: ["info"], blocks: "eintr",
    args: [{ name: "set", kind: "sigset" }, { name: "timeout", kind: "timeout", default: null }],
    kernel: { file: "signal", fn: "sysSigtimedwait", regs: ["i32", "i32", "u32", "u32"] },
    host: { sysno: "SYS_rt_sigtimedwait", sleepsIn: ["SYS_rt_sigtimedwait"] },
    doc: "rt_sigtimedwait: takes a pending signal of `set` (without its handler running); " +
      "`timeout` null is sigwaitinfo (wait forever), `{\"sec\": 0, \"nsec\": 0}` polls " +
      "(EAGAIN); meanwhile the set is unblocked; another signal's handler, or a stop, gives " +
      "EINTR. `ret` is the signal; `info` is its siginfo: `{\"signo\", \"code\", \"pid\", " +
      "\"uid\", \"status\", \"value\"}` (see \"Signals\")",
  },
} as const satisfies Record<string, CallSpec>;
