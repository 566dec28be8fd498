// What the simulator learns from the calls it records, besides the kernel's own state: where
// each descriptor came from (for deadlock explanations: "fd 4, inherited at fork"), which
// addresses each process got from shmat/mmap (so the recorded trace names them as
// {"ref": step, "offset": n}), which children were reaped (the zombie check), what each process
// did to each semaphore (who "holds" one), and how many bytes went into and out of each pipe
// (the drained check). Updated from completed calls only; nothing here touches the kernel but
// cheap reads of its fd table.

import { PROC_STATE } from "../../wasm/abi.js";
import type { Kernel } from "../../wasm/kernel.js";
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

  forkCopy(): ProcTrack {
    const c = new ProcTrack();
    for (const [fd, how] of this.fds) c.fds.set(fd, how.endsWith("inherited at fork") ? how : `${how}, inherited at fork`);
    c.regions = this.regions.slice();
    return c;
  }
}

export interface PipeTrack {
  no: number;
  /** The step that created it. */
  step: number;
  written: number;
  read: number;
}

const PROC_ZOMBIE = PROC_STATE.ZOMBIE;
const REF_FIELDS: Record<string, string> = { shmdt: "shmaddr", store: "addr", load: "addr", munmap: "addr" };

export class Tracker {
  readonly procs: ProcTrack[] = [];
  /** Kernel pipe index -> the pipe now at that index, numbered in creation order (#1, ...). */
  readonly pipes = new Map<number, PipeTrack>();
  /** Every pipe of the run, including freed ones (an index may be reused). */
  readonly allPipes: PipeTrack[] = [];
  private pipeCount = 0;
  /** "semid.num" -> pid -> net value taken (P minus V); > 0 means the pid holds units. */
  readonly semHeld = new Map<string, Map<number, number>>();
  /** shmid -> size, to bound regions. */
  private shmSize = new Map<number, number>();
  /** Exits seen: [pid, parent at fork]. */
  readonly exits: number[] = [];
  /** Reports of the zombie check, made as each parent exits. */
  readonly zombies: string[] = [];

  constructor(private readonly k: Kernel, private readonly trackPipes: boolean) {}

  reset(): void {
    this.procs.length = 0;
    this.pipes.clear();
    this.allPipes.length = 0;
    this.pipeCount = 0;
    this.semHeld.clear();
    this.shmSize.clear();
    this.exits.length = 0;
    this.zombies.length = 0;
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

  /** The ref an address argument is recorded as: the region that holds it. */
  refFor(pid: number, step: Step): Record<string, IntArg> | null {
    const field = REF_FIELDS[step.call];
    if (!field) return null;
    const addr = (step.args as unknown as Record<string, number>)[field];
    const r = this.regionOf(pid, addr);
    return r ? { [field]: { ref: r.step, offset: addr - r.base } } : null;
  }

  private regionOf(pid: number, addr: number): Region | null {
    const t = this.procs[pid];
    if (!t || typeof addr !== "number") return null;
    let best: Region | null = null;
    for (const r of t.regions) {
      if (addr >= r.base && addr < r.base + Math.max(r.length, 1) && (!best || r.base > best.base)) best = r;
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
      t = { no: ++this.pipeCount, step: -1, written: 0, read: 0 };
      this.pipes.set(pi, t);
      this.allPipes.push(t);
    }
    return t;
  }

  /** A call completed with a result (not an errno). */
  completed(pid: number, step: Step, r: Exclude<Result, "blocked">): void {
    const t = this.proc(pid);
    const ret = r.ret as number;
    switch (step.call) {
      case "pipe": this.onPipe(pid, step, r.fds!); break;
      case "dup": case "dup2": t.fds.set(ret, `dup of fd ${"fd" in step.args ? step.args.fd : step.args.oldfd} at step ${step.index}`); break;
      case "fcntl": if (step.args.cmd === 0 || step.args.cmd === 1030) t.fds.set(ret, `F_DUPFD of fd ${step.args.fd} at step ${step.index}`); break;
      case "open": t.fds.set(ret, `open("${step.args.path}") at step ${step.index}`); break;
      case "close": t.fds.delete(step.args.fd); break;
      case "waitpid": if (ret > 0) t.reaped.add(ret); break;
      case "shmget": this.shmSize.set(ret, step.args.size); break;
      case "shmat": t.regions.push({ base: ret, length: this.shmSize.get(step.args.shmid) ?? 0x7fffffff, step: step.index }); break;
      case "mmap": t.regions.push({ base: ret, length: step.args.length, step: step.index }); break;
      case "semop": case "semtimedop": this.onSemop(pid, step.args.semid, step.args.sops); break;
      default: break;
    }
  }

  private onPipe(pid: number, step: Step, fds: [number, number]): void {
    const t = this.proc(pid);
    t.fds.set(fds[0], `read end of pipe() at step ${step.index}`);
    t.fds.set(fds[1], `write end of pipe() at step ${step.index}`);
    const f = this.k.x.k_fd_file(pid, fds[0]);
    const pi = f < 0 ? -1 : this.k.x.k_file_pipe(f);
    if (pi < 0) return;
    const pt = { no: ++this.pipeCount, step: step.index, written: 0, read: 0 };
    this.pipes.set(pi, pt);
    this.allPipes.push(pt);
  }

  private onSemop(pid: number, semid: number, sops: readonly { num: number; op: number }[]): void {
    for (const s of sops) {
      if (s.op === 0) continue;
      const key = `${semid}.${s.num}`;
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

  /** pid exited: a parent that leaves zombie children it never reaped is reported. */
  exited(pid: number): void {
    const t = this.proc(pid);
    t.exited = true;
    t.zombie = this.k.x.k_proc_state(pid) === PROC_ZOMBIE;
    t.fds.clear();
    this.exits.push(pid);
    for (const c of t.children) {
      if (this.procs[c]?.zombie && !t.reaped.has(c)) {
        this.zombies.push(`pid ${pid} exited without reaping its child pid ${c} (a zombie until init reaped it)`);
      }
    }
  }
}
