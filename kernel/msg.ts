// SysV message queues, exactly as ipc/msg.c: typed receive (msgtyp 0, > 0, < 0, MSG_EXCEPT),
// MSG_NOERROR, MSG_COPY, IPC_NOWAIT; qbytes as both a byte and a count limit; blocked senders
// and receivers; the hand-off of a message to a blocked receiver; IPC_STAT/SET/RMID, the INFO and
// STAT commands.
//
// Linux: ipc/msg.c (newque, do_msgsnd, pipelined_send, ss_wakeup, expunge_all, do_msgrcv,
// convert_mode, find_msg, testmsg, do_msg_fill, msgctl_down, msgctl_stat, msgctl_info, freeque),
// ipc/msgutil.c (load_msg, copy_msg). Syscalls: msgget, msgsnd, msgrcv, msgctl (sys_ipc.ts).
//
// Blocking, as linux-semantics.md 0.1 describes:
//   - A receiver that finds nothing joins the tail of q_receivers (a wait queue here). A send
//     walks the receivers in blocking order (pipelined_send): the first whose (mode, type)
//     matches either fails with E2BIG (buffer too small; the walk goes on) or is handed the
//     message, completed inside the sender's call (ipcWakeDone: EVENT_WAKE). Only a message
//     nobody takes is queued.
//   - A sender that does not fit joins the tail of q_senders. A receive that frees space runs
//     ss_wakeup: senders that now fit are woken to retry (wake-and-retry: the retry order of
//     several is the scheduler's), the others move to the tail in their order. The woken
//     sender keeps the message it loaded (MsgsndWait) and retries from the queue lookup.
//   - IPC_SET wakes every receiver to retry (expunge_all(-EAGAIN) is a retry in do_msgrcv) and
//     runs ss_wakeup; IPC_RMID hands EIDRM to every receiver and sender.
//
// Sleepers keep their call in their process entry (Proc call state): a receiver its buffer,
// size, msgtyp and flags (MsgrcvWait), a sender the message it loaded (MsgsndWait).
//
// Storage: a message is a 32-byte object (ipc.ts) and a page buffer of its bytes.
//   Msg: | mtype i64 | next i32 | prev i32 | size i32 | data (buffer) | serial i32 |
// (serial: the message's number since k_init, which the views' flow records name it by).
//
// Times: msg_stime (a send), msg_rtime (a receive, a hand-off to a sleeping receiver) and
// msg_ctime (creation, IPC_SET) are the virtual CLOCK_REALTIME's seconds (time.ts).
//
// Differences from Linux: a message holds at most IPC_BUF_MAX (4 MiB) bytes.
//
// Invariants (msgCheck): a queue's message list has qnum entries and cbytes bytes; its waiters
// sleep in msgrcv/msgsnd; the system-wide header and byte counts match the queues.

import {
  E2BIG, EACCES, EFAULT, EIDRM, EINVAL, ENOMEM, ENOMSG, EPERM, EAGAIN, IPC_INFO, IPC_NOWAIT,
  IPC_RMID, IPC_SET, IPC_STAT, MSG_COPY, MSG_EXCEPT, MSG_INFO, MSG_NOERROR, MSG_STAT,
  MSG_STAT_ANY, PROC_BLOCKED, PROC_WOKEN, SYS_msgrcv, SYS_msgsnd, ERESTARTNOHAND,
} from "./abi";
import {
  CAP_SYS_RESOURCE, IPC_MSG, IPC_REC_HDR, S_IRUGO, S_IWUGO, bufAlloc, bufFree, bufFromUser,
  REC_BYTES,
  bufPages, bufToUser, ipcCtlObtainCheck, ipcGet, ipcIdxUsed, ipcInUse, ipcMaxIdx,
  ipcObtainCheck, ipcObtainIdx, ipcPerm, ipcPerms, ipcRec, ipcRmid, ipcStatPerm, ipcAddId,
  ipcUpdatePerm, ipcWakeDone, obj, objAlloc, objFree,
} from "./ipc";
import {
  IPCMNI, MSGMAP, MSGPOOL, MSGSEG, MSGSSZ, MSGTQL, P_MSGMAX, P_MSGMNB, P_MSGMNI,
} from "./param";
import { CALL_NONE, CALL_STATE_BYTES, Proc, callState, nextPid, proc, sigPendingNow } from "./proc";
import { FLOW_IN, FLOW_MSG, FLOW_OUT, FLOW_PEEK, eventPushFlow } from "./event";
import { paramGet } from "./sysctl";
import { timeRealSeconds } from "./time";
import { MsgBuf, MsgInfo, Msqid64Ds } from "./uapi";
import { copyFromUser, copyToUser } from "./vm";
import { sleepOn, unlinkWaiter, waitCheck, wakeAll, wakeOne } from "./wait";

