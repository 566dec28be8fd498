// AF_UNIX stream sockets: send and receive (write, read, sendto, recvfrom go here).
//
// Linux: net/unix/af_unix.c (unix_stream_sendmsg, unix_stream_read_generic), net/core/sock.c
// (sock_alloc_send_pskb, sock_rcvlowat).
//
// A send cuts its bytes into buffers of at most min(sk_sndbuf / 2 - 64, a page's head plus
// 32 KiB of frags) and queues each on the peer; before each buffer it needs its own send buffer
// below sk_sndbuf (the check may overshoot by one buffer), else it returns what it sent,
// EAGAIN, or sleeps on its own socket until unix_write_space (a quarter of sk_sndbuf in flight)
// wakes it. A woken send resumes inside sock_alloc_send_pskb: a pending error (ECONNRESET) or
// SEND_SHUTDOWN ends it there, with EPIPE but no SIGPIPE. A receive takes bytes across
// buffers; a buffer's charge goes only when it is read to its end.
//
// Differences from Linux: no MSG_OOB (send gives EOPNOTSUPP, receive EINVAL as with no OOB
// byte queued: docs/differences.md `unix-oob`); no SO_PEEK_OFF, no credentials gluing.

import {
  EAGAIN, EFAULT, EINVAL, ENOTCONN, EOPNOTSUPP, EPIPE, MSG_DONTWAIT, MSG_NOSIGNAL,
  MSG_OOB, MSG_PEEK, MSG_WAITALL, SIGPIPE,
} from "./abi";
import { FLOW_IN, FLOW_OUT, FLOW_PEEK } from "./event";
import { hookSigSendThread } from "./hooks";
import { Proc } from "./proc";
import {
  RCV_SHUTDOWN, SEND_SHUTDOWN, SKB_MAX_HEAD0, TCP_ESTABLISHED, UNIX_SKB_FRAGS_SZ,
  skb, skbCreate, skbDrop, skbFlow, skbQueue, skbUnlinkHead, sndbufRoom, sock, sockDataReady,
  sockError, sockWait, sockWq, streamTruesize,
} from "./unix";
import { qCopyOut, qDrop } from "./unix_queue";
import { sleepOn } from "./wait";

/** unix_stream_sendmsg of `len` bytes at va (flags with MSG_DONTWAIT for a non-blocking
 * description). A retry (p.woke) resumes in sock_alloc_send_pskb's loop with what it sent. */
export function streamSend(p: Proc, i: i32, va: u32, len: i32, flags: i32): i32 {
  const s = sock(i);
  let sent = 0;
  if (p.woke == 0) {
    if ((flags & MSG_OOB) != 0) return -EOPNOTSUPP;
    if (s.peer < 0) return -ENOTCONN;
    if ((s.shutdown & SEND_SHUTDOWN) != 0) return brokenPipe(p, flags, 0);
  } else {
    sent = sockWait(p).moved;
  }
  while (sent < len) {
    let size = min(len - sent, (s.sndbuf >> 1) - 64);
    size = min(size, SKB_MAX_HEAD0 + UNIX_SKB_FRAGS_SZ);
    // sock_alloc_send_pskb: its error and shutdown checks come before the room check.
    const err = sockError(s);
    if (err != 0) return sent != 0 ? sent : err;
    if ((s.shutdown & SEND_SHUTDOWN) != 0) return sent != 0 ? sent : -EPIPE;
    if (!sndbufRoom(s)) {
      if ((flags & MSG_DONTWAIT) != 0) return sent != 0 ? sent : -EAGAIN;
      sockWait(p).moved = sent;
      return sleepOn(p, sockWq(s), false);
    }
    const r = queueOne(p, i, va + <u32>sent, size, flags, sent);
    if (r < 0) return r == BROKEN ? brokenPipe(p, flags, sent) : (sent != 0 ? sent : r);
    sent += size;
  }
  return sent;
}

/** The peer is gone or shut for reading (out_pipe). */
const BROKEN: i32 = -0x10000;

