// The inspectors of the IPC objects, in the kernel's own terms (kernel/views.ts): each SysV
// queue's messages in send order and its msg_cbytes against msg_qbytes, with who sleeps to
// send and to receive (ipc/msg.c q_senders, q_receivers); each POSIX queue's messages in
// receive order (priority first); each semaphore set's pending lists (ipc/sem.c: a
// semaphore's pending_alter and pending_const, the set's own two for complex operations) with
// each sleeper's operations; each process's undo adjustments (semadj).

import type { Kernel } from "../../wasm/kernel.js";

const IPC_MSG = 0;
const IPC_SEM = 1;
/** Bytes of a message's text the kernel shows (kernel/views.ts VIEW_TEXT). */
const VIEW_TEXT = 16;
/** Sleepers and messages listed per list: enough to see the order, and a bound on what each
 * step's state adds to the page (a state differs from the last wherever a queue moved). */
const LIST_MAX = 16;

export interface MsgQueueDetail {
  id: number;
  qbytes: number;
  cbytes: number;
  /** Send order (the first LIST_MAX): mtype, size, the first bytes of the text. */
  messages: { type: number; size: number; text: string }[];
  /** q_receivers in order, each with its msgtyp and msgflg; q_senders with their message. */
  receivers: { pid: number; msgtyp: number; flags: number }[];
  senders: { pid: number; type: number; size: number }[];
}

export interface MqDetail {
  /** Its name without the slash; "" once unlinked (open descriptions keep it). */
  name: string;
  maxmsg: number;
  msgsize: number;
  curmsgs: number;
  /** Receive order (the first LIST_MAX): highest priority first, oldest first within one. */
  messages: { prio: number; size: number; text: string }[];
  receivers: number[];
  senders: { pid: number; prio: number }[];
}

interface SemWaiter {
  pid: number;
  /** "alter" (it would change a value) or "const" (it waits for zero). */
  list: "alter" | "const";
  /** The semaphore whose list holds it; -1: the set's own list (a complex operation). */
  num: number;
  sops: { num: number; op: number; flags: number }[];
  /** The sop it is blocked on (q->blocking). */
  blocking: number;
}

export interface SemSetDetail {
  id: number;
  values: number[];
  waiters: SemWaiter[];
}

/** An undo record of a process: the set and each semaphore's adjustment (-1 semid: the set
 * was removed). */
export interface UndoDetail {
  semid: number;
  adj: number[];
}

function ipcIdxs(k: Kernel, type: number): { idx: number; id: number }[] {
  const out: { idx: number; id: number }[] = [];
  for (let idx = 0; idx <= k.x.k_view_ipc_max_idx(type); idx++) {
    const id = k.x.k_view_ipc_id(type, idx);
    if (id >= 0) out.push({ idx, id });
  }
  return out;
}

/** Up to LIST_MAX of the elements `at(n)` gives until it gives undefined. */
function listOf<T>(at: (n: number) => T | undefined): T[] {
  const out: T[] = [];
  for (let n = 0; n < LIST_MAX; n++) {
    const v = at(n);
    if (v === undefined) break;
    out.push(v);
  }
  return out;
}

