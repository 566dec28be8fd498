// Read-only views of kernel state for the simulator (sim/scenario: deadlock explanations and
// end checks), and of the kernel's memory layout (wasm/kernel.ts's fast reset restores the
// post-init snapshot over only what a run can have changed: it needs to know where the big
// tables are). Cold paths: nothing here changes state, allocates, or is called per step.
//
// Linux: no counterpart (the simulator's /proc); values are what ipcs(1) and /proc/PID/fd show.
// Differences: none (views only). Invariants: none of their own (each view reads a mechanism's
// state through that mechanism's accessors, so the mechanism's check covers it).

import { dentriesTouched, dentryTableBase, dentryTableEntry } from "./dir";
import { Inode, inodeTableBase, inodesTouched } from "./inode";
import { pcacheEntryBytes, pcacheTableBase, pcacheTouched } from "./pagecache";
import { FDT_ENTRY_BYTES, fdTablesBase, file, File } from "./file";
import { checkArrayBase, checkArrayEntries } from "./check";
import { semUndoList, undoHeadsBase } from "./semop";
import {
  IPC_MSG, IPC_SEM, IPC_SHM, bufAddr, ipcArrayBase, ipcArrayBytes, ipcIdxUsed, ipcInUse,
  ipcMaxIdx, ipcArrayTouched, ipcObtainCheck, ipcPerm, ipcRec,
} from "./ipc";
import {
  msg, msgCbytes, msgQnum, msgrcvWait, msgsndWait, queue, rcvQ, sndQ,
} from "./msg";
import { shmNattch, shmSegsz } from "./shm";
import {
  CHUNK_PAGES, FILE_OBJ, NDENTRY, NEVENT, NFILE, NINODE, NLOCK, NMQUEUE, NPCACHE, NPIPE,
  NPOSIXTIMER, NPROC, NSHMEM, NSKB, NSOCK, NVMA, PAGE_SIZE,
} from "./param";
import { SQ_POOL_ENTRIES, SigQueue, sqLiveEntries, sqPoolBase } from "./sigqueue";
import {
  PosixTimer, timerHeapBase, timerHeapEntries, timerHeapLive, timerPoolBase, timerPoolLive,
} from "./timer";
import { EVENT_BYTES, eventBase } from "./event";
import {
  fasyncTableBase, fasyncTableEntries, fasyncTableEntry, fasyncTableTouched,
} from "./fasync";
import { pageRefs, poolStart } from "./mem";
import { shmem, Shmem } from "./shmem";
import {
  mqPollKey, mqTableBase, mqTableEntry, mqTableTouched, mqWait, msg as mqMsg, queue as mqQueue,
  rcvQ as mqRcvQ, sndQ as mqSndQ,
} from "./mqueue";
import { lockWaitRequest } from "./fcntl_lock";
import {
  FL_FLOCK, FL_OFDLCK, LK_HELD, NONE, OFFSET_MAX, lk, locksTableBase, locksTableEntry,
  locksTableTouched,
} from "./locks";
import { pipe, Pipe, pipeSlotView } from "./pipe";
import { sigHandler } from "./signal";
import { Skb, Sock, skbTableBase, sockTableBase } from "./unix";
import { EP_ITEMS, epItemBytes, epItemsBase, epItemsTouched } from "./epoll";
import { proc, Proc, validPid } from "./proc";
import {
  adjAddr, array, globalAlter, globalConst, sem, semAlter, semConst, semopWait, sopFlg, sopNum,
  sopOp, undo,
} from "./sem";
import { VMA_IO, pteOf, vma, Vma, vmCheckArrayBase } from "./vm";
import { waitQueue } from "./wait";
import { PROC_BLOCKED, SYS_semop, SYS_semtimedop } from "./abi";

/** SysV objects of a type (0 msg, 1 sem, 2 shm) that exist now. */
export function k_view_ipc_in_use(type: i32): i32 {
  if (type != IPC_MSG && type != IPC_SEM && type != IPC_SHM) return -1;
  return ipcInUse(type);
}

/** Slot n of pipe index i for the HTML view's inspector (pipe.ts pipeSlotView: field 0 offset,
 * 1 length, 2 flags, 3 page number); -1 for no such slot. */
