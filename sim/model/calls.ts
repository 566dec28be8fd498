// Steps into kernel calls and kernel results into trace-v1 results.
//
// Each process's call buffers live in its own memory, in the I/O area the kernel maps in every
// address space (wasm/kernel.ts ioBase): the engine writes a call's input there (write data, a
// path), passes the address, and reads the outputs back from the same place (read data, the
// fds of pipe, waitpid's status). A process makes one call at a time, so offset 0 is enough.

import { CALLS, ERRNO, type CallName, type ErrnoName } from "../../wasm/abi.js";
import { BADCALLER, BLOCKED, KILLED, type Kernel } from "../../wasm/kernel.js";
import type { IntArg, Result, Step } from "../trace/types.js";
import { utf8Bytes } from "../trace/bytes.js";
import { decodeWaitStatus } from "../../wasm/names.js";
import { decodeSysv, issueSysv } from "./sysv.js";
import { issueMem } from "./mem.js";
import { ModelError } from "./errors.js";
import { decodeSignal, issueSignal } from "./signals.js";

/** What the engine must remember of a call to decode its result, even after it slept. */
export interface Issued {
  step: number;
  pid: number;
  call: CallName;
  /** Where the outputs are (the I/O area), and how many bytes a read may return. */
  va: number;
  /** SysV: the ctl command (whether there is a `stat`), GETALL's number of values. */
  cmd?: number;
  count?: number;
}

const ERRNO_NAME = new Map<number, ErrnoName>(
  (Object.entries(ERRNO) as [ErrnoName, number][]).map(([n, v]) => [v, n]),
);

export { ModelError };

/** Resolve an integer argument that may be a `ref` to an earlier step's ret. */
export function resolveInt(v: IntArg, rets: readonly (number | undefined)[], step: Step): number {
  if (typeof v === "number") return v;
  const ret = rets[v.ref];
  if (ret === undefined || ret < 0) {
    throw new ModelError(`line ${step.line}: ref ${v.ref} names a step with no successful return`);
  }
  return ret + v.offset;
}


/** The path and its terminating NUL (the decoder has refused NULs inside it). */
function pokePath(k: Kernel, pid: number, va: number, path: string): void {
  k.poke(pid, va, utf8Bytes(path + "\0"));
}

/** Fields sysv.ts passes faithfully whatever their width: msgsnd's mtype is in the msgbuf (a
 * 64-bit long), msgrcv's msgtyp goes as two halves, and a msgrcv size above INT_MAX is larger
 * than any message (the kernel copies only the message's bytes). */
const SYSV_WIDE = new Set(["msgsnd.mtype", "msgrcv.msgtyp", "msgrcv.size"]);

/** The kernel's ABI is 32-bit: an integer argument outside [-2^31, 2^32) cannot be passed
 * faithfully (docs/differences.md, "args-32-bit"). */
function checkWidths(step: Step): void {
  const args = step.args as Record<string, unknown>;
  for (const name in args) {
    const v = args[name];
    if (typeof v === "number" && (v < -0x80000000 || v > 0xffffffff)) {
      if (SYSV_WIDE.has(`${step.call}.${name}`)) continue;
      throw new ModelError(`line ${step.line}: field "${name}": ${v} does not fit the model's 32-bit arguments`);
    }
  }
  if (step.call === "read" && step.args.count > 0x7fffffff) {
    throw new ModelError(`line ${step.line}: field "count": ${step.args.count} is past the model's 2^31-1 (a size_t the model reads as signed)`);
  }
}

