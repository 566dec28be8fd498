// A shadow of the state a trace builds, kept from the trace's steps and outcomes alone (never
// from kernel memory): which processes exist, which descriptors each one holds and what they
// name (the null device, a pipe end, a FIFO end, a regular file or directory and its offset),
// the directory tree with its files and FIFOs (files-shadow.ts), each process's working
// directory and umask, which pipe instance every descriptor reaches, the SysV queue and
// semaphore set ids that exist, the virtual clock (the sum of the advance steps) and each
// process's POSIX timers. The trace generator
// reads it to aim arguments (a read at a read end, a msgsnd at a queue); the pipe property
// reads it to know which pipe each read and write went through.
//
// It follows Linux's rules, independently of the kernel: lowest free descriptor, shared open
// file descriptions (fork, dup), a pipe living while any file on it is open (a blocked FIFO open
// holds one, fs/pipe.c:fifo_open), a FIFO name and its pipe parting at unlink. In strict mode an
// outcome that breaks one of them is a ShadowError: the kernel and the shadow disagree, and the
// step is the bug report.

import { FLAGS } from "../wasm/abi.js";
import type { CallName } from "../wasm/calls.js";
import type { Outcome, Result, Step } from "../sim/trace/types.js";
import { MemShadow } from "./mem-shadow.js";
import { FsShadow, type FsNode, type FsProc } from "./files-shadow.js";

class ShadowError extends Error {
  override name = "ShadowError";
}

/** One pipe, anonymous or a FIFO's, from its creation until its last file goes. */
export interface PipeInstance {
  id: number;
  fifo: string | null;
  /** Open file descriptions on it, a pending FIFO open's included (pipe->files). */
  files: number;
  /** The FIFO's node (null for an anonymous pipe): its `pipe` goes with the last file. */
  node: FsNode | null;
}

/** An open file description (struct file): what descriptors name, shared by dup and fork. */
export interface Desc {
  kind: "null" | "pipe" | "fifo" | "mq" | "file" | "dir" | "signalfd" | "socket" | "epoll";
  read: boolean;
  write: boolean;
  nonblock: boolean;
  /** O_DIRECT on a pipe's write end: packet mode. */
  direct: boolean;
  pipe: PipeInstance | null;
  /** Descriptors naming it; 0 while a FIFO open that holds it is blocked. */
  refs: number;
  /** What a "file", "dir" or "fifo" description opened (a "file" the shadow could not name:
   * none). */
  node?: FsNode;
  /** A "file" or "dir" description's offset (f_pos), and O_APPEND. */
  offset?: number;
  append?: boolean;
}

/** How the shadow saw a call when it was issued (the descriptor it named, then). */
interface IssueInfo {
  desc: Desc | null;
  pipe: PipeInstance | null;
  nonblock: boolean;
  direct: boolean;
}

interface Pending {
  step: Step;
  info: IssueInfo;
  /** A blocked FIFO open's description (counted on the pipe, installed when it completes). */
  opening: Desc | null;
}

interface ProcShadow extends FsProc {
  parent: number;
  state: "live" | "zombie";
  pending: Pending | null;
  /** Stopped by a signal (a `stop` event), until a `cont` event. */
  stopped?: boolean;
  /** Its POSIX timers (timer_create's ids, not inherited by a fork) and their clocks. */
  timers?: Map<number, number>;
  /** Open `calls` handler frames, each with the call it put aside (null: none), oldest first. */
  aside?: (Pending | null)[];
}

/** A call that ended: `result` null when its caller was killed inside it (no return). */
export interface Completion {
  step: Step;
  pid: number;
  result: Result | null;
  info: IssueInfo;
}

const { O_NONBLOCK, O_DIRECT, O_WRONLY, O_RDWR, O_CREAT, O_APPEND } = FLAGS.open;
const { AT_REMOVEDIR } = FLAGS.at;
const AT_FDCWD = -100;
const { F_SETFL, F_DUPFD, F_DUPFD_CLOEXEC } = FLAGS.fcntl;
const { IPC_RMID } = FLAGS.ipcctl;
const NOFILE = 1024;
const INIT = 1;

