// One execution of a scenario: the simulated processes' JS, the kernel, and the decisions.
//
// Scheduling model = the trace model (docs/scenarios.md): one call at a time, then quiescence.
// Each process's JS runs until it asks for its next call (an `os` method), then waits for its
// turn. When no process's JS is running, a decision picks which waiting process makes its call
// (decisions.ts); the call runs in the kernel; while processes are woken, each "which woken
// process retries first" with two or more is a decision too (where Linux races); then every
// process whose call returned (the caller, processes handed a result or woken to complete)
// gets its result, after the handlers of any signals delivered to it have run. Results go out
// in pid order after quiescence, and a resumed process runs to its next call before anything
// else is decided, so one process's JS runs at a time.
//
// Time (docs/scenarios.md "Time"): while a timer is pending, the clock is a candidate of the
// process decision (an `advance` step to the next deadline); with no process able to step, time
// jumps there. CLOCK_CHOICES_MAX and LIVELOCK_ADVANCES bound advances in a row.
//
// The loop is driven from inside the calls: a call made when no other process is running runs
// the scheduler synchronously until some process has a result (one promise settlement a step).
// A run whose JS neither calls nor returns for STUCK_TURNS event-loop turns is `stuck`.

import { ERRNO, EVENT } from "../../wasm/abi.js";
import { BLOCKED, KILLED, KernelPanic, type Kernel, type KernelEvent } from "../../wasm/kernel.js";
import { ModelError, decodeResult, issue, type Issued } from "../model/calls.js";
import { processEvent } from "../model/events.js";
import { EVENT_B_FRAME_OVER_DONE, ioAreaAt, opensFrame } from "../model/frames.js";
import {
  SIGRETURN, frameOpens, frameToStart, handlerDepth, sigreturned, startHandler, type HandlerHost,
} from "./handlers.js";
import { issueAdvance } from "../model/time.js";
import { nsTimespec } from "../trace/timespec.js";
import { dropContOfExited } from "../trace/compare.js";
import type { Outcome, Step } from "../trace/types.js";
import {
  CLOCK, DECISION_PROC, DECISION_WOKEN, DecisionLog, type DecisionKind,
} from "./decisions.js";
import { AssertionFailure, ErrnoError } from "./errors.js";
import type { CallExtra, CallRequest, Ok, OsHost, ProcessMain } from "./os.js";
import type { Strategy } from "./strategies/strategy.js";
import { Tracker } from "./tracking.js";
import type { Verdict } from "./verdict.js";
import { explainLivelock, type BlockedProc } from "./deadlock.js";
import { Progress, explainStuck, unwatchTurns, watchTurns } from "./stuck.js";
import { describeError } from "./stack.js";
import {
  ReadyList, SimProc, STATE, capture, captured, liveOf, noop, sortByPid, type Request,
} from "./sim-proc.js";
import { plural } from "../text.js";
import type { ExecOptions, ExecResult } from "./exec-result.js";
import { FootprintRecorder } from "./footprint.js";
import { RunOutput } from "./console.js";
import { stateKey } from "./state-key.js";

export type { ExecResult } from "./exec-result.js";

/** A scenario's steps have no trace JSON until the recorder writes it (record.ts toTrace). */
const NO_RAW: Record<string, unknown> = Object.freeze({});
const EXIT_0: CallRequest = { call: "exit", args: { status: 0 } };
const KERNEL_CHOICES = [1 << 30, (1 << 30) + 1, (1 << 30) + 2, (1 << 30) + 3];
const FORK_IN_HANDLER = "fork inside a signal handler is not modelled (the child would return " +
  "into its parent's interrupted call: docs/differences.md)";

/** Advances a strategy may choose in a row while some process could make a call. */
const CLOCK_CHOICES_MAX = 3;
/** Advances in a row with no call that end a run as a livelock. */
export const LIVELOCK_ADVANCES = 1000;
const NS_PER_S = 1e9;