/** A sender asleep for room (Proc call state): the message it loaded (CALL_NONE: none). */
@unmanaged class MsgsndWait {
  msg: i32;
}

/** A receiver asleep for a message (Proc call state): what pipelined_send needs to hand it one
 * (msr_d.r_msg: the buffer, its size, the type and the flags). */
@unmanaged class MsgrcvWait {
  buf: u32;
  bufsz: i32;
  msgtyp: i64;
  flg: i32;
}

@inline export function msgsndWait(p: Proc): MsgsndWait {
  assert(offsetof<MsgsndWait>() <= CALL_STATE_BYTES);
  return changetype<MsgsndWait>(callState(p));
}

@inline export function msgrcvWait(p: Proc): MsgrcvWait {
  assert(offsetof<MsgrcvWait>() <= CALL_STATE_BYTES);
  return changetype<MsgrcvWait>(callState(p));
}

const SEARCH_ANY: i32 = 1;
const SEARCH_EQUAL: i32 = 2;
const SEARCH_NOTEQUAL: i32 = 3;
const SEARCH_LESSEQUAL: i32 = 4;
const SEARCH_NUMBER: i32 = 5;
const INT_MAX: i64 = 0x7fffffff;
const MSQID_DS_BYTES: i32 = <i32>offsetof<Msqid64Ds>();
const MSGINFO_BYTES: i32 = <i32>offsetof<MsgInfo>();
/** Bytes of msgbuf before mtext (its mtype). */
const MTEXT: i32 = <i32>offsetof<MsgBuf>();

/** struct msg_queue (after the IpcPerm head of its record). */
@unmanaged class MsgQueue {
  qbytes: u64;
  cbytes: u64;
  qnum: u64;
  lspid: i32;
  lrpid: i32;
  /** Messages in send order (object indices, -1 for none). */
  msgHead: i32;
  msgTail: i32;
  /** q_receivers and q_senders: wait queues in blocking order. */
  rcvHead: i32;
  rcvTail: i32;
  sndHead: i32;
  sndTail: i32;
  /** q_stime, q_rtime, q_ctime: CLOCK_REALTIME seconds (ktime_get_real_seconds). */
  stime: i64;
  rtime: i64;
  ctime: i64;
}

/** struct msg_msg. */
@unmanaged class Msg {
  mtype: i64;
  next: i32;
  prev: i32;
  size: i32;
  data: usize;
  serial: i32;
}

/** percpu_msg_hdrs and percpu_msg_bytes (MSG_INFO). */
@unmanaged class MsgState {
  hdrs: i32;
  bytes: i64;
  /** Messages loaded since k_init (the last serial). */
  loaded: i32;
}

const S = changetype<MsgState>(memory.data(offsetof<MsgState>(), 16));
/** The kernel's copy of a user struct (msqid64_ds, msginfo, an mtype): the largest of them. */
const ds: usize = memory.data(MSQID_DS_BYTES, 16);

@inline export function queue(idx: i32): MsgQueue {
  return changetype<MsgQueue>(ipcRec(IPC_MSG, idx) + IPC_REC_HDR);
}
@inline export function msg(m: i32): Msg {
  return changetype<Msg>(obj(m));
}
@inline export function rcvQ(q: MsgQueue): usize {
  return changetype<usize>(q) + offsetof<MsgQueue>("rcvHead");
}
@inline export function sndQ(q: MsgQueue): usize {
  return changetype<usize>(q) + offsetof<MsgQueue>("sndHead");
}