/** A socket's description, O_NONBLOCK from SOCK_NONBLOCK in `flags`. */
function sockDesc(flags: number): Desc {
  const nonblock = (flags & O_NONBLOCK) !== 0;
  return { kind: "socket", read: true, write: true, nonblock, direct: false, pipe: null, refs: 0 };
}

export class Shadow {
  readonly procs = new Map<number, ProcShadow>();
  /** The directory tree, its regular files and FIFOs (files-shadow.ts). */
  readonly fs = new FsShadow((m) => this.fail(m));
  /** SysV message queue ids that exist (msgget's, less those IPC_RMID removed). */
  readonly msqids = new Set<number>();
  /** POSIX message queue names that exist (mq_open O_CREAT's, less mq_unlink's). */
  readonly mqueues = new Set<string>();
  /** SysV semaphore set ids that exist, with their number of semaphores when created. */
  readonly semids = new Map<number, number>();
  /** SysV segments and each process's mappings (mem-shadow.ts). */
  readonly mem = new MemShadow();
  /** The monotonic clock in nanoseconds: time passes only in advance steps. */
  clockNs = 0;
  private pipes = 0;

  /** strict: throw a ShadowError when an outcome breaks a rule; otherwise follow it as best
   * it can (the generator, whose shadow may mix outcomes of different branches). */
  constructor(readonly strict: boolean) {
    const devnull: Desc = {
      kind: "null", read: true, write: true, nonblock: false, direct: false, pipe: null, refs: 3,
    };
    const fds = new Map([[0, devnull], [1, devnull], [2, devnull]]);
    this.procs.set(2, {
      pid: 2, parent: INIT, state: "live", fds, pending: null, cwd: this.fs.root, umask: 0,
    });
  }

  /** Follow one step and its outcome; returns the calls that ended in it, in order. */
  apply(step: Step, outcome: Outcome): Completion[] {
    if (step.call === "advance") {
      this.clockNs += step.args.by.sec * 1e9 + step.args.by.nsec;
      return this.applyEvents(step, outcome);
    }
    const p = this.procs.get(step.pid);
    if (!p || p.state !== "live" || p.pending) {
      this.fail(`step ${step.index}: pid ${step.pid} is not an idle live process`);
      return [];
    }
    const done: Completion[] = [];
    const info = issueInfo(p, step);
    if (step.call === "sigreturn") {
      // The handler returns: the call its frame put aside is the process's again.
      p.pending = p.aside?.pop() ?? null;
      return this.applyEvents(step, outcome);
    }
    if (outcome.result === "blocked") {
      p.pending = { step, info, opening: this.openBlocked(p, step) };
    } else if (outcome.result === undefined) {
      p.pending = { step, info, opening: null }; // exit, or killed: its exit event follows
    } else {
      done.push(this.complete(p, step, info, outcome.result, null));
    }
    return [...done, ...this.applyEvents(step, outcome)];
  }

  /** Is pid running a `calls` handler? */
  inHandler(pid: number): boolean {
    return (this.procs.get(pid)?.aside?.length ?? 0) > 0;
  }

  /** Follow a step's events: wakes, stops, continues and exits; then frames that opened (a
   * `calls` handler puts aside the call its process was in). */
  private applyEvents(step: Step, outcome: Outcome): Completion[] {
    const done = this.applyOthers(step, outcome);
    for (const e of outcome.events) {
      const q = "signal" in e && e.frame ? this.procs.get(e.pid) : undefined;
      if (!q || q.state !== "live") continue;
      (q.aside ??= []).push(q.pending);
      q.pending = null;
    }
    return done;
  }

  private applyOthers(step: Step, outcome: Outcome): Completion[] {
    const done: Completion[] = [];
    for (const e of outcome.events) {
      if ("wake" in e) {
        const q = this.procs.get(e.wake);
        if (!q?.pending || q.pending.step.index !== e.step) {
          this.fail(`step ${step.index}: wake of pid ${e.wake} at step ${e.step}, ` +
            "which it is not blocked in");
          continue;
        }
        const { step: s, info: i, opening } = q.pending;
        q.pending = null;
        done.push(this.complete(q, s, i, e.result, opening));
      } else if ("stop" in e || "cont" in e) {
        const q = this.procs.get("stop" in e ? e.stop : e.cont);
        if (q) q.stopped = "stop" in e;
      } else if ("exit" in e) {
        const q = this.procs.get(e.exit);
        if (!q || q.state !== "live") {
          this.fail(`step ${step.index}: exit of pid ${e.exit}, which is not alive`);
          continue;
        }
        for (const x of [q.pending, ...(q.aside ?? [])]) {
          if (x && x.step.call !== "exit") {
            done.push({ step: x.step, pid: q.pid, result: null, info: x.info });
          }
        }
        this.exit(q);
      }
    }
    return done;
  }

