// The files part of the shadow (shadow.ts holds one as `fs`): the directory tree of the one
// tmpfs, its regular files' sizes, where FIFOs live, and the path walk, kept from steps and
// outcomes alone (never from kernel memory). Each process's working directory and umask live
// in its ProcShadow (shadow.ts: fork copies them); a description of a regular file or a
// directory (a Desc of kind "file" or "dir") names its node and holds the offset, shared by
// dup and fork as the Desc is.
//
// The walk is Linux's (fs/namei.c link_path_walk, walk_component, handle_dots; the model's
// kernel/namei.ts): an absolute path starts at the root, a relative one at the working
// directory or a directory descriptor; "." stays, ".." goes to the parent (the root's is
// itself; a removed directory keeps its old parent, as its dentry's d_parent does); every
// component but the last must be a directory that exists (ENOTDIR, ENOENT). rename moves a
// node. Symlinks and hard links are not followed: once one is made (`lost`), names may alias
// and walks turn, so the shadow follows outcomes from then on without judging them.
//
// What the shadow cannot know it follows: a successful call whose walk the shadow says fails
// is a ShadowError in strict mode; otherwise (the generator, whose shadow may follow one world
// of several) the call is followed as well as it can be: a descriptor the walk cannot name
// still takes its number (kind "file", no node), so the lowest free descriptor stays right.
// Permissions are not followed (chmod, access): the traced processes run as root, and only
// access(2) looks at modes.

import type { Step } from "../sim/trace/types.js";
import { FLAGS } from "../wasm/abi.js";
import type { Desc, PipeInstance } from "./shadow.js";

export interface FsNode {
  id: number;
  kind: "dir" | "reg" | "fifo";
  /** Its name in its directory (the last it had, once removed). */
  name: string;
  /** The directory that holds it (the root's is itself; a removed node keeps its last). */
  parent: FsNode;
  /** A directory's entries by name (empty for the others). */
  entries: Map<string, FsNode>;
  /** A regular file's size in bytes (i_size). */
  size: number;
  /** Still named (nlink > 0): a removed directory takes no new names (IS_DEADDIR). */
  linked: boolean;
  /** A FIFO's pipe while any file is open on it. */
  pipe: PipeInstance | null;
}

/** What a walk found: the directory holding the last component, and what that names. */
interface Walk {
  dir: FsNode;
  found: FsNode | null;
  last: string;
  lastType: "norm" | "root" | "dot" | "dotdot";
  /** The path ends in a slash. */
  trailing: boolean;
}

/** The part of a process the files shadow reads and changes. */
export interface FsProc {
  pid: number;
  cwd: FsNode;
  umask: number;
  fds: Map<number, Desc>;
}

const { O_CREAT, O_TRUNC, O_APPEND, O_WRONLY } = FLAGS.open;
const AT_FDCWD = -100;
const NAME_MAX = 255;
const { SEEK_SET, SEEK_CUR, SEEK_END } = FLAGS.seek;
const { RENAME_EXCHANGE } = FLAGS.rename;

export class FsShadow {
  readonly root: FsNode;
  private nodes = 0;

  /** A link or symlink was made: names now alias and paths may turn, which the walk does not
   * follow, so from then on the shadow follows outcomes without judging them. */
  lost = false;

  constructor(private readonly failRaw: (message: string) => void) {
    this.root = this.node("dir", "/", null);
  }

  private fail(message: string): void {
    if (!this.lost) this.failRaw(message);
  }

  private node(kind: FsNode["kind"], name: string, parent: FsNode | null): FsNode {
    const n: FsNode = {
      id: this.nodes++, kind, name, parent: parent as FsNode, entries: new Map(), size: 0,
      linked: true, pipe: null,
    };
    n.parent ??= n;
    return n;
  }

  // ---- the walk ----

  /** Where a walk of `path` starts: the root, the working directory, or dirfd's directory;
   * an errno name when dirfd is closed (EBADF) or not a directory (ENOTDIR). */
  start(p: FsProc, dirfd: number, path: string): FsNode | string {
    if (path.startsWith("/") || dirfd === AT_FDCWD) return path.startsWith("/") ? this.root : p.cwd;
    const d = p.fds.get(dirfd);
    if (!d) return "EBADF";
    return d.kind === "dir" && d.node ? d.node : "ENOTDIR";
  }

