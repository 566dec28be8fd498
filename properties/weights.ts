// The trace generator's weights, in one place: the name of every generator entry, its default
// weight, the `*_OFF` sets (derived from the call table's `mechanism`), and the presets that
// make one mechanism most of a trace (`*_HEAVY`, the ones `npm run fuzz:diff -- --heavy X`
// offers). The entries themselves (what a call draws and how it is aimed) are in
// call-table.ts, sysv-table.ts, mem-table.ts, signal-table.ts and time-table.ts.
//
// A weight is keyed by an `EntryName`: a call of wasm/calls.ts, or a call and a variant
// ("fcntl-setfl": one call drawn as several entries with their own arguments). A misspelt key
// is a compile error in TypeScript, and an Error at run time (`checkWeights`: traceArb runs it
// on every `weights` option, `parseWeights` on JSON from the command line).
//
// Adding a call: give it a default weight in DEFAULT_WEIGHTS (the compiler asks for it) and an
// entry in its mechanism's table (weights.test.ts fails without one). The presets need no
// change: each names what it turns on, and `only` turns every other entry off.

import { CALL_TABLE, type CallName, type Mechanism } from "../wasm/calls.js";

/** Entries that draw one call in a particular way, named `<call>-<variant>`. */
const VARIANTS = [
  "fcntl-getfl", "fcntl-setfl", "fcntl-getpipe-sz", "fcntl-setpipe-sz",
  "fcntl-setlk", "fcntl-setlkw", "fcntl-getlk", "fcntl-ofd", // record locks: locks-table.ts
  "waitpid-stopped", // waitpid with WUNTRACED/WCONTINUED: reports stops and continues
  "sigaction-calls", // sigaction of a `calls` handler (signal-table.ts)
  "kill-caught", // kill with a signal sigaction-calls catches, to open handler frames
  "read-signalfd", // read of a signalfd: its records (signal-table.ts)
] as const satisfies readonly `${CallName}-${string}`[];

/** Calls the generator draws only through their variants (fcntl: one entry per command). */
const VARIANTS_ONLY = ["fcntl"] as const satisfies readonly CallName[];

type VariantName = (typeof VARIANTS)[number];
export type EntryName = Exclude<CallName, (typeof VARIANTS_ONLY)[number]> | VariantName;

/** A variant counted with another mechanism than its call's (for the `*_OFF` sets). */
const VARIANT_MECHANISM: Partial<Record<VariantName, Mechanism>> = {
  "waitpid-stopped": "signal",
  "read-signalfd": "signal",
  "fcntl-setlk": "locks", "fcntl-setlkw": "locks", "fcntl-getlk": "locks", "fcntl-ofd": "locks",
};

/** The default weights (a trace of 40 steps draws an entry about 40 * weight / sum times).
 * Processes, pipes and FIFOs keep the largest share (74 of 176); SysV, signals, time and
 * paths and files about a tenth each. */
