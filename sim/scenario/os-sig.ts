// The scenario `os` methods of the signal calls that take a signal synchronously
// (sigtimedwait(2), sigwaitinfo(2)), signalfd(2), sigaltstack(2) and glibc's signal(3), as a
// mixin over the class that makes calls (os.ts OsBase: its public `call`).

import type { Result, StackT } from "../trace/types.js";
import type { Siginfo } from "../trace/siginfo.js";
import { handlerCode, int } from "./os-args.js";
import { timespec, type TimespecLike } from "./time-args.js";
import type { CallExtra, CallRequest, SignalHandler } from "./os.js";

type Ok = Exclude<Result, "blocked">;

/** A stack_t as a scenario writes it. */
type StackLike = { sp?: number; size?: number; flags?: number };

function stack(s: StackLike): StackT {
  return {
    sp: int(s.sp ?? 0, "sigaltstack sp"), size: int(s.size ?? 0, "sigaltstack size"),
    flags: int(s.flags ?? 0, "sigaltstack flags") >>> 0,
  };
}
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
      const args = { sig: int(sig, "signal"), handler: handlerCode(handler, "signal handler") };
      return this.call({ call: "signal", args }, { handler }).then((r) => r.ret as number);
    }
    /** sigaltstack: sets the alternate signal stack to `ss` (`{sp, size, flags}`, fields left
     * out 0; flags SS_ONSTACK, SS_DISABLE, SS_AUTODISARM; sp a number never dereferenced), or
     * changes nothing (null); resolves to the setting before the call (its flags SS_DISABLE,
     * SS_ONSTACK while the caller runs on it, or 0, with SS_AUTODISARM). */
    sigaltstack(ss: StackLike | null = null): Promise<StackT> {
      const args = { ss: ss === null ? null : stack(ss) };
      return this.call({ call: "sigaltstack", args }).then((r) => r.oldss as StackT);
    }
    /** sigtimedwait without a timeout. */
    sigwaitinfo(set: readonly number[]): Promise<Siginfo> {
      return this.sigtimedwait(set, null);
    }
  };
}
