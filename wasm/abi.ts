// The ABI tables: the one source of call numbers, errno values and flag values.
//
// Both sides read this file: TypeScript imports it directly, and `scripts/build.mjs` generates
// `kernel/abi.ts` (AssemblyScript constants) from it before every kernel build, so the two can
// never disagree. Values are Linux x86_64's (include/uapi/asm-generic/errno*.h, the x86_64
// syscall table, include/uapi/linux/*.h); the host bridge passes them to the real kernel as is.

/** Call numbers and names come from the call table (wasm/calls.ts), the one source of every
 * fact about a call. */
export { CALLS, type CallName } from "./calls.js";

/** Linux errno values (include/uapi/asm-generic/errno-base.h, errno.h). */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  E2BIG: 7,
  EBADF: 9,
  ECHILD: 10,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENODEV: 19,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  ENFILE: 23,
  EMFILE: 24,
  ENOTTY: 25,
  EFBIG: 27,
  ENOSPC: 28,
  ESPIPE: 29,
  EROFS: 30,
  EMLINK: 31,
  EPIPE: 32,
  ERANGE: 34,
  EDEADLK: 35,
  ENAMETOOLONG: 36,
  ENOLCK: 37,
  ENOSYS: 38,
  ENOTEMPTY: 39,
  ELOOP: 40,
  ENOMSG: 42,
  EIDRM: 43,
  ENOPKG: 65,
  EOVERFLOW: 75,
  ENOTSOCK: 88,
  EDESTADDRREQ: 89,
  EMSGSIZE: 90,
  EPROTOTYPE: 91,
  ENOPROTOOPT: 92,
  EPROTONOSUPPORT: 93,
  ESOCKTNOSUPPORT: 94,
  EOPNOTSUPP: 95,
  EAFNOSUPPORT: 97,
  EADDRINUSE: 98,
  ECONNRESET: 104,
  ENOBUFS: 105,
  EISCONN: 106,
  ENOTCONN: 107,
  ETIMEDOUT: 110,
  ECONNREFUSED: 111,
} as const;

/** An errno's name: "EAGAIN", "EINTR", ... (ErrnoError's `code`). */
export type ErrnoName = keyof typeof ERRNO;

/** Signal numbers (x86_64). SIGRTMIN is glibc's 34: glibc reserves 32 and 33. */
export const SIGNALS = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPWR: 30,
  SIGSYS: 31,
  SIGRTMIN: 34,
  SIGRTMAX: 64,
} as const;

/** A signal's name: "SIGUSR1", ... (wait statuses and signal sets name them). */
export type SignalName = keyof typeof SIGNALS;

/** Flag and command values, grouped by the argument they belong to. A trace names flags by
 * these C names; the codec checks that a name belongs to the argument's group. */