export const DEFAULT_WEIGHTS: Readonly<Record<EntryName, number>> = {
  // processes, descriptors, pipes, FIFOs (call-table.ts)
  fork: 6, exit: 2, waitpid: 3, getppid: 1, pipe: 5, close: 4, dup: 3, dup2: 3,
  "fcntl-getfl": 1, "fcntl-setfl": 3, "fcntl-getpipe-sz": 1, "fcntl-setpipe-sz": 2,
  read: 14, write: 14, readv: 2, writev: 2, mkfifo: 4, open: 6, unlink: 2,
  // SysV message queues and semaphores (sysv-table.ts)
  msgget: 2, msgsnd: 4, msgrcv: 4, msgctl: 1, semget: 2, semop: 5, semtimedop: 1, semctl: 2,
  // shared memory and mappings (mem-table.ts)
  shmget: 1, shmat: 2, shmdt: 1, shmctl: 1, mmap: 2, munmap: 1, mprotect: 1, store: 3, load: 3,
  // atomics and futexes (futex-table.ts)
  cas: 1, xchg: 1, fetch_add: 1, futex: 2,
  // signals (signal-table.ts)
  kill: 7, sigqueue: 2, sigaction: 4, sigprocmask: 2, sigpending: 1, pause: 1, sigsuspend: 1,
  sigtimedwait: 1, signalfd4: 1, "read-signalfd": 1, raise: 1, tgkill: 1, rt_tgsigqueueinfo: 1,
  signal: 1, sigreturn: 2, "sigaction-calls": 1, "kill-caught": 0, "waitpid-stopped": 1,
  sigaltstack: 1,
  // readiness (call-table.ts)
  poll: 2, ppoll: 1, select: 1, pselect6: 1, epoll_create1: 1, epoll_ctl: 1, epoll_wait: 1,
  epoll_pwait: 1,
  // virtual time (time-table.ts): about a tenth, advance the most (sleepers need it)
  clock_gettime: 1, clock_getres: 1, gettimeofday: 1, time: 1, nanosleep: 2,
  clock_nanosleep: 1, alarm: 1, setitimer: 1, getitimer: 1, timer_create: 1, timer_settime: 1,
  timer_gettime: 1, timer_getoverrun: 1, timer_delete: 1, advance: 4,
  // POSIX message queues (mqueue-table.ts)
  mq_open: 1, mq_unlink: 1, mq_timedsend: 1, mq_timedreceive: 1, mq_notify: 1,
  mq_getsetattr: 1,
  // sockets (net-table.ts)
  socketpair: 1, sendto: 2, recvfrom: 2, shutdown: 1, setsockopt: 1, getsockopt: 1,
  socket: 1, bind: 1, listen: 1, connect: 1, accept4: 1, getsockname: 1, getpeername: 1,
  // paths and regular files (files-table.ts): about a tenth, opens and I/O the most
  openat: 2, mkdir: 1, rmdir: 1, unlinkat: 1, chdir: 1, fchdir: 1, umask: 1, chmod: 1,
  access: 1, lseek: 1, pread64: 1, pwrite64: 2, truncate: 1, ftruncate: 1, fsync: 1,
  fdatasync: 1,
  rename: 1, link: 1, symlink: 1, readlink: 1, getcwd: 1, stat: 1, lstat: 1, fstat: 1,
  getdents64: 1, msync: 1, mkdirat: 1, renameat: 1, renameat2: 1, linkat: 1, symlinkat: 1,
  readlinkat: 1, newfstatat: 1, fchmodat: 1, faccessat: 1, faccessat2: 1,
  // file locks (locks-table.ts)
  flock: 1, "fcntl-setlk": 1, "fcntl-setlkw": 1, "fcntl-getlk": 1, "fcntl-ofd": 1,
};

/** Every entry name, in DEFAULT_WEIGHTS order (the known names an error lists). */
export const ENTRY_NAMES = Object.keys(DEFAULT_WEIGHTS) as EntryName[];

/** A `weights` option: entries not named keep their default weight; 0 leaves one out. */
export type Weights = Partial<Record<EntryName, number>>;

/** The call an entry draws: "fcntl-setfl" draws fcntl. */
export function entryCall(name: EntryName): CallName {
  return name.split("-")[0] as CallName;
}

/** The mechanism an entry belongs to: its call's (wasm/calls.ts), unless the variant says. */
export function entryMechanism(name: EntryName): Mechanism {
  const v = VARIANT_MECHANISM[name as VariantName];
  return v ?? CALL_TABLE[entryCall(name)].mechanism;
}

// ---- checking weights that come from outside TypeScript ----

/** Throws unless every key of `weights` is an entry name and every value a weight (an integer
 * >= 0). `where` says whose weights they are ("--weights", "traceArb"). */
export function checkWeights(weights: object, where: string): asserts weights is Weights {
  for (const [key, value] of Object.entries(weights)) {
    if (!Object.hasOwn(DEFAULT_WEIGHTS, key)) {
      throw new Error(`${where}: unknown generator entry "${key}"; the entries are ` +
        ENTRY_NAMES.join(", "));
    }
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`${where}: the weight of "${key}" must be an integer >= 0, not ` +
        JSON.stringify(value));
    }
  }
}

/** Weights from a JSON object (`{"msgsnd": 12, "pipe": 0}`), checked as `checkWeights`. */
export function parseWeights(json: string, where: string): Weights {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new Error(`${where}: not JSON (${(e as Error).message}): ${json}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected an object of weights by entry name, got ${json}`);
  }
  checkWeights(value, where);
  return value;
}