/** msg_qnum and msg_cbytes of the queue at idx (views.ts: the final state's table). */
export function msgQnum(idx: i32): i32 { return <i32>queue(idx).qnum; }
export function msgCbytes(idx: i32): i32 { return <i32>queue(idx).cbytes; }

export function msgInit(): void {
  assert(IPC_REC_HDR + offsetof<MsgQueue>() <= <usize>REC_BYTES, "MsgQueue overflows its record");
  S.hdrs = 0;
  S.bytes = 0;
  S.loaded = 0;
}

// ---- msgget ----

/** newque: a new queue with msg_qbytes = msgmnb. Returns its id or -errno. */
function newque(key: i32, flg: i32, arg: i32): i32 {
  const idx = ipcAddId(IPC_MSG, key, flg, paramGet(P_MSGMNI));
  if (idx < 0) return idx;
  const q = queue(idx);
  q.qbytes = <u64>paramGet(P_MSGMNB);
  q.ctime = timeRealSeconds();
  q.msgHead = -1;
  q.msgTail = -1;
  return ipcPerm(ipcRec(IPC_MSG, idx)).id;
}

function noMoreChecks(idx: i32, arg: i32): i32 {
  return 0;
}

export function msgGet(key: i32, flg: i32): i32 {
  return ipcGet(IPC_MSG, key, flg, 0, newque, noMoreChecks);
}

// ---- messages ----

/** load_msg: the message text at va, in a new message of type mtype (checked by
 * sys_msgsnd). Returns its index or -errno. */
export function msgLoad(p: Proc, va: u32, size: i32, mtype: i64): i32 {
  const m = objAlloc();
  if (m < 0) return m;
  let h: usize = 0;
  if (size > 0) {
    h = bufAlloc(size, false);
    if (h == 0) {
      objFree(m);
      return -ENOMEM;
    }
    if (!bufFromUser(p, h, size, va)) {
      bufFree(h, size);
      objFree(m);
      return -EFAULT;
    }
  }
  msg(m).size = size;
  msg(m).data = h;
  msg(m).mtype = mtype;
  msg(m).serial = ++S.loaded;
  return m;
}

function freeMsg(m: i32): void {
  bufFree(msg(m).data, msg(m).size);
  objFree(m);
}

/** msg_fits_inqueue: qbytes limits the bytes and, for zero-length messages, the count. */
function fits(q: MsgQueue, size: i32): bool {
  return <u64>size + q.cbytes <= q.qbytes && 1 + q.qnum <= q.qbytes;
}

function enqueue(q: MsgQueue, m: i32): void {
  msg(m).next = -1;
  msg(m).prev = q.msgTail;
  if (q.msgTail >= 0) msg(q.msgTail).next = m;
  else q.msgHead = m;
  q.msgTail = m;
  q.cbytes += <u64>msg(m).size;
  q.qnum++;
  S.hdrs++;
  S.bytes += msg(m).size;
}

function dequeue(q: MsgQueue, m: i32): void {
  const x = msg(m);
  if (x.prev >= 0) msg(x.prev).next = x.next;
  else q.msgHead = x.next;
  if (x.next >= 0) msg(x.next).prev = x.prev;
  else q.msgTail = x.prev;
  q.cbytes -= <u64>x.size;
  q.qnum--;
  S.hdrs--;
  S.bytes -= x.size;
}

/** do_msg_fill: mtype then min(bufsz, size) bytes of text at va. Returns the bytes or -EFAULT. */
function msgFill(p: Proc, va: u32, m: i32, bufsz: i32): i32 {
  changetype<MsgBuf>(ds).mtype = msg(m).mtype;
  if (copyToUser(p, va, ds, MTEXT) != <u32>MTEXT) return -EFAULT;
  const n = min(bufsz, msg(m).size);
  if (!bufToUser(p, va + MTEXT, msg(m).data, msg(m).size, n)) return -EFAULT;
  return n;
}

// ---- receive modes ----

