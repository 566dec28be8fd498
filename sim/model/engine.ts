// The model side of a replay: run steps on the kernel to quiescence and produce, for each
// step, the set of outcomes the model allows, then continue from the one that happened.
//
// Quiescence: after the call, every woken process retries its call until none is left (each
// retry may complete, block again, or wake others). The kernel never decides who runs next:
// when two or more processes are woken at once, each retry order is a branch (a "world"),
// explored by restoring the state before the step and running it again with other decisions
// (sim/model/worlds.ts: no copy of the kernel per branch). Where Linux is deterministic only
// one process is ever woken and nothing is restored; that is the fast path.
//
// Time passes only in an advance step (made by no process: pid 0). The kernel fires the timers
// of one deadline at a time and says whether more time is to pass (ret 1); the system settles
// after each deadline, as on Linux where processes run between two expiries, and the engine
// issues the rest of the amount, all within the step's one outcome (docs/trace-format.md
// "Time").
//
// A replay holds a set of worlds consistent with everything chosen so far (usually one).
// `step()` returns every allowed outcome; `choose()` keeps the worlds that produced the one
// that happened (the host's, the trace's expectation, or one picked by the seeded PRNG).

import { EVENT, PROC_STATE, SIGNALS } from "../../wasm/abi.js";
import { CALL_NAMES, callSpec } from "../../wasm/calls.js";
import { Kernel, type KernelEvent } from "../../wasm/kernel.js";
import { dropContOfExited, outcomeKey } from "../trace/compare.js";
import type { Outcome, Result, Step, Trace, TraceEvent } from "../trace/types.js";
import {
  BLOCKED, KILLED, ModelError, decodeResult, issue, resolveInt, type Issued, type StepOf,
} from "./calls.js";
import { flowOf, processEvent } from "./events.js";
import {
  EVENT_B_FRAME_OVER_DONE, frameClosing, frameDepth, frameOpened, framesGone, ioAreaAt,
  opensFrame,
} from "./frames.js";
import { applyParams } from "./params.js";
import { issueAdvance, timeNow } from "./time.js";
import { timeNs } from "../trace/timespec.js";
import type { Prng } from "../prng.js";
import {
  PageStore, ROOT_STEPS_MAX, Root, applyDiff, cloneState, diffAndRestore, execsOf, sameDiff,
  undoDiff, withExec, type EngineState, type World,
} from "./worlds.js";

/** One run of a step: its outcome, the engine state after, and the decisions it took (the
 * choice and the number of alternatives at each branch point). */
interface Run {
  outcome: Outcome;
  es: EngineState;
  path: number[];
  arity: number[];
}

interface Leaf {
  outcome: Outcome;
  /** The state after the step: a root and the steps since (sim/model/worlds.ts). */
  world: World;
  /** The same world with fewer of its optional events (a SIGCHLD handler run Linux may or may
   * not make, kernel/sigdeliver.ts): other outcomes Linux allows from the same state. */
  variants?: Outcome[];
}

/** How many leaves (retry orders) one branch point may explore before the rest are cut off. */
const BRANCH_LEAVES_MAX = 64;
/** How many candidate worlds a replay keeps at once. */
const WORLDS_MAX = 16;

/** Options of replayTrace, checkTrace and ModelReplay. */
export interface ReplayOptions {
  /** Run kernel_check() after every step (tests do; it costs a table walk). */
  check?: boolean;
  /** Diff and restore worlds over the whole kernel memory, not only where a state may differ
   * from the post-init one (the engine before issue 22's live ranges; for tests). */
  wholeMemory?: boolean;
  /** Log what each step moved through pipes and message queues (Outcome.flows: the views,
   * sim/view/flows.ts); off, the kernel pays one branch per copy. */
  flows?: boolean;
}

/** A trace on the model, step by step: each step returns the outcomes the model allows, and
 * the caller chooses the one to continue from (what replay, check and diff build on). */
export class ModelReplay {
  readonly kernel: Kernel;
  private worlds: Leaf[];
  private leaves: Leaf[] = [];
  private readonly check: boolean;
  /** Events the kernel marked optional (b = 1), by identity. */
  private readonly optional = new WeakSet<TraceEvent>();
  private readonly root: Root;
  /** The world whose state the kernel holds (null: none known). */
  private live: World | null;
  /** The decisions of the run under way: forced ones first, then the first alternative. */
  private forced: readonly number[] = [];
  private taken: number[] = [];
  private arity: number[] = [];
  /** The call of the step under way (a frame may yet open over it: frames.ts). */
  private stepIssued: Issued | null = null;

