// The alternate signal stack's state (issue 15: state only). Syscall: sigaltstack.
//
// Linux: kernel/signal.c (do_sigaltstack, SYSCALL_DEFINE2(sigaltstack), restore_altstack,
// __save_altstack, signal_delivered: SS_AUTODISARM resets the setting on every delivery),
// include/linux/sched/signal.h (on_sig_stack, sas_ss_flags, sas_ss_reset),
// arch/x86/kernel/signal.c (get_sigframe: SA_ONSTACK switches to the top of the alternate
// stack only when sas_ss_flags(sp) == 0, so nested frames stay where they are),
// arch/x86/kernel/signal_64.c (rt_sigreturn: restore_altstack with the frame's uc_stack,
// checked by do_sigaltstack against an sp on the frame's own stack, its errors squashed),
// kernel/fork.c (copy_process: fork keeps the setting; only CLONE_VM without CLONE_VFORK resets
// it).
//
// The model has no stack memory: `sp` is a number the kernel never dereferences. What it keeps
// is the setting (sas_ss_sp, sas_ss_size, sas_ss_flags as the caller gave them, SS_ONSTACK mode
// bit included: the no-change test compares them whole) and, for each handler frame, the
// setting its delivery saved (uc_stack) and the stack it runs on: the normal stack, or the
// alternate region (sp, size) it switched to or inherited from the frame below.
//
// on_sig_stack(sp) needs the real sp, which the model has not: a context running on region R
// is taken as on the current alternate stack when R's top (sp + size, just above the real sp)
// lies in (cur.sp, cur.sp + cur.size]. That is exact whenever the real sp is within the
// region's size below its top, i.e. the handlers' frames fit (docs/differences.md
// `sigaltstack`; the host agent's minimum, docs/host-bridge.md).
//
// Memory: a page per process (Proc.sigAltstack), allocated on the first set that changes the
// setting away from the default, copied at fork, freed at exit. Its flags are stored XOR
// SS_DISABLE, so that a zero page, or no page, reads as the default (disabled): a frame pushed
// before the page existed reads as saved disabled, on the normal stack, which it was.
//   | sp u32 | size u32 | flags^SS_DISABLE u32 | pad | then per frame index (SIG_FRAMES_MAX):
//   | saved sp u32 | saved size u32 | saved flags^SS_DISABLE u32 | on sp u32 | on size u32 |
// (on size 0: the normal stack). sp and size are the model's 32-bit values (args-32-bit).
//
// Invariants (sigaltstackCheck): the setting and every live frame's saved one are valid
// settings (disabled with sp and size 0, or a mode of 0 or SS_ONSTACK with size >=
// MINSIGSTKSZ); a frame's stack is normal (0, 0) or a region of at least MINSIGSTKSZ.

import {
  EFAULT, EINVAL, ENOMEM, EPERM, SIG_FRAMES_MAX, SS_AUTODISARM, SS_DISABLE, SS_ONSTACK,
  UAPI_stack_t_size, UAPI_stack_t_ss_flags, UAPI_stack_t_ss_size, UAPI_stack_t_ss_sp,
} from "./abi";
import { pageAlloc, pagePut } from "./mem";
import { PAGE_SIZE } from "./param";
import { Proc } from "./proc";
import { frameIsOpen } from "./sigframe";
import { copyFromUser, copyToUser } from "./vm";

/** arch/x86/include/uapi/asm/signal.h: the smallest size sigaltstack accepts (ENOMEM). */
const MINSIGSTKSZ: u32 = 2048;

/** The setting: sas_ss_sp, sas_ss_size, sas_ss_flags (stored ^ SS_DISABLE). */
@unmanaged class AltSetting {
  sp: u32;
  size: u32;
  flagsX: u32;
}

/** A frame's record: the setting its delivery saved, and the stack it runs on. */
@unmanaged class AltFrame {
  sp: u32;
  size: u32;
  flagsX: u32;
  onSp: u32;
  onSize: u32;
}

const FRAMES_AT: usize = 16;

@inline function setting(p: Proc): AltSetting {
  return changetype<AltSetting>(p.sigAltstack);
}

@inline function altFrame(p: Proc, i: i32): AltFrame {
  return changetype<AltFrame>(p.sigAltstack + FRAMES_AT + <usize>i * offsetof<AltFrame>());
}

/** The kernel's copy of a stack_t. */
const ss = memory.data(UAPI_stack_t_size, 8);

export function sigaltstackInit(p: Proc): void {
  p.sigAltstack = 0;
}

/** The process is gone: its page goes back. */
export function sigaltstackRelease(p: Proc): void {
  if (p.sigAltstack != 0) pagePut(p.sigAltstack);
  p.sigAltstack = 0;
}

