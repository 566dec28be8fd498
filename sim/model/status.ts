// Wait statuses, signal names and job-control events, decoded from the kernel's numbers (the
// wait(2) macros, the event log). Shared by the trace engine, the scenario scheduler and the
// bridge.

import { EVENT, SIGNALS, type SignalName } from "../../wasm/abi.js";
import type { KernelEvent } from "../../wasm/kernel.js";
import { signalNameOf } from "../trace/decode.js";
import type { TraceEvent, WaitStatus } from "../trace/types.js";

/** SIGUSR1 for 10; realtime signals between SIGRTMIN and SIGRTMAX are SIGRTMIN+k; any other
 * number (a host reporting something unexpected) is SIG<n>. Used by the model and the bridge. */
export function signalName(n: number): SignalName {
  const name = signalNameOf(n);
  if (name) return name;
  const realtime = n > SIGNALS.SIGRTMIN && n < SIGNALS.SIGRTMAX;
  return (realtime ? `SIGRTMIN+${n - SIGNALS.SIGRTMIN}` : `SIG${n}`) as SignalName;
}

/** WIFEXITED / WIFSIGNALED / WIFSTOPPED / WIFCONTINUED, as trace-v1 writes them. */
export function decodeWaitStatus(s: number): WaitStatus {
  if (s === 0xffff) return { continued: true };
  if ((s & 0xff) === 0x7f) return { stopped: signalName((s >> 8) & 0xff) };
  if ((s & 0x7f) === 0) return { exited: (s >> 8) & 0xff };
  const out: WaitStatus = { signaled: signalName(s & 0x7f) };
  if (s & 0x80) out.core = true;
  return out;
}

/** The trace event of a kernel exit, signal, stop or continue event; null for a wake (whose
 * result only the caller's issued call can decode). */
export function processEvent(e: KernelEvent): TraceEvent | null {
  switch (e.kind) {
    case EVENT.EXIT: return { exit: e.pid, status: decodeWaitStatus(e.a) };
    case EVENT.SIGNAL: return { signal: signalName(e.a), pid: e.pid };
    case EVENT.STOP: return { stop: e.pid };
    case EVENT.CONT: return { cont: e.pid };
    default: return null;
  }
}
