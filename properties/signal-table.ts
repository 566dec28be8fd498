// The trace generator's entries for signals (spliced into CALL_TABLE, call-table.ts): kill,
// sigaction, signal, sigprocmask, sigpending, pause, sigsuspend, sigtimedwait, signalfd4 (and
// its reads), raise, tgkill, rt_tgsigqueueinfo, and waitpid that reports stops and continues.
// Signals go at random moments to processes that are idle, blocked in any call (pipes, FIFOs,
// waitpid, SysV) or stopped, with random dispositions, flags (SA_RESTART, SA_RESETHAND,
// SA_NODEFER, SA_NOCLDSTOP; SA_ONSTACK for `calls` handlers), handler masks and blocked masks;
// sigaltstack settings.
//
// A stopped process makes no step: the builder (arbitraries.ts) follows `stop` and `cont`
// events and offers a process a call only while it is idle in every world.
//
// Everything drawn means the same on Linux, as the host bridge runs it:
//   - no SIG_IGN or SA_NOCLDWAIT for SIGCHLD: a child reaped at once by the kernel has an exit
//     status the bridge cannot observe when a signal killed it (the agent faults);
//   - no SIGTERM, SIGINT or SIGHUP to pid 1: the bridge's pid 1 is the agent, which handles
//     them (the model's init has no handler and ignores them);
//   - signals 32 and 33 only in kill (glibc keeps them out of every mask and sigaction).
//
// Weights (weights.ts): 29 of the default budget (216), so a typical trace sends a few
// signals; SIGNAL_HEAVY makes them most of a trace.

import fc from "fast-check";
import { TIME } from "../wasm/abi.js";
import { nsTimespec } from "../sim/trace/timespec.js";
import { flagsArb, kind, pick, type BuildContext, type CallKind } from "./call-kind.js";

/** Signals kill sends: mostly the catchable ones handlers are set for and job control, now
 * and then a fatal one (repeats weight the draw). */
const KILL_SIGNALS: readonly (string | number)[] = [
  "SIGUSR1", "SIGUSR1", "SIGUSR1", "SIGUSR2", "SIGUSR2", "SIGRTMIN", "SIGRTMIN", 35, "SIGCONT",
  "SIGCONT", "SIGCONT", "SIGSTOP", "SIGSTOP", "SIGTSTP", "SIGCHLD", "SIGCHLD", "SIGTERM",
  "SIGKILL", "SIGHUP", "SIGPIPE", "SIGURG", "SIGQUIT", 0,
];
const RARE_SIGNALS: readonly (string | number)[] = [65, -1, 32, "SIGTTIN", "SIGWINCH"];
/** Signals raise sends: never in a generated mask (ACTION_SIGNALS), so never pending twice. */
const RAISE_SIGNALS: readonly (string | number)[] = [
  "SIGWINCH", "SIGWINCH", "SIGQUIT", "SIGTTIN", "SIGSTOP", "SIGKILL", 0, 65, 32, -1,
];
/** rt_tgsigqueueinfo's si_code: mostly pthread_sigqueue's. */
const TG_CODES: readonly (string | number)[] = [
  "SI_QUEUE", "SI_QUEUE", "SI_QUEUE", "SI_USER", "SI_TKILL", "SI_MESGQ", -60,
];
/** Signals dispositions and masks name (never SIGKILL/SIGSTOP, but now and then: EINVAL). */
const ACTION_SIGNALS: readonly (string | number)[] = [
  "SIGUSR1", "SIGUSR2", "SIGRTMIN", 35, "SIGTERM", "SIGCONT", "SIGCHLD", "SIGTSTP", "SIGHUP",
  "SIGPIPE", "SIGURG",
];
/** sigaction draws these more often: the ones kill sends most. */
const CAUGHT_SIGNALS: readonly (string | number)[] = ["SIGUSR1", "SIGUSR2", "SIGRTMIN", "SIGCHLD"];
const PID1_REFUSED = new Set(["SIGTERM", "SIGINT", "SIGHUP", 15, 2, 1]);