  constructor(
    readonly trace: Pick<Trace, "file" | "header">,
    opts: ReplayOptions = {},
    kernel?: Kernel,
  ) {
    this.kernel = kernel ?? new Kernel();
    this.kernel.x.k_flow_log(opts.flows ? 1 : 0);
    // A branch point inside a call (kernel/hooks.ts kernelChoose) is one of the step's decisions.
    this.kernel.chooser = (n) => this.decide(n);
    // The fast reset's plan knows where a state may differ from the post-init one: the root and
    // the diffs over it look only there (sim/model/worlds.ts).
    this.kernel.resetFast();
    this.root = new Root(this.kernel.fastResetPlan()!, opts.wholeMemory ?? false);
    applyParams(this.kernel, trace);
    this.check = opts.check ?? false;
    const world: World = { es: { blocked: new Map(), rets: [] }, from: null, execs: null };
    this.live = world;
    this.worlds = [{ outcome: undefined as unknown as Outcome, world }];
  }

  /** Every outcome the model allows for `step`, deduplicated (compare with outcomeKey). */
  step(step: Step): Outcome[] {
    this.leaves = [];
    const single = this.worlds.length === 1;
    for (const w of this.worlds) this.explore(w.world, step, single);
    // The fast path: where Linux is deterministic there is one leaf and nothing to compare.
    if (this.leaves.length === 1 && !this.leaves[0].variants) return [this.leaves[0].outcome];
    const seen = new Map<string, Outcome>();
    for (const l of this.leaves) {
      for (const o of [l.outcome, ...(l.variants ?? [])]) {
        const key = outcomeKey(o);
        if (!seen.has(key)) seen.set(key, o);
      }
    }
    return [...seen.values()];
  }

  /** Continue from the worlds whose outcome satisfies `accept`. False if none does. */
  choose(accept: (o: Outcome) => boolean): boolean {
    const all = this.leaves.filter((l) => accept(l.outcome) || (l.variants?.some(accept) ?? false),
    );
    // Retry orders that left the same state (bytes and engine state) are one world.
    const kept = all.filter((l, i) => !all.slice(0, i).some((m) => sameWorld(m.world, l.world)));
    if (kept.length === 0) return false;
    if (kept.length === 1) return this.keepOnly(kept[0]);
    const byKey = new Map<string, number>();
    const worlds: Leaf[] = [];
    for (const l of kept) {
      const key = outcomeKey(l.outcome);
      const n = byKey.get(key) ?? 0;
      if (n >= WORLDS_MAX || worlds.length >= WORLDS_MAX) continue;
      byKey.set(key, n + 1);
      worlds.push(l);
    }
    if (worlds.length === 1) return this.keepOnly(worlds[0]);
    this.worlds = worlds;
    this.leaves = [];
    return true;
  }

  /** Continue as `ipcsim replay --seed` does: from the only allowed outcome, or from one the
   * seeded PRNG picks among several (with every world that produced it). Returns it. */
  chooseSeeded(allowed: readonly Outcome[], prng: Prng): Outcome {
    if (allowed.length === 1) {
      this.chooseAll();
      return allowed[0];
    }
    const outcome = allowed[prng.below(allowed.length)];
    const key = outcomeKey(outcome);
    this.choose((o) => outcomeKey(o) === key);
    return outcome;
  }

  /** Continue from every world of the last step: use when the model allowed one outcome only
 * (several retry orders may still lead there, each a world). The fast path: no keys. */
  chooseAll(): void {
    if (this.leaves.length === 1) this.keepOnly(this.leaves[0]);
    else this.choose(() => true);
  }

  /** One world left: the kernel takes its state, which becomes the root every ROOT_STEPS_MAX
   * steps (a restore then never re-runs more than that many). */
  private keepOnly(leaf: Leaf): boolean {
    this.makeLive(leaf.world);
    if ((leaf.world.execs?.depth ?? 0) >= ROOT_STEPS_MAX) {
      leaf = { ...leaf, world: this.reroot(leaf.world.es) ?? leaf.world };
    }
    this.worlds = [leaf];
    this.leaves = [];
    return true;
  }

  /** The live kernel state, for the final state view (the first world). */
  settleView(): Kernel {
    this.makeLive(this.worlds[0].world);
    return this.kernel;
  }

