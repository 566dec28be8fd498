// The scenario `os` methods of sockets (AF_UNIX: unix(7)), as a mixin over the class that
// makes calls (os.ts OsBase: its public `call`). Names are C's: send and recv are sendto and
// recvfrom with a null address, as glibc makes them; shutdown, socket and listen are made from
// their rows. Names are
// `{ path }`, `{ abstract }`, `{ unnamed: true }` (autobind) or `{ unspec: true }`.

import type { Result, SockAddr } from "../trace/types.js";
import { bytes, int } from "./os-args.js";
import type { Bytes } from "./os-types.js";
import type { CallRequest } from "./os.js";

type Ok = Exclude<Result, "blocked">;
type Caller = new (...args: any[]) => { call(req: CallRequest): Promise<Ok> };

const ret = (r: Ok) => r.ret as number;
const data = (r: Ok) => r.data as Uint8Array;
const fds = (r: Ok) => r.fds as [number, number];

export function netMethods<B extends Caller>(Base: B) {
  return class extends Base {
    /** Two connected sockets of `type` (SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, with
     * SOCK_NONBLOCK and SOCK_CLOEXEC) in `domain` (AF_UNIX). */
    socketpair(domain: number, type: number, protocol = 0): Promise<[number, number]> {
      const args = {
        domain: int(domain, "socketpair domain"), type: int(type, "socketpair type"),
        protocol: int(protocol, "socketpair protocol"),
      };
      return this.call({ call: "socketpair", args }).then(fds);
    }
    /** Sends `data` (a stream may take part of it; a datagram is all or nothing); returns the
     * bytes sent. Waits for send-buffer room unless MSG_DONTWAIT or O_NONBLOCK. */
    sendto(fd: number, d: Bytes, flags = 0): Promise<number> {
      const args = {
        fd: int(fd, "send fd"), data: bytes(d, "send data"), flags: int(flags, "send flags"),
      };
      return this.call({ call: "sendto", args }).then(ret);
    }
    send(fd: number, d: Bytes, flags = 0): Promise<number> {
      return this.sendto(fd, d, flags);
    }
    /** Up to `count` bytes (a datagram's first `count`); empty at end of stream. */
    recvfrom(fd: number, count: number, flags = 0): Promise<Uint8Array> {
      const args = {
        fd: int(fd, "recv fd"), count: int(count, "recv count"), flags: int(flags, "recv flags"),
      };
      return this.call({ call: "recvfrom", args }).then(data);
    }
    recv(fd: number, count: number, flags = 0): Promise<Uint8Array> {
      return this.recvfrom(fd, count, flags);
    }
    /** Names the socket: a path makes a socket file, which stays after close. */
    bind(fd: number, addr: SockAddr): Promise<number> {
      return this.call({ call: "bind", args: { fd: int(fd, "bind fd"), addr } }).then(ret);
    }
    /** Connects to a listener's name (waits while its queue is full, unless O_NONBLOCK), or
     * sets a datagram socket's peer. */
    connect(fd: number, addr: SockAddr): Promise<number> {
      return this.call({ call: "connect", args: { fd: int(fd, "connect fd"), addr } }).then(ret);
    }
    /** The next connection's new descriptor (waits for one unless O_NONBLOCK). */
    accept4(fd: number, flags = 0): Promise<number> {
      const args = { fd: int(fd, "accept fd"), flags: int(flags, "accept flags") };
      return this.call({ call: "accept4", args }).then(ret);
    }
    accept(fd: number): Promise<number> {
      return this.accept4(fd, 0);
    }
    getsockname(fd: number): Promise<SockAddr> {
      const args = { fd: int(fd, "getsockname fd") };
      return this.call({ call: "getsockname", args }).then((r) => r.addr as SockAddr);
    }
    getpeername(fd: number): Promise<SockAddr> {
      const args = { fd: int(fd, "getpeername fd") };
      return this.call({ call: "getpeername", args }).then((r) => r.addr as SockAddr);
    }
    /** An int option's value (SO_SNDBUF, SO_RCVBUF, SO_TYPE, SO_ERROR at SOL_SOCKET). */
    getsockopt(fd: number, level: number, optname: number, optlen = 4): Promise<number> {
      const args = {
        fd: int(fd, "getsockopt fd"), level: int(level, "level"),
        optname: int(optname, "optname"), optlen: int(optlen, "optlen"),
      };
      return this.call({ call: "getsockopt", args }).then((r) => r.optval as number);
    }
  };
}
