// CPU accesses: the `store` and `load` pseudo-calls a trace uses for a process touching its
// memory, and the SIGSEGV a bad access raises.
//
// Linux: arch/x86/mm/fault.c (do_user_addr_fault, access_error, bad_area_access_error),
// kernel/signal.c (force_sig_fault, force_sig_info_to_task: a blocked or ignored SIGSEGV is
// unblocked and reset to SIG_DFL, so the fault kills).
//
// An access walks the page tables as the MMU does (vm.ts translate: a present PTE with the
// right bits, else a fault that maps a page or fails). A store into an unmapped page, a page
// without PROT_WRITE (an SHM_RDONLY attachment, a PROT_READ mapping) or a PROT_NONE page, and a
// load from an unmapped or PROT_NONE page, raise SIGSEGV; a file page past the end of the file
// raises SIGBUS (filemap.ts). The data of a store comes from the
// process's I/O area (the engine puts it there, as for write); a load's bytes go there.
//
// Out of memory (mm/oom_kill.c: pagefault_out_of_memory, out_of_memory, select_bad_process,
// oom_badness): when a fault finds the page pool exhausted (a frame or a page table), the OOM
// killer SIGKILLs the process with the most pages (its resident frames and page tables; on a
// tie the last in the task list, the highest pid; never init), and the toucher retries the
// access: it succeeds once the victim's memory is freed, or the toucher was the victim and
// dies. A SIGSEGV handler plays no part.
//
// Differences from Linux: an access is all or nothing: every page is checked before a byte
// moves, where Linux's memcpy may have stored a prefix before the faulting page (the prefix is
// visible only through a shared page, and the process dies). A fault under a SIGSEGV handler
// re-runs the access forever on Linux; the model refuses such a step (FAULT_LOOPS, which the
// engine reports as an error naming the line).
//
// Invariants: none of its own (the page tables' are vm.ts's).

import {
  EINVAL, ENOMEM, HANDLER_SIG_DFL, HANDLER_SIG_IGN, PROC_UNUSED, PROC_ZOMBIE, SIGBUS, SIGKILL,
  SIGSEGV,
} from "./abi";
import { pageAllocFailures } from "./mem";
import { PAGE_SIZE, PID_FIRST, USER_IO_BASE, USER_IO_SIZE } from "./param";
import { Proc, nextPid, proc } from "./proc";
import { sigBit, sigForceFault, sigHandler, sigSend } from "./signal";
import { doomSig, sigDoomedDies } from "./sigdeliver";
import { faultWasBus, translate, vmCountRefs } from "./vm";

/** What store/load return when the access would fault under a SIGSEGV handler: the process
 * would loop on Linux. The engine turns it into an error; the kernel state is unchanged. */
const FAULT_LOOPS: i32 = -14; // -EFAULT: never a result of store or load otherwise

/** What an access found: every page there and allowed, a page not allowed (SIGSEGV), or a
 * page the pool had no frame for (the OOM killer). */
const ACCESS_OK: i32 = 0;
const ACCESS_SEGV: i32 = 1;
const ACCESS_OOM: i32 = 2;
/** A file page past the end (or without a block): SIGBUS (filemap.ts). */
const ACCESS_BUS: i32 = 3;

/** Whether every page of [va, va + len) allows the access (faulting pages in as it goes). */
function access(p: Proc, va: u32, len: u32, write: bool): i32 {
  let off: u32 = 0;
  while (off < len) {
    const a = va + off;
    if (<u64>va + <u64>off > <u64>u32.MAX_VALUE) return ACCESS_SEGV;
    const failures = pageAllocFailures();
    faultWasBus(); // forget a fault of some earlier copy
    if (translate(p, a, write) == 0) {
      if (faultWasBus()) return ACCESS_BUS;
      return pageAllocFailures() != failures ? ACCESS_OOM : ACCESS_SEGV;
    }
    off += PAGE_SIZE - (a & (PAGE_SIZE - 1));
  }
  return ACCESS_OK;
}

function accessible(p: Proc, va: u32, len: u32, write: bool): bool {
  return access(p, va, len, write) == ACCESS_OK;
}

/** The access to [va, va + len), with the OOM killer run until it succeeds or p is the victim.
 * ACCESS_OK, ACCESS_SEGV, or ACCESS_OOM when p was killed (SIGKILL, taken as the call ends). */
function accessOrOom(p: Proc, va: u32, len: u32, write: bool): i32 {
  let r = access(p, va, len, write);
  while (r == ACCESS_OOM) {
    const victim = oomVictim();
    // Linux: __oom_kill_process sends SIGKILL, and the fault waits until the victim's memory
    // is freed (the OOM reaper); here the victim dies at once, not when it next runs.
    sigSend(victim, SIGKILL);
    if (victim == p) break;
    if (doomSig(victim) != 0) sigDoomedDies(victim);
    r = access(p, va, len, write);
  }
  return r;
}

/** oom_badness's points of a process: its resident pages and page tables (vmCountRefs). */
let oomPages: i32 = 0;
function oomCount(page: usize): void {
  oomPages++;
}

/** select_bad_process: the live process (not init) with the most points; a later one wins a
 * tie (oom_evaluate_task skips only lower points). The toucher is live, so there is one. */
function oomVictim(): Proc {
  let best: Proc | null = null;
  let bestPoints: i32 = -1;
  for (let pid = PID_FIRST; pid < nextPid(); pid++) {
    const q = proc(pid);
    if (q.state == PROC_UNUSED || q.state == PROC_ZOMBIE) continue;
    oomPages = 0;
    vmCountRefs(q, oomCount);
    if (oomPages >= bestPoints) {
      best = q;
      bestPoints = oomPages;
    }
  }
  assert(best != null, "OOM with no live process");
  return best!;
}

