// The scenario `os` methods of epoll(7) (epoll_create1, epoll_ctl, epoll_wait, epoll_pwait), as
// a mixin over the class that makes calls (os.ts OsBase: its public `call`). Events are EPOLL*
// bits (FLAGS.epollev).

import type { Result } from "../trace/types.js";
import type { EpollEvent } from "../trace/epoll.js";
import { int } from "./os-args.js";
import type { CallRequest } from "./os.js";

type Ok = Exclude<Result, "blocked">;
type Caller = new (...args: any[]) => { call(req: CallRequest): Promise<Ok> };

const events = (r: Ok) => r.events ?? [];
/** A struct epoll_event: EPOLL* bits and the 64-bit user data (0 by default). */
type EpollEventLike = { events: number; data?: number };

export function epollMethods<B extends Caller>(Base: B) {
  return class extends Base {
    /** epoll_create1(2): `flags` 0 or EPOLL_CLOEXEC; resolves to the descriptor. */
    epoll_create1(flags = 0): Promise<number> {
      const args = { flags: int(flags, "epoll_create1 flags") };
      return this.call({ call: "epoll_create1", args }).then((r) => r.ret as number);
    }
    /** epoll_ctl(2): `op` EPOLL_CTL_ADD, _DEL or _MOD; `event` {events (EPOLL* bits), data}
     * or null (NULL). */
    epoll_ctl(epfd: number, op: number, fd: number, event: EpollEventLike | null = null) {
      const args = {
        epfd: int(epfd, "epfd"), op: int(op, "epoll_ctl op"), fd: int(fd, "epoll_ctl fd"),
        event: event === null ? null
          : { events: int(event.events, "epoll events") >>> 0, data: int(event.data ?? 0, "data") },
      };
      return this.call({ call: "epoll_ctl", args }).then((r) => r.ret as number);
    }
    /** epoll_wait(2): waits until an item is ready, `timeout` ms pass (-1: no limit) or a
     * signal arrives (EINTR); resolves to the events in ready-list order. */
    epoll_wait(epfd: number, maxevents: number, timeout = -1): Promise<EpollEvent[]> {
      const args = {
        epfd: int(epfd, "epfd"), maxevents: int(maxevents, "maxevents"),
        timeout: int(timeout, "epoll_wait timeout"),
      };
      return this.call({ call: "epoll_wait", args }).then(events);
    }
    /** epoll_pwait(2): epoll_wait with `sigmask` as the mask while it waits (as ppoll's). */
    epoll_pwait(
      epfd: number, maxevents: number, timeout = -1, sigmask: readonly number[] | null = null,
    ): Promise<EpollEvent[]> {
      const args = {
        epfd: int(epfd, "epfd"), maxevents: int(maxevents, "maxevents"),
        timeout: int(timeout, "epoll_pwait timeout"),
        sigmask: sigmask === null ? null : [...sigmask],
      };
      return this.call({ call: "epoll_pwait", args }).then(events);
    }
  };
}
