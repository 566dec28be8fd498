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

import { FLAGS, type SignalName } from "../../wasm/abi.js";
import {
  CALL_NAMES, CALL_TABLE, isPlainCall, type CallName, type IntegerKind,
} from "../../wasm/calls.js";
import type {
  CallArgs, Itimerspec, Itimerval, Result, Timespec, Timeval, WaitStatus,
} from "../trace/types.js";
import { ErrnoError } from "./errors.js";
import { bytes, handlerCode, int, sop, splitMode } from "./os-args.js";
import { filesMethods, namesMethods } from "./os-files.js";
import { locksMethods } from "./os-locks.js";
import { atMethods } from "./os-at.js";
import { memMethods } from "./os-mem.js";
import { sigMethods } from "./os-sig.js";
import { iovMethods } from "./os-iov.js";
import { pollMethods } from "./os-poll.js";
import { epollMethods } from "./os-epoll.js";
import { mqueueMethods, netMethods } from "./os-mqueue.js";
import {
  CURR_ITIMERSPEC, CURR_ITIMERVAL, DATA, FDS, MSG, MSQ_CTL, NEVER, OLDSET, OLD_ITIMERSPEC,
  OLD_ITIMERVAL, RES, RET, SEM_CTL, SET, SHM_CTL, TIMERID, TP, TV, WAIT,
} from "./os-results.js";
import {
  itimerspec, itimerval, sigevent, timespec, type ItimerspecLike, type ItimervalLike,
  type SigeventLike, type TimespecLike,
} from "./time-args.js";
import type { IpcPerm, MsqidDs, SemidDs, ShmidDs } from "../model/sysv.js";
import type {
  Bytes, CtlBuf, Message, MsgctlCmd, MsqidDsSet, OsResult, OutputsOf, Row, SemArg, SemArgOut,
  SembufLike, SemctlCmd, SemidDsSet, ShmctlCmd, ShmidDsSet, SigInfo, Unknown, WaitResult,
} from "./os-types.js";

export type { IpcPerm, MsqidDs, SemidDs, ShmidDs };
export type { Bytes, Message, OsResult, SembufLike, WaitResult };
export type { Itimerspec, Itimerval, Timespec, Timeval };

const { IPC_STAT, IPC_SET, GETALL, SETVAL, SETALL } = FLAGS.ipcctl;

/** One call as the scheduler receives it: its name and its decoded trace arguments, correlated
 * (a step built from it by spreading needs no cast). */
export type CallRequest = { [C in CallName]: { call: C; args: CallArgs[C] } }[CallName];

/** What the scheduler offers an Os (scheduler.ts implements it). */
export interface OsHost {
  /** Run the call; the promise settles with map(result), or rejects with an ErrnoError. */
  call<T>(pid: number, req: CallRequest, map: (r: Ok) => T, extra?: CallExtra): Promise<T>;
  assert(pid: number, ok: boolean, message: string): void;
  sometimes(pid: number, ok: boolean, name: string): void;
  log(pid: number, text: string): void;
}

/** Things a call carries besides its trace arguments. */
export interface CallExtra {
  /** fork: the child's main. */
  child?: ProcessMain;
  /** sigaction: the JS handler to install when the call succeeds. */
  handler?: SignalHandler | "SIG_DFL" | "SIG_IGN" | "catch";
}

/** A process's code: `fork(child)` runs `child(os)` in the child with its own `os`; what it
 * returns (or the promise's value) is ignored, and returning is `exit(0)`. */
export type ProcessMain = (os: Os) => unknown;
/** A signal handler installed by `os.sigaction`: runs as the handler's frame, in the process,
 * with its `os` (its calls are steps inside the handler); returning is its sigreturn. */
export type SignalHandler = (sig: number, info: SigInfo, os: Os) => unknown;
export type Ok = Exclude<Result, "blocked">;

// ---- calls made generically from their rows ----

/** A call whose `os` method needs no code: integer arguments only, no outputs (getppid, kill,
 * close, ...). Its method is made from its row (PlainCalls); a hand-written one overrides it. */