/** force_sig_fault(SIGSEGV or SIGBUS) (signal.ts sigForceFault): a blocked or ignored signal
 * is reset to SIG_DFL and unblocked, so it kills when the pseudo-call returns. FAULT_LOOPS
 * when a handler would catch it. */
function forceFault(p: Proc, sig: i32): i32 {
  const h = sigHandler(p, sig);
  const blocked = (p.sigBlocked & sigBit(sig)) != 0;
  if (h != HANDLER_SIG_DFL && h != HANDLER_SIG_IGN && !blocked) return FAULT_LOOPS;
  sigForceFault(p, sig);
  return 0;
}

/** Copy len bytes within p's memory, page by page through the tables (both sides checked by
 * `accessible` first, so every page is present and allowed). */
function copyUser(p: Proc, dst: u32, src: u32, len: u32): void {
  let done: u32 = 0;
  while (done < len) {
    const s = translate(p, src + done, false);
    const d = translate(p, dst + done, true);
    assert(s != 0 && d != 0, "copyUser: a page not faulted in");
    const srcRoom = PAGE_SIZE - ((src + done) & (PAGE_SIZE - 1));
    const room = min(srcRoom, PAGE_SIZE - ((dst + done) & (PAGE_SIZE - 1)));
    const n = min(len - done, room);
    memory.copy(d, s, n);
    done += n;
  }
}

/** store(addr, data): the data (len bytes at `from`, in the I/O area) written at addr. */
export function memStore(p: Proc, addr: u32, from: u32, len: u32): i32 {
  if (!inIoArea(from, len)) return -EINVAL; // the engine's buffer, always valid
  // Reading the I/O area may fault in a zero frame: out of memory is ENOMEM, not a signal.
  if (!accessible(p, from, len, false)) return -ENOMEM;
  const r = accessOrOom(p, addr, len, true);
  if (r == ACCESS_OOM) return 0;
  if (r == ACCESS_SEGV || r == ACCESS_BUS) return forceFault(p, r == ACCESS_BUS ? SIGBUS : SIGSEGV);
  copyUser(p, addr, from, len);
  return <i32>len;
}

/** load(addr, count): count bytes from addr copied to `to` (in the I/O area). */
export function memLoad(p: Proc, addr: u32, to: u32, len: u32): i32 {
  if (!inIoArea(to, len)) return -EINVAL; // the engine's buffer, always valid
  // Writing the I/O area may fault in a frame (or copy a page shared since fork): out of
  // memory is ENOMEM, not a signal.
  if (!accessible(p, to, len, true)) return -ENOMEM;
  const r = accessOrOom(p, addr, len, false);
  if (r == ACCESS_OOM) return 0;
  if (r == ACCESS_SEGV || r == ACCESS_BUS) return forceFault(p, r == ACCESS_BUS ? SIGBUS : SIGSEGV);
  copyUser(p, to, addr, len);
  return <i32>len;
}

// ---- atomics: cas, xchg, fetch_add on a 32-bit word ----

const ATOMIC_CAS: i32 = 0;
const ATOMIC_XCHG: i32 = 1;
const ATOMIC_ADD: i32 = 2;

/** cas(addr, expect, new): `lock cmpxchg`, which writes even when the comparison fails, so the
 * page must be writable either way. The old word goes to `out` (the I/O area). */
export function memCas(p: Proc, addr: u32, expect: i32, value: i32, out: u32): i32 {
  return memAtomic(p, addr, ATOMIC_CAS, expect, value, out);
}

/** xchg(addr, new): the old word to `out`. */
export function memXchg(p: Proc, addr: u32, value: i32, out: u32): i32 {
  return memAtomic(p, addr, ATOMIC_XCHG, value, 0, out);
}

/** fetch_add(addr, add): `lock xadd`, wrapping; the old word to `out`. */
export function memFetchAdd(p: Proc, addr: u32, add: i32, out: u32): i32 {
  return memAtomic(p, addr, ATOMIC_ADD, add, 0, out);
}

/** One read-modify-write of the aligned word at addr, faulting as a store does (SIGSEGV, the
 * OOM killer). The engine refuses an unaligned address first (a split lock: the model keeps
 * to words); here it is EINVAL, never a trap. */
function memAtomic(p: Proc, addr: u32, op: i32, a: i32, b: i32, out: u32): i32 {
  if (!inIoArea(out, 4)) return -EINVAL; // the engine's buffer, always valid
  if (!accessible(p, out, 4, true)) return -ENOMEM;
  if ((addr & 3) != 0) return -EINVAL;
  const r = accessOrOom(p, addr, 4, true);
  if (r == ACCESS_OOM) return 0;
  if (r == ACCESS_SEGV || r == ACCESS_BUS) return forceFault(p, r == ACCESS_BUS ? SIGBUS : SIGSEGV);
  const at = translate(p, addr, true);
  const old = load<i32>(at);
  let next = old + a;
  if (op == ATOMIC_CAS) next = old == a ? b : old;
  else if (op == ATOMIC_XCHG) next = a;
  store<i32>(at, next);
  store<i32>(translate(p, out, true), old);
  return 0;
}

function inIoArea(va: u32, len: u32): bool {
  return va >= USER_IO_BASE && <u64>va + <u64>len <= <u64>USER_IO_BASE + <u64>USER_IO_SIZE;
}
