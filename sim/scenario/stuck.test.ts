// The verdict `stuck` (issue 12): a process whose JS neither calls os nor returns while every
// other process is blocked or done. Before it, such a run gave empty output and exit 0 from
// the CLI, and run() from the library never settled (these tests then time out).

import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { SIGUSR1 } from "./constants.js";
import { explore } from "./explore.js";
import type { Os } from "./os.js";
import { run } from "./run.js";
import { STUCK_TURNS, watchedRuns } from "./stuck.js";
import { verdictLine } from "./verdict.js";

const never = (): Promise<never> => new Promise<never>(() => {});

/** `p`, or a rejection after 4 s: before the verdict, such a run() never settled, and the
 * test worker's event loop emptied (so vitest's own timeout never fired). */
function settles<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("run() never settled")), 4000);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

describe("stuck", () => {
  it("a main awaiting a promise that never settles is stuck, named with its last call " +
    "(issue 12: run() never settled)", async () => {
    const r = await settles(run(async (os: Os) => {
      await os.pipe();
      await never();
    }));
    expect(r.ok).toBe(false);
    expect(r.verdict).toEqual({
      kind: "stuck", pid: 2, last: "after its last call, pipe(0) (step 0)",
      explanation: ["pid 2 neither calls os nor returns: its JS awaits something that is not " +
        "an os call, after its last call, pipe(0) (step 0)"],
    });
    expect(verdictLine(r.verdict))
      .toBe("stuck: pid 2 neither calls os nor returns (after its last call, pipe(0) (step 0))");
  });

  it("a stuck child is named while its parent waits for it (issue 12: empty output)",
    async () => {
      const r = await settles(run(async (os: Os) => {
        const [rd, wr] = await os.pipe();
        const child = await os.fork(async (c) => {
          await c.read(rd, 1);
          await never();
        });
        await os.write(wr, "x");
        await os.waitpid(child);
      }, { replay: "0" }));
      expect(r.verdict.kind).toBe("stuck");
      if (r.verdict.kind !== "stuck") return;
      expect(r.verdict.pid).toBe(3);
      expect(r.verdict.last).toMatch(/^after its last call, read\(3, 1\) \(step \d\)$/);
      expect(r.verdict.explanation[1]).toMatch(/^pid 2 blocked in waitpid\(3, 0\) \(step \d\)$/);
      const text = r.text();
      expect(text).toContain(`verdict: ${verdictLine(r.verdict)}`);
      expect(text.some((l) => l.startsWith("  pid 2 blocked in waitpid"))).toBe(true);
      const j = r.json() as { verdict: { kind: string; pid: number } };
      expect(j.verdict).toMatchObject({ kind: "stuck", pid: 3 });
    });

  it("says so when the process is stuck before its first call, or in a signal handler",
    async () => {
      const first = await settles(run(async () => { await never(); }));
      expect(first.verdict).toMatchObject({ kind: "stuck", pid: 2, last: "before its first call" });
      const handler = await settles(run(async (os: Os) => {
        await os.sigaction(SIGUSR1, async () => { await never(); });
        await os.kill(await os.getpid(), SIGUSR1);
        await os.pipe();
      }));
      expect(handler.verdict.kind).toBe("stuck");
      expect(handler.verdict.kind === "stuck" && handler.verdict.last)
        .toMatch(/^after its last call, kill\(2, SIGUSR1\) \(step 1\)$/);
    });

  it("JS that awaits other promises that settle, or yields to the event loop a few times, " +
    "runs on", async () => {
    const r = await settles(run(async (os: Os) => {
      for (let i = 0; i < 10_000; i++) await null;
      const fds = await Promise.resolve().then(() => os.pipe());
      for (let i = 0; i < STUCK_TURNS - 2; i++) await nextTurn();
      await os.close(fds[0]);
      const child = await os.fork(async (c) => {
        await nextTurn();
        await c.close(fds[1]);
      });
      await os.waitpid(child);
    }, { kernelCheck: true }));
    expect(r.verdict).toEqual({ kind: "ok" });
  });

  it("explore finds a schedule that gets stuck, and its replay is stuck the same way",
    async () => {
      const main = async (os: Os): Promise<void> => {
        const [rd, wr] = await os.pipe();
        const child = await os.fork(async (c) => {
          await c.close(wr);
          const d = await c.read(rd, 8);
          if (d.length === 1) await never(); // when the byte came before the read
        });
        await os.write(wr, "x");
        await os.close(wr);
        await os.close(rd);
        await os.waitpid(child);
      };
      const e = await settles(explore(main, { strategy: "pct", seed: 1, runs: 200 }));
      expect(e.ok).toBe(false);
      expect(e.shrunk!.verdict.kind).toBe("stuck");
      const again = await settles(run(main, { replay: e.shrunk!.decisions }));
      expect(again.verdict).toEqual(e.shrunk!.verdict);
    });

  it("runs that end within the microtask queue are no longer watched once over (issue 12: " +
    "explore kept every finished run alive until the next turn, its heap grew 15 KB a run " +
    "and GC took a third of its time)", async () => {
    const e = explore(async (os: Os) => {
      const [r, w] = await os.pipe();
      await os.write(w, "x");
      await os.read(r, 1);
    }, { runs: 50, seed: 1 });
    const turned = nextTurn().then(() => true);
    const first = await Promise.race([e.then(() => false), turned]);
    expect(first).toBe(false); // explore ended before any turn
    expect((await e).runs).toBe(50);
    expect(watchedRuns()).toBe(0);
  });
});
