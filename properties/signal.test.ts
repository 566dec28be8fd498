// Signal properties on the model: coalescing of standard signals, queueing of realtime ones,
// SIGKILL, and stopped processes. The first two build their traces directly (a catching
// process that blocks some signals, a sender, an unblock); the last two run the random-trace
// generator with signals weighted up (weights.ts SIGNAL_HEAVY).

import { test, fc } from "@fast-check/vitest";
import { expect } from "vitest";
import { BADCALLER } from "../wasm/kernel.js";
import { ModelReplay } from "../sim/model/engine.js";
import { parseTrace } from "../sim/trace/parse.js";
import type { Outcome, Trace } from "../sim/trace/types.js";
import { traceArb } from "./arbitraries.js";
import { SIGNAL_HEAVY } from "./weights.js";
import { params, replayPath, sharedKernel, withTrace } from "./support.js";
import "./timeouts.js";

const STANDARD = [
  "SIGUSR1", "SIGUSR2", "SIGHUP", "SIGTERM", "SIGALRM", "SIGCHLD", "SIGWINCH", "SIGPIPE",
];
const REALTIME = [34, 35, 40, 50, 64];

function trace(steps: object[]): Trace {
  const head = { trace: "ipcsim", version: 1, name: "signal-property" };
  return parseTrace([head, ...steps].map((s) => JSON.stringify(s)).join("\n"), "<signal-property>");
}

function run(t: Trace): Outcome[] {
  const model = new ModelReplay(t, { check: true }, sharedKernel());
  return t.steps.map((s) => {
    const [o, ...rest] = model.step(s);
    expect(rest).toEqual([]);
    model.chooseAll();
    return o;
  });
}

function signalsOf(outcomes: Outcome[], pid: number): (string | number)[] {
  const of = (o: Outcome) =>
    o.events.flatMap((e) => ("signal" in e && e.pid === pid ? [e.signal] : []));
  return outcomes.flatMap(of);
}

/** pid 2 catches `sigs` (with `mask` as every handler's sa_mask) and blocks them; pid 3 sends
 * `sends`; pid 2 unblocks. */
type Sigs = (string | number)[];

function blockedThenReleased(sigs: Sigs, sends: Sigs, mask: Sigs) {
  return trace([
    ...sigs.map((sig) => ({ pid: 2, call: "sigaction", sig, handler: "catch", mask })),
    { pid: 2, call: "sigprocmask", how: "SIG_BLOCK", set: sigs },
    { pid: 2, call: "fork" },
    ...sends.map((sig) => ({ pid: 3, call: "kill", target: 2, sig })),
    { pid: 2, call: "sigprocmask", how: "SIG_UNBLOCK", set: sigs },
  ]);
}

test.prop([fc.constantFrom(...STANDARD), fc.integer({ min: 1, max: 20 })], params(60))(
  "a blocked standard signal sent n >= 1 times is delivered exactly once after unblocking",
  (sig, n) => {
    const outcomes = run(blockedThenReleased([sig], Array(n).fill(sig), []));
    expect(signalsOf(outcomes.slice(0, -1), 2)).toEqual([]);
    expect(signalsOf(outcomes.slice(-1), 2)).toEqual([sig]);
  },
);

test.prop([fc.array(fc.constantFrom(...REALTIME), { minLength: 1, maxLength: 25 })], params(60))(
  "realtime signals are delivered as many times as sent, lowest number first, each in its order",
  (sends) => {
    const sigs = [...new Set(sends)];
    // A full sa_mask: each handler runs before the next signal is dequeued, so the events are
    // in dequeue order (linux-semantics.md 1.9: 10, 12, 34, 35).
    const got = signalsOf(run(blockedThenReleased(sigs, sends, sigs)).slice(-1), 2);
    const name = (n: number) =>
      (n === 34 ? "SIGRTMIN" : n === 64 ? "SIGRTMAX" : `SIGRTMIN+${n - 34}`);
    expect(got).toEqual([...sends].sort((a, b) => a - b).map(name));
  },
);

const heavy = traceArb({ weights: SIGNAL_HEAVY, stepsMax: 30 });

test.prop([heavy], params(40))("SIGKILL always terminates, whatever a process is doing", (g) => {
  withTrace("signal-sigkill", g, () => {
    const { model } = replayPath(g.trace, g.seed, sharedKernel());
    const k = model.kernel;
    const state = (pid: number) => k.x.k_proc_state(pid);
    const pids = [...Array(k.x.k_next_pid()).keys()].filter((pid) => pid >= 2);
    // Blocked and stopped ones first, each killed by an idle process; the idle ones last (the
    // last of them kills itself).
    const alive = () => pids.filter((pid) => state(pid) !== 0 && state(pid) !== 4);
    for (let left = alive(); left.length > 0; left = alive()) {
      const pid = left.find((q) => state(q) !== 1) ?? left[0];
      const killer = left.find((q) => q !== pid && state(q) === 1) ?? pid;
      expect(state(killer)).toBe(1);
      k.syscall(killer, 62, pid, 9);
      for (let w = k.woken(); w.length > 0; w = k.woken()) k.retry(w[0]);
      expect([0, 4]).toContain(state(pid));
      k.drainEvents();
    }
    k.check();
  });
});

test.prop([heavy], params(60))("no step is ever taken by a stopped or dead process", (g) => {
  withTrace("signal-stopped", g, () => {
    const { path, model } = replayPath(g.trace, g.seed, sharedKernel(), { check: true });
    const stopped = new Set<number>();
    const dead = new Set<number>();
    for (const { outcome } of path) {
      expect(stopped.has(outcome.pid) || dead.has(outcome.pid)).toBe(false);
      for (const e of outcome.events) {
        if ("stop" in e) stopped.add(e.stop);
        if ("cont" in e) stopped.delete(e.cont);
        if ("exit" in e) {
          stopped.delete(e.exit);
          dead.add(e.exit);
        }
      }
    }
    // And the kernel refuses them a call.
    const k = model.kernel;
    for (let pid = 2; pid < k.x.k_next_pid(); pid++) {
      const state = k.x.k_proc_state(pid);
      if (state === 5 || state === 4 || state === 0) expect(k.syscall(pid, 39)).toBe(BADCALLER);
    }
  });
});