/** A message's first bytes as strace quotes them, with "..." when there are more. */
function textOf(size: number, byte: (i: number) => number): string {
  let s = "";
  for (let i = 0; i < Math.min(size, VIEW_TEXT); i++) {
    const b = byte(i);
    if (b === 0x0a) s += "\\n";
    else if (b === 0x22 || b === 0x5c) s += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return `"${s}"${size > VIEW_TEXT ? "..." : ""}`;
}

export function msgQueues(k: Kernel): MsgQueueDetail[] {
  return ipcIdxs(k, IPC_MSG).map(({ idx, id }) => {
    const messages = listOf((n) => {
      const size = k.x.k_view_msg(idx, n, 1);
      if (size < 0) return undefined;
      return { type: k.x.k_view_msg(idx, n, 0), size,
        text: textOf(size, (i) => k.x.k_view_msg(idx, n, 3 + i)) };
    });
    const waiter = (side: number, n: number, f: number) => k.x.k_view_msg_waiter(idx, side, n, f);
    const receivers = listOf((n) => {
      const pid = waiter(0, n, 0);
      return pid < 0 ? undefined : { pid, msgtyp: waiter(0, n, 1), flags: waiter(0, n, 2) };
    });
    const senders = listOf((n) => {
      const pid = waiter(1, n, 0);
      return pid < 0 ? undefined : { pid, size: waiter(1, n, 1), type: waiter(1, n, 2) };
    });
    return { id, qbytes: k.x.k_view_msg_qbytes(idx), cbytes: k.x.k_view_msg_cbytes(idx),
      messages, receivers, senders };
  });
}

/** Rows of the POSIX queue table scanned (kernel/param.ts NMQUEUE is at most this). */
const MQ_ROWS = 256;

/** POSIX queue row i's name without the slash ("" once unlinked). */
export function mqName(k: Kernel, i: number): string {
  return String.fromCharCode(...Array.from({ length: Math.max(0, k.x.k_view_mq(i, 3)) },
    (_, j) => k.x.k_view_mq(i, 4 + j)));
}

export function posixQueues(k: Kernel): MqDetail[] {
  const out: MqDetail[] = [];
  for (let i = 0; i < MQ_ROWS; i++) {
    if (k.x.k_view_mq(i, 0) < 0) continue;
    const name = mqName(k, i);
    const messages = listOf((n) => {
      const size = k.x.k_view_mq_msg(i, n, 1);
      if (size < 0) return undefined;
      return { prio: k.x.k_view_mq_msg(i, n, 0), size,
        text: textOf(size, (j) => k.x.k_view_mq_msg(i, n, 2 + j)) };
    });
    const receivers = listOf((n) => {
      const pid = k.x.k_view_mq_waiter(i, 0, n, 0);
      return pid < 0 ? undefined : pid;
    });
    const senders = listOf((n) => {
      const pid = k.x.k_view_mq_waiter(i, 1, n, 0);
      return pid < 0 ? undefined : { pid, prio: k.x.k_view_mq_waiter(i, 1, n, 1) };
    });
    out.push({ name, maxmsg: k.x.k_view_mq(i, 0), msgsize: k.x.k_view_mq(i, 1),
      curmsgs: k.x.k_view_mq(i, 2), messages, receivers, senders });
  }
  return out;
}

export function semSets(k: Kernel): SemSetDetail[] {
  return ipcIdxs(k, IPC_SEM).map(({ idx, id }) => {
    const nsems = k.x.k_view_sem_nsems(idx);
    const values = Array.from({ length: nsems }, (_, i) => k.x.k_view_sem_value(id, i));
    const waiters: SemWaiter[] = [];
    // The set's own lists first (complex operations), then each semaphore's.
    for (let list = -1; list >= -2; list--) waiters.push(...semList(k, idx, list, -1));
    for (let num = 0; num < nsems; num++) {
      waiters.push(...semList(k, idx, 2 * num, num), ...semList(k, idx, 2 * num + 1, num));
    }
    return { id, values, waiters };
  });
}

function semList(k: Kernel, idx: number, list: number, num: number): SemWaiter[] {
  const kind = list === -1 || (list >= 0 && list % 2 === 0) ? "alter" : "const";
  return listOf((n) => {
    const pid = k.x.k_view_sem_waiter(idx, list, n);
    if (pid < 0) return undefined;
    const w = (op: number, f: number) => k.x.k_view_semop_wait(pid, op, f);
    const sops = Array.from({ length: Math.max(0, w(-1, 0)) },
      (_, i) => ({ num: w(i, 0), op: w(i, 1), flags: w(i, 2) }));
    return { pid, list: kind, num, sops, blocking: w(-1, 1) };
  });
}

/** pid's undo records, most recently used first (its list's order). */
export function undoOf(k: Kernel, pid: number): UndoDetail[] {
  return listOf((n) => {
    const nsems = k.x.k_view_sem_undo(pid, n, -2);
    if (nsems < 0) return undefined;
    return { semid: k.x.k_view_sem_undo(pid, n, -1),
      adj: Array.from({ length: nsems }, (_, i) => k.x.k_view_sem_undo(pid, n, i)) };
  });
}