export const FLAGS = {
  open: {
    O_RDONLY: 0o0,
    O_WRONLY: 0o1,
    O_RDWR: 0o2,
    O_CREAT: 0o100,
    O_EXCL: 0o200,
    O_NOCTTY: 0o400,
    O_TRUNC: 0o1000,
    O_APPEND: 0o2000,
    O_NONBLOCK: 0o4000,
    O_DSYNC: 0o10000,
    O_ASYNC: 0o20000,
    O_DIRECT: 0o40000,
    O_LARGEFILE: 0o100000,
    O_DIRECTORY: 0o200000,
    O_NOFOLLOW: 0o400000,
    O_NOATIME: 0o1000000,
    O_CLOEXEC: 0o2000000,
    O_PATH: 0o10000000,
    // Two-bit names (sim/trace/calls.ts splitFlags prefers them to their single bits).
    O_SYNC: 0o4010000,
    O_TMPFILE: 0o20200000,
  },
  fcntl: {
    F_DUPFD: 0,
    F_GETFD: 1,
    F_SETFD: 2,
    F_GETFL: 3,
    F_SETFL: 4,
    F_SETOWN: 8,
    F_GETOWN: 9,
    F_SETSIG: 10,
    F_GETSIG: 11,
    F_SETOWN_EX: 15,
    F_GETOWN_EX: 16,
    F_DUPFD_CLOEXEC: 1030,
    F_SETPIPE_SZ: 1031,
    F_GETPIPE_SZ: 1032,
    // fs/fcntl.c do_fcntl's other commands (include/uapi/asm-generic/fcntl.h,
    // include/uapi/linux/fcntl.h); docs/audit/fcntl.md says which the model honours.
    F_GETOWNER_UIDS: 17,
    F_GETLK: 5,
    F_SETLK: 6,
    F_SETLKW: 7,
    F_OFD_GETLK: 36,
    F_OFD_SETLK: 37,
    F_OFD_SETLKW: 38,
    F_SETLEASE: 1024,
    F_GETLEASE: 1025,
    F_NOTIFY: 1026,
    F_DUPFD_QUERY: 1027,
    F_CREATED_QUERY: 1028,
    F_CANCELLK: 1029,
    F_ADD_SEALS: 1033,
    F_GET_SEALS: 1034,
    F_GET_RW_HINT: 1035,
    F_SET_RW_HINT: 1036,
    F_GET_FILE_RW_HINT: 1037,
    F_SET_FILE_RW_HINT: 1038,
  },
  fd: { FD_CLOEXEC: 1 },
  /** include/uapi/asm-generic/fcntl.h: flock(2)'s operations (LOCK_MAND is ignored). */
  flock: { LOCK_SH: 1, LOCK_EX: 2, LOCK_NB: 4, LOCK_UN: 8, LOCK_MAND: 32 },
  /** struct flock's l_type (include/uapi/asm-generic/fcntl.h); its l_whence takes `seek`'s
   * first three (sim/trace/calls.ts NAMES.whence). */
  locktype: { F_RDLCK: 0, F_WRLCK: 1, F_UNLCK: 2 },
  wait: { WNOHANG: 1, WUNTRACED: 2, WCONTINUED: 8 },
  ipc: {
    IPC_CREAT: 0o1000,
    IPC_EXCL: 0o2000,
    IPC_NOWAIT: 0o4000,
    MSG_NOERROR: 0o10000,
    MSG_EXCEPT: 0o20000,
    MSG_COPY: 0o40000,
    SEM_UNDO: 0x1000,
    SHM_RDONLY: 0o10000,
    SHM_RND: 0o20000,
    SHM_REMAP: 0o40000,
    SHM_EXEC: 0o100000,
  },
  ipcctl: {
    IPC_RMID: 0,
    IPC_SET: 1,
    IPC_STAT: 2,
    IPC_INFO: 3,
    GETPID: 11,
    GETVAL: 12,
    GETALL: 13,
    GETNCNT: 14,
    GETZCNT: 15,
    SETVAL: 16,
    SETALL: 17,
    MSG_STAT: 11,
    MSG_INFO: 12,
    MSG_STAT_ANY: 13,
    SHM_STAT: 13,
    SHM_INFO: 14,
    SEM_STAT: 18,
    SEM_INFO: 19,
    SEM_STAT_ANY: 20,
    SHM_LOCK: 11,
    SHM_UNLOCK: 12,
    SHM_STAT_ANY: 15,
  },
  sigprocmask: { SIG_BLOCK: 0, SIG_UNBLOCK: 1, SIG_SETMASK: 2 },
  /** include/uapi/linux/signal.h: stack_t's ss_flags (sigaltstack): the modes, and
   * SS_AUTODISARM (SS_FLAG_BITS) above them. */
  ss: { SS_ONSTACK: 1, SS_DISABLE: 2, SS_AUTODISARM: 0x80000000 },
  sigaction: {
    SA_NOCLDSTOP: 1,
    SA_NOCLDWAIT: 2,
    SA_SIGINFO: 4,
    SA_ONSTACK: 0x08000000,
    SA_RESTART: 0x10000000,
    SA_NODEFER: 0x40000000,
    SA_RESETHAND: 0x80000000,
  },
  /** include/uapi/asm-generic/mman-common.h: PROT_SEM is accepted and ignored on x86; the
   * GROWS bits are mprotect's (mmap ignores them). */
  prot: {
    PROT_NONE: 0, PROT_READ: 1, PROT_WRITE: 2, PROT_EXEC: 4, PROT_SEM: 8,
    PROT_GROWSDOWN: 0x01000000, PROT_GROWSUP: 0x02000000,
  },
  /** include/uapi/linux/mman.h, include/uapi/asm-generic/mman-common.h, arch/x86's mman.h.
   * MAP_SHARED_VALIDATE (3) is both type bits: splitFlags prefers it to them. */
  mmap: {
    MAP_SHARED: 1, MAP_PRIVATE: 2, MAP_FIXED: 0x10, MAP_ANONYMOUS: 0x20, MAP_SHARED_VALIDATE: 3,
    MAP_DROPPABLE: 8, MAP_32BIT: 0x40, MAP_GROWSDOWN: 0x100, MAP_DENYWRITE: 0x800,
    MAP_EXECUTABLE: 0x1000, MAP_LOCKED: 0x2000, MAP_NORESERVE: 0x4000, MAP_POPULATE: 0x8000,
    MAP_NONBLOCK: 0x10000, MAP_STACK: 0x20000, MAP_HUGETLB: 0x40000, MAP_SYNC: 0x80000,
    MAP_FIXED_NOREPLACE: 0x100000, MAP_UNINITIALIZED: 0x4000000,
  },
  /** include/uapi/linux/time.h: clock ids (6 is COARSE monotonic; 10 is unused). */
  clock: {
    CLOCK_REALTIME: 0,
    CLOCK_MONOTONIC: 1,
    CLOCK_PROCESS_CPUTIME_ID: 2,
    CLOCK_THREAD_CPUTIME_ID: 3,
    CLOCK_MONOTONIC_RAW: 4,
    CLOCK_REALTIME_COARSE: 5,
    CLOCK_MONOTONIC_COARSE: 6,
    CLOCK_BOOTTIME: 7,
    CLOCK_REALTIME_ALARM: 8,
    CLOCK_BOOTTIME_ALARM: 9,
    CLOCK_TAI: 11,
  },
  /** include/uapi/linux/time.h: clock_nanosleep's and timer_settime's flags. */
  timer: { TIMER_ABSTIME: 1 },
  /** include/uapi/linux/time.h: setitimer's and getitimer's `which`. */
  itimer: { ITIMER_REAL: 0, ITIMER_VIRTUAL: 1, ITIMER_PROF: 2 },
  /** include/uapi/asm-generic/siginfo.h: a sigevent's sigev_notify. */
  sigev: { SIGEV_SIGNAL: 0, SIGEV_NONE: 1, SIGEV_THREAD: 2, SIGEV_THREAD_ID: 4 },
  /** include/uapi/linux/futex.h: futex's op, each command with and without
   * FUTEX_PRIVATE_FLAG (128). FUTEX_CLOCK_REALTIME (256) is written as a number (op 393 is
   * FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME). The PI commands (6, 7, 8, 11, 12, 13)
   * are not modelled: docs/differences.md `futex-pi`. */
  futex: {
    FUTEX_WAIT: 0, FUTEX_WAKE: 1, FUTEX_REQUEUE: 3, FUTEX_CMP_REQUEUE: 4, FUTEX_WAKE_OP: 5,
    FUTEX_WAIT_BITSET: 9, FUTEX_WAKE_BITSET: 10,
    FUTEX_WAIT_PRIVATE: 128, FUTEX_WAKE_PRIVATE: 129, FUTEX_REQUEUE_PRIVATE: 131,
    FUTEX_CMP_REQUEUE_PRIVATE: 132, FUTEX_WAKE_OP_PRIVATE: 133, FUTEX_WAIT_BITSET_PRIVATE: 137,
    FUTEX_WAKE_BITSET_PRIVATE: 138,
  },
  /** include/uapi/asm-generic/mman-common.h: msync's flags. */
  msync: { MS_ASYNC: 1, MS_INVALIDATE: 2, MS_SYNC: 4 },
  /** include/uapi/linux/signalfd.h: signalfd4's flags (O_CLOEXEC, O_NONBLOCK). */
  signalfd: { SFD_CLOEXEC: 0o2000000, SFD_NONBLOCK: 0o4000 },
  /** include/uapi/asm-generic/poll.h: struct pollfd's events and revents (x86_64 values). */
  poll: {
    POLLIN: 0x1, POLLPRI: 0x2, POLLOUT: 0x4, POLLERR: 0x8, POLLHUP: 0x10, POLLNVAL: 0x20,
    POLLRDNORM: 0x40, POLLRDBAND: 0x80, POLLWRNORM: 0x100, POLLWRBAND: 0x200, POLLMSG: 0x400,
    POLLRDHUP: 0x2000,
  },
  /** include/uapi/linux/eventpoll.h: epoll_create1's flags (O_CLOEXEC), epoll_ctl's op, and
   * struct epoll_event's events (the poll bits plus the input flags; EPOLLET is bit 31). */
  epoll: { EPOLL_CLOEXEC: 0o2000000 },
  epollctl: { EPOLL_CTL_ADD: 1, EPOLL_CTL_DEL: 2, EPOLL_CTL_MOD: 3 },
  epollev: {
    EPOLLIN: 0x1, EPOLLPRI: 0x2, EPOLLOUT: 0x4, EPOLLERR: 0x8, EPOLLHUP: 0x10, EPOLLNVAL: 0x20,
    EPOLLRDNORM: 0x40, EPOLLRDBAND: 0x80, EPOLLWRNORM: 0x100, EPOLLWRBAND: 0x200,
    EPOLLMSG: 0x400, EPOLLRDHUP: 0x2000, EPOLL_URING_WAKE: 0x8000000,
    EPOLLEXCLUSIVE: 0x10000000, EPOLLWAKEUP: 0x20000000, EPOLLONESHOT: 0x40000000,
    EPOLLET: 0x80000000,
  },
  /** include/linux/socket.h: address families (socket's and socketpair's domain; AF_LOCAL is
   * AF_UNIX). */
  family: { AF_UNSPEC: 0, AF_UNIX: 1, AF_INET: 2, AF_INET6: 10, AF_NETLINK: 16, AF_PACKET: 17 },
  /** include/linux/net.h: socket types, and the flags type may carry (SOCK_NONBLOCK is
   * O_NONBLOCK, SOCK_CLOEXEC O_CLOEXEC). SOCK_RAW, SOCK_SEQPACKET, SOCK_DCCP and SOCK_PACKET
   * are several bits: splitFlags prints them before SOCK_STREAM and SOCK_DGRAM. */
  socktype: {
    SOCK_STREAM: 1, SOCK_DGRAM: 2, SOCK_RAW: 3, SOCK_RDM: 4, SOCK_SEQPACKET: 5, SOCK_DCCP: 6,
    SOCK_PACKET: 10, SOCK_NONBLOCK: 0o4000, SOCK_CLOEXEC: 0o2000000,
  },
  /** include/linux/socket.h: send's and recv's flags. */
  msg: {
    MSG_OOB: 1, MSG_PEEK: 2, MSG_DONTROUTE: 4, MSG_CTRUNC: 8, MSG_TRUNC: 0x20,
    MSG_DONTWAIT: 0x40, MSG_EOR: 0x80, MSG_WAITALL: 0x100, MSG_NOSIGNAL: 0x4000,
    MSG_MORE: 0x8000, MSG_CMSG_CLOEXEC: 0x40000000,
  },
  /** include/linux/net.h: shutdown's how. */
  shut: { SHUT_RD: 0, SHUT_WR: 1, SHUT_RDWR: 2 },
  /** include/linux/socket.h, uapi/asm-generic/socket.h: getsockopt's and setsockopt's level
   * and the SOL_SOCKET options modelled (IPPROTO_TCP is a level AF_UNIX has no options at). */
  sol: { SOL_SOCKET: 1, IPPROTO_TCP: 6 },
  so: { SO_TYPE: 3, SO_ERROR: 4, SO_SNDBUF: 7, SO_RCVBUF: 8, SO_PEERCRED: 17 },
  /** include/uapi/linux/fcntl.h: the *at calls' flags. */
  at: {
    AT_SYMLINK_NOFOLLOW: 0x100, AT_REMOVEDIR: 0x200, AT_SYMLINK_FOLLOW: 0x400,
    AT_NO_AUTOMOUNT: 0x800, AT_EMPTY_PATH: 0x1000,
  },
  /** include/uapi/linux/fcntl.h: faccessat2's flags (AT_EACCESS shares AT_REMOVEDIR's bit). */
  faccessat: { AT_EACCESS: 0x200, AT_SYMLINK_NOFOLLOW: 0x100, AT_EMPTY_PATH: 0x1000 },
  /** include/uapi/linux/fs.h: lseek's whence. */
  seek: { SEEK_SET: 0, SEEK_CUR: 1, SEEK_END: 2, SEEK_DATA: 3, SEEK_HOLE: 4 },
  /** include/uapi/linux/fcntl.h (unistd.h's names): access's mode. */
  access: { F_OK: 0, X_OK: 1, W_OK: 2, R_OK: 4 },
  /** include/uapi/linux/fs.h: renameat2's flags. */
  rename: { RENAME_NOREPLACE: 1, RENAME_EXCHANGE: 2, RENAME_WHITEOUT: 4 },
  /** include/uapi/linux/futex.h: the bits of futex's op besides the command. */
  futexFlags: { FUTEX_PRIVATE_FLAG: 128, FUTEX_CLOCK_REALTIME: 256 },
} as const;

