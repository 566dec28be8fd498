// The memory calls' checks (calls.ts ENCODERS): the model refuses sizes it cannot pass and
// accesses that loop forever on Linux; each call is then made as its row says (shmget and
// shmctl are SysV calls, in sysv.ts).
//
// Addresses reach here already resolved (the engine replaces `ref`s with this world's rets).
// store's data goes into the process's I/O area, as write's does, and the kernel copies it
// through the page tables; load's bytes come back through the I/O area, as read's do.
//
// A store/load at an integer address the trace's JSON wrote (not a `ref`) must lie inside the
// mappings the trace made: anywhere else it names nothing of the trace's (the model's I/O area;
// on the host, the agent's own memory), so the model refuses it, as the host bridge does
// (host-bridge/agent/maps.c). A `ref` past a mapping is an unmapped address: SIGSEGV, as Linux.

import type { Kernel } from "../../wasm/kernel.js";
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
  store: (k, step, _va, byRow) => {
    checkLiteral(k, step, step.args.data.length);
    return faultLoops(step, byRow());
  },
  load: (k, step, _va, byRow) => {
    const n = size(step, "count", step.args.count);
    if (n > k.ioSize) {
      throw new ModelError(
        `line ${step.line}: load of ${n} bytes exceeds the model's I/O area (${k.ioSize})`,
      );
    }
    checkLiteral(k, step, n);
    return faultLoops(step, byRow());
  },
};

/** Refuses a store/load at an integer address of the trace's JSON (not a ref; a scenario's
 * steps have no JSON: their addresses are the program's own) outside the trace's mappings. */
export function checkLiteral(k: Kernel, step: Step, len: number): void {
  if (typeof step.raw.addr !== "number") return;
  const start = step.raw.addr;
  if (len === 0 || insideMappings(k, step.pid, start, start + len)) return;
  throw new ModelError(
    `line ${step.line}: ${step.call} at integer address 0x${start.toString(16)} is outside ` +
    "every mapping the trace made; the model and the host bridge refuse it (name the address " +
    "by a ref to the mmap or shmat step)",
  );
}

/** Is [start, end) covered by the process's mappings (contiguous ones together)? The I/O area
 * is not one of them (the views leave it out). */
function insideMappings(k: Kernel, pid: number, start: number, end: number): boolean {
  const vmas: [number, number][] = [];
  for (let n = k.x.k_view_vma_first(pid); n !== 0; n = k.x.k_view_vma_next(n)) {
    vmas.push([k.x.k_view_vma_start(n) >>> 0, k.x.k_view_vma_end(n) >>> 0]);
  }
  vmas.sort((a, b) => a[0] - b[0]);
  let at = start;
  for (const [s, e] of vmas) {
    if (s <= at && at < e) at = e;
    if (at >= end) return true;
  }
  return false;
}

export function faultLoops(step: Step, ret: number): number {
  if (ret !== FAULT_LOOPS) return ret;
  throw new ModelError(
    `line ${step.line}: a ${step.call} that faults under a SIGSEGV handler loops forever ` +
    "on Linux (the handler returns and the access runs again); the model refuses the step",
  );
}
