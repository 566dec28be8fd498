// A trace run as a program (docs/verify.md "Traces run as programs, and state caching"): each
// process's steps, in file order, are its program, and `ipcsim verify`, `explore` and `run`
// interleave them every way the scheduler can, where replay and diff keep the file's order.
//
// - A fork step's child runs the steps of the pid that fork returned when the trace runs as
//   written (on the model, first outcomes). Pids are handed out in fork order, so in another
//   order the same child has another pid: a `target` argument (kill, waitpid) naming a pid of
//   the trace is given the pid that process has in this run, and must name a process the step
//   knows in every order (itself, an ancestor, or one forked before the step).
// - An address `ref` names an earlier step's result, which must be the process's own or an
//   ancestor's made before the fork that leads to it: any other could come after the step in
//   some order (the trace is refused, with the line).
// - Expectations are not checked (another order gives other results); every exit status and
//   every signal that ends a process is allowed; a process that runs out of steps exits 0.
//   Failures are what a run's verdict says: a deadlock, a kernel panic, the end checks.
// - A process's whole state is which of its steps it has made (stepsBy), so the run's state is
//   the kernel's memory and the scheduler's: verify prunes a state it has explored before
//   (`straightLine`, strategies/dpor.ts), which a scenario's closures do not allow.

import { ModelReplay, REF_CALLS } from "../model/engine.js";
import type { Step, Trace } from "../trace/types.js";
import { ErrnoError } from "./errors.js";
import type { CallExtra, CallRequest, Os } from "./os.js";
import type { ScenarioModule } from "./run.js";
import { SIGNALS, type SignalName } from "../../wasm/abi.js";

const MAIN_PID = 2;
const HANDLER_CATCH = 2; // wasm/abi.ts HANDLERS.catch

/** A trace that cannot run as a program: the message names the file and line. */
class TraceProgramError extends Error {
  override name = "TraceProgramError";
}

/** What one run of the program keeps: trace pid -> this run's pid, and each step's ret. */
interface RunState {
  pids: Map<number, number>;
  rets: (number | undefined)[];
}

/** The scenario module of `trace`. */
export function traceScenario(trace: Trace): ScenarioModule & { straightLine: true } {
  const byPid = new Map<number, Step[]>();
  for (const s of trace.steps) {
    if (s.pid === 0) {
      throw new TraceProgramError(`${trace.file}:${s.line}: an advance step belongs to no ` +
        "process: a trace with clock rows cannot run as a program");
    }
    const mine = byPid.get(s.pid);
    if (mine) mine.push(s);
    else byPid.set(s.pid, [s]);
  }
  const childOf = forkChildren(trace);
  const made = new Set(childOf.values());
  for (const pid of byPid.keys()) {
    if (pid !== MAIN_PID && !made.has(pid)) {
      const line = byPid.get(pid)![0].line;
      throw new TraceProgramError(`${trace.file}:${line}: pid ${pid} is not made by a fork ` +
        `of the trace: a trace runs as a program from pid ${MAIN_PID}`);
    }
  }
  checkRefs(trace, childOf);
  const run = (os: Os, pid: number, st: RunState): Promise<void> =>
    runProcess(os, byPid.get(pid) ?? [], childOf, st, run);
  return {
    name: trace.file,
    params: trace.header.params,
    straightLine: true,
    expect: { exit: Array.from({ length: 256 }, (_, i) => i), signals: ALL_SIGNALS },
    main: (os: Os) => run(os, MAIN_PID, { pids: new Map([[MAIN_PID, os.getpid()]]), rets: [] }),
  };
}

const ALL_SIGNALS = Object.keys(SIGNALS) as SignalName[];

async function runProcess(
  os: Os, steps: readonly Step[], childOf: Map<number, number>, st: RunState,
  run: (os: Os, pid: number, st: RunState) => Promise<void>,
): Promise<void> {
  for (const step of steps) {
    const extra: CallExtra = {};
    const child = childOf.get(step.index);
    if (child !== undefined) {
      extra.child = (c: Os) => {
        st.pids.set(child, c.getpid());
        return run(c, child, st);
      };
    }
    const a = step.args as unknown as Record<string, unknown>;
    if (step.call === "sigaction" && a.handler === HANDLER_CATCH) extra.handler = () => undefined;
    try {
      const r = await os.call({ call: step.call, args: argsFor(step, st) } as CallRequest, extra);
      st.rets[step.index] = typeof r.ret === "number" ? r.ret : undefined;
    } catch (e) {
      if (!(e instanceof ErrnoError)) throw e;
    }
  }
}