  /** Every name in the tree as pid would write it (files-shadow.ts paths), from its working
   * directory or from `from`. */
  pathsOf(pid: number, from?: FsNode): { path: string; node: FsNode }[] {
    const p = this.procs.get(pid);
    return p ? this.fs.paths(from ?? p.cwd) : [];
  }

  /** A process's descriptors, in fd order. */
  fdsOf(pid: number): [number, Desc][] {
    const p = this.procs.get(pid);
    return p ? [...p.fds].sort((a, b) => a[0] - b[0]) : [];
  }

  /** Children of pid that have not been reaped, in pid order. */
  childrenOf(pid: number): number[] {
    const children = [...this.procs.values()].filter((c) => c.parent === pid);
    return children.map((c) => c.pid).sort((a, b) => a - b);
  }

  lowestFreeFd(p: ProcShadow, min = 0): number {
    for (let fd = min; fd < NOFILE; fd++) if (!p.fds.has(fd)) return fd;
    return -1;
  }

  private fail(message: string): void {
    if (this.strict) throw new ShadowError(message);
  }

  // ---- completions ----

  /** What each completed call the shadow models changes (a typed map, partial on purpose: the
   * shadow follows descriptors, processes and SysV ids; other calls change none of them). */
  private readonly follow: { readonly [C in CallName]?: Follow<C> } = {
    fork: ({ p, ret }) => this.fork(p, ret),
    waitpid: ({ p, step, ret, r }) => {
      if (ret > 0 && !stopOrCont(r)) this.reap(p, ret, step);
    },
    close: ({ p, step }) => this.close(p, step.args.fd, step),
    dup: ({ p, step, ret, info }) => this.install(p, ret, info.desc, step, 0),
    dup2: ({ p, step, ret, info }) => {
      if (step.args.oldfd !== step.args.newfd) this.install(p, ret, info.desc, step, -1);
    },
    fcntl: ({ p, step, ret, info }) => this.fcntl(p, step, ret, info),
    pipe: ({ p, step, r }) => this.pipe(p, step, r.fds),
    open: ({ p, step, ret, opening }) => this.opened(p, step, AT_FDCWD, ret, opening),
    openat: ({ p, step, ret, opening }) => this.opened(p, step, step.args.dirfd, ret, opening),
    mkfifo: ({ p, step }) => void this.fs.mkfifo(p, step),
    unlink: ({ p, step }) => this.fs.remove(p, AT_FDCWD, step, step.args.path, false),
    unlinkat: ({ p, step }) => this.fs.remove(p, step.args.dirfd, step, step.args.path,
      (step.args.flags & AT_REMOVEDIR) !== 0),
    mkdir: ({ p, step }) => this.fs.mkdir(p, step),
    rmdir: ({ p, step }) => this.fs.remove(p, AT_FDCWD, step, step.args.path, true),
    chdir: ({ p, step }) => this.fs.chdir(p, step),
    mkdirat: ({ p, step }) => this.fs.mkdir(p, step, step.args.dirfd),
    rename: ({ p, step }) => this.fs.rename(p, step),
    renameat: ({ p, step }) => this.fs.rename(p, step),
    renameat2: ({ p, step }) => this.fs.rename(p, step),
    link: () => void (this.fs.lost = true),
    linkat: () => void (this.fs.lost = true),
    symlink: () => void (this.fs.lost = true),
    symlinkat: () => void (this.fs.lost = true),
    fchdir: ({ p, step, info }) => this.fs.fchdir(p, step, info.desc),
    umask: ({ p, step, ret }) => this.fs.umask(p, step, ret),
    truncate: ({ p, step }) => this.fs.truncate(p, step),
    ftruncate: ({ step, info }) => this.fs.ftruncate(step, info.desc),
    read: ({ step, ret, info }) =>
      void (info.desc && this.fs.read(step, info.desc, ret, step.args.count)),
    readv: ({ step, ret, info }) => void (info.desc &&
      this.fs.read(step, info.desc, ret, step.args.counts.reduce((a, b) => a + b, 0))),
    write: ({ ret, info }) => void (info.desc && this.fs.write(info.desc, ret)),
    writev: ({ ret, info }) => void (info.desc && this.fs.write(info.desc, ret)),
    pread64: ({ step, ret, info }) => this.fs.pread(step, info.desc, ret),
    pwrite64: ({ step, ret, info }) => this.fs.pwrite(step, info.desc, ret),
    lseek: ({ step, ret, info }) => this.fs.lseek(step, info.desc, ret),
    msgget: ({ ret }) => void this.msqids.add(ret),
    msgctl: ({ step }) => {
      if (step.args.cmd === IPC_RMID) this.msqids.delete(step.args.msqid);
    },
    semget: ({ ret, step }) => {
      if (!this.semids.has(ret)) this.semids.set(ret, step.args.nsems);
    },
    semctl: ({ step }) => {
      if (step.args.cmd === IPC_RMID) this.semids.delete(step.args.semid);
    },
    timer_create: ({ p, step, r }) => {
      if (r.timerid !== undefined) (p.timers ??= new Map()).set(r.timerid, step.args.clock);
    },
    timer_delete: ({ p, step }) => void p.timers?.delete(step.args.timerid),
    mq_open: ({ p, step, ret }) => this.mqOpened(p, step, ret),
    // A new signalfd: a description of its own at the lowest free fd (a mask change: none).
    signalfd4: ({ p, step, ret }) => {
      if (step.args.fd !== -1) return;
      const nonblock = (step.args.flags & O_NONBLOCK) !== 0;
      const d: Desc = {
        kind: "signalfd", read: true, write: true, nonblock, direct: false, pipe: null, refs: 0,
      };
      this.install(p, ret, d, step, 0);
    },
    mq_unlink: ({ step }) => void this.mqueues.delete(step.args.name),
    // A new epoll: a description of its own at the lowest free fd.
    epoll_create1: ({ p, step, ret }) => {
      const d: Desc = {
        kind: "epoll", read: true, write: true, nonblock: false, direct: false, pipe: null, refs: 0,
      };
      this.install(p, ret, d, step, 0);
    },
    socketpair: ({ p, step, r }) => this.socketpair(p, step, r.fds),
    // A new socket (socket, accept4): a description of its own at the lowest free fd.
    socket: ({ p, step, ret }) => this.install(p, ret, sockDesc(step.args.type), step, 0),
    accept4: ({ p, step, ret }) => this.install(p, ret, sockDesc(step.args.flags), step, 0),
  };