type PlainCall = {
  [C in CallName]: Row<C>["args"][number]["kind"] extends IntegerKind
    ? ([OutputsOf<C>] extends [never] ? C : never) : never;
}[CallName];

/** A row's arguments as positional numbers; one with a default (or flags: none) is optional. */
type Positional<R> = R extends readonly [infer A, ...infer Rest]
  ? A extends { readonly default: unknown } | { readonly kind: "flags" }
    ? [number?, ...Positional<Rest>] : [number, ...Positional<Rest>]
  : [];

/** The methods made from the rows of plain calls. */
type PlainMethods = { [C in PlainCall]: (...args: Positional<Row<C>["args"]>) => Promise<number> };

/** The hand-written methods: calls with more than integer arguments or with outputs, and plain
 * calls whose method does more than pass its integers (a SysV get's mode in its flags). */
class OsBase {
  constructor(
    protected readonly host: OsHost,
    /** This process's pid. */
    readonly pid: number,
  ) {}

  protected ret(req: CallRequest): Promise<number> {
    return this.host.call(this.pid, req, RET);
  }

  /** Any call with its arguments as a decoded trace step has them (a trace run as a program,
   * from-trace.ts): its whole result; an error rejects with an ErrnoError. */
  call(req: CallRequest, extra?: CallExtra): Promise<Ok> {
    return this.host.call(this.pid, req, (r) => r, extra);
  }

  // ---- not calls ----