  /** The blocked calls of the (first) world: pid -> step index. */
  blockedSteps(): Map<number, number> {
    const out = new Map<number, number>();
    for (const [pid, c] of this.worlds[0].world.es.blocked) out.set(pid, c.step);
    return out;
  }

  worldCount(): number {
    return this.worlds.length;
  }

  /** Between two steps with one world left (else null): the engine's state, which `load`
   * returns to with the kernel memory saved apart (the HTML view's snapshots: view/scrub.ts). */
  save(): EngineState | null {
    if (this.worlds.length !== 1) return null;
    this.makeLive(this.worlds[0].world);
    return cloneState(this.worlds[0].world.es);
  }

  /** Continue from a state `save` gave, the kernel memory already back in it. It becomes the
   * root (for a later step's retry orders); false when too large to copy: then unusable. */
  load(es: EngineState): boolean {
    this.leaves = [];
    const world = this.reroot(cloneState(es));
    if (!world) return false;
    this.worlds = [{ outcome: undefined as unknown as Outcome, world }];
    return true;
  }

  /** Bytes the root of the worlds holds (0 before the first branching step; for the benchmark
   * and the tests of issue 22). */
  rootBytes(): number {
    return this.root.heldBytes();
  }

  // ---- worlds: restore by re-running, or by writing a diff over the root ----

  /** Put the kernel in world `w`'s state (its engine state is w.es). */
  private makeLive(w: World): void {
    if (this.live === w) return;
    const bytes = this.root.bytes;
    const live = this.live;
    // Between the root and diffs over it no step has run: write the blocks, no copy.
    if (bytes && live && live.execs === null && w.execs === null) {
      if (live.from) undoDiff(this.kernel, this.root, live.from);
      if (w.from) applyDiff(this.kernel, w.from);
      this.live = w;
      return;
    }
    this.rebuild(w);
  }

  /** Restore the root and run w's steps again with their decisions; returns the engine state
   * they give (a copy: w.es may have moved on, on the fast path). */
  private rebuild(w: World): EngineState {
    this.root.restore(this.kernel, () => {
      this.kernel.reset();
      applyParams(this.kernel, this.trace);
    });
    if (w.from) applyDiff(this.kernel, w.from);
    const es = cloneState(w.from ? w.from.es : this.root.es);
    for (const e of execsOf(w)) {
      const path = this.run(es, e.step, e.path).path;
      if (path.length !== e.path.length || path.some((c, i) => c !== e.path[i])) {
        throw new Error(`assertion: step ${e.step.index} re-ran with other decisions`);
      }
    }
    this.live = w;
    return es;
  }

  /** Make the kernel's state (world w's, engine state es) the root: a copy of the memory.
   * Null, and the root unchanged, when the copy would be too large. */
  private reroot(es: EngineState): World | null {
    if (!this.root.take(this.kernel, es)) return null;
    this.live = { es, from: null, execs: null };
    return this.live;
  }

  /** Every leaf of `step` from world `w`. One world whose step does not branch is the fast
   * path: nothing restored. Otherwise each retry order runs from the state before the step:
   * restored by writing a diff over the root (a single world's state becomes the root first),
   * or, when the kernel is too large to copy, by re-running the steps since the root. */
  private explore(w: World, step: Step, single: boolean): void {
    this.makeLive(w);
    if (!single && this.root.bytes) return this.exploreDiffs(w, step);
    const first = this.leaves.length;
    const r = this.run(single ? w.es : cloneState(w.es), step, []);
    if (r.path.length === 0) return this.pushLeaf(withExec(w, r.es, step, r.path), r);
    const es = this.rebuild(w);
    const root = single ? this.reroot(es) : null;
    if (root) return this.exploreDiffs(root, step);
    this.pushLeaf(withExec(w, r.es, step, r.path), r);
    this.everyOrder(first, r, (prefix) => {
      const run = this.run(this.rebuild(w), step, prefix);
      this.pushLeaf(withExec(w, run.es, step, run.path), run);
      return run;
    });
  }

  /** Every leaf of `step` from `w`, a diff over the root, each kept as a diff over the root. */
  private exploreDiffs(w: World, step: Step): void {
    const rootWorld: World = { es: this.root.es, from: null, execs: null };
    const store = new PageStore();
    const one = (prefix: readonly number[]): Run => {
      this.makeLive(w);
      const r = this.run(cloneState(w.es), step, prefix);
      const from = diffAndRestore(this.kernel, this.root, r.es, store);
      this.pushLeaf({ es: r.es, from, execs: null }, r);
      this.live = rootWorld;
      return r;
    };
    const first = this.leaves.length;
    this.everyOrder(first, one([]), one);
  }