export function k_view_pipe_slot(i: i32, n: i32, field: i32): i32 {
  return i >= 0 && i < NPIPE ? pipeSlotView(i, n, field) : -1;
}

/** A process's signal sets for the inspector, half `hi` (0: signals 1-32, 1: 33-64) of: what
 * 0 pending (sent to it or to its thread), 1 blocked. 0 for no such process. */
export function k_view_sig_set(pid: i32, what: i32, hi: i32): i32 {
  if (!validPid(pid)) return 0;
  const p = proc(pid);
  const set = what == 0 ? p.sigPending | p.sigPrivate : p.sigBlocked;
  return <i32>(hi != 0 ? set >> 32 : set & 0xffffffff);
}

/** Signal sig's disposition in pid: 0 SIG_DFL, 1 SIG_IGN, more a handler; -1 for none. */
export function k_view_sig_handler(pid: i32, sig: i32): i32 {
  if (!validPid(pid) || sig < 1 || sig > 64) return -1;
  return sigHandler(proc(pid), sig);
}

/** semval of semaphore num of set semid, or -1 when there is no such semaphore. */
export function k_view_sem_value(semid: i32, num: i32): i32 {
  const idx = ipcObtainCheck(IPC_SEM, semid);
  if (idx < 0) return -1;
  const a = array(idx);
  if (num < 0 || num >= a.nsems) return -1;
  return sem(a, num).semval;
}

// ---- the ipcs(1)-like tables of the final state (sim/state.ts) ----

/** The highest idx of a type's objects (-1 when none): k_view_ipc_id scans 0..it. */
export function k_view_ipc_max_idx(type: i32): i32 {
  if (type != IPC_MSG && type != IPC_SEM && type != IPC_SHM) return -1;
  return ipcMaxIdx(type);
}

/** The id of the object at idx, or -1 when none is there. */
export function k_view_ipc_id(type: i32, idx: i32): i32 {
  if (!ipcValid(type, idx)) return -1;
  return ipcPerm(ipcRec(type, idx)).id;
}

/** Whether idx names an object of a type that exists (every index export checks it first:
 * an index out of the table, negative or of a free slot gives the export's sentinel). */
function ipcValid(type: i32, idx: i32): bool {
  if (type != IPC_MSG && type != IPC_SEM && type != IPC_SHM) return false;
  if (idx < 0 || idx > ipcMaxIdx(type) || !ipcIdxUsed(type, idx)) return false;
  return ipcRec(type, idx) != 0;
}

/** The key and the mode (permissions, and SHM_DEST/SHM_LOCKED for a segment) of the object
 * at idx, which k_view_ipc_id said is there; -1 when there is none. */
export function k_view_ipc_key(type: i32, idx: i32): i32 {
  return ipcValid(type, idx) ? ipcPerm(ipcRec(type, idx)).key : -1;
}
export function k_view_ipc_mode(type: i32, idx: i32): i32 {
  return ipcValid(type, idx) ? ipcPerm(ipcRec(type, idx)).mode : -1;
}

/** A queue's messages and bytes, a set's semaphores, a segment's size and attaches; -1 when
 * idx names no object of that type. */
export function k_view_msg_qnum(idx: i32): i32 {
  return ipcValid(IPC_MSG, idx) ? msgQnum(idx) : -1;
}
export function k_view_msg_cbytes(idx: i32): i32 {
  return ipcValid(IPC_MSG, idx) ? msgCbytes(idx) : -1;
}
export function k_view_sem_nsems(idx: i32): i32 {
  return ipcValid(IPC_SEM, idx) ? array(idx).nsems : -1;
}
/** f64: a size up to 2^32 - 1 (SHMMAX's cap) and the sentinel -1. */
export function k_view_shm_segsz(idx: i32): f64 {
  return ipcValid(IPC_SHM, idx) ? <f64>shmSegsz(idx) : -1;
}
export function k_view_shm_nattch(idx: i32): i32 {
  return ipcValid(IPC_SHM, idx) ? shmNattch(idx) : -1;
}

/** A process's mappings (regions), as a list: the first region's number (index + 1, 0 for
 * none; the model's I/O area is left out), then each region's next (0 at the end, and for a
 * number that names no region in use). */
export function k_view_vma_first(pid: i32): i32 {
  return validPid(pid) ? userVma(proc(pid).vmaHead) : 0;
}
export function k_view_vma_next(n: i32): i32 { return vmaValid(n) ? userVma(vma(n - 1).next) : 0; }