export function sigaltstackPages(p: Proc, count: (page: usize) => void): void {
  if (p.sigAltstack != 0) count(p.sigAltstack);
}

/** The page of p, allocated (zero: disabled) on first use; 0 when out of memory. */
function page(p: Proc): usize {
  if (p.sigAltstack == 0) p.sigAltstack = pageAlloc();
  return p.sigAltstack;
}

/** fork keeps the setting (copy_process copies the task; the child runs no handler): 0, or
 * -ENOMEM without a page for it. */
export function sigaltstackFork(p: Proc, c: Proc): i32 {
  sigaltstackInit(c);
  if (p.sigAltstack == 0) return 0;
  if (page(c) == 0) return -ENOMEM;
  memory.copy(c.sigAltstack, p.sigAltstack, offsetof<AltSetting>());
  return 0;
}

// ---- the setting, as include/linux/sched/signal.h reads it ----

@inline function curSp(p: Proc): u32 {
  return p.sigAltstack == 0 ? 0 : setting(p).sp;
}

@inline function curSize(p: Proc): u32 {
  return p.sigAltstack == 0 ? 0 : setting(p).size;
}

@inline function curFlags(p: Proc): u32 {
  return p.sigAltstack == 0 ? <u32>SS_DISABLE : setting(p).flagsX ^ <u32>SS_DISABLE;
}

/** on_sig_stack for a context on the stack whose top is `top` (0: the normal stack, which no
 * alternate region holds): the top in (sp, sp + size], never with SS_AUTODISARM. */
function onSigStack(p: Proc, top: u64): bool {
  if (top == 0 || (curFlags(p) & <u32>SS_AUTODISARM) != 0) return false;
  const sp = <u64>curSp(p);
  return top > sp && top - sp <= <u64>curSize(p);
}

/** sas_ss_flags: SS_DISABLE with no size, SS_ONSTACK on it, else 0. */
function sasSsFlags(p: Proc, top: u64): u32 {
  if (curSize(p) == 0) return <u32>SS_DISABLE;
  return onSigStack(p, top) ? <u32>SS_ONSTACK : 0;
}

/** The top of the stack the context of frame i runs on (i -1: the main code, on the normal
 * stack), 0 for the normal stack. */
function frameTop(p: Proc, i: i32): u64 {
  if (i < 0 || p.sigAltstack == 0) return 0;
  const f = altFrame(p, i);
  return f.onSize == 0 ? 0 : <u64>f.onSp + <u64>f.onSize;
}

/** The top of the stack p's calls run on: the innermost open frame's (its handler runs). */
function callerTop(p: Proc): u64 {
  for (let i = p.sigFrames - 1; i >= 0; i--) {
    if (frameIsOpen(p, i)) return frameTop(p, i);
  }
  return 0;
}

// ---- do_sigaltstack ----

/** do_sigaltstack's change from a context on the stack whose top is `top`: -EPERM on the
 * alternate stack, -EINVAL for a mode other than 0, SS_ONSTACK, SS_DISABLE (SS_AUTODISARM
 * beside it), 0 with no change (before the size check), -ENOMEM for a size under MINSIGSTKSZ
 * (or no page for the setting); SS_DISABLE zeroes sp and size. */
function doSigaltstack(p: Proc, sp: u32, size: u32, flags: u32, top: u64): i32 {
  if (onSigStack(p, top)) return -EPERM;
  const mode = flags & ~<u32>SS_AUTODISARM;
  if (mode != <u32>SS_DISABLE && mode != <u32>SS_ONSTACK && mode != 0) return -EINVAL;
  if (curSp(p) == sp && curSize(p) == size && curFlags(p) == flags) return 0;
  if (mode == <u32>SS_DISABLE) {
    sp = 0;
    size = 0;
  } else if (size < MINSIGSTKSZ) {
    return -ENOMEM;
  }
  return settingPut(p, sp, size, flags);
}

/** Store a setting: 0, or -ENOMEM without a page (the default needs none). */
function settingPut(p: Proc, sp: u32, size: u32, flags: u32): i32 {
  const flagsX = flags ^ <u32>SS_DISABLE;
  if (p.sigAltstack == 0 && sp == 0 && size == 0 && flagsX == 0) return 0;
  if (page(p) == 0) return -ENOMEM;
  const s = setting(p);
  s.sp = sp;
  s.size = size;
  s.flagsX = flagsX;
  return 0;
}

/** sigaltstack(ss, old_ss): ss NULL (0) changes nothing; old_ss (0: not asked) gets the
 * setting before the change, its flags sas_ss_flags of the caller's stack with SS_AUTODISARM,
 * and is written only on success. The model takes ss_sp's and ss_size's low 32 bits (the trace
 * cannot pass more: args-32-bit). */
