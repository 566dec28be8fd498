// POSIX message queues: named queues of prioritised messages, opened as descriptors.
//
// Linux: ipc/mqueue.c (do_mq_open, prepare_open, mqueue_create_attr, mqueue_get_inode,
// mqueue_evict_inode, do_mq_timedsend, do_mq_timedreceive, msg_insert, msg_get, wq_add, wq_sleep,
// pipelined_send, pipelined_receive, __do_notify, do_mq_notify, mqueue_flush_file, getsetattr);
// the syscalls are sys_ipc.ts's (mq_open, mq_unlink, mq_timed*, mq_notify, mq_getsetattr).
//
// A queue is a row of a fixed table: its name (the part after glibc's slash), its attributes,
// its messages in receive order (highest priority first, FIFO within one: msg_get takes the
// rightmost node of the rb-tree, the first message of its list), its waiters and its
// notification. A descriptor's description (file.ts FILE_MQUEUE) names the row in `inode`;
// the row lives while it has a name or a description (the inode's dentry and file refs):
// mqueue_evict_inode, when both are gone, frees the messages and the RLIMIT_MSGQUEUE bytes.
//
// Blocking: waiters wait in two wait queues (wait.ts), exclusive, in arrival order: wq_add
// orders e_wait_q by task priority, then FIFO, and every traced process has the same
// priority. A send with a receiver waiting hands the message straight to the first one
// (pipelined_send), which completes inside the sender's call (ipcWakeDone); a receive from a
// full queue with a sender waiting moves the first sender's message in and completes its call
// (pipelined_receive). A sleeper keeps its buffer's address (MqWait), not a copy: its memory
// cannot change while it sleeps. A signal wakes a sleeper to retry (wq_sleep's -ERESTARTSYS:
// SA_RESTART and a stop restart the call, with the same absolute timeout); its deadline (an
// absolute CLOCK_REALTIME instant) wakes it with ETIMEDOUT.
// Poll (poll.ts): the name row is info->wait_q (mqPollKey), woken by a send that queues and a
// receive that makes room. Differences: every traced process is root without CAP_SYS_RESOURCE
// (as the bridge runs them): sysctl limits apply, permissions grant; no netlink, epoll, mqueuefs.
// Invariants (mqCheck): a queue's list holds curmsgs messages of qsize bytes in receive
// order, at most maxmsg; waiters sleep in their call on their queue; a queue in use has a
// name or an open description; the RLIMIT_MSGQUEUE bytes and the queue count match the table.

import {
  EACCES, EAGAIN, EBADF, EBUSY, EEXIST, EFAULT, EINVAL, EMFILE, EMSGSIZE, ENAMETOOLONG, ENOENT,
  ENOMEM, ENOSPC, ERESTARTSYS, ETIMEDOUT, O_CREAT, O_EXCL, O_NONBLOCK, PROC_BLOCKED,
  PROC_UNUSED, PROC_ZOMBIE, SIGEV_NONE, SIGEV_SIGNAL, SYS_mq_timedreceive, SYS_mq_timedsend,
} from "./abi";
import {
  FILE_MQUEUE, FMODE_READ, FMODE_WRITE, fdAllocLowest, fdInstallAt, file, fileAlloc,
} from "./file";
import { FLOW_IN, FLOW_MQ, FLOW_OUT, eventPushFlow } from "./event";
import { hookSigSendInfo } from "./hooks";
import {
  bufAlloc, bufFree, bufFromUser, bufPages, bufToUser, ipcWakeDone, obj, objAlloc, objFree,
} from "./ipc";
import {
  NAME_MAX, NMQUEUE, P_MQ_MSGSIZE_DEFAULT, P_MQ_MSGSIZE_MAX, P_MQ_MSG_DEFAULT, P_MQ_MSG_MAX,
  P_MQ_QUEUES_MAX,
} from "./param";
import { paramGet } from "./sysctl";
import { CALL_STATE_BYTES, Proc, callState, proc, sigPendingNow } from "./proc";
import { sleeperHandle, timerArm } from "./timer";
import { timeNow } from "./time";
import { putUser32 } from "./vm";
import { sleepOn, waitCheck, waitInit, wakePollers } from "./wait";

