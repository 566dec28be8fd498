// fast-check arbitraries of well-formed traces.
//
// A trace is valid only if every step's caller is idle, and whether a call blocks is the
// kernel's business, so traces are generated *against the model*: fast-check draws a list of
// abstract choices (which idle process, which kind of call, abstract arguments: all plain
// values, so shrinking works on them), and `buildTrace` turns the choices into steps one at a
// time, running each on a live ModelReplay and reading the outcomes before choosing the next.
//
// Valid under every outcome, not just one: where the model allows several outcomes for a step
// (two woken readers, either may run first), the builder keeps every world and only lets a
// process call when it is idle in all of them. So `ipcsim replay` with any seed, and real Linux
// whichever way it goes, can run the whole trace. Three rules keep the traces useful:
//   - a choice whose step would leave no process idle is dropped (the trace could not go on);
//   - a choice that makes no sense for the caller (`build` returns null) is dropped;
//   - a step on which the model throws (a kernel panic, a trap) ends the trace, and is kept as
//     its last step: the trace then reproduces the failure.
//
// The call table (call-table.ts) is where calls are added; the shadow state (shadow.ts) is
// what arguments are aimed with.

import fc from "fast-check";
import { ModelReplay } from "../sim/model/engine.js";
import { decodeStep } from "../sim/trace/parse.js";
import { traceToJsonl } from "../sim/trace/serialise.js";
import type { Outcome, Step, Trace } from "../sim/trace/types.js";
import { Kernel } from "../wasm/kernel.js";
import { CALL_TABLE, type CallKind } from "./call-table.js";
import { Shadow } from "./shadow.js";
import { isClockCall } from "../sim/trace/calls.js";
import { checkWeights, DEFAULT_WEIGHTS, type Weights } from "./weights.js";

export interface TraceOptions {
  /** Steps in a trace, at most (default 40, or $IPCSIM_PROPERTY_STEPS). */
  stepsMax?: number;
  /** Weights by generator entry name, over the defaults (weights.ts); 0 leaves an entry out.
   * An unknown name throws. */
  weights?: Weights;
  /** Draw O_DIRECT (packet mode) in pipe2, F_SETFL and open (default true). */
  packet?: boolean;
  /** Let signals target -1 and 1 (default true): without a PID namespace the host bridge
   * refuses both (they would reach host processes), so its fallback asks for false. */
  hostPids?: boolean;
  /** Give some traces a small tmpfs (header params `tmpfs.size`, `tmpfs.nr_inodes`), so that
   * writes, creates and links run out of blocks and inodes (default false: the host bridge
   * needs its own mount to apply them). */
  smallTmpfs?: boolean;
  /** The header's params (buildTrace; traceArb draws them with smallTmpfs). */
  params?: Record<string, number>;
}

/** One abstract choice: which idle process (an index), which table entry, its draws. */
interface Choice {
  pid: number;
  kind: number;
  args: unknown;
}

/** Worlds (retry orders the model keeps apart) a trace may need at once. Each costs a copy
 * of kernel memory (32 MiB) per step; a choice that needs more is dropped. */
const WORLDS_LIMIT = 4;
/** Extra worlds summed over a trace's steps, at most: past it the trace ends (a time budget:
 * a step run in a second world costs 40-500 ms more: a 32 MiB snapshot, and GC). */
const EXTRA_WORLD_STEPS_MAX = 2;

const FILE = "<generated>";

/** A generated trace, with the seed its replays use to pick among allowed outcomes. Printed
 * (fast-check counterexamples) as a trace file ready to save and replay. */
export class GeneratedTrace {
  constructor(
    readonly trace: Trace,
    readonly seed: number,
    /** Why the trace ends where it does. */
    readonly stop: string,
    /** The error the model threw at the last step, if it did. */
    readonly error?: unknown,
  ) {}

  get steps(): Step[] {
    return this.trace.steps;
  }

  jsonl(): string {
    return traceToJsonl(this.trace);
  }

  [fc.toStringMethod](): string {
    return [
      "",
      `# ipcsim trace: ${this.steps.length} steps (${this.stop}); replay seed ${this.seed}`,
      `# save these lines as t.jsonl, then: node dist/cli.js replay t.jsonl --seed ${this.seed}`,
      this.jsonl(),
    ].join("\n");
  }
}

/** Steps per trace by default: $IPCSIM_PROPERTY_STEPS, else 40. */
function defaultStepsMax(): number {
  const v = Number(process.env.IPCSIM_PROPERTY_STEPS);
  return Number.isInteger(v) && v > 0 ? v : 40;
}

/** The table's entries with their weights for these options (weight 0 is left out). */
function entries(opts: TraceOptions): { kind: CallKind; index: number; weight: number }[] {
  const weights = { ...DEFAULT_WEIGHTS, ...opts.weights };
  if (opts.weights) checkWeights(opts.weights, "traceArb weights");
  return CALL_TABLE
    .map((kind, index) => ({ kind, index, weight: weights[kind.name] }))
    .filter((e) => e.weight > 0);
}

