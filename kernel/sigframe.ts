// Handlers that make calls (issue 15): a `calls` handler's frame is opened and stays open while
// the handler runs in user space; the calls its process makes meanwhile run inside it, and
// rt_sigreturn closes it. Syscall: rt_sigreturn (the trace's `sigreturn`).
//
// Linux: arch/x86/kernel/signal.c (handle_signal: the restart decision, then setup_rt_frame,
// which saves the user registers, the interrupted call's return among them, and the mask in
// the frame on the user stack), arch/x86/kernel/signal_64.c (SYSCALL_DEFINE0(rt_sigreturn):
// set_current_blocked(uc_sigmask), restore_sigcontext, and return regs->ax: the interrupted
// context's own return value), kernel/entry/common.c (exit_to_user_mode_loop: every deliverable
// signal gets its frame before user space runs; the last frame set up runs first).
//
// A `catch` handler only records its delivery: its frame is popped as soon as it is on top
// (sigdeliver.ts popFrame). A `calls` frame on top is opened instead: the process returns to
// user space inside the handler, with the mask handle_signal set. The call it was in (a step's
// own call, a sleeping call the signal interrupted, or none when it was idle) has not returned
// to its code: the model keeps its number, registers and its return as handle_signal decided
// it (a result, EINTR, or -ERESTARTNOINTR: the syscall re-armed) in an OpenCall record, as
// Linux keeps them in the frame's saved registers. The process is idle, with no call, and its
// steps run in the handler until its `sigreturn`, which pops the frame, restores the mask it
// saved and hands the interrupted call back (sigReturn returns the saved return, so the way out
// of the kernel, syscall.ts callFinish, restarts the call, delivers what the restored mask lets
// in, or opens the next frame, exactly as for the call itself).
//
// The alternate signal stack's frame records (sigaltstack.ts) go with the frames' lifetime here.
//
// Memory: a page per process whose handler ever opened (Proc.sigCalls), and a second linked
// from its last word once more than PER_PAGE are open (OPEN_MAX, SIG_FRAMES_MAX, in all):
//   OpenCall (by open depth, 0 the outermost): | nr i32 | a0..a5 i32 | ret i32 |
//
// Differences: frames are at most SIG_FRAMES_MAX deep (signal-frames-max).
//
// Invariants (sigframeCheck): p.sigOpen counts the open frames; no frame above the top open one
// is left between steps unless the process is stopped (delivery runs them all before user
// space); an open frame is always a `calls` frame.

import {
  EINVAL, HANDLER_calls, PROC_STOPPED, SIGCHLD, SIG_FRAMES_MAX, SI_KERNEL,
} from "./abi";
import { eventPushSig } from "./event";
import { pageAllocRaw, pagePut } from "./mem";
import { PAGE_SIZE } from "./param";
import { Proc, callStateReset } from "./proc";
import { kernelChoose } from "./hooks";
import { isRestart } from "./sigdeliver";
import {
  sigaltstackCheck, sigaltstackInit, sigaltstackPages, sigaltstackPop, sigaltstackRelease,
} from "./sigaltstack";
import {
  FRAMES_BASE, SIG_UNBLOCKABLE, collected, sigBit, sigHandler, sigSend, sigStep,
} from "./signal";

/** A handler frame (the rt_sigframe's signal, siginfo and uc_sigmask), in the signal page
 * (signal.ts): sigreturn restores `saved`. 16 bytes, so that SIG_FRAMES_MAX fit the page: the
 * signal and the flags share a byte, and si_code is a byte (use frameSig and frameCode). */
@unmanaged export class SigFrame {
  /** The signal minus 1 (0..63) in bits 0..5; FRAME_CALLS and FRAME_OPEN above it. */
  head: u8;
  /** si_code: Linux's are -60..127 and SI_KERNEL (0x80), kept as -128. */
  code: i8;
  /** si_pid: a model pid (below NPROC, 32768) or 0. */
  pid: u16;
  /** si_value, or a SIGCHLD's si_status (its CLD_ codes carry no value). */
  value: i32;
  saved: u64;
}

/** Handler frame i of p (sigdeliver.ts pushes and pops them). */
@inline export function sigFrame(p: Proc, i: i32): SigFrame {
  return changetype<SigFrame>(p.sigActions + FRAMES_BASE + <usize>i * offsetof<SigFrame>());
}

/** SigFrame.head's flags: the frame is a `calls` handler's; it is open (the handler runs). */
export const FRAME_CALLS: u8 = 0x40;
const FRAME_OPEN: u8 = 0x80;
const FRAME_SIG: u8 = 0x3f;

