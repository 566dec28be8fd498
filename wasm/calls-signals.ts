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
} as const satisfies Record<string, CallSpec>;
