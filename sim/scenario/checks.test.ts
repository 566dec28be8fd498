// Exit statuses (issue 12): the main process exiting non-zero, or a process killed by a signal,
// fails the run unless the scenario declares it expected (`export const expect = { exit: 3,
// signals: ["SIGPIPE"] }`, or run's `expect` option). Before, `exit(3)` was `verdict: ok`.

import { describe, expect, it } from "vitest";
import { SIGKILL } from "./constants.js";
import { expectations } from "./checks.js";
import type { Os } from "./os.js";
import { run } from "./run.js";
import { verdictLine } from "./verdict.js";

const exit3 = async (os: Os): Promise<void> => {
  await os.pipe();
  await os.exit(3);
};

/** A child that writes into a pipe whose read end is closed everywhere: SIGPIPE kills it. */
const sigpipe = async (os: Os): Promise<void> => {
  const [r, w] = await os.pipe();
  await os.close(r);
  const child = await os.fork(async (c) => { await c.write(w, "x"); });
  await os.close(w);
  await os.waitpid(child);
};

describe("exit statuses", () => {
  it("exit(3) from the main process fails the run (issue 12: it was verdict ok)", async () => {
    const r = await run(exit3);
    expect(r.ok).toBe(false);
    expect(r.verdict).toEqual({ kind: "exit-status", pid: 2, status: { exited: 3 }, expected: 0 });
    expect(verdictLine(r.verdict)).toBe("exit status: the main process (pid 2) exited with 3, " +
      "not 0 (if it should: export const expect = { exit: 3 })");
  });

  it("is ok when the scenario module or run's option expects it, and fails when main exits " +
    "with another status", async () => {
    expect((await run({ default: exit3, expect: { exit: 3 } })).verdict).toEqual({ kind: "ok" });
    expect((await run(exit3, { expect: { exit: [0, 3] } })).verdict).toEqual({ kind: "ok" });
    const zero = await run(async (os: Os) => { await os.pipe(); }, { expect: { exit: 3 } });
    expect(zero.verdict)
      .toEqual({ kind: "exit-status", pid: 2, status: { exited: 0 }, expected: 3 });
  });

  it("a child killed by a signal the scenario does not expect fails the run; declared, ok",
    async () => {
      const r = await run(sigpipe);
      expect(r.verdict)
        .toEqual({ kind: "exit-status", pid: 3, status: { signaled: "SIGPIPE" }, expected: 0 });
      expect(verdictLine(r.verdict)).toBe("exit status: pid 3 was killed by SIGPIPE, which the " +
        'scenario does not expect (if it should: export const expect = { signals: ["SIGPIPE"] })');
      const declared = await run({ default: sigpipe, expect: { signals: ["SIGPIPE"] } });
      expect(declared.verdict).toEqual({ kind: "ok" });
    });

  it("the main process killed by a signal fails the run too", async () => {
    const r = await run(async (os: Os) => { await os.kill(await os.getpid(), SIGKILL); });
    expect(r.verdict)
      .toMatchObject({ kind: "exit-status", pid: 2, status: { signaled: "SIGKILL" } });
  });

  it("a child's non-zero exit status is its parent's to check, not a failure", async () => {
    const r = await run(async (os: Os) => {
      const child = await os.fork(async (c) => { await c.exit(1); });
      const w = await os.waitpid(child);
      os.assert(w.status !== undefined && "exited" in w.status && w.status.exited === 1, "1");
    });
    expect(r.verdict).toEqual({ kind: "ok" });
  });

  it("a misspelt expectation fails with what is allowed", async () => {
    expect(() => expectations({ exits: 3 }))
      .toThrow('expect: unknown key "exits" (known: exit, signals)');
    expect(() => expectations({ exit: 256 })).toThrow("expect.exit: an exit status is an " +
      "integer 0-255, got 256");
    expect(() => expectations({ signals: ["SIGPIEP"] })).toThrow('no signal "SIGPIEP"');
    expect(() => expectations({ signals: "SIGPIPE" })).toThrow("a list of signal names");
    await expect(run(exit3, { expect: { exit: -1 } })).rejects.toThrow(TypeError);
  });
});
