// The scenario `os` methods of paths and regular files (path_resolution(7), open(2), lseek(2)),
// as a mixin over the class that makes calls (os.ts OsBase: its public `call`), named and
// ordered as C programs call them. `dirfd` takes AT_FDCWD (-100).

import type { Result } from "../trace/types.js";
import { bytes, int } from "./os-args.js";
import type { Bytes } from "./os-types.js";
import type { CallRequest } from "./os.js";

type Ok = Exclude<Result, "blocked">;
type Caller = new (...args: any[]) => { call(req: CallRequest): Promise<Ok> };

const ret = (r: Ok) => r.ret as number;
const data = (r: Ok) => r.data as Uint8Array;

export function filesMethods<B extends Caller>(Base: B) {
  return class extends Base {
    /** Opens `path` relative to `dirfd`; resolves to the new fd. */
    openat(dirfd: number, path: string, flags = 0, mode = 0o644): Promise<number> {
      const args = { dirfd: int(dirfd, "dirfd"), path: String(path), flags, mode };
      return this.call({ call: "openat", args }).then(ret);
    }
    mkdir(path: string, mode = 0o755): Promise<number> {
      return this.call({ call: "mkdir", args: { path: String(path), mode } }).then(ret);
    }
    rmdir(path: string): Promise<number> {
      return this.call({ call: "rmdir", args: { path: String(path) } }).then(ret);
    }
    unlinkat(dirfd: number, path: string, flags = 0): Promise<number> {
      const args = { dirfd: int(dirfd, "dirfd"), path: String(path), flags };
      return this.call({ call: "unlinkat", args }).then(ret);
    }
    chdir(path: string): Promise<number> {
      return this.call({ call: "chdir", args: { path: String(path) } }).then(ret);
    }
    fchdir(fd: number): Promise<number> {
      return this.call({ call: "fchdir", args: { fd: int(fd, "fd") } }).then(ret);
    }
    /** Sets the umask; resolves to the old one. */
    umask(mask: number): Promise<number> {
      return this.call({ call: "umask", args: { mask: int(mask, "mask") } }).then(ret);
    }
    chmod(path: string, mode: number): Promise<number> {
      return this.call({ call: "chmod", args: { path: String(path), mode } }).then(ret);
    }
    access(path: string, mode: number): Promise<number> {
      return this.call({ call: "access", args: { path: String(path), mode } }).then(ret);
    }
    /** Moves fd's offset; resolves to the new offset. */
    lseek(fd: number, offset: number, whence: number): Promise<number> {
      const args = { fd: int(fd, "fd"), offset: int(offset, "offset"), whence };
      return this.call({ call: "lseek", args }).then(ret);
    }
    /** Reads up to `count` bytes at `offset` without moving the fd's offset. */
    pread64(fd: number, count: number, offset: number): Promise<Uint8Array> {
      const args = { fd: int(fd, "fd"), count: int(count, "count"), offset: int(offset, "off") };
      return this.call({ call: "pread64", args }).then(data);
    }
    /** Writes `data` at `offset` without moving the fd's offset; resolves to bytes written. */
    pwrite64(fd: number, d: Bytes, offset: number): Promise<number> {
      const args = { fd: int(fd, "fd"), data: bytes(d, "pwrite64"), offset: int(offset, "off") };
      return this.call({ call: "pwrite64", args }).then(ret);
    }
    truncate(path: string, length: number): Promise<number> {
      const args = { path: String(path), length: int(length, "length") };
      return this.call({ call: "truncate", args }).then(ret);
    }
    ftruncate(fd: number, length: number): Promise<number> {
      const args = { fd: int(fd, "fd"), length: int(length, "length") };
      return this.call({ call: "ftruncate", args }).then(ret);
    }
    fsync(fd: number): Promise<number> {
      return this.call({ call: "fsync", args: { fd: int(fd, "fd") } }).then(ret);
    }
    fdatasync(fd: number): Promise<number> {
      return this.call({ call: "fdatasync", args: { fd: int(fd, "fd") } }).then(ret);
    }
  };
}
