// AF_UNIX sockets: the socket table, receive queues (socket buffers and the bytes behind them),
// send-buffer accounting, release, shutdown and readiness. The stream and datagram paths are
// unix_stream.ts and unix_dgram.ts; the calls are sys_net.ts.
//
// Linux: net/unix/af_unix.c (unix_create1, unix_socketpair, unix_release_sock, unix_shutdown,
// unix_poll, unix_dgram_poll, unix_writable, unix_write_space), net/core/sock.c
// (sock_init_data, sock_wfree, sock_error, sock_def_readable, sock_def_wakeup),
// net/core/skbuff.c (__alloc_skb, alloc_skb_with_frags: what a buffer's truesize is).
//
// A socket (struct sock) is a row of `socks`; its description (file.ts FILE_SOCKET) names the
// row in `pipe`. A sent buffer (struct sk_buff) is a row of `skbs`, queued on the receiver and
// charged to its sender's send buffer (sk_wmem_alloc, in truesize: what the allocator gave,
// measured on Linux 6.18 for every size; see skbTruesize) until it is consumed or purged. The
// bytes of a receive queue's buffers are one byte queue in pages, in queue order:
//
//   (unix_queue.ts) a directory page, a ring of page addresses; the bytes from qOff in the
//   first page, qBytes long; the head buffer's unread bytes first.
//
// A socket lives while its description is open, another socket names it as its peer, or a
// buffer it sent is queued (sock_hold/sock_put): `refs` counts the three.
//
// Wait queues: `wq` is sk_sleep (stream readers of this socket, writers waiting for its send
// buffer, pollers); `rw` is sk_sleep's receivers (a datagram receive or accept, which a
// write-space wake passes by); `pw` is peer_wait (a connect or a datagram sender waiting for
// its receive queue).
//
// Differences from Linux: one byte queue a socket holds at most 4 MiB (ENOBUFS past it); at
// most NSOCK sockets and NSKB buffers (ENFILE, ENOBUFS); no OOB data, no passed descriptors.
//
// Invariants (unixCheck): a receive queue's bytes are its buffers' unread bytes; a socket's
// wmem is the truesize of the buffers it sent that are queued; refs are the references counted.

import {
  ECONNRESET, EFAULT, EINVAL, ENFILE, ENOBUFS, EPOLLIN, EPOLLOUT, EPOLLPRI, EPOLLRDBAND,
  EPOLLRDNORM, EPOLLWRBAND, EPOLLWRNORM, POLLERR, POLLHUP, POLLIN, POLLOUT,
  POLLRDHUP, POLLRDNORM, POLLWRBAND, POLLWRNORM,
  SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM,
} from "./abi";
import { FLOW_SOCK, eventPushFlow } from "./event";
import { inodePut } from "./inode";
import { pageAlloc, pagePut } from "./mem";
import {
  NSKB, NSOCK, PAGE_SIZE, SK_RMEM_DEFAULT, SK_WMEM_DEFAULT, UNIX_MAX_DGRAM_QLEN,
} from "./param";
import { pollAdd } from "./pollwait";
import { Proc, CALL_STATE_BYTES, callState } from "./proc";
import { qCopyOut, qDrop, qPush, qSlot, qTruncate } from "./unix_queue";
import { waitCheck, waitEmpty, waitInit, wakeAll, wakeOneKeyed } from "./wait";

/** include/net/tcp_states.h: the states an AF_UNIX socket takes. */
export const TCP_ESTABLISHED: i32 = 1;
export const TCP_CLOSE: i32 = 7;
export const TCP_LISTEN: i32 = 10;
/** include/net/sock.h: sk_shutdown's bits. */
export const RCV_SHUTDOWN: i32 = 1;
export const SEND_SHUTDOWN: i32 = 2;
const SHUTDOWN_MASK: i32 = 3;

