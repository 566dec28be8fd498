// AF_UNIX connections: listen, connect (stream and seqpacket: a new socket queued on the
// listener; datagram: the peer set or cleared) and accept.
//
// Linux: net/unix/af_unix.c (unix_listen, unix_stream_connect, unix_wait_for_peer,
// unix_dgram_connect, unix_accept, unix_recvq_full_lockless), net/socket.c (__sys_listen's
// somaxconn clamp), net/core/datagram.c (skb_recv_datagram's wait, for accept).
//
// A connect makes the server's end at once (the embryo: Sock.listener names the listener) and
// joins it to the client; a buffer of one byte's allocation, owned by the embryo, goes on the
// listener's receive queue, which is its accept queue: skb_queue_len > sk_max_ack_backlog is
// full, so one more than the backlog fits. A full queue makes connect sleep (exclusive) on the
// listener's peer_wait, which accept and a raised backlog wake; accept sleeps (exclusive) on
// the listener's sk_wq, which a connect wakes. Both retries start the call again, as Linux's
// `goto restart` and skb_recv_datagram's loop do. Data the client sends before accept waits on
// the embryo; a client gone before accept leaves an embryo shut down with its data, accepted
// as any other.
//
// Differences from Linux: no SO_PEERCRED or SO_PASSCRED (so a connect never autobinds); no
// SO_SNDTIMEO: a connect waits without a timeout.
//
// Invariants (unixConnCheck): each buffer on a listener's queue is owned by a live embryo of
// that listener, whose peer is its client (the client names it back while it lives), and each
// embryo is on its listener's queue exactly once.

import {
  AF_UNSPEC, EAGAIN, ECONNREFUSED, ECONNRESET, EINVAL, EISCONN, EOPNOTSUPP, EPERM, SOCK_DGRAM,
  SOCK_SEQPACKET, SOCK_STREAM,
} from "./abi";
import { NSOCK } from "./param";
import { Proc } from "./proc";
import {
  POLL_ROOM, RCV_SHUTDOWN, TCP_CLOSE, TCP_ESTABLISHED, TCP_LISTEN, dgramDisconnected, skb,
  skbCreate,
  skbQueue, skbUnlinkHead, sock, sockAlloc, sockDataReady, sockError, sockPut, sockPw, sockRw,
  sockWq,
} from "./unix";
import { unixFindOther, unixShareName, unixValidateAddr } from "./unix_name";
import { sleepOn, wakeAll, wakeOne, wakeOneKeyed } from "./wait";

/** net.core.somaxconn (the host's, Linux's default): listen's backlog at most. */
const SOMAXCONN: i32 = 4096;
/** sock_wmalloc(newsk, 1)'s truesize: a one-byte head (unix.ts headTruesize(1)). */
const CONNECT_SKB_TRUESIZE: i32 = 768;

@inline function connection(type: i32): bool {
  return type == SOCK_STREAM || type == SOCK_SEQPACKET;
}

/** unix_recvq_full_lockless: one more than the backlog fits. */
@inline function recvqFull(i: i32): bool {
  return sock(i).rqLen > sock(i).maxBacklog;
}

/** __sys_listen's clamp (as unsigned: a negative backlog is somaxconn), then unix_listen. */
export function unixListen(p: Proc, i: i32, backlog: i32): i32 {
  const s = sock(i);
  if (<u32>backlog > <u32>SOMAXCONN) backlog = SOMAXCONN;
  if (!connection(s.type)) return -EOPNOTSUPP;
  if (s.addrLen == 0) return -EINVAL;
  if (s.state != TCP_CLOSE && s.state != TCP_LISTEN) return -EINVAL;
  if (backlog > s.maxBacklog) wakeAll(sockPw(s));
  s.maxBacklog = backlog;
  s.state = TCP_LISTEN;
  s.peerPid = p.pid; // update_peercred: connect copies it to its client
  return 0;
}

/** connect(2) of socket i to the name at `addr` (kernel memory), `nonblock` from O_NONBLOCK. */
export function unixConnect(p: Proc, i: i32, addr: usize, len: i32, nonblock: bool): i32 {
  if (connection(sock(i).type)) return streamConnect(p, i, addr, len, nonblock);
  return dgramConnect(p, i, addr, len);
}

/** unix_stream_connect: the name, the listener (ECONNREFUSED unless listening and not shut
 * for reading), room in its queue (EAGAIN, or sleep), this socket's state (EISCONN, EINVAL),
 * then the embryo joined and queued. */
