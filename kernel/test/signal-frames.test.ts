// `calls` handler frames at the model's limits (kernel/sigframe.ts, sim/model/frames.ts), where
// the host bridge cannot go (the agent allows 160 nested frames, each a real stack frame):
// - 128 `calls` handlers open at once in one process: the next runs as a `catch` handler;
// - a call inside a handler nested deeper than 32 is refused by the engine, with its line;
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
  test("129 nested SA_NODEFER deliveries: 128 open frames, then a catch handler's run", () => {
    const kills = Array.from({ length: 129 }, () => ({ pid: 3, call: "kill", target: 2,
      sig: "SIGUSR1" }));
    const returns = Array.from({ length: 128 }, () => ({ pid: 2, call: "sigreturn" }));
    const out = run([JSON.parse(nodefer), { pid: 2, call: "fork" }, { pid: 2, call: "pause" },
      ...kills, ...returns]);
    const afterKills = out.slice(3, 3 + 129).map((o) => o[0]);
    expect(afterKills.slice(0, 128).every((o) => frames(o) === 1)).toBe(true);
    expect(records(afterKills[128])).toBe(1); // the 129th ran as a catch handler
    const last = out[out.length - 1][0];
    // The last sigreturn gives back pause, which a handler ended: EINTR.
    expect(last.events).toContainEqual({ wake: 2, step: 2, result: { ret: -1, errno: "EINTR" } });
  });

  test("a call 33 handlers deep is refused with its line", () => {
    const kills = Array.from({ length: 33 }, () => ({ pid: 3, call: "kill", target: 2,
      sig: "SIGUSR1" }));
    expect(() => run([JSON.parse(nodefer), { pid: 2, call: "fork" }, ...kills,
      { pid: 2, call: "getppid" }])).toThrow(/<frames>:37: a call in a signal handler nested 33/);
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
