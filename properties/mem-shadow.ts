// The memory part of the shadow (shadow.ts holds one as `mem`): the SysV segments a trace made
// and each process's mappings, kept from steps and outcomes alone. The generator aims shmat,
// shmdt, munmap, store and load with it; the memory properties (shm-*.test.ts) read it to know
// which object an access reached.
//
// A mapping is named by the step that made it (a `ref` to that step is its address) and stays
// whole except that munmap of its last page shrinks it (the only partial munmap the generator
// makes). fork copies the list; exit drops it.

import type { Result, Step } from "../sim/trace/types.js";
import { FLAGS } from "../wasm/abi.js";
import type { CallName } from "../wasm/calls.js";

const PAGE = 4096;
const { PROT_WRITE, PROT_NONE } = FLAGS.prot;
const { SHM_RDONLY } = FLAGS.ipc;

export interface Mapping {
  /** The step whose ret is the address. */
  step: number;
  /** Bytes usable from the address (whole pages). */
  length: number;
  kind: "shm" | "shared" | "private";
  /** What the data lives in: "shm:<id>", "anon:<step>" (shared), or the private copy's own
   * name "priv:<pid>:<step>" (fork gives the child a copy). */
  object: string;
  writable: boolean;
  readable: boolean;
  shmid: number;
}

export class MemShadow {
  /** Sizes of every segment ever made (an id stays attachable after IPC_RMID). */
  readonly segSize = new Map<number, number>();
  readonly maps = new Map<number, Mapping[]>();

  mapsOf(pid: number): Mapping[] {
    return this.maps.get(pid) ?? [];
  }

  fork(parent: number, child: number): void {
    const copy = this.mapsOf(parent).map((m) =>
      m.kind === "private" ? { ...m, object: `priv:${child}:${m.step}` } : { ...m });
    this.maps.set(child, copy);
  }

  exit(pid: number): void {
    this.maps.delete(pid);
  }

  /** Follow a completed memory call (any result). */
  complete(pid: number, step: Step, r: Result): void {
    if (r === "blocked") return;
    const ok = r.ret === "address" || (typeof r.ret === "number" && r.ret >= 0);
    if (!ok) return;
    const list = this.maps.get(pid) ?? [];
    this.maps.set(pid, list);
    const follow = this.follow[step.call] as MemFollow<CallName> | undefined;
    follow?.(pid, step, r.ret, list);
  }

  /** What each completed memory call changes (a typed map, partial on purpose: only these
   * calls create or remove mappings). */
  private readonly follow: { readonly [C in CallName]?: MemFollow<C> } = {
    shmget: (_pid, step, ret) => {
      const id = ret as number;
      if (!this.segSize.has(id)) this.segSize.set(id, step.args.size);
    },
    shmat: (_pid, step, _ret, list) => {
      const size = this.segSize.get(step.args.shmid) ?? PAGE;
      const ro = (step.args.flags & SHM_RDONLY) !== 0;
      list.push({
        step: step.index, length: roundUp(size), kind: "shm", object: `shm:${step.args.shmid}`,
        writable: !ro, readable: true, shmid: step.args.shmid,
      });
    },
    mmap: (pid, step, _ret, list) => {
      const shared = (step.args.flags & 0x0f) === FLAGS.mmap.MAP_SHARED; // the MAP_TYPE field
      list.push({
        step: step.index, length: roundUp(step.args.length), kind: shared ? "shared" : "private",
        object: shared ? `anon:${step.index}` : `priv:${pid}:${step.index}`,
        writable: (step.args.prot & PROT_WRITE) !== 0, readable: step.args.prot !== PROT_NONE,
        shmid: -1,
      });
    },
    shmdt: (_pid, step, _ret, list) => this.unmap(list, step),
    munmap: (_pid, step, _ret, list) => this.unmap(list, step),
  };

  private unmap(list: Mapping[], step: Step): void {
    const a = step.call === "shmdt" ? step.args.shmaddr
      : step.call === "munmap" ? step.args.addr
      : 0;
    if (typeof a !== "object") return;
    const i = list.findIndex((m) => m.step === a.ref);
    if (i < 0) return;
    const m = list[i];
    const len = step.call === "munmap" ? roundUp(step.args.length) : m.length;
    if (a.offset === 0 && len >= m.length) list.splice(i, 1);
    else if (a.offset + len >= m.length && a.offset > 0) m.length = a.offset;
  }
}

function roundUp(n: number): number {
  return Math.ceil(n / PAGE) * PAGE;
}

type MemFollow<C extends CallName> =
  (pid: number, step: Extract<Step, { call: C }>, ret: number | "address", list: Mapping[]) => void;
