// A simulated process as the scheduler (scheduler.ts) keeps it: its state, the call it asked
// for, the call in the kernel, the result waiting for delivery, its signal handlers.

import type { Issued } from "../model/calls.js";
import {
  Os, type CallExtra, type CallRequest, type Ok, type OsHost, type SignalHandler,
} from "./os.js";
import type { PipeTrack } from "./tracking.js";
import type { Frame } from "./handlers.js";
import { signalName } from "../../wasm/names.js";
import type { BlockedProc } from "./deadlock.js";

/** A simulated process's state, in the words of docs/glossary.md ("Process states"). Idle is
 * two states here, by what its JS does; stopped is the `stopped` flag beside the state. */
export const STATE = {
  /** Idle; its JS has asked for its next call and waits for its turn (a decision). */
  READY: 0,
  /** Idle; its JS runs (or is about to). */
  RUNNING: 1,
  /** Asleep in the kernel inside its call (blocked or woken there). */
  BLOCKED: 2,
  /** Exited or killed: a zombie or reaped; it never runs again. */
  EXITED: 3,
  /** Its call is being run, or returned and its result not yet delivered. */
  IN_CALL: 4,
} as const;
type State = (typeof STATE)[keyof typeof STATE];

export interface Request {
  body: CallRequest;
  map: (r: Ok) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  extra?: CallExtra;
}

/** Told each time a process's state or stopped flag changes (the scheduler's index of the
 * processes it may choose, so that choosing walks those, not every live process). */
interface ReadyIndex {
  readyChanged(p: SimProc): void;
}

export class SimProc {
  private stateNow: State = STATE.RUNNING;
  private stoppedNow = false;
  /** Its place in the scheduler's list of processes (spawn order), and whether the ready
   * index holds it (READY and not stopped). */
  order = -1;
  inReady = false;
  get state(): State { return this.stateNow; }
  set state(s: State) {
    this.stateNow = s;
    this.index?.readyChanged(this);
  }
  get stopped(): boolean { return this.stoppedNow; }
  set stopped(b: boolean) {
    this.stoppedNow = b;
    this.index?.readyChanged(this);
  }
  req: Request | null = null;
  /** The call in the kernel (blocked or just returned) and its step. */
  inflight: Request | null = null;
  issued: Issued | null = null;
  callStep = -1;
  /** A returned call's result, to deliver after quiescence. */
  done: Ok | null = null;
  /** Open `calls` handler frames, oldest first (handlers.ts). */
  frames: Frame[] | null = null;
  handlers: (SignalHandler | undefined)[] | null = null;
  pipe: PipeTrack | undefined;
  readonly os: Os;
  constructor(readonly pid: number, host: OsHost, private readonly index?: ReadyIndex) {
    this.os = new Os(host, pid);
  }
}

/** The spawn-order places of the processes that are READY and not stopped, ascending: what a
 * walk of every live process in spawn order would pick, at the cost of the few that are ready
 * (a 16,000-process run took 34 s walking them all at every step). */
export class ReadyList implements ReadyIndex {
  readonly order: number[] = [];

  readyChanged(p: SimProc): void {
    const want = p.state === STATE.READY && !p.stopped;
    if (want === p.inReady || p.order < 0) return;
    p.inReady = want;
    const a = this.order;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid] < p.order) lo = mid + 1;
      else hi = mid;
    }
    // By hand, not splice: splice allocates the array of what it removed (5% of an explore
    // run's time went to these two lines).
    if (want) {
      a.push(0);
      for (let i = a.length - 1; i > lo; i--) a[i] = a[i - 1];
      a[lo] = p.order;
    } else {
      for (let i = lo; i < a.length - 1; i++) a[i] = a[i + 1];
      a.pop();
    }
  }
}

export const noop = (): void => {};

/** The resolving functions of the promise `capture` was last the executor of (scheduler.ts
 * Execution.call: no executor closure per call). */
export const captured: { resolve: (v: unknown) => void; reject: (e: unknown) => void } =
  { resolve: noop, reject: noop };
export function capture(resolve: (v: never) => void, reject: (e: unknown) => void): void {
  captured.resolve = resolve as (v: unknown) => void;
  captured.reject = reject;
}

/** Sort by pid in place: an insertion sort, as the list is short (Array.prototype.sort's work
 * area was 4% of the bytes a run allocates). */
export function sortByPid(list: SimProc[]): void {
  for (let i = 1; i < list.length; i++) {
    const p = list[i];
    let j = i;
    for (; j > 0 && list[j - 1].pid > p.pid; j--) list[j] = list[j - 1];
    list[j] = p;
  }
}

/** The processes of `live` (pids in spawn order) not exited, for the explanations. */
export function liveOf(procs: SimProc[], live: number[]): BlockedProc[] {
  const out: BlockedProc[] = [];
  for (const pid of live) {
    const p = procs[pid];
    if (p.state === STATE.EXITED) continue;
    // A handler about to return gives back the call it interrupted: describe that one.
    const f = p.req?.body.call === "sigreturn" ? p.frames?.[p.frames.length - 1] : undefined;
    if (f?.inKernel && !p.stopped) {
      out.push({ pid, state: "blocked", step: f.callStep });
      continue;
    }
    const handlers = p.frames?.map((f) => ({
      sig: signalName(f.sig), under: f.inKernel ? f.callStep : -1, next: f.req?.body.call,
    })).reverse();
    const state = p.stopped ? "stopped" :
      p.state === STATE.BLOCKED ? "blocked" : p.state === STATE.READY ? "ready" : "running";
    const at: BlockedProc = { pid, state, step: p.callStep };
    out.push(handlers ? { ...at, handlers } : at);
  }
  return out;
}
