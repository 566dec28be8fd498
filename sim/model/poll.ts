// poll and ppoll (calls.ts ENCODERS): the trace's pollfds become a struct pollfd array at the
// start of the process's I/O area (int fd, short events, short revents: 8 bytes each), then
// ppoll's timespec and its sigset; a null array, timespec or sigmask is a NULL pointer. The
// result's `revents` are read back from the array (calls.ts OUTPUTS).

import { CALLS } from "../../wasm/abi.js";
import type { Kernel } from "../../wasm/kernel.js";
import type { PollFd } from "../trace/poll.js";
import type { Encoders, Issued, Ok, StepOf } from "./calls.js";
import { ModelError } from "./errors.js";
import { maskHalves } from "./signals.js";
import { timespecBytes } from "./time.js";

const POLLFD_BYTES = 8;
/** sizeof(sigset_t) as glibc's ppoll passes it. */
const SIGSET_BYTES = 8;

function poke(k: Kernel, pid: number, va: number, b: Uint8Array, line: number): void {
  if (b.length > 0 && !k.poke(pid, va, b)) {
    throw new ModelError(`line ${line}: pid ${pid}'s I/O area cannot hold ${b.length} bytes`);
  }
}

/** The array at va (0 for null); the address past it. */
function putPollfds(k: Kernel, step: StepOf<"poll" | "ppoll">, va: number): number {
  const fds: PollFd[] | null = step.args.fds;
  if (fds === null) return va;
  const v = new DataView(new ArrayBuffer(POLLFD_BYTES * fds.length));
  fds.forEach((f, i) => {
    v.setInt32(POLLFD_BYTES * i, f.fd, true);
    v.setUint16(POLLFD_BYTES * i + 4, f.events, true);
  });
  poke(k, step.pid, va, new Uint8Array(v.buffer), step.line);
  return va + v.byteLength;
}

export const POLL_ENCODERS: Encoders = {
  poll: (k, step: StepOf<"poll">, va) => {
    const { fds, nfds, timeout } = step.args;
    putPollfds(k, step, va);
    const ret = k.syscall(step.pid, CALLS.poll, fds ? va : 0, nfds, timeout);
    return { ret, count: fds ? fds.length : -1 };
  },
  ppoll: (k, step: StepOf<"ppoll">, va) => {
    const { fds, nfds, timeout, sigmask } = step.args;
    let at = putPollfds(k, step, va);
    let tsp = 0;
    if (timeout) {
      poke(k, step.pid, at, timespecBytes(timeout), step.line);
      tsp = at;
      at += 16;
    }
    let mask = 0;
    if (sigmask) {
      const [lo, hi] = maskHalves(sigmask);
      const b = new DataView(new ArrayBuffer(SIGSET_BYTES));
      b.setInt32(0, lo, true);
      b.setInt32(4, hi, true);
      poke(k, step.pid, at, new Uint8Array(b.buffer), step.line);
      mask = at;
    }
    const ret = k.syscall(step.pid, CALLS.ppoll, fds ? va : 0, nfds, tsp, mask, SIGSET_BYTES);
    return { ret, count: fds ? fds.length : -1 };
  },
};

/** Each entry's revents, from the array at c.va (c.count entries, -1 for a NULL array; nfds
 * is at most that on a successful return). */
export function reventsAt(k: Kernel, c: Issued, _ret: number, r: Ok): void {
  const n = c.count ?? -1;
  if (n < 0) return; // a NULL array (nfds 0): no revents
  const b = n === 0 ? new Uint8Array(0) : k.peek(c.pid, c.va, n * POLLFD_BYTES);
  if (!b) throw new ModelError(`${c.call} result of pid ${c.pid} unreadable`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  r.revents = Array.from({ length: n }, (_, i) => v.getUint16(POLLFD_BYTES * i + 6, true));
}