function streamConnect(p: Proc, i: i32, addr: usize, len: i32, nonblock: bool): i32 {
  const r = unixValidateAddr(addr, len);
  if (r < 0) return r;
  const s = sock(i);
  const other = unixFindOther(p, addr, len, s.type);
  if (other < 0) return other;
  const o = sock(other);
  if (o.state != TCP_LISTEN || (o.shutdown & RCV_SHUTDOWN) != 0) return -ECONNREFUSED;
  if (recvqFull(other)) {
    if (nonblock) return -EAGAIN;
    return sleepOn(p, sockPw(o), true); // unix_wait_for_peer; the retry restarts
  }
  if (s.state != TCP_CLOSE) return s.state == TCP_ESTABLISHED ? -EISCONN : -EINVAL;
  const n = sockAlloc(s.type);
  if (n < 0) return n;
  const b = skbCreate(p, n, other, 0, 0, CONNECT_SKB_TRUESIZE);
  if (b < 0) {
    sock(n).dead = 1;
    sockPut(n);
    return b;
  }
  const e = sock(n);
  e.peer = i;
  s.refs++;
  e.state = TCP_ESTABLISHED;
  e.listener = other;
  e.peerPid = p.pid; // init_peercred(newsk): the server's end names the client's process
  s.peerPid = o.peerPid; // copy_peercred(sk, other)
  unixShareName(n, other);
  s.state = TCP_ESTABLISHED;
  s.peer = n;
  e.refs++;
  skbQueue(other, b);
  sockDataReady(o);
  return 0;
}

/** unix_dgram_connect: AF_UNSPEC disconnects; else the peer (EPERM when it is connected to
 * another) is set, and a previous different peer is let go (its queued data dropped, as
 * unix_dgram_disconnected). */
function dgramConnect(p: Proc, i: i32, addr: usize, len: i32): i32 {
  if (len < 2) return -EINVAL;
  const s = sock(i);
  let other = -1;
  if (load<u16>(addr) != AF_UNSPEC) {
    const r = unixValidateAddr(addr, len);
    if (r < 0) return r;
    other = unixFindOther(p, addr, len, s.type);
    if (other < 0) return other;
    const o = sock(other);
    if (o.peer >= 0 && o.peer != i) return -EPERM;
    s.state = TCP_ESTABLISHED;
    o.state = TCP_ESTABLISHED;
    o.refs++;
  }
  const old = s.peer;
  s.peer = other;
  if (old < 0) return 0;
  if (other < 0) s.state = TCP_CLOSE;
  wakeOneKeyed(sockWq(s), POLL_ROOM); // unix_dgram_peer_wake_disconnect_wakeup
  if (other != old) {
    if (s.rqLen > 0 && sock(old).dead == 0 && sock(old).peer == i) {
      sock(old).err = ECONNRESET;
      sockDataReady(sock(old)); // sk_error_report: EPOLLERR wakes as EPOLLIN does
    }
    dgramDisconnected(s);
    if (sock(old).peer < 0) sock(old).state = TCP_CLOSE;
  }
  sockPut(old);
  return 0;
}

/** unix_accept on listener i (do_accept checked the flags and reserved the fd): the embryo
 * taken from its queue, or -errno (EOPNOTSUPP, EINVAL, EAGAIN), or a sleep until a connect.
 * The embryo's first reference becomes its new file's. */
export function unixAccept(p: Proc, i: i32, nonblock: bool): i32 {
  const s = sock(i);
  if (!connection(s.type)) return -EOPNOTSUPP;
  if (s.state != TCP_LISTEN) return -EINVAL;
  if (s.rqHead < 0) {
    // __skb_try_recv_datagram: a pending error, then EAGAIN without a timeout; only a wait
    // (__skb_wait_for_more_packets) sees receive shutdown, which unix_accept makes EINVAL.
    const err = sockError(s);
    if (err != 0) return err;
    if (nonblock) return -EAGAIN;
    if ((s.shutdown & RCV_SHUTDOWN) != 0) return -EINVAL;
    return sleepOn(p, sockRw(s), true);
  }
  const e = skb(s.rqHead).owner;
  sock(e).listener = -1;
  skbUnlinkHead(s);
  wakeOne(sockPw(s));
  return e;
}

/** Listen queues: every buffer on a listener is its live embryo's, once. */
export function unixConnCheck(): void {
  for (let i = 0; i < NSOCK; i++) {
    const s = sock(i);
    if (s.inUse == 0) continue;
    if (s.state == TCP_LISTEN) {
      for (let b = s.rqHead; b >= 0; b = skb(b).next) {
        const e = sock(skb(b).owner);
        assert(e.listener == i && e.dead == 0, "a listener's buffer is not its embryo's");
        assert(e.peer >= 0, "an embryo without its client");
        const c = sock(e.peer);
        assert(c.dead != 0 || c.peer == skb(b).owner, "a client does not name its embryo");
      }
    }
    if (s.listener >= 0) {
      const l = sock(s.listener);
      assert(l.inUse != 0 && l.state == TCP_LISTEN, "an embryo's listener is not listening");
      let n = 0;
      for (let b = l.rqHead; b >= 0; b = skb(b).next) if (skb(b).owner == i) n++;
      assert(n == 1, "an embryo is not queued on its listener once");
      assert(s.type != SOCK_DGRAM, "a datagram embryo");
    }
  }
}
