// The guest's `ipcsim.syscall(nr, ...)` calls (sysroot/lib/ipcsim.c), each made with the
// scenario `os` method of the same call: arguments read from the guest's memory, results
// written back into it, -errno (WASI numbering) on failure. Numbers are Linux x86_64's.

import { waitStatusInt } from "../scenario/wait-status.js";
import { errnoOf, type Guest } from "./runtime.js";

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

export async function syscall(g: Guest, nr: number, args: number[]): Promise<number> {
  const call = CALLS[nr];
  if (!call) throw new Error(`unsupported: system call ${nr} is not modelled for C guests`);
  try {
    return await call[1](g, g.os as Os, args);
  } catch (e) {
    return -errnoOf(e);
  }
}
