// Issue 13: "wait-status helpers (WIFEXITED-style) exported". The expected values are glibc's
// macros applied to each status (Python's os.W* call them), and the statuses marked "Linux"
// are what waitpid stored for a real child (exit(3), SIGSTOP, SIGCONT, SIGTERM).
import { describe, expect, test } from "vitest";
import {
  WCOREDUMP, WEXITSTATUS, WIFCONTINUED, WIFEXITED, WIFSIGNALED, WIFSTOPPED, WSTOPSIG, WTERMSIG,
  waitStatusInt,
} from "../index.js";
import type { WaitStatus } from "../index.js";

// status, WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG, WCOREDUMP, WIFSTOPPED, WSTOPSIG,
// WIFCONTINUED
type Row = [number, boolean, number, boolean, number, boolean, boolean, number, boolean];
const GLIBC: Row[] = [
  [0x0, true, 0, false, 0, false, false, 0, false],
  [0x100, true, 1, false, 0, false, false, 1, false],
  [0x300, true, 3, false, 0, false, false, 3, false], // Linux: exit(3)
  [0xff00, true, 255, false, 0, false, false, 255, false],
  [0x9, false, 0, true, 9, false, false, 0, false],
  [0xf, false, 0, true, 15, false, false, 0, false], // Linux: SIGTERM
  [0x8b, false, 0, true, 11, true, false, 0, false], // SIGSEGV, core dumped
  [0x137f, false, 19, false, 127, false, true, 19, false], // Linux: SIGSTOP
  [0x147f, false, 20, false, 127, false, true, 20, false],
  [0xffff, false, 255, false, 127, true, false, 255, true], // Linux: SIGCONT
  [0x7f, false, 0, false, 127, false, true, 0, false],
  [0x80, true, 0, false, 0, true, false, 0, false],
];

describe("the wait-status macros", () => {
  test.each(GLIBC)("status %i gives what glibc's macros give", (s, ...want) => {
    const got = [
      WIFEXITED(s), WEXITSTATUS(s), WIFSIGNALED(s), WTERMSIG(s), WCOREDUMP(s), WIFSTOPPED(s),
      WSTOPSIG(s), WIFCONTINUED(s),
    ];
    expect(got).toEqual(want);
  });

  test("a WaitStatus and a waitpid result read as the int Linux stores", () => {
    const cases: [WaitStatus, number][] = [
      [{ exited: 3 }, 0x300], [{ signaled: "SIGTERM" }, 0xf],
      [{ signaled: "SIGSEGV", core: true }, 0x8b], [{ stopped: "SIGSTOP" }, 0x137f],
      [{ continued: true }, 0xffff], [{ signaled: "SIGRTMIN+2" as "SIGRTMIN" }, 36],
    ];
    for (const [status, int] of cases) {
      expect(waitStatusInt(status)).toBe(int);
      const r = { pid: 5, status };
      expect([WIFEXITED(r), WIFSIGNALED(r), WIFSTOPPED(r), WIFCONTINUED(r)]).toEqual(
        [WIFEXITED(int), WIFSIGNALED(int), WIFSTOPPED(int), WIFCONTINUED(int)],
      );
    }
    expect(WEXITSTATUS({ pid: 5, status: { exited: 3 } })).toBe(3);
    expect(WTERMSIG({ signaled: "SIGKILL" })).toBe(9);
    expect(WSTOPSIG({ stopped: "SIGTSTP" })).toBe(20);
  });

  test("WNOHANG's empty result is no status: predicates false, values throw", () => {
    const none = { pid: 0 };
    expect([WIFEXITED(none), WIFSIGNALED(none), WIFSTOPPED(none), WIFCONTINUED(none)])
      .toEqual([false, false, false, false]);
    expect(WCOREDUMP(none)).toBe(false);
    expect(() => WEXITSTATUS(none)).toThrow("WEXITSTATUS: no status (WNOHANG found no child");
  });

  test("a scenario reads a killed child's status as C does", async () => {
    const { run, SIGKILL } = await import("../index.js");
    let seen = "";
    const r = await run(async (os) => {
      const child = await os.fork(async (c) => {
        await c.pause();
      });
      await os.kill(child, SIGKILL);
      const w = await os.waitpid(child);
      seen = `${WIFEXITED(w)} ${WIFSIGNALED(w)} ${WTERMSIG(w)}`;
    }, { expect: { signals: ["SIGKILL"] } }); // a kill the scenario means (docs/scenarios.md)
    expect(r.verdict).toEqual({ kind: "ok" });
    expect(seen).toBe("false true 9");
  });
});
