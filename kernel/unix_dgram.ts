// AF_UNIX datagram and seqpacket sockets: send and receive.
//
// Linux: net/unix/af_unix.c (unix_dgram_sendmsg, unix_seqpacket_sendmsg,
// __unix_dgram_recvmsg, unix_seqpacket_recvmsg), net/core/datagram.c
// (__skb_try_recv_datagram, __skb_wait_for_more_packets), net/core/sock.c
// (sock_alloc_send_pskb).
//
// A send is one buffer of exactly its length (EMSGSIZE past sk_sndbuf - 32), charged to the
// sender, which waits for room in its own send buffer as a stream sender does. A receive takes
// the head buffer whole: a shorter buffer truncates it (MSG_TRUNC returns its full length),
// MSG_PEEK leaves it. A pending error comes before queued data. The receive-queue limit
// (max_dgram_qlen) holds only between sockets not connected back to each other, never within
// a socketpair (unix_peer(other) == sk).
//
// A datagram socket connected (connect) to one that is not connected back may not send to it
// once the other connects elsewhere (EPERM), and waits while its queue is full.
//
// Differences from Linux: no addresses yet (sendto and recvfrom with a null address only), no
// MSG_OOB (EOPNOTSUPP, as Linux), no SO_PEEK_OFF, no credentials.

import {
  EAGAIN, ECONNREFUSED, EFAULT, EMSGSIZE, ENOTCONN, EOPNOTSUPP, EPERM, EPIPE, MSG_DONTWAIT,
  MSG_OOB, MSG_PEEK, MSG_TRUNC, SOCK_SEQPACKET,
} from "./abi";
import { FLOW_IN, FLOW_OUT, FLOW_PEEK } from "./event";
import { Proc } from "./proc";
import {
  RCV_SHUTDOWN, SEND_SHUTDOWN, TCP_CLOSE, TCP_ESTABLISHED, dgramDisconnected, dgramTruesize,
  skb, skbCreate, skbFlow, skbQueue, skbUnlinkHead, sndbufRoom, sock, sockDataReady,
  POLL_ROOM, sockError, sockPut, sockPw, sockRw, sockWq,
} from "./unix";
import { qCopyOut } from "./unix_queue";
import { sleepOn, wakeOneKeyed } from "./wait";

/** unix_seqpacket_sendmsg and unix_dgram_sendmsg to the connected peer: the size, then room in
 * the send buffer (sock_alloc_send_pskb), then the peer (ENOTCONN only now). A retry (p.woke)
 * resumes in sock_alloc_send_pskb's loop. */
export function dgramSend(p: Proc, i: i32, va: u32, len: i32, flags: i32): i32 {
  const s = sock(i);
  if (p.woke == 0) {
    if (s.type == SOCK_SEQPACKET) {
      const err = sockError(s);
      if (err != 0) return err;
      if (s.state != TCP_ESTABLISHED) return -ENOTCONN;
    }
    if ((flags & MSG_OOB) != 0) return -EOPNOTSUPP;
    if (<u32>len > <u32>(s.sndbuf - 32)) return -EMSGSIZE;
  }
  const err = sockError(s);
  if (err != 0) return err;
  if ((s.shutdown & SEND_SHUTDOWN) != 0) return -EPIPE;
  if (!sndbufRoom(s)) {
    if ((flags & MSG_DONTWAIT) != 0) return -EAGAIN;
    return sleepOn(p, sockWq(s), false);
  }
  // The buffer was allocated and filled before the peer is looked up; freeing it unused
  // changes nothing a trace sees, so the model looks first.
  const other = s.peer;
  if (other < 0) return -ENOTCONN;
  const o = sock(other);
  if (o.dead != 0) return peerDead(i);
  // unix_may_send: a peer connected to a third socket takes nothing from this one.
  if (o.peer >= 0 && o.peer != i) return -EPERM;
  if ((o.shutdown & RCV_SHUTDOWN) != 0) return -EPIPE;
  // A peer not connected back takes at most max_dgram_qlen + 1 datagrams queued; the sender
  // waits on its peer_wait (unix_wait_for_peer), which a receive wakes, then starts again.
  if (o.peer != i && o.rqLen > o.maxBacklog) {
    if ((flags & MSG_DONTWAIT) != 0) return -EAGAIN;
    return sleepOn(p, sockPw(o), true);
  }
  const b = skbCreate(p, i, other, va, len, dgramTruesize(len));
  if (b < 0) return b;
  skbQueue(other, b);
  skbFlow(p, FLOW_IN, other, b, len);
  sockDataReady(o);
  return len;
}

/** The peer was released: a seqpacket send fails with EPIPE; a datagram socket forgets its
 * peer, drops what it had queued, and fails with ECONNREFUSED. */
function peerDead(i: i32): i32 {
  const s = sock(i);
  if (s.type == SOCK_SEQPACKET) return -EPIPE;
  const old = s.peer;
  s.peer = -1;
  s.state = TCP_CLOSE;
  wakeOneKeyed(sockWq(s), POLL_ROOM); // unix_dgram_peer_wake_disconnect_wakeup
  dgramDisconnected(s);
  sockPut(old);
  return -ECONNREFUSED;
}

/** __unix_dgram_recvmsg (and unix_seqpacket_recvmsg's state check) into `size` bytes. */
export function dgramRecv(p: Proc, i: i32, va: u32, size: i32, flags: i32): i32 {
  const s = sock(i);
  if (s.type == SOCK_SEQPACKET && s.state != TCP_ESTABLISHED) return -ENOTCONN;
  if ((flags & MSG_OOB) != 0) return -EOPNOTSUPP;
  // __skb_try_recv_datagram: the pending error first.
  const err = sockError(s);
  if (err != 0) return err;
  if (s.rqHead < 0) return dgramWait(p, i, flags);
  const b = skb(s.rqHead);
  wakeOneKeyed(sockPw(s), POLL_ROOM); // unix_dgram_recvmsg: the peer_wait's writers
  const n = min(<u32>size, <u32>b.len);
  if (qCopyOut(p, s, 0, va, <i32>n) < <i32>n) return -EFAULT;
  const full = b.len;
  skbFlow(p, (flags & MSG_PEEK) != 0 ? FLOW_PEEK : FLOW_OUT, i, s.rqHead, full);
  if ((flags & MSG_PEEK) == 0) skbUnlinkHead(s);
  return (flags & MSG_TRUNC) != 0 ? full : <i32>n;
}

/** Nothing queued: EAGAIN (a shut seqpacket reads EOF), or __skb_wait_for_more_packets. */
function dgramWait(p: Proc, i: i32, flags: i32): i32 {
  const s = sock(i);
  if ((flags & MSG_DONTWAIT) != 0) {
    return s.type == SOCK_SEQPACKET && (s.shutdown & RCV_SHUTDOWN) != 0 ? 0 : -EAGAIN;
  }
  if ((s.shutdown & RCV_SHUTDOWN) != 0) return 0;
  return sleepOn(p, sockRw(s), true);
}