@unmanaged export class Sock {
  inUse: i32;
  /** sk_type: SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET. */
  type: i32;
  state: i32;
  shutdown: i32;
  /** sk_err: a pending error (ECONNRESET), taken by sockError. */
  err: i32;
  /** unix_peer: the row, or -1. */
  peer: i32;
  refs: i32;
  /** SOCK_DEAD: released (its description closed). */
  dead: i32;
  sndbuf: i32;
  rcvbuf: i32;
  /** sk_wmem_alloc less its initial 1: the truesize of this socket's queued buffers. */
  wmem: i32;
  /** sk_max_ack_backlog: max_dgram_qlen until listen sets the backlog. */
  maxBacklog: i32;
  rqHead: i32;
  rqTail: i32;
  rqLen: i32;
  qDir: usize;
  qFirst: i32;
  qPages: i32;
  qOff: i32;
  qBytes: i32;
  wqHead: i32;
  wqTail: i32;
  pwHead: i32;
  pwTail: i32;
  /** Receivers asleep in __skb_wait_for_more_packets (a datagram receive, accept): sk_wq's
   * exclusive entries, whose receiver_wake_function ignores a wake keyed without EPOLLIN or
   * EPOLLERR (write space), kept apart so that such a wake passes them by. */
  rwHead: i32;
  rwTail: i32;
  /** Its number in creation order since k_init (as a pipe's serial): how views name it. */
  serial: i32;
  /** unix_sk(sk)->addr's length (unix_name.ts holds the bytes); 0: unbound. */
  addrLen: i32;
  /** A path name's S_IFSOCK inode, referenced (unix_sk(sk)->path); -1: none. */
  inode: i32;
  /** Bound by bind itself, so found by connect (in Linux's hash table); 0 or 1. */
  hashed: i32;
  /** An embryo's listener (unix_sk(sk)->listener) until accept takes it; -1: none. */
  listener: i32;
  /** sk_peer_pid (SO_PEERCRED): the pid that made the pair, listened or connected; 0: none. */
  peerPid: i32;
  /** unix_address's bytes (a sockaddr_un, addrLen of them: unix_name.ts sockName), in the row
   * so that the fast reset restores them with it (views.ts LAYOUT_SOCKS). */
  name0: u64; name1: u64; name2: u64; name3: u64; name4: u64; name5: u64; name6: u64;
  name7: u64; name8: u64; name9: u64; name10: u64; name11: u64; name12: u64; name13: u64;
  nextFree: i32;
}

/** A queued buffer: its length, the bytes a stream read took (UNIXCB(skb).consumed), its
 * truesize, and the socket that sent it (skb->sk). `next` links the queue (-1 ends it) and
 * the free list. */
@unmanaged export class Skb {
  len: i32;
  consumed: i32;
  truesize: i32;
  owner: i32;
  next: i32;
  /** Its number since k_init: how the views' flow records name it from send to receive. */
  serial: i32;
}

/** A send or receive asleep (Proc call state): the bytes it already moved, returned if a signal
 * ends the sleep. `moved` is the first word, as pipe.ts PipeWriteWait's (syscall.ts
 * interruptCode reads writes' through that overlay). */
@unmanaged class SockWait {
  moved: i32;
  /** The description's O_NONBLOCK when the call began (1): Linux takes the timeout once
   * (sock_sndtimeo, sock_rcvtimeo), so an F_SETFL while it sleeps changes nothing. */
  nonblock: i32;
}

@inline export function sockWait(p: Proc): SockWait {
  assert(offsetof<SockWait>() <= CALL_STATE_BYTES);
  return changetype<SockWait>(callState(p));
}

@unmanaged class UnixState {
  sockFree: i32;
  sockUsed: i32;
  skbFree: i32;
  skbUsed: i32;
  created: i32;
  /** Buffers made since k_init (the last serial). */
  skbsMade: i32;
}

const S = changetype<UnixState>(memory.data(offsetof<UnixState>(), 16));
const socks: usize = memory.data(NSOCK * offsetof<Sock>(), 16);
const skbs: usize = memory.data(NSKB * offsetof<Skb>(), 16);

@inline export function sock(i: i32): Sock {
  return changetype<Sock>(socks + <usize>i * offsetof<Sock>());
}

@inline export function skb(i: i32): Skb {
  return changetype<Skb>(skbs + <usize>i * offsetof<Skb>());
}

export function sockWq(s: Sock): usize {
  return changetype<usize>(s) + offsetof<Sock>("wqHead");
}

/** The receivers' part of sk_wq (rwHead): a datagram receive or accept sleeps here. */
export function sockRw(s: Sock): usize {
  return changetype<usize>(s) + offsetof<Sock>("rwHead");
}

export function sockPw(s: Sock): usize {
  return changetype<usize>(s) + offsetof<Sock>("pwHead");
}

export function unixInit(): void {
  memory.fill(socks, 0, <usize>NSOCK * offsetof<Sock>());
  memory.fill(skbs, 0, <usize>NSKB * offsetof<Skb>());
  for (let i = 0; i < NSOCK; i++) sock(i).nextFree = i + 2 <= NSOCK ? i + 2 : 0;
  for (let i = 0; i < NSKB; i++) skb(i).next = i + 2 <= NSKB ? i + 2 : 0;
  S.sockFree = 1;
  S.sockUsed = 0;
  S.skbFree = 1;
  S.skbUsed = 0;
  S.created = 0;
}