/** siginfo's si_code of a signal a process sent (include/uapi/asm-generic/siginfo.h): kill's,
 * and sigqueue's (whose si_value a handler's `signal` event reports), tgkill's. */
export const SI_CODE = {
  SI_USER: 0, SI_KERNEL: 0x80, SI_QUEUE: -1, SI_TIMER: -2, SI_MESGQ: -3, SI_TKILL: -6,
} as const;

/** SIGCHLD's si_code (include/uapi/asm-generic/siginfo.h): what happened to the child
 * (CLD_DUMPED never: RLIMIT_CORE is 0; CLD_TRAPPED never: no ptrace). */
export const CLD_CODE = {
  CLD_EXITED: 1, CLD_KILLED: 2, CLD_DUMPED: 3, CLD_TRAPPED: 4, CLD_STOPPED: 5, CLD_CONTINUED: 6,
} as const;

/** Signal-driven I/O (include/uapi/asm-generic/fcntl.h, siginfo.h): struct f_owner_ex's type,
 * and the si_code of a signal F_SETSIG chose (POLL_IN, POLL_OUT, or SI_SIGIO where the signal
 * has codes of its own). */
export const FASYNC_ABI = {
  F_OWNER_TID: 0, F_OWNER_PID: 1, F_OWNER_PGRP: 2, POLL_IN: 1, POLL_OUT: 2, SI_SIGIO: -5,
} as const;

