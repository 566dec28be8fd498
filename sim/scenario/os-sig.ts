// The scenario `os` methods of the signal calls that take a signal synchronously
// (sigtimedwait(2), sigwaitinfo(2)), signalfd(2) and glibc's signal(3), as a mixin over the
// class that makes calls (os.ts OsBase: its public `call`).

import type { Result } from "../trace/types.js";
import type { Siginfo } from "../trace/siginfo.js";
import { int } from "./os-args.js";
import { timespec, type TimespecLike } from "./time-args.js";
import { HANDLERS } from "../../wasm/abi.js";
import type { CallExtra, CallRequest, SignalHandler } from "./os.js";

type Ok = Exclude<Result, "blocked">;
type Caller = new (...args: any[]) => {
  call(req: CallRequest, extra?: CallExtra): Promise<Ok>;
};

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
    /** glibc's signalfd: a new descriptor reading the caller's pending signals of `mask`
     * (`fd` -1), or a new mask for signalfd `fd`; `flags` SFD_NONBLOCK, SFD_CLOEXEC. Resolves
     * to the descriptor. Its `read` gives 128-byte struct signalfd_siginfo records. */
    signalfd4(mask: readonly number[], flags = 0, fd = -1): Promise<number> {
      const args = { fd: int(fd, "signalfd fd"), mask: [...mask], flags: int(flags, "flags") };
      return this.call({ call: "signalfd4", args }).then((r) => r.ret as number);
    }
    /** glibc's signal(3): sigaction with SA_RESTART and `sig` in the handler's mask (BSD
     * semantics); `handler` as sigaction's. Resolves to the old handler as the kernel numbers
     * it (HANDLERS: 0 SIG_DFL, 1 SIG_IGN, 2 catch, 3 a function). */
    signal(sig: number, handler: SignalHandler | "SIG_DFL" | "SIG_IGN" | "catch"): Promise<number> {
      const h = typeof handler === "function" ? HANDLERS.calls : HANDLERS[handler];
      if (h === undefined) {
        throw new TypeError(
          `signal handler: a function, "SIG_DFL", "SIG_IGN" or "catch", got ${String(handler)}`,
        );
      }
      const args = { sig: int(sig, "signal"), handler: h };
      return this.call({ call: "signal", args }, { handler }).then((r) => r.ret as number);
    }
    /** sigtimedwait without a timeout. */
    sigwaitinfo(set: readonly number[]): Promise<Siginfo> {
      return this.sigtimedwait(set, null);
    }
  };
}
