// Virtual time in explored schedules (sim/scenario, docs/scenarios.md "Time"): over scenarios
// with sleeps, alarms, an interval timer and POSIX timers, every schedule bounded DFS and PCT
// explore is checked from its recorded steps and outcomes alone:
//   - time never goes backwards: every advance is by a valid non-negative timespec, and every
//     CLOCK_MONOTONIC reading is the sum of the advances before it (so readings never
//     decrease) and CLOCK_REALTIME's is the start plus that sum;
//   - every timer fires at or after its deadline: a nanosleep that completes does so at or
//     after its issue time plus its request; the k-th signal of an alarm, an ITIMER_REAL or
//     a POSIX timer comes at or after its arming time plus its value plus (k-1) intervals.

import { describe, expect, test } from "vitest";
import { TIME } from "../wasm/abi.js";
import { Prng } from "../sim/prng.js";
import { Runner } from "../sim/scenario/run.js";
import type { ExecResult } from "../sim/scenario/scheduler.js";
import { makeStrategy } from "../sim/scenario/strategies/index.js";
import {
  CLOCK_MONOTONIC, CLOCK_REALTIME, ITIMER_REAL, SIG_BLOCK, SIGALRM, SIGUSR1, SIGUSR2,
} from "../sim/scenario/constants.js";
import { ErrnoError } from "../sim/scenario/errors.js";
import type { Os } from "../sim/scenario/os.js";
import type { Step } from "../sim/trace/types.js";
import "./timeouts.js";

const NS = 1e9;
/** Timer expiries and clock readings checked (so a checker that sees nothing fails). */
const seen = { expiries: 0, readings: 0 };

/** sigsuspend until a handler ran (EINTR). */
async function waitSignal(os: Os, mask: number[]): Promise<void> {
  try {
    await os.sigsuspend(mask);
  } catch (e) {
    if (!(e instanceof ErrnoError && e.code === "EINTR")) throw e;
  }
}

/** Two children sleeping different times while the parent reads the clocks and waits. */
async function sleepers(os: Os): Promise<void> {
  const a = await os.fork(async (c) => {
    await c.nanosleep({ nsec: 300_000_000 });
    await c.clock_gettime(CLOCK_MONOTONIC);
  });
  const b = await os.fork(async (c) => {
    await c.sleep(1);
    await c.clock_gettime(CLOCK_REALTIME);
  });
  await os.clock_gettime(CLOCK_MONOTONIC);
  await os.nanosleep({ nsec: 500_000_000 });
  await os.clock_gettime(CLOCK_MONOTONIC);
  await os.waitpid(a);
  await os.waitpid(b);
}

/** An alarm and a 3-shot interval timer, each waited for without a race. */
async function alarms(os: Os): Promise<void> {
  let rang = 0;
  await os.sigprocmask(SIG_BLOCK, [SIGALRM]);
  await os.sigaction(SIGALRM, () => {
    rang++;
  });
  const child = await os.fork(async (c) => {
    await c.nanosleep({ nsec: 700_000_000 });
  });
  await os.alarm(1);
  while (rang < 1) await waitSignal(os, []);
  await os.setitimer(ITIMER_REAL, { interval: { usec: 200_000 }, value: { usec: 500_000 } });
  while (rang < 4) await waitSignal(os, []);
  await os.setitimer(ITIMER_REAL, null);
  await os.clock_gettime(CLOCK_MONOTONIC);
  await os.waitpid(child);
}

/** Two POSIX timers (a periodic one and a one-shot) in two processes, and a sleeper. */
async function posixTimers(os: Os): Promise<void> {
  const child = await os.fork(async (c) => {
    let n = 0;
    await c.sigprocmask(SIG_BLOCK, [SIGUSR2]); // no race between the check and the wait
    await c.sigaction(SIGUSR2, () => {
      n++;
    });
    const t = await c.timer_create(CLOCK_MONOTONIC, { signo: SIGUSR2, value: 9 });
    await c.timer_settime(t, 0, { value: { sec: 1 } });
    while (n < 1) await waitSignal(c, []);
    await c.timer_delete(t);
  });
  let n = 0;
  await os.sigprocmask(SIG_BLOCK, [SIGUSR1]);
  await os.sigaction(SIGUSR1, () => {
    n++;
  });
  const t = await os.timer_create(CLOCK_MONOTONIC, { signo: SIGUSR1, value: 7 });
  await os.timer_settime(t, 0, { interval: { nsec: 300_000_000 }, value: { nsec: 100_000_000 } });
  while (n < 3) await waitSignal(os, []);
  await os.timer_delete(t);
  await os.nanosleep({ nsec: 200_000_000 });
  await os.clock_gettime(CLOCK_MONOTONIC);
  await os.waitpid(child);
}

const SCENARIOS = { sleepers, alarms, "posix-timers": posixTimers };

const nsOf = (t: { sec: number; nsec?: number; usec?: number }): number =>
  t.sec * NS + (t.nsec ?? 0) + (t.usec ?? 0) * 1e3;

/** Virtual time (ns) after each step: the sum of the advances up to it. */
function timesAfter(steps: readonly Step[]): number[] {
  let now = 0;
  return steps.map((s) => {
    if (s.call === "advance") now += nsOf(s.args.by);
    return now;
  });
}

