// The fast-check baseline of the bug suite: each bug as an fc.scheduler program (world.ts), run
// by fc.check with one seed after another, counting executions to the first failure.

import fc from "fast-check";
import { eintrAsSuccess } from "./eintr-as-success.js";
import { lateRace } from "./late-race.js";
import { leakedWriteEnd } from "./leaked-write-end.js";
import { msgFullQueues } from "./msg-full-queues.js";
import { semOrder } from "./sem-order.js";
import { shmLostUpdate } from "./shm-lost-update.js";
import { sigchldCoalesce } from "./sigchld-coalesce.js";
import { uneven } from "./uneven.js";
import { World, type FcBug } from "./world.js";

/** The bugs, by the name of their scenario in examples/bugs/. */
export const FC_BUGS: Record<string, FcBug> = {
  "leaked-write-end": leakedWriteEnd,
  "sem-order": semOrder,
  "shm-lost-update": shmLostUpdate,
  "eintr-as-success": eintrAsSuccess,
  "sigchld-coalesce": sigchldCoalesce,
  "msg-full-queues": msgFullQueues,
  uneven,
  "late-race": lateRace,
};

interface FcSeedResult {
  seed: number;
  /** Executions up to and including the first failing one; undefined when none within the cap. */
  firstFailure: number | undefined;
  /** Executions run for this seed (the failing one's index, or the cap). */
  executions: number;
  why?: string;
}

/** fc.check the bug with one seed, at most `cap` executions, stopping at the first failure. */
export async function fcFirstFailure(bug: FcBug, seed: number, cap: number): Promise<FcSeedResult> {
  let why: string | undefined;
  const property = fc.asyncProperty(fc.scheduler(), async (s) => {
    const v = await bug(new World(s));
    if (!v.ok) why = v.why;
    return v.ok;
  });
  const out = await fc.check(property, { seed, numRuns: cap, endOnFailure: true });
  if (out.failed) return { seed, firstFailure: out.numRuns, executions: out.numRuns, why };
  return { seed, firstFailure: undefined, executions: out.numRuns };
}

/** `node scripts/run-ts.mjs bench/fc-baseline/index.ts [CAP] [BUG...]`: one line per seed 1..20. */
export async function main(args: string[]): Promise<number> {
  const cap = args.length > 0 && /^\d+$/.test(args[0]) ? Number(args.shift()) : 10_000;
  for (const name of args.length > 0 ? args : Object.keys(FC_BUGS)) {
    const t0 = performance.now();
    const firsts: (number | undefined)[] = [];
    let runs = 0;
    let why: string | undefined;
    for (let seed = 1; seed <= 20; seed++) {
      const r = await fcFirstFailure(FC_BUGS[name], seed, cap);
      firsts.push(r.firstFailure);
      runs += r.executions;
      why ??= r.why;
    }
    const s = (performance.now() - t0) / 1e3;
    console.log(name, JSON.stringify(firsts), Math.round(runs / s), "runs/s", why ?? "");
  }
  return 0;
}