function vmaValid(n: i32): bool {
  return n >= 1 && n <= NVMA && vma(n - 1).inUse != 0;
}

function userVma(n: i32): i32 {
  while (n != 0 && (vma(n - 1).flags & VMA_IO) != 0) n = vma(n - 1).next;
  return n;
}

/** A region's bounds (0, never a mapped address, when n names no region), protection, whether
 * it is shared (1 a segment or MAP_SHARED, 0 private), the SysV segment's id it maps (-1:
 * private, an anonymous shared mapping, or no region). */
export function k_view_vma_start(n: i32): u32 { return vmaValid(n) ? vma(n - 1).start : 0; }
export function k_view_vma_end(n: i32): u32 { return vmaValid(n) ? vma(n - 1).end : 0; }
export function k_view_vma_prot(n: i32): i32 { return vmaValid(n) ? vma(n - 1).prot : -1; }
export function k_view_vma_shared(n: i32): i32 {
  if (!vmaValid(n)) return -1;
  return vma(n - 1).obj >= 0 ? 1 : 0;
}
export function k_view_vma_shmid(n: i32): i32 {
  if (!vmaValid(n)) return -1;
  const o = vma(n - 1).obj;
  if (o < 0 || o >= FILE_OBJ || shmem(o).shmIdx < 0) return -1; // a file's is no segment
  return ipcPerm(ipcRec(IPC_SHM, shmem(o).shmIdx)).id;
}

// ---- the HTML view's inspectors (sim/view/inspect.ts): objects in the kernel's terms ----
//
// Each export reads one field of one element of a list (a queue's messages, a wait queue's
// sleepers) by position; a position past the list's end, a free slot or a bad index gives -1.
// A field that may itself be -1 (a type, a sem_op, a semadj) is read after its element's
// count or pid, which is never -1 for an element that exists.

/** Bytes of a message's text the inspector shows. */
const VIEW_TEXT: i32 = 16;

/** The pid of sleeper n (0-based, in the queue's order: who a wake reaches first) of wait
 * queue q, or 0. */
function sleeperAt(q: usize, n: i32): i32 {
  if (n < 0) return 0;
  let pid = waitQueue(q).head;
  for (let i = 0; i < n && pid != 0; i++) pid = proc(pid).waitNext;
  return pid;
}

/** SysV queue idx's msg_qbytes (-1: no such queue). */
export function k_view_msg_qbytes(idx: i32): f64 {
  return ipcValid(IPC_MSG, idx) ? <f64>queue(idx).qbytes : -1;
}

/** Message n (send order) of SysV queue idx: field 0 its mtype, 1 its size, 2 its serial (the
 * flow records' name), 3 + i byte i of its text (i < 16 and the size). */
export function k_view_msg(idx: i32, n: i32, field: i32): f64 {
  if (!ipcValid(IPC_MSG, idx) || n < 0) return -1;
  let m = queue(idx).msgHead;
  for (let i = 0; i < n && m >= 0; i++) m = msg(m).next;
  if (m < 0) return -1;
  const x = msg(m);
  if (field == 0) return <f64>x.mtype;
  if (field == 1) return x.size;
  if (field == 2) return x.serial;
  const i = field - 3;
  if (i < 0 || i >= VIEW_TEXT || i >= x.size) return -1;
  return load<u8>(bufAddr(x.data, x.size, i));
}

/** Sleeper n of SysV queue idx's receivers (side 0: q_receivers) or senders (1: q_senders):
 * field 0 its pid; a receiver's 1 msgtyp, 2 msgflg; a sender's 1 its message's size, 2 mtype. */
export function k_view_msg_waiter(idx: i32, side: i32, n: i32, field: i32): f64 {
  if (!ipcValid(IPC_MSG, idx) || side < 0 || side > 1) return -1;
  const pid = sleeperAt(side == 0 ? rcvQ(queue(idx)) : sndQ(queue(idx)), n);
  if (pid == 0) return -1;
  if (field == 0) return pid;
  if (side == 0) {
    const w = msgrcvWait(proc(pid));
    return field == 1 ? <f64>w.msgtyp : field == 2 ? w.flg : -1;
  }
  const m = msgsndWait(proc(pid)).msg;
  if (m < 0) return -1;
  return field == 1 ? msg(m).size : field == 2 ? <f64>msg(m).mtype : -1;
}