  /** After the first order `r`, run every other one depth first (`next(prefix)` runs the step
   * with the decisions `prefix` forced and keeps its leaf). A branch point whose alternatives
   * have given BRANCH_LEAVES_MAX leaves tries no more of them. */
  private everyOrder(first: number, r: Run, next: (prefix: readonly number[]) => Run): void {
    const starts = r.path.map(() => first);
    for (;;) {
      let j = r.path.length - 1;
      while (j >= 0 && (r.path[j] + 1 >= r.arity[j] ||
        this.leaves.length - starts[j] >= BRANCH_LEAVES_MAX)) j--;
      if (j < 0) return;
      const at = this.leaves.length;
      r = next([...r.path.slice(0, j), r.path[j] + 1]);
      for (let d = j + 1; d < r.path.length; d++) starts[d] = at;
    }
  }

  private pushLeaf(world: World, r: Run): void {
    this.live = world;
    const leaf: Leaf = { outcome: r.outcome, world };
    const variants = this.variantsOf(r.outcome);
    if (variants.length > 0) leaf.variants = variants;
    this.leaves.push(leaf);
  }

  /** Decide at a branch point of `n` alternatives: the forced choice, else the first. */
  private decide(n: number): number {
    const d = this.taken.length;
    const c = d < this.forced.length ? this.forced[d] : 0;
    this.taken.push(c);
    this.arity.push(n);
    return c;
  }

  // ---- one step in one world ----

  private run(es: EngineState, step: Step, forced: readonly number[]): Run {
    this.forced = forced;
    this.taken = [];
    this.arity = [];
    const outcome: Outcome = { step: step.index, pid: step.pid, call: step.call, events: [] };
    try {
      if (step.call === "advance") this.runAdvance(es, step, outcome);
      else this.runCall(es, step, outcome);
    } catch (e) {
      throw e instanceof ModelError ? this.located(e, step) : e;
    }
    outcome.events = dropContOfExited(outcome.events);
    if (this.check) this.kernel.check();
    return { outcome, es, path: this.taken, arity: this.arity };
  }

  /** The error with the trace's file and the step's line in front (issue 22: the call
   * modules say `line N:`, the engine's own errors nothing). */
  private located(e: ModelError, step: Step): ModelError {
    const where = `${this.trace.file}:${step.line}: `;
    if (e.message.startsWith(where)) return e;
    const located = new ModelError(where + e.message.replace(/^line \d+: /, ""));
    located.stack = e.stack;
    return located;
  }

  private validateCaller(es: EngineState, step: Step): void {
    const state = this.kernel.x.k_proc_state(step.pid);
    if (state === PROC_STATE.IDLE) return;
    const where = `${this.trace.file}:${step.line}`;
    const p = es.blocked.get(step.pid);
    if (p && state !== PROC_STATE.STOPPED) {
      throw new ModelError(
        `${where}: pid ${step.pid} is still blocked in ${p.call} (step ${p.step}); ` +
        "a blocked process cannot make a call",
      );
    }
    const what = state === PROC_STATE.ZOMBIE ? "has exited (a zombie)"
      : state === PROC_STATE.UNUSED ? "does not exist"
      : state === PROC_STATE.STOPPED ? "is stopped (a stopped process makes no step until SIGCONT)"
      : "cannot run";
    throw new ModelError(`${where}: pid ${step.pid} ${what}`);
  }

  /** A call by a process: issue it, then settle. */
  private runCall(es: EngineState, step: Step, outcome: Outcome): void {
    this.validateCaller(es, step);
    const depth = frameDepth(es, step.pid);
    if (step.call === "sigreturn") return this.runSigreturn(es, step, outcome);
    if (step.call === "fork" && depth > 0) {
      throw new ModelError(`line ${step.line}: fork inside a signal handler is not modelled ` +
        "(the child would return into its parent's interrupted call: docs/differences.md)");
    }
    const va = ioAreaAt(this.kernel, depth, step.line);
    const { issued, ret } = issue(this.kernel, resolveStep(step, es.rets), va);
    this.stepIssued = issued;
    if (ret === BLOCKED) {
      outcome.result = "blocked";
      es.blocked.set(step.pid, issued);
    } else if (ret !== KILLED) {
      outcome.result = decodeResult(this.kernel, issued, ret);
      es.rets[step.index] = ret;
    }
    this.collectEvents(es, outcome);
    this.settle(es, outcome);
  }

