// Signal names and wait statuses: the numbers of wasm/abi.ts (SIGNALS, WAIT_STATUS) as the
// trace names them. The one place both sides decode them: the model (sim/model, sim/state.ts),
// the trace codec (sim/trace) and the host bridge (host-bridge/protocol.ts) import this module,
// so the model's and Linux's outcomes are named by the same code.

import { SIGNALS, WAIT_STATUS, type SignalName } from "./abi.js";

/** How a process ended or changed, as waitpid reports it and as `exit` events carry it. */
export type WaitStatus =
  | { exited: number }
  | { signaled: SignalName; core?: boolean }
  | { stopped: SignalName }
  | { continued: true };

const SIGNAL_NAME_OF = new Map<number, SignalName>();
for (const [name, n] of Object.entries(SIGNALS) as [SignalName, number][]) {
  if (!SIGNAL_NAME_OF.has(n)) SIGNAL_NAME_OF.set(n, name);
}

/** A signal number's name in wasm/abi.ts SIGNALS (the first listed, where two names share a
 * number), or undefined. The inverse of signalNumber for those names. */
export function signalNameOf(n: number): SignalName | undefined {
  return SIGNAL_NAME_OF.get(n);
}

/** Every signal number has a name: SIGUSR1 for 10; realtime signals between SIGRTMIN and
 * SIGRTMAX are SIGRTMIN+k; any other number (a host reporting something unexpected) is
 * SIG<n>. */
export function signalName(n: number): SignalName {
  const name = signalNameOf(n);
  if (name) return name;
  const realtime = n > SIGNALS.SIGRTMIN && n < SIGNALS.SIGRTMAX;
  return (realtime ? `SIGRTMIN+${n - SIGNALS.SIGRTMIN}` : `SIG${n}`) as SignalName;
}

/** A signal's number from its name: the names of wasm/abi.ts SIGNALS, `SIGRTMIN+k` (as
 * signalName writes realtime signals) and `SIG32`/`SIG33` (the two glibc reserves). */
export function signalNumber(v: string): number | undefined {
  if (Object.hasOwn(SIGNALS, v)) return SIGNALS[v as SignalName];
  const rt = /^SIGRTMIN\+([1-9][0-9]?)$/.exec(v);
  if (rt && SIGNALS.SIGRTMIN + Number(rt[1]) < SIGNALS.SIGRTMAX) {
    return SIGNALS.SIGRTMIN + Number(rt[1]);
  }
  if (v === "SIG32" || v === "SIG33") return Number(v.slice(3));
  return undefined;
}

/** A wait status as trace-v1 writes it: WIFCONTINUED, WIFSTOPPED, WIFEXITED, WIFSIGNALED (the
 * wait(2) macros; the encoding is WAIT_STATUS's in wasm/abi.ts, Linux's). */
export function decodeWaitStatus(s: number): WaitStatus {
  if (s === WAIT_STATUS.CONTINUED) return { continued: true };
  if ((s & 0xff) === WAIT_STATUS.STOPPED) return { stopped: signalName((s >> 8) & 0xff) };
  if ((s & 0x7f) === 0) return { exited: (s >> 8) & 0xff };
  const out: WaitStatus = { signaled: signalName(s & 0x7f) };
  if (s & 0x80) out.core = true;
  return out;
}
