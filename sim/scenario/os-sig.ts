// The scenario `os` methods of the signal calls that take a signal synchronously
// (sigtimedwait(2), sigwaitinfo(2)), as a mixin over the class that makes calls (os.ts OsBase:
// its public `call`).

import type { Result } from "../trace/types.js";
import type { Siginfo } from "../trace/siginfo.js";
import { timespec, type TimespecLike } from "./time-args.js";
import type { CallRequest } from "./os.js";

type Ok = Exclude<Result, "blocked">;
type Caller = new (...args: any[]) => { call(req: CallRequest): Promise<Ok> };

export function sigMethods<B extends Caller>(Base: B) {
  return class extends Base {
    /** Takes a pending signal of `set` (its handler does not run), waiting for one at most
     * `timeout` (`{sec, nsec}`; null: forever); resolves to its siginfo, rejects with EAGAIN
     * when the timeout passes first and with EINTR when another signal's handler runs. */
    sigtimedwait(set: readonly number[], timeout: TimespecLike | null = null): Promise<Siginfo> {
      const args = {
        set: [...set],
        timeout: timeout === null ? null : timespec(timeout, "sigtimedwait timeout"),
      };
      return this.call({ call: "sigtimedwait", args }).then((r) => r.info as Siginfo);
    }
    /** sigtimedwait without a timeout. */
    sigwaitinfo(set: readonly number[]): Promise<Siginfo> {
      return this.sigtimedwait(set, null);
    }
  };
}
