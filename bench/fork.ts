// fork+exit+waitpid per second through the kernel ABI, against the same loop natively on real
// Linux (bench/loops/loops.c `loops fork`, timed by the loop itself), in alternation in one run.
// Issue goal (issue 12): the model at least 100 times Linux's rate.
//
// Model: pid 2 of a fresh kernel forks, the child exits with 0, pid 2 reaps it with
// waitpid(child, NULL, 0); the kernel's event log is cleared after each (the engine drains it
// per step). Pids are never reused in a trace (kernel/param.ts NPROC), so the kernel is reset
// (Kernel.resetFast) every PIDS_PER_KERNEL iterations, inside the timed loop: its cost is
// shared by that many iterations.

import { CALLS } from "../wasm/abi.js";
import { KILLED, Kernel } from "../wasm/kernel.js";
import {
  alternate, compare, rowFromTimes, withGoal, type BenchOptions, type Row,
} from "./harness.js";
import { buildLoops, forkLoop } from "./loops.js";

const SPEEDUP_GOAL = 100;
const PID = 2;
const WARMUP_ROUNDS = 2;
const ITERATIONS = 1_000_000;
const HOST_ITERATIONS = 5_000;
/** Children per kernel before a reset: below NPROC (16,384) less init and pid 2. */
const PIDS_PER_KERNEL = 16_000;

export function forkBench(opts: BenchOptions): Row[] {
  const built = buildLoops();
  if (!built.ok) opts.log(`fork: no Linux baseline: ${built.reason}`);
  const iterations = Math.max(1000, Math.round(ITERATIONS * opts.scale));
  const hostIterations = Math.max(200, Math.round(HOST_ITERATIONS * opts.scale));
  const k = new Kernel();
  k.resetFast();
  const { fork, exit, waitpid } = CALLS;
  const x = k.x;
  const linuxSeconds: number[] = [];
  opts.log(`fork: fork+exit+waitpid (${opts.rounds} rounds after ${WARMUP_ROUNDS} warm-up)...`);
  const times = alternate({
    syscall: () => {
      let sum = 0;
      for (let i = 0, n = 0; i < iterations; i++, n++) {
        if (n === PIDS_PER_KERNEL) {
          k.resetFast();
          n = 0;
        }
        const child = k.syscall(PID, fork);
        const exited = k.syscall(child, exit, 0);
        if (exited !== KILLED || k.syscall(PID, waitpid, child, 0, 0) !== child) {
          throw new Error(`bench: fork ${child}: exit returned ${exited} or waitpid failed`);
        }
        sum += child;
        x.k_event_clear();
      }
      k.resetFast();
      return sum;
    },
    ...(built.ok ? {
      linux: () => {
        linuxSeconds.push(forkLoop(built.bin, hostIterations) / 1e9);
        return 0;
      },
    } : {}),
  }, opts.rounds, WARMUP_ROUNDS);
  const base = { bench: "fork", case: "fork+exit+waitpid", unit: "forks/s" };
  const model = rowFromTimes(
    { ...base, what: "model: Kernel.syscall" }, iterations, times.syscall,
  );
  if (!built.ok) return [model];
  const linux = rowFromTimes(
    { ...base, what: "baseline: real Linux, native loop (bench/loops)" }, hostIterations,
    linuxSeconds.slice(WARMUP_ROUNDS),
  );
  const row = withGoal(compare(model, linux), SPEEDUP_GOAL * linux.rate);
  row.note = `goal: ${SPEEDUP_GOAL}× Linux's best rate in this run`;
  return [row, linux];
}
