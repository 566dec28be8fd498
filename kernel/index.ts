// The kernel's exports: the raw i32 ABI the trace engine and the simulator call (wasm/kernel.ts
// is the one typed loader). Bytes cross through a fixed scratch region; a call's user buffers
// live in the calling process's memory (k_poke / k_peek copy between scratch and a process).

import { BADCALLER, PROC_IDLE, PROC_UNUSED, PROC_WOKEN, SYS_advance } from "./abi";
import { kernelCheck } from "./check";
import {
  EVENT_PAGE_HEADER, EVENT_PAGE_RECORDS, eventBase, eventClear, eventCount, eventDropped,
  eventFlowLog, eventInit, eventPageHead,
} from "./event";
import { dirInit } from "./dir";
import { inode, inodeInit, isFifo } from "./inode";
import { pcacheInit } from "./pagecache";
import { futexInit } from "./futex";
import { FILE_EPOLL, FILE_SOCKET, fdGet, file, fileInit } from "./file";
import { locksInit } from "./locks";
import { ipcInit } from "./ipc";
import { msgInit } from "./msg";
import { semInit } from "./sem";
import { objClose, objOpen, shmInit } from "./shm";
import { fileFault } from "./filemap";
import { shmem, shmemFrames, shmemInit } from "./shmem";
import { memInit, memSetLimit, memTop, pagesUsed, pagesUsedPeak, poolPages } from "./mem";
import {
  NEVENT, NFILE, NINODE, NPIPE, NPROC, NSOCK, USER_IO_BASE, USER_IO_SIZE,
} from "./param";
import { pipe, pipeBytes, pipeInit } from "./pipe";
import { sock, sockInq, unixInit, unixPoll } from "./unix";
import { sockName, unixNameInit } from "./unix_name";
import { procKill } from "./exit";
import { procInit } from "./fork";
import { hooksInstall, hooksInstallEpoll } from "./hooks";
import {
  epCallback, epFileRelease, epInit, epItemAt, epItemEvents, epItemFd,
} from "./epoll";
import { mqFlush, mqInit, mqRelease, mqSize } from "./mqueue";
import { Proc, nextPid, proc, validPid, wokenAfter, wokenAt, wokenCount } from "./proc";
import { sigSendFrom } from "./siginfo";
import { paramSet, paramsReset } from "./sysctl";
import { sigReset, sigSendThread, sigStepBegin } from "./signal";
import { sigDeliverInit, sigOnCpu, sigWokenFree } from "./sigdeliver";
import { frameStepCaller } from "./sigframe";
import { signalfdInit } from "./signalfd";
import { pollInit } from "./pollwait";
import { pollQInit } from "./poll";
import {
  callAbort, callFinish, callInterrupt, callRetry, callStart, interruptsAtOnce,
} from "./syscall";
import { itimerInit, sleepDeadlineOf } from "./itimer";
import { sysAdvance, timePick } from "./sys_time";
import { timeInit, timeNow, timeSetRealtime } from "./time";
import { timerInit, timerNext, timerTies } from "./timer";
import { uapiCheck } from "./uapi";
import { copyFromUser, copyToUser, vmInit, vmPrivateFrames } from "./vm";

const SCRATCH_SIZE: i32 = 1 << 20;
const scratch: usize = memory.data(SCRATCH_SIZE, 16);

/** Reset the whole kernel: init (pid 1) and the first traced process (pid 2). */
/** hooks.ts's sigSend: a kernel-generated signal with si_pid `from` (and no si_status). */
function sigSendBy(p: Proc, sig: i32, code: i32, value: i32, from: i32): i32 {
  return sigSendFrom(p, sig, code, value, from, 0);
}

export function k_init(): i32 {
  uapiCheck();
  // The upward calls (hooks.ts). The loader never runs the module's start function, so they
  // are filled here (wasm globals: a memory snapshot restore leaves them as they are).
  hooksInstall(
    objOpen, objClose, sigSendBy, procKill, callFinish, callInterrupt, interruptsAtOnce,
    callAbort, mqRelease, mqFlush, fileFault, sigSendThread, mqSize,
  );
  hooksInstallEpoll(epCallback, epFileRelease);
  memInit();
  paramsReset();
  eventInit();
  fileInit();
  epInit();
  locksInit();
  pipeInit();
  unixInit();
  unixNameInit();
  pcacheInit();
  dirInit();
  timeInit(); // before inodeInit: the root's times are the clock's instant 0
  inodeInit();
  vmInit();
  ipcInit();
  msgInit();
  semInit();
  shmemInit();
  shmInit();
  sigReset();
  sigDeliverInit();
  signalfdInit();
  timerInit();
  itimerInit();
  futexInit();
  mqInit();
  pollInit();
  pollQInit();
  return procInit();
}