/** Fill frame f from a delivery of sig whose siginfo is signal.ts `collected`. */
export function frameSet(f: SigFrame, sig: i32, flags: u8, saved: u64): void {
  f.head = <u8>(sig - 1) | flags;
  f.code = <i8>collected.code;
  f.pid = <u16>collected.pid;
  f.value = collectedWord(sig);
  f.saved = saved;
}

/** What a frame and a signal event keep of `collected` beside si_code and si_pid: si_value,
 * or a SIGCHLD's si_status (its CLD_ codes carry no value). */
function collectedWord(sig: i32): i32 {
  return sig == SIGCHLD && collected.code > 0 ? collected.status : collected.value;
}

/** Log a run of sig, whose siginfo is `collected`, that has no frame (too deep). */
export function collectedEvent(p: Proc, sig: i32): void {
  eventPushSig(p.pid, sig, 0, collected.code, collectedWord(sig), collected.pid);
}

@inline export function frameSig(f: SigFrame): i32 {
  return <i32>(f.head & FRAME_SIG) + 1;
}

@inline function frameCode(f: SigFrame): i32 {
  return f.code == -128 ? SI_KERNEL : <i32>f.code;
}

/** Log frame f's handler run (a signal event): b as EVENT_SIGNAL's (0, or 1: optional). The
 * record carries the siginfo: c si_code, d si_value or a SIGCHLD's si_status, e si_pid. */
export function frameEvent(p: Proc, f: SigFrame, b: i32): void {
  eventPushSig(p.pid, frameSig(f), b, frameCode(f), f.value, <i32>f.pid);
}

/** A signal event's b when the delivery opened a frame (wasm/abi.ts EVENT: 1 is optional),
 * and when it opened over the call the step's caller had already returned from in the step
 * (the engine turns that call's result into "blocked": chldBeforeReturn). */
const EVENT_B_FRAME: i32 = 2;
const EVENT_B_FRAME_OVER_DONE: i32 = 3;

@unmanaged class OpenCall {
  nr: i32;
  a0: i32;
  a1: i32;
  a2: i32;
  a3: i32;
  a4: i32;
  a5: i32;
  ret: i32;
}

/** As deep as frames go (SIG_FRAMES_MAX): the records fill the first page but its last word,
 * which links the second (PER_PAGE records each). */
const OPEN_MAX: i32 = SIG_FRAMES_MAX;
const PER_PAGE: i32 = <i32>((PAGE_SIZE - sizeof<usize>()) / offsetof<OpenCall>());
const NEXT_PAGE: usize = <usize>PAGE_SIZE - sizeof<usize>();

@inline function openCall(p: Proc, depth: i32): OpenCall {
  const page = depth < PER_PAGE ? p.sigCalls : load<usize>(p.sigCalls + NEXT_PAGE);
  const i = depth < PER_PAGE ? depth : depth - PER_PAGE;
  return changetype<OpenCall>(page + <usize>i * offsetof<OpenCall>());
}

export function sigframeInit(p: Proc): void {
  p.sigOpen = 0;
  p.sigCalls = 0;
  sigaltstackInit(p);
}

/** Each page p's frames hold (kernel/check.ts counts them), the sigaltstack page among them. */
export function sigframePages(p: Proc, count: (page: usize) => void): void {
  sigaltstackPages(p, count);
  if (p.sigCalls == 0) return;
  count(p.sigCalls);
  const next = load<usize>(p.sigCalls + NEXT_PAGE);
  if (next != 0) count(next);
}

/** The process is gone (or never ran): its pages go back. */
export function sigframeRelease(p: Proc): void {
  if (p.sigCalls != 0) {
    const next = load<usize>(p.sigCalls + NEXT_PAGE);
    if (next != 0) pagePut(next);
    pagePut(p.sigCalls);
  }
  sigaltstackRelease(p);
  sigframeInit(p);
}

/** The top frame of p (which must have one) is a `calls` frame not yet opened. */
export function topFrameToOpen(p: Proc): bool {
  const head = sigFrame(p, p.sigFrames - 1).head;
  return (head & (FRAME_CALLS | FRAME_OPEN)) == FRAME_CALLS;
}

/** Frame i of p is open: its handler runs (sigaltstack.ts: the stack p's calls run on). */
export function frameIsOpen(p: Proc, i: i32): bool {
  return (sigFrame(p, i).head & FRAME_OPEN) != 0;
}

