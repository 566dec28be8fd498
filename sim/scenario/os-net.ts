// The scenario `os` methods of sockets (AF_UNIX: unix(7)), as a mixin over the class that
// makes calls (os.ts OsBase: its public `call`). Names are C's: send and recv are sendto and
// recvfrom with a null address, as glibc makes them; shutdown is made from its row.

import type { Result } from "../trace/types.js";
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
