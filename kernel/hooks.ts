// The upward calls: the one table through which a lower layer calls an upper one.
//
// The kernel's files are layered (kernel/README.md: memory, wait queues, files, mechanisms,
// signals, process lifecycle, syscall entry) and import only downward (kernel/test/
// layering.test.ts fails on any other import). A few paths must go up, as Linux's do through
// function pointers: a region's open/close (vm_operations_struct: shm_open, shm_close), the
// kernel's own SIGPIPE from a pipe write, a signal that kills (do_exit) or ends or finishes a
// call (the syscall return path), a process that dies inside a call (the call's abort). The
// lower layer calls hookX(); index.ts k_init fills the table (hooksInstall) with the upper
// layers' functions. A hook called before that traps.
//
// Linux: include/linux/mm.h (vm_operations_struct), kernel/signal.c (send_sig, do_exit from
// get_signal), arch/x86/kernel/signal.c (arch_do_signal_or_restart).

import { SI_USER } from "./abi";
import { Proc } from "./proc";

/** A branch point inside a call, the one call out to the host: which of `n` outcomes Linux
 * may give happens here (0..n-1). The engine explores each (wasm/kernel.ts chooser); a kernel
 * nobody explores gets 0. Used where Linux's outcome hangs on real time the model does not
 * keep: inode.ts inodeTouchAtime. */
@external("env", "k_choose")
export declare function kernelChoose(n: i32): i32;

// The signatures, one a hook.
type ObjHook = (o: i32, p: Proc) => void;
type SigHook = (p: Proc, sig: i32, code: i32, value: i32, from: i32) => i32;
type KillHook = (p: Proc, sig: i32) => i32;
type FinishHook = (p: Proc, r: i32) => i32;
type ProcHook = (p: Proc) => i32;
type AbortHook = (p: Proc) => void;
type NrHook = (nr: i32) => bool;
type IdxHook = (i: i32) => void;
type FaultHook = (o: i32, index: u32, dirtyShared: bool) => usize;
type SizeHook = (i: i32) => i64;
type ItemHook = (n: i32) => bool;

function unsetObj(o: i32, p: Proc): void { unreachable(); }
function unsetSig(p: Proc, sig: i32, code: i32, value: i32, from: i32): i32 {
  unreachable();
  return 0;
}
function unsetKill(p: Proc, sig: i32): i32 { unreachable(); return 0; }
function unsetFinish(p: Proc, r: i32): i32 { unreachable(); return 0; }
function unsetProc(p: Proc): i32 { unreachable(); return 0; }
function unsetAbort(p: Proc): void { unreachable(); }
function unsetNr(nr: i32): bool { unreachable(); return false; }
function unsetIdx(i: i32): void { unreachable(); }
function unsetFault(o: i32, index: u32, dirtyShared: bool): usize { unreachable(); return 0; }
function unsetSize(i: i32): i64 { unreachable(); return 0; }
function unsetItem(n: i32): bool { unreachable(); return false; }

// ---- the table ----

/** memory → mechanisms: a region mapping memory object o opens or closes (shm.ts objOpen,
 * objClose: a SysV segment counts its regions). */
let objOpen: ObjHook = unsetObj;
let objClose: ObjHook = unsetObj;
/** files → signals: the kernel sends a signal with its siginfo, si_pid `from` (fasync.ts's
 * SIGIO; mqueue.ts's notification; siginfo.ts sigSendFrom). */
let sigSend: SigHook = unsetSig;
/** files → signals: the kernel sends the calling thread a signal (a pipe write's SIGPIPE:
 * send_sig, queued on the thread: signal.ts sigSendThread). */
let sigThread: KillHook = unsetKill;
/** signals → process lifecycle: a signal's default action kills p (exit.ts procKill). */
let kill: KillHook = unsetKill;
/** signals → syscall entry: leave the kernel with return value r, delivering signals and
 * restarting the call (syscall.ts callFinish); take a sleeper out of its call (callInterrupt);
 * whether a signal ends call nr's sleep at once (interruptsAtOnce). */
