// What the simulator learns from the calls it records, besides the kernel's own state: where
// each descriptor came from (for deadlock explanations: "fd 4, inherited at fork"), which
// addresses each process got from shmat/mmap (so the recorded trace names them as
// {"ref": step, "offset": n}), which children were reaped (the zombie check), what each process
// did to each semaphore (who "holds" one), and how many bytes went into and out of each pipe
// (the drained check), and which timers each process armed, periodic ones with their period
// (the livelock explanation: what keeps firing). Updated from completed calls only; nothing
// here touches the kernel but cheap reads of its fd table.

import { FLAGS, PROC_STATE } from "../../wasm/abi.js";
import { CALL_NAMES, callSpec, type CallName } from "../../wasm/calls.js";
import type { Kernel } from "../../wasm/kernel.js";
import type { StepOf } from "../model/calls.js";
import type { IntArg, Result, Step } from "../trace/types.js";

interface Region {
  base: number;
  length: number;
  step: number;
}

/** Per-process bookkeeping, copied at fork. */
class ProcTrack {
  /** fd -> how it came to be ("pipe() at step 3", ...). */
  fds = new Map<number, string>();
  regions: Region[] = [];
  /** Children forked, and those reaped by waitpid. */
  children: number[] = [];
  reaped = new Set<number>();
  exited = false;
  /** It exited and stayed a zombie (not reaped at once by init or an ignored SIGCHLD). */
  zombie = false;

  /** A copy that shares nothing mutable with this one. */
  clone(): ProcTrack {
    const c = new ProcTrack();
    c.fds = new Map(this.fds);
    c.regions = this.regions.slice();
    c.children = this.children.slice();
    c.reaped = new Set(this.reaped);
    c.exited = this.exited;
    c.zombie = this.zombie;
    return c;
  }

  forkCopy(): ProcTrack {
    const c = new ProcTrack();
    for (const [fd, how] of this.fds) {
      c.fds.set(fd, how.endsWith("inherited at fork") ? how : `${how}, inherited at fork`);
    }
    c.regions = this.regions.slice();
    return c;
  }
}

export interface PipeTrack {
  /** The kernel's serial (k_pipe_serial): "pipe #no" in every view. */
  no: number;
  /** The step that created it. */
  step: number;
  written: number;
  read: number;
}

const PROC_ZOMBIE = PROC_STATE.ZOMBIE;
/** Each call's address arguments (kind `addr`): recorded as refs to the region they fall in. */
const ADDR_FIELDS = new Map<CallName, readonly string[]>(
  CALL_NAMES.map((c) => [c, callSpec(c).args.filter((a) => a.kind === "addr").map((a) => a.name)]),
);

type Ok = Exclude<Result, "blocked">;
type Completion<C extends CallName> = (t: Tracker, pid: number, step: StepOf<C>, r: Ok) => void;

const { F_DUPFD, F_DUPFD_CLOEXEC } = FLAGS.fcntl;

/** What a completed call teaches the tracker, for the calls that teach it something. */
const COMPLETED: { readonly [C in CallName]?: Completion<C> } = {
  pipe: (t, pid, step, r) => t.onPipe(pid, step, r.fds!),
  dup: (t, pid, step, r) => t.fdFrom(pid, r, `dup of fd ${step.args.fd} at step ${step.index}`),
  dup2: (t, pid, step, r) => t.fdFrom(pid, r, `dup of fd ${step.args.oldfd} at step ${step.index}`),
  fcntl: (t, pid, step, r) => {
    if (step.args.cmd !== F_DUPFD && step.args.cmd !== F_DUPFD_CLOEXEC) return;
    t.fdFrom(pid, r, `F_DUPFD of fd ${step.args.fd} at step ${step.index}`);
  },
  open: (t, pid, step, r) => t.fdFrom(pid, r, `open("${step.args.path}") at step ${step.index}`),
  close: (t, pid, step) => void t.proc(pid).fds.delete(step.args.fd),
  waitpid: (t, pid, _step, r) => {
    if ((r.ret as number) > 0) t.proc(pid).reaped.add(r.ret as number);
  },
  shmget: (t, _pid, step, r) => t.shmSize.set(r.ret as number, step.args.size),
  shmat: (t, pid, step, r) => {
    const length = t.shmSize.get(step.args.shmid) ?? 0x7fffffff;
    t.proc(pid).regions.push({ base: r.ret as number, length, step: step.index });
  },
  mmap: (t, pid, step, r) => {
    t.proc(pid).regions.push({ base: r.ret as number, length: step.args.length, step: step.index });
  },
  semop: (t, pid, step) => t.onSemop(pid, step.args.semid, step.args.sops),
  semtimedop: (t, pid, step) => t.onSemop(pid, step.args.semid, step.args.sops),
  alarm: (t, pid, step) => {
    const what = `ITIMER_REAL (alarm(${step.args.seconds}) at step ${step.index})`;
    t.armed(`${pid} real`, step.args.seconds === 0 ? null : { pid, what, intervalNs: 0 });
  },
  setitimer: (t, pid, step) => {
    if (step.args.which !== ITIMER_REAL) return;
    const v = step.args.value;
    const what = `ITIMER_REAL (setitimer at step ${step.index})`;
    const on = v !== null && usecNs(v.value) > 0;
    t.armed(`${pid} real`, on ? { pid, what, intervalNs: usecNs(v.interval) } : null);
  },
  timer_create: (t, pid, step, r) => void t.posixTimers.set(`${pid} ${r.timerid}`, step.index),
  timer_settime: (t, pid, step) => {
    const v = step.args.value;
    const key = `${pid} ${step.args.timerid}`;
    const created = t.posixTimers.get(key);
    const what = `POSIX timer ${step.args.timerid} (timer_create at step ${created}, ` +
      `timer_settime at step ${step.index})`;
    const on = v !== null && nsecNs(v.value) > 0;
    t.armed(key, on ? { pid, what, intervalNs: nsecNs(v.interval) } : null);
  },
  timer_delete: (t, pid, step) => {
    t.posixTimers.delete(`${pid} ${step.args.timerid}`);
    t.armed(`${pid} ${step.args.timerid}`, null);
  },
};

