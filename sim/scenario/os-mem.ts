// The scenario `os` methods of mappings beyond mmap and munmap (os.ts): msync and mprotect, as a
// mixin over the class that makes calls (os.ts OsBase: its public `call`).

import type { Result } from "../trace/types.js";
import { int } from "./os-args.js";
import type { CallRequest } from "./os.js";

type Ok = Exclude<Result, "blocked">;
type Caller = new (...args: any[]) => { call(req: CallRequest): Promise<Ok> };

const ret = (r: Ok) => r.ret as number;

export function memMethods<B extends Caller>(Base: B) {
  return class extends Base {
    /** Checks flags and range; the pages of a tmpfs file need no writeback. */
    msync(addr: number, length: number, flags: number): Promise<number> {
      const args = { addr: int(addr, "msync addr"), length: int(length, "length"), flags };
      return this.call({ call: "msync", args }).then(ret);
    }
    /** Changes the protection of the whole pages of [addr, addr + length) (PROT_ flags,
     * PROT_GROWSDOWN included); resolves to 0. A mapping splits and merges as on Linux. */
    mprotect(addr: number, length: number, prot: number): Promise<number> {
      const args = { addr: int(addr, "mprotect addr"), length: int(length, "length"), prot };
      return this.call({ call: "mprotect", args }).then(ret);
    }
  };
}