export class Execution implements OsHost, HandlerHost {
  private procs: SimProc[] = [];
  private live: number[] = [];
  private readyList = new ReadyList();
  private running = 0;
  private pumping = false;
  finished = false;
  get recording(): boolean { return this.opts.record; }
  private last = 0;
  toResume: SimProc[] = [];
  /** The kernel's event records of the last drain (reused: Kernel.drainEventsInto). */
  private readonly events: KernelEvent[] = [];
  /** Advances since the last call by a process: all of them, and those a strategy chose. */
  private advancesInRow = 0;
  private clockChoices = 0;
  /** Calls and returns by the processes' JS, for the stuck check. */
  private readonly progress = new Progress();
  private result!: ExecResult;
  /** The one outcome of every step of a run not recorded (ExecOptions.record). */
  private readonly scratch: Outcome =
    { step: 0, pid: 0, call: "advance", events: [], result: undefined };
  private settle!: (r: ExecResult) => void;
  readonly tracker: Tracker;
  /** Footprints for a strategy that observes them (partial-order reduction), else null. */
  private readonly fp: FootprintRecorder | null;
  private out!: RunOutput;
  /** For pool.ts's watchdog: watch[pid] is 1 while pid's JS runs (no call asked for yet). */
  watch: Int32Array | null = null;

  constructor(
    readonly k: Kernel,
    private readonly strategy: Strategy,
    private readonly opts: ExecOptions,
    private readonly endRun: (x: Execution, r: ExecResult) => Verdict,
  ) {
    this.tracker = new Tracker(k, opts.trackPipes);
    const observe = strategy.observe?.bind(strategy);
    this.fp = observe ? new FootprintRecorder(k, observe) : null;
  }

  /** Run main as pid 2 on the (already reset) kernel; the strategy has begun its run. */
  start(main: ProcessMain): Promise<ExecResult> {
    this.result = {
      verdict: { kind: "ok" }, log: new DecisionLog(), steps: [], outcomes: [], refs: [],
      stepsBy: [0], sometimes: new Map(), logs: [], logAt: [], tracker: this.tracker,
      recorded: this.opts.record,
    };
    this.out = new RunOutput(this.k, this.result, this.opts.record);
    const done = new Promise<ExecResult>((res) => (this.settle = res));
    // A race inside the kernel (kernel/hooks.ts kernelChoose: a SIGCHLD that may have
    // coalesced) is a decision, its alternatives named as pids no process has.
    this.k.chooser = (n) => this.decide(DECISION_WOKEN, KERNEL_CHOICES.slice(0, n), false);
    const p = this.spawn(2);
    this.pumping = true;
    this.startMain(p, main);
    this.pumping = false;
    this.pump();
    if (!this.finished) watchTurns(this);
    return done;
  }

  // ---- the OsHost side: what a process's JS calls ----

  call<T>(pid: number, body: CallRequest, map: (r: Ok) => T, extra?: CallExtra): Promise<T> {
    // No executor closure per call: `capture` hands out the resolving functions. What the
    // executor did runs right after, a throw rejecting the promise as it would have.
    const promise = new Promise<T>(capture);
    const resolve = captured.resolve;
    const reject = captured.reject;
    captured.resolve = captured.reject = noop; // keep no finished run alive
    try {
      if (this.finished) return promise; // the run is over: this process never continues
      const p = this.procs[pid];
      if (p.state !== STATE.RUNNING) {
        const message = `pid ${pid} called ${body.call} while its previous call was still pending` +
          " (await every os call)";
        this.fail({ kind: "exception", pid, message });
        return promise;
      }
      this.ready(p, { body, map: map as (r: Ok) => unknown, resolve, reject, extra });
    } catch (e) {
      reject(e);
    }
    return promise;
  }

  assert(pid: number, ok: boolean, message: string): void {
    if (ok) return;
    const e = new AssertionFailure(message, pid);
    this.fail({ kind: "assertion", pid, message });
    throw e;
  }

  sometimes(_pid: number, ok: boolean, name: string): void {
    const m = this.result.sometimes;
    if (ok) m.set(name, true);
    else if (!m.has(name)) m.set(name, false);
  }

  log(pid: number, text: string): void { this.out.log(`[pid ${pid}] ${text}`); }

  // ---- processes ----

