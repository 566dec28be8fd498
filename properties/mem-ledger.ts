// What memory must hold, kept from a trace's outcomes alone (mem-shadow.ts names the object
// each access reached): the bytes of every object (a segment, a shared anonymous mapping, each
// process's private copy of a private mapping), and the frames Linux's rules give: an object's
// touched pages while it lives, and private pages with copy-on-write (fork shares a frame, a
// write to a shared one copies it, the last sharer takes it over). The model's zero page
// difference (docs/differences.md: an untouched private page read gets its own frame) is what
// the frame count expects, as the model documents it.
//
// Checked after every step by shm-memory.test.ts through MemRun: loads against the bytes,
// shm_nattch (IPC_STAT straight on the kernel, by an idle process) against the attachments,
// and the kernel's frame counts against these.

import type { Outcome, Result, Step } from "../sim/trace/types.js";
import { FLAGS } from "../wasm/abi.js";
import type { Mapping, MemShadow } from "./mem-shadow.js";

const PAGE = 4096;

/** A load that did not see what the ledger holds, in a private copy or a shared object. */
export interface AccessError {
  private: boolean;
  message: string;
}

export class MemLedger {
  /** Bytes of each object (absent: zero). */
  private bytes = new Map<string, Map<number, number>>();
  /** Touched pages of shared objects. */
  private touched = new Map<string, Set<number>>();
  /** Private frames: "pid:step:page" -> frame id, and each frame's references. */
  private priv = new Map<string, number>();
  private refs = new Map<number, number>();
  private frames = 0;
  /** Segments removed by IPC_RMID (gone once nothing is attached). */
  readonly removed = new Set<number>();
  readonly destroyed = new Set<number>();

  constructor(private mem: MemShadow) {}

  /** Before the shadow follows a step: note the access it makes and check a load's bytes. */
  access(step: Step, r: Result | undefined): AccessError | null {
    if (r === undefined || r === "blocked" || typeof r.ret !== "number" || r.ret < 0) return null;
    if (step.call !== "store" && step.call !== "load") return null;
    const a = step.args.addr;
    if (typeof a !== "object") return null;
    const m = this.mem.mapsOf(step.pid).find((x) => x.step === a.ref);
    if (!m) return { private: false, message: `access through no mapping the shadow knows` };
    const page = Math.floor(a.offset / PAGE);
    this.touch(step.pid, m, page, step.call === "store");
    const obj = this.objectBytes(m.object);
    if (step.call === "store") {
      step.args.data.forEach((b, i) => obj.set(a.offset + i, b));
      return null;
    }
    const got = r.data ?? new Uint8Array(0);
    for (let i = 0; i < got.length; i++) {
      const want = obj.get(a.offset + i) ?? 0;
      if (got[i] !== want) {
        const message = `pid ${step.pid} loaded byte ${got[i]} at ${m.object}+${a.offset + i}, ` +
          `but ${want} was the last stored there`;
        return { private: m.kind === "private", message };
      }
    }
    return null;
  }

  private objectBytes(key: string): Map<number, number> {
    let b = this.bytes.get(key);
    if (!b) this.bytes.set(key, (b = new Map()));
    return b;
  }

  private touch(pid: number, m: Mapping, page: number, write: boolean): void {
    if (m.kind !== "private") {
      let t = this.touched.get(m.object);
      if (!t) this.touched.set(m.object, (t = new Set()));
      t.add(page);
      return;
    }
    const key = `${pid}:${m.step}:${page}`;
    const f = this.priv.get(key);
    if (f === undefined) return this.newFrame(key);
    if (write && this.refs.get(f)! > 1) {
      this.put(f);
      this.newFrame(key);
    }
  }

  private newFrame(key: string): void {
    const f = this.frames++;
    this.priv.set(key, f);
    this.refs.set(f, 1);
  }

  private put(f: number): void {
    const n = this.refs.get(f)! - 1;
    if (n === 0) this.refs.delete(f);
    else this.refs.set(f, n);
  }

  /** Before the shadow follows the step: fork copies (private bytes and frames); exit and
   * munmap drop private frames. `mapsBefore` is the caller's mappings before the step. */
  lifetimes(step: Step, outcome: Outcome, mapsBefore: Map<number, Mapping[]>): void {
    const r = outcome.result;
    if (step.call === "fork" && r && r !== "blocked" && typeof r.ret === "number" && r.ret > 0) {
      this.fork(step.pid, r.ret, mapsBefore.get(step.pid) ?? []);
    }
    if (step.call === "munmap" && r && r !== "blocked" && r.ret === 0) {
      this.unmapPrivate(step, mapsBefore);
    }
    for (const e of outcome.events) if ("exit" in e) this.dropPrivate(`${e.exit}:`);
    if (step.call === "shmctl" && r && r !== "blocked" && r.ret === 0 &&
      step.args.cmd === FLAGS.ipcctl.IPC_RMID) {
      this.removed.add(step.args.shmid);
    }
  }

  private fork(parent: number, child: number, maps: Mapping[]): void {
    for (const m of maps) {
      if (m.kind !== "private") continue;
      const b = this.bytes.get(m.object);
      if (b) this.bytes.set(`priv:${child}:${m.step}`, new Map(b));
    }
    for (const [key, f] of [...this.priv]) {
      if (!key.startsWith(`${parent}:`)) continue;
      this.priv.set(`${child}:${key.slice(key.indexOf(":") + 1)}`, f);
      this.refs.set(f, this.refs.get(f)! + 1);
    }
  }

  private unmapPrivate(step: Step & { call: "munmap" }, before: Map<number, Mapping[]>): void {
    const a = step.args.addr;
    if (typeof a !== "object") return;
    const m = (before.get(step.pid) ?? []).find((x) => x.step === a.ref);
    if (!m || m.kind !== "private") return;
    const first = Math.floor(a.offset / PAGE);
    const last = Math.ceil((a.offset + step.args.length) / PAGE);
    for (let p = first; p < last; p++) this.dropPrivate(`${step.pid}:${m.step}:${p}`, true);
  }

  private dropPrivate(prefix: string, exact = false): void {
    for (const [key, f] of [...this.priv]) {
      if (exact ? key !== prefix : !key.startsWith(prefix)) continue;
      this.priv.delete(key);
      this.put(f);
    }
  }

  /** After the shadow followed the step: segments removed with nothing attached are gone;
   * shared anonymous objects no live mapping names are gone. */
  settle(liveMaps: Iterable<Mapping[]>): void {
    const attached = new Map<string, number>();
    for (const list of liveMaps) {
      for (const m of list) attached.set(m.object, (attached.get(m.object) ?? 0) + 1);
    }
    for (const id of this.removed) {
      if ((attached.get(`shm:${id}`) ?? 0) > 0) continue;
      this.removed.delete(id);
      this.destroyed.add(id);
      this.touched.delete(`shm:${id}`);
    }
    for (const key of [...this.touched.keys()]) {
      if (key.startsWith("anon:") && !attached.has(key)) this.touched.delete(key);
    }
  }

  /** Frames that objects hold (touched pages of live objects). */
  sharedFrames(): number {
    let n = 0;
    for (const t of this.touched.values()) n += t.size;
    return n;
  }

  privateFrames(): number {
    return this.refs.size;
  }
}

/** Attachments of segment `id` among live processes' mappings. */
export function attachments(mem: MemShadow, live: Iterable<number>, id: number): number {
  let n = 0;
  for (const pid of live) {
    for (const m of mem.mapsOf(pid)) if (m.kind === "shm" && m.shmid === id) n++;
  }
  return n;
}
