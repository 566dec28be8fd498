// The trace-v1 data model (docs/trace-format.md): what a parsed trace is, what an outcome is.
//
// The codec (parse.ts) turns JSON Lines into these types, with every flag already a number and
// every byte string already a Uint8Array; the serialiser (serialise.ts) turns outcomes back into
// trace-v1 JSON. The model replayer and the host bridge both consume `Step`s and produce `Outcome`s,
// so a comparison is a comparison of two `Outcome`s (compare.ts).

import type { CallName, ErrnoName, SignalName } from "../../wasm/abi.js";

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
}

/** One semop operation. */
export interface Sop {
  num: number;
  op: number;
  flags: number;
}

/** The arguments of each call, decoded. Flags are bitmasks, modes numbers, signals numbers. */
export interface CallArgs {
  fork: Record<string, never>;
  exit: { status: number };
  waitpid: { target: number; options: number };
  close: { fd: number };
  dup: { fd: number };
  dup2: { oldfd: number; newfd: number };
  fcntl: { fd: number; cmd: number; arg: number };
  pipe: { flags: number };
  read: { fd: number; count: number };
  write: { fd: number; data: Uint8Array };
  mkfifo: { path: string; mode: number };
  open: { path: string; flags: number };
  unlink: { path: string };
  msgget: { key: number; flags: number; mode: number };
  msgsnd: { msqid: number; mtype: number; data: Uint8Array; flags: number };
  msgrcv: { msqid: number; size: number; msgtyp: number; flags: number };
  msgctl: { msqid: number; cmd: number; buf: Record<string, unknown> | null };
  semget: { key: number; nsems: number; flags: number; mode: number };
  semop: { semid: number; sops: Sop[] };
  semtimedop: { semid: number; sops: Sop[]; timeout: { sec: number; nsec: number } | null };
  semctl: { semid: number; semnum: number; cmd: number; arg: number | number[] | Record<string, unknown> | null };
  shmget: { key: number; size: number; flags: number; mode: number };
  shmat: { shmid: number; shmaddr: IntArg; flags: number };
  shmdt: { shmaddr: IntArg };
  shmctl: { shmid: number; cmd: number; buf: Record<string, unknown> | null };
  mmap: { addr: IntArg; length: number; prot: number; flags: number };
  munmap: { addr: IntArg; length: number };
  store: { addr: IntArg; data: Uint8Array };
  load: { addr: IntArg; count: number };
  kill: { target: number; sig: number };
  sigaction: { sig: number; handler: number; flags: number; mask: number[] };
  sigprocmask: { how: number; set: number[] };
  sigpending: Record<string, never>;
  pause: Record<string, never>;
  sigsuspend: { mask: number[] };
}

/** A step: one call by one process. `index` is its 0-based number in file order (what `ref`
 * and `step` name); `line` is its 1-based line in the file, for error messages. */
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

export interface Trace {
  /** Where the trace came from, for error messages ("<stdin>" or a path). */
  file: string;
  header: Header;
  steps: Step[];
}

/** How a process ended or changed, as waitpid reports it and as `exit` events carry it. */
export type WaitStatus =
  | { exited: number }
  | { signaled: SignalName; core?: boolean }
  | { stopped: SignalName }
  | { continued: true };

/** A call's result: `"blocked"`, or a return value with the call's outputs. */
export type Result =
  | "blocked"
  | {
      /** A number, or "address" for an opaque address (shmat, mmap) in a comparison. */
      ret: number | "address";
      errno?: ErrnoName;
      data?: Uint8Array;
      mtype?: number;
      fds?: [number, number];
      status?: WaitStatus;
      /** For waitpid: the pid reaped is `ret`; `status` is its status. */
      stat?: Record<string, unknown>;
      values?: number[];
      set?: SignalName[];
      oldset?: SignalName[];
    };

export type TraceEvent =
  | { wake: number; step: number; result: Result }
  | { signal: SignalName; pid: number }
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
}