  /** Two sockets, each a description of its own, at the fds the result names. */
  private socketpair(
    p: ProcShadow, step: Step & { call: "socketpair" }, fds?: [number, number],
  ): void {
    if (!fds) return this.fail(`step ${step.index}: socketpair succeeded without fds`);
    const nonblock = (step.args.type & O_NONBLOCK) !== 0;
    for (const fd of fds) {
      const d: Desc = {
        kind: "socket", read: true, write: true, nonblock, direct: false, pipe: null, refs: 0,
      };
      this.install(p, fd, d, step, 0);
    }
  }

  /** A queue descriptor: a description of its own, at the lowest free fd. */
  private mqOpened(p: ProcShadow, step: Step & { call: "mq_open" }, fd: number): void {
    const { flags } = step.args;
    if ((flags & O_CREAT) !== 0) this.mqueues.add(step.args.name);
    const acc = flags & 3;
    const d: Desc = {
      kind: "mq", read: acc !== O_WRONLY, write: acc !== 0, nonblock: (flags & O_NONBLOCK) !== 0,
      direct: false, pipe: null, refs: 0,
    };
    this.install(p, fd, d, step, 0);
  }

  private complete(
    p: ProcShadow, step: Step, info: IssueInfo, r: Result, opening: Desc | null,
  ): Completion {
    const done: Completion = { step, pid: p.pid, result: r, info };
    if (r === "blocked") {
      this.fail(`step ${step.index}: a completed call reported "blocked"`);
      return done;
    }
    this.mem.complete(p.pid, step, r);
    const ret = typeof r.ret === "number" ? r.ret : -1;
    if (ret < 0) {
      if (opening) this.detach(opening);
      return done;
    }
    const follow = this.follow[step.call] as Follow<CallName> | undefined;
    follow?.({ p, step, ret, r, info, opening });
    return done;
  }