/** Handler values for sigaction's `handler` (SIG_DFL and SIG_IGN are Linux's; `catch` and
 * `calls` are ours: a handler that only records its delivery, and one that makes calls, run as a
 * frame until its sigreturn step: kernel/sigframe.ts). */
export const HANDLERS = { SIG_DFL: 0, SIG_IGN: 1, catch: 2, calls: 3 } as const;

/** File type and permission bits used by mkfifo/open (include/uapi/linux/stat.h). */
export const MODE = {
  S_IFSOCK: 0o140000, S_IFIFO: 0o10000,
  S_IFCHR: 0o20000, S_IFDIR: 0o40000, S_IFREG: 0o100000, S_IFLNK: 0o120000,
  S_IFMT: 0o170000,
} as const;

/** Codes the kernel returns that are not errno values. They never leak into a trace. */
export const KERNEL = {
  /** The call could not complete: the process now sleeps on a wait channel. */
  BLOCKED: -1000,
  /** The caller was killed inside the call (a fatal SIGPIPE or SIGSEGV): no result. */
  KILLED: -1001,
  /** The caller named by the engine is not an idle live process (an invalid trace step). */
  BADCALLER: -1002,
  /** Inside the kernel only: delivery stopped the process (its call's return waits in sigRet). */
  SIG_STOPPED: -1003,
  /** Inside the kernel only: delivery opened a `calls` handler's frame (kernel/sigframe.ts):
   * the call has not returned to the code it interrupted. */
  SIG_FRAMED: -1004,
} as const;