const killSigArb = fc.oneof(
  { weight: 12, arbitrary: pick(KILL_SIGNALS) },
  { weight: 1, arbitrary: pick(RARE_SIGNALS) },
);

/** A set of signals: each of the action signals with a small chance. */
const setArb: fc.Arbitrary<(string | number)[]> = fc
  .tuple(...ACTION_SIGNALS.map(() => fc.integer({ min: 0, max: 99 })))
  .map((xs) => ACTION_SIGNALS.filter((_, i) => xs[i] >= 80));

type TargetDraw =
  | { busy: number } | { child: number } | { any: number } | { self: true } | { parent: true }
  | { raw: number };
const targetArb: fc.Arbitrary<TargetDraw> = fc.oneof(
  { weight: 8, arbitrary: fc.nat({ max: 7 }).map((busy) => ({ busy })) },
  { weight: 6, arbitrary: fc.nat({ max: 7 }).map((child) => ({ child })) },
  { weight: 5, arbitrary: fc.nat({ max: 15 }).map((any) => ({ any })) },
  { weight: 2, arbitrary: fc.constant({ self: true as const }) },
  { weight: 2, arbitrary: fc.constant({ parent: true as const }) },
  { weight: 2, arbitrary: pick([0, -1, -2, 1, 9999, -9]).map((raw) => ({ raw })) },
);

/** The pid a draw names (null: none), but -1 and 1 when the context forbids them. */
function pickTarget(ctx: BuildContext, t: TargetDraw): number | null {
  const pid = drawnTarget(ctx, t);
  return !ctx.hostPids && (pid === -1 || pid === 1) ? null : pid;
}

/** The pid a draw names: a child, any process the shadow knows, the caller, its parent. */
function drawnTarget(ctx: BuildContext, t: TargetDraw): number | null {
  if ("raw" in t) return t.raw;
  if ("self" in t) return ctx.pid;
  if ("parent" in t) return ctx.shadow.procs.get(ctx.pid)?.parent ?? 1;
  if ("busy" in t) {
    // Another live process that is blocked in a call or stopped: where signals matter most.
    const busy = [...ctx.shadow.procs.values()]
      .filter((p) => p.pid !== ctx.pid && p.state === "live" && (p.pending !== null || p.stopped))
      .map((p) => p.pid).sort((a, b) => a - b);
    return busy.length ? busy[t.busy % busy.length] : null;
  }
  if ("child" in t) {
    const children = ctx.shadow.childrenOf(ctx.pid);
    return children.length ? children[t.child % children.length] : null;
  }
  const all = [...ctx.shadow.procs.keys()].sort((a, b) => a - b);
  return all.length ? all[t.any % all.length] : null;
}

const handlerArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant("catch") },
  { weight: 2, arbitrary: fc.constant("SIG_IGN") },
  { weight: 2, arbitrary: fc.constant("SIG_DFL") },
);
const actionFlagsArb = flagsArb([
  ["SA_RESTART", 50], ["SA_RESETHAND", 10], ["SA_NODEFER", 10], ["SA_NOCLDSTOP", 15],
]);
/** A `calls` handler's flags: SA_ONSTACK too, for the handlers preset's sigaltstack draws
 * (only there: the other entries keep their draws, and so their fixed-seed samples). */
const callsFlagsArb = flagsArb([
  ["SA_RESTART", 50], ["SA_RESETHAND", 10], ["SA_NODEFER", 10], ["SA_NOCLDSTOP", 15],
  ["SA_ONSTACK", 40],
]);

/** sigaltstack's ss: null (a query), or a stack at a MiB boundary with a size from a ladder
 * whose steps (64 KiB and up) exceed what the host agent's handlers use of a stack
 * (docs/host-bridge.md "Alternate signal stacks"), so that a handler running on one region is
 * on another exactly when the model's approximation says (kernel/sigaltstack.ts); now and then
 * a size under MINSIGSTKSZ (ENOMEM) or a bad mode (EINVAL). Inside a handler only queries
 * (what would enable a stack asks instead), SS_DISABLE and the errors: a handler on an
 * alternate stack (SS_AUTODISARM lets it change the setting) that enables a stack and takes a
 * nested SA_ONSTACK signal may get a frame over its own running one, which Linux allows and
 * the agent's command loop would not survive. */