/** The table's size. /proc/sys/fs/mqueue (ipc/mq_sysctl.c; include/linux/ipc_namespace.h
 * DFLT_*) are trace parameters (kernel/sysctl.ts P_MQ_*); queues_max may not pass this. */
const MQ_QUEUES_MAX: i32 = NMQUEUE;
/** include/uapi/linux/mqueue.h MQ_PRIO_MAX. */
export const MQ_PRIO_MAX: i32 = 32768;
/** RLIMIT_MSGQUEUE of the traced processes (the bridge's, Linux's default MQ_BYTES_MAX). */
const MQ_BYTES_MAX: i64 = 819200;
/** sizeof(struct msg_msg) and sizeof(struct posix_msg_tree_node) on x86_64, which
 * mqueue_get_inode charges per message to RLIMIT_MSGQUEUE. */
const MSG_MSG_BYTES: i64 = 48;
const TREE_NODE_BYTES: i64 = 48;
/** include/uapi/asm-generic/siginfo.h SI_MESGQ. */
const SI_MESGQ: i32 = -3;
const SIGEV_THREAD: i32 = 2;
const NSIG: u32 = 64;

/** struct mqueue_inode_info, as a row. */
@unmanaged class MqQueue {
  used: i32;
  /** The name's length; 0 once unlinked (the row lives on while descriptions name it). */
  nameLen: i32;
  opens: i32;
  maxmsg: i32;
  msgsize: i32;
  curmsgs: i32;
  qsize: i64;
  /** Messages in receive order (object indices, -1 for none). */
  msgHead: i32;
  /** Wait queues of receivers and senders (wait.ts: head, tail). */
  rcvHead: i32;
  rcvTail: i32;
  sndHead: i32;
  sndTail: i32;
  /** notify_owner's pid (0: none) and its sigevent. */
  notifyPid: i32;
  notifyHow: i32;
  notifySigno: i32;
  notifyValue: i32;
  mode: i32;
  size: i64;
}

/** A message (a 32-byte object of ipc.ts): | prio | next | size | serial | data (a buffer) |.
 * serial: its number since k_init, which the views' flow records name it by. */
@unmanaged class MqMsg {
  prio: i32;
  next: i32;
  size: i32;
  serial: i32;
  data: usize;
}

/** What a sleeper in mq_timedsend / mq_timedreceive keeps (Proc call state). */
@unmanaged class MqWait {
  va: u32;
  len: i32;
  /** A sender's priority; a receiver's address for it (0: none). */
  prio: u32;
  queue: i32;
}

@unmanaged class MqState {
  queuesCount: i32;
  /** Rows of the table used since init (the fast reset's high-water mark: views.ts). */
  high: i32;
  /** user_struct.mq_bytes of the traced user (root). */
  bytes: i64;
  /** Messages loaded since k_init (the last serial). */
  loaded: i32;
}

const S = changetype<MqState>(memory.data(offsetof<MqState>(), 16));
const queues: usize = memory.data(MQ_QUEUES_MAX * offsetof<MqQueue>(), 16);
/** A name's row: NAME_MAX bytes, rounded to a word (the fast reset copies whole words). */
const NAME_ROW: i32 = (NAME_MAX + 3) & ~3;
const names: usize = memory.data(MQ_QUEUES_MAX * NAME_ROW, 16);

@inline export function queue(i: i32): MqQueue {
  return changetype<MqQueue>(queues + <usize>i * offsetof<MqQueue>());
}
@inline export function msg(m: i32): MqMsg { return changetype<MqMsg>(obj(m)); }
@inline export function rcvQ(q: MqQueue): usize {
  return changetype<usize>(q) + offsetof<MqQueue>("rcvHead");
}
@inline export function sndQ(q: MqQueue): usize {
  return changetype<usize>(q) + offsetof<MqQueue>("sndHead");
}
@inline export function mqWait(p: Proc): MqWait {
  assert(offsetof<MqWait>() <= CALL_STATE_BYTES);
  return changetype<MqWait>(callState(p));
}

