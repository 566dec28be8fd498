// Sockets' encoding and decoding where the call table's rows are not enough (calls.ts ENCODERS
// and DECODERS): recvfrom's data is what fit in `count`, though MSG_TRUNC makes a datagram's
// ret its whole length; setsockopt's int goes in the I/O area (optval), as does getsockopt's
// length (optlen, after an 8-byte value slot), read back with the value.

import { CALLS } from "../../wasm/abi.js";
import { sockaddrBytes, sockaddrFromBytes } from "../trace/sockaddr.js";
import type { SockAddr } from "../trace/types.js";
import type { Kernel } from "../../wasm/kernel.js";
import type { Decoders, Encoders } from "./calls.js";
import { ModelError } from "./errors.js";

/** getsockopt's optlen slot: after the value's 8 bytes (an int option writes at most 4). */
const OPTLEN_AT = 8;
/** An address result's length slot: after sizeof(struct sockaddr_un) (110), aligned. */
const ADDRLEN_AT = 112;
const SUN_LEN = 110;

/** A name at va (bind, connect): its bytes, as long as the address. */
function pokeAddr(k: Kernel, pid: number, va: number, a: SockAddr): number {
  const b = sockaddrBytes(a);
  k.poke(pid, va, b);
  return b.length;
}

/** The buffer of an address result: sizeof(sockaddr_un) in its length slot. */
function addrBuffer(k: Kernel, pid: number, va: number): number {
  k.poke(pid, va + ADDRLEN_AT, new Uint8Array(new Int32Array([SUN_LEN]).buffer));
  return va + ADDRLEN_AT;
}

/** The name an address call wrote at va, as long as its length slot says. */
function addrAt(k: Kernel, pid: number, va: number): SockAddr {
  const len = k.peekI32(pid, va + ADDRLEN_AT);
  const b = k.peek(pid, va, SUN_LEN);
  if (!b) throw new ModelError(`address result of pid ${pid} unreadable`);
  return sockaddrFromBytes(b, len);
}

export const NET_ENCODERS: Encoders = {
  recvfrom: (_k, step, _va, byRow) => ({ ret: byRow(), count: step.args.count }),
  setsockopt: (k, step, va) => {
    const { fd, level, optname, value, optlen } = step.args;
    k.poke(step.pid, va, new Uint8Array(new Int32Array([value]).buffer));
    return k.syscall(step.pid, CALLS.setsockopt, fd, level, optname, va, optlen);
  },
  bind: (k, step, va) => {
    const len = pokeAddr(k, step.pid, va, step.args.addr);
    return k.syscall(step.pid, CALLS.bind, step.args.fd, va, len);
  },
  connect: (k, step, va) => {
    const len = pokeAddr(k, step.pid, va, step.args.addr);
    return k.syscall(step.pid, CALLS.connect, step.args.fd, va, len);
  },
  accept4: (k, step, va) => {
    const lenVa = addrBuffer(k, step.pid, va);
    return k.syscall(step.pid, CALLS.accept4, step.args.fd, va, lenVa, step.args.flags);
  },
  getsockname: (k, step, va) =>
    k.syscall(step.pid, CALLS.getsockname, step.args.fd, va, addrBuffer(k, step.pid, va)),
  getpeername: (k, step, va) =>
    k.syscall(step.pid, CALLS.getpeername, step.args.fd, va, addrBuffer(k, step.pid, va)),
  getsockopt: (k, step, va) => {
    const { fd, level, optname, optlen } = step.args;
    k.poke(step.pid, va, new Uint8Array(new Int32Array([0, 0, optlen]).buffer));
    return k.syscall(step.pid, CALLS.getsockopt, fd, level, optname, va, va + OPTLEN_AT);
  },
};

export const NET_DECODERS: Decoders = {
  accept4: (k, c, ret) => ({ ret, addr: addrAt(k, c.pid, c.va) }),
  getsockname: (k, c, ret) => ({ ret, addr: addrAt(k, c.pid, c.va) }),
  getpeername: (k, c, ret) => ({ ret, addr: addrAt(k, c.pid, c.va) }),
  getsockopt: (k, c, ret) => ({
    ret, optval: k.peekI32(c.pid, c.va), optlen: k.peekI32(c.pid, c.va + OPTLEN_AT),
  }),
  recvfrom: (k, c, ret) => {
    const n = Math.min(ret, c.count ?? ret);
    const data = n === 0 ? new Uint8Array(0) : k.peek(c.pid, c.va, n);
    if (!data) throw new ModelError(`recvfrom result of pid ${c.pid} unreadable`);
    return { ret, data };
  },
};
