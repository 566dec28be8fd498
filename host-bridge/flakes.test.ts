// Races of the bridge itself (issue 21, "A bridge that never flakes"): each trace here gave a
// host fault or a run-ending signal now and then on the code before the fix; each is run enough
// times that the old code failed in (almost) every run of this file.

import { describe, expect } from "vitest";
import type { Trace } from "../sim/trace/types.js";
import { diffText, diffTrace } from "./diff.js";
import { hostIt, skipReason, trace } from "./testing.js";

/** Runs `t` on the host `runs` times beside the model (diff.ts): every run must end without a
 * fault, and the model must allow what Linux did. */
async function neverFaults(t: Trace, runs: number): Promise<void> {
  const faults: string[] = [];
  for (let i = 0; i < runs; i++) {
    try {
      const r = await diffTrace(t);
      if (r.disagreement) faults.push(`run ${i}: ${diffText(t, r, "diff").join("\n")}`);
    } catch (e) {
      faults.push(`run ${i}: ${(e as Error).message}`);
    }
  }
  expect(faults).toEqual([]);
}

describe(`host bridge races${skipReason}`, () => {
  // Defect 1: the fork step ended on the parent's reply, so the SIGSTOP of the next step could
  // stop the child before it closed its copy of the parent's control socket; the parent's exit
  // then never closed that socket and the step ended in the 2 s watchdog. Before the fix 4 or 5
  // of these 10 runs failed so (each forks and stops 6 children).
  hostIt("a fork child stopped at once still lets its parent's exit be seen", async () => {
    const steps: object[] = [];
    for (let k = 0; k < 6; k++) {
      const child = 3 + k;
      steps.push({ pid: 2, call: "fork" });
      steps.push({ pid: 2, call: "kill", target: child, sig: "SIGSTOP" });
    }
    steps.push({ pid: 2, call: "exit", status: 0 });
    await neverFaults(trace(steps), 10);
  }, 120_000);

  // Defect 3: the agent's own SIGTERM/SIGINT/SIGHUP handlers (for a clean interruption) ended
  // the run when a traced process sent one of them to pid 1; Linux's namespace init without
  // handlers ignores them (kernel/signal.c sig_task_ignored(): SIGNAL_UNKILLABLE). Before the
  // fix every run ended at the first kill with the agent gone.
  hostIt("kill(1, SIGTERM/SIGINT/SIGHUP) from a traced process is ignored, as init", async () => {
    const steps: object[] = [{ pid: 2, call: "fork" }];
    for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"]) {
      steps.push({ pid: 3, call: "kill", target: 1, sig, expect: { ret: 0 }, expect_events: [] });
      steps.push({ pid: 3, call: "getppid", expect: { ret: 2 }, expect_events: [] });
    }
    await neverFaults(trace(steps), 2);
  });

  // Defect 2: kill(-1, SIGKILL) kills a parent blocked in waitpid and its child; the parent
  // may reap the child before it dies itself, and the bridge then reported "reaped at once,
  // its exit status cannot be observed" (a fault; 1 in 40 fuzz traces). The child died of the
  // step's SIGKILL whoever reaped it. Eight such pairs per run; before the fix 2 of 20 and 17 of
  // 60 runs failed so (on a loaded machine).
  hostIt("kill(-1, SIGKILL) of parents blocked in waitpid and their children", async () => {
    const steps: object[] = [];
    for (let k = 0; k < 8; k++) {
      const parent = 3 + 2 * k;
      steps.push({ pid: 2, call: "fork" }, { pid: parent, call: "fork" });
      steps.push({ pid: parent, call: "waitpid", target: -1, options: 0 });
    }
    steps.push({ pid: 2, call: "kill", target: -1, sig: "SIGKILL" });
    await neverFaults(trace(steps), 60);
  }, 120_000);

  // Defect 2, generalised: a child that dies of a signal while its parent is blocked in a
  // waitpid that reaps it at once. When the child's own step was a quiet call (a store that
  // faults with SIGSEGV, a sigprocmask that unblocks a pending SIGTERM), the blocked parent was
  // not checked, so the step could end, seeing the child gone, before the parent's waitpid
  // replied: "reaped at once, its exit status cannot be observed" (the `shm` fuzz preset, about
  // 1 run in 10 of its shrunk trace). A kill(-1, SIGTERM) of such pairs, where the parent dies
  // too and its waitpid never replies, gave the same fault every time the parent won: the child
  // died of the step's signal whoever reaped it. Before the fix 6 of these 40 runs failed.
  hostIt("children dying of signals while their parents are blocked in waitpid", async () => {
    const steps: object[] = [
      { pid: 2, call: "shmget", key: "IPC_PRIVATE", size: 4096, flags: ["IPC_CREAT"],
        mode: "0600" },
    ];
    let next = 3;
    const pair = (): [number, number] => {
      const parent = next, child = next + 1;
      next += 2;
      steps.push({ pid: 2, call: "fork" }, { pid: parent, call: "fork" });
      return [parent, child];
    };
    for (let k = 0; k < 4; k++) {
      const [parent, child] = pair();
      steps.push({ pid: child, call: "shmat", shmid: 0, flags: ["SHM_RDONLY"] });
      steps.push({ pid: parent, call: "waitpid", target: child, options: [] });
      steps.push({ pid: child, call: "store", addr: { ref: steps.length - 2 }, data: "01" });
    }
    for (let k = 0; k < 3; k++) {
      const [parent, child] = pair();
      steps.push({ pid: child, call: "sigprocmask", how: "SIG_BLOCK", set: ["SIGTERM"] });
      steps.push({ pid: parent, call: "waitpid", target: child, options: [] });
      steps.push({ pid: 2, call: "kill", target: child, sig: "SIGTERM" });
      steps.push({ pid: child, call: "sigprocmask", how: "SIG_UNBLOCK", set: ["SIGTERM"] });
    }
    for (let k = 0; k < 4; k++) {
      const [parent] = pair();
      steps.push({ pid: parent, call: "waitpid", target: -1, options: [] });
    }
    steps.push({ pid: 2, call: "sigprocmask", how: "SIG_BLOCK", set: ["SIGTERM"] });
    steps.push({ pid: 2, call: "kill", target: -1, sig: "SIGTERM" });
    await neverFaults(trace(steps), 40);
  }, 300_000);
});