  private fork(p: ProcShadow, child: number): void {
    const fds = new Map(p.fds);
    for (const d of fds.values()) d.refs++;
    this.procs.set(child, {
      pid: child, parent: p.pid, state: "live", fds, pending: null, cwd: p.cwd, umask: p.umask,
    });
    this.mem.fork(p.pid, child);
  }

  private reap(p: ProcShadow, child: number, step: Step): void {
    const c = this.procs.get(child);
    if (!c || c.parent !== p.pid || c.state !== "zombie") {
      this.fail(`step ${step.index}: waitpid reaped ${child}, not a zombie child of ${p.pid}`);
    }
    this.procs.delete(child);
  }

  private close(p: ProcShadow, fd: number, step: Step): void {
    const d = p.fds.get(fd);
    if (!d) return this.fail(`step ${step.index}: close(${fd}) succeeded on a closed descriptor`);
    p.fds.delete(fd);
    this.unref(d);
  }

  /** Point fd at d. `lowest`: the fd must be the lowest free one >= it (-1: any). */
  private install(p: ProcShadow, fd: number, d: Desc | null, step: Step, lowest: number): void {
    if (!d) return this.fail(`step ${step.index}: ${step.call} succeeded on a closed descriptor`);
    if (lowest >= 0 && fd !== this.lowestFreeFd(p, lowest)) {
      const want = this.lowestFreeFd(p, lowest);
      this.fail(`step ${step.index}: ${step.call} returned fd ${fd}, not the lowest free ${want}`);
    }
    const old = p.fds.get(fd);
    p.fds.set(fd, d);
    d.refs++;
    if (old) this.unref(old);
  }

  private fcntl(p: ProcShadow, step: Step & { call: "fcntl" }, ret: number, info: IssueInfo): void {
    const { cmd } = step.args;
    const arg = typeof step.args.arg === "number" ? step.args.arg : 0; // f_owner_ex: not an fd
    if (cmd === F_DUPFD || cmd === F_DUPFD_CLOEXEC) this.install(p, ret, info.desc, step, arg);
    if (cmd === F_SETFL && info.desc) {
      info.desc.nonblock = (arg & O_NONBLOCK) !== 0;
      info.desc.direct = (arg & O_DIRECT) !== 0;
      info.desc.append = (arg & O_APPEND) !== 0;
    }
  }

  private pipe(p: ProcShadow, step: Step & { call: "pipe" }, fds?: [number, number]): void {
    if (!fds) return this.fail(`step ${step.index}: pipe succeeded without fds`);
    const r = this.lowestFreeFd(p);
    const w = this.lowestFreeFd(p, r + 1);
    if (fds[0] !== r || fds[1] !== w) {
      this.fail(`step ${step.index}: pipe gave [${fds}], not the lowest free [${r}, ${w}]`);
    }
    const flags = step.args.flags;
    const pi = this.newPipe(null);
    const nonblock = (flags & O_NONBLOCK) !== 0;
    const rd = this.attach(pi, { kind: "pipe", read: true, write: false, nonblock, direct: false });
    const direct = (flags & O_DIRECT) !== 0;
    const wr = this.attach(pi, { kind: "pipe", read: false, write: true, nonblock, direct });
    this.install(p, fds[0], rd, step, -1);
    this.install(p, fds[1], wr, step, -1);
  }

  // ---- opens ----

  /** A FIFO's description on its node's pipe (made if the pipe is gone). */
  private fifoDesc(n: FsNode, flags: number): Desc {
    n.pipe ??= this.newPipe(n);
    const acc = flags & 3;
    const d = this.attach(n.pipe, {
      kind: "fifo",
      read: acc !== O_WRONLY,
      write: acc === O_WRONLY || acc === O_RDWR,
      nonblock: (flags & O_NONBLOCK) !== 0,
      direct: (flags & O_DIRECT) !== 0,
    });
    d.node = n;
    return d;
  }