export function mqInit(): void {
  memory.fill(queues, 0, <usize>MQ_QUEUES_MAX * offsetof<MqQueue>());
  memory.fill(names, 0, <usize>MQ_QUEUES_MAX * NAME_ROW);
  memory.fill(changetype<usize>(S), 0, offsetof<MqState>());
}

// The two tables (queues, names) for the fast reset (views.ts k_layout_*): rows are taken
// lowest first, so a run changes only the rows below S.high; the rest stay as init left them.
export function mqPollKey(i: i32): usize { return names + <usize>i * NAME_ROW; }
export function mqTableBase(names_: bool): usize { return names_ ? names : queues; }
export function mqTableEntry(names_: bool): i32 { return names_ ? NAME_ROW : offsetof<MqQueue>(); }
export function mqTableTouched(): i32 { return S.high; }

/** The queue a description names, or -EBADF when it is no queue's (f_op check). */
export function mqOfFile(fi: i32): i32 {
  return file(fi).kind == FILE_MQUEUE ? file(fi).inode : -EBADF;
}

// ---- names ----

/** The queue named by the len bytes at name, or -1. */
function lookup(name: usize, len: i32): i32 {
  for (let i = 0; i < MQ_QUEUES_MAX; i++) {
    const q = queue(i);
    if (q.used == 0 || q.nameLen != len) continue;
    if (memory.compare(names + <usize>i * NAME_ROW, name, len) == 0) return i;
  }
  return -1;
}

/** lookup_one_len's checks (a '/' or NUL inside, "." and ".." are EACCES), then
 * simple_lookup's NAME_MAX: 0 or -errno. */
function mqNameCheck(name: usize, len: i32): i32 {
  for (let i = 0; i < len; i++) if (load<u8>(name + i) == 0x2f) return -EACCES;
  const dot = load<u8>(name) == 0x2e;
  if (dot && (len == 1 || (len == 2 && load<u8>(name + 1) == 0x2e))) return -EACCES;
  if (len > NAME_MAX) return -ENAMETOOLONG;
  return 0;
}

/** The bytes mqueue_get_inode charges to RLIMIT_MSGQUEUE for a queue's attributes. */
function chargeOf(maxmsg: i64, msgsize: i64): i64 {
  const nodes = maxmsg < MQ_PRIO_MAX ? maxmsg : <i64>MQ_PRIO_MAX;
  return maxmsg * MSG_MSG_BYTES + nodes * TREE_NODE_BYTES + maxmsg * msgsize;
}

/** mqueue_create_attr + mqueue_get_inode: a new queue with the attributes (hasAttr false:
 * the defaults); its index or -errno (ENOSPC, EINVAL, EMFILE). */
function create(name: usize, len: i32, hasAttr: bool, maxmsg: i64, msgsize: i64): i32 {
  if (S.queuesCount >= paramGet(P_MQ_QUEUES_MAX)) return -ENOSPC;
  const msgMax = paramGet(P_MQ_MSG_MAX);
  const msgsizeMax = paramGet(P_MQ_MSGSIZE_MAX);
  if (!hasAttr) {
    maxmsg = min(msgMax, paramGet(P_MQ_MSG_DEFAULT));
    msgsize = min(msgsizeMax, paramGet(P_MQ_MSGSIZE_DEFAULT));
  }
  if (maxmsg <= 0 || msgsize <= 0) return -EINVAL;
  if (maxmsg > msgMax || msgsize > msgsizeMax) return -EINVAL;
  const charge = chargeOf(maxmsg, msgsize);
  if (S.bytes + charge > MQ_BYTES_MAX) return -EMFILE;
  let i = 0;
  while (i < MQ_QUEUES_MAX && queue(i).used != 0) i++;
  assert(i < MQ_QUEUES_MAX, "mq table full below queues_max");
  if (i >= S.high) S.high = i + 1;
  const q = queue(i);
  memory.fill(changetype<usize>(q), 0, offsetof<MqQueue>());
  q.used = 1;
  q.nameLen = len;
  memory.copy(names + <usize>i * NAME_ROW, name, len);
  q.maxmsg = <i32>maxmsg;
  q.msgsize = <i32>msgsize;
  q.msgHead = -1;
  q.size = FILENT_SIZE;
  waitInit(rcvQ(q));
  waitInit(sndQ(q));
  S.queuesCount++;
  S.bytes += charge;
  return i;
}