  /** This process's pid (not a call: no scheduling point). */
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
    return this.host.call(this.pid, { call: "fork", args: {} }, RET, { child });
  }

  /** Never returns. */
  exit(status = 0): Promise<never> {
    const args = { status: int(status, "exit status") };
    return this.host.call(this.pid, { call: "exit", args }, NEVER);
  }

  /** Wait for a child (`pid` -1: any) to exit, or with WUNTRACED / WCONTINUED to stop or
   * continue; WNOHANG returns `{ pid: 0 }` at once when none has. Read the status with
   * WIFEXITED and the other macros. */
  waitpid(pid = -1, options = 0): Promise<WaitResult> {
    const args = { target: int(pid, "waitpid pid"), options };
    return this.host.call(this.pid, { call: "waitpid", args }, WAIT);
  }

  /** waitpid(-1, 0). */
  wait(): Promise<WaitResult> {
    return this.waitpid(-1, 0);
  }

  // ---- descriptors, pipes, FIFOs ----

  /** Resolves to `[readFd, writeFd]`; `flags`: O_NONBLOCK, O_CLOEXEC, O_DIRECT (pipe2). */
  pipe(flags = 0): Promise<[number, number]> {
    return this.host.call(this.pid, { call: "pipe", args: { flags } }, FDS);
  }

  /** Up to `count` bytes; empty at end of file. */
  read(fd: number, count: number): Promise<Uint8Array> {
    const args = { fd: int(fd, "read fd"), count: int(count, "read count") };
    return this.host.call(this.pid, { call: "read", args }, DATA);
  }

  /** read() decoded as UTF-8. */
  async readText(fd: number, count: number): Promise<string> {
    return new TextDecoder().decode(await this.read(fd, count));
  }

  /** Resolves to the bytes written; a string is written as UTF-8. */
  write(fd: number, data: Bytes): Promise<number> {
    const args = { fd: int(fd, "write fd"), data: bytes(data, "write data") };
    return this.ret({ call: "write", args });
  }

  // close, dup and dup2 are plain calls: their methods are made from their rows (Os, below).

  /** F_GETFL, F_SETFL, F_GETFD, F_SETFD, F_DUPFD, F_SETPIPE_SZ, F_SETOWN, F_GETOWN (a group
   * owner is negative), F_SETSIG, F_GETSIG...: the return value. */
  fcntl(fd: number, cmd: number, arg = 0): Promise<number> {
    const args = { fd: int(fd, "fcntl fd"), cmd: int(cmd, "fcntl cmd"), arg };
    return this.ret({ call: "fcntl", args });
  }

  /** Makes a FIFO at `path`. */
  mkfifo(path: string, mode = 0o644): Promise<number> {
    return this.ret({ call: "mkfifo", args: { path: String(path), mode } });
  }

  /** Opens `path`; resolves to the new fd (a FIFO blocks for a partner as open(2) does). */
  open(path: string, flags = 0, mode = 0o644): Promise<number> {
    return this.ret({ call: "open", args: { path: String(path), flags, mode } });
  }

  /** Removes a name. */
  unlink(path: string): Promise<number> {
    return this.ret({ call: "unlink", args: { path: String(path) } });
  }

  // ---- SysV message queues ----

  /** Resolves to the queue's id; a mode may be or-ed into `flags` (`IPC_CREAT | 0o600`). */
  msgget(key: number, flags = 0): Promise<number> {
    const args = { key: int(key, "msgget key"), ...splitMode(flags) };
    return this.ret({ call: "msgget", args });
  }

  /** Sends a message of type `mtype` (> 0); blocks while the queue is full, unless IPC_NOWAIT. */
  msgsnd(msqid: number, mtype: number, data: Bytes, flags = 0): Promise<number> {
    const args = {
      msqid: int(msqid, "msqid"), mtype: int(mtype, "mtype"), data: bytes(data, "msgsnd data"),
      flags,
    };
    return this.ret({ call: "msgsnd", args });
  }

  /** Receives a message: `msgtyp` 0 any, > 0 the first of that type, < 0 the lowest type up
   * to -msgtyp; resolves to `{ mtype, data }`. */
  msgrcv(msqid: number, size: number, msgtyp = 0, flags = 0): Promise<Message> {
    const args = {
      msqid: int(msqid, "msqid"), size: int(size, "msgrcv size"), msgtyp: int(msgtyp, "msgtyp"),
      flags,
    };
    return this.host.call(this.pid, { call: "msgrcv", args }, MSG);
  }

  /** IPC_STAT resolves to the queue's {@link MsqidDs}; IPC_SET takes a buffer (any fields
   * of one) and resolves to 0; the other commands (IPC_RMID, MSG_STAT, IPC_INFO...) to the
   * call's return value. A `cmd` typed only as number resolves to either. */
  msgctl(msqid: number, cmd: typeof IPC_STAT): Promise<MsqidDs>;
  msgctl(msqid: number, cmd: typeof IPC_SET, buf: MsqidDsSet): Promise<number>;
  msgctl(msqid: number, cmd: MsgctlCmd): Promise<number>;
  msgctl<C extends number>(
    msqid: number, cmd: Unknown<C>, buf?: MsqidDsSet | null,
  ): Promise<MsqidDs | number>;
  msgctl(msqid: number, cmd: number, buf: CtlBuf = null) {
    const args = { msqid: int(msqid, "msqid"), cmd: int(cmd, "msgctl cmd"), buf };
    return this.host.call(this.pid, { call: "msgctl", args }, MSQ_CTL);
  }

  // ---- SysV semaphores ----

  /** Resolves to the set's id; a mode may be or-ed into `flags`. */
  semget(key: number, nsems: number, flags = 0): Promise<number> {
    const args = { key: int(key, "semget key"), nsems: int(nsems, "nsems"), ...splitMode(flags) };
    return this.ret({ call: "semget", args });
  }

  /** Applies every operation at once or waits; a sembuf is `{ num, op, flags }`,
   * `{ sem_num, sem_op, sem_flg }` or `[num, op, flags]`. */
  semop(semid: number, sops: readonly SembufLike[]): Promise<number> {
    return this.ret({ call: "semop", args: { semid: int(semid, "semid"), sops: sops.map(sop) } });
  }

  /** With a timeout (`{sec, nsec}`), fails with EAGAIN when it expires first; null waits as
   * semop does. */
  semtimedop(
    semid: number,
    sops: readonly SembufLike[],
    timeout: TimespecLike | null = null,
  ): Promise<number> {
    const args = {
      semid: int(semid, "semid"), sops: sops.map(sop),
      timeout: timeout === null ? null : timespec(timeout, "semtimedop timeout"),
    };
    return this.ret({ call: "semtimedop", args });
  }

  /** GETALL resolves to the set's values, IPC_STAT to its {@link SemidDs}; SETVAL takes the
   * value, SETALL the values, IPC_SET a buffer (any fields of a SemidDs), and they resolve
   * to 0; GETVAL, GETPID, GETNCNT and GETZCNT to that number; the other commands (IPC_RMID,
   * SEM_STAT, IPC_INFO...) to the call's return value. */
  semctl(semid: number, semnum: number, cmd: typeof GETALL): Promise<number[]>;
  semctl(semid: number, semnum: number, cmd: typeof IPC_STAT): Promise<SemidDs>;
  semctl(semid: number, semnum: number, cmd: typeof SETVAL, val: number): Promise<number>;
  semctl(
    semid: number, semnum: number, cmd: typeof SETALL, array: readonly number[],
  ): Promise<number>;
  semctl(semid: number, semnum: number, cmd: typeof IPC_SET, buf: SemidDsSet): Promise<number>;
  semctl(semid: number, semnum: number, cmd: SemctlCmd): Promise<number>;
  semctl<C extends number>(
    semid: number, semnum: number, cmd: Unknown<C>, arg?: SemArg,
  ): Promise<OsResult<"semctl">>;
  semctl(semid: number, semnum: number, cmd: number, arg: SemArg = null) {
    const args = {
      semid: int(semid, "semid"), semnum: int(semnum, "semnum"), cmd: int(cmd, "semctl cmd"),
      arg: Array.isArray(arg) ? [...(arg as readonly number[])] : arg as SemArgOut,
    };
    return this.host.call(this.pid, { call: "semctl", args }, SEM_CTL);
  }

  // ---- shared memory and memory ----

  /** Resolves to the segment's id; a mode may be or-ed into `flags`. */
  shmget(key: number, size: number, flags = 0): Promise<number> {
    const args = { key: int(key, "shmget key"), size: int(size, "shm size"), ...splitMode(flags) };
    return this.ret({ call: "shmget", args });
  }

  /** Returns the address the segment is attached at. */
  shmat(shmid: number, shmaddr = 0, flags = 0): Promise<number> {
    return this.ret({ call: "shmat", args: { shmid: int(shmid, "shmid"), shmaddr, flags } });
  }

  /** Detaches the segment attached at `shmaddr`. */
  shmdt(shmaddr: number): Promise<number> {
    return this.ret({ call: "shmdt", args: { shmaddr: int(shmaddr, "shmaddr") } });
  }

  /** IPC_STAT resolves to the segment's {@link ShmidDs}; IPC_SET takes a buffer (any fields
   * of one) and resolves to 0; the other commands (IPC_RMID, SHM_STAT, IPC_INFO...) to the
   * call's return value. */
  shmctl(shmid: number, cmd: typeof IPC_STAT): Promise<ShmidDs>;
  shmctl(shmid: number, cmd: typeof IPC_SET, buf: ShmidDsSet): Promise<number>;
  shmctl(shmid: number, cmd: ShmctlCmd): Promise<number>;
  shmctl<C extends number>(
    shmid: number, cmd: Unknown<C>, buf?: ShmidDsSet | null,
  ): Promise<ShmidDs | number>;
  shmctl(shmid: number, cmd: number, buf: CtlBuf = null) {
    const args = { shmid: int(shmid, "shmid"), cmd: int(cmd, "shmctl cmd"), buf };
    return this.host.call(this.pid, { call: "shmctl", args }, SHM_CTL);
  }

  /** Maps anonymous memory (MAP_ANONYMOUS, fd -1) or a regular file's pages from `offset`. */
  mmap(addr: number, length: number, prot: number, flags: number, fd = -1, offset = 0) {
    const args = {
      addr: int(addr, "mmap addr"), length: int(length, "mmap length"), prot, flags,
      fd: int(fd, "mmap fd"), offset: int(offset, "mmap offset"),
    };
    return this.ret({ call: "mmap", args });
  }

  /** Unmaps whole pages. */
  munmap(addr: number, length: number): Promise<number> {
    const args = { addr: int(addr, "munmap addr"), length: int(length, "munmap length") };
    return this.ret({ call: "munmap", args });
  }

  /** The process writes its own memory at addr (a bad address raises SIGSEGV). */
  store(addr: number, data: Bytes): Promise<number> {
    const args = { addr: int(addr, "store addr"), data: bytes(data, "store data") };
    return this.ret({ call: "store", args });
  }

  /** The process reads its own memory at addr (a bad address raises SIGSEGV). */
  load(addr: number, count: number): Promise<Uint8Array> {
    const args = { addr: int(addr, "load addr"), count: int(count, "load count") };
    return this.host.call(this.pid, { call: "load", args }, DATA);
  }

  /** A little-endian 32-bit integer at addr (two calls' worth of convenience: one load). */
  async loadInt(addr: number): Promise<number> {
    const b = await this.load(addr, 4);
    return new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true);
  }

  /** Stores a little-endian 32-bit integer at addr. */
  storeInt(addr: number, value: number): Promise<number> {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, value, true);
    return this.store(addr, b);
  }

  // ---- atomics and futexes ----

  /** A CPU compare-and-swap of the aligned 32-bit word at addr (`lock cmpxchg`): stores `next`
   * if the word is `old`; resolves to the word before (unsigned), so the swap happened when
   * that equals `old`. */
  cas(addr: number, old: number, next: number): Promise<number> {
    const args = {
      addr: int(addr, "cas addr"), old: int(old, "cas old"), new: int(next, "cas new"),
    };
    return this.ret({ call: "cas", args });
  }

  /** A CPU exchange of the 32-bit word at addr; resolves to the word before (unsigned). */
  xchg(addr: number, next: number): Promise<number> {
    const args = { addr: int(addr, "xchg addr"), new: int(next, "xchg new") };
    return this.ret({ call: "xchg", args });
  }

  /** A CPU fetch-and-add on the 32-bit word at addr (wrapping; a negative `add` subtracts);
   * resolves to the word before (unsigned). */
  fetch_add(addr: number, add: number): Promise<number> {
    const args = { addr: int(addr, "fetch_add addr"), add: int(add, "fetch_add add") };
    return this.ret({ call: "fetch_add", args });
  }

  /** futex(2) as the raw syscall: `op` a FUTEX_* command (with FUTEX_PRIVATE_FLAG,
   * FUTEX_CLOCK_REALTIME); `timeout` (`{sec, nsec}`, or null) for the wait commands, `val2`
   * for REQUEUE, CMP_REQUEUE and WAKE_OP. A wait resolves to 0 (woken); a wake to the number
   * woken; errors (EAGAIN: the word was not `val`; ETIMEDOUT; EINTR) reject. */
  futex(
    addr: number, op: number, val: number,
    opts: { timeout?: TimespecLike | null; val2?: number; addr2?: number; val3?: number } = {},
  ): Promise<number> {
    const args = {
      addr: int(addr, "futex addr"), op: int(op, "futex op"), val: int(val, "futex val"),
      timeout: opts.timeout == null ? null : timespec(opts.timeout, "futex timeout"),
      val2: int(opts.val2 ?? 0, "futex val2"), addr2: int(opts.addr2 ?? 0, "futex addr2"),
      val3: int(opts.val3 ?? 0, "futex val3"),
    };
    return this.ret({ call: "futex", args });
  }

  // ---- signals ----

  /** Sends `sig` to `pid` (0: the existence check). */
  kill(pid: number, sig: number): Promise<number> {
    const args = { target: int(pid, "kill pid"), sig: int(sig, "kill sig") };
    return this.ret({ call: "kill", args });
  }

  /** `handler`: a function run as the handler (docs/scenarios.md "Signals"), "SIG_IGN",
   * "SIG_DFL" or "catch" (one that only records its delivery). `mask`: signal numbers. */
  sigaction(
    sig: number, handler: SignalHandler | "SIG_DFL" | "SIG_IGN" | "catch", flags = 0,
    mask: readonly number[] = [],
  ): Promise<number> {
    const h = handlerCode(handler, "sigaction handler");
    const args = { sig: int(sig, "signal"), handler: h, flags: flags >>> 0, mask: [...mask] };
    return this.host.call(this.pid, { call: "sigaction", args }, RET, { handler });
  }

  /** Returns the previous mask (signal names). */
  sigprocmask(how: number, set: readonly number[]): Promise<SignalName[]> {
    const args = { how: int(how, "sigprocmask how"), set: [...set] };
    return this.host.call(this.pid, { call: "sigprocmask", args }, OLDSET);
  }

  /** The signals pending and blocked, by name. */
  sigpending(): Promise<SignalName[]> {
    return this.host.call(this.pid, { call: "sigpending", args: {} }, SET);
  }

  /** Returns only by failing with EINTR (after the handler ran), as pause(2). */
  pause(): Promise<number> {
    return this.ret({ call: "pause", args: {} });
  }

  /** Waits with `mask` as the mask until a handler runs; rejects with EINTR, as sigsuspend(2). */
  sigsuspend(mask: readonly number[]): Promise<number> {
    return this.ret({ call: "sigsuspend", args: { mask: [...mask] } });
  }

  // ---- time (alarm, time, timer_getoverrun and timer_delete are plain calls) ----

  /** glibc's sleep(3), made as it is with nanosleep({seconds, 0}): 0 after the whole sleep;
   * interrupted by a handler, the whole seconds left (rem.tv_sec: sysdeps/posix/sleep.c). */
  async sleep(seconds: number): Promise<number> {
    const sec = int(seconds, "sleep seconds");
    if (sec < 0) throw new TypeError(`sleep seconds: an unsigned int, got ${sec}`);
    try {
      return await this.nanosleep({ sec, nsec: 0 });
    } catch (e) {
      if (e instanceof ErrnoError && e.code === "EINTR") return e.rem?.sec ?? 0;
      throw e;
    }
  }

  /** 0 after the whole sleep; interrupted by a handler, fails with EINTR and the time left
   * in the error's `rem`. null is a NULL pointer (EFAULT). */
  nanosleep(req: TimespecLike | null): Promise<number> {
    const args = { req: req === null ? null : timespec(req, "nanosleep req") };
    return this.ret({ call: "nanosleep", args });
  }

  /** As the raw syscall: an error rejects (glibc's wrapper returns the number instead);
   * `rem` only for a relative sleep. `flags`: TIMER_ABSTIME or 0. */
  clock_nanosleep(clock: number, flags: number, req: TimespecLike | null): Promise<number> {
    const args = {
      clock: int(clock, "clock id"), flags: int(flags, "clock_nanosleep flags"),
      req: req === null ? null : timespec(req, "clock_nanosleep req"),
    };
    return this.ret({ call: "clock_nanosleep", args });
  }

  /** The clock's time, `{ sec, nsec }` (CLOCK_MONOTONIC starts at 0; time is virtual). */
  clock_gettime(clock: number): Promise<Timespec> {
    const args = { clock: int(clock, "clock id") };
    return this.host.call(this.pid, { call: "clock_gettime", args }, TP);
  }

  /** The clock's resolution. */
  clock_getres(clock: number): Promise<Timespec> {
    const args = { clock: int(clock, "clock id") };
    return this.host.call(this.pid, { call: "clock_getres", args }, RES);
  }

  /** CLOCK_REALTIME as a timeval (`tz` NULL). */
  gettimeofday(): Promise<Timeval> {
    return this.host.call(this.pid, { call: "gettimeofday", args: {} }, TV);
  }

  /** Returns the old setting. `value` null disarms (as a zero value does). */
  setitimer(which: number, value: ItimervalLike | null): Promise<Itimerval> {
    const args = {
      which: int(which, "itimer which"),
      value: value === null ? null : itimerval(value, "setitimer value"),
    };
    return this.host.call(this.pid, { call: "setitimer", args }, OLD_ITIMERVAL);
  }

  /** The interval timer's current setting. */
  getitimer(which: number): Promise<Itimerval> {
    const args = { which: int(which, "itimer which") };
    return this.host.call(this.pid, { call: "getitimer", args }, CURR_ITIMERVAL);
  }

  /** Returns the timer id. `sevp` null (the default) is Linux's: SIGEV_SIGNAL, SIGALRM, the
   * id as the value. */
  timer_create(clock: number, sevp: SigeventLike | null = null): Promise<number> {
    const args = { clock: int(clock, "clock id"), sevp: sevp === null ? null : sigevent(sevp) };
    return this.host.call(this.pid, { call: "timer_create", args }, TIMERID);
  }

  /** Returns the old setting. `flags`: TIMER_ABSTIME or 0. */
  timer_settime(timerid: number, flags: number, value: ItimerspecLike | null): Promise<Itimerspec> {
    const args = {
      timerid: int(timerid, "timer id"), flags: int(flags, "timer_settime flags"),
      value: value === null ? null : itimerspec(value, "timer_settime"),
    };
    return this.host.call(this.pid, { call: "timer_settime", args }, OLD_ITIMERSPEC);
  }

  /** The POSIX timer's current setting. */
  timer_gettime(timerid: number): Promise<Itimerspec> {
    const args = { timerid: int(timerid, "timer id") };
    return this.host.call(this.pid, { call: "timer_gettime", args }, CURR_ITIMERSPEC);
  }
}