  /** Walk `path` from the caller's start (see the file comment): a Walk, or an errno name. */
  walk(p: FsProc, dirfd: number, path: string): Walk | string {
    if (path === "") return "ENOENT";
    const start = this.start(p, dirfd, path);
    if (typeof start === "string") return start;
    const parts = path.split("/").filter((c) => c !== "");
    let cur = start;
    if (parts.length === 0) {
      return { dir: cur, found: cur, last: "", lastType: "root", trailing: true };
    }
    for (let i = 0; ; i++) {
      const c = parts[i];
      if (cur.kind !== "dir") return "ENOTDIR";
      if (c.length > NAME_MAX) return "ENAMETOOLONG";
      const type = c === "." ? "dot" : c === ".." ? "dotdot" : "norm";
      const next = type === "dot" ? cur : type === "dotdot" ? cur.parent : cur.entries.get(c);
      if (i === parts.length - 1) {
        return { dir: cur, found: next ?? null, last: c, lastType: type, trailing:
          path.endsWith("/") };
      }
      if (!next) return "ENOENT";
      if (next.kind !== "dir") return "ENOTDIR";
      cur = next;
    }
  }

  /** The walk of a call that succeeded: a ShadowError (strict) when the shadow says it fails. */
  private walked(p: FsProc, dirfd: number, step: Step, path: string): Walk | null {
    const w = this.walk(p, dirfd, path);
    if (typeof w === "string") {
      this.fail(`step ${step.index}: ${step.call}("${path}") succeeded, but its walk gives ${w}`);
      return null;
    }
    return w;
  }

  // ---- names made and removed ----

  /** The node an open that returned a descriptor opened: the one its path names, or a regular
   * file O_CREAT made (fs/namei.c lookup_open); O_TRUNC empties a regular file. Null when the
   * shadow cannot tell (not strict). */
  opened(p: FsProc, dirfd: number, step: Step, path: string, flags: number): FsNode | null {
    const w = this.walked(p, dirfd, step, path);
    if (!w) return null;
    let n = w.found;
    if (!n && (flags & O_CREAT) !== 0) {
      n = this.make(w, "reg", step);
    } else if (!n) {
      this.fail(`step ${step.index}: ${step.call}("${path}") opened a name that does not exist`);
    } else if (n.kind === "reg" && (flags & O_TRUNC) !== 0) {
      n.size = 0; // handle_truncate, whatever the access mode
    }
    return n;
  }

  /** A name made by a successful mkdir, mkfifo or O_CREAT open (filename_create). */
  make(w: Walk, kind: FsNode["kind"], step: Step): FsNode | null {
    if (w.found || w.lastType !== "norm") {
      this.fail(`step ${step.index}: ${step.call} made "${w.last}", which exists`);
      return w.found;
    }
    if (!w.dir.linked) {
      this.fail(`step ${step.index}: ${step.call} made "${w.last}" in a removed directory`);
    }
    const n = this.node(kind, w.last, w.dir);
    w.dir.entries.set(w.last, n);
    return n;
  }

  mkdir(p: FsProc, step: Step & { call: "mkdir" | "mkdirat" }, dirfd = AT_FDCWD): void {
    const w = this.walked(p, dirfd, step, step.args.path);
    if (w) this.make(w, "dir", step);
  }

  mkfifo(p: FsProc, step: Step & { call: "mkfifo" }): FsNode | null {
    const w = this.walked(p, AT_FDCWD, step, step.args.path);
    return w ? this.make(w, "fifo", step) : null;
  }