  /** A `calls` handler returns: the call its frame put aside is the process's again, and the
   * kernel's return is that call's (sim/model/frames.ts). The step itself returns 0. */
  private runSigreturn(es: EngineState, step: Step, outcome: Outcome): void {
    const c = frameClosing(es, step.pid, step.line);
    const { ret } = issue(this.kernel, step);
    if (ret !== KILLED) {
      outcome.result = { ret: 0 };
      es.rets[step.index] = 0;
    }
    if (c && ret === BLOCKED) es.blocked.set(step.pid, c);
    else if (c && ret !== KILLED) {
      outcome.events.push({ wake: c.pid, step: c.step, result: decodeResult(this.kernel, c, ret) });
      es.rets[c.step] = ret;
    }
    this.collectEvents(es, outcome);
    this.settle(es, outcome);
  }

  /** Time passes (made by no process): expiries one at a time up to the target, the system
   * settled after each, as processes run between two expiries on Linux. Timers due at the same
   * instant race (kernel/sys_time.ts timePick): each of them may fire first, or all at once;
   * each choice is a branch. */
  private runAdvance(es: EngineState, step: StepOf<"advance">, outcome: Outcome): void {
    outcome.result = { ret: 0 };
    es.rets[step.index] = 0;
    const k = this.kernel;
    const target = timeNow(k) + timeNs(step.args.by);
    for (;;) {
      const next = k.timeNext();
      const ties = next >= 0 && next <= target ? k.timeTies() : 0;
      // Alternatives: tie 0, 1, ..., ties - 1 fires first, or all of them at once (-1).
      const c = ties <= 1 ? 0 : this.decide(ties + 1);
      if (this.advanceOnce(es, outcome, target, c === ties ? -1 : c) === 0) return;
    }
  }

  /** Fire the next expiry on the way to `target` and settle: the kernel's ret (1: more time is
   * to pass). */
  private advanceOnce(es: EngineState, outcome: Outcome, target: number, pick: number): number {
    const rest = target - timeNow(this.kernel);
    if (rest < 0) throw new ModelError(`advance: the clock passed its target by ${-rest} ns`);
    this.kernel.timePick(pick);
    const ret = issueAdvance(this.kernel, rest);
    if (ret !== 0 && ret !== 1) {
      throw new ModelError(`advance: the kernel returned ${ret} (expected 0 or 1)`);
    }
    this.collectEvents(es, outcome);
    this.settle(es, outcome);
    return ret;
  }

  /** Retry woken processes until none is left; where several are woken at once, which retries
   * first is a branch point (not a doomed process whose death order does not show: it dies
   * first, kernel/sigdeliver.ts sigWokenFree). */
  private settle(es: EngineState, outcome: Outcome): void {
    const x = this.kernel.x;
    for (let n = x.k_woken_count(); n > 0; n = x.k_woken_count()) {
      const free = n === 1 ? 0 : x.k_woken_free();
      this.retryOne(es, free || x.k_woken_at(n === 1 ? 0 : this.decide(n)), outcome);
    }
  }

  private retryOne(es: EngineState, pid: number, outcome: Outcome): void {
    const ret = this.kernel.retry(pid);
    const c = es.blocked.get(pid);
    if (!c) {
      // A process a signal doomed outside any call (kernel/sigdeliver.ts sigDoom) only dies.
      if (ret !== KILLED) {
        throw new ModelError(`kernel woke pid ${pid}, which the engine did not see block`);
      }
      return this.collectEvents(es, outcome);
    }
    if (ret !== BLOCKED) {
      es.blocked.delete(pid);
      if (ret !== KILLED) {
        const ev = completed(es, outcome, c, decodeResult(this.kernel, c, ret), ret);
        if (ev) outcome.events.push(ev);
      }
      else if (c.step === outcome.step) delete outcome.result;
    }
    this.collectEvents(es, outcome);
  }

  private collectEvents(es: EngineState, outcome: Outcome): void {
    for (const e of this.kernel.drainEvents()) {
      const ev = this.convertEvent(es, outcome, e);
      if (ev) outcome.events.push(ev);
    }
  }