/** convert_mode: MSG_COPY numbers; 0 is any; < 0 the lowest type <= |typ|; MSG_EXCEPT. */
function searchMode(typ: i64, flg: i32): i32 {
  if ((flg & MSG_COPY) != 0) return SEARCH_NUMBER;
  if (typ == 0) return SEARCH_ANY;
  if (typ < 0) return SEARCH_LESSEQUAL;
  return (flg & MSG_EXCEPT) != 0 ? SEARCH_NOTEQUAL : SEARCH_EQUAL;
}

/** The type convert_mode leaves: |typ| for LESSEQUAL ("-LONG_MIN is undefined": LONG_MAX). */
function searchType(typ: i64, flg: i32): i64 {
  if ((flg & MSG_COPY) == 0 && typ < 0) return typ == i64.MIN_VALUE ? i64.MAX_VALUE : -typ;
  return typ;
}

function testmsg(m: i32, type: i64, mode: i32): bool {
  const t = msg(m).mtype;
  if (mode == SEARCH_LESSEQUAL) return t <= type;
  if (mode == SEARCH_EQUAL) return t == type;
  if (mode == SEARCH_NOTEQUAL) return t != type;
  return true;
}

/** find_msg: the first match; for LESSEQUAL the lowest type, earliest first (the bound shrinks
 * to type - 1 at each candidate); for NUMBER the type-th message. -1 when none. */
function findMsg(q: MsgQueue, type: i64, mode: i32): i32 {
  let found = -1;
  let count: i64 = 0;
  for (let m = q.msgHead; m >= 0; m = msg(m).next) {
    if (!testmsg(m, type, mode)) continue;
    if (mode == SEARCH_LESSEQUAL && msg(m).mtype != 1) {
      type = msg(m).mtype - 1;
      found = m;
    } else if (mode == SEARCH_NUMBER) {
      if (type == count) return m;
    } else {
      return m;
    }
    count++;
  }
  return found;
}

// ---- msgsnd ----

/** pipelined_send: hand the message to the first matching blocked receiver. True if taken. */
function pipelinedSend(q: MsgQueue, msqid: i32, m: i32): bool {
  let pid = q.rcvHead;
  while (pid != 0) {
    const r = proc(pid);
    const next = r.waitNext;
    const w = msgrcvWait(r);
    if (testmsg(m, searchType(w.msgtyp, w.flg), searchMode(w.msgtyp, w.flg))) {
      const maxsize: i64 = (w.flg & MSG_NOERROR) != 0 ? INT_MAX : <i64>w.bufsz;
      if (maxsize < <i64>msg(m).size) {
        ipcWakeDone(r, -E2BIG);
      } else {
        q.lrpid = r.pid;
        q.rtime = timeRealSeconds();
        const ret = msgFill(r, w.buf, m, w.bufsz);
        if (ret >= 0) msgFlow(r, FLOW_OUT, msqid, m);
        ipcWakeDone(r, ret);
        freeMsg(m);
        return true;
      }
    }
    pid = next;
  }
  return false;
}

/** do_msgsnd from the queue lookup on, with message m loaded (sys_msgsnd: ksys_msgsnd's get_user
 * of mtype, the checks, load_msg), or, for a woken sender (p.woke), the one it kept while it
 * slept. m is msgSnd's from here: queued, handed over, kept asleep, or freed. */
export function msgSnd(p: Proc, msqid: i32, m: i32, flg: i32): i32 {
  msgsndWait(p).msg = CALL_NONE;
  let idx = ipcObtainCheck(IPC_MSG, msqid);
  // A sleeper whose queue went away was inside the call: EIDRM (RMID hands it over first).
  if (idx < 0 && p.woke != 0) idx = -EIDRM;
  // A woken sender looks at its signals before it looks for space again (do_msgsnd tests
  // signal_pending() right after the EIDRM check that follows schedule()): a caught signal
  // that arrived while it was woken ends the call, even if the space is there.
  if (idx >= 0 && p.woke != 0 && sigPendingNow(p)) {
    freeMsg(m);
    return -ERESTARTNOHAND;
  }
  let err = idx;
  if (idx >= 0) err = ipcPerms(ipcRec(IPC_MSG, idx), S_IWUGO);
  if (err >= 0 && !fits(queue(idx), msg(m).size)) {
    if ((flg & IPC_NOWAIT) != 0) err = -EAGAIN;
    else {
      // A signal ends this sleep at once (sigdeliver.ts sigWake -> syscall.ts callInterrupt:
      // -ERESTARTNOHAND, so EINTR with or without SA_RESTART; a stop and continue restarts it).
      msgsndWait(p).msg = m;
      return sleepOn(p, sndQ(queue(idx)), true);
    }
  }
  if (err < 0) {
    freeMsg(m);
    return err;
  }
  const q = queue(idx);
  q.lspid = p.pid;
  q.stime = timeRealSeconds();
  msgFlow(p, FLOW_IN, msqid, m);
  if (!pipelinedSend(q, msqid, m)) enqueue(q, m);
  return 0;
}