/** The socket tables (kernel/views.ts layout). */
export function sockTableBase(): usize { return socks; }
export function skbTableBase(): usize { return skbs; }

// ---- sockets ----

/** unix_create1 and sock_init_data: a socket of `type` with one reference (its file), or
 * -ENFILE when the table is full. */
export function sockAlloc(type: i32): i32 {
  if (S.sockFree == 0) return -ENFILE;
  const i = S.sockFree - 1;
  const s = sock(i);
  S.sockFree = s.nextFree;
  S.sockUsed++;
  memory.fill(changetype<usize>(s), 0, offsetof<Sock>());
  s.inUse = 1;
  s.type = type;
  s.state = TCP_CLOSE;
  s.peer = -1;
  s.refs = 1;
  s.sndbuf = SK_WMEM_DEFAULT;
  s.rcvbuf = SK_RMEM_DEFAULT;
  s.maxBacklog = UNIX_MAX_DGRAM_QLEN;
  s.rqHead = -1;
  s.rqTail = -1;
  s.inode = -1;
  s.listener = -1;
  s.serial = ++S.created;
  waitInit(sockWq(s));
  waitInit(sockPw(s));
  waitInit(sockRw(s));
  return i;
}

/** sock_put: the last reference frees the row. */
export function sockPut(i: i32): void {
  const s = sock(i);
  assert(s.refs > 0, "sockPut on a free socket");
  s.refs--;
  if (s.refs > 0) return;
  assert(s.rqLen == 0 && s.wmem == 0 && s.qBytes == 0, "socket freed with buffers");
  if (s.qDir != 0) pagePut(s.qDir);
  s.inUse = 0;
  s.nextFree = S.sockFree;
  S.sockFree = i + 1;
  S.sockUsed--;
}

/** unix_socketpair: join two sockets back to back (each holds the other). */
export function sockPair(a: i32, b: i32): void {
  sock(a).peer = b;
  sock(b).peer = a;
  sock(a).refs++;
  sock(b).refs++;
  sock(a).state = TCP_ESTABLISHED;
  sock(b).state = TCP_ESTABLISHED;
}

/** sock_error: the pending error, taken (-errno), or 0. */
export function sockError(s: Sock): i32 {
  const e = s.err;
  s.err = 0;
  return -e;
}

/** unix_writable: not listening, and at most a quarter of the send buffer in flight;
 * `extra` is what sk_wmem_alloc holds beyond the buffers (1, and 1 more inside sock_wfree). */
export function writable(s: Sock, extra: i32): bool {
  return s.state != TCP_LISTEN && (<i64>(s.wmem + extra) << 2) <= <i64>s.sndbuf;
}

/** The keys of sock_def_readable's wake (data arrived) and unix_write_space's (room made),
 * which an epoll item's callback filters by (pollwait.ts pollWakeKey). */
const POLL_DATA: i32 = EPOLLIN | EPOLLPRI | EPOLLRDNORM | EPOLLRDBAND;
export const POLL_ROOM: i32 = EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND;

/** sock_def_readable: a buffer was queued on s (EPOLLIN: the non-exclusive sleepers and
 * pollers, and the first receiver). */
export function sockDataReady(s: Sock): void {
  wakeOneKeyed(sockWq(s), POLL_DATA);
  wakeOneKeyed(sockRw(s), POLL_DATA);
}

/** sock_def_wakeup: s's state or shutdown changed (no key: everyone). */
function sockStateChange(s: Sock): void {
  wakeAll(sockWq(s));
  wakeAll(sockRw(s));
}

// ---- buffers ----

/** SKB_TRUESIZE of a head of `linear` bytes from __alloc_skb: SKB_DATA_ALIGN (64) plus
 * skb_shared_info's 320 bytes, from the 512-byte small-head cache or the next kmalloc size,
 * plus struct sk_buff's 256. Measured on the host for every size (Linux 6.18, x86_64). */
function headTruesize(linear: i32): i32 {
  const obj = ((linear + 63) & ~63) + 320;
  let bucket = 512;
  while (bucket < obj) bucket <<= 1;
  return bucket + 256;
}