  private spawn(pid: number): SimProc {
    const p = new SimProc(pid, this, this.readyList);
    p.order = this.live.length;
    this.procs[pid] = p;
    this.live.push(pid);
    this.result.stepsBy[pid] = 0;
    this.runs(p);
    return p;
  }

  /** p's JS runs (until its next call): the watchdog sees it in `watch`. */
  runs(p: SimProc): void {
    p.state = STATE.RUNNING;
    this.running++;
    if (this.watch !== null && p.pid < this.watch.length) this.watch[p.pid] = 1;
  }

  /** p's JS stopped (a call, a return, a throw): for the watchdog and the stuck check. */
  private moved(p: SimProc): void {
    if (this.watch !== null && p.pid < this.watch.length) this.watch[p.pid] = 0;
    this.progress.moves++;
  }

  /** p asks for its next call (or returned from main): it waits for its turn. */
  ready(p: SimProc, req: Request): void {
    p.req = req;
    p.state = STATE.READY;
    this.moved(p);
    if (--this.running === 0) this.pump();
  }

  private startMain(p: SimProc, main: ProcessMain | undefined): void {
    let r: unknown;
    try {
      r = main ? main(p.os) : undefined;
    } catch (e) {
      this.mainFailed(p, e);
      return;
    }
    if (r && typeof (r as Promise<unknown>).then === "function") {
      (r as Promise<unknown>).then(() => this.mainReturned(p), (e) => this.mainFailed(p, e));
    } else {
      this.mainReturned(p);
    }
  }

  /** Returning from a main is exit(0). */
  private mainReturned(p: SimProc): void {
    if (this.finished || p.state !== STATE.RUNNING) return;
    this.ready(p, { body: EXIT_0, map: noop, resolve: noop, reject: noop });
  }

  mainFailed(p: SimProc, e: unknown): void {
    this.moved(p);
    if (e instanceof AssertionFailure) return; // already the verdict
    // A call the model has no code for (a C guest's unmarshalled command, say).
    if (e instanceof ModelError) return this.fail({ kind: "unsupported", message: e.message });
    this.fail({ kind: "exception", pid: p.pid, ...describeError(e), error: e });
  }

  // ---- the loop ----

  private pump(): void {
    if (this.pumping || this.finished) return;
    this.pumping = true;
    try {
      while (!this.finished && this.running === 0) this.stepOnce();
    } catch (e) {
      if (e instanceof ModelError) this.fail({ kind: "unsupported", message: e.message });
      else if (e instanceof KernelPanic) this.fail({ kind: "kernel-panic", message: e.message });
      else {
        const message = `internal error: ${(e as Error)?.stack ?? e}`;
        this.fail({ kind: "exception", pid: 0, message, error: e });
      }
    } finally {
      this.pumping = false;
    }
  }

  private candidates(): number[] {
    // The last process first (no unshift: it reallocated the array at every step).
    const out: number[] = [];
    const last = this.procs[this.last];
    if (last !== undefined && last.inReady) out.push(this.last);
    for (const order of this.readyList.order) {
      const pid = this.live[order];
      if (pid !== this.last) out.push(pid);
    }
    return out;
  }

  private decide(kind: DecisionKind, candidates: number[], continuable: boolean): number {
    const { log, steps, stepsBy } = this.result;
    const state = this.opts.stateKeys && kind === DECISION_PROC ? () =>
      stateKey(this.k, this.procs, this.live, stepsBy, this.clockChoices) : undefined;
    const v = this.strategy.choose({
      kind, candidates, last: this.last, steps: steps.length, stepsBy, index: log.length, state,
    });
    if (!(v >= 0 && v < candidates.length)) {
      throw new Error(`strategy ${this.strategy.name} chose ${v} of ${candidates.length}`);
    }
    log.push(kind, candidates.length, v, continuable);
    return v;
  }

