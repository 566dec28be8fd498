// The trace generator itself: its traces are valid whatever outcome is taken, read back as
// written, come out the same from the same choices, and reach the states worth testing.

import { test as propTest } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTrace } from "../sim/trace/parse.js";
import { traceToJsonl } from "../sim/trace/serialise.js";
import type { Outcome, Step } from "../sim/trace/types.js";
import { buildTrace, choiceArb, statusAfter, traceArb } from "./arbitraries.js";
import { collectStreams } from "./pipe-streams.js";
import { params, replayPath, sharedKernel, withTrace } from "./support.js";
import { off } from "./weights.js";
import "./timeouts.js";

propTest.prop([traceArb(), fc.nat({ max: 0xffffffff })], params(40))(
  "a generated trace replays whichever allowed outcome each step takes " +
    "(every caller is idle in all of them)",
  (g, seed) => {
    withTrace("generator-valid", g, () => {
      for (const s of [g.seed, seed]) replayPath(g.trace, s, sharedKernel());
    });
  },
);

propTest.prop([traceArb()], params(40))(
  "a generated trace reads back from its JSON Lines as the same steps",
  (g) => {
    const text = g.jsonl();
    const back = parseTrace(text, g.trace.file);
    expect(back.steps.map((s) => s.raw)).toEqual(g.steps.map((s) => s.raw));
    expect(traceToJsonl(back)).toBe(text);
  },
);

propTest.prop([fc.array(choiceArb(), { maxLength: 30 }), fc.nat()], params(40))(
  "the same choices always build the same trace",
  (choices, seed) => {
    expect(buildTrace(choices, seed).jsonl()).toBe(buildTrace(choices, seed).jsonl());
  },
);

propTest.prop([traceArb()], params(60))(
  "the shadow's rules (lowest free fd, shared descriptions, FIFO pipe lifetimes, reaping) " +
    "agree with the model",
  (g) => {
    withTrace("shadow-agrees", g, () => {
      const { path } = replayPath(g.trace, g.seed, sharedKernel());
      collectStreams(g.trace, path); // a strict shadow: throws a ShadowError on disagreement
    });
  },
);

/** No SysV, no signals, no time and no files: the floors below are about pipes, FIFOs and
 * processes, and the other entries would dilute them as their weights change. */
// getppid and msync only read or check, and mprotect, readv and writev came later: they would
// dilute the draws these floors were measured with (as poll and sockets would together).
const NO_SYSV = {
  ...off("msg", "sem", "signal", "time", "futex", "mqueue", "locks", "files", "poll", "socket"),
  getppid: 0,
  msync: 0, mprotect: 0, readv: 0, writev: 0,
};

describe("what the generator reaches (200 pipe, FIFO and process traces, fixed seed)", () => {
  const counts = new Map<string, number>();
  for (const g of fc.sample(traceArb({ weights: NO_SYSV }), { numRuns: 200, seed: 42 })) {
    const { path } = replayPath(g.trace, g.seed, sharedKernel());
    const seen = new Features();
    if (g.steps.length >= 30) seen.add("30+ steps");
    if (new Set(g.steps.map((s) => s.pid)).size >= 3) seen.add("3+ callers");
    for (const p of path) seen.step(g.steps, g.steps[p.index], p.outcome, p.allowed);
    for (const k of seen) counts.set(k, (counts.get(k) ?? 0) + 1);
  }

  // Traces (of 200) that must show each feature: a guard against a change that quietly stops
  // the generator from reaching a part of the kernel. Measured counts are about twice these.
  const floors: [string, number][] = [
    ["30+ steps", 50], ["3+ callers", 65], ["blocked", 60], ["woken", 27],
    ["open blocked", 25], ["open woken", 10], ["read EAGAIN", 30], ["write EAGAIN", 15],
    ["write partial", 20], ["killed by SIGPIPE", 6], ["EOF", 45], ["F_SETPIPE_SZ ok", 30],
    ["waitpid reaped", 6], ["unlink of an opened FIFO", 10],
  ];
  it.each(floors)("%s: in at least %i traces", (feature, floor) => {
    const all = JSON.stringify([...counts].sort());
    expect(counts.get(feature) ?? 0, all).toBeGreaterThanOrEqual(floor);
  });
});

/** The features one trace shows, step by step. */
class Features extends Set<string> {
  private opened = new Set<string>();

  step(steps: readonly Step[], step: Step, o: Outcome, allowed: number): void {
    if (allowed > 1) this.add("several allowed outcomes");
    const r = o.result;
    if (r === "blocked") this.add("blocked");
    if (r === "blocked" && step.call === "open") this.add("open blocked");
    for (const e of o.events) {
      if ("wake" in e) this.add("woken");
      if ("wake" in e && steps[e.step].call === "open") this.add("open woken");
      const signal = "exit" in e && "signaled" in e.status ? e.status.signaled : null;
      if (signal === "SIGPIPE") this.add("killed by SIGPIPE");
    }
    if (r === undefined || r === "blocked" || typeof r.ret !== "number") return;
    const ret = r.ret;
    if (r.errno === "EAGAIN") this.add(`${step.call} EAGAIN`);
    if (step.call === "read" && ret === 0 && step.args.count > 0) this.add("EOF");
    if (step.call === "write" && ret > 0 && ret < step.args.data.length) this.add("write partial");
    const setSize = step.call === "fcntl" && step.raw.cmd === "F_SETPIPE_SZ";
    if (setSize && ret > 0) this.add("F_SETPIPE_SZ ok");
    if (step.call === "waitpid" && ret > 0) this.add("waitpid reaped");
    if (step.call === "open" && ret >= 0) this.opened.add(step.args.path);
    if (step.call === "unlink" && ret === 0 && this.opened.has(step.args.path)) {
      this.add("unlink of an opened FIFO");
    }
  }
}

describe("statusAfter: which processes may call next", () => {
  const step = { index: 5, pid: 2, call: "write" } as Step;
  const out = (result: Outcome["result"], events: Outcome["events"] = []): Outcome =>
    ({ step: 5, pid: 2, call: "write", result, events });

  it("a process woken in one allowed outcome and not in another is unsure", () => {
    const before = new Map([[2, "idle" as const], [3, "blocked" as const]]);
    const s = statusAfter(before, step, [
      out({ ret: 1 }, [{ wake: 3, step: 1, result: { ret: 1 } }]),
      out({ ret: 1 }),
    ]);
    expect(s.get(3)).toBe("unsure");
    expect(s.get(2)).toBe("idle");
  });

  it("an unsure process stays unsure, unless it exits in every outcome", () => {
    const before = new Map([[2, "idle" as const], [3, "unsure" as const]]);
    const woken = out({ ret: 1 }, [{ wake: 3, step: 1, result: { ret: 1 } }]);
    expect(statusAfter(before, step, [woken]).get(3)).toBe("unsure");
    const exited = out({ ret: 1 }, [{ exit: 3, status: { exited: 0 } }]);
    expect(statusAfter(before, step, [exited]).get(3)).toBe("gone");
  });

  it("a caller that blocks in one outcome and returns in another is unsure", () => {
    const before = new Map([[2, "idle" as const]]);
    expect(statusAfter(before, step, [out("blocked"), out({ ret: 1 })]).get(2)).toBe("unsure");
  });
});
