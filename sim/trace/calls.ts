// The call table of trace v1: the fields each call takes (in the order the codec writes them)
// and the C names each flag or command field accepts. parse.ts decodes by it, serialise.ts
// orders keys by it, strace.ts prints names from it.
//
// Values come from wasm/abi.ts, the one ABI source; this file only chooses, per argument, the
// subset of a group that Linux defines for that argument. The subsets matter because groups
// overlap: MSG_NOERROR, SEM_UNDO and SHM_RDONLY are all 010000, and MSG_STAT = GETPID = 11, so a
// name accepted for the wrong call would silently mean another flag.

import { FLAGS, HANDLERS, type CallName } from "../../wasm/abi.js";
import type { CallArgs } from "./types.js";

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

const IPC_CTL_COMMON = ["IPC_RMID", "IPC_SET", "IPC_STAT", "IPC_INFO"] as const;

/** The names each flag, command or enum argument accepts, by argument kind. */
export const NAMES = {
  open: FLAGS.open,
  // Linux: fs/pipe.c:do_pipe2() accepts only these (and O_NOTIFICATION_PIPE, not modelled).
  pipe: pick("open", ["O_NONBLOCK", "O_CLOEXEC", "O_DIRECT"]),
  wait: FLAGS.wait,
  fcntl: FLAGS.fcntl,
  fd: FLAGS.fd,
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
} as const satisfies Record<string, Names>;

/** The names of the bits set in `value` (in table order), and the bits no name covers. */
export function splitFlags(value: number, names: Names): { names: string[]; rest: number } {
  let rest = value >>> 0;
  const out: string[] = [];
  for (const [name, bit] of Object.entries(names)) {
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

type FieldTable = { readonly [C in keyof CallArgs]: readonly (keyof CallArgs[C] & string)[] };

/** Each call's argument fields, in spec order. The order of this table is the order calls are
 * listed in messages and docs; the order of each list is the key order the serialiser writes. */
export const FIELDS: FieldTable = {
  fork: [],
  exit: ["status"],
  waitpid: ["target", "options"],
  close: ["fd"],
  dup: ["fd"],
  dup2: ["oldfd", "newfd"],
  fcntl: ["fd", "cmd", "arg"],
  pipe: ["flags"],
  read: ["fd", "count"],
  write: ["fd", "data"],
  mkfifo: ["path", "mode"],
  open: ["path", "flags"],
  unlink: ["path"],
  msgget: ["key", "flags", "mode"],
  msgsnd: ["msqid", "mtype", "data", "flags"],
  msgrcv: ["msqid", "size", "msgtyp", "flags"],
  msgctl: ["msqid", "cmd", "buf"],
  semget: ["key", "nsems", "flags", "mode"],
  semop: ["semid", "sops"],
  semtimedop: ["semid", "sops", "timeout"],
  semctl: ["semid", "semnum", "cmd", "arg"],
  shmget: ["key", "size", "flags", "mode"],
  shmat: ["shmid", "shmaddr", "flags"],
  shmdt: ["shmaddr"],
  shmctl: ["shmid", "cmd", "buf"],
  mmap: ["addr", "length", "prot", "flags"],
  munmap: ["addr", "length"],
  store: ["addr", "data"],
  load: ["addr", "count"],
  kill: ["target", "sig"],
  sigaction: ["sig", "handler", "flags", "mask"],
  sigprocmask: ["how", "set"],
  sigpending: [],
  pause: [],
  sigsuspend: ["mask"],
};

/** Every call, in spec order. */
export const CALL_NAMES = Object.keys(FIELDS) as (keyof CallArgs)[];

/** Step fields that are not arguments of the call. */
export const STEP_META = ["pid", "call", "comment", "expect", "expect_events"] as const;

/** Calls whose successful `ret` is an opaque address (compared as "a valid address"). */
export const ADDRESS_CALLS: readonly CallName[] = ["shmat", "mmap"];

export function isCallName(name: unknown): name is keyof CallArgs {
  return typeof name === "string" && Object.hasOwn(FIELDS, name);
}

// The call table and the ABI must list the same calls: a call added to one and not the other
// is a compile error here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const callsAgree: Same<keyof CallArgs, CallName> = true;
void callsAgree;