/** The step's arguments in this run: trace pids as this run's, address refs resolved. */
function argsFor(step: Step, st: RunState): unknown {
  const a = step.args as unknown as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  const set = (k: string, v: unknown): void => void ((out ??= { ...a })[k] = v);
  if (typeof a.target === "number" && (a.target > 0 || a.target < -1)) {
    const mapped = st.pids.get(Math.abs(a.target));
    if (mapped !== undefined) set("target", Math.sign(a.target) * mapped);
  }
  if (REF_CALLS.has(step.call)) {
    for (const [k, v] of Object.entries(a)) {
      if (v === null || typeof v !== "object" || !("ref" in v)) continue;
      const ref = v as { ref: number; offset: number };
      // A failed ref'd call passes an address no mapping has: EINVAL or a fault, as Linux.
      set(k, (st.rets[ref.ref] ?? -1) + ref.offset);
    }
  }
  return out ?? a;
}

/** Fork step index -> the pid it made when the trace runs as written (the model's first
 * outcomes) up to its last fork, for the forks that succeeded. */
function forkChildren(trace: Trace): Map<number, number> {
  const model = new ModelReplay(trace, {});
  const out = new Map<number, number>();
  let last = trace.steps.length - 1;
  while (last >= 0 && trace.steps[last].call !== "fork") last--;
  for (const s of trace.steps.slice(0, last + 1)) {
    const outs = model.step(s);
    model.choose((o) => o === outs[0]);
    const r = outs[0]?.result;
    if (s.call === "fork" && r !== "blocked" && typeof r?.ret === "number" && r.ret > 0) {
      out.set(s.index, r.ret);
    }
  }
  return out;
}

/** Every address ref names a step of the same process or of an ancestor before the fork that
 * leads to the process: one made before the referring step in every order. Every `target`
 * names the process itself, an ancestor, a process no fork of the trace makes, or one whose
 * fork comes before the step in every order (so its pid is known). */
function checkRefs(trace: Trace, childOf: Map<number, number>): void {
  // pid -> [parent pid, index of the fork step that made it]
  const madeBy = new Map<number, [number, number]>();
  const forkOf = new Map<number, Step>();
  for (const [index, child] of childOf) {
    madeBy.set(child, [trace.steps[index].pid, index]);
    forkOf.set(child, trace.steps[index]);
  }
  const isAncestor = (a: number, pid: number): boolean => {
    for (let up = madeBy.get(pid); up; up = madeBy.get(up[0])) if (up[0] === a) return true;
    return a === pid;
  };
  const before = (ref: Step, pid: number, at: number): boolean => {
    for (;;) {
      if (ref.pid === pid) return ref.index < at;
      const up = madeBy.get(pid);
      if (!up) return false;
      [pid, at] = up;
    }
  };
  for (const s of trace.steps) {
    const target = (s.args as { target?: unknown }).target;
    if (typeof target === "number" && Math.abs(target) > 1) {
      const fork = forkOf.get(Math.abs(target));
      if (fork && !isAncestor(Math.abs(target), s.pid) && !before(fork, s.pid, s.index)) {
        throw new TraceProgramError(`${trace.file}:${s.line}: target ${target} names the ` +
          `process pid ${fork.pid}'s fork makes (line ${fork.line}), which in some order ` +
          "comes after this step");
      }
    }
    if (!REF_CALLS.has(s.call)) continue;
    for (const v of Object.values(s.args as unknown as Record<string, unknown>)) {
      if (v === null || typeof v !== "object" || !("ref" in v)) continue;
      const ref = trace.steps[(v as { ref: number }).ref];
      if (ref && before(ref, s.pid, s.index)) continue;
      throw new TraceProgramError(`${trace.file}:${s.line}: ref ${(v as { ref: number }).ref} ` +
        "names a step of a process that is neither this one nor an ancestor before its fork: " +
        "in some order it comes later");
    }
  }
}
