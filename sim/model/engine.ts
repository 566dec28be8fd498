// The model side of a replay: run steps on the kernel to quiescence and produce, for each
// step, the set of outcomes the model allows, then continue from the one that happened.
//
// Quiescence: after the call, every woken process retries its call until none is left (each
// retry may complete, block again, or wake others). The kernel never decides who runs next:
// when two or more processes are woken at once, each retry order is a branch, explored from a
// memory snapshot (a "world"). Where Linux is deterministic only one process is ever woken and
// no snapshot is taken; that is the fast path.
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

import { EVENT, PROC_STATE } from "../../wasm/abi.js";
import { Kernel, type KernelEvent } from "../../wasm/kernel.js";
import { dropContOfExited, outcomeKey } from "../trace/compare.js";
import type { Outcome, Result, Step, Trace, TraceEvent } from "../trace/types.js";
import {
  BLOCKED, KILLED, ModelError, decodeResult, issue, resolveInt, type Issued, type StepOf,
} from "./calls.js";
import { processEvent } from "./events.js";
import { applyParams } from "./params.js";
import { issueAdvance, timeNow } from "./time.js";
import { timeNs } from "../trace/timespec.js";
import type { Prng } from "../prng.js";

/** What the engine knows besides the kernel memory: the calls of blocked processes (pid -> the
 * call; "blocked" as docs/glossary.md defines it, woken included) and each step's ret. */
interface EngineState {
  blocked: Map<number, Issued>;
  rets: (number | undefined)[];
}

interface Leaf {
  outcome: Outcome;
  es: EngineState;
  /** The kernel state after the step, or null when it is the kernel's live state. */
  snap: Uint8Array | null;
  /** The same world with fewer of its optional events (a SIGCHLD handler run Linux may or may
   * not make, kernel/sigdeliver.ts): other outcomes Linux allows from the same state. */
  variants?: Outcome[];
}

/** How many leaves (retry orders) one step may explore before the rest are cut off. */
const BRANCH_LEAVES_MAX = 64;
/** How many candidate worlds a replay keeps at once. */
const WORLDS_MAX = 16;

/** Options of replayTrace, checkTrace and ModelReplay. */
export interface ReplayOptions {
  /** Run kernel_check() after every step (tests do; it costs a table walk). */
  check?: boolean;
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

  constructor(
    readonly trace: Pick<Trace, "file" | "header">,
    opts: ReplayOptions = {},
    kernel?: Kernel,
  ) {
    this.kernel = kernel ?? new Kernel();
    if (kernel) this.kernel.reset();
    applyParams(this.kernel, trace);
    this.check = opts.check ?? false;
    const es: EngineState = { blocked: new Map(), rets: [] };
    this.worlds = [{ outcome: undefined as unknown as Outcome, es, snap: null }];
  }