/** copy_msg: the copy buffer must hold the whole message; the message stays queued. */
function msgCopy(p: Proc, va: u32, m: i32, bufsz: i32, copyLen: i32, msqid: i32): i32 {
  if (msg(m).size > copyLen) return -EINVAL;
  const ret = msgFill(p, va, m, bufsz);
  if (ret >= 0) msgFlow(p, FLOW_PEEK, msqid, m);
  return ret;
}

/** p sent (FLOW_IN) or received (FLOW_OUT) message m on queue msqid (event.ts). */
function msgFlow(p: Proc, dir: i32, msqid: i32, m: i32): void {
  eventPushFlow(p.pid, FLOW_MSG, dir, msqid, msg(m).serial, msg(m).size, <i32>msg(m).mtype);
}

// ---- msgrcv ----

/** prepare_copy: MSG_COPY first loads min(bufsz, msgmax) bytes from the buffer (EFAULT). */
function prepareCopy(p: Proc, va: u32, len: i32): i32 {
  if (len == 0) return 0;
  const h = bufAlloc(len, false);
  if (h == 0) return -ENOMEM;
  const ok = bufFromUser(p, h, len, va);
  bufFree(h, len);
  return ok ? 0 : -EFAULT;
}

/** ss_wakeup(kill = false): wake the senders that now fit, in order; move the others to the
 * tail, keeping their order. */
function ssWakeup(q: MsgQueue): void {
  let n = 0;
  for (let pid = q.sndHead; pid != 0; pid = proc(pid).waitNext) n++;
  for (let i = 0; i < n; i++) {
    const s = proc(q.sndHead);
    if (fits(q, msg(msgsndWait(s).msg).size)) {
      wakeOne(sndQ(q));
    } else {
      unlinkWaiter(s);
      sleepOn(s, sndQ(q), true);
    }
  }
}

/** do_msgrcv. typ is the full C long. */
export function msgRcv(p: Proc, msqid: i32, va: u32, bufsz: i32, typ: i64, flg: i32): i32 {
  if (msqid < 0 || bufsz < 0) return -EINVAL;
  let copyLen = 0;
  if ((flg & MSG_COPY) != 0) {
    if ((flg & MSG_EXCEPT) != 0 || (flg & IPC_NOWAIT) == 0) return -EINVAL;
    copyLen = min(bufsz, paramGet(P_MSGMAX));
    const r = prepareCopy(p, va, copyLen);
    if (r < 0) return r;
  }
  const mode = searchMode(typ, flg);
  const type = searchType(typ, flg);
  const idx = ipcObtainCheck(IPC_MSG, msqid);
  if (idx < 0) return p.woke != 0 ? -EIDRM : idx;
  if (ipcPerms(ipcRec(IPC_MSG, idx), S_IRUGO) < 0) return -EACCES;
  const q = queue(idx);
  const m = findMsg(q, type, mode);
  if (m >= 0) {
    if (bufsz < msg(m).size && (flg & MSG_NOERROR) == 0) return -E2BIG;
    // copy_msg: the copy buffer must hold the whole message; the message stays queued.
    if ((flg & MSG_COPY) != 0) return msgCopy(p, va, m, bufsz, copyLen, msqid);
    dequeue(q, m);
    q.lrpid = p.pid;
    q.rtime = timeRealSeconds();
    ssWakeup(q);
    const ret = msgFill(p, va, m, bufsz);
    if (ret >= 0) msgFlow(p, FLOW_OUT, msqid, m);
    freeMsg(m);
    return ret;
  }
  if ((flg & IPC_NOWAIT) != 0) return -ENOMSG;
  // A signal ends this sleep at once, as for msgsnd (a receiver holds nothing to undo).
  const w = msgrcvWait(p);
  w.buf = va;
  w.bufsz = bufsz;
  w.msgtyp = typ;
  w.flg = flg;
  return sleepOn(p, rcvQ(q), true);
}

