// The trace generator's entries for shared memory and mappings (spliced into CALL_TABLE,
// call-table.ts): shmget, shmat, shmdt, shmctl, mmap, munmap, mprotect, msync, store, load.
//
// Addresses are aimed through the shadow's mappings (mem-shadow.ts): a draw names "the
// caller's n-th mapping" and the step writes `{"ref": <its step>, "offset": N}`. Accesses stay
// inside one page of a mapping the caller still has, so that they mean the same on Linux,
// whose layout around our mappings is not the model's (an address past a mapping may be a
// library there); faults come from the protection: stores through SHM_RDONLY attachments and
// PROT_READ mappings, any access to PROT_NONE. munmap unmaps a whole mapping or its last page.
// No MAP_FIXED and no given shmat address (they could land on the agent's own memory on Linux;
// the behaviour cases cover them). No SIGSEGV handler can be installed (sigaction is not a
// model call), so no access loops forever.
//
// Weights (weights.ts): memory takes a small share of the default budget; MEM_HEAVY gives it
// most, with forks and exits (attachments inherited and detached).

import fc from "fast-check";
import { flagsArb, kind, pick, type CallKind, type StepFields } from "./call-kind.js";
import type { Mapping } from "./mem-shadow.js";
import { keyArb, msgText, pickId } from "./sysv-table.js";

const PAGE = 4096;
/** Segment sizes: a byte, part of a page, a page and a byte more, a few pages. */
const SHM_SIZES = [1, 100, 4096, 4097, 8192, 3 * 4096];
const MMAP_LENGTHS = [4096, 100, 8192, 3 * 4096];

/** The caller's n-th mapping (n in 0..3), or null when it has none. */
function pickMap(maps: Mapping[], n: number, want?: (m: Mapping) => boolean): Mapping | null {
  const list = want ? maps.filter(want) : maps;
  return list.length > 0 ? list[n % list.length] : null;
}

/** An access of `n` bytes (1..32) inside one page of m: page p, offset within it. */
const accessArb = fc.record({
  map: fc.nat({ max: 3 }),
  page: fc.nat({ max: 3 }),
  at: fc.oneof(fc.constant(0), fc.nat({ max: 4095 })),
  n: fc.integer({ min: 1, max: 32 }),
});

function access(
  m: Mapping, a: { page: number; at: number; n: number },
): { offset: number; n: number } {
  const page = a.page % (m.length / PAGE);
  const at = Math.min(a.at, PAGE - a.n);
  return { offset: page * PAGE + at, n: a.n };
}

const PROTS = [["PROT_READ", "PROT_WRITE"], ["PROT_READ"], ["PROT_NONE"], ["PROT_WRITE"]];
/** A prot bit no PROT_ name has (mprotect: EINVAL). */
const PROT_BAD = 0x10;
const protArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant(PROTS[0]) },
  { weight: 1, arbitrary: pick(PROTS.slice(1)) },
);

export const MEM_TABLE: readonly CallKind[] = [
  kind(
    "shmget",
    fc.tuple(keyArb, pick(SHM_SIZES), flagsArb([["IPC_CREAT", 80], ["IPC_EXCL", 15]])),
    ([key, size, flags]) => ({ call: "shmget", key, size, flags, mode: "0600" }),
  ),
  kind(
    "shmat",
    fc.tuple(fc.nat({ max: 3 }), flagsArb([["SHM_RDONLY", 20]]), fc.nat({ max: 30 })),
    ([n, flags, stale], ctx) => {
      const shmid = stale === 0 ? 7 : pickId(ctx.shadow.mem.segSize.keys(), { own: n });
      return shmid === null ? null : { call: "shmat", shmid, flags };
    },
  ),
  kind("shmdt", fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 20 })), ([n, odd], ctx) => {
    const m = pickMap(ctx.shadow.mem.mapsOf(ctx.pid), n, (x) => x.kind === "shm");
    if (!m) return null;
    return { call: "shmdt", shmaddr: { ref: m.step, offset: odd === 0 ? 1 : 0 } };
  }),
  kind(
    "shmctl",
    fc.tuple(fc.nat({ max: 3 }), fc.oneof({ weight: 3, arbitrary: fc.constant("IPC_STAT") },
      { weight: 1, arbitrary: fc.constant("IPC_RMID") })),
    ([n, cmd], ctx) => {
      const shmid = pickId(ctx.shadow.mem.segSize.keys(), { own: n });
      return shmid === null ? null : { call: "shmctl", shmid, cmd };
    },
  ),
  kind(
    "mmap",
    fc.tuple(pick(MMAP_LENGTHS), protArb, fc.boolean()),
    ([length, prot, shared]) => ({
      call: "mmap", length, prot,
      flags: [shared ? "MAP_SHARED" : "MAP_PRIVATE", "MAP_ANONYMOUS"],
    }),
  ),
  kind("munmap", fc.tuple(fc.nat({ max: 3 }), fc.boolean()), ([n, last], ctx) => {
    const m = pickMap(ctx.shadow.mem.mapsOf(ctx.pid), n);
    if (!m) return null;
    if (last && m.length > PAGE) {
      return { call: "munmap", addr: { ref: m.step, offset: m.length - PAGE }, length: PAGE };
    }
    return { call: "munmap", addr: { ref: m.step, offset: 0 }, length: m.length };
  }),
  // mprotect of a whole mapping or of its first page (a split, and a merge when it comes
  // back), to one of PROTS: an SHM_RDONLY attachment refuses PROT_WRITE (EACCES); now and then
  // an unknown prot bit (EINVAL before any region is looked at).
  kind("mprotect", fc.tuple(fc.nat({ max: 3 }), protArb, fc.nat({ max: 9 })),
    ([n, prot, shape], ctx) => {
      const m = pickMap(ctx.shadow.mem.mapsOf(ctx.pid), n);
      if (!m) return null;
      const addr = { ref: m.step, offset: 0 };
      if (shape === 0) return { call: "mprotect", addr, length: m.length, prot: PROT_BAD };
      const length = shape <= 3 && m.length > PAGE ? PAGE : m.length;
      return { call: "mprotect", addr, length, prot };
    }),
  // msync of a whole mapping (0), or with bad flags (EINVAL): flags are checked first.
  kind("msync", fc.tuple(fc.nat({ max: 3 }), pick([["MS_ASYNC"], ["MS_SYNC"], ["MS_INVALIDATE"],
    ["MS_ASYNC", "MS_SYNC"], []])), ([n, flags], ctx) => {
    const m = pickMap(ctx.shadow.mem.mapsOf(ctx.pid), n);
    if (!m) return null;
    return { call: "msync", addr: { ref: m.step, offset: 0 }, length: m.length, flags };
  }),
  kind("store", accessArb, (a, ctx) => {
    const m = pickMap(ctx.shadow.mem.mapsOf(ctx.pid), a.map);
    if (!m) return null;
    const { offset, n } = access(m, a);
    const data = msgText(ctx.index, n);
    return { call: "store", addr: { ref: m.step, offset }, data } as StepFields;
  }),
  kind("load", accessArb, (a, ctx) => {
    const m = pickMap(ctx.shadow.mem.mapsOf(ctx.pid), a.map);
    if (!m) return null;
    const { offset, n } = access(m, a);
    return { call: "load", addr: { ref: m.step, offset }, count: n };
  }),
];
