// The trace codec's view of the call table (wasm/calls.ts): the fields each call takes (in the
// order the codec writes them) and the C names each flag or command field accepts. parse.ts
// decodes by it, serialise.ts orders keys by it, strace.ts prints names from it.
//
// Values come from wasm/abi.ts, the one ABI source; NAMES only chooses, per family of
// arguments, the subset of a group that Linux defines for that argument. The subsets matter
// because groups overlap: MSG_NOERROR, SEM_UNDO and SHM_RDONLY are all 010000, and
// MSG_STAT = GETPID = 11, so a name accepted for the wrong call would silently mean another flag.

import { FASYNC_ABI, FLAG_BITS, FLAGS, HANDLERS, SI_CODE } from "../../wasm/abi.js";
import {
  CALL_NAMES, CALL_TABLE, callSpec, type ArgSpec, type CallName, type NamesKey,
} from "../../wasm/calls.js";
import type { CallArgs } from "./types.js";

export { CALL_NAMES };

/** C names of one argument and their values. */
export type Names = Readonly<Record<string, number>>;

function pick<G extends keyof typeof FLAGS>(
  group: G,
  names: readonly (keyof (typeof FLAGS)[G] & string)[],
): Names {
  const out: Record<string, number> = {};
  for (const name of names) out[name] = FLAGS[group][name] as number;
  return out;
}

// The two-bit names (wasm/abi.ts has them too) go first, below: splitFlags prints in order.
const { O_SYNC, O_TMPFILE, ...O } = FLAGS.open;
/** include/uapi/asm-generic/fcntl.h: O_SYNC is __O_SYNC | O_DSYNC ("__O_SYNC must never be
 * used directly"; a trace may, to show what Linux does with the bit alone). */
const __O_SYNC = FLAG_BITS.__O_SYNC;

/** Every O_ name of include/uapi/asm-generic/fcntl.h (x86_64's) and glibc's
 * bits/fcntl-linux.h, with the kernel's values: any may appear in open-style flags, so that a
 * trace can show Linux refusing or ignoring it (pipe2 with O_APPEND: EINVAL). Names print in
 * this order (splitFlags): two-bit names before their bits, an alias after its name (so it
 * never prints). glibc's x86_64 O_LARGEFILE is 0 (open adds it anyway: force_o_largefile);
 * the trace's is the kernel's bit, the one F_GETFL shows. docs/audit/names.md has the table. */
export const OPEN_NAMES = {
  O_SYNC,
  O_TMPFILE,
  ...O,
  __O_SYNC,
  __O_TMPFILE: FLAG_BITS.__O_TMPFILE,
  O_NDELAY: O.O_NONBLOCK,
  FASYNC: O.O_ASYNC,
  O_RSYNC: O_SYNC,
  O_FSYNC: O_SYNC,
  O_ACCMODE: O.O_WRONLY | O.O_RDWR,
} as const;

const IPC_CTL_COMMON = ["IPC_RMID", "IPC_SET", "IPC_STAT", "IPC_INFO"] as const;

