// The examples and the bug suite, run through the library API as a user would:
// - every example runs ok under a few seeds and strategies, with every end check on (no zombie,
//   no IPC object left, every pipe byte read);
// - every bug is found by `explore` with PCT within a fixed budget for a fixed seed, with the
//   verdict it should have (a deadlock or a failed assertion), and its fixed version passes the
//   same exploration;
// - the uneven-workload bug is missed by uniform random within the same budget;
// - on real Linux (host bridge; skipped with the reason where it cannot run): each bug's shrunk
//   failing run and one schedule of every example and fixed version, replayed as traces, agree
//   with Linux step by step.

import { describe, expect, test } from "vitest";
import { diffText, diffTrace } from "../host-bridge/diff.js";
import { hostSupport } from "../host-bridge/host.js";
import {
  explore, parseTrace, run, type ExploreResult, type RunResult, type Scenario, type ScenarioMain,
  type Verdict,
} from "../sim/index.js";
import fifo from "./fifo.js";
import msgTyped from "./msg-typed.js";
import pipe from "./pipe.js";
import semMutex from "./sem-mutex.js";
import semSignal from "./sem-signal.js";
import shmProducerConsumer from "./shm-producer-consumer.js";
import posixSemRing from "./posix-sem-ring.js";
import mpQueue from "./mp-queue.js";
import mqJobs from "./mq-jobs.js";
import fileMmap from "./file-mmap.js";
import logAppend from "./log-append.js";
import shmOpen from "./shm-open.js";
import * as sealedTable from "./sealed-table.js";
import counterFile from "./bugs/counter-file.js";
import counterFileFixed from "./bugs/counter-file.fixed.js";
import eintr from "./bugs/eintr-as-success.js";
import eintrFixed from "./bugs/eintr-as-success.fixed.js";
import leaked from "./bugs/leaked-write-end.js";
import leakedFixed from "./bugs/leaked-write-end.fixed.js";
import msgFull from "./bugs/msg-full-queues.js";
import msgFullFixed from "./bugs/msg-full-queues.fixed.js";
import semOrder from "./bugs/sem-order.js";
import semOrderFixed from "./bugs/sem-order.fixed.js";
import shmLost from "./bugs/shm-lost-update.js";
import shmLostFixed from "./bugs/shm-lost-update.fixed.js";
import sigchld from "./bugs/sigchld-coalesce.js";
import sigchldFixed from "./bugs/sigchld-coalesce.fixed.js";
import uneven from "./bugs/uneven.js";
import sleepSync from "./bugs/sleep-for-sync.js";
import sleepSyncFixed from "./bugs/sleep-for-sync.fixed.js";
import shortTimeout from "./bugs/timeout-shorter-than-work.js";
import shortTimeoutFixed from "./bugs/timeout-shorter-than-work.fixed.js";
import alarmPause from "./bugs/alarm-pause-race.js";
import alarmPauseFixed from "./bugs/alarm-pause-race.fixed.js";
import lateRace from "./bugs/late-race.js";
import lateRaceFixed from "./bugs/late-race.fixed.js";
import futexLost from "./bugs/futex-lost-wakeup.js";
import futexLostFixed from "./bugs/futex-lost-wakeup.fixed.js";
import trywaitClosed from "./bugs/sem-trywait-closed.js";
import trywaitClosedFixed from "./bugs/sem-trywait-closed.fixed.js";
import notifyOnce from "./bugs/mq-notify-once.js";
import notifyOnceFixed from "./bugs/mq-notify-once.fixed.js";
import lockLog from "./lock-log.js";
import lockOrder from "./bugs/lock-order-edeadlk.js";
import lockOrderFixed from "./bugs/lock-order-edeadlk.fixed.js";
import closeAnyFd from "./bugs/close-any-fd-drops-my-lock.js";
import closeAnyFdFixed from "./bugs/close-any-fd-drops-my-lock.fixed.js";
import socketpairRpc from "./socketpair-rpc.js";
import oneRecv from "./bugs/stream-one-recv.js";
import oneRecvFixed from "./bugs/stream-one-recv.fixed.js";
import fullBuffers from "./bugs/stream-full-buffers.js";
import fullBuffersFixed from "./bugs/stream-full-buffers.fixed.js";
import acceptOne from "./bugs/accept-one-at-a-time.js";
import acceptOneFixed from "./bugs/accept-one-at-a-time.fixed.js";
import etReadOnce from "./bugs/epoll-et-read-once.js";
import etReadOnceFixed from "./bugs/epoll-et-read-once.fixed.js";

const ALL_CHECKS = { zombies: true, ipcObjects: true, pipesDrained: true };
const SEED = 7;
/** Explore budget for finding a bug with PCT, and for passing a fixed version. */
const FIND_BUDGET = 1000;
const FIXED_BUDGET = 300;

