// epoll_ctl, epoll_wait, epoll_pwait (calls.ts ENCODERS): epoll_ctl's event is a struct
// epoll_event (u32 events, u64 data: 12 bytes, packed as on x86_64) at the start of the
// process's I/O area, or NULL; epoll_wait's events array starts there (epoll_pwait's after its
// 8-byte sigset), and the result's `events` are read back from it, ret of them (OUTPUTS).

import { CALLS } from "../../wasm/abi.js";
import type { Kernel } from "../../wasm/kernel.js";
import type { EpollEvent } from "../trace/epoll.js";
import type { Encoders, Issued, Ok, StepOf } from "./calls.js";
import { ModelError } from "./errors.js";
import { poke, pokeSigmask } from "./poll.js";

const EVENT_BYTES = 12;
/** sizeof(sigset_t) as glibc's epoll_pwait passes it. */
const SIGSET_BYTES = 8;

function eventBytes(e: EpollEvent): Uint8Array {
  const v = new DataView(new ArrayBuffer(EVENT_BYTES));
  v.setUint32(0, e.events >>> 0, true);
  v.setBigUint64(4, BigInt(e.data), true);
  return new Uint8Array(v.buffer);
}

export const EPOLL_ENCODERS: Encoders = {
  epoll_ctl: (k, step: StepOf<"epoll_ctl">, va) => {
    const { epfd, op, fd, event } = step.args;
    if (event) poke(k, step.pid, va, eventBytes(event), step.line);
    return k.syscall(step.pid, CALLS.epoll_ctl, epfd, op, fd, event ? va : 0);
  },
  epoll_wait: (k, step: StepOf<"epoll_wait">, va) => {
    const { epfd, maxevents, timeout } = step.args;
    return k.syscall(step.pid, CALLS.epoll_wait, epfd, va, maxevents, timeout);
  },
  epoll_pwait: (k, step: StepOf<"epoll_pwait">, va) => {
    const { epfd, maxevents, timeout, sigmask } = step.args;
    const mask = sigmask ? pokeSigmask(k, step.pid, va, sigmask, step.line) : 0;
    const at = va + 16;
    const ret = k.syscall(step.pid, CALLS.epoll_pwait, epfd, at, maxevents, timeout, mask,
      SIGSET_BYTES);
    return { ret, va: at };
  },
};

/** The ret events written at c.va. */
export function epollEventsOut(k: Kernel, c: Issued, ret: number, r: Ok): void {
  const b = ret === 0 ? new Uint8Array(0) : k.peek(c.pid, c.va, ret * EVENT_BYTES);
  if (!b) throw new ModelError(`${c.call} result of pid ${c.pid} unreadable`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  r.events = Array.from({ length: ret }, (_, i) => ({
    events: v.getUint32(EVENT_BYTES * i, true),
    data: Number(v.getBigUint64(EVENT_BYTES * i + 4, true)),
  }));
}
