// The scenario `os` methods of file locks beyond the row-made `os.flock(fd, op)`: fcntl's
// record-lock commands with a struct flock, and glibc's lockf(3) over them, as a mixin over
// the class that makes calls (os.ts OsBase), as os-mqueue.ts does.

import { ERRNO, FLAGS } from "../../wasm/abi.js";
import type { Flock, Result } from "../trace/types.js";
import { ErrnoError } from "./errors.js";
import { int } from "./os-args.js";
import type { CallRequest } from "./os.js";

type Ok = Exclude<Result, "blocked">;
type Caller = new (...args: any[]) => {
  readonly pid: number;
  call(req: CallRequest): Promise<Ok>;
  fcntl(fd: number, cmd: number, arg?: number): Promise<number>;
};

/** A struct flock as a scenario writes it: l_whence SEEK_SET, l_start 0, l_len 0 (to the end
 * of the file) and l_pid 0 unless given. */
type FlockLike = {
  l_type: number; l_whence?: number; l_start?: number; l_len?: number; l_pid?: number;
};

const { F_GETLK, F_OFD_GETLK, F_SETLK, F_SETLKW } = FLAGS.fcntl;
const { F_RDLCK, F_WRLCK, F_UNLCK } = FLAGS.locktype;
const { SEEK_CUR } = FLAGS.seek;
type GetlkCmd = typeof F_GETLK | typeof F_OFD_GETLK;

function flock(f: FlockLike): Flock {
  return {
    l_type: int(f.l_type, "l_type"), l_whence: int(f.l_whence ?? 0, "l_whence"),
    l_start: int(f.l_start ?? 0, "l_start"), l_len: int(f.l_len ?? 0, "l_len"),
    l_pid: int(f.l_pid ?? 0, "l_pid"),
  };
}

export function locksMethods<B extends Caller>(Base: B) {
  return class extends Base {
    /** fcntl; the record-lock commands take a struct flock: F_GETLK and F_OFD_GETLK resolve
     * to the struct the call wrote back, the others to the return value. */
    override fcntl(fd: number, cmd: GetlkCmd, arg: FlockLike): Promise<Flock>;
    override fcntl(fd: number, cmd: number, arg?: number | FlockLike): Promise<number>;
    override fcntl(fd: number, cmd: number, arg: number | FlockLike = 0): Promise<number | Flock> {
      if (typeof arg === "number") return super.fcntl(fd, cmd, arg);
      const args = { fd: int(fd, "fcntl fd"), cmd: int(cmd, "fcntl cmd"), arg: flock(arg) };
      const getlk = cmd === F_GETLK || cmd === F_OFD_GETLK;
      return this.call({ call: "fcntl", args })
        .then((r) => (getlk ? r.flock as Flock : r.ret as number));
    }

    /** lockf(3) as glibc writes it (io/lockf64.c): `len` bytes from the current offset;
     * F_LOCK waits (F_SETLKW), F_TLOCK does not (F_SETLK), F_ULOCK unlocks, F_TEST resolves
     * 0 when no other process holds a lock there and fails with EACCES when one does. */
    async lockf(fd: number, cmd: number, len: number): Promise<number> {
      const fl = { l_whence: SEEK_CUR, l_start: 0, l_len: len };
      if (cmd === 3) {
        const got = await this.fcntl(fd, F_GETLK, { ...fl, l_type: F_RDLCK });
        if (got.l_type === F_UNLCK || got.l_pid === this.pid) return 0;
        throw new ErrnoError("EACCES", ERRNO.EACCES, "lockf", this.pid);
      }
      if (cmd === 0) return this.fcntl(fd, F_SETLK, { ...fl, l_type: F_UNLCK });
      if (cmd === 1) return this.fcntl(fd, F_SETLKW, { ...fl, l_type: F_WRLCK });
      if (cmd === 2) return this.fcntl(fd, F_SETLK, { ...fl, l_type: F_WRLCK });
      throw new ErrnoError("EINVAL", ERRNO.EINVAL, "lockf", this.pid);
    }
  };
}
