// The wait-for graph at every step of the HTML view: the processes, an edge "pid A waits for
// pid B" for each blocked process and each process that could end its wait, the cycle when
// there is one, and the explanation's lines. The deadlock explainer's own logic
// (sim/scenario/deadlock.ts waitGraph) computes it, from the kernel's state and from what a
// Tracker learns of the calls completed so far (where descriptors came from, children,
// semaphore units taken), as a run's end does.

import type { Kernel } from "../../wasm/kernel.js";
import { findCycle, waitGraph } from "../scenario/deadlock.js";
import { Tracker } from "../scenario/tracking.js";
import type { StateView } from "../state.js";
import type { Outcome, Result, Step } from "../trace/types.js";

export interface WaitGraph {
  /** The live processes, and whether each is blocked. */
  nodes: { pid: number; blocked: boolean }[];
  /** [A, B]: A waits for something only B could do. */
  edges: [number, number][];
  /** A cycle of waits none of which a running process could end (its first pid again at the
   * end), or empty. */
  cycle: number[];
  /** The explanation, one line per blocked process (the deadlock explainer's). */
  lines: string[];
}

type Ok = Exclude<Result, "blocked">;

/** Follows a trace's completed calls (call `step` after each step, with the kernel's state
 * settled) and gives the graph after any step. */
export class WaitFollower {
  private readonly tracker: Tracker;

  constructor(private readonly k: Kernel, private readonly steps: readonly Step[]) {
    this.tracker = new Tracker(k, false);
  }

  /** What the follower has learned so far (a copy), for `load`. */
  save(): Tracker {
    const t = new Tracker(this.k, false);
    t.copyFrom(this.tracker);
    return t;
  }

  /** Back to what it had learned when `save` gave `saved` (which stays unchanged). */
  load(saved: Tracker): void {
    this.tracker.copyFrom(saved);
  }

  /** Learn what a step's own call and the calls it woke completed. `blocked`: the step each
   * woken call blocked in. */
  step(step: Step, outcome: Outcome, blocked: readonly Step[]): void {
    const r = outcome.result;
    if (r !== undefined && r !== "blocked") this.completed(step.pid, step, r);
    for (const e of outcome.events) {
      if (!("wake" in e) || e.result === "blocked") continue;
      const s = blocked[e.step];
      if (s) this.completed(e.wake, s, e.result);
    }
  }

  private completed(pid: number, step: Step, r: Ok): void {
    if (r.errno !== undefined) return;
    this.tracker.completed(pid, step, r);
    if (step.call === "fork" && typeof r.ret === "number" && r.ret > 0) {
      this.tracker.fork(pid, r.ret);
    }
  }

  /** The explainer's edges, and for a semaphore wait an edge to each process that runs. */
  private mayEnd(
    edges: Map<number, number[]>, live: readonly { pid: number; state: string; step: number }[],
  ): Map<number, number[]> {
    const running = live.filter((p) => p.state !== "blocked").map((p) => p.pid);
    const out = new Map(edges);
    for (const p of live) {
      if (p.state !== "blocked" || !SEM_CALLS.has(this.steps[p.step]?.call)) continue;
      out.set(p.pid, [...edges.get(p.pid) ?? [], ...running]);
    }
    return out;
  }

  /** The graph of the state after a step, or undefined when no process is blocked. */
  graph(state: StateView): WaitGraph | undefined {
    const live = state.processes.filter((p) => p.state !== "zombie").map((p) => ({
      pid: p.pid, step: p.blockedIn?.step ?? -1,
      state: p.blockedIn ? "blocked" as const : p.state === "stopped" ? "stopped" as const
        : "running" as const,
    }));
    if (!live.some((p) => p.state === "blocked")) return undefined;
    const g = waitGraph(this.k, this.steps, this.tracker, live);
    const edges: [number, number][] = [];
    for (const [from, tos] of [...g.edges].sort((a, b) => a[0] - b[0])) {
      for (const to of tos) edges.push([from, to]);
    }
    const stuck = stuckOf(this.mayEnd(g.edges, live), live.filter((p) => p.state === "blocked")
      .map((p) => p.pid));
    const inStuck = new Map([...g.edges].filter(([p]) => stuck.has(p))
      .map(([p, tos]) => [p, tos.filter((q) => stuck.has(q))]));
    return {
      nodes: live.map((p) => ({ pid: p.pid, blocked: p.state === "blocked" })),
      edges, cycle: findCycle(inStuck) ?? [], lines: g.lines,
    };
  }
}

/** Calls whose edges the explainer draws to the processes that took a semaphore's units: any
 * process may do a V (a consumer gives what it never took), so a running one may end them. */
const SEM_CALLS = new Set(["semop", "semtimedop"]);

/** The blocked processes whose waits nothing running can end: an edge is "any one of these
 * could end it", so a process with an edge to a running process (or to one that such a
 * process may wake) is not stuck. At a run's deadlock every live process is blocked and this
 * is all of them; before it, two processes waiting for a message that a third, running, may
 * send are a cycle of edges but no deadlock. */
function stuckOf(edges: Map<number, number[]>, blocked: readonly number[]): Set<number> {
  const stuck = new Set(blocked);
  for (let changed = true; changed;) {
    changed = false;
    for (const p of stuck) {
      if ((edges.get(p) ?? []).some((q) => !stuck.has(q))) {
        stuck.delete(p);
        changed = true;
      }
    }
  }
  return stuck;
}