/** POSIX queue row i (kernel/mqueue.ts), in use: field 0 mq_maxmsg, 1 mq_msgsize, 2 mq_curmsgs,
 * 3 its name's length (0: unlinked), 4 + j byte j of its name (after the slash). */
export function k_view_mq(i: i32, field: i32): i32 {
  if (i < 0 || i >= NMQUEUE || mqQueue(i).used == 0) return -1;
  const q = mqQueue(i);
  if (field == 0) return q.maxmsg;
  if (field == 1) return q.msgsize;
  if (field == 2) return q.curmsgs;
  if (field == 3) return q.nameLen;
  const j = field - 4;
  return j >= 0 && j < q.nameLen ? load<u8>(mqPollKey(i) + <usize>j) : -1;
}

/** Message n (receive order: highest priority first) of POSIX queue row i: field 0 its
 * priority, 1 its size, 2 + j byte j of its text (j < 16 and the size). */
export function k_view_mq_msg(i: i32, n: i32, field: i32): i32 {
  if (k_view_mq(i, 0) < 0 || n < 0) return -1;
  let m = mqQueue(i).msgHead;
  for (let k = 0; k < n && m >= 0; k++) m = mqMsg(m).next;
  if (m < 0) return -1;
  const x = mqMsg(m);
  if (field == 0) return x.prio;
  if (field == 1) return x.size;
  const j = field - 2;
  if (j < 0 || j >= VIEW_TEXT || j >= x.size) return -1;
  return load<u8>(bufAddr(x.data, x.size, j));
}

/** Sleeper n of POSIX queue row i's receivers (side 0) or senders (1): field 0 its pid, 1 a
 * sender's priority. */
export function k_view_mq_waiter(i: i32, side: i32, n: i32, field: i32): i32 {
  if (k_view_mq(i, 0) < 0 || side < 0 || side > 1) return -1;
  const pid = sleeperAt(side == 0 ? mqRcvQ(mqQueue(i)) : mqSndQ(mqQueue(i)), n);
  if (pid == 0) return -1;
  if (field == 0) return pid;
  return field == 1 && side == 1 ? <i32>mqWait(proc(pid)).prio : -1;
}

/** Sleeper n of a pending list of semaphore set idx (ipc/sem.c): list -1 the set's
 * pending_alter, -2 its pending_const (complex operations), 2 * num semaphore num's
 * pending_alter, 2 * num + 1 its pending_const. Its pid, or -1. */
export function k_view_sem_waiter(idx: i32, list: i32, n: i32): i32 {
  if (!ipcValid(IPC_SEM, idx) || list < -2) return -1;
  const a = array(idx);
  if (list >= 2 * a.nsems) return -1;
  const q = list == -1 ? globalAlter(a) : list == -2 ? globalConst(a)
    : (list & 1) == 0 ? semAlter(sem(a, list >> 1)) : semConst(sem(a, list >> 1));
  const pid = sleeperAt(q, n);
  return pid == 0 ? -1 : pid;
}

/** What pid asleep in semop keeps (struct sem_queue): op -1 gives field 0 nsops, 1 the index
 * of the sop that blocks it, 2 its semid, 3 whether it has an undo record; op i >= 0 gives
 * sop i's field 0 sem_num, 1 sem_op, 2 sem_flg. */
export function k_view_semop_wait(pid: i32, op: i32, field: i32): i32 {
  if (!validPid(pid)) return -1;
  const p = proc(pid);
  if (p.state != PROC_BLOCKED || (p.callNr != SYS_semop && p.callNr != SYS_semtimedop)) return -1;
  const w = semopWait(p);
  if (w.nsops <= 0 || op < -1 || op >= w.nsops) return -1;
  if (op == -1) {
    if (field == 0) return w.nsops;
    if (field == 1) return w.blocking;
    if (field == 2) return w.semid;
    return field == 3 ? (w.undo >= 0 ? 1 : 0) : -1;
  }
  if (field == 0) return sopNum(w.sops, w.nsops, op);
  if (field == 1) return sopOp(w.sops, w.nsops, op);
  return field == 2 ? sopFlg(w.sops, w.nsops, op) : -1;
}