export function k_param_set(index: i32, value: i32): i32 {
  return paramSet(index, value);
}

/** One system call by pid: the result, -errno, BLOCKED, KILLED or BADCALLER. Pid 0 is the
 * clock, whose one call is advance (sys_time.ts). */
export function k_syscall(
  pid: i32, nr: i32, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32,
): i32 {
  if (pid == 0) {
    if (nr != SYS_advance) return BADCALLER;
    sigStepBegin();
    frameStepCaller(0);
    sigOnCpu(0); // the clock: every process a timer kills is off the CPU
    return sysAdvance(proc(0), <u32>a0, <u32>a1);
  }
  if (!validPid(pid) || pid == 1 || proc(pid).state != PROC_IDLE) return BADCALLER;
  return callStart(proc(pid), nr, a0, a1, a2, a3, a4, a5);
}

/** Retry the call of a woken process: the result, -errno, BLOCKED again, or KILLED. */
export function k_retry(pid: i32): i32 {
  if (!validPid(pid) || proc(pid).state != PROC_WOKEN) return BADCALLER;
  return callRetry(proc(pid));
}

// ---- virtual time (time.ts, timer.ts) ----

/** CLOCK_MONOTONIC now, ns since the trace started. */
export function k_time_now(): f64 { return <f64>timeNow(); }
/** The earliest pending deadline (monotonic ns), or -1 when no timer is queued. */
export function k_time_next(): f64 { return <f64>timerNext(); }
/** How many timers are due at the earliest deadline (at most TIES_MAX). */
export function k_time_ties(): i32 { return timerTies(); }
/** Which of them the next advance fires (-1: all at once): sys_time.ts timePick. */
export function k_time_pick(pick: i32): void { timePick(pick); }
/** CLOCK_REALTIME at the start, in seconds since the epoch (before the first step). */
export function k_time_set_realtime(sec: f64): void { timeSetRealtime(<i64>sec); }
/** The deadline blocked process pid sleeps until (monotonic ns), or -1. */
export function k_proc_deadline(pid: i32): f64 {
  return validPid(pid) ? <f64>sleepDeadlineOf(proc(pid)) : -1;
}

export function k_woken_count(): i32 { return wokenCount(); }
/** A woken process whose retry needs no branch (a doomed process whose death order does not
 * show: sigdeliver.ts sigWokenFree), or 0. */
export function k_woken_free(): i32 { return sigWokenFree(); }
/** The i-th woken process, 0 past the end or for a negative i (a walk: O(i)). */
export function k_woken_at(i: i32): i32 { return i < 0 ? 0 : wokenAt(i); }
/** The woken process after pid in wake order (0: the first), 0 at the end or for a bad pid. */
export function k_woken_after(pid: i32): i32 {
  return pid == 0 || validPid(pid) ? wokenAfter(pid) : 0;
}

export function k_event_count(): i32 { return eventCount(); }
export function k_event_base(): usize { return eventBase(); }
export function k_event_dropped(): i32 { return eventDropped(); }
export function k_event_clear(): void { eventClear(); }
/** Log flow records (event.ts) from now on, or stop: the views ask for them. */
export function k_flow_log(on: i32): void { eventFlowLog(on != 0); }
/** Records past the static buffer: a chain of pages (kernel/event.ts layout). */
export function k_event_page_head(): usize { return eventPageHead(); }
export function k_event_page_header(): i32 { return EVENT_PAGE_HEADER; }
export function k_event_page_records(): i32 { return EVENT_PAGE_RECORDS; }
export function k_event_inline(): i32 { return NEVENT; }

export function k_scratch(): usize { return scratch; }
export function k_scratch_size(): i32 { return SCRATCH_SIZE; }
export function k_io_base(): u32 { return USER_IO_BASE; }
export function k_io_size(): u32 { return USER_IO_SIZE; }

/** Copy len bytes of scratch into pid's memory at va (the process writing its own buffer).
 * Returns the bytes copied (fewer on a bad address). */
export function k_poke(pid: i32, va: u32, len: i32): i32 {
  if (!validPid(pid) || proc(pid).pgdir == 0 || len < 0 || len > SCRATCH_SIZE) return -1;
  return <i32>copyToUser(proc(pid), va, scratch, <u32>len);
}

