// The process API a scenario programs against: `os`, one per simulated process.
//
// Every method but getpid/assert/sometimes/log is one system call of the trace model
// (sim/trace/types.ts CallArgs), named as in C with positional arguments, and one scheduling
// point: it returns a promise that settles when the scheduler has run the call and it returned.
// A failed call rejects with an ErrnoError whose `code` is the errno name. Flags and modes are
// numbers (the C constants exported by "ipcsim"); a SysV get's mode may be or-ed into its flags
// as in C (`IPC_CREAT | 0o600`).
//
// Processes share nothing but the kernel: JS variables are not copied at fork (a child sees
// its parent's objects), so a scenario keeps per-process state in its own closures and
// communicates only through calls.

import { HANDLERS } from "../../wasm/abi.js";
import { utf8Bytes } from "../trace/bytes.js";
import type { CallArgs, Result, Sop, WaitStatus } from "../trace/types.js";
import type { SignalName } from "../../wasm/abi.js";

/** What the scheduler offers an Os (scheduler.ts implements it). */
export interface OsHost {
  /** Run the call; the promise settles with map(result), or rejects with an ErrnoError. */
  call<T>(
    pid: number, call: keyof CallArgs, args: object, map: (r: Ok) => T, extra?: CallExtra,
  ): Promise<T>;
  assert(pid: number, ok: boolean, message: string): void;
  sometimes(pid: number, ok: boolean, name: string): void;
  log(pid: number, text: string): void;
}

/** Things a call carries besides its trace arguments. */
export interface CallExtra {
  /** fork: the child's main. */
  child?: ProcessMain;
  /** sigaction: the JS handler to install when the call succeeds. */
  handler?: SignalHandler | "SIG_DFL" | "SIG_IGN";
}

export type ProcessMain = (os: Os) => unknown;
export type SignalHandler = (sig: number, os: Os) => unknown;
type Bytes = string | Uint8Array;
type SembufLike =
  | { num: number; op: number; flags?: number }
  | { sem_num: number; sem_op: number; sem_flg?: number }
  | readonly [number, number, number?];

export type Ok = Exclude<Result, "blocked">;

// Result mappers (module constants: no closure per call).
const RET = (r: Ok): number => r.ret as number;
const FDS = (r: Ok) => r.fds as [number, number];
const DATA = (r: Ok) => r.data as Uint8Array;
const WAIT = (r: Ok): { pid: number; status?: WaitStatus } =>
  r.status ? { pid: r.ret as number, status: r.status } : { pid: r.ret as number };
const MSG = (r: Ok) => ({ mtype: r.mtype as number, data: r.data as Uint8Array });
const CTL = (r: Ok): any => r.values ?? r.stat ?? r.ret;
const OLDSET = (r: Ok): SignalName[] => r.oldset ?? [];
const SET = (r: Ok): SignalName[] => r.set ?? [];
const NEVER = (): never => {
  throw new Error("assertion: exit returned");
};

function bytes(data: Bytes, what: string): Uint8Array {
  if (typeof data === "string") return utf8Bytes(data);
  if (data instanceof Uint8Array) return data;
  throw new TypeError(`${what}: expected a string or a Uint8Array, got ${typeof data}`);
}

function int(v: unknown, what: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new TypeError(`${what}: expected an integer, got ${String(v)}`);
}

/** A SysV get's flags: the mode bits (low 9) are the mode, as msgget(2) reads msgflg. */
function splitMode(flags: number): { flags: number; mode: number } {
  return { flags: flags & ~0o777, mode: flags & 0o777 };
}

function sop(s: SembufLike): Sop {
  if (Array.isArray(s)) {
    return { num: int(s[0], "sembuf num"), op: int(s[1], "sembuf op"), flags: s[2] ?? 0 };
  }
  const o = s as Record<string, number | undefined>;
  if ("sem_num" in o) {
    return { num: int(o.sem_num, "sem_num"), op: int(o.sem_op, "sem_op"), flags: o.sem_flg ?? 0 };
  }
  return { num: int(o.num, "sembuf num"), op: int(o.op, "sembuf op"), flags: o.flags ?? 0 };
}


export class Os {
  constructor(
    private readonly host: OsHost,
    /** This process's pid. */
    readonly pid: number,
  ) {}

  private ret(call: keyof CallArgs, args: object): Promise<number> {
    return this.host.call(this.pid, call, args, RET);
  }

  // ---- not calls ----

  getpid(): number {
    return this.pid;
  }

  /** A failed assertion fails the run (even if the scenario catches the error). */
  assert(condition: unknown, message = "assertion failed"): void {
    this.host.assert(this.pid, !!condition, message);
  }

