// The known differences between the model and Linux, one entry each with its reason (the
// table in docs/differences.md is the readable copy). `diff` names an entry when the first
// disagreement is one of these; any other disagreement is a failure. Nothing here is a
// tolerance: an entry matches only the exact situation it describes.

import { futexCommand } from "../sim/trace/calls.js";
import type { Outcome, Step } from "../sim/trace/types.js";
import { FLAGS } from "../wasm/abi.js";

/** A difference between the model and Linux that is known and explained
 * (docs/differences.md): diff names it when it explains a disagreement. */
export interface KnownDifference {
  id: string;
  summary: string;
  reason: string;
  /** Does this entry explain the disagreement at `step` (host did `host`, model allowed `model`)?
   * Absent when `diff` can never meet the difference: the trace engine refuses the step, or no
   * trace can observe it. Such entries are listed so that this file and docs/differences.md
   * name the same differences (host-bridge/differences.test.ts). */
  applies?(step: Step, host: Outcome, model: readonly Outcome[]): boolean;
}

const { O_TMPFILE } = FLAGS.open;
/** Calls that move a file's offset or size (the `file-offsets` entry). */
const FILE_SIZE_CALLS: ReadonlySet<string> =
  new Set(["write", "pwrite64", "truncate", "ftruncate", "lseek"]);
const O_NOTIFICATION_PIPE = 0o200;

function modelErrno(model: readonly Outcome[], errno: string): boolean {
  return model.some((o) =>
    o.result !== undefined && o.result !== "blocked" && o.result.errno === errno);
}

/** A process died of SIGSEGV in the step (the `sigaltstack` entry: a frame that did not fit). */
function segvDeath(o: Outcome): boolean {
  return o.events.some((e) => "exit" in e && "signaled" in e.status &&
    e.status.signaled === "SIGSEGV");
}

