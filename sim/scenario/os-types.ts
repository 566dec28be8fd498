// The types of the os API's arguments and results (os.ts): what each call resolves to, from
// its row's outputs; IPC_SET's buffers, semctl's `union semun`, and the ctl commands that take
// no buffer. The SysV structures themselves (MsqidDs, SemidDs, ShmidDs, IpcPerm) are the
// model's (sim/model/sysv.ts), named as Linux names them.

import type { EpollEvent } from "../trace/epoll.js";
import type { FLAGS, SignalName } from "../../wasm/abi.js";
import type { CALL_TABLE, CallName } from "../../wasm/calls.js";
import type { WaitStatus } from "../../wasm/names.js";
import type { IpcPerm, MsqidDs, SemidDs, ShmidDs } from "../model/sysv.js";
import type {
  Dirent, Itimerspec, Itimerval, SockAddr, StackT, Timespec, Timeval,
} from "../trace/types.js";
import type { Siginfo, SiginfoNumbers } from "../trace/siginfo.js";

type IpcCtl = typeof FLAGS.ipcctl;

/** Bytes to write: a string (written as UTF-8) or a Uint8Array. */
export type Bytes = string | Uint8Array;
/** One struct sembuf: `{ num, op, flags }`, C's field names, or `[num, op, flags]`. */
export type SembufLike =
  | { num: number; op: number; flags?: number }
  | { sem_num: number; sem_op: number; sem_flg?: number }
  | readonly [number, number, number?];

// ---- result types, from the rows' outputs (wasm/calls.ts) ----

export type Row<C extends CallName> = (typeof CALL_TABLE)[C];
export type OutputsOf<C extends CallName> = Row<C>["outputs"][number];

/** What waitpid and wait resolve to. The WIFEXITED-style helpers (wait-status.ts) take it. */
export interface WaitResult {
  /** The child reaped (or stopped, or continued); 0 when WNOHANG found nothing. */
  pid: number;
  /** How it changed: `{ exited: 0 }`, `{ signaled: "SIGKILL" }`, `{ stopped: "SIGSTOP" }`,
   * `{ continued: true }`. Absent when WNOHANG found nothing (pid 0). */
  status?: WaitStatus;
}

/** What msgrcv resolves to: the message's type and its text. */
export interface Message {
  mtype: number;
  data: Uint8Array;
}

/** A message mq_receive took from a POSIX queue: its bytes and priority. */
export interface MqMessage {
  data: Uint8Array;
  prio: number;
}

/** A POSIX queue's struct mq_attr as mq_getattr reports it (`mq_flags`: O_NONBLOCK or 0). */
export interface MqAttrStat {
  mq_flags: number;
  mq_maxmsg: number;
  mq_msgsize: number;
  mq_curmsgs: number;
}

/** What a call returns for each output its row lists (one output each: the others are the
 * SysV calls', below). */
interface OutputTypes {
  data: Uint8Array;
  fds: [number, number];
  status: WaitResult;
  set: SignalName[];
  oldset: SignalName[];
  tp: Timespec;
  res: Timespec;
  tv: Timeval;
  timerid: number;
  dirents: Dirent[];
  info: Siginfo;
  oldss: StackT;
  /** poll, ppoll: each pollfd's revents (POLL* bits), in array order. */
  revents: number[];
  /** epoll_wait, epoll_pwait: the events reported, in ready-list order. */
  events: EpollEvent[];
  optval: number;
  optlen: number;
  /** getsockname, getpeername: the name (accept4 resolves to its new descriptor). */
  addr: SockAddr;
}

/** `curr` and `old`: an itimerval for the itimer calls, an itimerspec for the POSIX timers'. */
type TimerOf<C extends CallName> = C extends "getitimer" | "setitimer" ? Itimerval : Itimerspec;

/** IPC_STAT's buffer, by the mechanism of the ctl call. */
interface StatTypes {
  msg: MsqidDs;
  sem: SemidDs;
  shm: ShmidDs;
  mqueue: MqAttrStat;
  files: FileStat;
}

/** What stat, lstat and fstat report of a file (its other fields are not modelled); `st_ino`
 * and the times (CLOCK_REALTIME: last access, data change, inode change) only for the tmpfs's
 * files. */
export interface FileStat {
  st_ino?: number;
  st_mode: number;
  st_nlink: number;
  st_size: number;
  st_blocks: number;
  st_atim?: Timespec;
  st_mtim?: Timespec;
  st_ctim?: Timespec;
}
type StatOf<C extends CallName> = Row<C>["mechanism"] extends keyof StatTypes
  ? StatTypes[Row<C>["mechanism"]] : never;

