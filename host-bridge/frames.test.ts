// Signal handlers that make calls (issue 15) on the host: the traced process's "calls" handler
// runs a nested command loop until sigreturn (agent/traced.c run_frame), and the agent keeps
// the call the handler interrupted outstanding (agent/frames.c). These check the loop's own
// buffers, the outstanding-step books through death and nesting, and what the bridge refuses.
// The behaviours themselves are cases recorded on Linux: kernel/test/cases/signal-frames-*.

import { describe, expect } from "vitest";
import { outcomeKey } from "../sim/trace/compare.js";
import type { Trace } from "../sim/trace/types.js";
import { runOnHost } from "./host.js";
import {
  blocked, check, exited, expecting, hostIt, ok, skipReason, trace, wake,
} from "./testing.js";

/** A "calls" handler's signal event. */
const frame = (signal: string, pid: number) => ({ signal, pid, frame: true });
const sigreturn = (pid: number, ...events: object[]) =>
  ({ pid, call: "sigreturn", ...expecting({ ret: 0 }, ...events) });
const mask = (pid: number, oldset: string[]) =>
  ({ pid, call: "sigprocmask", how: "SIG_BLOCK", set: [], ...ok(0, { oldset }) });

/** Runs `t` `runs` times: the outcomes must be the same every time. */
async function sameEveryTime(t: Trace, runs: number): Promise<void> {
  const keys = new Set<string>();
  for (let i = 0; i < runs; i++) keys.add((await runOnHost(t)).map(outcomeKey).join("\n"));
  expect(keys.size).toBe(1);
}

describe(`host bridge: calls handlers${skipReason}`, () => {
  hostIt("gives a restarted readv its own vector and output after the handler's readv", () =>
    // The handler's readv (2 bytes) runs while the main readv ([3, 100], SA_RESTART) is
    // interrupted: sharing the vector or the output buffer, the restart would read 2 bytes.
    check(trace([
      { pid: 2, call: "pipe", ...ok(0, { fds: [3, 4] }) },
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 3, call: "sigaction", sig: "SIGUSR1", handler: "calls", flags: ["SA_RESTART"],
        ...ok(0) },
      { pid: 3, call: "readv", fd: 3, counts: [3, 100], ...blocked },
      { pid: 2, call: "kill", target: 3, sig: "SIGUSR1", ...expecting({ ret: 0 },
        frame("SIGUSR1", 3)) },
      { pid: 3, call: "writev", fd: 4, iov: ["abcdef"], ...ok(6) },
      { pid: 3, call: "readv", fd: 3, counts: [2], ...ok(2, { data: "ab" }) },
      sigreturn(3, wake(3, 3, { ret: 4, data: "cdef" })),
    ])));

  hostIt("keeps each frame's interrupted call outstanding through nesting, the same every run",
    () => sameEveryTime(trace([
      { pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "calls", flags: ["SA_NODEFER"],
        ...ok(0) },
      { pid: 2, call: "pipe", ...ok(0, { fds: [3, 4] }) },
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 2, call: "kill", target: 2, sig: "SIGUSR1", ...expecting("blocked",
        frame("SIGUSR1", 2)) },
      { pid: 2, call: "read", fd: 3, count: 4, ...blocked },
      { pid: 3, call: "kill", target: 2, sig: "SIGUSR1", ...expecting({ ret: 0 },
        frame("SIGUSR1", 2)) },
      { pid: 2, call: "kill", target: 2, sig: "SIGUSR1", ...expecting("blocked",
        frame("SIGUSR1", 2)) },
      mask(2, []),
      sigreturn(2, wake(2, 6, { ret: 0 })),
      { pid: 3, call: "write", fd: 4, data: "late", ...ok(4) },
      sigreturn(2, wake(2, 4, { ret: -1, errno: "EINTR" })),
      { pid: 2, call: "read", fd: 3, count: 4, ...ok(4, { data: "late" }) },
      sigreturn(2, wake(2, 3, { ret: 0 })),
      mask(2, []),
    ]), 3));

  hostIt("gives an interrupted step no result when its process exits in the handler", () =>
    check(trace([
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 3, call: "sigaction", sig: "SIGUSR1", handler: "calls", ...ok(0) },
      { pid: 3, call: "kill", target: 3, sig: "SIGUSR1", ...expecting("blocked",
        frame("SIGUSR1", 3)) },
      { pid: 3, call: "exit", status: 5, ...expecting(undefined, exited(3, 5)) },
      { pid: 2, call: "waitpid", target: 3, ...ok(3, { status: { exited: 5 } }) },
    ])));

  hostIt("refuses sigreturn outside a handler, and after the handler returned", async () => {
    await expect(runOnHost(trace([{ pid: 2, call: "sigreturn" }])))
      .rejects.toThrow(/invalid trace: pid 2 is not in a signal handler/);
    await expect(runOnHost(trace([
      { pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "calls" },
      { pid: 2, call: "kill", target: 2, sig: "SIGUSR1" },
      { pid: 2, call: "sigreturn" },
      { pid: 2, call: "sigreturn" },
    ]))).rejects.toThrow(/step 3 .*invalid trace: pid 2 is not in a signal handler/);
  });

  hostIt("refuses fork inside a handler", () =>
    expect(runOnHost(trace([
      { pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "calls" },
      { pid: 2, call: "kill", target: 2, sig: "SIGUSR1" },
      { pid: 2, call: "fork" },
    ]))).rejects.toThrow(/invalid trace: fork inside a signal handler is not modelled/));

  hostIt("nests 160 handler frames (SIG_FRAMES_MAX) and stops at a host fault past them",
    async () => {
      const kill = { pid: 2, call: "kill", target: 2, sig: "SIGUSR1" };
      const handler = { pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "calls",
        flags: ["SA_NODEFER"] };
      const tag = (i: number) => `f${i}`;
      const deeper = Array.from({ length: 160 }, (_, i) => [
        { ...kill, ...expecting("blocked", frame("SIGUSR1", 2)) },
        { pid: 2, call: "write", fd: 4, data: tag(i), ...ok(tag(i).length) },
      ]).flat();
      // Frame 160 returns first; the pipe gives back the tags in the order they were written.
      const back = Array.from({ length: 160 }, (_, i) => [
        { pid: 2, call: "read", fd: 3, count: tag(i).length,
          ...ok(tag(i).length, { data: tag(i) }) },
        sigreturn(2, wake(2, 2 + 2 * (159 - i), { ret: 0 })),
      ]).flat();
      const pipe = { pid: 2, call: "pipe", ...ok(0, { fds: [3, 4] }) };
      await check(trace([{ ...handler, ...ok(0) }, pipe, ...deeper, ...back]));
      await expect(runOnHost(trace([handler, ...Array.from({ length: 161 }, () => kill)])))
        .rejects.toThrow(/host fault: pid 2: a signal handler frame the bridge cannot hold/);
    });
});
