// The trace header's `params` (IPC sysctls, the tmpfs's size and nr_inodes) and `realtime`
// (CLOCK_REALTIME's start) applied to a fresh kernel.

import type { Kernel } from "../../wasm/kernel.js";
import type { Trace } from "../trace/types.js";
import { ModelError } from "./calls.js";
import { setRealtime } from "./time.js";
import { PARAM_NAMES } from "../trace/parse.js";
import { didYouMean } from "../text.js";

/** Indices of kernel/param.ts P_*, by Linux sysctl name. kernel.sem sets four. */
const SIMPLE: Record<string, number> = {
  "fs.pipe-max-size": 0,
  "kernel.msgmax": 1,
  "kernel.msgmnb": 2,
  "kernel.msgmni": 3,
  "kernel.shmmax": 8,
  "kernel.shmall": 9,
  "kernel.shmmni": 10,
  "kernel.shm_rmid_forced": 11,
  "kernel.msg_next_id": 12,
  "kernel.sem_next_id": 13,
  "kernel.shm_next_id": 14,
  "fs.mqueue.queues_max": 15,
  "fs.mqueue.msg_max": 16,
  "fs.mqueue.msgsize_max": 17,
  "fs.mqueue.msg_default": 18,
  "fs.mqueue.msgsize_default": 19,
  "tmpfs.nr_inodes": 21,
};
/** tmpfs.size is bytes, rounded up to pages as mm/shmem.c:shmem_parse_one does (P_TMPFS_BLOCKS). */
const TMPFS_BLOCKS_INDEX = 20;
const PAGE = 4096;
const SEM_INDICES = [4, 5, 6, 7]; // SEMMSL, SEMMNS, SEMOPM, SEMMNI

export function applyParams(k: Kernel, trace: Pick<Trace, "file" | "header">): void {
  if (trace.header.realtime !== undefined) setRealtime(k, trace.header.realtime);
  for (const [name, value] of Object.entries(trace.header.params)) {
    if (name === "kernel.sem") {
      const v = value as number[];
      SEM_INDICES.forEach((idx, i) => set(k, trace, name, idx, v[i]));
    } else if (name === "tmpfs.size") {
      set(k, trace, name, TMPFS_BLOCKS_INDEX, Math.ceil((value as number) / PAGE), value as number);
    } else if (name in SIMPLE) {
      set(k, trace, name, SIMPLE[name], value as number);
    } else {
      throw new ModelError(`${trace.file}: params: ${unknownParam(name)}`);
    }
  }
}

/** Why a sysctl cannot be set: a name Linux has that the model does not keep, or a name
 * nobody knows (likely misspelt: the nearest known one, and the list). */
function unknownParam(name: string): string {
  const modelled = [...Object.keys(SIMPLE), "kernel.sem", "tmpfs.size"];
  if ((PARAM_NAMES as readonly string[]).includes(name)) {
    return `"${name}" is not modelled (the model sets ${modelled.join(", ")})`;
  }
  return `unknown sysctl "${name}"${didYouMean(name, modelled)}; the known ones: ` +
    modelled.join(", ");
}

/** What the model's tables hold, where a Linux value can be past it (0 is "no limit" to tmpfs). */
const HOLDS: Record<string, string> = {
  "tmpfs.size": "1 byte to 4 MiB",
  "tmpfs.nr_inodes": "1 to 1024",
};

function set(
  k: Kernel, trace: Pick<Trace, "file" | "header">, name: string, idx: number, value: number,
  shown = value,
): void {
  const v = value > 0x7fffffff ? -1 : value;
  if (!k.setParam(idx, v)) {
    const holds = HOLDS[name] === undefined ? "" : ` (it holds ${HOLDS[name]})`;
    throw new ModelError(
      `${trace.file}: params: ${name} = ${shown} is outside what the model can hold${holds}`,
    );
  }
}