  /** rmdir (dir true) or unlink (false) of path from dirfd succeeded: the name goes. */
  remove(p: FsProc, dirfd: number, step: Step, path: string, dir: boolean): void {
    const w = this.walked(p, dirfd, step, path);
    const n = w?.found;
    if (!w || !n) {
      if (w) this.fail(`step ${step.index}: ${step.call}("${path}") removed a missing name`);
      return;
    }
    const isDir = n.kind === "dir";
    if (w.lastType !== "norm" || isDir !== dir || (dir && n.entries.size > 0)) {
      this.fail(`step ${step.index}: ${step.call}("${path}") removed a ${n.kind}` +
        `${isDir ? ` with ${n.entries.size} entries` : ""}`);
    }
    if (w.lastType !== "norm") return;
    w.dir.entries.delete(w.last);
    n.linked = false;
  }

  /** rename, renameat or renameat2 succeeded: the node moves (a target there is replaced: its
   * name goes), or with RENAME_EXCHANGE the two nodes trade names. */
  rename(p: FsProc, step: Step & { call: "rename" | "renameat" | "renameat2" }): void {
    const a = step.args as { olddirfd?: number; newdirfd?: number; flags?: number };
    const from = this.walked(p, a.olddirfd ?? AT_FDCWD, step, step.args.oldpath);
    const to = this.walked(p, a.newdirfd ?? AT_FDCWD, step, step.args.newpath);
    const n = from?.found;
    if (!from || !to || !n || from.lastType !== "norm" || to.lastType !== "norm") {
      if (from && to) this.fail(`step ${step.index}: rename moved a name the shadow lacks`);
      return;
    }
    if (to.found === n) return;
    if (((a.flags ?? 0) & RENAME_EXCHANGE) !== 0 && to.found) {
      const m = to.found;
      from.dir.entries.set(from.last, m);
      to.dir.entries.set(to.last, n);
      [n.name, m.name] = [to.last, from.last];
      if (n.kind === "dir") n.parent = to.dir;
      if (m.kind === "dir") m.parent = from.dir;
      return;
    }
    if (to.found) to.found.linked = false;
    from.dir.entries.delete(from.last);
    n.name = to.last;
    n.parent = n.kind === "dir" ? to.dir : n.parent;
    to.dir.entries.set(to.last, n);
  }

  chdir(p: FsProc, step: Step & { call: "chdir" }): void {
    const w = this.walked(p, AT_FDCWD, step, step.args.path);
    if (!w?.found) return;
    if (w.found.kind !== "dir") {
      return this.fail(`step ${step.index}: chdir into a ${w.found.kind}`);
    }
    p.cwd = w.found;
  }

  fchdir(p: FsProc, step: Step, d: Desc | null): void {
    if (d?.kind !== "dir" || !d.node) {
      return this.fail(`step ${step.index}: fchdir succeeded on a ${d?.kind ?? "closed"} fd`);
    }
    p.cwd = d.node;
  }

  umask(p: FsProc, step: Step & { call: "umask" }, old: number): void {
    if (old !== p.umask) {
      this.fail(`step ${step.index}: umask returned ${old.toString(8)}, the mask was ` +
        p.umask.toString(8));
    }
    p.umask = step.args.mask & 0o777;
  }

  truncate(p: FsProc, step: Step & { call: "truncate" }): void {
    const w = this.walked(p, AT_FDCWD, step, step.args.path);
    if (!w?.found) return;
    if (w.found.kind !== "reg") return this.fail(`step ${step.index}: truncated a ${w.found.kind}`);
    w.found.size = step.args.length;
  }

  // ---- descriptions: offsets and sizes ----

  /** A description of a regular file or a directory (a FIFO's is shadow.ts's). */
  desc(n: FsNode | null, flags: number, nonblock: boolean): Desc {
    const acc = flags & 3;
    return {
      kind: n?.kind === "dir" ? "dir" : "file", read: acc !== O_WRONLY, write: acc !== 0,
      nonblock, direct: false, pipe: null, refs: 0, node: n ?? undefined, offset: 0,
      append: (flags & O_APPEND) !== 0,
    };
  }

  /** read on a regular file: what it returns is what lies between the offset and the end. */
  read(step: Step, d: Desc, ret: number, count: number): void {
    const n = d.node;
    if (!n || n.kind !== "reg") return;
    const offset = d.offset ?? 0;
    this.checkRead(step, n, offset, count, ret);
    d.offset = offset + ret;
  }