/** The top frame of p is open: its handler runs. */
export function topFrameOpen(p: Proc): bool {
  return p.sigFrames > 0 && (sigFrame(p, p.sigFrames - 1).head & FRAME_OPEN) != 0;
}

/** frameOpen's answers: no frame could open (the caller runs it as a `catch` handler); it
 * opened over the call p is in; it opened once that call had returned (a SIGCHLD race). */
const OPEN_NONE: i32 = 0;
export const OPEN_OVER: i32 = 1;
export const OPEN_AFTER: i32 = 2;

/** Open the top frame (a `calls` frame): the call p is in (r its return as decided) waits in
 * an OpenCall, and p returns to user space in the handler. OPEN_NONE when no more can be open
 * (OPEN_MAX, or no page for the records). */
export function frameOpen(p: Proc, r: i32): i32 {
  const depth = p.sigOpen;
  if (depth == OPEN_MAX || openCallsPage(p, depth) == 0) return OPEN_NONE;
  const f = sigFrame(p, p.sigFrames - 1);
  const sig = frameSig(f);
  f.head |= FRAME_OPEN;
  p.sigOpen = depth + 1;
  const c = openCall(p, depth);
  let b = EVENT_B_FRAME;
  let how = OPEN_OVER;
  if (sig == SIGCHLD && chldAfterReturn(p, r)) {
    // The call returns first; the handler interrupts the code after it.
    c.nr = -1;
    how = OPEN_AFTER;
  } else if (sig == SIGCHLD && chldBeforeReturn(p)) {
    // The caller's call, returned in this step, had not yet left the kernel.
    c.nr = F.doneNr;
    c.ret = F.doneRet;
    b = EVENT_B_FRAME_OVER_DONE;
  } else {
    putAside(p, c, r);
  }
  frameEvent(p, f, b);
  if (sig == SIGCHLD) chldFrameOpens(p);
  return how;
}

/** The page of p's OpenCall record at `depth`, allocated on first use (the first one's link
 * cleared); 0 when out of memory. */
function openCallsPage(p: Proc, depth: i32): usize {
  if (p.sigCalls == 0) {
    const page = pageAllocRaw();
    if (page == 0) return 0;
    store<usize>(page + NEXT_PAGE, 0);
    p.sigCalls = page;
  }
  if (depth < PER_PAGE) return p.sigCalls;
  const link = p.sigCalls + NEXT_PAGE;
  if (load<usize>(link) == 0) store<usize>(link, pageAllocRaw());
  return load<usize>(link);
}

/** The call p is in (r its return as decided) waits in c; p runs in user space. */
function putAside(p: Proc, c: OpenCall, r: i32): void {
  c.nr = p.callNr;
  c.a0 = p.a0;
  c.a1 = p.a1;
  c.a2 = p.a2;
  c.a3 = p.a3;
  c.a4 = p.a4;
  c.a5 = p.a5;
  c.ret = r;
  // No call in progress. A restart starts the call afresh (callReset): nothing of its
  // progress needs keeping.
  p.callNr = -1;
  p.restartArmed = 0;
  callStateReset(p);
}

// ---- SIGCHLD ----
//
// A child's exit, stop or continue happens on the child's CPU: the SIGCHLD it sends reaches a
// parent that is the step's caller (its call made the child change: a kill) either before that
// call leaves the kernel or after it returned. With a `catch` handler the two look alike; a
// `calls` handler opens over the call (its result "blocked" until sigreturn) or over the code
// after it (its result returned). The model takes one order as the kernel runs (a child a kill
// stops changes in the call, one it kills dies after it) and offers the other as a branch
// (kernelChoose): chldAfterReturn and chldBeforeReturn. Measured on Linux (a kill of one's own
// child, SIGCHLD caught by a calls handler): 4 of 20 runs entered the handler before kill
// returned, 16 after.
//
// Children run alongside their parent on Linux: two child events of one step reach a `calls`
// SIGCHLD handler either coalesced (the second arrived before the parent dequeued the first:
// one handler run) or separately (it arrived while the handler ran, SIGCHLD blocked: pending,
// and a second run after sigreturn). Each is a branch the engine explores (kernelChoose), as
// the catch handler's optional second run is (sigdeliver.ts chldHandlerRuns); a handler that
// reaps one child per run leaks a zombie in the first.

/** A `calls` SIGCHLD frame opens: SIGCHLDs this step coalesced into the one delivered
 * (Proc.chldExtra) may instead have come during the handler: pending again, if the handler
 * blocks SIGCHLD (without SA_NODEFER a nested delivery would come at no fixed point). */
