// The call table's rows for signal handlers that make calls (issue 15): spread into CALL_TABLE
// (wasm/calls.ts) after `sigsuspend`. Like calls.ts, this file imports nothing at run time; a
// row's fields are described in wasm/call-spec.ts.

import type { CallSpec } from "./call-spec.js";

export const SIGNAL_ROWS = {
  raise: {
    ext: true, nr: 1007, mechanism: "signal", outputs: [],
    args: [{ name: "sig", kind: "signal", zero: true, any: true }],
    kernel: { file: "signal", fn: "sysRaise", regs: ["i32"] }, host: { sysno: "CALL_RAISE" },
    doc: "glibc's raise: tgkill(getpid(), gettid(), sig), si_code SI_TKILL; the signal is " +
      "delivered before it returns; 32 and 33 are glibc's (EINVAL)",
  },
  tgkill: {
    ext: true, nr: 234, mechanism: "signal", outputs: [], signalsOthers: true, wakesOthers: true,
    args: [
      { name: "tgid", kind: "target" }, { name: "tid", kind: "target" },
      { name: "sig", kind: "signal", zero: true, any: true },
    ],
    kernel: { file: "signal", fn: "sysTgkill", regs: ["i32", "i32", "i32"] }, host: {},
    doc: "a signal to one thread (SI_TKILL, si_pid the caller); every traced process is one " +
      "thread, its tid its pid: `tid` must be `tgid` (else ESRCH). EINVAL for a `tgid` or " +
      "`tid` <= 0, then ESRCH, then EINVAL for a bad signal; `\"sig\": 0` checks existence",
  },
  rt_tgsigqueueinfo: {
    ext: true, nr: 297, mechanism: "signal", outputs: [], signalsOthers: true,
    wakesOthers: true,
    args: [
      { name: "tgid", kind: "target" }, { name: "tid", kind: "target" },
      { name: "sig", kind: "signal", zero: true, any: true },
      { name: "code", kind: "command", names: "sicode", default: -1 },
      { name: "value", kind: "sigval", default: 0 },
    ],
    kernel: { file: "signal", fn: "sysTgsigqueueinfo", regs: ["i32", "i32", "i32", "i32", "i32"] },
    host: {},
    doc: "glibc's pthread_sigqueue made raw: a siginfo of si_code `code` (an `SI_` name or a " +
      "number; default `SI_QUEUE`), si_pid and si_uid the caller's, si_value `value`, to one " +
      "thread as `tgkill` (EINVAL, ESRCH, EINVAL in its order); a `code` >= 0 or `SI_TKILL` " +
      "to another thread is EPERM (no one may pose as kill or the kernel), checked before ESRCH",
  },
  signal: {
    ext: true, nr: 1006, mechanism: "signal", outputs: [],
    args: [
      { name: "sig", kind: "signal", any: true },
      { name: "handler", kind: "command", names: "handler" },
    ],
    kernel: { file: "signal", fn: "sysSignal", regs: ["i32", "i32"] },
    host: { sysno: "CALL_SIGNAL" },
    doc: "glibc's signal (BSD semantics): sigaction with `SA_RESTART` and the signal in its " +
      "mask; `ret` is the old handler (0 SIG_DFL, 1 SIG_IGN, 2 catch, 3 calls), EINVAL as " +
      "sigaction's",
  },
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
  sigaltstack: {
    nr: 131, mechanism: "signal", outputs: ["oldss"],
    args: [{ name: "ss", kind: "stack", default: null }],
    kernel: { file: "signal", fn: "sysSigaltstack", regs: ["u32", "u32"] }, host: {},
    doc: "`ss` `{\"sp\": 0, \"size\": 65536, \"flags\": [\"SS_AUTODISARM\"]}` (flags " +
      "`SS_ONSTACK`, `SS_DISABLE`, `SS_AUTODISARM` or a number; sp a number the model never " +
      "dereferences), null changes nothing; the result has `oldss`, the setting before the " +
      "call (flags `SS_DISABLE`, `SS_ONSTACK` when the caller runs on it, or none; with " +
      "`SS_AUTODISARM`); EPERM on it, ENOMEM under 2048 bytes (see \"Alternate signal stacks\")",
  },
  signalfd4: {
    ext: true, nr: 289, mechanism: "signal", outputs: [],
    args: [
      { name: "fd", kind: "fd", default: -1 }, { name: "mask", kind: "sigset" },
      { name: "flags", kind: "flags", names: "signalfd" },
    ],
    kernel: { file: "signal", fn: "sysSignalfd4", regs: ["i32", "i32", "i32", "i32"] },
    host: {},
    doc: "glibc's signalfd: `fd` -1 (the default) makes a descriptor, a signalfd's own " +
      "changes its mask; `read` of it takes the reader's pending signals of the mask as " +
      "128-byte struct signalfd_siginfo records (`data`; EINVAL for a count under 128, EAGAIN " +
      "with O_NONBLOCK, else it blocks); see \"Signals\" for the fields the host zeroes",
  },
} as const satisfies Record<string, CallSpec>;