@inline function pageAlign(n: i32): i32 {
  return (n + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/** SKB_MAX_HEAD(0): a page's worth of head (PAGE_SIZE less the shared info). */
export const SKB_MAX_HEAD0: i32 = PAGE_SIZE - 320;
/** UNIX_SKB_FRAGS_SZ: a stream buffer's frags, at most. */
export const UNIX_SKB_FRAGS_SZ: i32 = 32768;
/** SKB_MAX_ALLOC: a datagram's head before it takes frags (SKB_MAX_ORDER(0, 2)). */
const SKB_MAX_ALLOC: i32 = (PAGE_SIZE << 2) - 320;
/** MAX_SKB_FRAGS (17) pages. */
const MAX_FRAG_BYTES: i32 = 17 * PAGE_SIZE;

/** unix_stream_sendmsg's buffer of `size` bytes: the part past a page's head goes in page
 * frags (data_len, page-aligned, never past `size`), charged by the page. */
export function streamTruesize(size: i32): i32 {
  let dataLen = pageAlign(max(0, size - SKB_MAX_HEAD0));
  if (dataLen > size) dataLen = size;
  return headTruesize(size - dataLen) + pageAlign(dataLen);
}

/** unix_dgram_sendmsg's buffer of `len` bytes: linear up to SKB_MAX_ALLOC, the rest in
 * page frags. */
export function dgramTruesize(len: i32): i32 {
  let dataLen = 0;
  if (len > SKB_MAX_ALLOC) dataLen = pageAlign(min(len - SKB_MAX_ALLOC, MAX_FRAG_BYTES));
  return headTruesize(len - dataLen) + pageAlign(dataLen);
}

/** Whether sock_alloc_send_pskb finds room: sk_wmem_alloc below sk_sndbuf. */
@inline export function sndbufRoom(s: Sock): bool {
  return s.wmem < s.sndbuf;
}

/** A buffer of `len` bytes charged to `owner` (skb_set_owner_w), with its bytes copied from
 * user memory at `va` onto the tail of `to`'s byte queue, not yet queued: skbQueue or skbDrop
 * follows. -ENOBUFS (no buffer or page) or -EFAULT. */
export function skbCreate(p: Proc, owner: i32, to: i32, va: u32, len: i32, truesize: i32): i32 {
  if (S.skbFree == 0) return -ENOBUFS;
  const r = qPush(p, sock(to), va, len);
  if (r < 0) return r;
  const i = S.skbFree - 1;
  const b = skb(i);
  S.skbFree = b.next;
  S.skbUsed++;
  b.len = len;
  b.consumed = 0;
  b.truesize = truesize;
  b.owner = owner;
  b.next = -1;
  b.serial = ++S.skbsMade;
  sock(owner).wmem += truesize;
  sock(owner).refs++;
  return i;
}

/** p moved n bytes of buffer b into (FLOW_IN: its send) or out of socket s's receive queue
 * (FLOW_OUT, FLOW_PEEK): a flow record (event.ts) the views match by the buffer's serial. */
export function skbFlow(p: Proc, dir: i32, s: i32, b: i32, n: i32): void {
  const owner = skb(b).owner;
  eventPushFlow(p.pid, FLOW_SOCK, dir, sock(s).serial, skb(b).serial, n, sock(owner).serial);
}

/** skb_queue_tail on `to`'s receive queue (its bytes are already on the byte queue). */
export function skbQueue(to: i32, i: i32): void {
  const s = sock(to);
  if (s.rqTail >= 0) skb(s.rqTail).next = i;
  else s.rqHead = i;
  s.rqTail = i;
  s.rqLen++;
}

/** A created buffer that was never queued (kfree_skb after a failed check): its bytes leave
 * the tail of `to`'s byte queue. */
export function skbDrop(to: i32, i: i32): void {
  qTruncate(sock(to), sock(to).qBytes - skb(i).len);
  skbFree(i);
}

/** sock_wfree: the sender's charge goes, which may wake its writers (unix_write_space). */
function skbFree(i: i32): void {
  const b = skb(i);
  const owner = sock(b.owner);
  owner.wmem -= b.truesize;
  if (writable(owner, 2)) wakeOneKeyed(sockWq(owner), POLL_ROOM);
  const o = b.owner;
  b.next = S.skbFree;
  S.skbFree = i + 1;
  S.skbUsed--;
  sockPut(o);
}

/** Unlink s's head buffer and free it with its unread bytes (consume_skb, kfree_skb). */
export function skbUnlinkHead(s: Sock): void {
  const i = s.rqHead;
  assert(i >= 0, "skbUnlinkHead on an empty queue");
  const b = skb(i);
  qDrop(s, b.len - b.consumed);
  s.rqHead = b.next;
  if (s.rqHead < 0) s.rqTail = -1;
  s.rqLen--;
  skbFree(i);
}

/** skb_queue_purge of s's receive queue. */
function sockPurge(s: Sock): void {
  while (s.rqHead >= 0) skbUnlinkHead(s);
}

// ---- release and shutdown ----

/** unix_release_sock: the last close of a socket's description. A connected stream or
 * seqpacket peer is shut down both ways, and sees ECONNRESET when this socket dies with
 * bytes it never read (or is an embryo never accepted); the queue is purged, freeing what its
 * senders are charged; a listener's queued embryos are released first. */
export function sockRelease(i: i32): void {
  releaseSock(i, false);
}

function releaseSock(i: i32, embryo: bool): void {
  const s = sock(i);
  sockUnhash(s);
  const listening = s.state == TCP_LISTEN;
  s.dead = 1;
  s.shutdown = SHUTDOWN_MASK;
  s.state = TCP_CLOSE;
  s.listener = -1;
  const pair = s.peer;
  s.peer = -1;
  wakeAll(sockPw(s));
  if (pair >= 0) {
    const o = sock(pair);
    if (s.type == SOCK_STREAM || s.type == SOCK_SEQPACKET) {
      o.shutdown = SHUTDOWN_MASK;
      // Unread data resets the peer; a head buffer with nothing left in it (a zero-length
      // packet, a consumed OOB byte) does not count unless another follows it (6.18's
      // unix_release_sock: skb_peek, then skb_peek_next past an empty head).
      const emptyHead = s.rqLen == 1 && skb(s.rqHead).len - skb(s.rqHead).consumed == 0;
      if ((s.rqLen > 0 && !emptyHead) || embryo) o.err = ECONNRESET;
      sockStateChange(o);
    }
    sockPut(pair);
  }
  while (listening && s.rqHead >= 0) {
    releaseSock(skb(s.rqHead).owner, true);
    skbUnlinkHead(s);
  }
  sockPurge(s);
  sockPut(i);
}

/** unix_remove_socket, unix_remove_bsd_socket, path_put: no longer found by connect; the
 * inode is let go (the name's bytes stay, as unix_address lives to the destructor). */
function sockUnhash(s: Sock): void {
  s.hashed = 0;
  if (s.inode < 0) return;
  const ino = s.inode;
  s.inode = -1;
  inodePut(ino);
}

/** unix_shutdown: SHUT_RD, SHUT_WR, SHUT_RDWR as RCV_SHUTDOWN, SEND_SHUTDOWN, both; a
 * connected stream or seqpacket peer gets the mirror image. */
export function sockShutdown(i: i32, how: i32): i32 {
  if (how < 0 || how > 2) return -EINVAL;
  const mode = how + 1;
  const s = sock(i);
  s.shutdown |= mode;
  sockStateChange(s);
  if (s.peer >= 0 && (s.type == SOCK_STREAM || s.type == SOCK_SEQPACKET)) {
    const o = sock(s.peer);
    let peerMode = 0;
    if ((mode & RCV_SHUTDOWN) != 0) peerMode |= SEND_SHUTDOWN;
    if ((mode & SEND_SHUTDOWN) != 0) peerMode |= RCV_SHUTDOWN;
    o.shutdown |= peerMode;
    sockStateChange(o);
  }
  return 0;
}

/** unix_dgram_disconnected: a datagram socket whose peer went drops what it queued. */
export function dgramDisconnected(s: Sock): void {
  if (s.rqLen > 0) {
    sockPurge(s);
    wakeAll(sockPw(s));
  }
}

// ---- readiness ----

/** unix_poll (stream) and unix_dgram_poll (datagram, seqpacket), with every event requested:
 * the revents a poll of this socket reports now. */
export function unixPoll(i: i32): i32 {
  const s = sock(i);
  let mask = 0;
  if (s.err != 0) mask |= POLLERR;
  if (s.shutdown == SHUTDOWN_MASK) mask |= POLLHUP;
  if ((s.shutdown & RCV_SHUTDOWN) != 0) mask |= POLLRDHUP | POLLIN | POLLRDNORM;
  if (s.rqLen > 0) mask |= POLLIN | POLLRDNORM;
  const connection = s.type == SOCK_STREAM || s.type == SOCK_SEQPACKET;
  if (connection && s.state == TCP_CLOSE) mask |= POLLHUP;
  if (writable(s, 1) && peerFullFor(i) < 0) mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
  return mask;
}

/** unix_dgram_poll: a datagram socket whose peer is not connected back waits for room in the
 * peer's receive queue too. The peer, when its queue is full; -1 otherwise. */
function peerFullFor(i: i32): i32 {
  const s = sock(i);
  if (s.type == SOCK_STREAM || s.peer < 0) return -1;
  const o = sock(s.peer);
  return o.peer != i && o.rqLen > o.maxBacklog && o.dead == 0 ? s.peer : -1;
}

/** The queues a poll of socket i waits on (sock_poll_wait on sk_wq; unix_dgram_peer_wake_me
 * on a full peer's peer_wait, which its next receive wakes), each an entry of poller p: false
 * when the entry pool is exhausted. */
export function unixPollWait(p: Proc, i: i32): bool {
  if (!pollAdd(p, sockWq(sock(i)))) return false;
  const o = writable(sock(i), 1) ? peerFullFor(i) : -1;
  return o < 0 || pollAdd(p, sockPw(sock(o)));
}

/** The bytes a read would find (SIOCINQ: unix_inq_len): a stream's unread bytes, a
 * datagram's first length. */
export function sockInq(i: i32): i32 {
  const s = sock(i);
  if (s.type == SOCK_DGRAM) return s.rqHead >= 0 ? skb(s.rqHead).len : 0;
  return s.qBytes;
}

// ---- invariants ----

/** Each live socket's queue, bytes, charge and references; `fileRefs` holds, per socket, the
 * descriptions naming it (0 or 1); `owned` and `charged` are zeroed scratch, NSOCK i32 each. */
export function unixCheck(fileRefs: usize, owned: usize, charged: usize): void {
  let used = 0;
  let buffers = 0;
  for (let i = 0; i < NSOCK; i++) {
    const s = sock(i);
    if (s.inUse == 0) continue;
    used++;
    if (s.peer >= 0) add(owned, s.peer, 1);
    let n = 0;
    let bytes = 0;
    for (let b = s.rqHead; b >= 0; b = skb(b).next) {
      const k = skb(b);
      assert(k.consumed >= 0 && k.consumed <= k.len, "buffer consumed past its length");
      assert(b == s.rqHead || k.consumed == 0, "a buffer past the head was read");
      bytes += k.len - k.consumed;
      n++;
      add(owned, k.owner, 1);
      add(charged, k.owner, k.truesize);
      if (k.next < 0) assert(s.rqTail == b, "receive queue tail is not its last buffer");
    }
    buffers += n;
    assert(n == s.rqLen, "receive queue length drifted");
    assert(bytes == s.qBytes, "byte queue != unread bytes of the buffers");
    assert(s.qPages * PAGE_SIZE >= s.qOff + s.qBytes, "byte queue past its pages");
    waitCheck(sockWq(s));
    waitCheck(sockPw(s));
    waitCheck(sockRw(s));
    if (s.dead != 0) {
      assert(waitEmpty(sockWq(s)) && waitEmpty(sockRw(s)), "a process waits on a released socket");
    }
  }
  for (let i = 0; i < NSOCK; i++) {
    const s = sock(i);
    if (s.inUse == 0) continue;
    assert(s.wmem == load<i32>(charged + <usize>i * 4), "wmem != truesize of its buffers");
    const refs = load<i32>(owned + <usize>i * 4) + load<i32>(fileRefs + <usize>i * 4);
    const files = load<i32>(fileRefs + <usize>i * 4);
    // An embryo (connected, not yet accepted) has no file: its first reference is its own.
    const embryo = s.listener >= 0 && s.dead == 0 ? 1 : 0;
    assert(s.dead != 0 || files + embryo == 1, "live socket without a file");
    assert(s.refs == refs + embryo, "socket refs != references");
  }
  assert(used == S.sockUsed, "socket use count drifted");
  assert(buffers == S.skbUsed, "buffer use count drifted");
}

@inline function add(a: usize, i: i32, v: i32): void {
  store<i32>(a + <usize>i * 4, load<i32>(a + <usize>i * 4) + v);
}

/** Report the pages sockets hold (byte queue directories and pages) to `count`. */
export function unixPages(count: (page: usize) => void): void {
  for (let i = 0; i < NSOCK; i++) {
    const s = sock(i);
    if (s.inUse == 0 || s.qDir == 0) continue;
    count(s.qDir);
    for (let k = 0; k < s.qPages; k++) count(load<usize>(qSlot(s, k)));
  }
}