  private stepOnce(): void {
    const cands = this.candidates();
    const next = this.k.timeNext();
    if (cands.length === 0 && next < 0) return this.end();
    if (this.result.steps.length >= this.opts.maxSteps) {
      const message =
        `no verdict after ${plural(this.opts.maxSteps, "call")} (a livelock, or raise maxSteps)`;
      return this.fail({ kind: "step-limit", message });
    }
    if (this.advancesInRow >= LIVELOCK_ADVANCES) return this.livelock();
    // No process can step: time jumps to the next deadline, with no decision.
    if (cands.length === 0) return this.advance(next);
    if (next >= 0 && this.clockChoices < CLOCK_CHOICES_MAX) cands.push(CLOCK);
    const i = cands.length > 1 ? this.decide(DECISION_PROC, cands, cands[0] === this.last) : 0;
    if (cands[i] !== CLOCK) return this.issueFor(this.procs[cands[i]]);
    this.clockChoices++;
    this.advance(next);
  }

  /** An advance step to `deadline` (ns): time passes, every timer due then fires, the system
   * settles. The kernel fires one timer a call (ret 1) and is called again for the rest, as
   * the trace engine does (sim/model/engine.ts); timers due together fire in arm order. */
  private advance(deadline: number): void {
    const r = this.result;
    const index = r.steps.length;
    const args = { by: nsTimespec(deadline - this.k.timeNow()) };
    const step = { index, line: index + 2, pid: CLOCK, call: "advance", args, raw: NO_RAW } as Step;
    r.steps.push(step);
    r.stepsBy[CLOCK]++;
    this.advancesInRow++;
    const outcome = this.outcomeOf(index, CLOCK, "advance", null);
    this.fp?.begin(step);
    let ret: number;
    do {
      ret = issueAdvance(this.k, deadline - this.k.timeNow());
      this.drain(outcome);
      this.quiesce(outcome);
    } while (ret === 1);
    outcome.result = { ret: 0 };
    if (this.opts.record) outcome.events = dropContOfExited(outcome.events);
    if (this.opts.kernelCheck) this.k.check();
    this.fp?.end(step, 0);
    this.resumeAll();
  }

  private livelock(): void {
    const r = this.result;
    const time = this.k.timeNow() / NS_PER_S;
    const explanation = explainLivelock(
      this.k, r.steps, r.outcomes, this.tracker, this.liveProcs(), this.advancesInRow,
    );
    this.fail({ kind: "livelock", time, explanation });
  }

  private issueFor(p: SimProc): void {
    const req = p.req!;
    p.req = null;
    p.state = STATE.IN_CALL;
    p.inflight = req;
    this.last = p.pid;
    // A handler's return is no progress: one that made no call leaves time alone passing.
    if (req.body !== SIGRETURN) {
      this.advancesInRow = 0;
      this.clockChoices = 0;
    }
    const r = this.result;
    const index = r.steps.length;
    // Built field by field in the parser's order (one object shape for every step: a spread
    // here made the scheduler three times slower).
    const { call, args } = req.body;
    const step = { index, line: index + 2, pid: p.pid, call, args, raw: NO_RAW } as Step;
    r.steps.push(step);
    r.stepsBy[p.pid]++;
    const outcome = this.outcomeOf(index, p.pid, call, step);
    if (this.opts.trackPipes && (step.call === "read" || step.call === "write")) {
      p.pipe = this.tracker.pipeOf(p.pid, step.args.fd);
    }
    this.fp?.begin(step);
    if (call === "fork" && p.frames) throw new ModelError(FORK_IN_HANDLER);
    const { issued, ret } = issue(this.k, step, ioAreaAt(this.k, handlerDepth(p), step.line));
    if (call === "sigreturn") sigreturned(this, p, ret, outcome);
    else this.issued(p, issued, index, ret, outcome);
    this.out.stepped(step, outcome);
    this.drain(outcome);
    this.quiesce(outcome);
    // As the trace engine does (sim/trace/compare.ts): the recorded outcome must be one that
    // `ipcsim check` and `diff` allow.
    if (outcome.events.length > 1 && this.opts.record) {
      outcome.events = dropContOfExited(outcome.events);
    }
    if (this.opts.kernelCheck) this.k.check();
    this.fp?.end(step, outcome.result);
    this.resumeAll();
  }

