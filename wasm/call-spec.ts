// The call table's types: what a row of wasm/calls.ts says about a call (its argument kinds,
// outputs, kernel entry, sleep and host facts). Types only: wasm/calls.ts re-exports them, and
// nothing here exists at run time, so the table still imports nothing.

/** What an argument is. The kind decides how a trace writes it, how the model passes it to the
 * kernel, and what the host agent maps (pids, IPC ids) before the real call. */
export type ArgKind =
  | "int" // a plain integer (a status, a semnum, a size the kernel checks itself)
  | "fd" // a descriptor number
  | "target" // a pid argument: > 0 a process, 0 / -pgid a group, -1 every process (kill, waitpid)
  | "msqid" | "semid" | "shmid" // SysV ids (the host maps them when it cannot use a namespace)
  | "key" // a SysV key: an integer or "IPC_PRIVATE"
  | "count" // a size_t
  | "mode" // permission bits, an octal string in a trace
  | "flags" // a bitmask of C names from `names`
  | "command" // one C name from `names`, or an integer
  | "signal" // a signal number or name
  | "sigset" // a list of signals; the kernel takes it as two 32-bit halves
  | "sigval" // a sigqueue value (union sigval's sival_int)
  | "addr" // a user address, or {"ref": step, "offset": n}
  | "path" // a NUL-free string, copied in by the kernel
  | "bytes" // a byte string, copied in by the kernel
  | "iov" // writev's segments: an array of byte strings (an iovec array in user memory)
  | "counts" // readv's segment sizes: an array of integers (an iovec array in user memory)
  | "sops" // a sembuf array
  | "timeout" // a timespec, or null
  | "ctlbuf" // an IPC_SET struct (msgctl, shmctl), or null
  | "semarg" // semctl's union semun: an integer, an array, a struct, or null
  | "fcntlarg" // fcntl's third argument: flags for F_SETFL/F_SETFD, a struct f_owner_ex
  //            {type, pid} for F_SETOWN_EX/F_GETOWN_EX, else an integer
  | "timespec" // a struct timespec {sec, nsec}, never NULL (advance's amount: no user memory)
  | "itimerval" // a struct itimerval {interval, value} of {sec, usec}, or null (NULL)
  | "itimerspec" // a struct itimerspec {interval, value} of {sec, nsec}, or null (NULL)
  | "sigevent" // a struct sigevent {notify, signo, value}, or null (NULL)
  | "mqattr" // a struct mq_attr {flags, maxmsg, msgsize, curmsgs} (each default 0), or null
  | "stack" // a stack_t {sp, size, flags} (sigaltstack), or null
  | "pollfds" // a struct pollfd array [{fd, events}], or null (sim/trace/poll.ts)
  | "nfds" // an unsigned int: the pollfd array's length unless the trace writes it
  | "sigmask" // a signal set passed by address, or null (NULL: ppoll's mask unchanged)
  | "fdset" // an fd_set: an array of descriptors below 1024, or null (select)
  | "timeval" // a struct timeval {sec, usec}, or null (select's timeout)
  | "epollevent" // a struct epoll_event {events, data}, or null (epoll_ctl's event)
  | "sockaddr"; // a struct sockaddr_un: {path}, {abstract}, {unnamed} or {unspec} (AF_UNIX)

/** The families of C names a flags or command argument accepts (sim/trace/calls.ts NAMES). */
export type NamesKey =
  | "open" | "pipe" | "wait" | "fcntl" | "ipcget" | "msgsnd" | "msgrcv" | "shmat" | "msgctl"
  | "semctl" | "shmctl" | "how" | "sigaction" | "handler" | "prot" | "mmap" | "clock" | "timer"
  | "itimer" | "futex" | "at" | "seek" | "access" | "msync" | "flock" | "rename" | "faccessat"
  | "signalfd" | "sicode" | "poll" | "epoll" | "epollctl" | "epollev" | "family" | "socktype"
  | "msg" | "shut" | "sol" | "so";

export interface ArgSpec {
  readonly name: string;
  readonly kind: ArgKind;
  /** The C names a flags or command argument takes. */
  readonly names?: NamesKey;
  /** The default when a trace leaves the field out; absent: the field is required. Flags and
   * sets default to none, modes are written as numbers here. */
  readonly default?: number | null;
  /** signal: 0 is allowed (kill's existence check). */
  readonly zero?: boolean;
  /** signal: any 32-bit number is allowed (the kernel checks the range: EINVAL). */
  readonly any?: boolean;
  /** flags: at least one name is required (mmap's prot). */
  readonly needed?: boolean;
  /** The host agent refuses a value above what one reply carries (load's count). */
  readonly hostMaxData?: boolean;
  /** An integer argument's C type, where it is not its kind's (KIND_C_TYPE). */
  readonly c?: CType;
}

/** The C type an integer argument has in the call's prototype (libc's, which hands it to the
 * syscall unchanged): a value outside it would reach Linux as another number (close's fd
 * 4294967296 as 0), so the trace parser refuses it (sim/trace/parse.ts fitC). An unsigned type
 * also takes a negative value, as C converts it (read's count -1 is SIZE_MAX: EFAULT); the
 * 64-bit types are limited by JSON's exact integers (2^53). */
