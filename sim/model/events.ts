// The trace event of a kernel event (exit, signal, stop, continue), read from the kernel's
// event log. Shared by the trace engine and the scenario scheduler; the names come from
// wasm/names.ts, which the host bridge decodes with too.

import { EVENT, SI_CODE } from "../../wasm/abi.js";
import type { KernelEvent } from "../../wasm/kernel.js";
import { decodeWaitStatus, signalName } from "../../wasm/names.js";
import { siginfoOf } from "../trace/siginfo.js";
import type { Flow, TraceEvent } from "../trace/types.js";

/** kernel/event.ts FLOW_PIPE, FLOW_MSG, FLOW_SOCK, FLOW_MQ (1 to 4), and FLOW_IN, FLOW_OUT,
 * FLOW_PEEK. */
const FLOW_OBJECTS = ["pipe", "pipe", "msg", "sock", "mq"] as const;
const FLOW_DIRS = ["in", "out", "peek", "peek"] as const;

/** A flow record (kernel/event.ts eventPushFlow) as the views read it. */
export function flowOf(e: KernelEvent): Flow {
  return {
    pid: e.pid, object: FLOW_OBJECTS[e.a >> 2], dir: FLOW_DIRS[e.a & 3],
    id: e.b, at: e.c, len: e.d, extra: e.e,
  };
}

/** The trace event of a kernel exit, signal, stop or continue event; null for a wake (whose
 * result only the caller's issued call can decode). */
export function processEvent(e: KernelEvent): TraceEvent | null {
  switch (e.kind) {
    case EVENT.EXIT: return { exit: e.pid, status: decodeWaitStatus(e.a) };
    case EVENT.SIGNAL: {
      const signal = signalName(e.a);
      // si_value is the sender's: sigqueue's (SI_QUEUE), a POSIX timer's (SI_TIMER), or an
      // mq_notify registration's (SI_MESGQ).
      const valued = e.c === SI_CODE.SI_QUEUE || e.c === SI_CODE.SI_TIMER ||
        e.c === SI_CODE.SI_MESGQ;
      const ev: TraceEvent = valued ? { signal, pid: e.pid, value: e.d } : { signal, pid: e.pid };
      // A `calls` handler's frame opened (kernel/sigframe.ts; 3: over a returned call).
      if (e.b === 2 || e.b === 3) ev.frame = true;
      // Its siginfo (kernel/event.ts: d is a SIGCHLD's si_status or si_value, e si_pid, -1
      // when the model does not know it); every traced process is root (si_uid 0).
      if (e.e >= 0) ev.info = siginfoOf(e.a, e.c, e.e, 0, e.d, e.d);
      return ev;
    }
    case EVENT.STOP: return { stop: e.pid };
    case EVENT.CONT: return { cont: e.pid };
    default: return null;
  }
}