/** mqueue_evict_inode: the last reference went: messages and charge go. */
function evictIfUnused(i: i32): void {
  const q = queue(i);
  if (q.nameLen != 0 || q.opens != 0) return;
  while (q.msgHead >= 0) {
    const m = q.msgHead;
    q.msgHead = msg(m).next;
    freeMsg(m);
  }
  S.bytes -= chargeOf(q.maxmsg, q.msgsize);
  S.queuesCount--;
  q.used = 0;
}

/** do_mq_open after getname (the name without glibc's slash, checked by mqNameCheck):
 * the fd, or -errno. */
export function mqOpen(
  p: Proc, name: usize, len: i32, oflag: i32, hasAttr: bool, maxmsg: i64, msgsize: i64, mode: i32,
): i32 {
  const fd = fdAllocLowest(p, 0); // get_unused_fd_flags(O_CLOEXEC), before the lookup
  if (fd < 0) return fd;
  const err = mqNameCheck(name, len);
  if (err < 0) return err;
  let i = lookup(name, len);
  if (i < 0) {
    if ((oflag & O_CREAT) == 0) return -ENOENT;
    i = create(name, len, hasAttr, maxmsg, msgsize);
    if (i < 0) return i;
    queue(i).mode = mode & ~p.umask & 0o7777; // prepare_open: the caller's umask applies
  } else {
    if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) return -EEXIST;
    if ((oflag & 3) == 3) return -EINVAL;
  }
  // dentry_open: OPEN_FMODE (accmode 3, possible at creation, is neither read nor write).
  const fmode = (oflag + 1) & 3;
  const flags = oflag & ~(O_CREAT | O_EXCL | 0o400 | 0o1000); // no O_NOCTTY, O_TRUNC
  const fm = (fmode & 1 ? FMODE_READ : 0) | (fmode & 2 ? FMODE_WRITE : 0);
  const fi = fileAlloc(FILE_MQUEUE, flags, fm);
  if (fi < 0) {
    evictIfUnused(i);
    return fi;
  }
  file(fi).inode = i;
  queue(i).opens++;
  if (!fdInstallAt(p, fd, fi, true)) return -ENOMEM;
  return fd;
}

/** mq_unlink after getname: the name goes; the queue lives while descriptions name it. */
export function mqUnlink(name: usize, len: i32): i32 {
  const err = mqNameCheck(name, len);
  if (err < 0) return err;
  const i = lookup(name, len);
  if (i < 0) return -ENOENT;
  queue(i).nameLen = 0;
  evictIfUnused(i);
  return 0;
}

/** A description of queue i is released (file.ts filePut, through hooks.ts). */
export function mqRelease(i: i32): void {
  queue(i).opens--;
  evictIfUnused(i);
}

/** mqueue_flush_file: a close by the notification's owner removes it. */
export function mqFlush(i: i32, p: Proc): void {
  if (queue(i).notifyPid == p.pid) queue(i).notifyPid = 0;
}

// ---- messages ----

function freeMsg(m: i32): void {
  bufFree(msg(m).data, msg(m).size);
  objFree(m);
}

