// The trace-v1 data model (docs/trace-format.md): what a parsed trace is, what an outcome is.
//
// The codec (parse.ts) turns JSON Lines into these types, with every flag already a number and
// every byte string already a Uint8Array; the serialiser (serialise.ts) turns outcomes back into
// trace-v1 JSON. The model replayer and the host bridge both consume `Step`s and produce
// `Outcome`s, so a comparison is a comparison of two `Outcome`s (compare.ts).

import type { EpollEvent } from "./epoll.js";
import type { ErrnoName, SignalName } from "../../wasm/abi.js";
import type { ArgSpec, CALL_TABLE, CallName } from "../../wasm/calls.js";
import type { WaitStatus } from "../../wasm/names.js";
import type { Long } from "./long.js";
import type { Siginfo } from "./siginfo.js";
import type { PollFd } from "./poll.js";

export type { Long };

/** An integer argument, or a reference to an earlier step's `ret` (`{"ref": 7, "offset": 16}`). */
type Ref = { ref: number; offset: number };
export type IntArg = number | Ref;

export interface Header {
  trace: "ipcsim";
  version: 1;
  name?: string;
  description?: string;
  /** IPC sysctls by their Linux names (`kernel.msgmnb`), already validated. */
  params: Record<string, number | number[]>;
  /** CLOCK_REALTIME's seconds since the epoch at the trace's start (docs/trace-format.md
   * "Time"); absent: TIME.REALTIME_START_SEC. */
  realtime?: number;
}

/** A struct timespec (seconds and nanoseconds). */
export type Timespec = {
  sec: number;
  nsec: number;
};

/** A struct timeval (seconds and microseconds). */
export type Timeval = {
  sec: number;
  usec: number;
};

/** A struct itimerval: the reload interval and the time to the next expiry. */
export type Itimerval = {
  interval: Timeval;
  value: Timeval;
};

/** A struct itimerspec (timer_settime, timer_gettime). */
export type Itimerspec = {
  interval: Timespec;
  value: Timespec;
};

/** A struct sigevent as the model passes it: sigev_notify, sigev_signo, sigev_value. */
export type Sigevent = {
  notify: number;
  signo: number;
  value: number;
};

/** A struct mq_attr (mq_open at creation: maxmsg, msgsize; mq_setattr: flags). A field a
 * trace leaves out is 0. */
export type MqAttr = {
  flags: number;
  maxmsg: number;
  msgsize: number;
  curmsgs: number;
};

/** A struct sockaddr_un (sim/trace/sockaddr.ts): a path, an abstract name, the family alone
 * (unnamed), or AF_UNSPEC. */
export type SockAddr =
  | { path: string } | { abstract: string } | { unnamed: true } | { unspec: true };

/** A stack_t (sigaltstack's ss and oldss): ss_sp (a number, never dereferenced), ss_size, and
 * ss_flags as bits (SS_ONSTACK, SS_DISABLE, SS_AUTODISARM). */
export type StackT = {
  sp: number;
  size: number;
  flags: number;
};

/** A struct f_owner_ex (fcntl F_SETOWN_EX, F_GETOWN_EX): the owner's type (F_OWNER_TID,
 * F_OWNER_PID, F_OWNER_PGRP, or any int: Linux checks it, EINVAL) and its pid. */
export type OwnerEx = {
  type: number;
  pid: number;
};

/** A struct flock (fcntl's record-lock commands): l_type (F_RDLCK, F_WRLCK, F_UNLCK or any
 * short: Linux checks it, EINVAL), l_whence (SEEK_SET, SEEK_CUR, SEEK_END, or any short),
 * l_start, l_len (C longs, exact to 2^53) and l_pid (0 for the OFD commands, else EINVAL). */
export type Flock = {
  l_type: number;
  l_whence: number;
  l_start: number;
  l_len: number;
  l_pid: number;
};

/** One semop operation. */
export interface Sop {
  num: number;
  op: number;
  flags: number;
}

/** What each argument kind decodes to (wasm/calls.ts ArgKind). Flags are bitmasks, modes
 * numbers, signals numbers. */
export interface KindTypes {
  int: number;
  fd: number;
  target: number;
  msqid: number;
  semid: number;
  shmid: number;
  key: number;
  count: number;
  mode: number;
  flags: number;
  command: number;
  signal: number;
  sigset: number[];
  sigval: number;
  addr: IntArg;
  path: string;
  bytes: Uint8Array;
  iov: Uint8Array[];
  counts: number[];
  sops: Sop[];
  timeout: Timespec | null;
  timespec: Timespec;
  itimerval: Itimerval | null;
  itimerspec: Itimerspec | null;
  sigevent: Sigevent | null;
  mqattr: MqAttr | null;
  stack: StackT | null;
  sockaddr: SockAddr;
  ctlbuf: Record<string, unknown> | null;
  semarg: number | number[] | Record<string, unknown> | null;
  fcntlarg: number | OwnerEx | Flock;
  pollfds: PollFd[] | null;
  nfds: number;
  sigmask: number[] | null;
  fdset: number[] | null;
  timeval: Timeval | null;
  epollevent: EpollEvent | null;
}

/** Every kind has a type: a kind added to the table without one is a compile error here. A C
 * long (msgsnd's mtype, msgrcv's msgtyp) is a Long: it may be beyond 2^53 (./long.ts). */
type ArgType<A extends ArgSpec> = A extends { c: "long" } ? Long : KindTypes[A["kind"]];
type ArgsOf<R extends readonly ArgSpec[]> = { [A in R[number] as A["name"]]: ArgType<A> };

/** The arguments of each call, decoded: derived from the call table's rows. */
export type CallArgs = { [C in CallName]: ArgsOf<(typeof CALL_TABLE)[C]["args"]> };