const altFlagsArb = pick<string[] | number>([
  [], [], ["SS_ONSTACK"], ["SS_AUTODISARM"], ["SS_AUTODISARM"], ["SS_DISABLE"],
  ["SS_DISABLE", "SS_AUTODISARM"],
]);
const altStackArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  {
    weight: 8,
    arbitrary: fc.record({
      sp: pick([0, 1 << 20, 2 << 20, 4 << 20]),
      size: pick([65536, 131072, 262144, 524288]),
      flags: altFlagsArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      sp: pick([0, 1 << 20]),
      size: pick([0, 1024, 2047, 65536]),
      flags: pick<string[] | number>([[], 4, ["SS_ONSTACK", "SS_DISABLE"], 0x80000004]),
    }),
  },
);
/** sigtimedwait's timeout: none (sigwaitinfo), a poll (0), 1 to 3 time quanta (the host
 * refuses a duration off the quantum), now and then an invalid one (EINVAL). */
const waitTimeoutArb: fc.Arbitrary<{ sec: number; nsec: number } | null> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.constant({ sec: 0, nsec: 0 }) },
  {
    weight: 4,
    arbitrary: fc.integer({ min: 1, max: 3 }).map((k) => nsTimespec(k * TIME.QUANTUM_NS)),
  },
  { weight: 1, arbitrary: pick([{ sec: 0, nsec: 1e9 }, { sec: -1, nsec: 0 }]) },
);

const sigactionSigArb = fc.oneof(
  { weight: 20, arbitrary: pick(ACTION_SIGNALS) },
  { weight: 20, arbitrary: pick(CAUGHT_SIGNALS) },
  { weight: 1, arbitrary: pick<string | number>(["SIGKILL", "SIGSTOP", 0, 65, 33]) },
);

/** The caller's signalfd descriptors, lowest first. */
function signalfdsOf(ctx: BuildContext): number[] {
  return ctx.shadow.fdsOf(ctx.pid).filter(([, d]) => d.kind === "signalfd").map(([fd]) => fd)
    .sort((a, b) => a - b);
}