/** pid's SEM_UNDO record n (its list, most recently used first): num -1 gives its semid (-1
 * once the set is removed), -2 its nsems, num >= 0 semaphore num's semadj. */
export function k_view_sem_undo(pid: i32, n: i32, num: i32): i32 {
  if (!validPid(pid) || n < 0) return -1;
  let u = semUndoList(pid);
  for (let i = 0; i < n && u >= 0; i++) u = undo(u).procNext;
  if (u < 0) return -1;
  if (num == -1) return undo(u).semid;
  if (num == -2) return undo(u).nsems;
  return num >= 0 && num < undo(u).nsems ? <i32>load<i16>(adjAddr(u, num)) : -1;
}

/** The page-table entry for va in pid's tables: field 0 its flags (vm.ts: 1 present, 2
 * writable, 4 copy-on-write, 8 PROT_NONE; 0 no page), 1 the frame's number in the page pool,
 * 2 the frame's reference count (the entries naming it, and a segment's page index). -1 for
 * no process or no page. */
export function k_view_pte(pid: i32, va: u32, field: i32): i32 {
  if (!validPid(pid)) return -1;
  const pte = pteOf(proc(pid), va);
  if (field == 0) return <i32>(pte & <u32>(PAGE_SIZE - 1));
  if ((pte & 1) == 0) return -1;
  const frame = <usize>(pte & ~<u32>(PAGE_SIZE - 1));
  if (field == 1) return <i32>((frame - poolStart()) / <usize>PAGE_SIZE);
  return field == 2 ? pageRefs(frame) : -1;
}

// ---- layout: the big fixed tables, as (base, entry bytes, entries) ----
//
// Tables whose free lists start lowest-first and push freed entries on the head (files, pipes,
// vmas) are only ever touched in a prefix; tables indexed by pid are touched below the next
// pid. The fast reset restores those prefixes and everything else in static data.

const LAYOUT_FILES: i32 = 0;
const LAYOUT_PIPES: i32 = 1;
const LAYOUT_VMAS: i32 = 2;
const LAYOUT_PROCS: i32 = 3;
const LAYOUT_INODES: i32 = 4;
/** Directory entry names (dir.ts): meaningful only for an entry in use; stale bytes are
 * harmless. */
const LAYOUT_NAMES: i32 = 5;
/** Memory objects behind shared mappings (shmem.ts), a lowest-first free list. */
const LAYOUT_SHMEM: i32 = 6;
/** Descriptor tables (file.ts) and SEM_UNDO list heads (semop.ts), by pid. */
const LAYOUT_FDTABLES: i32 = 7;
const LAYOUT_UNDO_HEADS: i32 = 8;
/** vmCheck's per-object counts (vm.ts): scratch for the check. */
const LAYOUT_VM_CHECK: i32 = 9;
/** The event log's records (event.ts): only the first `count` mean anything. */
const LAYOUT_EVENTS: i32 = 10;
/** The sigqueue entry pool (sigqueue.ts): entries are written before they are read. */
const LAYOUT_SIGQUEUE: i32 = 11;
/** kernel_check's four counting arrays (check.ts), 12..15: scratch for the check. */
const LAYOUT_CHECK_FIRST: i32 = 12;
const LAYOUT_CHECK_END: i32 = 16;
/** The POSIX timer pool and the timer heap (timer.ts): only entries the queue state (a
 * process's list, the heap size) names mean anything. */
const LAYOUT_TIMERS: i32 = 16;
const LAYOUT_TIMER_HEAP: i32 = 17;
/** The SysV registry's arrays (ipc.ts ipcArrayBase), 18..21: all zero past the high-water mark
 * of what a run wrote (k_layout_touched). */
const LAYOUT_IPC_FIRST: i32 = 18;
const LAYOUT_IPC_END: i32 = 22;
/** Signal-driven I/O's owner records (by description) and list heads (by pipe), fasync.ts:
 * all zero past the high-water mark of the entries a run reached (k_layout_touched). */
const LAYOUT_FASYNC_FIRST: i32 = 22;
const LAYOUT_FASYNC_END: i32 = 24;
/** POSIX queues and their names (mqueue.ts): rows below the high-water mark of the rows a run
 * took (k_layout_touched), the rest as init left them. */