let callFinish: FinishHook = unsetFinish;
let callInterrupt: ProcHook = unsetProc;
let interruptsAtOnce: NrHook = unsetNr;
/** process lifecycle → syscall entry: p dies inside a call (syscall.ts callAbort). */
let callAbort: AbortHook = unsetAbort;
/** files → mechanisms: a POSIX queue's description is released (mqueue.ts mqRelease: the
 * inode's reference), and a close flushes it (mqFlush: mqueue_flush_file); its inode's
 * i_size, for SEEK_END (mqSize). */
let mqRelease: IdxHook = unsetIdx;
let mqFlush: ObjHook = unsetObj;
let mqSize: SizeHook = unsetSize;
/** memory → files: a fault in a file region finds its page, and a shared region's write fault
 * dirties it (filemap.ts fileFault). */
let fileFault: FaultHook = unsetFault;

/** wait queues → syscall entry: a wake of a queue an epoll item waits on runs its callback
 * (epoll.ts epCallback: ep_poll_callback); files → syscall entry: a description's last
 * close drops the epoll items watching it and frees an epoll's instance (epFileRelease). */
let epCallback: ItemHook = unsetItem;
let epRelease: IdxHook = unsetIdx;

/** Fill the epoll hooks (index.ts k_init). */
export function hooksInstallEpoll(callbackFn: ItemHook, releaseFn: IdxHook): void {
  epCallback = callbackFn;
  epRelease = releaseFn;
}

/** Fill the table (index.ts k_init). */
export function hooksInstall(
  objOpenFn: ObjHook, objCloseFn: ObjHook, sigSendFn: SigHook, killFn: KillHook,
  callFinishFn: FinishHook, callInterruptFn: ProcHook, interruptsAtOnceFn: NrHook,
  callAbortFn: AbortHook, mqReleaseFn: IdxHook, mqFlushFn: ObjHook, fileFaultFn: FaultHook,
  sigThreadFn: KillHook, mqSizeFn: SizeHook,
): void {
  objOpen = objOpenFn;
  objClose = objCloseFn;
  sigSend = sigSendFn;
  kill = killFn;
  callFinish = callFinishFn;
  callInterrupt = callInterruptFn;
  interruptsAtOnce = interruptsAtOnceFn;
  callAbort = callAbortFn;
  mqRelease = mqReleaseFn;
  mqFlush = mqFlushFn;
  fileFault = fileFaultFn;
  sigThread = sigThreadFn;
  mqSize = mqSizeFn;
}

// ---- the calls ----

export function hookObjOpen(o: i32, p: Proc): void { objOpen(o, p); }
export function hookFileFault(o: i32, index: u32, dirtyShared: bool): usize {
  return fileFault(o, index, dirtyShared);
}
export function hookObjClose(o: i32, p: Proc): void { objClose(o, p); }
export function hookSigSendThread(p: Proc, sig: i32): void { sigThread(p, sig); }
export function hookSigSendInfo(p: Proc, sig: i32, code: i32, value: i32, from: i32): i32 {
  return sigSend(p, sig, code, value, from);
}
export function hookKill(p: Proc, sig: i32): i32 { return kill(p, sig); }
export function hookCallFinish(p: Proc, r: i32): i32 { return callFinish(p, r); }
export function hookCallInterrupt(p: Proc): i32 { return callInterrupt(p); }
export function hookInterruptsAtOnce(nr: i32): bool { return interruptsAtOnce(nr); }
export function hookCallAbort(p: Proc): void { callAbort(p); }
export function hookMqRelease(i: i32): void { mqRelease(i); }
export function hookMqFlush(i: i32, p: Proc): void { mqFlush(i, p); }
export function hookMqSize(i: i32): i64 { return mqSize(i); }
export function hookEpCallback(n: i32): bool { return epCallback(n); }
export function hookEpRelease(i: i32): void { epRelease(i); }