  /** Declare a condition that must hold in at least one explored run; returns it. */
  sometimes(condition: unknown, name: string): boolean {
    this.host.sometimes(this.pid, !!condition, name);
    return !!condition;
  }

  /** A line in the run's text output, attributed to this process. */
  log(text: string): void {
    this.host.log(this.pid, text);
  }

  // ---- processes ----

  /** Runs `child(os)` in the child; returns the child's pid (in the parent). */
  fork(child?: ProcessMain): Promise<number> {
    return this.host.call(this.pid, "fork", {}, RET, { child });
  }

  /** Never returns. */
  exit(status = 0): Promise<never> {
    return this.host.call(this.pid, "exit", { status: int(status, "exit status") }, NEVER);
  }

  waitpid(pid = -1, options = 0): Promise<{ pid: number; status?: WaitStatus }> {
    return this.host.call(this.pid, "waitpid", { target: int(pid, "waitpid pid"), options }, WAIT);
  }

  wait(): Promise<{ pid: number; status?: WaitStatus }> {
    return this.waitpid(-1, 0);
  }

  // ---- descriptors, pipes, FIFOs ----

  pipe(flags = 0): Promise<[number, number]> {
    return this.host.call(this.pid, "pipe", { flags }, FDS);
  }

  read(fd: number, count: number): Promise<Uint8Array> {
    const args = { fd: int(fd, "read fd"), count: int(count, "read count") };
    return this.host.call(this.pid, "read", args, DATA);
  }

  /** read() decoded as UTF-8. */
  async readText(fd: number, count: number): Promise<string> {
    return new TextDecoder().decode(await this.read(fd, count));
  }

  write(fd: number, data: Bytes): Promise<number> {
    return this.ret("write", { fd: int(fd, "write fd"), data: bytes(data, "write data") });
  }

  close(fd: number): Promise<number> {
    return this.ret("close", { fd: int(fd, "close fd") });
  }

  dup(fd: number): Promise<number> {
    return this.ret("dup", { fd: int(fd, "dup fd") });
  }

  dup2(oldfd: number, newfd: number): Promise<number> {
    return this.ret("dup2", { oldfd: int(oldfd, "dup2 oldfd"), newfd: int(newfd, "dup2 newfd") });
  }

  fcntl(fd: number, cmd: number, arg = 0): Promise<number> {
    return this.ret("fcntl", { fd: int(fd, "fcntl fd"), cmd: int(cmd, "fcntl cmd"), arg });
  }

  mkfifo(path: string, mode = 0o644): Promise<number> {
    return this.ret("mkfifo", { path: String(path), mode });
  }

  open(path: string, flags = 0): Promise<number> {
    return this.ret("open", { path: String(path), flags });
  }

  unlink(path: string): Promise<number> {
    return this.ret("unlink", { path: String(path) });
  }

  // ---- SysV message queues ----

  msgget(key: number, flags = 0): Promise<number> {
    return this.ret("msgget", { key: int(key, "msgget key"), ...splitMode(flags) });
  }

  msgsnd(msqid: number, mtype: number, data: Bytes, flags = 0): Promise<number> {
    const m = { msqid: int(msqid, "msqid"), mtype: int(mtype, "mtype"), data: bytes(data, "msgsnd data") };
    return this.ret("msgsnd", { ...m, flags });
  }

  msgrcv(msqid: number, size: number, msgtyp = 0, flags = 0): Promise<{ mtype: number; data: Uint8Array }> {
    const args = {
      msqid: int(msqid, "msqid"), size: int(size, "msgrcv size"), msgtyp: int(msgtyp, "msgtyp"), flags,
    };
    return this.host.call(this.pid, "msgrcv", args, MSG);
  }

  /** IPC_STAT returns the stat object; other commands their return value. */
  msgctl(msqid: number, cmd: number, buf: Record<string, unknown> | null = null): Promise<any> {
    const args = { msqid: int(msqid, "msqid"), cmd: int(cmd, "msgctl cmd"), buf };
    return this.host.call(this.pid, "msgctl", args, CTL);
  }

  // ---- SysV semaphores ----

  semget(key: number, nsems: number, flags = 0): Promise<number> {
    const args = { key: int(key, "semget key"), nsems: int(nsems, "nsems"), ...splitMode(flags) };
    return this.ret("semget", args);
  }

  semop(semid: number, sops: readonly SembufLike[]): Promise<number> {
    return this.ret("semop", { semid: int(semid, "semid"), sops: sops.map(sop) });
  }

