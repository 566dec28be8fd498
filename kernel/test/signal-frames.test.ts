// `calls` handler frames at the model's limits (kernel/sigframe.ts, sim/model/frames.ts):
// - 160 `calls` handlers open at once in one process (SIG_FRAMES_MAX, as deep as the host
//   agent goes), each making calls with buffers of its own; the next signal only records its
//   delivery (docs/differences.md signal-frames-max);
// - sigreturn outside a handler and fork inside one are refused, naming the line;
// - SIGCHLD to a `calls` handler: two children's exits in one step may give one handler run or
//   two (kernel/sigframe.ts chldFrameOpens), both allowed.
// The kernel's invariants (kernel_check) hold after every step.

import { describe, expect, test } from "vitest";
import { ModelReplay } from "../../sim/model/engine.js";
import { parseTrace } from "../../sim/trace/parse.js";
import type { Outcome } from "../../sim/trace/types.js";

const line = (o: object) => JSON.stringify(o);
const HEADER = line({ trace: "ipcsim", version: 1, name: "frames", description: "model only" });
const nodefer = line({
  pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "calls", flags: ["SA_NODEFER"],
});

/** Run the steps on the model (kernel_check after each): each step's outcomes. */
function run(steps: object[]): Outcome[][] {
  const trace = parseTrace([HEADER, ...steps.map(line)].join("\n"), "<frames>");
  const model = new ModelReplay(trace, { check: true });
  return trace.steps.map((s) => {
    const outcomes = model.step(s);
    model.chooseAll();
    return outcomes;
  });
}

const frames = (o: Outcome) => o.events.filter((e) => "signal" in e && e.frame).length;
const records = (o: Outcome) => o.events.filter((e) => "signal" in e && !e.frame).length;

describe("calls handler frames at the model's limits", () => {
  test("161 nested SA_NODEFER deliveries: 160 open frames, each calling, then a record", () => {
    const steps: object[] =
      [JSON.parse(nodefer), { pid: 2, call: "fork" }, { pid: 2, call: "pause" }];
    for (let d = 1; d <= 161; d++) {
      steps.push({ pid: 3, call: "kill", target: 2, sig: "SIGUSR1" });
      if (d <= 160) steps.push({ pid: 2, call: "write", fd: 1, data: `depth ${d}` });
    }
    for (let d = 160; d >= 1; d--) steps.push({ pid: 2, call: "sigreturn" });
    const out = run(steps).map((o) => o[0]);
    const kills = out.filter((o) => o.pid === 3);
    expect(kills.slice(0, 160).every((o) => frames(o) === 1)).toBe(true);
    expect(records(kills[160])).toBe(1); // too deep: it only records its delivery
    const writes = out.filter((o) => o.call === "write").map((o) => o.result);
    const lengths = Array.from({ length: 160 }, (_, i) => ({ ret: `depth ${i + 1}`.length }));
    expect(writes).toEqual(lengths);
    const last = out[out.length - 1];
    // The last sigreturn gives back pause, which a handler ended: EINTR.
    expect(last.events).toContainEqual({ wake: 2, step: 2, result: { ret: -1, errno: "EINTR" } });
  });

  test("sigreturn outside a handler and fork inside one are refused with their lines", () => {
    expect(() => run([{ pid: 2, call: "sigreturn" }]))
      .toThrow(/<frames>:2: pid 2 is not in a signal handler \(sigreturn\)/);
    expect(() => run([JSON.parse(nodefer), { pid: 2, call: "kill", target: 2, sig: "SIGUSR1" },
      { pid: 2, call: "fork" }])).toThrow(/<frames>:4: fork inside a signal handler/);
  });

  test("two children killed in one step: a SIGCHLD calls handler runs once or twice", () => {
    const out = run([
      { pid: 2, call: "sigaction", sig: "SIGCHLD", handler: "calls" },
      { pid: 2, call: "sigprocmask", how: "SIG_BLOCK", set: ["SIGTERM"] },
      { pid: 2, call: "fork" }, { pid: 2, call: "fork" },
      { pid: 3, call: "sigprocmask", how: "SIG_UNBLOCK", set: ["SIGTERM"] },
      { pid: 4, call: "sigprocmask", how: "SIG_UNBLOCK", set: ["SIGTERM"] },
      { pid: 2, call: "pause" },
      { pid: 3, call: "kill", target: 0, sig: "SIGTERM" }, // kills 3 and 4 in one step
      { pid: 2, call: "sigreturn" },
    ]);
    expect(out[7].every((o) => frames(o) === 1)).toBe(true);
    // The second SIGCHLD coalesced with the first (no second run), or came while the handler
    // ran and runs after its sigreturn.
    expect(out[8].map(frames).sort()).toEqual([0, 1]);
  });
});