// ---- msgctl ----

/** freeque: receivers and senders get EIDRM, the id goes, the messages are freed. */
function freeque(idx: i32): void {
  const q = queue(idx);
  while (q.rcvHead != 0) ipcWakeDone(proc(q.rcvHead), -EIDRM);
  while (q.sndHead != 0) {
    const s = proc(q.sndHead);
    freeMsg(msgsndWait(s).msg);
    ipcWakeDone(s, -EIDRM);
  }
  ipcRmid(IPC_MSG, idx);
  while (q.msgHead >= 0) {
    const m = q.msgHead;
    dequeue(q, m);
    freeMsg(m);
  }
}

/** msgctl_down IPC_SET: uid, gid, mode and qbytes from struct msqid64_ds at va. */
function msgSet(p: Proc, msqid: i32, va: u32): i32 {
  if (copyFromUser(p, ds, va, MSQID_DS_BYTES) != <u32>MSQID_DS_BYTES) return -EFAULT;
  const idx = ipcCtlObtainCheck(IPC_MSG, msqid);
  if (idx < 0) return idx;
  const qbytes = changetype<Msqid64Ds>(ds).msg_qbytes;
  if (qbytes > <u64>paramGet(P_MSGMNB) && !CAP_SYS_RESOURCE) return -EPERM;
  const rec = ipcRec(IPC_MSG, idx);
  const err = ipcUpdatePerm(rec, ds);
  if (err < 0) return err;
  const q = queue(idx);
  q.qbytes = qbytes;
  q.ctime = timeRealSeconds();
  // expunge_all(-EAGAIN): sleeping receivers re-check (permissions may have changed);
  // ss_wakeup: sleeping senders may now fit.
  wakeAll(rcvQ(q));
  ssWakeup(q);
  return 0;
}

/** msgctl_stat: IPC_STAT (0), MSG_STAT and MSG_STAT_ANY (the id of an index) into va, as
 * struct msqid64_ds (uapi.ts). */
function msgStat(p: Proc, msqid: i32, cmd: i32, va: u32): i32 {
  const idx = cmd == IPC_STAT ? ipcObtainCheck(IPC_MSG, msqid) : ipcObtainIdx(IPC_MSG, msqid);
  if (idx < 0) return idx;
  const rec = ipcRec(IPC_MSG, idx);
  if (cmd != MSG_STAT_ANY && ipcPerms(rec, S_IRUGO) < 0) return -EACCES;
  const q = queue(idx);
  memory.fill(ds, 0, MSQID_DS_BYTES);
  ipcStatPerm(rec, ds);
  const out = changetype<Msqid64Ds>(ds);
  out.msg_cbytes = q.cbytes;
  out.msg_qnum = q.qnum;
  out.msg_qbytes = q.qbytes;
  out.msg_lspid = q.lspid;
  out.msg_lrpid = q.lrpid;
  out.msg_stime = q.stime;
  out.msg_rtime = q.rtime;
  out.msg_ctime = q.ctime;
  if (copyToUser(p, va, ds, MSQID_DS_BYTES) != <u32>MSQID_DS_BYTES) return -EFAULT;
  return cmd == IPC_STAT ? 0 : ipcPerm(rec).id;
}

/** msgctl_info: struct msginfo at va; returns the highest used index (0 when none). */
function msgInfo(p: Proc, cmd: i32, va: u32): i32 {
  memory.fill(ds, 0, MSGINFO_BYTES);
  const info = cmd == MSG_INFO;
  const out = changetype<MsgInfo>(ds);
  out.msgpool = info ? ipcInUse(IPC_MSG) : MSGPOOL;
  out.msgmap = info ? S.hdrs : MSGMAP;
  out.msgmax = paramGet(P_MSGMAX);
  out.msgmnb = paramGet(P_MSGMNB);
  out.msgmni = paramGet(P_MSGMNI);
  out.msgssz = MSGSSZ;
  out.msgtql = info ? <i32>min(S.bytes, INT_MAX) : MSGTQL;
  out.msgseg = <u16>MSGSEG;
  const maxIdx = ipcMaxIdx(IPC_MSG);
  if (copyToUser(p, va, ds, MSGINFO_BYTES) != <u32>MSGINFO_BYTES) return -EFAULT;
  return maxIdx < 0 ? 0 : maxIdx;
}

