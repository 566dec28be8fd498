// The C constants a scenario needs, as `import { IPC_CREAT, O_NONBLOCK, SIGUSR1 } from "ipcsim"`.
// Values come from wasm/abi.ts (Linux x86_64's), the one ABI source.

import { ERRNO, FLAGS, SIGNALS } from "../../wasm/abi.js";
import { OPEN_NAMES } from "../trace/calls.js";

/** The key of a new private SysV object (sys/ipc.h). */
export const IPC_PRIVATE = 0;
export const {
  IPC_CREAT, IPC_EXCL, IPC_NOWAIT, MSG_NOERROR, MSG_EXCEPT, MSG_COPY, SEM_UNDO, SHM_RDONLY,
  SHM_RND, SHM_REMAP, SHM_EXEC,
} = FLAGS.ipc;
export const {
  IPC_RMID, IPC_SET, IPC_STAT, IPC_INFO, GETPID, GETVAL, GETALL, GETNCNT, GETZCNT, SETVAL, SETALL,
  MSG_STAT, MSG_INFO, SHM_STAT, SHM_INFO, SEM_STAT, SEM_INFO,
} = FLAGS.ipcctl;
/** Every O_ name of Linux's include/uapi/asm-generic/fcntl.h and glibc's <fcntl.h>, with the
 * kernel's value (glibc's x86_64 O_LARGEFILE is 0; this is the bit F_GETFL shows). A call
 * given one it does not take answers as Linux does (pipe2 with O_APPEND: EINVAL). */
export const {
  O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_NOCTTY, O_TRUNC, O_APPEND, O_NONBLOCK, O_DIRECT,
  O_CLOEXEC, O_ACCMODE, O_NDELAY, O_DSYNC, O_SYNC, O_RSYNC, O_FSYNC, O_ASYNC, FASYNC,
  O_LARGEFILE, O_DIRECTORY, O_NOFOLLOW, O_NOATIME, O_PATH, O_TMPFILE,
} = OPEN_NAMES;
/** pipe2's watch-queue flag (linux/watch_queue.h; not modelled: ENOSYS, docs/differences.md). */
export const O_NOTIFICATION_PIPE = O_EXCL;
export const {
  F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD_CLOEXEC, F_SETPIPE_SZ, F_GETPIPE_SZ,
  F_SETOWN, F_GETOWN, F_SETSIG, F_GETSIG, F_SETOWN_EX, F_GETOWN_EX,
  F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW,
} = FLAGS.fcntl;
export const { LOCK_SH, LOCK_EX, LOCK_NB, LOCK_UN } = FLAGS.flock;
export const { F_RDLCK, F_WRLCK, F_UNLCK } = FLAGS.locktype;
export const { SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, SEEK_HOLE } = FLAGS.seek;
/** lockf(3)'s commands (glibc <unistd.h>): os.lockf (sim/scenario/os-locks.ts). */
export const { F_ULOCK, F_LOCK, F_TLOCK, F_TEST } =
  { F_ULOCK: 0, F_LOCK: 1, F_TLOCK: 2, F_TEST: 3 } as const;
export const { FD_CLOEXEC } = FLAGS.fd;
export const { WNOHANG, WUNTRACED, WCONTINUED } = FLAGS.wait;
export const { SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK } = FLAGS.sigprocmask;
export const {
  SA_NOCLDSTOP, SA_NOCLDWAIT, SA_SIGINFO, SA_ONSTACK, SA_RESTART, SA_NODEFER, SA_RESETHAND,
} = FLAGS.sigaction;
/** sigaltstack's flags (os.sigaltstack). */
export const { SS_ONSTACK, SS_DISABLE, SS_AUTODISARM } = FLAGS.ss;
export const { PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC } = FLAGS.prot;
/** mprotect's: PROT_GROWSDOWN extends the range down to a MAP_GROWSDOWN mapping's start. */
export const { PROT_GROWSDOWN, PROT_GROWSUP } = FLAGS.prot;
export const { MAP_SHARED, MAP_PRIVATE, MAP_FIXED, MAP_ANONYMOUS } = FLAGS.mmap;
export const {
  SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGKILL, SIGUSR1, SIGSEGV,
  SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU,
  SIGURG, SIGIO, SIGRTMIN, SIGRTMAX,
} = SIGNALS;
export const {
  CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
  CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME,
  CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM, CLOCK_TAI,
} = FLAGS.clock;
/** futex(2)'s commands, with and without FUTEX_PRIVATE_FLAG, and its other op bits. */
export const {
  FUTEX_WAIT, FUTEX_WAKE, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE, FUTEX_WAKE_OP, FUTEX_WAIT_BITSET,
  FUTEX_WAKE_BITSET, FUTEX_WAIT_PRIVATE, FUTEX_WAKE_PRIVATE, FUTEX_REQUEUE_PRIVATE,
  FUTEX_CMP_REQUEUE_PRIVATE, FUTEX_WAKE_OP_PRIVATE, FUTEX_WAIT_BITSET_PRIVATE,
  FUTEX_WAKE_BITSET_PRIVATE,
} = FLAGS.futex;
export const { FUTEX_PRIVATE_FLAG, FUTEX_CLOCK_REALTIME } = FLAGS.futexFlags;
export const { TIMER_ABSTIME } = FLAGS.timer;
export const { ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF } = FLAGS.itimer;
export const { SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD, SIGEV_THREAD_ID } = FLAGS.sigev;
/** Sockets (sys/socket.h): socketpair's domain and type, send's and recv's flags, shutdown's
 * how (os.socketpair, os.send, os.recv, os.shutdown). */
export const { AF_UNIX, AF_INET } = FLAGS.family;
export const { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_NONBLOCK, SOCK_CLOEXEC } =
  FLAGS.socktype;
export const {
  MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT, MSG_WAITALL, MSG_NOSIGNAL,
} = FLAGS.msg;
export const { SHUT_RD, SHUT_WR, SHUT_RDWR } = FLAGS.shut;
/** Writes up to this many bytes to a pipe are atomic (limits.h). */
export const PIPE_BUF = 4096;
/** Errno values by name (ErrnoError's `code` is the name, `errno` the value). */
export const errno: Readonly<Record<keyof typeof ERRNO, number>> = ERRNO;
/** The *at calls' dirfd for the working directory, and their flags (include/uapi/linux/fcntl.h). */
export const AT_FDCWD = -100;
export const { AT_SYMLINK_NOFOLLOW, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_EMPTY_PATH } = FLAGS.at;
/** access's mode (unistd.h). */
export const { F_OK, X_OK, W_OK, R_OK } = FLAGS.access;
/** msync's flags (sys/mman.h). */
export const { MS_ASYNC, MS_INVALIDATE, MS_SYNC } = FLAGS.msync;
/** poll's events and revents (poll.h): os.poll, os.ppoll (sim/scenario/os-poll.ts). */
export const {
  POLLIN, POLLPRI, POLLOUT, POLLERR, POLLHUP, POLLNVAL, POLLRDNORM, POLLWRNORM,
} = FLAGS.poll;
/** epoll (sys/epoll.h): os.epoll_create1, os.epoll_ctl, os.epoll_wait (os-epoll.ts). */
export const { EPOLL_CLOEXEC } = FLAGS.epoll;
export const { EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD } = FLAGS.epollctl;
export const {
  EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLRDHUP, EPOLLEXCLUSIVE, EPOLLONESHOT, EPOLLET,
} = FLAGS.epollev;