  private convertEvent(es: EngineState, outcome: Outcome, e: KernelEvent): TraceEvent | null {
    if (e.kind === EVENT.WAKE) {
      const c = es.blocked.get(e.pid);
      if (!c) throw new ModelError(`kernel handed a result to pid ${e.pid}, which is not blocked`);
      es.blocked.delete(e.pid);
      return completed(es, outcome, c, decodeResult(this.kernel, c, e.a), e.a);
    }
    if (e.kind === EVENT.FLOW) {
      (outcome.flows ??= []).push(flowOf(e));
      return null;
    }
    const ev = processEvent(e);
    if (!ev) throw new ModelError(`unknown kernel event kind ${e.kind}`);
    // A SIGCHLD run of unknown siginfo (kernel/sigdeliver.ts chldHandlerRuns: the step had
    // more than one child event) makes the step's earlier runs' unknown too, also those a
    // drain before this one took.
    if (e.kind === EVENT.SIGNAL && e.a === SIGNALS.SIGCHLD && e.e < 0) {
      for (const x of outcome.events) {
        if ("signal" in x && x.pid === e.pid && x.signal === "SIGCHLD") delete x.info;
      }
    }
    if (e.b === EVENT_B_FRAME_OVER_DONE && e.kind === EVENT.SIGNAL) {
      // The step's own call had not left the kernel after all: it waits under the handler.
      es.blocked.set(e.pid, this.stepIssued!);
      outcome.result = "blocked";
      delete es.rets[outcome.step];
    }
    if (opensFrame(e)) frameOpened(es, e.pid);
    if (e.kind === EVENT.EXIT) {
      framesGone(es, e.pid);
      // A caller killed inside its own call (woken, then a fatal signal) has no result.
      if (es.blocked.get(e.pid)?.step === outcome.step) delete outcome.result;
      es.blocked.delete(e.pid);
    }
    if (e.kind === EVENT.SIGNAL && e.b === 1) this.optional.add(ev);
    return ev;
  }

  /** The outcome without some of its optional events: for each process, any number of its. */
  private variantsOf(o: Outcome): Outcome[] {
    const groups = new Map<number, TraceEvent[]>();
    for (const e of o.events) {
      if (!this.optional.has(e) || !("signal" in e)) continue;
      groups.set(e.pid, [...(groups.get(e.pid) ?? []), e]);
    }
    if (groups.size === 0) return [];
    let drops: TraceEvent[][] = [[]];
    for (const list of groups.values()) {
      drops = drops.flatMap((d) =>
        list.map((_, k) => [...d, ...list.slice(0, k)]).concat([[...d, ...list]]));
      if (drops.length > BRANCH_LEAVES_MAX) drops = drops.slice(0, BRANCH_LEAVES_MAX);
    }
    return drops.filter((d) => d.length > 0).map((d) => {
      const drop = new Set(d);
      return { ...o, events: o.events.filter((e) => !drop.has(e)) };
    });
  }
}

function sameWorld(a: World, b: World): boolean {
  return a.execs === null && b.execs === null && a.from !== null && b.from !== null &&
    sameDiff(a.from, b.from);
}

/** A blocked call completed with `result`. The step's own caller (it slept and was woken
 * before quiescence) gets it as the step's result; any other process as a wake event. */
function completed(
  es: EngineState, outcome: Outcome, c: Issued, result: Result, ret: number,
): TraceEvent | null {
  es.rets[c.step] = ret;
  if (c.step === outcome.step) {
    outcome.result = result;
    return null;
  }
  return { wake: c.pid, step: c.step, result };
}

/** Calls with address fields, the only ones a `ref` may appear in (docs/trace-format.md): the
 * rows with an argument of kind `addr`. */
export const REF_CALLS: ReadonlySet<string> = new Set(
  CALL_NAMES.filter((c) => callSpec(c).args.some((a) => a.kind === "addr")),
);

/** A copy of the step with `ref` arguments replaced by this world's values. */
function resolveStep(step: Step, rets: readonly (number | undefined)[]): Step {
  if (!REF_CALLS.has(step.call)) return step;
  const args = step.args as unknown as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(args)) {
    if (v && typeof v === "object" && "ref" in (v as object)) {
      copy ??= { ...args };
      copy[k] = resolveInt(v as { ref: number; offset: number }, rets, step);
    }
  }
  return copy ? ({ ...step, args: copy } as unknown as Step) : step;
}