export type CType = "int" | "unsigned int" | "short" | "unsigned short" | "long" | "size_t" |
  "unsigned long";

/** Result fields a successful call may carry besides `ret` (sim/trace/types.ts Result). */
export type OutputName =
  | "data" | "fds" | "status" | "stat" | "values" | "set" | "oldset" | "mtype" | "owner" | "flock"
  // time (docs/trace-format.md "Time"): a timespec, a timeval, an itimerval/itimerspec, an id
  | "tp" | "res" | "tv" | "rem" | "curr" | "old" | "timerid"
  // POSIX message queues: a message's priority (mq_timedreceive)
  | "prio"
  // getdents64's entries
  | "dirents"
  // sigtimedwait's siginfo
  | "info"
  // sigaltstack's old setting (a stack_t)
  | "oldss"
  // poll's and ppoll's revents, one per pollfd
  | "revents"
  // select's and pselect6's sets as written back
  | "readfds" | "writefds" | "exceptfds"
  // getsockopt's value (an int option) and its length
  | "optval" | "optlen"
  // epoll_wait's and epoll_pwait's events, in ready-list order
  | "events"
  // a socket's name (accept4, getsockname, getpeername): a sockaddr_un
  | "addr";

/** How a signal ends a sleep in this call (linux-semantics.md 0.2):
 *  - "restart": woken to re-check its condition; a handler without SA_RESTART gives EINTR,
 *    otherwise the call restarts (-ERESTARTSYS: pipe and FIFO read, write, open; waitpid);
 *  - "nohand": ended on the spot, EINTR after a handler, restarted after a stop
 *    (-ERESTARTNOHAND: msgsnd, msgrcv, pause, sigsuspend);
 *  - "eintr": ended on the spot, EINTR even after a stop (semop, semtimedop);
 *  - "restartblock": ended on the spot, EINTR after a handler; after a stop the sleep goes on
 *    to the same deadline (-ERESTART_RESTARTBLOCK and restart_syscall: nanosleep,
 *    clock_nanosleep; kernel/time/hrtimer.c hrtimer_nanosleep_restart). */
export type Interrupt = "restart" | "nohand" | "eintr" | "restartblock";

/** One register the kernel's sys_* function takes: the dispatch casts a `u32` register. */
export type Register = "i32" | "u32";

export interface CallSpec {
  /** Linux x86_64's syscall number, so the host agent can issue it unchanged; pseudo-calls (a
   * CPU store, load or atomic: no syscall of their own) from 1000. */
  readonly nr: number;
  /** The mechanism it belongs to (generator presets, docs). */
  readonly mechanism: Mechanism;
  /** The trace fields, in spec order (the order the codec writes them). */
  readonly args: readonly ArgSpec[];
  /** The kernel entry: `sys_<file>.ts` exports `fn(p: Proc, ...registers)`. */
  readonly kernel: {
    readonly file: SysFile;
    readonly fn: string;
    readonly regs: readonly Register[];
  };
  /** Result fields besides `ret`. `address`: a successful ret is an opaque address. */
  readonly outputs: readonly OutputName[];
  readonly address?: boolean;
  /** A successful ret is a pid (the host agent maps it to the model's numbering when it runs
   * without a PID namespace). */
  readonly retPid?: boolean;
  /** The call may sleep, and how a signal ends the sleep. Absent: it never sleeps. */
  readonly blocks?: Interrupt;
  /** It may send a signal to another process (the host agent watches every process then). */
  readonly signalsOthers?: boolean;
  /** It may wake another process's sleep (what a deadlock explanation looks for). */
  readonly wakesOthers?: boolean;
  /** Made by no process: the clock (advance). A trace writes it without `pid` (0 inside). */
  readonly clock?: boolean;
  /** The successful ret is a time in whole seconds (time, alarm), compared by relation as
   * docs/trace-format.md "Time" says, never as a raw number. */
  readonly retSeconds?: boolean;
  /** The host: the C name of the syscall it makes (default SYS_<name>), and the syscalls
   * /proc/PID/syscall shows while it sleeps (glibc's open is openat, waitpid is wait4). */
  readonly host: { readonly sysno?: string; readonly sleepsIn?: readonly string[] };
  /** The trace-format.md note. */
  readonly doc: string;
  /** An extension to the shared trace-v1 contract (docs/trace-format.md marks it **ext**). */
  readonly ext?: boolean;
}

export type Mechanism =
  | "proc" | "fd" | "pipe" | "fifo" | "files" | "msg" | "sem" | "shm" | "mmap" | "futex"
  | "signal" | "time" | "mqueue" | "locks" | "poll" | "socket";
export type SysFile =
  "file" | "fs" | "names" | "iov" | "proc" | "ipc" | "mem" | "signal" | "time" | "poll" |
  "select" | "net" | "epoll";