/** What an `os` method of call C resolves to: the return value when the row has no outputs
 * or only fcntl's `owner` and `flock` (F_GETOWN_EX's struct, which `os` does not pass; F_GETLK's,
 * which os-locks.ts's fcntl returns);
 * msgrcv's message; a ctl's stat, values (GETALL) or return value, by command; a sleep's 0
 * (its `rem` comes with EINTR: ErrnoError.rem); an itimer or POSIX timer's setting; else the
 * output. */
export type OsResult<C extends CallName> = [OutputsOf<C>] extends [never] ? number
  : C extends "select" | "pselect6" ? SelectResult
  : C extends "accept4" ? number
  : [OutputsOf<C>] extends ["owner" | "flock"] ? number
  : "mtype" extends OutputsOf<C> ? Message
  : "prio" extends OutputsOf<C> ? MqMessage
  : C extends "readlink" | "readlinkat" | "getcwd" ? string
  : "stat" extends OutputsOf<C>
    ? StatOf<C> | number | ("values" extends OutputsOf<C> ? number[] : never)
  : "rem" extends OutputsOf<C> ? number
  : OutputsOf<C> extends "curr" | "old" ? TimerOf<C>
  : OutputsOf<C> extends keyof OutputTypes ? OutputTypes[OutputsOf<C>] : never;

/** select's and pselect6's result: the count of ready bits, each set given as written back
 * (the ready descriptors), and select's time left of a non-zero timeout. */
export interface SelectResult {
  ret: number;
  readfds?: number[];
  writefds?: number[];
  exceptfds?: number[];
  tv?: Timeval;
}

/** @deprecated Renamed {@link IpcPerm} (Linux's name, struct ipc64_perm). */
export type IpcPermStat = IpcPerm;
/** @deprecated Renamed {@link MsqidDs} (Linux's name, struct msqid64_ds). */
export type MsqidStat = MsqidDs;
/** @deprecated Renamed {@link SemidDs} (Linux's name, struct semid64_ds). */
export type SemidStat = SemidDs;
/** @deprecated Renamed {@link ShmidDs} (Linux's name, struct shmid64_ds). */
export type ShmidStat = ShmidDs;

/** An IPC_SET buffer: any of the structure's fields, the perm's fields optional too (so an
 * IPC_STAT result, changed, is one). As in C, Linux reads only `*_perm.uid`, `.gid`, `.mode`
 * and, for a queue, `msg_qbytes` (ipc/msg.c:msgctl_down()); the rest is ignored. */
export type IpcSetBuf<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };
/** msgctl(IPC_SET)'s buffer. */
export type MsqidDsSet = IpcSetBuf<MsqidDs>;
/** semctl(IPC_SET)'s buffer. */
export type SemidDsSet = IpcSetBuf<SemidDs>;
/** shmctl(IPC_SET)'s buffer. */
export type ShmidDsSet = IpcSetBuf<ShmidDs>;

/** What msgctl and shmctl pass on to the trace (CallArgs' ctlbuf). */
export type CtlBuf = MsqidDsSet | ShmidDsSet | null;
/** semctl's `union semun`: SETVAL's value, SETALL's values, IPC_SET's buffer, or null. */
export type SemArg = number | readonly number[] | SemidDsSet | null;
export type SemArgOut = Exclude<SemArg, readonly number[]>;

/** A command known only as a number (not a constant): the ctl calls' last overload, so that a
 * constant with the wrong argument fails to compile instead of falling through to it. */
export type Unknown<C extends number> = number extends C ? C : never;

/** The ctl commands that take no buffer and whose result is the return value alone. */
export type MsgctlCmd = IpcCtl[
  "IPC_RMID" | "IPC_INFO" | "MSG_STAT" | "MSG_INFO" | "MSG_STAT_ANY"
];
export type ShmctlCmd = IpcCtl[
  "IPC_RMID" | "IPC_INFO" | "SHM_STAT" | "SHM_INFO" | "SHM_STAT_ANY" | "SHM_LOCK" | "SHM_UNLOCK"
];
export type SemctlCmd = IpcCtl[
  "IPC_RMID" | "IPC_INFO" | "SEM_STAT" | "SEM_INFO" | "SEM_STAT_ANY" | "GETPID" | "GETVAL" |
  "GETNCNT" | "GETZCNT"
];

/** A handler's siginfo (`fn(sig, info, os)`): si_signo, si_code (SI_USER 0, SI_QUEUE -1,
 * SI_TIMER -2, SI_TKILL -6, SI_KERNEL 0x80; a SIGCHLD's CLD_EXITED 1 .. CLD_CONTINUED 6), si_pid
 * (the sender; a SIGCHLD's child; 0 from the kernel and for SI_TIMER), si_uid (0: root), a
 * SIGCHLD's si_status (the exit code or the signal; else 0), and si_value where the sender gave
 * one (sigqueue, a POSIX timer, mq_notify). */
export type SigInfo = SiginfoNumbers;