/** Restart codes (include/linux/errno.h): what an interrupted call returns inside the kernel;
 * signal delivery turns them into EINTR or a restart (kernel/sigdeliver.ts). Never in a trace. */
export const RESTART = {
  ERESTARTSYS: 512, ERESTARTNOINTR: 513, ERESTARTNOHAND: 514, ERESTART_RESTARTBLOCK: 516,
} as const;

/** Flag bits and mode bits the kernel tests that a trace gives as numbers, not names (a name in
 * FLAGS is one the trace codec accepts and prints). */
export const FLAG_BITS = {
  /** include/uapi/asm-generic/fcntl.h: O_TMPFILE is __O_TMPFILE | O_DIRECTORY. */
  __O_TMPFILE: 0o20000000,
  /** include/uapi/asm-generic/fcntl.h: O_SYNC is __O_SYNC | O_DSYNC. */
  __O_SYNC: 0o4000000,
  /** include/uapi/linux/wait.h. */
  __WNOTHREAD: 0x20000000,
  __WALL: 0x40000000,
  __WCLONE: 0x80000000,
  /** include/linux/shm.h: shm_perm.mode bits IPC_STAT shows. */
  SHM_DEST: 0o1000,
  SHM_LOCKED: 0o2000,
  /** include/uapi/linux/mman.h: the MAP_SHARED/MAP_PRIVATE field of mmap's flags. */
  MAP_TYPE: 0x0f,
} as const;