/** The arbitrary of abstract choices (what shrinks). */
export function choiceArb(opts: TraceOptions = {}): fc.Arbitrary<Choice> {
  const kinds = entries(opts).map((e) => ({
    weight: e.weight,
    arbitrary: e.kind.args.map((args) => ({ kind: e.index, args })),
  }));
  return fc.record({ pid: fc.nat({ max: 15 }), op: fc.oneof(...kinds) })
    .map(({ pid, op }) => ({ pid, kind: op.kind, args: op.args }));
}

/** Well-formed traces: valid under every outcome the model allows (see the file comment). */
export function traceArb(opts: TraceOptions = {}): fc.Arbitrary<GeneratedTrace> {
  const stepsMax = opts.stepsMax ?? defaultStepsMax();
  // Spare choices: some are dropped, and a trace should often reach stepsMax. No bias: fast-
  // check's bias towards small arrays would make most traces a few steps long (shrinking still
  // finds the short ones).
  const choices = fc.noBias(fc.array(choiceArb(opts), { maxLength: stepsMax * 2, size: "max" }));
  const params = opts.smallTmpfs ? smallTmpfsArb() : fc.constant({});
  return fc.tuple(choices, fc.nat({ max: 0xffffffff }), params)
    .map(([cs, seed, p]) => buildTrace(cs, seed, { ...opts, stepsMax, params: p }));
}

/** Half the traces keep the default tmpfs; the rest get 1 to 6 pages and 2 to 8 inodes (the
 * root and one more at least), sizes not always whole pages (Linux rounds them up). Shrinks
 * towards the default. */
function smallTmpfsArb(): fc.Arbitrary<Record<string, number>> {
  const small = fc.record({
    "tmpfs.size": fc.integer({ min: 1, max: 6 * 4096 }),
    "tmpfs.nr_inodes": fc.integer({ min: 2, max: 8 }),
  });
  return fc.option(small, { nil: undefined, freq: 2 }).map((p) => p ?? {});
}

// ---- the builder ----

/** "stopped": stopped while idle; "stopped-blocked": stopped inside a call (SIGCONT brings it
 * back to blocked, and a wake event then to idle). Neither makes a step. In a `calls` handler,
 * the status of what each open frame put aside follows, innermost first: "idle|blocked" runs a
 * handler that interrupted a blocked call (its sigreturn gives "blocked" back). */
type Base = "idle" | "blocked" | "gone" | "unsure" | "stopped" | "stopped-blocked";
export type Status = Base | `${Base}|${string}`;

/** The status of what p does now (the innermost frame's), and what its frames put aside. */
function topOf(s: Status): Base {
  const bar = s.indexOf("|");
  return (bar < 0 ? s : s.slice(0, bar)) as Base;
}
function belowOf(s: Status): string {
  const bar = s.indexOf("|");
  return bar < 0 ? "" : s.slice(bar);
}
function withTop(s: Status, top: Base): Status {
  return top === "gone" || top === "unsure" ? top : `${top}${belowOf(s)}` as Status;
}

/** The kernel every build runs on (reset each time): instantiating one costs ~20 ms. */
let builderKernel: Kernel | undefined;

/** The trace the choices make (see the file comment). Deterministic: same choices, same trace. */
export function buildTrace(
  choices: readonly Choice[],
  seed = 0,
  opts: TraceOptions = {},
): GeneratedTrace {
  const stepsMax = opts.stepsMax ?? defaultStepsMax();
  const trace: Trace = {
    file: FILE,
    header: { trace: "ipcsim", version: 1, name: "generated", params: { ...opts.params } },
    steps: [],
  };
  builderKernel ??= new Kernel();
  let run = new BuildRun(trace, builderKernel);
  let stop = "choices used up";
  let extraWorldSteps = 0;
  for (const c of choices) {
    if (trace.steps.length >= stepsMax) {
      stop = `${stepsMax} steps`;
      break;
    }
    if (extraWorldSteps > EXTRA_WORLD_STEPS_MAX) {
      stop = "world budget spent";
      break;
    }
    const step = nextStep(run, c, opts);
    if (!step) continue;
    trace.steps.push(step);
    const r = run.take(step);
    if (r === "error") {
      builderKernel = undefined; // it may be inconsistent after a trap
      return new GeneratedTrace(trace, seed, `the model threw at step ${step.index}`, run.error);
    }
    if (r === "dropped") {
      trace.steps.pop();
      // Replaying a trace that already branched costs a snapshot per world and step: end it.
      if (extraWorldSteps > 0) {
        stop = "a step would have left no process idle";
        break;
      }
      run = BuildRun.replaying(trace, builderKernel);
    }
    extraWorldSteps += run.model.worldCount() - 1;
  }
  return new GeneratedTrace(trace, seed, stop);
}