/** Copy len bytes of pid's memory at va into scratch. Returns the bytes copied. */
export function k_peek(pid: i32, va: u32, len: i32): i32 {
  if (!validPid(pid) || proc(pid).pgdir == 0 || len < 0 || len > SCRATCH_SIZE) return -1;
  return <i32>copyFromUser(proc(pid), scratch, va, <u32>len);
}

/** Assert every invariant (traps with the invariant's name on a kernel bug). */
export function k_check(): i32 {
  kernelCheck();
  return 0;
}

export function k_mem_top(): usize { return memTop(); }
/** Cap the page pool at `pages` pages, chunk headers included (0: no cap but wasm's 4 GiB);
 * for tests of memory exhaustion. */
export function k_mem_limit(pages: i32): void { memSetLimit(pages); }
export function k_pool_pages(): i32 { return poolPages(); }
export function k_pages_used(): i32 { return pagesUsed(); }
export function k_pages_used_peak(): i32 { return pagesUsedPeak(); }
/** Frames held by memory objects (SysV segments, shared anonymous mappings). */
export function k_shmem_frames(): i32 { return shmemFrames(); }
/** Distinct frames of private mappings over every live process (copy-on-write counted once). */
export function k_private_frames(): i32 {
  let n: f64 = 0;
  for (let pid = 2; pid < nextPid(); pid++) if (validPid(pid)) n += vmPrivateFrames(proc(pid));
  return <i32>Math.round(n);
}

// ---- state views (cold paths, for `replay`'s final state and the visualiser) ----

export function k_next_pid(): i32 { return nextPid(); }
export function k_proc_state(pid: i32): i32 {
  return validPid(pid) ? proc(pid).state : PROC_UNUSED;
}
export function k_proc_parent(pid: i32): i32 { return validPid(pid) ? proc(pid).parent : 0; }
export function k_proc_call(pid: i32): i32 { return validPid(pid) ? proc(pid).callNr : -1; }
export function k_proc_exit_status(pid: i32): i32 {
  return validPid(pid) ? proc(pid).exitStatus : 0;
}
export function k_nproc(): i32 { return NPROC; }

export function k_fd_file(pid: i32, fd: i32): i32 {
  if (!validPid(pid)) return -1;
  const f = fdGet(proc(pid), fd);
  return f < 0 ? -1 : f;
}
// Out of the table (negative, or past its end) each of these gives -1 (k_inode_name: 0).
export function k_file_kind(f: i32): i32 { return fileOk(f) ? file(f).kind : -1; }
export function k_file_flags(f: i32): i32 { return fileOk(f) ? file(f).flags : -1; }
export function k_file_fmode(f: i32): i32 { return fileOk(f) ? file(f).fmode : -1; }
/** The pipe a description names (-1 for a socket's, whose row is k_file_sock's). */
export function k_file_pipe(f: i32): i32 {
  return fileOk(f) && file(f).kind != FILE_SOCKET && file(f).kind != FILE_EPOLL
    ? file(f).pipe : -1;
}
/** An epoll description's instance row (-1 for any other). */
export function k_file_epoll(f: i32): i32 {
  return fileOk(f) && file(f).kind == FILE_EPOLL ? file(f).pipe : -1;
}
/** The k-th item (insertion order) of epoll instance e: its fd and its events (-1: none). */
export function k_epoll_item_fd(e: i32, k: i32): i32 {
  const n = epItemAt(e, k);
  return n < 0 ? -1 : epItemFd(n);
}
export function k_epoll_item_events(e: i32, k: i32): i32 {
  const n = epItemAt(e, k);
  return n < 0 ? -1 : epItemEvents(n);
}
export function k_file_sock(f: i32): i32 {
  return fileOk(f) && file(f).kind == FILE_SOCKET ? file(f).pipe : -1;
}
function sockOk(i: i32): bool { return i >= 0 && i < NSOCK && sock(i).inUse != 0; }
/** A socket's number in creation order, type, peer's row, unread bytes, send-buffer charge
 * and size (-1 out of the table or free). */