/** A simulated process, as a scenario sees it (`main(os)`): every method but getpid, assert,
 * sometimes and log is one system call, named and ordered as in C, and one scheduling point.
 * A failed call rejects with an {@link ErrnoError} (`code` "EAGAIN", ...). docs/api.md lists
 * the methods by mechanism.
 *
 * OsBase's methods are written by hand; every other plain call (close, dup, dup2, getppid,
 * alarm, time...) has one made from its row (positional integers in row order; an absent one
 * takes the row's default). */
export class Os extends
  epollMethods(pollMethods(sigMethods(iovMethods(memMethods(atMethods(locksMethods(namesMethods(
    filesMethods(netMethods(mqueueMethods(OsBase))))))))))) {}

// Declaration merging: Os has a method per plain call without a hand-written one.
export interface Os extends Omit<PlainMethods, keyof OsBase | "signal"> {} // os-sig.ts: signal

/** The request of plain call `call` from positional arguments. */
function plainRequest(call: CallName, values: readonly unknown[]): CallRequest {
  const args: Record<string, number> = {};
  CALL_TABLE[call].args.forEach((a, i) => {
    const v = values[i];
    if (v !== undefined) args[a.name] = int(v, `${call} ${a.name}`);
    else if ("default" in a && typeof a.default === "number") args[a.name] = a.default;
    else if (a.kind === "flags") args[a.name] = 0;
    else throw new TypeError(`${call}: argument ${i + 1} (${a.name}) is required`);
  });
  return { call, args } as CallRequest;
}

for (const call of CALL_NAMES.filter(isPlainCall)) {
  if (call in Os.prototype) continue; // a hand-written one (OsBase or a mixin)
  Object.defineProperty(Os.prototype, call, {
    value: function (this: Os, ...values: unknown[]) {
      return this.host.call(this.pid, plainRequest(call, values), RET);
    },
    writable: true,
    configurable: true,
  });
}

/** The rows no process makes (the clock's advance: the scheduler makes those steps). */
type ClockCall = { [C in CallName]: Row<C> extends { clock: true } ? C : never }[CallName];

/** Every call of the table a process makes has an `os` method whose result is the row's
 * (OsResult): a call added to wasm/calls.ts without one, or with another result type, fails to
 * compile here. */
type TableMethods = {
  [C in Exclude<CallName, ClockCall>]: (...args: never[]) => Promise<OsResult<C>>;
};
type Assert<T extends true> = T;
type OsCoversTable = Assert<Os extends TableMethods ? true : false>;
