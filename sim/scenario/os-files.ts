// The scenario `os` methods of paths and regular files (path_resolution(7), open(2), lseek(2)),
// as a mixin over the class that makes calls (os.ts OsBase: its public `call`), named and
// ordered as C programs call them. `dirfd` takes AT_FDCWD (-100).

import type { Dirent, Result } from "../trace/types.js";
import { bytes, int } from "./os-args.js";
import type { Bytes, FileStat } from "./os-types.js";
import type { CallRequest } from "./os.js";

type Ok = Exclude<Result, "blocked">;
type Caller = new (...args: any[]) => { call(req: CallRequest): Promise<Ok> };

const ret = (r: Ok) => r.ret as number;
const data = (r: Ok) => r.data as Uint8Array;
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const fileStat = (r: Ok) => r.stat as unknown as FileStat;

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

/** The methods of names and what they name: links, stat, directory listings. */
export function namesMethods<B extends Caller>(Base: B) {
  return class extends Base {
    rename(oldpath: string, newpath: string): Promise<number> {
      const args = { oldpath: String(oldpath), newpath: String(newpath) };
      return this.call({ call: "rename", args }).then(ret);
    }
    link(oldpath: string, newpath: string): Promise<number> {
      const args = { oldpath: String(oldpath), newpath: String(newpath) };
      return this.call({ call: "link", args }).then(ret);
    }
    symlink(target: string, linkpath: string): Promise<number> {
      const args = { target: String(target), linkpath: String(linkpath) };
      return this.call({ call: "symlink", args }).then(ret);
    }
    /** The link's target (at most `count` bytes), as text. */
    readlink(path: string, count = 4096): Promise<string> {
      const args = { path: String(path), count: int(count, "count") };
      return this.call({ call: "readlink", args }).then((r) => text(data(r)));
    }
    /** The working directory's path. */
    getcwd(count = 4096): Promise<string> {
      return this.call({ call: "getcwd", args: { count: int(count, "count") } })
        .then((r) => text(data(r)));
    }
    stat(path: string): Promise<FileStat> {
      return this.call({ call: "stat", args: { path: String(path) } }).then(fileStat);
    }
    lstat(path: string): Promise<FileStat> {
      return this.call({ call: "lstat", args: { path: String(path) } }).then(fileStat);
    }
    fstat(fd: number): Promise<FileStat> {
      return this.call({ call: "fstat", args: { fd: int(fd, "fd") } }).then(fileStat);
    }
    /** The next entries of a directory descriptor ([] at the end). */
    getdents64(fd: number, count = 4096): Promise<Dirent[]> {
      const args = { fd: int(fd, "fd"), count: int(count, "count") };
      return this.call({ call: "getdents64", args }).then((r) => r.dirents ?? []);
    }
  };
}
