// Time in scenarios (docs/scenarios.md "Time"): jumps when nothing else can run, the clock as a
// candidate the explorer may choose, advance steps in the recorded trace (checked on the model),
// EINTR's rem and glibc's sleep, deadlines in explanations, the livelock verdict.

import { describe, expect, it } from "vitest";
import { checkTrace } from "../replay.js";
import { parseTrace } from "../trace/parse.js";
import {
  CLOCK_MONOTONIC, IPC_CREAT, IPC_PRIVATE, ITIMER_REAL, O_NONBLOCK, SA_RESTART, SIGALRM,
  SIGUSR1,
} from "./constants.js";
import { ErrnoError } from "./errors.js";
import { explore } from "./explore.js";
import type { Os } from "./os.js";
import { run } from "./run.js";
import { LIVELOCK_ADVANCES } from "./scheduler.js";

/** The child writes a byte after some work; the parent sleeps 1 s, then reads without waiting. */
async function sleepThenRead(os: Os): Promise<void> {
  const [r, w] = await os.pipe(O_NONBLOCK);
  await os.fork(async (c) => {
    await c.getppid();
    await c.write(w, "x");
  });
  await os.sleep(1);
  let got = 0;
  try {
    got = (await os.read(r, 1)).length;
  } catch (e) {
    if (!(e instanceof ErrnoError && e.code === "EAGAIN")) throw e;
  }
  os.assert(got === 1, "the child had not written yet");
  await os.wait();
}

const advances = (steps: readonly { call: string }[]) =>
  steps.filter((s) => s.call === "advance").length;

