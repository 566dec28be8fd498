// The scenario `os` methods of readiness (poll(2), ppoll(2)), as a mixin over the class that
// makes calls (os.ts OsBase: its public `call`). Events are POLL* bits (FLAGS.poll).

import type { Result } from "../trace/types.js";
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
  };
}