const ITIMER_REAL = 0;
const usecNs = (t: { sec: number; usec: number }): number => t.sec * 1e9 + t.usec * 1e3;
const nsecNs = (t: { sec: number; nsec: number }): number => t.sec * 1e9 + t.nsec;

/** A timer a process armed (it may have fired since, unless periodic). */
interface ArmedTimer {
  pid: number;
  /** "ITIMER_REAL (alarm(1) at step 3)", "POSIX timer 0 (timer_create at step 2, ...)". */
  what: string;
  /** The reload interval; 0 for a one-shot timer. */
  intervalNs: number;
}

/** The key of semaphore `num` of set `semid` in Tracker.semHeld: a number, not a string built
 * at every semop (num < 2^16: SEMMSL is at most 32,000). */
export function semKey(semid: number, num: number): number {
  return semid * 65536 + num;
}

export class Tracker {
  readonly procs: ProcTrack[] = [];
  /** Kernel pipe index -> the pipe now at that index, numbered by the kernel's serial. */
  readonly pipes = new Map<number, PipeTrack>();
  /** Every pipe of the run, including freed ones (an index may be reused). */
  readonly allPipes: PipeTrack[] = [];
  /** semKey(semid, num) -> pid -> net value taken (P minus V); > 0 means the pid holds units. */
  readonly semHeld = new Map<number, Map<number, number>>();
  /** shmid -> size, to bound regions. */
  readonly shmSize = new Map<number, number>();
  /** Exits seen: [pid, parent at fork]. */
  readonly exits: number[] = [];
  /** The raw wait status of each exit in `exits`, in the same order. */
  readonly exitStatuses: number[] = [];
  /** Reports of the zombie check, made as each parent exits. */
  readonly zombies: string[] = [];
  /** "pid id" of each POSIX timer -> the step that created it. */
  readonly posixTimers = new Map<string, number>();
  /** "pid real" (ITIMER_REAL, alarm) or "pid id" (a POSIX timer) -> the timer last armed. */
  readonly timers = new Map<string, ArmedTimer>();

  constructor(private readonly k: Kernel, private readonly trackPipes: boolean) {}

  reset(): void {
    this.procs.length = 0;
    this.pipes.clear();
    this.allPipes.length = 0;
    this.semHeld.clear();
    this.shmSize.clear();
    this.exits.length = 0;
    this.exitStatuses.length = 0;
    this.zombies.length = 0;
    this.posixTimers.clear();
    this.timers.clear();
  }

  /** What `from` has learned, in place of this tracker's own (copies: the two share nothing
   * mutable). The HTML view's snapshots keep a tracker's state this way (sim/view/waits.ts). */
  copyFrom(from: Tracker): void {
    this.reset();
    from.procs.forEach((t, pid) => (this.procs[pid] = t.clone()));
    // A pipe is one record in `pipes` and in `allPipes`: copied once, both pointing at it.
    const copies = new Map(from.allPipes.map((t) => [t, { ...t }]));
    this.allPipes.push(...copies.values());
    for (const [pi, t] of from.pipes) this.pipes.set(pi, copies.get(t) ?? { ...t });
    for (const [key, m] of from.semHeld) this.semHeld.set(key, new Map(m));
    for (const [id, size] of from.shmSize) this.shmSize.set(id, size);
    this.exits.push(...from.exits);
    this.exitStatuses.push(...from.exitStatuses);
    this.zombies.push(...from.zombies);
    for (const [key, step] of from.posixTimers) this.posixTimers.set(key, step);
    for (const [key, t] of from.timers) this.timers.set(key, t);
  }

