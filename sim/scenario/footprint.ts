// Footprints: the kernel objects a step reads and writes, for partial-order reduction
// (strategies/dpor.ts, docs/verify.md). Two steps by different processes whose footprints do
// not conflict commute: run in either order from the same state, they give the same results
// and an equivalent kernel state (footprint.test.ts checks this on random scenarios).
//
// Objects are named by strings: `proc:P` (process P: its signals, its blocked call; every step
// writes its own), `exit:P` (whether P runs, is stopped or is a zombie: its exit, a kill and a
// waitpid for it write it), `parent:P` (who P's parent is: its parent's exit writes it),
// `children:P` (P's children as waitpid(-1) sees them: which are zombies), `sigchld:P`
// (SIGCHLD sent to P: it matters to P's every step once P catches it), `pipe:N` (the pipe of
// serial N, anonymous or a FIFO's), `fs` (the FIFO namespace and every FIFO's open/close),
// `msq:ID`, `sem:ID`, `shm:ID`, `ipc:msg`, `ipc:sem`, `ipc:shm` (a SysV namespace: keys, ids,
// IPC_RMID), `alloc:pid` (pids handed out in fork order), `mem` (every process's memory,
// together), `time` (the timer queue; the clocks are read as `time` too), and `*`
// (everything: advance steps and calls not described here). A step also writes `proc:P` for
// every process whose call it completes, or that it signals or reaps (events seen while it
// runs); a wake-up whose retry sleeps again changed nothing.
//
// The rules are conservative where a finer one would need the kernel's insight: all memory is
// one object (and a fork or an exit writes it once the process has made a memory call), a
// close or an exit writes every pipe its descriptors name, and a kill of a group or of -1 is
// `*`. /dev/null descriptors are no object: nothing a process can observe depends on them.

import type { Kernel } from "../../wasm/kernel.js";
import type { Step } from "../trace/types.js";

/** How a step accesses an object: reads it, writes it, or adds to it (an update that commutes
 * with other adds, as two exits each add a zombie and a SIGCHLD to their parent). */
const READ = 0;
const WRITE = 1;
const ADD = 2;
type Access = typeof READ | typeof WRITE | typeof ADD;

/** Object name -> how the step accesses it. */
export type Footprint = Map<string, Access>;

const EVERYTHING = "*";
/** Names that mark a step for the reduction (strategies/dpor.ts isJoin), not objects: read
 * only, so they never make two steps conflict. */
export const MARK = "!";
const FILE_NULL = 1; // kernel/file.ts
const FILE_FIFO = 3;
const SIGCHLD = 17;
const NOFILE = 1024; // RLIMIT_NOFILE (kernel/param.ts)

/** Whether two footprints conflict: an object in both, written by at least one, or read by
 * one and added to by the other. */
export function conflicts(a: Footprint, b: Footprint): boolean {
  if (a.has(EVERYTHING) || b.has(EVERYTHING)) return true;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const [o, x] of small) {
    const y = large.get(o);
    if (y !== undefined && x + y !== READ + READ && x + y !== ADD + ADD) return true;
  }
  return false;
}

type Objects = (a: Record<string, number>, pid: number) => [string, Access][];
const W = (...o: string[]): [string, Access][] => o.map((x) => [x, WRITE]);
const CLOCK_READ: Objects = () => [["time", READ]];
const TIMER: Objects = () => W("time");
const SIGNALS: Objects = (_, pid) => W(`sigchld:${pid}`);
const FS: Objects = () => W("fs");
/** Calls whose objects follow from their arguments alone (besides the caller's own). */
const BY_ARGS: Record<string, Objects> = {
  // A pipe's number (its serial, the pool page it takes) is no process's to see: two pipe()
  // calls commute. The fds they return are per process.
  pipe: () => [],
  mkfifo: FS, open: FS, unlink: FS,
  // A given child: that child; any child (-1, 0, a group): which of them are zombies.
  // (A wait for a given child is marked for isJoin: one for any child chooses among them.)
  waitpid: (a, pid) => a.target > 0
    ? [[`exit:${a.target}`, WRITE], [`${MARK}for:${a.target}`, READ]] : W(`children:${pid}`),
  sigaction: SIGNALS, sigprocmask: SIGNALS, sigpending: SIGNALS, pause: SIGNALS,
  sigsuspend: SIGNALS,
  getppid: (_, pid) => [[`parent:${pid}`, READ]],
  msgget: () => W("ipc:msg"),
  msgsnd: (a) => [["ipc:msg", READ], [`msq:${a.msqid}`, WRITE]],
  msgrcv: (a) => [["ipc:msg", READ], [`msq:${a.msqid}`, WRITE]],
  msgctl: (a) => W("ipc:msg", `msq:${a.msqid}`),
  semget: () => W("ipc:sem"),
  semop: (a) => [["ipc:sem", READ], [`sem:${a.semid}`, WRITE]],
  semtimedop: (a) => [["ipc:sem", READ], [`sem:${a.semid}`, WRITE]],
  semctl: (a) => W("ipc:sem", `sem:${a.semid}`),
  shmget: () => W("ipc:shm"),
  shmat: () => W("ipc:shm", "mem"), shmdt: () => W("ipc:shm", "mem"),
  shmctl: () => W("ipc:shm", "mem"),
  mmap: () => W("mem"), munmap: () => W("mem"), store: () => W("mem"), load: () => W("mem"),
  // Atomics write memory; a futex call reads or writes words and the waiters of any word (a
  // shared key reaches every mapper): all of it is `mem`.
  cas: () => W("mem"), xchg: () => W("mem"), fetch_add: () => W("mem"), futex: () => W("mem"),
  clock_gettime: CLOCK_READ, clock_getres: CLOCK_READ, gettimeofday: CLOCK_READ,
  time: CLOCK_READ, getitimer: CLOCK_READ, timer_gettime: CLOCK_READ,
  timer_getoverrun: CLOCK_READ,
  nanosleep: TIMER, clock_nanosleep: TIMER, alarm: TIMER, setitimer: TIMER,
  timer_create: TIMER, timer_settime: TIMER, timer_delete: TIMER,
};