/** Issue a step's call on kernel k. Returns the raw kernel return (maybe BLOCKED/KILLED). */
export function issue(k: Kernel, step: Step): { issued: Issued; ret: number } {
  const pid = step.pid;
  const va = k.ioBase;
  const issued: Issued = { step: step.index, pid, call: step.call, va };
  const nr = CALLS[step.call];
  checkWidths(step);
  let ret: number;
  switch (step.call) {
    case "fork": ret = k.syscall(pid, nr); break;
    case "exit": ret = k.syscall(pid, nr, step.args.status); break;
    case "waitpid": ret = k.syscall(pid, nr, step.args.target, va, step.args.options); break;
    case "close": ret = k.syscall(pid, nr, step.args.fd); break;
    case "dup": ret = k.syscall(pid, nr, step.args.fd); break;
    case "dup2": ret = k.syscall(pid, nr, step.args.oldfd, step.args.newfd); break;
    case "fcntl": ret = k.syscall(pid, nr, step.args.fd, step.args.cmd, step.args.arg); break;
    case "pipe": ret = k.syscall(pid, nr, va, step.args.flags); break;
    case "read": ret = k.syscall(pid, nr, step.args.fd, va, step.args.count); break;
    case "write":
      if (step.args.data.length > k.ioSize) {
        throw new ModelError(`line ${step.line}: write of ${step.args.data.length} bytes exceeds the model's I/O area (${k.ioSize})`);
      }
      k.poke(pid, va, step.args.data);
      ret = k.syscall(pid, nr, step.args.fd, va, step.args.data.length);
      break;
    case "mkfifo": pokePath(k, pid, va, step.args.path); ret = k.syscall(pid, nr, va, step.args.mode); break;
    case "open": pokePath(k, pid, va, step.args.path); ret = k.syscall(pid, nr, va, step.args.flags); break;
    case "unlink": pokePath(k, pid, va, step.args.path); ret = k.syscall(pid, nr, va); break;
    case "msgget": case "msgsnd": case "msgrcv": case "msgctl":
    case "semget": case "semop": case "semtimedop": case "semctl":
    case "shmget": case "shmctl": {
      const r = issueSysv(k, step, va);
      ret = r.ret;
      issued.cmd = r.cmd;
      issued.count = r.count;
      break;
    }
    case "shmat": case "shmdt": case "mmap": case "munmap": case "store": case "load":
      ret = issueMem(k, step, va);
      break;
    case "kill": case "sigaction": case "sigprocmask": case "sigpending": case "pause": case "sigsuspend":
      ret = issueSignal(k, step, va);
      break;
    default: {
      // Every trace-v1 call is modelled; a call added to the format must be added here.
      const unknown: { line: number; call: string } = step;
      throw new ModelError(`line ${unknown.line}: call "${unknown.call}" is not implemented by the model yet`);
    }
  }
  if (ret === BADCALLER) throw new ModelError(`line ${step.line}: pid ${pid} cannot make a call`);
  return { issued, ret };
}

/** Turn a completed call's kernel return into a trace-v1 result. */
export function decodeResult(k: Kernel, c: Issued, ret: number): Result {
  if (ret === BLOCKED) return "blocked";
  if (ret < 0) {
    const name = ERRNO_NAME.get(-ret);
    if (!name) throw new ModelError(`kernel returned unknown errno ${-ret} for ${c.call}`);
    return { ret: -1, errno: name };
  }
  switch (c.call) {
    case "read": {
      const data = ret === 0 ? new Uint8Array(0) : k.peek(c.pid, c.va, ret);
      if (!data) throw new ModelError(`read result of pid ${c.pid} unreadable`);
      return { ret, data };
    }
    case "pipe":
      return { ret, fds: [k.peekI32(c.pid, c.va), k.peekI32(c.pid, c.va + 4)] };
    case "waitpid":
      if (ret === 0) return { ret };
      return { ret, status: decodeWaitStatus(k.peekI32(c.pid, c.va)) };
    case "msgrcv": case "msgctl": case "semctl": case "shmctl":
      return decodeSysv(k, c.call, c.pid, c.va, ret, c.cmd, c.count);
    case "load": {
      const data = ret === 0 ? new Uint8Array(0) : k.peek(c.pid, c.va, ret);
      if (!data) throw new ModelError(`load result of pid ${c.pid} unreadable`);
      return { ret, data };
    }
    case "sigprocmask": case "sigpending":
      return decodeSignal(k, c.call, c.pid, c.va, ret);
    default:
      return { ret };
  }
}

export { BLOCKED, KILLED };