/** load_msg: len bytes at va of p, with priority prio; its index or -errno. */
function loadMsg(p: Proc, va: u32, len: i32, prio: i32): i32 {
  const m = objAlloc();
  if (m < 0) return m;
  let h: usize = 0;
  if (len > 0) {
    h = bufAlloc(len, false);
    if (h == 0) {
      objFree(m);
      return -ENOMEM;
    }
    if (!bufFromUser(p, h, len, va)) {
      bufFree(h, len);
      objFree(m);
      return -EFAULT;
    }
  }
  msg(m).prio = prio;
  msg(m).size = len;
  msg(m).data = h;
  msg(m).next = -1;
  msg(m).serial = ++S.loaded;
  return m;
}

/** msg_insert: after every message of the same or a higher priority. */
function msgInsert(q: MqQueue, m: i32): void {
  const prio = msg(m).prio;
  let prev = -1;
  let cur = q.msgHead;
  while (cur >= 0 && msg(cur).prio >= prio) {
    prev = cur;
    cur = msg(cur).next;
  }
  msg(m).next = cur;
  if (prev < 0) q.msgHead = m;
  else msg(prev).next = m;
  q.curmsgs++;
  q.qsize += msg(m).size;
}

/** msg_get: the first message (highest priority, oldest). */
function msgGet(q: MqQueue): i32 {
  const m = q.msgHead;
  q.msgHead = msg(m).next;
  q.curmsgs--;
  q.qsize -= msg(m).size;
  return m;
}

/** The message to the receiver's buffer and its priority to prioVa: the size or -EFAULT
 * (do_mq_timedreceive: put_user of the priority, then store_msg). The message is freed. */
function deliver(r: Proc, m: i32, va: u32, prioVa: u32): i32 {
  const size = msg(m).size;
  let ret = size;
  if (prioVa != 0 && putUser32(r, prioVa, msg(m).prio) < 0) ret = -EFAULT;
  else if (size > 0 && !bufToUser(r, va, msg(m).data, size, size)) ret = -EFAULT;
  freeMsg(m);
  return ret;
}

/** __do_notify: the queue went from empty to one message with nobody waiting: the owner
 * gets its signal (SI_MESGQ, si_pid the sender's, p's) and the registration goes. */
function doNotify(q: MqQueue, p: Proc): void {
  if (q.notifyPid == 0 || q.curmsgs != 1) return;
  const owner = proc(q.notifyPid);
  q.notifyPid = 0;
  if (q.notifyHow != SIGEV_SIGNAL || q.notifySigno == 0) return;
  if (owner.state == PROC_UNUSED || owner.state == PROC_ZOMBIE) return;
  hookSigSendInfo(owner, q.notifySigno, SI_MESGQ, q.notifyValue, p.pid);
}

/** A sleeper's wait ends by its deadline or a signal (its retry, p.woke): -ETIMEDOUT, or
 * -ERESTARTSYS when a signal is pending too (wq_sleep tests the signal first); 1 when it was
 * a signal's wake alone and the call runs again. */
function retryVerdict(p: Proc): i32 {
  if (p.timedOut == 0) return 1;
  return sigPendingNow(p) ? -ERESTARTSYS : -ETIMEDOUT;
}

/** Sleep on wq until `deadline` (monotonic ns, -1: none); one already passed is ETIMEDOUT
 * (schedule_hrtimeout returns at once). */
function sleepUntilDeadline(p: Proc, wq: usize, deadline: i64): i32 {
  if (deadline >= 0 && deadline <= timeNow()) return -ETIMEDOUT;
  const r = sleepOn(p, wq, true);
  if (deadline >= 0) timerArm(sleeperHandle(p), p.pid, deadline);
  return r;
}

/** A queue's inode for fstat and lseek: its permission bits, its links (its name's), its
 * i_size (FILENT_SIZE from mqueue_get_inode until an ftruncate's simple_setattr sets it). */
export function mqMode(i: i32): i32 { return queue(i).mode; }
export function mqNlink(i: i32): i32 { return queue(i).nameLen != 0 ? 1 : 0; }
export function mqSize(i: i32): i64 { return queue(i).size; }
export function mqSetSize(i: i32, size: i64): void { queue(i).size = size; }

