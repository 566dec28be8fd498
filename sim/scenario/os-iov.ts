// The scenario `os` methods of vectored I/O (readv(2), writev(2)), as a mixin over the class
// that makes calls (os.ts OsBase: its public `call`).

import type { Result } from "../trace/types.js";
import { bytes, int } from "./os-args.js";
import type { Bytes } from "./os-types.js";
import type { CallRequest } from "./os.js";

type Ok = Exclude<Result, "blocked">;
type Caller = new (...args: any[]) => { call(req: CallRequest): Promise<Ok> };

export function iovMethods<B extends Caller>(Base: B) {
  return class extends Base {
    /** Reads into segments of the given sizes, filled in order; resolves to the bytes read
     * (all segments' worth end to end: at most the sum of `counts`). */
    readv(fd: number, counts: readonly number[]): Promise<Uint8Array> {
      const args = { fd: int(fd, "readv fd"), counts: counts.map((n) => int(n, "readv count")) };
      return this.call({ call: "readv", args }).then((r) => r.data as Uint8Array);
    }
    /** Writes the segments as one write (a pipe takes them at once up to PIPE_BUF); resolves
     * to the bytes written. A string is written as UTF-8. */
    writev(fd: number, iov: readonly Bytes[]): Promise<number> {
      const args = { fd: int(fd, "writev fd"), iov: iov.map((b) => bytes(b, "writev iov")) };
      return this.call({ call: "writev", args }).then((r) => r.ret as number);
    }
  };
}
