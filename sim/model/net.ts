// Sockets' encoding and decoding where the call table's rows are not enough (calls.ts ENCODERS
// and DECODERS): recvfrom's data is what fit in `count`, though MSG_TRUNC makes a datagram's
// ret its whole length.

import type { Decoders, Encoders } from "./calls.js";
import { ModelError } from "./errors.js";

export const NET_ENCODERS: Encoders = {
  recvfrom: (_k, step, _va, byRow) => ({ ret: byRow(), count: step.args.count }),
};

export const NET_DECODERS: Decoders = {
  recvfrom: (k, c, ret) => {
    const n = Math.min(ret, c.count ?? ret);
    const data = n === 0 ? new Uint8Array(0) : k.peek(c.pid, c.va, n);
    if (!data) throw new ModelError(`recvfrom result of pid ${c.pid} unreadable`);
    return { ret, data };
  },
};