  /** p's call at step `index` returned `ret` from the kernel. */
  private issued(p: SimProc, issued: Issued, index: number, ret: number, outcome: Outcome): void {
    p.issued = issued;
    p.callStep = index;
    if (ret === BLOCKED) {
      outcome.result = "blocked";
      p.state = STATE.BLOCKED;
    } else if (ret !== KILLED) {
      const res = decodeResult(this.k, issued, ret);
      outcome.result = res;
      this.returned(p, res as Ok);
    }
  }

  /** The outcome of step `index`: a new one, recorded (with the step's address refs), or the
   * scratch one, reset, when the run is not recorded. */
  private outcomeOf(index: number, pid: number, call: Outcome["call"], step: Step | null):
    Outcome {
    if (!this.opts.record) {
      const o = this.scratch;
      o.step = index;
      o.pid = pid;
      o.result = undefined;
      return o;
    }
    const r = this.result;
    r.refs.push(step ? this.tracker.refFor(pid, step) : null);
    const outcome: Outcome = { step: index, pid, call, events: [] };
    r.outcomes.push(outcome);
    return outcome;
  }

  /** A blocked step's caller was killed: its outcome has no result. */
  private noResult(outcome: Outcome): void {
    if (this.opts.record) delete outcome.result;
    else outcome.result = undefined;
  }

  /** Retry woken processes until none is left; with two or more woken, a decision (none for a
   * doomed process whose death order does not show: kernel/sigdeliver.ts sigWokenFree). */
  private quiesce(outcome: Outcome): void {
    const x = this.k.x;
    for (;;) {
      const n = x.k_woken_count();
      if (n === 0) return;
      let pid: number = n === 1 ? x.k_woken_at(0) : x.k_woken_free();
      if (pid === 0) {
        const woken: number[] = [];
        for (let w = x.k_woken_after(0); w !== 0; w = x.k_woken_after(w)) woken.push(w);
        pid = woken[this.decide(DECISION_WOKEN, woken, false)];
      }
      const ret = this.k.retry(pid);
      if (ret !== BLOCKED) this.fp?.retried(pid); // a retry that sleeps again changed nothing
      const p = this.procs[pid];
      if (ret !== BLOCKED) {
        if (ret !== KILLED) this.blockedCallDone(p, this.decode(p, ret), outcome);
        else if (p.callStep === outcome.step) this.noResult(outcome);
      }
      this.drain(outcome);
    }
  }

  decode(p: SimProc, ret: number): Ok {
    return decodeResult(this.k, p.issued!, ret) as Ok;
  }

  /** A call that had blocked returned: the step's own caller's result, or a wake event. */
  blockedCallDone(p: SimProc, res: Ok, outcome: Outcome): void {
    if (p.callStep === outcome.step) {
      outcome.result = res;
    } else {
      this.fp?.completes(p.pid);
      if (this.opts.record) outcome.events.push({ wake: p.pid, step: p.callStep, result: res });
    }
    p.state = STATE.IN_CALL;
    this.returned(p, res);
  }

  private drain(outcome: Outcome): void {
    if (this.k.x.k_event_count() === 0) return;
    const events = this.events;
    const n = this.k.drainEventsInto(events);
    for (let i = 0; i < n; i++) {
      const e = events[i];
      const p = this.procs[e.pid];
      this.fp?.touch(e.pid);
      if (this.opts.record) {
        const ev = processEvent(e);
        if (ev) outcome.events.push(ev);
      }
      switch (e.kind) {
        case EVENT.EXIT:
          if (p && p.state === STATE.BLOCKED && p.callStep === outcome.step) this.noResult(outcome);
          if (p) this.died(p, e.a);
          break;
        case EVENT.SIGNAL:
          // A `catch` handler only records; a `calls` handler's frame runs its fn.
          if (p && p.state !== STATE.EXITED && opensFrame(e)) {
            // Over a call that had returned in this step (kernel/sigframe.ts): its result
            // waits for the sigreturn, as a wake.
            const overDone = e.b === EVENT_B_FRAME_OVER_DONE;
            if (overDone && this.opts.record) outcome.result = "blocked";
            frameOpens(p, e, overDone);
            this.toResume.push(p);
          }
          break;
        case EVENT.STOP:
          if (p) p.stopped = true;
          break;
        case EVENT.CONT:
          if (p) p.stopped = false;
          break;
        case EVENT.WAKE:
          if (!p || p.state !== STATE.BLOCKED) {
            throw new Error(`kernel handed a result to pid ${e.pid}, which is not blocked`);
          }
          this.blockedCallDone(p, this.decode(p, e.a), outcome);
          break;
        default:
          throw new Error(`unknown kernel event kind ${e.kind}`);
      }
    }
  }