/** A step: one call by one process. `index` is its 0-based number in file order (what `ref`
 * and `step` name); `line` is its 1-based line in the file, for error messages. A clock row's
 * step (advance) is made by no process: its `pid` is 0 (a trace writes none). */
export type Step = {
  [C in keyof CallArgs]: {
    index: number;
    line: number;
    pid: number;
    call: C;
    args: CallArgs[C];
    /** The step's own JSON as written, for printing and for writing the trace back. */
    raw: Record<string, unknown>;
    expect?: Result;
    expectEvents?: TraceEvent[];
  };
}[keyof CallArgs];

/** A parsed trace-v1 file (docs/trace-format.md): its header and its steps, each with the
 * expectations it carries. parseTrace and readTraceFile make one. */
export interface Trace {
  /** Where the trace came from, for error messages ("<stdin>" or a path). */
  file: string;
  header: Header;
  steps: Step[];
}

/** How a process ended or changed (defined with its decoder in wasm/names.ts). */
export type { WaitStatus };

/** A call's result: `"blocked"`, or a return value with the call's outputs. */
export type Result = "blocked" | ResultFields;

/** A returned call: its return value and outputs. */
type ResultFields = TimeOutputs & {
  /** A number, or "address" for an opaque address (shmat, mmap) in a comparison. */
  ret: number | "address";
  errno?: ErrnoName;
  data?: Uint8Array;
  mtype?: Long;
  fds?: [number, number];
  status?: WaitStatus;
  /** For waitpid: the pid reaped is `ret`; `status` is its status. */
  stat?: Record<string, unknown>;
  values?: number[];
  set?: SignalName[];
  oldset?: SignalName[];
  /** fcntl(F_GETOWN_EX) given a struct: what the call wrote into it. */
  owner?: OwnerEx;
  /** sigtimedwait: the siginfo of the signal taken (sim/trace/siginfo.ts). */
  info?: Siginfo;
  /** sigaltstack: the setting before the call. */
  oldss?: StackT;
  /** fcntl(F_GETLK, F_OFD_GETLK): the struct flock the call wrote back. */
  flock?: Flock;
  /** getsockopt: the option's bytes as a little-endian int, and how many were written. */
  optval?: number;
  optlen?: number;
  /** accept4, getsockname, getpeername: a socket's name (sim/trace/sockaddr.ts). */
  addr?: SockAddr;
};

/** A result's time outputs (docs/trace-format.md "Time"): compared by relation, not as
 * numbers. The host agent reports them already on the trace's virtual timeline. */
export type TimeOutputs = {
  tp?: Timespec;
  res?: Timespec;
  tv?: Timeval;
  /** The time left of an interrupted relative sleep: comes with EINTR. */
  rem?: Timespec;
  /** itimerval for getitimer/setitimer, itimerspec for timer_gettime/timer_settime. */
  curr?: Itimerval | Itimerspec;
  old?: Itimerval | Itimerspec;
  timerid?: number;
  /** mq_timedreceive: the message's priority. */
  prio?: number;
  /** getdents64: the entries listed (sim/trace/dirents.ts). */
  dirents?: Dirent[];
  /** poll, ppoll: each pollfd's revents, in array order (sim/trace/poll.ts). */
  revents?: number[];
  /** select, pselect6: each set given, as written back (descriptors in it). */
  readfds?: number[];
  writefds?: number[];
  exceptfds?: number[];
  /** epoll_wait, epoll_pwait: the events reported, in ready-list order (sim/trace/epoll.ts). */
  events?: EpollEvent[];
};

/** One getdents64 entry: d_ino, d_type by name ("DT_DIR"), d_name. */
export interface Dirent {
  ino: number;
  type: string;
  name: string;
}

/** What else a step caused besides its result: a blocked call woken (`wake`: the step that
 * blocked), a handler run, a process exiting, stopping or continuing. */
export type TraceEvent =
  | { wake: number; step: number; result: Result }
  /** A handler ran; `value` is the si_value of a signal sigqueue or a POSIX timer sent
   * (si_code SI_QUEUE or SI_TIMER; absent for kill's and ITIMER_REAL's); `info` its siginfo
   * (absent in traces written before it, and for a run whose siginfo the model cannot know). */
  | { signal: SignalName; pid: number; value?: number; frame?: true; info?: Siginfo }
  | { exit: number; status: WaitStatus }
  | { stop: number }
  | { cont: number };

/** Everything that happened between a step's issue and quiescence. `result` is absent when the
 * caller did not return (exit, or killed inside the call). */
export interface Outcome {
  step: number;
  pid: number;
  call: CallName;
  result?: Result;
  events: TraceEvent[];
  /** What the step moved through pipes and message queues, in order: only from a model run
   * that asked (sim/model/engine.ts ReplayOptions.flows); never in a trace file. */
  flows?: Flow[];
}

/** Bytes (a pipe's, at `at` in its stream since creation, mod 2^32) or a message (a SysV or
 * POSIX queue's, a socket's buffer: `at` its serial) that process `pid` moved into (`in`) or
 * out of an object (`peek`: copied out and left there, msgrcv's MSG_COPY, recv's MSG_PEEK).
 * `id`: a pipe's or a receiving socket's serial, a msqid, a POSIX queue's row. `extra`: a
 * FIFO's inode (-1 for a pipe), a message's mtype, the sending socket's serial, a POSIX
 * message's priority. */
export interface Flow {
  pid: number;
  object: "pipe" | "msg" | "sock" | "mq";
  dir: "in" | "out" | "peek";
  id: number;
  at: number;
  len: number;
  extra: number;
}