export function k_sock_serial(i: i32): i32 { return sockOk(i) ? sock(i).serial : -1; }
export function k_sock_type(i: i32): i32 { return sockOk(i) ? sock(i).type : -1; }
export function k_sock_peer(i: i32): i32 { return sockOk(i) ? sock(i).peer : -1; }
/** An embryo's listener row until accept takes it (-1: none). */
export function k_sock_listener(i: i32): i32 { return sockOk(i) ? sock(i).listener : -1; }
export function k_sock_inq(i: i32): i32 { return sockOk(i) ? sockInq(i) : -1; }
export function k_sock_wmem(i: i32): i32 { return sockOk(i) ? sock(i).wmem : -1; }
export function k_sock_sndbuf(i: i32): i32 { return sockOk(i) ? sock(i).sndbuf : -1; }
/** Its name's length (0: unbound) and byte k of it (-1 past it): unix_name.ts. */
export function k_sock_addr_len(i: i32): i32 { return sockOk(i) ? sock(i).addrLen : -1; }
export function k_sock_addr_byte(i: i32, k: i32): i32 {
  return sockOk(i) && k >= 0 && k < sock(i).addrLen ? load<u8>(sockName(i) + <usize>k) : -1;
}
/** Its readiness as poll(2) would report it (unix.ts unixPoll). */
export function k_sock_poll(i: i32): i32 { return sockOk(i) ? unixPoll(i) : -1; }
function fileOk(f: i32): bool { return f >= 0 && f < NFILE; }

export function k_npipe(): i32 { return NPIPE; }
function pipeOk(i: i32): bool { return i >= 0 && i < NPIPE; }
export function k_pipe_in_use(i: i32): i32 { return pipeOk(i) ? pipe(i).inUse : -1; }
export function k_pipe_readers(i: i32): i32 { return pipeOk(i) ? pipe(i).readers : -1; }
export function k_pipe_writers(i: i32): i32 { return pipeOk(i) ? pipe(i).writers : -1; }
export function k_pipe_bytes(i: i32): i32 { return pipeOk(i) ? pipeBytes(pipe(i)) : -1; }
export function k_pipe_slots(i: i32): i32 {
  return pipeOk(i) ? <i32>(pipe(i).head - pipe(i).tail) : -1;
}
export function k_pipe_max_slots(i: i32): i32 { return pipeOk(i) ? pipe(i).maxUsage : -1; }
export function k_pipe_inode(i: i32): i32 { return pipeOk(i) ? pipe(i).inode : -1; }
export function k_pipe_serial(i: i32): i32 { return pipeOk(i) ? pipe(i).serial : -1; }

export function k_ninode(): i32 { return NINODE; }
function inodeRow(i: i32): bool { return i >= 0 && i < NINODE; }
export function k_inode_in_use(i: i32): i32 { return inodeRow(i) ? inode(i).inUse : -1; }
/** A FIFO with a name (the state views list FIFOs). */
export function k_inode_linked(i: i32): i32 {
  return inodeRow(i) ? (inode(i).nlink > 0 && isFifo(i) ? 1 : 0) : -1;
}
export function k_inode_pipe(i: i32): i32 { return inodeRow(i) ? inode(i).pipe : -1; }
/** The inode's path without the leading slash ("dir/f"), copied to scratch; its length (0
 * for no inode or no name). */
export function k_inode_name(i: i32): i32 {
  if (!inodeRow(i) || inode(i).inUse == 0) return 0;
  const len = inodePath(i, scratch);
  if (len <= 0) return 0;
  memory.copy(scratch, scratch + 1, len - 1);
  return len - 1;
}

import { inodePath } from "./namei";
export {
  k_view_ipc_in_use, k_view_sem_value, k_view_ipc_max_idx, k_view_ipc_id, k_view_ipc_key,
  k_view_ipc_mode, k_view_msg_qnum, k_view_msg_cbytes, k_view_sem_nsems, k_view_shm_segsz,
  k_view_shm_nattch, k_view_vma_first, k_view_vma_next, k_view_vma_start, k_view_vma_end,
  k_view_vma_prot, k_view_vma_shared, k_view_vma_shmid, k_layout_base, k_layout_entry,
  k_layout_entries,
  k_layout_mode, k_layout_touched, k_layout_live, k_layout_count, k_heap_base, k_pool_start,
  k_chunk_pages, k_page_size, k_view_lock_wait, k_view_pipe_slot, k_view_sig_set,
  k_view_sig_handler, k_view_msg_qbytes, k_view_msg, k_view_msg_waiter, k_view_mq, k_view_mq_msg,
  k_view_mq_waiter, k_view_sem_waiter, k_view_semop_wait, k_view_sem_undo, k_view_pte,
} from "./views";