  pread(step: Step & { call: "pread64" }, d: Desc | null, ret: number): void {
    const { offset, count } = step.args;
    if (d?.node?.kind === "reg") this.checkRead(step, d.node, offset, count, ret);
  }

  private checkRead(step: Step, n: FsNode, offset: number, count: number, ret: number): void {
    const want = Math.max(0, Math.min(count, n.size - offset));
    if (ret !== want) {
      this.fail(`step ${step.index}: ${step.call} of ${count} at ${offset} returned ${ret}, ` +
        `the file holding ${n.size} bytes`);
    }
  }

  /** write on a regular file: at the offset, or the end with O_APPEND; the file grows. */
  write(d: Desc, ret: number): void {
    const n = d.node;
    if (!n || n.kind !== "reg" || ret <= 0) return; // nothing written: size and offset stay
    const at = d.append ? n.size : (d.offset ?? 0);
    n.size = Math.max(n.size, at + ret);
    d.offset = at + ret;
  }

  /** pwrite64: at its offset (the end with O_APPEND: Linux's pwrite appends too), the file's
   * offset unchanged. */
  pwrite(step: Step & { call: "pwrite64" }, d: Desc | null, ret: number): void {
    const n = d?.node;
    if (!n || n.kind !== "reg" || ret <= 0) return; // nothing written: the size stays
    const at = d.append ? n.size : step.args.offset;
    n.size = Math.max(n.size, at + ret);
  }

  /** lseek: the offset it returned; SEEK_SET, SEEK_CUR and SEEK_END are checked against the
   * shadow's offset and size (SEEK_DATA and SEEK_HOLE depend on pages the shadow does not
   * follow: their result is taken as it is). */
  lseek(step: Step & { call: "lseek" }, d: Desc | null, ret: number): void {
    if (!d || (d.kind !== "file" && d.kind !== "dir")) return;
    const { offset, whence } = step.args;
    const n = d.node;
    let want: number | null = null;
    if (n?.kind === "reg" && whence === SEEK_SET) want = offset;
    if (n?.kind === "reg" && whence === SEEK_CUR) want = (d.offset ?? 0) + offset;
    if (n?.kind === "reg" && whence === SEEK_END) want = n.size + offset;
    if (want !== null && want !== ret) {
      this.fail(`step ${step.index}: lseek to ${ret}, not ${want} (offset ${d.offset}, ` +
        `size ${n?.size})`);
    }
    d.offset = ret;
  }

  ftruncate(step: Step & { call: "ftruncate" }, d: Desc | null): void {
    const n = d?.node;
    if (n?.kind !== "reg") {
      return this.fail(`step ${step.index}: ftruncate succeeded on a ${n?.kind ?? d?.kind} fd`);
    }
    n.size = step.args.length;
  }

  // ---- for the generator ----

  /** Every named node as a walk from `from` (a working directory, a dirfd's directory) would
   * reach it: relative when below it, else absolute; in a fixed order (depth first, names
   * sorted). */
  paths(from: FsNode): { path: string; node: FsNode }[] {
    const out: { path: string; node: FsNode }[] = [];
    const cwdPath = from.linked ? this.pathOf(from) : null;
    const visit = (dir: FsNode, abs: string) => {
      for (const name of [...dir.entries.keys()].sort()) {
        const n = dir.entries.get(name) as FsNode;
        const path = `${abs}/${name}`;
        const rel = cwdPath === null ? null : relative(cwdPath, path);
        out.push({ path: rel ?? path, node: n });
        if (n.kind === "dir") visit(n, path);
      }
    };
    visit(this.root, "");
    return out;
  }

  /** A named node's absolute path ("" for the root). */
  pathOf(n: FsNode): string {
    let s = "";
    for (let x = n; x !== this.root; x = x.parent) s = `/${x.name}${s}`;
    return s;
  }
}

/** `path` relative to directory `dir` (both absolute, the root ""), or null if not below. */
function relative(dir: string, path: string): string | null {
  return path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : null;
}