/** The step a choice makes for the current state, or null if it makes none. */
function nextStep(run: BuildRun, c: Choice, opts: TraceOptions): Step | null {
  const idle = run.idle();
  if (idle.length === 0) return null;
  const pid = idle[c.pid % idle.length];
  const index = run.trace.steps.length;
  const kind = CALL_TABLE[c.kind];
  const ctx = {
    pid, shadow: run.shadow, index, packet: opts.packet ?? true, hostPids: opts.hostPids ?? true,
  };
  const fields = kind.build(c.args, ctx);
  if (!fields) return null;
  // A child forked in a handler would return into its parent's interrupted call: not modelled.
  if (fields.call === "fork" && run.shadow.inHandler(pid)) return null;
  if (fields.call !== kind.call) {
    throw new Error(`assertion: generator entry ${kind.name} built a ${fields.call} step`);
  }
  const { call, ...args } = fields;
  // The line a trace file gives it: the header is line 1. A clock step (advance) has no pid.
  const where = { file: FILE, line: index + 2 };
  const raw = isClockCall(call) ? { call, ...args } : { pid, call, ...args };
  return decodeStep(raw, index, run.trace.steps, where);
}

/** One pass of the builder over a ModelReplay: the statuses of processes across all worlds,
 * and a shadow that follows one of them (it only aims arguments). */
class BuildRun {
  readonly shadow = new Shadow(false);
  private status = new Map<number, Status>([[2, "idle"]]);
  readonly model: ModelReplay;
  error: unknown;

  constructor(readonly trace: Trace, kernel: Kernel) {
    this.model = new ModelReplay(trace, {}, kernel);
  }

  /** A run that has taken every step of `trace` again (after a dropped step). */
  static replaying(trace: Trace, kernel: Kernel): BuildRun {
    const run = new BuildRun(trace, kernel);
    for (const step of trace.steps) {
      if (run.take(step) !== "taken") {
        throw new Error(`assertion: step ${step.index} no longer replays`);
      }
    }
    return run;
  }

  idle(): number[] {
    const idle = [...this.status].filter(([, s]) => topOf(s) === "idle");
    return idle.map(([pid]) => pid).sort((a, b) => a - b);
  }

  /** Run the step in every world. "dropped": it would leave no process idle, or need too many
   * worlds (the run is then spoilt: replay the trace without it). */
  take(step: Step): "taken" | "dropped" | "error" {
    let outcomes: Outcome[];
    try {
      outcomes = this.model.step(step);
    } catch (e) {
      this.error = e;
      return "error";
    }
    this.model.choose(() => true);
    const next = statusAfter(this.status, step, outcomes);
    const anyIdle = [...next.values()].some((s) => topOf(s) === "idle");
    if (!anyIdle || this.model.worldCount() > WORLDS_LIMIT) return "dropped";
    this.status = next;
    this.shadow.apply(step, outcomes[0]);
    return "taken";
  }
}

/** Each process's status after `step`, over every allowed outcome: where they disagree it is
 * "unsure", and an unsure process never calls again (it may be blocked in some world). */
export function statusAfter(
  before: ReadonlyMap<number, Status>,
  step: Step,
  outcomes: readonly Outcome[],
): Map<number, Status> {
  const each = outcomes.map((o) => statusIn(before, step, o));
  const pids = new Set(each.flatMap((m) => [...m.keys()]));
  const out = new Map<number, Status>();
  for (const pid of pids) {
    const seen = new Set(each.map((m) => m.get(pid) ?? "gone"));
    const was = before.get(pid);
    if (was === "unsure") out.set(pid, seen.size === 1 && seen.has("gone") ? "gone" : "unsure");
    else out.set(pid, seen.size === 1 ? [...seen][0] : "unsure");
  }
  return out;
}

function statusIn(before: ReadonlyMap<number, Status>, step: Step, o: Outcome) {
  const m = new Map(before);
  const r = o.result;
  if (!isClockCall(step.call)) {
    const was = m.get(step.pid) ?? "idle";
    const top = r === undefined ? "gone" : r === "blocked" ? "blocked" : "idle";
    // A sigreturn gives back what its frame put aside (its events may then end that call).
    if (step.call === "sigreturn" && top !== "gone") {
      m.set(step.pid, belowOf(was).slice(1) as Status);
    } else {
      m.set(step.pid, withTop(was, top));
    }
  }
  const child = step.call === "fork" && typeof r === "object" ? r.ret : 0;
  if (typeof child === "number" && child > 0) m.set(child, "idle");
  const top = (pid: number) => topOf(m.get(pid) ?? "gone");
  const set = (pid: number, b: Base) => m.set(pid, withTop(m.get(pid) ?? "gone", b));
  for (const e of o.events) {
    if ("stop" in e) set(e.stop, top(e.stop) === "idle" ? "stopped" : "stopped-blocked");
    if ("cont" in e) set(e.cont, top(e.cont) === "stopped" ? "idle" : "blocked");
  }
  for (const e of o.events) {
    if ("wake" in e && top(e.wake) === "blocked") set(e.wake, "idle");
    if ("exit" in e) m.set(e.exit, "gone");
  }
  // A frame opened: the process runs the handler, what it was doing put aside.
  for (const e of o.events) {
    if ("signal" in e && e.frame && top(e.pid) !== "gone") m.set(e.pid, `idle|${m.get(e.pid)}`);
  }
  return m;
}
