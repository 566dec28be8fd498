// Stuck: a process's JS that neither calls `os` nor returns (it awaits a promise that never
// settles) would leave its run waiting forever, since the scheduler steps only once no
// process's JS runs. So a live run is watched once per turn of the event loop (one
// setImmediate for every live run: it fires only after the microtask queue has drained):
// STUCK_TURNS turns in a row with no call and no return by any process end the run with the
// verdict `stuck`, which names the processes whose JS runs and what each last did:
//
//   pid 3 neither calls os nor returns: its JS awaits something that is not an os call,
//     after its last call, read(3, 64) (step 5)
//   pid 2 blocked in waitpid(3, 0) (step 4)
//
// JS that awaits promises settled by other promises (async helpers, `await null`) never
// spends a turn; JS that yields to the event loop (`await setImmediate()`) spends one per
// yield; a real timer or I/O that has not settled within the turns is stuck (virtual time:
// `os.nanosleep`; read files before the run or synchronously).

import { formatStep } from "../trace/strace.js";
import type { Step } from "../trace/types.js";
import type { BlockedProc } from "./deadlock.js";

/** Turns of the event loop with no call and no return while some process's JS runs, after
 * which the run is stuck. More than one, so that JS may yield to the event loop a few times
 * between two calls. */
export const STUCK_TURNS = 8;

/** Progress of a run's JS: `moves` counts calls and returns; idleTurn is called once a turn. */
export class Progress {
  moves = 0;
  private seen = 0;
  private idle = 0;

  /** Another turn of the event loop: true once STUCK_TURNS have passed in a row without a
   * move. */
  idleTurn(): boolean {
    if (this.moves !== this.seen) {
      this.seen = this.moves;
      this.idle = 0;
      return false;
    }
    return ++this.idle >= STUCK_TURNS;
  }
}

/** A live run, asked once per turn; false once it is over (it is then no longer asked). */
interface Watched {
  turn(): boolean;
}

const watched = new Set<Watched>();
let armed = false;
const nextTurn: (f: () => void) => void =
  typeof setImmediate === "function" ? setImmediate : (f) => setTimeout(f, 0);

/** Ask `x` once per turn of the event loop until it is over (or unwatchTurns). A run that
 * ends within the microtask queue costs a Set add and delete. */
export function watchTurns(x: Watched): void {
  watched.add(x);
  if (armed) return;
  armed = true;
  nextTurn(eachTurn);
}

/** Stop asking `x`: its run is over. Runs that end within the microtask queue (explore awaits
 * one after another without a turn) would otherwise pile up, each kept alive until the next
 * turn, and their garbage make every GC slower (explore's heap grew 15 KB a run). */
export function unwatchTurns(x: Watched): void {
  watched.delete(x);
}

/** Runs being watched (for tests). */
export function watchedRuns(): number {
  return watched.size;
}

function eachTurn(): void {
  armed = false;
  for (const x of watched) if (!x.turn()) watched.delete(x);
  if (watched.size === 0) return;
  armed = true;
  nextTurn(eachTurn);
}

/** The verdict's fields: the first process whose JS runs, what it last did ("after its last
 * call, read(3, 64) (step 5)"), and one line per live process. */
export function explainStuck(
  steps: readonly Step[], live: readonly BlockedProc[],
): { pid: number; last: string; explanation: string[] } {
  const running = live.filter((p) => p.state === "running");
  const explanation = running.map((p) => `pid ${p.pid} neither calls os nor returns: its JS ` +
    `awaits something that is not an os call, ${lastDid(steps, p)}`);
  for (const p of live) if (p.state !== "running") explanation.push(others(steps, p));
  const first = running[0];
  return { pid: first?.pid ?? 0, last: first ? lastDid(steps, first) : "", explanation };
}

function lastDid(steps: readonly Step[], p: BlockedProc): string {
  const step = steps[p.step];
  return step ? `after its last call, ${callText(step)} (step ${step.index})`
    : "before its first call";
}

function others(steps: readonly Step[], p: BlockedProc): string {
  const step = steps[p.step];
  switch (p.state) {
    case "blocked":
      return step ? `pid ${p.pid} blocked in ${callText(step)} (step ${step.index})`
        : `pid ${p.pid} is blocked`;
    case "stopped": return `pid ${p.pid} is stopped (SIGSTOP)`;
    case "ready": return `pid ${p.pid} is ready to make a call (waiting for its turn)`;
    case "running": return `pid ${p.pid} runs`;
  }
}

/** "read(3, 64)": the call and its arguments, as the strace view writes them. */
function callText(step: Step): string {
  return formatStep(step, "blocked")
    .replace(/^\[pid \d+\] /, "")
    .replace(/ <unfinished \.\.\.>$/, "");
}
