// readv and writev (calls.ts ENCODERS): the trace's segments become a struct iovec array in the
// process's I/O area (x86_64: iov_base and iov_len, 8 bytes each), with the buffers laid end to
// end after it, so what readv read is the first `ret` bytes from the first buffer on (the
// kernel fills the segments in order) and decodes as read's `data` does.

import { CALLS } from "../../wasm/abi.js";
import type { Kernel } from "../../wasm/kernel.js";
import type { Encoders, StepOf } from "./calls.js";
import { ModelError } from "./errors.js";

const IOVEC_BYTES = 16;

/** The iovec array at `va` for segments of `lens` bytes whose buffers start at `bufs`; the
 * address of the first buffer. A length the I/O area cannot hold still gets its iovec (its
 * buffer runs past the area: EFAULT, as a pointer past the mapping gives). */
function putIovecs(k: Kernel, pid: number, va: number, lens: readonly number[], line: number) {
  const bufs = va + lens.length * IOVEC_BYTES;
  const table = new DataView(new ArrayBuffer(lens.length * IOVEC_BYTES));
  let at = bufs;
  lens.forEach((len, i) => {
    table.setBigUint64(i * IOVEC_BYTES, BigInt(at >>> 0), true);
    table.setBigInt64(i * IOVEC_BYTES + 8, BigInt(len), true);
    at = len > 0 ? Math.min(at + len, 2 ** 32 - 1) : at;
  });
  if (lens.length > 0 && !k.poke(pid, va, new Uint8Array(table.buffer))) {
    throw new ModelError(`line ${line}: pid ${pid}'s I/O area is not writable`);
  }
  return bufs;
}

export const IOV_ENCODERS: Encoders = {
  writev: (k, step: StepOf<"writev">, va) => {
    const { fd, iov } = step.args;
    const bufs = putIovecs(k, step.pid, va, iov.map((b) => b.length), step.line);
    let at = bufs;
    for (const b of iov) {
      if (b.length > 0 && !k.poke(step.pid, at, b)) {
        throw new ModelError(`line ${step.line}: writev's ${b.length} bytes exceed the I/O area`);
      }
      at += b.length;
    }
    return k.syscall(step.pid, CALLS.writev, fd, va, iov.length);
  },
  readv: (k, step: StepOf<"readv">, va) => {
    const { fd, counts } = step.args;
    const bufs = putIovecs(k, step.pid, va, counts, step.line);
    return { ret: k.syscall(step.pid, CALLS.readv, fd, va, counts.length), va: bufs };
  },
};