const LAYOUT_MQ_QUEUES: i32 = 24;
const LAYOUT_MQ_NAMES: i32 = 25;
/** Directory entries and the page cache (dir.ts, pagecache.ts): rows below the high-water
 * mark of the rows a run took (k_layout_touched), as are the inodes (inode.ts). */
const LAYOUT_DENTRIES: i32 = 26;
const LAYOUT_PCACHE: i32 = 27;
/** File lock records (locks.ts): below the high-water mark of the records a run took. */
const LAYOUT_LOCKS: i32 = 28;
/** AF_UNIX sockets and socket buffers (unix.ts): lowest-first free lists. */
const LAYOUT_SOCKS: i32 = 29;
const LAYOUT_SKBS: i32 = 30;
/** Epoll items (epoll.ts): below the high-water mark of the items a run took. */
const LAYOUT_EPITEMS: i32 = 31;
const LAYOUT_COUNT: i32 = 32;

export function k_layout_base(t: i32): usize {
  switch (t) {
    case LAYOUT_FILES: return changetype<usize>(file(0));
    case LAYOUT_PIPES: return changetype<usize>(pipe(0));
    case LAYOUT_VMAS: return changetype<usize>(vma(0));
    case LAYOUT_PROCS: return changetype<usize>(proc(0));
    case LAYOUT_INODES: return inodeTableBase();
    case LAYOUT_NAMES: return dentryTableBase(true);
    case LAYOUT_DENTRIES: return dentryTableBase(false);
    case LAYOUT_PCACHE: return pcacheTableBase();
    case LAYOUT_SHMEM: return changetype<usize>(shmem(0));
    case LAYOUT_FDTABLES: return fdTablesBase();
    case LAYOUT_UNDO_HEADS: return undoHeadsBase();
    case LAYOUT_VM_CHECK: return vmCheckArrayBase();
    case LAYOUT_EVENTS: return eventBase();
    case LAYOUT_SIGQUEUE: return sqPoolBase();
    case LAYOUT_TIMERS: return timerPoolBase();
    case LAYOUT_TIMER_HEAP: return timerHeapBase();
    case LAYOUT_MQ_QUEUES: return mqTableBase(false);
    case LAYOUT_MQ_NAMES: return mqTableBase(true);
    case LAYOUT_LOCKS: return locksTableBase();
    case LAYOUT_SOCKS: return sockTableBase();
    case LAYOUT_SKBS: return skbTableBase();
    case LAYOUT_EPITEMS: return epItemsBase();
    default:
      if (t >= LAYOUT_IPC_FIRST && t < LAYOUT_IPC_END) return ipcArrayBase(t - LAYOUT_IPC_FIRST);
      if (t >= LAYOUT_FASYNC_FIRST && t < LAYOUT_FASYNC_END) {
        return fasyncTableBase(t - LAYOUT_FASYNC_FIRST);
      }
      if (t < LAYOUT_CHECK_FIRST || t >= LAYOUT_CHECK_END) return 0;
      return checkArrayBase(t - LAYOUT_CHECK_FIRST);
  }
}

export function k_layout_entry(t: i32): i32 {
  switch (t) {
    case LAYOUT_FILES: return offsetof<File>();
    case LAYOUT_PIPES: return offsetof<Pipe>();
    case LAYOUT_VMAS: return offsetof<Vma>();
    case LAYOUT_PROCS: return offsetof<Proc>();
    case LAYOUT_INODES: return offsetof<Inode>();
    case LAYOUT_NAMES: return dentryTableEntry(true);
    case LAYOUT_DENTRIES: return dentryTableEntry(false);
    case LAYOUT_PCACHE: return pcacheEntryBytes();
    case LAYOUT_SHMEM: return offsetof<Shmem>();
    case LAYOUT_FDTABLES: return FDT_ENTRY_BYTES;
    case LAYOUT_UNDO_HEADS: return 4;
    case LAYOUT_VM_CHECK: return 4;
    case LAYOUT_EVENTS: return EVENT_BYTES;
    case LAYOUT_SIGQUEUE: return offsetof<SigQueue>();
    case LAYOUT_TIMERS: return offsetof<PosixTimer>();
    case LAYOUT_TIMER_HEAP: return 4;
    case LAYOUT_MQ_QUEUES: return mqTableEntry(false);
    case LAYOUT_MQ_NAMES: return mqTableEntry(true);
    case LAYOUT_LOCKS: return locksTableEntry();
    case LAYOUT_SOCKS: return offsetof<Sock>();
    case LAYOUT_SKBS: return offsetof<Skb>();
    case LAYOUT_EPITEMS: return epItemBytes();
    default:
      if (t >= LAYOUT_IPC_FIRST && t < LAYOUT_IPC_END) return 4;
      if (t >= LAYOUT_FASYNC_FIRST && t < LAYOUT_FASYNC_END) {
        return fasyncTableEntry(t - LAYOUT_FASYNC_FIRST);
      }
      return t >= LAYOUT_CHECK_FIRST && t < LAYOUT_CHECK_END ? 4 : 0;
  }
}

