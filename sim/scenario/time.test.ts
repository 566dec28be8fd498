// Time in scenarios (docs/scenarios.md "Time"): jumps when nothing else can run, the clock as a
// candidate the explorer may choose, advance steps in the recorded trace (checked on the model),
// EINTR's rem and glibc's sleep, deadlines in explanations, the livelock verdict.

import { describe, expect, it } from "vitest";
import { checkTrace } from "../replay.js";
import { parseTrace } from "../trace/parse.js";
import {
  CLOCK_MONOTONIC, ITIMER_REAL, O_NONBLOCK, SIGALRM, SIGEV_NONE, SIGUSR1,
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
    // The advance came before the child's write.
    const calls = again.exec.steps.map((s) => s.call);
    expect(calls.indexOf("advance")).toBeLessThan(calls.indexOf("write"));
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
        await os.alarm(1);
        await os.sigaction(SIGALRM, "SIG_IGN");
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
      await os.sigaction(SIGALRM, "SIG_IGN");
      await os.setitimer(ITIMER_REAL, { interval: { usec: 100_000 }, value: { usec: 100_000 } });
      const t = await os.timer_create(CLOCK_MONOTONIC, { notify: SIGEV_NONE });
      await os.timer_settime(t, 0, { interval: { sec: 1 }, value: { sec: 1 } });
      await os.fork(async (c) => {
        await c.nanosleep({ sec: 100_000 });
      });
      const [rd] = await os.pipe();
      await os.read(rd, 1);
    }, { maxSteps: 5000, replay: "" });
    expect(r.verdict.kind).toBe("livelock");
    expect(advances(r.exec.steps)).toBe(LIVELOCK_ADVANCES);
    const text = r.text().join("\n");
    expect(text).toMatch(/verdict: livelock: only time passes \(t=\d+(\.\d+)? s\), no call/);
    expect(text).toContain(`${LIVELOCK_ADVANCES} timer expiries in a row and no call`);
    expect(text).toContain("pid 2's ITIMER_REAL (setitimer at step 1) fires every 0.1 s");
    expect(text).toContain(
      "pid 2's POSIX timer 0 (timer_create at step 2, timer_settime at step 3) fires every 1 s",
    );
    expect(text).toContain("the expiries change nothing a process sees");
    expect(text).toContain("pid 3 sleeps until t=100000 s (nanosleep, step 7)");
    expect(text).toMatch(/pid 2 blocked in read\(.*\) \(step 6\) on pipe #1 \(empty\)/);
  });

  it("describes a semtimedop's deadline in the deadlock explainer's words", async () => {
    const r = await run(async (os: Os) => {
      const sem = await os.semget(0, 1, 0o1600);
      await os.sigaction(SIGALRM, "SIG_IGN");
      await os.setitimer(ITIMER_REAL, { interval: { usec: 100_000 }, value: { usec: 100_000 } });
      await os.semtimedop(sem, [[0, -1, 0]], { sec: 1000 });
    });
    expect(r.verdict.kind).toBe("livelock");
    const until = /waiting on set 0 sem 0 \(value 0\) .*, until t=1000 s \(then EAGAIN\)/;
    expect(r.text().join("\n")).toMatch(until);
  });
});
