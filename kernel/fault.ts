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
// load from an unmapped or PROT_NONE page, raise SIGSEGV. The data of a store comes from the
// process's I/O area (the engine puts it there, as for write); a load's bytes go there.
//
// Differences from Linux: an access is all or nothing: every page is checked before a byte
// moves, where Linux's memcpy may have stored a prefix before the faulting page (the prefix is
// visible only through a shared page, and the process dies). A fault under a SIGSEGV handler
// re-runs the access forever on Linux; the model refuses such a step (FAULT_LOOPS, which the
// engine reports as an error naming the line).
//
// Invariants: none of its own (the page tables' are vm.ts's).

import { EINVAL, ENOMEM, HANDLER_SIG_DFL, HANDLER_SIG_IGN, SIGSEGV } from "./abi";
import { PAGE_SIZE, USER_IO_BASE, USER_IO_SIZE } from "./param";
import { Proc } from "./proc";
import { sigBit, sigForceFault, sigHandler } from "./signal";
import { translate } from "./vm";

/** What store/load return when the access would fault under a SIGSEGV handler: the process
 * would loop on Linux. The engine turns it into an error; the kernel state is unchanged. */
const FAULT_LOOPS: i32 = -14; // -EFAULT: never a result of store or load otherwise

/** Whether every page of [va, va + len) allows the access (faulting pages in as it goes). */
function accessible(p: Proc, va: u32, len: u32, write: bool): bool {
  let off: u32 = 0;
  while (off < len) {
    const a = va + off;
    if (<u64>va + <u64>off > <u64>u32.MAX_VALUE || translate(p, a, write) == 0) return false;
    off += PAGE_SIZE - (a & (PAGE_SIZE - 1));
  }
  return true;
}

/** force_sig_fault(SIGSEGV) (signal.ts sigForceFault): a blocked or ignored SIGSEGV is reset to
 * SIG_DFL and unblocked, so it kills when the pseudo-call returns. FAULT_LOOPS when a handler
 * would catch it. */
function forceSegv(p: Proc): i32 {
  const h = sigHandler(p, SIGSEGV);
  const blocked = (p.sigBlocked & sigBit(SIGSEGV)) != 0;
  if (h != HANDLER_SIG_DFL && h != HANDLER_SIG_IGN && !blocked) return FAULT_LOOPS;
  sigForceFault(p, SIGSEGV);
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
  if (!accessible(p, addr, len, true)) return forceSegv(p);
  copyUser(p, addr, from, len);
  return <i32>len;
}

/** load(addr, count): count bytes from addr copied to `to` (in the I/O area). */
export function memLoad(p: Proc, addr: u32, to: u32, len: u32): i32 {
  if (!inIoArea(to, len)) return -EINVAL; // the engine's buffer, always valid
  // Writing the I/O area may fault in a frame (or copy a page shared since fork): out of
  // memory is ENOMEM, not a signal.
  if (!accessible(p, to, len, true)) return -ENOMEM;
  if (!accessible(p, addr, len, false)) return forceSegv(p);
  copyUser(p, to, addr, len);
  return <i32>len;
}

function inIoArea(va: u32, len: u32): bool {
  return va >= USER_IO_BASE && <u64>va + <u64>len <= <u64>USER_IO_BASE + <u64>USER_IO_SIZE;
}