export function k_layout_entries(t: i32): i32 {
  switch (t) {
    case LAYOUT_FILES: return NFILE;
    case LAYOUT_PIPES: return NPIPE;
    case LAYOUT_VMAS: return NVMA;
    case LAYOUT_PROCS: return NPROC;
    case LAYOUT_INODES: return NINODE;
    case LAYOUT_NAMES: return NDENTRY;
    case LAYOUT_DENTRIES: return NDENTRY;
    case LAYOUT_PCACHE: return NPCACHE;
    case LAYOUT_SHMEM: return NSHMEM;
    case LAYOUT_FDTABLES: return NPROC;
    case LAYOUT_UNDO_HEADS: return NPROC;
    case LAYOUT_VM_CHECK: return NSHMEM;
    case LAYOUT_EVENTS: return NEVENT;
    case LAYOUT_SIGQUEUE: return SQ_POOL_ENTRIES;
    case LAYOUT_TIMERS: return NPOSIXTIMER + 1;
    case LAYOUT_TIMER_HEAP: return timerHeapEntries();
    case LAYOUT_MQ_QUEUES: return NMQUEUE;
    case LAYOUT_MQ_NAMES: return NMQUEUE;
    case LAYOUT_LOCKS: return NLOCK;
    case LAYOUT_SOCKS: return NSOCK;
    case LAYOUT_SKBS: return NSKB;
    case LAYOUT_EPITEMS: return EP_ITEMS;
    default:
      if (t >= LAYOUT_IPC_FIRST && t < LAYOUT_IPC_END) {
        return ipcArrayBytes(t - LAYOUT_IPC_FIRST) / 4;
      }
      if (t >= LAYOUT_FASYNC_FIRST && t < LAYOUT_FASYNC_END) {
        return fasyncTableEntries(t - LAYOUT_FASYNC_FIRST);
      }
      if (t < LAYOUT_CHECK_FIRST || t >= LAYOUT_CHECK_END) return 0;
      return checkArrayEntries(t - LAYOUT_CHECK_FIRST);
  }
}

/** How the fast reset restores a table: 0 not at all (its contents do not matter between runs),
 * 1 the prefix a run touched (a lowest-first free list), 2 the entries below the next pid, 3
 * up to the high-water mark k_layout_touched gives. A new big table: add it
 * here, and wasm/reset.ts picks it up. */
export function k_layout_mode(t: i32): i32 {
  switch (t) {
    case LAYOUT_FILES: return 1;
    case LAYOUT_PIPES: return 1;
    case LAYOUT_VMAS: return 1;
    case LAYOUT_PROCS: return 2;
    case LAYOUT_INODES: return 3;
    case LAYOUT_NAMES: return 0;
    case LAYOUT_DENTRIES: return 3;
    case LAYOUT_PCACHE: return 3;
    case LAYOUT_SHMEM: return 1;
    case LAYOUT_FDTABLES: return 2;
    case LAYOUT_UNDO_HEADS: return 2;
    case LAYOUT_VM_CHECK: return 0;
    case LAYOUT_EVENTS: return 0;
    case LAYOUT_SIGQUEUE: return 0;
    case LAYOUT_TIMERS: return 0;
    case LAYOUT_TIMER_HEAP: return 0;
    case LAYOUT_MQ_QUEUES: return 3;
    case LAYOUT_MQ_NAMES: return 3;
    case LAYOUT_LOCKS: return 3;
    case LAYOUT_SOCKS: return 1;
    case LAYOUT_SKBS: return 1;
    case LAYOUT_EPITEMS: return 3;
    default:
      if (t >= LAYOUT_IPC_FIRST && t < LAYOUT_IPC_END) return 3;
      if (t >= LAYOUT_FASYNC_FIRST && t < LAYOUT_FASYNC_END) return 3;
      return t >= LAYOUT_CHECK_FIRST && t < LAYOUT_CHECK_END ? 0 : -1;
  }
}

