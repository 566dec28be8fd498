// File locks as a scenario sees them, under the explorer: the bytes each process believes it
// holds (its own F_SETLK and F_SETLKW results) never conflict with another's. A process
// weakens its view before the call that unlocks or downgrades a range and strengthens it after
// the call that locks it, so its view is never more than the kernel gives it: a conflict in the
// views is a conflict in the kernel (fs/locks.c posix_lock_inode, posix_locks_conflict).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { F_RDLCK, F_SETLK, F_SETLKW, F_UNLCK, F_WRLCK, O_RDWR } from "./constants.js";
import { ErrnoError } from "./errors.js";
import { explore } from "./explore.js";
import type { Os } from "./os.js";

const BYTES = 8;
type Op = { type: number; start: number; len: number; wait: boolean };

/** Children lock and unlock ranges of one FIFO; every process's view is checked against the
 * others' after each of its lock calls. */
function workload(plans: readonly (readonly Op[])[]) {
  return async (os: Os) => {
    await os.mkfifo("f");
    const fd = await os.open("f", O_RDWR);
    const views = plans.map(() => new Array<number>(BYTES).fill(F_UNLCK));
    const set = (v: number[], o: Op, t: number) => {
      for (let b = o.start; b < o.start + o.len; b++) v[b] = t;
    };
    const kids: number[] = [];
    for (const [i, plan] of plans.entries()) kids.push(await os.fork(async (os) => {
      const mine = views[i];
      for (const o of plan) {
        if (o.wait || o.type === F_UNLCK) {
          // No hold-and-wait: a process that may sleep first lets go of all it holds.
          if (o.wait) mine.fill(F_UNLCK);
          else set(mine, o, F_UNLCK);
          const all = { l_type: F_UNLCK, l_start: 0, l_len: 0 };
          const some = { l_type: F_UNLCK, l_start: o.start, l_len: o.len };
          await os.fcntl(fd, F_SETLK, o.wait ? all : some);
        }
        if (o.type === F_UNLCK) continue;
        // A read lock over a write lock weakens it in the call: the view first.
        if (o.type === F_RDLCK) {
          for (let b = o.start; b < o.start + o.len; b++) {
            if (mine[b] === F_WRLCK) mine[b] = F_RDLCK;
          }
        }
        try {
          await os.fcntl(fd, o.wait ? F_SETLKW : F_SETLK,
            { l_type: o.type, l_start: o.start, l_len: o.len });
        } catch (e) {
          if (e instanceof ErrnoError && (e.code === "EAGAIN" || e.code === "EDEADLK")) continue;
          throw e;
        }
        set(mine, o, o.type);
        for (let j = 0; j < views.length; j++) {
          if (j === i) continue;
          for (let b = 0; b < BYTES; b++) {
            const clash = mine[b] !== F_UNLCK && views[j][b] !== F_UNLCK &&
              (mine[b] === F_WRLCK || views[j][b] === F_WRLCK);
            os.assert(!clash, `byte ${b}: child ${i} holds ${mine[b]}, child ${j} ${views[j][b]}`);
          }
        }
      }
      mine.fill(F_UNLCK); // its exit releases them
    }));
    for (const pid of kids) await os.waitpid(pid);
  };
}

const opArb: fc.Arbitrary<Op> = fc.record({
  type: fc.constantFrom(F_RDLCK, F_WRLCK, F_WRLCK, F_UNLCK),
  start: fc.nat({ max: BYTES - 1 }),
  len: fc.integer({ min: 1, max: 4 }),
  wait: fc.boolean(),
}).map((o) => ({ ...o, len: Math.min(o.len, BYTES - o.start) }));

const plansArb = fc.array(fc.array(opArb, { minLength: 1, maxLength: 4 }),
  { minLength: 2, maxLength: 3 });

describe("file locks under the explorer", () => {
  it("lock state never lets two conflicting holders coexist (PCT, 40 programs)", async () => {
    await fc.assert(fc.asyncProperty(plansArb, async (plans) => {
      const r = await explore(workload(plans), { strategy: "pct", runs: 100, seed: 3 });
      expect(r.ok, `${JSON.stringify(plans)}: ${r.shrunk?.replayCommand}`).toBe(true);
    }), { numRuns: 40, seed: 7 });
  }, 240_000);
});
