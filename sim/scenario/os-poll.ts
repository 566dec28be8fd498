// The scenario `os` methods of readiness (poll(2), ppoll(2)), as a mixin over the class that
// makes calls (os.ts OsBase: its public `call`). Events are POLL* bits (FLAGS.poll).

import type { Result, Timeval } from "../trace/types.js";
import type { SelectResult } from "./os-types.js";
import { int } from "./os-args.js";
import { timespec, type TimespecLike } from "./time-args.js";
import type { CallRequest } from "./os.js";

type Ok = Exclude<Result, "blocked">;
type Caller = new (...args: any[]) => { call(req: CallRequest): Promise<Ok> };

/** One struct pollfd: a descriptor (negative: skipped) and the events wanted. */
type PollFdLike = { fd: number; events: number };

const pollfds = (fds: readonly PollFdLike[]) =>
  fds.map((f) => ({ fd: int(f.fd, "pollfd fd"), events: int(f.events, "pollfd events") }));
const revents = (r: Ok) => r.revents ?? [];
const fdset = (set: readonly number[] | null, what: string) =>
  set === null ? null : set.map((fd) => int(fd, what));
const selected = (r: Ok): SelectResult => ({
  ret: r.ret as number, readfds: r.readfds, writefds: r.writefds, exceptfds: r.exceptfds,
  tv: r.tv as Timeval | undefined,
});
type Sets = {
  readfds?: readonly number[] | null; writefds?: readonly number[] | null;
  exceptfds?: readonly number[] | null;
};
const setsOf = (s: Sets) => ({
  readfds: fdset(s.readfds ?? null, "readfds"), writefds: fdset(s.writefds ?? null, "writefds"),
  exceptfds: fdset(s.exceptfds ?? null, "exceptfds"),
});

export function pollMethods<B extends Caller>(Base: B) {
  return class extends Base {
    /** Waits until one of `fds` is ready, `timeout` ms pass (-1: no limit) or a handler runs
     * (EINTR); resolves to each entry's revents (all 0 after the timeout). */
    poll(fds: readonly PollFdLike[], timeout = -1): Promise<number[]> {
      const list = pollfds(fds);
      const args = { fds: list, nfds: list.length, timeout: int(timeout, "poll timeout") };
      return this.call({ call: "poll", args }).then(revents);
    }
    /** poll with a timespec (null: no limit) and `sigmask` as the mask while it waits (null:
     * unchanged; a handler that ends the wait runs under it, then the old mask is back). */
    ppoll(
      fds: readonly PollFdLike[], timeout: TimespecLike | null = null,
      sigmask: readonly number[] | null = null,
    ): Promise<number[]> {
      const list = pollfds(fds);
      const args = {
        fds: list, nfds: list.length, timeout: timeout === null ? null : timespec(timeout, "ppoll"),
        sigmask: sigmask === null ? null : [...sigmask],
      };
      return this.call({ call: "ppoll", args }).then(revents);
    }
    /** select(2): the sets (absent: NULL) of descriptors below `nfds`; `timeout` {sec, usec}
     * or null (no limit). Resolves to the count and each set given, as written back. */
    select(nfds: number, sets: Sets, timeout: { sec: number; usec: number } | null = null) {
      const t = timeout === null ? null
        : { sec: int(timeout.sec, "tv_sec"), usec: int(timeout.usec, "tv_usec") };
      const args = { nfds: int(nfds, "select nfds"), ...setsOf(sets), timeout: t };
      return this.call({ call: "select", args }).then(selected);
    }
    /** pselect: select with a timespec and a mask while it waits (as ppoll's). */
    pselect6(
      nfds: number, sets: Sets, timeout: TimespecLike | null = null,
      sigmask: readonly number[] | null = null,
    ) {
      const args = {
        nfds: int(nfds, "pselect nfds"), ...setsOf(sets),
        timeout: timeout === null ? null : timespec(timeout, "pselect"),
        sigmask: sigmask === null ? null : [...sigmask],
      };
      return this.call({ call: "pselect6", args }).then(selected);
    }
  };
}