  semtimedop(
    semid: number, sops: readonly SembufLike[], timeout: { sec: number; nsec: number } | null = null,
  ): Promise<number> {
    return this.ret("semtimedop", { semid: int(semid, "semid"), sops: sops.map(sop), timeout });
  }

  /** GETALL returns the values, IPC_STAT the stat object, others their return value. */
  semctl(
    semid: number, semnum: number, cmd: number,
    arg: number | number[] | Record<string, unknown> | null = null,
  ): Promise<any> {
    const args = {
      semid: int(semid, "semid"), semnum: int(semnum, "semnum"), cmd: int(cmd, "semctl cmd"), arg,
    };
    return this.host.call(this.pid, "semctl", args, CTL);
  }

  // ---- shared memory and memory ----

  shmget(key: number, size: number, flags = 0): Promise<number> {
    const args = { key: int(key, "shmget key"), size: int(size, "shm size"), ...splitMode(flags) };
    return this.ret("shmget", args);
  }

  /** Returns the address the segment is attached at. */
  shmat(shmid: number, shmaddr = 0, flags = 0): Promise<number> {
    return this.ret("shmat", { shmid: int(shmid, "shmid"), shmaddr, flags });
  }

  shmdt(shmaddr: number): Promise<number> {
    return this.ret("shmdt", { shmaddr: int(shmaddr, "shmaddr") });
  }

  shmctl(shmid: number, cmd: number, buf: Record<string, unknown> | null = null): Promise<any> {
    const args = { shmid: int(shmid, "shmid"), cmd: int(cmd, "shmctl cmd"), buf };
    return this.host.call(this.pid, "shmctl", args, CTL);
  }

  /** Anonymous mappings only (MAP_ANONYMOUS | MAP_SHARED or MAP_PRIVATE). */
  mmap(addr: number, length: number, prot: number, flags: number): Promise<number> {
    const args = { addr: int(addr, "mmap addr"), length: int(length, "mmap length"), prot, flags };
    return this.ret("mmap", args);
  }

  munmap(addr: number, length: number): Promise<number> {
    const args = { addr: int(addr, "munmap addr"), length: int(length, "munmap length") };
    return this.ret("munmap", args);
  }

  /** The process writes its own memory at addr (a bad address raises SIGSEGV). */
  store(addr: number, data: Bytes): Promise<number> {
    return this.ret("store", { addr: int(addr, "store addr"), data: bytes(data, "store data") });
  }

  load(addr: number, count: number): Promise<Uint8Array> {
    const args = { addr: int(addr, "load addr"), count: int(count, "load count") };
    return this.host.call(this.pid, "load", args, DATA);
  }

  /** A little-endian 32-bit integer at addr (two calls' worth of convenience: one load). */
  async loadInt(addr: number): Promise<number> {
    const b = await this.load(addr, 4);
    return new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true);
  }

  storeInt(addr: number, value: number): Promise<number> {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, value, true);
    return this.store(addr, b);
  }

  // ---- signals ----

  kill(pid: number, sig: number): Promise<number> {
    return this.ret("kill", { target: int(pid, "kill pid"), sig: int(sig, "kill sig") });
  }

  /** `handler`: a function run in this process when the signal is delivered (before its
   * interrupted call returns), "SIG_IGN" or "SIG_DFL". `mask`: signal numbers. */
  sigaction(
    sig: number, handler: SignalHandler | "SIG_DFL" | "SIG_IGN", flags = 0, mask: readonly number[] = [],
  ): Promise<number> {
    const h = typeof handler === "function" ? HANDLERS.catch : HANDLERS[handler];
    if (h === undefined) {
      throw new TypeError(`sigaction handler: a function, "SIG_DFL" or "SIG_IGN", got ${String(handler)}`);
    }
    const args = { sig: int(sig, "signal"), handler: h, flags: flags >>> 0, mask: [...mask] };
    return this.host.call(this.pid, "sigaction", args, RET, { handler });
  }

  /** Returns the previous mask (signal names). */
  sigprocmask(how: number, set: readonly number[]): Promise<SignalName[]> {
    const args = { how: int(how, "sigprocmask how"), set: [...set] };
    return this.host.call(this.pid, "sigprocmask", args, OLDSET);
  }

  sigpending(): Promise<SignalName[]> {
    return this.host.call(this.pid, "sigpending", {}, SET);
  }

  /** Returns only by failing with EINTR (after the handler ran), as pause(2). */
  pause(): Promise<number> {
    return this.ret("pause", {});
  }

  sigsuspend(mask: readonly number[]): Promise<number> {
    return this.ret("sigsuspend", { mask: [...mask] });
  }
}

