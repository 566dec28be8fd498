// The memory calls' checks (calls.ts ENCODERS): the model refuses sizes it cannot pass and
// accesses that loop forever on Linux; each call is then made as its row says (shmget and
// shmctl are SysV calls, in sysv.ts).
//
// Addresses reach here already resolved (the engine replaces `ref`s with this world's rets).
// store's data goes into the process's I/O area, as write's does, and the kernel copies it
// through the page tables; load's bytes come back through the I/O area, as read's do.

import type { Step } from "../trace/types.js";
import type { Encoders } from "./calls.js";
import { ModelError } from "./errors.js";

/** What the kernel returns for a store/load that would fault under a SIGSEGV handler
 * (kernel/fault.ts FAULT_LOOPS). */
const FAULT_LOOPS = -14;

/** An address argument, resolved, as the kernel's u32. */
export function addr(v: unknown): number {
  if (typeof v !== "number") throw new ModelError("unresolved address");
  return v >>> 0;
}

/** A size_t argument: the model's are 32-bit and unsigned. */
function size(step: Step, name: string, v: number): number {
  if (v < 0) {
    throw new ModelError(
      `line ${step.line}: field "${name}": ${v} is a size_t above 2^63 on Linux; ` +
      "the model's sizes are 32-bit (args-32-bit)",
    );
  }
  return v >>> 0;
}

export const MEM_ENCODERS: Encoders = {
  mmap: (_k, step, _va, byRow) => (size(step, "length", step.args.length), byRow()),
  munmap: (_k, step, _va, byRow) => (size(step, "length", step.args.length), byRow()),
  store: (_k, step, _va, byRow) => faultLoops(step, byRow()),
  load: (k, step, _va, byRow) => {
    const n = size(step, "count", step.args.count);
    if (n > k.ioSize) {
      throw new ModelError(
        `line ${step.line}: load of ${n} bytes exceeds the model's I/O area (${k.ioSize})`,
      );
    }
    return faultLoops(step, byRow());
  },
};

function faultLoops(step: Step, ret: number): number {
  if (ret !== FAULT_LOOPS) return ret;
  throw new ModelError(
    `line ${step.line}: a ${step.call} that faults under a SIGSEGV handler loops forever ` +
    "on Linux (the handler returns and the access runs again); the model refuses the step",
  );
}