  /** A timer armed (or disarmed: null). */
  armed(key: string, t: ArmedTimer | null): void {
    if (t) this.timers.set(key, t);
    else this.timers.delete(key);
  }

  proc(pid: number): ProcTrack {
    let t = this.procs[pid];
    if (!t) this.procs[pid] = t = new ProcTrack();
    return t;
  }

  fork(parent: number, child: number): void {
    const p = this.proc(parent);
    p.children.push(child);
    this.procs[child] = p.forkCopy();
  }

  /** The refs the address arguments are recorded as: the regions that hold them. */
  refFor(pid: number, step: Step): Record<string, IntArg> | null {
    const args: Record<string, unknown> = step.args;
    let refs: Record<string, IntArg> | null = null;
    const fields = ADDR_FIELDS.get(step.call);
    if (!fields) return null;
    for (const field of fields) {
      const addr = args[field];
      if (typeof addr !== "number") continue;
      const r = this.regionOf(pid, addr);
      if (r) (refs ??= {})[field] = { ref: r.step, offset: addr - r.base };
    }
    return refs;
  }

  private regionOf(pid: number, addr: number): Region | null {
    const t = this.procs[pid];
    if (!t || typeof addr !== "number") return null;
    let best: Region | null = null;
    for (const r of t.regions) {
      const inside = addr >= r.base && addr < r.base + Math.max(r.length, 1);
      if (inside && (!best || r.base > best.base)) best = r;
    }
    return best;
  }

  /** Before a call is issued: pipe byte accounting needs the fd's pipe at call time. */
  pipeOf(pid: number, fd: number): PipeTrack | undefined {
    const f = this.k.x.k_fd_file(pid, fd);
    if (f < 0 || this.k.x.k_file_kind(f) === 0) return undefined;
    const pi = this.k.x.k_file_pipe(f);
    if (pi < 0) return undefined;
    let t = this.pipes.get(pi);
    if (!t) {
      // A FIFO's pipe, first seen here.
      t = { no: this.k.x.k_pipe_serial(pi), step: -1, written: 0, read: 0 };
      this.pipes.set(pi, t);
      this.allPipes.push(t);
    }
    return t;
  }

  /** A call completed with a result (not an errno). */
  completed(pid: number, step: Step, r: Ok): void {
    const learn = COMPLETED[step.call] as Completion<CallName> | undefined;
    learn?.(this, pid, step, r);
  }

  /** pid's fd `r.ret` came from `how`. */
  fdFrom(pid: number, r: Ok, how: string): void {
    this.proc(pid).fds.set(r.ret as number, how);
  }

  onPipe(pid: number, step: Step, fds: [number, number]): void {
    const t = this.proc(pid);
    t.fds.set(fds[0], `read end of pipe() at step ${step.index}`);
    t.fds.set(fds[1], `write end of pipe() at step ${step.index}`);
    const f = this.k.x.k_fd_file(pid, fds[0]);
    const pi = f < 0 ? -1 : this.k.x.k_file_pipe(f);
    if (pi < 0) return;
    const pt = { no: this.k.x.k_pipe_serial(pi), step: step.index, written: 0, read: 0 };
    this.pipes.set(pi, pt);
    this.allPipes.push(pt);
  }

  onSemop(pid: number, semid: number, sops: readonly { num: number; op: number }[]): void {
    for (const s of sops) {
      if (s.op === 0) continue;
      const key = semKey(semid, s.num);
      let m = this.semHeld.get(key);
      if (!m) this.semHeld.set(key, (m = new Map()));
      m.set(pid, (m.get(pid) ?? 0) - s.op);
    }
  }

  /** Bytes moved through a pipe (counted only when the drained check is on). */
  pipeBytes(t: PipeTrack | undefined, wrote: number, read: number): void {
    if (!t || !this.trackPipes) return;
    t.written += wrote;
    t.read += read;
  }

  /** pid exited (or was killed) with the raw wait `status`: a parent that leaves zombie
   * children it never reaped is reported. */
  exited(pid: number, status: number): void {
    const t = this.proc(pid);
    t.exited = true;
    t.zombie = this.k.x.k_proc_state(pid) === PROC_ZOMBIE;
    t.fds.clear();
    // Linux: exit_itimers() and the ITIMER_REAL hrtimer cancel in do_exit() (kernel/exit.c).
    for (const [key, timer] of this.timers) if (timer.pid === pid) this.timers.delete(key);
    this.exits.push(pid);
    this.exitStatuses.push(status);
    for (const c of t.children) {
      if (this.procs[c]?.zombie && !t.reaped.has(c)) {
        this.zombies.push(
          `pid ${pid} exited without reaping its child pid ${c} (a zombie until init reaped it)`,
        );
      }
    }
  }
}