/** ksys_msgctl. */
export function msgCtl(p: Proc, msqid: i32, cmd: i32, va: u32): i32 {
  if (msqid < 0 || cmd < 0) return -EINVAL;
  if (cmd == IPC_INFO || cmd == MSG_INFO) return msgInfo(p, cmd, va);
  if (cmd == IPC_STAT || cmd == MSG_STAT || cmd == MSG_STAT_ANY) return msgStat(p, msqid, cmd, va);
  if (cmd == IPC_SET) return msgSet(p, msqid, va);
  if (cmd != IPC_RMID) return -EINVAL;
  const idx = ipcCtlObtainCheck(IPC_MSG, msqid);
  if (idx < 0) return idx;
  freeque(idx);
  return 0;
}

/** A process dies or is interrupted inside msgsnd (blocked or woken): its loaded message goes
 * with it. */
export function msgAbort(p: Proc): void {
  if (p.callNr != SYS_msgsnd) return;
  const w = msgsndWait(p);
  if (w.msg != CALL_NONE) freeMsg(w.msg);
  w.msg = CALL_NONE;
}

// ---- invariants ----

export function msgCheck(): void {
  let hdrs = 0;
  let bytes: i64 = 0;
  for (let idx = 0; idx < IPCMNI; idx++) {
    if (!ipcIdxUsed(IPC_MSG, idx)) continue;
    const q = queue(idx);
    let n: u64 = 0;
    let b: u64 = 0;
    let prev = -1;
    for (let m = q.msgHead; m >= 0; m = msg(m).next) {
      assert(msg(m).prev == prev, "message list back link broken");
      assert(msg(m).mtype >= 1, "queued message with mtype < 1");
      assert((msg(m).size == 0) == (msg(m).data == 0), "message buffer disagrees with its size");
      n++;
      b += <u64>msg(m).size;
      prev = m;
    }
    assert(q.msgTail == prev, "message list tail is not the last message");
    assert(n == q.qnum && b == q.cbytes, "msg_qnum/msg_cbytes disagree with the messages");
    hdrs += <i32>n;
    bytes += <i64>b;
    waitCheck(rcvQ(q));
    waitCheck(sndQ(q));
    for (let pid = q.rcvHead; pid != 0; pid = proc(pid).waitNext) {
      assert(proc(pid).callNr == SYS_msgrcv, "a process on q_receivers is not in msgrcv");
    }
    for (let pid = q.sndHead; pid != 0; pid = proc(pid).waitNext) {
      const s = proc(pid);
      const holds = s.callNr == SYS_msgsnd && msgsndWait(s).msg >= 0;
      assert(holds, "a q_senders sleeper has no message");
    }
  }
  assert(hdrs == S.hdrs && bytes == S.bytes, "message totals drifted");
}

/** Report the pages of every message (queued, or held by a sleeping sender) to `count`. */
export function msgPages(count: (page: usize) => void): void {
  for (let idx = 0; idx < IPCMNI; idx++) {
    if (!ipcIdxUsed(IPC_MSG, idx)) continue;
    for (let m = queue(idx).msgHead; m >= 0; m = msg(m).next) {
      bufPages(msg(m).data, msg(m).size, count);
    }
  }
  for (let pid = 1; pid < nextPid(); pid++) {
    const p = proc(pid);
    const inCall = p.state == PROC_BLOCKED || p.state == PROC_WOKEN;
    if (!inCall || p.callNr != SYS_msgsnd || msgsndWait(p).msg == CALL_NONE) continue;
    const m = msgsndWait(p).msg;
    bufPages(msg(m).data, msg(m).size, count);
  }
}