const MEM_CALLS = new Set([
  "mmap", "munmap", "store", "load", "shmat", "shmdt", "cas", "xchg", "fetch_add", "futex",
]);
const TIMER_CALLS = new Set(["alarm", "setitimer", "timer_create", "timer_settime"]);

/** Per-run knowledge the rules need: which processes have used SEM_UNDO on which sets, and
 * each process's children. */
class FootprintState {
  private readonly undo = new Map<number, Set<number>>();
  private readonly children = new Map<number, number[]>();
  /** Processes that made a memory call (or whose parent had, at the fork), that armed a
   * timer, that installed a SIGCHLD handler or blocked SIGCHLD (inherited at fork). */
  private readonly usesMem = new Set<number>();
  private readonly usesTime = new Set<number>();
  private readonly watchesSigchld = new Set<number>();

  /** A fork returned `child` to `parent`. */
  forked(parent: number, child: number): void {
    const c = this.children.get(parent) ?? [];
    c.push(child);
    this.children.set(parent, c);
    if (this.usesMem.has(parent)) this.usesMem.add(child);
    if (this.watchesSigchld.has(parent)) this.watchesSigchld.add(child);
  }

  /** A step is issued: what later footprints need from it (a SEM_UNDO, counted whether or
   * not the operation completes: conservative). */
  private learn(step: Step): void {
    const a = step.args as Record<string, unknown>;
    const pid = step.pid;
    if (MEM_CALLS.has(step.call)) this.usesMem.add(pid);
    if (TIMER_CALLS.has(step.call)) this.usesTime.add(pid);
    // Conservative: any sigaction of SIGCHLD (or any mask change) makes SIGCHLD matter.
    if ((step.call === "sigaction" && a.sig === SIGCHLD) || step.call === "sigprocmask") {
      this.watchesSigchld.add(pid);
    }
    if ((step.call === "semop" || step.call === "semtimedop") && Array.isArray(a.sops)) {
      const SEM_UNDO = 0x1000;
      if ((a.sops as { flags?: number }[]).some((s) => ((s.flags ?? 0) & SEM_UNDO) !== 0)) {
        const u = this.undo.get(step.pid) ?? new Set<number>();
        u.add(a.semid as number);
        this.undo.set(step.pid, u);
      }
    }
  }

  /** The footprint of `step`, read from the kernel before it runs. */
  before(k: Kernel, step: Step): Footprint {
    const f: Footprint = new Map();
    const pid = step.pid;
    if (step.call === "advance") return f.set(EVERYTHING, WRITE);
    this.learn(step);
    f.set(`proc:${pid}`, WRITE);
    if (this.watchesSigchld.has(pid)) f.set(`sigchld:${pid}`, WRITE);
    const a = step.args as Record<string, number>;
    const byArgs = BY_ARGS[step.call];
    if (byArgs) {
      for (const [o, x] of byArgs(a, pid)) if (x === WRITE || !f.has(o)) f.set(o, x);
      return f;
    }
    const w = (o: string): void => void f.set(o, WRITE);
    switch (step.call) {
      case "read": case "write": case "close": case "dup": case "fcntl":
        this.fdObject(k, pid, a.fd, f);
        break;
      case "dup2":
        this.fdObject(k, pid, a.oldfd, f);
        this.fdObject(k, pid, a.newfd, f);
        break;
      case "fork":
        w("alloc:pid");
        if (this.usesMem.has(pid)) w("mem");
        this.allFds(k, pid, f);
        break;
      case "exit":
        this.exitObjects(k, pid, f);
        break;
      case "kill": case "sigqueue":
        if (a.target > 0) {
          w(`proc:${a.target}`);
          w(`sig:${a.target}`);
          w(`exit:${a.target}`); // it may stop, continue or kill it
        } else {
          w(EVERYTHING);
        }
        break;
      default:
        w(EVERYTHING);
    }
    return f;
  }