  /** A blocked open's description: only a FIFO's open waits (fifo_open, wait_for_partner). */
  private openBlocked(p: ProcShadow, step: Step): Desc | null {
    if (step.call !== "open" && step.call !== "openat") return null;
    const dirfd = step.call === "openat" ? step.args.dirfd : AT_FDCWD;
    const w = this.fs.walk(p, dirfd, step.args.path);
    const n = typeof w === "string" ? null : w.found;
    if (n?.kind !== "fifo") {
      if (this.fs.lost) return null; // links and symlinks: the walk may not be Linux's
      this.fail(`step ${step.index}: ${step.call}("${step.args.path}") blocked, but names ` +
        `${n ? `a ${n.kind}` : "nothing"}`);
      return null;
    }
    return this.fifoDesc(n, step.args.flags);
  }

  /** An open returned fd. A blocked one completes on the FIFO it waited on, unless a signal
   * restarted it (arch_do_signal_or_restart: from scratch, the walk again) and the name now
   * names another node: a regular file its O_CREAT made once the FIFO was unlinked, or a new
   * FIFO. The shadow cannot see the restart (a stop and continue makes one with no event),
   * so it walks the path again at the completion and follows what it names. */
  private opened(
    p: ProcShadow, step: Step & { call: "open" | "openat" }, dirfd: number, fd: number,
    opening: Desc | null,
  ): void {
    const { path, flags } = step.args;
    const n = this.fs.opened(p, dirfd, step, path, flags);
    let d = opening;
    if (!opening || opening.node !== n) {
      if (opening) this.detach(opening);
      const nonblock = (flags & O_NONBLOCK) !== 0;
      d = n?.kind === "fifo" ? this.fifoDesc(n, flags) : this.fs.desc(n, flags, nonblock);
    }
    this.install(p, fd, d, step, 0);
  }

  // ---- lifetimes ----

  private newPipe(node: FsNode | null): PipeInstance {
    return { id: this.pipes++, fifo: node ? this.fs.pathOf(node) : null, files: 0, node };
  }

  private attach(pi: PipeInstance, d: Omit<Desc, "pipe" | "refs">): Desc {
    pi.files++;
    return { ...d, pipe: pi, refs: 0 };
  }

  private unref(d: Desc): void {
    d.refs--;
    if (d.refs === 0) this.detach(d);
  }

  /** The description is gone (last descriptor closed, or a pending open failed). */
  private detach(d: Desc): void {
    const pi = d.pipe;
    if (!pi) return;
    pi.files--;
    if (pi.files > 0 || pi.node === null) return;
    pi.node.pipe = null;
  }

  private exit(p: ProcShadow): void {
    for (const d of p.fds.values()) this.unref(d);
    p.fds.clear();
    this.mem.exit(p.pid);
    p.timers = undefined;
    for (const q of [p.pending, ...(p.aside ?? [])]) if (q?.opening) this.detach(q.opening);
    p.pending = null;
    p.aside = undefined;
    p.state = "zombie";
    for (const c of this.procs.values()) {
      if (c.parent !== p.pid) continue;
      c.parent = INIT;
      if (c.state === "zombie") this.procs.delete(c.pid); // init reaps at once
    }
    if (p.parent === INIT) this.procs.delete(p.pid);
  }
}

/** A waitpid result that reports a stop or a continue (WUNTRACED, WCONTINUED): no reaping. */
function stopOrCont(r: Result): boolean {
  const s = typeof r === "object" ? r.status : undefined;
  return s !== undefined && ("stopped" in s || "continued" in s);
}

function issueInfo(p: ProcShadow, step: Step): IssueInfo {
  const fd = "fd" in step.args ? step.args.fd : "oldfd" in step.args ? step.args.oldfd : undefined;
  const desc = fd === undefined ? null : (p.fds.get(fd) ?? null);
  return {
    desc,
    pipe: desc?.pipe ?? null,
    nonblock: desc?.nonblock ?? false,
    direct: desc?.direct ?? false,
  };
}

/** What following one completed call sees. */
interface Completed<C extends CallName> {
  p: ProcShadow;
  step: Extract<Step, { call: C }>;
  ret: number;
  r: Exclude<Result, "blocked">;
  info: IssueInfo;
  opening: Desc | null;
}
type Follow<C extends CallName> = (c: Completed<C>) => void;