/** The queue of a descriptor open for `mode` (FMODE_READ, FMODE_WRITE): its row, or -EBADF. */
function queueFor(fi: i32, mode: i32): i32 {
  const i = mqOfFile(fi);
  if (i < 0) return i;
  return (file(fi).fmode & mode) == 0 ? -EBADF : i;
}

/** A send into a full queue or a receive from an empty one: EAGAIN with O_NONBLOCK, else asleep
 * on wq with what the hand-off needs (MqWait: the buffer, its length, the priority for a
 * sender or where to write it for a receiver). */
function waitFor(
  p: Proc, fi: i32, i: i32, va: u32, len: u32, prio: u32, wq: usize, deadline: i64,
): i32 {
  if ((file(fi).flags & O_NONBLOCK) != 0) return -EAGAIN;
  const w = mqWait(p);
  w.va = va;
  w.len = <i32>len;
  w.prio = prio;
  w.queue = i;
  return sleepUntilDeadline(p, wq, deadline);
}

/** do_mq_timedsend from the fd on (the timeout already read and the priority checked). */
export function mqSend(
  p: Proc, fi: i32, va: u32, len: u32, prio: i32, deadline: i64,
): i32 {
  if (p.woke != 0) {
    const v = retryVerdict(p);
    if (v <= 0) return v;
  }
  const i = queueFor(fi, FMODE_WRITE);
  if (i < 0) return i;
  const q = queue(i);
  if (len > <u32>q.msgsize) return -EMSGSIZE;
  const m = loadMsg(p, va, <i32>len, prio);
  if (m < 0) return m;
  if (q.curmsgs == q.maxmsg) {
    freeMsg(m); // a sleeper keeps its buffer's address, not a copy (MqWait)
    return waitFor(p, fi, i, va, len, <u32>prio, sndQ(q), deadline);
  }
  if (q.rcvHead != 0) {
    // pipelined_send: the first receiver takes it, its call done inside this one.
    const r = proc(q.rcvHead);
    const w = mqWait(r);
    mqFlow(p, FLOW_IN, i, m);
    mqFlow(r, FLOW_OUT, i, m);
    ipcWakeDone(r, deliver(r, m, w.va, w.prio));
    return 0;
  }
  msgInsert(q, m);
  mqFlow(p, FLOW_IN, i, m);
  doNotify(q, p);
  wakePollers(mqPollKey(i)); // __do_notify's wake_up(&info->wait_q)
  return 0;
}

/** do_mq_timedreceive from the fd on. */
export function mqReceive(
  p: Proc, fi: i32, va: u32, len: u32, prioVa: u32, deadline: i64,
): i32 {
  if (p.woke != 0) {
    const v = retryVerdict(p);
    if (v <= 0) return v;
  }
  const i = queueFor(fi, FMODE_READ);
  if (i < 0) return i;
  const q = queue(i);
  if (len < <u32>q.msgsize) return -EMSGSIZE;
  if (q.curmsgs == 0) return waitFor(p, fi, i, va, len, prioVa, rcvQ(q), deadline);
  const m = msgGet(q);
  mqFlow(p, FLOW_OUT, i, m);
  pipelinedReceive(q, i);
  return deliver(p, m, va, prioVa);
}

/** p moved message m into (FLOW_IN) or out of queue i: a flow record (event.ts). */
function mqFlow(p: Proc, dir: i32, i: i32, m: i32): void {
  eventPushFlow(p.pid, FLOW_MQ, dir, i, msg(m).serial, msg(m).size, msg(m).prio);
}

/** pipelined_receive: room was made; the first waiting sender's message moves in and its call
 * completes. Its buffer is read now (it has not changed while it slept); a fault there (it
 * cannot happen: it was read once before the sleep) would end its call with EFAULT. */