function chldFrameOpens(p: Proc): void {
  const extra = p.chldExtra;
  p.chldExtra = 0;
  p.chldRanStep = -1; // the requeue below is not a second event of this step
  if (extra > 0 && (p.sigBlocked & sigBit(SIGCHLD)) != 0 && kernelChoose(2) == 1) {
    sigSend(p, SIGCHLD);
  }
  p.chldRanStep = sigStep();
}

/** The step's caller, and the call it returned from in the step (F.doneStep), for the race. */
@unmanaged class FrameState {
  caller: i32;
  doneStep: i32;
  doneOpen: i32;
  doneNr: i32;
  doneRet: i32;
}

const F = changetype<FrameState>(memory.data(offsetof<FrameState>(), 8));

/** A step begins: `pid` is its caller (0: none, as for advance and sigreturn). */
export function frameStepCaller(pid: i32): void {
  F.caller = pid;
  F.doneStep = -1;
}

/** p's call returned r to user space (syscall.ts callDone). */
export function callReturned(p: Proc, r: i32): void {
  if (p.pid != F.caller) return;
  F.doneStep = sigStep();
  F.doneOpen = p.sigOpen;
  F.doneNr = p.callNr;
  F.doneRet = r;
}

/** A SIGCHLD frame is to open over the call the step's caller p is in, about to return r: did
 * the SIGCHLD come once the call had returned instead? Only for a SIGCHLD of this step, the
 * only frame this delivery opens. */
function chldAfterReturn(p: Proc, r: i32): bool {
  if (p.pid != F.caller || p.callNr < 0 || p.chldStep != sigStep() || isRestart(r)) return false;
  if (p.sigFrames != p.sigOpen) return false; // other frames wait below it
  return kernelChoose(2) == 1;
}

/** A SIGCHLD frame is to open over idle p, the step's caller, whose call returned in this step
 * with no frame opened since: did the SIGCHLD come before that call left the kernel? */
function chldBeforeReturn(p: Proc): bool {
  if (p.pid != F.caller || p.callNr >= 0 || F.doneStep != sigStep()) return false;
  if (p.chldStep != sigStep() || F.doneOpen != p.sigOpen - 1) return false;
  if (p.sigFrames != p.sigOpen) return false;
  return kernelChoose(2) == 1;
}

/** A SIGCHLD for p, none pending: if p's `calls` SIGCHLD handler opened in this step (and so
 * has made no call yet), the signal may have coalesced with the one it runs for. True to drop
 * it (the engine's choice). */
export function chldFrameCoalesces(p: Proc): bool {
  if (sigHandler(p, SIGCHLD) != HANDLER_calls || p.chldRanStep != sigStep()) return false;
  return kernelChoose(2) == 1;
}

/** rt_sigreturn: the top frame (open: the handler p runs) is popped, its saved mask restored
 * (SIGKILL and SIGSTOP never blocked: set_current_blocked), and the call it interrupted is p's
 * call again, returning what handle_signal decided (the way out of the kernel then finishes,
 * restarts or re-interrupts it). -EINVAL when p runs no handler: Linux would find garbage where
 * the frame should be and kill the process with SIGSEGV; the trace refuses the step first
 * (sim/model/engine.ts), so only a direct kernel caller sees this. */
export function sigReturn(p: Proc): i32 {
  if (!topFrameOpen(p)) return -EINVAL;
  const f = sigFrame(p, --p.sigFrames);
  p.sigBlocked = f.saved & ~SIG_UNBLOCKABLE;
  sigaltstackPop(p, p.sigFrames);
  const c = openCall(p, --p.sigOpen);
  p.callNr = c.nr;
  p.a0 = c.a0;
  p.a1 = c.a1;
  p.a2 = c.a2;
  p.a3 = c.a3;
  p.a4 = c.a4;
  p.a5 = c.a5;
  return c.nr < 0 ? 0 : c.ret;
}

export function sigframeCheck(p: Proc): void {
  let open = 0;
  for (let i = 0; i < p.sigFrames; i++) {
    const head = sigFrame(p, i).head;
    if ((head & FRAME_OPEN) == 0) continue;
    assert((head & FRAME_CALLS) != 0, "an open frame that is not a calls handler's");
    open++;
  }
  assert(open == p.sigOpen, "open frames miscounted");
  assert(p.sigOpen >= 0 && p.sigOpen <= OPEN_MAX, "open frame count out of range");
  if (p.state != PROC_STOPPED && p.sigFrames > 0) {
    assert(topFrameOpen(p), "a handler frame left unrun above the running handler");
  }
  sigaltstackCheck(p);
}
