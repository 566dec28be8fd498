// Memory steps as kernel calls: shmat, shmdt, mmap, munmap, and the store/load pseudo-calls
// (calls.ts dispatches here; shmget and shmctl are SysV calls, in sysv.ts).
//
// Addresses reach here already resolved (the engine replaces `ref`s with this world's rets).
// store's data goes into the process's I/O area, as write's does, and the kernel copies it
// through the page tables; load's bytes come back through the I/O area, as read's do.

import { CALLS } from "../../wasm/abi.js";
import type { Kernel } from "../../wasm/kernel.js";
import type { Step } from "../trace/types.js";
import { ModelError } from "./errors.js";

/** What the kernel returns for a store/load that would fault under a SIGSEGV handler
 * (kernel/fault.ts FAULT_LOOPS). */
const FAULT_LOOPS = -14;

function addr(v: unknown): number {
  if (typeof v !== "number") throw new ModelError("unresolved address");
  return v >>> 0;
}

/** A size_t argument: the model's are 32-bit and unsigned. */
function size(step: Step, name: string, v: number): number {
  if (v < 0) {
    throw new ModelError(`line ${step.line}: field "${name}": ${v} is a size_t above 2^63 on Linux; the model's sizes are 32-bit (args-32-bit)`);
  }
  return v >>> 0;
}

/** Issue a memory step at va (the process's I/O area). */
export function issueMem(k: Kernel, step: Step, va: number): number {
  const pid = step.pid;
  switch (step.call) {
    case "shmat":
      return k.syscall(pid, CALLS.shmat, step.args.shmid, addr(step.args.shmaddr), step.args.flags);
    case "shmdt":
      return k.syscall(pid, CALLS.shmdt, addr(step.args.shmaddr));
    case "mmap": {
      const a = step.args;
      return k.syscall(pid, CALLS.mmap, addr(a.addr), size(step, "length", a.length), a.prot, a.flags);
    }
    case "munmap":
      return k.syscall(pid, CALLS.munmap, addr(step.args.addr), size(step, "length", step.args.length));
    case "store": {
      const data = step.args.data;
      if (data.length > k.ioSize) {
        throw new ModelError(`line ${step.line}: store of ${data.length} bytes exceeds the model's I/O area (${k.ioSize})`);
      }
      k.poke(pid, va, data);
      return faultLoops(step, k.syscall(pid, CALLS.store, addr(step.args.addr), va, data.length));
    }
    case "load": {
      const n = size(step, "count", step.args.count);
      if (n > k.ioSize) {
        throw new ModelError(`line ${step.line}: load of ${n} bytes exceeds the model's I/O area (${k.ioSize})`);
      }
      return faultLoops(step, k.syscall(pid, CALLS.load, addr(step.args.addr), va, n));
    }
    default:
      throw new Error(`issueMem: ${step.call} is not a memory call`);
  }
}

function faultLoops(step: Step, ret: number): number {
  if (ret !== FAULT_LOOPS) return ret;
  throw new ModelError(`line ${step.line}: a ${step.call} that faults under a SIGSEGV handler loops forever on Linux (the handler returns and the access runs again); the model refuses the step`);
}