// ---- the sets presets are made of ----

/** Weight 0 for every entry of these mechanisms. */
export function off(...mechanisms: Mechanism[]): Weights {
  const names = ENTRY_NAMES.filter((n) => mechanisms.includes(entryMechanism(n)));
  return Object.fromEntries(names.map((n) => [n, 0]));
}

/** `on`, and weight 0 for every other entry (a preset that focuses on some calls leaves the
 * rest out, calls added later included, so its floors are not diluted). */
export function only(on: Weights): Weights {
  return { ...Object.fromEntries(ENTRY_NAMES.map((n) => [n, 0])), ...on };
}

/** Signals off: for presets whose properties need every process to end or block only where
 * they expect. */
export const SIGNALS_OFF = off("signal");
/** Shared memory and mappings off. */
export const MEM_OFF = off("shm", "mmap");
/** Pipes, FIFOs and descriptors off. */
export const PIPES_OFF = off("fd", "pipe", "fifo");
/** SysV message queues off. */
export const MSG_OFF = off("msg");
/** SysV semaphores off. */
export const SEM_OFF = off("sem");
/** Virtual time off: no clocks, sleeps, timers or advances (and no SIGALRM). */
export const TIME_OFF = off("time");

/** Forks and exits, so that several processes block on and wake each other. */
const PROCS: Weights = { fork: 6, exit: 3, waitpid: 1 };
const MSG_ON: Weights = { msgget: 2, msgsnd: 14, msgrcv: 14, msgctl: 4 };
const SEM_ON: Weights = { semget: 3, semop: 16, semctl: 6 };
const MEM_ON: Weights = {
  shmget: 3, shmat: 5, shmdt: 3, shmctl: 3, mmap: 4, munmap: 2, mprotect: 3, store: 12, load: 12,
};
const FUTEX_ON: Weights = { mmap: 3, munmap: 1, cas: 8, xchg: 3, fetch_add: 5, futex: 16 };
const MQ_ON: Weights = {
  mq_open: 6, mq_unlink: 2, mq_timedsend: 10, mq_timedreceive: 10, mq_notify: 3,
  mq_getsetattr: 3, close: 2,
};
const TIME_ON: Weights = {
  clock_gettime: 3, clock_getres: 1, gettimeofday: 2, time: 2, nanosleep: 8,
  clock_nanosleep: 5, alarm: 5, setitimer: 4, getitimer: 3, timer_create: 5, timer_settime: 6,
  timer_gettime: 3, timer_getoverrun: 3, timer_delete: 2, advance: 16,
};
const SIGNALS_ON: Weights = {
  kill: 14, sigaction: 10, sigprocmask: 4, sigpending: 2, pause: 3, sigsuspend: 3,
  "waitpid-stopped": 3,
};

// ---- the presets ----

/** SysV most of the budget, queues and semaphores (sysv-table.test.ts). No semtimedop: the
 * ledgers of msg.test.ts and sem.test.ts follow semop only. */
export const SYSV_HEAVY = only({ ...PROCS, ...MSG_ON, ...SEM_ON });
/** Message queues (msg.test.ts). */
export const MSG_HEAVY = only({ ...PROCS, ...MSG_ON });
/** Semaphores (sem.test.ts). No waitpid: a process blocks only in semop (the undo property
 * releases them all). */
export const SEM_HEAVY = only({ ...PROCS, waitpid: 0, ...SEM_ON });
/** Shared memory and mappings, with forks and exits (attachments inherited and detached). */
export const MEM_HEAVY = only({ fork: 5, exit: 2, waitpid: 1, ...MEM_ON });
/** Signals most of a trace, over processes that block on pipes, FIFOs, waitpid and SysV. */
export const SIGNAL_HEAVY = only({
  ...SIGNALS_ON, fork: 6, exit: 1, pipe: 3, read: 6, write: 6, close: 2, msgget: 1,
  msgrcv: 2, msgsnd: 2, semget: 1, semop: 2, mkfifo: 1, open: 3, waitpid: 2,
});
/** Signals among processes that share and map memory. */
const MEM_SIGNALS_HEAVY = only({
  ...MEM_HEAVY, kill: 6, sigaction: 4, sigprocmask: 2, sigpending: 1, pause: 1, sigsuspend: 1,
  "waitpid-stopped": 1,
});