/** The names each flag or command argument accepts, by family (a row's `names`). */
export const NAMES = {
  open: OPEN_NAMES,
  // pipe2 takes any open-style name: fs/pipe.c __do_pipe_flags refuses all but O_CLOEXEC,
  // O_NONBLOCK, O_DIRECT and O_NOTIFICATION_PIPE (linux/watch_queue.h: O_EXCL's bit, first so
  // that the bit prints as it) with EINVAL, and the trace must let it.
  pipe: { O_NOTIFICATION_PIPE: O.O_EXCL, ...OPEN_NAMES },
  wait: FLAGS.wait,
  fcntl: FLAGS.fcntl,
  // Families no row names: F_SETFD's argument (fcntlarg), a sembuf's flags (sops), a
  // sigevent's sigev_notify (sigevent) and an f_owner_ex's type (fcntlarg).
  fd: FLAGS.fd,
  sigev: FLAGS.sigev,
  // struct f_owner_ex's type (F_SETOWN_EX, F_GETOWN_EX).
  owner: {
    F_OWNER_TID: FASYNC_ABI.F_OWNER_TID, F_OWNER_PID: FASYNC_ABI.F_OWNER_PID,
    F_OWNER_PGRP: FASYNC_ABI.F_OWNER_PGRP,
  },
  ipcget: pick("ipc", ["IPC_CREAT", "IPC_EXCL"]),
  msgsnd: pick("ipc", ["IPC_NOWAIT"]),
  msgrcv: pick("ipc", ["IPC_NOWAIT", "MSG_NOERROR", "MSG_EXCEPT", "MSG_COPY"]),
  sop: pick("ipc", ["IPC_NOWAIT", "SEM_UNDO"]),
  shmat: pick("ipc", ["SHM_RDONLY", "SHM_RND", "SHM_REMAP", "SHM_EXEC"]),
  msgctl: pick("ipcctl", [...IPC_CTL_COMMON, "MSG_STAT", "MSG_INFO"]),
  semctl: pick("ipcctl", [
    ...IPC_CTL_COMMON,
    "GETPID", "GETVAL", "GETALL", "GETNCNT", "GETZCNT", "SETVAL", "SETALL",
  ]),
  shmctl: pick("ipcctl", [...IPC_CTL_COMMON, "SHM_STAT", "SHM_INFO"]),
  how: FLAGS.sigprocmask,
  sigaction: FLAGS.sigaction,
  handler: HANDLERS,
  prot: FLAGS.prot,
  mmap: FLAGS.mmap,
  clock: FLAGS.clock,
  timer: FLAGS.timer,
  itimer: FLAGS.itimer,
  futex: FLAGS.futex,
  at: FLAGS.at,
  seek: FLAGS.seek,
  access: FLAGS.access,
  msync: FLAGS.msync,
  signalfd: FLAGS.signalfd,
  poll: FLAGS.poll,
  epoll: FLAGS.epoll,
  epollctl: FLAGS.epollctl,
  epollev: FLAGS.epollev,
  // rt_tgsigqueueinfo's si_code.
  sicode: SI_CODE,
  // Sockets: socketpair's domain and type, send's and recv's flags, shutdown's how.
  family: FLAGS.family,
  socktype: FLAGS.socktype,
  msg: FLAGS.msg,
  shut: FLAGS.shut,
  sol: FLAGS.sol,
  so: FLAGS.so,
  // stack_t's ss_flags (sigaltstack's ss).
  ss: FLAGS.ss,
  rename: FLAGS.rename,
  faccessat: FLAGS.faccessat,
  flock: FLAGS.flock,
  // struct flock's l_type and l_whence (fcntl's record-lock commands).
  locktype: FLAGS.locktype,
  whence: pick("seek", ["SEEK_SET", "SEEK_CUR", "SEEK_END"]),
} as const satisfies Record<
  NamesKey | "fd" | "sop" | "sigev" | "owner" | "locktype" | "whence" | "ss", Names
>;

/** The C names a flags or command argument accepts (its row's family). */
export function namesOf(a: ArgSpec): Names {
  if (a.names === undefined) throw new Error(`assertion: argument ${a.name} has no names`);
  return NAMES[a.names];
}

/** futex's command: its op without FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME (Linux's
 * FUTEX_CMD_MASK). */
export function futexCommand(op: number): number {
  return op & ~(FLAGS.futexFlags.FUTEX_PRIVATE_FLAG | FLAGS.futexFlags.FUTEX_CLOCK_REALTIME);
}

/** The names of the bits set in `value` (in table order, a name of several bits, O_SYNC or
 * MAP_SHARED_VALIDATE, before the names of its single bits), and the bits no name covers. */
export function splitFlags(value: number, names: Names): { names: string[]; rest: number } {
  let rest = value >>> 0;
  const out: string[] = [];
  const single = (bit: number) => (bit & (bit - 1)) === 0;
  const entries = Object.entries(names);
  const ordered = [
    ...entries.filter(([, b]) => !single(b)), ...entries.filter(([, b]) => single(b)),
  ];
  for (const [name, bit] of ordered) {
    if (bit !== 0 && (rest & bit) >>> 0 === bit >>> 0) {
      out.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  return { names: out, rest };
}

/** The name whose value is `value` (a command, an enum), or undefined. */
export function nameOfValue(value: number, names: Names): string | undefined {
  return Object.keys(names).find((n) => names[n] === value);
}

type FieldTable = { readonly [C in CallName]: readonly (keyof CallArgs[C] & string)[] };

/** Each call's argument fields, in spec order: the order of the row's args, which is the key
 * order the serialiser writes. */
export const FIELDS = Object.fromEntries(
  CALL_NAMES.map((c) => [c, callSpec(c).args.map((a) => a.name)]),
) as unknown as FieldTable;

/** Step fields that are not arguments of the call. */
export const STEP_META = ["pid", "call", "comment", "expect", "expect_events"] as const;

/** A clock row's call (advance): made by no process, written without `pid` (0 inside). */
export function isClockCall(call: CallName): boolean {
  return callSpec(call).clock === true;
}

/** Calls whose successful `ret` is an opaque address (compared as "a valid address"). */
export const ADDRESS_CALLS: readonly CallName[] = CALL_NAMES.filter((c) => callSpec(c).address);

export function isCallName(name: unknown): name is CallName {
  return typeof name === "string" && Object.hasOwn(CALL_TABLE, name);
}
