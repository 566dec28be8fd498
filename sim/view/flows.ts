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
import type { EngineState } from "../model/worlds.js";
import type { Tracker } from "../scenario/tracking.js";
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

/** What following a trace on the model gives the views: each step's moves, the kernel's
 * state after each step (`states`, only when asked: a table walk per step), and how many steps
 * the model followed (the views show no state after them). */
interface Followed {
  flows: Map<number, NamedFlow[]>;
  states: ViewState[];
  followed: number;
}

/** The state the views show after a step: `replay`'s view, and the inspectors' detail. */
export type ViewState = StateView & { detail: Detail };

/** Replay `trace` on the model along its own outcomes (the first the model allows where a
 * step has none), up to the first step the model refuses or whose outcome it does not allow. */
export function followTrace(trace: Trace, kernel?: Kernel, withStates = false): Followed {
  const out: Followed = { flows: new Map(), states: [], followed: 0 };
  const follower = new Follower(trace, kernel, withStates);
  try {
    for (const step of trace.steps) {
      const named = follower.next(step);
      if (named === null) break;
      out.followed++;
      if (named.length) out.flows.set(step.index, named);
      if (withStates) out.states.push(follower.state());
    }
  } catch (e) {
    // A step the model refuses: what came before it is what the views can show.
    if (!(e instanceof ModelError)) throw e;
  }
  return out;
}

/** What a Follower holds besides the kernel memory, between two steps (Follower.save). */
export interface FollowerState {
  engine: EngineState;
  asleep: Map<number, number>;
  blocked: Step[];
  waits?: Tracker;
}

/** followTrace one step at a time: the HTML view's state cursor (scrub.ts) follows a trace in
 * the page with it, saving its state every so many steps and loading it back. */
export class Follower {
  readonly model: ModelReplay;
  /** Each process's call asleep (its step), for the moves a wake makes on its behalf. */
  private asleep = new Map<number, number>();
  /** The steps that blocked, by index. */
  private blocked: Step[] = [];
  private readonly waits?: WaitFollower;

  constructor(trace: Trace, kernel?: Kernel, withStates = false) {
    this.model = new ModelReplay(trace, { flows: true }, kernel);
    if (withStates) this.waits = new WaitFollower(this.model.kernel, trace.steps);
  }

  /** Follow `step`: its moves, or null where the model does not allow its outcome (a diff's
   * disagreement: the model's state would not be the trace's from here on). Throws
   * ModelError where the model refuses it. */
  next(step: Step): NamedFlow[] | null {
    const model = this.model;
    const allowed = model.step(step);
    const pick = allowed.find((o) => meetsExpectation(step, o));
    if (pick === undefined) return null;
    // One outcome allowed: every world gave it, no keys to compare (most steps; the page
    // follows 10,000 of them before its snapshots are built).
    if (allowed.length === 1) model.chooseAll();
    else {
      const key = outcomeKey(pick);
      if (!model.choose((o) => outcomeKey(o) === key)) return null;
    }
    const asleep = this.asleep;
    const callOf = (pid: number) => pid === step.pid ? step.index : asleep.get(pid) ?? step.index;
    const named = (pick.flows ?? [])
      .map((f) => ({ ...f, name: nameOf(model, f), call: callOf(f.pid) }));
    if (pick.result === "blocked") {
      asleep.set(step.pid, step.index);
      this.blocked[step.index] = step;
    }
    for (const e of pick.events) if ("wake" in e && e.result !== "blocked") asleep.delete(e.wake);
    if (this.waits) {
      model.settleView();
      this.waits.step(step, pick, this.blocked);
    }
    return named;
  }

  /** The state after the last step followed (withStates only). */
  state(): ViewState {
    const k = this.model.settleView();
    const state = stateView(k, this.model.blockedSteps(), this.blocked);
    return { ...state, detail: inspectKernel(k, state, this.waits!.graph(state)) };
  }

  /** Its state, with one world left (else null); the kernel memory is saved apart. */
  save(): FollowerState | null {
    const engine = this.model.save();
    if (!engine) return null;
    const blocked = this.blocked.slice();
    return { engine, asleep: new Map(this.asleep), blocked, waits: this.waits?.save() };
  }

  /** Back to a saved state, the kernel memory already back in it (false: see ModelReplay.load). */
  load(s: FollowerState): boolean {
    this.asleep = new Map(s.asleep);
    this.blocked = s.blocked.slice();
    if (s.waits) this.waits?.load(s.waits);
    return this.model.load(s.engine);
  }
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
