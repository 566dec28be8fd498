// The scenario `os` methods of the *at family (openat(2)'s siblings: a relative path starts at
// the directory `dirfd` names, AT_FDCWD (-100) the working directory), and renameat2's flags,
// as a mixin over the class that makes calls (os.ts OsBase: its public `call`). openat and
// unlinkat are in os-files.ts.

import type { Result } from "../trace/types.js";
import { int } from "./os-args.js";
import type { FileStat } from "./os-types.js";
import type { CallRequest } from "./os.js";

type Ok = Exclude<Result, "blocked">;
type Caller = new (...args: any[]) => { call(req: CallRequest): Promise<Ok> };

const ret = (r: Ok) => r.ret as number;
const fileStat = (r: Ok) => r.stat as unknown as FileStat;
const fd = (v: number, name: string) => int(v, name);

export function atMethods<B extends Caller>(Base: B) {
  return class extends Base {
    mkdirat(dirfd: number, path: string, mode = 0o755): Promise<number> {
      const args = { dirfd: fd(dirfd, "dirfd"), path: String(path), mode };
      return this.call({ call: "mkdirat", args }).then(ret);
    }
    renameat(olddirfd: number, oldpath: string, newdirfd: number, newpath: string):
      Promise<number> {
      const args = {
        olddirfd: fd(olddirfd, "olddirfd"), oldpath: String(oldpath),
        newdirfd: fd(newdirfd, "newdirfd"), newpath: String(newpath),
      };
      return this.call({ call: "renameat", args }).then(ret);
    }
    /** `flags`: RENAME_NOREPLACE (fail with EEXIST rather than replace), RENAME_EXCHANGE
     * (swap two existing names atomically). */
    renameat2(olddirfd: number, oldpath: string, newdirfd: number, newpath: string, flags = 0):
      Promise<number> {
      const args = {
        olddirfd: fd(olddirfd, "olddirfd"), oldpath: String(oldpath),
        newdirfd: fd(newdirfd, "newdirfd"), newpath: String(newpath), flags,
      };
      return this.call({ call: "renameat2", args }).then(ret);
    }
    linkat(olddirfd: number, oldpath: string, newdirfd: number, newpath: string, flags = 0):
      Promise<number> {
      const args = {
        olddirfd: fd(olddirfd, "olddirfd"), oldpath: String(oldpath),
        newdirfd: fd(newdirfd, "newdirfd"), newpath: String(newpath), flags,
      };
      return this.call({ call: "linkat", args }).then(ret);
    }
    symlinkat(target: string, newdirfd: number, linkpath: string): Promise<number> {
      const args = { target: String(target), newdirfd: fd(newdirfd, "newdirfd"),
        linkpath: String(linkpath) };
      return this.call({ call: "symlinkat", args }).then(ret);
    }
    /** The link's target (at most `count` bytes), as text. */
    readlinkat(dirfd: number, path: string, count = 4096): Promise<string> {
      const args = { dirfd: fd(dirfd, "dirfd"), path: String(path), count: int(count, "count") };
      return this.call({ call: "readlinkat", args })
        .then((r) => new TextDecoder().decode(r.data as Uint8Array));
    }
    /** fstatat(3): `flags` AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH. */
    fstatat(dirfd: number, path: string, flags = 0): Promise<FileStat> {
      const args = { dirfd: fd(dirfd, "dirfd"), path: String(path), flags };
      return this.call({ call: "newfstatat", args }).then(fileStat);
    }
    /** The table's name for fstatat (the x86_64 syscall's). */
    newfstatat(dirfd: number, path: string, flags = 0): Promise<FileStat> {
      return this.fstatat(dirfd, path, flags);
    }
    fchmodat(dirfd: number, path: string, mode: number): Promise<number> {
      const args = { dirfd: fd(dirfd, "dirfd"), path: String(path), mode };
      return this.call({ call: "fchmodat", args }).then(ret);
    }
    faccessat(dirfd: number, path: string, mode: number): Promise<number> {
      const args = { dirfd: fd(dirfd, "dirfd"), path: String(path), mode };
      return this.call({ call: "faccessat", args }).then(ret);
    }
    /** `flags`: AT_EACCESS (the effective ids), AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH. */
    faccessat2(dirfd: number, path: string, mode: number, flags = 0): Promise<number> {
      const args = { dirfd: fd(dirfd, "dirfd"), path: String(path), mode, flags };
      return this.call({ call: "faccessat2", args }).then(ret);
    }
  };
}