/** A module where the example expects a signal (sealed-table: `expect`). */
const EXAMPLES: Record<string, Scenario> = {
  pipe, fifo, "msg-typed": msgTyped, "sem-mutex": semMutex, "sem-signal": semSignal,
  "shm-producer-consumer": shmProducerConsumer, "posix-sem-ring": posixSemRing,
  "mp-queue": mpQueue, "mq-jobs": mqJobs, "file-mmap": fileMmap, "log-append": logAppend,
  "shm-open": shmOpen, "lock-log": lockLog, "sealed-table": sealedTable,
  "socketpair-rpc": socketpairRpc,
};

interface Bug {
  main: ScenarioMain;
  fixed?: ScenarioMain;
  verdict: Verdict["kind"];
}

const BUGS: Record<string, Bug> = {
  "leaked-write-end": { main: leaked, fixed: leakedFixed, verdict: "deadlock" },
  "sem-order": { main: semOrder, fixed: semOrderFixed, verdict: "deadlock" },
  "shm-lost-update": { main: shmLost, fixed: shmLostFixed, verdict: "assertion" },
  "eintr-as-success": { main: eintr, fixed: eintrFixed, verdict: "assertion" },
  "sigchld-coalesce": { main: sigchld, fixed: sigchldFixed, verdict: "deadlock" },
  "msg-full-queues": { main: msgFull, fixed: msgFullFixed, verdict: "deadlock" },
  uneven: { main: uneven, verdict: "assertion" },
  // Time (docs/scenarios.md "Time"): found because a timer may fire while others can still run.
  "sleep-for-sync": { main: sleepSync, fixed: sleepSyncFixed, verdict: "assertion" },
  "timeout-shorter-than-work": {
    main: shortTimeout, fixed: shortTimeoutFixed, verdict: "assertion",
  },
  "alarm-pause-race": { main: alarmPause, fixed: alarmPauseFixed, verdict: "deadlock" },
  // A race after a long single-process prefix (issue 12).
  "late-race": { main: lateRace, fixed: lateRaceFixed, verdict: "assertion" },
  // Futexes and the nptl library (issue 18): user code on atomics and futex(2).
  "futex-lost-wakeup": { main: futexLost, fixed: futexLostFixed, verdict: "deadlock" },
  "sem-trywait-closed": {
    main: trywaitClosed, fixed: trywaitClosedFixed, verdict: "assertion",
  },
  // POSIX message queues (issue 18).
  "mq-notify-once": { main: notifyOnce, fixed: notifyOnceFixed, verdict: "deadlock" },
  // Files (issue 16).
  "counter-file": { main: counterFile, fixed: counterFileFixed, verdict: "assertion" },
  // File locks: F_SETLKW's EDEADLK, and a close that drops a POSIX lock.
  "lock-order-edeadlk": { main: lockOrder, fixed: lockOrderFixed, verdict: "assertion" },
  "close-any-fd-drops-my-lock": {
    main: closeAnyFd, fixed: closeAnyFdFixed, verdict: "assertion",
  },
  // Sockets (issue 17): a short read on a stream, and two senders on full send buffers.
  "stream-one-recv": { main: oneRecv, fixed: oneRecvFixed, verdict: "assertion" },
  "stream-full-buffers": { main: fullBuffers, fixed: fullBuffersFixed, verdict: "deadlock" },
  // A deadlock across a listener's queue, and an edge-triggered loop that stalls.
  "accept-one-at-a-time": { main: acceptOne, fixed: acceptOneFixed, verdict: "deadlock" },
  "epoll-et-read-once": { main: etReadOnce, fixed: etReadOnceFixed, verdict: "deadlock" },
};

/** The bugs whose median runs-to-find under PCT is measured over seeds (the goal). */
const MEDIAN_BUGS = [
  "sleep-for-sync", "timeout-shorter-than-work", "alarm-pause-race", "late-race",
  "futex-lost-wakeup", "sem-trywait-closed", "mq-notify-once", "stream-one-recv",
  "epoll-et-read-once",
];
const MEDIAN_SEEDS = 9;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Each bug's PCT exploration, run once and shared by the model test and the Linux test. */
const found = new Map<string, Promise<ExploreResult>>();
function findBug(name: string, main: ScenarioMain): Promise<ExploreResult> {
  let r = found.get(name);
  if (!r) {
    r = explore(main, { strategy: "pct", seed: SEED, runs: FIND_BUDGET, shrinkBudget: 500 });
    found.set(name, r);
  }
  return r;
}

/** The least P with which `dfs:P` finds a failure (at most `most`), each bound exhausted or
 * failing within DFS_BUDGET runs. */
async function leastDfsBound(main: ScenarioMain, most: number): Promise<number> {
  for (let bound = 0; bound < most; bound++) {
    const r = await explore(main, { strategy: `dfs:${bound}`, runs: DFS_BUDGET, shrink: false });
    if (!r.ok) return bound;
    expect(r.exhausted, `dfs:${bound} exhausted within ${DFS_BUDGET} runs`).toBe(true);
  }
  return most;
}
const DFS_BUDGET = 5000;