export const SIGNAL_TABLE: readonly CallKind[] = [
  kind("kill", fc.tuple(targetArb, killSigArb, fc.nat({ max: 2 })), ([t, drawn, cont], ctx) => {
    const target = pickTarget(ctx, t);
    if (target === null) return null;
    if (target === 1 && PID1_REFUSED.has(drawn)) return null;
    // A stopped target is mostly continued (else it stays stopped for the rest of the trace).
    const sig = ctx.shadow.procs.get(target)?.stopped && cont > 0 ? "SIGCONT" : drawn;
    return { call: "kill", target, sig };
  }),
  kind("sigaction", fc.tuple(sigactionSigArb, handlerArb, actionFlagsArb, setArb),
    ([sig, handler, flags, mask]) => {
      const chld = sig === "SIGCHLD";
      if (chld && handler === "SIG_IGN") return null;
      const used = flags.filter((f) => chld || f !== "SA_NOCLDSTOP");
      return { call: "sigaction", sig, handler, flags: used, mask };
    }),
  // A handler that makes calls (docs/trace-format.md "Handlers that make calls"): once its
  // frame opens, the process's steps run in it until the sigreturn entry returns from it.
  kind("sigaction-calls", fc.tuple(pick(CAUGHT_SIGNALS), callsFlagsArb, setArb),
    ([sig, flags, mask]) => {
      const used = flags.filter((f) => sig === "SIGCHLD" || f !== "SA_NOCLDSTOP");
      return { call: "sigaction", sig, handler: "calls", flags: used, mask };
    }),
  kind("kill-caught", fc.tuple(targetArb, pick(CAUGHT_SIGNALS)), ([t, sig], ctx) => {
    const target = pickTarget(ctx, t);
    return target === null || target <= 1 ? null : { call: "kill", target, sig };
  }),
  kind("sigaltstack", altStackArb, (ss, ctx) => {
    const enables = ss !== null && typeof ss.flags !== "number" &&
      !ss.flags.includes("SS_DISABLE");
    const ask = enables && ss.size >= 2048 && ctx.shadow.inHandler(ctx.pid);
    return { call: "sigaltstack", ss: ask ? null : ss };
  }),
  kind("sigreturn", fc.constant(null), (_, ctx) =>
    ctx.shadow.inHandler(ctx.pid) ? { call: "sigreturn" } : null),
  kind("sigprocmask", fc.tuple(pick(["SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"]), setArb),
    ([how, set]) => ({ call: "sigprocmask", how, set })),
  kind("sigpending", fc.constant(null), () => ({ call: "sigpending" })),
  kind("pause", fc.constant(null), () => ({ call: "pause" })),
  kind("sigsuspend", setArb, (mask) => ({ call: "sigsuspend", mask })),
  kind("sigtimedwait", fc.tuple(setArb, waitTimeoutArb),
    ([set, timeout]) => ({ call: "sigtimedwait", set, timeout })),
  // raise: the caller signals itself (SI_TKILL), only with signals no mask of the generator
  // holds: a blocked one might be pending from kill too, which Linux keeps apart in the
  // thread's pending set (docs/differences.md `thread-pending`).
  kind("raise", pick(RAISE_SIGNALS), (sig) => ({ call: "raise", sig })),
  // tgkill and rt_tgsigqueueinfo: thread-directed too, so raise's signals, to any process the
  // draw names; the tid is mostly the tgid (else ESRCH), the si_code mostly SI_QUEUE (a code
  // >= 0 or SI_TKILL to another process is EPERM).
  kind("tgkill", fc.tuple(targetArb, pick(RAISE_SIGNALS), fc.nat({ max: 7 })),
    ([t, sig, odd], ctx) => {
      const tgid = pickTarget(ctx, t);
      return tgid === null ? null : { call: "tgkill", tgid, tid: odd ? tgid : ctx.pid, sig };
    }),
  kind("rt_tgsigqueueinfo", fc.tuple(targetArb, pick(RAISE_SIGNALS), pick(TG_CODES), fc.nat(99)),
    ([t, sig, code, value], ctx) => {
      const tgid = pickTarget(ctx, t);
      if (tgid === null) return null;
      return { call: "rt_tgsigqueueinfo", tgid, tid: tgid, sig, code, value };
    }),
  // glibc's signal(): sigaction with SA_RESTART; never SIG_IGN for SIGCHLD (see above).
  kind("signal", fc.tuple(sigactionSigArb, handlerArb), ([sig, handler]) =>
    (sig === "SIGCHLD" && handler === "SIG_IGN" ? null : { call: "signal", sig, handler })),
  // A new signalfd (now and then SFD_NONBLOCK), or a new mask for one of the caller's.
  kind("signalfd4", fc.tuple(setArb, fc.nat({ max: 3 }), fc.boolean()), ([mask, n, nb], ctx) => {
    const mine = signalfdsOf(ctx);
    const fd = n === 0 && mine.length ? mine[0] : -1;
    return { call: "signalfd4", fd, mask, flags: nb ? ["SFD_NONBLOCK"] : [] };
  }),
  kind("read-signalfd", fc.tuple(fc.nat({ max: 7 }), pick([128, 256, 384, 127, 1000])),
    ([n, count], ctx) => {
      const mine = signalfdsOf(ctx);
      return mine.length ? { call: "read", fd: mine[n % mine.length], count } : null;
    }),
  kind("waitpid-stopped", fc.tuple(fc.nat({ max: 7 }), fc.boolean()), ([child, nohang], ctx) => {
    const children = ctx.shadow.childrenOf(ctx.pid);
    if (children.length === 0) return null;
    const target = child >= 6 ? -1 : children[child % children.length];
    const options = ["WUNTRACED", "WCONTINUED", ...(nohang ? ["WNOHANG"] : [])];
    return { call: "waitpid", target, options };
  }),
];