function pipelinedReceive(q: MqQueue, i: i32): void {
  if (q.sndHead == 0) return wakePollers(mqPollKey(i)); // "for poll": wake info->wait_q
  const s = proc(q.sndHead);
  const w = mqWait(s);
  const m = loadMsg(s, w.va, w.len, <i32>w.prio);
  if (m < 0) {
    ipcWakeDone(s, m);
    return;
  }
  msgInsert(q, m);
  mqFlow(s, FLOW_IN, i, m);
  ipcWakeDone(s, 0);
}

// ---- notify, getsetattr ----

/** do_mq_notify's checks of a sigevent, before the descriptor's: 0 or -EINVAL. */
export function mqNotifyCheck(how: i32, signo: i32): i32 {
  if (how != SIGEV_NONE && how != SIGEV_SIGNAL && how != SIGEV_THREAD) return -EINVAL;
  if (how == SIGEV_SIGNAL && <u32>signo > NSIG) return -EINVAL; // valid_signal
  return 0;
}

/** do_mq_notify from the fd on; how < 0: a NULL sigevent (removal). */
export function mqNotify(p: Proc, fi: i32, how: i32, signo: i32, value: i32): i32 {
  const i = mqOfFile(fi);
  if (i < 0) return i;
  const q = queue(i);
  if (how < 0) {
    if (q.notifyPid == p.pid) q.notifyPid = 0;
    return 0;
  }
  if (q.notifyPid != 0) return -EBUSY;
  q.notifyPid = p.pid;
  q.notifyHow = how;
  q.notifySigno = signo;
  q.notifyValue = value;
  return 0;
}

/** FILENT_SIZE: a queue inode's i_size, and the QSIZE line's buffer (mqueue_read.ts). */
export const FILENT_SIZE: i32 = 80;

export function mqAttrMaxmsg(fi: i32): i32 { return queue(file(fi).inode).maxmsg; }
export function mqAttrMsgsize(fi: i32): i32 { return queue(file(fi).inode).msgsize; }
export function mqAttrCurmsgs(fi: i32): i32 { return queue(file(fi).inode).curmsgs; }

// ---- invariants ----

export function mqCheck(): void {
  let count = 0;
  let bytes: i64 = 0;
  for (let i = 0; i < MQ_QUEUES_MAX; i++) {
    const q = queue(i);
    if (q.used == 0) continue;
    count++;
    bytes += chargeOf(q.maxmsg, q.msgsize);
    assert(q.nameLen > 0 || q.opens > 0, "mq: a queue with no name and no description");
    let n = 0;
    let size: i64 = 0;
    let prio = MQ_PRIO_MAX;
    for (let m = q.msgHead; m >= 0; m = msg(m).next) {
      assert(msg(m).prio <= prio, "mq: messages out of priority order");
      prio = msg(m).prio;
      n++;
      size += msg(m).size;
    }
    assert(n == q.curmsgs && size == q.qsize, "mq: curmsgs or qsize drifted");
    assert(n <= q.maxmsg, "mq: more messages than maxmsg");
    waitCheck(rcvQ(q));
    waitCheck(sndQ(q));
    for (let pid = q.rcvHead; pid != 0; pid = proc(pid).waitNext) {
      assert(proc(pid).state == PROC_BLOCKED && proc(pid).callNr == SYS_mq_timedreceive,
        "mq: a receiver not asleep in mq_timedreceive");
    }
    for (let pid = q.sndHead; pid != 0; pid = proc(pid).waitNext) {
      assert(proc(pid).state == PROC_BLOCKED && proc(pid).callNr == SYS_mq_timedsend,
        "mq: a sender not asleep in mq_timedsend");
    }
  }
  assert(count == S.queuesCount && bytes == S.bytes, "mq: queue count or charged bytes drifted");
}

/** Report every message buffer's pages (check.ts's page census). */
export function mqPages(count: (page: usize) => void): void {
  for (let i = 0; i < MQ_QUEUES_MAX; i++) {
    const q = queue(i);
    if (q.used == 0) continue;
    for (let m = q.msgHead; m >= 0; m = msg(m).next) bufPages(msg(m).data, msg(m).size, count);
  }
}
