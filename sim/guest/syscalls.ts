// The guest's `ipcsim.syscall(nr, ...)` calls (sysroot/lib/ipcsim.c), each made with the
// scenario `os` method of the same call: arguments read from the guest's memory, results
// written back into it, -errno (WASI numbering) on failure. Numbers are Linux x86_64's.

import { SIGNALS } from "../../wasm/abi.js";
import { ModelError } from "../model/errors.js";
import { waitStatusInt } from "../scenario/wait-status.js";
import { errnoOf, type Guest } from "./runtime.js";
import { MEM_CALLS } from "./syscalls-mem.js";

type Os = Guest["os"] & Record<string, (...a: number[]) => Promise<number>>;
type Call = (g: Guest, os: Os, a: number[]) => Promise<number>;

const CALLS: Record<number, [name: string, call: Call]> = {
  293: ["pipe2", async (g, os, [fds, flags]) => {
    const [r, w] = await os.pipe(flags);
    g.view().setInt32(fds, r, true);
    g.view().setInt32(fds + 4, w, true);
    return 0;
  }],
  32: ["dup", async (g, os, [fd]) => {
    const n = await os.dup(fd);
    if (g.console.has(fd)) g.console.add(n);
    return n;
  }],
  33: ["dup2", async (g, os, [from, to]) => {
    const n = await os.dup2(from, to);
    if (g.console.has(from)) g.console.add(to);
    else g.console.delete(to);
    return n;
  }],
  110: ["getppid", (_g, os) => os.getppid()],
  62: ["kill", (_g, os, [pid, sig]) => os.kill(pid, sig)],
  61: ["wait4", async (g, os, [pid, status, options]) => {
    const r = await os.waitpid(pid, options);
    if (status !== 0 && r.status) g.view().setInt32(status, waitStatusInt(r.status), true);
    return r.pid;
  }],
};

/** SysV IPC (ipc/msg.c, ipc/sem.c): msgp is `long mtype` (4 bytes here) then the text; a
 * sembuf is 6 bytes (num, op, flg). msgctl and semctl take only the commands the header
 * lists: another is unsupported (its buffer is not marshalled yet), never a wrong answer. */
const MTYPE_BYTES = 4;
const SEMBUF_BYTES = 6;
const SYSV: Record<number, [name: string, call: Call]> = {
  68: ["msgget", (_g, os, [key, flags]) => os.msgget(key, flags)],
  69: ["msgsnd", (g, os, [id, msgp, size, flags]) => os.msgsnd(id,
    g.view().getInt32(msgp, true), g.bytes(msgp + MTYPE_BYTES, size), flags)],
  70: ["msgrcv", async (g, os, [id, msgp, size, msgtyp, flags]) => {
    const m = await (g.os as Guest["os"]).msgrcv(id, size, msgtyp, flags);
    g.view().setInt32(msgp, m.mtype, true);
    g.put(msgp + MTYPE_BYTES, m.data);
    return m.data.length;
  }],
  71: ["msgctl", (_g, os, [id, cmd]) =>
    cmd === 0 ? os.msgctl(id, cmd) : unsupported("msgctl", cmd)],
  64: ["semget", (_g, os, [key, nsems, flags]) => os.semget(key, nsems, flags)],
  65: ["semop", (g, os, [id, sops, n]) => {
    const v = g.view();
    const list = Array.from({ length: n }, (_, i) => [v.getUint16(sops + SEMBUF_BYTES * i, true),
      v.getInt16(sops + SEMBUF_BYTES * i + 2, true), v.getInt16(sops + SEMBUF_BYTES * i + 4, true),
    ] as [number, number, number]);
    return (g.os as Guest["os"]).semop(id, list);
  }],
  66: ["semctl", (_g, os, [id, num, cmd, arg]) =>
    [0, 11, 12, 14, 15, 16].includes(cmd) ? os.semctl(id, num, cmd, arg) as Promise<number>
      : unsupported("semctl", cmd)],
};

function unsupported(call: string, cmd: number): never {
  throw new ModelError(`${call} command ${cmd} is not modelled for C guests yet`);
}

/** Signals (include/signal.h): the mask as two 32-bit halves, bit n-1 for signal n. */
const bitsToSignals = (lo: number, hi: number): number[] => {
  const out: number[] = [];
  for (let n = 1; n <= 64; n++) {
    if (((n <= 32 ? lo >>> (n - 1) : hi >>> (n - 33)) & 1) !== 0) out.push(n);
  }
  return out;
};

const SIGNAL_CALLS: Record<number, [name: string, call: Call]> = {
  13: ["rt_sigaction", (g, os, [sig, kind, handler, flags, lo, hi]) => {
    const h = kind === 0 ? "SIG_DFL" : kind === 1 ? "SIG_IGN"
      : (s: number, _info: unknown, hos: Guest["os"]) => g.runHandler(handler, s, hos);
    return (g.os as Guest["os"]).sigaction(sig, h, flags >>> 0, bitsToSignals(lo, hi));
  }],
  14: ["rt_sigprocmask", async (g, _os, [how, lo, hi, oldAt]) => {
    const old = await g.os.sigprocmask(how, bitsToSignals(lo, hi));
    let bits = 0n;
    for (const name of old) bits |= 1n << BigInt(SIGNALS[name] - 1);
    g.view().setBigUint64(oldAt, bits, true);
    return 0;
  }],
  34: ["pause", (_g, os) => os.pause()],
  130: ["rt_sigsuspend", (g, _os, [lo, hi]) => g.os.sigsuspend(bitsToSignals(lo, hi))],
};

export async function syscall(g: Guest, nr: number, args: number[]): Promise<number> {
  const call = CALLS[nr] ?? SYSV[nr] ?? SIGNAL_CALLS[nr] ?? MEM_CALLS[nr];
  if (!call) throw new ModelError(`system call ${nr} is not modelled for C guests`);
  try {
    return await call[1](g, g.os as Os, args);
  } catch (e) {
    return -errnoOf(e);
  }
}