  private died(p: SimProc, status: number): void {
    p.state = STATE.EXITED;
    p.done = null;
    p.req = null;
    p.frames = null;
    this.tracker.exited(p.pid, status);
  }

  /** Bookkeeping of a returned call; its delivery waits for quiescence. */
  private returned(p: SimProc, res: Ok): void {
    const step = this.result.steps[p.callStep];
    p.done = res;
    this.toResume.push(p);
    if (res.errno !== undefined) return;
    this.tracker.completed(p.pid, step, res);
    if (p.pipe) {
      if (step.call === "write") this.tracker.pipeBytes(p.pipe, res.ret as number, 0);
      else this.tracker.pipeBytes(p.pipe, 0, res.ret as number);
      p.pipe = undefined;
    }
    const req = p.inflight!;
    if (step.call === "fork") this.forked(p, res.ret as number, req.extra?.child);
    else if (step.call === "sigaction" || step.call === "signal") {
      this.handlerSet(p, step.args.sig, req.extra?.handler);
    }
  }

  private forked(parent: SimProc, pid: number, child: ProcessMain | undefined): void {
    const c = this.spawn(pid);
    c.handlers = parent.handlers ? parent.handlers.slice() : null;
    this.tracker.fork(parent.pid, pid);
    this.startMain(c, child);
  }

  private handlerSet(p: SimProc, sig: number, h: CallExtra["handler"]): void {
    p.handlers ??= [];
    p.handlers[sig] = typeof h === "function" ? h : undefined;
  }

  // ---- delivering results (and running signal handlers first) ----

  private resumeAll(): void {
    const list = this.toResume;
    if (list.length === 0) return;
    this.toResume = [];
    sortByPid(list);
    for (let i = 0; i < list.length; i++) {
      if (i > 0 && list[i] === list[i - 1]) continue;
      this.resume(list[i]);
    }
  }

  private resume(p: SimProc): void {
    if (p.state === STATE.EXITED || p.state === STATE.BLOCKED) return;
    const f = frameToStart(p);
    if (f) return startHandler(this, p, f);
    const res = p.done;
    if (!res) return; // ready: its call stays pending
    const req = p.inflight!;
    p.done = null;
    p.inflight = null;
    this.runs(p);
    if (res.errno !== undefined) {
      const e = new ErrnoError(res.errno, ERRNO[res.errno], req.body.call, p.pid);
      if (res.rem) e.rem = res.rem;
      req.reject(e);
    }
    else req.resolve(req.map(res));
  }

  // ---- the end ----

  /** Once per event-loop turn while the run lasts (stuck.ts); false once it is over. */
  turn(): boolean {
    if (!this.finished && this.progress.idleTurn()) {
      this.fail({ kind: "stuck", ...explainStuck(this.result.steps, this.liveProcs()) });
    }
    return !this.finished;
  }

  private end(): void {
    if (this.running > 0) return;
    this.result.verdict = this.endRun(this, this.result);
    this.finish();
  }

  /** Live processes (not exited), for the deadlock and livelock explanations. */
  liveProcs(): BlockedProc[] { return liveOf(this.procs, this.live); }

  private fail(v: Verdict): void {
    if (this.finished) return;
    this.result.verdict = v;
    this.finish();
  }

  private finish(): void {
    this.finished = true;
    this.out.flush();
    unwatchTurns(this);
    const r = this.result;
    this.strategy.end(r.log, r.stepsBy, r.steps.length);
    this.settle(r);
  }
}