/** One buffer of `size` bytes onto the peer's queue: 0, BROKEN, or -errno. */
function queueOne(p: Proc, i: i32, va: u32, size: i32, flags: i32, sent: i32): i32 {
  const s = sock(i);
  const other = s.peer;
  if (other < 0) return BROKEN;
  const b = skbCreate(p, i, other, va, size, streamTruesize(size));
  if (b < 0) return b;
  const o = sock(other);
  if (o.dead != 0 || (o.shutdown & RCV_SHUTDOWN) != 0) {
    skbDrop(other, b);
    return BROKEN;
  }
  skbQueue(other, b);
  skbFlow(p, FLOW_IN, other, b, size);
  sockDataReady(o);
  return 0;
}

/** out_pipe: SIGPIPE unless something was sent or MSG_NOSIGNAL, then what was sent or EPIPE. */
function brokenPipe(p: Proc, flags: i32, sent: i32): i32 {
  if (sent == 0 && (flags & MSG_NOSIGNAL) == 0) hookSigSendThread(p, SIGPIPE);
  return sent != 0 ? sent : -EPIPE;
}

/** unix_stream_read_generic into `size` bytes at va. MSG_WAITALL waits for all of them (a
 * retry keeps what it took); MSG_PEEK copies without taking, and stops at the queue's end. */
export function streamRecv(p: Proc, i: i32, va: u32, size: i32, flags: i32): i32 {
  const s = sock(i);
  if (s.state != TCP_ESTABLISHED) return -EINVAL;
  if ((flags & MSG_OOB) != 0) return -EINVAL; // unix_stream_recv_urg: no OOB byte queued
  // sock_rcvlowat: all of it for MSG_WAITALL, else one byte (SO_RCVLOWAT is 1).
  const target = (flags & MSG_WAITALL) != 0 ? max(size, 1) : 1;
  let copied = p.woke != 0 ? sockWait(p).moved : 0;
  let left = size - copied;
  if ((flags & MSG_PEEK) != 0) return streamPeek(p, i, va, left, flags, copied, target);
  while (true) {
    if (s.rqHead < 0) {
      if (copied >= target) break;
      const err = sockError(s);
      if (err != 0) return copied != 0 ? copied : err;
      if ((s.shutdown & RCV_SHUTDOWN) != 0) break;
      if ((flags & MSG_DONTWAIT) != 0) return copied != 0 ? copied : -EAGAIN;
      sockWait(p).moved = copied;
      return sleepOn(p, sockWq(s), false);
    }
    const b = skb(s.rqHead);
    const chunk = min(b.len - b.consumed, left);
    const c = qCopyOut(p, s, 0, va + <u32>copied, chunk);
    if (c < chunk) return copied != 0 ? copied : -EFAULT;
    skbFlow(p, FLOW_OUT, i, s.rqHead, chunk);
    copied += chunk;
    left -= chunk;
    b.consumed += chunk;
    qDrop(s, chunk);
    if (b.consumed < b.len) break;
    skbUnlinkHead(s);
    if (left == 0) break;
  }
  return copied;
}

/** MSG_PEEK: copy from the head across buffers without taking; an empty queue waits as a
 * read does, but once anything was copied the queue's end ends the call. */
function streamPeek(
  p: Proc, i: i32, va: u32, left: i32, flags: i32, copied: i32, target: i32,
): i32 {
  const s = sock(i);
  if (s.rqHead < 0) {
    if (copied >= target) return copied;
    const err = sockError(s);
    if (err != 0) return copied != 0 ? copied : err;
    if ((s.shutdown & RCV_SHUTDOWN) != 0) return copied;
    if ((flags & MSG_DONTWAIT) != 0) return copied != 0 ? copied : -EAGAIN;
    sockWait(p).moved = copied;
    return sleepOn(p, sockWq(s), false);
  }
  let off = 0;
  for (let b = s.rqHead; b >= 0 && left > 0; b = skb(b).next) {
    const chunk = min(skb(b).len - skb(b).consumed, left);
    const c = qCopyOut(p, s, off, va + <u32>copied, chunk);
    if (c < chunk) return copied != 0 ? copied : -EFAULT;
    skbFlow(p, FLOW_PEEK, i, b, chunk);
    copied += chunk;
    left -= chunk;
    off += chunk;
  }
  return copied;
}