export const DIFFERENCES: readonly KnownDifference[] = [
  {
    id: "file-offsets",
    summary: "file offsets and sizes stop at 2^31 - 1 (EFBIG for a write or truncate past it, " +
      "EINVAL for lseek)",
    reason: "the kernel's registers and results are 32-bit",
    applies: (step, _host, model) =>
      FILE_SIZE_CALLS.has(step.call) &&
      (modelErrno(model, "EFBIG") || (step.call === "lseek" && modelErrno(model, "EINVAL"))),
  },
  {
    id: "files",
    summary: "one tmpfs of 1,024 inodes and 4 MiB; O_TMPFILE gives EOPNOTSUPP; a directory's " +
      "offset is its listing position; no call sets a file time (no utimensat), and the calls " +
      "of one virtual instant happen at one time; only access checks permissions",
    reason: "the model's file system is tmpfs only",
    applies: (step, _host, model) =>
      (step.call === "open" || step.call === "openat") &&
      (step.args.flags & O_TMPFILE) === O_TMPFILE && modelErrno(model, "EOPNOTSUPP"),
  },
  {
    id: "no-notification-pipe",
    summary: "pipe2(O_NOTIFICATION_PIPE) gives ENOPKG in the model, as a kernel without " +
      "CONFIG_WATCH_QUEUE does; a kernel with it makes a notification pipe",
    reason: "watch queues (CONFIG_WATCH_QUEUE) are not modelled",
    applies: (step, _host, model) =>
      step.call === "pipe" && (step.args.flags & O_NOTIFICATION_PIPE) !== 0 &&
      modelErrno(model, "ENOPKG"),
  },
  {
    id: "ipc-buffer-max",
    summary: "a message above 4 MiB or a semaphore set above 131,072 semaphores gives ENOMEM",
    reason: "an IPC object's contents live in one index page of 1024 pages",
    applies: (step, _host, model) =>
      (step.call === "msgsnd" || step.call === "semget") && modelErrno(model, "ENOMEM"),
  },
  {
    id: "mapping-range",
    summary: "a segment or mapping larger than about 2 GiB, or a fixed address outside " +
      "[0x02000000, 0x7fff0000), gives ENOMEM in the model",
    reason: "32-bit addresses, kept positive as an i32 so that an address never looks like -errno",
    applies: (step, host, model) =>
      (step.call === "shmat" || step.call === "mmap") && modelErrno(model, "ENOMEM") &&
      host.result !== undefined && host.result !== "blocked" && host.result.errno === undefined,
  },
  {
    id: "max-map-count",
    summary: "vm.max_map_count (65,530) counts the trace's mappings and the I/O area only; " +
      "on Linux the program's own mappings count too, so mmap, shmat or munmap gives ENOMEM " +
      "a few dozen mappings earlier",
    reason: "the model's process has no program text, libraries or stack to map",
    applies: (step, host, model) =>
      (step.call === "shmat" || step.call === "mmap" || step.call === "munmap") &&
      host.result !== undefined && host.result !== "blocked" && host.result.errno === "ENOMEM" &&
      !modelErrno(model, "ENOMEM"),
  },
  {
    id: "signal-frames-max",
    summary: "at most 160 signal handler frames are stacked at once; " +
      "past that the top handler runs first",
    reason: "a process's frames live in its signal page; " +
      "only SA_NODEFER realtime signals queued deeper than that reach it",
    applies: (_step, host) => host.events.filter((e) => "signal" in e).length > 160,
  },
  {
    id: "sigaltstack",
    summary: "the alternate signal stack is state only: sp is a number, a frame never " +
      "overflows it (Linux's get_sigframe kills with SIGSEGV when one does not fit), and on " +
      "it means the region a frame switched to, not the real sp",
    reason: "the model has no stack memory",
    applies: (_step, host, model) => segvDeath(host) && !model.some(segvDeath),
  },
  // Never met by `diff` (see `applies`): the table in docs/differences.md says more.
  { id: "handler-calls", summary: "fork inside a `calls` signal handler is refused; each " +
      "handler depth has its own part of the engine's call buffers (1 MiB, 27 KiB past 8 deep)",
    reason: "the child would return into its parent's interrupted call; the engine's I/O " +
      "area is cut into a slice per handler depth" },
  { id: "pipe-max-slots", summary: "fs.pipe-max-size above 1 MiB is refused in a trace header",
    reason: "a pipe ring is one page of slot records (256 slots)" },
  { id: "poll-entries", summary: "at most 2,048 poll table entries system-wide: a poll " +
      "that would sleep past them gives ENOMEM; a queue's pollers wake before its other waiters",
    reason: "the entries are a fixed pool; a process sleeps on one wait queue (pollwait.ts)" },
  { id: "ppoll-timespec", summary: "ppoll and pselect6 write the time left back, but no " +
      "trace output shows it",
    reason: "a trace's timeout is a value, not memory a later step reads" },
  { id: "poll-wake-keys", summary: "a poll or select sleeper is woken by a wake of its queue " +
      "whatever the wake's key names (it polls again and sleeps again); epoll items do filter",
    reason: "a poll table entry keeps no event mask (kernel/pollwait.ts)" },
  { id: "epoll-exclusive-order", summary: "EPOLLEXCLUSIVE items' callbacks run after a " +
      "queue's pollers and before its own exclusive sleepers, not interleaved by arrival",
    reason: "poll and epoll entries are a table beside the queue (kernel/pollwait.ts)" },
  { id: "epoll-limits", summary: "128 epolls (ENOMEM), 1,024 items (ENOSPC); no " +
      "reverse_path_check limits; EPOLLWAKEUP dropped",
    reason: "fixed tables (kernel/epoll.ts); the host runs without CAP_BLOCK_SUSPEND" },
  { id: "select-max-fds", summary: "select's nfds is cut at 1,024, not at the fd table's " +
      "max_fds (64 for a small table: bits past it ignored)",
    reason: "the model keeps no fd table size; the host's traced tables are large" },
  { id: "pid-limit", summary: "a trace can create at most 32,766 processes (pid_max 32,768)",
    reason: "pids are table slots and never reused" },
  { id: "oom-killer", summary: "out of memory on a fault: the OOM killer, without " +
      "oom_score_adj, swap or delay; ENOMEM inside a call",
    reason: "the model has no reclaim; its memory is wasm's 4 GiB" },
  { id: "addresses-32-bit", summary: "user addresses are 32-bit",
    reason: "wasm32; addresses are opaque to traces" },
  { id: "args-32-bit", summary: "integer arguments must fit 32 bits (the engine refuses others)",
    reason: "the kernel ABI passes i32 arguments" },
  { id: "c-efault", summary: "a C guest's call with a bad pointer fails with EFAULT before it " +
    "is a step", reason: "a trace cannot write a bad pointer; the host reads C's structs first" },
  { id: "mapping-layout", summary: "the model places mappings top-down with nothing else mapped",
    reason: "addresses are opaque to traces; generated traces only touch mappings they hold" },
  { id: "io-area", summary: "the engine's I/O area cannot be unmapped or replaced",
    reason: "the engine needs it to pass every call's buffers" },
  { id: "store-all-or-nothing", summary: "a store that faults part way stores nothing",
    reason: "the model checks every page of an access before a byte moves" },
  { id: "segv-handler-loop", summary: "a faulting access with a SIGSEGV handler is refused",
    reason: "on Linux the handler returns and the access runs again, forever" },
  { id: "exec-only-pages", summary: "a PROT_EXEC-only mapping is readable in the model",
    reason: "x86 without PKU reads any present page; the generator does not draw PROT_EXEC" },
  { id: "zero-page", summary: "an untouched private page that is read gets a zero frame of its own",
    reason: "one frame per page keeps copy-on-write simple; no trace can observe it" },
  { id: "no-cpu-time",
    summary: "CPU clocks read 0, ITIMER_VIRTUAL/ITIMER_PROF and CPU-clock timers never fire",
    reason: "the model has no CPU time: a call takes none, only `advance` moves the clock" },
  { id: "posix-timers-max", summary: "at most 4,096 POSIX timers at once (then EAGAIN)",
    reason: "the timers are a fixed pool (kernel/param.ts NPOSIXTIMER)" },
  { id: "sigev-thread", summary: "SIGEV_THREAD sends a signal, as the raw syscall does",
    reason: "glibc's helper thread for SIGEV_THREAD is not modelled (no threads)" },
  {
    id: "thread-pending",
    summary: "a standard signal sent to the thread (raise, a pipe's SIGPIPE, a fault) while the " +
      "same signal sent to the process is pending (or the other way round) coalesces with it, " +
      "where Linux keeps one in each set and delivers both",
    reason: "no threads: one pending set, each signal marked as the thread's or the process's " +
      "(dequeued thread's first, as Linux does)",
    applies: (_step, host, model) => {
      const count = (events: readonly object[]) =>
        events.filter((e) => "signal" in e).length;
      return model.every((o) => count(o.events) < count(host.events));
    },
  },
  { id: "signalfd-zeroed", summary: "a signalfd record's ssi_utime and ssi_stime (SIGCHLD), " +
      "ssi_tid and ssi_overrun (SI_TIMER), ssi_band and ssi_fd (SIGIO) are 0",
    reason: "the model has no CPU time, no timer ids or poll bands in its siginfo; the " +
      "bridge zeroes them on the host's records too" },
  { id: "sigchld-coalesced-info", summary: "a SIGCHLD handler run that coalesced others of " +
      "its step carries no siginfo (Linux's is the first child's to die)",
    reason: "the model kills a step's children in one order and keeps no siginfo of a " +
      "coalesced standard signal; an event without info is not compared" },
  { id: "alarm-exec", summary: "no exec, so an alarm surviving exec is not modelled yet",
    reason: "exec is not a trace call (the rule, itimers kept across exec, is for later)" },
  { id: "sigio-siginfo", summary: "F_SETSIG's signal has si_code but no si_fd or si_band",
    reason: "the model's siginfo keeps no poll band or descriptor; POLL_ codes show pid 0" },
  { id: "sigio-one-thread", summary: "F_OWNER_TID names the process, as F_OWNER_PID does",
    reason: "one thread a process" },
  {
    id: "mmap-hugetlb",
    summary: "mmap with MAP_HUGETLB gives ENOMEM, as on a host with no huge pages reserved",
    reason: "the model has 4 KiB pages only; vm.nr_hugepages is 0 on the bridge's hosts",
    applies: (step, _host, model) => step.call === "mmap" &&
      (step.args.flags & FLAGS.mmap.MAP_HUGETLB) !== 0 && modelErrno(model, "ENOMEM"),
  },
  { id: "mmap-growsdown", summary: "a MAP_GROWSDOWN mapping never grows downwards",
    reason: "stack expansion (expand_downwards on a fault below it) is not modelled" },
  { id: "mmap-droppable",
    summary: "MAP_DROPPABLE pages are never dropped; such regions never merge",
    reason: "no memory pressure in the model; a merge would only change map_count" },
  { id: "mprotect-merge",
    summary: "mprotect merges only the pieces of one mmap or shmat; MAP_NORESERVE is forgotten",
    reason: "regions keep no struct file of a descriptor; only vm.max_map_count would see it" },
  { id: "mprotect-io-area",
    summary: "mprotect over the I/O area is ENOMEM; a length from 2^31 to 2^32 reads as negative",
    reason: "the I/O area is not the trace's memory; the model's registers are 32-bit" },
  {
    id: "fcntl-unmodelled",
    summary: "a valid F_SET_RW_HINT gives ENOSYS",
    reason: "inode write hints are not modelled (record locks are: kernel/locks.ts)",
    applies: (step, _host, model) => step.call === "fcntl" &&
      step.args.cmd === 1036 && modelErrno(model, "ENOSYS"),
  },
  {
    id: "locks-pool",
    summary: "past 4,096 lock records (held locks and sleepers' requests), fcntl's lock " +
      "commands give ENOLCK and flock ENOMEM",
    reason: "lock records come from a fixed pool (param.ts NLOCK); Linux's only limit is memory",
    applies: (step, _host, model) => (step.call === "fcntl" || step.call === "flock") &&
      (modelErrno(model, "ENOLCK") || (step.call === "flock" && modelErrno(model, "ENOMEM"))),
  },
  { id: "shm-lock", summary: "SHM_LOCK/SHM_UNLOCK only set and clear SHM_LOCKED in the mode",
    reason: "there is no swap to lock against, and no huge pages" },
  { id: "zombie-order-in-step",
    summary: "with several deaths in one step, waitpid(-1) gets the oldest zombie",
    reason: "the race within one step is not branched (not detected by diff)" },
  {
    id: "futex-pi",
    summary: "futex's priority-inheritance commands (FUTEX_LOCK_PI, FUTEX_UNLOCK_PI, " +
      "FUTEX_TRYLOCK_PI, FUTEX_WAIT_REQUEUE_PI, FUTEX_CMP_REQUEUE_PI, FUTEX_LOCK_PI2) give " +
      "ENOSYS in the model",
    reason: "PI futexes (rt-mutexes, owner TIDs in the word, robust lists) are not modelled",
    applies: (step, _host, model) =>
      step.call === "futex" && PI_COMMANDS.has(futexCommand(step.args.op)) &&
      modelErrno(model, "ENOSYS"),
  },
  { id: "mq-limits",
    summary: "fs.mqueue.queues_max above 256 and message sizes above 4 MiB are refused; " +
      "SIGEV_THREAD with a readable cookie is ENOTSOCK",
    reason: "a fixed queue table, one IPC buffer a message, no sockets (no trace can make a " +
      "netlink socket)" },
  { id: "atomics-aligned",
    summary: "cas, xchg and fetch_add need a 4-byte aligned word; the model and the bridge " +
      "refuse an unaligned one",
    reason: "an unaligned atomic is a split lock on x86 (slow, or a fault with " +
      "split_lock_detect); the engine refuses the step" },
  { id: "unix-oob",
    summary: "a stream send with MSG_OOB gives EOPNOTSUPP and a receive with it EINVAL (as " +
      "with no OOB byte queued), where Linux queues the last byte out of band",
    reason: "CONFIG_AF_UNIX_OOB is not modelled yet; the generator draws no MSG_OOB" },
  { id: "socket-families",
    summary: "only AF_UNIX makes sockets; AF_INET and AF_INET6 answer socketpair for TCP, UDP " +
      "and types with no protocol, other families give EAFNOSUPPORT (socket too, for TCP " +
      "and UDP)",
    reason: "the model has no network stack; the generator draws no other family" },
  { id: "unix-autobind-name",
    summary: "autobind names count from 00000 in the order sockets autobind, where Linux " +
      "starts from a random number",
    reason: "the model has no randomness; the generator draws no autobind" },
  { id: "unix-dgram-sendto-addr",
    summary: "sendto takes no address and recvfrom reports no source address",
    reason: "sendmsg's address path is not modelled yet (issue 17)" },
  { id: "unix-sigio",
    summary: "O_ASYNC on a socket is kept (F_GETFL shows it) but the socket sends no SIGIO",
    reason: "sock_fasync and sk_wake_async are not modelled yet" },
  { id: "unix-options",
    summary: "of the SOL_SOCKET options only SO_TYPE, SO_ERROR, SO_SNDBUF, SO_RCVBUF and " +
      "SO_PEERCRED (get) are modelled; any other gives ENOPROTOOPT, where Linux has many",
    reason: "issue 17 brings the others (SO_PEERCRED, SO_PASSCRED, the timeouts) one by one; " +
      "the generator draws only these" },
  { id: "unix-limits",
    summary: "at most 2,048 sockets (ENFILE) and 8,192 queued socket buffers (ENOBUFS) " +
      "system-wide, 4 MiB queued on one socket (ENOBUFS)",
    reason: "fixed tables; Linux is limited by memory (and 2 * fs.file-max sockets)" },
];

/** futex's PI commands (include/uapi/linux/futex.h). */
const PI_COMMANDS: ReadonlySet<number> = new Set([6, 7, 8, 11, 12, 13]);

/** The entry that explains a disagreement, if any. */
export function knownDifference(
  step: Step, host: Outcome, model: readonly Outcome[],
): KnownDifference | undefined {
  return DIFFERENCES.find((d) => d.applies?.(step, host, model));
}
