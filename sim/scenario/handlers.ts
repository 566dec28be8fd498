// Signal handlers in a scenario (issue 15): `os.sigaction(sig, fn)` installs a `calls` handler.
// Each frame the kernel opens for it (a signal event with b = 2: kernel/sigframe.ts) runs
// `fn(sig, info, os)` in that process as the handler: its `os` calls are the process's steps
// inside the handler, and its return is the process's `sigreturn` step (scheduler.ts).
//
// What the process was doing when the frame opened is put aside in the frame and comes back at
// its sigreturn: its call in the kernel (blocked, or just made: the step's result is
// "blocked"), a result not yet handed to its JS, or the call its JS asked for and has not made
// yet (a handler runs before it, as Linux runs it on the way back to user space). Frames opened
// in one step over one another run innermost first (the last frame set up runs first): a
// frame's handler starts when it is on top and has not started.

import { siginfoNumbers } from "../trace/siginfo.js";
import { BLOCKED, KILLED, type KernelEvent } from "../../wasm/kernel.js";
import type { Issued } from "../model/calls.js";
import type { Outcome } from "../trace/types.js";
import type { CallRequest, Ok } from "./os.js";
import type { SigInfo } from "./os-types.js";
import { STATE, noop, type Request, type SimProc } from "./sim-proc.js";

/** Returning from a handler's fn is its sigreturn. */
export const SIGRETURN: CallRequest = { call: "sigreturn", args: {} };

/** What of the scheduler (scheduler.ts Execution) a handler's start and return use. */
export interface HandlerHost {
  readonly finished: boolean;
  /** The run keeps its outcomes (ExecOptions.record). */
  readonly recording: boolean;
  readonly toResume: SimProc[];
  runs(p: SimProc): void;
  ready(p: SimProc, req: Request): void;
  mainFailed(p: SimProc, e: unknown): void;
  blockedCallDone(p: SimProc, res: Ok, outcome: Outcome): void;
  decode(p: SimProc, ret: number): Ok;
}

/** An open frame of a process: its signal, and what the process was doing. */
export interface Frame {
  sig: number;
  info: SigInfo;
  started: boolean;
  /** The process had a call in the kernel (its `issued`, at step `callStep`). */
  inKernel: boolean;
  /** Its call had returned in the step the frame opened in, but not left the kernel (a
   * SIGCHLD race): its result (`done`) is a wake event at sigreturn. */
  overDone: boolean;
  req: Request | null;
  inflight: Request | null;
  issued: Issued | null;
  callStep: number;
  done: Ok | null;
}

/** A frame's siginfo from its signal event (kernel/event.ts: d si_value or a SIGCHLD's
 * si_status, e si_pid; a frame's is always known); every process is root (si_uid 0). */
function sigInfoOf(e: KernelEvent): SigInfo {
  return siginfoNumbers(e.a, e.c, e.e, 0, e.d, e.d);
}

/** The kernel opened a frame over p: what p was doing is put aside. */
export function frameOpens(p: SimProc, e: KernelEvent, overDone: boolean): void {
  const info = sigInfoOf(e);
  const f: Frame = {
    sig: e.a, info, started: false, inKernel: p.state === STATE.BLOCKED, overDone, req: p.req,
    inflight: p.inflight, issued: p.issued, callStep: p.callStep, done: p.done,
  };
  (p.frames ??= []).push(f);
  p.req = null;
  p.inflight = null;
  p.issued = null;
  p.done = null;
  p.state = STATE.IN_CALL;
}

/** The top frame if its handler has yet to start. */
export function frameToStart(p: SimProc): Frame | null {
  const f = p.frames?.[p.frames.length - 1];
  return f && !f.started ? f : null;
}

/** How deep p's handlers are nested (each depth has its own I/O area: sim/model/frames.ts). */
export function handlerDepth(p: SimProc): number {
  return p.frames?.length ?? 0;
}

/** p's sigreturn: its top frame is popped and what it put aside is p's again (the state is
 * the caller's to set, from the kernel's return). */
function frameCloses(p: SimProc): Frame {
  const f = p.frames!.pop()!;
  if (p.frames!.length === 0) p.frames = null;
  p.req = f.req;
  p.inflight = f.inflight;
  p.issued = f.issued;
  p.callStep = f.callStep;
  p.done = f.done;
  return f;
}

/** Run frame f's handler in p: `fn(sig, info, os)`, whose return is p's sigreturn. A handler
 * with no fn (a trace's `calls` handler replayed) returns at once. */
export function startHandler(x: HandlerHost, p: SimProc, f: Frame): void {
  f.started = true;
  const fn = p.handlers?.[f.sig];
  x.runs(p);
  let r: unknown;
  try {
    r = typeof fn === "function" ? fn(f.sig, f.info, p.os) : undefined;
  } catch (e) {
    return x.mainFailed(p, e);
  }
  Promise.resolve(r).then(() => {
    if (x.finished || p.state !== STATE.RUNNING) return;
    x.ready(p, { body: SIGRETURN, map: noop, resolve: noop, reject: noop });
  }, (e) => x.mainFailed(p, e));
}

/** p's sigreturn returned `ret`, the kernel's return for the call its frame put aside. */
export function sigreturned(x: HandlerHost, p: SimProc, ret: number, outcome: Outcome): void {
  const f = frameCloses(p);
  if (ret !== KILLED) outcome.result = { ret: 0 };
  if (!f.inKernel) {
    p.state = p.req ? STATE.READY : STATE.IN_CALL;
    if (!p.req) x.toResume.push(p);
    if (f.overDone && x.recording) {
      outcome.events.push({ wake: p.pid, step: p.callStep, result: p.done! });
    }
  } else if (ret === BLOCKED) {
    p.state = STATE.BLOCKED;
  } else if (ret !== KILLED) {
    x.blockedCallDone(p, x.decode(p, ret), outcome);
  }
}
