// The memory part of the shadow (shadow.ts holds one as `mem`): the SysV segments a trace made
// and each process's mappings, kept from steps and outcomes alone. The generator aims shmat,
// shmdt, munmap, store and load with it; the memory properties (shm-*.test.ts) read it to know
// which object an access reached.
//
// A mapping is named by the step that made it (a `ref` to that step is its address) and stays
// whole except that munmap of its last page shrinks it (the only partial munmap the generator
// makes). Each page has its protection (mmap's, shmat's, then mprotect's), so the shadow says
// which accesses fault (shm-memory.test.ts checks it does). fork copies the list; exit drops
// it.

import type { Result, Step } from "../sim/trace/types.js";
import { FLAGS } from "../wasm/abi.js";
import type { CallName } from "../wasm/calls.js";

const PAGE = 4096;
const { PROT_READ, PROT_WRITE, PROT_EXEC, PROT_NONE } = FLAGS.prot;
const PROT_ACCESS = PROT_READ | PROT_WRITE | PROT_EXEC;
const { SHM_RDONLY, SHM_EXEC } = FLAGS.ipc;

export interface Mapping {
  /** The step whose ret is the address. */
  step: number;
  /** Bytes usable from the address (whole pages). */
  length: number;
  kind: "shm" | "shared" | "private";
  /** What the data lives in: "shm:<id>", "anon:<step>" (shared), or the private copy's own
   * name "priv:<pid>:<step>" (fork gives the child a copy). */
  object: string;
  /** Each page's protection (PROT_ bits): x86 reads any page but PROT_NONE ones. */
  prot: number[];
  shmid: number;
}

/** Would an access to byte `offset` of m fault (SIGSEGV), as m's page is protected? */
export function accessFaults(m: Mapping, offset: number, write: boolean): boolean {
  const prot = m.prot[Math.floor(offset / PAGE)] ?? PROT_NONE;
  return write ? (prot & PROT_WRITE) === 0 : prot === PROT_NONE;
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
      m.kind === "private"
        ? { ...m, object: `priv:${child}:${m.step}`, prot: [...m.prot] }
        : { ...m, prot: [...m.prot] });
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
      const length = roundUp(size);
      const prot = PROT_READ | (ro ? 0 : PROT_WRITE) |
        ((step.args.flags & SHM_EXEC) !== 0 ? PROT_EXEC : 0);
      list.push({
        step: step.index, length, kind: "shm", object: `shm:${step.args.shmid}`,
        prot: pagesOf(length, prot), shmid: step.args.shmid,
      });
    },
    mmap: (pid, step, _ret, list) => {
      const shared = (step.args.flags & 0x0f) === FLAGS.mmap.MAP_SHARED; // the MAP_TYPE field
      const length = roundUp(step.args.length);
      list.push({
        step: step.index, length, kind: shared ? "shared" : "private",
        object: shared ? `anon:${step.index}` : `priv:${pid}:${step.index}`,
        prot: pagesOf(length, step.args.prot & PROT_ACCESS), shmid: -1,
      });
    },
    // A success changed every page of the range (the generator's ranges lie in one mapping).
    mprotect: (_pid, step, _ret, list) => {
      const a = step.args.addr;
      if (typeof a !== "object") return;
      const m = list.find((x) => x.step === a.ref);
      if (!m) return;
      const first = Math.floor(a.offset / PAGE);
      const last = Math.min(m.prot.length, Math.ceil((a.offset + step.args.length) / PAGE));
      for (let p = first; p < last; p++) m.prot[p] = step.args.prot & PROT_ACCESS;
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
    else if (a.offset + len >= m.length && a.offset > 0) {
      m.length = a.offset;
      m.prot.length = m.length / PAGE;
    }
  }
}

function roundUp(n: number): number {
  return Math.ceil(n / PAGE) * PAGE;
}

function pagesOf(length: number, prot: number): number[] {
  return new Array<number>(length / PAGE).fill(prot);
}

type MemFollow<C extends CallName> =
  (pid: number, step: Extract<Step, { call: C }>, ret: number | "address", list: Mapping[]) => void;