  /** Every outcome the model allows for `step`, deduplicated (compare with outcomeKey). */
  step(step: Step): Outcome[] {
    this.leaves = [];
    const single = this.worlds.length === 1;
    for (const w of this.worlds) {
      if (!single || w.snap) this.kernel.restore(w.snap!);
      const es = single ? w.es : cloneState(w.es);
      for (const leaf of this.runStep(es, step, !single)) this.leaves.push(leaf);
    }
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
    const kept = this.leaves.filter((l) => accept(l.outcome) || (l.variants?.some(accept) ?? false),
    );
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
    if (worlds.length === 1 && worlds[0].snap) {
      this.kernel.restore(worlds[0].snap);
      worlds[0] = { ...worlds[0], snap: null };
    }
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

  private keepOnly(leaf: Leaf): boolean {
    if (leaf.snap) this.kernel.restore(leaf.snap);
    this.worlds = [{ ...leaf, snap: null }];
    this.leaves = [];
    return true;
  }

  /** The live kernel state, for the final state view (the first world). */
  settleView(): Kernel {
    if (this.worlds[0].snap) this.kernel.restore(this.worlds[0].snap);
    this.worlds = [{ ...this.worlds[0], snap: null }];
    return this.kernel;
  }

  /** The blocked calls of the (first) world: pid -> step index. */
  blockedSteps(): Map<number, number> {
    const out = new Map<number, number>();
    for (const [pid, c] of this.worlds[0].es.blocked) out.set(pid, c.step);
    return out;
  }

  worldCount(): number {
    return this.worlds.length;
  }

  // ---- one step in one world ----

  private runStep(es: EngineState, step: Step, mustSnap: boolean): Leaf[] {
    const outcome: Outcome = { step: step.index, pid: step.pid, call: step.call, events: [] };
    const leaves = step.call === "advance" ? this.runAdvance(es, step, outcome)
      : this.runCall(es, step, outcome);
    for (const l of leaves) {
      l.outcome.events = dropContOfExited(l.outcome.events);
      const variants = this.variantsOf(l.outcome);
      if (variants.length > 0) l.variants = variants;
    }
    if (this.check) this.checkLeaves(leaves);
    if (mustSnap) for (const l of leaves) if (!l.snap) l.snap = this.kernel.snapshot();
    return leaves;
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
  private runCall(es: EngineState, step: Step, outcome: Outcome): Leaf[] {
    this.validateCaller(es, step);
    const { issued, ret } = issue(this.kernel, resolveStep(step, es.rets));
    if (ret === BLOCKED) {
      outcome.result = "blocked";
      es.blocked.set(step.pid, issued);
    } else if (ret !== KILLED) {
      outcome.result = decodeResult(this.kernel, issued, ret);
      es.rets[step.index] = ret;
    }
    this.collectEvents(es, outcome);
    return this.settle(es, outcome);
  }

  /** Time passes (made by no process): expiries one at a time up to the target, the system
   * settled after each, as processes run between two expiries on Linux. */
  private runAdvance(es: EngineState, step: StepOf<"advance">, outcome: Outcome): Leaf[] {
    outcome.result = { ret: 0 };
    es.rets[step.index] = 0;
    return this.advanceFrom(es, outcome, timeNow(this.kernel) + timeNs(step.args.by));
  }

  /** Fire the next expiry on the way to `target` (monotonic ns), settle, and go on. Timers due
   * at the same instant race (kernel/sys_time.ts timePick): each of them may fire first, or
   * all at once; each choice is a branch. */
  private advanceFrom(es: EngineState, outcome: Outcome, target: number): Leaf[] {
    const k = this.kernel;
    const next = k.timeNext();
    const ties = next >= 0 && next <= target ? k.timeTies() : 0;
    if (ties <= 1) return this.advanceOnce(es, outcome, target, 0);
    const base = k.snapshot();
    const leaves: Leaf[] = [];
    for (const pick of [...Array(ties).keys(), -1]) {
      if (leaves.length >= BRANCH_LEAVES_MAX) break;
      k.restore(base);
      const o2: Outcome = { ...outcome, events: [...outcome.events] };
      const sub = this.advanceOnce(cloneState(es), o2, target, pick);
      for (const l of sub) leaves.push(l.snap || sub.length > 1 ? l : { ...l, snap: k.snapshot() });
    }
    return leaves;
  }

  private advanceOnce(es: EngineState, outcome: Outcome, target: number, pick: number): Leaf[] {
    const rest = target - timeNow(this.kernel);
    if (rest < 0) throw new ModelError(`advance: the clock passed its target by ${-rest} ns`);
    this.kernel.timePick(pick);
    const ret = issueAdvance(this.kernel, rest);
    if (ret !== 0 && ret !== 1) {
      throw new ModelError(`advance: the kernel returned ${ret} (expected 0 or 1)`);
    }
    this.collectEvents(es, outcome);
    const leaves = this.settle(es, outcome);
    if (ret === 0) return leaves;
    const out: Leaf[] = [];
    for (const l of leaves) {
      if (out.length >= BRANCH_LEAVES_MAX) break;
      if (l.snap) this.kernel.restore(l.snap);
      const sub = this.advanceFrom(l.es, l.outcome, target);
      // Several worlds: each result must keep its own state before the next world is restored.
      for (const s of sub) {
        out.push(s.snap || leaves.length === 1 ? s : { ...s, snap: this.kernel.snapshot() });
      }
    }
    return out;
  }

  /** Retry woken processes until none is left, branching when several are woken at once. */
  private settle(es: EngineState, outcome: Outcome): Leaf[] {
    // One woken process at a time is the common case: no list, no branch.
    const x = this.kernel.x;
    while (x.k_woken_count() === 1) this.retryOne(es, x.k_woken_at(0), outcome);
    const woken = this.kernel.woken();
    if (woken.length === 0) return [{ outcome, es, snap: null }];
    const base = this.kernel.snapshot();
    const leaves: Leaf[] = [];
    for (let i = 0; i < woken.length && leaves.length < BRANCH_LEAVES_MAX; i++) {
      if (i > 0) this.kernel.restore(base);
      const es2 = cloneState(es);
      const o2: Outcome = { ...outcome, events: [...outcome.events] };
      this.retryOne(es2, woken[i], o2);
      const sub = this.settle(es2, o2);
      for (const l of sub) {
        leaves.push(l.snap || sub.length > 1 ? l : { ...l, snap: this.kernel.snapshot() });
      }
    }
    return leaves;
  }

  private retryOne(es: EngineState, pid: number, outcome: Outcome): void {
    const ret = this.kernel.retry(pid);
    const c = es.blocked.get(pid);
    if (!c) throw new ModelError(`kernel woke pid ${pid}, which the engine did not see block`);
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
    const ev = processEvent(e);
    if (!ev) throw new ModelError(`unknown kernel event kind ${e.kind}`);
    if (e.kind === EVENT.EXIT) {
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

  private checkLeaves(leaves: Leaf[]): void {
    if (leaves.length === 1 && !leaves[0].snap) {
      this.kernel.check();
      return;
    }
    for (const l of leaves) {
      this.kernel.restore(l.snap!);
      this.kernel.check();
    }
  }
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

function cloneState(es: EngineState): EngineState {
  return { blocked: new Map(es.blocked), rets: es.rets.slice() };
}

/** Calls with address fields, the only ones a `ref` may appear in (docs/trace-format.md). */
const REF_CALLS: ReadonlySet<string> =
  new Set(["shmat", "shmdt", "store", "load", "mmap", "munmap"]);

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
