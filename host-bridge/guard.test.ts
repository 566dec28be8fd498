// The guard (host-bridge/agent/guard.c) makes the agent's work directory and sends its name
// back. An agent killed in between (a SIGKILL of the driver's process group just after the
// agent forked the guard) used to leave the directory: the guard's write failed and it exited
// without removing what only it knew of (1 in 20 interrupted fuzz:diff runs of
// interrupt.test.ts on a loaded machine). `--test-guard-pause-ms` holds the guard in that
// window, so the test kills the agent there every time; before the fix, every run leaked.

import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hostSupport } from "./host.js";
import { processesTagged } from "./testing.js";

const support = hostSupport();
const TEST_TMP = mkdtempSync(join(tmpdir(), "ipcsim-guard-test-"));
afterAll(() => rmSync(TEST_TMP, { recursive: true, force: true }));

/** Pids of live processes of the run tagged `tag` (the agent and its guard). */
function tagged(tag: string): number[] {
  return processesTagged("IPCSIM_GUARD_TAG", tag);
}

/** Starts the agent with the guard paused, SIGKILLs it once the directory exists, and returns
 * what is left in $TMPDIR after the guard has exited. */
async function killedWhileGuardPaused(unsafe: boolean, run: number): Promise<string[]> {
  if (!support.ok) throw new Error(support.reason);
  const tmp = mkdtempSync(join(TEST_TMP, `run-${run}-`));
  const tag = `${process.pid}-${run}`;
  const args = ["--test-guard-pause-ms", "400", ...(unsafe ? ["--unsafe-no-namespaces"] : [])];
  const agent = spawn(support.agent, args, {
    env: { ...process.env, TMPDIR: tmp, IPCSIM_GUARD_TAG: tag },
    stdio: ["pipe", "ignore", "ignore"],
  });
  const exited = new Promise<void>((r) => agent.once("exit", () => r()));
  for (let waited = 0; readdirSync(tmp).length === 0; waited += 5) {
    if (waited > 10_000) throw new Error("the guard made no work directory in 10 s");
    await sleep(5);
  }
  agent.kill("SIGKILL");
  await exited;
  for (let waited = 0; tagged(tag).length > 0; waited += 20) {
    if (waited > 10_000) throw new Error(`the guard is still running: ${tagged(tag)}`);
    await sleep(20);
  }
  return readdirSync(tmp);
}

describe.skipIf(!support.ok)("the guard removes the work directory of an agent killed before "
  + "it learnt the name", () => {
  it.each([["in namespaces", false], ["in the fallback", true]] as const)("%s",
    async (_, unsafe) => {
      for (let run = 0; run < 3; run++) {
        expect(await killedWhileGuardPaused(unsafe, run + (unsafe ? 10 : 0))).toEqual([]);
      }
    });
});
