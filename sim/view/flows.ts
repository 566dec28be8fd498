// What each step of a trace moved through pipes, FIFOs, SysV and POSIX message queues and
// sockets, as the kernel logged it (kernel/event.ts flow records): the views' data edges (write
// to read, msgsnd to msgrcv, mq_send to mq_receive, send to recv) and object counters.
//
// The trace is replayed on the model following its own outcomes (as `check` does), so a run's
// trace, a replay's and a Linux recording the model agrees with all give the moves the model
// made for the outcomes shown. Where the model cannot follow (a step it refuses, an outcome it
// does not allow), the moves stop there: the views show what came before.

import type { Kernel } from "../../wasm/kernel.js";
import { ModelError } from "../model/errors.js";
import { ModelReplay } from "../model/engine.js";
import { meetsExpectation } from "../replay.js";
import { inodeName, stateView, type StateView } from "../state.js";
import { type Detail, inspectKernel } from "./inspect.js";
import { mqName } from "./inspect-ipc.js";
import { outcomeKey } from "../trace/compare.js";
import { WaitFollower } from "./waits.js";
import type { Flow, Step, Trace } from "../trace/types.js";

/** A move, with the object's name as the other views name it. */
export interface NamedFlow extends Flow {
  /** `pipe #2`, `FIFO "f"`, `msg queue 0`, `mq "/q"`, `socket #3` (the receiving one). */
  name: string;
  /** The step of the call that moved it: the step's own, or the call a process was asleep in
   * when the step woke it. */
  call: number;
}

/** Each step's moves, by step index (steps that moved nothing are absent). `kernel`: one to
 * reuse (reset first), else a new one. */
export function flowsOf(trace: Trace, kernel?: Kernel): Map<number, NamedFlow[]> {
  return followTrace(trace, kernel).flows;
}

/** What following a trace on the model gives the views: each step's moves, and the kernel's
 * state after each step (`states`, only when asked: a table walk per step). */
interface Followed {
  flows: Map<number, NamedFlow[]>;
  states: ViewState[];
}

/** The state the views show after a step: `replay`'s view, and the inspectors' detail. */
export type ViewState = StateView & { detail: Detail };

/** Replay `trace` on the model along its own outcomes (the first the model allows where a
 * step has none), up to the first step the model refuses or whose outcome it does not allow. */
export function followTrace(trace: Trace, kernel?: Kernel, withStates = false): Followed {
  const out: Followed = { flows: new Map(), states: [] };
  const model = new ModelReplay(trace, { flows: true }, kernel);
  /** Each process's call asleep (its step), for the moves a wake makes on its behalf. */
  const asleep = new Map<number, number>();
  const blocked: Step[] = [];
  const waits = withStates ? new WaitFollower(model.kernel, trace.steps) : undefined;
  try {
    for (const step of trace.steps) {
      const allowed = model.step(step);
      // An outcome the model does not allow (a diff's disagreement): the model's state would
      // not be the trace's from here on.
      const pick = allowed.find((o) => meetsExpectation(step, o));
      if (pick === undefined) break;
      const key = outcomeKey(pick);
      if (!model.choose((o) => outcomeKey(o) === key)) break;
      const callOf = (pid: number) => pid === step.pid ? step.index : asleep.get(pid) ?? step.index;
      const named = (pick.flows ?? [])
        .map((f) => ({ ...f, name: nameOf(model, f), call: callOf(f.pid) }));
      if (named.length) out.flows.set(step.index, named);
      if (pick.result === "blocked") {
        asleep.set(step.pid, step.index);
        blocked[step.index] = step;
      }
      for (const e of pick.events) if ("wake" in e && e.result !== "blocked") asleep.delete(e.wake);
      if (waits) {
        const k = model.settleView();
        const state = stateView(k, model.blockedSteps(), blocked);
        waits.step(step, pick, blocked);
        out.states.push({ ...state, detail: inspectKernel(k, state, waits.graph(state)) });
      }
    }
  } catch (e) {
    // A step the model refuses: what came before it is what the views can show.
    if (!(e instanceof ModelError)) throw e;
  }
  return out;
}

function nameOf(model: ModelReplay, f: Flow): string {
  if (f.object === "msg") return `msg queue ${f.id}`;
  if (f.object === "sock") return `socket #${f.id}`;
  if (f.object === "mq") {
    const name = mqName(model.kernel, f.id);
    return name ? `mq "/${name}"` : `mq #${f.id}`;
  }
  return f.extra >= 0 ? `FIFO "${inodeName(model.kernel, f.extra)}"` : `pipe #${f.id}`;
}