/** For a mode-3 table: how many entries from its start the run may have changed since init
 * (a high-water mark; 0: none), each entry past them as init left it. */
export function k_layout_touched(t: i32): i32 {
  if (t == LAYOUT_MQ_QUEUES || t == LAYOUT_MQ_NAMES) return mqTableTouched();
  if (t == LAYOUT_INODES) return inodesTouched();
  if (t == LAYOUT_DENTRIES) return dentriesTouched();
  if (t == LAYOUT_PCACHE) return pcacheTouched();
  if (t == LAYOUT_LOCKS) return locksTableTouched();
  if (t == LAYOUT_EPITEMS) return epItemsTouched();
  if (t >= LAYOUT_FASYNC_FIRST && t < LAYOUT_FASYNC_END) {
    return fasyncTableTouched(t - LAYOUT_FASYNC_FIRST);
  }
  if (t < LAYOUT_IPC_FIRST || t >= LAYOUT_IPC_END) return 0;
  return (ipcArrayTouched(t - LAYOUT_IPC_FIRST) + 3) >> 2;
}

/** For a mode-0 table: how many entries from its start hold state in this run (the rest are
 * leftovers of earlier runs or scratch), for the state key of verify's cache
 * (sim/scenario/state-key.ts): none of the event log (drained before any decision) and the
 * check arrays (filled before each use); the sigqueue and POSIX timer entries below their
 * bump index, the timer heap's entries, the entry names up to the
 * high-water mark of the entries. */
export function k_layout_live(t: i32): i32 {
  if (t == LAYOUT_EVENTS || t == LAYOUT_VM_CHECK) return 0;
  if (t >= LAYOUT_CHECK_FIRST && t < LAYOUT_CHECK_END) return 0;
  if (t == LAYOUT_SIGQUEUE) return sqLiveEntries();
  if (t == LAYOUT_TIMERS) return timerPoolLive();
  if (t == LAYOUT_TIMER_HEAP) return timerHeapLive();
  if (t == LAYOUT_NAMES) return dentriesTouched();
  return k_layout_entries(t);
}

export function k_layout_count(): i32 { return LAYOUT_COUNT; }
export function k_heap_base(): usize { return __heap_base; }
/** The page pool: its first chunk's start, pages a chunk, bytes a page (mem.ts, param.ts). */
export function k_pool_start(): usize { return poolStart(); }
export function k_chunk_pages(): i32 { return CHUNK_PAGES; }
export function k_page_size(): i32 { return PAGE_SIZE; }


// ---- file locks: what a lock sleeper waits for (sim/scenario/deadlock.ts) ----

/** For pid asleep in flock or F_SETLKW, by `field`: 0 its request's kind (1 POSIX, 2 OFD,
 * 3 flock; 0: not waiting on a lock), 1 its type (F_RDLCK...), 2 its start, 3 its end (-1: to
 * the end of the file), 4 the pid that made the lock at the root of its blocker tree (0: the
 * root is a request woken but not yet run), 5 that lock's kind, 6 its start, 7 its end, 8 the
 * request's description. */
export function k_view_lock_wait(pid: i32, field: i32): f64 {
  if (!validPid(pid)) return -1;
  const r = lockWaitRequest(proc(pid));
  if (r == NONE) return field == 0 ? 0 : -1;
  let root = r;
  while (lk(root).blocker != NONE) root = lk(root).blocker;
  const l = lk(field < 4 || field == 8 ? r : root);
  const kind = (l.flags & FL_FLOCK) != 0 ? 3 : (l.flags & FL_OFDLCK) != 0 ? 2 : 1;
  switch (field) {
    case 0: case 5: return kind;
    case 1: return l.type;
    case 2: case 6: return <f64>l.start;
    case 3: case 7: return l.end == OFFSET_MAX ? -1 : <f64>l.end;
    case 4: return root == r || l.state != LK_HELD ? 0 : l.pid;
    case 8: return l.file;
    default: return -1;
  }
}
