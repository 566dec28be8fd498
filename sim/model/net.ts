// Sockets' encoding and decoding where the call table's rows are not enough (calls.ts ENCODERS
// and DECODERS): recvfrom's data is what fit in `count`, though MSG_TRUNC makes a datagram's
// ret its whole length; setsockopt's int goes in the I/O area (optval), as does getsockopt's
// length (optlen, after an 8-byte value slot), read back with the value.

import { CALLS } from "../../wasm/abi.js";
import type { Decoders, Encoders } from "./calls.js";
import { ModelError } from "./errors.js";

/** getsockopt's optlen slot: after the value's 8 bytes (an int option writes at most 4). */
const OPTLEN_AT = 8;

export const NET_ENCODERS: Encoders = {
  recvfrom: (_k, step, _va, byRow) => ({ ret: byRow(), count: step.args.count }),
  setsockopt: (k, step, va) => {
    const { fd, level, optname, value, optlen } = step.args;
    k.poke(step.pid, va, new Uint8Array(new Int32Array([value]).buffer));
    return k.syscall(step.pid, CALLS.setsockopt, fd, level, optname, va, optlen);
  },
  getsockopt: (k, step, va) => {
    const { fd, level, optname, optlen } = step.args;
    k.poke(step.pid, va, new Uint8Array(new Int32Array([0, 0, optlen]).buffer));
    return k.syscall(step.pid, CALLS.getsockopt, fd, level, optname, va, va + OPTLEN_AT);
  },
};

export const NET_DECODERS: Decoders = {
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