/** Limits of the model that the TypeScript side also states (host-bridge/differences.ts). */
/** Virtual time (docs/trace-format.md "Time"). The quantum: on the host bridge every valid
 * duration, absolute time, interval and advance of a trace is a multiple of it, and time
 * values are compared within it. The realtime start: CLOCK_REALTIME at the trace's start when
 * the header does not set `realtime` (2026-01-01T00:00:00Z). */
export const TIME = {
  QUANTUM_NS: 100_000_000,
  REALTIME_START_SEC: 1767225600,
} as const;

export const LIMITS = {
  /** Signal handler frames stacked at once (kernel/signal.ts: they fill the signal page). */
  SIG_FRAMES_MAX: 160,
} as const;

/** Pseudo-calls the host agent knows only under --test-calls (host-bridge/agent/agent.h
 * CALL_SPIN; host-bridge/protocol.ts encodeSpin). Not in CALLS: no trace names them. */
export const TEST_CALLS = { spin: 1999, rawSyscall: 1998 } as const;

/** The user-visible structs the kernel reads or writes in a process's memory, as Linux x86_64
 * lays them out: each field's byte offset, and the struct's `size`. kernel/uapi.ts declares them
 * as @unmanaged classes, and asserts at k_init that its offsetof values are these (the build
 * generates them into kernel/abi.ts as UAPI_<struct>_<field>); the TypeScript encoders and
 * decoders (sim/model/sysv.ts) read them from here. Sources: include/uapi/asm-generic/ipcbuf.h,
 * msgbuf.h, shmbuf.h, arch/x86/include/uapi/asm/sembuf.h, include/uapi/linux/msg.h, sem.h, shm.h,
 * time_types.h. */
