// Regular files as a scenario sees them, under the explorer: every byte written to a file, by
// write/pwrite64 or by a store through a MAP_SHARED mapping, is what any later pread64 or load
// through the mapping returns, at any offset, in any process; truncation cuts and zero-fills
// (mm/shmem.c: the mapping is the page cache).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAP_SHARED, O_CREAT, O_RDWR, PROT_READ, PROT_WRITE } from "./constants.js";
import { explore } from "./explore.js";
import type { Os } from "./os.js";

const PAGE = 4096;

/** One process's action: write bytes through a descriptor or the mapping, or set the size;
 * each is followed by a read back, through the other path when it can. */
type Op =
  | { kind: "pwrite"; offset: number; len: number }
  | { kind: "store"; offset: number; len: number }
  | { kind: "truncate"; size: number };

function bytesOf(tag: number, len: number): Uint8Array {
  return Uint8Array.from({ length: len }, (_, i) => 65 + ((tag * 7 + i) % 26));
}

/**
 * The parent makes "f" one page long, maps two pages MAP_SHARED, and forks one child per op
 * list. `file` is the test's own copy of the file (shared JS state, updated in the same step as
 * the call it mirrors: a process's code between two calls runs without any other process
 * stepping). Stores and loads stay in the first page, which truncation never removes (sizes
 * stay >= one page), so no access is SIGBUS.
 */
function workload(lists: readonly (readonly Op[])[]) {
  return async (os: Os) => {
    let file = new Uint8Array(PAGE);
    const fd = await os.open("f", O_CREAT | O_RDWR, 0o600);
    await os.ftruncate(fd, PAGE);
    const map = await os.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    const check = (os: Os, got: Uint8Array, offset: number, what: string) => {
      const want = file.slice(offset, offset + got.length);
      const expected = offset >= file.length ? 0 : Math.min(got.length, file.length - offset);
      os.assert(got.length === expected || what === "load", `${what} at ${offset}: ${got.length}`);
      os.assert(want.every((b, i) => b === got[i]), `${what} at ${offset} differs`);
    };
    const children = await Promise.all(lists.map((ops, n) => os.fork(async (os) => {
      for (const [k, op] of ops.entries()) {
        const tag = n * 16 + k;
        if (op.kind === "truncate") {
          await os.ftruncate(fd, op.size);
          const next = new Uint8Array(op.size);
          next.set(file.slice(0, Math.min(op.size, file.length)));
          file = next;
          check(os, await os.pread64(fd, 64, op.size - 32), op.size - 32, "pread64");
          continue;
        }
        const data = bytesOf(tag, op.len);
        if (op.kind === "pwrite") await os.pwrite64(fd, data, op.offset);
        else await os.store(map + op.offset, data);
        const end = op.offset + op.len;
        if (end > file.length && op.kind === "pwrite") {
          const next = new Uint8Array(end);
          next.set(file);
          file = next;
        }
        file.set(data, op.offset);
        if (op.kind === "pwrite" && end <= PAGE) {
          check(os, await os.load(map + op.offset, op.len), op.offset, "load");
        } else {
          check(os, await os.pread64(fd, op.len, op.offset), op.offset, "pread64");
        }
      }
    })));
    for (const pid of children) await os.waitpid(pid);
    check(os, await os.pread64(fd, 3 * PAGE, 0), 0, "final pread64");
    await os.munmap(map, 2 * PAGE);
    await os.close(fd);
    await os.unlink("f");
  };
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("pwrite" as const), offset: fc.integer({ min: 0, max: 2 * PAGE + 100 }),
    len: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({
    kind: fc.constant("store" as const), offset: fc.integer({ min: 0, max: PAGE - 200 }),
    len: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({
    kind: fc.constant("truncate" as const), size: fc.integer({ min: PAGE, max: 3 * PAGE }),
  }),
);
const listsArb = fc.array(fc.array(opArb, { minLength: 1, maxLength: 3 }),
  { minLength: 2, maxLength: 2 });

describe("regular files under the explorer", () => {
  it("every byte written is what a later read or mapping load sees, in every process " +
    "(PCT, 25 programs)", async () => {
    await fc.assert(fc.asyncProperty(listsArb, async (lists) => {
      const r = await explore(workload(lists), { strategy: "pct", runs: 60, seed: 3 });
      expect(r.ok, `${JSON.stringify(lists)}: ${r.shrunk?.replayCommand}`).toBe(true);
    }), { numRuns: 25, seed: 16 });
  }, 120_000);
});