describe("examples run ok", () => {
  for (const [name, main] of Object.entries(EXAMPLES)) {
    const title = `${name} passes under seeds 1-5 of random, pct and urw, with every end check`;
    test(title, async () => {
      for (const strategy of ["random", "pct", "urw"]) {
        for (let seed = 1; seed <= 5; seed++) {
          const r = await run(main, { seed, strategy, checks: ALL_CHECKS, kernelCheck: true });
          expect(r.verdict, `${strategy} seed ${seed}: ${r.replayCommand}`).toEqual({ kind: "ok" });
        }
      }
    });
  }
});

describe("the bug suite", () => {
  for (const [name, bug] of Object.entries(BUGS)) {
    test(`explore with PCT finds ${name} (${bug.verdict}) within ${FIND_BUDGET} runs`, async () => {
      const r = await findBug(name, bug.main);
      expect(r.ok).toBe(false);
      expect(r.failure!.verdict.kind).toBe(bug.verdict);
      // The shrunk run fails the same way, and its decision string replays it.
      expect(r.shrunk!.verdict.kind).toBe(bug.verdict);
      const again = await run(bug.main, { replay: r.shrunk!.decisions });
      expect(again.verdict.kind).toBe(bug.verdict);
    });
    // Issue 12: on main (PCT, seed 7) sem-order, shm-lost-update, sigchld-coalesce and
    // late-race shrank to 2 preemptions where 1 suffices, uneven to 1 where 0 does.
    test(`${name} shrinks to the least preemption bound with which dfs finds it`, async () => {
      const r = await findBug(name, bug.main);
      const least = await leastDfsBound(bug.main, r.shrunk!.preemptions);
      expect(r.shrunk!.preemptions, `shrunk to ${r.shrunk!.decisions}`).toBe(least);
    });
    if (!bug.fixed) continue;
    const fixed = bug.fixed;
    test(`the fixed ${name} passes ${FIXED_BUDGET} runs each of PCT and random`, async () => {
      for (const strategy of ["pct", "random"]) {
        const options = { strategy, seed: SEED, runs: FIXED_BUDGET, checks: ALL_CHECKS };
        const r = await explore(fixed, options);
        expect(r.ok, `${strategy}: ${r.failure?.replayCommand}`).toBe(true);
      }
    });
  }

  for (const name of MEDIAN_BUGS) {
    test(`explore with PCT finds ${name} within ${FIND_BUDGET} runs at the median ` +
      `(seeds 1-${MEDIAN_SEEDS})`, async () => {
      const runs: number[] = [];
      for (let seed = 1; seed <= MEDIAN_SEEDS; seed++) {
        const options = { strategy: "pct", seed, runs: FIND_BUDGET, shrink: false };
        const r = await explore(BUGS[name].main, options);
        runs.push(r.ok ? Infinity : r.runs);
      }
      expect(median(runs), `runs to find, by seed: ${runs.join(", ")}`)
        .toBeLessThanOrEqual(FIND_BUDGET);
    });
  }

  const title =
    `uniform random misses the uneven-workload bug in ${FIND_BUDGET} runs; URW finds it`;
  test(title, async () => {
    const options = { seed: SEED, runs: FIND_BUDGET, shrink: false };
    const random = await explore(uneven, { strategy: "random", ...options });
    expect(random.ok).toBe(true);
    const urw = await explore(uneven, { strategy: "urw", ...options });
    expect(urw.ok).toBe(false);
  });
});

const support = hostSupport();

/** The run, as a trace, agrees with real Linux on every step. */
async function agreesWithLinux(name: string, r: RunResult): Promise<void> {
  const trace = parseTrace(r.trace(), `${name}.jsonl`);
  const d = await diffTrace(trace);
  expect(d.disagreement, diffText(trace, d, r.replayCommand).join("\n")).toBeUndefined();
  expect(d.agreed).toBe(trace.steps.length);
}

const skipped = support.ok ? "" : ` (skipped: ${support.reason})`;
describe.skipIf(!support.ok)(`on real Linux${skipped}`, () => {
  for (const [name, bug] of Object.entries(BUGS)) {
    test(`${name}: the shrunk failing run agrees with Linux`, async () => {
      const r = await findBug(name, bug.main);
      await agreesWithLinux(name, r.shrunk!);
    });
  }
  const fixedBugs = Object.entries(BUGS)
    .flatMap(([n, b]) => (b.fixed ? [[`${n}.fixed`, b.fixed] as const] : []));
  const passing = { ...EXAMPLES, ...Object.fromEntries(fixedBugs) };
  for (const [name, main] of Object.entries(passing)) {
    test(`${name}: a PCT schedule agrees with Linux`, async () => {
      const r = await run(main, { seed: 1, strategy: "pct" });
      await agreesWithLinux(name, r);
    });
  }
});
