// Wait statuses and signal names, decoded from the kernel's numbers (the wait(2) macros).

import { SIGNALS, type SignalName } from "../../wasm/abi.js";
import type { WaitStatus } from "../trace/types.js";

const NAME_OF = new Map<number, SignalName>();
for (const [name, n] of Object.entries(SIGNALS) as [SignalName, number][]) {
  if (!NAME_OF.has(n)) NAME_OF.set(n, name);
}

/** SIGUSR1 for 10; realtime signals between SIGRTMIN and SIGRTMAX are SIGRTMIN+k; any other
 * number (a host reporting something unexpected) is SIG<n>. Used by the model and the bridge. */
export function signalName(n: number): SignalName {
  const name = NAME_OF.get(n);
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