export function sigAltstack(p: Proc, ssVa: u32, oldVa: u32): i32 {
  const top = callerTop(p);
  const oldSp = curSp(p);
  const oldSize = curSize(p);
  const oldFlags = sasSsFlags(p, top) | (curFlags(p) & <u32>SS_AUTODISARM);
  if (ssVa != 0) {
    if (copyFromUser(p, ss, ssVa, UAPI_stack_t_size) != <u32>UAPI_stack_t_size) return -EFAULT;
    const sp = load<u32>(ss + UAPI_stack_t_ss_sp);
    const size = load<u32>(ss + UAPI_stack_t_ss_size);
    const r = doSigaltstack(p, sp, size, load<u32>(ss + UAPI_stack_t_ss_flags), top);
    if (r < 0) return r;
  }
  if (oldVa == 0) return 0;
  memory.fill(ss, 0, UAPI_stack_t_size);
  store<u64>(ss + UAPI_stack_t_ss_sp, oldSp);
  store<u32>(ss + UAPI_stack_t_ss_flags, oldFlags);
  store<u64>(ss + UAPI_stack_t_ss_size, oldSize);
  return copyToUser(p, oldVa, ss, UAPI_stack_t_size) == <u32>UAPI_stack_t_size ? 0 : -EFAULT;
}

// ---- frames ----

/** Frame i was just set up (sigdeliver.ts pushFrame) for a handler with SA_ONSTACK or not:
 * it saves the setting (unsafe_save_altstack), runs on the alternate stack's top when
 * SA_ONSTACK and sas_ss_flags of the interrupted context (frame i-1's) is 0, else where that
 * context runs; then signal_delivered resets an SS_AUTODISARM setting (sas_ss_reset). Without
 * a page the setting is the default: nothing to save, no switch. */
export function sigaltstackPush(p: Proc, i: i32, onstack: bool): void {
  if (p.sigAltstack == 0) return;
  const s = setting(p);
  const f = altFrame(p, i);
  f.sp = s.sp;
  f.size = s.size;
  f.flagsX = s.flagsX;
  if (onstack && sasSsFlags(p, frameTop(p, i - 1)) == 0) {
    f.onSp = s.sp;
    f.onSize = s.size;
  } else if (i > 0) {
    const below = altFrame(p, i - 1);
    f.onSp = below.onSp;
    f.onSize = below.onSize;
  } else {
    f.onSp = 0;
    f.onSize = 0;
  }
  if ((curFlags(p) & <u32>SS_AUTODISARM) != 0) {
    s.sp = 0;
    s.size = 0;
    s.flagsX = 0;
  }
}

/** Frame i was popped (its handler's rt_sigreturn): restore_altstack re-applies the setting it
 * saved through do_sigaltstack, errors ignored. The sp it checks is the frame's own, on the
 * stack the handler ran on, not the one it returns to (measured on Linux 6.18: a handler on
 * the alternate stack that set it without SS_AUTODISARM keeps that setting after its
 * sigreturn, EPERM squashed, though the code it returns to runs on the normal stack;
 * signal-altstack-handler). */
export function sigaltstackPop(p: Proc, i: i32): void {
  if (p.sigAltstack == 0) return;
  const f = altFrame(p, i);
  doSigaltstack(p, f.sp, f.size, f.flagsX ^ <u32>SS_DISABLE, frameTop(p, i));
}

// ---- invariants ----

function validSetting(sp: u32, size: u32, flags: u32): bool {
  const mode = flags & ~<u32>SS_AUTODISARM;
  if (mode == <u32>SS_DISABLE) return sp == 0 && size == 0;
  return (mode == 0 || mode == <u32>SS_ONSTACK) && size >= MINSIGSTKSZ;
}

export function sigaltstackCheck(p: Proc): void {
  if (p.sigAltstack == 0) return;
  assert(validSetting(curSp(p), curSize(p), curFlags(p)), "an invalid sigaltstack setting");
  assert(p.sigFrames <= SIG_FRAMES_MAX, "frames past the sigaltstack page");
  assert(FRAMES_AT + <usize>SIG_FRAMES_MAX * offsetof<AltFrame>() <= <usize>PAGE_SIZE,
    "sigaltstack frames do not fit the page");
  for (let i = 0; i < p.sigFrames; i++) {
    const f = altFrame(p, i);
    assert(validSetting(f.sp, f.size, f.flagsX ^ <u32>SS_DISABLE),
      "a frame saved an invalid sigaltstack setting");
    assert(f.onSize == 0 ? f.onSp == 0 : f.onSize >= MINSIGSTKSZ,
      "a frame runs on an invalid alternate stack");
  }
}