/** The time never goes backwards, checked on one execution; problems as sentences. */
function timeGoesForward(x: ExecResult): string[] {
  const bad: string[] = [];
  const after = timesAfter(x.steps);
  x.steps.forEach((s, i) => {
    if (s.call === "advance") {
      const { sec, nsec } = s.args.by;
      if (!(sec >= 0 && nsec >= 0 && nsec < NS)) bad.push(`step ${i}: advance ${sec} s ${nsec} ns`);
    }
    const r = x.outcomes[i].result;
    if (s.call !== "clock_gettime" || !r || r === "blocked" || !r.tp) return;
    seen.readings++;
    const base = s.args.clock === CLOCK_REALTIME ? TIME.REALTIME_START_SEC * NS : 0;
    if (nsOf(r.tp) !== base + after[i]) {
      bad.push(`step ${i}: clock ${s.args.clock} read ${nsOf(r.tp) - base} ns at t=${after[i]} ns`);
    }
  });
  return bad;
}

interface Armed {
  pid: number;
  signal: string;
  value?: number;
  first: number;
  interval: number;
  /** Signals seen so far. */
  count: number;
}

/** Every timer fires at or after its deadline, checked on one execution. */
function timersFireLate(x: ExecResult): string[] {
  const bad: string[] = [];
  const after = timesAfter(x.steps);
  const armed: Armed[] = [];
  const sevp = new Map<string, { signal: string; value: number }>();
  x.steps.forEach((s, i) => {
    const r = x.outcomes[i].result;
    const ok = r !== undefined && r !== "blocked" && r.errno === undefined ? r : null;
    const at = after[i];
    const arm = (a: Omit<Armed, "count" | "pid">) => {
      for (let k = armed.length - 1; k >= 0; k--) {
        if (armed[k].pid === s.pid && armed[k].signal === a.signal && armed[k].value === a.value) {
          armed.splice(k, 1);
        }
      }
      if (a.first >= 0) armed.push({ ...a, pid: s.pid, count: 0 });
    };
    if (ok && s.call === "alarm") {
      const first = s.args.seconds ? at + s.args.seconds * NS : -1;
      arm({ signal: "SIGALRM", first, interval: 0 });
    } else if (ok && s.call === "setitimer" && s.args.which === ITIMER_REAL) {
      const v = s.args.value;
      const value = v ? nsOf(v.value) : 0;
      const interval = v ? nsOf(v.interval) : 0;
      arm({ signal: "SIGALRM", first: value ? at + value : -1, interval });
    } else if (ok && s.call === "timer_create" && s.args.sevp) {
      const names: Record<number, string> = { [SIGUSR1]: "SIGUSR1", [SIGUSR2]: "SIGUSR2" };
      const e = { signal: names[s.args.sevp.signo], value: s.args.sevp.value };
      sevp.set(`${s.pid} ${ok.timerid}`, e);
    } else if (ok && s.call === "timer_settime" && s.args.value) {
      const e = sevp.get(`${s.pid} ${s.args.timerid}`)!;
      const value = nsOf(s.args.value.value);
      arm({ ...e, first: value ? at + value : -1, interval: nsOf(s.args.value.interval) });
    }
    for (const e of x.outcomes[i].events) {
      if ("wake" in e && x.steps[e.step].call === "nanosleep") {
        const sleep = x.steps[e.step] as Extract<Step, { call: "nanosleep" }>;
        const due = after[e.step] + nsOf(sleep.args.req!);
        const res = e.result;
        if (res !== "blocked" && res.errno === undefined) seen.expiries++;
        if (res !== "blocked" && res.errno === undefined && at < due) {
          bad.push(`step ${i}: pid ${e.wake}'s nanosleep (step ${e.step}) ended at ${at}, ` +
            `due ${due}`);
        }
      }
      if (!("signal" in e)) continue;
      const t = armed.find((a) => a.pid === e.pid && a.signal === e.signal && a.value === e.value);
      if (!t) continue;
      const due = t.first + t.count * t.interval;
      t.count++;
      seen.expiries++;
      if (at < due) bad.push(`step ${i}: ${e.signal} to pid ${e.pid} at ${at}, due ${due}`);
    }
  });
  return bad;
}

async function exploreAll(
  main: (os: Os) => Promise<void>, strategy: string, runs: number,
): Promise<{ runs: number; problems: string[] }> {
  const runner = new Runner(main, { kernelCheck: true });
  const s = makeStrategy({ strategy });
  const master = new Prng(3);
  const problems: string[] = [];
  let n = 0;
  for (; n < runs; n++) {
    const pending = runner.execute(s, master.fork(), n);
    if (!pending) break;
    const x = await pending;
    const where = `${strategy} run ${n} (--replay ${x.log.toString() || '""'})`;
    if (x.verdict.kind !== "ok") problems.push(`${where}: ${JSON.stringify(x.verdict)}`);
    for (const p of [...timeGoesForward(x), ...timersFireLate(x)]) problems.push(`${where}: ${p}`);
    if (problems.length > 5) break;
  }
  return { runs: n, problems };
}

describe("virtual time in explored schedules", () => {
  for (const [name, main] of Object.entries(SCENARIOS)) {
    test(`${name}: virtual time never goes backwards and every timer fires at or after its ` +
      "deadline, in every schedule of bounded DFS (1 preemption) and of 200 PCT runs", async () => {
      seen.expiries = seen.readings = 0;
      const dfs = await exploreAll(main, "dfs:1", 400);
      expect(dfs.problems).toEqual([]);
      expect(dfs.runs).toBeGreaterThan(3);
      const pct = await exploreAll(main, "pct", 200);
      expect(pct.problems).toEqual([]);
      expect(seen.expiries).toBeGreaterThan(dfs.runs + pct.runs);
      expect(seen.readings).toBeGreaterThanOrEqual(dfs.runs + pct.runs);
    });
  }
});
