// `calls` handlers in the engine (issue 15; kernel/sigframe.ts is the kernel's side). Shared by
// the trace engine and the scenario scheduler.
//
// A signal event the kernel marks as opening a frame (b = 2) means its process now runs the
// handler: the call it was in (es.blocked), if any, has not returned to its code and is put
// aside with the frame, and the process's next steps run in the handler. Each handler depth has
// its own part of the I/O area, since the call put aside may restart with its buffers or still
// have outputs to read. `sigreturn` gives the call back: the kernel's return for that step is
// the call's own (rt_sigreturn returns the interrupted context's return value): a result, which
// the trace shows as the call's `wake` event, BLOCKED (restarted and asleep again, stopped, or
// put aside again by the next frame) or KILLED.

import type { Kernel, KernelEvent } from "../../wasm/kernel.js";
import { EVENT, LIMITS } from "../../wasm/abi.js";
import type { Issued } from "./calls.js";
import { ModelError } from "./errors.js";
import type { EngineState } from "./worlds.js";

/** A signal event's b when its delivery opened a `calls` frame (kernel/sigframe.ts). */
const EVENT_B_FRAME = 2;
/** Handler depths, each with its own slice of the I/O area's upper half: as deep as the
 * kernel stacks frames (SIG_FRAMES_MAX); the first SHALLOW get larger slices. */
const FRAME_DEPTH_MAX = LIMITS.SIG_FRAMES_MAX;
const SHALLOW = 8;

/** b when the frame opened over the call the step's caller had returned from in the step
 * (a SIGCHLD that came before it left the kernel: kernel/sigframe.ts chldBeforeReturn). */
export const EVENT_B_FRAME_OVER_DONE = 3;

export function opensFrame(e: KernelEvent): boolean {
  return e.kind === EVENT.SIGNAL && (e.b === EVENT_B_FRAME || e.b === EVENT_B_FRAME_OVER_DONE);
}

/** How deep pid's `calls` handlers are nested (0: it runs its main code). */
export function frameDepth(es: EngineState, pid: number): number {
  return es.frames?.get(pid)?.length ?? 0;
}

/** Where a call at handler depth `depth` keeps its buffers: the main code has the I/O area
 * from its start; depths 1..SHALLOW a sixteenth of the area each (1 MiB of the model's 16),
 * the deeper ones share the last quarter (about 27 KiB each). A call's buffers that pass its
 * slice reach the next depth's (docs/differences.md handler-calls). */
export function ioAreaAt(k: Kernel, depth: number, line: number): number {
  if (depth === 0) return k.ioBase;
  if (depth > FRAME_DEPTH_MAX) {
    throw new ModelError(`line ${line}: a call in a signal handler nested ${depth} deep ` +
      `(frames go ${FRAME_DEPTH_MAX} deep)`);
  }
  const half = k.ioBase + k.ioSize / 2;
  if (depth <= SHALLOW) return half + (depth - 1) * (k.ioSize / 16);
  const deep = Math.floor(k.ioSize / 4 / (FRAME_DEPTH_MAX - SHALLOW)) & ~7;
  return half + k.ioSize / 4 + (depth - SHALLOW - 1) * deep;
}

/** A frame opened for pid: the call it was in, if any, is put aside. */
export function frameOpened(es: EngineState, pid: number): void {
  const c = es.blocked.get(pid) ?? null;
  es.blocked.delete(pid);
  es.frames ??= new Map();
  const stack = es.frames.get(pid);
  if (stack) stack.push(c);
  else es.frames.set(pid, [c]);
}

/** pid's `sigreturn` at trace line `line`: the call its frame put aside (null: none). */
export function frameClosing(es: EngineState, pid: number, line: number): Issued | null {
  const stack = es.frames?.get(pid);
  if (!stack || stack.length === 0) {
    throw new ModelError(`line ${line}: pid ${pid} is not in a signal handler (sigreturn)`);
  }
  const c = stack.pop()!;
  if (stack.length === 0) es.frames!.delete(pid);
  return c;
}

/** pid exited: the calls its frames put aside never return. */
export function framesGone(es: EngineState, pid: number): void {
  es.frames?.delete(pid);
}