  /** Its parent gets a zombie and SIGCHLD (adds: two exits commute); its children a new parent
   * (getppid). Waking a parent asleep in waitpid writes the parent too (FootprintRecorder). */
  private exitObjects(k: Kernel, pid: number, f: Footprint): void {
    const parent = k.x.k_proc_parent(pid);
    f.set(`exit:${pid}`, WRITE);
    f.set(`parent:${pid}`, READ);
    f.set(`children:${parent}`, ADD);
    f.set(`sigchld:${parent}`, ADD);
    for (const c of this.children.get(pid) ?? []) f.set(`parent:${c}`, WRITE);
    if (this.usesMem.has(pid)) f.set("mem", WRITE);
    if (this.usesTime.has(pid)) f.set("time", WRITE);
    this.allFds(k, pid, f);
    for (const id of this.undo.get(pid) ?? []) f.set(`sem:${id}`, WRITE);
  }

  /** The object descriptor `fd` of `pid` names (its pipe, and the FIFO namespace for a FIFO):
   * written, as a read or write moves bytes, a close may end a pipe, and fcntl and dup change
   * a description others may share. */
  private fdObject(k: Kernel, pid: number, fd: number, f: Footprint): void {
    const file = typeof fd === "number" && fd >= 0 && fd < NOFILE ? k.x.k_fd_file(pid, fd) : -1;
    if (file < 0 || k.x.k_file_kind(file) === FILE_NULL) return;
    // By serial: a pipe's index is reused once it is freed, its serial never.
    const pipe = k.x.k_file_pipe(file);
    f.set(pipe >= 0 ? `pipe:${k.x.k_pipe_serial(pipe)}` : `file:${file}`, WRITE);
    if (k.x.k_file_kind(file) === FILE_FIFO) f.set("fs", WRITE);
  }

  private allFds(k: Kernel, pid: number, f: Footprint): void {
    for (let fd = 0; fd < NOFILE; fd++) this.fdObject(k, pid, fd, f);
  }
}

/** What the scheduler calls around each step when a strategy observes footprints
 * (Strategy.observe): the footprint read before the step, the processes its events touched
 * while it ran, and the fork's child. */
export class FootprintRecorder {
  private readonly state = new FootprintState();
  private current: Footprint | null = null;
  /** The footprint of the step in which each sleeping process's call went to sleep. */
  private readonly asleep = new Map<number, Footprint>();

  constructor(
    private readonly k: Kernel,
    private readonly observe: (pid: number, fp: Footprint, step: number) => void,
  ) {}

  begin(step: Step): void {
    this.current = this.state.before(this.k, step);
  }

  /** The running step signalled, stopped, continued or reaped `pid`. */
  touch(pid: number): void {
    this.current?.set(`proc:${pid}`, WRITE);
    this.current?.set(`sig:${pid}`, WRITE);
    this.current?.set(`exit:${pid}`, WRITE);
  }

  /** The running step woke `pid`, and its call, asleep since an earlier step, returned: this
   * step did what that call does (its objects), and it reads `sig:P` (a signal sent to P
   * before it makes the call end in EINTR instead). Not `proc:P`: P's later steps are ordered
   * after this one as they are after a fork (strategies/dpor.ts `enables`), and P's earlier
   * ones before its call slept, as any run has them. */
  retried(pid: number): void {
    const f = this.current;
    if (f === null) return;
    for (const [o, x] of this.asleep.get(pid) ?? []) {
      if (o.startsWith(MARK) || o === `proc:${pid}` || o === `exit:${pid}`) continue;
      const y = f.get(o);
      f.set(o, y === undefined || y === x ? x : WRITE);
    }
    this.asleep.delete(pid);
    if (!f.has(`sig:${pid}`)) f.set(`sig:${pid}`, READ);
  }

  /** The running step completed `pid`'s call, which had blocked in an earlier step. */
  completes(pid: number): void {
    this.current?.set(`${MARK}completes:${pid}`, READ);
  }

  /** The step ran: its result ("blocked" when the call sleeps at the step's end). */
  end(step: Step, result: unknown): void {
    const f = this.current;
    if (f === null) return;
    this.current = null;
    if (result === "blocked") {
      f.set(`${MARK}blocked`, READ);
      this.asleep.set(step.pid, f);
    }
    const ret = (result as { ret?: unknown } | undefined)?.ret;
    if (step.call === "waitpid") f.set(`${MARK}waitpid`, READ);
    if (step.call === "waitpid" && typeof ret === "number" && ret > 0) {
      f.set(`${MARK}reaps:${ret}`, READ);
    }
    if (step.call === "exit") f.set(`${MARK}exit`, READ);
    if (step.call === "fork" && typeof ret === "number" && ret > 0) {
      f.set(`proc:${ret}`, WRITE);
      f.set(`exit:${ret}`, WRITE);
      f.set(`${MARK}starts:${ret}`, READ);
      this.state.forked(step.pid, ret);
    }
    this.observe(step.pid, f, step.index);
  }
}
