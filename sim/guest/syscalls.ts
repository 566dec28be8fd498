// The guest's `ipcsim.syscall(nr, ...)` calls (sysroot/lib/ipcsim.c), by Linux x86_64 number.
// Most are made from the call table (table-calls.ts). The entries here are the calls whose C
// ABI the table cannot say: a SysV message is `long mtype` then the text in one buffer, and
// the ctl calls' unions and structs; sigaction's handler is a C function the host calls. A
// table of entries for another family is one more spread in CALLS.

import { ModelError } from "../model/errors.js";
import type { SigInfo } from "../scenario/os-types.js";
import { bitsToSignals } from "./c-args.js";
import { errnoOf, type Guest } from "./runtime.js";
import { MEM_CALLS } from "./syscalls-mem.js";
import { SEM_CALLS } from "./syscalls-sem.js";
import { tableCall } from "./table-calls.js";

type Call = (g: Guest, os: Guest["os"], a: number[]) => Promise<number>;

/** SysV IPC (ipc/msg.c, ipc/sem.c): msgp is `long mtype` (4 bytes here) then the text.
 * msgctl and semctl take only the commands the header lists: another is unsupported (its
 * buffer is not marshalled yet), never a wrong answer. */
const MTYPE_BYTES = 4;
const SYSV: Record<number, [name: string, call: Call]> = {
  69: ["msgsnd", (g, os, [id, msgp, size, flags]) => os.msgsnd(id,
    g.view().getInt32(msgp, true), g.bytes(msgp + MTYPE_BYTES, size), flags)],
  70: ["msgrcv", async (g, os, [id, msgp, size, msgtyp, flags]) => {
    const m = await os.msgrcv(id, size, msgtyp, flags);
    g.view().setInt32(msgp, m.mtype, true);
    g.put(msgp + MTYPE_BYTES, m.data);
    return m.data.length;
  }],
  71: ["msgctl", (_g, os, [id, cmd]) =>
    cmd === 0 ? os.msgctl(id, cmd) : unsupported("msgctl", cmd)],
  66: ["semctl", (_g, os, [id, num, cmd, arg]) =>
    [0, 11, 12, 14, 15, 16].includes(cmd) ? os.semctl(id, num, cmd, arg) as Promise<number>
      : unsupported("semctl", cmd)],
};

function unsupported(call: string, cmd: number): never {
  throw new ModelError(`${call} command ${cmd} is not modelled for C guests yet`);
}

/** include/uapi/asm-generic/signal-defs.h SA_SIGINFO: the handler takes a siginfo. */
const SA_SIGINFO = 4;

/** sigaction (include/signal.h): the disposition as a kind (0 default, 1 ignore, 2 a C
 * handler at table index `handler`), the flags and the mask as two 32-bit halves. */
const SIGNAL_CALLS: Record<number, [name: string, call: Call]> = {
  13: ["rt_sigaction", (g, os, [sig, kind, handler, flags, lo, hi]) => {
    const h = kind === 0 ? "SIG_DFL" : kind === 1 ? "SIG_IGN"
      : (s: number, info: SigInfo, hos: Guest["os"]) =>
        g.runHandler(handler, s, (flags & SA_SIGINFO) !== 0 ? info : null, hos);
    return os.sigaction(sig, h, flags >>> 0, bitsToSignals(lo, hi));
  }],
};

/** exec is not modelled: a guest is one compiled program (docs/c-guests.md "Not yet"). */
const EXEC: Record<number, [name: string, call: Call]> = {
  59: ["execve", () => {
    throw new ModelError("execve: exec is not modelled for C guests (a guest is one compiled " +
      "program; docs/c-guests.md \"Not yet\")");
  }],
};

const CALLS: Record<number, [name: string, call: Call]> = {
  ...SYSV, ...SIGNAL_CALLS, ...MEM_CALLS, ...SEM_CALLS, ...EXEC,
};

export async function syscall(g: Guest, nr: number, args: number[]): Promise<number> {
  const call = CALLS[nr];
  if (!call) return tableCall(g, nr, args);
  try {
    return await call[1](g, g.os, args);
  } catch (e) {
    return -errnoOf(e);
  }
}