describe("time in scenarios", () => {
  it("jumps to the deadline when no process can run, with no decision", async () => {
    const r = await run(async (os: Os) => {
      const before = await os.clock_gettime(CLOCK_MONOTONIC);
      expect(await os.sleep(2)).toBe(0);
      const after = await os.clock_gettime(CLOCK_MONOTONIC);
      os.assert(before.sec === 0 && after.sec === 2 && after.nsec === 0, "2 s passed");
    }, { kernelCheck: true });
    expect(r.verdict).toEqual({ kind: "ok" });
    expect(r.decisions).toBe("");
    const adv = r.exec.steps.find((s) => s.call === "advance")!;
    expect(adv).toMatchObject({ pid: 0, args: { by: { sec: 2, nsec: 0 } } });
    expect(r.exec.outcomes[adv.index]).toMatchObject({ pid: 0, result: { ret: 0 } });
  });

  it("offers the clock after the processes: 0s fire no timer early, choosing it does", async () => {
    const late = await run(sleepThenRead, { replay: "" });
    expect(late.verdict).toEqual({ kind: "ok" });
    const found = await explore(sleepThenRead, { strategy: "pct", seed: 1, runs: 200 });
    expect(found.ok).toBe(false);
    expect(found.shrunk!.verdict).toMatchObject({ kind: "assertion" });
    const again = await run(sleepThenRead, { replay: found.shrunk!.decisions });
    expect(again.verdict).toMatchObject({ kind: "assertion" });
    // The timer fired before the child's write (the child never wrote: the run stopped).
    const calls = again.exec.steps.map((s) => s.call);
    expect(calls).toContain("advance");
    expect(calls).not.toContain("write");
  });

  it("records advances without a pid; the trace checks on the model", async () => {
    const found = await explore(sleepThenRead, { strategy: "pct", seed: 1, runs: 200 });
    for (const r of [await run(sleepThenRead, { replay: "" }), found.shrunk!]) {
      const text = r.trace();
      expect(text).toMatch(/^\{"call":"advance","by":\{"sec":1,"nsec":0\}/m);
      const trace = parseTrace(text, "time.jsonl");
      expect(checkTrace(trace, { check: true }).divergence).toBeUndefined();
    }
  });

  it("runs a timed scenario under every strategy", async () => {
    for (const strategy of ["random", "pct", "urw", "dfs:1"]) {
      const r = await explore(async (os: Os) => {
        const child = await os.fork(async (c) => {
          await c.nanosleep({ nsec: 300_000_000 });
        });
        // SIG_IGN before alarm: the other way round, the alarm may fire first and kill main
        // (an exit-status failure).
        await os.sigaction(SIGALRM, "SIG_IGN");
        await os.alarm(1);
        await os.sleep(2);
        await os.waitpid(child);
      }, { strategy, seed: 2, runs: 50 });
      expect(r.ok, `${strategy}: ${r.failure?.replayCommand}`).toBe(true);
    }
  });

  it("gives EINTR's rem on the error, and sleep the whole seconds left", async () => {
    const seen: unknown[] = [];
    const r = await run(async (os: Os) => {
      await os.sigaction(SIGUSR1, () => {});
      const child = await os.fork(async (c) => {
        seen.push(await c.sleep(5));
        try {
          await c.nanosleep({ sec: 3, nsec: 5 });
        } catch (e) {
          seen.push(e instanceof ErrnoError && [e.code, e.rem]);
        }
      });
      for (let i = 0; i < 2; i++) {
        await os.nanosleep({ sec: 1 });
        await os.kill(child, SIGUSR1);
      }
      await os.wait();
    }, { replay: "" });
    expect(r.verdict).toEqual({ kind: "ok" });
    expect(seen).toEqual([4, ["EINTR", { sec: 2, nsec: 5 }]]);
  });

  it("describes a sleeper with its deadline, and ends a run where only time passes as a " +
    "livelock, naming what fires", async () => {
    const r = await run(async (os: Os) => {
      await os.fork(async (c) => {
        const sem = await c.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600);
        await c.semtimedop(sem, [[0, -1, 0]], { sec: 100_000 });
      });
      // SA_RESTART: each SIGALRM runs the handler and the read goes back to sleep.
      await os.sigaction(SIGALRM, () => {}, SA_RESTART);
      await os.setitimer(ITIMER_REAL, { interval: { usec: 100_000 }, value: { usec: 100_000 } });
      const [rd] = await os.pipe();
      await os.read(rd, 1);
    }, { maxSteps: 5000, replay: "" });
    expect(r.verdict.kind).toBe("livelock");
    expect(advances(r.exec.steps)).toBe(LIVELOCK_ADVANCES);
    const text = r.text().join("\n");
    expect(text).toContain("verdict: livelock: only time passes (t=100 s), no call is made");
    expect(text).toContain(`${LIVELOCK_ADVANCES} timer expiries in a row and no call, ` +
      "from t=0 s to t=100 s");
    expect(text).toContain("pid 2's ITIMER_REAL (setitimer at step 2) fires every 0.1 s");
    expect(text).toContain("each expiry: SIGALRM's handler runs in pid 2, and no process");
    expect(text).toMatch(/pid 2 blocked in read\(.*\) \(step 4\) on pipe #1 \(empty\)/);
    expect(text).toMatch(/pid 3 blocked in semtimedop\(.*\) \(step 6\) waiting on set 0 sem 0/);
    expect(text).toMatch(/, until t=100000 s \(then EAGAIN\)$/m);
  });

  it("describes a sleeper with its deadline: pid N sleeps until t=...", async () => {
    const r = await run(async (os: Os) => {
      await os.fork(async (c) => {
        await c.nanosleep({ sec: 1, nsec: 500_000_000 });
      });
      await os.sigaction(SIGALRM, () => {}, SA_RESTART);
      await os.setitimer(ITIMER_REAL, { interval: { usec: 1000 }, value: { usec: 1000 } });
      const [rd] = await os.pipe();
      await os.read(rd, 1);
    }, { replay: "" });
    expect(r.verdict.kind).toBe("livelock");
    expect(r.text().join("\n")).toContain("pid 3 sleeps until t=1.5 s (nanosleep, step 5)");
  });
});