/** Handlers that make calls (issue 15): their frames open over processes blocked in pipes,
 * waitpid and pause, and run reads, writes, kills, waits, mask and sigaltstack changes
 * inside (SA_ONSTACK frames on the alternate stack). */
const HANDLERS_HEAVY = only({
  ...SIGNALS_ON, kill: 4, "kill-caught": 20, sigaction: 2, "sigaction-calls": 14, sigreturn: 12,
  fork: 6, exit: 1, pipe: 3, read: 6, write: 6, close: 2, waitpid: 3, sigaltstack: 10,
});

/** `--heavy` names besides the mechanisms'. */
type Combination = "sysv" | "mem" | "mem-signals" | "handlers";
type HeavyName = Mechanism | Combination;

/** The `fuzz:diff --heavy` presets: one for every mechanism of wasm/calls.ts (a mechanism
 * added there is a compile error here until it has one), and some combinations. */
export const HEAVY: Readonly<Record<HeavyName, { weights: Weights; about: string }>> = {
  proc: {
    about: "fork, exit and waitpid, with pipes whose ends exits close",
    weights: only({ fork: 12, exit: 6, waitpid: 6, pipe: 2, read: 3, write: 3, close: 2 }),
  },
  fd: {
    about: "close, dup, dup2 and fcntl on pipe ends",
    weights: only({
      ...PROCS, pipe: 5, read: 4, write: 4, close: 8, dup: 8, dup2: 8, "fcntl-getfl": 3,
      "fcntl-setfl": 4, "fcntl-getpipe-sz": 2, "fcntl-setpipe-sz": 3,
    }),
  },
  pipe: {
    about: "pipe reads and writes at the size boundaries, forks, closes",
    weights: only({
      ...PROCS, pipe: 6, read: 18, write: 18, close: 4, dup: 2, dup2: 1, "fcntl-setfl": 2,
      "fcntl-setpipe-sz": 2,
    }),
  },
  fifo: {
    about: "FIFO opens (that wait for the other end), unlinks and closes",
    weights: only({ ...PROCS, mkfifo: 6, open: 14, unlink: 4, close: 8, read: 5, write: 5 }),
  },
  msg: { about: "SysV message queues", weights: MSG_HEAVY },
  sem: {
    about: "SysV semaphores, semtimedop included",
    weights: { ...SEM_HEAVY, semtimedop: 6 },
  },
  shm: {
    about: "SysV shared memory: attaches, detaches, stores, loads, forks",
    weights: only({
      fork: 5, exit: 2, waitpid: 1, shmget: 5, shmat: 8, shmdt: 4, shmctl: 4, store: 10,
      load: 10,
    }),
  },
  mmap: {
    about: "anonymous mappings, shared and private (copy-on-write), mprotect, forks",
    weights: only({
      fork: 5, exit: 2, waitpid: 1, mmap: 6, munmap: 3, mprotect: 3, store: 12, load: 12,
    }),
  },
  futex: {
    about: "futex waits, wakes, requeues and WAKE_OP on shared and private words; cas, xchg, " +
      "fetch_add; forks, a few signals that interrupt waits",
    weights: only({
      fork: 6, exit: 2, waitpid: 1, ...FUTEX_ON, load: 2, kill: 2, sigaction: 2,
      "waitpid-stopped": 1,
    }),
  },
  mqueue: {
    about: "POSIX message queues: opens, sends, receives (blocking and not), attrs, unlinks",
    weights: only({ ...PROCS, ...MQ_ON, sigaction: 2, kill: 2 }),
  },
  files: {
    about: "directories and regular files: opens that create, reads and writes at offsets, " +
      "seeks, truncation, mkdir/rmdir/chdir, the *at calls, forks that share offsets, and " +
      "time passing between them (file times)",
    weights: only({
      fork: 3, exit: 1, waitpid: 1, close: 3, dup: 2, read: 4, write: 5, readv: 1, writev: 2,
      open: 2, openat: 10,
      mkdir: 3, rmdir: 2, unlinkat: 3, unlink: 1, chdir: 2, fchdir: 2, umask: 1, chmod: 1,
      access: 2, lseek: 6, pread64: 7, pwrite64: 6, truncate: 2, ftruncate: 2, fsync: 1,
      fdatasync: 1, mkfifo: 1, "fcntl-setfl": 1, rename: 2, stat: 2, fstat: 3, getdents64: 1,
      getcwd: 1, advance: 3, mkdirat: 1, renameat2: 2, newfstatat: 2, faccessat2: 1, fchmodat: 1,
      readlink: 1, symlink: 1,
    }),
  },
  locks: {
    about: "file locks: flock, fcntl record and OFD locks (waits, EDEADLK), closes, exits",
    weights: only({
      ...PROCS, mkfifo: 3, open: 6, pipe: 2, close: 4, dup: 2, dup2: 2, flock: 6,
      "fcntl-setlk": 10, "fcntl-setlkw": 8, "fcntl-getlk": 6, "fcntl-ofd": 5, sigaction: 1,
      kill: 2,
    }),
  },
  signal: { about: "signals (also: --heavy signals)", weights: SIGNAL_HEAVY },
  poll: {
    about: "poll, ppoll, select, pselect6 and epoll on pipe, FIFO, socket and other ends, " +
      "woken by writes, sends, reads and closes of other processes, timeouts, and signals " +
      "(ppoll's and epoll_pwait's mask)",
    weights: only({
      ...PROCS, pipe: 5, read: 6, write: 6, close: 4, dup2: 1, mkfifo: 1, open: 2,
      poll: 20, ppoll: 10, select: 10, pselect6: 6, kill: 2, sigaction: 2, sigprocmask: 1,
      advance: 2, signalfd4: 1, epoll_create1: 4, epoll_ctl: 12, epoll_wait: 12, epoll_pwait: 6,
      socketpair: 2, sendto: 3, recvfrom: 3, shutdown: 1,
    }),
  },
  sysv: { about: "SysV message queues and semaphores", weights: SYSV_HEAVY },
  mem: { about: "shared memory and mappings", weights: MEM_HEAVY },
  "mem-signals": {
    about: "signals among processes that share and map memory",
    weights: MEM_SIGNALS_HEAVY,
  },
  handlers: {
    about: "signal handlers that make calls (calls handlers, sigreturn, sigaltstack), pipes, waits",
    weights: HANDLERS_HEAVY,
  },
  time: {
    about: "clocks, sleeps, alarms, interval and POSIX timers, advances; handlers, semtimedop",
    weights: only({
      ...TIME_ON, fork: 5, exit: 2, waitpid: 2, sigaction: 4, pause: 2, sigsuspend: 1, kill: 2,
      semget: 1, semtimedop: 3,
    }),
  },
  socket: {
    about: "AF_UNIX socketpairs of the three types: sends that fill the send buffer and block, " +
      "receives that wake them, shutdowns and closes (EPIPE, SIGPIPE, ECONNRESET), forks, " +
      "signals that interrupt the waits; named sockets: bind, listen, connects that fill a " +
      "backlog and wait, accepts that wake them, names",
    weights: only({
      ...PROCS, socketpair: 6, sendto: 16, recvfrom: 16, shutdown: 3, close: 5, read: 4,
      write: 4, dup: 1, "fcntl-setfl": 2, kill: 2, sigaction: 2, setsockopt: 3, getsockopt: 3,
      socket: 5, bind: 5, listen: 4, connect: 6, accept4: 6, getsockname: 2, getpeername: 2,
    }),
  },
};

/** Other names `--heavy` accepts (kept from earlier versions). */
const HEAVY_ALIASES: Readonly<Record<string, HeavyName>> = {
  signals: "signal", posix: "mqueue", sockets: "socket",
};

/** The preset `--heavy name` names; throws naming the presets when there is none. */
export function heavyPreset(name: string): Weights {
  const key = HEAVY_ALIASES[name] ?? name;
  if (!Object.hasOwn(HEAVY, key)) {
    throw new Error(`--heavy takes ${Object.keys(HEAVY).join(", ")}; got "${name}"`);
  }
  return HEAVY[key as HeavyName].weights;
}