export const UAPI = {
  ipc64_perm: { key: 0, uid: 4, gid: 8, cuid: 12, cgid: 16, mode: 20, seq: 24, size: 48 },
  msqid64_ds: {
    msg_perm: 0, msg_stime: 48, msg_rtime: 56, msg_ctime: 64, msg_cbytes: 72, msg_qnum: 80,
    msg_qbytes: 88, msg_lspid: 96, msg_lrpid: 100, size: 120,
  },
  semid64_ds: { sem_perm: 0, sem_otime: 48, sem_ctime: 64, sem_nsems: 80, size: 104 },
  shmid64_ds: {
    shm_perm: 0, shm_segsz: 48, shm_atime: 56, shm_dtime: 64, shm_ctime: 72, shm_cpid: 80,
    shm_lpid: 84, shm_nattch: 88, size: 112,
  },
  msginfo: {
    msgpool: 0, msgmap: 4, msgmax: 8, msgmnb: 12, msgmni: 16, msgssz: 20, msgtql: 24, msgseg: 28,
    size: 32,
  },
  seminfo: {
    semmap: 0, semmni: 4, semmns: 8, semmnu: 12, semmsl: 16, semopm: 20, semume: 24, semusz: 28,
    semvmx: 32, semaem: 36, size: 40,
  },
  shminfo64: { shmmax: 0, shmmin: 8, shmmni: 16, shmseg: 24, shmall: 32, size: 72 },
  shm_info: { used_ids: 0, shm_tot: 8, shm_rss: 16, shm_swp: 24, size: 48 },
  msgbuf: { mtype: 0, mtext: 8 },
  sembuf: { sem_num: 0, sem_op: 2, sem_flg: 4, size: 6 },
  timespec: { tv_sec: 0, tv_nsec: 8, size: 16 },
  /** struct __kernel_old_timeval (gettimeofday, itimerval's halves). */
  timeval: { tv_sec: 0, tv_usec: 8, size: 16 },
  /** struct __kernel_old_itimerval (setitimer, getitimer). */
  itimerval: { it_interval: 0, it_value: 16, size: 32 },
  /** struct __kernel_itimerspec (timer_settime, timer_gettime). */
  itimerspec: { it_interval: 0, it_value: 16, size: 32 },
  /** struct sigevent (timer_create; include/uapi/asm-generic/siginfo.h): sigev_value's
   * sival_int is its low 4 bytes; _tid is sigev_un._tid (SIGEV_THREAD_ID). */
  sigevent: { sigev_value: 0, sigev_signo: 8, sigev_notify: 12, sigev_tid: 16, size: 64 },
  /** stack_t (sigaltstack; include/uapi/asm-generic/signal.h on x86_64). */
  stack_t: { ss_sp: 0, ss_flags: 8, ss_size: 16, size: 24 },
} as const;

/** Process states as the kernel's process table stores them (the words: docs/glossary.md). */
export const PROC_STATE = {
  UNUSED: 0,
  IDLE: 1,
  BLOCKED: 2,
  WOKEN: 3,
  ZOMBIE: 4,
  STOPPED: 5,
} as const;

/** Kinds of event the kernel appends to its event log during a call (see kernel/event.ts). */
export const EVENT = {
  WAKE: 1,
  EXIT: 2,
  SIGNAL: 3,
  STOP: 4,
  CONT: 5,
  /** Bytes or a message moved through an object (only while k_flow_log is on). */
  FLOW: 6,
} as const;

/** Wait-status encoding (the wait(2) macros): exited = code << 8, signaled = signo,
 * stopped = (signo << 8) | 0x7f, continued = 0xffff. */
export const WAIT_STATUS = { STOPPED: 0x7f, CONTINUED: 0xffff } as const;
